"""Writing and verifying the audit trail (审计日志).

``audit_record`` is the one way entries are written; every audited service calls it inside
its own transaction, so an action that rolls back leaves no entry. ``audit_verify`` walks the
chain and names the first entry that no longer matches its HMAC or its predecessor. What the
chain cannot show on its own is entries cut off at the end: that is why the head
(``audit_chain_head``) is printed on exports and notices, to be compared later.
"""

import datetime
import hashlib
import hmac
import ipaddress
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils.translation import gettext as _

from records.models import AuditAction, AuditChainLock, AuditEntry

HEAD_DIGITS = 16
# How far from its place verify looks for the sequence an entry was recorded under, to tell
# a reordering from an edit. Only used once an entry has already failed.
REORDER_WINDOW = 1000


def canonical_json(value) -> str:
    """One byte-exact JSON text per value: sorted keys, no spaces, UTF-8 characters kept."""
    return json.dumps(
        value, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def details_digest(details: dict) -> str:
    return hashlib.sha256(canonical_json(details).encode("utf-8")).hexdigest()


def _at_text(at: datetime.datetime) -> str:
    return at.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def entry_hmac(entry: AuditEntry, *, sequence: int | None = None, key: str | None = None) -> str:
    """HMAC-SHA256 over the entry's fields (``sequence`` overrides its own, for verify)."""
    fields = [
        entry.sequence if sequence is None else sequence,
        _at_text(entry.at),
        entry.actor_pk,
        entry.actor_name,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.object_label,
        entry.version,
        entry.ip,
        entry.details_digest,
        entry.previous_hash,
    ]
    secret = (settings.ZHIDU_AUDIT_KEY if key is None else key).encode("utf-8")
    return hmac.new(secret, canonical_json(fields).encode("utf-8"), hashlib.sha256).hexdigest()


def actor_display_name(user) -> str:
    """The name an auditor recognises: the employee's name, else the login's."""
    employee = getattr(user, "employee", None)
    if employee is not None:
        return f"{employee.name}（{employee.employee_number}）"
    return user.get_full_name() or user.get_username()


def request_ip(request) -> str | None:
    """The client address Django saw (REMOTE_ADDR); None when absent or not an address."""
    raw = (request.META.get("REMOTE_ADDR") or "").strip() if request is not None else ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _object_fields(obj) -> tuple[str, str, str]:
    label = str(obj)
    number = getattr(obj, "document_number", "")
    title = getattr(obj, "title", "")
    if title:
        label = f"{title}（{number}）" if number else title
    return obj._meta.label_lower, str(obj.pk), label


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor=None,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    version: str = "",
    details: dict | None = None,
    request=None,
) -> AuditEntry:
    """Append one entry to the chain and return it.

    Appends are serialised by locking the chain's lock row, so two at once cannot both link
    to the same predecessor. ``obj`` fills the object fields not given; ``actor`` defaults to
    the request's user; details are stored exactly as they were hashed (plain JSON).
    """
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        default_type, default_id, default_label = _object_fields(obj)
        object_type = object_type or default_type
        object_id = object_id or default_id
        object_label = object_label or default_label
    plain_details = json.loads(canonical_json(details or {}))

    AuditChainLock.objects.select_for_update().get_or_create(pk=1)
    last = AuditEntry.objects.order_by("-sequence").only("sequence", "entry_hash").first()
    entry = AuditEntry(
        sequence=(last.sequence + 1) if last else 1,
        at=datetime.datetime.now(tz=datetime.UTC),
        actor=actor,
        actor_pk=actor.pk if actor is not None else None,
        actor_name=actor_display_name(actor)[:150] if actor is not None else "",
        action=action,
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        object_label=object_label[:300],
        version=version[:20],
        ip=request_ip(request),
        details=plain_details,
        details_digest=details_digest(plain_details),
        previous_hash=last.entry_hash if last else "",
    )
    entry.entry_hash = entry_hmac(entry)
    entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of a walk along the chain: ``ok``, or the first bad entry and why."""

    ok: bool
    count: int
    head: str = ""
    sequence: int | None = None
    reason: str = ""  # altered | missing | reordered | broken_link

    @property
    def message(self) -> str:
        if self.ok:
            return _("Audit trail intact: %(count)d entries, chain head %(head)s") % {
                "count": self.count,
                "head": self.head,
            }
        reasons = {
            "altered": _(
                "entry %(sequence)d was altered (its contents no longer match its hash, "
                "or the audit key has changed)"
            ),
            "missing": _("entry %(sequence)d is missing (deleted)"),
            "reordered": _("entry %(sequence)d is out of place (entries were reordered)"),
            "broken_link": _("entry %(sequence)d does not link to the entry before it"),
        }
        return _("Audit trail broken: %(problem)s") % {
            "problem": reasons[self.reason] % {"sequence": self.sequence}
        }


def audit_verify(*, using: str = DEFAULT_DB_ALIAS, key: str | None = None) -> VerifyResult:
    """Walk every entry in sequence order; return ok, or the first entry that fails.

    Checks, per entry: the sequence follows on (a gap means deleted entries), the details
    still match their digest, the HMAC matches the fields (with the key from the settings,
    or ``key``), and ``previous_hash`` is the hash of the entry before it. ``using`` and
    ``key`` let a backup check a copy of the database (zhidu.backup) before it is restored.
    """
    expected, previous_hash, count = 1, "", 0
    entries = AuditEntry.objects.using(using).order_by("sequence")
    for entry in entries.iterator(chunk_size=2000):
        if entry.sequence != expected:
            return VerifyResult(ok=False, count=count, sequence=expected, reason="missing")
        if details_digest(entry.details) != entry.details_digest:
            return VerifyResult(ok=False, count=count, sequence=entry.sequence, reason="altered")
        if not hmac.compare_digest(entry_hmac(entry, key=key), entry.entry_hash):
            reason = "reordered" if _recorded_elsewhere(entry, key=key) else "altered"
            return VerifyResult(ok=False, count=count, sequence=entry.sequence, reason=reason)
        if entry.previous_hash != previous_hash:
            return VerifyResult(
                ok=False, count=count, sequence=entry.sequence, reason="broken_link"
            )
        expected, previous_hash, count = expected + 1, entry.entry_hash, count + 1
    return VerifyResult(ok=True, count=count, head=audit_chain_head(using=using))


def _recorded_elsewhere(entry: AuditEntry, *, key: str | None = None) -> bool:
    """Whether the entry is intact but was recorded under another sequence number."""
    low = max(1, entry.sequence - REORDER_WINDOW)
    return any(
        hmac.compare_digest(entry_hmac(entry, sequence=candidate, key=key), entry.entry_hash)
        for candidate in range(low, entry.sequence + REORDER_WINDOW + 1)
        if candidate != entry.sequence
    )


def audit_chain_head(*, using: str = DEFAULT_DB_ALIAS) -> str:
    """The chain head for printouts: "<sequence>:<first 16 hex digits of its hash>".

    The sequence shows, on a later comparison, how many entries existed when it was printed.
    """
    entries = AuditEntry.objects.using(using).order_by("-sequence")
    last = entries.only("sequence", "entry_hash").first()
    if last is None:
        return "0:" + "0" * HEAD_DIGITS
    return f"{last.sequence}:{last.entry_hash[:HEAD_DIGITS]}"


__all__ = [
    "AuditAction",
    "VerifyResult",
    "audit_chain_head",
    "audit_record",
    "audit_verify",
]
