"""Wagtail admin screens for HR: the organisation import."""

from urllib.parse import quote

from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

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
