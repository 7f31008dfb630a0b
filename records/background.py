"""Running a long task without holding the request that asked for it.

With a task queue (``TASKS_BACKEND=database`` and ``manage.py db_worker``) a task is enqueued
and the worker runs it. The embedded default runs tasks inline, which is right for quick index
updates but would keep HR waiting minutes for a batch of receipts: with
``ZHIDU_BACKGROUND_THREADS`` (on by default, off in tests) such a task runs in a thread of the
web process instead. Tasks run this way must be resumable — a restarted process leaves them
half done, and the screen that follows them offers to continue.
"""

import logging
import threading

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django_tasks.backends.immediate import ImmediateBackend

logger = logging.getLogger(__name__)


def run_in_background(task, *args) -> None:
    """Enqueue ``task(*args)``; with the inline backend, run it in a thread instead."""
    if isinstance(task.get_backend(), ImmediateBackend) and settings.ZHIDU_BACKGROUND_THREADS:
        threading.Thread(target=_run, args=(task, args), daemon=True).start()
    else:
        task.enqueue(*args)


def _run(task, args) -> None:
    try:
        task.call(*args)
    except Exception:
        logger.exception("background task %s%r failed", task.name, args)
    finally:
        connections.close_all()


def batch_continue(batch, task) -> None:
    """Queue a stopped or failed job (records.models.BackgroundBatch) again, after commit;
    ``task`` takes the job's id and carries on from what the job already holds."""
    type(batch).objects.filter(pk=batch.pk).update(
        state=batch.State.QUEUED, error="", progress_at=timezone.now()
    )
    transaction.on_commit(lambda: run_in_background(task, batch.pk))
