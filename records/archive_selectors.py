"""Reads about archive items, always through the access policy: retention dates, the items due
for disposal, loans and overdue loans, active legal holds."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from records.models import ArchiveItem, LegalHold, Loan
from records.models.archives import RETENTION_YEARS
from records.permissions import visible_to


def retention_due(item: ArchiveItem) -> datetime.date | None:
    """The day the item is due for disposal: the end of its filing year plus 10 or 30 years,
    or the keep-until date an approved appraisal set; None for permanent (Y) items."""
    if item.keep_until is not None:
        return item.keep_until
    years = RETENTION_YEARS.get(item.retention)
    if years is None:
        return None
    return datetime.date(item.year + years, 12, 31)


def archive_items_for_user(*, user) -> QuerySet:
    return visible_to(ArchiveItem.objects.all(), user).select_related("department", "filed_by")


def archive_items_due_for_disposal(*, user, day: datetime.date | None = None) -> list[dict]:
    """Items in custody whose retention has run out on ``day`` (today), with the date."""
    day = day or timezone.localdate()
    items = archive_items_for_user(user=user).exclude(retention="Y", keep_until__isnull=True)
    held = set(
        LegalHold.objects.filter(
            content_type=ContentType.objects.get_for_model(ArchiveItem), released_at__isnull=True
        ).values_list("object_id", flat=True)
    )
    due = []
    for item in items.exclude(status=ArchiveItem.Status.DISPOSED):
        due_on = retention_due(item)
        if due_on is not None and due_on <= day:
            due.append({"item": item, "due_on": due_on, "held": item.pk in held})
    return sorted(due, key=lambda row: (row["due_on"], row["item"].archival_code))


def loans_for_user(*, user) -> QuerySet:
    items = archive_items_for_user(user=user)
    return Loan.objects.filter(item__in=items).select_related("item", "borrower")


def loans_overdue(*, user, day: datetime.date | None = None) -> QuerySet:
    day = day or timezone.localdate()
    return loans_for_user(user=user).filter(status=Loan.Status.LENT, due_back_on__lt=day)


def legal_holds_active(*, user) -> list[LegalHold]:
    """Active holds on records the user may see (holds on other record types are listed as
    long as the user can see the record; unknown types are left out)."""
    holds = LegalHold.objects.filter(released_at__isnull=True).select_related(
        "content_type", "placed_by"
    )
    visible = []
    for hold in holds:
        model = hold.content_type.model_class()
        if model is None:
            continue
        queryset = model._base_manager.filter(pk=hold.object_id)
        if any(f.name == "classification" for f in model._meta.get_fields()):
            queryset = visible_to(queryset, user)
        if queryset.exists():
            visible.append(hold)
    return visible
