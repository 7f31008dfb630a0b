"""HR's dashboard (the admin home) about documents: approvals waiting, unsigned acknowledgements
by department, reviews due and the latest imports — counted, linked to the screen that acts on
each, in Chinese — and the actions on a document's edit page."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, TaskState

from policies_content.acknowledging import acknowledgement_sign, assignment_open
from policies_content.dashboard import DOCUMENT_PANELS
from policies_content.library import policy_library
from policies_content.models import Assignment, DocumentImportRun
from records.roles import ADMINISTRATOR, POLICY_EDITOR, REVIEWER
from tests.admin_dashboard import dashboard, panel, panel_query_counts, text
from tests.factories import CompanyFactory, DepartmentFactory, EmployeeFactory
from tests.policies_content.test_acknowledgement_tracking import assignment, make_document
from tests.policies_content.test_approval_workflow import current, draft, submit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SECRET_TITLE, SECRET_NUMBER = "高管薪酬制度", "HM-RS-099"


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def waiting_since(page, days: int) -> None:
    """The page's current approval step started ``days`` days ago."""
    TaskState.objects.filter(pk=current(page).pk).update(
        started_at=timezone.now() - datetime.timedelta(days=days, hours=1)
    )


def revise_and_submit(page, user):
    page.change_summary = "修订"
    page.save_revision(user=user)
    page.get_workflow().start(page, user)


def overdue(page, employee) -> None:
    Assignment.objects.filter(pk=assignment(page, employee).pk).update(due_on=days_ago(1))


@pytest.fixture
def hr():
    company = CompanyFactory()
    office = DepartmentFactory(name="人力资源部", code="RL", parent=company)
    return EmployeeFactory(
        name="人事专员", department=office, clearance=2, user__roles=[POLICY_EDITOR]
    ).user


@pytest.fixture
def scenario(hr):
    """What HR come in to on a Monday:

    - 考勤管理制度 (内部, all staff): 张三 (销售部) overdue, 李四 (销售部) and HR themselves
      unsigned, 王五 (财务部) signed;
    - 请假管理制度 (内部, no readers): in force for 400 days on a 12-month review cycle (review
      overdue) and revised, its approval waiting 9 days (overdue: the limit is 7);
    - 报销管理制度: a first draft waiting 2 days for approval;
    - 高管薪酬制度 (机密, above HR's clearance 秘密): 王五 is cleared and has not signed (overdue),
      its review is overdue and a revision waits 10 days for approval — HR must learn nothing;
    - one import run: 2 documents created, 1 updated, 1 file with errors.
    """
    company = CompanyFactory()
    sales = DepartmentFactory(name="销售部", code="XS", parent=company)
    finance = DepartmentFactory(name="财务部", code="CW", parent=company)
    people = {
        "zhang": EmployeeFactory(name="张三", department=sales),
        "li": EmployeeFactory(name="李四", department=sales),
        "wang": EmployeeFactory(name="王五", department=finance, clearance=3),
    }
    attendance = make_document(title="考勤管理制度", number="HM-RS-001")
    overdue(attendance, people["zhang"])
    signed = assignment(attendance, people["wang"])
    assignment_open(assignment=signed, user=people["wang"].user)
    acknowledgement_sign(
        assignment=signed, user=people["wang"].user, password="pw-for-tests", confirmed=True
    )

    leave = make_document(
        title="请假管理制度",
        number="HM-RS-002",
        effective_date=days_ago(400),
        distribution_all_staff=False,
    )
    revise_and_submit(leave, hr)
    waiting_since(leave, 9)
    expenses = draft(hr, title="报销管理制度")
    submit(expenses, hr)
    waiting_since(expenses, 2)

    secret = make_document(
        title=SECRET_TITLE, number=SECRET_NUMBER, level=3, effective_date=days_ago(400)
    )
    overdue(secret, people["wang"])
    revise_and_submit(secret, hr)
    waiting_since(secret, 10)

    run = DocumentImportRun.objects.create(
        user=hr, created_count=2, updated_count=1, error_count=1, report={"files": []}
    )
    return {
        "people": people,
        "sales": sales,
        "attendance": attendance,
        "leave": leave,
        "expenses": expenses,
        "secret": secret,
        "run": run,
    }


def test_hr_see_approvals_waiting_oldest_first_with_the_overdue_counted(client, hr, scenario):
    html = panel(dashboard(client, hr), "approvals")
    words = text(html)
    assert "待审批" in words
    assert "共2个审批环节等待批示。" in words
    assert "其中1个已超过7天（逾期）。" in words
    assert words.index("请假管理制度") < words.index("报销管理制度")  # oldest first
    assert "逾期2天" in words  # waited 9 days, the limit is 7
    for page in (scenario["leave"], scenario["expenses"]):
        assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in html
    assert reverse("document_approvals") in html


def test_hr_see_unsigned_acknowledgements_by_department_and_document(client, hr, scenario):
    html = panel(dashboard(client, hr), "acknowledgements")
    words = text(html)
    assert "待签收" in words
    assert "2个部门共3份签收尚未完成。" in words
    assert "其中1份已逾期。" in words
    # 销售部: 张三 (overdue) and 李四; 人力资源部: HR themselves; 财务部 signed — not listed.
    assert "销售部21" in words and "人力资源部10" in words
    assert "财务部" not in words
    assert words.index("销售部") < words.index("人力资源部")  # the most overdue first
    assert reverse("acknowledgement_department", args=[scenario["sales"].pk]) in html
    assert "考勤管理制度HM-RS-00131" in words
    assert reverse("acknowledgement_document", args=[scenario["attendance"].pk]) in html
    assert reverse("acknowledgement_overview") in html


def test_hr_see_documents_due_for_review_with_the_review_action(client, hr, scenario):
    html = panel(dashboard(client, hr), "reviews")
    words = text(html)
    assert "1份文件在30天内到期复审或已逾期。" in words
    assert "其中1份复审已逾期。" in words
    assert "请假管理制度" in words and "考勤管理制度" not in words  # 12-month cycle: not yet
    assert reverse("wagtailadmin_pages:edit", args=[scenario["leave"].pk]) in html
    assert reverse("document_reviewed", args=[scenario["leave"].pk]) in html
    assert reverse("document_reviews") in html


def test_hr_see_the_latest_imports_each_opening_its_report(client, hr, scenario):
    html = panel(dashboard(client, hr), "imports")
    words = text(html)
    assert "共1次导入，最近几次：" in words
    assert "新建2，更新1，未变0，重复0" in words and "1个文件出错" in words
    assert "人事专员" in words  # who imported
    assert reverse("document_import_run", args=[scenario["run"].pk]) in html
    assert reverse("document_import_runs") in html


def test_the_most_urgent_panels_come_first(client, hr, scenario):
    html = dashboard(client, hr)
    positions = [
        html.index(f'id="zhidu-{name}-section"')
        for name in ("approvals", "acknowledgements", "reviews", "imports")
    ]
    assert positions == sorted(positions)


def test_a_document_above_the_clearance_is_neither_listed_nor_counted(client, hr, scenario):
    html = dashboard(client, hr)
    assert SECRET_TITLE not in html and SECRET_NUMBER not in html
    assert reverse("acknowledgement_document", args=[scenario["secret"].pk]) not in html
    # Positive control: an administrator cleared for 机密 sees it in every panel about documents.
    admin = EmployeeFactory(clearance=4, user__roles=[ADMINISTRATOR]).user
    seen = dashboard(client, admin)
    for name in ("approvals", "acknowledgements", "reviews"):
        assert SECRET_TITLE in panel(seen, name), name
    assert "共3个审批环节等待批示。" in text(panel(seen, "approvals"))


def test_panels_are_shown_only_with_the_permission_for_what_they_list(client, scenario):
    reviewer = EmployeeFactory(clearance=4, user__roles=[REVIEWER]).user
    html = dashboard(client, reviewer)
    for name in ("approvals", "acknowledgements", "reviews", "imports"):
        assert panel(html, name) == "", name
    assert reverse("acknowledgement_overview") not in html


def test_with_nothing_waiting_each_panel_says_so(client, hr):
    html = dashboard(client, hr)
    assert "没有等待批示的审批环节。" in text(panel(html, "approvals"))
    assert "所有人均已签收。" in text(panel(html, "acknowledgements"))
    assert "未来30天内没有到期的复审。" in text(panel(html, "reviews"))
    assert "尚无导入记录。" in text(panel(html, "imports"))


def test_panel_queries_do_not_grow_with_the_rows(hr, scenario):
    before = panel_query_counts(hr, DOCUMENT_PANELS)
    for n in range(3):  # more of everything: approvals, readers, reviews, imports
        EmployeeFactory(department=scenario["sales"])
        page = make_document(title=f"制度{n}", number=f"HM-RS-1{n}", effective_date=days_ago(400))
        revise_and_submit(page, hr)
        DocumentImportRun.objects.create(user=hr, created_count=1)
    after = panel_query_counts(hr, DOCUMENT_PANELS)
    assert after == before


# --- The actions on a document's edit page ----------------------------------------------------


def header_links(client, user, page) -> str:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_edit_page_offers_tracking_chase_word_and_history(client, hr, scenario):
    page = scenario["attendance"]
    html = header_links(client, hr, page)
    tracking = reverse("acknowledgement_document", args=[page.pk])
    assert f'href="{tracking}"' in html
    assert f'href="{tracking}#chase"' in html and "催办（3 人未签收）" in html
    assert reverse("document_admin_docx", args=[page.pk]) in html
    assert reverse("document_history", args=["HM-RS-001"]) in html
    # One version only: nothing to compare yet.
    assert reverse("version_compare", args=["HM-RS-001"]) + '"' not in html
    # The chase form is where the button leads.
    screen = client.get(tracking).content.decode()
    assert 'id="chase"' in screen and reverse("acknowledgement_chase", args=[page.pk]) in screen


def test_a_second_version_brings_the_comparison(client, hr, scenario):
    page = scenario["attendance"]
    page.change_summary = "修订第一条"
    page.save_revision(user=hr).publish()
    html = header_links(client, hr, page)
    compare = reverse("version_compare", args=["HM-RS-001"])
    assert f'href="{compare}"' in html and "版本比较" in html
    assert client.get(compare).status_code == 200


def editor_without_tracking():
    """Someone who may edit the library's documents but holds no HR permission."""
    group = Group.objects.create(name="文件编辑")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group,
        page=policy_library(),
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="change_page"
        ),
    )
    user = EmployeeFactory(clearance=2).user
    user.groups.add(group)
    return user


def test_no_tracking_or_chase_without_the_permission_nor_once_everyone_signed(client, hr, scenario):
    page = scenario["attendance"]
    html = header_links(client, editor_without_tracking(), page)
    assert reverse("document_admin_docx", args=[page.pk]) in html  # the editor's own action
    assert reverse("acknowledgement_document", args=[page.pk]) not in html
    assert "催办" not in html
    Assignment.objects.filter(page_id=page.pk, state="open").update(state="covered")
    html = header_links(client, hr, page)
    assert reverse("acknowledgement_document", args=[page.pk]) in html
    assert "#chase" not in html and "催办" not in html
