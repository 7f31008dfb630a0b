"""归档 of contracts: an expired or terminated contract is filed as an archive item (门类 HT),
by an action on its ledger or, when settings.ZHIDU_AUTO_FILE includes "ended_contracts",
automatically after the commit that ends it (termination, or the daily status refresh).

The snapshot freezes what a court or auditor would ask for: the terms as signed, every
amendment, the performance ledger with completions, and each scan's name, size and SHA-256.
"""

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from records.filing import already_filed, archive_file
from records.models import ArchiveItem, CategoryCode, Contract, ContractStatus, Retention

logger = logging.getLogger(__name__)

AUTO_FILE_KEY = "ended_contracts"
# 保管期限 of business contracts: 30 years (long-term), the usual company practice.
CONTRACT_RETENTION = Retention.THIRTY_YEARS
ENDED = (ContractStatus.EXPIRED, ContractStatus.TERMINATED)


def _file_digest(attachment) -> str:
    digest = hashlib.sha256()
    try:
        with attachment.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                digest.update(chunk)
    except (OSError, ValueError):
        return ""  # the scan is missing from storage: filed without its digest, said so below
    return digest.hexdigest()


def contract_snapshot(contract: Contract) -> dict:
    """What is filed: terms, amendments, ledger and scans (by digest), as of filing."""
    return {
        "kind": "contract",
        "contract_number": contract.contract_number,
        "title": contract.title,
        "contract_type": contract.contract_type,
        "counterparty": contract.counterparty,
        "department": str(contract.department) if contract.department_id else "",
        "owner": str(contract.owner) if contract.owner_id else "",
        "currency": contract.currency,
        "amount": str(contract.amount),
        "signed_on": contract.signed_on,
        "starts_on": contract.starts_on,
        "ends_on": contract.ends_on,
        "renewal_terms": contract.renewal_terms,
        "status": contract.status,
        "terminated_on": contract.terminated_on,
        "termination_reason": contract.termination_reason,
        "versions": [{**row, "amount": str(row["amount"])} for row in contract.versions()],
        "obligations": [
            {
                "kind": o.kind,
                "description": o.description,
                "due_on": o.due_on,
                "amount": str(o.amount) if o.amount is not None else None,
                "completed_on": o.completed_on,
                "completed_amount": (
                    str(o.completed_amount) if o.completed_amount is not None else None
                ),
                "completion_note": o.completion_note,
            }
            for o in contract.obligations.order_by("due_on", "pk")
        ],
        "attachments": [
            {"title": a.title, "size": a.size, "sha256": _file_digest(a) or None}
            for a in contract.attachments.order_by("pk")
        ],
    }


@transaction.atomic
def contract_file(*, contract: Contract, user=None, request=None) -> ArchiveItem:
    """File one expired or terminated contract (once)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status not in ENDED:
        raise ValidationError(
            _("Only an expired or terminated contract is filed; “%(contract)s” is %(status)s.")
            % {"contract": contract, "status": contract.get_status_display()}
        )
    return archive_file(
        source=contract,
        title=f"{contract.title}（{contract.contract_number}）",
        category_code=CategoryCode.CONTRACTS,
        retention=CONTRACT_RETENTION,
        department=contract.department,
        classification=contract.classification,
        snapshot=contract_snapshot(contract),
        filed_by=user,
        request=request,
    )


def ended_contracts_file(*, contract_ids=None, user=None) -> list[ArchiveItem]:
    """File every ended contract not filed yet (or these); one failure does not stop others."""
    contracts = Contract.objects.filter(status__in=ENDED)
    if contract_ids is not None:
        contracts = contracts.filter(pk__in=list(contract_ids))
    filed = []
    for contract in contracts.order_by("pk"):
        if already_filed(contract) is not None:
            continue
        try:
            filed.append(contract_file(contract=contract, user=user))
        except ValidationError as exc:
            logger.warning("Could not file %s: %s", contract, "; ".join(exc.messages))
    return filed


def auto_file_after_commit(*, contract_ids=None, user=None) -> None:
    """Where contracts end: file them (these, or every ended one not filed yet) after the
    commit, if configured."""
    if AUTO_FILE_KEY in getattr(settings, "ZHIDU_AUTO_FILE", []):
        ids = None if contract_ids is None else list(contract_ids)
        transaction.on_commit(lambda: ended_contracts_file(contract_ids=ids, user=user))
