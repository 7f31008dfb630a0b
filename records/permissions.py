"""The one access policy: who may see which document or record.

Every surface — page serving, listings, search, PDFs, exports, admin choosers — asks this
module, as a queryset filter for lists and as a yes/no for one object. Nothing else decides.
Today it applies 密级 against the user's clearance; need-to-know lists join it later.
"""

from django.db.models import QuerySet

NO_CLEARANCE = -1


def user_clearance(user) -> int:
    """The highest level a user may read: their employee clearance; all for superusers.

    Anonymous users and logins without an employee profile read nothing classified at all.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_CLEARANCE
    if user.is_superuser:
        return 10**6
    employee = getattr(user, "employee", None)
    if employee is None:
        return NO_CLEARANCE
    return employee.clearance


def visible_to(queryset: QuerySet, user, *, level_field: str = "classification") -> QuerySet:
    """Only the items whose level the user is cleared for."""
    return queryset.filter(**{f"{level_field}__lte": user_clearance(user)})


def can_view(user, obj, *, level_field: str = "classification") -> bool:
    """Whether the user may see this one item (same rule as ``visible_to``)."""
    return getattr(obj, level_field) <= user_clearance(user)
