"""合同: contracts, their amendments (补充协议), scanned attachments and the number counter.

A contract is a Wagtail model with revisions rather than a page: it has no public URL, no place
in a page tree and no publishing; what it needs from Wagtail is the revision history (who
changed what, when, and — through ``change_reason`` carried in every revision — why), locking,
and the snippet admin. It is a ClusterableModel so the related regulations are chosen with
Wagtail's page chooser (which applies the access policy) and travel inside each revision.

The row holds the terms **as originally signed**. Amendments never overwrite them: each
amendment states its own effective date, and ``terms_on(day)`` gives the amount and end date
in force on a day — so a statistic for last year is not changed by an amendment signed today.
The obligations of the performance ledger live in contract_ledger.py.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import LockableMixin, Orderable, RevisionMixin

from records.confidentiality import level_choices, level_name
from records.storage import private_storage

CHINESE_NUMERALS = "零一二三四五六七八九十"


class ContractType(models.TextChoices):
    SALES = "sales", _("Purchase and sale")  # 购销
    SERVICE = "service", _("Service")  # 服务
    LABOUR = "labour", _("Labour")  # 劳动
    NDA = "nda", _("Confidentiality agreement")  # 保密协议
    OTHER = "other", _("Other")  # 其他


# The {type} part of contract numbers (ZHIDU_CONTRACT_NUMBER_FORMAT): pinyin initials.
TYPE_CODES = {
    ContractType.SALES: "GX",
    ContractType.SERVICE: "FW",
    ContractType.LABOUR: "LD",
    ContractType.NDA: "BM",
    ContractType.OTHER: "QT",
}

# Labour contracts carry salary and personal data, NDAs the secrets they protect: both default
# to 秘密 (2); everything else to 内部 (1). An editor may set any level they are cleared for.
DEFAULT_CLASSIFICATION = 1
TYPE_DEFAULT_CLASSIFICATION = {ContractType.LABOUR: 2, ContractType.NDA: 2}


def default_classification(contract_type: str) -> int:
    return TYPE_DEFAULT_CLASSIFICATION.get(contract_type, DEFAULT_CLASSIFICATION)


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草拟
    EFFECTIVE = "effective", _("Effective")  # 生效 (signed, not started yet)
    PERFORMING = "performing", _("Performing")  # 履行中
    EXPIRED = "expired", _("Expired")  # 到期
    TERMINATED = "terminated", _("Terminated")  # 终止


class Currency(models.TextChoices):
    CNY = "CNY", _("CNY (renminbi)")
    USD = "USD", _("USD (US dollar)")
    EUR = "EUR", _("EUR (euro)")
    HKD = "HKD", _("HKD (Hong Kong dollar)")
    JPY = "JPY", _("JPY (yen)")


AMOUNT = {"max_digits": 14, "decimal_places": 2}  # at most 12 digits before the point


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (amendment labels: 补充协议一)."""
    if n <= 10:
        return CHINESE_NUMERALS[n]
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else CHINESE_NUMERALS[tens]) + "十"
    return text + (CHINESE_NUMERALS[ones] if ones else "")


@dataclass(frozen=True)
class Terms:
    """What is in force on a day: the amount and end date after the amendments effective by
    then, and the version (0 = 原合同, n = 补充协议 n)."""

    amount: Decimal
    ends_on: datetime.date | None
    version: int


class Contract(LockableMixin, RevisionMixin, ClusterableModel):
    """A contract the company signed (or is drafting), with its counterparty and owner.

    ``status`` is stored for listing and filtering but always follows from the dates
    (``derived_status``); services and the daily command keep it in line and audit every
    change. ``contract_number`` is allocated from ZHIDU_CONTRACT_NUMBER_FORMAT unless typed in.
    """

    need_to_know_field = "need_to_know"

    contract_number = models.CharField(
        _("contract number"),
        max_length=60,
        unique=True,
        blank=True,
        help_text=_("Leave empty to allocate the next number automatically."),
        error_messages={"unique": _("A contract with this number already exists.")},
    )
    title = models.CharField(_("title"), max_length=200)
    contract_type = models.CharField(
        _("contract type"), max_length=12, choices=ContractType.choices
    )
    counterparty = models.CharField(_("counterparty"), max_length=200)
    department = models.ForeignKey(
        "records.Department",
        verbose_name=_("signing department"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    owner = models.ForeignKey(
        "records.Employee",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="contracts_owned",
        help_text=_("Receives the expiry reminders."),
    )
    amount = models.DecimalField(
        _("amount"),
        **AMOUNT,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"), _("The amount cannot be negative."))],
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY
    )
    signed_on = models.DateField(
        _("signing date"),
        null=True,
        blank=True,
        help_text=_("Empty while the contract is a draft."),
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Empty for an open-ended contract.")
    )
    late_signing_note = models.CharField(
        _("reason for signing after the start"),
        max_length=300,
        blank=True,
        help_text=_("Required when the signing date is after the start date."),
    )
    renewal_terms = models.TextField(_("renewal terms"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ContractStatus.choices,
        default=ContractStatus.DRAFT,
        editable=False,
    )
    terminated_on = models.DateField(_("termination date"), null=True, blank=True)
    termination_reason = models.CharField(_("termination reason"), max_length=300, blank=True)
    classification = models.PositiveSmallIntegerField(
        _("confidentiality level"),
        choices=level_choices,
        default=DEFAULT_CLASSIFICATION,
        help_text=_("Labour contracts and confidentiality agreements default to level 2."),
    )
    need_to_know = ParentalManyToManyField(
        "records.Department",
        verbose_name=_("need-to-know departments"),
        blank=True,
        related_name="+",
        help_text=_("If any are chosen, only their staff (and auditors) may see the contract."),
    )
    change_reason = models.CharField(
        _("reason for change"),
        max_length=300,
        help_text=_("Why this change is made; kept with the version in the history."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="contract")

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-signed_on", "-pk"]
        indexes = [models.Index(fields=["status", "ends_on"], name="contract_status_ends")]

    def __str__(self):
        return f"{self.title}（{self.contract_number}）" if self.contract_number else self.title

    @property
    def revisions(self):
        return self._revisions

    @property
    def document_number(self) -> str:
        """The audit trail labels objects by title and document_number."""
        return self.contract_number

    @property
    def classification_name(self) -> str:
        return level_name(self.classification)

    def need_to_know_department_ids(self) -> set[int]:
        if self.pk is None:
            return set()
        return set(self.need_to_know.values_list("pk", flat=True))

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date is before the start date.")
        if self.signed_on and self.signed_on > today:
            errors["signed_on"] = _("The signing date is in the future.")
        if (
            self.signed_on
            and self.starts_on
            and self.signed_on > self.starts_on
            and not self.late_signing_note.strip()
        ):
            errors["late_signing_note"] = _(
                "The contract was signed after its start date: give the reason."
            )
        if self.terminated_on:
            if not self.signed_on:
                errors["terminated_on"] = _("A draft contract cannot be terminated.")
            elif self.terminated_on < self.signed_on:
                errors["terminated_on"] = _("The termination date is before the signing date.")
            if not self.termination_reason.strip():
                errors["termination_reason"] = _("Give the reason for the termination.")
        elif self.termination_reason.strip():
            errors["terminated_on"] = _("Give the termination date.")
        if errors:
            raise ValidationError(errors)

    def amendment_list(self) -> list["ContractAmendment"]:
        if self.pk is None:
            return []
        return sorted(self.amendments.all(), key=lambda a: a.number)

    def delete(self, *args, **kwargs):
        from records.legal_holds import assert_not_on_hold

        assert_not_on_hold(self)  # 法律保全: never deleted while held
        return super().delete(*args, **kwargs)

    def terms_on(self, day: datetime.date) -> Terms:
        """The amount and end date in force on ``day`` (amendments effective by then)."""
        amount, ends_on, version = self.amount, self.ends_on, 0
        for amendment in self.amendment_list():
            if amendment.effective_on <= day:
                amount += amendment.amount_change
                ends_on = amendment.new_ends_on or ends_on
                version = amendment.number
        return Terms(amount=amount, ends_on=ends_on, version=version)

    def latest_ends_on(self) -> datetime.date | None:
        """The end date once every amendment has taken effect (the contract period's end)."""
        ends_on = self.ends_on
        for amendment in self.amendment_list():
            ends_on = amendment.new_ends_on or ends_on
        return ends_on

    def derived_status(self, today: datetime.date | None = None) -> str:
        """草拟 until signed; 生效 before the start; 履行中 until the end in force; 到期 after;
        终止 from the termination date."""
        today = today or timezone.localdate()
        if self.terminated_on and self.terminated_on <= today:
            return ContractStatus.TERMINATED
        if not self.signed_on:
            return ContractStatus.DRAFT
        if today < self.starts_on:
            return ContractStatus.EFFECTIVE
        ends_on = self.terms_on(today).ends_on
        if ends_on and today > ends_on:
            return ContractStatus.EXPIRED
        return ContractStatus.PERFORMING

    def versions(self) -> list[dict]:
        """原合同, 补充协议一, …: each with its effective date and the terms it set."""
        rows = [
            {
                "label": str(_("Original contract")),
                "number": 0,
                "title": self.title,
                "signed_on": self.signed_on,
                "effective_on": self.starts_on,
                "amount": self.amount,
                "ends_on": self.ends_on,
                "summary": "",
            }
        ]
        for amendment in self.amendment_list():
            terms = self.terms_on(amendment.effective_on)
            rows.append(
                {
                    "label": amendment.label,
                    "number": amendment.number,
                    "title": amendment.title,
                    "signed_on": amendment.signed_on,
                    "effective_on": amendment.effective_on,
                    "amount": terms.amount,
                    "ends_on": terms.ends_on,
                    "summary": amendment.summary,
                }
            )
        return rows

    def search_text(self) -> str:
        """Plain text for the search index: number, title, counterparty, type, amendments."""
        parts = [
            self.contract_number,
            self.title,
            self.counterparty,
            str(self.get_contract_type_display()),
        ]
        for amendment in self.amendment_list():
            parts += [amendment.title, amendment.summary]
        return "\n".join(part for part in parts if part)


class ContractRegulation(Orderable):
    """A regulation (a policies_content page) the contract relates to. Stored as a page id
    so records does not depend on policies_content; chosen with the page chooser."""

    contract = ParentalKey(Contract, on_delete=models.CASCADE, related_name="related_regulations")
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("regulation"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta(Orderable.Meta):
        verbose_name = _("related regulation")
        verbose_name_plural = _("related regulations")


class ContractAmendment(models.Model):
    """补充协议: a later agreement changing the contract from its own effective date.

    It records only what changed (an amount change, a new end date); the contract's terms on
    any day are the original terms plus the amendments effective by then. Numbered 1, 2, …
    within its contract, in the order of their effective dates.
    """

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("signing date"))
    effective_on = models.DateField(_("effective date"))
    summary = models.TextField(_("summary of changes"))
    amount_change = models.DecimalField(
        _("amount change"),
        **AMOUNT,
        default=Decimal("0"),
        help_text=_("Added to the contract amount; negative for a reduction."),
    )
    new_ends_on = models.DateField(_("new end date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="amendment_unique_number")
        ]

    def __str__(self):
        return f"{self.label}：{self.title}"

    @property
    def label(self) -> str:
        """补充协议一 in Chinese, "Amendment 1" in English."""
        number = (
            chinese_number(self.number)
            if (translation.get_language() or "").startswith("zh")
            else str(self.number)
        )
        return str(_("Amendment %(number)s") % {"number": number})


def attachment_path(instance, filename: str) -> str:
    return f"contracts/{instance.contract_id}/{filename}"


class ContractAttachment(models.Model):
    """A scanned page or file of the contract (PDF, JPG, PNG, DOCX). Stored outside
    MEDIA_ROOT (records.storage) and only served by a view that asks the access policy."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=attachment_path, max_length=300
    )
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract attachment")
        verbose_name_plural = _("contract attachments")
        ordering = ["contract", "pk"]

    def __str__(self):
        return self.title


class ContractNumberCounter(models.Model):
    """The last sequence number used per key (year, or year and type code, as the number
    format asks). Locked while a number is allocated so two creations never share one."""

    key = models.CharField(max_length=40, unique=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("contract number counter")
        verbose_name_plural = _("contract number counters")

    def __str__(self):
        return f"{self.key}: {self.last}"
