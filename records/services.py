"""Writes to the organisation. Keyword-only arguments; each write is one transaction."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from records.audit import audit_record
from records.importing.employees import EmployeeRow, plan_employee_import
from records.importing.errors import CellError
from records.importing.reader import read_table
from records.models import AuditAction, Employee
from records.roles import STAFF


@dataclass
class EmployeeImportReport:
    """What an import did (or, for a check only, would do); errors mean nothing was written."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    departed: list[str] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run and bool(self.created or self.updated or self.departed)


def employee_login_sync(*, employee: Employee, email: str | None = None) -> None:
    """Give an employee a login named by 工号, active exactly while they are employed.

    New logins have no usable password: HR sets one (or the employee resets it by e-mail).
    Every employee is in the 员工 group, whatever other roles they hold.
    """
    User = get_user_model()
    active = employee.status == Employee.Status.ACTIVE
    if employee.user_id is None:
        user = User(username=employee.employee_number, email=email or "", is_active=active)
        user.set_unusable_password()
        user.save()
        employee.user = user
        user.groups.add(Group.objects.get(name=STAFF))
        return
    user = employee.user
    changed = []
    if user.is_active != active:
        user.is_active = active
        changed.append("is_active")
    if email is not None and user.email != email:
        user.email = email
        changed.append("email")
    if changed:
        user.save(update_fields=changed)


def employees_import(
    *,
    data: bytes,
    filename: str = "",
    mark_departed: bool = False,
    dry_run: bool = False,
    user=None,
) -> EmployeeImportReport:
    """Create or update employees from a CSV/XLSX organisation file, all or nothing.

    Every row is validated before anything is written; with any error, nothing is written.
    Re-importing the same file changes nothing. With ``mark_departed`` (a full import), active
    employees missing from the file are marked 离职 as of today; otherwise they are left alone.
    Raises ImportFileError when the file itself cannot be read. Clearance and department or
    position changes, and the import itself, go to the audit trail as ``user``'s actions
    (a check only leaves no entry: it is rolled back with everything else).
    """
    table = read_table(data=data, filename=filename)
    plan = plan_employee_import(table)
    report = EmployeeImportReport(
        errors=plan.errors, ignored_columns=plan.ignored_columns, dry_run=dry_run
    )
    if plan.errors:
        return report
    with transaction.atomic():
        _apply(plan.rows, report, mark_departed=mark_departed, user=user)
        audit_record(
            action=AuditAction.IMPORT,
            actor=user,
            object_type="records.employee",
            object_label=filename,
            details={
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
                "departed": len(report.departed),
            },
        )
        if dry_run:
            transaction.set_rollback(True)
    return report


def _apply(
    rows: list[EmployeeRow], report: EmployeeImportReport, *, mark_departed: bool, user=None
) -> None:
    existing = {
        e.employee_number: e for e in Employee.objects.select_related("user").select_for_update()
    }
    saved: dict[str, Employee] = {}
    for row in rows:
        employee = existing.get(row.employee_number)
        created = employee is None
        if created:
            employee = Employee(employee_number=row.employee_number)
        before = None if created else employee_audit_state(employee)
        changed = _assign(employee, row)
        email = row.email if "email" in row.present else None
        if created or changed or (email is not None and employee.user.email != email):
            employee_login_sync(employee=employee, email=email)
            employee.save()
            (report.created if created else report.updated).append(row.employee_number)
            if before is not None:
                employee_changes_audit(employee=employee, before=before, user=user)
        else:
            report.unchanged.append(row.employee_number)
        saved[row.employee_number] = employee
    numbers = {**existing, **saved}
    for row in rows:
        if "manager" not in row.present:
            continue
        employee = saved[row.employee_number]
        manager = numbers.get(row.manager_number) if row.manager_number else None
        if employee.manager_id != (manager.pk if manager else None):
            employee.manager = manager
            employee.save(update_fields=["manager"])
            if row.employee_number not in report.created + report.updated:
                report.unchanged.remove(row.employee_number)
                report.updated.append(row.employee_number)
    if mark_departed:
        today = timezone.localdate()
        for number, employee in existing.items():
            if number in saved or employee.status == Employee.Status.DEPARTED:
                continue
            _mark_departed(employee, today)
            report.departed.append(number)


def employee_audit_state(employee: Employee) -> dict:
    """What of an employee the audit trail watches: clearance, department and position."""
    return {
        "clearance": employee.clearance,
        "department_id": employee.department_id,
        "position_id": employee.position_id,
    }


def employee_changes_audit(*, employee: Employee, before: dict, user=None, request=None) -> None:
    """Record a clearance change (密级) and a department or position change (调岗), if any.

    Both change what the employee may read, so an auditor must be able to see who did it.
    """
    after = employee_audit_state(employee)
    if before["clearance"] != after["clearance"]:
        audit_record(
            action=AuditAction.CLEARANCE_CHANGE,
            actor=user,
            obj=employee,
            details={"from": before["clearance"], "to": after["clearance"]},
            request=request,
        )
    moved = {
        k: [before[k], after[k]] for k in ("department_id", "position_id") if before[k] != after[k]
    }
    if moved:
        audit_record(
            action=AuditAction.TRANSFER, actor=user, obj=employee, details=moved, request=request
        )


def _assign(employee: Employee, row: EmployeeRow) -> bool:
    """Copy the row onto the employee; True if anything changed."""
    wanted = {"name": row.name, "department_id": row.department.pk}
    optional = {
        "position": ("position_id", row.position.pk if row.position else None),
        "status": ("status", row.status),
        "hire_date": ("hire_date", row.hire_date),
        "leave_date": ("leave_date", row.leave_date),
        "phone": ("phone", row.phone),
    }
    for key, (attr, value) in optional.items():
        if key in row.present:
            wanted[attr] = value
    if "clearance" in row.present and row.clearance is not None:
        wanted["clearance"] = row.clearance
    if "status" not in row.present and row.leave_date:
        wanted["status"] = Employee.Status.DEPARTED
    changed = False
    for attr, value in wanted.items():
        if getattr(employee, attr) != value:
            setattr(employee, attr, value)
            changed = True
    return changed


def _mark_departed(employee: Employee, day: datetime.date) -> None:
    employee.status = Employee.Status.DEPARTED
    employee.leave_date = employee.leave_date or day
    employee_login_sync(employee=employee)
    employee.save(update_fields=["status", "leave_date"])
