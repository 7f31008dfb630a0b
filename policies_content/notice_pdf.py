"""印发通知 (publication notice) of an issued version, laid out per GB/T 9704-2012, with the
regulation itself as its 附件, and the verification code of records.verification.

The notice is an official document of the company: it is always written in Chinese, whatever
language the person generating it reads the screens in. Layout and fonts are in
templates/notices/gbt9704.html; records.pdf renders it and fetches nothing else.
"""

import base64

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from records.confidentiality import is_confidential, level_name
from records.models import GeneratedDocument, NoticeSettings
from records.selectors import company_department
from records.verification import IssuedPdf, chinese_date, pdf_context, pdf_issue

from .comparison import compare_documents
from .confidentiality import watermark_for
from .models import IssuedVersion
from .stream import display_items, parsed_from_dict


def _company() -> str:
    root = company_department()
    return root.name if root else ""


def _addressees(page) -> str:
    """主送: every department for a rule all staff sign, else the departments it is sent to."""
    if getattr(page, "distribution_all_staff", False):
        return _("all departments of the company")
    names = [d.name for d in page.distribution.all()] if hasattr(page, "distribution") else []
    return "、".join(names) or _("all departments of the company")


def previous_version(version: IssuedVersion) -> IssuedVersion | None:
    """The version issued before this one, if any."""
    earlier = Q(major__lt=version.major) | Q(major=version.major, minor__lt=version.minor)
    return (
        IssuedVersion.objects.filter(earlier, page_id=version.page_id)
        .order_by("-major", "-minor")
        .first()
    )


CHANGE_LINES = 40  # at most this many changes are listed; the rest are counted
EXCERPT = 60  # characters of a changed text quoted in the list


def _excerpt(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "……"


def revision_changes(version: IssuedVersion, previous: IssuedVersion) -> list[str]:
    """修订通知's list: what was added, deleted, changed or moved, clause by clause
    (policies_content.comparison), in the words of the new version."""
    comparison = compare_documents(
        parsed_from_dict(previous.content), parsed_from_dict(version.content)
    )
    lines = []
    for change in comparison.changes:
        if change.kind == "added":
            line = _("%(label)s added: %(text)s") % {
                "label": change.new_label,
                "text": _excerpt(change.new_text),
            }
        elif change.kind == "removed":
            line = _("%(label)s of the previous version deleted: %(text)s") % {
                "label": change.old_label,
                "text": _excerpt(change.old_text),
            }
        elif change.kind == "changed":
            line = _("%(label)s amended to read: %(text)s") % {
                "label": change.new_label,
                "text": _excerpt(change.new_text),
            }
        elif change.kind == "moved":
            line = _("%(old)s of the previous version becomes %(new)s.") % {
                "old": change.old_label,
                "new": change.new_label,
            }
        else:
            continue
        lines.append(line)
    if len(lines) > CHANGE_LINES:
        rest = len(lines) - CHANGE_LINES
        lines = lines[:CHANGE_LINES] + [
            _("… and %(count)s more changes (see the comparison in Zhidu).") % {"count": rest}
        ]
    return lines


def notice_context(
    *, version: IssuedVersion, record: GeneratedDocument, user, revision: bool = False
) -> dict:
    page = version.page.specific
    company = _company()
    previous = previous_version(version)
    body = [
        _(
            "《%(title)s》 is hereby issued to you and takes effect on %(date)s. "
            "Please comply with it."
        )
        % {"title": version.title, "date": chinese_date(version.effective_date)}
    ]
    if previous is not None:
        body.append(
            _("《%(title)s》 (%(version)s) ceases to apply at the same time.")
            % {"title": previous.title, "version": previous.version}
        )
    classified = ""
    if is_confidential(version.classification):
        until = getattr(page, "classified_until", None)
        classified = level_name(version.classification) + (
            f"★{chinese_date(until)}" if until else ""
        )
    mark = _("%(issuer)s document") % {"issuer": company}
    owner = getattr(page, "owner_department", None)
    notice_settings = NoticeSettings.load()
    seal = notice_settings.seal_png()
    return {
        **pdf_context(record, user),
        "version": version,
        "copy_number": f"{record.pk:06d}",  # 份号
        "classified": classified,
        "issuer": company,
        "issuer_mark": mark,
        # 发文机关标志 on one line: as large as 36 pt, smaller for a long name (150 mm wide)
        "issuer_mark_size": round(min(36.0, 150 / 25.4 * 72 / max(len(mark), 1)), 1),
        "issuance_number": page.issuance_number or version.document_number,
        "notice_title": notice_title(version, revision=revision),
        "changes_intro": _("The main changes are:") if revision else "",
        "changes": revision_changes(version, previous) if revision and previous else [],
        "addressees": _addressees(page),
        "body": body,
        "written_on": chinese_date(timezone.localtime(version.issued_at).date()),
        "items": display_items(parsed_from_dict(version.content).blocks),
        "printed_by": (owner.name if owner else company),
        "printed_on": chinese_date(timezone.localdate()),
        "copies_to": notice_settings.copies_to,
        "urgency": page.get_urgency_display() if page.urgency else "",
        "watermark": watermark_for(user=user, level=version.classification),
        "seal": f"data:image/png;base64,{base64.b64encode(seal).decode('ascii')}" if seal else None,
    }


def notice_title(version: IssuedVersion, *, revision: bool) -> str:
    if revision:
        return _("Notice on issuing the revised 《%(title)s》") % {"title": version.title}
    return _("Notice on issuing 《%(title)s》") % {"title": version.title}


def publication_notice_pdf(*, version: IssuedVersion, user, revision: bool = False) -> IssuedPdf:
    """The 印发通知 of ``version`` — or, with ``revision``, its 修订通知 listing the changes
    from the version before — generated by ``user`` (recorded with its digest)."""
    with translation.override("zh-hans"):

        def html_for(record: GeneratedDocument) -> str:
            context = notice_context(version=version, record=record, user=user, revision=revision)
            return render_to_string("notices/gbt9704.html", context)

        kind = GeneratedDocument.Kind
        return pdf_issue(
            kind=kind.REVISION_NOTICE if revision else kind.PUBLICATION_NOTICE,
            title=notice_title(version, revision=revision),
            html_for=html_for,
            user=user,
            number=version.document_number,
            version=version.version,
            document_date=version.effective_date,
            classification=version.classification,
        )


def regulation_pdf(*, version: IssuedVersion, user) -> IssuedPdf:
    """Any issued version as a printable PDF: its 密级 in the page header and, from 秘密 up,
    the reader's name, 工号 and the time across every page (as on screen and in Word)."""
    with translation.override("zh-hans"):

        def html_for(record: GeneratedDocument) -> str:
            confidential = is_confidential(version.classification)
            return render_to_string(
                "notices/regulation.html",
                {
                    **pdf_context(record, user),
                    "version": version,
                    "effective": chinese_date(version.effective_date),
                    "mark": level_name(version.classification) if confidential else "",
                    "watermark": watermark_for(user=user, level=version.classification),
                    "items": display_items(parsed_from_dict(version.content).blocks),
                },
            )

        return pdf_issue(
            kind=GeneratedDocument.Kind.REGULATION,
            title=f"{version.title} {version.version}",
            html_for=html_for,
            user=user,
            number=version.document_number,
            version=version.version,
            document_date=version.effective_date,
            classification=version.classification,
        )
