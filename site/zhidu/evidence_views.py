"""审计区: acknowledgement evidence per employee and per document, and 证据包 (evidence bundles).

Read-only for auditors (``records.access_auditor_area``): they see what the access policy lets
them see; a bundle is generated in the background and only its requester may open or download
it (it holds what their clearance allowed). Requests and downloads are audited as exports.
"""

import datetime

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.models import Page

from policies_content.acknowledgement_selectors import (
    employee_assignment_history,
    version_assignments,
    version_by_department,
)
from policies_content.evidence_bundles import (
    evidence_bundle_continue,
    evidence_bundle_request,
    evidence_file_name,
)
from policies_content.models import AssignmentState, EvidenceBundle, IssuedVersion
from records.audit import audit_record
from records.models import AuditAction, Employee
from records.permissions import can_view, visible_to

AUDITOR_PERMISSION = "records.access_auditor_area"


def _auditor(view):
    return login_required(permission_required(AUDITOR_PERMISSION, raise_exception=True)(view))


class EvidenceBundleForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("Period from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("Period to"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The period must start on or before the day it ends."))
        if start and start > timezone.localdate():
            raise forms.ValidationError(_("The period cannot start in the future."))
        return data


def _default_period() -> dict:
    today = timezone.localdate()
    return {"date_from": today - datetime.timedelta(days=365), "date_to": today}


def _bundle_form(request, **subject):
    """The bundle form of an evidence page; on a valid POST, the bundle of ``subject`` (an
    employee or a page) is started and the redirect to its screen returned with the form."""
    form = EvidenceBundleForm(request.POST or None, initial=_default_period())
    if request.method == "POST" and form.is_valid():
        bundle = evidence_bundle_request(
            user=request.user,
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
            request=request,
            **subject,
        )
        return form, redirect("evidence_bundle", pk=bundle.pk)
    return form, None


def _bundles(user, **subject):
    return EvidenceBundle.objects.filter(requested_by=user, **subject)[:5]


def _visible_document(user, page_id: int):
    page = get_object_or_404(Page, pk=page_id).specific
    versions = list(
        visible_to(IssuedVersion.objects.filter(page_id=page.pk), user)
        .defer("content", "canonical_text")
        .order_by("-major", "-minor")
    )
    if not hasattr(page, "classification") or not can_view(user, page) or not versions:
        raise Http404
    return page, versions


@_auditor
def evidence_employee(request, employee_id: int):
    """One employee: every version they were asked to sign (that the auditor may see), the
    signature or what became of it, and the bundle form."""
    employee = get_object_or_404(Employee.objects.select_related("department"), pk=employee_id)
    form, started = _bundle_form(request, employee=employee)
    if started:
        return started
    return render(
        request,
        "zhidu/evidence_employee.html",
        {
            "employee": employee,
            "history": employee_assignment_history(user=request.user, employee=employee),
            "form": form,
            "bundles": _bundles(request.user, employee=employee),
        },
    )


@_auditor
def evidence_document(request, page_id: int):
    """One document: its versions, each with its signatures by department and the names of
    who has not signed; and the bundle form."""
    page, versions = _visible_document(request.user, page_id)
    form, started = _bundle_form(request, page=page)
    if started:
        return started
    chosen = versions[0]
    wanted = request.GET.get("version", "")
    for version in versions:
        if version.url_version == wanted:
            chosen = version
    unsigned = [a for a in version_assignments(version=chosen) if a.state == AssignmentState.OPEN]
    return render(
        request,
        "zhidu/evidence_document.html",
        {
            "page": page,
            "versions": versions,
            "version": chosen,
            "departments": version_by_department(version=chosen),
            "unsigned": unsigned,
            "form": form,
            "bundles": _bundles(request.user, page=page),
        },
    )


def _own_bundle(request, pk: int) -> EvidenceBundle:
    return get_object_or_404(
        EvidenceBundle.objects.select_related("employee", "page"), pk=pk, requested_by=request.user
    )


@_auditor
def evidence_bundle(request, pk: int):
    """A bundle's progress (polled as JSON) and, once ready, its download."""
    bundle = _own_bundle(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse(bundle.status())
    return render(
        request,
        "zhidu/evidence_bundle.html",
        {
            "batch": bundle,
            "bundle": bundle,
            "count_text": _("%(done)s of %(total)s steps")
            % {"done": bundle.done, "total": bundle.total},
            "count_template": _("%(done)s of %(total)s steps") % {"done": "DONE", "total": "TOTAL"},
        },
    )


@_auditor
@require_POST
def evidence_bundle_again(request, pk: int):
    bundle = _own_bundle(request, pk)
    if bundle.state == EvidenceBundle.State.FAILED or bundle.stalled:
        evidence_bundle_continue(bundle)
    return redirect("evidence_bundle", pk=bundle.pk)


@_auditor
def evidence_bundle_download(request, pk: int):
    bundle = _own_bundle(request, pk)
    if bundle.state != EvidenceBundle.State.DONE or not bundle.archive:
        raise Http404
    audit_record(
        action=AuditAction.EXPORT,
        obj=bundle.employee or bundle.page.specific,
        details={"what": "evidence bundle zip", "bundle": bundle.pk, "sha256": bundle.sha256},
        request=request,
    )
    return FileResponse(
        bundle.archive.open("rb"),
        as_attachment=True,
        filename=evidence_file_name(bundle),
        content_type="application/zip",
    )
