"""The leak matrix: for each role × each level above the user's clearance × each surface, the
user learns nothing of the document — no title, 文件编号, text, count or file.

Method: the same surfaces are first read by a user of the same role *cleared* for every level
(the positive control: it proves each surface really shows documents, so the check below
cannot pass by showing nothing to anybody), then by a user of that role with clearance 内部
(1). Documents at 秘密, 机密 and 绝密 are live, and each also has a revision waiting for
approval, so that workflow screens show them too. A last group repeats the check for
need-to-know (cleared, but in another department).
"""

import datetime
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from policies_content.library import category_page
from policies_content.models import RegulationPage
from records.confidentiality import handling_allowed
from records.roles import (
    ADMINISTRATOR,
    APPROVER,
    AUDITOR,
    POLICY_EDITOR,
    REVIEWER,
    STAFF,
)
from tests.factories import CompanyFactory, DepartmentFactory, EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LEVELS = {2: "秘密", 3: "机密", 4: "绝密"}
OPEN_TITLE = "公开考勤管理制度"


def marks(level: int) -> dict[str, str]:
    """What would betray the document at this level: title, numbers and a phrase of text."""
    return {
        "title": f"{LEVELS[level]}薪酬核定办法",
        "number": f"HM-LEAK-{level}",
        "text": f"第{level}档核定系数为保密数据",
    }


def article(text):
    return ("article", {"text": text, "clauses": []})


@pytest.fixture
def documents(django_user_model):
    """One open document and one per classified level, each live (v1.0) with a newer
    revision submitted for approval (a document in 待审批)."""
    hr = UserFactory(username="author", roles=[POLICY_EDITOR])
    category = category_page("人事")
    pages = {}
    for level in [0, *LEVELS]:
        found = marks(level) if level else {"title": OPEN_TITLE, "number": "HM-OPEN-1"}
        page = RegulationPage(
            title=found["title"],
            document_number=found["number"],
            issuance_number=f"华茂发〔2026〕{level}号",
            classification=level,
            body=[article(found.get("text", "员工应按时上班。"))],
            effective_date=TODAY - datetime.timedelta(days=30),
            review_cycle_months=1,  # due for review: shows on 复审 screens
            change_summary="首次发布",
            owner=hr,
        )
        category.add_child(instance=page)
        page.save_revision(user=hr).publish()
        page = RegulationPage.objects.get(pk=page.pk)
        page.change_summary = "修订"
        page.save_revision(user=hr)
        page.get_workflow().start(page, hr)
        pages[level] = RegulationPage.objects.get(pk=page.pk)
    return category, pages


def person(role: str, clearance: int, department=None):
    employee = EmployeeFactory(
        clearance=clearance,
        user=UserFactory(
            username=f"{role}-{clearance}-{department.pk if department else 0}", roles=[role]
        ),
        **({"department": department} if department else {}),
    )
    return employee.user


class Missing:
    """A document that does not exist: a hidden one must answer exactly like it."""

    pk = 987654
    document_number = "HM-NONE-0"

    def __init__(self, category):
        self.url = f"{category.url}no-such-document/"


def item_urls(page) -> dict[str, str]:
    """Every surface that shows one document."""
    number = page.document_number
    return {
        "page": page.url,
        "history": reverse("document_history", args=[number]),
        "version": reverse("version_detail", args=[number, "1.0"]),
        "compare": reverse("version_compare", args=[number]) + "?from=1.0&to=1.0",
        "version_word": reverse("version_docx", args=[number, "1.0"]),
        "word": reverse("document_docx", args=[page.pk]),
        "admin_edit": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "admin_history": reverse("wagtailadmin_pages:history", args=[page.pk]),
        "admin_revisions": reverse("wagtailadmin_pages:revisions_index", args=[page.pk]),
        "admin_preview": reverse("wagtailadmin_pages:view_draft", args=[page.pk]),
        "admin_children": reverse("wagtailadmin_explore", args=[page.pk]),
        "admin_word": reverse("document_admin_docx", args=[page.pk]),
        "admin_repeal": reverse("document_repeal", args=[page.pk]),
        "admin_reviewed": reverse("document_reviewed", args=[page.pk]),
        "admin_workflow_history": reverse("wagtailadmin_pages:workflow_history", args=[page.pk]),
        "chooser_children": reverse("wagtailadmin_choose_page_child", args=[page.pk]),
    }


def listing_urls(category, level) -> dict[str, str]:
    """Surfaces that list or count documents; they answer (200, or a redirect/403 for a role
    that may not use them) and must never mention a hidden document. The admin's search
    (Wagtail's database backend) matches whole Chinese titles, so it is asked for the title."""
    query = marks(level)["title"]
    return {
        "landing": reverse("landing"),
        "staff_home": reverse("staff_home"),
        "library": category.get_parent().url,
        "category": category.url,
        "in_force": reverse("library_as_of"),
        "consultations": reverse("consultation_list"),
        "auditor_home": reverse("auditor_home"),
        "audit_log": reverse("audit_log"),
        "audit_csv": reverse("audit_log_csv"),
        "admin_home": reverse("wagtailadmin_home"),
        "admin_explorer": reverse("wagtailadmin_explore", args=[category.pk]),
        "admin_search": reverse("wagtailadmin_pages:search") + f"?q={query}",
        "admin_sidebar_api": reverse("wagtailadmin_api:pages:listing")
        + f"?child_of={category.pk}&for_explorer=1",
        "chooser": reverse("wagtailadmin_choose_page_child", args=[category.pk]),
        "chooser_search": reverse("wagtailadmin_choose_page_search") + f"?q={query}",
        "approvals": reverse("document_approvals"),
        "reviews_due": reverse("document_reviews"),
        "similar": reverse("document_near_duplicates"),
        "import_runs": reverse("document_import_runs"),
        "site_history": reverse("wagtailadmin_reports:site_history"),
        "aging_pages": reverse("wagtailadmin_reports:aging_pages"),
        "workflow_report": reverse("wagtailadmin_reports:workflow"),
        "workflow_tasks_report": reverse("wagtailadmin_reports:workflow_tasks"),
        "page_types": reverse("wagtailadmin_reports:page_types_usage"),
    }


def body(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats-officedocument"):
        with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
            return docx.read("word/document.xml").decode()
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


SEARCHES = {"admin_search", "chooser_search"}  # they echo the query (the title) back


def traces(text: str, page, *, echo: bool = False) -> list[str]:
    found = {**marks(page.classification), "admin_link": f"/admin/pages/{page.pk}/"}
    if echo:
        del found["title"]
    return [name for name, value in found.items() if value in text]


def read_all(client, category, pages, level):
    """{surface: (status, traces of the level's document)} for one user."""
    seen = {}
    for name, url in {**item_urls(pages[level]), **listing_urls(category, level)}.items():
        response = client.get(url)
        seen[name] = (
            response.status_code,
            traces(body(response), pages[level], echo=name in SEARCHES),
        )
    return seen


DOWNLOADS = {"word", "version_word", "admin_word"}
ROLES = [STAFF, POLICY_EDITOR, REVIEWER, APPROVER, AUDITOR, ADMINISTRATOR]
# What each role's cleared user must see of the document (the control).
MUST_SHOW = {
    STAFF: {"page", "history", "version", "word", "category", "in_force"},
    POLICY_EDITOR: {"page", "admin_edit", "admin_explorer", "admin_search", "chooser", "approvals"},
    REVIEWER: {"page", "admin_home"},  # the review task waiting on the dashboard
    APPROVER: {"page", "history", "in_force"},
    AUDITOR: {"page", "version", "in_force", "audit_log", "audit_csv"},
    ADMINISTRATOR: {"page", "admin_edit", "admin_search", "site_history", "reviews_due"},
}


@pytest.mark.parametrize("role", ROLES)
def test_below_clearance_no_surface_shows_a_trace(client, documents, role):
    category, pages = documents
    cleared, uncleared = person(role, 4), person(role, 1)
    for level in LEVELS:
        client.force_login(cleared)
        control = read_all(client, category, pages, level)
        shown = {name for name, (_status, found) in control.items() if found}
        must = MUST_SHOW[role] - (set() if handling_allowed(level, "download") else DOWNLOADS)
        assert must <= shown, (role, level, must - shown)

        client.force_login(uncleared)
        result = read_all(client, category, pages, level)
        leaks = {name: found for name, (_status, found) in result.items() if found}
        assert not leaks, (role, LEVELS[level], leaks)
        missing = {n: client.get(u).status_code for n, u in item_urls(Missing(category)).items()}
        for name in item_urls(pages[level]):
            assert result[name][0] == missing[name], (role, level, name, result[name][0])
        for name in listing_urls(category, level):
            assert result[name][0] == control[name][0], (role, level, name)
        # The open document stays visible: the user was not simply shut out.
        assert OPEN_TITLE in client.get(category.url).content.decode()


def test_admin_search_counts_only_what_the_user_may_see(client, documents):
    _category, pages = documents
    search = reverse("wagtailadmin_pages:search")
    cleared, uncleared = person(POLICY_EDITOR, 4), person(POLICY_EDITOR, 1)
    for level in LEVELS:
        url = f"{search}?q={marks(level)['title']}"
        client.force_login(cleared)
        response = client.get(url)
        assert response.context["all_pages"].count() == 1
        assert response.context["content_types"]  # the facet counts it
        client.force_login(uncleared)
        response = client.get(url)
        assert response.context["all_pages"].count() == 0
        assert not response.context["content_types"]


def test_sidebar_explorer_counts_exclude_hidden_documents(client, documents):
    category, _pages = documents
    url = reverse("wagtailadmin_api:pages:listing") + f"?child_of={category.pk}&for_explorer=1"
    client.force_login(person(POLICY_EDITOR, 4))
    assert client.get(url).json()["meta"]["total_count"] == 4
    client.force_login(person(POLICY_EDITOR, 1))
    assert client.get(url).json()["meta"]["total_count"] == 1


def test_need_to_know_hides_documents_from_other_departments_on_every_surface(client, documents):
    category, pages = documents
    company = CompanyFactory()
    finance = DepartmentFactory(name="财务部", parent=company)
    sales = DepartmentFactory(name="销售部", parent=company)
    for page in pages.values():
        if page.classification:
            page.need_to_know_departments.set([finance])
            page.save_revision().publish()
    for role in (STAFF, POLICY_EDITOR):
        insider, outsider = person(role, 4, finance), person(role, 4, sales)
        for level in (2, 4):
            client.force_login(insider)
            control = read_all(client, category, pages, level)
            assert {"page", "category"} <= {n for n, (_s, f) in control.items() if f}
            client.force_login(outsider)
            result = read_all(client, category, pages, level)
            leaks = {name: found for name, (_status, found) in result.items() if found}
            assert not leaks, (role, LEVELS[level], leaks)
