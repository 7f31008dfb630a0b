"""Demo document history: every demo document is issued through the real approval workflow,
so a new user sees versions, approvals, a consultation record, a scheduled version, a repealed
rule and a comparison at once — and, for acknowledgements, a minor revision covered by the
signatures on V1.0 and two recent major revisions everyone concerned must sign again."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from policies_content.issuing import document_repeal
from policies_content.models import RegulationPage
from policies_content.models.consultation import RECORD_OUTCOME, ConsultationTask

MINUTES = (
    "华茂电子商务有限公司第三届职工代表大会第二次会议纪要\n"
    "时间：2025年2月18日\n"
    "议题：审议《考勤与休假管理制度》（征求意见稿）\n"
    "结果：到会代表32人，赞成30人，弃权2人，同意提交公司批准。\n"
    "代表意见：建议明确调休申请时限，已采纳。\n"
)

PROMOTION_RULE = [
    ("chapter", {"title": "总则"}),
    (
        "article",
        {"text": "为规范网店促销活动的策划、审批与执行，控制促销成本，制定本办法。", "clauses": []},
    ),
    (
        "article",
        {
            "text": "促销活动须提前七个工作日提交方案，经电子商务经理批准后实施。",
            "clauses": [
                {"text": "活动目的、时间和商品范围；", "level": "2"},
                {"text": "折扣幅度与预计费用。", "level": "2"},
            ],
        },
    ),
    ("chapter", {"title": "附则"}),
    ("article", {"text": "本办法由电子商务部负责解释，自发布之日起施行。", "clauses": []}),
]


def users() -> dict:
    User = get_user_model()
    return {name: User.objects.get(username=name) for name in ("hr", "reviewer", "approver")}


def publish_through_workflow(
    page, people, *, effective, kind="major", summary="首次发布", consultation=None
):
    """Save the draft as HR, submit it, and let each step decide as its role would."""
    page = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
    page.effective_date, page.change_kind, page.change_summary = effective, kind, summary
    page.save_revision(user=people["hr"])
    page = type(page).objects.get(pk=page.pk)
    page.get_workflow().start(page, people["hr"])
    for _step in range(6):
        state = type(page).objects.get(pk=page.pk).current_workflow_task_state
        if state is None:
            return
        task = state.task.specific
        if isinstance(task, ConsultationTask):
            task.on_action(
                state,
                people["hr"],
                RECORD_OUTCOME,
                summary=consultation,
                consultation_method="congress",
                outcome_file=ContentFile(MINUTES.encode(), name="职工代表大会会议纪要.txt"),
            )
        else:
            decider = people["approver"] if "批准" in task.name else people["reviewer"]
            task.on_action(state, decider, "approve")


def revise(page, people, *, effective, kind, summary, consultation=None, **fields):
    """Edit the latest revision (``fields``: body, duties…) and publish it as a new version."""
    draft = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
    for name, value in fields.items():
        setattr(draft, name, value)
    draft.save_revision(user=people["hr"])
    publish_through_workflow(
        draft, people, effective=effective, kind=kind, summary=summary, consultation=consultation
    )


def build_history(categories, pages_by_title) -> None:
    """Revisions after the first issue: a minor one, a scheduled major one, a repeal, and two
    recent major ones (acknowledgements.py tells who has signed them again)."""
    people = users()
    attendance = pages_by_title["考勤与休假管理制度"]
    body = list(attendance.get_latest_revision_as_object().body.raw_data)
    _edit_first_article(body, "，结合公司实际，制定本制度。", "，结合公司实际情况，制定本制度。")
    revise(
        attendance,
        people,
        body=body,
        effective=datetime.date(2025, 9, 1),
        kind="minor",
        summary="文字修改：第一条措辞。",
        consultation="文字修改，职工代表大会主席团确认无异议。",
    )

    expenses = pages_by_title["费用报销管理办法"]
    body = list(expenses.get_latest_revision_as_object().body.raw_data)
    body.append(
        {
            "type": "article",
            "value": {
                "text": "差旅费用应在出差结束后十五个工作日内报销，逾期未报销的须说明原因。",
                "clauses": [],
            },
        }
    )
    revise(
        expenses,
        people,
        body=body,
        effective=timezone.localdate() + datetime.timedelta(days=30),
        kind="major",
        summary="新增差旅费用报销时限。",
    )

    # A revision on its way: reviewed, waiting for the approver (shows on 待审批).
    security = pages_by_title["信息安全与保密管理制度"]
    draft = type(security).objects.get(pk=security.pk).get_latest_revision_as_object()
    draft.change_kind, draft.change_summary = "minor", "补充移动设备使用要求。"
    draft.save_revision(user=people["hr"])
    security = type(security).objects.get(pk=security.pk)
    security.get_workflow().start(security, people["hr"])
    for _step in range(3):
        state = type(security).objects.get(pk=security.pk).current_workflow_task_state
        if state is None or "批准" in state.task.name:
            break
        state.task.specific.on_action(state, people["reviewer"], "approve")

    promotion = RegulationPage(
        title="网店促销活动管理暂行办法",
        slug="reg-005",
        document_number="HM-GL-2024-005",
        body=PROMOTION_RULE,
        distribution_all_staff=True,  # who had not signed when it was repealed: 废止
    )
    categories["管理制度"].add_child(instance=promotion)
    promotion.save_revision(user=people["hr"])
    publish_through_workflow(promotion, people, effective=datetime.date(2024, 1, 1))
    document_repeal(
        page=promotion,
        reason="内容已并入《电子商务部运营管理制度》。",
        on=datetime.date(2025, 4, 1),
        successor=pages_by_title["电子商务部运营管理制度"],
        user=people["hr"],
    )
    _recent_major_revisions(pages_by_title, people)


# Days before the load the two recent major versions took effect: the 运营管理制度 one is
# overdue for whoever has not signed it yet (due in 7 days), the 岗位说明书 one still due
# (3 days).
OPERATIONS_V2_DAYS_AGO = 10
JOB_V2_DAYS_AGO = 1

LIVESTREAM_DUTY = "负责所分管店铺直播带货的排期、选品准备和直播后的数据复盘。"


def _chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _recent_major_revisions(pages_by_title, people) -> None:
    today = timezone.localdate()
    operations = pages_by_title["电子商务部运营管理制度"]
    effective = today - datetime.timedelta(days=OPERATIONS_V2_DAYS_AGO)
    body = list(operations.get_latest_revision_as_object().body.raw_data)
    for block in body:
        if block["type"] == "article":
            for item in block["value"]["clauses"]:
                clause = item.get("value", item)  # list items are {"type", "value", "id"}
                clause["text"] = clause["text"].replace(
                    "常规调价幅度在百分之十以内的", "常规调价幅度在百分之五以内的"
                )
    _edit_first_article(
        body, "本制度自2025年4月1日起生效。", f"本制度自{_chinese_date(effective)}起生效。"
    )
    closing = next(
        i for i, b in enumerate(body) if b["type"] == "chapter" and b["value"]["title"] == "附则"
    )
    body.insert(
        closing,
        {
            "type": "article",
            "value": {
                "text": (
                    "开展直播带货的，推广组应提前三个工作日报送直播脚本和商品清单，"
                    "经电子商务经理审核后实施；直播中不得作虚假或者引人误解的宣传。"
                ),
                "clauses": [],
            },
        },
    )
    revise(
        operations,
        people,
        body=body,
        effective=effective,
        kind="major",
        summary="常规调价的审批权限调整为百分之五以内；新增直播带货管理要求。",
    )

    job = pages_by_title["运营专员岗位说明书"]
    draft = type(job).objects.get(pk=job.pk).get_latest_revision_as_object()
    duties = list(draft.duties.raw_data) + [{"type": "duty", "value": LIVESTREAM_DUTY}]
    indicators = list(draft.indicators.raw_data) + [
        {"type": "indicator", "value": "直播场次按计划完成率"}
    ]
    revise(
        job,
        people,
        duties=duties,
        indicators=indicators,
        effective=today - datetime.timedelta(days=JOB_V2_DAYS_AGO),
        kind="major",
        summary="新增直播带货职责及相应考核指标。",
    )


def _edit_first_article(body, old, new):
    for block in body:
        if block["type"] == "article" and old in block["value"]["text"]:
            block["value"]["text"] = block["value"]["text"].replace(old, new)
            return
    raise ValueError(f"demo text not found: {old}")
