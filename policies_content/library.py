"""Where imported documents go: the policy library and its categories, created on demand."""

import re

from django.contrib.auth.models import Group, Permission
from django.utils.text import slugify
from wagtail.models import GroupPagePermission, Page, PageViewRestriction, Site, WorkflowPage

from records.roles import ADMINISTRATOR, POLICY_EDITOR

from .approval_routes import default_workflow
from .models import PolicyCategoryPage, PolicyLibraryPage

JOB_DESCRIPTIONS = "岗位说明书"
CATEGORY_SLUGS = {
    "管理制度": "management",
    "人事": "hr",
    "财务": "finance",
    "安全": "safety",
    JOB_DESCRIPTIONS: "job-descriptions",
}
KEYWORDS = [
    ("人事", re.compile(r"人事|考勤|招聘|薪|休假|请假|员工守则|人员|培训|绩效|劳动|人員|員工")),
    ("财务", re.compile(r"财务|報銷|报销|费用|資金|资金|预算|会计|財務")),
    ("安全", re.compile(r"安全|保密|信息安全|消防|网络|電腦|电脑|資訊")),
]


# Page permissions on the library. HR draft and submit; only a completed approval workflow
# publishes (system administrators may publish directly, e.g. to correct an error).
LIBRARY_PERMISSIONS = {
    POLICY_EDITOR: ["add", "change"],  # publishing is the approval workflow's last step
    ADMINISTRATOR: ["add", "change", "publish", "delete"],
}


def guess_category_title(title: str) -> str:
    for category, pattern in KEYWORDS:
        if pattern.search(title):
            return category
    return "管理制度"


def policy_library() -> PolicyLibraryPage:
    library = PolicyLibraryPage.objects.first()
    if library is not None:
        return library
    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_page if site else Page.get_first_root_node()
    library = PolicyLibraryPage(
        title="制度库", slug="library", intro="本公司现行有效的规章制度与岗位说明书。"
    )
    root.add_child(instance=library)
    library.save_revision().publish()
    # Only signed-in staff read the library; editors work on everything below it.
    PageViewRestriction.objects.create(page=library, restriction_type=PageViewRestriction.LOGIN)
    for role, permissions in LIBRARY_PERMISSIONS.items():
        group = Group.objects.filter(name=role).first()
        for permission_type in permissions if group else ():
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=f"{permission_type}_page"
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page=library, permission=permission
            )
    # Every document below the library goes through the default approval chain (审核→批准).
    workflow = default_workflow()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page=library, defaults={"workflow": workflow})
    return library


def category_page(title: str) -> PolicyCategoryPage:
    """The library's category of that title, created (and published) if missing."""
    library = policy_library()
    existing = PolicyCategoryPage.objects.child_of(library).filter(title=title).first()
    if existing is not None:
        return existing
    slug = CATEGORY_SLUGS.get(title) or slugify(title, allow_unicode=True) or "category"
    category = PolicyCategoryPage(title=title, slug=slug)
    library.add_child(instance=category)
    category.save_revision().publish()
    return category
