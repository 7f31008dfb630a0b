"""The contract every search backend keeps, run against each backend on the same entries:
the embedded backend always, Elasticsearch when ELASTICSEARCH_URL points at a live server.

Entries are built directly (no pages, no database), as search.indexing builds them, and
queries go through search.query.parse_query as the search service sends them.
"""

import datetime
import os
import uuid

import pytest

from search.backends.base import AccessFilter, BackendQuery, Filters, IndexEntry
from search.backends.embedded import EmbeddedBackend
from search.query import parse_query
from search.text import normalise, tokens

TODAY = datetime.date(2024, 6, 1)
EVERYTHING = AccessFilter(max_level=4, departments=None)
STAFF = AccessFilter(max_level=1, departments=frozenset({10}))
D = datetime.date


def entry(key, page_id, text, **extra):
    title = extra.pop("title", "考勤管理制度")
    number = extra.pop("document_number", f"HM-RS-{page_id:03d}")
    values = {
        "kind": "regulation",
        "version_id": page_id * 10,
        "version": "V1.0",
        "label": "第一条",
        "anchor": key,
        "url": f"/zhidu/{number}/#{key}",
        "level": 1,
        "need_to_know": (),
        "repealed": False,
        "effective_date": D(2024, 1, 1),
        "superseded_on": None,
        "category": "人事",
        "department_id": 10,
    }
    values.update(extra)
    return IndexEntry(
        key=key,
        page_id=page_id,
        title=title,
        document_number=number,
        text=text,
        **values,
    )


CORPUS = [
    entry("a1", 1, "员工请假须事先书面申请。"),
    entry(
        "a0",
        1,
        "员工请假须事先申请。",
        version="V0.9",
        version_id=9,
        effective_date=D(2023, 1, 1),
        superseded_on=D(2024, 1, 1),
    ),
    entry("t1", 2, "員工應遵守運(yùn)營規範。", title="員工守則", category="行政"),
    entry("s3", 3, "薪酬数据属于保密信息。", title="薪酬保密制度", level=3),
    entry("n4", 4, "保密凭证的保管。", title="财务保密细则", need_to_know=(20,), department_id=20),
    entry("p5", 5, "保密义务适用于全体员工。", title="公开保密制度"),
    entry("o6", 6, "加班须事先审批。", title="加班管理办法", effective_date=D(2024, 9, 1)),
    entry(
        "r7",
        7,
        "报销须事先申请。",
        title="报销管理办法",
        document_number="SYCW-2020-01",
        effective_date=D(2020, 1, 1),
        superseded_on=D(2023, 3, 1),
        repealed=True,
        category="财务",
        department_id=30,
    ),
    entry(
        "j8",
        8,
        "负责电商运营的日常工作。",
        title="电子商务主管岗位说明书",
        kind="job_description",
        category="岗位",
        level=0,
    ),
    entry("c9", 9, "统计数据循环比较，由分配部门的苏一鸣负责。", title="统计工作规定"),
]
SEGMENTED_APART = "统计数据循环比较，由分配部门的苏一鸣负责。"


def _elasticsearch_backend():
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        pytest.skip("needs a live Elasticsearch: set ELASTICSEARCH_URL=http://host:9200")
    from search.backends.elasticsearch import ElasticsearchBackend

    return ElasticsearchBackend(url, index=f"zhidu-test-{uuid.uuid4().hex[:12]}")


@pytest.fixture(params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def backend(request, tmp_path):
    if request.param == "embedded":
        found = EmbeddedBackend(tmp_path / "idx.sqlite3")
    else:
        found = _elasticsearch_backend()
    found.index(CORPUS)
    yield found
    if request.param == "elasticsearch":
        found.drop()


def run(backend, text, access=EVERYTHING, **options):
    return backend.search(
        BackendQuery(query=parse_query(text), access=access, today=TODAY, **options)
    )


def keys(result):
    return [hit.entry.key for hit in result.hits]


def test_two_character_words_are_found_with_a_highlight(backend):
    result = run(backend, "请假")
    assert set(keys(result)) == {"a1", "a0"} and result.total == 2
    assert "<mark>请假</mark>" in result.hits[0].snippet_html


def test_words_are_found_whatever_the_segmenter_makes_of_their_context(backend):
    # A segmenter cuts this text 循环|比较, 分配|部门, 苏|一|鸣: none of the words below is
    # one of its tokens, yet each occurs in the text as written.
    cut = tokens(normalise(SEGMENTED_APART))
    assert not {"环比", "配部", "苏一鸣"} & set(cut)
    for word in ("环比", "配部", "苏一鸣", "数据循环"):
        result = run(backend, word)
        assert keys(result) == ["c9"], word
        assert f"<mark>{word}</mark>" in result.hits[0].snippet_html
    assert keys(run(backend, "环较")) == []  # both characters are there, not together


def test_simplified_queries_find_traditional_and_pinyin_annotated_text(backend):
    assert keys(run(backend, "员工守则")) == ["t1"]  # title 員工守則
    assert set(keys(run(backend, "运营"))) == {"t1", "j8"}  # 運(yùn)營 and 运营
    assert "t1" in keys(run(backend, "運營"))  # a traditional query too
    assert "<mark>" in run(backend, "运营").hits[0].snippet_html


def test_hits_totals_and_facets_are_trimmed_to_the_access_filter(backend):
    staff = run(backend, "保密", access=STAFF)
    assert keys(staff) == ["p5"] and staff.total == 1
    assert staff.facets["level"] == {"1": 1}
    assert staff.facets["kind"] == {"regulation": 1}
    assert staff.facets["department_id"] == {"10": 1}
    cleared = run(backend, "保密", access=AccessFilter(max_level=3, departments=None))
    assert set(keys(cleared)) == {"s3", "n4", "p5"} and cleared.total == 3
    assert cleared.facets["level"] == {"1": 2, "3": 1}


def test_need_to_know(backend):
    finance = AccessFilter(max_level=1, departments=frozenset({20, 1}))
    assert set(keys(run(backend, "保密", access=finance))) == {"n4", "p5"}
    nobody = AccessFilter(max_level=1, departments=frozenset())
    assert keys(run(backend, "保密", access=nobody)) == ["p5"]
    assert keys(run(backend, "凭证", access=STAFF)) == []


def test_exclusions_and_phrases(backend):
    assert set(keys(run(backend, "事先"))) == {"a1", "a0", "o6", "r7"}
    assert set(keys(run(backend, "事先 -加班"))) == {"a1", "a0", "r7"}
    assert set(keys(run(backend, '"事先申请"'))) == {"a0", "r7"}  # not 事先书面申请
    assert set(keys(run(backend, "事先 申请"))) == {"a1", "a0", "r7"}


def test_field_filters_are_case_insensitive_substrings(backend):
    assert keys(run(backend, "事先 编号:sycw")) == ["r7"]
    assert keys(run(backend, "事先 编号:SYCW-2020")) == ["r7"]
    assert set(keys(run(backend, "员工 标题:考勤"))) == {"a1", "a0"}
    assert keys(run(backend, "请假 版本:v0.9")) == ["a0"]
    assert keys(run(backend, "事先 编号:*")) == []  # a literal asterisk, not a wildcard


def test_a_field_filter_alone_is_a_query(backend):
    assert keys(run(backend, "编号:SYCW-2020")) == ["r7"]
    assert keys(run(backend, "标题:考勤", sort="date")) == ["a1", "a0"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [("in_force", {"a1"}), ("scheduled", {"o6"}), ("superseded", {"a0"}), ("repealed", {"r7"})],
)
def test_status_filters(backend, status, expected):
    result = run(backend, "事先", filters=Filters(statuses=(status,)))
    assert set(keys(result)) == expected
    assert result.facets["status"] == {status: len(expected)}


def test_status_facet_and_other_filters(backend):
    result = run(backend, "事先")
    assert result.facets["status"] == {
        "in_force": 1,
        "scheduled": 1,
        "superseded": 1,
        "repealed": 1,
    }
    assert keys(run(backend, "事先", filters=Filters(in_force_on=D(2023, 6, 1)))) == ["a0"]
    assert keys(run(backend, "事先", filters=Filters(categories=("财务",)))) == ["r7"]
    assert keys(run(backend, "事先", filters=Filters(department_ids=(30,)))) == ["r7"]
    ranged = Filters(effective_from=D(2023, 1, 1), effective_to=D(2024, 1, 1))
    assert set(keys(run(backend, "事先", filters=ranged))) == {"a1", "a0"}
    jobs = run(backend, "运营", filters=Filters(kinds=("job_description",), levels=(0,)))
    assert keys(jobs) == ["j8"]
    assert jobs.facets["kind"] == {"job_description": 1}


def test_sorting_in_force_first_or_newest_first(backend):
    by_relevance = keys(run(backend, "事先"))
    assert by_relevance[:2] == ["a1", "o6"]  # in force, then scheduled, then the rest
    assert set(by_relevance[2:]) == {"a0", "r7"}
    assert keys(run(backend, "事先", sort="date")) == ["o6", "a1", "a0", "r7"]


def test_paging_keeps_the_total(backend):
    first = run(backend, "事先", sort="date", limit=2)
    second = run(backend, "事先", sort="date", offset=2, limit=2)
    assert keys(first) + keys(second) == ["o6", "a1", "a0", "r7"]
    assert first.total == second.total == 4


@pytest.mark.parametrize(
    "hostile",
    ['"', '""', "*", "保密 OR", "NEAR(保密", "-", "编号:", "\x00\x1b保密", "保" * 5000, "a:b:c",
     "保密 AND level:4", '{"match_all": {}}', "\\", "保密 编号:\\*?", "保密 title:*"],
)  # fmt: skip
def test_hostile_input_never_errors_and_never_leaks(backend, hostile):
    result = run(backend, hostile, access=STAFF)
    assert not {"s3", "n4"} & set(keys(result))
    assert set(result.facets.get("level", {})) <= {"0", "1"}


def test_reindexing_replaces_by_key_and_delete_source(backend):
    backend.index([entry("a1", 1, "员工请假须提前三天申请。")])
    assert keys(run(backend, "提前")) == ["a1"]
    assert run(backend, "请假").total == 2
    backend.delete_source("page:1")
    assert run(backend, "请假").total == 0
    assert "page:1" not in backend.keys_by_source()


def test_records_are_their_own_units_and_only_for_those_allowed(backend):
    # A contract whose id equals a page's: deleting one never touches the other.
    backend.index([entry("c1:main", 1, "仓储服务合同的请款条件。", kind="contract")])
    assert "page:1" in backend.keys_by_source() and "contract:1" in backend.keys_by_source()
    assert keys(run(backend, "请款")) == []  # documents only, by default
    keeper = AccessFilter(max_level=4, departments=None, record_kinds=frozenset({"contract"}))
    assert keys(run(backend, "请款", access=keeper)) == ["c1:main"]
    assert run(backend, "请款", access=keeper).facets["kind"] == {"contract": 1}
    backend.delete_source("contract:1")
    assert keys(run(backend, "请款", access=keeper)) == []
    assert {"a1", "a0"} <= set(keys(run(backend, "请假")))


def test_keys_by_source_and_clear(backend):
    expected: dict[str, set[str]] = {}
    for item in CORPUS:
        expected.setdefault(f"page:{item.page_id}", set()).add(item.key)
    assert backend.keys_by_source() == expected
    backend.clear()
    assert backend.keys_by_source() == {}
    assert run(backend, "保密").total == 0
