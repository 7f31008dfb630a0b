"""催办 by e-mail: reminders before the due date and while overdue, escalation to the manager,
the daily distribution of versions coming into force, and the staff "my pending" query count."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.users.models import UserProfile

from policies_content.acknowledgement_reminders import acknowledgements_remind
from policies_content.acknowledgement_selectors import pending_assignments
from policies_content.library import category_page
from policies_content.models import Assignment, AssignmentState, IssuedVersion, RegulationPage
from records.models import Employee
from tests.factories import DepartmentFactory, EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def staff(*, email=True, language="en", **kwargs) -> Employee:
    """An employee whose login has an address and (by default) English chosen, so the text
    the tests look for does not depend on the Chinese catalogue."""
    number = kwargs.pop("employee_number", None) or f"R{Employee.objects.count() + 1:04}"
    user = UserFactory(username=number, email=f"{number.lower()}@example.com" if email else "")
    if language:
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = language
        profile.save()
    return EmployeeFactory(employee_number=number, user=user, **kwargs)


def regulation(title: str, *, effective=TODAY, classification=1, number=None) -> IssuedVersion:
    """An all-staff regulation published now; its V1.0 is assigned to everyone employed."""
    page = RegulationPage(
        title=title,
        document_number=number or f"HM-{RegulationPage.objects.count() + 1:03}",
        body=[("article", {"text": f"{title}的条款。", "clauses": []})],
        distribution_all_staff=True,
        classification=classification,
        effective_date=effective,
        change_kind="major",
        change_summary="首次发布",
    )
    category_page("人事").add_child(instance=page)
    page.save_revision().publish()
    return IssuedVersion.objects.get(page_id=page.pk)


def due(employee: Employee, version: IssuedVersion, on: datetime.date) -> Assignment:
    Assignment.objects.filter(employee=employee, version=version).update(due_on=on)
    return Assignment.objects.get(employee=employee, version=version)


@pytest.fixture
def clerk():
    return staff(name="王小明")


def test_one_email_lists_documents_due_soon_and_overdue_but_not_later_ones(
    clerk, mailoutbox, settings
):
    soon, late, later = regulation("考勤制度"), regulation("保密制度"), regulation("报销制度")
    due(clerk, soon, days(2))
    due(clerk, late, days(-1))
    due(clerk, later, days(3))

    run = acknowledgements_remind()

    assert (run.sent, run.reminded) == (1, 2)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [clerk.user.email]
    assert mail.subject.startswith("[Overdue]")
    assert "王小明" in mail.body
    assert f"- [Overdue] “保密制度” V1.0, sign by {days(-1).isoformat()}" in mail.body
    assert f"- “考勤制度” V1.0, sign by {days(2).isoformat()}" in mail.body
    assert "报销制度" not in mail.body
    sign = reverse("acknowledgement_sign", args=[due(clerk, late, days(-1)).pk])
    assert f"{settings.WAGTAILADMIN_BASE_URL}{sign}" in mail.body
    # overdue first
    assert mail.body.index("保密制度") < mail.body.index("考勤制度")
    assert Assignment.objects.filter(reminded_at__isnull=False).count() == 2
    assert Assignment.objects.get(employee=clerk, version=later).reminded_at is None


def test_nothing_due_within_the_window_sends_nothing(clerk, mailoutbox, settings):
    settings.ZHIDU_ACK_REMIND_DAYS_BEFORE = 1
    version = regulation("考勤制度")
    due(clerk, version, days(2))
    assert acknowledgements_remind().sent == 0
    assert mailoutbox == []
    settings.ZHIDU_ACK_REMIND_DAYS_BEFORE = 2
    assert acknowledgements_remind().sent == 1


def test_signed_and_closed_assignments_are_not_reminded(clerk, mailoutbox):
    version = regulation("考勤制度")
    Assignment.objects.filter(employee=clerk, version=version).update(
        due_on=days(-5), state=AssignmentState.SUPERSEDED
    )
    assert acknowledgements_remind().sent == 0
    assert mailoutbox == []


def test_at_most_one_reminder_a_day_per_assignment(clerk, mailoutbox):
    version = regulation("考勤制度")
    due(clerk, version, days(-2))
    assert acknowledgements_remind().sent == 1
    assert acknowledgements_remind().sent == 0  # same day, e.g. cron ran twice
    assert len(mailoutbox) == 1

    # A document falling due later the same day is still sent, alone.
    newer = regulation("保密制度")
    due(clerk, newer, days(1))
    assert acknowledgements_remind().sent == 1
    assert "保密制度" in mailoutbox[1].body and "考勤制度" not in mailoutbox[1].body

    tomorrow = timezone.now() + datetime.timedelta(days=1)
    run = acknowledgements_remind(now=tomorrow)
    assert (run.sent, run.reminded) == (1, 2)  # still unsigned: reminded again the next day


def test_a_failed_send_leaves_the_assignment_to_the_next_run(clerk, mailoutbox, monkeypatch):
    version = regulation("考勤制度")
    due(clerk, version, days(1))

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("policies_content.acknowledgement_reminders.send_mail", broken)
    run = acknowledgements_remind()
    assert (run.sent, run.failed) == (0, 1)
    assert Assignment.objects.get(employee=clerk, version=version).reminded_at is None
    monkeypatch.undo()
    assert acknowledgements_remind().sent == 1


def test_departed_staff_and_logins_without_address_are_skipped(mailoutbox):
    nomail = staff(email=False)
    departed = staff()
    disabled = staff()
    version = regulation("考勤制度")
    for employee in (nomail, departed, disabled):
        due(employee, version, days(-1))
    # As if left by an import that bypasses the departure hook: still open, yet not reminded.
    Employee.objects.filter(pk=departed.pk).update(status=Employee.Status.DEPARTED)
    type(disabled.user).objects.filter(pk=disabled.user_id).update(is_active=False)

    assert acknowledgements_remind().sent == 0
    assert mailoutbox == []


def test_documents_above_the_readers_clearance_are_not_named(clerk, mailoutbox):
    # Assigned while cleared for 机密; the clearance was lowered before signing.
    Employee.objects.filter(pk=clerk.pk).update(clearance=3)
    secret = regulation("薪酬保密制度", classification=3)
    open_rule = regulation("考勤制度")
    Employee.objects.filter(pk=clerk.pk).update(clearance=1)
    due(clerk, secret, days(-1))
    due(clerk, open_rule, days(-1))
    acknowledgements_remind()
    assert "考勤制度" in mailoutbox[0].body
    assert "薪酬保密制度" not in mailoutbox[0].body
    assert Assignment.objects.get(employee=clerk, version=secret).reminded_at is None


def test_reminders_are_written_in_the_recipients_language(mailoutbox):

    english = staff(language="en")
    chinese = staff(language="")  # nothing chosen: the site's language, 简体中文
    version = regulation("考勤制度")
    due(english, version, days(-1))
    due(chinese, version, days(-1))

    acknowledgements_remind()

    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert mails[english.user.email].subject.startswith("[Overdue] 1 document(s)")
    assert mails[chinese.user.email].subject.startswith("[已逾期]")
    with translation.override("zh-hans"):
        expected = gettext("%(count)d document(s) waiting for your signature") % {"count": 1}
    assert mails[chinese.user.email].subject == f"[已逾期] {expected}"
    with translation.override("zh-hans"):
        line = gettext("“%(title)s” %(version)s, sign by %(date)s: %(url)s")
    assert line.split("%(title)s")[0] + "考勤制度" in mails[chinese.user.email].body
    assert "“考勤制度” V1.0, sign by" in mails[english.user.email].body


def test_escalation_tells_the_manager_once_after_the_configured_days(mailoutbox, settings):
    settings.ZHIDU_ACK_ESCALATE_AFTER_DAYS = 3
    department = DepartmentFactory()
    boss = staff(name="李经理", department=department)
    late = staff(name="张三", department=department, manager=boss)
    recent = staff(name="李四", department=department, manager=boss)
    orphan = staff(name="赵六", department=department)  # no manager: nobody to escalate to
    version = regulation("考勤制度")
    due(boss, version, days(5))
    due(late, version, days(-3))
    due(recent, version, days(-2))
    due(orphan, version, days(-10))

    run = acknowledgements_remind()

    assert (run.escalated, run.escalated_assignments) == (1, 1)
    to_boss = [m for m in mailoutbox if m.to == [boss.user.email]]
    assert len(to_boss) == 1
    body = to_boss[0].body
    assert "张三" in body and late.employee_number in body
    assert "“考勤制度” V1.0" in body and days(-3).isoformat() in body
    assert "3 day(s) overdue" in body
    assert "李四" not in body and "赵六" not in body
    assert Assignment.objects.get(employee=late, version=version).escalated_at is not None
    # The staff themselves were reminded as usual.
    assert {m.to[0] for m in mailoutbox} >= {late.user.email, recent.user.email}

    # Next days: the employee keeps getting reminders, the manager hears about it once.
    later = timezone.now() + datetime.timedelta(days=1)
    mailoutbox.clear()
    run = acknowledgements_remind(now=later)
    assert run.escalated == 1  # 李四 is now 3 days overdue; 张三 is not escalated again
    (to_boss,) = [m for m in mailoutbox if m.to == [boss.user.email]]
    assert "李四" in to_boss.body and "张三" not in to_boss.body
    assert late.user.email in {m.to[0] for m in mailoutbox}


def test_no_escalation_to_a_departed_manager_or_one_without_address(mailoutbox, settings):
    settings.ZHIDU_ACK_ESCALATE_AFTER_DAYS = 1
    gone = staff()
    silent = staff(email=False)
    version = regulation("考勤制度")
    for manager in (gone, silent):
        report = staff(manager=manager)
        due(report, version, days(-4))
    Employee.objects.filter(pk=gone.pk).update(status=Employee.Status.DEPARTED)

    run = acknowledgements_remind()
    assert run.escalated == 0
    assert run.sent == 2  # the reports themselves
    assert not Assignment.objects.filter(escalated_at__isnull=False).exists()


def test_the_command_prints_what_it_sent(clerk, mailoutbox):
    version = regulation("考勤制度")
    due(clerk, version, days(0))
    out = io.StringIO()
    with translation.override("en"):
        call_command("acknowledgements_remind", stdout=out)
    assert len(mailoutbox) == 1
    assert out.getvalue().startswith("1 reminder(s) sent listing 1 document(s); 0 manager(s)")


# -- the daily distribution ----------------------------------------------------------------------


def test_a_scheduled_version_is_assigned_on_its_effective_date(clerk):
    starts = days(10)
    version = regulation("新考勤制度", effective=starts)
    assert not Assignment.objects.filter(version=version).exists()  # 待生效: nobody signs yet

    out = io.StringIO()
    with translation.override("en"):
        call_command("acknowledgements_distribute", date=days(9).isoformat(), stdout=out)
    assert not Assignment.objects.filter(version=version).exists()
    assert out.getvalue().startswith("0 ")

    out = io.StringIO()
    with translation.override("en"):
        call_command("acknowledgements_distribute", date=starts.isoformat(), stdout=out)
    assignment = Assignment.objects.get(version=version, employee=clerk)
    assert assignment.state == AssignmentState.OPEN
    assert assignment.due_on == starts + datetime.timedelta(days=7)
    made = Assignment.objects.filter(version=version).count()
    assert out.getvalue().startswith(f"{made} ")

    # Idempotent: the next day's run assigns nothing twice.
    call_command("acknowledgements_distribute", date=days(11).isoformat(), stdout=io.StringIO())
    assert Assignment.objects.filter(version=version).count() == made


def test_distribute_refuses_a_malformed_date():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("acknowledgements_distribute", date="2025-13-40")


# -- query counts ----------------------------------------------------------------------------------


def _pending_queries(user) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        rows = list(pending_assignments(user=user))
        for row in rows:
            assert row.version.title  # what the list shows
    return len(queries), len(rows)


def test_my_pending_uses_the_same_number_of_queries_for_3_and_30_documents():
    few, many = staff(), staff()
    versions = [regulation(f"制度{n}") for n in range(30)]
    Assignment.objects.filter(employee=few).exclude(version__in=versions[:3]).update(
        state=AssignmentState.SUPERSEDED
    )
    few_user = type(few.user).objects.select_related("employee").get(pk=few.user_id)
    many_user = type(many.user).objects.select_related("employee").get(pk=many.user_id)

    few_queries, few_rows = _pending_queries(few_user)
    many_queries, many_rows = _pending_queries(many_user)

    assert (few_rows, many_rows) == (3, 30)
    assert few_queries == many_queries


def test_a_run_stopped_half_way_and_run_again_reminds_nobody_twice(
    mailoutbox, monkeypatch, settings
):
    """Reminders and escalations are recorded in the transaction that sends them: the run
    that stopped after two e-mails left the rest, the next run sends exactly those."""

    from policies_content import acknowledgement_reminders
    from tests.interruptions import run_stopped

    settings.ZHIDU_ACK_ESCALATE_AFTER_DAYS = 3
    department = DepartmentFactory()
    boss = staff(name="周经理", department=department)
    team = [staff(name=f"组员{i}", department=department, manager=boss) for i in range(4)]
    version = regulation("考勤制度")
    due(boss, version, days(5))
    for member in team:
        due(member, version, days(-4))
    everyone = sorted([m.user.email for m in team] + [boss.user.email])  # 4 reminders, 1 escalation

    run_stopped(
        acknowledgements_remind, monkeypatch=monkeypatch, module=acknowledgement_reminders, after=2
    )
    assert len(mailoutbox) == 2
    assert Assignment.objects.filter(reminded_at__isnull=False).count() == 2

    run = acknowledgements_remind()
    assert (run.sent, run.escalated, run.failed) == (2, 1, 0)
    assert sorted(m.to[0] for m in mailoutbox) == everyone  # each exactly once
    assert acknowledgements_remind().sent == 0 and len(mailoutbox) == len(everyone)
