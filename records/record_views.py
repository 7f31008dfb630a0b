"""Read-only pages of one contract or archive item, outside the admin: where a search hit on a
record leads auditors (who never reach the admin) and keepers alike. Who may open one is the
access policy's answer (records.permissions: the record type, then level and need-to-know);
anyone else gets 404, as for a record that does not exist."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from records.audit import audit_record
from records.confidentiality import is_confidential, level_name
from records.contract_selectors import contract_ledger
from records.contract_views import confidential_view_log
from records.legal_holds import is_on_hold
from records.models import ArchiveItem, AuditAction, Contract
from records.permissions import can_view, searchable_record_kinds


def _visible(user, kind: str, model, pk: int):
    record = model.objects.filter(pk=pk).first()
    if record is None or kind not in searchable_record_kinds(user) or not can_view(user, record):
        raise Http404
    return record


@login_required
def record_contract(request, pk: int):
    """A contract as it stands: terms, versions (原合同, 补充协议…), performance ledger, scans."""
    contract = _visible(request.user, "contract", Contract, pk)
    confidential_view_log(request, contract)
    return render(
        request,
        "records/record_contract.html",
        {
            "contract": contract,
            "versions": contract.versions(),
            "rows": contract_ledger(user=request.user, contract=contract),
            "attachments": contract.attachments.all(),
            "on_hold": is_on_hold(contract),
            "can_manage": request.user.has_perm("records.view_contract")
            and request.user.has_perm("wagtailadmin.access_admin"),
        },
    )


@login_required
def record_archive_item(request, pk: int):
    """An archive item: its 档号 and metadata, and what was filed with its SHA-256."""
    item = _visible(request.user, "archive", ArchiveItem, pk)
    if is_confidential(item.classification):
        audit_record(
            action=AuditAction.VIEW_CONFIDENTIAL,
            obj=item,
            request=request,
            details={"level": item.classification, "path": request.path},
        )
    snapshot = item.snapshot if isinstance(item.snapshot, dict) else {}
    return render(
        request,
        "records/record_archive_item.html",
        {
            "item": item,
            "text": snapshot.get("text") if isinstance(snapshot.get("text"), str) else "",
            "fields": [
                (name, value)
                for name, value in snapshot.items()
                if name != "text" and isinstance(value, str | int | float) and value != ""
            ],
            "level": level_name(item.classification),
            "on_hold": is_on_hold(item),
            "can_manage": request.user.has_perm("records.view_archiveitem")
            and request.user.has_perm("wagtailadmin.access_admin"),
        },
    )
