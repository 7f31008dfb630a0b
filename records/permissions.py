"""The one access policy: who may see which document or record.

Every surface — page serving, listings, search, PDFs, exports, admin choosers — asks this
module, as a queryset filter for lists (``visible_to``) and as a yes/no for one object
(``can_view``). Nothing else decides. Two rules, both must pass:

1. **密级 against clearance.** The item's level must not exceed the user's clearance. Nobody
   bypasses this except superusers (cleared for everything).
2. **Need-to-know.** An item may list departments; then only employees of those departments
   or of departments below them may see it. An empty list means no restriction. Superusers
   and auditors (审计员 holding ``records.access_auditor_area``) bypass need-to-know — an
   auditor must be able to examine every department's documents — but auditors still need
   the clearance (rule 1).

How an item exposes its need-to-know list:

- one object: a method ``need_to_know_department_ids()`` returning a set of department ids
  (empty = no restriction); objects without it are unrestricted.
- a queryset: the field named by ``need_to_know_field`` (default: the model's class
  attribute ``need_to_know_field``, so a caller cannot forget it). The field is either a
  many-to-many to ``records.Department`` (pages) or a JSONField holding a list of department
  ids (issued versions keep the list they were issued under). JSON lists are matched in
  Python — ``contains`` on JSON is not available on SQLite — so the restricted rows (few)
  are read once and the matching keys passed back to the database; semantics are therefore
  identical on SQLite and PostgreSQL. A department id that no longer exists matches nobody:
  a deleted department never silently lifts a restriction.
"""

from django.db import models
from django.db.models import Q, QuerySet

NO_CLEARANCE = -1
PUBLIC = 0  # 公开: the lowest level
_MODEL_DEFAULT = object()


def user_clearance(user) -> int:
    """The highest level a user may read: their employee clearance; all for superusers.

    Anonymous users read nothing; a login without an employee profile (a service or
    administrator account, an employee record deleted) reads only 公开 items.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_CLEARANCE
    if user.is_superuser:
        return 10**6
    employee = getattr(user, "employee", None)
    if employee is None:
        return PUBLIC
    return employee.clearance


def bypasses_need_to_know(user) -> bool:
    """Superusers and auditors see past need-to-know lists (never past clearance)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    from records.roles import AUDITOR, user_roles

    return AUDITOR in user_roles(user) and user.has_perm("records.access_auditor_area")


def sees_drafts(user) -> bool:
    """Whether search shows the user documents as last saved and not yet issued: those who
    write them (制度管理员) and system administrators. Drafts still obey both rules above."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    from records.roles import ADMINISTRATOR, POLICY_EDITOR, user_roles

    return bool({POLICY_EDITOR, ADMINISTRATOR} & user_roles(user))


def searchable_record_kinds(user) -> frozenset[str]:
    """Which records besides documents search shows the user (within both rules above):
    contracts and archive items to those who keep them (their view permission) and to
    auditors. Staff browse the archive they may read on its own page."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    auditor = user.has_perm("records.access_auditor_area")
    kinds = set()
    if auditor or user.has_perm("records.view_contract"):
        kinds.add("contract")
    if auditor or user.has_perm("records.view_archiveitem"):
        kinds.add("archive")
    return frozenset(kinds)


def department_chain(department_id: int | None) -> frozenset[int]:
    """A department and every department above it (one query)."""
    chain: set[int] = set()
    if department_id:
        from records.models import Department

        parents = dict(Department.objects.values_list("pk", "parent_id"))
        node = department_id
        while node is not None and node not in chain:
            chain.add(node)
            node = parents.get(node)
    return frozenset(chain)


def user_department_chain(user) -> frozenset[int]:
    """The user's department and every department above it (cached on the user object).

    An item listing department D is visible to a member of D or of anything below D, i.e.
    to a user whose chain contains D.
    """
    cached = getattr(user, "_zhidu_department_chain", None)
    if cached is not None:
        return cached
    employee = getattr(user, "employee", None) if getattr(user, "is_authenticated", False) else None
    result = department_chain(employee.department_id if employee is not None else None)
    if getattr(user, "is_authenticated", False):
        user._zhidu_department_chain = result
    return result


def _need_to_know_q(queryset: QuerySet, user, field_name: str) -> Q:
    field = queryset.model._meta.get_field(field_name)
    chain = user_department_chain(user)
    if isinstance(field, models.JSONField):
        restricted = queryset.exclude(**{field_name: []}).values_list("pk", field_name)
        allowed = [pk for pk, ids in restricted if chain & set(ids or [])]
        return Q(**{field_name: []}) | Q(pk__in=allowed)
    model = queryset.model
    restricted = model._base_manager.filter(**{f"{field_name}__isnull": False}).values("pk")
    allowed = model._base_manager.filter(**{f"{field_name}__in": chain}).values("pk")
    return ~Q(pk__in=restricted) | Q(pk__in=allowed)


def visible_to(
    queryset: QuerySet,
    user,
    *,
    level_field: str = "classification",
    need_to_know_field=_MODEL_DEFAULT,
) -> QuerySet:
    """Only the items whose level the user is cleared for and whose need-to-know list (if
    any) includes the user's department or one above it."""
    queryset = queryset.filter(**{f"{level_field}__lte": user_clearance(user)})
    if need_to_know_field is _MODEL_DEFAULT:
        need_to_know_field = getattr(queryset.model, "need_to_know_field", None)
    if need_to_know_field and not bypasses_need_to_know(user):
        queryset = queryset.filter(_need_to_know_q(queryset, user, need_to_know_field))
    return queryset


def can_view(user, obj, *, level_field: str = "classification") -> bool:
    """Whether the user may see this one item (same rules as ``visible_to``)."""
    if getattr(obj, level_field) > user_clearance(user):
        return False
    ids_of = getattr(obj, "need_to_know_department_ids", None)
    if ids_of is None or bypasses_need_to_know(user):
        return True
    wanted = set(ids_of())
    return not wanted or bool(wanted & user_department_chain(user))


def audit_entries_visible_to(entries: QuerySet, user) -> QuerySet:
    """Audit entries about objects the user may see. An entry about a classified item the user
    may not see (a document above their clearance, say) is left out entirely, so its title
    is never shown; entries about other things (logins, imports) stay."""
    from django.apps import apps

    hidden = Q(pk__in=[])
    pairs = entries.order_by().values_list("object_type", "object_id").distinct()
    by_type: dict[str, set[str]] = {}
    for object_type, object_id in pairs:
        if object_type and object_id:
            by_type.setdefault(object_type, set()).add(object_id)
    for object_type, ids in by_type.items():
        try:
            model = apps.get_model(object_type)
        except (LookupError, ValueError):
            continue
        if not any(f.name == "classification" for f in model._meta.get_fields()):
            continue
        numeric = {i for i in ids if i.isdigit()}
        seen = {
            str(pk)
            for pk in visible_to(model.objects.filter(pk__in=numeric), user).values_list(
                "pk", flat=True
            )
        }
        if ids - seen:
            hidden |= Q(object_type=object_type, object_id__in=ids - seen)
    return entries.exclude(hidden)
