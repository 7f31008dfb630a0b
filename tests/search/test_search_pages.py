"""The search pages: the staff search (box on every page) and the auditor's advanced search —
hits with highlights and links to the clause, the access policy in hits, totals, facet counts
and the CSV, facets and date filters, sort, saved searches (private), the audit trail, hostile
input and an unavailable index (never an error page)."""

import csv
import datetime
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

import search.service
from policies_content.library import category_page
from policies_content.models import RegulationPage
from records.audit import audit_chain_head
from records.models import AuditAction, AuditEntry
from records.roles import AUDITOR, STAFF
from search.backends import get_backend
from search.backends.base import SearchUnavailable
from search.indexing import page_index
from search.models import SavedSearch
from tests.factories import CompanyFactory, DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HIDDEN = "薪酬保密核定办法"  # level 3 (机密): above every reader's clearance below


@pytest.fixture(autouse=True)
def empty_index():
    get_backend().clear()
    yield
    get_backend().clear()


def article(text):
    return ("article", {"text": text, "clauses": []})


def publish(title, number, texts, *, level=1, effective=None, category="人事", owner=None):
    page = RegulationPage(
        title=title,
        document_number=number,
        classification=level,
        body=[article(t) for t in texts],
        effective_date=effective or TODAY - datetime.timedelta(days=3),
        change_summary="首次发布",
        owner_department=owner,
    )
    category_page(category).add_child(instance=page)
    page.save_revision().publish()
    page_index(page.pk)
    return RegulationPage.objects.get(pk=page.pk)


def staff(client, clearance=1):
    user = EmployeeFactory(clearance=clearance, user__roles=[STAFF]).user
    client.force_login(user)
    return user


def auditor(client, clearance=2):
    user = EmployeeFactory(clearance=clearance, user__roles=[STAFF, AUDITOR]).user
    client.force_login(user)
    return user


def in_chinese(msgid):
    with translation.override("zh-hans"):
        return gettext(msgid)


def hit_titles(response):
    return [row["entry"].title for row in response.context["rows"]]


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def library():
    """An open rule (内部), a hidden one (机密) and a finance rule (内部, 财务, owned by 财务部)."""
    finance = DepartmentFactory(name="财务部", parent=CompanyFactory())
    return {
        "open": publish("考勤管理制度", "HM-RS-001", ["员工请假须事先书面申请。", "保密义务。"]),
        "hidden": publish(HIDDEN, "HM-RS-999", ["薪酬属于保密信息，请假期间亦同。"], level=3),
        "finance": publish(
            "报销管理办法", "CW-001", ["报销须保密凭证。"], category="财务", owner=finance
        ),
        "finance_department": finance,
    }


# -- staff search ---------------------------------------------------------------------------


def test_staff_sees_the_clause_highlighted_with_a_link_to_it(client, library):
    staff(client)
    response = client.get(reverse("search"), {"q": "请假"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<mark>请假</mark>" in body
    row = response.context["rows"][0]
    entry = row["entry"]
    assert entry.title == "考勤管理制度" and entry.label.startswith("第")
    assert "#" in entry.url and f'href="{entry.url}"' in body
    assert entry.label in body and "HM-RS-001" in body and "V1.0" in body
    assert row["status"] == "in_force" and "state-in_force" in body
    assert HIDDEN not in body and response.context["results"].total == 1


def test_markup_in_the_text_is_escaped_and_only_mark_is_html(client):
    publish("<b>考勤</b>制度", "HM-RS-010", ["<script>alert(1)</script>请假规定。"])
    staff(client)
    body = client.get(reverse("search"), {"q": "请假"}).content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body
    assert "<b>考勤</b>" not in body


def test_empty_query_shows_just_the_box(client, library):
    staff(client)
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert response.context["results"] is None and 'name="q"' in response.content.decode()


def test_nothing_found_says_so(client, library):
    staff(client)
    response = client.get(reverse("search"), {"q": "火星探测"})
    assert response.status_code == 200
    assert 'class="notice search-empty"' in response.content.decode()


def test_staff_results_are_paged(client):
    publish("考勤管理制度", "HM-RS-020", [f"第{i}项请假规定。" for i in range(25)])
    staff(client)
    first = client.get(reverse("search"), {"q": "请假"})
    assert first.context["results"].pages == 2 and len(first.context["rows"]) == 20
    assert "page=2" in first.content.decode()
    second = client.get(reverse("search"), {"q": "请假", "page": 2})
    assert len(second.context["rows"]) == first.context["results"].total - 20


def test_staff_search_is_not_audited(client, library):
    staff(client)
    client.get(reverse("search"), {"q": "请假"})
    assert not AuditEntry.objects.filter(action=AuditAction.SEARCH).exists()


def test_the_header_search_box_is_on_pages_for_signed_in_users_only(client):
    body = client.get(reverse("landing")).content.decode()
    assert 'class="header-search"' not in body
    staff(client)
    body = client.get(reverse("my_acknowledgements")).content.decode()
    assert 'class="header-search"' in body and f'action="{reverse("search")}"' in body
    home = client.get(reverse("staff_home")).content.decode()  # its own, larger box instead
    assert 'class="header-search"' not in home and 'id="home-search"' in home


def test_staff_search_needs_a_login(client):
    response = client.get(reverse("search"), {"q": "请假"})
    assert response.status_code == 302 and "login" in response["Location"]


# -- the access policy on both pages and in the CSV -----------------------------------------


def test_a_document_above_clearance_is_neither_shown_nor_counted_anywhere(client, library):
    staff(client, clearance=1)
    response = client.get(reverse("search"), {"q": "保密"})
    assert HIDDEN not in response.content.decode()
    assert response.context["results"].total == 2

    auditor(client, clearance=2)
    response = client.get(reverse("audit_search"), {"q": "保密"})
    body = response.content.decode()
    assert HIDDEN not in body and "HM-RS-999" not in body
    results = response.context["results"]
    assert results.total == 2 == sum(results.facets["kind"].values())
    levels = {
        o["value"]
        for g in response.context["facets"]
        if g["param"] == "level"
        for o in g["options"]
    }
    assert levels == {"1"}
    # asking for the hidden level by hand changes nothing
    response = client.get(reverse("audit_search"), {"q": "保密", "level": "3"})
    assert HIDDEN not in response.content.decode() and response.context["results"].total == 2

    rows = csv_rows(client.get(reverse("audit_search_csv"), {"q": "保密"}))
    assert not any(HIDDEN in cell or "HM-RS-999" in cell for row in rows for cell in row)
    assert len(rows) == 1 + 2 + 1  # header, two hits, chain head


def test_a_cleared_auditor_finds_the_document(client, library):
    auditor(client, clearance=3)
    response = client.get(reverse("audit_search"), {"q": "保密"})
    assert HIDDEN in hit_titles(response)


# -- auditor: facets, dates, sort --------------------------------------------------------------


def test_facets_show_names_and_counts_and_filter(client, library):
    auditor(client)
    response = client.get(reverse("audit_search"), {"q": "保密"})
    facets = {g["param"]: {o["value"]: o for o in g["options"]} for g in response.context["facets"]}
    assert facets["category"]["人事"]["count"] == 1 and facets["category"]["财务"]["count"] == 1
    finance_id = str(library["finance_department"].pk)
    assert facets["department"][finance_id]["label"] == "财务部"
    assert facets["status"]["in_force"]["count"] == 2
    assert str(facets["kind"]["regulation"]["label"]) == in_chinese("Regulation")

    narrowed = client.get(reverse("audit_search"), {"q": "保密", "category": "财务"})
    assert hit_titles(narrowed) == ["报销管理办法"]
    by_department = client.get(reverse("audit_search"), {"q": "保密", "department": finance_id})
    assert hit_titles(by_department) == ["报销管理办法"]
    ticked = {
        o["value"] for g in by_department.context["facets"] for o in g["options"] if o["checked"]
    }
    assert ticked == {finance_id}
    none = client.get(reverse("audit_search"), {"q": "保密", "status": "superseded"})
    assert none.context["results"].total == 0


@pytest.fixture
def dated():
    return {
        "old": publish(
            "考勤制度2020", "HM-D-1", ["年休假规定。"], effective=datetime.date(2020, 1, 1)
        ),
        "recent": publish("考勤制度近期", "HM-D-2", ["病休假规定。"]),
        "future": publish(
            "考勤制度待生效",
            "HM-D-3",
            ["婚休假规定。"],
            effective=TODAY + datetime.timedelta(days=30),
        ),
    }


def titles_of(response):
    return set(hit_titles(response))


def test_effective_date_range_and_in_force_on_a_date(client, dated):
    auditor(client)
    url = reverse("audit_search")
    assert titles_of(client.get(url, {"q": "休假"})) == {
        "考勤制度2020",
        "考勤制度近期",
        "考勤制度待生效",
    }
    recent = client.get(url, {"q": "休假", "date_from": "2021-01-01", "date_to": TODAY.isoformat()})
    assert titles_of(recent) == {"考勤制度近期"}
    in_2020 = client.get(url, {"q": "休假", "in_force_on": "2020-06-01"})
    assert titles_of(in_2020) == {"考勤制度2020"}
    scheduled = client.get(url, {"q": "休假", "status": "scheduled"})
    assert titles_of(scheduled) == {"考勤制度待生效"}
    assert "state-scheduled" in scheduled.content.decode()


def test_sort_by_relevance_puts_in_force_first_and_by_date_newest_first(client, dated):
    auditor(client)
    url = reverse("audit_search")
    relevance = hit_titles(client.get(url, {"q": "休假"}))
    assert relevance[-1] == "考勤制度待生效"  # in force first
    by_date = hit_titles(client.get(url, {"q": "休假", "sort": "date"}))
    assert by_date == ["考勤制度待生效", "考勤制度近期", "考勤制度2020"]


# -- CSV ---------------------------------------------------------------------------------------


def test_csv_holds_the_results_neutralises_formulas_and_is_recorded(client):
    publish('=HYPERLINK("http://evil")考勤', "+SYCW-1", ["@SUM(1)请假须申请。"])
    user = auditor(client)
    response = client.get(reverse("audit_search_csv"), {"q": "请假", "sort": "date"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    header, hits, trailer = rows[0], rows[1:-1], rows[-1]
    assert len(header) == len(hits[0]) and len(hits) == 1
    cells = hits[0]
    assert cells[0] == '\'=HYPERLINK("http://evil")考勤'
    assert cells[1] == "'+SYCW-1"
    assert any(c.startswith("'@SUM(1)请假") for c in cells)
    assert not any(c.startswith(("=", "+", "-", "@")) for row in rows[:-1] for c in row)
    assert any(c.startswith("http://testserver/zhidu/") and "#" in c for c in cells)
    export = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("sequence")
    assert export.actor == user and export.details["rows"] == 1
    assert export.details["query"] == "请假"
    assert trailer[1] == audit_chain_head()


def test_csv_without_a_query_goes_back_to_the_page(client):
    auditor(client)
    response = client.get(reverse("audit_search_csv"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("audit_search"))


# -- saved searches ----------------------------------------------------------------------------


def test_saved_search_round_trip_and_privacy(client, library):
    owner = auditor(client)
    response = client.post(
        reverse("audit_search_save"),
        {
            "name": "财务保密",
            "q": "保密",
            "category": "财务",
            "level": ["1", "abc"],
            "date_from": "2020-01-01",
            "sort": "date",
        },
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=owner)
    assert saved.name == "财务保密" and saved.query == "保密"
    assert saved.filters == {
        "category": ["财务"],
        "level": ["1"],
        "date_from": "2020-01-01",
        "sort": "date",
    }
    page = client.get(reverse("audit_search")).content.decode()
    assert "财务保密" in page and reverse("audit_search_open", args=[saved.pk]) in page

    opened = client.get(reverse("audit_search_open", args=[saved.pk]))
    assert opened.status_code == 302
    location = urlsplit(opened["Location"])
    assert location.path == reverse("audit_search")
    assert parse_qs(location.query) == {
        "q": ["保密"],
        "category": ["财务"],
        "level": ["1"],
        "date_from": ["2020-01-01"],
        "sort": ["date"],
    }
    assert hit_titles(client.get(opened["Location"])) == ["报销管理办法"]

    auditor(client)  # another auditor
    assert "财务保密" not in client.get(reverse("audit_search")).content.decode()
    assert client.get(reverse("audit_search_open", args=[saved.pk])).status_code == 404
    assert client.post(reverse("audit_search_delete", args=[saved.pk])).status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()

    client.force_login(owner)
    assert client.post(reverse("audit_search_delete", args=[saved.pk])).status_code == 302
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()


def test_saving_without_a_name_saves_nothing(client):
    auditor(client)
    response = client.post(reverse("audit_search_save"), {"name": "  ", "q": "保密"})
    assert response.status_code == 302 and not SavedSearch.objects.exists()


# -- audit trail and permissions ---------------------------------------------------------------


def test_auditor_searches_are_recorded(client, library):
    user = auditor(client)
    client.get(reverse("audit_search"), {"q": "保密", "category": "财务"})
    entry = AuditEntry.objects.get(action=AuditAction.SEARCH)
    assert entry.actor == user and entry.object_label == "保密"
    assert "财务" in entry.details["filters"]


@pytest.mark.parametrize(
    "name,method",
    [
        ("audit_search", "get"),
        ("audit_search_csv", "get"),
        ("audit_search_save", "post"),
    ],
)
def test_non_auditors_are_refused(client, name, method):
    staff(client, clearance=4)
    response = getattr(client, method)(reverse(name), {"q": "保密", "name": "x"})
    assert response.status_code == 403
    assert not SavedSearch.objects.exists()


def test_non_auditors_cannot_open_saved_searches(client):
    owner = auditor(client)
    saved = SavedSearch.objects.create(user=owner, name="x", query="保密")
    staff(client)
    assert client.get(reverse("audit_search_open", args=[saved.pk])).status_code == 403


# -- hostile input and an unavailable index ----------------------------------------------------

HOSTILE_QUERIES = [
    '"',
    '""',
    "*",
    "保密 OR",
    "NEAR(保密",
    "-",
    "编号:",
    "\x00\x1b保密",
    "保" * 5000,
    "a:b:c",
    "'; DROP TABLE entries; --",
    "<script>alert(1)</script>",
]
BAD_FILTERS = {
    "level": ["abc", "99", "-1", "1"],
    "status": ["bogus", "in_force"],
    "kind": ["nonsense"],
    "department": ["x", "999999"],
    "category": ["\x00", "财" * 500],
    "date_from": "2024-13-45",
    "date_to": "yesterday",
    "in_force_on": "0000-00-00",
    "sort": "evil",
    "page": "-3",
}


@pytest.mark.parametrize("hostile", HOSTILE_QUERIES)
def test_hostile_input_never_gives_an_error_page(client, library, hostile):
    staff(client)
    response = client.get(reverse("search"), {"q": hostile, "page": "abc"})
    assert response.status_code == 200 and HIDDEN not in response.content.decode()
    auditor(client)
    for url in (reverse("audit_search"), reverse("audit_search_csv")):
        response = client.get(url, {"q": hostile, **BAD_FILTERS})
        assert response.status_code in (200, 302)
        assert HIDDEN not in response.content.decode()


def test_bad_filter_values_are_ignored_and_good_ones_kept(client, library):
    auditor(client)
    response = client.get(reverse("audit_search"), {"q": "保密", **BAD_FILTERS})
    assert response.status_code == 200
    values = response.context["values"]
    assert values["level"] == [1] and values["status"] == ["in_force"]
    assert values["kind"] == [] and values["department"] == [] and values["sort"] == "relevance"
    assert values["date_from"] is None and values["in_force_on"] is None
    assert response.context["results"].total == 2


class BrokenBackend:
    def search(self, query):
        raise SearchUnavailable("index file locked")


def test_an_unavailable_index_gives_a_message_not_an_error(client, library, monkeypatch):
    monkeypatch.setattr(search.service, "get_backend", lambda: BrokenBackend())
    message = in_chinese("Search is unavailable at the moment. Please try again later.")
    staff(client)
    response = client.get(reverse("search"), {"q": "请假"})
    assert response.status_code == 200 and message in response.content.decode()
    auditor(client)
    response = client.get(reverse("audit_search"), {"q": "请假"})
    assert response.status_code == 200 and message in response.content.decode()
    assert client.get(reverse("audit_search_csv"), {"q": "请假"}).status_code == 302
