"""Admin wiring of the archives (档案 menu group): archive items as a snippet with revisions,
and the screens for loans, disposal, appraisals, destruction lists and legal holds.

Imported by one line from records/wagtail_hooks.py. Every object view of an item asks the
access policy first (a hidden item is a 404); new items are never created by hand — they come
from filing actions — so the snippet's "add" is switched off.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.actions.edit import EditAction
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel, ObjectList
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from records import archive_admin_views as views
from records import disposal_admin_views as disposal_views
from records.admin_menu import PermissionMenuItem
from records.archive_forms import ArchiveItemAdminForm
from records.archive_selectors import archive_items_for_user
from records.archive_services import CHANGE_LOG_ACTION, archive_item_log_change
from records.audit import audit_record
from records.legal_holds import is_on_hold
from records.models import ArchiveItem, AuditAction
from records.permissions import can_view


class ArchiveItemPermissionPolicy(ModelPermissionPolicy):
    """Items are filed by actions, never added by hand; hidden items have no permissions."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a != "add"])

    def user_has_permission_for_instance(self, user, action, instance):
        return can_view(user, instance) and super().user_has_permission_for_instance(
            user, action, instance
        )


register_permission_policy(ArchiveItem, ArchiveItemPermissionPolicy(ArchiveItem))


class ArchiveItemEditAction(EditAction):
    """An admin edit of an item's metadata: one revision, logged and audited with its reason."""

    def __init__(self, instance, user=None, **kwargs):
        kwargs["log_action"] = None
        super().__init__(instance, user=user, **kwargs)

    def _edit(self, skip_permission_checks=False):
        instance = super()._edit(skip_permission_checks=skip_permission_checks)
        reason = instance.change_reason
        archive_item_log_change(
            item=instance, user=self.user, reason=reason, revision=self.revision
        )
        audit_record(
            action=AuditAction.ARCHIVE_CHANGE,
            actor=self.user,
            obj=instance,
            details={
                "reason": reason,
                "changed": sorted(self.form.changed_data) if self.form else [],
            },
        )
        return instance


@hooks.register("register_actions")
def register_archive_actions(registry):
    registry.register(ArchiveItem, ArchiveItemEditAction)


@hooks.register("register_log_actions")
def register_archive_log_actions(actions):
    @actions.register_action(CHANGE_LOG_ACTION)
    class ArchiveChange(LogFormatter):
        label = _("Metadata changed")

        def format_message(self, log_entry):
            return _("Metadata changed: %(reason)s") % {
                "reason": (log_entry.data or {}).get("reason", "")
            }

        def format_comment(self, log_entry):
            return (log_entry.data or {}).get("reason", "")


class VisibleItemMixin:
    """Object views of an item: 404 for someone the access policy hides it from."""

    def get_object(self, *args, **kwargs):
        item = super().get_object(*args, **kwargs)
        if not can_view(self.request.user, item):
            raise Http404
        return item


class ArchiveItemIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return archive_items_for_user(user=self.request.user)


class ArchiveItemEditView(VisibleItemMixin, snippet_views.EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        user, pk = self.request.user, self.object.pk
        if user.has_perm("records.view_legalhold"):
            buttons.append(
                Button(_("Legal holds"), url=reverse("archive_item_holds", args=[pk]), priority=20)
            )
        if user.has_perm("records.add_loan"):
            buttons.append(
                Button(
                    _("Request a loan"), url=reverse("archive_loan_request", args=[pk]), priority=30
                )
            )
        if user.has_perm("records.add_appraisal"):
            buttons.append(
                Button(_("Appraise"), url=reverse("archive_appraise", args=[pk]), priority=40)
            )
        if user.has_perm("records.add_archiveitem"):
            buttons.append(
                Button(
                    _("File a correction"), url=reverse("archive_correct", args=[pk]), priority=50
                )
            )
        return buttons


class ArchiveItemDeleteView(VisibleItemMixin, snippet_views.DeleteView):
    def run_before_hook(self):
        if is_on_hold(self.object):
            messages.error(
                self.request,
                _(
                    "“%(item)s” is under a legal hold; it cannot be deleted until the hold "
                    "is released."
                )
                % {"item": self.object},
            )
            return redirect("wagtailsnippets_records_archiveitem:edit", self.object.pk)
        return super().run_before_hook()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return redirect("wagtailsnippets_records_archiveitem:edit", self.object.pk)
        except ProtectedError:
            messages.error(
                self.request,
                _("“%(item)s” has loans, appraisals or corrections; it cannot be deleted.")
                % {"item": self.object},
            )
            return redirect("wagtailsnippets_records_archiveitem:edit", self.object.pk)


class ArchiveItemInspectView(VisibleItemMixin, snippet_views.InspectView):
    pass


class ArchiveItemHistoryView(VisibleItemMixin, snippet_views.HistoryView):
    pass


class ArchiveItemUsageView(VisibleItemMixin, snippet_views.UsageView):
    pass


class ArchiveItemRevisionsCompareView(VisibleItemMixin, snippet_views.RevisionsCompareView):
    pass


class ArchiveItemViewSet(SnippetViewSet):
    model = ArchiveItem
    icon = "folder-open-inverse"
    menu_label = _("Archive items")
    menu_order = 100
    list_display = ["archival_code", "title", "retention", "status", "filed_on", "classification"]
    list_filter = ["status", "category_code", "retention", "year"]
    search_fields = ["archival_code", "title"]
    list_per_page = 50
    index_view_class = ArchiveItemIndexView
    edit_view_class = ArchiveItemEditView
    delete_view_class = ArchiveItemDeleteView
    inspect_view_class = ArchiveItemInspectView
    history_view_class = ArchiveItemHistoryView
    usage_view_class = ArchiveItemUsageView
    revisions_compare_view_class = ArchiveItemRevisionsCompareView
    inspect_view_enabled = True
    inspect_view_fields = [
        "archival_code",
        "title",
        "category_code",
        "year",
        "retention",
        "department",
        "filed_on",
        "filed_by",
        "source_type",
        "source_id",
        "snapshot_sha256",
        "snapshot",
        "corrects",
        "classification",
        "custody_location",
        "status",
        "keep_until",
        "disposed_on",
    ]
    edit_handler = ObjectList(
        [
            HelpPanel(
                content=_(
                    "The filed record (archival code, title, filing details and the filed "
                    "content) cannot be changed. To correct it, file a correction entry that "
                    "references this item. Only the metadata below changes, each change with "
                    "its reason."
                )
            ),
            MultiFieldPanel(
                [
                    FieldPanel("archival_code", read_only=True),
                    FieldPanel("title", read_only=True),
                    FieldPanel("category_code", read_only=True),
                    FieldPanel("retention", read_only=True),
                    FieldPanel("department", read_only=True),
                    FieldPanel("filed_on", read_only=True),
                    FieldPanel("filed_by", read_only=True),
                    FieldPanel("snapshot_sha256", read_only=True),
                    FieldPanel("corrects", read_only=True),
                ],
                heading=_("Filed record"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("status", read_only=True),
                    FieldPanel("keep_until", read_only=True),
                    FieldPanel("disposed_on", read_only=True),
                    FieldPanel("classification"),
                    FieldPanel("custody_location"),
                    FieldPanel("change_reason"),
                ],
                heading=_("Metadata"),
            ),
        ],
        base_form_class=ArchiveItemAdminForm,
    )


class ArchivesGroup(SnippetViewSetGroup):
    menu_label = _("Archives")
    menu_icon = "folder-open-inverse"
    menu_order = 320
    items = (ArchiveItemViewSet,)
    submenu_hook = "register_archives_menu_item"


register_snippet(ArchivesGroup)


@hooks.register("register_admin_urls")
def archive_urls():
    return [
        path("archives/loans/", views.LoanListView.as_view(), name="archive_loans"),
        path(
            "archives/items/<int:pk>/loan/",
            views.LoanRequestView.as_view(),
            name="archive_loan_request",
        ),
        path(
            "archives/loans/<int:pk>/<str:step>/",
            views.LoanStepView.as_view(),
            name="archive_loan_step",
        ),
        path(
            "archives/items/<int:pk>/correct/",
            views.CorrectionView.as_view(),
            name="archive_correct",
        ),
        path(
            "archives/items/<int:pk>/legal-holds/",
            views.ItemHoldsView.as_view(),
            name="archive_item_holds",
        ),
        path(
            "contracts/<int:pk>/legal-holds/",
            views.ContractHoldsView.as_view(),
            name="contract_holds",
        ),
        path(
            "archives/legal-holds/<int:pk>/release/",
            views.HoldReleaseView.as_view(),
            name="archive_hold_release",
        ),
        path("archives/legal-holds/", views.ActiveHoldsView.as_view(), name="archive_holds"),
        path(
            "archives/disposal/",
            disposal_views.DueForDisposalView.as_view(),
            name="archive_disposal",
        ),
        path(
            "archives/items/<int:pk>/appraise/",
            disposal_views.AppraiseView.as_view(),
            name="archive_appraise",
        ),
        path(
            "archives/appraisals/",
            disposal_views.AppraisalListView.as_view(),
            name="archive_appraisals",
        ),
        path(
            "archives/appraisals/<int:pk>/approve/",
            disposal_views.AppraisalApproveView.as_view(),
            name="archive_appraisal_approve",
        ),
        path(
            "archives/destruction-lists/",
            disposal_views.DestructionListsView.as_view(),
            name="archive_destruction_lists",
        ),
        path(
            "archives/destruction-lists/<int:pk>/",
            disposal_views.DestructionListView.as_view(),
            name="archive_destruction_list",
        ),
        path(
            "archives/destruction-lists/<int:pk>/pdf/",
            disposal_views.destruction_list_pdf_view,
            name="archive_destruction_list_pdf",
        ),
        path(
            "organisation/employees/<int:pk>/personnel-file/",
            views.PersonnelFileView.as_view(),
            name="archive_personnel_file",
        ),
    ]


def _menu(label, url_name, icon, order, permission):
    @hooks.register("register_archives_menu_item")
    def item():
        return PermissionMenuItem(
            label, reverse(url_name), icon_name=icon, order=order, permission=permission
        )

    return item


_menu(_("Loans"), "archive_loans", "arrow-right-full", 200, "records.view_loan")
_menu(_("Due for disposal"), "archive_disposal", "date", 300, "records.view_appraisal")
_menu(_("Appraisals"), "archive_appraisals", "tick", 310, "records.view_appraisal")
_menu(
    _("Destruction lists"),
    "archive_destruction_lists",
    "bin",
    320,
    "records.view_destructionlist",
)
_menu(_("Legal holds"), "archive_holds", "lock", 400, "records.view_legalhold")


@hooks.register("register_snippet_listing_buttons")
def personnel_file_button(snippet, user, next_url=None):
    from records.models import Employee

    if isinstance(snippet, Employee) and user.has_perm("records.add_archiveitem"):
        yield Button(
            _("File personnel file"),
            url=reverse("archive_personnel_file", args=[snippet.pk]),
            icon_name="folder-open-inverse",
            priority=50,
        )
