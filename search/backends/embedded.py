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
    text TEXT NOT NULL,
    plain TEXT NOT NULL,
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
    "text",
    "plain",
    "title_plain",
    "level",
    "ntk",
    "repealed",
    "effective_date",
    "superseded_on",
    "category",
    "department_id",
]
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
    return "(" + " AND ".join(_fts_string(t) for t in term.tokens) + ")"


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
                        conn.execute("DELETE FROM entries WHERE rowid = ?", old)
                        conn.execute("DELETE FROM fts WHERE rowid = ?", old)
                    values = self._row(entry)
                    cursor = conn.execute(
                        f"INSERT INTO entries ({', '.join(COLUMNS)}) "
                        f"VALUES ({', '.join('?' * len(COLUMNS))})",
                        values,
                    )
                    conn.execute(
                        "INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)",
                        [cursor.lastrowid, entry.title_normalised, entry.normalised],
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
            entry.text,
            entry.normalised.replace(" ", ""),
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
                conn.execute(
                    "DELETE FROM fts WHERE rowid IN (SELECT rowid FROM entries WHERE page_id = ?)",
                    [page_id],
                )
                conn.execute("DELETE FROM entries WHERE page_id = ?", [page_id])

        self._run(work)

    def clear(self) -> None:
        def work(conn):
            with conn:
                conn.execute("DELETE FROM entries")
                conn.execute("DELETE FROM fts")

        self._run(work)

    def keys_by_page(self) -> dict[int, set[str]]:
        def work(conn):
            found: dict[int, set[str]] = {}
            for page_id, key in conn.execute("SELECT page_id, key FROM entries"):
                found.setdefault(page_id, set()).add(key)
            return found

        return self._run(work)

    # -- querying -------------------------------------------------------------------------
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
                clauses.append("(instr(e.plain, ?) > 0 OR instr(e.title_plain, ?) > 0)")
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
        if q.query.empty and not q.filters.chosen:
            return BackendResult(hits=[], total=0, facets={})
        where, params = self._where(q)
        if q.query.terms:
            source = (
                "entries e JOIN (SELECT rowid AS rid, bm25(fts, 8.0, 1.0) AS rank FROM fts "
                "WHERE fts MATCH ?) m ON m.rid = e.rowid"
            )
            source_params = [self._match(q.query)]
            hit_where, hit_params = self._where(q, with_match=False)
            rank = "m.rank"
        else:
            source, source_params, rank = "entries e", [], "NULL"
            hit_where, hit_params = where, params
        today = q.today or timezone.localdate()
        status_order = STATUS_ORDER.format(status=_status_sql(today))
        order = (
            f"e.effective_date DESC, {rank}"
            if q.sort == "date"
            else f"{status_order}, {rank}, e.effective_date DESC"
        )

        def work(conn):
            rows = conn.execute(
                f"SELECT {', '.join('e.' + c for c in COLUMNS)}, {rank} FROM {source} "
                f"WHERE {hit_where} ORDER BY {order} LIMIT ? OFFSET ?",
                [*source_params, *hit_params, q.limit, q.offset],
            ).fetchall()
            facet_sql = " UNION ALL ".join(
                f"SELECT '{name}', CAST({name} AS TEXT), COUNT(*) FROM matched GROUP BY 2"
                for name in FACETS
            )
            facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
            total = 0
            for name, value, count in conn.execute(
                f"WITH matched AS MATERIALIZED (SELECT e.*, {_status_sql(today)} AS status "
                f"FROM entries e WHERE {where}) "
                f"{facet_sql}",
                params,
            ):
                if value is not None:
                    facets[name][value] = count
                if name == "kind":
                    total += count
            return rows, total, facets

        rows, total, facets = self._run(work)
        hits = []
        for row in rows:
            entry = self._entry(row[: len(COLUMNS)])
            hits.append(
                Hit(
                    entry=entry,
                    score=-float(row[-1] or 0),
                    snippet_html=snippet_html(entry.text, q.query.terms),
                )
            )
        return BackendResult(hits=hits, total=total, facets=facets)

    @staticmethod
    def _entry(row) -> IndexEntry:
        data = dict(zip(COLUMNS, row, strict=True))
        ntk = tuple(int(d) for d in data.pop("ntk").strip(",").split(",") if d)
        plain, title_plain = data.pop("plain"), data.pop("title_plain")
        data["repealed"] = bool(data["repealed"])
        for name in ("effective_date", "superseded_on"):
            data[name] = datetime.date.fromisoformat(data[name]) if data[name] else None
        return IndexEntry(**data, need_to_know=ntk, normalised=plain, title_normalised=title_plain)
