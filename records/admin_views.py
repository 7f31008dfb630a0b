"""Wagtail admin screens for HR and administrators: the organisation import, and account
security (unlocking sign-ins, resetting second factors)."""

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from records.account_security import (
    has_second_factor,
    locked_logins,
    login_locked,
    login_unlock,
    second_factor_devices,
    second_factor_reset,
)
from records.audit import actor_display_name
from records.exports import XLSX_TYPE, employee_import_template_xlsx
from records.forms import EmployeeImportForm
from records.importing.errors import ImportFileError
from records.importing.reader import check_size
from records.services import employees_import


class AdminScreenMixin(WagtailAdminTemplateMixin):
    """A Wagtail admin screen of our own: page title in the header and the breadcrumbs."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class EmployeeImportView(PermissionRequiredMixin, AdminScreenMixin, FormView):
    """Upload a CSV/XLSX staff list; show what was created, updated, or every error found."""

    permission_required = "records.import_employees"
    template_name = "records/employee_import.html"
    form_class = EmployeeImportForm
    page_title = _("Import employees")
    header_icon = "upload"

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        context = {"form": form}
        try:
            check_size(upload.size)  # before reading a byte of a huge file
            report = employees_import(
                data=upload.read(),
                filename=upload.name,
                mark_departed=form.cleaned_data["mark_departed"],
                dry_run=form.cleaned_data["dry_run"],
                user=self.request.user,
            )
        except ImportFileError as exc:
            context["file_error"] = exc.message
        else:
            context["report"] = report
        context["employees_url"] = reverse("wagtailsnippets_records_employee:list")
        return self.render_to_response(self.get_context_data(**context))


@permission_required("records.import_employees", raise_exception=True)
def employee_import_template(request):
    """员工导入模板.xlsx: the import's columns and one example row, for HR to fill in."""
    response = HttpResponse(employee_import_template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('员工导入模板.xlsx')}"
    return response


class AccountSecurityMixin(AdminScreenMixin):
    """For holders of ``records.manage_account_security`` only. Anyone else is answered
    403 Forbidden, not with Wagtail's usual redirect to the dashboard: a done action also ends
    in a redirect, and a refusal must never look like one."""

    permission = "records.manage_account_security"
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            return defaults.permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)


class AccountSecurityView(AccountSecurityMixin, TemplateView):
    """Sign-ins locked by too many wrong passwords, and logins with a second factor."""

    template_name = "records/account_security.html"
    page_title = _("Account security")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            locked=locked_logins(),
            devices=second_factor_devices(),
            failure_limit=settings.AXES_FAILURE_LIMIT,
            **kwargs,
        )


class AccountSecurityConfirmView(AccountSecurityMixin, TemplateView):
    """Ask first (GET), act on POST only: each remedy is one button on its own page."""

    template_name = "records/account_security_confirm.html"

    def get_breadcrumbs_items(self):
        *home, this = super().get_breadcrumbs_items()
        screen = {"url": reverse("account_security"), "label": AccountSecurityView.page_title}
        return [*home, screen, this]

    def get(self, request, *args, **kwargs):
        if not self.applies():
            return self.nothing_to_do()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.applies():
            return self.nothing_to_do()
        messages.success(request, self.act())
        return redirect("account_security")

    def nothing_to_do(self):
        messages.warning(self.request, self.nothing_message())
        return redirect("account_security")


class UnlockLoginView(AccountSecurityConfirmView):
    page_title = _("Unlock sign-in")

    @cached_property
    def username(self) -> str:
        # Exactly as axes recorded it: no stripping, or " admin" could never be unlocked.
        return self.request.POST.get("username") or self.request.GET.get("username", "")

    def applies(self) -> bool:
        return login_locked(self.username)

    def act(self) -> str:
        login_unlock(username=self.username, request=self.request)
        return _("%(username)s can sign in again.") % {"username": self.username}

    def nothing_message(self) -> str:
        return _("%(username)s is not locked.") % {"username": self.username}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            question=_("Unlock sign-in for %(username)s?") % {"username": self.username},
            explanation=_(
                "The failed attempts recorded for this user name are forgotten, from every "
                "address, and the person can sign in again at once. If you do not know why "
                "the sign-in was locked, someone may be guessing the password: check with "
                "the person first."
            ),
            hidden={"username": self.username},
            button=_("Yes, unlock"),
            **kwargs,
        )


class SecondFactorResetView(AccountSecurityConfirmView):
    page_title = _("Reset second factor")

    @cached_property
    def login(self):
        return get_object_or_404(get_user_model(), pk=self.kwargs["user_id"])

    def applies(self) -> bool:
        return has_second_factor(self.login)

    def act(self) -> str:
        second_factor_reset(user=self.login, request=self.request)
        return _(
            "The second factor of %(login)s was reset. They set up a new one at their next sign-in."
        ) % {"login": actor_display_name(self.login)}

    def nothing_message(self) -> str:
        return _("%(login)s has no second factor.") % {"login": actor_display_name(self.login)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            question=_("Reset the second factor of %(login)s?")
            % {"login": actor_display_name(self.login)},
            explanation=_(
                "Their authenticator app stops working for Zhidu, and any session of theirs "
                "must be verified again. At the next sign-in they scan a new QR code. Do this "
                "only when you are sure the request comes from the person (a lost or replaced "
                "phone)."
            ),
            hidden={},
            button=_("Yes, reset"),
            **kwargs,
        )
