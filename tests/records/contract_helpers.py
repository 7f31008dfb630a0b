"""Helpers shared by the contract tests: people, and contracts made through the service."""

import datetime
from decimal import Decimal

from wagtail.users.models import UserProfile

from records.contracts import contract_create
from records.roles import POLICY_EDITOR, STAFF
from tests.factories import DepartmentFactory, EmployeeFactory, UserFactory

D = datetime.date


def hr_user(*, clearance: int = 3, language: str = "en"):
    """A 制度管理员 with an employee profile (clearance) and English admin screens."""
    user = UserFactory(roles=[POLICY_EDITOR, STAFF], email="hr@example.cn")
    EmployeeFactory(user=user, clearance=clearance)
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": language})
    return user


def owner(**kwargs):
    kwargs.setdefault("clearance", 3)
    employee = EmployeeFactory(**kwargs)
    employee.user.email = f"{employee.employee_number.lower()}@example.cn"
    employee.user.save(update_fields=["email"])
    return employee


def make_contract(*, user, **kwargs):
    """A 购销 contract with sensible defaults; any field can be given."""
    person = kwargs.pop("owner", None) or owner()
    values = {
        "title": "办公用品采购合同",
        "contract_type": "sales",
        "counterparty": "上海某某贸易有限公司",
        "department": kwargs.pop("department", None) or DepartmentFactory(),
        "owner": person,
        "amount": Decimal("10000.00"),
        "signed_on": D(2024, 1, 10),
        "starts_on": D(2024, 1, 15),
        "ends_on": D(2024, 12, 31),
    }
    values.update(kwargs)
    return contract_create(user=user, **values)
