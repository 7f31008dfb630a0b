"""Writes on archive items' metadata: revisions with a reason, loans (借阅), appraisals (鉴定)
and destruction lists (销毁清单).

Every metadata change goes through ``archive_item_revise``: it saves the new values, creates a
Wagtail revision and logs it with the reason, so the item's history shows who changed what,
when and why. The filed record itself is never touched (ArchiveItem.save refuses).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from records.archive_selectors import retention_due
from records.audit import audit_record
from records.legal_holds import assert_not_on_hold
from records.models import Appraisal, ArchiveItem, AuditAction, DestructionList, Employee, Loan

CHANGE_LOG_ACTION = "records.archive_change"
METADATA_FIELDS = {"classification", "custody_location", "status", "keep_until", "disposed_on"}


def archive_item_log_change(*, item: ArchiveItem, user, reason: str, revision) -> None:
    """The history entry of one metadata change (used by the admin edit action too)."""
    log(
        instance=item,
        action=CHANGE_LOG_ACTION,
        user=user,
        revision=revision,
        data={"reason": reason},
        content_changed=True,
    )


@transaction.atomic
def archive_item_revise(*, item: ArchiveItem, user, reason: str, **changes) -> ArchiveItem:
    """Change metadata fields of an item as one revision with its reason (修改原因)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"change_reason": _("Give the reason for the change.")})
    unknown = set(changes) - METADATA_FIELDS
    if unknown:
        raise ValidationError(
            _("The filed record cannot be changed (%(fields)s); file a correction entry instead.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    item = ArchiveItem.objects.select_for_update().get(pk=item.pk)
    for name, value in changes.items():
        setattr(item, name, value)
    item.change_reason = reason[:500]
    item.save()
    revision = item.save_revision(user=user, log_action=False)
    archive_item_log_change(item=item, user=user, reason=reason, revision=revision)
    audit_record(
        action=AuditAction.ARCHIVE_CHANGE,
        actor=user,
        obj=item,
        details={"reason": reason, "changes": {k: str(v) for k, v in changes.items()}},
    )
    return item


# --- 借阅 loans ----------------------------------------------------------------------------


@transaction.atomic
def loan_request(
    *,
    item: ArchiveItem,
    borrower: Employee,
    purpose: str,
    due_back_on: datetime.date,
    requested_on: datetime.date | None = None,
    user=None,
) -> Loan:
    """Ask to borrow an item until a date, for a purpose."""
    requested_on = requested_on or timezone.localdate()
    errors = {}
    if not (purpose or "").strip():
        errors["purpose"] = _("Say what the item is borrowed for.")
    if due_back_on is None or due_back_on <= requested_on:
        errors["due_back_on"] = _("The due-back date must be after the request date (%(day)s).") % {
            "day": requested_on.isoformat()
        }
    if item.status == ArchiveItem.Status.DISPOSED:
        errors["item"] = _("%(code)s has been disposed of; it cannot be borrowed.") % {
            "code": item.archival_code
        }
    if errors:
        raise ValidationError(errors)
    loan = Loan.objects.create(
        item=item,
        borrower=borrower,
        purpose=purpose.strip(),
        requested_on=requested_on,
        due_back_on=due_back_on,
        requested_by=user,
    )
    audit_record(
        action=AuditAction.LOAN,
        actor=user,
        obj=item,
        details={"loan": loan.pk, "step": "requested", "borrower": str(borrower)},
    )
    return loan


def _locked(loan: Loan) -> Loan:
    return Loan.objects.select_for_update().select_related("item", "borrower").get(pk=loan.pk)


@transaction.atomic
def loan_decide(*, loan: Loan, approve: bool, user) -> Loan:
    """Approve or reject a requested loan; nobody approves their own loan."""
    loan = _locked(loan)
    if loan.status != Loan.Status.REQUESTED:
        raise ValidationError(_("Only a requested loan can be approved or rejected."))
    if approve and loan.borrower.user_id == getattr(user, "pk", None):
        raise ValidationError(_("You cannot approve your own loan."))
    loan.status = Loan.Status.APPROVED if approve else Loan.Status.REJECTED
    loan.decided_by, loan.decided_at = user, timezone.now()
    loan.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        action=AuditAction.LOAN,
        actor=user,
        obj=loan.item,
        details={"loan": loan.pk, "step": loan.status},
    )
    return loan


@transaction.atomic
def loan_lend(*, loan: Loan, user, on: datetime.date | None = None) -> Loan:
    """Hand an approved loan's item out; an item already on loan cannot be lent again."""
    loan = _locked(loan)
    on = on or timezone.localdate()
    if loan.status != Loan.Status.APPROVED:
        raise ValidationError(_("Only an approved loan can be lent out."))
    item = ArchiveItem.objects.select_for_update().get(pk=loan.item_id)
    if item.status == ArchiveItem.Status.ON_LOAN:
        raise ValidationError(
            _("%(code)s is already on loan; it must be returned first.")
            % {"code": item.archival_code}
        )
    if item.status == ArchiveItem.Status.DISPOSED:
        raise ValidationError(_("%(code)s has been disposed of.") % {"code": item.archival_code})
    if on < loan.requested_on or on >= loan.due_back_on:
        raise ValidationError(
            {"lent_on": _("The lending date must fall between the request and due-back dates.")}
        )
    loan.status, loan.lent_on = Loan.Status.LENT, on
    loan.save(update_fields=["status", "lent_on"])
    archive_item_revise(
        item=item,
        user=user,
        reason=_("Lent to %(borrower)s: %(purpose)s")
        % {
            "borrower": loan.borrower,
            "purpose": loan.purpose,
        },
        status=ArchiveItem.Status.ON_LOAN,
    )
    return loan


@transaction.atomic
def loan_return(*, loan: Loan, user, on: datetime.date | None = None) -> Loan:
    """Take a lent item back into custody."""
    loan = _locked(loan)
    on = on or timezone.localdate()
    if loan.status != Loan.Status.LENT:
        raise ValidationError(_("Only a lent item can be returned."))
    if on < loan.lent_on or on > timezone.localdate():
        raise ValidationError(
            {"returned_on": _("The return date must be between the lending date and today.")}
        )
    loan.status, loan.returned_on = Loan.Status.RETURNED, on
    loan.save(update_fields=["status", "returned_on"])
    archive_item_revise(
        item=loan.item,
        user=user,
        reason=_("Returned by %(borrower)s") % {"borrower": loan.borrower},
        status=ArchiveItem.Status.FILED,
    )
    return loan


# --- 鉴定 appraisals -----------------------------------------------------------------------


@transaction.atomic
def appraisal_record(
    *,
    item: ArchiveItem,
    decision: str,
    reason: str,
    user,
    keep_until: datetime.date | None = None,
) -> Appraisal:
    """Record an appraisal decision; it takes effect once someone else approves it."""
    errors = {}
    if decision not in Appraisal.Decision.values:
        errors["decision"] = _("Choose keep or destroy.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the decision.")
    if decision == Appraisal.Decision.KEEP:
        floor = max(retention_due(item) or timezone.localdate(), timezone.localdate())
        if keep_until is None or keep_until <= floor:
            errors["keep_until"] = _("To keep the item longer, give a date after %(day)s.") % {
                "day": floor.isoformat()
            }
    if item.status == ArchiveItem.Status.DISPOSED:
        errors["item"] = _("%(code)s has already been disposed of.") % {"code": item.archival_code}
    if errors:
        raise ValidationError(errors)
    appraisal = Appraisal.objects.create(
        item=item,
        decision=decision,
        reason=reason.strip(),
        keep_until=keep_until if decision == Appraisal.Decision.KEEP else None,
        appraised_by=user,
    )
    audit_record(
        action=AuditAction.APPRAISE,
        actor=user,
        obj=item,
        details={"appraisal": appraisal.pk, "decision": decision, "reason": appraisal.reason},
    )
    return appraisal


@transaction.atomic
def appraisal_approve(*, appraisal: Appraisal, user) -> Appraisal:
    """Approve an appraisal: a different person holding ``approve_appraisal``."""
    appraisal = Appraisal.objects.select_for_update().select_related("item").get(pk=appraisal.pk)
    if not user.has_perm("records.approve_appraisal"):
        raise PermissionDenied(_("You may not approve appraisals."))
    if appraisal.approved_at is not None:
        raise ValidationError(_("This appraisal has already been approved."))
    if appraisal.appraised_by_id == user.pk:
        raise ValidationError(
            _("An appraisal must be approved by someone other than the person who made it.")
        )
    appraisal.approved_by, appraisal.approved_at = user, timezone.now()
    appraisal.save(update_fields=["approved_by", "approved_at"])
    if appraisal.decision == Appraisal.Decision.KEEP:
        archive_item_revise(
            item=appraisal.item,
            user=user,
            reason=_("Appraisal: keep until %(day)s — %(reason)s")
            % {"day": appraisal.keep_until.isoformat(), "reason": appraisal.reason},
            keep_until=appraisal.keep_until,
        )
    audit_record(
        action=AuditAction.APPRAISE,
        actor=user,
        obj=appraisal.item,
        details={"appraisal": appraisal.pk, "approved": True},
    )
    return appraisal


def approved_for_destruction(item: ArchiveItem) -> bool:
    """The item's latest approved appraisal decided to destroy it."""
    latest = item.appraisals.filter(approved_at__isnull=False).order_by("-approved_at").first()
    return latest is not None and latest.decision == Appraisal.Decision.DESTROY


# --- 销毁清单 destruction lists -------------------------------------------------------------


def _next_list_number(year: int) -> str:
    prefix = f"XH-{year}-"
    count = DestructionList.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:03d}"


@transaction.atomic
def destruction_list_create(*, items, user) -> DestructionList:
    """Draw up a destruction list of items whose destruction has been approved."""
    items = list(items)
    if not items:
        raise ValidationError(_("Choose at least one item to destroy."))
    for item in items:
        if item.status != ArchiveItem.Status.FILED:
            raise ValidationError(
                _("%(code)s is not in custody (%(status)s).")
                % {"code": item.archival_code, "status": item.get_status_display()}
            )
        if not approved_for_destruction(item):
            raise ValidationError(
                _("%(code)s has no approved appraisal deciding to destroy it.")
                % {"code": item.archival_code}
            )
        assert_not_on_hold(item)
    record = DestructionList.objects.create(
        number=_next_list_number(timezone.localdate().year), created_by=user
    )
    record.items.set(items)
    return record


@transaction.atomic
def destruction_list_approve(*, record: DestructionList, user) -> DestructionList:
    record = DestructionList.objects.select_for_update().get(pk=record.pk)
    if not user.has_perm("records.approve_appraisal"):
        raise PermissionDenied(_("You may not approve destruction lists."))
    if record.approved_at is not None:
        raise ValidationError(_("This destruction list has already been approved."))
    if record.created_by_id == user.pk:
        raise ValidationError(
            _(
                "A destruction list must be approved by someone other than the person who "
                "drew it up."
            )
        )
    record.approved_by, record.approved_at = user, timezone.now()
    record.save(update_fields=["approved_by", "approved_at"])
    return record


@transaction.atomic
def destruction_list_execute(
    *, record: DestructionList, user, on: datetime.date | None = None
) -> DestructionList:
    """Record that the items were destroyed: each is marked disposed (metadata only; rows stay).

    Refused, with nothing changed, if the list is not approved or any item is under a legal
    hold, on loan or already disposed."""
    record = DestructionList.objects.select_for_update().get(pk=record.pk)
    on = on or timezone.localdate()
    if record.approved_at is None:
        raise ValidationError(_("The destruction list must be approved before it is carried out."))
    if record.executed_on is not None:
        raise ValidationError(_("This destruction list has already been carried out."))
    if on > timezone.localdate() or on < record.approved_at.date():
        raise ValidationError(
            {"executed_on": _("The destruction date must be between the approval and today.")}
        )
    items = list(record.items.all())
    for item in items:
        assert_not_on_hold(item)
        if item.status != ArchiveItem.Status.FILED:
            raise ValidationError(
                _("%(code)s is not in custody (%(status)s).")
                % {"code": item.archival_code, "status": item.get_status_display()}
            )
    for item in items:
        archive_item_revise(
            item=item,
            user=user,
            reason=_("Destroyed under destruction list %(number)s") % {"number": record.number},
            status=ArchiveItem.Status.DISPOSED,
            disposed_on=on,
        )
    record.executed_on, record.executed_by = on, user
    record.save(update_fields=["executed_on", "executed_by"])
    audit_record(
        action=AuditAction.DISPOSE,
        actor=user,
        object_type="records.destructionlist",
        object_id=str(record.pk),
        object_label=record.number,
        details={"items": [item.archival_code for item in items], "destroyed_on": on},
    )
    return record
