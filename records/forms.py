"""Admin forms for the organisation."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from records.services import employee_audit_state, employee_changes_audit, employee_login_sync


class EmployeeAdminForm(WagtailAdminModelForm):
    """Saving an employee also keeps their login (named by 工号) in step with their status,
    and records clearance and department or position changes in the audit trail."""

    def save(self, commit=True):
        before = None
        if self.instance.pk:
            before = employee_audit_state(type(self.instance).objects.get(pk=self.instance.pk))
        employee = super().save(commit=False)
        if commit:
            with transaction.atomic():
                employee_login_sync(employee=employee)
                employee.save()
                self.save_m2m()
                if before is None:  # a new employee: their clearance is granted now
                    before = {**employee_audit_state(employee), "clearance": None}
                employee_changes_audit(employee=employee, before=before, user=self.for_user)
        return employee


class EmployeeImportForm(forms.Form):
    file = forms.FileField(
        label=_("Organisation file"),
        help_text=_(
            "CSV (UTF-8 or GBK, as Excel saves it) or XLSX. Columns: 工号, 姓名, 部门 "
            "(required); 岗位, 上级工号, 密级, 状态, 入职日期, 离职日期, 邮箱, 手机 (optional)."
        ),
    )
    mark_departed = forms.BooleanField(
        label=_("This is the full staff list: mark employees missing from it as departed"),
        required=False,
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, do not save anything"), required=False
    )
