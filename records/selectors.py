"""Reads of the organisation for other apps and views."""

import datetime

from django.db.models import Count, Q

from records.models import AuditEntry, Department, Employee
from records.permissions import audit_entries_visible_to


def department_tree() -> list[tuple[Department, int, int]]:
    """Every department in chart order as (department, depth, active headcount)."""
    departments = list(
        Department.objects.annotate(
            headcount=Count("staff", filter=Q(staff__status=Employee.Status.ACTIVE))
        )
    )
    children: dict[int | None, list[Department]] = {}
    for dept in departments:
        children.setdefault(dept.parent_id, []).append(dept)
    out: list[tuple[Department, int, int]] = []

    def walk(parent_id, depth):
        for dept in children.get(parent_id, []):
            out.append((dept, depth, dept.headcount))
            walk(dept.pk, depth + 1)

    walk(None, 0)
    return out


def employee_directory(*, query: str = "", department_id: int | None = None):
    """Employees matching a name or 工号 fragment, optionally within a department subtree."""
    employees = Employee.objects.select_related("department__parent__parent", "position", "manager")
    if query:
        employees = employees.filter(Q(name__icontains=query) | Q(employee_number__icontains=query))
    if department_id:
        dept = Department.objects.filter(pk=department_id).first()
        employees = (
            employees.filter(department_id__in=dept.descendant_ids()) if dept else employees.none()
        )
    return employees


def audit_entries(
    *,
    user,
    actor_name: str = "",
    action: str = "",
    object_label: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    """Audit entries, newest first, filtered as auditors ask: by person, action, document
    (label fragment: title or 文件编号) and dates (inclusive, in the site's time zone); only
    entries about what the user may see (the access policy)."""
    entries = audit_entries_visible_to(AuditEntry.objects.order_by("-sequence"), user)
    if actor_name:
        entries = entries.filter(actor_name__icontains=actor_name)
    if action:
        entries = entries.filter(action=action)
    if object_label:
        entries = entries.filter(object_label__icontains=object_label)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries


def company_department() -> Department | None:
    """The company: the root of the department tree (the issuer of notices, 全宗)."""
    return Department.objects.filter(parent__isnull=True).order_by("sort_order", "pk").first()
