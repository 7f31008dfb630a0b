"""人事档案: filing an employee's personnel file as an archive item.

The snapshot is the profile as it stood (工号, name, department, position, manager, clearance,
status, dates); the item is classified at settings.ZHIDU_ARCHIVE_PERSONNEL_CLASSIFICATION
(秘密 by default) because personnel files are among the most sensitive records a company keeps.
"""

from django.conf import settings

from records.filing import archive_file
from records.models import ArchiveItem, CategoryCode, Employee, Retention


def personnel_snapshot(employee: Employee) -> dict:
    return {
        "kind": "personnel_file",
        "employee_number": employee.employee_number,
        "name": employee.name,
        "department": employee.department.path_name,
        "department_code": employee.department.code,
        "position": employee.position.name if employee.position_id else "",
        "manager": str(employee.manager) if employee.manager_id else "",
        "clearance": employee.clearance,
        "status": employee.status,
        "hire_date": employee.hire_date,
        "leave_date": employee.leave_date,
        "phone": employee.phone,
    }


def personnel_file(*, employee: Employee, user, filed_on=None, request=None) -> ArchiveItem:
    """File the employee's personnel file (once; later changes are correction entries)."""
    return archive_file(
        source=employee,
        title=f"{employee.name}（{employee.employee_number}）人事档案",
        category_code=CategoryCode.PERSONNEL,
        retention=getattr(settings, "ZHIDU_ARCHIVE_PERSONNEL_RETENTION", Retention.THIRTY_YEARS),
        department=employee.department,
        classification=getattr(settings, "ZHIDU_ARCHIVE_PERSONNEL_CLASSIFICATION", 2),
        snapshot=personnel_snapshot(employee),
        filed_by=user,
        filed_on=filed_on,
        request=request,
    )
