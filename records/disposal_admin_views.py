"""Admin screens of retention and disposition: items due for disposal, appraisals (鉴定) and
their approval, destruction lists (销毁清单) from drawing up to execution."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from records.admin_views import AdminScreenMixin
from records.archive_forms import AppraisalForm, ExecuteForm
from records.archive_selectors import (
    archive_items_due_for_disposal,
    archive_items_for_user,
)
from records.archive_services import (
    appraisal_approve,
    appraisal_record,
    approved_for_destruction,
    destruction_list_approve,
    destruction_list_create,
    destruction_list_execute,
)
from records.legal_holds import is_on_hold
from records.models import Appraisal, ArchiveItem, DestructionList

from .archive_view_base import ItemFormView, form_errors


def _messages_from(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


class DueForDisposalView(PermissionRequiredMixin, AdminScreenMixin, TemplateView):
    """Items whose 保管期限 has run out, oldest first; held items are marked."""

    permission_required = "records.view_appraisal"
    template_name = "records/archives/disposal.html"
    page_title = gettext_lazy("Due for disposal")
    header_icon = "date"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            due=archive_items_due_for_disposal(user=self.request.user), **kwargs
        )


class AppraiseView(ItemFormView):
    permission_required = "records.add_appraisal"
    form_class = AppraisalForm
    page_title = gettext_lazy("Appraise")

    def form_valid(self, form):
        try:
            appraisal_record(item=self.item, user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The appraisal is recorded; it takes effect once approved.")
        )
        return redirect("archive_appraisals")


class AppraisalListView(PermissionRequiredMixin, AdminScreenMixin, TemplateView):
    permission_required = "records.view_appraisal"
    template_name = "records/archives/appraisals.html"
    page_title = gettext_lazy("Appraisals")
    header_icon = "tick"

    def get_context_data(self, **kwargs):
        items = archive_items_for_user(user=self.request.user)
        appraisals = Appraisal.objects.filter(item__in=items).select_related(
            "item", "appraised_by", "approved_by"
        )
        return super().get_context_data(
            appraisals=appraisals,
            can_approve=self.request.user.has_perm("records.approve_appraisal"),
            **kwargs,
        )


class AppraisalApproveView(PermissionRequiredMixin, AdminScreenMixin, TemplateView):
    permission_required = "records.approve_appraisal"
    http_method_names = ["post"]

    def post(self, request, pk):
        appraisal = get_object_or_404(Appraisal, pk=pk)
        if not archive_items_for_user(user=request.user).filter(pk=appraisal.item_id).exists():
            raise Http404
        try:
            appraisal_approve(appraisal=appraisal, user=request.user)
        except ValidationError as exc:
            _messages_from(request, exc)
        else:
            messages.success(request, _("The appraisal is approved."))
        return redirect("archive_appraisals")


class DestructionListsView(PermissionRequiredMixin, AdminScreenMixin, TemplateView):
    """The destruction lists, and a new one drawn up from the items approved for destruction."""

    permission_required = "records.view_destructionlist"
    template_name = "records/archives/destruction_lists.html"
    page_title = gettext_lazy("Destruction lists")
    header_icon = "bin"

    def candidates(self):
        items = archive_items_for_user(user=self.request.user).filter(
            status=ArchiveItem.Status.FILED, appraisals__decision=Appraisal.Decision.DESTROY
        )
        return [i for i in items.distinct() if approved_for_destruction(i) and not is_on_hold(i)]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lists=DestructionList.objects.select_related("created_by", "executed_by"),
            candidates=self.candidates(),
            can_add=self.request.user.has_perm("records.add_destructionlist"),
            **kwargs,
        )

    def post(self, request):
        if not request.user.has_perm("records.add_destructionlist"):
            raise PermissionDenied
        ids = [int(v) for v in request.POST.getlist("items") if v.isdigit()]
        items = list(archive_items_for_user(user=request.user).filter(pk__in=ids))
        try:
            record = destruction_list_create(items=items, user=request.user)
        except ValidationError as exc:
            _messages_from(request, exc)
            return redirect("archive_destruction_lists")
        messages.success(
            request, _("Destruction list %(number)s is drawn up.") % {"number": record.number}
        )
        return redirect("archive_destruction_list", record.pk)


class DestructionListView(PermissionRequiredMixin, AdminScreenMixin, FormView):
    """One destruction list: its items; approve it; carry it out on a date."""

    permission_required = "records.view_destructionlist"
    template_name = "records/archives/destruction_list.html"
    form_class = ExecuteForm
    page_title = gettext_lazy("Destruction list")
    header_icon = "bin"

    def dispatch(self, request, *args, **kwargs):
        self.record = get_object_or_404(DestructionList, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.record.number

    def get_context_data(self, **kwargs):
        items = archive_items_for_user(user=self.request.user).filter(
            pk__in=self.record.items.values("pk")
        )
        return super().get_context_data(
            record=self.record,
            items=[{"item": i, "held": is_on_hold(i)} for i in items],
            hidden_count=self.record.items.count() - items.count(),
            can_approve=self.request.user.has_perm("records.approve_appraisal"),
            can_execute=self.request.user.has_perm("records.change_destructionlist"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "approve":
            if not request.user.has_perm("records.approve_appraisal"):
                raise PermissionDenied
            try:
                destruction_list_approve(record=self.record, user=request.user)
            except ValidationError as exc:
                _messages_from(request, exc)
            else:
                messages.success(request, _("The destruction list is approved."))
            return redirect("archive_destruction_list", self.record.pk)
        if not request.user.has_perm("records.change_destructionlist"):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            destruction_list_execute(
                record=self.record, user=self.request.user, on=form.cleaned_data["on"]
            )
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The items are recorded as destroyed."))
        return redirect("archive_destruction_list", self.record.pk)


def destruction_list_pdf_view(request, pk: int):
    """销毁清单 (PDF) with its verification code; the items above the user's clearance are
    counted, never named."""
    from django.core.exceptions import PermissionDenied

    from records.audit import audit_record
    from records.models import AuditAction
    from records.record_notices import destruction_list_pdf
    from records.verification import pdf_response

    if not request.user.has_perm("records.view_destructionlist"):
        raise PermissionDenied
    destruction = get_object_or_404(DestructionList, pk=pk)
    issued = destruction_list_pdf(destruction=destruction, user=request.user)
    audit_record(
        action=AuditAction.EXPORT,
        object_type="records.destructionlist",
        object_id=str(destruction.pk),
        object_label=destruction.number,
        request=request,
        details={"format": "pdf", "kind": "destruction_list", "code": issued.record.code},
    )
    return pdf_response(issued, f"销毁清单-{destruction.number}.pdf")
