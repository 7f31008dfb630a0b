from django.db import migrations

from records.role_grants import role_permissions_migration

# HR (制度管理员) and administrators (系统管理员) keep the archives: file, change metadata, loans,
# appraisals, destruction lists and legal holds. Only administrators approve appraisals and
# destruction lists and may delete an item (never one under a legal hold). 审计员 get nothing
# here: they never reach the admin.
KEEPERS = ["制度管理员", "系统管理员"]
KEEPER_PERMISSIONS = [
    "add_archiveitem",
    "change_archiveitem",
    "view_archiveitem",
    "add_loan",
    "change_loan",
    "view_loan",
    "add_appraisal",
    "view_appraisal",
    "add_destructionlist",
    "change_destructionlist",
    "view_destructionlist",
    "add_legalhold",
    "change_legalhold",
    "view_legalhold",
]
grant_keepers, revoke_keepers = role_permissions_migration("records", KEEPER_PERMISSIONS, KEEPERS)
grant_admins, revoke_admins = role_permissions_migration(
    "records", ["approve_appraisal", "delete_archiveitem"], ["系统管理员"]
)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0007_archives"),
    ]

    operations = [
        migrations.RunPython(grant_keepers, revoke_keepers),
        migrations.RunPython(grant_admins, revoke_admins),
    ]
