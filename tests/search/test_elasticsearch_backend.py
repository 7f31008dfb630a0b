"""The Elasticsearch backend without a server: its mapping and query JSON, a small evaluator
of the filter clauses checked against the embedded backend on the contract corpus, and the
backend's requests (bulk, alias switch, errors) through the real client talking to a fake node.
Live behaviour is in test_backend_contract.py (ELASTICSEARCH_URL)."""

import datetime
import functools
import json
import re
import socket

import pytest
from elasticsearch import Elasticsearch

import search.backends.elasticsearch as elasticsearch_backend
from search.backends.base import (
    STATUSES,
    AccessFilter,
    BackendQuery,
    Filters,
    SearchUnavailable,
)
from search.backends.elasticsearch import (
    ElasticsearchBackend,
    entry_document,
    entry_from_source,
    index_body,
    search_body,
)
from search.backends.embedded import EmbeddedBackend
from search.query import parse_query
from search.text import PINYIN_ANNOTATION
from tests.search.fake_elasticsearch import FakeCluster, fake_backend, fake_node
from tests.search.test_backend_contract import CORPUS, EVERYTHING, STAFF, TODAY, keys

HOSTILE = [
    '"', "*", "保密 OR", "NEAR(保密", "\x00\x1b保密", "保" * 5000, "a:b:c", "编号:\\*?",
    '{"match_all": {}}', "-保密", '"事先 申请" -"加班" 标题:考勤 版本:V1', "}\"]'",
]  # fmt: skip


def body_for(text, access=STAFF, **options):
    return search_body(BackendQuery(query=parse_query(text), access=access, today=TODAY, **options))


# -- the mapping --------------------------------------------------------------------------------
def test_the_analyzer_is_stock_elasticsearch_with_a_pinyin_char_filter():
    analysis = index_body()["settings"]["analysis"]
    analyzer = analysis["analyzer"]["zhidu_cjk"]
    assert analyzer["tokenizer"] == "standard"
    assert analyzer["filter"] == ["cjk_width", "lowercase", "zhidu_cjk_bigram"]
    assert analysis["filter"]["zhidu_cjk_bigram"]["type"] == "cjk_bigram"
    (name,) = analyzer["char_filter"]
    char_filter = analysis["char_filter"][name]
    assert char_filter["type"] == "pattern_replace" and char_filter["replacement"] == ""
    # the same pattern as the embedded pipeline, and nothing Java's regex would reject
    assert char_filter["pattern"] == PINYIN_ANNOTATION.pattern
    assert "(?P" not in char_filter["pattern"]
    assert re.sub(char_filter["pattern"], "", "運(yùn)營（zhāng）規範(gui1 fan4)") == "運營規範"


def test_field_types():
    mapping = index_body()["mappings"]
    fields = mapping["properties"]
    assert mapping["dynamic"] == "strict"
    for name in ("text", "plain"):
        assert fields[name] == {"type": "text", "analyzer": "zhidu_cjk"}
    for name in ("title", "title_plain"):
        assert fields[name]["fields"]["cjk"] == {"type": "text", "analyzer": "zhidu_cjk"}
    for name in ("normalised", "title_normalised"):
        assert fields[name] == {"type": "text", "analyzer": "whitespace"}
    for name in ("kind", "category", "key", "title"):
        assert fields[name]["type"] == "keyword"
    for name in ("document_number", "version", "title_plain"):
        assert fields[name]["normalizer"] == "zhidu_lowercase"
    for name in ("level", "need_to_know", "page_id", "version_id", "department_id"):
        assert fields[name]["type"] == "integer"
    assert fields["repealed"]["type"] == "boolean"
    assert fields["effective_date"]["type"] == fields["superseded_on"]["type"] == "date"


def test_every_document_field_is_mapped():
    """The mapping is strict: a field missing from it would reject every document."""
    properties = index_body()["mappings"]["properties"]
    for entry in CORPUS:
        assert set(entry_document(entry)) <= set(properties)
    document = entry_document(CORPUS[3])
    assert document["level"] == 3 and document["effective_date"] == "2024-01-01"
    assert document["plain"] == CORPUS[3].normalised.replace(" ", "")
    assert entry_from_source(document) == CORPUS[3]  # hits round-trip


# -- the query JSON -----------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["保密", '"事先申请"', "事先 -加班", "编号:SYCW", *HOSTILE])
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_the_access_filter_is_inside_the_query_for_every_query(text, sort):
    body = body_for(text, sort=sort)
    json.dumps(body)  # always serialisable
    assert "post_filter" not in body
    query = body["query"]["bool"]
    assert {"range": {"level": {"lte": 1}}} in query["filter"]
    need_to_know = {
        "bool": {
            "should": [
                {"bool": {"must_not": [{"exists": {"field": "need_to_know"}}]}},
                {"terms": {"need_to_know": [10]}},
            ],
            "minimum_should_match": 1,
        }
    }
    assert need_to_know in query["filter"]
    # facets are aggregations of this query, not of a broader one
    assert set(body["aggs"]) == {"kind", "status", "category", "level", "department_id"}
    assert not any("global" in agg or "filter" in agg for agg in body["aggs"].values())


NO_DRAFTS = {"bool": {"must_not": [{"term": {"draft": True}}]}}


def test_auditors_have_no_need_to_know_clause_but_keep_the_level():
    records = frozenset({"contract", "archive"})
    auditor = AccessFilter(max_level=4, departments=None, record_kinds=records)
    body = body_for("保密", access=auditor)
    assert body["query"]["bool"]["filter"] == [{"range": {"level": {"lte": 4}}}, NO_DRAFTS]
    nobody = body_for("保密", access=AccessFilter(max_level=0, departments=frozenset()))
    should = nobody["query"]["bool"]["filter"][3]["bool"]["should"]
    assert should[1] == {"terms": {"need_to_know": []}}  # only unrestricted entries


def test_drafts_are_filtered_out_unless_the_user_edits_documents():
    assert NO_DRAFTS in body_for("保密")["query"]["bool"]["filter"]
    editor = body_for("保密", access=AccessFilter(max_level=1, departments=None, drafts=True))
    assert NO_DRAFTS not in editor["query"]["bool"]["filter"]
    assert editor["aggs"]["status"]["filters"]["filters"]["draft"] == {"term": {"draft": True}}


def test_words_phrases_and_exclusions():
    query = body_for('"事先申请" -加班')["query"]["bool"]
    text = json.dumps(query, ensure_ascii=False)
    must = json.dumps(query["must"], ensure_ascii=False)
    assert '{"match_phrase": {"plain": "事先申请"}}' in must
    assert '{"term": {"normalised": "事先"}}' in must and '"申请"' in must
    (excluded,) = query["must_not"]
    assert "加班" in json.dumps(excluded, ensure_ascii=False) and "加班" not in must
    assert "query_string" not in text and "simple_query_string" not in text


def test_field_filters_are_escaped_case_insensitive_wildcards():
    clauses = body_for("编号:SY*C?W\\ 标题:考勤")["query"]["bool"]["filter"]
    wildcards = [c["wildcard"] for c in clauses if "wildcard" in c]
    assert {"document_number": {"value": "*sy\\*c\\?w\\\\*", "case_insensitive": True}} in (
        wildcards
    )
    assert {"title_plain": {"value": "*考勤*", "case_insensitive": True}} in wildcards


def test_each_status_filter_is_a_date_clause_relative_to_today():
    def clause(status):
        filters = Filters(statuses=(status,))
        return body_for("事先", filters=filters)["query"]["bool"]["filter"][-1]["bool"]["should"][0]

    scheduled = {"range": {"effective_date": {"gt": "2024-06-01"}}}
    draft = {"term": {"draft": True}}
    assert clause("scheduled") == {"bool": {"filter": [scheduled], "must_not": [draft]}}
    assert clause("in_force")["bool"]["must_not"] == [scheduled, draft]
    assert clause("draft") == draft
    assert clause("in_force")["bool"]["filter"] == [
        {
            "bool": {
                "should": [
                    {"bool": {"must_not": [{"exists": {"field": "superseded_on"}}]}},
                    {"range": {"superseded_on": {"gt": "2024-06-01"}}},
                ],
                "minimum_should_match": 1,
            }
        }
    ]
    for status, flag in (("superseded", False), ("repealed", True)):
        assert clause(status)["bool"] == {
            "filter": [
                {"range": {"superseded_on": {"lte": "2024-06-01"}}},
                {"term": {"repealed": flag}},
            ],
            "must_not": [scheduled, draft],
        }


def test_relevance_ranks_in_force_first_and_date_sorts_newest_first():
    relevance = body_for("事先")["sort"]
    assert relevance[0]["_script"]["script"]["params"]["today"] == 1717200000000  # 2024-06-01
    assert relevance[1] == {"_score": "desc"}
    assert body_for("事先", sort="date")["sort"][0] == {
        "effective_date": {"order": "desc", "missing": "_last"}
    }


def test_paging_stays_inside_the_result_window():
    body = body_for("事先", offset=9990, limit=50)
    assert body["from"] + body["size"] <= 10_000
    assert body_for("事先", offset=20_000)["size"] == 0


# -- the filter clauses mean what the embedded backend does -------------------------------------
def _value_matches(values, test):
    values = values if isinstance(values, list) else [values]
    return any(v is not None and test(v) for v in values)


def _wildcard(pattern: str) -> re.Pattern:
    out, chars = [], iter(pattern)
    for char in chars:
        if char == "\\":
            out.append(re.escape(next(chars, "\\")))
        else:
            out.append({"*": ".*", "?": "."}.get(char) or re.escape(char))
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def matches(clause: dict, doc: dict) -> bool:
    """Elasticsearch's meaning of the filter clauses search_body uses (keyword semantics)."""
    (kind, spec), = clause.items()  # fmt: skip
    if kind == "bool":
        must = spec.get("must", []) + spec.get("filter", [])
        should = spec.get("should", [])
        needed = spec.get("minimum_should_match", 0 if must else min(1, len(should)))
        return (
            all(matches(c, doc) for c in must)
            and not any(matches(c, doc) for c in spec.get("must_not", []))
            and sum(matches(c, doc) for c in should) >= needed
        )
    (field, arg), = spec.items()  # fmt: skip
    if kind == "exists":
        return _value_matches(doc.get(arg), lambda v: True)
    if kind == "term":
        return _value_matches(doc.get(field), lambda v: v == arg)
    if kind == "terms":
        return _value_matches(doc.get(field), lambda v: v in arg)
    if kind == "range":
        ops = {"gt": "__gt__", "gte": "__ge__", "lt": "__lt__", "lte": "__le__"}
        return _value_matches(
            doc.get(field), lambda v: all(getattr(v, ops[op])(b) for op, b in arg.items())
        )
    if kind == "wildcard":
        return _value_matches(doc.get(field), lambda v: bool(_wildcard(arg["value"]).fullmatch(v)))
    raise AssertionError(f"unexpected clause {kind}")


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    backend = EmbeddedBackend(tmp_path_factory.mktemp("es") / "idx.sqlite3")
    backend.index(CORPUS)
    return backend


@pytest.mark.parametrize("word", ["事先", "保密", "运营", "员工"])
@pytest.mark.parametrize(
    ("access", "filters"),
    [
        (STAFF, Filters()),
        (AccessFilter(max_level=3, departments=frozenset({20})), Filters()),
        (AccessFilter(max_level=1, departments=frozenset()), Filters()),
        *[(EVERYTHING, Filters(statuses=(s,))) for s in STATUSES],
        (EVERYTHING, Filters(statuses=("superseded", "repealed"))),
        (EVERYTHING, Filters(in_force_on=datetime.date(2023, 6, 1))),
        (EVERYTHING, Filters(in_force_on=datetime.date(2024, 1, 1))),
        (EVERYTHING, Filters(effective_from=datetime.date(2023, 1, 1))),
        (EVERYTHING, Filters(kinds=("job_description",), levels=(0, 1))),
        (EVERYTHING, Filters(categories=("人事", "行政"), department_ids=(10,))),
    ],
)
def test_filter_clauses_select_what_the_embedded_backend_selects(embedded, word, access, filters):
    def found(access, filters):
        query = BackendQuery(parse_query(word), access, filters=filters, today=TODAY, limit=50)
        return set(keys(embedded.search(query)))

    clauses = body_for(word, access=access, filters=filters)["query"]["bool"]["filter"]
    selected = {e.key for e in CORPUS if all(matches(c, entry_document(e)) for c in clauses)}
    assert found(EVERYTHING, Filters()) & selected == found(access, filters)


def test_status_facet_buckets_match_the_embedded_status():
    buckets = body_for("事先")["aggs"]["status"]["filters"]["filters"]
    for entry in CORPUS:
        statuses = [s for s, clause in buckets.items() if matches(clause, entry_document(entry))]
        assert len(statuses) == 1, entry.key
    expected = {"a1": "in_force", "a0": "superseded", "o6": "scheduled", "r7": "repealed"}
    for entry in CORPUS:
        if entry.key in expected:
            assert matches(buckets[expected[entry.key]], entry_document(entry))


# -- the requests, through the real client and a fake node (tests/search/fake_elasticsearch.py)


def test_entries_are_bulk_indexed_by_key_through_the_alias_created_on_first_use():
    cluster = FakeCluster()
    backend = fake_backend(cluster)
    backend.index(CORPUS)
    backend.index(CORPUS[:1])
    assert cluster.aliases == {"zhidu-test": {"zhidu-test-initial"}}
    assert set(cluster.indices["zhidu-test-initial"]) == {e.key for e in CORPUS}
    create = next(body for method, _, body in cluster.requests if method == "PUT")
    assert create["mappings"] == index_body()["mappings"]


def test_delete_source_clear_and_keys_by_source():
    cluster = FakeCluster()
    backend = fake_backend(cluster)
    backend.index(CORPUS)
    backend.delete_source("page:1")
    found = backend.keys_by_source()
    assert "page:1" not in found and found["page:7"] == {"r7"} and len(found) == 8
    deletes = [body for _, path, body in cluster.requests if "_delete_by_query" in path]
    assert deletes == [{"query": {"term": {"source": "page:1"}}}]
    backend.clear()
    assert backend.keys_by_source() == {}


def test_records_are_filtered_out_unless_the_user_may_search_them():
    hidden = {"bool": {"must_not": [{"terms": {"kind": ["archive", "contract"]}}]}}
    assert hidden in body_for("保密")["query"]["bool"]["filter"]
    access = AccessFilter(max_level=1, departments=None, record_kinds=frozenset({"contract"}))
    keeper = body_for("保密", access=access)["query"]["bool"]["filter"]
    assert {"bool": {"must_not": [{"terms": {"kind": ["archive"]}}]}} in keeper


def test_rebuild_fills_a_new_index_and_switches_the_alias_atomically():
    cluster = FakeCluster()
    backend = fake_backend(cluster)
    backend.index(CORPUS)
    assert backend.rebuild(iter(CORPUS[:3])) == 3
    (new,) = cluster.aliases["zhidu-test"]
    assert re.fullmatch(r"zhidu-test-\d{20}", new)
    assert set(cluster.indices) == {new} and len(cluster.indices[new]) == 3
    (switch,) = [body for _, path, body in cluster.requests if path == "/_aliases"]
    assert switch["actions"] == [
        {"add": {"index": new, "alias": "zhidu-test"}},
        {"remove": {"index": "zhidu-test-initial", "alias": "zhidu-test"}},
    ]


def test_a_failed_rebuild_leaves_the_old_index_searchable():
    cluster = FakeCluster()
    backend = fake_backend(cluster)
    backend.index(CORPUS)
    cluster.fail_bulk = True
    with pytest.raises(SearchUnavailable):
        backend.rebuild(CORPUS)
    assert cluster.aliases == {"zhidu-test": {"zhidu-test-initial"}}
    assert set(cluster.indices) == {"zhidu-test-initial"}


def test_search_results_hits_totals_and_facets():
    cluster = FakeCluster()
    backend = fake_backend(cluster)
    source = entry_document(CORPUS[0])
    cluster.search_response = {
        "hits": {"total": {"value": 7}, "hits": [{"_score": 2.5, "_source": source}]},
        "aggregations": {
            "kind": {"buckets": [{"key": "regulation", "doc_count": 7}]},
            "level": {"buckets": [{"key": 1, "doc_count": 7}]},
            "category": {"buckets": []},
            "department_id": {"buckets": [{"key": 10, "doc_count": 7}]},
            "status": {
                "buckets": {s: {"doc_count": 7 if s == "in_force" else 0} for s in STATUSES}
            },
        },
    }
    result = backend.search(BackendQuery(parse_query("请假"), STAFF, today=TODAY))
    assert result.total == 7 and result.hits[0].entry == CORPUS[0]
    assert result.hits[0].score == 2.5
    assert "<mark>请假</mark>" in result.hits[0].snippet_html
    assert result.facets["level"] == {"1": 7} and result.facets["department_id"] == {"10": 7}
    assert result.facets["status"] == {"in_force": 7}
    (search,) = [body for _, path, body in cluster.requests if path.endswith("/_search")]
    assert search == json.loads(json.dumps(body_for("请假")))
    assert backend.search(BackendQuery(parse_query(""), STAFF)).total == 0


def test_an_unreachable_server_is_search_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    backend = ElasticsearchBackend(f"http://127.0.0.1:{port}", index="zhidu-test")
    with pytest.raises(SearchUnavailable):
        backend.search(BackendQuery(parse_query("保密"), STAFF, today=TODAY))
    with pytest.raises(SearchUnavailable):
        backend.index(CORPUS)


def test_with_one_node_of_the_cluster_down_searches_and_indexing_go_to_the_others(monkeypatch):
    cluster = FakeCluster()
    cluster.search_response = {"hits": {"total": {"value": 0}, "hits": []}, "aggregations": {}}
    node = fake_node(cluster, down=frozenset({"es1.invalid"}))
    monkeypatch.setattr(
        elasticsearch_backend, "Elasticsearch", functools.partial(Elasticsearch, node_class=node)
    )
    backend = ElasticsearchBackend(
        "http://es1.invalid:9200,http://es2.invalid:9200,http://es3.invalid:9200",
        index="zhidu-test",
    )
    backend._ready = True  # searches first: the nodes are taken in turn, so one meets es1
    for _ in range(6):
        assert backend.search(BackendQuery(parse_query("保密"), STAFF, today=TODAY)).total == 0
    assert "es1.invalid" in cluster.requests_by_host, "the stopped node was tried"
    assert {"es2.invalid", "es3.invalid"} <= set(cluster.requests_by_host)
    backend._ready = False
    backend.index(CORPUS)
    assert len(cluster.indices["zhidu-test-initial"]) == len(CORPUS)


def test_with_every_node_down_a_search_tries_each_once_and_is_search_unavailable(monkeypatch):
    cluster = FakeCluster()
    hosts = {"es1.invalid", "es2.invalid", "es3.invalid"}
    node = fake_node(cluster, down=frozenset(hosts))
    monkeypatch.setattr(
        elasticsearch_backend, "Elasticsearch", functools.partial(Elasticsearch, node_class=node)
    )
    backend = ElasticsearchBackend(
        ",".join(f"http://{host}:9200" for host in sorted(hosts)), index="zhidu-test"
    )
    backend._ready = True  # the index exists: only the search itself is sent
    with pytest.raises(SearchUnavailable):
        backend.search(BackendQuery(parse_query("保密"), STAFF, today=TODAY))
    assert sorted(cluster.requests_by_host) == sorted(hosts)
