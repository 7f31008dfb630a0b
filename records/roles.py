"""The six roles, as Django groups. Names are the Chinese words HR use for them.

Groups are created with their permissions by migration (records 0002); later features add
their own permissions to these groups in their own migrations. What each role may reach:

- 员工 staff: the staff portal only; never the Wagtail admin.
- 制度管理员 policy editor / HR: the admin; organisation, documents, distribution.
- 审核人 reviewer and 批准人 approver: the admin, to act on approval tasks.
- 审计员 auditor: the read-only auditor area; never the admin.
- 系统管理员 admin: everything.
"""

STAFF = "员工"
POLICY_EDITOR = "制度管理员"
REVIEWER = "审核人"
APPROVER = "批准人"
AUDITOR = "审计员"
ADMINISTRATOR = "系统管理员"

ALL_ROLES = [STAFF, POLICY_EDITOR, REVIEWER, APPROVER, AUDITOR, ADMINISTRATOR]
ADMIN_ROLES = {POLICY_EDITOR, REVIEWER, APPROVER, ADMINISTRATOR}


ROLES_CACHE = "_zhidu_roles"  # on the user object: (is_superuser, frozenset of role names)


def user_roles(user) -> set[str]:
    """The role names a user holds (a superuser holds 系统管理员 whatever their groups).

    Read once per user object, i.e. once per request (a page asks up to eight times: the
    second-factor middleware, the header, the access policy …), like Django's own permission
    cache; ``roles_cache_clear`` (connected to the login's groups) drops it when they change.
    """
    if not user.is_authenticated:
        return set()
    cached = user.__dict__.get(ROLES_CACHE)
    if cached is None or cached[0] != user.is_superuser:
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(ADMINISTRATOR)
        cached = (user.is_superuser, frozenset(names & set(ALL_ROLES)))
        user.__dict__[ROLES_CACHE] = cached
    return set(cached[1])


def roles_cache_clear(sender, instance, reverse=False, **kwargs) -> None:
    """m2m_changed on a login's groups: forget the roles read for that user object."""
    if not reverse:
        instance.__dict__.pop(ROLES_CACHE, None)
