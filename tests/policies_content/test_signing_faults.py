"""签收 when the database fails half-way: the employee is told in Chinese (not a 500), nothing of
the signature is left behind (no acknowledgement, the assignment still open, no audit entry),
what they ticked is kept (never the password), and signing again signs exactly once."""

import datetime
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.urls import reverse
from django.utils import timezone

from policies_content import acknowledgement_views, acknowledging
from policies_content.models import Acknowledgement, Assignment, AssignmentState
from records.models import AuditEntry
from tests.factories import DepartmentFactory, EmployeeFactory, regulation_publish

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests"
UNAVAILABLE = "数据库暂时无法访问，文件未签收，也没有保存任何内容。请稍后重新签收。"


@pytest.fixture
def assignment(client) -> Assignment:
    person = EmployeeFactory(department=DepartmentFactory(), name="赵签收")
    page = regulation_publish(
        title="消防安全管理制度",
        number="HM-AQ-2026-009",
        articles=["严禁堵塞消防通道。"],
        category="安全",
        effective=timezone.localdate() - datetime.timedelta(days=1),
        classification=1,
    )
    assignment = Assignment.objects.get(employee=person, page_id=page.pk)
    client.force_login(person.user)
    assert client.get(reverse("acknowledgement_sign", args=[assignment.pk])).status_code == 200
    return assignment


def _sign(client, assignment):
    return client.post(
        reverse("acknowledgement_sign", args=[assignment.pk]),
        {"confirm": "yes", "password": PASSWORD},
    )


def _nothing_signed(assignment) -> bool:
    return (
        not Acknowledgement.objects.filter(assignment=assignment).exists()
        and Assignment.objects.get(pk=assignment.pk).state == AssignmentState.OPEN
        and not AuditEntry.objects.filter(action="acknowledge").exists()
    )


def _fails_acknowledge_entry(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


FAILURES = {
    # The last write of the transaction: the acknowledgement and the closed assignment are
    # already written in it and must be rolled back with it.
    "audit entry": lambda: mock.patch.object(
        acknowledging, "audit_record", side_effect=_fails_acknowledge_entry
    ),
    "acknowledgement row": lambda: mock.patch.object(
        Acknowledgement.objects, "create", side_effect=InterfaceError("connection already closed")
    ),
}


@pytest.mark.parametrize("failure", FAILURES)
def test_a_database_failure_while_signing_is_explained_and_leaves_nothing(
    client, assignment, failure
):
    with FAILURES[failure]():
        response = _sign(client, assignment)
    assert response.status_code == 503
    html = response.content.decode()
    assert UNAVAILABLE in html
    assert 'name="confirm" value="yes" required checked' in html  # the tick is kept
    assert PASSWORD not in html and 'type="password" autocomplete' in html
    assert _nothing_signed(assignment)

    retry = _sign(client, assignment)
    assert retry.status_code == 302
    assert retry["Location"] == reverse("acknowledgement_receipt", args=[assignment.pk])
    assert _sign(client, assignment).status_code == 302  # a double click changes nothing
    assert Acknowledgement.objects.filter(assignment=assignment).count() == 1
    assert AuditEntry.objects.filter(action="acknowledge").count() == 1
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.SIGNED


def test_when_the_database_is_still_away_a_page_without_it_says_so(client, assignment):
    with (
        FAILURES["audit entry"](),
        mock.patch.object(
            acknowledgement_views, "_reading_context", side_effect=OperationalError("gone")
        ),
    ):
        response = _sign(client, assignment)
    assert response.status_code == 503
    html = response.content.decode()
    assert UNAVAILABLE in html and "未签收" in html
    assert reverse("acknowledgement_sign", args=[assignment.pk]) in html
    assert _nothing_signed(assignment)


def test_the_tick_is_kept_after_a_wrong_password_too(client, assignment):
    response = client.post(
        reverse("acknowledgement_sign", args=[assignment.pk]),
        {"confirm": "yes", "password": "wrong-password"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "密码不正确" in html and "wrong-password" not in html
    assert 'name="confirm" value="yes" required checked' in html
