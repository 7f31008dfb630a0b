"""归档: filing any record as an archive item, and correcting a filed item.

``archive_file`` is generic — regulations' superseded versions, personnel files and (later)
contracts all come through it. It validates everything first, then in one transaction
allocates the 档号 (records.archival_codes), writes the item with a frozen snapshot and its
SHA-256, creates the first revision and audits the filing. Anything wrong raises a
ValidationError and nothing is written, not even a 件号.
"""

import datetime
import hashlib
import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from records.archival_codes import (
    archival_code_format,
    archival_number_next,
    fonds_code,
    org_code_for,
)
from records.audit import audit_record, canonical_json
from records.confidentiality import level_choices
from records.models import ArchiveItem, AuditAction, CategoryCode, Retention


def snapshot_digest(snapshot: dict) -> str:
    """SHA-256 of the snapshot's canonical JSON (sorted keys, UTF-8)."""
    return hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()


def already_filed(source) -> ArchiveItem | None:
    """The original (not a correction) archive item filed for this record, if any."""
    content_type = ContentType.objects.get_for_model(source, for_concrete_model=True)
    return ArchiveItem.objects.filter(
        source_type=content_type, source_id=source.pk, corrects__isnull=True
    ).first()


def _validate(
    *,
    source,
    title,
    category_code,
    retention,
    department,
    classification,
    snapshot,
    filed_on,
    corrects,
) -> None:
    errors: dict[str, str] = {}
    if source is None or getattr(source, "pk", None) is None:
        errors["source"] = _("Only a saved record can be filed.")
    if not (title or "").strip():
        errors["title"] = _("An archive item needs a title.")
    if category_code not in CategoryCode.values:
        errors["category_code"] = _("Unknown category code “%(code)s”.") % {"code": category_code}
    if retention not in Retention.values:
        errors["retention"] = _("Unknown retention “%(code)s”; use Y, D30 or D10.") % {
            "code": retention
        }
    if department is None or not org_code_for(department):
        errors["department"] = _("The filing department has no code.")
    if classification not in dict(level_choices()):
        errors["classification"] = _("Unknown confidentiality level.")
    if not isinstance(snapshot, dict) or not snapshot:
        errors["snapshot"] = _("The filed content is empty.")
    if not isinstance(filed_on, datetime.date) or filed_on > timezone.localdate():
        errors["filed_on"] = _("The filing date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    if corrects is None and already_filed(source) is not None:
        raise ValidationError(
            _("“%(record)s” has already been filed as %(code)s; file a correction instead.")
            % {"record": source, "code": already_filed(source).archival_code}
        )


@transaction.atomic
def archive_file(
    *,
    source,
    title: str,
    category_code: str,
    retention: str,
    department,
    classification: int,
    snapshot: dict,
    filed_by=None,
    filed_on: datetime.date | None = None,
    custody_location: str = "",
    corrects: ArchiveItem | None = None,
    request=None,
) -> ArchiveItem:
    """File ``source`` (any saved model instance) as a new archive item and return it."""
    filed_on = filed_on or timezone.localdate()
    if isinstance(snapshot, dict):
        snapshot = json.loads(canonical_json(snapshot))  # plain JSON, exactly as hashed
    _validate(
        source=source,
        title=title,
        category_code=category_code,
        retention=retention,
        department=department,
        classification=classification,
        snapshot=snapshot,
        filed_on=filed_on,
        corrects=corrects,
    )
    series = {
        "fonds": fonds_code(),
        "category_code": category_code,
        "year": filed_on.year,
        "retention": retention,
        "org_code": org_code_for(department),
    }
    number = archival_number_next(**series)
    item = ArchiveItem(
        **series,
        item_number=number,
        archival_code=archival_code_format(**series, item_number=number),
        title=title.strip()[:255],
        department=department,
        filed_on=filed_on,
        filed_by=filed_by if getattr(filed_by, "is_authenticated", False) else None,
        source_type=ContentType.objects.get_for_model(source, for_concrete_model=True),
        source_id=source.pk,
        snapshot=snapshot,
        snapshot_sha256=snapshot_digest(snapshot),
        corrects=corrects,
        classification=classification,
        custody_location=custody_location,
        change_reason=_("Filed")
        if corrects is None
        else _("Correction of %(code)s") % {"code": corrects.archival_code},
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:  # a concurrent filing of the same record won
        raise ValidationError(
            _("“%(record)s” has already been filed; file a correction instead.")
            % {"record": source}
        ) from exc
    revision = item.save_revision(user=item.filed_by, log_action=False)
    log(instance=item, action="wagtail.create", user=item.filed_by, revision=revision)
    audit_record(
        action=AuditAction.FILE,
        actor=item.filed_by,
        obj=item,
        details={
            "archival_code": item.archival_code,
            "sha256": item.snapshot_sha256,
            "source": f"{item.source_type.app_label}.{item.source_type.model}:{source.pk}",
            "corrects": corrects.archival_code if corrects else None,
        },
        request=request,
    )
    return item


def archive_correct(
    *, original: ArchiveItem, snapshot: dict, reason: str, filed_by, title: str = ""
) -> ArchiveItem:
    """A correction entry: a new item for the same record that references the original,
    which itself stays exactly as filed."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say what the correction corrects.")})
    source = original.source
    if source is None:
        raise ValidationError(_("The filed record no longer exists; it cannot be re-filed."))
    return archive_file(
        source=source,
        title=title or original.title,
        category_code=original.category_code,
        retention=original.retention,
        department=original.department,
        classification=original.classification,
        snapshot={**snapshot, "correction_reason": reason.strip()},
        filed_by=filed_by,
        corrects=original,
    )
