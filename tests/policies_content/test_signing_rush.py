"""签收 under a rush, with real concurrency (PostgreSQL only): threads, each with its own
database connection, call the signing service at the same moment.

- 2,000 employees sign the same version at once (a pool of WORKERS threads): exactly 2,000
  acknowledgements, every assignment signed, and an audit chain that verifies with 2,000
  ACKNOWLEDGE entries, one per acknowledgement.
- One employee's signature sent 20 times at once: exactly one acknowledgement and one audit
  entry; the other 19 calls get that same signature back marked ``already_signed``, which the
  page shows as "already signed" with the receipt.
"""

import queue
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from policies_content.acknowledging import acknowledgement_sign, assignment_open
from policies_content.models import (
    Acknowledgement,
    Assignment,
    AssignmentState,
    IssuedVersion,
)
from records.audit import audit_verify
from records.models import AuditEntry, Employee
from tests.factories import CompanyFactory, DepartmentFactory, regulation_publish

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    # serialized_rollback: the rows migrations made (the Wagtail root, the roles) are back for
    # each test, whatever transactional test ran before it
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "pw-for-rush"
EMPLOYEES = 2_000
WORKERS = 32
SAME_SIGNATURE = 20


def staff(count: int) -> None:
    """``count`` employees with logins (one password hash for all), in bulk."""
    department = DepartmentFactory(parent=CompanyFactory())
    User = get_user_model()
    hashed = make_password(PASSWORD)
    User.objects.bulk_create(User(username=f"rush{n:05}", password=hashed) for n in range(count))
    users = dict(User.objects.filter(username__startswith="rush").values_list("username", "pk"))
    Employee.objects.bulk_create(
        Employee(
            user_id=users[f"rush{n:05}"],
            employee_number=f"R{n:05}",
            name=f"员工{n:05}",
            department=department,
            clearance=1,
        )
        for n in range(count)
    )


def all_staff_rule() -> IssuedVersion:
    """A regulation for all staff, published: every employee gets an assignment."""
    page = regulation_publish(
        title="考勤管理制度", number="HM-RS-2026-900", articles=["员工应按时上班。"]
    )
    return IssuedVersion.objects.get(page_id=page.pk)


def run_at_once(work, items, *, workers: int) -> tuple[list, list]:
    """Call ``work(item)`` for every item from ``workers`` threads started together, each
    thread with its own database connection (closed at its end). Returns results, errors."""
    todo: queue.SimpleQueue = queue.SimpleQueue()
    for item in items:
        todo.put(item)
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            while True:
                try:
                    item = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    results.append(work(item))
                except Exception as exc:  # noqa: BLE001 — reported by the test
                    errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def sign(assignment_id: int):
    assignment = Assignment.objects.select_related("employee__user", "version").get(
        pk=assignment_id
    )
    return acknowledgement_sign(
        assignment=assignment,
        user=assignment.employee.user,
        password=PASSWORD,
        confirmed=True,
    )


def test_two_thousand_employees_sign_the_same_version_at_once():
    staff(EMPLOYEES)
    version = all_staff_rule()
    assignments = list(Assignment.objects.filter(version=version).values_list("pk", flat=True))
    assert len(assignments) == EMPLOYEES
    Assignment.objects.filter(version=version).update(opened_at=timezone.now())
    entries_before = AuditEntry.objects.count()

    started = time.perf_counter()
    results, errors = run_at_once(sign, assignments, workers=WORKERS)
    elapsed = time.perf_counter() - started
    print(f"\n{EMPLOYEES} signatures from {WORKERS} threads in {elapsed:.1f} s")

    assert errors == []
    assert len(results) == EMPLOYEES
    assert not any(ack.already_signed for ack in results)
    signed = Acknowledgement.objects.filter(version=version)
    assert signed.count() == EMPLOYEES
    assert signed.values("employee").distinct().count() == EMPLOYEES
    assert set(signed.values_list("pk", flat=True)) == {ack.pk for ack in results}
    assert not Assignment.objects.filter(version=version).exclude(state=AssignmentState.SIGNED)
    entries = AuditEntry.objects.filter(action="acknowledge")
    assert entries.count() == EMPLOYEES
    assert {e.details["acknowledgement"] for e in entries} == {ack.pk for ack in results}
    assert AuditEntry.objects.count() == entries_before + EMPLOYEES
    verified = audit_verify()
    assert verified.ok, verified.message
    assert verified.count == AuditEntry.objects.count()


def test_one_signature_sent_twenty_times_at_once_makes_one(client):
    staff(1)
    version = all_staff_rule()
    assignment = Assignment.objects.select_related("employee__user").get(version=version)
    user = assignment.employee.user
    assignment_open(assignment=assignment, user=user)

    results, errors = run_at_once(sign, [assignment.pk] * SAME_SIGNATURE, workers=SAME_SIGNATURE)

    assert errors == []
    assert len(results) == SAME_SIGNATURE
    (acknowledgement,) = Acknowledgement.objects.all()
    assert {ack.pk for ack in results} == {acknowledgement.pk}
    assert [ack.already_signed for ack in results].count(False) == 1
    assert [ack.already_signed for ack in results].count(True) == SAME_SIGNATURE - 1
    assert AuditEntry.objects.filter(action="acknowledge").count() == 1
    assert audit_verify().ok
    # …and what the page says to one more of them: already signed, here is the receipt
    client.force_login(user)
    response = client.post(
        reverse("acknowledgement_sign", args=[assignment.pk]),
        {"confirm": "yes", "password": PASSWORD},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "acknowledgement_receipt", args=[assignment.pk]
    )
    assert "您已签收过此版本" in html
    assert Acknowledgement.objects.count() == 1
