"""Demo archives (档案) of 华茂电子商务有限公司: the superseded versions of the demo documents,
personnel files, and older items from past years telling the whole story — one due for
disposal, one kept longer after appraisal, one destroyed under an executed destruction list,
one under a legal hold, one on loan and one loan overdue.

Everything goes through the real services (filing, loans, appraisal, holds), so the 档号, the
revisions with their reasons and the audit trail are what a real user would have produced.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from policies_content.filing import superseded_versions_file
from records.archive_services import (
    appraisal_approve,
    appraisal_record,
    archive_item_revise,
    destruction_list_approve,
    destruction_list_create,
    destruction_list_execute,
    loan_decide,
    loan_lend,
    loan_request,
)
from records.filing import archive_file
from records.legal_holds import legal_hold_place
from records.models import Department, Employee
from records.personnel_filing import personnel_file

# (department code, title, 门类, 保管期限, filed on, custody location, what happens to it)
OLDER_ITEMS = [
    (
        "CW",
        "2012年度会计凭证（第1—120号）",
        "KU",
        "D10",
        "2013-01-15",
        "财务部档案柜 C-02",
        "destroy",
    ),
    ("CP", "2013年度供应商评估记录", "WS", "D10", "2014-01-20", "综合部档案室 A-07", "keep"),
    ("ZH", "2014年度办公用品采购记录", "WS", "D10", "2015-01-20", "综合部档案室 A-03", "due"),
    ("GM", "2015年度总经理办公会会议纪要", "WS", "D30", "2016-01-10", "综合部档案室 A-01", "hold"),
    ("DS", "2021年度电商平台入驻资料", "WS", "D10", "2022-03-01", "综合部档案室 B-02", "loan"),
    ("JS", "2020年度网站系统运维记录", "WS", "D10", "2021-02-01", "技术部档案柜 T-01", "overdue"),
]
PERSONNEL = ["HM0012", "HM0015", "HM0021"]


def archives_build() -> None:
    User = get_user_model()
    hr, admin = User.objects.get(username="hr"), User.objects.get(username="admin")
    today = timezone.localdate()
    superseded_versions_file(user=hr)
    for number in PERSONNEL:
        employee = Employee.objects.filter(employee_number=number).first()
        if employee is not None:
            item = personnel_file(employee=employee, user=hr)
            archive_item_revise(
                item=item, user=hr, reason="入库上架", custody_location="人事档案柜 R-01（加锁）"
            )
    departments = {d.code: d for d in Department.objects.all()}
    for code, title, category, retention, filed_on, location, story in OLDER_ITEMS:
        department = departments[code]
        item = archive_file(
            source=department,
            title=title,
            category_code=category,
            retention=retention,
            department=department,
            classification=1,
            snapshot={"title": title, "department": department.name, "pages": 120},
            filed_by=hr,
            filed_on=datetime.date.fromisoformat(filed_on),
            custody_location=location,
        )
        _story(item, story, hr=hr, admin=admin, today=today)


def _story(item, story: str, *, hr, admin, today) -> None:
    if story == "destroy":
        appraisal = appraisal_record(
            item=item, decision="destroy", reason="保管期满，经鉴定无继续保存价值", user=hr
        )
        appraisal_approve(appraisal=appraisal, user=admin)
        record = destruction_list_create(items=[item], user=hr)
        destruction_list_approve(record=record, user=admin)
        destruction_list_execute(record=record, user=hr, on=today)
    elif story == "keep":
        appraisal = appraisal_record(
            item=item,
            decision="keep",
            keep_until=datetime.date(today.year + 5, 12, 31),
            reason="涉及在履行的长期供货合同，延长保管",
            user=hr,
        )
        appraisal_approve(appraisal=appraisal, user=admin)
    elif story == "hold":
        legal_hold_place(obj=item, reason="劳动争议仲裁案件证据保全（2026）", user=admin)
    elif story in ("loan", "overdue"):
        borrower = Employee.objects.get(employee_number="HM0030" if story == "loan" else "HM0033")
        requested = today - datetime.timedelta(days=6 if story == "loan" else 45)
        due = (
            today + datetime.timedelta(days=24)
            if story == "loan"
            else today - datetime.timedelta(days=15)
        )
        loan = loan_request(
            item=item,
            borrower=borrower,
            purpose="年度审计查阅" if story == "loan" else "系统迁移核对",
            requested_on=requested,
            due_back_on=due,
            user=hr,
        )
        loan_decide(loan=loan, approve=True, user=hr)
        loan_lend(loan=loan, user=hr, on=requested + datetime.timedelta(days=1))
