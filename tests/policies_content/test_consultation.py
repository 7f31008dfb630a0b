"""征求意见 (民主程序): the consultation step before approval, its comments and its record."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import GroupApprovalTask, TaskState, Workflow, WorkflowState, WorkflowTask

from policies_content.consultations import (
    consultation_comment_add,
    consultation_record,
    open_consultations_for_user,
)
from policies_content.library import category_page
from policies_content.models import (
    Consultation,
    ConsultationComment,
    ConsultationTask,
    RegulationPage,
)
from records.roles import POLICY_EDITOR
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

ARTICLE = "员工每月可享受带薪休假一天。"
PDF = b"%PDF-1.4\n% minutes of the workers' congress\n"


def build_workflow(*, days=10, then_approval=False):
    """A workflow of our own: consultation first, optionally an approval step after it."""
    workflow = Workflow.objects.create(name="测试：征求意见")
    task = ConsultationTask.objects.create(name="征求意见", days=days)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    approval = None
    if then_approval:
        approval = GroupApprovalTask.objects.create(name="批准")
        approval.groups.add(Group.objects.get(name="批准人"))
        WorkflowTask.objects.create(workflow=workflow, task=approval, sort_order=1)
    return workflow, task, approval


def draft(*, affects=True, classification=1, title="休假管理制度"):
    page = RegulationPage(
        title=title,
        live=False,
        classification=classification,
        affects_vital_interests=affects,
        body=[
            ("chapter", {"title": "总则"}),
            ("article", {"text": ARTICLE, "clauses": []}),
        ],
    )
    category_page("人事").add_child(instance=page)
    page.save_revision()
    return page


@pytest.fixture
def hr():
    return EmployeeFactory(name="人事专员", user=UserFactory(roles=[POLICY_EDITOR]), clearance=3)


@pytest.fixture
def consultation(hr):
    workflow, task, _approval = build_workflow()
    page = draft()
    workflow.start(page, hr.user)
    return Consultation.objects.get(page=page)


def test_document_not_affecting_vital_interests_passes_the_step_at_once(hr):
    workflow, task, approval = build_workflow(then_approval=True)
    page = draft(affects=False)

    state = workflow.start(page, hr.user)

    step = TaskState.objects.get(workflow_state=state, task=task)
    assert step.status == TaskState.STATUS_APPROVED
    assert "不涉及职工切身利益" in step.comment
    assert not Consultation.objects.filter(page=page).exists()
    state.refresh_from_db()
    assert state.current_task_state.task_id == approval.pk
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    # The approval step started once, not twice.
    assert TaskState.objects.filter(workflow_state=state, task=approval).count() == 1


def test_document_affecting_vital_interests_opens_a_window_of_the_tasks_length(hr):
    workflow, task, approval = build_workflow(days=10, then_approval=True)
    page = draft()

    state = workflow.start(page, hr.user)

    consultation = Consultation.objects.get(page=page)
    assert consultation.closes_at - consultation.opens_at == datetime.timedelta(days=10)
    assert consultation.revision_id == page.get_latest_revision().pk
    assert consultation.task_state.status == TaskState.STATUS_IN_PROGRESS
    assert consultation.is_open
    state.refresh_from_db()
    assert state.current_task_state.task_id == task.pk  # approval waits for the outcome


def test_employee_who_may_read_the_document_sees_the_draft_and_comments(client, consultation):
    other = EmployeeFactory(name="别人的名字")
    consultation_comment_add(consultation=consultation, user=other.user, text="建议改为两天。")
    reader = EmployeeFactory(clearance=1)
    client.force_login(reader.user)

    home = client.get(reverse("staff_home")).content.decode()
    assert reverse("consultation_list") in home
    listing = client.get(reverse("consultation_list")).content.decode()
    assert "休假管理制度" in listing
    url = reverse("consultation_detail", args=[consultation.pk])
    assert url in listing

    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert ARTICLE in text and "第一条" in text
    assert "已收到 1 条意见" in text
    assert "别人的名字" not in text and "建议改为两天" not in text

    response = client.post(url, {"text": "希望明确病假是否计入。"})
    assert response.status_code == 302
    comment = ConsultationComment.objects.get(employee=reader)
    assert comment.text == "希望明确病假是否计入。"
    after = client.get(url).content.decode()
    assert "已收到 2 条意见" in after and "希望明确病假是否计入。" in after


def test_employee_below_the_documents_classification_gets_404_and_cannot_comment(client, hr):
    workflow, _task, _approval = build_workflow()
    page = draft(classification=2)  # 秘密
    workflow.start(page, hr.user)
    consultation = Consultation.objects.get(page=page)
    reader = EmployeeFactory(clearance=1)
    client.force_login(reader.user)
    url = reverse("consultation_detail", args=[consultation.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "看不到的文件"}).status_code == 404
    assert (
        client.get(reverse("consultation_detail", args=[consultation.pk + 999])).status_code == 404
    )
    assert "休假管理制度" not in client.get(reverse("consultation_list")).content.decode()
    assert open_consultations_for_user(user=reader.user) == []
    with pytest.raises(ValidationError):
        consultation_comment_add(consultation=consultation, user=reader.user, text="看不到")
    assert not ConsultationComment.objects.exists()


def test_comments_after_the_window_closes_are_refused_with_a_clear_message(client, consultation):
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    consultation.refresh_from_db()
    reader = EmployeeFactory(clearance=1)

    with pytest.raises(ValidationError) as refused:
        consultation_comment_add(consultation=consultation, user=reader.user, text="迟到的意见")
    assert "结束" in refused.value.messages[0]

    client.force_login(reader.user)
    url = reverse("consultation_detail", args=[consultation.pk])
    response = client.post(url, {"text": "迟到的意见"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "不再接受意见" in text
    assert 'name="text"' not in text  # read-only now
    assert ARTICLE in text
    assert not ConsultationComment.objects.exists()
    assert open_consultations_for_user(user=reader.user) == []


def test_comment_must_have_between_1_and_2000_characters(consultation):
    reader = EmployeeFactory(clearance=1)
    for text in ["", "   ", "字" * 2001]:
        with pytest.raises(ValidationError):
            consultation_comment_add(consultation=consultation, user=reader.user, text=text)
    consultation_comment_add(consultation=consultation, user=reader.user, text="字" * 2000)
    assert ConsultationComment.objects.count() == 1


def test_hr_records_the_outcome_with_the_minutes_and_the_record_is_frozen_ready(consultation, hr):
    reader = EmployeeFactory(clearance=1)
    consultation_comment_add(consultation=consultation, user=reader.user, text="同意。")
    task_state = consultation.task_state
    task = task_state.task.specific

    task.on_action(
        task_state,
        hr.user,
        "record_outcome",
        summary="职工代表大会讨论通过，采纳休假天数的意见。",
        consultation_method="congress",
        outcome_file=SimpleUploadedFile("职代会纪要.pdf", PDF, content_type="application/pdf"),
    )

    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.workflow_state.status == WorkflowState.STATUS_APPROVED
    record = consultation_record(consultation.page)
    document = get_document_model().objects.get()
    assert record["summary"] == "职工代表大会讨论通过，采纳休假天数的意见。"
    assert record["method"] == "congress"
    assert record["comment_count"] == 1
    assert record["outcome_document_id"] == document.pk
    assert record["outcome_document_title"] == "职代会纪要.pdf"
    assert record["completed_by"] == "人事专员"
    assert record["opens_on"] == timezone.localdate().isoformat()
    assert record["closes_on"] == (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    assert document.file.read() == PDF
    with pytest.raises(ValidationError):  # the comment window is over
        consultation_comment_add(consultation=consultation, user=reader.user, text="还有一点")


def test_hr_records_the_outcome_through_the_admin_workflow_action(client, consultation, hr):
    document = get_document_model().objects.create(
        title="工会意见书", file=ContentFile(PDF, name="union.pdf"), uploaded_by_user=hr.user
    )
    task_state = consultation.task_state
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[consultation.page_id, "record_outcome", task_state.pk],
    )
    client.force_login(hr.user)

    modal = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
    assert modal.status_code == 200
    assert "已收到 0 条意见" in modal.json()["html"]
    incomplete = client.post(url, {"summary": "", "consultation_method": "union"})
    assert incomplete.status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS

    client.post(
        url,
        {"summary": "工会同意。", "consultation_method": "union", "outcome_document": document.pk},
    )

    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    record = consultation_record(consultation.page)
    assert record["method"] == "union" and record["outcome_document_title"] == "工会意见书"


def test_only_the_outcome_groups_may_act_on_the_step(client, consultation):
    staff = EmployeeFactory(clearance=4)
    task_state = consultation.task_state
    task = task_state.task.specific
    assert task.get_actions(consultation.page, staff.user) == []
    with pytest.raises(PermissionDenied):
        task.on_action(
            task_state, staff.user, "record_outcome", summary="x", consultation_method="other"
        )
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_the_step_cannot_be_approved_without_an_outcome(consultation, hr):
    task_state = consultation.task_state
    with pytest.raises(PermissionDenied):
        task_state.task.specific.on_action(task_state, hr.user, "approve")
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_request_changes_needs_a_comment_and_closes_the_window(consultation, hr):
    task_state = consultation.task_state
    task = task_state.task.specific
    with pytest.raises(ValidationError):
        task.on_action(task_state, hr.user, "reject", comment="  ")

    task.on_action(task_state, hr.user, "reject", comment="请先与工会沟通休假天数。")

    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert consultation_record(consultation.page) is None
    with pytest.raises(ValidationError):
        consultation_comment_add(
            consultation=consultation, user=EmployeeFactory().user, text="还能提意见吗"
        )


def test_comments_cannot_be_edited_or_deleted(consultation):
    comment = consultation_comment_add(
        consultation=consultation, user=EmployeeFactory().user, text="原始意见"
    )
    comment.text = "改过的意见"
    with pytest.raises(PermissionDenied):
        comment.save()
    with pytest.raises(PermissionDenied):
        comment.delete()
    with pytest.raises(PermissionDenied):
        ConsultationComment.objects.filter(pk=comment.pk).update(text="改过的意见")
    with pytest.raises(PermissionDenied):
        ConsultationComment.objects.filter(pk=comment.pk).delete()
    assert ConsultationComment.objects.get(pk=comment.pk).text == "原始意见"


def test_default_regulation_workflow_starts_with_the_consultation_step():
    migration = importlib.import_module("policies_content.migrations.0007_consultation_step")
    workflow = Workflow.objects.filter(name=migration.REGULATION_WORKFLOW).first()
    if workflow is None:
        pytest.skip("the default regulation workflow (migration 0005) is not present")
    migration.add_step(django_apps, None)  # idempotent: running again changes nothing

    first = workflow.tasks.first().specific
    assert isinstance(first, ConsultationTask)
    assert first.name == "征求意见（民主程序）"
    assert list(first.groups.values_list("name", flat=True)) == [POLICY_EDITOR]
    assert workflow.workflow_tasks.filter(task=first).count() == 1
    assert len(workflow.tasks) == len({task.pk for task in workflow.tasks})
