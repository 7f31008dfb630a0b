"""Admin wiring of acknowledgement tracking (签收跟踪; imported by wagtail_hooks): the screens,
the menu item and the page header button, for holders of the tracking permission only."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from records.admin_menu import PermissionMenuItem
from records.permissions import can_view, visible_to

from . import acknowledgement_admin_views as views
from . import receipt_batch_views as batches
from .models import Assignment, AssignmentState, IssuedVersion


@hooks.register("register_admin_urls")
def acknowledgement_urls():
    return [
        path("acknowledgements/", views.OverviewView.as_view(), name="acknowledgement_overview"),
        path(
            "acknowledgements/documents/<int:page_id>/",
            views.DocumentView.as_view(),
            name="acknowledgement_document",
        ),
        path(
            "acknowledgements/documents/<int:page_id>/export.<str:fmt>",
            views.ExportView.as_view(),
            name="acknowledgement_export",
        ),
        path(
            "acknowledgements/documents/<int:page_id>/chase/",
            views.ChaseView.as_view(),
            name="acknowledgement_chase",
        ),
        path(
            "acknowledgements/departments/<int:department_id>/",
            views.DepartmentView.as_view(),
            name="acknowledgement_department",
        ),
        path(
            "acknowledgements/employees/",
            views.EmployeeView.as_view(),
            name="acknowledgement_employee_find",
        ),
        path(
            "acknowledgements/employees/<int:employee_id>/",
            views.EmployeeView.as_view(),
            name="acknowledgement_employee",
        ),
        path(
            "acknowledgements/assignments/<int:assignment_id>/proxy/",
            views.ProxyAcknowledgementView.as_view(),
            name="acknowledgement_proxy",
        ),
        path(
            "acknowledgements/documents/<int:page_id>/receipts/",
            batches.ReceiptBatchStartView.as_view(),
            name="acknowledgement_receipt_batch_start",
        ),
        path(
            "acknowledgements/receipt-batches/<int:pk>/",
            batches.ReceiptBatchView.as_view(),
            name="acknowledgement_receipt_batch",
        ),
        path(
            "acknowledgements/receipt-batches/<int:pk>/continue/",
            batches.ReceiptBatchContinueView.as_view(),
            name="acknowledgement_receipt_batch_continue",
        ),
        path(
            "acknowledgements/receipt-batches/<int:pk>/receipts.zip",
            batches.ReceiptBatchDownloadView.as_view(),
            name="acknowledgement_receipt_batch_download",
        ),
    ]


@hooks.register("register_admin_menu_item")
def acknowledgements_menu_item():
    return PermissionMenuItem(
        _("Acknowledgements"),
        reverse("acknowledgement_overview"),
        icon_name="tick-inverse",
        order=215,
        permission=views.TRACK_PERMISSION,
    )


@hooks.register("register_page_header_buttons")
def acknowledgements_header_button(page, user, view_name, next_url=None):
    if not user.has_perm(views.TRACK_PERMISSION):
        return
    specific = page.specific_deferred
    if not hasattr(specific, "classification") or not can_view(user, specific):
        return
    if not IssuedVersion.objects.filter(page_id=page.pk).exists():
        return
    tracking = reverse("acknowledgement_document", args=[page.pk])
    yield Button(_("Acknowledgements"), tracking, icon_name="tick-inverse", priority=95)
    # 催办 is a POST on the tracking screen (its rate limit and message live there): the button
    # opens the screen at the chase form, shown while someone has still to sign.
    unsigned = Assignment.objects.filter(
        page_id=page.pk,
        state=AssignmentState.OPEN,
        version_id__in=visible_to(IssuedVersion.objects.filter(page_id=page.pk), user).values("pk"),
    ).count()
    if unsigned:
        yield Button(
            _("Chase %(count)s unsigned") % {"count": unsigned},
            tracking + "#chase",
            icon_name="mail",
            priority=96,
        )
