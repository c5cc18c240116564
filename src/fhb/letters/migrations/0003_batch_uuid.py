"""A batch's uuid: the transport's name for it, unique for ever (batch ids repeat after a restore).

Added in three steps, as Django's documentation does it for a unique field on existing rows: the column
without a constraint, a distinct uuid for each existing batch, then the constraint.
"""

import uuid

from django.db import migrations, models


def give_each_batch_its_own_uuid(apps, schema_editor):  # type: ignore[no-untyped-def]
    Batch = apps.get_model("letters", "Batch")
    for pk in Batch.objects.values_list("pk", flat=True).iterator():
        Batch.objects.filter(pk=pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="batch",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="forsendelses-id"),
        ),
        migrations.RunPython(give_each_batch_its_own_uuid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="batch",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="forsendelses-id"
            ),
        ),
    ]
