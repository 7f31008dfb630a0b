"""The auditor's view of the audit trail: browse and filter, verify the chain, export CSV.

Read-only: nothing here changes an entry. Exporting is itself an audited action.
"""

import csv
import json
from urllib.parse import quote

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from records.audit import audit_chain_head, audit_record, audit_verify
from records.models import AuditAction
from records.selectors import audit_entries
from records.spreadsheet import safe_cell

PER_PAGE = 50
_cell = safe_cell  # a tried username can be anything: never a formula in the spreadsheet


def _filters(request) -> dict:
    action = request.GET.get("action", "")
    return {
        "actor_name": request.GET.get("actor", "").strip(),
        "action": action if action in AuditAction.values else "",
        "object_label": request.GET.get("object", "").strip(),
        "date_from": parse_date(request.GET.get("from", "").strip()),
        "date_to": parse_date(request.GET.get("to", "").strip()),
    }


def _query_string(filters: dict) -> str:
    """The filters as a query string, for the pager and the CSV link."""
    pairs = {
        "actor": filters["actor_name"],
        "action": filters["action"],
        "object": filters["object_label"],
        "from": filters["date_from"].isoformat() if filters["date_from"] else "",
        "to": filters["date_to"].isoformat() if filters["date_to"] else "",
    }
    return "&".join(f"{k}={quote(v)}" for k, v in pairs.items() if v)


@login_required
@permission_required("records.access_auditor_area", raise_exception=True)
def audit_log(request):
    """审计日志: entries newest first, filtered; ?verify=1 also walks the whole chain."""
    filters = _filters(request)
    page = Paginator(audit_entries(user=request.user, **filters), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "zhidu/audit_log.html",
        {
            "entries": page,
            "filters": filters,
            "query_string": _query_string(filters),
            "actions": AuditAction.choices,
            "verification": audit_verify() if request.GET.get("verify") else None,
            "head": audit_chain_head(),
        },
    )


@login_required
@permission_required("records.access_auditor_area", raise_exception=True)
def audit_log_csv(request):
    """The filtered entries as CSV (UTF-8 with BOM, as Excel expects), hashes included so
    the file can be checked against the chain; the last line is the chain head."""
    filters = _filters(request)
    entries = audit_entries(user=request.user, **filters)
    newest = entries.values_list("sequence", flat=True).first()
    entries = entries.filter(sequence__lte=newest or 0)  # not the export's own entry below
    audit_record(
        action=AuditAction.EXPORT,
        object_type="records.auditentry",
        object_label=_("Audit trail"),
        details={
            "format": "csv",
            "rows": entries.count(),
            "filters": {k: v for k, v in filters.items() if v},
        },
        request=request,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"audit-log-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Sequence"),
            _("Time"),
            _("Actor"),
            _("Action"),
            _("Object type"),
            _("Object id"),
            _("Object"),
            _("Version"),
            _("IP address"),
            _("Details"),
            _("Entry hash"),
            _("Previous hash"),
        ]
    )
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow(
            [
                entry.sequence,
                timezone.localtime(entry.at).isoformat(timespec="seconds"),
                _cell(entry.actor_name),
                entry.get_action_display(),
                _cell(entry.object_type),
                _cell(entry.object_id),
                _cell(entry.object_label),
                _cell(entry.version),
                entry.ip or "",
                _cell(json.dumps(entry.details, ensure_ascii=False, sort_keys=True)),
                entry.entry_hash,
                entry.previous_hash,
            ]
        )
    writer.writerow([_("Chain head"), audit_chain_head()])
    return response
