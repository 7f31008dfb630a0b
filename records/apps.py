from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """The domain core: organisation, confidentiality, audit trail, contracts and archives."""

    name = "records"
    verbose_name = _("Records and organisation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import permission_signals, signals

        signals.connect()
        permission_signals.connect()
