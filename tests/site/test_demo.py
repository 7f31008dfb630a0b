"""manage.py load_demo builds the demo company once, and only into an empty database."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from policies_content.acknowledgement_selectors import pending_assignments
from policies_content.acknowledging import (
    acknowledgement_sign,
    assignment_open,
    changes_since_signed,
)
from policies_content.models import (
    Acknowledgement,
    Assignment,
    AssignmentState,
    ChangeKind,
    JobDescriptionPage,
    RegulationPage,
)
from records.audit import audit_verify
from records.models import AuditAction, AuditEntry, Department, Employee
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


def test_demo_tells_the_acknowledgement_story():
    """Every state is there, each login sees its part, and the audit trail holds."""
    call_command("load_demo")
    states = set(Assignment.objects.values_list("state", flat=True))
    assert set(AssignmentState.values) <= states  # signed, open, covered, superseded, departed
    assert Assignment.objects.overdue().count() >= 3
    for covered in Assignment.objects.filter(state=AssignmentState.COVERED):
        assert covered.version.change_kind == ChangeKind.MINOR
        assert covered.covered_by.version.major == covered.version.major
    departed = Assignment.objects.get(state=AssignmentState.DEPARTED)
    assert departed.employee.status == Employee.Status.DEPARTED

    hr = authenticate(username="hr", password="zhidu-demo")
    proxies = Acknowledgement.objects.filter(kind="proxy")
    assert proxies.count() >= 2
    for ack in proxies:
        assert ack.is_proxy and ack.recorded_by == hr
        assert ack.proxy_reason == "仓库人员无电脑，纸质签收"
        assert ack.proxy_scan.read(8) == b"\x89PNG\r\n\x1a\n"

    # A major revision asks again: some have signed it, some have not yet.
    resign = Assignment.objects.filter(version__major__gte=2, version__change_kind="major")
    assert resign.filter(state=AssignmentState.SIGNED).exists()
    assert resign.filter(state=AssignmentState.OPEN).exists()

    # staff: one overdue and one pending re-sign, each showing what changed, and may sign.
    staff = authenticate(username="staff", password="zhidu-demo")
    pending = list(pending_assignments(user=staff))
    assert {a.is_overdue for a in pending} == {True, False}
    assert all(changes_since_signed(a) is not None for a in pending)
    due = next(a for a in pending if not a.is_overdue)
    assignment_open(assignment=due, user=staff)
    acknowledgement_sign(assignment=due, user=staff, password="zhidu-demo", confirmed=True)

    acknowledged = AuditEntry.objects.filter(action=AuditAction.ACKNOWLEDGE).count()
    assert acknowledged == Acknowledgement.objects.count()
    assert audit_verify().ok
