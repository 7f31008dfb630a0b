"""Acknowledgements are append-only in the database too (policies_content/append_only.py,
which also re-creates the triggers after every migrate)."""

from django.db import migrations


def create(apps, schema_editor):
    from policies_content.append_only import ensure_append_only_triggers

    ensure_append_only_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("policies_content", "0009_acknowledgement")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
