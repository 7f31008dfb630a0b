"""Keeping the index right: re-index one document without ever losing the update, apply the
updates left pending while the index was away, rebuild everything, and compare the index
with the database (drift). Used by search.tasks and the search_rebuild / search_check
commands; nothing else writes to the index outside search.indexing.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from wagtail.models import Page

from policies_content.models import IssuedVersion

from .backends import get_backend
from .backends.base import IndexEntry, SearchUnavailable
from .indexing import expected_keys_by_page, indexed_page_ids, page_entries, page_index
from .models import PendingReindex

logger = logging.getLogger(__name__)


def page_reindex(*, page_id: int) -> int | None:
    """Re-index one document (all its issued versions; none left if the page is gone).

    Returns the number of entries, or None when the index is unavailable: then the page is
    recorded in PendingReindex and applied later (pending_apply, search_check --fix,
    search_rebuild). After a success, updates still pending from an outage are applied too.
    """
    started = timezone.now()
    try:
        count = page_index(page_id)
    except SearchUnavailable as exc:
        PendingReindex.objects.update_or_create(page_id=page_id, defaults={"since": started})
        logger.warning("search index unavailable; page %s left pending: %s", page_id, exc)
        return None
    # Only failures recorded before this indexing read the database are covered by it.
    PendingReindex.objects.filter(page_id=page_id, since__lte=started).delete()
    pending_apply()
    return count


def pending_apply(*, limit: int | None = 200) -> int:
    """Apply updates left pending; returns how many documents were re-indexed. Stops at the
    first failure (the index is still away), leaving the rest pending."""
    done = 0
    rows = PendingReindex.objects.order_by("since")
    for row in list(rows[:limit] if limit else rows):
        try:
            page_index(row.page_id)
        except SearchUnavailable:
            break
        PendingReindex.objects.filter(pk=row.pk, since__lte=row.since).delete()
        done += 1
    return done


def entries_by_page(page_ids: Iterable[int]) -> Iterator[tuple[int, list[IndexEntry]]]:
    for page_id in page_ids:
        yield page_id, page_entries(page_id)


@dataclass
class RebuildResult:
    documents: int = 0
    entries: int = 0


def index_rebuild(*, progress: Callable[[Iterable], Iterable] = iter) -> RebuildResult:
    """Clear the index and index every document again. A backend with ``rebuild(entries)``
    (Elasticsearch: a new index, then the alias switched) gets all entries as one stream,
    so searches keep working meanwhile; otherwise the index is cleared and filled per page.
    ``progress`` wraps the page iteration (a tqdm bar in the command)."""
    backend = get_backend()
    page_ids = indexed_page_ids()
    started = timezone.now()
    result = RebuildResult(documents=len(page_ids))

    def stream() -> Iterator[IndexEntry]:
        for _page_id, entries in progress(entries_by_page(page_ids)):
            result.entries += len(entries)
            yield from entries

    if hasattr(backend, "rebuild"):
        backend.rebuild(stream())
    else:
        backend.clear()
        for _page_id, entries in progress(entries_by_page(page_ids)):
            backend.index(entries)
            result.entries += len(entries)
    PendingReindex.objects.filter(since__lte=started).delete()
    return result


@dataclass
class Drift:
    """One document whose index entries differ from what the database says."""

    page_id: int
    title: str
    document_number: str
    missing: set[str] = field(default_factory=set)  # expected, not in the index
    extra: set[str] = field(default_factory=set)  # in the index, not expected
    pending: bool = False  # an update is waiting (the index was unavailable)


def index_drift() -> list[Drift]:
    """Compare the database with the index, by document. Raises SearchUnavailable."""
    actual = get_backend().keys_by_page()
    expected = expected_keys_by_page()
    pending = set(PendingReindex.objects.values_list("page_id", flat=True))
    names = {
        page_id: (title, "")  # a draft that was never issued has no number yet
        for page_id, title in Page.objects.filter(
            pk__in=set(expected) | set(actual) | pending
        ).values_list("pk", "title")
    }
    names.update(
        (page_id, (title, number))
        for page_id, title, number in IssuedVersion.objects.order_by("major", "minor").values_list(
            "page_id", "title", "document_number"
        )
    )
    drift = []
    for page_id in sorted(set(expected) | set(actual) | pending):
        missing = expected.get(page_id, set()) - actual.get(page_id, set())
        extra = actual.get(page_id, set()) - expected.get(page_id, set())
        if missing or extra or page_id in pending:
            title, number = names.get(page_id, ("", ""))
            drift.append(
                Drift(
                    page_id=page_id,
                    title=title,
                    document_number=number,
                    missing=missing,
                    extra=extra,
                    pending=page_id in pending,
                )
            )
    return drift


def drift_fix(drift: list[Drift]) -> int:
    """Re-index the drifting documents (and apply what is pending); returns how many."""
    for item in drift:
        started = timezone.now()
        page_index(item.page_id)
        PendingReindex.objects.filter(page_id=item.page_id, since__lte=started).delete()
    return len(drift)
