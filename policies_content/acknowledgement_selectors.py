"""Reads about assignments and acknowledgements, for staff pages, HR screens and exports.

Every read that names documents takes the ``user`` and goes through the access policy
(records.permissions): a version above the reader's clearance is left out, counts included.
Query counts do not grow with the rows returned (select_related / aggregation in the database).
"""

import datetime

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from records.permissions import visible_to

from .models import (
    Acknowledgement,
    AcknowledgementKind,
    Assignment,
    AssignmentState,
    IssuedVersion,
)


def _visible_versions(user):
    return visible_to(IssuedVersion.objects.all(), user).values("pk")


# A version's frozen text (content, canonical_text: tens of KB each) and its approval and
# consultation records: lists of assignments show titles and numbers, so these stay in the
# database (loading them made "my pending" about 2× slower: tests/bench/bench_acknowledgement.py).
VERSION_TEXT_FIELDS = (
    "version__content",
    "version__canonical_text",
    "version__approvals",
    "version__consultation",
)


def pending_assignments(*, user):
    """待我签收: the user's open assignments, overdue first then by due date."""
    employee = getattr(user, "employee", None)
    if employee is None:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(employee=employee, state=AssignmentState.OPEN)
        .filter(version_id__in=_visible_versions(user))
        .select_related("version")
        .defer(*VERSION_TEXT_FIELDS)
        .order_by("due_on", "pk")
    )


def open_assignment_for(*, user, page_id: int) -> Assignment | None:
    """The user's open request to sign a version of this document, if any (the reading
    view's sign button)."""
    return pending_assignments(user=user).filter(page_id=page_id).first()


def my_acknowledgement_history(*, user):
    """Everything the user was asked to sign, newest first, with its outcome."""
    employee = getattr(user, "employee", None)
    if employee is None:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(employee=employee)
        .filter(version_id__in=_visible_versions(user))
        .select_related("version", "acknowledgement", "covered_by__version")
        .defer(*VERSION_TEXT_FIELDS, *(f"covered_by__{f}" for f in VERSION_TEXT_FIELDS))
        .annotate(
            is_open=Case(
                When(state=AssignmentState.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("is_open", "-assigned_at")
    )


# --- Tracking (HR): completion by document, department and employee ---------------------------
# "Required" leaves out assignments closed unsigned (replaced by a newer version, 离职): nobody
# has to sign those any more. "Complete" is signed (self or 代签) plus covered.

REQUIRED = (AssignmentState.OPEN, AssignmentState.SIGNED, AssignmentState.COVERED)
CLOSED_UNSIGNED = (
    AssignmentState.SUPERSEDED,
    AssignmentState.DEPARTED,
    AssignmentState.REPEALED,
)


COUNT_NAMES = (
    "assigned",
    "opened",
    "signed_self",
    "signed_proxy",
    "covered",
    "open",
    "overdue",
    "closed",
)


def _counts(*, today) -> dict:
    """Aggregates over assignments, without joining the acknowledgements: ``signed`` is split
    into self and 代签 afterwards from the (few) proxy rows (``_with_proxies``) — the join
    made the tracking overview several times slower at a million assignments."""
    return {
        "assigned": Count("pk", filter=Q(state__in=REQUIRED)),
        "opened": Count("pk", filter=Q(state__in=REQUIRED, opened_at__isnull=False)),
        "signed": Count("pk", filter=Q(state=AssignmentState.SIGNED)),
        "covered": Count("pk", filter=Q(state=AssignmentState.COVERED)),
        "open": Count("pk", filter=Q(state=AssignmentState.OPEN)),
        "overdue": Count("pk", filter=Q(state=AssignmentState.OPEN, due_on__lt=today)),
        "closed": Count("pk", filter=Q(state__in=CLOSED_UNSIGNED)),
    }


def _with_proxies(rows: dict, proxies: dict) -> dict:
    """{key: counts} with signed split into signed_self and signed_proxy."""
    for key, row in rows.items():
        row["signed_proxy"] = proxies.get(key, 0)
        row["signed_self"] = row.pop("signed") - row["signed_proxy"]
    return rows


def _proxy_counts(group: str, **filters) -> dict:
    rows = Acknowledgement.objects.filter(kind=AcknowledgementKind.PROXY, **filters)
    return dict(rows.values_list(group).annotate(n=Count("pk")).values_list(group, "n"))


def completion(row) -> dict:
    """Signed, complete and % complete of one aggregated row (an object or a dict)."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    signed = get("signed_self") + get("signed_proxy")
    complete = signed + get("covered")
    assigned = get("assigned")
    return {
        "signed": signed,
        "complete": complete,
        "percent": round(100 * complete / assigned) if assigned else None,
    }


def _in_force_visible(user, today: datetime.date):
    return visible_to(IssuedVersion.objects.in_force_on(today).filter(repealed=False), user)


def _versions_with_counts(user, today, department_ids=None) -> list[IssuedVersion]:
    """The versions in force the user may see, each with the COUNT_NAMES as attributes
    (three queries whatever the number of documents or assignments)."""
    versions = list(
        _in_force_visible(user, today)
        .defer("content", "canonical_text", "approvals", "consultation")
        .order_by("document_number", "page_id")
    )
    ids = [v.pk for v in versions]
    rows = Assignment.objects.filter(version_id__in=ids)
    proxy_filter = {"version_id__in": ids}
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
        proxy_filter["assignment__department_id__in"] = department_ids
    counts = {
        row.pop("version_id"): row
        for row in rows.values("version_id").annotate(**_counts(today=today))
    }
    counts = _with_proxies(counts, _proxy_counts("version_id", **proxy_filter))
    empty = dict.fromkeys(COUNT_NAMES, 0)
    for version in versions:
        for name, value in counts.get(version.pk, empty).items():
            setattr(version, name, value)
    return versions


def tracked_versions(*, user, today: datetime.date | None = None) -> list[IssuedVersion]:
    """签收跟踪 overview: the version in force of every document the user may see, with its
    counts."""
    return _versions_with_counts(user, today or timezone.localdate())


def trackable_versions(*, user, page_id: int):
    """A document's issued versions the user may see, newest first (empty: 404)."""
    return visible_to(IssuedVersion.objects.filter(page_id=page_id), user).order_by(
        "-major", "-minor"
    )


def version_by_department(*, version: IssuedVersion, today: datetime.date | None = None):
    """One version's counts per department (the department when assigned), by name."""
    today = today or timezone.localdate()
    rows = (
        Assignment.objects.filter(version=version)
        .values("department_id", "department__name")
        .annotate(**_counts(today=today))
        .order_by("department__sort_order", "department__code", "department_id")
    )
    by_department = {row["department_id"]: dict(row) for row in rows}
    proxies = _proxy_counts("assignment__department_id", version=version)
    return list(_with_proxies(by_department, proxies).values())


def version_assignments(*, version: IssuedVersion, department_id: int | None = None):
    """Who was asked to sign one version (optionally in one department), with the outcome:
    one query, rows in department then 工号 order."""
    rows = Assignment.objects.filter(version=version)
    if department_id is not None:
        rows = rows.filter(department_id=department_id)
    return rows.select_related(
        "employee",
        "department",
        "acknowledgement",
        "acknowledgement__recorded_by",
        "covered_by",
    ).order_by("department__sort_order", "department__code", "employee__employee_number", "pk")


def department_completion(*, user, department, today: datetime.date | None = None):
    """Per department (with the departments below it): every visible document in force that
    asked someone there to sign, with that department's counts."""
    versions = _versions_with_counts(
        user, today or timezone.localdate(), department_ids=department.descendant_ids()
    )
    return [version for version in versions if version.assigned > 0]


def employee_assignment_history(*, user, employee):
    """Per employee: every version they were asked to sign that the user may see, newest
    first, with the signature (self or 代签) or what else became of it."""
    return (
        Assignment.objects.filter(employee=employee)
        .filter(version_id__in=_visible_versions(user))
        .select_related("version", "department", "acknowledgement", "covered_by")
        .defer(*VERSION_TEXT_FIELDS)
        .order_by("-assigned_at", "-pk")
    )


def team_acknowledgements(*, user, today: datetime.date | None = None) -> list[dict]:
    """我的团队: for a manager, each active direct report with what they still have to sign
    (documents the manager may see only), overdue first. Two queries."""
    manager = getattr(user, "employee", None)
    if manager is None:
        return []
    today = today or timezone.localdate()
    reports = list(manager.reports.active().order_by("employee_number"))
    open_rows = (
        Assignment.objects.filter(employee__in=reports, state=AssignmentState.OPEN)
        .filter(version_id__in=_visible_versions(user))
        .select_related("version")
        .defer(*VERSION_TEXT_FIELDS)
        .order_by("due_on", "pk")
    )
    by_employee: dict[int, list] = {}
    for row in open_rows:
        by_employee.setdefault(row.employee_id, []).append(row)
    team = []
    for person in reports:
        waiting = by_employee.get(person.pk, [])
        overdue = [a for a in waiting if a.due_on < today]
        team.append({"employee": person, "waiting": waiting, "overdue": len(overdue)})
    return sorted(team, key=lambda row: (-row["overdue"], -len(row["waiting"])))


def unsigned_summary(*, user, today: datetime.date | None = None, limit: int = 8) -> dict:
    """Dashboard: the open (unsigned) and overdue assignments of the versions in force the user
    may see — in total, for the ``limit`` departments (where assigned) and documents with the
    most overdue then most unsigned, and how many departments and documents have any. Two
    aggregate queries whatever the number of assignments."""
    today = today or timezone.localdate()
    open_rows = Assignment.objects.filter(
        state=AssignmentState.OPEN,
        version_id__in=_in_force_visible(user, today).values("pk"),
    )
    counts = {
        "open": Count("pk"),
        "overdue": Count("pk", filter=Q(due_on__lt=today)),
    }
    order = ("-overdue", "-open")
    departments = list(
        open_rows.values("department_id", "department__name")
        .annotate(**counts)
        .order_by(*order, "department__sort_order", "department__code")
    )
    documents = list(
        open_rows.values("page_id", "version__title", "version__document_number")
        .annotate(**counts)
        .order_by(*order, "version__document_number")
    )
    return {
        "open": sum(row["open"] for row in departments),
        "overdue": sum(row["overdue"] for row in departments),
        "department_count": len(departments),
        "departments": departments[:limit],
        "document_count": len(documents),
        "documents": documents[:limit],
    }
