"""法律保全 services: place and release a hold on any record, and ask whether one is held.

Generic on purpose: archive items and contracts use it, by content type and primary key.
``assert_not_on_hold`` is what disposal and deletion call first.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.audit import audit_record
from records.models import AuditAction, LegalHold


def _target(obj) -> dict:
    return {
        "content_type": ContentType.objects.get_for_model(obj, for_concrete_model=True),
        "object_id": obj.pk,
    }


def holds_for(obj):
    """Every hold ever placed on this record, newest first (released ones stay as history)."""
    return LegalHold.objects.filter(**_target(obj)).order_by("-placed_at")


def active_holds(obj):
    """The holds on this record not yet released."""
    return LegalHold.objects.filter(**_target(obj), released_at__isnull=True)


def is_on_hold(obj) -> bool:
    return active_holds(obj).exists()


def assert_not_on_hold(obj) -> None:
    """Raise a clear ValidationError naming the record if it is under a legal hold."""
    if obj.pk is not None and is_on_hold(obj):
        raise ValidationError(
            _(
                "“%(record)s” is under a legal hold; it cannot be disposed of or deleted "
                "until the hold is released."
            )
            % {"record": obj}
        )


@transaction.atomic
def legal_hold_place(*, obj, reason: str, user, request=None) -> LegalHold:
    """Hold a record: from now until released it cannot be disposed of or deleted."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the legal hold.")})
    if obj.pk is None:
        raise ValidationError(_("Only a saved record can be held."))
    hold = LegalHold.objects.create(
        **_target(obj), object_label=str(obj)[:300], reason=reason, placed_by=user
    )
    audit_record(
        action=AuditAction.LEGAL_HOLD,
        actor=user,
        obj=obj,
        details={"legal_hold": hold.pk, "reason": reason},
        request=request,
    )
    return hold


@transaction.atomic
def legal_hold_release(*, hold: LegalHold, reason: str, user, request=None) -> LegalHold:
    """Release a hold, saying why; the hold row stays as the record of it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for releasing the hold.")})
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.released_at is not None:
        raise ValidationError(_("This legal hold has already been released."))
    hold.released_by, hold.released_at, hold.release_reason = user, timezone.now(), reason
    hold.save(update_fields=["released_by", "released_at", "release_reason"])
    audit_record(
        action=AuditAction.LEGAL_HOLD_RELEASE,
        actor=user,
        object_type=hold.content_type.app_label + "." + hold.content_type.model,
        object_id=str(hold.object_id),
        object_label=hold.object_label,
        details={"legal_hold": hold.pk, "reason": reason},
        request=request,
    )
    return hold
