"""The default approval chains, the approval matrix, and who may edit it.

审核 (reviewers) then 批准 (approvers); 编制 is the author's own draft and submission, not a task.
Grades 1 and 2 take the regulation chain, grade 3 the work-instruction chain. The library page
gets the regulation chain so every document below it is routed. Idempotent: rows that exist
(by name) are kept as HR may have edited them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEW = ("审核", "审核人")
APPROVE = ("批准", "批准人")
REGULATION_WORKFLOW = "制度审批（编制→审核→批准）"
INSTRUCTION_WORKFLOW = "三级文件审批（部门负责人→分管领导）"
ROUTES = {"1": REGULATION_WORKFLOW, "2": REGULATION_WORKFLOW, "3": INSTRUCTION_WORKFLOW}
EDITORS = ["制度管理员", "系统管理员"]
CODES = [
    "view_approvals",
    "add_approvalroute",
    "change_approvalroute",
    "delete_approvalroute",
    "view_approvalroute",
]


def review_task(apps, name: str, group_name: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    ReviewTask = apps.get_model("policies_content", "ReviewTask")
    task = ReviewTask.objects.filter(name=name).first()
    if task is None:
        # Historical models lack Task.__init__, which sets the content type.
        content_type, _ = ContentType.objects.get_or_create(
            app_label="policies_content", model="reviewtask"
        )
        task = ReviewTask.objects.create(name=name, content_type=content_type, active=True)
        group = Group.objects.filter(name=group_name).first()
        if group is not None:
            task.groups.add(group)
    return task


def workflow(apps, name: str, tasks):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    found, created = Workflow.objects.get_or_create(name=name, defaults={"active": True})
    if created:
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=found, task_id=task.pk, sort_order=order)
    return found


def create_defaults(apps, schema_editor):
    review = review_task(apps, *REVIEW)
    approve = review_task(apps, *APPROVE)
    workflows = {
        name: workflow(apps, name, [review, approve])
        for name in (REGULATION_WORKFLOW, INSTRUCTION_WORKFLOW)
    }

    ApprovalRoute = apps.get_model("policies_content", "ApprovalRoute")
    for grade, name in ROUTES.items():
        ApprovalRoute.objects.get_or_create(
            grade=grade, category=None, defaults={"workflow": workflows[name]}
        )

    PolicyLibraryPage = apps.get_model("policies_content", "PolicyLibraryPage")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    for library in PolicyLibraryPage.objects.all():
        WorkflowPage.objects.get_or_create(
            page_id=library.pk, defaults={"workflow": workflows[REGULATION_WORKFLOW]}
        )


def grant(apps, schema_editor):
    app_config = apps.get_app_config("policies_content")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="policies_content", codename__in=CODES
    )
    for group in Group.objects.filter(name__in=EDITORS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="policies_content", codename__in=CODES
    )
    for group in Group.objects.filter(name__in=EDITORS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("policies_content", "0004_approval_workflow"),
        ("records", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        # The workflows and routes stay on reversal: they may hold history by then.
        migrations.RunPython(create_defaults, migrations.RunPython.noop),
        migrations.RunPython(grant, revoke),
    ]
