"""Issued versions on the front end: history, a version's frozen text, comparison, and the
library as in force on any date. Everything goes through the access policy."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from records.permissions import can_view

from .comparison import compare_documents
from .confidentiality import confidential_view_record, handling_context
from .issuing import page_for_number
from .models import IssuedVersion
from .selectors import library_in_force, version_in_force, versions_for_user
from .stream import page_to_parsed, parsed_from_dict
from .version_html import version_text_html


def _day(request) -> datetime.date:
    return parse_date(request.GET.get("date") or "") or timezone.localdate()


def _document(request, number: str):
    page = page_for_number(number)
    if page is None or not can_view(request.user, page):
        raise Http404
    return page


def _version(request, page, version: str) -> IssuedVersion:
    try:
        major, minor = (int(part) for part in version.split("."))
    except ValueError as exc:
        raise Http404 from exc
    found = IssuedVersion.objects.filter(page_id=page.pk, major=major, minor=minor).first()
    if found is None or not can_view(request.user, found):
        raise Http404
    return found


@login_required
def document_history(request, number: str):
    """A document's versions; with ?date=, which one was in force that day."""
    page = _document(request, number)
    day = _day(request)
    return render(
        request,
        "policies_content/document_history.html",
        {
            "page": page,
            "versions": versions_for_user(user=request.user, page=page),
            "day": day,
            "in_force": version_in_force(user=request.user, page=page, day=day),
            "repeal": getattr(page, "repeal", None) if hasattr(page, "repeal") else None,
        },
    )


@login_required
def version_detail(request, number: str, version: str):
    """One issued version exactly as issued: read-only, with its approvals and hash."""
    page = _document(request, number)
    issued = _version(request, page, version)
    confidential_view_record(
        request=request, obj=page, version=issued.version, level=issued.classification
    )
    return render(
        request,
        "policies_content/version_detail.html",
        {
            "page": page,
            "version": issued,
            "version_text": version_text_html(issued, contents=False),
            "revised": issued.major > 1 or issued.minor > 0,
            **handling_context(request=request, level=issued.classification),
        },
    )


@login_required
def version_docx(request, number: str, version: str):
    """Any issued version as Word, for those who may read it."""
    from .views import version_docx_response

    page = _document(request, number)
    return version_docx_response(_version(request, page, version), request=request)


def _pdf_response(request, number: str, version: str, *, kind: str):
    """A PDF of an issued version (the 印发通知 or the printable text) for those who may read
    it, under its level's rule for ``download`` (the notice) or ``print`` (the text);
    recorded as an export with its verification code."""
    from records.audit import audit_record
    from records.models import AuditAction
    from records.verification import pdf_response

    from .confidentiality import handling_refused
    from .notice_pdf import previous_version, publication_notice_pdf, regulation_pdf

    page = _document(request, number)
    issued = _version(request, page, version)
    action = "print" if kind == "regulation" else "download"
    refused = handling_refused(request, level=issued.classification, action=action)
    if refused:
        return refused
    if kind == "regulation":
        made = regulation_pdf(version=issued, user=request.user)
    elif kind == "revision_notice":
        if previous_version(issued) is None:
            raise Http404  # a first version has nothing to list
        made = publication_notice_pdf(version=issued, user=request.user, revision=True)
    else:
        made = publication_notice_pdf(version=issued, user=request.user)
    audit_record(
        action=AuditAction.EXPORT,
        object_type="policies_content.issuedversion",
        object_id=str(issued.pk),
        object_label=f"{issued.title}（{issued.document_number}）",
        version=issued.version,
        details={"format": "pdf", "kind": kind, "code": made.record.code},
        request=request,
    )
    if kind == "publication_notice":
        filename = f"关于印发《{issued.title}》的通知 {issued.version}.pdf"
    elif kind == "revision_notice":
        filename = f"关于印发修订后的《{issued.title}》的通知 {issued.version}.pdf"
    else:
        filename = f"{issued.document_number} {issued.title} {issued.version}.pdf"
    return pdf_response(made, filename)


@login_required
def version_notice_pdf(request, number: str, version: str):
    """印发通知 of an issued version (GB/T 9704), with the regulation as its 附件."""
    return _pdf_response(request, number, version, kind="publication_notice")


@login_required
def version_revision_notice_pdf(request, number: str, version: str):
    """修订通知 of an issued version: the notice with the clause-level changes listed."""
    return _pdf_response(request, number, version, kind="revision_notice")


@login_required
def version_pdf(request, number: str, version: str):
    """Any issued version as a printable PDF (密级 mark; watermark from 秘密 up)."""
    return _pdf_response(request, number, version, kind="regulation")


@login_required
def version_compare(request, number: str):
    """Compare two versions (?from=1.0&to=2.0), or a draft with the version in force
    (?to=draft, for those who may edit the document)."""
    page = _document(request, number)
    versions = list(versions_for_user(user=request.user, page=page))
    if not versions:
        raise Http404
    newest = versions[0]
    old = _version(
        request,
        page,
        request.GET.get("from")
        or (versions[1].url_version if len(versions) > 1 else newest.url_version),
    )
    target = request.GET.get("to") or newest.url_version
    if target == "draft":
        if not page.permissions_for_user(request.user).can_edit():
            raise Http404
        new_document = page_to_parsed(page.get_latest_revision_as_object())
        new_label = "draft"
    else:
        new = _version(request, page, target)
        new_document, new_label = parsed_from_dict(new.content), new.version
    comparison = compare_documents(parsed_from_dict(old.content), new_document)
    return render(
        request,
        "policies_content/version_compare.html",
        {
            "page": page,
            "old": old,
            "new_label": new_label,
            "comparison": comparison,
            "versions": versions,
        },
    )


@login_required
def library_as_of(request):
    """制度汇编: the whole library as in force on a date, for what the user may see."""
    day = _day(request)
    return render(
        request,
        "policies_content/library_as_of.html",
        {
            "day": day,
            "categories": library_in_force(user=request.user, day=day),
        },
    )
