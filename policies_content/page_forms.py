"""The admin edit form of controlled documents."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

ISSUING_ACTIONS = ("action-submit", "action-publish", "action-workflow-action")


class ControlledDocumentForm(WagtailAdminPageForm):
    """Submitting or publishing a revision of an issued document needs its 修订说明."""

    def clean(self):
        cleaned = super().clean()
        issuing = any(self.data.get(action) for action in ISSUING_ACTIONS)
        if issuing and self.instance.pk and not (cleaned.get("change_summary") or "").strip():
            from .models import IssuedVersion

            if IssuedVersion.objects.filter(page_id=self.instance.pk).exists():
                self.add_error(
                    "change_summary",
                    _("Describe what changed (修订说明) before submitting this revision."),
                )
        return cleaned
