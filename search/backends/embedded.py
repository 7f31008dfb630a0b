"""The embedded backend: an SQLite FTS5 index in its own file under var/.

A separate file, so it works the same whatever the main database is (SQLite or PostgreSQL) and
can be rebuilt without touching it. ``entries`` holds each entry's data and the access fields;
``texts`` the raw text (for snippets) and its normalised form; ``fts`` (FTS5, contentless)
the title's and text's character bigrams (search.text.bigram_text) under the same rowid, so a
word matches wherever it occurs as a string — 2-character words, words a segmenter would cut
differently in context, names no dictionary knows. The access filter is applied to the words'
matches before anything is counted, ranked or read (search.backends.columns), so nothing
hidden is ever counted.
"""

import datetime
import sqlite3
import threading
from pathlib import Path

import numpy as np
from django.utils import timezone

from ..snippets import snippet_html
from ..text import bigram_phrase, bigram_text
from .base import (
    FACETS,
    STATUSES,
    BackendQuery,
    BackendResult,
    Hit,
    IndexEntry,
    SearchBackend,
    SearchUnavailable,
    Term,
)
from .columns import NO_DATE_EARLY, STATUS_CODES, Columns

SCHEMA_VERSION = 5  # bump when the tables change
SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    rowid INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    page_id INTEGER NOT NULL,
    source TEXT NOT NULL,
    version_id INTEGER,
    title TEXT NOT NULL,
    document_number TEXT NOT NULL,
    version TEXT NOT NULL,
    label TEXT NOT NULL,
    anchor TEXT NOT NULL,
    url TEXT NOT NULL,
    title_plain TEXT NOT NULL,
    level INTEGER NOT NULL,
    ntk TEXT NOT NULL,
    repealed INTEGER NOT NULL,
    effective_date TEXT,
    superseded_on TEXT,
    category TEXT NOT NULL,
    department_id INTEGER,
    draft INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS entries_source ON entries(source);
CREATE TABLE IF NOT EXISTS texts (
    rowid INTEGER PRIMARY KEY, text TEXT NOT NULL, plain TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    title, body, content='', tokenize='unicode61 remove_diacritics 0'
);
"""
COLUMNS = [
    "key",
    "kind",
    "page_id",
    "source",
    "version_id",
    "title",
    "document_number",
    "version",
    "label",
    "anchor",
    "url",
    "title_plain",
    "level",
    "ntk",
    "repealed",
    "effective_date",
    "superseded_on",
    "category",
    "department_id",
    "draft",
]
# Above this many matching entries, scoring them all with BM25 costs more than a search may
# take (about 10 µs each); see search().
RANK_ALL = 1000
# How long an operation waits for a lock on the file before the index counts as unavailable.
# Writes (index tasks, rebuilds) may wait; a search may not: while the file is locked every
# search would hold a web worker that long, and the rest of the site would queue behind them.
WRITE_WAIT_SECONDS = 5.0
SEARCH_WAIT_SECONDS = 1.0


def _date(value):
    return value.isoformat() if isinstance(value, datetime.date) else None


def _fts_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _term_match(term: Term) -> str:
    """A term as an FTS5 phrase of its bigram tokens in sequence (search.text.bigram_phrase):
    it matches exactly where the word occurs. The last token is a prefix when it is one
    character or a word of letters or digits. Tokens are always quoted, so FTS syntax typed by
    a user is plain text; a term with nothing to match matches nothing."""
    tokens = bigram_phrase(term.plain)
    if not tokens:
        return '"\u0000"'
    phrase = " + ".join(_fts_string(t) for t in tokens)
    last = tokens[-1]
    if len(last) == 1 or last.isascii():
        phrase += " *"
    return "(" + phrase + ")"


class EmbeddedBackend(SearchBackend):
    """SQLite FTS5 in ``path`` (settings.SEARCH_INDEX_PATH)."""

    name = "embedded"

    def __init__(self, path):
        self.path = Path(path)
        self._local = threading.local()

    # -- connection ---------------------------------------------------------------------
    def _connect(self, wait: float) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
            return conn
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=wait, check_same_thread=False)
            if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                # An index from an older layout: start empty (search_rebuild refills it).
                conn.executescript(
                    "DROP TABLE IF EXISTS entries; DROP TABLE IF EXISTS texts; "
                    "DROP TABLE IF EXISTS fts;"
                )
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise SearchUnavailable(str(exc)) from exc
        self._local.conn = conn
        return conn

    def _run(self, work, *, wait: float = WRITE_WAIT_SECONDS):
        try:
            conn = self._connect(wait)
            return work(conn)
        except sqlite3.OperationalError as exc:
            self._local.conn = None
            raise SearchUnavailable(str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            self._local.conn = None
            raise SearchUnavailable(str(exc)) from exc

    def _columns(self, conn) -> Columns:
        """The filter columns, read again when the file changed since they were read."""
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        cached = getattr(self._local, "columns", None)
        if cached is None or cached[0] != version:
            rows = conn.execute(
                "SELECT rowid, kind, category, level, department_id, effective_date, "
                "superseded_on, repealed, ntk, draft FROM entries"
            )
            cached = (version, Columns(rows))
            self._local.columns = cached
        return cached[1]

    # -- writing --------------------------------------------------------------------------
    @staticmethod
    def _fts_delete(conn, rowids) -> None:
        """Remove rows from the contentless FTS table: FTS5 needs the values indexed, which
        are rebuilt from the stored normalised title and text."""
        for rowid, title_plain, plain in conn.execute(
            "SELECT e.rowid, e.title_plain, t.plain FROM entries e JOIN texts t "
            f"ON t.rowid = e.rowid WHERE e.rowid IN ({', '.join('?' * len(rowids))})",
            rowids,
        ).fetchall():
            conn.execute(
                "INSERT INTO fts (fts, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                [rowid, bigram_text(title_plain), bigram_text(plain)],
            )

    def _write(self, conn, entries: list[IndexEntry]) -> None:
        for entry in entries:
            old = conn.execute("SELECT rowid FROM entries WHERE key = ?", [entry.key]).fetchone()
            if old:
                self._fts_delete(conn, list(old))
                for table in ("entries", "texts"):
                    conn.execute(f"DELETE FROM {table} WHERE rowid = ?", old)
            cursor = conn.execute(
                f"INSERT INTO entries ({', '.join(COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(COLUMNS))})",
                self._row(entry),
            )
            rowid = cursor.lastrowid
            conn.execute(
                "INSERT INTO texts (rowid, text, plain) VALUES (?, ?, ?)",
                [rowid, entry.text, entry.plain],
            )
            conn.execute(
                "INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)",
                [rowid, bigram_text(entry.title_plain), bigram_text(entry.plain)],
            )

    def index(self, entries: list[IndexEntry]) -> None:
        def work(conn):
            with conn:
                self._write(conn, entries)
            self._local.columns = None

        self._run(work)

    def replace_source(self, source: str, entries: list[IndexEntry]) -> None:
        """One transaction: a re-index that stops half-way leaves the record's previous
        entries in place (searchable) instead of none or half of the new ones."""

        def work(conn):
            with conn:
                self._erase(conn, source)
                self._write(conn, entries)
            self._local.columns = None

        self._run(work)

    @staticmethod
    def _row(entry: IndexEntry) -> list:
        ntk = "," + ",".join(str(d) for d in entry.need_to_know) + "," if entry.need_to_know else ""
        return [
            entry.key,
            entry.kind,
            entry.page_id,
            entry.source,
            entry.version_id,
            entry.title,
            entry.document_number,
            entry.version,
            entry.label,
            entry.anchor,
            entry.url,
            entry.title_plain,
            entry.level,
            ntk,
            int(entry.repealed),
            _date(entry.effective_date),
            _date(entry.superseded_on),
            entry.category,
            entry.department_id,
            int(entry.draft),
        ]

    def _erase(self, conn, source: str) -> None:
        rowids = [
            r for (r,) in conn.execute("SELECT rowid FROM entries WHERE source = ?", [source])
        ]
        if rowids:
            self._fts_delete(conn, rowids)
        conn.execute(
            "DELETE FROM texts WHERE rowid IN (SELECT rowid FROM entries WHERE source = ?)",
            [source],
        )
        conn.execute("DELETE FROM entries WHERE source = ?", [source])

    def delete_source(self, source: str) -> None:
        def work(conn):
            with conn:
                self._erase(conn, source)
            self._local.columns = None

        self._run(work)

    def clear(self) -> None:
        def work(conn):
            with conn:
                conn.execute("INSERT INTO fts (fts) VALUES ('delete-all')")
                for table in ("entries", "texts"):
                    conn.execute(f"DELETE FROM {table}")
            self._local.columns = None

        self._run(work)

    def keys_by_source(self) -> dict[str, set[str]]:
        def work(conn):
            found: dict[str, set[str]] = {}
            for source, key in conn.execute("SELECT source, key FROM entries"):
                found.setdefault(source, set()).add(key)
            return found

        return self._run(work)

    # -- querying -------------------------------------------------------------------------
    @staticmethod
    def _match(terms) -> str:
        return " AND ".join(_term_match(t) for t in terms)

    @staticmethod
    def _ids(conn, sql: str, params: list) -> np.ndarray:
        """Rowids from one query, fetched as one string (20,000 ids in ~3 ms, not ~8)."""
        found = conn.execute(f"SELECT group_concat(rowid) FROM ({sql})", params).fetchone()[0]
        if not found:
            return np.zeros(0, dtype=np.int64)
        return np.fromstring(found, dtype=np.int64, sep=",")  # text mode: parsed in C

    def _matching(self, conn, q: BackendQuery, columns: Columns) -> np.ndarray | None:
        """Rowids the words, exclusions and field filters match (None: everything)."""
        parsed = q.query
        ids = None
        if parsed.terms:
            ids = self._ids(
                conn, "SELECT rowid FROM fts WHERE fts MATCH ?", [self._match(parsed.terms)]
            )
        excluded = [t for t in parsed.excluded if bigram_phrase(t.plain)]
        if excluded:
            dropped = self._ids(
                conn,
                "SELECT rowid FROM fts WHERE fts MATCH ?",
                [self._match(excluded).replace(" AND ", " OR ")],
            )
            ids = np.setdiff1d(columns.rowids if ids is None else ids, dropped, assume_unique=True)
        for name, value in parsed.fields.items():
            column = {"document_number": "document_number", "title": "title_plain"}.get(
                name, "version"
            )
            found = self._ids(
                conn,
                f"SELECT rowid FROM entries WHERE instr(lower({column}), ?) > 0",
                [value.lower()],
            )
            ids = found if ids is None else np.intersect1d(ids, found, assume_unique=True)
        return ids

    @classmethod
    def _bm25(cls, conn, terms, ids: np.ndarray) -> np.ndarray | None:
        """BM25 (title weighted) of these entries, or None when scoring costs too much. It is
        computed over the words' tokens without their order: FTS5 scores a phrase only after
        counting it in every entry of the index (~20 ms for a common word), tokens from their
        doclists — and the entries it ranks matched the phrases already."""
        tokens = " AND ".join(
            dict.fromkeys(_fts_string(t) for term in terms for t in bigram_phrase(term.plain))
        )
        limit = 4 * RANK_ALL
        sql = "SELECT count(*) FROM (SELECT rowid FROM fts WHERE fts MATCH ? LIMIT ?)"
        if conn.execute(sql, [tokens, limit + 1]).fetchone()[0] > limit:
            return None
        scores = dict(
            conn.execute(
                "SELECT rowid, bm25(fts, 8.0, 1.0) FROM fts WHERE fts MATCH ?", [tokens]
            ).fetchall()
        )
        return np.array([scores.get(int(i), 0.0) for i in ids])

    @staticmethod
    def _filtered(ids, statuses, q: BackendQuery, columns: Columns):
        f = q.filters
        keep = np.ones(len(ids), dtype=bool)
        if f.statuses:
            keep &= np.isin(statuses, [STATUS_CODES[s] for s in f.statuses if s in STATUS_CODES])
        if f.kinds:
            keep &= np.isin(columns.kind[ids], columns.codes_of(columns.kinds, f.kinds))
        if f.categories:
            keep &= np.isin(
                columns.category[ids], columns.codes_of(columns.categories, f.categories)
            )
        if f.levels:
            keep &= np.isin(columns.level[ids], list(f.levels))
        if f.department_ids:
            keep &= np.isin(columns.department[ids], list(f.department_ids))
        effective = columns.effective[ids]
        if f.effective_from:
            keep &= effective >= f.effective_from.toordinal()
        if f.effective_to:
            keep &= (effective <= f.effective_to.toordinal()) & (effective != NO_DATE_EARLY)
        if f.in_force_on:
            day = f.in_force_on.toordinal()
            keep &= (effective <= day) & (columns.superseded[ids] > day)
        return ids[keep], statuses[keep]

    @staticmethod
    def _facets(ids, statuses, columns: Columns) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        for name, values, label in (
            ("kind", columns.kind[ids], columns.kinds.__getitem__),
            ("category", columns.category[ids], columns.categories.__getitem__),
            ("status", statuses, STATUSES.__getitem__),
            ("level", columns.level[ids], str),
            ("department_id", columns.department[ids], str),
        ):
            found, counts = np.unique(values, return_counts=True)
            facets[name] = {
                label(int(v)): int(c) for v, c in zip(found, counts, strict=True) if v >= 0
            }
        return facets

    def search(self, q: BackendQuery) -> BackendResult:
        """Words → rowids from the FTS index (every word's bigrams in sequence); the access
        filter, chosen filters, facets and the in-force-first order over in-memory columns
        (search.backends.columns); then only the page of hits is read from SQLite. Ranking is
        BM25 (title weighted) when the words match few enough entries to score them all within
        the time budget, otherwise — a word found in thousands of entries, where BM25 hardly
        tells them apart — newest first; in-force entries first either way."""
        empty = BackendResult(hits=[], total=0, facets={})
        if q.query.empty and not q.filters.chosen:
            return empty
        if any(not bigram_phrase(t.plain) for t in q.query.terms):
            return empty
        today = q.today or timezone.localdate()

        def work(conn):
            columns = self._columns(conn)
            ids = self._matching(conn, q, columns)
            matched_by_words = None if ids is None else len(ids)
            ids = columns.visible(columns.rowids if ids is None else ids, q.access)
            ids, statuses = self._filtered(ids, columns.status(ids, today), q, columns)
            facets = self._facets(ids, statuses, columns)
            status_rank = np.minimum(statuses, 2)
            newest = -columns.effective[ids]
            ranks = None
            if q.sort != "date" and q.query.terms and matched_by_words <= RANK_ALL and len(ids):
                ranks = self._bm25(conn, q.query.terms, ids)
            if q.sort == "date":
                order = np.lexsort((ids, newest))
            elif ranks is not None:
                order = np.lexsort((newest, ranks, status_rank))
            else:
                order = np.lexsort((ids, newest, status_rank))
            page = order[q.offset : q.offset + q.limit]
            chosen = [int(i) for i in ids[page]]
            page_ranks = [float(ranks[i]) for i in page] if ranks is not None else [0.0] * len(page)
            rows = {}
            if chosen:
                marks = ", ".join("?" * len(chosen))
                for row in conn.execute(
                    f"SELECT e.rowid, {', '.join('e.' + c for c in COLUMNS)}, t.text "
                    f"FROM entries e JOIN texts t ON t.rowid = e.rowid WHERE e.rowid IN ({marks})",
                    chosen,
                ):
                    rows[row[0]] = row[1:]
            return list(zip(chosen, page_ranks, strict=True)), rows, len(ids), facets

        order, rows, total, facets = self._run(work, wait=SEARCH_WAIT_SECONDS)
        hits = []
        for rid, rank in order:
            entry = self._entry(rows[rid])
            hits.append(
                Hit(
                    entry=entry,
                    score=-rank,
                    snippet_html=snippet_html(entry.text, q.query.terms),
                )
            )
        return BackendResult(hits=hits, total=total, facets=facets)

    @staticmethod
    def _entry(row) -> IndexEntry:
        data = dict(zip([*COLUMNS, "text"], row, strict=True))
        ntk = tuple(int(d) for d in data.pop("ntk").strip(",").split(",") if d)
        data.pop("title_plain")
        data.pop("source")
        data["repealed"] = bool(data["repealed"])
        data["draft"] = bool(data["draft"])
        for name in ("effective_date", "superseded_on"):
            data[name] = datetime.date.fromisoformat(data[name]) if data[name] else None
        return IndexEntry(**data, need_to_know=ntk)
