"""证据包: choose what belongs in an evidence bundle, generate its files, write its ZIP
(models.evidence).

What a bundle holds, for an employee or a document and a period (dates inclusive):

- 版本/: the printable PDF of each version concerned — in force at some time in the period, or
  issued in it (a document); asked of the employee in the period (an employee);
- 回执/: the 签收回执 of each signature given by the end of the period;
- 签收记录.csv: every request to sign in the period and what became of it;
- 审计记录.csv: the audit entries of the period about those versions (and, for an employee,
  about them or by them), each with its hashes;
- 说明.txt: the subject, the period, who generated it and when, the audit chain check;
- 清单.csv: every other file with its size and SHA-256.

Only what the requesting user may see goes in, and only versions whose level allows export;
withheld versions are counted in 说明.txt, never named. PDFs are generated one by one, each
written after its record commits, so a run that stops resumes with the files it has.
"""

import datetime
import hashlib
import io
import json
import logging
import zipfile
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from records.audit import actor_display_name, audit_record, audit_verify
from records.background import batch_continue, run_in_background
from records.confidentiality import handling_allowed
from records.models import AuditAction, AuditEntry
from records.permissions import audit_entries_visible_to, visible_to
from records.spreadsheet import csv_text
from records.storage import private_storage

from .models import Assignment, EvidenceBundle, IssuedVersion
from .notice_pdf import regulation_pdf
from .receipt_pdf import receipt_pdf

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Planned:
    """One PDF of the bundle: its path in the ZIP and what it is made from."""

    path: str
    version: IssuedVersion
    assignment: Assignment | None = None  # a receipt; None for the version's PDF


def _day_end(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _assignments(bundle: EvidenceBundle):
    rows = Assignment.objects.filter(assigned_at__lte=_day_end(bundle.date_to)).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=_day_start(bundle.date_from))
    )
    if bundle.employee_id:
        rows = rows.filter(employee_id=bundle.employee_id)
    return rows.select_related(
        "version", "employee", "department", "acknowledgement", "covered_by"
    ).order_by("version__document_number", "version__major", "version__minor", "pk")


def _candidate_versions(bundle: EvidenceBundle):
    if bundle.employee_id:
        ids = _assignments(bundle).values("version_id")
        return IssuedVersion.objects.filter(pk__in=ids)
    in_force = Q(effective_date__lte=bundle.date_to) & (
        Q(superseded_on__isnull=True) | Q(superseded_on__gt=bundle.date_from)
    )
    issued = Q(issued_at__gte=_day_start(bundle.date_from), issued_at__lte=_day_end(bundle.date_to))
    return IssuedVersion.objects.filter(page_id=bundle.page_id).filter(in_force | issued)


def bundle_versions(bundle: EvidenceBundle, user) -> tuple[list[IssuedVersion], int]:
    """The versions that go in (visible to ``user`` and exportable), and how many were held
    back."""
    candidates = _candidate_versions(bundle).defer("canonical_text")
    total = candidates.count()
    visible = visible_to(candidates, user).order_by("document_number", "major", "minor")
    chosen = [v for v in visible if handling_allowed(v.classification, "export")]
    return chosen, total - len(chosen)


def bundle_plan(bundle: EvidenceBundle, user) -> tuple[list[Planned], list[Assignment], int]:
    """The PDFs to generate, the assignments to list, and the number of versions withheld."""
    versions, withheld = bundle_versions(bundle, user)
    ids = {v.pk for v in versions}
    assignments = [a for a in _assignments(bundle).filter(version_id__in=ids)]
    planned = [Planned(f"版本/{v.document_number}-{v.version}.pdf", v) for v in versions]
    end = _day_end(bundle.date_to)
    for assignment in assignments:
        signature = assignment.signature()
        if signature is not None and signature.signed_at <= end:
            version, number = assignment.version, assignment.employee.employee_number
            path = f"回执/{version.document_number}-{version.version}-{number}.pdf"
            planned.append(Planned(path, version, assignment))
    return planned, assignments, withheld


def _audit_entries(bundle: EvidenceBundle, versions: list[IssuedVersion], user):
    about = Q(
        object_type="policies_content.issuedversion",
        object_id__in=[str(v.pk) for v in versions],
    )
    if bundle.employee_id:
        employee = bundle.employee
        about = (about & Q(details__employee_number=employee.employee_number)) | Q(
            object_type="records.employee", object_id=str(employee.pk)
        )
        if employee.user_id:
            about |= Q(actor_id=employee.user_id)
    else:
        page_type = bundle.page.specific._meta.label_lower
        about |= Q(object_id=str(bundle.page_id), object_type=page_type)
    entries = AuditEntry.objects.filter(
        about, at__gte=_day_start(bundle.date_from), at__lte=_day_end(bundle.date_to)
    ).order_by("sequence")
    return audit_entries_visible_to(entries, user).order_by("sequence")


def _csv(header: list[str], rows) -> bytes:
    return csv_text(header, rows).encode("utf-8")


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _acknowledgement_csv(assignments: list[Assignment]) -> bytes:
    header = [
        _("Employee number"),
        _("Name"),
        _("Department"),
        _("Document number"),
        _("Title"),
        _("Version"),
        _("Asked at"),
        _("Due on"),
        _("State"),
        _("Signed at"),
        _("Signature"),
        _("Meaning of the signature"),
        _("SHA-256 of the text signed"),
        _("From address"),
    ]
    rows = []
    for a in assignments:
        signature = a.signature()
        rows.append(
            [
                a.employee.employee_number,
                a.employee.name,
                a.department.name,
                a.version.document_number,
                a.version.title,
                a.version.version,
                _local(a.assigned_at),
                a.due_on.isoformat(),
                a.get_state_display(),
                _local(signature.signed_at) if signature else "",
                signature.get_kind_display() if signature else "",
                signature.meaning if signature else "",
                signature.text_sha256 if signature else "",
                (signature.ip or "") if signature else "",
            ]
        )
    return _csv(header, rows)


def _audit_csv(entries) -> bytes:
    header = [
        _("Sequence"),
        _("Time"),
        _("Actor"),
        _("Action"),
        _("Object"),
        _("Version"),
        _("IP address"),
        _("Details"),
        _("Entry hash"),
        _("Previous hash"),
    ]
    rows = (
        [
            e.sequence,
            _local(e.at),
            e.actor_name,
            e.get_action_display(),
            e.object_label,
            e.version,
            e.ip or "",
            json.dumps(e.details, ensure_ascii=False, sort_keys=True),
            e.entry_hash,
            e.previous_hash,
        ]
        for e in entries
    )
    return _csv(header, rows)


def _statement(bundle, user, *, versions, withheld, receipts, entries, chain) -> bytes:
    lines = [
        _("Evidence bundle"),
        _("Subject: %(subject)s") % {"subject": bundle.subject_label},
        _("Period: %(start)s to %(end)s") % {"start": bundle.date_from, "end": bundle.date_to},
        _("Generated by %(who)s on %(when)s (Beijing time).")
        % {"who": actor_display_name(user), "when": _local(timezone.now())},
        _("Versions: %(count)s; receipts: %(receipts)s; audit entries: %(entries)s.")
        % {"count": versions, "receipts": receipts, "entries": entries},
    ]
    if withheld:
        lines.append(
            _("%(count)s versions are withheld: above the requester's clearance or not exportable.")
            % {"count": withheld}
        )
    lines.append(chain.message)
    lines.append(
        _(
            "清单.csv gives the SHA-256 of every other file; each PDF also carries a "
            "verification code that can be checked at /verify/."
        )
    )
    return ("\n".join(lines) + "\n").encode("utf-8")


# --- Requesting and running ----------------------------------------------------------------


def evidence_bundle_request(*, user, employee=None, page=None, date_from, date_to, request=None):
    """Record the request (audited as an export) and start generating after commit."""
    from .tasks import evidence_bundle_task

    with transaction.atomic():
        bundle = EvidenceBundle.objects.create(
            requested_by=user, employee=employee, page=page, date_from=date_from, date_to=date_to
        )
        audit_record(
            action=AuditAction.EXPORT,
            obj=employee or page.specific,
            details={
                "what": "evidence bundle",
                "bundle": bundle.pk,
                "from": date_from.isoformat(),
                "to": date_to.isoformat(),
            },
            request=request,
        )
        transaction.on_commit(lambda: run_in_background(evidence_bundle_task, bundle.pk))
    return bundle


def evidence_bundle_continue(bundle: EvidenceBundle) -> None:
    from .tasks import evidence_bundle_task

    batch_continue(bundle, evidence_bundle_task)


def _work_path(bundle: EvidenceBundle, path: str) -> str:
    return f"evidence/{bundle.pk}/files/{path}"


def _generate(bundle: EvidenceBundle, planned: Planned, user) -> None:
    with transaction.atomic():
        if planned.assignment is None:
            issued = regulation_pdf(version=planned.version, user=user)
        else:
            issued = receipt_pdf(
                assignment=planned.assignment,
                acknowledgement=planned.assignment.signature(),
                user=user,
            )
    # written once its record is committed: a file present is a file that verifies
    private_storage().save(_work_path(bundle, planned.path), ContentFile(issued.pdf))


def evidence_bundle_run(bundle_id: int) -> EvidenceBundle | None:
    """Generate what the bundle still lacks, then its ZIP. Safe to run again at any point."""
    bundle = (
        EvidenceBundle.objects.select_related("employee", "page", "requested_by")
        .filter(pk=bundle_id)
        .first()
    )
    if bundle is None or bundle.state == EvidenceBundle.State.DONE:
        return bundle
    user = bundle.requested_by
    storage = private_storage()
    try:
        if user is None:
            raise RuntimeError(_("The user who asked for this bundle no longer exists."))
        planned, assignments, withheld = bundle_plan(bundle, user)
        missing = [p for p in planned if not storage.exists(_work_path(bundle, p.path))]
        EvidenceBundle.objects.filter(pk=bundle.pk).update(
            state=EvidenceBundle.State.RUNNING,
            total=len(planned) + 1,  # the last step: records, audit entries and the ZIP
            done=len(planned) - len(missing),
            progress_at=timezone.now(),
        )
        for item in missing:
            _generate(bundle, item, user)
            EvidenceBundle.objects.filter(pk=bundle.pk).update(
                done=F("done") + 1, progress_at=timezone.now()
            )
        versions = sorted({p.version.pk: p.version for p in planned}.values(), key=str)
        entries = list(_audit_entries(bundle, versions, user))
        files = {}
        for item in planned:
            with storage.open(_work_path(bundle, item.path), "rb") as handle:
                files[item.path] = handle.read()
        files["签收记录.csv"] = _acknowledgement_csv(assignments)
        files["审计记录.csv"] = _audit_csv(entries)
        files["说明.txt"] = _statement(
            bundle,
            user,
            versions=sum(1 for p in planned if p.assignment is None),
            withheld=withheld,
            receipts=sum(1 for p in planned if p.assignment is not None),
            entries=len(entries),
            chain=audit_verify(),
        )
        bundle.refresh_from_db()  # total and done were counted in the database
        _write_zip(bundle, files)
        for item in planned:
            storage.delete(_work_path(bundle, item.path))
    except Exception as error:
        logger.exception("evidence bundle %s failed", bundle.pk)
        EvidenceBundle.objects.filter(pk=bundle.pk).update(
            state=EvidenceBundle.State.FAILED, error=str(error)[:2000], progress_at=timezone.now()
        )
    bundle.refresh_from_db()
    return bundle


def _write_zip(bundle: EvidenceBundle, files: dict[str, bytes]) -> None:
    manifest = _csv(
        [_("File name"), _("Size in bytes"), "SHA-256"],
        ([path, len(data), hashlib.sha256(data).hexdigest()] for path, data in files.items()),
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
        archive.writestr("清单.csv", manifest)
    data = buffer.getvalue()
    bundle.archive.save(evidence_file_name(bundle), ContentFile(data), save=False)
    bundle.sha256 = hashlib.sha256(data).hexdigest()
    bundle.state = EvidenceBundle.State.DONE
    bundle.done = bundle.total
    bundle.finished_at = timezone.now()
    bundle.save(update_fields=["archive", "sha256", "state", "done", "finished_at"])


def evidence_file_name(bundle: EvidenceBundle) -> str:
    if bundle.employee_id:
        subject = bundle.employee.employee_number
    else:
        subject = getattr(bundle.page.specific, "document_number", "") or str(bundle.page_id)
    return f"证据包-{subject}-{bundle.date_from:%Y%m%d}-{bundle.date_to:%Y%m%d}.zip"
