"""The records' PDFs: a contract expiry notice (合同到期通知) to its owner, and a destruction
list (销毁清单) as the record of what was destroyed, both with their verification code."""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from records.archive_selectors import archive_items_for_user
from records.models import Contract, DestructionList, GeneratedDocument
from records.selectors import company_department
from records.verification import IssuedPdf, chinese_date, pdf_context, pdf_issue


def _render(template: str, record: GeneratedDocument, user, **context) -> str:
    return render_to_string(template, {**pdf_context(record, user), **context})


def contract_expiry_notice_pdf(*, contract: Contract, user) -> IssuedPdf:
    """合同到期通知 of one contract: its end date in force (amendments included), days left,
    renewal terms and the obligations still open."""
    today = timezone.localdate()
    terms = contract.terms_on(datetime.date.max)
    ends_on = terms.ends_on
    open_obligations = contract.obligations.filter(completed_on__isnull=True).order_by("due_on")
    with translation.override("zh-hans"):
        return pdf_issue(
            kind=GeneratedDocument.Kind.CONTRACT_EXPIRY,
            title=_("Contract expiry notice: %(title)s") % {"title": contract.title},
            html_for=lambda record: _render(
                "notices/contract_expiry.html",
                record,
                user,
                contract=contract,
                amount=terms.amount,
                ends_on=chinese_date(ends_on) if ends_on else "—",
                days_left=(ends_on - today).days if ends_on and ends_on >= today else None,
                open=list(open_obligations),
            ),
            user=user,
            number=contract.contract_number,
            document_date=today,
            classification=contract.classification,
        )


def destruction_list_pdf(*, destruction: DestructionList, user) -> IssuedPdf:
    """销毁清单: the items on the list the user may see (the others counted, never named),
    with the appraisal behind each and the approval and execution."""
    visible = archive_items_for_user(user=user).filter(pk__in=destruction.items.values("pk"))
    rows = []
    for item in visible.order_by("archival_code"):
        appraisal = item.appraisals.filter(decision="destroy").order_by("-appraised_at").first()
        rows.append({"item": item, "appraisal": appraisal})
    hidden = destruction.items.count() - len(rows)
    level = max([row["item"].classification for row in rows], default=0)
    root = company_department()
    with translation.override("zh-hans"):
        return pdf_issue(
            kind=GeneratedDocument.Kind.DESTRUCTION_LIST,
            title=_("Destruction list %(number)s") % {"number": destruction.number},
            html_for=lambda record: _render(
                "notices/destruction_list.html",
                record,
                user,
                destruction=destruction,
                rows=rows,
                hidden=hidden,
                company=root.name if root else "",
            ),
            user=user,
            number=destruction.number,
            document_date=destruction.executed_on or timezone.localdate(),
            classification=level,
        )
