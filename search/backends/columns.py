"""The embedded index's filter columns in memory, as arrays indexed by entry rowid.

A common word matches most of the index (a word like 管理 is in thousands of entries); the
access filter, the chosen filters, five facet counts and the in-force-first order then run over
all of them. In SQL that is a temporary table and five GROUP BYs (~30 ms at 20,000 entries);
over these arrays it is a few vector operations (well under a millisecond). The arrays are read
once per connection and read again when the index file changed (``PRAGMA data_version``, or
this connection's own writes).
"""

import datetime

import numpy as np

from .base import RECORD_KINDS, STATUSES

NO_DATE_EARLY = -1  # an entry without an effective date has always been in effect
NO_DATE_LATE = 2**31 - 1  # …and without a superseded date is still in force
STATUS_CODES = {name: code for code, name in enumerate(STATUSES)}  # in_force 0, scheduled 1, …


def _ordinal(value: str | None, missing: int) -> int:
    return datetime.date.fromisoformat(value).toordinal() if value else missing


class Columns:
    """Small per-entry values as numpy arrays (position = rowid); texts stay in SQLite."""

    def __init__(self, rows):
        rows = list(rows)
        size = (max((r[0] for r in rows), default=0)) + 1
        self.present = np.zeros(size, dtype=bool)
        self.level = np.zeros(size, dtype=np.int32)
        self.department = np.full(size, -1, dtype=np.int64)
        self.effective = np.full(size, NO_DATE_EARLY, dtype=np.int64)
        self.superseded = np.full(size, NO_DATE_LATE, dtype=np.int64)
        self.repealed = np.zeros(size, dtype=bool)
        self.draft = np.zeros(size, dtype=bool)
        self.restricted = np.zeros(size, dtype=bool)
        self.kind = np.zeros(size, dtype=np.int32)
        self.category = np.zeros(size, dtype=np.int32)
        self.kinds: list[str] = []
        self.categories: list[str] = []
        self._ntk: dict[int, list[int]] = {}  # department id → rowids listing it
        kind_codes: dict[str, int] = {}
        category_codes: dict[str, int] = {}
        for row in rows:
            (
                rowid,
                kind,
                category,
                level,
                department,
                effective,
                superseded,
                repealed,
                ntk,
                draft,
            ) = row
            self.present[rowid] = True
            self.draft[rowid] = bool(draft)
            self.level[rowid] = level
            self.department[rowid] = -1 if department is None else department
            self.effective[rowid] = _ordinal(effective, NO_DATE_EARLY)
            self.superseded[rowid] = _ordinal(superseded, NO_DATE_LATE)
            self.repealed[rowid] = bool(repealed)
            self.kind[rowid] = kind_codes.setdefault(kind, len(kind_codes))
            self.category[rowid] = category_codes.setdefault(category, len(category_codes))
            if ntk:
                self.restricted[rowid] = True
                for department_id in ntk.strip(",").split(","):
                    self._ntk.setdefault(int(department_id), []).append(rowid)
        self.kinds = list(kind_codes)
        self.categories = list(category_codes)
        self.rowids = np.flatnonzero(self.present)

    def visible(self, ids: np.ndarray, access) -> np.ndarray:
        """The ids an AccessFilter lets through (drafts, level, then need-to-know)."""
        ids = ids[(ids < len(self.present))]
        keep = self.present[ids] & (self.level[ids] <= access.max_level)
        if not access.drafts:
            keep &= ~self.draft[ids]
        hidden_kinds = [
            code
            for code, kind in enumerate(self.kinds)
            if kind in RECORD_KINDS and kind not in access.record_kinds
        ]
        if hidden_kinds:
            keep &= ~np.isin(self.kind[ids], hidden_kinds)
        departments = access.departments
        if departments is not None:
            allowed = ~self.restricted
            for department_id in departments:
                listed = self._ntk.get(department_id)
                if listed:
                    allowed[listed] = True
            keep &= allowed[ids]
        return ids[keep]

    def status(self, ids: np.ndarray, today: datetime.date) -> np.ndarray:
        """Status codes (STATUS_CODES) on ``today``, by IndexEntry.status_on's rule."""
        day = today.toordinal()
        scheduled = self.effective[ids] > day
        in_force = ~scheduled & (self.superseded[ids] > day)
        ended = ~scheduled & ~in_force
        codes = np.full(len(ids), STATUS_CODES["superseded"], dtype=np.int32)
        codes[in_force] = STATUS_CODES["in_force"]
        codes[scheduled] = STATUS_CODES["scheduled"]
        codes[ended & self.repealed[ids]] = STATUS_CODES["repealed"]
        codes[self.draft[ids]] = STATUS_CODES["draft"]
        return codes

    def codes_of(self, names: list[str], values) -> list[int]:
        index = {name: code for code, name in enumerate(names)}
        return [index[v] for v in values if v in index]
