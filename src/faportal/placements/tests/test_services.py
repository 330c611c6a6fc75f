"""Placements (SPEC S4, S8.2): Af's decisions, idempotency, intake, supervisors, interruptions, provider change."""

import datetime

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from faportal.access.actor import Actor
from faportal.access.models import Role
from faportal.audit.models import AuditEvent
from faportal.core.problems import Refused
from faportal.placements import rules, services, timeline
from faportal.placements.models import Decision, Interruption, Placement
from faportal.placements.rules import earliest_start, period_end
from faportal.testing import make_account, make_person, participant_data, place

pytestmark = pytest.mark.django_db

AF = Actor.system("Åsa på Af")
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _tuesday():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC), tick=True):
        yield


def decision(world, **changes):
    values = {
        "participant": participant_data(),
        "service_code": "rusta-och-matcha",
        "address_id": world.a11.pk,
        "level": "B",
        "decided_on": datetime.date(2026, 11, 24),
    }
    values.update(changes)
    return services.PlacementDecision(**values)


def test_a_decision_creates_a_placement_that_starts_ten_working_days_later(world):
    result = services.record_decision(actor=AF, key="af-1", decision=decision(world))
    placement = result.placement
    assert result.created
    assert placement.starts_on == datetime.date(2026, 12, 8)
    assert placement.ends_on == period_end(placement.starts_on)
    assert placement.organisation == world.org_a
    assert placement.unit == world.unit_a1
    assert placement.period == 1
    assert placement.genomforandereferens.startswith("GFR-")
    assert placement.participant.language == "Arabiska"
    assert list(placement.events.values_list("kind", flat=True)) == [timeline.DECIDED.code]
    assert AuditEvent.objects.filter(action="placements.decided", organisation=world.org_a).exists()


def test_the_same_decision_delivered_twice_creates_one_placement(world):
    same = decision(world)
    first = services.record_decision(actor=AF, key="af-1", decision=same)
    second = services.record_decision(actor=AF, key="af-1", decision=same)
    assert not second.created
    assert second.placement == first.placement
    assert Placement.objects.count() == 1
    assert Decision.objects.count() == 1


def test_the_same_key_with_other_content_is_refused(world):
    same = decision(world)
    services.record_decision(actor=AF, key="af-1", decision=same)
    with pytest.raises(Refused) as error:
        services.record_decision(
            actor=AF, key="af-1", decision=decision(world, participant=same.participant, level="C")
        )
    assert error.value.by_field() == {"decision_id": ["key_reused"]}


def test_a_start_earlier_than_ten_working_days_is_refused(world):
    with pytest.raises(Refused) as error:
        services.record_decision(actor=AF, key="af-1", decision=decision(world, starts_on=datetime.date(2026, 12, 7)))
    assert error.value.by_field() == {"starts_on": ["start_too_early"]}
    assert not Placement.objects.exists()


def test_an_address_of_another_service_or_retired_is_refused(world):
    world.a12.retired_at = timezone.now()
    world.a12.save()
    with pytest.raises(Refused) as error:
        services.record_decision(actor=AF, key="af-1", decision=decision(world, address_id=world.a12.pk))
    assert error.value.by_field() == {"address": ["unknown_address"]}
    with pytest.raises(Refused) as error:
        services.record_decision(actor=AF, key="af-2", decision=decision(world, service_code="annan-tjanst"))
    assert error.value.by_field() == {"address": ["address_of_other_service"]}


def test_one_person_has_one_placement_at_a_time(world):
    person = participant_data()
    first = services.record_decision(actor=AF, key="one", decision=decision(world, participant=person)).placement
    with pytest.raises(Refused) as error:
        services.record_decision(actor=AF, key="two", decision=decision(world, participant=person))
    assert error.value.by_field() == {"personnummer": ["participant_already_placed"]}
    # Once the first is interrupted, a new decision may start after it.
    services.interrupt(actor=AF, key="stop", placement=first, reason="other", interrupts_on=first.starts_on)
    again = services.record_decision(actor=AF, key="three", decision=decision(world, participant=person))
    assert again.placement.participant == first.participant
    assert Placement.objects.count() == 2


def test_a_start_on_a_weekend_or_holiday_is_refused(world):
    for day in (datetime.date(2026, 12, 12), datetime.date(2026, 12, 25)):  # a Saturday, Christmas Day
        with pytest.raises(Refused) as error:
            services.record_decision(actor=AF, key=f"w-{day}", decision=decision(world, starts_on=day))
        assert error.value.by_field() == {"starts_on": ["start_not_working_day"]}


def test_provider_staff_cannot_record_decisions(world):
    with pytest.raises(Http404):
        services.record_decision(actor=Actor.for_staff_account(world.admin_b), key="af-1", decision=decision(world))


def test_period_two_follows_keeps_the_level_and_the_supervisor(world):
    first = place(world.a11, level="C")
    reporter = world.by_roles[frozenset({Role.REPORT})]
    receiver = Actor.for_staff_account(world.by_roles[frozenset({Role.RECEIVE})])
    services.assign_supervisor(actor=receiver, placements=[first], supervisor=reporter)
    second = services.record_second_period(
        actor=AF, key="af-p2", first=first, decided_on=datetime.date(2026, 11, 24)
    ).placement
    assert second.period == 2
    assert second.level == "C"
    assert second.previous == first
    assert second.starts_on == first.ends_on + datetime.timedelta(days=1)
    assert second.supervisor == reporter
    assert first.events.filter(kind=timeline.NEW_DECISION.code).exists()
    with pytest.raises(Refused) as error:
        services.record_second_period(actor=AF, key="af-p2b", first=first, decided_on=datetime.date(2026, 11, 24))
    assert error.value.by_field() == {"placement": ["second_period_exists"]}
    with pytest.raises(Refused):
        services.record_second_period(actor=AF, key="af-p3", first=second, decided_on=datetime.date(2026, 11, 24))


def test_period_two_is_never_decided_ahead_nor_after_period_one_has_ended(world):
    first = place(world.a11, decided_on=datetime.date(2026, 4, 1))  # period 1 ended in October
    with pytest.raises(Refused) as error:
        services.record_second_period(actor=AF, key="p2-late", first=first, decided_on=datetime.date(2026, 11, 24))
    assert error.value.by_field() == {"placement": ["first_period_ended"]}
    current = place(world.a11)
    with pytest.raises(Refused) as error:
        services.record_second_period(actor=AF, key="p2-ahead", first=current, decided_on=datetime.date(2031, 1, 1))
    assert error.value.by_field() == {"decided_on": ["decided_in_future"]}
    assert not Placement.objects.filter(period=2).exists()


def test_an_interruption_is_never_back_dated_and_can_move_or_be_withdrawn_until_it_passes(world):
    placement = place(world.a11)
    with pytest.raises(Refused) as error:
        services.interrupt(
            actor=AF, key="i-0", placement=placement, reason="work", interrupts_on=datetime.date(2026, 11, 23)
        )
    assert error.value.by_field() == {"interrupts_on": ["interruption_in_past"]}
    services.interrupt(
        actor=AF, key="i-1", placement=placement, reason="work", interrupts_on=datetime.date(2026, 12, 1)
    )
    services.change_interruption(actor=AF, key="i-2", placement=placement, interrupts_on=datetime.date(2026, 12, 3))
    assert services.active_interruption(placement).interrupts_on == datetime.date(2026, 12, 3)
    services.change_interruption(actor=AF, key="i-3", placement=placement, interrupts_on=None)
    assert services.active_interruption(placement) is None
    kinds = list(placement.events.order_by("at").values_list("kind", flat=True))
    assert kinds == ["decided", "interrupted", "interruption_moved", "interruption_withdrawn"]
    services.interrupt(
        actor=AF, key="i-4", placement=placement, reason="sickness", interrupts_on=datetime.date(2026, 11, 24)
    )
    with pytest.raises(Refused) as error:
        services.change_interruption(actor=AF, key="i-5", placement=placement, interrupts_on=None)
    assert error.value.by_field() == {"interrupts_on": ["interruption_passed"]}


def test_a_provider_change_interrupts_the_old_placement_and_starts_a_new_one(world):
    old = place(world.a11)
    new = services.change_provider(
        actor=AF, key="pc-1", placement=old, address_id=world.b11.pk, decided_on=datetime.date(2026, 11, 24)
    ).placement
    assert new.organisation == world.org_b
    assert new.genomforandereferens != old.genomforandereferens
    assert new.participant == old.participant
    interruption = Interruption.objects.get(placement=old)
    assert interruption.reason == "changed_provider"
    # Interrupted from the day the new one starts: no day is left uncovered, none is covered twice.
    assert interruption.interrupts_on == new.starts_on
    assert rules.last_day(ends_on=old.ends_on, interrupts_on=interruption.interrupts_on) == new.starts_on - DAY
    assert new.starts_on == earliest_start(datetime.date(2026, 11, 24))


def test_an_ended_placement_cannot_change_provider(world):
    ended = place(world.a11, decided_on=datetime.date(2026, 4, 1))
    with pytest.raises(Refused) as error:
        services.change_provider(
            actor=AF, key="pc-old", placement=ended, address_id=world.b11.pk, decided_on=datetime.date(2026, 11, 24)
        )
    assert error.value.by_field() == {"placement": ["placement_ended"]}
    assert not Interruption.objects.exists()
    assert Placement.objects.count() == 1


# --- the provider's side ---------------------------------------------------------------------------------------


def test_only_reporters_at_the_address_are_offered_as_supervisors(world):
    receiver = Actor.for_staff_account(world.by_roles[frozenset({Role.RECEIVE})])
    offered = {a.person.full_name for a in services.supervisors_at(actor=receiver, address_ids={world.a11.pk})}
    reporters_at_a11 = {account.person.full_name for combo, account in world.by_roles.items() if Role.REPORT in combo}
    assert offered == reporters_at_a11
    assert services.supervisors_at(actor=receiver, address_ids={world.a11.pk, world.a21.pk}) == []


def test_assigning_a_supervisor_to_several_at_once(world):
    placements = [place(world.a11, given_name=f"D{n}") for n in range(3)]
    receiver = Actor.for_staff_account(world.by_roles[frozenset({Role.RECEIVE})])
    supervisor = world.by_roles[frozenset({Role.REPORT})]
    services.assign_supervisor(actor=receiver, placements=placements, supervisor=supervisor)
    assert set(Placement.objects.values_list("supervisor", flat=True)) == {supervisor.pk}
    assert not Placement.objects.awaiting_supervisor().exists()
    assert Placement.objects.filter(events__kind=timeline.SUPERVISOR_ASSIGNED.code).count() == 3


def test_a_supervisor_without_the_reporting_role_there_is_refused(world):
    placement = place(world.a11)
    receiver = Actor.for_staff_account(world.by_roles[frozenset({Role.RECEIVE})])
    elsewhere = make_account(make_person("Rita", "Rapport"), world.org_a, roles=[Role.REPORT], addresses=[world.a21])
    with pytest.raises(Refused):
        services.assign_supervisor(actor=receiver, placements=[placement], supervisor=elsewhere)
    with pytest.raises(Refused):
        services.assign_supervisor(actor=receiver, placements=[placement], supervisor=world.admin_b)


def test_another_organisation_cannot_assign(world):
    placement = place(world.a11)
    with pytest.raises(Http404):
        services.assign_supervisor(
            actor=Actor.for_staff_account(world.admin_b), placements=[placement], supervisor=world.admin_b
        )


def test_only_a_placement_interrupted_before_it_started_can_be_removed(world):
    placement = place(world.a11)
    receiver = Actor.for_staff_account(world.by_roles[frozenset({Role.RECEIVE})])
    with pytest.raises(Refused):
        services.remove_from_intake(actor=receiver, placement=placement)
    services.interrupt(actor=AF, key="i", placement=placement, reason="work", interrupts_on=datetime.date(2026, 12, 1))
    services.remove_from_intake(actor=receiver, placement=placement)
    assert not Placement.objects.awaiting_supervisor().exists()


def test_revealing_a_personnummer_is_audited_and_protected_ones_only_to_their_supervisor(world):
    reporter_account = world.by_roles[frozenset({Role.REPORT})]
    other_account = world.by_roles[frozenset({Role.REPORT, Role.RECEIVE})]
    placement = place(world.a11, protected=True)
    receiver = Actor.for_staff_account(world.by_roles[frozenset({Role.RECEIVE})])
    services.assign_supervisor(actor=receiver, placements=[placement], supervisor=reporter_account)
    shown = services.reveal_personnummer(actor=Actor.for_staff_account(reporter_account), placement=placement)
    assert shown == placement.participant.personnummer_display
    assert AuditEvent.objects.filter(action="placements.personnummer_revealed").count() == 1
    with pytest.raises(Refused):
        services.reveal_personnummer(actor=Actor.for_staff_account(other_account), placement=placement)


def test_a_provider_change_also_ends_a_decided_period_two(world):
    first = place(world.a11, decided_on=datetime.date(2026, 6, 1))  # period 1 runs until mid-December
    second = services.record_second_period(
        actor=AF, key="p2", first=first, decided_on=datetime.date(2026, 11, 24)
    ).placement
    new = services.change_provider(
        actor=AF, key="pc", placement=first, address_id=world.b11.pk, decided_on=datetime.date(2026, 11, 24)
    ).placement
    assert Interruption.objects.get(placement=first).interrupts_on == new.starts_on
    # Period 2 would have started after the new one: it never runs.
    assert Interruption.objects.get(placement=second).interrupts_on == second.starts_on


def test_period_two_is_refused_when_the_person_is_placed_elsewhere_then(world):
    first = place(world.a11, decided_on=datetime.date(2026, 6, 1))
    elsewhere = services.record_decision(
        actor=AF,
        key="elsewhere",
        decision=decision(
            world, participant=_same_person(first), address_id=world.b11.pk, starts_on=first.ends_on + 4 * DAY
        ),
    )
    assert elsewhere.created
    with pytest.raises(Refused) as error:
        services.record_second_period(actor=AF, key="p2", first=first, decided_on=datetime.date(2026, 11, 24))
    assert error.value.by_field() == {"placement": ["participant_already_placed"]}


def test_a_placement_that_never_started_takes_no_time(world):
    person = participant_data()
    never = services.record_decision(actor=AF, key="never", decision=decision(world, participant=person)).placement
    services.interrupt(actor=AF, key="stop", placement=never, reason="other", interrupts_on=datetime.date(2026, 11, 24))
    # A decision whose six months span the never-started one's dates (decided earlier, started mid-November).
    again = services.record_decision(
        actor=AF, key="again", decision=decision(world, participant=person, decided_on=datetime.date(2026, 11, 2))
    )
    assert again.created
    assert again.placement.starts_on < never.starts_on < again.placement.ends_on


def _same_person(placement):
    data = participant_data()
    return type(data)(**{**data.__dict__, "personnummer": placement.participant.personnummer})
