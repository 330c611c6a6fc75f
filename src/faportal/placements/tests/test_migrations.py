"""Migrations 0004 and 0005 add and fill the placement's copies from what it copies: the interruption in force, the
events' unread flags and the participant's name (issue 9)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("placements", "0002_event_kinds_without_provider_change")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_copies_start_as_what_they_copy():
    apps = migrate(BEFORE)
    Organisation = apps.get_model("registry", "Organisation")
    Unit = apps.get_model("registry", "Unit")
    Address = apps.get_model("registry", "Address")
    Service = apps.get_model("registry", "Service")
    Participant = apps.get_model("placements", "Participant")
    Placement = apps.get_model("placements", "Placement")
    Interruption = apps.get_model("placements", "Interruption")
    Event = apps.get_model("placements", "Event")
    service = Service.objects.get(code="rusta-och-matcha")
    organisation = Organisation.objects.create(organisationsnummer="5560000001", name="Migr AB")
    unit = Unit.objects.create(ka_id="M1", organisation=organisation, service=service, name="Migr")
    address = Address.objects.create(
        ka_id="M11", unit=unit, street="Gatan 1", postcode="11122", town="Stockholm", municipality_id="0180"
    )
    day = datetime.date(2026, 11, 24)

    def placement(reference, participant):
        return Placement.objects.create(
            genomforandereferens=reference,
            participant=participant,
            organisation=organisation,
            service=service,
            unit=unit,
            address=address,
            level="B",
            period=1,
            decided_on=day,
            starts_on=day,
            ends_on=day + datetime.timedelta(days=180),
        )

    open_ = placement("GFR-MIGR00001", Participant.objects.create(personnummer="1", given_name="Ada", surname="Ek"))
    hidden = Participant.objects.create(personnummer="2", given_name="Bo", surname="Al", protected_identity=True)
    withdrawn = placement("GFR-MIGR00002", hidden)
    moment = timezone.now()
    Interruption.objects.create(placement=open_, reason="work", interrupts_on=day)
    Interruption.objects.create(placement=withdrawn, reason="moved", interrupts_on=day, withdrawn_at=moment)
    Event.objects.create(placement=open_, kind="decided", at=moment - datetime.timedelta(days=2))
    Event.objects.create(placement=open_, kind="interrupted", at=moment - datetime.timedelta(days=1))
    Event.objects.create(placement=open_, kind="interruption_moved", at=moment)

    apps = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    Placement = apps.get_model("placements", "Placement")
    first = Placement.objects.get(genomforandereferens="GFR-MIGR00001")
    assert (first.interrupts_on, first.interruption_reason) == (day, "work")
    assert first.flag_new_at == moment - datetime.timedelta(days=2)
    assert first.flag_interruption_at == moment
    assert first.flag_decision_at is None
    assert (first.sort_protected, first.sort_surname, first.sort_given_name, first.search_name) == (
        False,
        "Ek",
        "Ada",
        "Ada Ek",
    )
    second = Placement.objects.get(genomforandereferens="GFR-MIGR00002")
    assert (second.interrupts_on, second.interruption_reason) == (None, "")  # withdrawn: none in force
    assert (second.sort_protected, second.sort_surname, second.search_name) == (True, "", "Bo Al")
