"""Verification of generated PDFs: allocate a code before rendering, seal it with the SHA-256
of the finished file, and check a file (or a digest) against it at /verify/<code>.

``pdf_issue`` is what every notice, receipt and report calls: it allocates the code, lets the
caller render HTML that prints the code and its QR code (``verification_url``, ``qr_svg``),
renders it with records.pdf and stores the digest — in one transaction, so no code without a
file is ever left behind."""

import base64
import datetime
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from records.audit import actor_display_name
from records.models import GeneratedDocument
from records.pdf import font_css, render_pdf


def chinese_date(day: datetime.date) -> str:
    """A date as official documents write it (GB/T 9704-2012): 2026年3月5日."""
    return f"{day.year}年{day.month}月{day.day}日"


def pdf_context(record: GeneratedDocument, user) -> dict:
    """What every template under templates/notices/ prints besides its own content: fonts,
    the verification code, its QR code and address, who generated it and when."""
    url = verification_url(record.code)
    return {
        "font_css": font_css(),
        "record": record,
        "qr": qr_data_url(url),
        "verify_url": url,
        "generated_by": actor_display_name(user),
        "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }


def pdf_response(issued: "IssuedPdf", filename: str) -> HttpResponse:
    """An HTTP response downloading a generated PDF under ``filename``."""
    response = HttpResponse(issued.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def verification_url(code: str) -> str:
    """The absolute address printed on the PDF (ZHIDU_PUBLIC_URL + /verify/<code>/)."""
    base = getattr(settings, "ZHIDU_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("verify_document", args=[code])


def qr_data_url(text: str) -> str:
    """A QR code of ``text`` as an SVG data: URL (no file, nothing fetched)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@dataclass(frozen=True)
class IssuedPdf:
    record: GeneratedDocument
    pdf: bytes


@transaction.atomic
def pdf_issue(
    *,
    kind: str,
    title: str,
    html_for: Callable[[GeneratedDocument], str],
    user=None,
    number: str = "",
    version: str = "",
    document_date=None,
    classification: int = 0,
) -> IssuedPdf:
    """Render and record one PDF. ``html_for(record)`` returns the HTML, which prints
    ``record.code`` (and its QR code); the stored SHA-256 is of the bytes returned."""
    record = GeneratedDocument.objects.create(
        kind=kind,
        title=title[:300],
        number=number[:80],
        version=version[:20],
        document_date=document_date,
        classification=classification,
        generated_by=user if getattr(user, "is_authenticated", False) else None,
    )
    pdf = render_pdf(html_for(record))
    record.sha256 = hashlib.sha256(pdf).hexdigest()
    record.size = len(pdf)
    record.save(update_fields=["sha256", "size"])
    return IssuedPdf(record=record, pdf=pdf)


def normalise_code(text: str) -> str:
    """What a person typed from paper: case, spaces and look-alike letters forgiven."""
    table = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
    return "".join((text or "").upper().split()).replace("-", "").translate(table)


def pdf_matches(record: GeneratedDocument, data: bytes) -> bool:
    return bool(record.sha256) and hashlib.sha256(data).hexdigest() == record.sha256
