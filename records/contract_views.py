"""Admin screens of contracts beyond the snippet views: the performance ledger of one contract
(with its versions, attachments and the forms that change them), the overdue list across
contracts, the statistics (on screen and XLSX), and the attachment download.

Thin: each screen reads through contract_selectors (access policy applied; a contract the
user may not see answers 404, as if it did not exist) and writes through records.contracts.
"""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin import messages

from records.admin_views import AdminScreenMixin
from records.audit import audit_record
from records.confidentiality import handling_allowed, is_confidential
from records.contract_filing import ENDED, contract_file
from records.contract_forms import (
    AmendmentForm,
    AttachmentForm,
    CompletionForm,
    ObligationForm,
    StatisticsForm,
    TerminationForm,
    apply_errors,
)
from records.contract_selectors import (
    contract_for,
    contract_ledger,
    contract_statistics,
    overdue_obligations,
    statistics_table,
)
from records.contracts import (
    contract_amend,
    contract_attachment_add,
    contract_terminate,
    obligation_add,
    obligation_complete,
)
from records.filing import already_filed
from records.legal_holds import is_on_hold
from records.models import AuditAction, ContractAttachment
from records.record_notices import contract_expiry_notice_pdf
from records.spreadsheet import XLSX_TYPE, xlsx_bytes
from records.verification import pdf_response

VIEW = "records.view_contract"
FILE = "records.add_archiveitem"  # 归档
CHANGE = "records.change_contract"

FORMS = {
    "obligation": ObligationForm,
    "complete": CompletionForm,
    "amend": AmendmentForm,
    "attach": AttachmentForm,
    "terminate": TerminationForm,
}


def confidential_view_log(request, contract, **details) -> None:
    """秘密 and above: every view of the contract or a scan is in the audit trail."""
    if is_confidential(contract.classification):
        audit_record(
            action=AuditAction.VIEW_CONFIDENTIAL,
            obj=contract,
            request=request,
            details={"level": contract.classification, "path": request.path, **details},
        )


class ContractLedgerView(PermissionRequiredMixin, AdminScreenMixin, TemplateView):
    """合同履行一览表 of one contract, with its versions (原合同, 补充协议一…) and scans."""

    permission_required = VIEW
    template_name = "records/contract_ledger.html"
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.contract = contract_for(user=request.user, pk=kwargs["pk"])
        if self.contract is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Performance ledger")

    def get_page_subtitle(self):
        return str(self.contract)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailsnippets_records_contract:list"), "label": _("Contracts")},
            {
                "url": reverse("wagtailsnippets_records_contract:edit", args=[self.contract.pk]),
                "label": str(self.contract),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        confidential_view_log(request, self.contract)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, forms=None, **kwargs):
        forms = forms or {}
        can_change = self.request.user.has_perm(CHANGE)
        rows = contract_ledger(user=self.request.user, contract=self.contract)
        return super().get_context_data(
            contract=self.contract,
            rows=rows,
            versions=self.contract.versions(),
            attachments=self.contract.attachments.all(),
            can_change=can_change,
            forms={
                name: forms.get(name) or form_class(prefix=name)
                for name, form_class in FORMS.items()
            },
            open_ids={row.obligation.pk for row in rows if not row.obligation.completed_on},
            on_hold=is_on_hold(self.contract),
            filed=already_filed(self.contract),
            can_file=(
                self.request.user.has_perm(FILE)
                and self.contract.status in ENDED
                and already_filed(self.contract) is None
            ),
            failed=next(iter(forms), ""),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied
        action = request.POST.get("action", "")
        if action not in FORMS:
            raise Http404
        form = FORMS[action](request.POST, request.FILES, prefix=action)
        if form.is_valid():
            try:
                message = self._act(action, form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, message)
                return redirect("contract_ledger", pk=self.contract.pk)
        messages.error(request, _("Nothing was saved: please correct the errors below."))
        return self.render_to_response(self.get_context_data(forms={action: form}), status=400)

    def _act(self, action: str, data: dict) -> str:
        user, contract = self.request.user, self.contract
        if action == "obligation":
            obligation_add(user=user, contract=contract, **data)
            return _("Obligation added to the ledger.")
        if action == "complete":
            obligation = contract.obligations.filter(pk=data["obligation"]).first()
            if obligation is None:
                raise Http404
            obligation_complete(
                user=user,
                obligation=obligation,
                completed_on=data["completed_on"],
                completed_amount=data["completed_amount"],
                note=data["note"],
            )
            return _("Completion recorded.")
        if action == "amend":
            amendment = contract_amend(
                user=user,
                contract=contract,
                **{**data, "amount_change": data["amount_change"] or 0},
            )
            return _("%(label)s added: a new version of the contract.") % {"label": amendment.label}
        if action == "attach":
            contract_attachment_add(
                user=user, contract=contract, upload=data["file"], title=data["title"]
            )
            return _("Attachment stored.")
        contract_terminate(
            user=user, contract=contract, terminated_on=data["terminated_on"], reason=data["reason"]
        )
        return _("Contract terminated.")


class ContractFileView(PermissionRequiredMixin, View):
    """归档: file an ended contract from its ledger (POST)."""

    permission_required = FILE
    http_method_names = ["post"]

    def post(self, request, pk):
        contract = contract_for(user=request.user, pk=pk)
        if contract is None:
            raise Http404
        try:
            item = contract_file(contract=contract, user=request.user, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Filed in the archive as %(code)s.") % {"code": item.archival_code},
            )
        return redirect("contract_ledger", pk=contract.pk)


@login_required
def contract_expiry_notice(request, pk: int):
    """合同到期通知 (PDF) of a contract the user may see."""
    contract = contract_for(user=request.user, pk=pk) if request.user.has_perm(VIEW) else None
    if contract is None or contract.ends_on is None:
        raise Http404
    issued = contract_expiry_notice_pdf(contract=contract, user=request.user)
    audit_record(
        action=AuditAction.EXPORT,
        obj=contract,
        request=request,
        details={"format": "pdf", "kind": "contract_expiry", "code": issued.record.code},
    )
    return pdf_response(issued, f"合同到期通知-{contract.contract_number}.pdf")


class OverdueObligationsView(PermissionRequiredMixin, AdminScreenMixin, TemplateView):
    """Every obligation past its due date and not done, across the contracts one may see."""

    permission_required = VIEW
    template_name = "records/contract_overdue.html"
    page_title = gettext_lazy("Overdue obligations")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=overdue_obligations(user=self.request.user), **kwargs)


class ContractStatisticsView(PermissionRequiredMixin, AdminScreenMixin, TemplateView):
    """履行统计: signed, in force, expiring, obligations on time / late / open — per month,
    quarter or year; ``?format=xlsx`` downloads the same table."""

    permission_required = VIEW
    template_name = "records/contract_statistics.html"
    page_title = gettext_lazy("Contract statistics")
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        form = StatisticsForm(request.GET or None)
        period, year = form.values()
        figures = contract_statistics(user=request.user, period=period, year=year)
        header, rows = statistics_table(figures)
        if request.GET.get("format") == "xlsx":
            audit_record(
                action=AuditAction.EXPORT,
                request=request,
                object_type="records.contract",
                object_label=_("Contract statistics"),
                details={"period": period, "year": year, "format": "xlsx"},
            )
            response = HttpResponse(
                xlsx_bytes(header, rows, title=_("Contract statistics")), content_type=XLSX_TYPE
            )
            filename = f"合同履行统计-{year}-{period}.xlsx"
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
            return response
        query = request.GET.copy()
        query["format"] = "xlsx"
        query.setdefault("period", period)
        query.setdefault("year", str(year))
        context = self.get_context_data(
            form=form, header=header, rows=rows, xlsx_query=query.urlencode()
        )
        return self.render_to_response(context)


@login_required
def contract_attachment_download(request, pk: int):
    """A scan of a contract, only to those who may see the contract (404 otherwise)."""
    attachment = ContractAttachment.objects.filter(pk=pk).select_related("contract").first()
    if (
        attachment is None
        or not request.user.has_perm(VIEW)
        or contract_for(user=request.user, pk=attachment.contract_id) is None
    ):
        raise Http404
    if not handling_allowed(attachment.contract.classification, "download"):
        raise PermissionDenied
    confidential_view_log(request, attachment.contract, attachment=attachment.title)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True)
    name = attachment.file.name.rsplit("/", 1)[-1]
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
