"""Reads of policy documents for other apps; each takes the user and applies the access policy."""

from records.permissions import visible_to

from .models import JobDescriptionPage, RegulationPage


def regulations_for_user(*, user, limit: int | None = None):
    """Live regulations the user may read, newest effective date first."""
    pages = visible_to(RegulationPage.objects.live(), user).order_by("-effective_date", "title")
    return pages[:limit] if limit else pages


def job_description_for_user(*, user) -> JobDescriptionPage | None:
    """The live job description of the user's own position, if HR has written one."""
    employee = getattr(user, "employee", None)
    if employee is None or employee.position_id is None:
        return None
    return JobDescriptionPage.objects.live().filter(position_id=employee.position_id).first()
