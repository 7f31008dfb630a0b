"""档案: archive items, their 档号 counters, loans (借阅), appraisals (鉴定) and destruction
lists (销毁清单).

An archive item is two things kept apart. The *filed record* — what was filed, when, by whom,
under which 档号, and a frozen JSON snapshot of it with its SHA-256 — never changes once
written: a mistake is corrected by filing a new item that references the old one. Its
*metadata* — custody, classification, loan status, keep-until date, disposal — does change,
and every change is a Wagtail revision carrying who, when and why (修改原因), so the item's
history shows each one.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin

from records.confidentiality import level_choices


class Retention(models.TextChoices):
    """保管期限 per DA/T 22-2015; the code is the one written into the 档号."""

    PERMANENT = "Y", _("Permanent")  # 永久
    THIRTY_YEARS = "D30", _("30 years")  # 30年
    TEN_YEARS = "D10", _("10 years")  # 10年


RETENTION_YEARS = {Retention.PERMANENT: None, Retention.THIRTY_YEARS: 30, Retention.TEN_YEARS: 10}


class CategoryCode(models.TextChoices):
    """门类 codes written into the 档号, in the two-letter pinyin style of DA/T 22 and the
    national 档案门类 practice: 文书 WS, 合同 HT (business records kept by the company as their
    own 门类), 人事 RS, 会计 KU, 科技 KJ, 照片 ZP, 实物 SW."""

    DOCUMENTS = "WS", _("Documents")  # 文书: regulations, notices, job descriptions
    CONTRACTS = "HT", _("Contracts")  # 合同
    PERSONNEL = "RS", _("Personnel")  # 人事档案
    ACCOUNTING = "KU", _("Accounting")  # 会计
    TECHNICAL = "KJ", _("Technical")  # 科技
    PHOTOS = "ZP", _("Photographs")  # 照片
    OBJECTS = "SW", _("Objects")  # 实物


class ArchivalCodeCounter(models.Model):
    """The last 件号 used in one series (全宗号, 门类, 年度, 保管期限, 机构代码).

    Filing locks its series' row (select_for_update) inside the filing transaction, so two
    filings at once queue up and a filing that fails rolls its number back: 档号 stay unique
    and gap-free."""

    fonds = models.CharField(max_length=20)
    category_code = models.CharField(max_length=4)
    year = models.PositiveIntegerField()
    retention = models.CharField(max_length=4)
    org_code = models.CharField(max_length=20)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("archival code series")
        verbose_name_plural = _("archival code series")
        constraints = [
            models.UniqueConstraint(
                fields=["fonds", "category_code", "year", "retention", "org_code"],
                name="archival_code_one_series",
            )
        ]

    def __str__(self):
        return f"{self.fonds}-{self.category_code}-{self.year}-{self.retention}-{self.org_code}"


# The fields of the filed record: written once by records.filing, never changed.
FILED_FIELDS = (
    "archival_code",
    "fonds",
    "category_code",
    "year",
    "retention",
    "org_code",
    "item_number",
    "title",
    "department_id",
    "filed_on",
    "filed_by_id",
    "source_type_id",
    "source_id",
    "snapshot",
    "snapshot_sha256",
    "corrects_id",
)


class ArchiveItem(RevisionMixin, models.Model):
    """One filed item (一件) with its 档号; see the module docstring for what may change."""

    class Status(models.TextChoices):
        FILED = "filed", _("In custody")  # 在库
        ON_LOAN = "on_loan", _("On loan")  # 借出
        DISPOSED = "disposed", _("Disposed")  # 已销毁

    archival_code = models.CharField(_("archival code"), max_length=80, unique=True)
    fonds = models.CharField(_("fonds"), max_length=20)
    category_code = models.CharField(_("category"), max_length=4, choices=CategoryCode.choices)
    year = models.PositiveIntegerField(_("year"))
    retention = models.CharField(_("retention"), max_length=4, choices=Retention.choices)
    org_code = models.CharField(_("organisation code"), max_length=20)
    item_number = models.PositiveIntegerField(_("item number"))
    title = models.CharField(_("title"), max_length=255)
    department = models.ForeignKey(
        "records.Department",
        verbose_name=_("filing department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_on = models.DateField(_("filed on"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What was filed: any model instance, plus the frozen copy of it as it stood.
    source_type = models.ForeignKey(
        ContentType, verbose_name=_("source type"), on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(_("source id"))
    snapshot = models.JSONField(_("filed content"))
    snapshot_sha256 = models.CharField(_("SHA-256 of the filed content"), max_length=64)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    # Metadata: changes as revisions, each with a reason.
    classification = models.PositiveSmallIntegerField(
        _("confidentiality level"), choices=level_choices, default=1
    )
    custody_location = models.CharField(_("custody location"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.FILED
    )
    keep_until = models.DateField(
        _("kept until (after appraisal)"),
        null=True,
        blank=True,
        help_text=_("Set by an appraisal that decided to keep the item longer."),
    )
    disposed_on = models.DateField(_("disposed on"), null=True, blank=True)
    change_reason = models.CharField(
        _("reason for the change"),
        max_length=500,
        blank=True,
        help_text=_("Why the metadata changes; shown in the item's history."),
    )

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="archiveitem")

    class Meta:
        verbose_name = _("archive item")
        verbose_name_plural = _("archive items")
        ordering = ["-year", "archival_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=Q(corrects__isnull=True),
                name="archive_item_filed_once",
            )
        ]
        permissions = [
            ("approve_appraisal", _("Can approve appraisals and destruction lists")),
        ]

    def __str__(self):
        return f"{self.archival_code} {self.title}"

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            stored = ArchiveItem.objects.filter(pk=self.pk).values(*FILED_FIELDS).first()
            if stored is not None:
                changed = [f for f in FILED_FIELDS if stored[f] != getattr(self, f)]
                if changed:
                    raise ValidationError(
                        _(
                            "The filed record cannot be changed (%(fields)s); file a "
                            "correction entry that references it instead."
                        )
                        % {"fields": ", ".join(changed)}
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        from records.legal_holds import assert_not_on_hold

        assert_not_on_hold(self)
        return super().delete(*args, **kwargs)

    @property
    def source(self):
        """The filed object if it still exists (the snapshot is what was filed)."""
        model = self.source_type.model_class()
        return model._base_manager.filter(pk=self.source_id).first() if model else None


class Loan(models.Model):
    """借阅: a request to borrow one item, its approval, the lending and the return.

    The item's status follows (on loan while lent). Overdue = lent, not returned and due back
    before today — derived, so nobody has to mark it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        LENT = "lent", _("Lent")
        RETURNED = "returned", _("Returned")

    item = models.ForeignKey(
        ArchiveItem, verbose_name=_("archive item"), on_delete=models.PROTECT, related_name="loans"
    )
    borrower = models.ForeignKey(
        "records.Employee", verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    requested_on = models.DateField(_("requested on"))
    due_back_on = models.DateField(_("due back on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    lent_on = models.DateField(_("lent on"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-requested_on", "-pk"]

    def __str__(self):
        return f"{self.item.archival_code} → {self.borrower}"

    def is_overdue(self, day: datetime.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.status == self.Status.LENT and self.due_back_on < day


class Appraisal(models.Model):
    """鉴定: a decision on an item due for disposal — keep it longer, or destroy it.

    Recorded by one person and approved by another who holds ``approve_appraisal``; only an
    approved decision takes effect (keep: the new keep-until date; destroy: the item may go on
    a destruction list)."""

    class Decision(models.TextChoices):
        KEEP = "keep", _("Keep longer")
        DESTROY = "destroy", _("Destroy")

    item = models.ForeignKey(
        ArchiveItem,
        verbose_name=_("archive item"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    keep_until = models.DateField(_("keep until"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appraised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    appraised_at = models.DateTimeField(_("appraised at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["-appraised_at"]

    def __str__(self):
        return f"{self.item.archival_code} {self.get_decision_display()}"


class DestructionList(models.Model):
    """销毁清单: a numbered record of items approved for destruction, its approval, and when and
    by whom it was carried out. Executing it marks the items disposed; rows are never deleted,
    so the list and the items' metadata remain the evidence."""

    number = models.CharField(_("number"), max_length=40, unique=True)
    items = models.ManyToManyField(ArchiveItem, verbose_name=_("items"), related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn up by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("drawn up at"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    executed_on = models.DateField(_("destroyed on"), null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destroyed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("destruction list")
        verbose_name_plural = _("destruction lists")
        ordering = ["-created_at"]

    def __str__(self):
        return self.number
