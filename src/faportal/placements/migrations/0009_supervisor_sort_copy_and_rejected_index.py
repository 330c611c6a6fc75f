"""The copy of each supervisor's name that Deltagarlista sorts by, with its index, and an index for the few
placements with a document not approved ("not approved", the report column's filter). The copies are filled after
the indexes are built: PostgreSQL builds no index in a transaction with pending row updates.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_supervisor_names(apps, schema_editor):
    """Each supervised placement starts with its supervisor's name (an update cannot join: subqueries)."""
    Placement = apps.get_model("placements", "Placement")
    StaffAccount = apps.get_model("access", "StaffAccount")
    of = StaffAccount.objects.filter(pk=OuterRef("supervisor_id"))
    Placement.objects.filter(supervisor__isnull=False).update(
        sort_supervisor_surname=Subquery(of.values("person__surname")[:1]),
        sort_supervisor_given_name=Subquery(of.values("person__given_name")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0004_alter_afrolegrant_role_alter_rolegrant_role"),
        ("placements", "0008_review_flag_and_reporting_copies"),
        ("registry", "0003_service_rusta_och_matcha"),
    ]

    operations = [
        migrations.AddField(
            model_name="placement",
            name="sort_supervisor_given_name",
            field=models.CharField(blank=True, max_length=100, null=True),
        ),
        migrations.AddField(
            model_name="placement",
            name="sort_supervisor_surname",
            field=models.CharField(blank=True, max_length=100, null=True),
        ),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                condition=models.Q(("removed_at__isnull", True)),
                fields=["organisation", "sort_supervisor_surname", "sort_supervisor_given_name", "id"],
                include=("address",),
                name="placement_list_supervisor_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="placement",
            index=models.Index(
                condition=models.Q(("has_open_rejection", True), ("removed_at__isnull", True)),
                fields=["organisation", "starts_on", "id"],
                include=("address",),
                name="placement_rejected_idx",
            ),
        ),
        migrations.RunPython(fill_supervisor_names, migrations.RunPython.noop, elidable=True),
    ]
