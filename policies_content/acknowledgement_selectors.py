"""Reads about assignments and acknowledgements, for staff pages, HR screens and exports.

Every read that names documents takes the ``user`` and goes through the access policy
(records.permissions): a version above the reader's clearance is left out, counts included.
Query counts do not grow with the rows returned (select_related / aggregation in the database).
"""

from django.db.models import Case, IntegerField, Value, When

from records.permissions import visible_to

from .models import Assignment, AssignmentState, IssuedVersion


def _visible_versions(user):
    return visible_to(IssuedVersion.objects.all(), user).values("pk")


def pending_assignments(*, user):
    """待我签收: the user's open assignments, overdue first then by due date."""
    employee = getattr(user, "employee", None)
    if employee is None:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(employee=employee, state=AssignmentState.OPEN)
        .filter(version_id__in=_visible_versions(user))
        .select_related("version")
        .order_by("due_on", "pk")
    )


def my_acknowledgement_history(*, user):
    """Everything the user was asked to sign, newest first, with its outcome."""
    employee = getattr(user, "employee", None)
    if employee is None:
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(employee=employee)
        .filter(version_id__in=_visible_versions(user))
        .select_related("version", "acknowledgement", "covered_by__version")
        .annotate(
            is_open=Case(
                When(state=AssignmentState.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("is_open", "-assigned_at")
    )
