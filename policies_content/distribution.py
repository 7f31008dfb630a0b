"""分发: who must read and sign each issued version, and keeping their assignments current.

A document names its readers (all staff, departments with or without their sub-departments,
positions, roles, individuals). When a version comes into force every active reader gets an
assignment due ``acknowledgement_due_days`` later. A **major** version asks everyone again; a
**minor** one is *covered* for readers who signed a version with the same major number (shown
as such), and open for the rest. Open assignments of older versions of the document close as
superseded. New hires and transfers get what now targets them; departed staff's open
assignments close as 离职 — nothing is deleted.

All services are idempotent (a reader already assigned a version is skipped; the unique
constraint settles races), so the daily ``acknowledgements_distribute`` may run any time.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from records.models import Department, Employee
from records.permissions import department_chain

from .models import (
    Acknowledgement,
    Assignment,
    AssignmentState,
    ChangeKind,
    ControlledDocumentPage,
    IssuedVersion,
    controlled_page_models,
)

BATCH = 2000


def _may_read(staff, version: IssuedVersion | None):
    """Only readers who may see the version (records.permissions: clearance, need-to-know)
    are asked to sign it; asking someone to sign what they may not open would leave an
    assignment that can never close."""
    if version is None:
        return staff
    staff = staff.filter(clearance__gte=version.classification)
    if version.need_to_know:
        staff = staff.filter(department_id__in=Department.descendants_of(set(version.need_to_know)))
    return staff


def readers_of(page: ControlledDocumentPage, version: IssuedVersion | None = None):
    """The active employees a document's distribution names (an Employee queryset), and of
    those, when a version is given, only the ones who may read it."""
    staff = _may_read(Employee.objects.active(), version)
    if page.distribution_all_staff:
        return staff
    departments = set(page.distribution.values_list("pk", flat=True))
    if departments and page.distribution_include_subdepartments:
        departments = Department.descendants_of(departments)
    wanted = (
        Q(department_id__in=departments)
        | Q(position_id__in=page.distribution_positions.values("pk"))
        | Q(user__groups__in=page.distribution_groups.values("pk"))
        | Q(pk__in=page.distribution_employees.values("pk"))
    )
    return staff.filter(wanted).distinct()


def _covering_signatures(version: IssuedVersion, employee_ids) -> dict[int, int]:
    """For a minor version: employee id → their acknowledgement of a version with the same
    major number (the signature that covers this one)."""
    if version.change_kind != ChangeKind.MINOR:
        return {}
    rows = Acknowledgement.objects.filter(
        version__page_id=version.page_id, version__major=version.major
    )
    if employee_ids is not None:
        rows = rows.filter(employee_id__in=employee_ids)
    return dict(rows.values_list("employee_id", "pk"))


def due_date(version: IssuedVersion, *, page=None, today: datetime.date | None = None):
    page = page or version.page.specific
    start = max(version.effective_date, today or timezone.localdate())
    return start + datetime.timedelta(days=page.acknowledgement_due_days)


def _assignments(version, page, employees, *, today) -> list[Assignment]:
    covering = _covering_signatures(version, [e.pk for e in employees])
    now = timezone.now()
    due = due_date(version, page=page, today=today)
    made = []
    for employee in employees:
        ack = covering.get(employee.pk)
        made.append(
            Assignment(
                version=version,
                page_id=version.page_id,
                employee_id=employee.pk,
                department_id=employee.department_id,
                due_on=due,
                assigned_at=now,
                state=AssignmentState.COVERED if ack else AssignmentState.OPEN,
                covered_by_id=ack,
                closed_at=now if ack else None,
            )
        )
    return made


@transaction.atomic
def version_distribute(*, version: IssuedVersion, today: datetime.date | None = None) -> int:
    """Assign a version now in force to every reader not yet assigned it; close the open
    assignments of the document's older versions. Returns how many assignments were made."""
    today = today or timezone.localdate()
    stopped = version.superseded_on is not None and version.superseded_on <= today
    if version.effective_date > today or stopped or version.repealed:
        return 0
    page = version.page.specific
    Assignment.objects.filter(page_id=version.page_id, state=AssignmentState.OPEN).exclude(
        version=version
    ).update(state=AssignmentState.SUPERSEDED, closed_at=timezone.now())
    assigned = set(version.assignments.values_list("employee_id", flat=True))
    readers = [
        e for e in readers_of(page, version).only("pk", "department_id") if e.pk not in assigned
    ]
    made = _assignments(version, page, readers, today=today)
    Assignment.objects.bulk_create(made, batch_size=BATCH, ignore_conflicts=True)
    return len(made)


def versions_targeting(employee: Employee, *, today: datetime.date | None = None):
    """Versions in force today of documents whose distribution names this employee."""
    today = today or timezone.localdate()
    chain = department_chain(employee.department_id)
    group_ids = list(employee.user.groups.values_list("pk", flat=True)) if employee.user_id else []
    page_ids: set[int] = set()
    for model in controlled_page_models():
        wanted = (
            Q(distribution_all_staff=True)
            | Q(distribution__in=[employee.department_id])
            | Q(distribution_include_subdepartments=True, distribution__in=chain)
            | Q(distribution_employees=employee.pk)
            | Q(distribution_groups__in=group_ids)
        )
        if employee.position_id:
            wanted |= Q(distribution_positions=employee.position_id)
        page_ids |= set(model.objects.live().filter(wanted).values_list("pk", flat=True))
    return IssuedVersion.objects.filter(page_id__in=page_ids, repealed=False).in_force_on(today)


@transaction.atomic
def employee_assignments_sync(*, employee: Employee, today: datetime.date | None = None) -> int:
    """A hire, transfer or departure: assign what now targets an active employee, or close a
    departed one's open assignments as 离职. Returns how many assignments were made."""
    today = today or timezone.localdate()
    if employee.status != Employee.Status.ACTIVE:
        Assignment.objects.filter(employee=employee, state=AssignmentState.OPEN).update(
            state=AssignmentState.DEPARTED, closed_at=timezone.now()
        )
        return 0
    assigned = set(employee.assignments.values_list("version_id", flat=True))
    made = []
    for version in versions_targeting(employee, today=today).select_related("page"):
        if (
            version.pk not in assigned
            and _may_read(Employee.objects.filter(pk=employee.pk), version).exists()
        ):
            made += _assignments(version, version.page.specific, [employee], today=today)
    Assignment.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)


def assignments_close_repealed(*, today: datetime.date | None = None) -> int:
    """Open assignments of versions repealed on or before today close as 废止."""
    today = today or timezone.localdate()
    return Assignment.objects.filter(
        state=AssignmentState.OPEN, version__repealed=True, version__superseded_on__lte=today
    ).update(state=AssignmentState.REPEALED, closed_at=timezone.now())


def in_force_distribute(*, today: datetime.date | None = None) -> int:
    """Distribute every version in force that has no assignments yet (versions issued ahead
    of their effective date, which nobody had to sign until today), and close what repeals
    that took effect meanwhile left open."""
    today = today or timezone.localdate()
    assignments_close_repealed(today=today)
    pending = (
        IssuedVersion.objects.in_force_on(today)
        .filter(repealed=False, effective_date__lte=today)
        .exclude(pk__in=Assignment.objects.values("version_id"))
    )
    return sum(version_distribute(version=v, today=today) for v in pending)
