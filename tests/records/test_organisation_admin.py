"""HR edit the organisation in the Wagtail admin: list, filter, search, create with a login."""

import pytest
from django.urls import reverse

from records.models import Department, Employee
from records.roles import POLICY_EDITOR, STAFF
from tests.factories import DepartmentFactory, EmployeeFactory, PositionFactory, UserFactory

pytestmark = pytest.mark.django_db

EMPLOYEES = reverse("wagtailsnippets_records_employee:list")


@pytest.fixture
def hr_client(client):
    client.force_login(UserFactory(roles=[POLICY_EDITOR, STAFF]))
    return client


def test_hr_searches_employees_by_name_and_employee_number(hr_client):
    EmployeeFactory(name="李明", employee_number="HM0101")
    EmployeeFactory(name="张伟", employee_number="HM0202")
    by_name = hr_client.get(EMPLOYEES, {"q": "李"}).content.decode()
    assert "HM0101" in by_name and "HM0202" not in by_name
    by_number = hr_client.get(EMPLOYEES, {"q": "0202"}).content.decode()
    assert "张伟" in by_number and "李明" not in by_number


def test_hr_filters_employees_by_status(hr_client):
    EmployeeFactory(name="在职甲")
    EmployeeFactory(name="离职乙", status=Employee.Status.DEPARTED)
    text = hr_client.get(EMPLOYEES, {"status": "departed"}).content.decode()
    assert "离职乙" in text and "在职甲" not in text


def test_hr_creates_an_employee_and_a_login_named_by_employee_number(hr_client):
    position = PositionFactory(name="客服专员")
    response = hr_client.post(
        reverse("wagtailsnippets_records_employee:add"),
        {
            "employee_number": "HM0300",
            "name": "周敏",
            "phone": "",
            "department": position.department.pk,
            "position": position.pk,
            "manager": "",
            "clearance": "1",
            "status": "active",
            "hire_date": "2025-03-01",
            "leave_date": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    employee = Employee.objects.get(employee_number="HM0300")
    assert employee.user.username == "HM0300"
    assert employee.user.groups.filter(name=STAFF).exists()
    assert not employee.user.has_usable_password()


def test_position_from_another_department_is_refused(hr_client):
    other = PositionFactory()
    department = DepartmentFactory()
    response = hr_client.post(
        reverse("wagtailsnippets_records_employee:add"),
        {
            "employee_number": "HM0301",
            "name": "错岗",
            "department": department.pk,
            "position": other.pk,
            "clearance": "1",
            "status": "active",
        },
    )
    assert response.status_code == 200
    assert "该岗位属于其他部门" in response.content.decode()
    assert not Employee.objects.filter(employee_number="HM0301").exists()


def test_marking_an_employee_departed_disables_their_login(hr_client):
    employee = EmployeeFactory()
    response = hr_client.post(
        reverse("wagtailsnippets_records_employee:edit", args=[employee.pk]),
        {
            "employee_number": employee.employee_number,
            "name": employee.name,
            "department": employee.department.pk,
            "clearance": "1",
            "status": "departed",
            "leave_date": "2025-06-30",
        },
    )
    assert response.status_code == 302
    employee.refresh_from_db()
    employee.user.refresh_from_db()
    assert employee.status == Employee.Status.DEPARTED
    assert employee.user.is_active is False


def test_a_group_must_sit_under_a_department(hr_client):
    company = Department.objects.create(code="CO", name="公司", kind="company")
    response = hr_client.post(
        reverse("wagtailsnippets_records_department:add"),
        {"name": "运营组", "code": "YY", "kind": "group", "parent": company.pk, "sort_order": 0},
    )
    assert response.status_code == 200
    assert not Department.objects.filter(code="YY").exists()


def test_staff_cannot_open_the_organisation_admin(client):
    client.force_login(UserFactory(roles=[STAFF]))
    response = client.get(EMPLOYEES)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_hr_downloads_an_import_template_that_imports_cleanly(hr_client):
    import io

    from openpyxl import load_workbook

    from records.services import employees_import

    PositionFactory(name="运营专员")
    page = hr_client.get(reverse("employee_import")).content.decode()
    assert reverse("employee_import_template") in page
    response = hr_client.get(reverse("employee_import_template"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:3] == ["工号", "姓名", "部门"]
    report = employees_import(data=response.content, filename="模板.xlsx")
    assert report.errors == [] and report.created == ["HM0100"]


def test_staff_cannot_download_the_import_template(client):
    client.force_login(UserFactory(roles=[STAFF]))
    response = client.get(reverse("employee_import_template"))
    assert response.status_code in (302, 403)
