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


def user_roles(user) -> set[str]:
    """The role names a user holds (a superuser holds 系统管理员 whatever their groups)."""
    if not user.is_authenticated:
        return set()
    names = set(user.groups.values_list("name", flat=True))
    if user.is_superuser:
        names.add(ADMINISTRATOR)
    return names & set(ALL_ROLES)
