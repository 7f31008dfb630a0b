"""Admin wiring of contracts (合同): the snippet screens, the ledger, overdue list and statistics
screens, and their menu group. Imported by records/wagtail_hooks.py.

The access policy reaches every snippet screen: the list and chooser only hold contracts the
user may see, and every URL naming one (edit, history, revisions, usage, delete …) answers 404
for a contract the user may not see, before Wagtail's view runs.
"""

import functools

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, MultipleChooserPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from records.admin_menu import PermissionMenuItem
from records.contract_forms import ContractAdminForm
from records.contract_views import (
    ContractFileView,
    ContractLedgerView,
    ContractStatisticsView,
    OverdueObligationsView,
    contract_attachment_download,
    contract_expiry_notice,
)
from records.contracts import contract_status_audit
from records.legal_holds import is_on_hold
from records.models import Contract
from records.permissions import can_view, visible_to


def _guarded(view):
    """404 for a contract the user may not see (or that does not exist)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            contract = Contract.objects.filter(pk=str(pk)).first()
            if contract is None or not can_view(request.user, contract):
                raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def guard(patterns):
    guarded = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            guarded.append(pattern)  # none in these viewsets; kept as is
        elif isinstance(pattern, URLPattern):
            pattern.callback = _guarded(pattern.callback)
            guarded.append(pattern)
    return guarded


class VisibleContractsMixin:
    def get_object_list(self):
        return visible_to(super().get_object_list(), self.request.user)


class ContractChooseView(VisibleContractsMixin, ChooseView):
    pass


class ContractChooseResultsView(VisibleContractsMixin, ChooseResultsView):
    pass


class ContractChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ContractChooseView
    choose_results_view_class = ContractChooseResultsView

    def get_urlpatterns(self):
        return guard(super().get_urlpatterns())


class ContractIndexView(IndexView):
    def get_base_queryset(self):
        return visible_to(super().get_base_queryset(), self.request.user)


class ContractEditView(EditView):
    """The edit screen, with the ledger one click away; status changes are audited."""

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("Performance ledger"),
                url=reverse("contract_ledger", args=[self.object.pk]),
                icon_name="list-ul",
            ),
            HeaderButton(
                _("Legal holds"),
                url=reverse("contract_holds", args=[self.object.pk]),
                icon_name="lock",
            ),
        ]

    def save_instance(self):
        instance = super().save_instance()
        contract_status_audit(
            contract=instance,
            before=self.form.status_before,
            actor=self.request.user,
            request=self.request,
        )
        return instance


class ContractDeleteView(DeleteView):
    """Deleting a contract under a legal hold is refused with the reason, nothing deleted."""

    def run_before_hook(self):
        if is_on_hold(self.object):
            messages.error(
                self.request,
                _(
                    "“%(contract)s” is under a legal hold; it cannot be deleted until the hold "
                    "is released."
                )
                % {"contract": self.object},
            )
            return redirect("wagtailsnippets_records_contract:edit", self.object.pk)
        return super().run_before_hook()


class ContractCreateView(CreateView):
    def save_instance(self):
        instance = super().save_instance()
        contract_status_audit(
            contract=instance, before="", actor=self.request.user, request=self.request
        )
        return instance


def _revision_reason(entry) -> str:
    revision = getattr(entry, "revision", None)
    return (revision.content or {}).get("change_reason", "") if revision else ""


class ContractHistoryView(HistoryView):
    """Wagtail's history (action, user, date) plus the reason given for each version."""

    @cached_property
    def columns(self):
        columns = list(super().columns)
        columns.insert(1, Column("reason", label=_("Reason for change"), accessor=_revision_reason))
        return columns


class ContractViewSet(SnippetViewSet):
    model = Contract
    icon = "doc-full"
    menu_label = _("Contracts")
    menu_order = 100
    index_view_class = ContractIndexView
    add_view_class = ContractCreateView
    edit_view_class = ContractEditView
    delete_view_class = ContractDeleteView
    history_view_class = ContractHistoryView
    chooser_viewset_class = ContractChooserViewSet
    list_display = [
        "contract_number",
        "title",
        "contract_type",
        "counterparty",
        "status",
        "ends_on",
        "owner",
    ]
    list_filter = ["status", "contract_type", "currency", "department"]
    search_fields = ["contract_number", "title", "counterparty"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("contract_number"),
                    FieldPanel("title"),
                    FieldPanel("contract_type"),
                    FieldPanel("counterparty"),
                ],
                heading=_("Contract"),
            ),
            MultiFieldPanel([FieldPanel("department"), FieldPanel("owner")], heading=_("Our side")),
            MultiFieldPanel([FieldPanel("amount"), FieldPanel("currency")], heading=_("Amount")),
            MultiFieldPanel(
                [
                    FieldPanel("signed_on"),
                    FieldPanel("starts_on"),
                    FieldPanel("ends_on"),
                    FieldPanel("late_signing_note"),
                    FieldPanel("renewal_terms"),
                ],
                heading=_("Dates and renewal"),
            ),
            MultiFieldPanel(
                [FieldPanel("terminated_on"), FieldPanel("termination_reason")],
                heading=_("Termination"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("classification"),
                    FieldPanel("need_to_know", widget=forms.CheckboxSelectMultiple),
                ],
                heading=_("Confidentiality"),
            ),
            MultipleChooserPanel(
                "related_regulations", chooser_field_name="page", heading=_("Related regulations")
            ),
            FieldPanel("change_reason"),
        ],
        base_form_class=ContractAdminForm,
    )

    def get_urlpatterns(self):
        return guard(super().get_urlpatterns())


class ContractsGroup(SnippetViewSetGroup):
    menu_label = _("Contracts")
    menu_icon = "doc-full"
    menu_order = 250
    items = (ContractViewSet,)
    submenu_hook = "register_contracts_menu_item"


register_snippet(ContractsGroup)


@hooks.register("register_admin_urls")
def register_contract_urls():
    return [
        path("contracts/<int:pk>/ledger/", ContractLedgerView.as_view(), name="contract_ledger"),
        path("contracts/<int:pk>/file/", ContractFileView.as_view(), name="contract_file"),
        path(
            "contracts/<int:pk>/expiry-notice.pdf",
            contract_expiry_notice,
            name="contract_expiry_notice",
        ),
        path("contracts/overdue/", OverdueObligationsView.as_view(), name="contract_overdue"),
        path("contracts/statistics/", ContractStatisticsView.as_view(), name="contract_statistics"),
        path(
            "contracts/attachments/<int:pk>/",
            contract_attachment_download,
            name="contract_attachment",
        ),
    ]


@hooks.register("register_contracts_menu_item")
def register_overdue_menu_item():
    return PermissionMenuItem(
        _("Overdue obligations"),
        reverse("contract_overdue"),
        icon_name="warning",
        order=200,
        permission="records.view_contract",
    )


@hooks.register("register_contracts_menu_item")
def register_statistics_menu_item():
    return PermissionMenuItem(
        _("Contract statistics"),
        reverse("contract_statistics"),
        icon_name="table",
        order=300,
        permission="records.view_contract",
    )


@hooks.register("register_snippet_listing_buttons")
def contract_ledger_listing_button(snippet, user, next_url=None):
    if isinstance(snippet, Contract) and user.has_perm("records.view_contract"):
        yield ListingButton(
            _("Performance ledger"),
            reverse("contract_ledger", args=[snippet.pk]),
            icon_name="list-ul",
            priority=15,
        )
