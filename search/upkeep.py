"""Keeping the index right: re-index one document without ever losing the update, apply the
updates left pending while the index was away, rebuild everything, and compare the index
with the database (drift). Used by search.tasks and the search_rebuild / search_check
commands; nothing else writes to the index outside search.indexing.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Page

from policies_content.models import IssuedVersion

from .backends import get_backend
from .backends.base import IndexEntry, SearchUnavailable
from .indexing import expected_keys_by_source, indexed_sources, source_entries, source_index
from .models import PendingReindex

logger = logging.getLogger(__name__)


def source_reindex(*, source: str) -> int | None:
    """Re-index one record (a document with all its versions, a contract, an archive item;
    none left if it is gone).

    Returns the number of entries, or None when the index is unavailable: then the record is
    kept in PendingReindex and applied later (pending_apply, search_check --fix,
    search_rebuild). After a success, updates still pending from an outage are applied too.
    """
    started = timezone.now()
    try:
        count = source_index(source)
    except SearchUnavailable as exc:
        _keep_pending(source, since=started)
        logger.warning("search index unavailable; %s left pending: %s", source, exc)
        return None
    except BaseException:
        # Stopped half-way (the worker told to stop, an error in between): the update is
        # kept for the next run rather than lost; re-indexing a record twice is harmless.
        with suppress(Exception):
            _keep_pending(source, since=started)
        raise
    # Only failures recorded before this indexing read the database are covered by it.
    PendingReindex.objects.filter(source=source, since__lte=started).delete()
    pending_apply()
    return count


def _keep_pending(source: str, *, since) -> None:
    PendingReindex.objects.update_or_create(source=source, defaults={"since": since})


def pending_apply(*, limit: int | None = 200) -> int:
    """Apply updates left pending; returns how many records were re-indexed. Stops at the
    first failure (the index is still away), leaving the rest pending."""
    done = 0
    rows = PendingReindex.objects.order_by("since")
    for row in list(rows[:limit] if limit else rows):
        try:
            source_index(row.source)
        except SearchUnavailable:
            break
        PendingReindex.objects.filter(pk=row.pk, since__lte=row.since).delete()
        done += 1
    return done


PENDING_APPLY_KEY = "zhidu:search:pending-apply"
PENDING_APPLY_EVERY_SECONDS = 60


def pending_apply_soon() -> bool:
    """The index answered (a search succeeded): if updates are still pending from a time it
    was unavailable, apply them now — in the background (records.background: the task queue,
    or a thread with inline tasks) — so the index catches up as soon as it is back, not only
    at the next publication or ``search_check --fix``. At most once a minute per process
    (Django's cache), so a burst of searches starts one catch-up. Returns whether it started
    one."""
    if not PendingReindex.objects.exists():
        return False
    if not cache.add(PENDING_APPLY_KEY, True, timeout=PENDING_APPLY_EVERY_SECONDS):
        return False
    from records.background import run_in_background

    from .tasks import pending_reindex_task

    run_in_background(pending_reindex_task)
    return True


def entries_by_source(sources: Iterable[str]) -> Iterator[tuple[str, list[IndexEntry]]]:
    for source in sources:
        yield source, source_entries(source)


@dataclass
class RebuildResult:
    documents: int = 0
    entries: int = 0


def index_rebuild(*, progress: Callable[[Iterable], Iterable] = iter) -> RebuildResult:
    """Clear the index and index every record again. A backend with ``rebuild(entries)``
    (Elasticsearch: a new index, then the alias switched) gets all entries as one stream,
    so searches keep working meanwhile and a rebuild that stops leaves the old index whole.
    Otherwise the index is cleared and filled per record, each record pending until it is
    in: a rebuild that stops half-way leaves exactly the rest to the next index task or
    ``search_check --fix``. ``progress`` wraps the iteration (a tqdm bar in the command)."""
    backend = get_backend()
    sources = indexed_sources()
    started = timezone.now()
    result = RebuildResult(documents=len(sources))

    def stream() -> Iterator[IndexEntry]:
        for _source, entries in progress(entries_by_source(sources)):
            result.entries += len(entries)
            yield from entries

    if hasattr(backend, "rebuild"):
        backend.rebuild(stream())
    else:
        PendingReindex.objects.bulk_create(
            [PendingReindex(source=source, since=started) for source in sources],
            batch_size=500,
            ignore_conflicts=True,
        )
        done: list[str] = []
        try:
            backend.clear()
            for source, entries in progress(entries_by_source(sources)):
                backend.index(entries)
                result.entries += len(entries)
                done.append(source)
                if len(done) >= REBUILD_BATCH:
                    _pending_done(done, started)
        finally:
            with suppress(Exception):  # not while the database itself fails
                _pending_done(done, started)
    PendingReindex.objects.filter(since__lte=started).delete()
    return result


REBUILD_BATCH = 200


def _pending_done(sources: list[str], started) -> None:
    """Records re-indexed by a rebuild: no longer pending (unless updated since it began)."""
    if sources:
        PendingReindex.objects.filter(source__in=sources, since__lte=started).delete()
        sources.clear()


@dataclass
class Drift:
    """One record whose index entries differ from what the database says."""

    source: str
    title: str
    document_number: str
    missing: set[str] = field(default_factory=set)  # expected, not in the index
    extra: set[str] = field(default_factory=set)  # in the index, not expected
    pending: bool = False  # an update is waiting (the index was unavailable)


def index_drift() -> list[Drift]:
    """Compare the database with the index, by record. Raises SearchUnavailable."""
    actual = get_backend().keys_by_source()
    expected = expected_keys_by_source()
    pending = set(PendingReindex.objects.values_list("source", flat=True))
    drift = []
    for source in sorted(set(expected) | set(actual) | pending):
        missing = expected.get(source, set()) - actual.get(source, set())
        extra = actual.get(source, set()) - expected.get(source, set())
        if missing or extra or source in pending:
            title, number = source_label(source)
            drift.append(
                Drift(
                    source=source,
                    title=title,
                    document_number=number,
                    missing=missing,
                    extra=extra,
                    pending=source in pending,
                )
            )
    return drift


def source_label(source: str) -> tuple[str, str]:
    """Title and number of a record, for the drift report ("" when it is gone)."""
    kind, _sep, number = source.partition(":")
    if kind == "page" and number.isdigit():
        version = (
            IssuedVersion.objects.filter(page_id=int(number)).order_by("-major", "-minor").first()
        )
        if version is not None:
            return version.title, version.document_number
        page = Page.objects.filter(pk=int(number)).first()
        return (page.title, "") if page else ("", "")
    from .record_indexing import record_label

    return record_label(source)


def drift_fix(drift: list[Drift]) -> int:
    """Re-index the drifting records (and apply what is pending); returns how many."""
    for item in drift:
        started = timezone.now()
        source_index(item.source)
        PendingReindex.objects.filter(source=item.source, since__lte=started).delete()
    return len(drift)
