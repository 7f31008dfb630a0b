"""公文设置: what the company's publication notices print besides their content — the seal
image over the 发文机关署名 and the 抄送 line of the 版记.

A seal image makes a printed notice look signed, so it is evidence-grade material: it is kept
in private storage (never served by URL), only read into the PDF as a data: image, and only
those who may change these settings (系统管理员, 制度管理员) may replace it. Every change is
in Wagtail's audit log.
"""

import io

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from records.storage import private_storage

SEAL_MAX_BYTES = 2 * 1024 * 1024
SEAL_MIN_PIXELS = 200  # a 42 mm seal at ~120 dpi; smaller prints blurred
SEAL_MAX_PIXELS = 4000


def validate_seal(upload) -> None:
    """A PNG (transparent background, so the signature shows through), of a sensible size."""
    if upload.size > SEAL_MAX_BYTES:
        raise ValidationError(_("The seal image must be at most 2 MB."))
    head = upload.read(8)
    upload.seek(0)
    if head != b"\x89PNG\r\n\x1a\n":
        raise ValidationError(_("The seal image must be a PNG file with a transparent background."))
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(upload.read())) as image:
            image.verify()
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(_("The seal image could not be read as a PNG file.")) from error
    finally:
        upload.seek(0)
    if min(width, height) < SEAL_MIN_PIXELS or max(width, height) > SEAL_MAX_PIXELS:
        raise ValidationError(
            _("The seal image must be between %(low)s and %(high)s pixels on each side.")
            % {"low": SEAL_MIN_PIXELS, "high": SEAL_MAX_PIXELS}
        )


@register_setting(icon="doc-full")
class NoticeSettings(BaseGenericSetting):
    """The company's settings for generated notices (印发通知, 修订通知)."""

    seal = models.FileField(
        _("seal image"),
        upload_to="seal/",
        storage=private_storage,
        blank=True,
        validators=[validate_seal],
        help_text=_(
            "PNG with a transparent background, printed over the issuer's name on publication "
            "and revision notices. Left empty, the notices show an outline where the seal is "
            "stamped by hand."
        ),
    )
    copies_to = models.CharField(
        _("copies to (抄送)"),
        max_length=300,
        blank=True,
        help_text=_("Printed in the colophon of publication notices, e.g. 董事会、监事会."),
    )

    panels = [FieldPanel("seal"), FieldPanel("copies_to")]

    class Meta:
        verbose_name = _("notice settings")
        verbose_name_plural = _("notice settings")

    def seal_png(self) -> bytes | None:
        """The seal image's bytes, or None when none is set or its file is gone."""
        if not self.seal:
            return None
        try:
            with self.seal.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            return None
