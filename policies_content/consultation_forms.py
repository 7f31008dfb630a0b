"""The forms of the consultation step's workflow actions."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.models import Collection

from .models.consultation import ConsultationMethod


class ConsultationOutcomeForm(forms.Form):
    """What HR record when the consultation is over.

    The minutes (or the union's agreement) are stored as a Wagtail document. Wagtail's workflow
    modals post their fields as text (jQuery ``serialize``), the page editor carries the cleaned
    data back as JSON, and opening the document chooser closes the workflow modal: so the modal
    template uploads the file itself as soon as it is picked (to Wagtail's document upload view)
    and this form receives the new document's id in a hidden field. Code that drives the task
    directly may pass ``outcome_file`` (an uploaded file) to ``on_action`` instead.
    """

    summary = forms.CharField(
        label=_("Outcome summary"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was discussed, what changed in the draft, and what was agreed."),
    )
    # Not named "method": a form field of that name shadows form.method in the browser and
    # breaks Wagtail's modal script (this.method.toLowerCase is not a function).
    consultation_method = forms.ChoiceField(
        label=_("Consultation method"), choices=ConsultationMethod.choices
    )
    outcome_document = forms.ModelChoiceField(
        label=_("Minutes or union agreement"),
        queryset=get_document_model().objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Upload the minutes of the meeting or the union's written opinion."),
        },
    )

    def clean_outcome_document(self):
        # The page editor round-trips the cleaned data through JSON: keep the id, not the object.
        return self.cleaned_data["outcome_document"].pk

    @property
    def upload_collection_id(self) -> int | None:
        """Where the modal stores the uploaded minutes: the root collection."""
        root = Collection.get_first_root_node()
        return root.pk if root else None


class ConsultationRejectForm(forms.Form):
    """Sending the draft back needs a reason the editors can act on."""

    comment = forms.CharField(
        label=_("What must change"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The draft goes back to its editors with this comment."),
    )
