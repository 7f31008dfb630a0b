"""Build the demo company: org chart, 40 staff, one login per role, sample documents and
who signed them.

Used by ``manage.py load_demo``; the data itself is in data.py, the documents' later versions
in history.py, the acknowledgement story in acknowledgements.py.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test.utils import override_settings
from wagtail.models import Page

from policies_content.library import category_page
from policies_content.models import (
    JobDescriptionPage,
    PolicyLibraryPage,
    RegulationPage,
)
from records.models import Department, Employee, Position
from records.roles import ADMINISTRATOR, STAFF
from records.services import employee_login_sync

from . import acknowledgements, contracts, data, history
from .archives import archives_build

CATEGORIES = [
    ("management", "管理制度"),
    ("hr", "人事"),
    ("finance", "财务"),
    ("safety", "安全"),
    ("job-descriptions", "岗位说明书"),
]
REGULATION_PREFIX = {"管理制度": "GL", "人事": "RS", "财务": "CW", "安全": "AQ"}


def demo_present() -> bool:
    return Department.objects.filter(code=data.COMPANY["code"]).exists()


def database_empty() -> bool:
    """No organisation and no documents yet: safe to load the demo without asking."""
    return not (
        Department.objects.exists()
        or Employee.objects.exists()
        or PolicyLibraryPage.objects.exists()
    )


@transaction.atomic
@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def demo_load() -> None:
    """Create the whole demo company in one transaction (workflow e-mails are not sent).

    Each document names its readers before it is published, so publishing assigns it to them
    (the real path); the acknowledgement story is told between and after the versions."""
    departments = _departments()
    positions = {
        (p["department"], p["name"]): Position.objects.create(
            department=departments[p["department"]], name=p["name"]
        )
        for p in data.POSITIONS
    }
    employees = _employees(departments, positions)
    _logins(employees)
    _documents(departments, positions, employees)
    contracts.contracts_build()
    archives_build()  # 档案: filed versions, personnel files, loans, holds, disposal


def _departments() -> dict[str, Department]:
    created: dict[str, Department] = {}
    for order, item in enumerate(data.DEPARTMENTS):
        created[item["code"]] = Department.objects.create(
            code=item["code"],
            name=item["name"],
            kind=item["kind"],
            parent=created.get(item["parent"]),
            sort_order=order,
        )
    return created


def _employees(departments, positions) -> dict[str, Employee]:
    employees: dict[str, Employee] = {}
    for item in data.EMPLOYEES:
        employee = Employee(
            employee_number=item["employee_number"],
            name=item["name"],
            department=departments[item["department"]],
            position=positions[(item["department"], item["position"])],
            clearance=item["clearance"],
            hire_date=datetime.date.fromisoformat(item["hire_date"]),
        )
        employee_login_sync(employee=employee, email=item["email"])
        employee.save()
        employees[employee.employee_number] = employee
    for item in data.EMPLOYEES:
        if item["manager"]:
            employee = employees[item["employee_number"]]
            employee.manager = employees[item["manager"]]
            employee.save(update_fields=["manager"])
    return employees


def _logins(employees) -> None:
    User = get_user_model()
    for login in data.ROLE_LOGINS:
        number = login["employee_number"]
        if number:
            user = employees[number].user
            user.username = login["username"]
        else:
            user = User(username=login["username"], is_staff=True, is_superuser=True)
        user.first_name = employees[number].name if number else ""
        user.set_password(login["password"])
        user.save()
        user.groups.add(Group.objects.get(name=login["role"]))
        if login["role"] == ADMINISTRATOR:
            user.groups.add(Group.objects.get(name=STAFF))


def _documents(departments, positions, employees) -> None:
    categories = {title: category_page(title) for _slug, title in CATEGORIES}
    people = history.users()
    pages = {}
    for number, item in enumerate(data.REGULATIONS, start=1):
        pages[item["title"]] = _regulation(
            categories[item["category"]], departments, item, number, people, employees
        )
    for number, item in enumerate(data.JOB_DESCRIPTIONS, start=1):
        position = positions[(item["department"], item["position"])]
        page = JobDescriptionPage(
            title=f"{item['position']}岗位说明书",
            slug=f"jd-{number:03}",
            department=position.department,
            position=position,
            position_title=position.name,
            reports_to=item["reports_to"],
            purpose=item["purpose"],
            duties=[("duty", duty) for duty in item["duties"]],
            education=item["qualifications"]["education"],
            experience=item["qualifications"]["experience"],
            skills=item["qualifications"]["skills"],
            indicators=[("indicator", text) for text in item["indicators"]],
            acknowledgement_due_days=item.get("due_days", 7),
        )
        page.distribution_positions = [position]
        categories["岗位说明书"].add_child(instance=page)
        history.publish_through_workflow(page, people, effective=datetime.date(2025, 3, 1))
        pages[page.title] = page
    acknowledgements.first_versions_sign(people["hr"])
    history.build_history(categories, pages)
    acknowledgements.later_versions_sign(people["hr"])
    acknowledgements.departure_record()
    acknowledgements.dates_backfill()


def _distribute(page, spec: dict, departments, employees) -> None:
    """受文范围 from data.py, set on the page before it is first saved."""
    page.distribution_all_staff = spec.get("all_staff", False)
    page.distribution = [departments[code] for code in spec.get("departments", [])]
    page.distribution_include_subdepartments = spec.get("subdepartments", True)
    page.distribution_groups = list(Group.objects.filter(name__in=spec.get("groups", [])))
    page.distribution_employees = [employees[number] for number in spec.get("employees", [])]
    page.acknowledgement_due_days = spec.get("due_days", 7)


def _regulation(
    category: Page, departments, item, number: int, people, employees
) -> RegulationPage:
    body = []
    for block in item["body"]:
        if block[0] == "chapter":
            body.append(("chapter", {"title": block[1]}))
        elif block[0] == "article":
            clauses = [{"text": text, "level": "2"} for text in block[2]]
            body.append(("article", {"text": block[1], "clauses": clauses}))
        else:
            body.append(("paragraph", block[1]))
    effective = datetime.date.fromisoformat(item["effective_date"])
    page = RegulationPage(
        title=item["title"],
        slug=f"reg-{number:03}",
        document_number=(
            f"{data.COMPANY['code']}-{REGULATION_PREFIX[item['category']]}-"
            f"{effective.year}-{number:03}"
        ),
        owner_department=departments[item["owner_department"]],
        interpreting_department=departments[item["interpreting_department"]],
        classification=item["classification"],
        effective_date=effective,
        body=body,
        affects_vital_interests=item["category"] == "人事",  # 考勤、休假: 劳动合同法 第四条
        live=False,
    )
    _distribute(page, item.get("distribution", {}), departments, employees)
    category.add_child(instance=page)
    history.publish_through_workflow(
        page,
        people,
        effective=effective,
        consultation="职工代表大会审议通过；采纳了明确调休申请时限的意见。",
    )
    return page


def demo_logins() -> list[dict]:
    return data.ROLE_LOGINS
