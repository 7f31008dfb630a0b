"""签收: opening, the comprehension check, signing with the password, and 代签 by HR.

An electronic signature here means: the signed-in employee opened the exact version, confirmed
a statement naming it (本人已阅读并理解《…》(V2.0)，同意遵守) and re-entered their password.
The Acknowledgement stores the manifestation (printed name, 工号, time, meaning, version,
SHA-256 of the text). A wrong password is refused, logged, and counted with the failed sign-ins
(django-axes): five wrong passwords, at signing or at sign-in, lock both for the user at that
address until the lock runs out or an administrator lifts it. Every check happens before
anything is written; the write is one transaction (the acknowledgement, the assignment closed
and the audit entry, or none of them if the database fails half-way: DatabaseError reaches the
caller), and a second identical request (double click, two tabs, the same form sent many times
at once) finds the signature already there instead of making another: the assignment row is
locked for the write, so the requests queue on it and every one after the first reads the
signature the first one made (``already_signed`` on what they get back). The database's unique
constraint (one acknowledgement per employee and version) is the last guard.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from records.audit import audit_record, request_ip
from records.models import AuditAction

from .comparison import compare_documents
from .models import (
    Acknowledgement,
    AcknowledgementKind,
    Assignment,
    AssignmentState,
    QuizAttempt,
)
from .stream import parsed_from_dict

MEANING = "已阅读、理解并同意遵守"  # the meaning of the signature, shown on every receipt


def signature_statement(version) -> str:
    """本人已阅读并理解《标题》(V2.0)，同意遵守。 in the signer's language."""
    return _("I have read and understood “%(title)s” (%(version)s) and agree to comply.") % {
        "title": version.title,
        "version": version.version,
    }


def _own(assignment: Assignment, user) -> None:
    employee = getattr(user, "employee", None)
    if employee is None or assignment.employee_id != employee.pk:
        raise PermissionDenied


def assignment_open(*, assignment: Assignment, user) -> Assignment:
    """The employee opened the text: signing becomes possible (only the first time counts)."""
    _own(assignment, user)
    if assignment.opened_at is None:
        Assignment.objects.filter(pk=assignment.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
        assignment.refresh_from_db(fields=["opened_at"])
    return assignment


def quiz_questions(assignment: Assignment) -> list:
    page = assignment.page.specific
    return (
        list(getattr(page, "quiz_questions", None).all()) if hasattr(page, "quiz_questions") else []
    )


def quiz_passed(assignment: Assignment) -> bool:
    return not quiz_questions(assignment) or assignment.quiz_attempts.filter(passed=True).exists()


@transaction.atomic
def quiz_attempt_record(*, assignment: Assignment, user, answers: dict[str, int]) -> QuizAttempt:
    """Score one try at the comprehension check (kept whether passed or failed)."""
    _own(assignment, user)
    questions = quiz_questions(assignment)
    right = sum(1 for q in questions if answers.get(str(q.pk)) == q.answer)
    score = round(100 * right / len(questions)) if questions else 100
    return QuizAttempt.objects.create(
        assignment=assignment,
        score=score,
        passed=score >= assignment.page.specific.quiz_pass_mark,
        answers={str(k): v for k, v in answers.items()},
    )


def _refuse(message: str):
    raise ValidationError(message)


def acknowledgement_sign(
    *, assignment: Assignment, user, password: str, confirmed: bool, request=None
) -> Acknowledgement:
    """Sign an open assignment (see the module docstring). Raises ValidationError with the
    reason in the user's language; nothing is written unless the signature is made.

    Returns the acknowledgement. When it was already there — the same signature sent twice,
    or many times at once — it is that one, with ``already_signed`` True (False on the one
    that made it): the page then says "already signed" and shows the receipt."""
    _own(assignment, user)
    existing = Acknowledgement.objects.filter(assignment=assignment).first()
    if existing is not None:
        return _already(existing)  # the same signature sent twice
    if assignment.state != AssignmentState.OPEN:
        _refuse(_("This document does not need your signature any more."))
    if assignment.opened_at is None:
        _refuse(_("Open and read the document before signing it."))
    if not confirmed:
        _refuse(_("Tick the statement to confirm you have read the document."))
    if not quiz_passed(assignment):
        _refuse(_("Pass the comprehension check before signing."))
    credentials = {"username": user.get_username()}
    if request is not None and AxesProxyHandler.is_locked(request, credentials):
        _refuse(_password_lock_message())
    if not user.check_password(password or ""):
        audit_record(
            action=AuditAction.SIGNATURE_REFUSED,
            obj=assignment.version,
            object_type="policies_content.issuedversion",
            object_label=f"{assignment.version.title}（{assignment.version.document_number}）",
            version=assignment.version.version,
            details={"reason": "wrong password", "assignment": assignment.pk},
            request=request,
            actor=user,
        )
        if request is not None:
            user_login_failed.send(__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                _refuse(_password_lock_message())
        _refuse(_("The password is not correct. The document was not signed."))
    return _signature_write(
        assignment=assignment, kind=AcknowledgementKind.SELF, actor=user, request=request
    )


def _password_lock_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many wrong passwords: signing and sign-in are locked for %(minutes)d minutes. "
        "The document was not signed. Try again later or ask an administrator to unlock "
        "your account."
    ) % {"minutes": minutes}


def _already(acknowledgement: Acknowledgement) -> Acknowledgement:
    acknowledgement.already_signed = True
    return acknowledgement


def _signature_write(*, assignment, kind, actor, request=None, **extra) -> Acknowledgement:
    version, employee = assignment.version, assignment.employee
    attempt = assignment.quiz_attempts.filter(passed=True).first()
    try:
        with transaction.atomic():
            locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
            if locked.state != AssignmentState.OPEN:
                done = Acknowledgement.objects.filter(assignment=locked).first()
                if done is not None:
                    return _already(done)  # made meanwhile by the request we queued behind
                _refuse(_("This document does not need your signature any more."))
            ack = Acknowledgement.objects.create(
                assignment=locked,
                version=version,
                employee=employee,
                kind=kind,
                printed_name=employee.name,
                employee_number=employee.employee_number,
                statement=signature_statement(version),
                meaning=MEANING,
                version_label=version.version,
                text_sha256=version.sha256,
                ip=request_ip(request) if request is not None else None,
                quiz_score=attempt.score if attempt else None,
                **extra,
            )
            Assignment.objects.filter(pk=locked.pk).update(
                state=AssignmentState.SIGNED, closed_at=ack.signed_at
            )
            audit_record(
                action=AuditAction.ACKNOWLEDGE,
                actor=actor,
                object_type="policies_content.issuedversion",
                object_id=str(version.pk),
                object_label=f"{version.title}（{version.document_number}）",
                version=version.version,
                details={
                    "employee_number": employee.employee_number,
                    "kind": kind,
                    "sha256": version.sha256,
                    "acknowledgement": ack.pk,
                },
                request=request,
            )
            ack.already_signed = False
            return ack
    except IntegrityError:
        # The employee's signature on this version exists (another assignment, or the same
        # signature at once). Any other conflict is a database error for the caller (nothing
        # was written).
        made = Acknowledgement.objects.filter(employee=employee, version=version).first()
        if made is None:
            raise
        return _already(made)


def proxy_acknowledgement_record(
    *, assignment: Assignment, recorded_by, scan, reason: str, signed_on=None, request=None
) -> Acknowledgement:
    """代签: HR record a paper signature for an employee without a computer. Always marked as
    proxy, with who recorded it, why, and the scan."""
    if not (reason or "").strip():
        _refuse(_("Give the reason for recording a paper signature."))
    if not scan:
        _refuse(_("Attach the scan of the signed paper."))
    if assignment.state != AssignmentState.OPEN:
        _refuse(_("This document does not need a signature from this employee any more."))
    extra = {"recorded_by": recorded_by, "proxy_reason": reason.strip(), "proxy_scan": scan}
    if signed_on is not None:
        extra["signed_at"] = signed_on
    return _signature_write(
        assignment=assignment,
        kind=AcknowledgementKind.PROXY,
        actor=recorded_by,
        request=request,
        **extra,
    )


def changes_since_signed(assignment: Assignment):
    """For a re-sign: the clause comparison from the version this employee last signed of the
    same document to the one now asked; None when they never signed an earlier one."""
    last = (
        Acknowledgement.objects.filter(
            employee_id=assignment.employee_id, version__page_id=assignment.page_id
        )
        .exclude(version_id=assignment.version_id)
        .select_related("version")
        .order_by("-version__major", "-version__minor")
        .first()
    )
    if last is None:
        return None
    return last.version, compare_documents(
        parsed_from_dict(last.version.content), parsed_from_dict(assignment.version.content)
    )
