"""Writes to contracts (合同): create, amend (补充协议), the performance ledger, termination,
attachments, and keeping statuses in line with the dates.

Every write validates everything first and raises ``ValidationError`` (nothing written) on bad
input; then, in one transaction, it changes the rows, makes a new revision of the contract
carrying the reason (so the history shows who, when and why) and audits status changes.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from records.audit import audit_record
from records.contract_filing import auto_file_after_commit
from records.contract_numbers import contract_number_allocate
from records.models import (
    AuditAction,
    Contract,
    ContractAmendment,
    ContractAttachment,
    ContractRegulation,
    ContractStatus,
    Department,
    Employee,
    Obligation,
)
from records.models.contracts import default_classification
from records.permissions import user_clearance

ATTACHMENT_SIGNATURES = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",),
}


def attachment_max_bytes() -> int:
    return getattr(settings, "ZHIDU_CONTRACT_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)


def contract_revise(*, contract: Contract, user, reason: str, created: bool = False) -> None:
    """Save the contract and a new revision of it carrying ``reason`` (修改原因)."""
    contract.change_reason = reason[:300]
    contract.save()
    revision = contract.save_revision(user=user, log_action=False, clean=False)
    log(
        instance=contract,
        action="wagtail.create" if created else "wagtail.edit",
        user=user,
        revision=revision,
        content_changed=True,
    )


def _fresh(contract: Contract) -> Contract:
    """The contract as stored, locked: a write that only adds a revision must not save the
    stale fields of an instance the caller held (a status or end date changed meanwhile)."""
    return Contract.objects.select_for_update().get(pk=contract.pk)


def contract_status_audit(*, contract: Contract, before: str, actor=None, request=None) -> bool:
    """Audit a status change already made on ``contract`` (from ``before``)."""
    if before == contract.status:
        return False
    audit_record(
        action=AuditAction.STATUS_CHANGE,
        actor=actor,
        obj=contract,
        request=request,
        details={"from": before, "to": contract.status},
    )
    return True


def check_clearance(*, user, classification: int) -> None:
    if user is not None and classification > user_clearance(user):
        raise ValidationError(
            {"classification": _("You cannot set a level above your own clearance.")}
        )


@transaction.atomic
def contract_create(
    *,
    user,
    title: str,
    contract_type: str,
    counterparty: str,
    department: Department,
    owner: Employee,
    starts_on: datetime.date,
    amount: Decimal = Decimal("0"),
    currency: str = "CNY",
    signed_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    renewal_terms: str = "",
    late_signing_note: str = "",
    classification: int | None = None,
    contract_number: str = "",
    need_to_know: list[Department] | tuple = (),
    related_page_ids: list[int] | tuple = (),
    reason: str = "",
) -> Contract:
    """Create a contract, allocating its number unless one is given (which must be unused).

    The classification defaults by type (劳动 and 保密协议 higher, see models/contracts.py).
    """
    contract = Contract(
        contract_number=contract_number.strip(),
        title=title,
        contract_type=contract_type,
        counterparty=counterparty,
        department=department,
        owner=owner,
        amount=amount,
        currency=currency,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        renewal_terms=renewal_terms,
        late_signing_note=late_signing_note,
        classification=(
            default_classification(contract_type) if classification is None else classification
        ),
        change_reason=reason or _("Contract created"),
    )
    exclude = [] if contract.contract_number else ["contract_number"]
    contract.full_clean(exclude=exclude)
    check_clearance(user=user, classification=contract.classification)
    if not contract.contract_number:
        contract.contract_number = contract_number_allocate(
            contract_type=contract_type, on=signed_on or timezone.localdate()
        )
    contract.status = contract.derived_status()
    contract.related_regulations = [ContractRegulation(page_id=pk) for pk in related_page_ids]
    contract.need_to_know = list(need_to_know)
    contract_revise(contract=contract, user=user, reason=contract.change_reason, created=True)
    contract_status_audit(contract=contract, before="", actor=user)
    return contract


@transaction.atomic
def contract_amend(
    *,
    user,
    contract: Contract,
    title: str,
    signed_on: datetime.date,
    effective_on: datetime.date,
    summary: str,
    amount_change: Decimal = Decimal("0"),
    new_ends_on: datetime.date | None = None,
) -> ContractAmendment:
    """Add 补充协议 n: a new version of the contract whose terms apply from ``effective_on``."""
    contract = _fresh(contract)
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if contract.status in (ContractStatus.DRAFT, ContractStatus.TERMINATED):
        raise ValidationError(_("Only a signed contract that is not terminated can be amended."))
    previous = contract.amendment_list()
    if signed_on and signed_on > today:
        errors["signed_on"] = _("The signing date is in the future.")
    elif signed_on and signed_on < contract.signed_on:
        errors["signed_on"] = _("The amendment is signed before the contract.")
    if effective_on < contract.starts_on:
        errors["effective_on"] = _("The amendment takes effect before the contract starts.")
    elif previous and effective_on < previous[-1].effective_on:
        errors["effective_on"] = _(
            "The amendment takes effect before the previous amendment (%(date)s)."
        ) % {"date": previous[-1].effective_on.isoformat()}
    if new_ends_on and new_ends_on < effective_on:
        errors["new_ends_on"] = _("The new end date is before the amendment takes effect.")
    if contract.terms_on(effective_on).amount + (amount_change or 0) < 0:
        errors["amount_change"] = _("The contract amount would become negative.")
    amendment = ContractAmendment(
        contract=contract,
        number=(max((a.number for a in previous), default=0) + 1),
        title=title,
        signed_on=signed_on,
        effective_on=effective_on,
        summary=summary,
        amount_change=amount_change or Decimal("0"),
        new_ends_on=new_ends_on,
        created_by=user,
    )
    try:
        amendment.full_clean(exclude=["contract", "created_by"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)
    amendment.save()
    before = contract.status
    contract.status = contract.derived_status()
    contract_revise(contract=contract, user=user, reason=f"{amendment.label}：{title}")
    audit_record(
        action=AuditAction.AMEND,
        actor=user,
        obj=contract,
        version=str(amendment.number),
        details={
            "amendment": amendment.number,
            "effective_on": effective_on,
            "amount_change": str(amendment.amount_change),
            "new_ends_on": new_ends_on,
        },
    )
    contract_status_audit(contract=contract, before=before, actor=user)
    return amendment


@transaction.atomic
def obligation_add(
    *,
    user,
    contract: Contract,
    kind: str,
    description: str,
    due_on: datetime.date,
    amount: Decimal | None = None,
    responsible: Employee | None = None,
) -> Obligation:
    """Add a row to the performance ledger (合同履行一览表)."""
    contract = _fresh(contract)
    obligation = Obligation(
        contract=contract,
        kind=kind,
        description=description,
        due_on=due_on,
        amount=amount,
        responsible=responsible,
    )
    obligation.full_clean()
    obligation.save()
    contract_revise(
        contract=contract,
        user=user,
        reason=_("Ledger: %(obligation)s due on %(date)s")
        % {"obligation": obligation, "date": due_on.isoformat()},
    )
    return obligation


@transaction.atomic
def obligation_complete(
    *,
    user,
    obligation: Obligation,
    completed_on: datetime.date,
    completed_amount: Decimal | None = None,
    note: str = "",
) -> Obligation:
    """Record that an obligation was fulfilled (when, for how much, with what evidence)."""
    obligation = (
        Obligation.objects.select_for_update().select_related("contract").get(pk=obligation.pk)
    )
    if obligation.completed_on:
        raise ValidationError(_("This obligation is already recorded as done."))
    obligation.completed_on = completed_on
    obligation.completed_amount = completed_amount
    obligation.completion_note = note
    obligation.completed_by = user
    obligation.full_clean()
    obligation.save()
    audit_record(
        action=AuditAction.OBLIGATION_COMPLETE,
        actor=user,
        obj=obligation.contract,
        details={
            "obligation": obligation.pk,
            "due_on": obligation.due_on,
            "completed_on": completed_on,
            "state": obligation.state(),
        },
    )
    contract_revise(
        contract=_fresh(obligation.contract),
        user=user,
        reason=_("Ledger: %(obligation)s done on %(date)s")
        % {"obligation": obligation, "date": completed_on.isoformat()},
    )
    return obligation


@transaction.atomic
def contract_terminate(
    *, user, contract: Contract, terminated_on: datetime.date, reason: str
) -> Contract:
    """终止: end the contract early (from ``terminated_on``), with the reason."""
    contract = _fresh(contract)
    if contract.terminated_on:
        raise ValidationError(_("This contract is already terminated."))
    contract.terminated_on = terminated_on
    contract.termination_reason = reason
    contract.change_reason = reason or "-"
    contract.full_clean()
    before = contract.status
    contract.status = contract.derived_status()
    contract_revise(
        contract=contract, user=user, reason=_("Terminated: %(reason)s") % {"reason": reason}
    )
    contract_status_audit(contract=contract, before=before, actor=user)
    if contract.status == ContractStatus.TERMINATED:
        auto_file_after_commit(contract_ids=[contract.pk], user=user)
    return contract


@transaction.atomic
def contract_attachment_add(
    *, user, contract: Contract, upload, title: str = ""
) -> ContractAttachment:
    """Store a scanned file of the contract (PDF, JPG, PNG or DOCX, within the size limit)."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_SIGNATURES:
        raise ValidationError({"file": _("Only PDF, JPG, PNG and DOCX files can be attached.")})
    if upload.size > attachment_max_bytes():
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)d MB.")
                % {"mb": attachment_max_bytes() // (1024 * 1024)}
            }
        )
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ATTACHMENT_SIGNATURES[extension]):
        raise ValidationError({"file": _("The file's content does not match its type.")})
    contract = _fresh(contract)
    attachment = ContractAttachment(
        contract=contract, title=title or name, size=upload.size, uploaded_by=user
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    contract_revise(
        contract=contract,
        user=user,
        reason=_("Attachment added: %(title)s") % {"title": attachment.title},
    )
    return attachment


def contract_statuses_refresh(*, today: datetime.date | None = None) -> int:
    """Bring every contract's stored status in line with the dates (daily); audit each change.

    Returns how many changed. Only the status column changes: a status that follows from the
    calendar is not a new version of the contract.
    """
    today = today or timezone.localdate()
    changed = 0
    for contract in Contract.objects.prefetch_related("amendments").iterator(chunk_size=500):
        status = contract.derived_status(today)
        if status == contract.status:
            continue
        with transaction.atomic():
            updated = Contract.objects.filter(pk=contract.pk, status=contract.status).update(
                status=status
            )
            if updated:
                before, contract.status = contract.status, status
                contract_status_audit(contract=contract, before=before)
                changed += 1
    # 归档, if configured: every ended contract not filed yet (also one entered after its end)
    auto_file_after_commit()
    return changed
