"""What the archive admin screens share: errors from services onto forms, and a form screen
about one archive item the user may see (404 otherwise)."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.views.generic import FormView

from records.admin_views import AdminScreenMixin
from records.archive_selectors import archive_items_for_user
from records.models import ArchiveItem


def form_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where the form has the field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def visible_item(request, pk) -> ArchiveItem:
    item = archive_items_for_user(user=request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


class ItemFormView(PermissionRequiredMixin, AdminScreenMixin, FormView):
    """A form about one archive item the user may see."""

    template_name = "records/archives/form.html"
    header_icon = "folder-open-inverse"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.item = visible_item(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.item.archival_code

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.item, **kwargs)

    def item_url(self):
        return reverse("wagtailsnippets_records_archiveitem:edit", args=[self.item.pk])
