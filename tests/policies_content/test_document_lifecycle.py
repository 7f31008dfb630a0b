"""A regulation's whole life through the real approval workflow:
draft → review → reject → fix → approve → scheduled → in force → minor → major → repeal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from policies_content.issuing import document_repeal
from policies_content.library import category_page
from policies_content.models import IssuedVersion, RegulationPage
from records.roles import APPROVER, POLICY_EDITOR, REVIEWER
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def person(name, role):
    employee = EmployeeFactory(
        name=name, user=UserFactory(username=name, roles=[role], email=f"{name}@example.com")
    )
    return employee.user


@pytest.fixture
def people():
    return {
        "hr": person("赵雅琴", POLICY_EDITOR),
        "reviewer": person("陈立群", REVIEWER),
        "approver": person("王建华", APPROVER),
    }


def edit(page, user, *, text, effective, kind="major", summary="修订"):
    page = RegulationPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    page.body = [("article", {"text": text, "clauses": []})]
    page.effective_date, page.change_kind, page.change_summary = effective, kind, summary
    page.save_revision(user=user)
    return page


def submit(page, user):
    """What the editor's Submit / Resubmit does."""
    page = RegulationPage.objects.get(pk=page.pk)
    waiting = page.current_workflow_state  # sent back for changes: resume it
    if waiting is not None:
        return waiting.resume(user)
    return page.get_workflow().start(page, user)


def decide(page, user, action, comment=""):
    state = RegulationPage.objects.get(pk=page.pk).current_workflow_task_state
    state.task.specific.on_action(state, user, action, comment=comment)


def through_workflow(page, people):
    submit(page, people["hr"])
    decide(page, people["reviewer"], "approve")
    decide(page, people["approver"], "approve")


def versions(page):
    return list(IssuedVersion.objects.filter(page_id=page.pk).order_by("major", "minor"))


def test_the_whole_life_of_a_regulation(people):
    hr, reviewer = people["hr"], people["reviewer"]
    page = RegulationPage(
        title="加班管理制度",
        live=False,
        body=[("article", {"text": "加班须申请。", "clauses": []})],
    )
    category_page("人事").add_child(instance=page)
    start = TODAY + datetime.timedelta(days=10)
    edit(page, hr, text="加班须申请。", effective=start, summary="首次制定")

    # HR cannot publish past the approval chain; the author cannot approve their own draft.
    assert not page.permissions_for_user(hr).can_publish()
    submit(page, hr)
    with pytest.raises(PermissionDenied):
        decide(page, hr, "approve")

    # 审核 rejects with a reason; nothing is issued.
    with pytest.raises((ValidationError, PermissionDenied)):
        decide(page, reviewer, "reject")  # a rejection needs a comment
    decide(page, reviewer, "reject", comment="请写明审批人。")
    assert not RegulationPage.objects.get(pk=page.pk).live and versions(page) == []

    # HR fixes the draft and submits again; 审核 and 批准 approve; V1.0 is issued, scheduled.
    edit(page, hr, text="加班须事先经部门负责人批准。", effective=start, summary="首次制定")
    through_workflow(page, people)
    (v1,) = versions(page)
    assert v1.version == "V1.0" and v1.state() == "scheduled"
    assert [(s["step"], s["name"]) for s in v1.approvals if s["name"]][-3:] == [
        ("编制", "赵雅琴"),
        ("审核", "陈立群"),
        ("批准", "王建华"),
    ]
    assert "加班须事先经部门负责人批准。" in v1.canonical_text
    assert v1.state(start) == "in_force"

    # A minor (editorial) revision, then a major one, each through the same chain.
    edit(
        page,
        hr,
        text="加班须事先经部门负责人批准；",
        effective=start + datetime.timedelta(30),
        kind="minor",
        summary="标点修改",
    )
    through_workflow(page, people)
    edit(
        page,
        hr,
        text="加班须事先书面申请，经部门负责人批准。",
        effective=start + datetime.timedelta(60),
        summary="改为书面申请",
    )
    through_workflow(page, people)
    v1, v11, v2 = versions(page)
    assert [v.version for v in (v1, v11, v2)] == ["V1.0", "V1.1", "V2.0"]
    assert len({v1.sha256, v11.sha256, v2.sha256}) == 3

    # Which version was in force on dates between.
    def in_force(day):
        found = IssuedVersion.objects.filter(page_id=page.pk).in_force_on(day)
        return [v.version for v in found]

    assert in_force(start - datetime.timedelta(1)) == []
    assert in_force(start) == ["V1.0"]
    assert in_force(start + datetime.timedelta(45)) == ["V1.1"]
    assert in_force(start + datetime.timedelta(61)) == ["V2.0"]

    # Repeal: V2.0 stops; nothing is in force afterwards; history stays, unchanged.
    document_repeal(page=page, reason="并入考勤制度", on=start + datetime.timedelta(90), user=hr)
    assert in_force(start + datetime.timedelta(91)) == []
    assert in_force(start + datetime.timedelta(61)) == ["V2.0"]
    with pytest.raises(ValidationError):
        v1.delete()
    assert [v.sha256 for v in versions(page)] == [v1.sha256, v11.sha256, v2.sha256]
