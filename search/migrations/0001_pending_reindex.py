# PendingReindex: index updates kept while the index is unavailable (search.upkeep).

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="PendingReindex",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("page_id", models.PositiveBigIntegerField(unique=True, verbose_name="document")),
                ("since", models.DateTimeField(db_index=True, verbose_name="since")),
            ],
            options={
                "verbose_name": "pending index update",
                "verbose_name_plural": "pending index updates",
                "ordering": ["since"],
            },
        ),
    ]
