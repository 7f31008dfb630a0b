"""Account security: changes to who may do what, and the administrator's two remedies.

Rights in Zhidu are roles (groups), a group's permissions, a login's own permissions and its
is_superuser / is_staff / is_active flags. Every change to them is a ``permission_change``
entry in the audit trail (records/permission_signals.py feeds ``permission_change_record``),
because a right granted is what lets someone read or change a record later.

The two remedies, for an administrator holding ``records.manage_account_security``: unlock a
sign-in that django-axes has locked (too many wrong passwords), and reset a lost second factor
(the login's TOTP devices are deleted, so its owner enrols again at the next request). Both are
also ``permission_change`` entries, with ``details["kind"]`` saying which.
"""

import datetime
from dataclasses import dataclass, field

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import get_active_log_context

from records.audit import actor_display_name, audit_record
from records.models import AuditAction

UNLOCK = "unlock"
SECOND_FACTOR_RESET = "second_factor_reset"


def permission_change_record(*, obj, details: dict, actor=None, request=None):
    """Write one ``permission_change`` entry about a login or a group.

    Without an explicit actor or request, the actor is whoever Wagtail's admin is serving
    (its log context, set around every admin view); in the shell, a management command or a
    migration there is none, and the entry names no actor.
    """
    if actor is None and request is None:
        actor = get_active_log_context().user
    User = get_user_model()
    label = actor_display_name(obj) if isinstance(obj, User) else str(obj)
    return audit_record(
        action=AuditAction.PERMISSION_CHANGE,
        actor=actor,
        obj=obj,
        object_label=label,
        details=details,
        request=request,
    )


# --- locked sign-ins (django-axes) ------------------------------------------------------------


@dataclass
class LockedLogin:
    """One user name that axes refuses right now, from one or more addresses."""

    username: str
    failures: int = 0
    ip_addresses: list[str] = field(default_factory=list)
    last_attempt: datetime.datetime | None = None
    locked_until: datetime.datetime | None = None
    user: object = None  # the login of that name, if one exists (attackers try any name)


def _locking_attempts():
    """The axes rows at or over the failure limit whose cool-off has not yet run out."""
    attempts = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    cool_off = get_cool_off()
    if cool_off is not None:  # None: locks never run out on their own
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.exclude(username__isnull=True).exclude(username="")


def locked_logins() -> list[LockedLogin]:
    """Every locked user name, most recently locked first."""
    cool_off = get_cool_off()
    by_name: dict[str, LockedLogin] = {}
    for attempt in _locking_attempts().order_by("-attempt_time"):
        locked = by_name.setdefault(attempt.username, LockedLogin(username=attempt.username))
        locked.failures += attempt.failures_since_start
        if attempt.ip_address and attempt.ip_address not in locked.ip_addresses:
            locked.ip_addresses.append(attempt.ip_address)
        if locked.last_attempt is None:
            locked.last_attempt = attempt.attempt_time
            locked.locked_until = attempt.attempt_time + cool_off if cool_off else None
    users = (
        get_user_model()
        .objects.select_related("employee")
        .in_bulk(list(by_name), field_name="username")
    )
    for locked in by_name.values():
        locked.user = users.get(locked.username)
    return list(by_name.values())


def login_locked(username: str) -> bool:
    return bool(username) and _locking_attempts().filter(username=username).exists()


@transaction.atomic
def login_unlock(*, username: str, request=None) -> int:
    """Forget every failed sign-in recorded for this user name (from any address), so it may
    sign in again at once; returns how many axes records were removed.

    An empty name is refused: axes would take it as "no filter" and forget everyone's.
    """
    if not username:
        raise ValueError("login_unlock needs a user name")
    addresses = sorted(
        {
            ip
            for ip in AccessAttempt.objects.filter(username=username).values_list(
                "ip_address", flat=True
            )
            if ip
        }
    )
    removed = axes_reset(username=username)
    user = get_user_model().objects.filter(username=username).first()
    details = {"kind": UNLOCK, "username": username, "ip_addresses": addresses}
    if user is not None:
        permission_change_record(obj=user, details=details, request=request)
    else:
        audit_record(
            action=AuditAction.PERMISSION_CHANGE,
            object_type="auth.user",
            object_label=username,
            details=details,
            request=request,
        )
    return removed


# --- second factor (django-otp TOTP) ----------------------------------------------------------


def second_factor_devices():
    """Every TOTP device with its login, by user name; unconfirmed ones are set-ups begun."""
    return TOTPDevice.objects.select_related("user", "user__employee").order_by(
        "user__username", "pk"
    )


def has_second_factor(user) -> bool:
    """Whether the login has a TOTP device, set up or only begun."""
    return TOTPDevice.objects.filter(user=user).exists()


@transaction.atomic
def second_factor_reset(*, user, request=None) -> int:
    """Delete the login's TOTP devices; returns how many. Its sessions stop counting as
    verified at once (django-otp finds no device), and the next request that needs a second
    factor shows the set-up page with a new secret."""
    devices = TOTPDevice.objects.filter(user=user)
    count = devices.count()
    devices.delete()
    permission_change_record(
        obj=user, details={"kind": SECOND_FACTOR_RESET, "devices": count}, request=request
    )
    return count
