"""Admin wiring for the organisation: departments, positions, employees, the import, and the
account security screen."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from records.admin_menu import PermissionMenuItem
from records.admin_views import (
    AccountSecurityView,
    EmployeeImportView,
    SecondFactorResetView,
    UnlockLoginView,
    employee_import_template,
)
from records.dashboard import records_homepage_panels
from records.forms import EmployeeAdminForm
from records.models import Department, Employee, Position

# The dashboard: contracts expiring, archive items due for disposal (records.dashboard).
hooks.register("construct_homepage_panels", records_homepage_panels)


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("Departments")
    list_display = ["name", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("kind"),
        FieldPanel("parent"),
        FieldPanel("sort_order"),
    ]


class PositionViewSet(SnippetViewSet):
    model = Position
    icon = "tag"
    menu_label = _("Positions")
    list_display = ["name", "department"]
    list_filter = ["department"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("department")]


class EmployeeIndexView(IndexView):
    """The employee list, with the import one click away for those who may import."""

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("records.import_employees"):
            buttons.append(
                HeaderButton(
                    _("Import from file"), url=reverse("employee_import"), icon_name="upload"
                )
            )
        return buttons


class EmployeeViewSet(SnippetViewSet):
    model = Employee
    icon = "user"
    menu_label = _("Employees")
    list_display = ["employee_number", "name", "department", "position", "clearance", "status"]
    list_filter = ["status", "department", "clearance"]
    search_fields = ["name", "employee_number"]
    list_per_page = 50
    index_view_class = EmployeeIndexView
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("employee_number"), FieldPanel("name"), FieldPanel("phone")],
                heading=_("Identity"),
            ),
            MultiFieldPanel(
                [FieldPanel("department"), FieldPanel("position"), FieldPanel("manager")],
                heading=_("Place in the organisation"),
            ),
            FieldPanel("clearance"),
            MultiFieldPanel(
                [FieldPanel("status"), FieldPanel("hire_date"), FieldPanel("leave_date")],
                heading=_("Employment"),
            ),
        ],
        base_form_class=EmployeeAdminForm,
    )


class OrganisationGroup(SnippetViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "group"
    menu_order = 300
    items = (EmployeeViewSet, DepartmentViewSet, PositionViewSet)
    submenu_hook = "register_organisation_menu_item"


register_snippet(OrganisationGroup)


@hooks.register("register_admin_urls")
def register_import_url():
    return [
        path("organisation/import/", EmployeeImportView.as_view(), name="employee_import"),
        path(
            "organisation/import/template.xlsx",
            employee_import_template,
            name="employee_import_template",
        ),
        path(
            "organisation/account-security/",
            AccountSecurityView.as_view(),
            name="account_security",
        ),
        path(
            "organisation/account-security/unlock/",
            UnlockLoginView.as_view(),
            name="account_security_unlock",
        ),
        path(
            "organisation/account-security/second-factor/<int:user_id>/reset/",
            SecondFactorResetView.as_view(),
            name="account_security_second_factor_reset",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return PermissionMenuItem(
        _("Import employees"),
        reverse("employee_import"),
        icon_name="upload",
        order=310,
        permission="records.import_employees",
    )


@hooks.register("register_organisation_menu_item")
def register_account_security_menu_item():
    return PermissionMenuItem(
        _("Account security"),
        reverse("account_security"),
        icon_name="lock",
        order=400,
        permission="records.manage_account_security",
    )


# 档案 and 合同: their menus and screens.
from records import archive_hooks, contract_hooks  # noqa: E402,F401
