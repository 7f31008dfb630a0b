"""Front-end views for documents: Word download for readers who may see the document."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from wagtail.models import Page

from records.permissions import can_view

from .models import JobDescriptionPage, RegulationPage
from .word import DOCX_TYPE, page_to_docx


def docx_response(page, *, latest: bool) -> HttpResponse:
    """``latest`` (editors): the newest draft; otherwise what is published."""
    content = page.get_latest_revision_as_object() if latest else page
    response = HttpResponse(page_to_docx(content), content_type=DOCX_TYPE)
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
    return docx_response(page, latest=False)
