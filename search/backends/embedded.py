"""The embedded backend: an SQLite FTS5 index in its own file under var/.

A separate file, so it works the same whatever the main database is (SQLite or PostgreSQL) and
can be rebuilt without touching it. ``entries`` holds each entry's data and the access fields;
``fts`` (FTS5, unicode61 tokenizer over the space-joined segmented text of search.text) holds
title and body tokens with the same rowid. Every query — hits, total and facets — is one WHERE
clause built once, with the access filter inside it, so nothing hidden is ever counted.
"""

import datetime
import sqlite3
import threading
from pathlib import Path

from django.utils import timezone

from ..snippets import snippet_html
from .base import (
    FACETS,
    BackendQuery,
    BackendResult,
    Hit,
    IndexEntry,
    SearchBackend,
    SearchUnavailable,
    Term,
)

SCHEMA_VERSION = 2  # bump when the tables change
SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    rowid INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    page_id INTEGER NOT NULL,
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
    department_id INTEGER
);
CREATE INDEX IF NOT EXISTS entries_page ON entries(page_id);
CREATE TABLE IF NOT EXISTS texts (
    rowid INTEGER PRIMARY KEY, text TEXT NOT NULL, plain TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, body, tokenize='unicode61');
"""
COLUMNS = [
    "key",
    "kind",
    "page_id",
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
]
MATCHED_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS matched (rid INTEGER PRIMARY KEY, kind TEXT, "
    "category TEXT, level INTEGER, department_id INTEGER, status TEXT, effective_date TEXT)"
)
# Above this many matching entries, scoring them all with BM25 costs more than a search may
# take (about 10 µs each); see search().
RANK_ALL = 1000
STATUS_ORDER = "CASE {status} WHEN 'in_force' THEN 0 WHEN 'scheduled' THEN 1 ELSE 2 END"


def _status_sql(today: datetime.date, alias: str = "e.") -> str:
    """An entry's status on ``today`` from its dates (a date literal: no user input)."""
    day = today.isoformat()
    return (
        f"(CASE WHEN {alias}effective_date > '{day}' THEN 'scheduled' "
        f"WHEN {alias}superseded_on IS NULL OR {alias}superseded_on > '{day}' THEN 'in_force' "
        f"WHEN {alias}repealed THEN 'repealed' ELSE 'superseded' END)"
    )


def _date(value):
    return value.isoformat() if isinstance(value, datetime.date) else None


def _fts_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _term_match(term: Term) -> str:
    """All of a term's tokens. For a word the dictionary does not know (its characters came
    apart, search.query), each character is a prefix: 配部 in 配部门 was indexed as 配 + 部门;
    the exact check on the plain text then keeps only real occurrences."""
    scattered = term.exact and any(len(t) == 1 for t in term.tokens)
    parts = [_fts_string(t) for t in term.tokens]
    if scattered:  # only the last: a prefix of a one-character token expands to thousands
        parts[-1] += "*"
    return "(" + " AND ".join(parts) + ")"


class EmbeddedBackend(SearchBackend):
    """SQLite FTS5 in ``path`` (settings.SEARCH_INDEX_PATH)."""

    name = "embedded"

    def __init__(self, path):
        self.path = Path(path)
        self._local = threading.local()

    # -- connection ---------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=5, check_same_thread=False)
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

    def _run(self, work):
        try:
            conn = self._connect()
            return work(conn)
        except sqlite3.OperationalError as exc:
            self._local.conn = None
            raise SearchUnavailable(str(exc)) from exc
        except sqlite3.DatabaseError as exc:
            self._local.conn = None
            raise SearchUnavailable(str(exc)) from exc

    # -- writing --------------------------------------------------------------------------
    def index(self, entries: list[IndexEntry]) -> None:
        def work(conn):
            with conn:
                for entry in entries:
                    row = conn.execute("SELECT rowid FROM entries WHERE key = ?", [entry.key])
                    old = row.fetchone()
                    if old:
                        for table in ("entries", "texts", "fts"):
                            conn.execute(f"DELETE FROM {table} WHERE rowid = ?", old)
                    cursor = conn.execute(
                        f"INSERT INTO entries ({', '.join(COLUMNS)}) "
                        f"VALUES ({', '.join('?' * len(COLUMNS))})",
                        self._row(entry),
                    )
                    rowid = cursor.lastrowid
                    conn.execute(
                        "INSERT INTO texts (rowid, text, plain) VALUES (?, ?, ?)",
                        [rowid, entry.text, entry.normalised.replace(" ", "")],
                    )
                    conn.execute(
                        "INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)",
                        [rowid, entry.title_normalised, entry.normalised],
                    )

        self._run(work)

    @staticmethod
    def _row(entry: IndexEntry) -> list:
        ntk = "," + ",".join(str(d) for d in entry.need_to_know) + "," if entry.need_to_know else ""
        return [
            entry.key,
            entry.kind,
            entry.page_id,
            entry.version_id,
            entry.title,
            entry.document_number,
            entry.version,
            entry.label,
            entry.anchor,
            entry.url,
            entry.title_normalised.replace(" ", ""),
            entry.level,
            ntk,
            int(entry.repealed),
            _date(entry.effective_date),
            _date(entry.superseded_on),
            entry.category,
            entry.department_id,
        ]

    def delete_page(self, page_id: int) -> None:
        def work(conn):
            with conn:
                for table in ("fts", "texts"):
                    conn.execute(
                        f"DELETE FROM {table} "
                        "WHERE rowid IN (SELECT rowid FROM entries WHERE page_id = ?)",
                        [page_id],
                    )
                conn.execute("DELETE FROM entries WHERE page_id = ?", [page_id])

        self._run(work)

    def clear(self) -> None:
        def work(conn):
            with conn:
                for table in ("entries", "texts", "fts"):
                    conn.execute(f"DELETE FROM {table}")

        self._run(work)

    def keys_by_page(self) -> dict[int, set[str]]:
        def work(conn):
            found: dict[int, set[str]] = {}
            for page_id, key in conn.execute("SELECT page_id, key FROM entries"):
                found.setdefault(page_id, set()).add(key)
            return found

        return self._run(work)

    # -- querying -------------------------------------------------------------------------
    @classmethod
    def _fts_count(cls, conn, parsed) -> int:
        """How many entries the words match before any filter: what BM25 would have to
        score (cheap: FTS5 counts from its doclists)."""
        sql = "SELECT count(*) FROM (SELECT rowid FROM fts WHERE fts MATCH ? LIMIT ?)"
        return conn.execute(sql, [cls._match(parsed), RANK_ALL + 1]).fetchone()[0]

    @staticmethod
    def _match(parsed) -> str:
        """The FTS5 expression: every term (its tokens all present), minus excluded terms.
        Tokens are always quoted, so FTS syntax typed by a user is plain text."""
        match = " AND ".join(_term_match(t) for t in parsed.terms)
        for term in parsed.excluded:
            match += " NOT " + _term_match(term)
        return match

    @classmethod
    def _where(cls, q: BackendQuery, *, with_match: bool = True) -> tuple[str, list]:
        clauses, params = ["e.level <= ?"], [q.access.max_level]
        if q.access.departments is not None:
            ntk = ["e.ntk = ''"] + ["instr(e.ntk, ?) > 0"] * len(q.access.departments)
            clauses.append("(" + " OR ".join(ntk) + ")")
            params += [f",{d}," for d in sorted(q.access.departments)]
        parsed = q.query
        if parsed.terms:
            if with_match:
                clauses.append("e.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
                params.append(cls._match(parsed))
        elif parsed.excluded:
            for term in parsed.excluded:
                clauses.append("e.rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
                params.append(_term_match(term))
        for term in parsed.terms:
            if term.exact:
                clauses.append(
                    "(instr(e.title_plain, ?) > 0 OR EXISTS (SELECT 1 FROM texts t "
                    "WHERE t.rowid = e.rowid AND instr(t.plain, ?) > 0))"
                )
                params += [term.plain, term.plain]
        for name, value in parsed.fields.items():
            column = {"document_number": "e.document_number", "title": "e.title_plain"}.get(
                name, "e.version"
            )
            clauses.append(f"instr(lower({column}), ?) > 0")
            params.append(value.lower())
        f = q.filters
        today = q.today or timezone.localdate()
        if f.statuses:
            clauses.append(f"{_status_sql(today)} IN ({', '.join('?' * len(f.statuses))})")
            params += list(f.statuses)
        for column, values in (
            ("kind", f.kinds),
            ("category", f.categories),
            ("level", f.levels),
            ("department_id", f.department_ids),
        ):
            if values:
                clauses.append(f"e.{column} IN ({', '.join('?' * len(values))})")
                params += list(values)
        if f.effective_from:
            clauses.append("e.effective_date >= ?")
            params.append(f.effective_from.isoformat())
        if f.effective_to:
            clauses.append("e.effective_date <= ?")
            params.append(f.effective_to.isoformat())
        if f.in_force_on:
            day = f.in_force_on.isoformat()
            clauses.append(
                "e.effective_date <= ? AND (e.superseded_on IS NULL OR e.superseded_on > ?)"
            )
            params += [day, day]
        return " AND ".join(clauses), params

    def search(self, q: BackendQuery) -> BackendResult:
        """Three steps on one connection: the matching, access-filtered set goes into a
        temporary table (small columns only); facets and the total are counted from it; the
        page of hits is ranked — BM25 (title weighted) when the set is small enough to rank
        within the time budget, otherwise (a word found in thousands of entries, where BM25
        hardly tells them apart) newest first — in-force entries first either way."""
        if q.query.empty and not q.filters.chosen:
            return BackendResult(hits=[], total=0, facets={})
        where, params = self._where(q)
        today = q.today or timezone.localdate()
        status = _status_sql(today)

        def work(conn):
            conn.execute(MATCHED_TABLE)
            conn.execute("DELETE FROM temp.matched")
            conn.execute(
                "INSERT INTO temp.matched SELECT e.rowid, e.kind, e.category, e.level, "
                f"e.department_id, {status}, e.effective_date FROM entries e WHERE {where}",
                params,
            )
            facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
            total = 0
            facet_sql = " UNION ALL ".join(
                f"SELECT '{name}', CAST({name} AS TEXT), COUNT(*) FROM temp.matched GROUP BY 2"
                for name in FACETS
            )
            for name, value, count in conn.execute(facet_sql):
                if value is not None:
                    facets[name][value] = count
                if name == "kind":
                    total += count
            status_rank = STATUS_ORDER.format(status="m.status")
            page = [q.limit, q.offset]
            if q.sort == "date":
                ranked = conn.execute(
                    "SELECT m.rid, NULL FROM temp.matched m "
                    "ORDER BY m.effective_date DESC, m.rid LIMIT ? OFFSET ?",
                    page,
                )
            elif q.query.terms and self._fts_count(conn, q.query) <= RANK_ALL:
                ranked = conn.execute(
                    "SELECT m.rid, f.rank FROM temp.matched m JOIN (SELECT rowid AS rid, "
                    "bm25(fts, 8.0, 1.0) AS rank FROM fts WHERE fts MATCH ? "
                    "AND rowid IN (SELECT rid FROM temp.matched)) f ON f.rid = m.rid "
                    f"ORDER BY {status_rank}, f.rank, m.effective_date DESC LIMIT ? OFFSET ?",
                    [self._match(q.query), *page],
                )
            else:
                ranked = conn.execute(
                    f"SELECT m.rid, NULL FROM temp.matched m ORDER BY {status_rank}, "
                    "m.effective_date DESC, m.rid LIMIT ? OFFSET ?",
                    page,
                )
            order = ranked.fetchall()
            rows = {}
            if order:
                marks = ", ".join("?" * len(order))
                for row in conn.execute(
                    f"SELECT e.rowid, {', '.join('e.' + c for c in COLUMNS)}, t.text "
                    f"FROM entries e JOIN texts t ON t.rowid = e.rowid WHERE e.rowid IN ({marks})",
                    [rid for rid, _rank in order],
                ):
                    rows[row[0]] = row[1:]
            return order, rows, total, facets

        order, rows, total, facets = self._run(work)
        hits = []
        for rid, rank in order:
            entry = self._entry(rows[rid])
            hits.append(
                Hit(
                    entry=entry,
                    score=-float(rank or 0),
                    snippet_html=snippet_html(entry.text, q.query.terms),
                )
            )
        return BackendResult(hits=hits, total=total, facets=facets)

    @staticmethod
    def _entry(row) -> IndexEntry:
        data = dict(zip([*COLUMNS, "text"], row, strict=True))
        ntk = tuple(int(d) for d in data.pop("ntk").strip(",").split(",") if d)
        title_plain = data.pop("title_plain")
        data["repealed"] = bool(data["repealed"])
        for name in ("effective_date", "superseded_on"):
            data[name] = datetime.date.fromisoformat(data[name]) if data[name] else None
        return IndexEntry(**data, need_to_know=ntk, normalised="", title_normalised=title_plain)
