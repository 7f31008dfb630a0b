"""The Elasticsearch backend (SEARCH_BACKEND=elasticsearch): the same contract as the embedded
backend, for more documents and more than one machine.

- The index (search.es_documents) is reached through an **alias** (settings.ZHIDU_ES_INDEX);
  ``rebuild`` fills a new concrete index ``<alias>-<timestamp>``, switches the alias in one
  atomic call and deletes the old index, so searches never see an empty or half-built index.
- Every query is built by ``search_body`` (a pure function, tested without a server): the
  access policy and every filter are ``filter`` clauses of the one bool query, and the facets
  are aggregations of that same query, so a hidden entry is never matched, counted or ranked.
  There is no ``post_filter``.
- A word matches like in the embedded backend (all its rjieba tokens in ``normalised`` or
  ``title_normalised``) *or* through the CJK bigrams of the raw text and title; a quoted
  phrase must also match as a phrase of the space-free normalised text.
- Status (in force, scheduled, superseded, repealed) is computed from the dates relative to
  the query's ``today``, exactly as search.backends.embedded does; in-force entries rank first.
- Snippets come from search.snippets on the returned raw text, as in the embedded backend, so
  both backends highlight the same way (ES highlighting would miss matches found through the
  normalised fields, e.g. simplified queries on traditional text).
- Connection and server errors become ``SearchUnavailable``: the page says so, never a 500.
"""

import dataclasses
import datetime
import logging
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils import timezone
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch.helpers import BulkIndexError, bulk, scan

from ..es_documents import entry_index
from ..snippets import snippet_html
from .base import (
    FACETS,
    RECORD_KINDS,
    STATUSES,
    AccessFilter,
    BackendQuery,
    BackendResult,
    Filters,
    Hit,
    IndexEntry,
    ParsedQuery,
    SearchBackend,
    SearchUnavailable,
    Term,
)

logger = logging.getLogger(__name__)

DRAFT = {"term": {"draft": True}}  # a draft, found by editors only
MAX_WINDOW = 10_000  # index.max_result_window: from + size never exceeds it
FACET_SIZE = 500
TITLE_BOOST = 8.0  # as the embedded backend's bm25(fts, 8.0, 1.0)
ERRORS = (ApiError, TransportError, BulkIndexError)
# A search waits this long for the server, once (index writes keep the client's 10 s and one
# retry): a server that accepts connections but does not answer would otherwise hold each
# search's web worker for 20 s, and the rest of the site would queue behind them.
SEARCH_TIMEOUT_SECONDS = 3

# Status rank for "in force first": 0 in force, 1 scheduled, 2 superseded or repealed
# (search.backends.embedded.STATUS_ORDER). Dates are indexed as UTC midnight.
STATUS_RANK_SCRIPT = """
long day = params.today;
if (doc['draft'].size() > 0 && doc['draft'].value) { return 2; }
def eff = doc['effective_date'];
if (eff.size() > 0 && eff.value.toInstant().toEpochMilli() > day) { return 1; }
def sup = doc['superseded_on'];
if (sup.size() == 0 || sup.value.toInstant().toEpochMilli() > day) { return 0; }
return 2;
"""


# -- documents ----------------------------------------------------------------------------------
def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def entry_document(entry: IndexEntry) -> dict:
    """The indexed document (search.es_documents.EntryDocument) of one entry."""
    document = dataclasses.asdict(entry)
    document.update(
        source=entry.source,
        normalised=entry.normalised,
        title_normalised=entry.title_normalised,
        need_to_know=list(entry.need_to_know),
        effective_date=_iso(entry.effective_date),
        superseded_on=_iso(entry.superseded_on),
        plain=entry.normalised.replace(" ", ""),
        title_plain=entry.title_normalised.replace(" ", ""),
    )
    return document


def _date(value) -> datetime.date | None:
    return datetime.date.fromisoformat(value[:10]) if value else None


def entry_from_source(source: dict) -> IndexEntry:
    data = {f.name: source.get(f.name) for f in dataclasses.fields(IndexEntry)}
    data.update(
        need_to_know=tuple(data["need_to_know"] or ()),
        repealed=bool(data["repealed"]),
        draft=bool(data["draft"]),
        effective_date=_date(data["effective_date"]),
        superseded_on=_date(data["superseded_on"]),
    )
    return IndexEntry(**data)


# -- query JSON (pure functions) ---------------------------------------------------------------
def index_body() -> dict:
    """Settings (analysis) and mappings of a concrete index, for indices.create."""
    return entry_index("zhidu-entries").to_dict()


def access_clauses(access: AccessFilter) -> list[dict]:
    """The access policy as filter clauses (records.permissions, via search.service)."""
    clauses: list[dict] = [{"range": {"level": {"lte": access.max_level}}}]
    if not access.drafts:
        clauses.append({"bool": {"must_not": [DRAFT]}})
    hidden_kinds = sorted(set(RECORD_KINDS) - access.record_kinds)
    if hidden_kinds:
        clauses.append({"bool": {"must_not": [{"terms": {"kind": hidden_kinds}}]}})
    if access.departments is not None:
        clauses.append(
            {
                "bool": {
                    "should": [
                        {"bool": {"must_not": [{"exists": {"field": "need_to_know"}}]}},
                        {"terms": {"need_to_know": sorted(access.departments)}},
                    ],
                    "minimum_should_match": 1,
                }
            }
        )
    return clauses


def _current_on(day: str) -> dict:
    """Not superseded on ``day``."""
    return {
        "bool": {
            "should": [
                {"bool": {"must_not": [{"exists": {"field": "superseded_on"}}]}},
                {"range": {"superseded_on": {"gt": day}}},
            ],
            "minimum_should_match": 1,
        }
    }


def status_clause(status: str, today: datetime.date) -> dict:
    """One status on ``today``, as the embedded backend computes it: scheduled when the
    effective date is after today; otherwise in force unless superseded on or before today;
    a superseded entry is repealed when its ``repealed`` flag is set."""
    day = today.isoformat()
    if status == "draft":
        return DRAFT
    scheduled = {"range": {"effective_date": {"gt": day}}}
    if status == "scheduled":
        return {"bool": {"filter": [scheduled], "must_not": [DRAFT]}}
    if status == "in_force":
        return {"bool": {"filter": [_current_on(day)], "must_not": [scheduled, DRAFT]}}
    return {
        "bool": {
            "filter": [
                {"range": {"superseded_on": {"lte": day}}},
                {"term": {"repealed": status == "repealed"}},
            ],
            "must_not": [scheduled, DRAFT],
        }
    }


def filter_clauses(filters: Filters, today: datetime.date) -> list[dict]:
    clauses: list[dict] = []
    if filters.statuses:
        known = [s for s in filters.statuses if s in STATUSES]
        clauses.append(
            {
                "bool": {
                    "should": [status_clause(s, today) for s in known],
                    "minimum_should_match": 1,
                }
            }
        )
    for name, values in (
        ("kind", filters.kinds),
        ("category", filters.categories),
        ("level", filters.levels),
        ("department_id", filters.department_ids),
    ):
        if values:
            clauses.append({"terms": {name: list(values)}})
    dates = {}
    if filters.effective_from:
        dates["gte"] = filters.effective_from.isoformat()
    if filters.effective_to:
        dates["lte"] = filters.effective_to.isoformat()
    if dates:
        clauses.append({"range": {"effective_date": dates}})
    if filters.in_force_on:
        day = filters.in_force_on.isoformat()
        clauses.append({"range": {"effective_date": {"lte": day}}})
        clauses.append(_current_on(day))
    return clauses


def _wildcard_literal(value: str) -> str:
    return value.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")


FIELD_COLUMNS = {"document_number": "document_number", "title": "title_plain"}


def field_clauses(fields: dict[str, str]) -> list[dict]:
    """编号:… 标题:… 版本:… — case-insensitive substrings, like the embedded backend."""
    return [
        {
            "wildcard": {
                FIELD_COLUMNS.get(name, "version"): {
                    "value": f"*{_wildcard_literal(value.lower())}*",
                    "case_insensitive": True,
                }
            }
        }
        for name, value in fields.items()
    ]


def term_clause(term: Term) -> dict:
    """A word: all its tokens in the segmented text or title (the embedded backend's match),
    or all bigrams of it in the raw text or title (the stock CJK analyzer)."""
    tokens = {
        "bool": {
            "must": [
                {
                    "bool": {
                        "should": [
                            {"term": {"normalised": token}},
                            {"term": {"title_normalised": {"value": token, "boost": TITLE_BOOST}}},
                        ],
                        "minimum_should_match": 1,
                    }
                }
                for token in term.tokens
            ]
        }
    }
    bigrams = {
        "multi_match": {
            "query": term.plain,
            "fields": ["text", f"title.cjk^{TITLE_BOOST:g}"],
            "type": "cross_fields",
            "operator": "and",
        }
    }
    return {"bool": {"should": [tokens, bigrams], "minimum_should_match": 1}}


def phrase_clause(term: Term) -> dict:
    """A quoted phrase: the exact normalised string in the text or the title."""
    return {
        "bool": {
            "should": [
                {"match_phrase": {"plain": term.plain}},
                {"match_phrase": {"title_plain.cjk": term.plain}},
            ],
            "minimum_should_match": 1,
        }
    }


def bool_query(query: BackendQuery, today: datetime.date) -> dict:
    parsed: ParsedQuery = query.query
    must = [term_clause(t) for t in parsed.terms]
    must += [phrase_clause(t) for t in parsed.terms if t.exact]
    return {
        "bool": {
            "must": must,
            "must_not": [term_clause(t) for t in parsed.excluded],
            "filter": [
                *access_clauses(query.access),
                *field_clauses(parsed.fields),
                *filter_clauses(query.filters, today),
            ],
        }
    }


def _midnight_millis(day: datetime.date) -> int:
    midnight = datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.UTC)
    return int(midnight.timestamp()) * 1000


def sort_clauses(sort: str, today: datetime.date) -> list:
    newest = {"effective_date": {"order": "desc", "missing": "_last"}}
    if sort == "date":
        return [newest, {"_score": "desc"}, {"key": "asc"}]
    status = {
        "_script": {
            "type": "number",
            "order": "asc",
            "script": {
                "lang": "painless",
                "source": STATUS_RANK_SCRIPT,
                "params": {"today": _midnight_millis(today)},
            },
        }
    }
    return [status, {"_score": "desc"}, newest, {"key": "asc"}]


def aggregations(today: datetime.date) -> dict:
    """Facet counts: aggregations of the query itself, so only visible matches count."""
    aggs: dict = {
        name: {"terms": {"field": name, "size": FACET_SIZE}} for name in FACETS if name != "status"
    }
    aggs["status"] = {"filters": {"filters": {s: status_clause(s, today) for s in STATUSES}}}
    return aggs


def search_body(query: BackendQuery) -> dict:
    """The search request body for one BackendQuery (never raises on any parsed input)."""
    today = query.today or timezone.localdate()
    offset = max(0, min(query.offset, MAX_WINDOW))
    return {
        "query": bool_query(query, today),
        "aggs": aggregations(today),
        "sort": sort_clauses(query.sort, today),
        "from": offset,
        "size": max(0, min(query.limit, MAX_WINDOW - offset)),
        "track_total_hits": True,
        "track_scores": True,
        "_source": {"excludes": ["plain", "title_plain"]},
    }


def parse_response(response: dict, query: BackendQuery) -> BackendResult:
    hits = []
    for raw in response["hits"]["hits"]:
        entry = entry_from_source(raw["_source"])
        hits.append(
            Hit(
                entry=entry,
                score=float(raw.get("_score") or 0.0),
                snippet_html=snippet_html(entry.text, query.query.terms),
            )
        )
    facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    aggs = response.get("aggregations", {})
    for name in FACETS:
        if name == "status":
            buckets = aggs.get("status", {}).get("buckets", {})
            facets[name] = {s: b["doc_count"] for s, b in buckets.items() if b["doc_count"]}
        else:
            for bucket in aggs.get(name, {}).get("buckets", []):
                facets[name][str(bucket["key"])] = bucket["doc_count"]
    return BackendResult(hits=hits, total=response["hits"]["total"]["value"], facets=facets)


# -- the backend ------------------------------------------------------------------------------
def es_hosts(url: str) -> list[str]:
    """ELASTICSEARCH_URL as the client's node list: one address, or several separated by commas
    (the nodes of a cluster, e.g. "https://user:pw@es1:9200,https://user:pw@es2:9200"). The
    client spreads requests over them and, on a connection error, tries the next node."""
    hosts = [host.strip() for host in url.split(",") if host.strip()]
    if not hosts:
        raise ValueError("ELASTICSEARCH_URL names no Elasticsearch node")
    return hosts


class ElasticsearchBackend(SearchBackend):
    """Entries in the index behind the alias ``index`` (settings.ZHIDU_ES_INDEX)."""

    name = "elasticsearch"

    def __init__(self, url: str, *, index: str | None = None, client=None):
        self.alias = (index or settings.ZHIDU_ES_INDEX).lower()
        # ELASTICSEARCH_CA_CERTS: the cluster's own CA (Elasticsearch 8 makes one at set-up).
        ca_certs = settings.ELASTICSEARCH_CA_CERTS
        tls = {"ca_certs": ca_certs} if ca_certs else {}
        hosts = es_hosts(url)
        # A node that refuses the connection is left for the next one, each tried once: one
        # node down in a cluster costs no search. A node that times out is not retried
        # (elastic-transport's default), so an outage costs one timeout, not one per node.
        self.other_nodes = len(hosts) - 1
        self.client = client or Elasticsearch(
            hosts, request_timeout=10, max_retries=max(1, self.other_nodes), **tls
        )
        self._ready = False

    def _call(self, work, *, ensure: bool = True, client=None):
        try:
            if ensure and not self._ready:
                self._ensure_index(client or self.client)
            return work()
        except ERRORS as exc:
            logger.warning("Elasticsearch unavailable: %s", exc)
            raise SearchUnavailable(str(exc)) from exc

    def _ensure_index(self, client) -> None:
        """Create the first concrete index behind the alias, unless the alias (or an index of
        that name, from before aliases) exists. The fixed name makes concurrent first calls
        safe: the loser's create fails with resource_already_exists."""
        indices = client.indices
        if not (indices.exists_alias(name=self.alias) or indices.exists(index=self.alias)):
            body = index_body()
            try:
                indices.create(
                    index=f"{self.alias}-initial",
                    settings=body["settings"],
                    mappings=body["mappings"],
                    aliases={self.alias: {}},
                )
            except ApiError as exc:
                if "resource_already_exists" not in str(exc):
                    raise
        self._ready = True

    # -- writing ------------------------------------------------------------------------------
    def _actions(self, entries: Iterable[IndexEntry], index: str) -> Iterator[dict]:
        for entry in entries:
            yield {"_index": index, "_id": entry.key, "_source": entry_document(entry)}

    def index(self, entries: list[IndexEntry]) -> None:
        if entries:
            # wait_for: a search right after indexing sees the entries (as with the embedded
            # backend), without forcing a refresh per call.
            self._call(
                lambda: bulk(self.client, self._actions(entries, self.alias), refresh="wait_for")
            )

    def delete_source(self, source: str) -> None:
        self._call(
            lambda: self.client.delete_by_query(
                index=self.alias,
                query={"term": {"source": source}},
                refresh=True,
                conflicts="proceed",
            )
        )

    def clear(self) -> None:
        self._call(
            lambda: self.client.delete_by_query(
                index=self.alias, query={"match_all": {}}, refresh=True, conflicts="proceed"
            )
        )

    def keys_by_source(self) -> dict[str, set[str]]:
        def work():
            found: dict[str, set[str]] = {}
            for doc in scan(
                self.client,
                index=self.alias,
                query={"query": {"match_all": {}}, "_source": ["source", "key"]},
            ):
                fields = doc["_source"]
                found.setdefault(fields["source"], set()).add(fields["key"])
            return found

        return self._call(work)

    def rebuild(self, entries: Iterable[IndexEntry], *, chunk_size: int = 500) -> int:
        """Zero-downtime rebuild: a new concrete index, bulk-filled and refreshed, then the
        alias moves to it atomically and the old index is deleted. Searches keep using the old
        index until the switch. Returns the number of entries indexed.

        Writes made through the alias *during* a rebuild land in the old index and are lost
        with it: run ``search_check`` (or index those pages again) after a rebuild."""
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S%f")
        new = f"{self.alias}-{stamp}"

        def work():
            indices = self.client.indices
            body = index_body()
            indices.create(index=new, settings=body["settings"], mappings=body["mappings"])
            try:
                count, _ = bulk(self.client, self._actions(entries, new), chunk_size=chunk_size)
                indices.refresh(index=new)
                actions: list[dict] = [{"add": {"index": new, "alias": self.alias}}]
                old = self._indices_behind_alias()
                actions += [{"remove": {"index": name, "alias": self.alias}} for name in old]
                if not old and indices.exists(index=self.alias):
                    # a concrete index under the alias's name: replaced in the same call
                    actions.append({"remove_index": {"index": self.alias}})
                indices.update_aliases(actions=actions)
            except BaseException:
                indices.delete(index=new, ignore_unavailable=True)
                raise
            for name in old:
                indices.delete(index=name, ignore_unavailable=True)
            self._ready = True
            return count

        return self._call(work, ensure=False)

    def _indices_behind_alias(self) -> list[str]:
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def drop(self) -> None:
        """Delete the alias and every index behind it (tests, uninstall)."""

        def work():
            for name in self._indices_behind_alias():
                self.client.indices.delete(index=name, ignore_unavailable=True)
            self._ready = False

        self._call(work, ensure=False)

    # -- querying -----------------------------------------------------------------------------
    def search(self, query: BackendQuery) -> BackendResult:
        if query.query.empty and not query.filters.chosen:
            return BackendResult(hits=[], total=0, facets={})
        body = search_body(query)
        quick = self.client.options(
            request_timeout=SEARCH_TIMEOUT_SECONDS, max_retries=self.other_nodes
        )
        response = self._call(lambda: quick.search(index=self.alias, body=body), client=quick)
        return parse_response(getattr(response, "body", response), query)
