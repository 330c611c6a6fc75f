"""The export history without foreign-key constraints in the database, nor an index of the export alone (ADR 0017).

An export of 40 000 participants writes 40 000 rows of history, and PostgreSQL checked each row's two keys one at a
time at commit (≈ 1 s, more than the rest of the export). The rows are written in one place, with the ids the export
has just read; exports and placements are never deleted, and Django still cascades and protects if one is. The index
of (export, placement) that keeps a placement once per export finds an export's rows as well.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0002_fill_exported_at"),
        ("placements", "0010_export_copy"),
    ]

    operations = [
        migrations.AlterField(
            model_name="exportedplacement",
            name="export",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="rows",
                to="exports.exportrun",
            ),
        ),
        migrations.AlterField(
            model_name="exportedplacement",
            name="placement",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="placements.placement",
            ),
        ),
    ]
