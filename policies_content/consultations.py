"""征求意见: services (writes) and selectors (reads) for consultations on draft documents.

Every read that returns documents to a person takes the ``user`` and applies the one access
policy (records.permissions); the draft's own classification counts as well as the live page's,
because the draft is what a consultation shows.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import TaskState

from records.permissions import can_view, visible_to

from .models import (
    Consultation,
    ConsultationComment,
    ControlledDocumentPage,
    controlled_page_models,
)

COMMENT_MAX_LENGTH = 2000


# -- services ----------------------------------------------------------------------------------


@transaction.atomic
def consultation_open(*, task_state: TaskState, days: int) -> Consultation:
    """Open the comment window on the revision this task state holds."""
    opens_at = timezone.now()
    revision = task_state.revision
    return Consultation.objects.create(
        page_id=int(revision.object_id),
        revision=revision,
        task_state=task_state,
        opens_at=opens_at,
        closes_at=opens_at + datetime.timedelta(days=days),
    )


@transaction.atomic
def consultation_comment_add(*, consultation: Consultation, user, text: str) -> ConsultationComment:
    """An employee's comment on the draft: only while the consultation is open, only from
    employees who may read the document, 1–2000 characters."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    employee = getattr(user, "employee", None)
    if employee is None or not _may_view(user, consultation):
        raise ValidationError(_("You may not comment on this document."), code="forbidden")
    if not consultation.is_open:
        raise ValidationError(
            _("The consultation closed on %(date)s; comments are no longer accepted.")
            % {"date": _closing_date(consultation)},
            code="closed",
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write a comment before sending it."), code="empty")
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            _("A comment may be at most %(max)d characters long (this one has %(length)d).")
            % {"max": COMMENT_MAX_LENGTH, "length": len(text)},
            code="too_long",
        )
    return ConsultationComment.objects.create(
        consultation=consultation, employee=employee, text=text
    )


@transaction.atomic
def consultation_outcome_record(
    *,
    consultation: Consultation,
    user,
    summary: str,
    method: str,
    document=None,
    uploaded_file=None,
) -> Consultation:
    """Close the consultation with its outcome and evidence, and approve the workflow step.

    ``document`` is a Wagtail document or its id; ``uploaded_file`` (a Django uploaded file) is
    stored as a new Wagtail document instead when no document is given.
    """
    from .models.consultation import ConsultationMethod

    if consultation.completed_at is not None:
        raise ValidationError(_("The outcome of this consultation has already been recorded."))
    task_state = consultation.task_state
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise ValidationError(_("This consultation is no longer waiting for an outcome."))
    summary = (summary or "").strip()
    errors = {}
    if not summary:
        errors["summary"] = _("Summarise the outcome of the consultation.")
    if method not in ConsultationMethod.values:
        errors["method"] = _("Choose how employees were consulted.")
    document = _outcome_document(document=document, uploaded_file=uploaded_file, user=user)
    if document is None:
        errors["outcome_document"] = _(
            "Attach the minutes of the meeting or the union's written opinion."
        )
    if errors:
        raise ValidationError(errors)
    consultation.outcome_summary = summary
    consultation.method = method
    consultation.outcome_document = document
    consultation.completed_at = timezone.now()
    consultation.completed_by = user
    consultation.save()
    task_state.specific.approve(user=user, comment=summary)
    return consultation


def _outcome_document(*, document, uploaded_file, user):
    Document = get_document_model()
    if isinstance(document, Document):
        return document
    if document not in (None, ""):
        return Document.objects.filter(pk=document).first()
    if uploaded_file is None:
        return None
    stored = Document(title=uploaded_file.name, file=uploaded_file, uploaded_by_user=user)
    try:
        stored.full_clean(exclude=["collection"])  # checks WAGTAILDOCS_EXTENSIONS
    except ValidationError as error:
        raise ValidationError({"outcome_document": error.messages}) from error
    stored._set_document_file_metadata()
    stored.save()
    return stored


# -- selectors ---------------------------------------------------------------------------------


def _may_view(user, consultation: Consultation) -> bool:
    page = consultation.page.specific
    if not isinstance(page, ControlledDocumentPage) or not can_view(user, page):
        return False
    return can_view(user, consultation.draft())


def _closing_date(consultation: Consultation) -> str:
    end = consultation.completed_at or consultation.closes_at
    if consultation.task_state and consultation.task_state.finished_at:
        end = min(end, consultation.task_state.finished_at)
    return timezone.localtime(end).date().isoformat()


def open_consultations_for_user(*, user) -> list[Consultation]:
    """Open consultations on documents the user may read, closing soonest first.

    The open ones are read first (usually none, a few at most), then only their documents
    are put through the access policy: 我的文件 asks on every visit."""
    if not getattr(user, "is_authenticated", False):
        return []
    candidates = list(
        Consultation.objects.open()
        .select_related("page", "revision", "task_state")
        .order_by("closes_at", "pk")
    )
    if not candidates:
        return []
    page_ids = {c.page_id for c in candidates}
    readable: set[int] = set()
    for model in controlled_page_models():
        pages = visible_to(model.objects.filter(pk__in=page_ids), user)
        readable.update(pages.values_list("pk", flat=True))
    return [c for c in candidates if c.page_id in readable and can_view(user, c.draft())]


def consultation_for_user(*, user, consultation_id: int) -> Consultation | None:
    """One consultation, open or closed, if the user may read its document; else None."""
    consultation = (
        Consultation.objects.select_related("page", "revision", "task_state")
        .filter(pk=consultation_id)
        .first()
    )
    if consultation is None or not _may_view(user, consultation):
        return None
    return consultation


def consultation_record(page) -> dict | None:
    """The latest completed consultation on the page, as JSON-ready data (frozen into each
    issued version as the evidence of the democratic procedure). None if there is none.

    Keys: consultation_id, revision_id, opens_on, closes_on (ISO dates), comment_count, method,
    method_label, summary, outcome_document_id, outcome_document_title, completed_by,
    completed_at (ISO date-time).
    """
    consultation = (
        Consultation.objects.completed()
        .filter(page_id=page.pk)
        .select_related("outcome_document", "completed_by__employee")
        .order_by("-completed_at", "-pk")
        .first()
    )
    if consultation is None:
        return None
    document = consultation.outcome_document
    return {
        "consultation_id": consultation.pk,
        "revision_id": consultation.revision_id,
        "opens_on": timezone.localtime(consultation.opens_at).date().isoformat(),
        "closes_on": timezone.localtime(consultation.closes_at).date().isoformat(),
        "comment_count": consultation.comments.count(),
        "method": consultation.method,
        "method_label": str(consultation.get_method_display()),
        "summary": consultation.outcome_summary,
        "outcome_document_id": document.pk if document else None,
        "outcome_document_title": document.title if document else "",
        "completed_by": _person_name(consultation.completed_by),
        "completed_at": timezone.localtime(consultation.completed_at).isoformat(),
    }


def _person_name(user) -> str:
    if user is None:
        return ""
    employee = getattr(user, "employee", None)
    if employee is not None:
        return employee.name
    return user.get_full_name() or user.get_username()
