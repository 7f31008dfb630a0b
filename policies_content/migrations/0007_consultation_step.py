"""Put the consultation step (征求意见, 民主程序) first in the default regulation workflow.

劳动合同法 第四条: rules touching employees' vital interests must be discussed with them before
they are adopted, so consultation comes before review and approval. Documents that do not
touch those interests pass the step at once. Idempotent; does nothing if HR renamed or deleted
the workflow.

The policy editors (制度管理员), who record the outcome, also get the right to upload and choose
documents in the root collection: the minutes or the union's agreement are stored as Wagtail
documents through the document chooser.
"""

from django.db import migrations

REGULATION_WORKFLOW = "制度审批（编制→审核→批准）"
TASK_NAME = "征求意见（民主程序）"
OUTCOME_GROUP = "制度管理员"
DOCUMENT_PERMISSIONS = ["add_document", "choose_document"]


def consultation_task(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    ConsultationTask = apps.get_model("policies_content", "ConsultationTask")
    task = ConsultationTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        # Historical models lack Task.__init__, which sets the content type.
        content_type, _ = ContentType.objects.get_or_create(
            app_label="policies_content", model="consultationtask"
        )
        task = ConsultationTask.objects.create(
            name=TASK_NAME, content_type=content_type, active=True, days=7
        )
        group = Group.objects.filter(name=OUTCOME_GROUP).first()
        if group is not None:
            task.groups.add(group)
    return task


def add_step(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    workflow = Workflow.objects.filter(name=REGULATION_WORKFLOW).first()
    if workflow is None:
        return
    task = consultation_task(apps)
    if WorkflowTask.objects.filter(workflow=workflow, task_id=task.pk).exists():
        return
    existing = list(WorkflowTask.objects.filter(workflow=workflow).order_by("sort_order", "pk"))
    for order, link in enumerate(existing, start=1):
        link.sort_order = order
        link.save(update_fields=["sort_order"])
    WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=0)


def remove_step(apps, schema_editor):
    # The task itself stays: its consultations are records.
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowTask.objects.filter(
        workflow__name=REGULATION_WORKFLOW, task__name=TASK_NAME
    ).delete()


def grant_documents(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("wagtaildocs")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    group = Group.objects.filter(name=OUTCOME_GROUP).first()
    root = Collection.objects.filter(depth=1).first()
    if group is None or root is None:
        return
    for permission in Permission.objects.filter(
        content_type__app_label="wagtaildocs", codename__in=DOCUMENT_PERMISSIONS
    ):
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission
        )


class Migration(migrations.Migration):
    dependencies = [
        ("policies_content", "0006_consultation"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(add_step, remove_step),
        # Kept on reversal: other features may rely on the same permissions by then.
        migrations.RunPython(grant_documents, migrations.RunPython.noop),
    ]
