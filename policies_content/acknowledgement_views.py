"""Staff side of 签收: read the version asked, pass the check if any, sign, keep the receipt.

Views are thin: the access policy and the services decide. An assignment that is not the
user's, or whose version they may not see, answers 404 like one that does not exist.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, InterfaceError, connection
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from records.permissions import can_view
from records.verification import pdf_response

from .acknowledgement_selectors import my_acknowledgement_history, team_acknowledgements
from .acknowledging import (
    acknowledgement_sign,
    assignment_open,
    changes_since_signed,
    quiz_attempt_record,
    quiz_passed,
    quiz_questions,
    signature_statement,
)
from .confidentiality import confidential_view_record, handling_context
from .models import Acknowledgement, Assignment, AssignmentState
from .receipt_pdf import receipt_pdf
from .version_html import version_text_html

SIGN_TEMPLATE = "policies_content/acknowledgement_sign.html"
SIGN_UNAVAILABLE_TEMPLATE = "policies_content/acknowledgement_sign_unavailable.html"

logger = logging.getLogger(__name__)


def _assignment(request, assignment_id: int) -> Assignment:
    employee = getattr(request.user, "employee", None)
    if employee is None:
        raise Http404
    assignment = get_object_or_404(
        Assignment.objects.select_related("version", "employee"),
        pk=assignment_id,
        employee=employee,
    )
    if not can_view(request.user, assignment.version):
        raise Http404
    return assignment


def _reading_context(request, assignment: Assignment, **extra) -> dict:
    version = assignment.version
    questions = quiz_questions(assignment)
    return {
        "assignment": assignment,
        "version": version,
        "version_text": version_text_html(version),
        "changes": changes_since_signed(assignment),
        "statement": signature_statement(version),
        "questions": [(q, list(enumerate(q.choice_list(), start=1))) for q in questions],
        "quiz_passed": quiz_passed(assignment),
        "last_attempt": assignment.quiz_attempts.first() if questions else None,
        "acknowledgement": Acknowledgement.objects.filter(assignment=assignment).first(),
        "covered_by": assignment.covered_by,
        **handling_context(request=request, level=version.classification),
        **extra,
    }


@login_required
def acknowledgement_sign_view(request, assignment_id: int):
    """GET: the version's full text (opening it makes signing possible). POST: sign.

    If the database fails while signing (connection lost, locked too long), the signing
    transaction has rolled back: nothing was signed. The page says so and keeps the ticked
    statement (never the password), so signing again is one click and one password away.
    """
    assignment = _assignment(request, assignment_id)
    if request.method == "POST":
        confirmed = request.POST.get("confirm") == "yes"
        try:
            acknowledgement = acknowledgement_sign(
                assignment=assignment,
                user=request.user,
                password=request.POST.get("password", ""),
                confirmed=confirmed,
                request=request,
            )
        except ValidationError as error:
            context = _reading_context(
                request, assignment, sign_error=" ".join(error.messages), confirmed=confirmed
            )
            return render(request, SIGN_TEMPLATE, context, status=400)
        except PermissionDenied as exc:
            raise Http404 from exc
        except (DatabaseError, InterfaceError):  # InterfaceError: the connection itself
            logger.exception("signing assignment %s failed in the database", assignment.pk)
            return _sign_unavailable(request, assignment, confirmed=confirmed)
        if acknowledgement.already_signed:
            messages.info(request, _("You had already signed this version. Your receipt is below."))
        else:
            messages.success(request, _("Signed. Your receipt is below."))
        return redirect("acknowledgement_receipt", assignment_id=assignment.pk)
    if assignment.state == AssignmentState.OPEN:
        assignment_open(assignment=assignment, user=request.user)
    confidential_view_record(
        request=request,
        obj=assignment.version,
        version=assignment.version.version,
        level=assignment.version.classification,
    )
    return render(request, SIGN_TEMPLATE, _reading_context(request, assignment))


def _sign_unavailable(request, assignment: Assignment, *, confirmed: bool) -> HttpResponse:
    """503 with the reason: the sign page again if the database answers now, else a page
    that needs no database at all."""
    message = _(
        "The database could not be reached, so the document was not signed and nothing was "
        "saved. Please sign again in a moment."
    )
    if not connection.in_atomic_block:
        connection.close_if_unusable_or_obsolete()  # the next query reconnects
    try:
        assignment.refresh_from_db()
        context = _reading_context(request, assignment, sign_error=message, confirmed=confirmed)
        return render(request, SIGN_TEMPLATE, context, status=503)
    except (DatabaseError, InterfaceError):
        logger.exception("the sign page could not be shown again")
        body = render_to_string(
            SIGN_UNAVAILABLE_TEMPLATE, {"message": message, "assignment_id": assignment.pk}
        )
        return HttpResponse(body, status=503)


@login_required
@require_POST
def acknowledgement_quiz(request, assignment_id: int):
    """Score the comprehension check; passing makes the sign form appear."""
    assignment = _assignment(request, assignment_id)
    answers = {}
    for question in quiz_questions(assignment):
        try:
            answers[str(question.pk)] = int(request.POST.get(f"q{question.pk}", ""))
        except ValueError:
            continue
    attempt = quiz_attempt_record(assignment=assignment, user=request.user, answers=answers)
    if attempt.passed:
        messages.success(
            request, _("Passed (%(score)s%%). You can sign now.") % {"score": attempt.score}
        )
    else:
        messages.error(
            request,
            _("Not passed (%(score)s%%, %(mark)s%% needed). Read the document again and retry.")
            % {"score": attempt.score, "mark": assignment.page.specific.quiz_pass_mark},
        )
    return redirect("acknowledgement_sign", assignment_id=assignment.pk)


def _receipt_of(request, assignment_id: int):
    assignment = _assignment(request, assignment_id)
    acknowledgement = Acknowledgement.objects.filter(assignment=assignment).first()
    if acknowledgement is None and assignment.covered_by is None:
        raise Http404
    return assignment, acknowledgement


@login_required
def acknowledgement_receipt_pdf(request, assignment_id: int):
    """签收回执 as a PDF with its verification code (records.verification)."""
    assignment, acknowledgement = _receipt_of(request, assignment_id)
    issued = receipt_pdf(
        assignment=assignment,
        acknowledgement=acknowledgement or assignment.covered_by,
        user=request.user,
    )
    version, number = assignment.version, assignment.employee.employee_number
    name = f"签收回执-{version.document_number}-{version.version}-{number}.pdf"
    return pdf_response(issued, name)


@login_required
def acknowledgement_receipt(request, assignment_id: int):
    """签收回执 as a page: the signature manifestation, with the PDF a click away."""
    assignment, acknowledgement = _receipt_of(request, assignment_id)
    from records.audit import audit_chain_head

    return render(
        request,
        "policies_content/acknowledgement_receipt.html",
        {
            "assignment": assignment,
            "version": assignment.version,
            "acknowledgement": acknowledgement or assignment.covered_by,
            "covered": acknowledgement is None,
            "chain_head": audit_chain_head(),
        },
    )


@login_required
def my_team(request):
    """我的团队: a manager sees which of their reports still have to sign what, overdue first
    (the documents the manager may see only)."""
    employee = getattr(request.user, "employee", None)
    if employee is None or not employee.reports.exists():
        raise Http404
    return render(
        request,
        "policies_content/my_team.html",
        {"team": team_acknowledgements(user=request.user)},
    )


@login_required
def my_acknowledgements(request):
    """Everything I was asked to sign and what became of it."""
    return render(
        request,
        "policies_content/my_acknowledgements.html",
        {"assignments": my_acknowledgement_history(user=request.user)},
    )


@login_required
def proxy_scan(request, acknowledgement_id: int):
    """The scan of a paper signature, for HR who track acknowledgements and for the employee
    it belongs to; the file is outside MEDIA_ROOT (records/storage.py), so this is the only
    way to it. Every download is an audit entry."""
    from records.audit import audit_record
    from records.models import AuditAction

    ack = get_object_or_404(
        Acknowledgement.objects.select_related("version", "employee"), pk=acknowledgement_id
    )
    own = getattr(request.user, "employee", None) == ack.employee
    tracker = request.user.has_perm("policies_content.track_acknowledgements")
    if not ack.proxy_scan or not (own or tracker) or not can_view(request.user, ack.version):
        raise Http404
    audit_record(
        action=AuditAction.EXPORT,
        object_type="policies_content.acknowledgement",
        object_id=str(ack.pk),
        object_label=f"{ack.printed_name} {ack.employee_number} · {ack.version.title}",
        version=ack.version_label,
        details={"format": "proxy_scan"},
        request=request,
    )
    name = ack.proxy_scan.name.rsplit("/", 1)[-1]
    return FileResponse(ack.proxy_scan.open("rb"), as_attachment=True, filename=name)
