"""Receivers that keep the index right. They only enqueue (after commit, by id): the work is
in search.tasks. Connected in SearchConfig.ready()."""

from functools import partial

from django.db import transaction

from .backends.base import page_source


def _enqueue_source(source: str) -> None:
    from .tasks import source_index_task

    source_index_task.enqueue(source)


def _enqueue(page_id: int) -> None:
    _enqueue_source(page_source(page_id))


def enqueue_page_index(sender, page_id: int, **kwargs) -> None:
    """policies_content.signals.document_changed: a version issued (and the one before it
    closed), a repeal, a 密级 downgrade."""
    transaction.on_commit(partial(_enqueue, page_id))


def enqueue_record_index(sender, instance, **kwargs) -> None:
    """A contract or archive item saved or deleted, or a part of a contract (amendment,
    obligation, scan): its entries follow."""
    from .record_indexing import source_of

    source = source_of(instance)
    if source:
        transaction.on_commit(partial(_enqueue_source, source))


def enqueue_page_index_on_move(sender, instance, **kwargs) -> None:
    """wagtail post_page_move: the library category (the parent page) is part of each entry."""
    from policies_content.models import ControlledDocumentPage

    if isinstance(sender, type) and issubclass(sender, ControlledDocumentPage):
        transaction.on_commit(partial(_enqueue, instance.pk))


def enqueue_page_index_on_revision(sender, instance, created, **kwargs) -> None:
    """A draft saved (a new revision of a regulation or job description): editors search it."""
    from policies_content.models.controlled import controlled_page_models

    model = instance.content_type.model_class() if created else None
    if model is not None and issubclass(model, tuple(controlled_page_models())):
        transaction.on_commit(partial(_enqueue, int(instance.object_id)))


def connect() -> None:
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Revision
    from wagtail.signals import post_page_move

    from policies_content.signals import document_changed

    document_changed.connect(enqueue_page_index, dispatch_uid="zhidu_search_document_changed")
    post_page_move.connect(enqueue_page_index_on_move, dispatch_uid="zhidu_search_page_moved")
    post_save.connect(
        enqueue_page_index_on_revision, sender=Revision, dispatch_uid="zhidu_search_draft_saved"
    )
    from .record_indexing import RECORD_MODELS

    for model in RECORD_MODELS():
        for signal in (post_save, post_delete):
            signal.connect(
                enqueue_record_index,
                sender=model,
                dispatch_uid=f"zhidu_search_{model._meta.label_lower}_{id(signal)}",
            )
