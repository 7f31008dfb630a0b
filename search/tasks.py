"""Index tasks (django-tasks): they take ids, tolerate documents deleted meanwhile, and call
search.upkeep. Enqueued after commit by search.signals; inline in development and tests,
through the database queue and ``manage.py db_worker`` in production."""

from django_tasks import task

from .upkeep import pending_apply, source_reindex


@task()
def source_index_task(source: str) -> int | None:
    """Re-index one record (IndexEntry.source: a document's versions and draft, a contract,
    an archive item). A record deleted meanwhile simply has no entries left. If the index is
    unavailable the update is kept (PendingReindex) and applied by the next successful task
    or ``search_check --fix``; returns None then."""
    return source_reindex(source=source)


@task()
def pending_reindex_task() -> int:
    """Apply the updates left pending while the index was unavailable."""
    return pending_apply(limit=None)
