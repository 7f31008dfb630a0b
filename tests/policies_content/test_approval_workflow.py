"""The approval workflow: the matrix routes, separation of duties, reasons, 会签 and deadlines."""

import datetime
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState, Workflow, WorkflowState, WorkflowTask

from policies_content.approval_routes import DEFAULT_WORKFLOW, WORK_INSTRUCTION_WORKFLOW
from policies_content.approvals import approvals_remind, overdue_task_states
from policies_content.library import category_page
from policies_content.models import (
    ApprovalRoute,
    CountersignApproval,
    CountersignTask,
    RegulationPage,
    ReviewTask,
)
from records.models import Department
from records.roles import APPROVER, POLICY_EDITOR, REVIEWER, STAFF
from tests.factories import DepartmentFactory, EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db


def staffed(user):
    """The login as an employee cleared for 内部 documents (drafts are 内部 by default)."""
    EmployeeFactory(user=user, employee_number=user.username, clearance=1)
    return user


@pytest.fixture
def author():
    """An HR editor who also holds the reviewer role: only separation of duties stops them."""
    return staffed(
        UserFactory(username="author", email="author@example.com", roles=[POLICY_EDITOR, REVIEWER])
    )


@pytest.fixture
def reviewer():
    return staffed(UserFactory(username="reviewer", email="reviewer@example.com", roles=[REVIEWER]))


@pytest.fixture
def approver():
    return staffed(UserFactory(username="approver", email="approver@example.com", roles=[APPROVER]))


def draft(author, *, grade="2", category="人事", title="考勤管理制度") -> RegulationPage:
    page = RegulationPage(
        title=title,
        grade=grade,
        live=False,
        owner=author,
        change_summary="首次制定。",
        body=[("article", {"text": "员工应按时上班。", "clauses": []})],
    )
    category_page(category).add_child(instance=page)
    page.save_revision(user=author)
    return page


def submit(page, author) -> WorkflowState:
    """What the editor's "Submit" does: start the page's workflow."""
    page = RegulationPage.objects.get(pk=page.pk)
    return page.get_workflow().start(page, author)


def current(page) -> TaskState:
    return RegulationPage.objects.get(pk=page.pk).current_workflow_task_state


def action_url(page, action, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])


# -- the approval matrix ----------------------------------------------------------------------


def test_grades_follow_the_matrix(author):
    regulation = draft(author, grade="2")
    instruction = draft(author, grade="3", title="仓库盘点工作指引")
    assert regulation.get_workflow().name == DEFAULT_WORKFLOW
    assert instruction.get_workflow().name == WORK_INSTRUCTION_WORKFLOW
    assert [t.name for t in instruction.get_workflow().tasks] == ["审核", "批准"]


def test_a_category_route_overrides_the_grade_default(author):
    finance_chain = Workflow.objects.create(name="财务制度审批")
    ApprovalRoute.objects.create(grade="2", category=category_page("财务"), workflow=finance_chain)
    assert draft(author, category="财务", title="报销管理制度").get_workflow() == finance_chain
    assert draft(author, category="人事").get_workflow().name == DEFAULT_WORKFLOW


def test_the_library_carries_the_default_workflow(author):
    # Documents the matrix does not cover still have a workflow (so "Submit" is offered).
    ApprovalRoute.objects.all().delete()
    page = draft(author)
    assert page.has_workflow
    assert page.get_workflow().name == DEFAULT_WORKFLOW


# -- separation of duties and reasons -----------------------------------------------------------


def test_the_author_can_never_approve_their_own_draft(author, reviewer, client):
    page = draft(author)
    submit(page, author)
    state = current(page)
    task = state.task.specific
    assert isinstance(task, ReviewTask) and task.name == "审核"

    assert task.get_actions(page, author) == []
    assert [name for name, *_ in task.get_actions(page, reviewer)] == [
        "reject",
        "approve",
        "approve",
    ]
    assert state not in TaskState.objects.reviewable_by(author)
    assert state in TaskState.objects.reviewable_by(reviewer)
    with pytest.raises(PermissionDenied):
        task.on_action(state, author, "approve")

    # The admin's action URL refuses: the dialog (XHR) gets 403, a plain POST goes home.
    client.force_login(author)
    response = client.post(
        action_url(page, "approve", state),
        {"comment": ""},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 403
    response = client.post(action_url(page, "reject", state), {"comment": "我自己退回"})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS


def test_a_reviewer_who_edits_the_draft_leaves_the_decision_to_another(author, reviewer):
    second_reviewer = staffed(UserFactory(username="reviewer2", roles=[REVIEWER]))
    page = draft(author)
    submit(page, author)
    task = current(page).task.specific
    assert task.get_actions(page, reviewer)

    edited = RegulationPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    edited.title = "考勤管理制度（修改）"
    edited.save_revision(user=reviewer)

    assert task.get_actions(page, reviewer) == []
    with pytest.raises(PermissionDenied):
        task.on_action(current(page), reviewer, "approve")
    task.on_action(current(page), second_reviewer, "approve")
    assert current(page).task.name == "批准"


def test_review_then_approval_publishes_the_revision(author, reviewer, approver, client):
    page = draft(author)
    submit(page, author)

    client.force_login(reviewer)
    response = client.post(action_url(page, "approve", current(page)), {"comment": ""})
    assert response.status_code == 302
    state = current(page)
    assert state.task.name == "批准"
    assert state.task.specific.get_actions(page, reviewer) == []  # not an approver

    client.force_login(approver)
    response = client.post(action_url(page, "approve", state), {"comment": "同意发布"})
    assert response.status_code == 302

    page = RegulationPage.objects.get(pk=page.pk)
    assert page.live
    assert page.live_revision_id == page.latest_revision_id
    workflow_state = WorkflowState.objects.get()
    assert workflow_state.status == WorkflowState.STATUS_APPROVED
    decided = workflow_state.task_states.filter(status=TaskState.STATUS_APPROVED)
    assert {(s.task.name, s.finished_by) for s in decided} >= {
        ("审核", reviewer),
        ("批准", approver),
    }


def test_rejecting_needs_a_reason_and_the_author_is_told(author, reviewer, client):
    page = draft(author)
    submit(page, author)
    state = current(page)
    client.force_login(reviewer)

    # Without a reason: the form refuses (the dialog shows the error) and nothing changes.
    response = client.post(
        action_url(page, "reject", state),
        {"comment": "  "},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert json.loads(response.content)["step"] == "action"
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS
    with pytest.raises(PermissionDenied):  # nor can a hand-made request skip the form
        state.task.specific.on_action(state, reviewer, "reject", comment="")

    mail.outbox.clear()
    response = client.post(
        action_url(page, "reject", state), {"comment": "第三条请写明迟到的处理。"}
    )
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_REJECTED
    assert state.comment == "第三条请写明迟到的处理。"
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_NEEDS_CHANGES
    assert [m.to for m in mail.outbox] == [["author@example.com"]]
    assert not RegulationPage.objects.get(pk=page.pk).live


# -- 会签 -----------------------------------------------------------------------------------------


def test_countersign_completes_only_when_every_department_agrees(author, client):
    sales, finance, legal = DepartmentFactory.create_batch(3)
    sales_team = DepartmentFactory(parent=sales, kind=Department.Kind.GROUP)
    countersign = CountersignTask.objects.create(name="会签")
    countersign.departments.set([sales, finance])
    workflow = Workflow.objects.create(name="会签审批")
    WorkflowTask.objects.create(workflow=workflow, task=countersign, sort_order=0)
    ApprovalRoute.objects.create(grade="1", category=category_page("人事"), workflow=workflow)

    sales_reviewer = EmployeeFactory(department=sales_team, user__roles=[REVIEWER]).user
    finance_approver = EmployeeFactory(department=finance, user__roles=[APPROVER]).user
    legal_reviewer = EmployeeFactory(department=legal, user__roles=[REVIEWER]).user
    sales_clerk = EmployeeFactory(department=sales, user__roles=[STAFF]).user

    page = draft(author, grade="1")
    submit(page, author)
    state = current(page)
    assert state.task.specific == countersign
    for outsider in (legal_reviewer, sales_clerk, author):
        assert countersign.get_actions(page, outsider) == []
        with pytest.raises(PermissionDenied):
            countersign.on_action(state, outsider, "approve")

    countersign.on_action(state, sales_reviewer, "approve")
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_IN_PROGRESS
    assert countersign.get_actions(page, sales_reviewer) == []  # sales has agreed
    assert [d for d in state.specific.pending()] == [finance]

    # The dialog shows who agreed and who is still to.
    client.force_login(finance_approver)
    response = client.get(action_url(page, "approve", state))
    html = json.loads(response.content)["html"]
    assert sales.name in html and finance.name in html
    assert sales_reviewer.employee.name in html

    response = client.post(action_url(page, "approve", state), {"comment": ""})
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_APPROVED
    assert set(CountersignApproval.objects.values_list("department", "user")) == {
        (sales.pk, sales_reviewer.pk),
        (finance.pk, finance_approver.pk),
    }
    assert RegulationPage.objects.get(pk=page.pk).live


def test_a_countersigning_department_can_send_it_back_with_a_reason(author):
    sales, finance = DepartmentFactory.create_batch(2)
    countersign = CountersignTask.objects.create(name="会签")
    countersign.departments.set([sales, finance])
    workflow = Workflow.objects.create(name="会签审批")
    WorkflowTask.objects.create(workflow=workflow, task=countersign, sort_order=0)
    finance_reviewer = EmployeeFactory(department=finance, user__roles=[REVIEWER]).user

    page = draft(author)
    state = workflow.start(RegulationPage.objects.get(pk=page.pk), author).current_task_state
    with pytest.raises(PermissionDenied):
        countersign.on_action(state, finance_reviewer, "reject", comment="")
    countersign.on_action(state, finance_reviewer, "reject", comment="预算条款需财务确认。")
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_REJECTED
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_NEEDS_CHANGES


# -- deadlines and reminders ----------------------------------------------------------------------


def test_overdue_steps_are_listed_and_reminded_once_a_day(author, reviewer, client):
    other_reviewer = staffed(
        UserFactory(username="reviewer2", email="r2@example.com", roles=[REVIEWER])
    )
    UserFactory(username="no-mail", roles=[REVIEWER])  # cannot be e-mailed; skipped
    late = draft(author, title="考勤管理制度")
    recent = draft(author, title="请假管理制度")
    submit(late, author)
    submit(recent, author)
    now = timezone.now()
    TaskState.objects.filter(pk=current(late).pk).update(started_at=now - datetime.timedelta(8))
    TaskState.objects.filter(pk=current(recent).pk).update(started_at=now - datetime.timedelta(5))

    overdue = overdue_task_states()
    assert [item.page.pk for item in overdue] == [late.pk]
    assert overdue[0].days_overdue == 1
    assert overdue[0].task.name == "审核"
    assert author not in overdue[0].actors  # the author is not asked to approve
    assert {reviewer, other_reviewer} <= set(overdue[0].actors)

    mail.outbox.clear()
    assert approvals_remind() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["r2@example.com", "reviewer@example.com"]
    assert "考勤管理制度" in mail.outbox[0].subject
    assert approvals_remind() == 0  # the same day: no second reminder
    call_command("approvals_remind")
    assert len(mail.outbox) == 2
    assert approvals_remind(now=timezone.now() + datetime.timedelta(days=1)) == 2  # next day

    # HR see it on their screen; reviewers (admin users without the permission) may not.
    client.force_login(EmployeeFactory(clearance=4, user__roles=[POLICY_EDITOR]).user)
    html = client.get(reverse("document_approvals")).content.decode()
    assert "考勤管理制度" in html and "请假管理制度" in html
    assert html.index("考勤管理制度") < html.index("请假管理制度")  # overdue listed first
    client.force_login(reviewer)
    response = client.get(reverse("document_approvals"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_approval_reminders_stopped_half_way_go_once_to_each_and_a_bad_address_stops_nobody(
    author, reviewer, monkeypatch
):
    from django.core.mail import send_mail

    from policies_content import approvals
    from tests.interruptions import run_stopped

    others = [
        staffed(UserFactory(username=f"reviewer-{n}", email=f"r{n}@example.com", roles=[REVIEWER]))
        for n in range(3)
    ]
    late = draft(author, title="考勤管理制度")
    submit(late, author)
    TaskState.objects.filter(pk=current(late).pk).update(
        started_at=timezone.now() - datetime.timedelta(days=8)
    )
    deciders = sorted(u.email for u in [reviewer, *others])
    mail.outbox.clear()

    run_stopped(approvals_remind, monkeypatch=monkeypatch, module=approvals, after=2)
    assert len(mail.outbox) == 2
    remaining = sorted(set(deciders) - {m.to[0] for m in mail.outbox})
    refused = remaining[0]

    def refusing(subject, body, sender, recipients, **kwargs):
        if recipients == [refused]:
            raise OSError("550 mailbox unavailable")
        return send_mail(subject, body, sender, recipients, **kwargs)

    monkeypatch.setattr(approvals, "send_mail", refusing)
    assert approvals_remind() == len(remaining) - 1  # the refused address stopped nobody
    monkeypatch.setattr(approvals, "send_mail", send_mail)
    assert approvals_remind() == 1  # and is tried again
    assert approvals_remind() == 0
    assert sorted(m.to[0] for m in mail.outbox) == deciders  # each exactly once
