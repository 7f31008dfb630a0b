"""Allocate and register 文件编号: unique, per-scheme sequences, never reused."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .models.numbering import DocumentNumber, DocumentNumberScheme

FALLBACK_PATTERN = "{prefix}-{year}-{seq:03}"
FALLBACK_PREFIX = "ZD"


def scheme_for(category) -> DocumentNumberScheme:
    """The category's scheme, else the default one (created on first use)."""
    scheme = getattr(getattr(category, "specific", category), "number_scheme", None)
    if scheme is not None:
        return scheme
    scheme = DocumentNumberScheme.objects.filter(is_default=True).first()
    if scheme is None:
        scheme, _created = DocumentNumberScheme.objects.get_or_create(
            name=_("Default"),
            defaults={"pattern": FALLBACK_PATTERN, "prefix": FALLBACK_PREFIX, "is_default": True},
        )
    return scheme


@transaction.atomic
def document_number_allocate(*, category, year: int | None = None) -> str:
    """The next free number of the category's scheme for the year; registered at once, so a
    number handed out is never handed out again even if the document is never saved."""
    scheme = scheme_for(category)
    DocumentNumberScheme.objects.select_for_update().filter(pk=scheme.pk).first()
    year = year or timezone.localdate().year
    last = DocumentNumber.objects.filter(scheme=scheme, year=year).aggregate(m=Max("sequence"))
    sequence = (last["m"] or 0) + 1
    while True:
        number = scheme.format(year=year, seq=sequence)
        if not DocumentNumber.objects.filter(number=number).exists():
            DocumentNumber.objects.create(
                number=number, scheme=scheme, year=year, sequence=sequence, reserved=True
            )
            return number
        sequence += 1


def document_number_register(*, number: str, page) -> None:
    """Record that ``page`` holds ``number`` (allocated, imported or typed).

    Raises ValidationError when the number belongs to another document, or to a deleted one.
    """
    entry, created = DocumentNumber.objects.get_or_create(
        number=number, defaults={"page_id": page.pk}
    )
    if created or entry.page_id == page.pk:
        return
    if entry.page_id is None and entry.reserved:
        entry.page_id, entry.reserved = page.pk, False
        entry.save(update_fields=["page", "reserved"])
        return
    raise ValidationError({"document_number": document_number_conflict(number=number, page=page)})


def document_number_conflict(*, number: str, page) -> str:
    """A message when another document holds or once held ``number``; "" when it is free."""
    if not number:
        return ""
    entry = DocumentNumber.objects.filter(number=number).select_related("page").first()
    if entry is None or (page.pk is not None and entry.page_id == page.pk):
        return ""
    if entry.reserved and getattr(page, "_allocated_number", None) == number:
        return ""
    if entry.page_id is None:
        return _("The number %(number)s was already allocated and cannot be reused.") % {
            "number": number
        }
    return _("The number %(number)s is already used by “%(title)s”.") % {
        "number": number,
        "title": entry.page.title,
    }
