"""Dashboard panels about documents (see records.dashboard for what a panel is): approvals
waiting and overdue, unsigned and overdue acknowledgements by department, documents due for
review and the latest imports. Each reads through the selector of the screen it summarises,
which applies the access policy, and is shown to holders of that screen's permission."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from records.dashboard import ROWS_SHOWN, DashboardPanel, add_panels

from .acknowledgement_admin_views import TRACK_PERMISSION
from .acknowledgement_selectors import unsigned_summary
from .admin_views import IMPORT_PERMISSION
from .approval_views import APPROVALS_PERMISSION
from .approvals import approvals_summary, deadline_days
from .models import DocumentImportRun
from .selectors import REVIEW_NOTICE_DAYS, reviews_due

IMPORTS_SHOWN = 5


class ApprovalsPanel(DashboardPanel):
    """待审批: the steps waiting for a decision, the oldest (most overdue) first."""

    name = "approvals"
    permission = APPROVALS_PERMISSION
    order = 10
    heading = _("Approvals waiting")
    icon = "tasks"
    template_name = "policies_content/admin/dashboard_approvals.html"

    def panel_data(self, user) -> dict:
        summary = approvals_summary(user=user, limit=ROWS_SHOWN)
        return {
            "count": summary.waiting,
            "overdue_count": summary.overdue,
            "rows": summary.oldest,
            "deadline_days": deadline_days(),
            "full_list_url": reverse("document_approvals"),
        }


class UnsignedPanel(DashboardPanel):
    """待签收: open and overdue assignments by department and by document."""

    name = "acknowledgements"
    permission = TRACK_PERMISSION
    order = 20
    heading = _("Unsigned acknowledgements")
    icon = "tick-inverse"
    template_name = "policies_content/admin/dashboard_acknowledgements.html"

    def panel_data(self, user) -> dict:
        return {
            **unsigned_summary(user=user, limit=ROWS_SHOWN),
            "full_list_url": reverse("acknowledgement_overview"),
        }


class ReviewsDuePanel(DashboardPanel):
    """待复审: documents whose periodic review is overdue or due soon."""

    name = "reviews"
    permission = IMPORT_PERMISSION  # as the reviews-due screen
    order = 40
    heading = _("Reviews due")
    icon = "date"
    template_name = "policies_content/admin/dashboard_reviews.html"

    def panel_data(self, user) -> dict:
        due = reviews_due(user=user)
        return {
            "count": len(due),
            "overdue_count": sum(item["overdue"] for item in due),
            "notice_days": REVIEW_NOTICE_DAYS,
            "rows": due[:ROWS_SHOWN],
            "full_list_url": reverse("document_reviews"),
        }


class ImportsPanel(DashboardPanel):
    """The latest imports from files, each opening its report."""

    name = "imports"
    permission = IMPORT_PERMISSION
    order = 60
    heading = _("Recent imports")
    icon = "upload"
    template_name = "policies_content/admin/dashboard_imports.html"

    def panel_data(self, user) -> dict:
        runs = DocumentImportRun.objects.select_related("user__employee").defer("report")
        return {
            "count": runs.count(),
            "rows": list(runs.order_by("-created_at", "-pk")[:IMPORTS_SHOWN]),
            "full_list_url": reverse("document_import_runs"),
        }


DOCUMENT_PANELS = (ApprovalsPanel, UnsignedPanel, ReviewsDuePanel, ImportsPanel)


def document_homepage_panels(request, panels) -> None:
    add_panels(request, panels, DOCUMENT_PANELS)
