"""文件编号 schemes and the register of every number ever allocated."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

EXAMPLE_FIELDS = {"prefix": "HM-RS", "year": 2025, "seq": 7}


class DocumentNumberScheme(models.Model):
    """How numbers are formed, e.g. ``{prefix}-{year}-{seq:03}`` or ``发字〔{year}〕{seq:02}号``.

    ``seq`` counts per scheme and year. Each category may name its scheme; the default scheme
    serves the rest.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    pattern = models.CharField(
        _("pattern"),
        max_length=100,
        default="{prefix}-{year}-{seq:03}",
        help_text=_("Fields: {prefix}, {year}, {seq} (e.g. {seq:03} for 001)."),
    )
    prefix = models.CharField(_("prefix"), max_length=30, blank=True)
    is_default = models.BooleanField(_("default scheme"), default=False)

    class Meta:
        verbose_name = _("document number scheme")
        verbose_name_plural = _("document number schemes")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.example})"

    @property
    def example(self) -> str:
        try:
            return self.format(year=2025, seq=7)
        except (KeyError, ValueError, IndexError):
            return "?"

    def format(self, *, year: int, seq: int) -> str:
        return self.pattern.format(prefix=self.prefix, year=year, seq=seq)

    def clean(self):
        if "{seq" not in self.pattern:
            raise ValidationError({"pattern": _("The pattern must contain {seq}.")})
        try:
            self.format(year=2025, seq=7)
        except (KeyError, ValueError, IndexError) as exc:
            raise ValidationError(
                {"pattern": _("The pattern is not valid: %(error)s") % {"error": exc}}
            ) from exc


class DocumentNumber(models.Model):
    """Every 文件编号 ever used, kept after its document is deleted so it is never reused."""

    number = models.CharField(_("document number"), max_length=60, unique=True)
    scheme = models.ForeignKey(
        DocumentNumberScheme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="numbers",
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Allocated and not yet saved with its document. A number with no page that is not
    # reserved belonged to a deleted document: it stays taken.
    reserved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("allocated document number")
        verbose_name_plural = _("allocated document numbers")
        indexes = [models.Index(fields=["scheme", "year", "sequence"])]

    def __str__(self):
        return self.number
