"""The front doors: a landing page, and one home per role after login."""

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.users.models import UserProfile

from policies_content.acknowledgement_selectors import pending_assignments
from policies_content.consultations import open_consultations_for_user
from policies_content.selectors import (
    issued_documents,
    job_description_for_user,
    recent_versions_for_user,
    regulations_for_user,
)
from records.roles import ADMIN_ROLES, AUDITOR, user_roles
from records.selectors import department_tree, employee_directory


def landing(request):
    """Public start page in the visitor's language; signed-in users go to their home."""
    if request.user.is_authenticated:
        return redirect("role_home")
    return render(request, "zhidu/landing.html")


@login_required
def role_home(request):
    """Send each role to its own door: HR and approvers to the admin, auditors to the
    auditor area, everyone else to the staff portal."""
    user = request.user
    roles = user_roles(user)
    if roles & ADMIN_ROLES and user.has_perm("wagtailadmin.access_admin"):
        return redirect("wagtailadmin_home")
    if AUDITOR in roles and user.has_perm("records.access_auditor_area"):
        return redirect("auditor_home")
    return redirect("staff_home")


@login_required
def staff_home(request):
    """我的文件: what waits for my signature, my job description and the rules I may read."""
    return render(
        request,
        "zhidu/staff_home.html",
        {
            "regulations": regulations_for_user(user=request.user, limit=20),
            "recent": recent_versions_for_user(user=request.user),
            "job_description": job_description_for_user(user=request.user),
            "open_consultations": len(open_consultations_for_user(user=request.user)),
            "pending": list(pending_assignments(user=request.user)),
            "manages_team": bool(
                getattr(request.user, "employee", None) and request.user.employee.reports.exists()
            ),
        },
    )


@login_required
@permission_required("records.access_auditor_area", raise_exception=True)
def auditor_home(request):
    """审计区: read-only views over the organisation (later: the records and the audit trail)."""
    query = request.GET.get("q", "").strip()
    try:
        department_id = int(request.GET.get("department", "") or 0) or None
    except ValueError:
        department_id = None
    page = Paginator(employee_directory(query=query, department_id=department_id), 50).get_page(
        request.GET.get("page")
    )
    document_query = request.GET.get("document", "").strip()
    return render(
        request,
        "zhidu/auditor_home.html",
        {
            "tree": department_tree(),
            "employees": page,
            "query": query,
            "department_id": department_id,
            "document_query": document_query,
            "documents": issued_documents(user=request.user, query=document_query, limit=30),
        },
    )


@require_POST
def language_choose(request):
    """Switch the interface language; for a signed-in user it is saved as their preference."""
    code = request.POST.get("language", "")
    supported = {lang for lang, _name in settings.LANGUAGES}
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = redirect(next_url)
    if code in supported:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, code, samesite="Lax", secure=request.is_secure()
        )
        if request.user.is_authenticated:
            profile = UserProfile.get_for_user(request.user)
            profile.preferred_language = code
            profile.save(update_fields=["preferred_language"])
    return response
