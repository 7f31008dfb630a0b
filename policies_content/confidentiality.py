"""密级 on controlled documents: the 保密期限 downgrade, logged confidential views, watermark.

Who may see what is decided in records.permissions; this module only acts on documents
already known to be visible.
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from records.audit import audit_record
from records.confidentiality import handling_allowed, is_confidential, level_name
from records.models import AuditAction

from .signals import document_changed


def classification_downgrade_due(*, today: datetime.date | None = None) -> int:
    """Lower every live document whose 保密期限 has passed to its ``downgrade_to`` level.

    Only the page row changes (``classification`` lowered, ``classified_until`` cleared),
    through a queryset update: publishing would issue a new version, which a downgrade is
    not. Left alone on purpose:

    - drafts (the latest revision's content): an editor's next publish carries the level the
      draft states; if the draft still holds the passed 保密期限, the next run lowers it again.
    - issued versions: they are append-only evidence and keep the level they were issued at,
      so their pages (history, version text, version Word) stay at the old level.

    Each downgrade is one audit entry (action downgrade, old and new level). Returns how
    many documents were lowered.
    """
    today = today or timezone.localdate()
    count = 0
    from .models import controlled_page_models

    for model in controlled_page_models():
        due = model.objects.live().filter(
            classified_until__lt=today, classification__gt=F("downgrade_to")
        )
        for page in due:
            with transaction.atomic():
                lowered = model.objects.filter(
                    pk=page.pk, classification=page.classification
                ).update(classification=page.downgrade_to, classified_until=None)
                if not lowered:
                    continue
                audit_record(
                    action=AuditAction.DOWNGRADE,
                    obj=page,
                    version=page.version or "",
                    details={
                        "from_level": page.classification,
                        "from_name": level_name(page.classification),
                        "to_level": page.downgrade_to,
                        "to_name": level_name(page.downgrade_to),
                        "classified_until": page.classified_until,
                    },
                )
                count += 1
                document_changed.send(sender=model, page_id=page.pk)
    return count


def confidential_view_record(*, request, obj, version: str = "", level: int | None = None):
    """Log a view of an item at 秘密 or above (who, what, which version, when, from where)."""
    level = obj.classification if level is None else level
    if not is_confidential(level):
        return None
    return audit_record(
        action=AuditAction.VIEW_CONFIDENTIAL,
        obj=obj,
        version=version,
        details={"level": level, "path": request.path},
        request=request,
    )


def watermark_text(*, request, level: int) -> str:
    """The on-screen watermark for an item at 秘密 or above: "姓名 工号 YYYY-MM-DD HH:MM";
    empty below that level."""
    return watermark_for(user=request.user, level=level)


def watermark_for(*, user, level: int) -> str:
    """watermark_text for a user outside a request (PDFs rendered by a service)."""
    if not is_confidential(level):
        return ""
    employee = getattr(user, "employee", None) if user.is_authenticated else None
    if employee is not None:
        who = f"{employee.name} {employee.employee_number}"
    else:
        who = user.get_username() if user.is_authenticated else ""
    return f"{who} {timezone.localtime():%Y-%m-%d %H:%M}".strip()


def handling_context(*, request, level: int) -> dict:
    """Template context for a reading view: the watermark and which of download / print the
    level allows (settings.ZHIDU_LEVEL_RESTRICTIONS)."""
    return {
        "watermark": watermark_text(request=request, level=level),
        "may_download": handling_allowed(level, "download"),
        "may_print": handling_allowed(level, "print"),
    }


def handling_refused(request, *, level: int, action: str):
    """None when the level allows the action; else a 403 page saying why, in the reader's
    language. The reader may see the item (that was checked before), so saying it exists
    leaks nothing."""
    if handling_allowed(level, action):
        return None
    what = {"download": _("downloaded"), "print": _("printed"), "export": _("exported")}[action]
    message = _("Documents classified %(level)s may not be %(what)s.") % {
        "level": level_name(level),
        "what": what,
    }
    return render(request, "zhidu/refused.html", {"message": message}, status=403)
