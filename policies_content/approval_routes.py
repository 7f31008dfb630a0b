"""Which approval workflow a controlled document goes through (the approval matrix, 审批矩阵).

The matrix is data (ApprovalRoute rows HR edit in the admin): a grade-1 charter needs a longer
chain than a grade-3 work instruction, and a category (e.g. 财务) may need its own. Anything
the matrix does not cover falls back to Wagtail's rule: the workflow assigned to the page or
its nearest ancestor (the library's default workflow).
"""

from django.conf import settings
from wagtail.models import Page, Workflow

from .models import ApprovalRoute, PolicyCategoryPage

# The default chain, created by migration 0005 and assigned to the library page.
DEFAULT_WORKFLOW = "制度审批（编制→审核→批准）"
WORK_INSTRUCTION_WORKFLOW = "三级文件审批（部门负责人→分管领导）"


def page_category(page) -> PolicyCategoryPage | None:
    """The category a document sits in (its parent), or None (unsaved, or elsewhere)."""
    if not getattr(page, "path", None) or not page.depth or page.depth < 2:
        return None
    return PolicyCategoryPage.objects.parent_of(page).first()


def route_for(page) -> ApprovalRoute | None:
    """The matrix row for the page's grade and category, else for its grade alone."""
    grade = getattr(page, "grade", None)
    if not grade:
        return None
    routes = ApprovalRoute.objects.filter(grade=grade, workflow__active=True).select_related(
        "workflow"
    )
    category = page_category(page)
    if category is not None:
        route = routes.filter(category=category).first()
        if route is not None:
            return route
    return routes.filter(category__isnull=True).first()


def workflow_for(page) -> Workflow | None:
    """The workflow a submission of ``page`` starts: matrix first, then the page tree."""
    if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
        return None
    route = route_for(page)
    if route is not None:
        return route.workflow
    # Page.get_workflow, not page.get_workflow: controlled pages override it to call us.
    return Page.get_workflow(page)


def default_workflow() -> Workflow | None:
    return Workflow.objects.filter(name=DEFAULT_WORKFLOW, active=True).first()
