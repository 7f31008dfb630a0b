"""Policy editors and administrators track acknowledgements, chase and record proxies."""

from django.db import migrations

from records.role_grants import role_permissions_migration

grant, revoke = role_permissions_migration(
    "policies_content",
    ["track_acknowledgements", "view_assignment", "view_acknowledgement"],
    ["制度管理员", "系统管理员"],
)


class Migration(migrations.Migration):
    dependencies = [
        ("policies_content", "0010_acknowledgement_append_only"),
        ("records", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
