"""Documents II: the number of documents there can be many of, their files (evidence, the PDF copy), and the topics
of an informative report to begin with (Af edits them afterwards).

Only a nullable column is added to the documents table, so SQLite alters it in place and keeps the triggers that
refuse changing a submitted document (0003).
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

TOPICS = [
    ("annat_program", "Ett annat arbetsmarknadspolitiskt program skulle hjälpa deltagaren", 10),
    ("tolk", "Deltagaren behöver tolk", 20),
    ("andrade_forhallanden", "Deltagarens förhållanden har ändrats", 30),
    ("ovrigt", "Övrigt", 100),
]


def seed(apps, schema_editor):
    InformationTopic = apps.get_model("documents", "InformationTopic")
    for code, name, position in TOPICS:
        InformationTopic.objects.update_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0003_alter_afrolegrant_role"),
        ("documents", "0003_final_rows_triggers"),
        ("placements", "0007_export_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentFile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("purpose", models.CharField(choices=[("evidence", "Evidence"), ("copy", "PDF copy")], max_length=20)),
                ("stored_name", models.CharField(max_length=100, unique=True)),
                ("file_name", models.CharField(max_length=200, verbose_name="file name")),
                ("content_type", models.CharField(max_length=50)),
                ("size", models.PositiveBigIntegerField(verbose_name="size")),
                ("sha256", models.CharField(max_length=64)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="added")),
            ],
            options={
                "verbose_name": "document file",
                "verbose_name_plural": "document files",
                "ordering": ["created_at", "pk"],
                "base_manager_name": "objects",
            },
        ),
        migrations.CreateModel(
            name="InformationTopic",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.SlugField(unique=True, verbose_name="code")),
                ("name", models.CharField(max_length=200, verbose_name="name")),
                ("active", models.BooleanField(default=True, verbose_name="in use")),
                ("position", models.PositiveSmallIntegerField(default=100, verbose_name="order")),
            ],
            options={
                "verbose_name": "topic of an informative report",
                "verbose_name_plural": "topics of informative reports",
                "ordering": ["position", "name"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="document",
            name="one_document_per_kind_and_period",
        ),
        migrations.AddField(
            model_name="document",
            name="number",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                condition=models.Q(("number__isnull", True), ("original__isnull", True)),
                fields=("placement", "kind", "period_start"),
                name="one_document_per_kind_and_period",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                condition=models.Q(("number__isnull", False), ("original__isnull", True)),
                fields=("placement", "kind", "number"),
                name="one_number_per_kind",
            ),
        ),
        migrations.AddField(
            model_name="documentfile",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="access.staffaccount",
            ),
        ),
        migrations.AddField(
            model_name="documentfile",
            name="document",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="files", to="documents.document"
            ),
        ),
        migrations.AddConstraint(
            model_name="documentfile",
            constraint=models.UniqueConstraint(
                condition=models.Q(("purpose", "copy")), fields=("document",), name="one_copy_per_document"
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
