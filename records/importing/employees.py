"""Validate an organisation file row by row into a plan of employee changes.

Nothing here writes. Every row is checked — columns, dates, department, position, manager,
duplicates within the file — so that the service can refuse the whole file with every problem
listed, or apply it knowing it is valid.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from records.confidentiality import level_by_name
from records.models import Department, Employee, Position

from .errors import CellError, ImportFileError
from .reader import CellValue, Table, normalise_header


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy translation: the name used in messages
    aliases: tuple[str, ...]
    required: bool = False


COLUMNS = [
    Column(
        "employee_number",
        gettext_lazy("Employee number"),
        ("工号", "员工编号", "employeenumber", "employee_number"),
        True,
    ),
    Column("name", gettext_lazy("Name"), ("姓名", "name"), True),
    Column("department", gettext_lazy("Department"), ("部门", "所属部门", "department"), True),
    Column("position", gettext_lazy("Position"), ("岗位", "职位", "position")),
    Column(
        "manager",
        gettext_lazy("Manager's employee number"),
        ("上级工号", "直属上级工号", "manager", "manageremployeenumber"),
    ),
    Column(
        "clearance", pgettext_lazy("import column", "Clearance"), ("密级", "保密等级", "clearance")
    ),
    Column("status", gettext_lazy("Status"), ("状态", "在职状态", "status")),
    Column("hire_date", gettext_lazy("Hire date"), ("入职日期", "hiredate", "hire_date")),
    Column("leave_date", gettext_lazy("Leave date"), ("离职日期", "leavedate", "leave_date")),
    Column("email", gettext_lazy("E-mail"), ("邮箱", "电子邮箱", "email", "e-mail")),
    Column("phone", gettext_lazy("Phone"), ("手机", "电话", "phone")),
]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
STATUS_WORDS = {
    "在职": Employee.Status.ACTIVE,
    "active": Employee.Status.ACTIVE,
    "employed": Employee.Status.ACTIVE,
    "离职": Employee.Status.DEPARTED,
    "departed": Employee.Status.DEPARTED,
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass
class EmployeeRow:
    """One valid row: what the employee should look like after the import."""

    row: int
    employee_number: str
    name: str
    department: Department
    present: set[str]  # optional columns the file has; absent ones are left alone
    position: Position | None = None
    manager_number: str = ""
    clearance: int | None = None
    status: str = Employee.Status.ACTIVE
    hire_date: datetime.date | None = None
    leave_date: datetime.date | None = None
    email: str = ""
    phone: str = ""


@dataclass
class EmployeePlan:
    rows: list[EmployeeRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def plan_employee_import(table: Table) -> EmployeePlan:
    """Check every row of an organisation file; return valid rows and all errors."""
    index, ignored = _map_columns(table.headers)
    plan = EmployeePlan(ignored_columns=ignored)
    lookup = _OrgLookup()
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        values = {key: (cells[i] if i < len(cells) else "") for key, i in index.items()}
        employee_number = _text(values["employee_number"])
        if employee_number in seen:
            plan.errors.append(
                _error(
                    number,
                    "employee_number",
                    _("employee number %(number)s already appears in row %(row)s.")
                    % {"number": employee_number, "row": seen[employee_number]},
                )
            )
            continue
        if employee_number:
            seen[employee_number] = number
        lookup.numbers_in_file.add(employee_number)
        row = _check_row(number, values, set(index), lookup, plan.errors)
        if row is not None:
            plan.rows.append(row)
    _check_managers(plan, lookup)
    _check_login_names(plan, lookup)
    return plan


def _map_columns(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    alias_to_key = {normalise_header(a): c.key for c in COLUMNS for a in c.aliases}
    index: dict[str, int] = {}
    ignored: list[str] = []
    for position, header in enumerate(headers):
        key = alias_to_key.get(header)
        if key is None:
            if header:
                ignored.append(header)
            continue
        if key in index:
            raise ImportFileError(
                _("The column “%(column)s” appears twice in the header row.")
                % {"column": COLUMN_BY_KEY[key].label}
            )
        index[key] = position
    missing = [str(c.label) for c in COLUMNS if c.required and c.key not in index]
    if missing:
        raise ImportFileError(
            _(
                "The header row (row 1) lacks the required columns: %(columns)s. "
                "Required: 工号, 姓名, 部门."
            )
            % {"columns": "、".join(missing)}
        )
    return index, ignored


class _OrgLookup:
    """Departments, positions and existing employees, loaded once per import."""

    def __init__(self):
        self.departments = list(Department.objects.select_related("parent"))
        by_parent = {dept.pk: dept for dept in self.departments}
        self.by_code = {d.code.lower(): d for d in self.departments}
        self.by_path = {_path_name(d, by_parent): d for d in self.departments}
        self.by_name: dict[str, list[Department]] = {}
        for dept in self.departments:
            self.by_name.setdefault(dept.name, []).append(dept)
        self.positions = {(p.department_id, p.name): p for p in Position.objects.all()}
        self.existing_numbers = set(Employee.objects.values_list("employee_number", flat=True))
        self.numbers_in_file: set[str] = set()

    def department(self, text: str) -> Department | str:
        text = "/".join(part.strip() for part in text.replace("／", "/").split("/"))
        found = self.by_path.get(text) or self.by_code.get(text.lower())
        if found:
            return found
        candidates = self.by_name.get(text, [])
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            return _(
                "“%(name)s” names more than one department; write the full path, e.g. %(example)s."
            ) % {"name": text, "example": candidates[0].path_name}
        return _("unknown department “%(name)s”.") % {"name": text}


def _path_name(dept, by_parent) -> str:
    names, node = [], dept
    while node is not None:
        if node.kind != Department.Kind.COMPANY:
            names.append(node.name)
        node = by_parent.get(node.parent_id)
    return "/".join(reversed(names)) or dept.name


def _error(row: int, key: str, message: str) -> CellError:
    return CellError(row=row, column=str(COLUMN_BY_KEY[key].label), message=message)


def _text(value: CellValue) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _check_row(number, values, present, lookup, errors) -> EmployeeRow | None:
    before = len(errors)
    for column in COLUMNS:
        if column.required and not _text(values.get(column.key, "")):
            errors.append(_error(number, column.key, _("this column must not be empty.")))
    if len(errors) > before:
        return None
    department = lookup.department(_text(values["department"]))
    if isinstance(department, str):
        errors.append(_error(number, "department", department))
        return None
    row = EmployeeRow(
        row=number,
        employee_number=_text(values["employee_number"]),
        name=_text(values["name"]),
        department=department,
        present=present - {"employee_number", "name", "department"},
    )
    if len(row.employee_number) > 32 or any(ch.isspace() for ch in row.employee_number):
        errors.append(
            _error(
                number,
                "employee_number",
                _("an employee number has at most 32 characters and no spaces."),
            )
        )
    if len(row.name) > 100:
        errors.append(_error(number, "name", _("a name has at most 100 characters.")))
    position = _text(values.get("position", ""))
    if position:
        row.position = lookup.positions.get((department.pk, position))
        if row.position is None:
            errors.append(
                _error(
                    number,
                    "position",
                    _("there is no position “%(position)s” in %(department)s.")
                    % {"position": position, "department": department.path_name},
                )
            )
    row.manager_number = _text(values.get("manager", ""))
    if row.manager_number and row.manager_number == row.employee_number:
        errors.append(_error(number, "manager", _("an employee cannot be their own manager.")))
    clearance = _text(values.get("clearance", ""))
    if clearance:
        row.clearance = level_by_name(clearance)
        if row.clearance is None:
            errors.append(
                _error(
                    number,
                    "clearance",
                    _("unknown confidentiality level “%(level)s”.") % {"level": clearance},
                )
            )
    for key in ("hire_date", "leave_date"):
        parsed = _date(values.get(key, ""))
        if parsed is False:
            errors.append(
                _error(
                    number,
                    key,
                    _("“%(value)s” is not a date; write it like 2025-03-01.")
                    % {"value": _text(values[key])},
                )
            )
        else:
            setattr(row, key, parsed)
    status = _text(values.get("status", ""))
    if status:
        if status.lower() not in STATUS_WORDS:
            errors.append(
                _error(
                    number, "status", _("write 在职 or 离职, not “%(value)s”.") % {"value": status}
                )
            )
        else:
            row.status = STATUS_WORDS[status.lower()]
    elif row.leave_date:
        row.status = Employee.Status.DEPARTED
    if row.hire_date and row.leave_date and row.leave_date < row.hire_date:
        errors.append(_error(number, "leave_date", _("the leave date is before the hire date.")))
    row.email = _text(values.get("email", ""))
    if row.email and ("@" not in row.email or len(row.email) > 254):
        errors.append(
            _error(
                number, "email", _("“%(value)s” is not an e-mail address.") % {"value": row.email}
            )
        )
    row.phone = _text(values.get("phone", ""))[:30]
    return row if len(errors) == before else None


def _date(value: CellValue) -> datetime.date | None | bool:
    """A date, None for an empty cell, False when the text is not a date."""
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return False


def _check_managers(plan: EmployeePlan, lookup: _OrgLookup) -> None:
    known = lookup.numbers_in_file | lookup.existing_numbers
    for row in plan.rows:
        if row.manager_number and row.manager_number not in known:
            plan.errors.append(
                _error(
                    row.row,
                    "manager",
                    _("no employee has the number %(number)s.") % {"number": row.manager_number},
                )
            )


def _check_login_names(plan: EmployeePlan, lookup: _OrgLookup) -> None:
    """A new employee's login is named by 工号; refuse one that another login already uses."""
    new = {row.employee_number: row for row in plan.rows}
    for number in lookup.existing_numbers:
        new.pop(number, None)
    taken = (
        get_user_model().objects.filter(username__in=list(new)).values_list("username", flat=True)
    )
    for username in taken:
        plan.errors.append(
            _error(
                new[username].row,
                "employee_number",
                _("the login name %(number)s is already used by another account.")
                % {"number": username},
            )
        )
