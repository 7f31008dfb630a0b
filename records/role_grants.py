"""Granting an app's permissions to roles from a data migration (one way, used by every app).

A migration that adds a permission cannot rely on post_migrate having created it yet, so the
permissions are created first; then the named roles (groups) get them. Reversing removes them.
"""

from django.contrib.auth.management import create_permissions


def role_permissions_migration(app_label: str, codenames: list[str], roles: list[str]):
    """(forward, backward) functions for migrations.RunPython."""

    def _permissions(apps):
        Permission = apps.get_model("auth", "Permission")
        return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)

    def grant(apps, schema_editor):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        permissions = list(_permissions(apps))
        for role in roles:
            group, _created = Group.objects.get_or_create(name=role)
            group.permissions.add(*permissions)

    def revoke(apps, schema_editor):
        Group = apps.get_model("auth", "Group")
        permissions = list(_permissions(apps))
        for group in Group.objects.filter(name__in=roles):
            group.permissions.remove(*permissions)

    return grant, revoke
