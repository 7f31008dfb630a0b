"""Database triggers that make acknowledgements append-only (UPDATE and DELETE raise).

The ORM already refuses (models/acknowledgement.py); the triggers stop raw SQL, a database
console or another program from rewriting what an employee signed. SQLite drops a table's
triggers whenever Django rebuilds the table for a schema change, so the triggers are not left to
one migration: ``ensure_append_only_triggers`` runs after every ``migrate`` (apps.py) and
creates whatever is missing.
"""

TABLE = "policies_content_acknowledgement"
MESSAGE = "acknowledgements are append-only"

SQL = {
    "sqlite": [
        f"CREATE TRIGGER IF NOT EXISTS ack_no_update BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
        f"CREATE TRIGGER IF NOT EXISTS ack_no_delete BEFORE DELETE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION zhidu_ack_append_only() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;",
        f"DROP TRIGGER IF EXISTS ack_append_only ON {TABLE};",
        f"CREATE TRIGGER ack_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION zhidu_ack_append_only();",
    ],
}


def ensure_append_only_triggers(connection) -> None:
    if TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        for statement in SQL.get(connection.vendor, []):
            cursor.execute(statement)


def after_migrate(sender, using="default", **kwargs):
    from django.db import connections

    ensure_append_only_triggers(connections[using])
