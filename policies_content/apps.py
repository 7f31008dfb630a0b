from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesContentConfig(AppConfig):
    """Controlled documents as Wagtail pages: regulations and job descriptions."""

    name = "policies_content"
    verbose_name = _("Regulations and job descriptions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals

        signals.connect()
