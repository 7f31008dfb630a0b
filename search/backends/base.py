"""What every search backend implements, and the values passed between the service and them.

The service (search/service.py) turns a user into an ``AccessFilter`` and a query string into
a ``ParsedQuery``; a backend stores ``IndexEntry`` rows and answers ``BackendQuery`` with a
``BackendResult``. Backends never see a user: the access rules arrive as data and every backend
must apply them *inside* its query (hits, totals and facet counts alike), so a hidden entry can
never be counted, ranked or leaked by any backend.
"""

import datetime
import functools
from dataclasses import dataclass, field

from ..text import index_text, normalise

# Entries of records other than documents, by kind: the prefix of their IndexEntry.source.
RECORD_KINDS = {"contract": "contract", "archive": "archive"}


def page_source(page_id: int) -> str:
    """IndexEntry.source of a document's entries."""
    return f"page:{page_id}"


@dataclass(frozen=True)
class IndexEntry:
    """One searchable unit: an article (第X条) of an issued version, or a version's heading.

    ``key`` is stable ("v<version_id>:<uid or index>"), so re-indexing replaces, never adds.
    ``text`` is the raw text shown in snippets. Each backend derives what it indexes from the
    raw text and title, computed once and only when asked for: ``plain`` (search.text.normalise
    — NFKC, pinyin annotations stripped, traditional → simplified, lower case) for the
    embedded backend's character bigrams, ``normalised`` (that, segmented by rjieba and joined
    by spaces: search.text.index_text) for Elasticsearch's word fields; the title forms cover
    the title and the document number.
    """

    key: str
    kind: str  # "regulation" | "job_description" | "contract" | "archive"
    page_id: int  # the document's page; for a contract or an archive item, the record's id
    version_id: int | None
    title: str
    document_number: str
    version: str  # "V2.0"
    label: str  # "第十二条", "" for a heading entry
    anchor: str  # the block uid, for /zhidu/<number>/v/<ver>/#<anchor>
    url: str
    text: str
    level: int  # 密级 rank
    need_to_know: tuple[int, ...]  # department ids; empty = no restriction
    repealed: bool  # status (in force, scheduled, superseded, repealed) follows from the dates
    effective_date: datetime.date | None
    superseded_on: datetime.date | None
    category: str  # the library category title, e.g. "人事"
    department_id: int | None  # owner department (制定部门)
    # The document as last saved and not yet issued: found only by editors (AccessFilter).
    draft: bool = False

    @property
    def source(self) -> str:
        """The record the entry belongs to — the unit the index replaces at once."""
        return f"{RECORD_KINDS.get(self.kind, 'page')}:{self.page_id}"

    @functools.cached_property
    def title_source(self) -> str:
        return f"{self.title} {self.document_number}"

    @functools.cached_property
    def plain(self) -> str:
        return normalise(self.text)

    @functools.cached_property
    def title_plain(self) -> str:
        return normalise(self.title_source)

    @functools.cached_property
    def normalised(self) -> str:
        return index_text(self.text)

    @functools.cached_property
    def title_normalised(self) -> str:
        return index_text(self.title_source)

    def status_on(self, day: datetime.date) -> str:
        """现行有效 / 待生效 / 被替代 / 已废止 on ``day`` (the rule the backends apply in
        their queries, and policies_content's IssuedVersion.state); 草稿 for a draft."""
        if self.draft:
            return "draft"
        if self.effective_date and self.effective_date > day:
            return "scheduled"
        if self.superseded_on is None or self.superseded_on > day:
            return "in_force"
        return "repealed" if self.repealed else "superseded"


@dataclass(frozen=True)
class AccessFilter:
    """The access policy as data (from records.permissions): entries above ``max_level`` are
    never matched; when ``departments`` is not None, an entry with a need-to-know list matches
    only if the list shares a department with it (the user's department and those above)."""

    max_level: int
    departments: frozenset[int] | None  # None: bypasses need-to-know (auditors, superusers)
    drafts: bool = False  # editors also find drafts (records.permissions.sees_drafts)
    # RECORD_KINDS entries the user may find (records.permissions.searchable_record_kinds);
    # documents are always searchable (within the rules above).
    record_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Term:
    """One query word or quoted phrase. ``plain`` is the normalised text without spaces: the
    embedded backend matches it as it stands (character bigrams in sequence). ``tokens`` are
    its words (search.text.query_tokens), which Elasticsearch's word fields match; an
    ``exact`` term (a quoted phrase, or a word the dictionary does not know) must also occur
    there as that exact string."""

    tokens: tuple[str, ...]
    plain: str
    exact: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """A user's query, parsed by search.query.parse_query (already normalised)."""

    terms: tuple[Term, ...] = ()
    excluded: tuple[Term, ...] = ()
    # field filters written in the query, e.g. 编号:SYCW → {"document_number": "SYCW"}
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.terms and not self.fields


@dataclass(frozen=True)
class Filters:
    """Filters chosen on the search page (facets and the advanced form)."""

    kinds: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    levels: tuple[int, ...] = ()
    department_ids: tuple[int, ...] = ()
    effective_from: datetime.date | None = None
    effective_to: datetime.date | None = None
    in_force_on: datetime.date | None = None

    @property
    def chosen(self) -> bool:
        """Whether any filter is set: filters alone make a query (an auditor listing what was
        in force on a date), words or not."""
        return any(
            (self.kinds, self.statuses, self.categories, self.levels, self.department_ids)
        ) or any((self.effective_from, self.effective_to, self.in_force_on))


FACETS = ("kind", "status", "category", "level", "department_id")
STATUSES = ("in_force", "scheduled", "superseded", "repealed", "draft")


@dataclass(frozen=True)
class BackendQuery:
    query: ParsedQuery
    access: AccessFilter
    filters: Filters = Filters()
    sort: str = "relevance"  # or "date" (effective date, newest first)
    today: datetime.date | None = None  # for the status (in force …); None: today
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class Hit:
    entry: IndexEntry
    score: float
    snippet_html: str  # escaped text with <mark> around matches (search.snippets)


@dataclass
class BackendResult:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]  # facet → value (as text) → count, access-filtered


class SearchUnavailable(Exception):
    """The index cannot be reached (file missing or locked, Elasticsearch down)."""


class SearchBackend:
    """Interface. Implementations: search.backends.embedded, search.backends.elasticsearch."""

    name = ""

    def index(self, entries: list[IndexEntry]) -> None:
        """Insert or replace these entries (by key)."""
        raise NotImplementedError

    def delete_source(self, source: str) -> None:
        """Remove every entry of one record (IndexEntry.source), before re-indexing it."""
        raise NotImplementedError

    def replace_source(self, source: str, entries: list[IndexEntry]) -> None:
        """Every entry of one record replaced by ``entries``. Backends that can do it in one
        step (the embedded index: one transaction) override this."""
        self.delete_source(source)
        self.index(entries)

    def search(self, query: BackendQuery) -> BackendResult:
        raise NotImplementedError

    def keys_by_source(self) -> dict[str, set[str]]:
        """Every stored key, by record (IndexEntry.source; for search_check)."""
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError
