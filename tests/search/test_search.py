"""Search through ``search_for_user`` on the embedded backend: Chinese recall, traditional and
pinyin-annotated text, the access policy inside the query (hits and facet counts), hostile
input, article-level hits."""

import datetime

import pytest
from django.utils import timezone

from policies_content.library import category_page
from policies_content.models import RegulationPage
from search.backends import get_backend
from search.backends.base import Filters
from search.indexing import page_index
from search.service import search_for_user
from tests.factories import CompanyFactory, DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def empty_index():
    get_backend().clear()
    yield
    get_backend().clear()


def article(text):
    return ("article", {"text": text, "clauses": []})


def publish(title, number, texts, *, level=1, departments=()):
    page = RegulationPage(
        title=title,
        document_number=number,
        classification=level,
        body=[article(t) for t in texts],
        effective_date=TODAY - datetime.timedelta(days=3),
        change_summary="首次发布",
    )
    category_page("人事").add_child(instance=page)
    page.need_to_know_departments.set(list(departments))
    page.save_revision().publish()
    page_index(page.pk)
    return RegulationPage.objects.get(pk=page.pk)


def reader(clearance=1, department=None):
    return EmployeeFactory(
        clearance=clearance, **({"department": department} if department else {})
    ).user


def titles(results):
    return [hit.entry.title for hit in results.hits]


def test_two_character_words_find_the_clause_with_a_highlight():
    publish("考勤管理制度", "HM-RS-001", ["员工请假须事先书面申请。", "迟到三次按旷工处理。"])
    results = search_for_user(user=reader(), query="请假")
    assert results.total == 1
    hit = results.hits[0]
    assert hit.entry.label == "第二条" or hit.entry.label.startswith("第")
    assert "<mark>请假</mark>" in hit.snippet_html
    assert hit.entry.url.endswith("#" + hit.entry.anchor)


def test_simplified_query_finds_traditional_text_and_pinyin_annotated_text():
    publish("員工守則", "HM-RS-002", ["員工應遵守運(yùn)營規範。"])
    user = reader()
    assert search_for_user(user=user, query="员工守则").total >= 1
    assert search_for_user(user=user, query="运营").total == 1
    assert "<mark>" in search_for_user(user=user, query="运营").hits[0].snippet_html


def test_hidden_documents_are_neither_found_nor_counted():
    publish("公开考勤制度", "HM-RS-003", ["保密义务适用于全体员工。"], level=1)
    publish("薪酬保密制度", "HM-RS-004", ["薪酬数据属于保密信息。"], level=3)
    finance = DepartmentFactory(name="财务部", parent=CompanyFactory())
    publish("财务保密细则", "HM-RS-005", ["保密凭证的保管。"], level=1, departments=[finance])
    low = search_for_user(user=reader(clearance=1), query="保密")
    assert "薪酬保密制度" not in titles(low) and "财务保密细则" not in titles(low)
    assert low.total == len(low.hits) == sum(low.facets["kind"].values())
    assert set(low.facets["level"]) == {"1"}
    high = search_for_user(user=reader(clearance=3, department=finance), query="保密")
    assert {"薪酬保密制度", "财务保密细则", "公开考勤制度"} <= set(titles(high))


def test_phrases_exclusions_and_field_filters():
    publish("考勤管理制度", "HM-RS-006", ["请假须事先申请。", "加班须事先审批。"])
    publish("报销管理办法", "SYCW-2024-01", ["报销须事先申请。"])
    user = reader()
    assert search_for_user(user=user, query='"事先申请"').total == 2
    assert search_for_user(user=user, query="事先 -加班").total == 2
    only = search_for_user(user=user, query="事先 编号:SYCW")
    assert titles(only) == ["报销管理办法"]


@pytest.mark.parametrize(
    "hostile",
    ['"', '""', "*", "保密 OR", "NEAR(保密", "-", "编号:", "\x00\x1b保密", "保" * 5000, "a:b:c"],
)
def test_hostile_input_never_errors_and_never_leaks(hostile):
    publish("薪酬保密制度", "HM-RS-007", ["薪酬数据属于保密信息。"], level=3)
    results = search_for_user(user=reader(clearance=1), query=hostile)
    assert not results.unavailable
    assert "薪酬保密制度" not in titles(results)


def test_in_force_versions_rank_first_and_status_filter():
    page = publish("考勤管理制度", "HM-RS-008", ["员工请假须事先申请。"])
    page.body = [article("员工请假须提前三天申请。")]
    page.change_kind, page.change_summary = "major", "修订请假规定"
    page.save_revision().publish()
    page_index(page.pk)
    user = reader()
    results = search_for_user(user=user, query="请假")
    versions = [hit.entry.version for hit in results.hits if hit.entry.label]
    assert versions[0] == "V2.0"
    old = search_for_user(user=user, query="请假", filters=Filters(statuses=("superseded",)))
    assert {hit.entry.version for hit in old.hits} == {"V1.0"}
    assert old.facets["status"] == {"superseded": old.total}


def test_auditors_searches_are_always_audited_and_filters_alone_list_documents():
    from records.models import AuditEntry
    from records.roles import AUDITOR
    from tests.factories import UserFactory

    publish("考勤管理制度", "HM-RS-009", ["员工请假须事先申请。"])
    auditor = EmployeeFactory(clearance=2, user=UserFactory(username="aud", roles=[AUDITOR])).user
    staff = reader()
    search_for_user(user=staff, query="请假")
    assert not AuditEntry.objects.filter(action="search").exists()
    search_for_user(user=auditor, query="请假\x00")
    entry = AuditEntry.objects.get(action="search")
    assert entry.actor_id == auditor.pk and "\x00" not in entry.details["query"]
    listed = search_for_user(user=auditor, query="", filters=Filters(in_force_on=TODAY))
    assert "考勤管理制度" in titles(listed)
    assert search_for_user(user=staff, query="").total == 0


def test_unknown_words_are_found_exactly_and_common_words_rank_without_bm25(monkeypatch):
    from search.backends import embedded

    publish("岗位配置制度", "HM-RS-010", ["第3条配部门经理一名。", "配备部门助理。"])
    user = reader()
    assert search_for_user(user=user, query="配部").total == 1  # not 配备部门
    page = publish("考勤管理制度", "HM-RS-011", ["员工请假须事先申请。"])
    page.body = [article("员工请假须提前三天申请。")]
    page.change_kind, page.change_summary = "major", "修订"
    page.save_revision().publish()
    page_index(page.pk)
    ranked = search_for_user(user=user, query="请假")
    monkeypatch.setattr(embedded, "RANK_ALL", 0)  # as for a word found in thousands of entries
    newest = search_for_user(user=user, query="请假")
    assert newest.total == ranked.total
    assert {h.entry.key for h in newest.hits} == {h.entry.key for h in ranked.hits}
    assert [h.entry.version for h in newest.hits if h.entry.label][0] == "V2.0"


def _save_draft(page, texts):
    page.body = [article(t) for t in texts]
    page.save_revision()  # saved, not issued
    page_index(page.pk)


def test_drafts_are_found_by_the_editors_who_write_them_and_by_nobody_else():
    from records.roles import AUDITOR, POLICY_EDITOR

    issued = publish("考勤管理制度", "HM-RS-020", ["员工请假须事先书面申请。"])
    _save_draft(issued, ["员工调休须提前三天申请。"])
    new = RegulationPage(
        title="差旅管理办法",
        document_number="HM-RS-021",
        classification=1,
        live=False,
        change_summary="首次发布",
    )
    category_page("人事").add_child(instance=new)
    _save_draft(new, ["出差须填写差旅审批单。"])

    editor = EmployeeFactory(clearance=1, user__roles=[POLICY_EDITOR]).user
    auditor = EmployeeFactory(clearance=4, user__roles=[AUDITOR]).user
    for user in (reader(clearance=4), auditor):
        assert search_for_user(user=user, query="调休").total == 0
        assert search_for_user(user=user, query="差旅").total == 0
        assert search_for_user(user=user, query="请假").total == 1  # the issued version

    found = search_for_user(user=editor, query="调休")
    assert found.total == 1 and found.hits[0].entry.draft
    assert found.hits[0].entry.status_on(TODAY) == "draft"
    assert found.hits[0].entry.url.startswith(f"/admin/pages/{issued.pk}/edit/")
    assert found.facets["status"] == {"draft": 1}
    drafted = search_for_user(user=editor, query="差旅")  # its title and its article
    assert set(titles(drafted)) == {"差旅管理办法"} and all(h.entry.draft for h in drafted.hits)
    # the issued text is still what everyone else reads
    assert search_for_user(user=editor, query="请假").total == 1
    # the level still applies to editors
    lower = EmployeeFactory(clearance=0, user__roles=[POLICY_EDITOR]).user
    assert search_for_user(user=lower, query="差旅").total == 0


def test_issuing_the_draft_replaces_its_entries():
    from records.roles import POLICY_EDITOR

    page = publish("考勤管理制度", "HM-RS-022", ["员工请假须事先书面申请。"])
    _save_draft(page, ["员工调休须提前三天申请。"])
    editor = EmployeeFactory(clearance=1, user__roles=[POLICY_EDITOR]).user
    assert search_for_user(user=editor, query="调休").hits[0].entry.draft
    page = RegulationPage.objects.get(pk=page.pk)
    page.change_summary = "增加调休规定"
    page.save_revision().publish()
    page_index(page.pk)
    hits = search_for_user(user=editor, query="调休").hits
    assert len(hits) == 1 and not hits[0].entry.draft and hits[0].entry.version == "V2.0"


def test_saving_a_draft_updates_the_index_after_commit(django_capture_on_commit_callbacks):
    from records.roles import POLICY_EDITOR

    page = publish("考勤管理制度", "HM-RS-023", ["员工请假须事先书面申请。"])
    editor = EmployeeFactory(clearance=1, user__roles=[POLICY_EDITOR]).user
    page.body = [article("员工调休须提前三天申请。")]
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision()
    assert search_for_user(user=editor, query="调休").total == 1
