"""PendingReindex rows name any indexed record (page:12, contract:5), not only a page."""

from django.db import migrations, models


def pages_to_sources(apps, schema_editor):
    PendingReindex = apps.get_model("zhidu_search", "PendingReindex")
    for row in PendingReindex.objects.all():
        row.source = f"page:{row.page_id}"
        row.save(update_fields=["source"])


def sources_to_pages(apps, schema_editor):
    PendingReindex = apps.get_model("zhidu_search", "PendingReindex")
    for row in PendingReindex.objects.all():
        kind, _sep, number = row.source.partition(":")
        if kind == "page":
            row.page_id = int(number)
            row.save(update_fields=["page_id"])
        else:
            row.delete()


class Migration(migrations.Migration):
    dependencies = [("zhidu_search", "0002_savedsearch")]

    operations = [
        migrations.AddField(
            model_name="pendingreindex",
            name="source",
            field=models.CharField(max_length=40, null=True, verbose_name="record"),
        ),
        migrations.AlterField(
            model_name="pendingreindex",
            name="page_id",
            field=models.PositiveBigIntegerField(null=True, verbose_name="document"),
        ),
        migrations.RunPython(pages_to_sources, sources_to_pages),
        migrations.RemoveField(model_name="pendingreindex", name="page_id"),
        migrations.AlterField(
            model_name="pendingreindex",
            name="source",
            field=models.CharField(max_length=40, unique=True, verbose_name="record"),
        ),
    ]
