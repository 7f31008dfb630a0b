"""Background tasks of the policy library (django-tasks): they take ids and are safe to run
again (see records.background for how they are started)."""

from django.conf import settings
from django.utils import translation
from django_tasks import task

from .evidence_bundles import evidence_bundle_run
from .receipt_batches import receipt_batch_run


@task()
def receipt_batch_task(batch_id: int) -> str | None:
    """Generate a batch of 签收回执 and its ZIP; returns the batch's state."""
    with translation.override(settings.LANGUAGE_CODE):  # evidence in the company's language
        batch = receipt_batch_run(batch_id)
    return batch.state if batch else None


@task()
def evidence_bundle_task(bundle_id: int) -> str | None:
    """Generate an evidence bundle (证据包) and its ZIP; returns the bundle's state."""
    with translation.override(settings.LANGUAGE_CODE):
        bundle = evidence_bundle_run(bundle_id)
    return bundle.state if bundle else None
