"""Acknowledgements are append-only in the database too: UPDATE and DELETE raise.

The ORM already refuses (models/acknowledgement.py); these triggers stop raw SQL, a database
console or another application from rewriting what an employee signed.
"""

from django.db import migrations

TABLE = "policies_content_acknowledgement"
MESSAGE = "acknowledgements are append-only"

SQLITE = [
    f"CREATE TRIGGER ack_no_update BEFORE UPDATE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER ack_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS ack_no_update;", "DROP TRIGGER IF EXISTS ack_no_delete;"]
POSTGRES = [
    "CREATE OR REPLACE FUNCTION zhidu_ack_append_only() RETURNS trigger AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;",
    f"CREATE TRIGGER ack_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION zhidu_ack_append_only();",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER IF EXISTS ack_append_only ON {TABLE};",
    "DROP FUNCTION IF EXISTS zhidu_ack_append_only();",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("policies_content", "0009_acknowledgement")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
