"""Policy editors and administrators track acknowledgements, chase and record proxies."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODES = ["track_acknowledgements", "view_assignment", "view_acknowledgement"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("policies_content")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="policies_content",
                                            codename__in=CODES)
    for group in Group.objects.filter(name__in=["制度管理员", "系统管理员"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="policies_content",
                                            codename__in=CODES)
    for group in Group.objects.filter(name__in=["制度管理员", "系统管理员"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("policies_content", "0010_acknowledgement_append_only"),
        ("records", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
