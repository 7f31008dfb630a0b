"""The forms of the consultation step's workflow actions (kept out of models: they use admin
widgets, which may only be imported once the app registry is ready)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.documents.widgets import AdminDocumentChooser

from .models.consultation import ConsultationMethod


class ConsultationOutcomeForm(forms.Form):
    """What HR record when the consultation is over.

    The minutes (or the union's agreement) are a Wagtail document, uploaded in the document
    chooser: Wagtail's workflow modals post their fields as text (and the page editor carries
    the cleaned data back as JSON), so no file can travel with this form — the file is stored
    first and its id travels instead. Code that drives the task directly may pass
    ``outcome_file`` (an uploaded file) to ``on_action`` instead.
    """

    summary = forms.CharField(
        label=_("Outcome summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was discussed, what changed in the draft, and what was agreed."),
    )
    method = forms.ChoiceField(label=_("Consultation method"), choices=ConsultationMethod.choices)
    outcome_document = forms.ModelChoiceField(
        label=_("Minutes or union agreement"),
        queryset=get_document_model().objects.all(),
        widget=AdminDocumentChooser,
        help_text=_("Upload the signed minutes of the meeting or the union's written opinion."),
    )

    def clean_outcome_document(self):
        # The page editor round-trips the cleaned data through JSON: keep the id, not the object.
        return self.cleaned_data["outcome_document"].pk


class ConsultationRejectForm(forms.Form):
    """Sending the draft back needs a reason the editors can act on."""

    comment = forms.CharField(
        label=_("What must change"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The draft goes back to its editors with this comment."),
    )
