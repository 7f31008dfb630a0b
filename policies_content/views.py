"""Front-end views for documents: Word download for readers who may see the document."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from wagtail.models import Page

from records.audit import audit_record
from records.models import AuditAction
from records.permissions import can_view

from .confidentiality import handling_refused, watermark_text
from .models import IssuedVersion, JobDescriptionPage, RegulationPage
from .word import DOCX_TYPE, page_to_docx, version_to_docx


def docx_response(page, *, latest: bool, request) -> HttpResponse:
    """``latest`` (editors' export): the newest draft; otherwise what is published (a
    reader's download). Refused where the level forbids it; every Word file is recorded in
    the audit trail and, from 秘密 up, carries the reader's watermark."""
    content = page.get_latest_revision_as_object() if latest else page
    level = max(page.classification, content.classification)
    refused = handling_refused(request, level=level, action="export" if latest else "download")
    if refused:
        return refused
    audit_record(
        action=AuditAction.EXPORT,
        obj=page,
        version=getattr(page, "version", "") or "",
        details={"format": "docx", "draft": latest},
        request=request,
    )
    watermark = watermark_text(request=request, level=level)
    response = HttpResponse(page_to_docx(content, watermark=watermark), content_type=DOCX_TYPE)
    filename = f"{content.document_number or ''} {content.title}.docx".strip()
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def document_docx(request, page_id: int):
    """A published regulation or job description as Word, for anyone who may read it."""
    page = get_object_or_404(
        Page.objects.live().type(RegulationPage, JobDescriptionPage), pk=page_id
    ).specific
    if not can_view(request.user, page):
        raise Http404
    in_force = IssuedVersion.objects.filter(page_id=page.pk).in_force_on(timezone.localdate())
    version = in_force.first()
    if version is not None and can_view(request.user, version):
        return version_docx_response(version, request=request)
    return docx_response(page, latest=False, request=request)


def version_docx_response(version, *, request) -> HttpResponse:
    """An issued version as Word: the same rules as ``docx_response``, at the version's level."""
    refused = handling_refused(request, level=version.classification, action="download")
    if refused:
        return refused
    audit_record(
        action=AuditAction.EXPORT,
        object_type="policies_content.issuedversion",
        object_id=str(version.pk),
        object_label=f"{version.title}（{version.document_number}）",
        version=version.version,
        details={"format": "docx", "sha256": version.sha256},
        request=request,
    )
    watermark = watermark_text(request=request, level=version.classification)
    response = HttpResponse(version_to_docx(version, watermark=watermark), content_type=DOCX_TYPE)
    filename = f"{version.document_number} {version.title} {version.version}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
