"""Reads of policy documents for other apps; each takes the user and applies the access policy."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Max
from django.utils import timezone

from records.permissions import can_view, visible_to

from .models import (
    IssuedVersion,
    JobDescriptionPage,
    PolicyCategoryPage,
    RegulationPage,
    ReviewRecord,
    controlled_page_models,
)

# 复审: a review due within this many days is listed with the overdue ones.
REVIEW_NOTICE_DAYS = 30


def regulations_for_user(*, user, limit: int | None = None):
    """Live regulations the user may read, newest effective date first (a listing: without
    their bodies, each a StreamField that would be read and parsed for nothing)."""
    pages = visible_to(RegulationPage.objects.live().defer_streamfields(), user).order_by(
        "-effective_date", "title"
    )
    return pages[:limit] if limit else pages


def job_description_for_user(*, user) -> JobDescriptionPage | None:
    """The live job description of the user's own position, if HR has written one."""
    employee = getattr(user, "employee", None)
    if employee is None or employee.position_id is None:
        return None
    return visible_to(
        JobDescriptionPage.objects.live()
        .defer_streamfields()
        .filter(position_id=employee.position_id),
        user,
    ).first()


def documents_in_category(*, user, category) -> list:
    """A category's live children the user may see; controlled documents go through the
    access policy (level and need-to-know), other pages are listed as they are."""
    from .models import ControlledDocumentPage

    children = list(category.get_children().live().specific())
    return [
        child
        for child in children
        if not isinstance(child, ControlledDocumentPage) or can_view(user, child)
    ]


def versions_for_user(*, user, page):
    """A document's issued versions the user may read (each version keeps its own level)."""
    return visible_to(IssuedVersion.objects.filter(page_id=page.pk), user).order_by(
        "-major", "-minor"
    )


def version_in_force(*, user, page, day: datetime.date) -> IssuedVersion | None:
    return versions_for_user(user=user, page=page).in_force_on(day).first()


def library_in_force(*, user, day: datetime.date) -> list[dict]:
    """制度汇编 as of ``day``: every document with the version in force that day, by category.

    One query for the versions and one for the categories, whatever the library's size.
    """
    rows = list(
        visible_to(IssuedVersion.objects.in_force_on(day), user)
        .order_by("document_number")
        .values(
            "page_id", "title", "document_number", "major", "minor", "effective_date", "page__path"
        )
    )
    categories = {c.path: c.title for c in PolicyCategoryPage.objects.only("path", "title")}
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        category = categories.get(row["page__path"][:-4], "")
        row["version"] = f"V{row['major']}.{row['minor']}"
        row["url_version"] = f"{row['major']}.{row['minor']}"
        grouped.setdefault(category, []).append(row)
    return [{"category": name, "documents": docs} for name, docs in sorted(grouped.items())]


def issued_documents(*, user, query: str = "", limit: int = 30) -> list[dict]:
    """Documents with at least one issued version the user may see, matched by title or 文件编号
    (each once, with its newest visible version's title and number), by number."""
    from django.db.models import Q

    versions = visible_to(IssuedVersion.objects.all(), user)
    if query:
        versions = versions.filter(Q(title__icontains=query) | Q(document_number__icontains=query))
    rows = versions.order_by("document_number", "-major", "-minor").values(
        "page_id", "document_number", "title", "repealed"
    )
    found: dict[int, dict] = {}
    for row in rows.iterator():
        found.setdefault(row["page_id"], row)
        if len(found) >= limit:
            break
    return list(found.values())


RECENT_DAYS = 60


def recent_versions_for_user(*, user, days: int = RECENT_DAYS, limit: int = 8) -> list:
    """Rules issued or revised in the last ``days`` that apply to the user — documents
    distributed to them (they were asked to sign a version) — newest first, one line per
    document, each with the version before it (for "what changed")."""
    from django.db.models import Q
    from django.utils import timezone

    from .models import Assignment

    employee = getattr(user, "employee", None)
    if employee is None:
        return []
    since = timezone.now() - datetime.timedelta(days=days)
    mine = Assignment.objects.filter(employee=employee).values("page_id")
    newest: dict[int, IssuedVersion] = {}  # one line per document: its newest version
    for version in (
        visible_to(IssuedVersion.objects.filter(issued_at__gte=since, page_id__in=mine), user)
        .defer("content", "canonical_text", "approvals", "consultation")
        .order_by("-issued_at", "-major", "-minor")
        .iterator()
    ):
        newest.setdefault(version.page_id, version)
        if len(newest) == limit:
            break
    recent = list(newest.values())
    earlier = Q(pk__in=[])
    for v in recent:
        earlier |= Q(page_id=v.page_id, major__lt=v.major) | Q(
            page_id=v.page_id, major=v.major, minor__lt=v.minor
        )
    before: dict[int, list] = {}
    for v in IssuedVersion.objects.filter(earlier).only("page_id", "major", "minor"):
        before.setdefault(v.page_id, []).append(v)
    for v in recent:
        older = [o for o in before.get(v.page_id, []) if (o.major, o.minor) < (v.major, v.minor)]
        v.previous = max(older, key=lambda o: (o.major, o.minor)) if older else None
    return recent


def library_by_department(*, user, department_id: int | None = None) -> tuple[list, list]:
    """The library browsed by owner department (制定部门): the departments owning documents the
    user may read, each with its count, and — for the chosen one — those documents (regulations
    and job descriptions, live), by 文件编号."""
    from collections import Counter

    from records.models import Department

    visible = [
        visible_to(model.objects.live(), user).select_related("owner_department")
        for model in (RegulationPage, JobDescriptionPage)
    ]
    counts: Counter = Counter()
    for pages in visible:
        counts.update(
            pages.exclude(owner_department=None).values_list("owner_department_id", flat=True)
        )
    departments = [
        (department, counts[department.pk])
        for department in Department.objects.filter(pk__in=counts).order_by("sort_order", "code")
    ]
    documents = []
    if department_id is not None:
        for pages in visible:
            documents.extend(pages.filter(owner_department_id=department_id))
        documents.sort(key=lambda page: (page.document_number or "", page.title))
    return departments, documents


def reviews_due(*, user=None, day: datetime.date | None = None) -> list[dict]:
    """复审: issued, unrepealed documents whose periodic review is overdue or due within
    REVIEW_NOTICE_DAYS of ``day`` (today) — the later of the last issue and the last review
    ("reviewed — no change", ReviewRecord) plus the document's review cycle — soonest first.

    With ``user``, only the documents the user may see (the access policy); without, all of
    them (the reminder command). A fixed number of queries whatever the number of documents.
    """
    day = day or timezone.localdate()
    latest: dict[int, IssuedVersion] = {}
    for version in (
        IssuedVersion.objects.filter(repealed=False)
        .defer("content", "canonical_text", "approvals", "consultation")
        .order_by("page_id", "major", "minor")
    ):
        latest[version.page_id] = version
    reviewed = dict(
        ReviewRecord.objects.filter(page_id__in=latest)
        .values("page_id")
        .annotate(last=Max("reviewed_on"))
        .values_list("page_id", "last")
    )
    pages = {}
    for model in controlled_page_models():
        documents = model.objects.filter(pk__in=latest, review_cycle_months__gt=0).exclude(
            status="repealed"
        )
        if user is not None:
            documents = visible_to(documents, user)
        pages.update({page.pk: page for page in documents.select_related("owner_department")})
    horizon = day + datetime.timedelta(days=REVIEW_NOTICE_DAYS)
    due = []
    for page_id, page in pages.items():
        version = latest[page_id]
        since = max(version.effective_date, reviewed.get(page_id, datetime.date.min))
        due_on = since + relativedelta(months=page.review_cycle_months)
        if due_on <= horizon:
            due.append(
                {
                    "page": page,
                    "version": version,
                    "due_on": due_on,
                    "overdue": due_on < day,
                    "owner": page.owner_department,
                }
            )
    return sorted(due, key=lambda item: (item["due_on"], item["page"].title))
