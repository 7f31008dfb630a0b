"""The access policy (records.permissions) applied to Wagtail's own admin.

An editor whose clearance is below a document's 密级, or outside its need-to-know list, must
not learn of it in the admin either: not in the page explorer or the sidebar, admin search and
its facet counts, page choosers, reports, the site history, dashboard panels, nor by opening
``/admin/pages/<id>/…`` (answers 404, as for a page that does not exist). Three hooks carry it:

- ``ClearancePagePermissionPolicy``, registered as Wagtail's permission policy for pages:
  explorable pages and pages with a permission exclude hidden ones; for one hidden page the
  answer to every permission is no. Explorer, admin search, reports and the site history ask it.
- ``AdminPageAccessMiddleware``: any admin URL naming a hidden page (edit, history, revisions,
  preview, workflow actions, move target, chooser browsing …) answers 404 before the view runs;
  the page-types report (counts and last edits over all pages, unfiltered by Wagtail) is for
  superusers only — by role, so that its answer says nothing about what is hidden.
- ``filtered_homepage_panels`` and ``chooser_queryset`` (wagtail_hooks): dashboard panels and
  page choosers, which do not go through the permission policy.
"""

from django.http import Http404
from django.urls import reverse
from wagtail.permission_policies.pages import PagePermissionPolicy

from records.permissions import visible_to

PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id")
# Views that answer a redirect whatever the id, existing or not: they reveal nothing.
PAGE_BLIND_VIEWS = {"wagtailadmin_pages:revisions_index"}
REPORTS_OVER_ALL_PAGES = {
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
}
_CACHE = "_zhidu_hidden_page_ids"


def hidden_page_ids(user) -> frozenset[int]:
    """Ids of controlled pages this user may not see (cached on the user for the request)."""
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return cached
    hidden: set[int] = set()
    from .models import controlled_page_models

    for model in controlled_page_models():
        everything = model._base_manager.all()
        seen = set(visible_to(everything, user).values_list("pk", flat=True))
        hidden |= set(everything.values_list("pk", flat=True)) - seen
    result = frozenset(hidden)
    if getattr(user, "is_authenticated", False):
        setattr(user, _CACHE, result)
    return result


def page_hidden(user, page_id) -> bool:
    try:
        return int(page_id) in hidden_page_ids(user)
    except (TypeError, ValueError):
        return False


class ClearancePagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permissions, minus every page the access policy hides from the user."""

    def explorable_instances(self, user):
        return super().explorable_instances(user).exclude(pk__in=hidden_page_ids(user))

    def instances_user_has_any_permission_for(self, user, actions):
        return (
            super()
            .instances_user_has_any_permission_for(user, actions)
            .exclude(pk__in=hidden_page_ids(user))
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if page_hidden(user, instance.pk):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)


class AdminPageAccessMiddleware:
    """404 for admin URLs naming a page hidden from the user (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        if match is None or not request.path.startswith(reverse("wagtailadmin_home")):
            return None
        user = request.user
        if not user.has_perm("wagtailadmin.access_admin"):
            return None  # the admin turns them away as for any page
        if match.view_name in PAGE_BLIND_VIEWS:
            return None
        if any(page_hidden(user, view_kwargs.get(name)) for name in PAGE_KWARGS):
            raise Http404
        if match.view_name in REPORTS_OVER_ALL_PAGES and not user.is_superuser:
            raise Http404
        return None


def reports_menu(request, menu_items) -> None:
    """The reports menu offers only reports the user may open (see REPORTS_OVER_ALL_PAGES)."""
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]


def _without_hidden(user, items, page_of):
    hidden = hidden_page_ids(user)
    return [item for item in items if getattr(page_of(item), "pk", None) not in hidden]


def filtered_homepage_panels(request, panels) -> None:
    """Wrap Wagtail's dashboard panels that list pages so hidden pages drop out."""
    from wagtail.admin.views import home

    def wrap(panel_class, filter_context):
        class Filtered(panel_class):
            def get_context_data(self, parent_context):
                context = super().get_context_data(parent_context)
                filter_context(request.user, context)
                return context

        Filtered.__name__ = panel_class.__name__
        return Filtered

    def states(user, context):
        context["workflow_states"] = _without_hidden(
            user, context["workflow_states"], lambda s: s.content_object
        )

    def to_moderate(user, context):
        context["states"] = _without_hidden(user, context["states"], lambda s: s["obj"])

    def locked(user, context):
        context["locked_pages"] = context["locked_pages"].exclude(pk__in=hidden_page_ids(user))

    def recent(user, context):
        context["last_edits"] = _without_hidden(user, context["last_edits"], lambda e: e[1])

    wrappers = {
        home.UserObjectsInWorkflowModerationPanel: wrap(
            home.UserObjectsInWorkflowModerationPanel, states
        ),
        home.WorkflowObjectsToModeratePanel: wrap(home.WorkflowObjectsToModeratePanel, to_moderate),
        home.LockedPagesPanel: wrap(home.LockedPagesPanel, locked),
        home.RecentEditsPanel: wrap(home.RecentEditsPanel, recent),
    }
    for index, panel in enumerate(panels):
        replacement = wrappers.get(type(panel))
        if replacement is not None:
            panels[index] = replacement()


def chooser_queryset(pages, request):
    """Page choosers (links, parent pickers): hidden pages are not offered."""
    return pages.exclude(pk__in=hidden_page_ids(request.user))


def explorer_queryset(parent_page, pages, request):
    """The explorer and the sidebar's page menu: hidden children are not listed or counted."""
    return pages.exclude(pk__in=hidden_page_ids(request.user))
