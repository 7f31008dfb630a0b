"""Import regulations and job descriptions from files into the library, as drafts.

Each file is parsed first (nothing written), then written in its own transaction: a file that
fails leaves nothing behind and the other files still import. Re-importing the same files
changes nothing; an edited file of a document already in the library becomes a new draft of
that document (matched by 文件编号, else by title in its category).
"""

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug

from records.audit import audit_record
from records.models import AuditAction, Department

from .importing.document import ParsedDocument, ParsedJobDescription
from .importing.parser import parse_file
from .library import JOB_DESCRIPTIONS, category_page, guess_category_title
from .models import DocumentImportRun, JobDescriptionPage, NearDuplicate, RegulationPage
from .numbers import document_number_allocate, document_number_conflict
from .similarity import NEAR_DUPLICATE, shingles, similarity
from .stream import (
    CONTROL_FIELDS,
    canonical_digest,
    canonical_text,
    page_to_parsed,
    parsed_to_stream,
)

CREATED, UPDATED, UNCHANGED, DUPLICATE = "created", "updated", "unchanged", "duplicate"


@dataclass
class ImportFile:
    """A file to import. For a file over the size limit, ``data`` may hold only its start:
    ``size`` is the real size, checked before anything is parsed."""

    name: str
    data: bytes
    size: int | None = None


@dataclass
class DocumentReport:
    title: str
    kind: str  # regulation | job_description
    action: str = ""
    page_id: int | None = None
    document_number: str = ""
    category: str = ""
    chapters: int = 0
    articles: int = 0
    sections: int = 0
    job_descriptions: int = 0
    metadata: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    duplicate_of: dict | None = None  # {"title", "page_id"}
    similar_to: dict | None = None  # {"title", "page_id", "similarity"}


@dataclass
class FileReport:
    name: str
    error: str = ""
    documents: list[DocumentReport] = field(default_factory=list)


@dataclass
class _Known:
    """A document in the library (or imported earlier in this run)."""

    page_id: int
    title: str
    category_id: int
    number: str
    digest: str
    shingles: frozenset
    before_run: bool


class _Library:
    """What is already in the library, loaded once per run and kept current as we write."""

    def __init__(self, model):
        self.model = model
        self.items: list[_Known] = []
        for page in model.objects.all().specific():
            latest = page.get_latest_revision_as_object()
            parsed = page_to_parsed(latest)
            self.add(latest, parsed, before_run=True)

    def add(self, page, parsed: ParsedDocument, *, before_run: bool) -> None:
        self.items = [item for item in self.items if item.page_id != page.pk]
        self.items.append(
            _Known(
                page_id=page.pk,
                title=page.title,
                category_id=page.get_parent().pk,
                number=page.document_number,
                digest=canonical_digest(parsed),
                shingles=shingles(canonical_text(parsed)),
                before_run=before_run,
            )
        )


def documents_import(
    *,
    files: list[tuple[str, bytes]],
    user=None,
    category=None,
    progress: Callable[[str], None] | None = None,
) -> DocumentImportRun:
    """Import files; return the run with its report. ``category`` forces the category of
    every regulation; by default each goes to the category its title suggests."""
    regulations = _Library(RegulationPage)
    job_descriptions = _Library(JobDescriptionPage)
    run = DocumentImportRun.objects.create(user=user if user and user.is_authenticated else None)
    reports: list[FileReport] = []
    for file in files:
        name = file.name
        if progress:
            progress(name)
        parsed = parse_file(name=name, data=file.data, size=file.size)
        report = FileReport(name=name, error=parsed.error)
        if not parsed.error:
            try:
                with transaction.atomic():
                    for document in parsed.documents:
                        report.documents.extend(
                            _import_document(
                                document, run, user, category, regulations, job_descriptions
                            )
                        )
            except Exception as exc:  # noqa: BLE001 — any failure: this file only, rolled back
                reason = "；".join(exc.messages) if isinstance(exc, ValidationError) else exc
                report = FileReport(
                    name=name,
                    error=_("The file could not be imported: %(reason)s") % {"reason": reason},
                )
                regulations = _Library(RegulationPage)
                job_descriptions = _Library(JobDescriptionPage)
        reports.append(report)
    _save_report(run, reports)
    audit_record(
        action=AuditAction.IMPORT,
        actor=run.user,
        obj=run,
        object_label=", ".join(f.name for f in reports)[:300],
        details={
            "files": len(reports),
            "created": run.created_count,
            "updated": run.updated_count,
            "unchanged": run.unchanged_count,
            "duplicates": run.duplicate_count,
            "errors": run.error_count,
        },
    )
    return run


def _import_document(document, run, user, category, regulations, job_descriptions):
    if not document.blocks and document.job_descriptions:
        return [
            _import_job_description(
                document, document.job_descriptions[0], run, user, job_descriptions, regulation=None
            )
        ]
    report = DocumentReport(
        title=document.title,
        kind="regulation",
        metadata=dict(document.metadata),
        warnings=list(document.warnings),
        chapters=sum(1 for b in document.blocks if b.kind == "chapter"),
        articles=sum(1 for b in document.blocks if b.kind == "article"),
        sections=sum(1 for b in document.blocks if b.kind == "section"),
        job_descriptions=len(document.job_descriptions),
    )
    target = category or category_page(guess_category_title(document.title))
    report.category = target.title
    page = _write(
        document,
        target,
        report,
        run,
        user,
        regulations,
        build=lambda: _new_regulation(document, report),
        apply=_apply_regulation,
    )
    reports = [report]
    if page is None:
        return reports
    for jd in document.job_descriptions:
        jd_document = ParsedDocument(
            title=f"{jd.position}岗位说明书",
            job_descriptions=[jd],
            source_name=document.source_name,
        )
        reports.append(
            _import_job_description(jd_document, jd, run, user, job_descriptions, regulation=page)
        )
    return reports


def _import_job_description(document, jd, run, user, library, *, regulation):
    """A job description page, found in ``regulation`` or imported on its own (None)."""
    category = category_page(JOB_DESCRIPTIONS)
    report = DocumentReport(
        title=document.title,
        kind="job_description",
        category=category.title,
        metadata=dict(document.metadata),
    )
    _write(
        document,
        category,
        report,
        run,
        user,
        library,
        build=lambda: _new_job_description(jd, regulation, document),
        apply=lambda page, _doc, _report: _apply_job_description(page, jd, regulation, document),
    )
    return report


def _write(document, target, report, run, user, library: _Library, *, build, apply):
    """Create, update, or skip one document according to what the library holds."""
    digest = canonical_digest(document)
    same = [k for k in library.items if k.digest == digest]
    number = document.metadata.get("document_number", "")
    for known in same:
        if known.title == document.title and known.before_run:
            report.action, report.page_id = UNCHANGED, known.page_id
            return library.model.objects.get(pk=known.page_id)
    if same:
        report.action = DUPLICATE
        report.duplicate_of = {"title": same[0].title, "page_id": same[0].page_id}
        return None
    match = _match_existing(document, target, number, library)
    if match is not None:
        page = library.model.objects.get(pk=match.page_id).get_latest_revision_as_object()
        apply(page, document, report)
        page.save_revision(user=user, log_action=True)
        report.action, report.page_id = UPDATED, page.pk
        report.document_number = page.document_number
        library.add(page, document, before_run=True)
        return page
    page = build()
    conflict = document_number_conflict(number=page.document_number, page=page)
    if conflict:
        report.warnings.append(conflict + " " + _("A new number was allocated."))
        page.document_number = ""
    if not page.document_number:
        page.document_number = document_number_allocate(category=target)
        page._allocated_number = page.document_number
    # A readable, stable address: /library/management/sycw2010-005/
    page.slug = find_available_slug(target, slugify(page.document_number) or "document")
    target.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    report.action, report.page_id = CREATED, page.pk
    report.document_number = page.document_number
    _flag_near_duplicate(page, document, report, run, library)
    library.add(page, document, before_run=False)
    return page


def _match_existing(document, target, number, library: _Library) -> _Known | None:
    if number:
        for known in library.items:
            if known.number == number:
                return known
    candidates = [
        k
        for k in library.items
        if k.before_run and k.title == document.title and k.category_id == target.pk
    ]
    if not candidates:
        return None
    text = shingles(canonical_text(document))
    return max(candidates, key=lambda k: similarity(text, k.shingles))


def _flag_near_duplicate(page, document, report, run, library: _Library) -> None:
    """Flag the most similar other document: almost the same text, or the same title (the
    same rule kept in several edited copies)."""
    text = shingles(canonical_text(document))
    best, score = None, 0.0
    for known in library.items:
        if known.page_id == page.pk:
            continue
        value = similarity(text, known.shingles)
        alike = value >= NEAR_DUPLICATE or known.title == document.title
        if alike and (best is None or value > score):
            best, score = known, value
    if best is not None:
        report.similar_to = {
            "title": best.title,
            "page_id": best.page_id,
            "similarity": round(score, 2),
        }
        NearDuplicate.objects.get_or_create(
            page_id=page.pk, similar_to_id=best.page_id, defaults={"similarity": score, "run": run}
        )


def _new_regulation(document: ParsedDocument, report: DocumentReport) -> RegulationPage:
    page = RegulationPage(title=document.title, live=False)
    _apply_regulation(page, document, report)
    return page


def _apply_regulation(page: RegulationPage, document: ParsedDocument, report) -> None:
    page.title = document.title
    page.body = parsed_to_stream(document.blocks)
    page.source_file = document.source_name[:255]
    meta = document.metadata
    for name in CONTROL_FIELDS:
        if meta.get(name):
            setattr(page, name, meta[name][: page._meta.get_field(name).max_length])
    if meta.get("effective_date"):
        try:
            page.effective_date = datetime.date.fromisoformat(meta["effective_date"])
        except ValueError:
            report.warnings.append(
                _("The effective date “%(value)s” is not a date and was left empty.")
                % {"value": meta["effective_date"]}
            )
    if meta.get("distribution"):
        report.warnings.append(
            _("Distribution “%(value)s” is not set automatically; choose the departments.")
            % {"value": meta["distribution"]}
        )


def _new_job_description(jd: ParsedJobDescription, regulation, document) -> JobDescriptionPage:
    page = JobDescriptionPage(title=document.title, live=False)
    _apply_job_description(page, jd, regulation, document)
    return page


def _apply_job_description(page, jd: ParsedJobDescription, regulation, document) -> None:
    from records.models import Position

    page.position_title = jd.position
    page.reports_to, page.purpose = jd.reports_to, jd.purpose
    page.duties = [("duty", duty) for duty in jd.duties]
    page.indicators = [("indicator", item) for item in jd.indicators]
    page.education, page.experience, page.skills = jd.education, jd.experience, jd.skills
    page.source_regulation = regulation
    page.source_file = document.source_name[:255]
    for name in ("document_number", "version"):
        if document.metadata.get(name):
            setattr(page, name, document.metadata[name])
    position = Position.objects.filter(name=jd.position).select_related("department").first()
    if position is not None:
        page.position, page.department = position, position.department
    elif regulation is not None and regulation.owner_department_id:
        page.department = Department.objects.filter(pk=regulation.owner_department_id).first()


def _save_report(run: DocumentImportRun, reports: list[FileReport]) -> None:
    documents = [d for f in reports for d in f.documents]
    run.report = {"files": [asdict(f) for f in reports]}
    run.created_count = sum(d.action == CREATED for d in documents)
    run.updated_count = sum(d.action == UPDATED for d in documents)
    run.unchanged_count = sum(d.action == UNCHANGED for d in documents)
    run.duplicate_count = sum(d.action == DUPLICATE for d in documents)
    run.error_count = sum(bool(f.error) for f in reports)
    run.save()
