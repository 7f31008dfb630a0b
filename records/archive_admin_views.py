"""Admin screens of the archives: loans (借阅), legal holds (法律保全), filing a personnel
file. Thin: each view checks its permission, finds the item through the access policy, calls
one service and shows its ValidationError on the form."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from records.admin_views import AdminScreenMixin
from records.archive_forms import CorrectionForm, LoanDateForm, LoanRequestForm, ReasonForm
from records.archive_selectors import (
    legal_holds_active,
    loans_for_user,
)
from records.archive_services import loan_decide, loan_lend, loan_request, loan_return
from records.contract_selectors import contract_for
from records.filing import already_filed, archive_correct
from records.legal_holds import holds_for, legal_hold_place, legal_hold_release
from records.models import Employee, LegalHold, Loan
from records.permissions import can_view
from records.personnel_filing import personnel_file

from .archive_view_base import ItemFormView, form_errors


class CorrectionView(ItemFormView):
    """File a correction entry for an item: a new item referring to it (the original never
    changes)."""

    permission_required = "records.add_archiveitem"
    form_class = CorrectionForm
    page_title = gettext_lazy("File a correction")

    def get_initial(self):
        snapshot = self.item.snapshot if isinstance(self.item.snapshot, dict) else {}
        text = snapshot.get("text")
        return {"title": self.item.title, "text": text if isinstance(text, str) else ""}

    def form_valid(self, form):
        data = form.cleaned_data
        snapshot = dict(self.item.snapshot) if isinstance(self.item.snapshot, dict) else {}
        if data["text"].strip():
            snapshot["text"] = data["text"]
        try:
            correction = archive_correct(
                original=self.item,
                snapshot=snapshot,
                reason=data["reason"],
                filed_by=self.request.user,
                title=data["title"].strip(),
            )
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Correction filed as %(code)s; %(original)s stays as it was filed.")
            % {"code": correction.archival_code, "original": self.item.archival_code},
        )
        return redirect("wagtailsnippets_records_archiveitem:edit", correction.pk)


class LoanRequestView(ItemFormView):
    permission_required = "records.add_loan"
    form_class = LoanRequestForm
    page_title = gettext_lazy("Request a loan")

    def form_valid(self, form):
        try:
            loan_request(item=self.item, user=self.request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The loan request is recorded."))
        return redirect("archive_loans")


class LoanListView(PermissionRequiredMixin, AdminScreenMixin, TemplateView):
    """All loans, or only the overdue ones (?overdue=1), with the next step for each."""

    permission_required = "records.view_loan"
    template_name = "records/archives/loans.html"
    page_title = gettext_lazy("Loans")
    header_icon = "arrow-right-full"

    def get_context_data(self, **kwargs):
        overdue_only = self.request.GET.get("overdue") == "1"
        loans = loans_for_user(user=self.request.user)
        today = timezone.localdate()
        if overdue_only:
            loans = loans.filter(status=Loan.Status.LENT, due_back_on__lt=today)
        return super().get_context_data(
            loans=loans,
            overdue_only=overdue_only,
            today=today,
            can_change=self.request.user.has_perm("records.change_loan"),
            date_form=LoanDateForm(),
            **kwargs,
        )


class LoanStepView(PermissionRequiredMixin, AdminScreenMixin, FormView):
    """approve / reject / lend / return one loan (POST)."""

    permission_required = "records.change_loan"
    form_class = LoanDateForm
    template_name = "records/archives/form.html"
    page_title = gettext_lazy("Loan")
    STEPS = ("approve", "reject", "lend", "return")

    def dispatch(self, request, *args, **kwargs):
        if kwargs["step"] not in self.STEPS:
            raise Http404
        self.loan = get_object_or_404(Loan.objects.select_related("item"), pk=kwargs["pk"])
        if not can_view(request.user, self.loan.item):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.loan.item, **kwargs)

    def form_valid(self, form):
        step, user, on = self.kwargs["step"], self.request.user, form.cleaned_data["on"]
        try:
            if step in ("approve", "reject"):
                loan_decide(loan=self.loan, approve=step == "approve", user=user)
            elif step == "lend":
                loan_lend(loan=self.loan, user=user, on=on)
            else:
                loan_return(loan=self.loan, user=user, on=on)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
            return redirect("archive_loans")
        messages.success(self.request, _("The loan is updated."))
        return redirect("archive_loans")


class ItemHoldsView(ItemFormView):
    """A record's legal holds, active and released, and the form to place a new one: an
    archive item here, a contract in ContractHoldsView."""

    permission_required = "records.view_legalhold"
    template_name = "records/archives/item_holds.html"
    form_class = ReasonForm
    page_title = gettext_lazy("Legal holds")

    def target_label(self) -> str:
        return f"{self.item.archival_code} · {self.item.title}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            holds=holds_for(self.item).select_related("placed_by", "released_by"),
            can_place=self.request.user.has_perm("records.add_legalhold"),
            can_release=self.request.user.has_perm("records.change_legalhold"),
            release_form=ReasonForm(),
            target_url=self.item_url(),
            target_label=self.target_label(),
            **kwargs,
        )

    def form_valid(self, form):
        if not self.request.user.has_perm("records.add_legalhold"):
            return self.handle_no_permission()
        try:
            legal_hold_place(
                obj=self.item,
                reason=form.cleaned_data["reason"],
                user=self.request.user,
                request=self.request,
            )
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The legal hold is placed."))
        return redirect(self.request.path)


class ContractHoldsView(ItemHoldsView):
    """A contract's legal holds (法律保全 on a contract blocks its deletion)."""

    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.item = contract_for(user=request.user, pk=kwargs["pk"])
        if self.item is None:
            raise Http404
        return FormView.dispatch(self, request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.item.contract_number

    def target_label(self) -> str:
        return f"{self.item.contract_number} · {self.item.title}"

    def item_url(self):
        return reverse("contract_ledger", args=[self.item.pk])


class HoldReleaseView(PermissionRequiredMixin, AdminScreenMixin, FormView):
    permission_required = "records.change_legalhold"
    template_name = "records/archives/form.html"
    form_class = ReasonForm
    page_title = gettext_lazy("Release legal hold")

    def dispatch(self, request, *args, **kwargs):
        self.hold = get_object_or_404(LegalHold, pk=kwargs["pk"])
        if not any(h.pk == self.hold.pk for h in legal_holds_active(user=request.user)):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.hold.object_label

    def form_valid(self, form):
        try:
            legal_hold_release(
                hold=self.hold,
                reason=form.cleaned_data["reason"],
                user=self.request.user,
                request=self.request,
            )
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The legal hold is released."))
        return redirect("archive_holds")


class ActiveHoldsView(PermissionRequiredMixin, AdminScreenMixin, TemplateView):
    permission_required = "records.view_legalhold"
    template_name = "records/archives/holds.html"
    page_title = gettext_lazy("Legal holds")
    header_icon = "lock"

    def get_context_data(self, **kwargs):
        return super().get_context_data(holds=legal_holds_active(user=self.request.user), **kwargs)


class PersonnelFileView(PermissionRequiredMixin, AdminScreenMixin, FormView):
    """Confirm, then file an employee's 人事档案."""

    permission_required = "records.add_archiveitem"
    template_name = "records/archives/form.html"
    form_class = forms.Form  # a confirmation: no fields
    page_title = gettext_lazy("File personnel file")
    header_icon = "folder-open-inverse"

    def dispatch(self, request, *args, **kwargs):
        self.employee = get_object_or_404(Employee, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.employee)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=_("File the personnel file of %(employee)s as an archive item?")
            % {"employee": self.employee},
            existing=already_filed(self.employee),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            item = personnel_file(
                employee=self.employee, user=self.request.user, request=self.request
            )
        except ValidationError as exc:
            form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Filed as %(code)s.") % {"code": item.archival_code})
        return redirect("wagtailsnippets_records_archiveitem:edit", item.pk)
