"""Admin wiring of document control (imported by wagtail_hooks): actions on a document, the
reviews-due list, and no deletion of documents that have a history."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from records.admin_menu import PermissionMenuItem
from records.permissions import visible_to

from . import control_admin_views as views
from .issuing import delete_refusal
from .models import IssuedVersion


@hooks.register("register_admin_urls")
def document_control_urls():
    return [
        path(
            "regulations/<int:page_id>/repeal/", views.RepealView.as_view(), name="document_repeal"
        ),
        path(
            "regulations/<int:page_id>/reviewed/",
            views.ReviewView.as_view(),
            name="document_reviewed",
        ),
        path("regulations/reviews/", views.ReviewsDueView.as_view(), name="document_reviews"),
    ]


@hooks.register("register_admin_menu_item")
def reviews_menu_item():
    return PermissionMenuItem(
        _("Reviews due"),
        reverse("document_reviews"),
        icon_name="date",
        order=205,
        permission="policies_content.import_documents",
    )


@hooks.register("register_page_header_buttons")
def document_control_buttons(page, user, view_name, next_url=None):
    specific = page.specific_deferred
    if not hasattr(specific, "document_number") or not specific.document_number:
        return
    issued = IssuedVersion.objects.filter(page_id=page.pk).exists()
    yield Button(
        _("Version history"),
        reverse("document_history", args=[specific.document_number]),
        icon_name="history",
        priority=91,
    )
    # Reading two versions side by side needs only to be cleared for both (the comparison
    # screen checks each): the newest against the one before, others chosen there.
    if issued and visible_to(IssuedVersion.objects.filter(page_id=page.pk), user).count() > 1:
        yield Button(
            _("Compare versions"),
            reverse("version_compare", args=[specific.document_number]),
            icon_name="doc-full",
            priority=92,
        )
    if not issued or not page.permissions_for_user(user).can_edit():
        return
    yield Button(
        _("Compare draft with the version in force"),
        reverse("version_compare", args=[specific.document_number]) + "?to=draft",
        icon_name="doc-full",
        priority=92,
    )
    yield Button(
        _("Reviewed — no change"),
        reverse("document_reviewed", args=[page.pk]),
        icon_name="tick",
        priority=93,
    )
    if specific.status != "repealed":
        yield Button(
            _("Repeal"), reverse("document_repeal", args=[page.pk]), icon_name="cross", priority=94
        )


@hooks.register("before_delete_page")
def refuse_deleting_history(request, page):
    reason = delete_refusal(page)
    if reason:
        messages.error(request, reason)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None
