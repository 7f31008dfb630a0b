"""Panels of the admin home (/admin/, the dashboard HR and administrators land on): what waits
for someone's action, counted, with the most urgent few rows — each a link to the screen that
acts on it — and a link to the full list.

``DashboardPanel`` is the base every app's panels use (records here: contracts expiring, archive
items due for disposal; policies_content: approvals, acknowledgements, reviews, imports). A panel
is added only for users holding ``permission`` — the permission of the screen it summarises —
and reads only through selectors that apply the access policy (records.permissions), so a
record above the user's clearance is neither listed nor counted. ``order`` puts the most urgent
panels first, before Wagtail's own (210 and up).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from records.archive_selectors import archive_items_due_for_disposal
from records.contract_reminders import remind_days
from records.contract_selectors import contracts_expiring

ROWS_SHOWN = 8


class DashboardPanel(Component):
    """One panel of the admin home, for holders of ``permission``; ``panel_data`` reads it."""

    name = ""
    permission = ""
    order = 100
    heading = ""
    icon = "list-ul"

    def __init__(self, request):
        self.request = request

    @classmethod
    def shown_to(cls, user) -> bool:
        return user.has_perm(cls.permission)

    def panel_data(self, user) -> dict:
        raise NotImplementedError

    def get_context_data(self, parent_context=None):
        return {
            "request": self.request,
            "panel_id": f"zhidu-{self.name}",
            "heading": self.heading,
            "icon": self.icon,
            **self.panel_data(self.request.user),
        }


def add_panels(request, panels: list, panel_classes) -> None:
    """For the construct_homepage_panels hook: the panels this user may see."""
    panels.extend(cls(request) for cls in panel_classes if cls.shown_to(request.user))


class ContractsExpiringPanel(DashboardPanel):
    """合同到期: contracts whose end in force falls within the first reminder threshold."""

    name = "contracts-expiring"
    permission = "records.view_contract"
    order = 30
    heading = _("Contracts expiring")
    icon = "doc-full"
    template_name = "records/admin/dashboard_contracts.html"

    def panel_data(self, user) -> dict:
        thresholds = remind_days()
        within = max(thresholds, default=0)
        soon = min(thresholds, default=0)
        expiring = contracts_expiring(user=user, within_days=within)
        return {
            "count": len(expiring),
            "within_days": within,
            "soon_days": soon,
            "soon_count": sum(row.days_left <= soon for row in expiring),
            "rows": expiring[:ROWS_SHOWN],
            "full_list_url": reverse("wagtailsnippets_records_contract:list")
            + "?ordering=ends_on&status=performing",
        }


class DisposalDuePanel(DashboardPanel):
    """到期待处置: archive items whose 保管期限 has run out (held items marked)."""

    name = "archive-disposal"
    permission = "records.view_appraisal"
    order = 50
    heading = _("Due for disposal")
    icon = "folder-open-inverse"
    template_name = "records/admin/dashboard_disposal.html"

    def panel_data(self, user) -> dict:
        due = archive_items_due_for_disposal(user=user)
        return {
            "count": len(due),
            "held_count": sum(row["held"] for row in due),
            "rows": due[:ROWS_SHOWN],
            "full_list_url": reverse("archive_disposal"),
        }


RECORDS_PANELS = (ContractsExpiringPanel, DisposalDuePanel)


def records_homepage_panels(request, panels) -> None:
    add_panels(request, panels, RECORDS_PANELS)
