"""Reads of the organisation for other apps and views."""

from django.db.models import Count, Q

from records.models import Department, Employee


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
