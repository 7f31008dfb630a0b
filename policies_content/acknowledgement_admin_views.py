"""签收跟踪: HR's admin screens for acknowledgement tracking.

Overview of every document in force; one document by department with a drill-down to names;
one department's completion across documents; one employee's history; export (XLSX / CSV) of a
version's rows; 催办 (chase) and 代签 (proxy acknowledgement). For holders of
``policies_content.track_acknowledgements`` only (403 for anyone else), and only for documents
the access policy lets the user see: anything else answers 404, exactly as if it did not exist.
"""

import datetime
from urllib.parse import quote, urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View, defaults
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.models import Page

from records.admin_views import AdminScreenMixin
from records.audit import audit_chain_head, audit_record
from records.confidentiality import handling_allowed
from records.models import AuditAction, Department, Employee
from records.permissions import can_view, visible_to
from records.spreadsheet import CSV_TYPE, XLSX_TYPE, csv_text, xlsx_bytes
from records.verification import pdf_response

from .acknowledgement_selectors import (
    COUNT_NAMES,
    completion,
    department_completion,
    employee_assignment_history,
    trackable_versions,
    tracked_versions,
    version_assignments,
    version_by_department,
)
from .acknowledging import proxy_acknowledgement_record
from .chasing import ChaseRefused, chase_possible_at, document_chase
from .confidentiality import handling_refused
from .models import Assignment, AssignmentState, IssuedVersion, ReceiptBatch
from .status_report_pdf import status_report_pdf

TRACK_PERMISSION = "policies_content.track_acknowledgements"
SCAN_MAX_BYTES = 10 * 1024 * 1024
SCAN_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def _percent(part: int, whole: int) -> str:
    """A CSS width, e.g. "37.5%" (never localised: a decimal comma would break it)."""
    return f"{100 * part / whole:.1f}%" if whole else "0%"


def _with_completion(row) -> dict:
    """A row of counts (a dict, or an annotated version) with its completion and bar widths."""
    if isinstance(row, dict):
        data = dict(row)
    else:
        data = {"version": row, **{key: getattr(row, key) for key in COUNT_NAMES}}
    data.update(completion(row))
    assigned = data["assigned"]
    data["bars"] = {
        "self": _percent(data["signed_self"], assigned),
        "proxy": _percent(data["signed_proxy"], assigned),
        "covered": _percent(data["covered"], assigned),
        "overdue": _percent(data["overdue"], assigned),
        "open": _percent(data["open"] - data["overdue"], assigned),
    }
    return data


class TrackingMixin(AdminScreenMixin):
    """Permission first (403, never a redirect that looks like success), then the screen."""

    header_icon = "tick-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(TRACK_PERMISSION):
            return defaults.permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        *home, this = super().get_breadcrumbs_items()
        overview = {"url": reverse("acknowledgement_overview"), "label": _("Acknowledgements")}
        return [*home, overview, this]


def tracked_document(user, page_id: int) -> Page:
    """The document, if the user may see it (its current classification and need-to-know)."""
    page = get_object_or_404(Page, pk=page_id).specific
    if hasattr(page, "classification") and not can_view(user, page):
        raise Http404
    return page


def chosen_version(user, page_id: int, wanted: str = "") -> tuple[IssuedVersion, list]:
    """The version asked for (``1.0``), else the one in force, else the newest; 404 when the
    user may see none of the document's versions."""
    versions = list(trackable_versions(user=user, page_id=page_id))
    if not versions:
        raise Http404
    if wanted:
        for version in versions:
            if version.url_version == wanted:
                return version, versions
        raise Http404
    in_force = [v for v in versions if v.state() == IssuedVersion.State.IN_FORCE]
    return (in_force or versions)[0], versions


def department_param(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


class OverviewView(TrackingMixin, TemplateView):
    """Every document in force the user may see, with its counts: one query for all rows."""

    template_name = "policies_content/admin/acknowledgement_overview.html"
    page_title = gettext_lazy("Acknowledgements")

    def get_breadcrumbs_items(self):
        return AdminScreenMixin.get_breadcrumbs_items(self)

    def get_context_data(self, **kwargs):
        rows = [_with_completion(v) for v in tracked_versions(user=self.request.user)]
        departments = Department.objects.select_related("parent__parent").order_by(
            "sort_order", "code"
        )
        return super().get_context_data(rows=rows, departments=departments, **kwargs)


class DocumentView(TrackingMixin, TemplateView):
    """One version by department, with a bar chart, and the names of one department."""

    template_name = "policies_content/admin/acknowledgement_document.html"

    @cached_property
    def page(self):
        return tracked_document(self.request.user, self.kwargs["page_id"])

    @cached_property
    def chosen(self):
        return chosen_version(
            self.request.user, self.kwargs["page_id"], self.request.GET.get("version", "")
        )

    def get_page_title(self):
        version = self.chosen[0]
        return f"{version.title} {version.version}"

    def get_context_data(self, **kwargs):
        self.page  # noqa: B018  404 before anything else is read
        version, versions = self.chosen
        departments = [_with_completion(row) for row in version_by_department(version=version)]
        total = _with_completion({key: sum(row[key] for row in departments) for key in COUNT_NAMES})
        department_id = department_param(self.request.GET.get("department"))
        drill = None
        if department_id is not None:
            drill = next((d for d in departments if d["department_id"] == department_id), None)
            if drill is None:
                raise Http404
        names = (
            list(version_assignments(version=version, department_id=department_id)) if drill else []
        )
        return super().get_context_data(
            version=version,
            versions=versions,
            departments=departments,
            total=total,
            drill=drill,
            names=names,
            today=timezone.localdate(),
            may_export=handling_allowed(version.classification, "export"),
            signatures=total["signed_self"] + total["signed_proxy"] + total["covered"],
            receipt_batches=ReceiptBatch.objects.filter(version=version).select_related(
                "department", "requested_by"
            )[:5],
            document_chase_at=chase_possible_at(page_id=version.page_id, department_id=None),
            department_chase_at=(
                chase_possible_at(page_id=version.page_id, department_id=department_id)
                if drill
                else None
            ),
            **kwargs,
        )


class DepartmentView(TrackingMixin, TemplateView):
    """One department (with those below it): every document's completion there."""

    template_name = "policies_content/admin/acknowledgement_department.html"

    @cached_property
    def department(self):
        return get_object_or_404(
            Department.objects.select_related("parent__parent"), pk=self.kwargs["department_id"]
        )

    def get_page_title(self):
        return self.department.path_name

    def get_context_data(self, **kwargs):
        rows = [
            _with_completion(v)
            for v in department_completion(user=self.request.user, department=self.department)
        ]
        return super().get_context_data(department=self.department, rows=rows, **kwargs)


class EmployeeView(TrackingMixin, TemplateView):
    """One employee's whole history: every version asked, the outcome, self or 代签."""

    template_name = "policies_content/admin/acknowledgement_employee.html"

    @cached_property
    def employee(self):
        return get_object_or_404(
            Employee.objects.select_related("department"), pk=self.kwargs["employee_id"]
        )

    def get(self, request, *args, **kwargs):
        if "employee_id" not in kwargs:  # the 工号 lookup on the overview
            number = request.GET.get("number", "").strip()
            found = Employee.objects.filter(employee_number=number).values_list("pk", flat=True)
            if found:
                return redirect("acknowledgement_employee", found[0])
            messages.error(
                request, _("No employee has the number %(number)s.") % {"number": number}
            )
            return redirect("acknowledgement_overview")
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.employee.name} {self.employee.employee_number}"

    def get_context_data(self, **kwargs):
        history = employee_assignment_history(user=self.request.user, employee=self.employee)
        return super().get_context_data(
            employee=self.employee, history=history, today=timezone.localdate(), **kwargs
        )


# --- Export -------------------------------------------------------------------------------------


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def version_acknowledgement_table(version: IssuedVersion) -> tuple[list, list]:
    """The rows of one version for the export: header and one row per assignment."""
    header = [
        _("Department"),
        _("Employee number"),
        _("Name"),
        _("State"),
        _("First opened at"),
        _("Signed at"),
        _("Kind"),
        _("Due on"),
        _("Overdue"),
        _("Version"),
        _("SHA-256 of the text signed"),
    ]
    rows = []
    for row in version_assignments(version=version).iterator(chunk_size=2000):
        ack = row.acknowledgement if row.state == AssignmentState.SIGNED else None
        rows.append(
            [
                row.department.name,
                row.employee.employee_number,
                row.employee.name,
                row.get_state_display(),
                _local(row.opened_at),
                _local(ack.signed_at) if ack else "",
                ack.get_kind_display() if ack else "",
                row.due_on.isoformat(),
                _("Overdue") if row.is_overdue else "",
                version.version,
                ack.text_sha256 if ack else version.sha256,
            ]
        )
    return header, rows


class ExportView(TrackingMixin, View):
    """The chosen version's rows as XLSX or CSV; audited as an export. The CSV's last line
    is the audit chain head (as in the audit-trail export)."""

    def get(self, request, page_id: int, fmt: str):
        if fmt not in ("csv", "xlsx", "pdf"):
            raise Http404
        tracked_document(request.user, page_id)
        version, _versions = chosen_version(request.user, page_id, request.GET.get("version", ""))
        refused = handling_refused(request, level=version.classification, action="export")
        if refused is not None:
            return refused
        name = f"{version.document_number}-{version.version}-签收-{timezone.localdate()}"
        if fmt == "pdf":  # the status report, with its verification code
            report = status_report_pdf(version=version, user=request.user)
            audit_record(
                action=AuditAction.EXPORT,
                obj=version,
                version=version.version,
                details={"what": "acknowledgements", "format": fmt, "code": report.record.code},
                request=request,
            )
            return pdf_response(report, f"{name}.pdf")
        header, rows = version_acknowledgement_table(version)
        audit_record(
            action=AuditAction.EXPORT,
            obj=version,
            version=version.version,
            details={"what": "acknowledgements", "format": fmt, "rows": len(rows)},
            request=request,
        )
        if fmt == "xlsx":
            data = xlsx_bytes(header, rows, title=version.version)
            response = HttpResponse(data, content_type=XLSX_TYPE)
        else:
            trailer = [_("Chain head"), audit_chain_head()]
            response = HttpResponse(csv_text(header, rows, trailer=trailer), content_type=CSV_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{name}.{fmt}')}"
        return response


# --- 催办 ----------------------------------------------------------------------------------------


def _document_url(page_id: int, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    url = reverse("acknowledgement_document", args=[page_id])
    return f"{url}?{query}" if query else url


class ChaseView(TrackingMixin, View):
    """POST: remind the unsigned readers of the chosen version (or of one department)."""

    def post(self, request, page_id: int):
        tracked_document(request.user, page_id)
        wanted = request.POST.get("version", "")
        version, _versions = chosen_version(request.user, page_id, wanted)
        department_id = department_param(request.POST.get("department"))
        department = get_object_or_404(Department, pk=department_id) if department_id else None
        back = _document_url(page_id, version=wanted, department=department_id or "")
        try:
            result = document_chase(
                version=version, user=request.user, department=department, request=request
            )
        except ChaseRefused as refused:
            messages.error(
                request,
                _(
                    "This was chased less than %(hours)s hours ago. "
                    "It can be chased again from %(time)s."
                )
                % {
                    "hours": settings.ZHIDU_CHASE_MIN_HOURS,
                    "time": date_format(
                        timezone.localtime(refused.possible_at), "SHORT_DATETIME_FORMAT"
                    ),
                },
            )
            return redirect(back)
        if result is None:
            messages.warning(request, _("Nobody here still has to sign: nothing was sent."))
            return redirect(back)
        text = _("Reminder sent to %(count)d employees.") % {"count": result.reminded}
        if result.without_email:
            text += " " + _("%(count)d employees have no e-mail address and were not reminded.") % {
                "count": result.without_email
            }
        messages.success(request, text)
        return redirect(back)


# --- 代签 ----------------------------------------------------------------------------------------


class ProxyAcknowledgementForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Why the employee signed on paper, e.g. no computer at work."),
    )
    scan = forms.FileField(
        label=gettext_lazy("Scan of the signed paper"),
        help_text=gettext_lazy("PDF, JPEG or PNG, at most 10 MB."),
    )
    signed_on = forms.DateField(
        label=gettext_lazy("Signed on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, version: IssuedVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Give the reason for recording a paper signature."))
        return reason

    def clean_scan(self):
        scan = self.cleaned_data["scan"]
        suffix = "." + scan.name.rsplit(".", 1)[-1].lower() if "." in scan.name else ""
        if suffix not in SCAN_SIGNATURES:
            raise ValidationError(_("Upload the scan as a PDF, JPEG or PNG file."))
        if scan.size > SCAN_MAX_BYTES:
            raise ValidationError(_("The scan is larger than 10 MB."))
        head = scan.read(16)
        scan.seek(0)
        if not head.startswith(SCAN_SIGNATURES[suffix]):
            raise ValidationError(_("The file is not the PDF, JPEG or PNG its name says it is."))
        return scan

    def clean_signed_on(self):
        day = self.cleaned_data["signed_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date of the paper signature cannot be in the future."))
        issued = timezone.localdate(self.version.issued_at)
        if day < issued:
            raise ValidationError(
                _("This version was issued on %(date)s: it cannot have been signed before.")
                % {"date": issued.isoformat()}
            )
        return day

    def signed_at(self) -> datetime.datetime:
        """Today: now; an earlier day: that day (the time of a paper signature is unknown)."""
        day = self.cleaned_data["signed_on"]
        if day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class ProxyAcknowledgementView(TrackingMixin, FormView):
    """代签: record the paper signature of an employee with an open assignment."""

    template_name = "policies_content/admin/acknowledgement_proxy.html"
    form_class = ProxyAcknowledgementForm
    page_title = gettext_lazy("Record a paper signature")

    @cached_property
    def assignment(self) -> Assignment:
        assignment = get_object_or_404(
            Assignment.objects.select_related("version", "employee", "department"),
            pk=self.kwargs["assignment_id"],
        )
        visible = visible_to(
            IssuedVersion.objects.filter(pk=assignment.version_id), self.request.user
        )
        if not visible.exists():
            raise Http404
        tracked_document(self.request.user, assignment.page_id)
        return assignment

    def back_url(self) -> str:
        return _document_url(
            self.assignment.page_id,
            version=self.assignment.version.url_version,
            department=self.assignment.department_id,
        )

    def dispatch(self, request, *args, **kwargs):
        if request.user.has_perm(TRACK_PERMISSION) and (
            self.assignment.state != AssignmentState.OPEN
        ):
            messages.warning(
                request, _("This employee does not need to sign this version any more.")
            )
            return redirect(self.back_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "version": self.assignment.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            assignment=self.assignment, back_url=self.back_url(), **kwargs
        )

    def form_valid(self, form):
        try:
            proxy_acknowledgement_record(
                assignment=self.assignment,
                recorded_by=self.request.user,
                scan=form.cleaned_data["scan"],
                reason=form.cleaned_data["reason"],
                signed_on=form.signed_at(),
                request=self.request,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Paper signature of %(name)s (%(number)s) recorded as a proxy acknowledgement.")
            % {
                "name": self.assignment.employee.name,
                "number": self.assignment.employee.employee_number,
            },
        )
        return redirect(self.back_url())
