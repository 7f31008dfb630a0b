"""Create the six roles as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ORGANISATION = [
    "add_department",
    "change_department",
    "delete_department",
    "view_department",
    "add_position",
    "change_position",
    "delete_position",
    "view_position",
    "add_employee",
    "change_employee",
    "view_employee",
    "import_employees",
]
ROLE_PERMISSIONS = {
    "员工": [],
    "制度管理员": [("wagtailadmin", "access_admin"), *[("records", c) for c in ORGANISATION]],
    "审核人": [("wagtailadmin", "access_admin")],
    "批准人": [("wagtailadmin", "access_admin")],
    "审计员": [
        ("records", "access_auditor_area"),
        ("records", "view_department"),
        ("records", "view_position"),
        ("records", "view_employee"),
    ],
    "系统管理员": [
        ("wagtailadmin", "access_admin"),
        *[("records", c) for c in ORGANISATION],
        ("records", "delete_employee"),
        ("auth", "add_user"),
        ("auth", "change_user"),
        ("auth", "delete_user"),
        ("auth", "add_group"),
        ("auth", "change_group"),
        ("auth", "delete_group"),
        ("wagtailcore", "add_site"),
        ("wagtailcore", "change_site"),
    ],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codes:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
