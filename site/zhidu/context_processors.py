"""Template context every page needs: the user's roles and employee profile."""

from records.roles import ADMIN_ROLES, AUDITOR, user_roles


def zhidu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": set()}
    roles = user_roles(user)
    return {
        "roles": roles,
        "employee": getattr(user, "employee", None),
        "is_admin_user": bool(roles & ADMIN_ROLES) and user.has_perm("wagtailadmin.access_admin"),
        "is_auditor": AUDITOR in roles and user.has_perm("records.access_auditor_area"),
    }
