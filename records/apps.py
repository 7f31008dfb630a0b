from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """The domain core: organisation, confidentiality, audit trail, contracts and archives."""

    name = "records"
    verbose_name = _("Records and organisation")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed

        from . import permission_signals, signals
        from .roles import roles_cache_clear

        signals.connect()
        permission_signals.connect()
        m2m_changed.connect(
            roles_cache_clear,
            sender=get_user_model().groups.through,
            dispatch_uid="zhidu_roles_cache_clear",
        )
