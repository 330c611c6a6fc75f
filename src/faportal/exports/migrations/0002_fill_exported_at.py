"""Each placement's copy of the export history (``Placement.exported_at``): when a finished export first held it."""

from django.db import migrations
from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_exported_at(apps, schema_editor):
    Placement = apps.get_model("placements", "Placement")
    ExportedPlacement = apps.get_model("exports", "ExportedPlacement")
    first = (
        ExportedPlacement.objects.filter(placement=OuterRef("pk"), export__status="done")
        .values("placement")
        .annotate(at=Min(Coalesce("export__finished_at", "export__created_at")))
        .values("at")
    )
    exported = ExportedPlacement.objects.filter(export__status="done").values("placement")
    Placement.objects.filter(pk__in=exported).update(exported_at=Subquery(first))


class Migration(migrations.Migration):
    dependencies = [
        ("exports", "0001_initial"),
        ("placements", "0010_export_copy"),
    ]

    operations = [migrations.RunPython(fill_exported_at, migrations.RunPython.noop, elidable=True)]
