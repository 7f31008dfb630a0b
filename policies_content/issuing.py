"""Issue, repeal and review controlled documents: the writes of document control.

A version is issued when an approved revision is published (the page_published signal calls
``version_issue``). The version freezes the text as published, numbers itself from the
editor's declared change (major → V2.0, minor → V1.1), records who prepared, reviewed and
approved it, and closes the version before it on the day the new one takes effect. Whether a
version is scheduled, in force or superseded is derived from its dates, so a scheduled version
comes into force on its day without anyone acting.
"""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, TaskState, WorkflowState

from records.audit import audit_record
from records.models import AuditAction

from .filing import auto_file_after_commit
from .models import ChangeKind, DocumentStatus, IssuedVersion, Repeal, ReviewRecord
from .signals import document_changed
from .stream import canonical_text, page_to_parsed, parsed_to_dict

FIRST_ISSUE = "首次发布"


def display_name(user) -> str:
    if user is None:
        return ""
    employee = getattr(user, "employee", None)
    return employee.name if employee else (user.get_full_name() or user.get_username())


def next_version_number(*, page, change_kind: str) -> tuple[int, int]:
    last = IssuedVersion.objects.filter(page_id=page.pk).order_by("-major", "-minor").first()
    if last is None:
        return 1, 0
    if change_kind == ChangeKind.MINOR:
        return last.major, last.minor + 1
    return last.major + 1, 0


def approval_chain(*, page, revision) -> list[dict]:
    """编制 / 审核 / 批准 … with names and times, from the workflow that approved ``revision``."""
    chain: list[dict] = []
    workflow_state = (
        WorkflowState.objects.filter(object_id=str(page.pk), current_task_state__revision=revision)
        .order_by("-created_at")
        .first()
    ) or WorkflowState.objects.for_instance(page).order_by("-created_at").first()
    author = (workflow_state.requested_by if workflow_state else None) or (
        revision.user if revision else None
    )
    chain.append(
        {
            "step": "编制",
            "name": display_name(author),
            "user_id": getattr(author, "pk", None),
            "at": (workflow_state.created_at if workflow_state else revision.created_at).isoformat()
            if (workflow_state or revision)
            else "",
        }
    )
    if workflow_state is not None:
        states = (
            TaskState.objects.filter(
                workflow_state=workflow_state, status=TaskState.STATUS_APPROVED
            )
            .select_related("task", "finished_by")
            .order_by("finished_at")
        )
        for state in states:
            chain.append(
                {
                    "step": state.task.name,
                    "name": display_name(state.finished_by),
                    "user_id": state.finished_by_id,
                    "at": state.finished_at.isoformat() if state.finished_at else "",
                }
            )
    return chain


@transaction.atomic
def version_issue(*, page, revision=None, user=None) -> IssuedVersion:
    """Freeze the published page as a new IssuedVersion and close the one before it."""
    page = page.specific
    change_kind = page.change_kind or ChangeKind.MAJOR
    previous = IssuedVersion.objects.filter(page_id=page.pk).exists()
    summary = (page.change_summary or "").strip()
    if not summary:
        if previous:
            raise ValidationError({"change_summary": _("A change summary is required.")})
        summary = FIRST_ISSUE
    major, minor = next_version_number(page=page, change_kind=change_kind)
    effective = page.effective_date or timezone.localdate()
    document = page_to_parsed(page)
    text = canonical_text(document)
    from .consultations import consultation_record

    version = IssuedVersion.objects.create(
        page_id=page.pk,
        revision=revision,
        document_number=page.document_number,
        title=page.title,
        major=major,
        minor=minor,
        change_kind=change_kind,
        change_summary=summary,
        classification=page.classification,
        need_to_know=sorted(page.need_to_know_department_ids()),
        content=parsed_to_dict(document),
        canonical_text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        approvals=approval_chain(page=page, revision=revision),
        consultation=consultation_record(page),
        effective_date=effective,
        issued_by=user if getattr(user, "is_authenticated", False) else _last_approver(revision),
    )
    still_open = IssuedVersion.objects.filter(page_id=page.pk, superseded_on__isnull=True)
    for older in still_open.exclude(pk=version.pk):
        # It stops when the new one starts; one that had not started yet never will.
        older.close(on=effective if older.effective_date < effective else older.effective_date)
    _set_page_fields(page, version=version.version, status=_status(version))
    auto_file_after_commit(page_id=page.pk, user=version.issued_by)  # 归档, if configured
    audit_record(
        action=AuditAction.PUBLISH,
        actor=version.issued_by,
        obj=page,
        version=version.version,
        details={
            "sha256": version.sha256,
            "effective_date": effective,
            "issued_version": version.pk,
        },
    )
    document_changed.send(sender=type(page), page_id=page.pk)
    return version


def _last_approver(revision):
    state = (
        TaskState.objects.filter(revision=revision, status=TaskState.STATUS_APPROVED)
        .order_by("-finished_at")
        .first()
        if revision
        else None
    )
    return state.finished_by if state else getattr(revision, "user", None)


def _status(version: IssuedVersion) -> str:
    return (
        DocumentStatus.SCHEDULED
        if version.effective_date > timezone.localdate()
        else DocumentStatus.IN_FORCE
    )


def _set_page_fields(page, **fields) -> None:
    """Record on the page row what it shows (its version and state) without a new revision."""
    type(page).objects.filter(pk=page.pk).update(**fields)
    for name, value in fields.items():
        setattr(page, name, value)


@transaction.atomic
def document_repeal(*, page, reason: str, on: datetime.date, successor=None, user=None) -> Repeal:
    """废止: the version in force stops on ``on``; scheduled versions never start."""
    page = page.specific
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the repeal.")})
    if Repeal.objects.filter(page_id=page.pk).exists():
        raise ValidationError(_("This document has already been repealed."))
    versions = IssuedVersion.objects.filter(page_id=page.pk, superseded_on__isnull=True)
    if not IssuedVersion.objects.filter(page_id=page.pk).exists():
        raise ValidationError(_("Only an issued document can be repealed."))
    if successor is not None and successor.pk == page.pk:
        raise ValidationError({"successor": _("A document cannot succeed itself.")})
    for version in versions:
        version.close(on=max(on, version.effective_date), repealed=True)
    from .distribution import assignments_close_repealed

    assignments_close_repealed()
    repeal = Repeal.objects.create(
        page_id=page.pk,
        repealed_on=on,
        reason=reason.strip(),
        successor=successor,
        recorded_by=user,
    )
    _set_page_fields(page, status=DocumentStatus.REPEALED)
    auto_file_after_commit(page_id=page.pk, user=user)  # 归档, if configured
    audit_record(
        action=AuditAction.REPEAL,
        actor=user,
        obj=page,
        details={
            "reason": repeal.reason,
            "repealed_on": on,
            "successor": getattr(successor, "pk", None),
        },
    )
    document_changed.send(sender=type(page), page_id=page.pk)
    return repeal


def review_record_add(
    *, page, note: str = "", user=None, on: datetime.date | None = None
) -> ReviewRecord:
    """复审 done, no change needed: recorded as an event; no new version."""
    if not IssuedVersion.objects.filter(page_id=page.pk).exists():
        raise ValidationError(_("Only an issued document can be reviewed."))
    return ReviewRecord.objects.create(
        page_id=page.pk, note=note, reviewed_by=user, reviewed_on=on or timezone.localdate()
    )


def delete_refusal(page) -> str:
    """Why a page may not be deleted, or "" when it may."""
    ids = list(page.get_descendants(inclusive=True).values_list("pk", flat=True))
    if IssuedVersion.objects.filter(page_id__in=ids).exists():
        return _(
            "“%(title)s” has issued versions. Its history is a record and cannot be "
            "deleted; repeal the document instead."
        ) % {"title": page.title}
    return ""


def page_for_number(number: str) -> Page | None:
    from .models import DocumentNumber

    entry = DocumentNumber.objects.filter(number=number, page__isnull=False).first()
    return entry.page.specific if entry else None
