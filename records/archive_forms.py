"""Forms of the archive screens: the item's metadata edit, loans, appraisals, holds."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from records.models import Appraisal, ArchiveItem, Employee

DATE = forms.DateInput(attrs={"type": "date"})


class ArchiveItemAdminForm(WagtailAdminModelForm):
    """Metadata only (the filed fields are read-only panels); a reason is required and starts
    empty on every edit, so each revision carries its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "change_reason" in self.fields:
            self.fields["change_reason"].required = True
            self.initial["change_reason"] = ""

    def save(self, commit=True):
        """Apply only this form's fields to the item as it stands now, so an edit (or a revert
        to an old revision) never carries status, loan or disposal fields from elsewhere."""
        edited = super().save(commit=False)
        if edited.pk is not None:
            current = ArchiveItem.objects.get(pk=edited.pk)
            for name in self.fields:
                if hasattr(current, name):
                    setattr(current, name, getattr(edited, name))
            self.instance = current
        if commit:
            self.instance.save()
        return self.instance


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(forms.Form):
    """A correction entry (更正): the corrected text, and why; the original stays as filed."""

    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    text = forms.CharField(
        label=_("Corrected content"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    reason = forms.CharField(
        label=_("What the correction corrects"), widget=forms.Textarea(attrs={"rows": 3})
    )


class LoanRequestForm(forms.Form):
    borrower = forms.ModelChoiceField(
        label=_("Borrower"), queryset=Employee.objects.active().select_related("department")
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    requested_on = forms.DateField(label=_("Requested on"), initial=timezone.localdate, widget=DATE)
    due_back_on = forms.DateField(label=_("Due back on"), widget=DATE)


class LoanDateForm(forms.Form):
    on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DATE)


class AppraisalForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Appraisal.Decision.choices)
    keep_until = forms.DateField(
        label=_("Keep until"),
        required=False,
        widget=DATE,
        help_text=_("Required when keeping the item longer."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ExecuteForm(forms.Form):
    on = forms.DateField(label=_("Destroyed on"), initial=timezone.localdate, widget=DATE)
