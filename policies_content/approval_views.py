"""Admin screen for HR: approval steps waiting for a decision, the overdue ones first."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from records.admin_views import AdminScreenMixin
from records.permissions import can_view

from .approvals import deadline_days, waiting_task_states

APPROVALS_PERMISSION = "policies_content.view_approvals"


class ApprovalListView(PermissionRequiredMixin, AdminScreenMixin, TemplateView):
    """Who is holding up which document, and for how long (to chase 催办 before the audit)."""

    permission_required = APPROVALS_PERMISSION
    template_name = "policies_content/admin/approvals.html"
    page_title = gettext_lazy("Approvals waiting")
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # A title above the reader's clearance is not shown, even here.
        waiting = [
            item
            for item in waiting_task_states()
            if not hasattr(item.page, "classification") or can_view(user, item.page)
        ]
        context["deadline_days"] = deadline_days()
        context["sections"] = [
            {
                "heading": gettext_lazy("Overdue"),
                "items": [item for item in waiting if item.is_overdue],
                "empty": gettext_lazy("Nothing is overdue."),
                "overdue": True,
            },
            {
                "heading": gettext_lazy("Within the deadline"),
                "items": [item for item in waiting if not item.is_overdue],
                "empty": gettext_lazy("Nothing else is waiting."),
                "overdue": False,
            },
        ]
        return context
