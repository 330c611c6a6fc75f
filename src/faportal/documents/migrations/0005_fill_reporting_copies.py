"""Fill the placements' copies of how far their reporting has come (``Placement.plan_submitted_at``,
``latest_report_month``, ``has_open_rejection``) from the documents and their reviews; from now on
``documents.listing.keep_copies`` keeps them."""

from django.db import migrations
from django.db.models import Exists, Max, Min, OuterRef, Subquery


def fill(apps, schema_editor):
    Placement = apps.get_model("placements", "Placement")
    Document = apps.get_model("documents", "Document")
    submitted = Document.objects.filter(placement=OuterRef("pk"), submitted_at__isnull=False)
    Placement.objects.filter(pk__in=Document.objects.filter(submitted_at__isnull=False).values("placement_id")).update(
        plan_submitted_at=Subquery(
            submitted.filter(kind="plan").values("placement").annotate(first=Min("submitted_at")).values("first")
        ),
        latest_report_month=Subquery(
            submitted.filter(kind="monthly_report")
            .values("placement")
            .annotate(latest=Max("period_start"))
            .values("latest")
        ),
    )
    Review = apps.get_model("documents", "Review")
    replaced = Document.objects.filter(corrects=OuterRef("document_id"), submitted_at__isnull=False)
    waiting = Review.objects.filter(status="rejected").exclude(Exists(replaced)).values("document__placement_id")
    Placement.objects.filter(pk__in=waiting).update(has_open_rejection=True)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_files_topics_numbers"),
        ("placements", "0008_review_flag_and_reporting_copies"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
