"""Receivers that keep the index right. They only enqueue (after commit, by id): the work is
in search.tasks. Connected in SearchConfig.ready()."""

from functools import partial

from django.db import transaction


def _enqueue(page_id: int) -> None:
    from .tasks import page_index_task

    page_index_task.enqueue(page_id)


def enqueue_page_index(sender, page_id: int, **kwargs) -> None:
    """policies_content.signals.document_changed: a version issued (and the one before it
    closed), a repeal, a 密级 downgrade."""
    transaction.on_commit(partial(_enqueue, page_id))


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
    from django.db.models.signals import post_save
    from wagtail.models import Revision
    from wagtail.signals import post_page_move

    from policies_content.signals import document_changed

    document_changed.connect(enqueue_page_index, dispatch_uid="zhidu_search_document_changed")
    post_page_move.connect(enqueue_page_index_on_move, dispatch_uid="zhidu_search_page_moved")
    post_save.connect(
        enqueue_page_index_on_revision, sender=Revision, dispatch_uid="zhidu_search_draft_saved"
    )
