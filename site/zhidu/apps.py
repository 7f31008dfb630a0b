from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZhiduConfig(AppConfig):
    """The site: front doors per role, login, language choice, demo data."""

    name = "zhidu"
    verbose_name = _("Zhidu site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
