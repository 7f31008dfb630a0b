"""Forms of the contract screens: the admin edit form and the ledger's small forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from records.contract_numbers import contract_number_allocate
from records.contract_selectors import PERIODS
from records.models import Employee, ObligationKind
from records.models.contracts import AMOUNT, DEFAULT_CLASSIFICATION, default_classification
from records.permissions import user_clearance

DATE = forms.DateInput(attrs={"type": "date"})


class ContractAdminForm(WagtailAdminModelForm):
    """The contract edit form. The number may be left empty (allocated on save); the reason
    for the change (修改原因) starts empty and is required on every save, so each revision
    says why it was made. The status follows from the dates and is set here, before the save,
    so the revision holds it too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status_before = self.instance.status if self.instance.pk else ""
        self.initial["change_reason"] = ""
        self.fields["change_reason"].required = True
        if "contract_number" in self.fields:
            self.fields["contract_number"].required = False

    def clean(self):
        cleaned = super().clean()
        level = cleaned.get("classification")
        contract_type = cleaned.get("contract_type")
        if (
            not self.instance.pk
            and contract_type
            and "classification" not in self.changed_data
            and level == DEFAULT_CLASSIFICATION
        ):
            level = cleaned["classification"] = default_classification(contract_type)
            self.instance.classification = level
        if (
            level is not None
            and self.for_user is not None
            and level > user_clearance(self.for_user)
        ):
            self.add_error("classification", _("You cannot set a level above your own clearance."))
        return cleaned

    def save(self, commit=True):
        contract = self.instance  # the cleaned values are already on it
        if not contract.contract_number:
            contract.contract_number = contract_number_allocate(
                contract_type=contract.contract_type,
                on=contract.signed_on or timezone.localdate(),
            )
        contract.status = contract.derived_status()
        return super().save(commit=commit)


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field if the form has it."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class ObligationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ObligationKind.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    amount = forms.DecimalField(label=_("Amount"), required=False, min_value=0, **AMOUNT)
    responsible = forms.ModelChoiceField(
        label=_("Responsible"), queryset=Employee.objects.active(), required=False
    )


class CompletionForm(forms.Form):
    obligation = forms.IntegerField(widget=forms.HiddenInput)
    completed_on = forms.DateField(
        label=_("Completion date"), widget=DATE, initial=timezone.localdate
    )
    completed_amount = forms.DecimalField(
        label=_("Amount completed"), required=False, min_value=0, **AMOUNT
    )
    note = forms.CharField(
        label=_("Completion note or evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AmendmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    signed_on = forms.DateField(label=_("Signing date"), widget=DATE)
    effective_on = forms.DateField(label=_("Effective date"), widget=DATE)
    summary = forms.CharField(
        label=_("Summary of changes"), widget=forms.Textarea(attrs={"rows": 3})
    )
    amount_change = forms.DecimalField(
        label=_("Amount change"), required=False, initial=0, **AMOUNT
    )
    new_ends_on = forms.DateField(label=_("New end date"), required=False, widget=DATE)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("File (PDF, JPG, PNG, DOCX)"))


class TerminationForm(forms.Form):
    terminated_on = forms.DateField(label=_("Termination date"), widget=DATE)
    reason = forms.CharField(label=_("Termination reason"), max_length=300)


class StatisticsForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=list(zip(PERIODS, [_("Month"), _("Quarter"), _("Year")], strict=True)),
        initial="month",
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def values(self) -> tuple[str, int]:
        this_year = timezone.localdate().year
        if self.is_valid():
            return self.cleaned_data["period"], self.cleaned_data["year"] or this_year
        return "month", this_year


__all__ = [
    "AmendmentForm",
    "AttachmentForm",
    "CompletionForm",
    "ContractAdminForm",
    "ObligationForm",
    "StatisticsForm",
    "TerminationForm",
    "apply_errors",
]
