"""Records in the search index: contracts (with their amendments, ledger and the text of their
scans) and archive items (with the text they froze when filed). Each record is one unit of
the index (IndexEntry.source "contract:<id>", "archive:<id>"), re-indexed whole when it or a
part of it changes (search.signals).

Their status uses the same dates as documents' (IndexEntry.status_on): a contract is in force
from its start to its end (terminated = "repealed"), a draft contract is a draft; an archive
item is in force from filing until disposed of ("repealed"). search.forms words these per kind
(履行中 / 已到期 / 已终止, 已归档 / 已销毁).
"""

import datetime

from django.urls import reverse

from records.models import (
    ArchiveItem,
    Contract,
    ContractAmendment,
    ContractAttachment,
    ContractStatus,
    Obligation,
)

from .attachment_text import attachment_text
from .backends.base import IndexEntry


def RECORD_MODELS() -> list:  # noqa: N802 — a constant, built when the apps are ready
    """Models whose saves and deletes change a record's entries."""
    return [Contract, ContractAmendment, Obligation, ContractAttachment, ArchiveItem]


def source_of(instance) -> str:
    """The IndexEntry.source an instance of RECORD_MODELS belongs to ("" if none)."""
    if isinstance(instance, Contract):
        return f"contract:{instance.pk}"
    if isinstance(instance, ContractAmendment | Obligation | ContractAttachment):
        return f"contract:{instance.contract_id}"
    if isinstance(instance, ArchiveItem):
        return f"archive:{instance.pk}"
    return ""


def _scan_text(attachment: ContractAttachment) -> str:
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return ""
    return attachment_text(attachment.file.name, data)


def contract_entries(pk: int) -> list[IndexEntry]:
    """One entry for the contract (title, number, counterparty, type, terms, amendments,
    ledger), one per scan with text."""
    contract = Contract.objects.filter(pk=pk).prefetch_related("amendments").first()
    if contract is None:
        return []
    terms = contract.terms_on(datetime.date.max)
    ended = contract.terminated_on or (
        terms.ends_on + datetime.timedelta(days=1) if terms.ends_on else None
    )
    url = reverse("record_contract", args=[contract.pk])
    context = {
        "kind": "contract",
        "page_id": contract.pk,
        "version_id": None,
        "title": contract.title,
        "document_number": contract.contract_number,
        "version": "",
        "level": contract.classification,
        "need_to_know": tuple(sorted(contract.need_to_know_department_ids())),
        "repealed": bool(contract.terminated_on),
        "effective_date": contract.starts_on or contract.signed_on,
        "superseded_on": ended,
        "category": str(contract.get_contract_type_display()),
        "department_id": contract.department_id,
        "draft": contract.status == ContractStatus.DRAFT,
    }
    parts = [
        contract.counterparty,
        str(contract.get_contract_type_display()),
        contract.renewal_terms,
        contract.termination_reason,
    ]
    parts += [f"{a.label} {a.title} {a.summary}" for a in contract.amendment_list()]
    parts += [o.description for o in contract.obligations.all()]
    parts += [o.completion_note for o in contract.obligations.all() if o.completion_note]
    entries = [
        IndexEntry(
            key=f"c{contract.pk}:main",
            label="",
            anchor="",
            url=url,
            text="\n".join(p for p in parts if p),
            **context,
        )
    ]
    for attachment in contract.attachments.all():
        text = _scan_text(attachment)
        if text.strip():
            entries.append(
                IndexEntry(
                    key=f"c{contract.pk}:scan{attachment.pk}",
                    label=attachment.title,
                    anchor=f"scan-{attachment.pk}",
                    url=f"{url}#scan-{attachment.pk}",
                    text=text,
                    **context,
                )
            )
    return entries


def _snapshot_text(snapshot) -> str:
    """The filed text if the snapshot has one, else its values (nested lists and dicts)."""
    if isinstance(snapshot, dict) and isinstance(snapshot.get("text"), str):
        return snapshot["text"]
    values = []

    def walk(value):
        if isinstance(value, dict):
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)
        elif isinstance(value, str) and value:
            values.append(value)

    walk(snapshot)
    return "\n".join(values)


def archive_entries(pk: int) -> list[IndexEntry]:
    """One entry per archive item: its title, 档号 and the content frozen when it was filed."""
    item = ArchiveItem.objects.filter(pk=pk).first()
    if item is None:
        return []
    return [
        IndexEntry(
            key=f"a{item.pk}:main",
            kind="archive",
            page_id=item.pk,
            version_id=None,
            title=item.title,
            document_number=item.archival_code,
            version="",
            label="",
            anchor="",
            url=reverse("record_archive_item", args=[item.pk]),
            text=_snapshot_text(item.snapshot),
            level=item.classification,
            need_to_know=(),
            repealed=item.disposed_on is not None,
            effective_date=item.filed_on,
            superseded_on=item.disposed_on,
            category=str(item.get_category_code_display()),
            department_id=item.department_id,
        )
    ]


RECORD_ENTRIES = {"contract": contract_entries, "archive": archive_entries}


def record_sources() -> list[str]:
    return [
        f"contract:{pk}" for pk in Contract.objects.order_by("pk").values_list("pk", flat=True)
    ] + [f"archive:{pk}" for pk in ArchiveItem.objects.order_by("pk").values_list("pk", flat=True)]


def record_label(source: str) -> tuple[str, str]:
    """Title and number of a record for the drift report ("" when it is gone)."""
    kind, _sep, number = source.partition(":")
    if not number.isdigit():
        return "", ""
    if kind == "contract":
        row = Contract.objects.filter(pk=int(number)).values_list("title", "contract_number")
    elif kind == "archive":
        row = ArchiveItem.objects.filter(pk=int(number)).values_list("title", "archival_code")
    else:
        return "", ""
    return row.first() or ("", "")
