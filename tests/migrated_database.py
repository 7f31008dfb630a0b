"""Getting the test database ready for tests that restore the migrated rows
(``django_db(transaction=True, serialized_rollback=True)``: the browser journeys, backup and
restore), whatever committed tests ran before them."""

import json

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection


def migrated_rows_restorable() -> None:
    """Serialized rollback loads the migrated contents into the emptied database before each
    such test. Transactional tests elsewhere (not serialized) leave it emptied but for the
    content types and permissions that post_migrate recreates, under other ids: loading would
    collide with them, and Django's cache of content types would keep the wrong ids. Then empty
    it and put back the migrated content types, cached. Nothing to do when the migrated rows
    are there (tests that rolled back) or nothing is (tests that restored them and flushed)."""
    if Group.objects.exists() or not ContentType.objects.exists():
        return
    # As Django's own flush between transactional tests: the ids to be restored are the
    # migrated database's, so the sequences must stay past them.
    call_command(
        "flush",
        interactive=False,
        verbosity=0,
        inhibit_post_migrate=True,
        reset_sequences=False,
    )
    # Straight from the JSON: building other objects (pages, tasks) looks content types up.
    ContentType.objects.bulk_create(
        ContentType(pk=row["pk"], **row["fields"])
        for row in json.loads(connection._test_serialized_contents)
        if row["model"] == "contenttypes.contenttype"
    )
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)


def append_only_triggers_drop() -> None:
    """After a committed test: the suite empties the database with DELETE on SQLite, which the
    acknowledgements' append-only triggers refuse (PostgreSQL truncates, which row triggers do
    not see). Dropped for that flush only: the next such test's set-up puts them back
    (policies_content.append_only.ensure_append_only_triggers)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for name in ("ack_no_update", "ack_no_delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
