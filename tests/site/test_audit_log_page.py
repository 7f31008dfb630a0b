"""The auditor's audit trail page: filters, chain check, CSV export; closed to everyone else."""

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse

from records.audit import audit_chain_head, audit_record
from records.models import AuditAction, AuditEntry
from records.roles import AUDITOR, POLICY_EDITOR, STAFF
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(client):
    user = EmployeeFactory(name="审计甲", user__roles=[STAFF, AUDITOR]).user
    client.force_login(user)
    return user


@pytest.fixture
def entries():
    hr = EmployeeFactory(name="人事乙", employee_number="HR01").user
    audit_record(
        action=AuditAction.PUBLISH, actor=hr, object_label="考勤管理制度（RS-001）", version="V1.0"
    )
    audit_record(action=AuditAction.REPEAL, actor=hr, object_label="加班管理制度（RS-002）")
    audit_record(action=AuditAction.LOGIN_FAILED, object_label="mallory")


def test_the_auditor_sees_entries_newest_first(client, auditor, entries):
    response = client.get(reverse("audit_log"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("mallory") < body.index("加班管理制度") < body.index("考勤管理制度")
    assert audit_chain_head() in body
    assert reverse("audit_log") in client.get(reverse("auditor_home")).content.decode()


def test_filters_narrow_the_list(client, auditor, entries):
    body = client.get(reverse("audit_log"), {"object": "RS-002"}).content.decode()
    assert "加班管理制度" in body and "考勤管理制度" not in body
    body = client.get(reverse("audit_log"), {"action": "publish"}).content.decode()
    assert "考勤管理制度" in body and "mallory" not in body
    body = client.get(reverse("audit_log"), {"actor": "人事乙"}).content.decode()
    assert "考勤管理制度" in body and "mallory" not in body
    body = client.get(reverse("audit_log"), {"from": "2000-01-01", "to": "2000-12-31"})
    assert "考勤管理制度" not in body.content.decode()


def test_verify_shows_ok_then_the_broken_entry(client, auditor, entries):
    response = client.get(reverse("audit_log"), {"verify": "1"})
    assert response.context["verification"].ok
    assert 'class="verify-ok"' in response.content.decode()

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET object_label = %s WHERE sequence = 2",
            ["改过的"],
        )
    response = client.get(reverse("audit_log"), {"verify": "1"})
    result = response.context["verification"]
    assert (result.ok, result.sequence) == (False, 2)
    assert 'class="verify-broken"' in response.content.decode()


def test_csv_export_holds_the_filtered_rows_and_is_itself_recorded(client, auditor, entries):
    response = client.get(reverse("audit_log_csv"), {"action": "publish"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    labels = [row[6] for row in rows[1:-1]]
    assert labels == ["考勤管理制度（RS-001）"]
    assert rows[1][7] == "V1.0"
    export = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert export.actor == auditor and export.details["rows"] == 1
    assert rows[-1][1] == audit_chain_head()


def test_csv_cells_never_start_a_formula(client, auditor):
    audit_record(action=AuditAction.LOGIN_FAILED, object_label='=HYPERLINK("x")')
    response = client.get(reverse("audit_log_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][6].startswith("'=")


@pytest.mark.parametrize("roles", [[STAFF], [POLICY_EDITOR]])
def test_others_are_refused(client, entries, roles):
    client.force_login(UserFactory(roles=roles))
    assert client.get(reverse("audit_log")).status_code == 403
    assert client.get(reverse("audit_log_csv")).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_audit_log_hides_documents_above_the_auditors_clearance(client):
    from policies_content.library import category_page
    from policies_content.models import RegulationPage

    secret = RegulationPage(
        title="高管薪酬保密制度",
        classification=3,
        body=[("article", {"text": "薪酬保密。", "clauses": []})],
    )
    category_page("财务").add_child(instance=secret)
    secret.save_revision().publish()  # recorded as a publish entry
    open_rule = RegulationPage(
        title="考勤制度",
        classification=1,
        body=[("article", {"text": "按时上班。", "clauses": []})],
    )
    category_page("人事").add_child(instance=open_rule)
    open_rule.save_revision().publish()
    auditor = EmployeeFactory(clearance=2, user=UserFactory(roles=[AUDITOR])).user
    client.force_login(auditor)
    page = client.get(reverse("audit_log")).content.decode()
    assert "考勤制度" in page
    assert "高管薪酬保密制度" not in page
    assert (
        "高管薪酬保密制度"
        not in client.get(reverse("audit_log"), {"object": "薪酬"}).content.decode()
    )
    assert "高管薪酬保密制度" not in client.get(reverse("audit_log_csv")).content.decode(
        "utf-8-sig"
    )
