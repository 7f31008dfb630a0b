"""The admin edit form of controlled documents."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

ISSUING_ACTIONS = ("action-submit", "action-publish", "action-workflow-action")


class EmployeeNumbersField(forms.ModelMultipleChoiceField):
    """Individual readers typed or pasted as 工号 (separated by spaces, commas, 、 or lines):
    a list of thousands of names would not fit a select box. Unknown numbers are named in
    the error, and nothing is saved until every one is found."""

    widget = forms.Textarea(attrs={"rows": 2})

    def __init__(self, **kwargs):
        from records.models import Employee

        kwargs.setdefault("required", False)
        super().__init__(queryset=Employee.objects.all(), **kwargs)

    def clean(self, value):
        numbers = [n for n in re.split(r"[\s,，、;；]+", value or "") if n]
        if not numbers:
            return self.queryset.none()
        found = self.queryset.filter(employee_number__in=numbers)
        missing = sorted(set(numbers) - set(found.values_list("employee_number", flat=True)))
        if missing:
            raise ValidationError(
                _("No employee has the number: %(numbers)s") % {"numbers": "、".join(missing)}
            )
        return found

    def prepare_value(self, value):
        if isinstance(value, str):
            return value
        from records.models import Employee

        keys = [getattr(item, "pk", item) for item in (value or [])]
        numbers = Employee.objects.filter(pk__in=keys).values_list("employee_number", flat=True)
        return " ".join(sorted(numbers))

    def has_changed(self, initial, data):
        return self.prepare_value(initial) != " ".join((data or "").split())


class ControlledDocumentForm(WagtailAdminPageForm):
    """Submitting or publishing a revision of an issued document needs its 修订说明.
    Individual readers are entered by 工号 (EmployeeNumbersField)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "distribution_employees" in self.fields:
            old = self.fields["distribution_employees"]
            self.fields["distribution_employees"] = EmployeeNumbersField(
                label=old.label,
                help_text=_("Employee numbers, separated by spaces, commas or new lines."),
            )

    def clean(self):
        cleaned = super().clean()
        issuing = any(self.data.get(action) for action in ISSUING_ACTIONS)
        if issuing and self.instance.pk and not (cleaned.get("change_summary") or "").strip():
            from .models import IssuedVersion

            if IssuedVersion.objects.filter(page_id=self.instance.pk).exists():
                self.add_error(
                    "change_summary",
                    _("Describe what changed (修订说明) before submitting this revision."),
                )
        return cleaned
