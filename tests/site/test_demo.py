"""manage.py load_demo builds the demo company once, and only into an empty database."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from policies_content.models import JobDescriptionPage, RegulationPage
from records.models import Department, Employee
from records.roles import ALL_ROLES

pytestmark = pytest.mark.django_db


def test_load_demo_builds_the_company_and_prints_logins(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert Employee.objects.count() == 40
    assert Department.objects.get(code="DS").children.count() == 4
    assert {d.name for d in Department.objects.get(code="DS").children.all()} == {
        "运营组",
        "推广组",
        "客服组",
        "物流组",
    }
    assert RegulationPage.objects.live().count() >= 3
    assert JobDescriptionPage.objects.live().count() >= 3
    for username in ["staff", "hr", "reviewer", "approver", "auditor", "admin"]:
        assert username in out
        user = authenticate(username=username, password="zhidu-demo")
        assert user is not None, username
    roles = {
        g
        for u in ["staff", "hr", "reviewer", "approver", "auditor", "admin"]
        for g in authenticate(username=u, password="zhidu-demo").groups.values_list(
            "name", flat=True
        )
    }
    assert set(ALL_ROLES) <= roles


def test_load_demo_twice_loads_once(capsys):
    call_command("load_demo")
    call_command("load_demo", "--if-empty")
    assert Employee.objects.count() == 40
    assert "已存在" in capsys.readouterr().out


def test_load_demo_refuses_a_database_with_other_data():
    Department.objects.create(code="X", name="别的公司", kind=Department.Kind.COMPANY)
    with pytest.raises(CommandError):
        call_command("load_demo")
    call_command("load_demo", "--if-empty")  # quietly does nothing
    assert Employee.objects.count() == 0


def test_demo_regulations_have_generated_article_numbers(client):
    call_command("load_demo")
    client.force_login(Employee.objects.get(employee_number="HM0001").user)
    page = RegulationPage.objects.get(title="考勤与休假管理制度")
    text = client.get(page.url).content.decode()
    assert "第一章" in text and "第一条" in text and "第十条" in text
