from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesContentConfig(AppConfig):
    """Controlled documents as Wagtail pages: regulations and job descriptions."""

    name = "policies_content"
    verbose_name = _("Regulations and job descriptions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import append_only, signals

        signals.connect()
        post_migrate.connect(append_only.after_migrate, sender=self)
