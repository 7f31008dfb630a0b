"""审计日志: the append-only, hash-chained audit trail.

Each entry carries the HMAC of its own fields and of the entry before it, so an edit, a
deletion or a swap anywhere in the table breaks the chain at that point (records/audit.py
verifies it). The HMAC key lives outside the database (settings.ZHIDU_AUDIT_KEY): someone who
can only write to the database cannot recompute a consistent chain.

The ORM refuses to change or delete entries. That does not stop raw SQL — the chain is what
catches that — but it keeps ordinary code (admin screens, cascades, shell sessions) from doing
it by accident.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """What an entry records. Add members here as new surfaces are audited; the column is
    free text in the database, so adding a choice needs no data migration."""

    PUBLISH = "publish", _("Publish")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    REPEAL = "repeal", _("Repeal")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    SIGNATURE_REFUSED = "signature_refused", _("Signature refused")  # wrong password
    CHASE = "chase", _("Chase")  # 催办
    VIEW_CONFIDENTIAL = "view_confidential", _("View confidential item")
    EXPORT = "export", _("Export")
    SEARCH = "search", _("Search")
    PERMISSION_CHANGE = "permission_change", _("Permission change")
    CLEARANCE_CHANGE = "clearance_change", _("Clearance change")
    TRANSFER = "transfer", _("Department or position change")  # 调岗
    LOGIN_FAILED = "login_failed", _("Failed login")
    DOWNGRADE = "downgrade", _("Downgrade")
    IMPORT = "import", _("Import")
    STATUS_CHANGE = "status_change", _("Status change")  # e.g. 合同 履行中 → 到期
    AMEND = "amend", _("Amendment")  # 补充协议
    OBLIGATION_COMPLETE = "obligation_complete", _("Obligation completed")  # 合同履行
    FILE = "file", _("File")  # 归档
    ARCHIVE_CHANGE = "archive_change", _("Archive metadata change")
    LOAN = "loan", _("Loan")  # 借阅
    APPRAISE = "appraise", _("Appraisal")  # 鉴定
    DISPOSE = "dispose", _("Disposal")  # 销毁
    LEGAL_HOLD = "legal_hold", _("Legal hold placed")  # 法律保全
    LEGAL_HOLD_RELEASE = "legal_hold_release", _("Legal hold released")


class AuditEntryChanged(Exception):
    """Raised when code tries to change or delete an audit entry through the ORM."""


class AuditEntryQuerySet(models.QuerySet):
    """Reads only: bulk update and delete are refused, like save and delete on one entry."""

    def update(self, **kwargs):
        raise AuditEntryChanged("Audit entries are append-only; they cannot be updated.")

    def delete(self):
        raise AuditEntryChanged("Audit entries are append-only; they cannot be deleted.")

    update.queryset_only = True
    delete.queryset_only = True


class AuditEntry(models.Model):
    """One audited action: who did what to which object (and version), when, from where.

    ``actor`` may be emptied when a login is deleted; ``actor_pk`` and ``actor_name`` keep who
    it was, and ``actor_pk`` (not the foreign key) is what the hash covers, so deleting a user
    does not break the chain. ``details`` is hashed through ``details_digest``.
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_pk = models.PositiveBigIntegerField(_("actor id as recorded"), null=True, blank=True)
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    version = models.CharField(_("version"), max_length=20, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    details_digest = models.CharField(_("details digest"), max_length=64)
    previous_hash = models.CharField(_("previous hash"), max_length=64, blank=True)
    entry_hash = models.CharField(_("entry hash"), max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["action", "at"], name="audit_action_at")]

    def __str__(self):
        return f"#{self.sequence} {self.get_action_display()} {self.object_label}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditEntryChanged("Audit entries are append-only; they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditEntryChanged("Audit entries are append-only; they cannot be deleted.")


class AuditChainLock(models.Model):
    """A single row every append locks first, so concurrent appends queue up behind each
    other and never fork the chain (two entries claiming the same predecessor). Locking the
    last entry instead would lock nothing while the table is still empty."""

    class Meta:
        verbose_name = _("audit chain lock")
        verbose_name_plural = _("audit chain locks")

    def __str__(self):
        return "audit chain lock"
