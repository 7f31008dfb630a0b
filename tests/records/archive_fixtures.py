"""Helpers shared by the archive tests: filing an item quickly, logins per role, English."""

import datetime

import pytest
from django.utils import translation

from records.filing import archive_file
from records.roles import ADMINISTRATOR, AUDITOR, POLICY_EDITOR, STAFF
from tests.factories import DepartmentFactory, EmployeeFactory, UserFactory


@pytest.fixture
def in_english(settings):
    """The archive screens and messages checked in English, the product's second language
    (the Chinese catalog is complete: make messages-check)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
    translation.deactivate()


def hr_user(**kwargs):
    """An HR login (制度管理员) with an employee profile cleared for 秘密."""
    employee = EmployeeFactory(clearance=2, **kwargs)
    user = employee.user
    for role in (POLICY_EDITOR, STAFF):
        from django.contrib.auth.models import Group

        user.groups.add(Group.objects.get(name=role))
    return user


def admin_user():
    employee = EmployeeFactory(clearance=4)
    from django.contrib.auth.models import Group

    employee.user.groups.add(Group.objects.get(name=ADMINISTRATOR))
    return employee.user


def auditor_user():
    return UserFactory(roles=[AUDITOR])


def file_item(
    *,
    source=None,
    department=None,
    retention="D10",
    category="WS",
    classification=1,
    filed_on=None,
    user=None,
    title="归档测试",
):
    from records.models import Department

    department = (
        department or Department.objects.filter(code="ZH").first() or DepartmentFactory(code="ZH")
    )
    source = source or EmployeeFactory(department=department)
    return archive_file(
        source=source,
        title=title,
        category_code=category,
        retention=retention,
        department=department,
        classification=classification,
        snapshot={"text": f"filed {source.pk}"},
        filed_by=user,
        filed_on=filed_on or datetime.date(2026, 3, 1),
    )
