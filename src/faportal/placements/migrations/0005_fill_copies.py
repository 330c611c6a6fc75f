"""The placement's copies start out as what they copy (the interruption in force, the events' unread flags, the
participant's name), in a step of its own: PostgreSQL builds no index in a transaction with pending row updates.
"""

from django.db import migrations
from django.db.models import Case, F, Max, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat, Trim

# As in faportal.placements.models.UNREAD_KINDS when this was written.
FLAG_KINDS = {
    "flag_new_at": ["decided"],
    "flag_interruption_at": ["interrupted", "interruption_moved", "interruption_withdrawn"],
    "flag_decision_at": ["new_decision"],
}


def fill_copies(apps, schema_editor):
    """The copies start out as what the interruptions, the events and the participants say."""
    Placement = apps.get_model("placements", "Placement")
    Interruption = apps.get_model("placements", "Interruption")
    Event = apps.get_model("placements", "Event")
    current = Interruption.objects.filter(placement=OuterRef("pk"), withdrawn_at__isnull=True)
    latest = {
        field: Subquery(
            Event.objects.filter(placement=OuterRef("pk"), kind__in=kinds)
            .values("placement")
            .annotate(at=Max("at"))
            .values("at")
        )
        for field, kinds in FLAG_KINDS.items()
    }

    Placement.objects.update(
        interrupts_on=Subquery(current.values("interrupts_on")[:1]),
        interruption_reason=Coalesce(Subquery(current.values("reason")[:1]), Value("")),
        **latest,
    )
    # An update cannot join: the participant's columns come through subqueries.
    Participant = apps.get_model("placements", "Participant")
    of = Participant.objects.filter(pk=OuterRef("participant_id"))
    Placement.objects.update(
        sort_protected=Subquery(of.values("protected_identity")[:1]),
        sort_surname=Subquery(
            of.annotate(shown=Case(When(protected_identity=True, then=Value("")), default=F("surname"))).values(
                "shown"
            )[:1]
        ),
        sort_given_name=Subquery(
            of.annotate(shown=Case(When(protected_identity=True, then=Value("")), default=F("given_name"))).values(
                "shown"
            )[:1]
        ),
        search_name=Subquery(of.annotate(full=Trim(Concat("given_name", Value(" "), "surname"))).values("full")[:1]),
    )


# PostgreSQL's planner takes an organisation and an address as independent and so expects a twelfth of a big
# provider's rows; the address names the organisation, and these statistics tell it so.
STATISTICS = "CREATE STATISTICS IF NOT EXISTS placement_scope_stats (dependencies, ndistinct) ON organisation_id, address_id FROM placements_placement"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STATISTICS)


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS placement_scope_stats")


class Migration(migrations.Migration):
    dependencies = [("placements", "0004_list_copies_and_indexes")]

    operations = [
        migrations.RunPython(fill_copies, migrations.RunPython.noop),
        migrations.RunPython(create_statistics, drop_statistics),
    ]
