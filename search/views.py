"""The search pages: the staff search (the box on every page) and the auditor's advanced
search with facets, CSV export and saved searches.

Thin: every query goes through ``search_for_user`` (search.service), which applies the access
policy to hits, totals and facet counts alike; nothing here talks to a backend. Input is
cleaned by search.forms, which drops bad filter values instead of failing, so no address a
user can type gives an error page. The auditor's searches are written to the audit trail
(``audit=True``); the staff search is not.
"""

import html
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from records.audit import audit_chain_head, audit_record
from records.confidentiality import level_name
from records.models import AuditAction, Department
from records.permissions import user_clearance
from records.spreadsheet import CSV_TYPE, csv_text

from .backends.base import FACETS, STATUSES
from .forms import (
    KIND_LABELS,
    STATUS_LABELS,
    AuditorSearchForm,
    SavedSearchForm,
    StaffSearchForm,
    status_label,
)
from .models import SavedSearch
from .service import search_for_user

AUDITOR_PERMISSION = "records.access_auditor_area"
CSV_MAX_ROWS = 5000  # an export holds at most this many results
CSV_PAGE = 500
# facet (as the backend names it) → (GET parameter, heading)
FACET_PARAMS = {
    "kind": "kind",
    "status": "status",
    "category": "category",
    "level": "level",
    "department_id": "department",
}


def _rows(hits, *, departments: dict | None = None) -> list[dict]:
    """What a result line shows. The snippet is the one field marked safe: search.snippets
    escapes the text and adds only <mark>."""
    today = timezone.localdate()
    rows = []
    for hit in hits:
        entry = hit.entry
        status = entry.status_on(today)
        rows.append(
            {
                "entry": entry,
                "snippet": mark_safe(hit.snippet_html),  # noqa: S308 — escaped by search.snippets
                "status": status,
                "status_label": status_label(entry.kind, status),
                "level_name": level_name(entry.level),
                "kind_label": KIND_LABELS.get(entry.kind, entry.kind),
                "department": (departments or {}).get(entry.department_id, ""),
            }
        )
    return rows


def _department_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    return dict(Department.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


@login_required
def staff_search(request):
    """搜索: the box on every page; hits the user may see, in-force versions first."""
    values = StaffSearchForm(request.GET).values()
    results = None
    if values["q"]:
        results = search_for_user(user=request.user, query=values["q"], page=values["page"])
    return render(
        request,
        "search/search.html",
        {
            "query": values["q"],
            "header_query": values["q"],
            "results": results,
            "rows": _rows(results.hits) if results else [],
            "pager_query": urlencode([("q", values["q"])]),
        },
    )


def _facet_label(facet: str, value: str, department_names: dict[int, str]) -> str:
    if facet == "kind":
        return KIND_LABELS.get(value, value)
    if facet == "status":
        return STATUS_LABELS.get(value, value)
    if facet == "level":
        return level_name(int(value))
    if facet == "department_id":
        return department_names.get(int(value), value)
    return value


def _facet_groups(results, values: dict, user) -> list[dict]:
    """Facets with counts, as filters to tick: only levels the auditor is cleared for (the
    service has already trimmed every count), names for levels, types, statuses and
    departments. A value already chosen stays listed so it can be unticked."""
    facets = results.facets if results else {}
    clearance = user_clearance(user)
    department_ids = [int(v) for v in facets.get("department_id", {}) if v.lstrip("-").isdigit()]
    names = _department_names([*department_ids, *values["department"]])
    headings = {
        "kind": _("Type"),
        "status": _("Status"),
        "category": _("Category"),
        "level": _("Confidentiality level"),
        "department_id": _("Department"),
    }
    groups = []
    for facet in FACETS:
        param = FACET_PARAMS[facet]
        chosen = [str(v) for v in values[param]]
        counts = dict(facets.get(facet, {}))
        for value in chosen:
            counts.setdefault(value, 0)
        options = []
        for value, count in counts.items():
            if facet in ("level", "department_id"):
                if not value.lstrip("-").isdigit():
                    continue
                if facet == "level" and int(value) > clearance:
                    continue
            options.append(
                {
                    "value": value,
                    "label": _facet_label(facet, value, names),
                    "count": count,
                    "checked": value in chosen,
                }
            )
        if facet == "status":
            options.sort(key=lambda o: STATUSES.index(o["value"]) if o["value"] in STATUSES else 9)
        elif facet == "level":
            options.sort(key=lambda o: int(o["value"]))
        else:
            options.sort(key=lambda o: (-o["count"], str(o["label"])))
        if options:
            groups.append({"param": param, "heading": headings[facet], "options": options})
    return groups


@login_required
@permission_required(AUDITOR_PERMISSION, raise_exception=True)
def auditor_search(request):
    """高级搜索 for auditors: facets, date range, in force on a date, sort, CSV, saved
    searches. Every query is written to the audit trail."""
    form = AuditorSearchForm(request.GET, user=request.user)
    values = form.values()
    results = None
    if values["q"]:
        results = search_for_user(
            user=request.user,
            query=values["q"],
            filters=form.filters_from(values),
            page=values["page"],
            sort=values["sort"],
            audit=True,
            request=request,
        )
    hits = results.hits if results else []
    departments = _department_names(hit.entry.department_id for hit in hits)
    params = form.as_params(values)
    return render(
        request,
        "search/auditor_search.html",
        {
            "form": form,
            "values": values,
            "query": values["q"],
            "results": results,
            "rows": _rows(hits, departments=departments),
            "facets": _facet_groups(results, values, request.user),
            "pager_query": urlencode(params),
            "filter_params": form.as_params(values, with_query=False),
            "saved_searches": SavedSearch.objects.filter(user=request.user)[:100],
            "save_form": SavedSearchForm(),
            "csv_max_rows": CSV_MAX_ROWS,
        },
    )


@login_required
@permission_required(AUDITOR_PERMISSION, raise_exception=True)
def auditor_search_csv(request):
    """The results of one advanced search as CSV (up to CSV_MAX_ROWS, every page), each
    cell safe from formula injection; recorded as an export with the query and filters,
    the chain head as the last line."""
    form = AuditorSearchForm(request.GET, user=request.user)
    values = form.values()
    back = f"{reverse('audit_search')}?{urlencode(form.as_params(values))}"
    if not values["q"]:
        return redirect(back)
    filters = form.filters_from(values)
    hits, total, page = [], 0, 1
    while len(hits) < CSV_MAX_ROWS:
        results = search_for_user(
            user=request.user,
            query=values["q"],
            filters=filters,
            page=page,
            per_page=CSV_PAGE,
            sort=values["sort"],
        )
        if results.unavailable:
            messages.error(
                request, _("Search is unavailable at the moment. Please try again later.")
            )
            return redirect(back)
        hits += results.hits
        total = results.total
        if not results.hits or page >= results.pages:
            break
        page += 1
    hits = hits[:CSV_MAX_ROWS]
    audit_record(
        action=AuditAction.EXPORT,
        object_type="search",
        object_label=_("Search results"),
        details={
            "format": "csv",
            "query": values["q"][:500],
            "filters": form.as_params(values, with_query=False),
            "rows": len(hits),
            "total": total,
        },
        request=request,
    )
    departments = _department_names(hit.entry.department_id for hit in hits)
    header = [
        _("Title"),
        _("Document number"),
        _("Version"),
        _("Article"),
        _("Text"),
        _("Status"),
        _("Effective date"),
        _("No longer in force from"),
        _("Confidentiality level"),
        _("Type"),
        _("Category"),
        _("Department"),
        _("Link"),
    ]
    rows = (
        [
            row["entry"].title,
            row["entry"].document_number,
            row["entry"].version,
            row["entry"].label,
            html.unescape(strip_tags(row["entry"].text)) if row["entry"].text else "",
            str(row["status_label"]),
            row["entry"].effective_date.isoformat() if row["entry"].effective_date else "",
            row["entry"].superseded_on.isoformat() if row["entry"].superseded_on else "",
            str(row["level_name"]),
            str(row["kind_label"]),
            row["entry"].category,
            row["department"],
            request.build_absolute_uri(row["entry"].url),
        ]
        for row in _rows(hits, departments=departments)
    )
    body = csv_text(header, rows, trailer=[_("Chain head"), audit_chain_head()])
    response = HttpResponse(body, content_type=CSV_TYPE)
    filename = f"search-results-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@permission_required(AUDITOR_PERMISSION, raise_exception=True)
@require_POST
def saved_search_create(request):
    """Save the current query and filters (posted as hidden fields) under a name."""
    form = AuditorSearchForm(request.POST, user=request.user)
    values = form.values()
    name_form = SavedSearchForm(request.POST)
    back = f"{reverse('audit_search')}?{urlencode(form.as_params(values))}"
    if not name_form.is_valid():
        messages.error(request, name_form.errors["name"][0])
        return redirect(back)
    filters: dict[str, list[str] | str] = {}
    for key, value in form.as_params(values, with_query=False):
        if key in ("kind", "status", "category", "level", "department"):
            filters.setdefault(key, []).append(value)
        else:
            filters[key] = value
    saved = SavedSearch.objects.create(
        user=request.user, name=name_form.cleaned_data["name"], query=values["q"], filters=filters
    )
    messages.success(request, _("Search “%(name)s” saved.") % {"name": saved.name})
    return redirect(back)


@login_required
@permission_required(AUDITOR_PERMISSION, raise_exception=True)
def saved_search_open(request, saved_id: int):
    """Run one's own saved search (404 for anyone else's)."""
    saved = get_object_or_404(SavedSearch, pk=saved_id, user=request.user)
    return redirect(f"{reverse('audit_search')}?{urlencode(saved.params())}")


@login_required
@permission_required(AUDITOR_PERMISSION, raise_exception=True)
@require_POST
def saved_search_delete(request, saved_id: int):
    """Delete one's own saved search (404 for anyone else's)."""
    saved = get_object_or_404(SavedSearch, pk=saved_id, user=request.user)
    saved.delete()
    messages.success(request, _("Saved search “%(name)s” deleted.") % {"name": saved.name})
    return redirect("audit_search")
