"""The audit trail: a keyed hash chain that names the first entry edited, deleted or moved."""

import datetime
import hashlib
import threading

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import RequestFactory, override_settings

from policies_content.issuing import document_repeal
from policies_content.library import category_page
from policies_content.models import IssuedVersion, RegulationPage
from records.audit import (
    audit_chain_head,
    audit_record,
    audit_verify,
    canonical_json,
    entry_hmac,
)
from records.models import AuditAction, AuditEntry, AuditEntryChanged
from records.services import employees_import
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    """Five entries by one user, the third about a document version."""
    user = UserFactory(username="hr", first_name="Hua")
    return [
        audit_record(
            action=AuditAction.PUBLISH if n == 3 else AuditAction.EXPORT,
            actor=user,
            object_type="test.document",
            object_id=str(n),
            object_label=f"考勤管理制度（HM-RS-{n:03}）",
            version="V2.0" if n == 3 else "",
            details={"n": n, "摘要": "修订"},
        )
        for n in range(1, 6)
    ]


def verify_command() -> str:
    """Run manage.py verify_audit_log; return its error message, or "" when it passes."""
    try:
        call_command("verify_audit_log")
    except CommandError as exc:
        return str(exc)
    return ""


def raw_sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("audit", AuditEntry._meta.db_table, 1), params)


def test_appends_link_into_a_chain_that_verifies(chain, capsys):
    assert [e.sequence for e in chain] == [1, 2, 3, 4, 5]
    assert chain[0].previous_hash == ""
    assert all(b.previous_hash == a.entry_hash for a, b in zip(chain, chain[1:], strict=False))
    assert (
        chain[2].details_digest
        == hashlib.sha256(canonical_json(chain[2].details).encode()).hexdigest()
    )
    result = audit_verify()
    assert result.ok and result.count == 5
    assert audit_chain_head() == f"5:{chain[-1].entry_hash[:16]}" == result.head

    assert verify_command() == ""
    out = capsys.readouterr().out
    assert "5" in out and chain[-1].entry_hash[:16] in out


def test_an_entry_keeps_who_and_what(chain):
    entry = AuditEntry.objects.get(sequence=3)
    assert entry.actor.username == "hr" and entry.actor_name == "Hua"
    assert entry.version == "V2.0" and entry.details == {"n": 3, "摘要": "修订"}


def test_editing_an_entrys_details_behind_the_orms_back_is_found(chain):
    raw_sql("UPDATE audit SET details = %s WHERE sequence = 3", ['{"n": 3, "摘要": "删改"}'])
    result = audit_verify()
    assert (result.ok, result.sequence, result.reason) == (False, 3, "altered")
    assert "3" in verify_command()


def test_editing_a_hashed_field_is_found(chain):
    raw_sql("UPDATE audit SET version = %s WHERE sequence = 2", ["V9.9"])
    assert (audit_verify().sequence, audit_verify().reason) == (2, "altered")


def test_deleting_a_middle_entry_is_found(chain):
    raw_sql("DELETE FROM audit WHERE sequence = %s", [3])
    result = audit_verify()
    assert (result.ok, result.sequence, result.reason) == (False, 3, "missing")
    assert "3" in verify_command()


def test_swapping_two_entries_is_found(chain):
    raw_sql("UPDATE audit SET sequence = 100 WHERE sequence = %s", [2])
    raw_sql("UPDATE audit SET sequence = 2 WHERE sequence = %s", [4])
    raw_sql("UPDATE audit SET sequence = 4 WHERE sequence = %s", [100])
    result = audit_verify()
    assert (result.ok, result.sequence, result.reason) == (False, 2, "reordered")
    assert "2" in verify_command()


def test_a_consistent_rewrite_without_the_key_is_found(chain):
    """Someone with the database but not the key edits an entry and recomputes every hash
    after it with a key of their own: the first rewritten entry fails."""
    details = {"n": 3, "摘要": "改过的"}
    previous = chain[1].entry_hash
    for entry in AuditEntry.objects.filter(sequence__gte=3).order_by("sequence"):
        if entry.sequence == 3:
            entry.details = details
            entry.details_digest = hashlib.sha256(canonical_json(details).encode()).hexdigest()
        entry.previous_hash = previous
        entry.entry_hash = entry_hmac(entry, key="a guessed key")
        raw_sql(
            "UPDATE audit SET details = %s, details_digest = %s, previous_hash = %s, "
            "entry_hash = %s WHERE sequence = %s",
            [
                canonical_json(entry.details),
                entry.details_digest,
                entry.previous_hash,
                entry.entry_hash,
                entry.sequence,
            ],
        )
        previous = entry.entry_hash
    result = audit_verify()
    assert (result.ok, result.sequence, result.reason) == (False, 3, "altered")
    assert "3" in verify_command()


def test_the_chain_only_verifies_with_its_own_key(chain):
    with override_settings(ZHIDU_AUDIT_KEY="another key"):
        assert (audit_verify().ok, audit_verify().sequence) == (False, 1)


def test_the_command_exits_non_zero_on_a_broken_chain(chain):
    raw_sql("DELETE FROM audit WHERE sequence = %s", [2])
    with pytest.raises(SystemExit) as exit_info:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["manage.py", "verify_audit_log"])
    assert exit_info.value.code != 0


def test_entries_cannot_be_changed_or_deleted_through_the_orm(chain):
    entry = AuditEntry.objects.get(sequence=2)
    entry.object_label = "改"
    with pytest.raises(AuditEntryChanged):
        entry.save()
    with pytest.raises(AuditEntryChanged):
        entry.delete()
    with pytest.raises(AuditEntryChanged):
        AuditEntry.objects.filter(sequence=2).update(object_label="改")
    with pytest.raises(AuditEntryChanged):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.count() == 5
    assert audit_verify().ok


def test_deleting_a_user_keeps_their_entries_verifiable(chain):
    user = chain[0].actor
    user.delete()
    entry = AuditEntry.objects.get(sequence=1)
    assert entry.actor is None and entry.actor_name == "Hua"
    assert audit_verify().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_do_not_fork_the_chain():
    """Threads appending at once queue on the lock row. PostgreSQL only: the test suite's
    in-memory SQLite answers "table is locked" at once instead of waiting; file SQLite (as
    deployed) serialises writers with IMMEDIATE transactions and a busy timeout."""
    errors = []

    def append(n):
        try:
            for i in range(5):
                audit_record(action=AuditAction.SEARCH, object_label=f"t{n}-{i}")
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.count() == 20
    assert audit_verify().ok


def test_a_failed_login_is_recorded_with_the_name_tried_and_address():
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.7")
    assert authenticate(request, username="zhangsan", password="wrong") is None
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.details == {"username": "zhangsan"} and entry.object_label == "zhangsan"
    assert entry.ip == "203.0.113.7" and entry.actor is None
    assert audit_verify().ok


def test_a_failed_login_through_the_login_page_is_recorded(client):
    UserFactory(username="lisi")
    client.post("/accounts/login/", {"username": "lisi", "password": "nope"})
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.object_label == "lisi" and entry.ip == "127.0.0.1"


def test_publishing_and_repealing_a_regulation_are_recorded():
    page = RegulationPage(
        title="加班管理制度",
        document_number="HM-RS-2024-009",
        body=[("article", {"text": "加班须事先申请。", "clauses": []})],
    )
    category_page("人事").add_child(instance=page)
    page.effective_date = datetime.date(2024, 3, 1)
    page.save_revision().publish()
    version = IssuedVersion.objects.get(page_id=page.pk)

    entry = AuditEntry.objects.get(action=AuditAction.PUBLISH)
    assert entry.version == "V1.0" and entry.details["sha256"] == version.sha256
    assert entry.object_id == str(page.pk)
    assert "加班管理制度" in entry.object_label and "HM-RS-2024-009" in entry.object_label

    hr = UserFactory(username="hr-repeal")
    document_repeal(page=page, reason="并入考勤制度", on=datetime.date(2025, 1, 1), user=hr)
    repeal = AuditEntry.objects.get(action=AuditAction.REPEAL)
    assert repeal.actor == hr and repeal.details["reason"] == "并入考勤制度"
    assert audit_verify().ok


CSV_HEADER = "工号,姓名,部门,岗位,密级\n"


def test_the_org_import_records_clearance_and_department_changes():
    employee = EmployeeFactory(employee_number="E9001", name="王五", clearance=1)
    other = EmployeeFactory(employee_number="E9002", name="赵六", clearance=1)
    hr = UserFactory(username="hr-import")
    old_department = employee.department.name
    rows = (
        f"E9001,王五,{other.department.code},,秘密\n"  # moved and cleared higher
        f"E9002,赵六,{other.department.code},,内部\n"  # unchanged
    )
    report = employees_import(
        data=(CSV_HEADER + rows).encode("utf-8"), filename="staff.csv", user=hr
    )
    assert report.ok, report.errors

    clearance = AuditEntry.objects.get(action=AuditAction.CLEARANCE_CHANGE)
    assert clearance.object_id == str(employee.pk) and clearance.actor == hr
    assert clearance.details == {"from": 1, "to": 2}
    transfer = AuditEntry.objects.get(action=AuditAction.TRANSFER)
    assert transfer.details["department_id"] == [employee.department_id, other.department_id]
    assert old_department != other.department.name
    summary = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert summary.details["updated"] == 1 and summary.details["unchanged"] == 1
    assert audit_verify().ok


def test_a_dry_run_import_leaves_no_entry():
    employee = EmployeeFactory(employee_number="E9003", clearance=1)
    rows = f"E9003,{employee.name},{employee.department.code},,机密\n"
    employees_import(data=(CSV_HEADER + rows).encode("utf-8"), filename="x.csv", dry_run=True)
    assert not AuditEntry.objects.exists()


def test_approvals_and_rejections_are_recorded_with_task_and_comment():
    from records.roles import APPROVER, POLICY_EDITOR, REVIEWER
    from tests.policies_content.test_approval_workflow import current, draft, submit

    author = UserFactory(username="author", roles=[POLICY_EDITOR])
    reviewer = UserFactory(username="reviewer", roles=[REVIEWER])
    approver = UserFactory(username="approver", roles=[APPROVER])
    page = draft(author)
    submit(page, author)
    state = current(page)
    state.task.specific.on_action(state, reviewer, "reject", comment="请补充第三条。")
    rejected = AuditEntry.objects.get(action=AuditAction.REJECT)
    assert rejected.actor == reviewer and rejected.details["comment"] == "请补充第三条。"
    assert rejected.details["task"] == state.task.name == "审核"

    page = draft(author, title="请假管理制度")
    submit(page, author)
    for user in (reviewer, approver):
        state = current(page)
        state.task.specific.on_action(state, user, "approve", comment="同意")
    approvals = AuditEntry.objects.filter(action=AuditAction.APPROVE).order_by("sequence")
    assert [(e.actor, e.details["task"]) for e in approvals] == [
        (reviewer, "审核"),
        (approver, "批准"),
    ]
    publish = AuditEntry.objects.get(action=AuditAction.PUBLISH)
    assert publish.version == "V1.0" and publish.actor == approver
    assert publish.sequence > approvals.last().sequence
    assert audit_verify().ok
