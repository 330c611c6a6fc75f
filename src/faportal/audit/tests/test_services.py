"""Recording into the audit log: a list shown again unchanged within ten minutes is one look, not another event."""

import datetime

import pytest
import time_machine

from faportal.audit.models import AuditEvent
from faportal.audit.services import Who, record_shown
from faportal.testing import place

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC)


def staff(account):
    """The actor of a staff account, as the audit log sees it (audit sits below access, so it builds its own)."""
    return Who(account.person.pk, account.person.full_name, "staff", organisation_id=account.organisation_id)


@pytest.fixture
def coordinator(world):
    return staff(world.admin_a)


@pytest.fixture
def placements(world):
    return [place(world.a11, given_name=name) for name in ("Petra", "Pelle", "Pia")]


def listed(actor=None):
    events = AuditEvent.objects.filter(action="placements.listed")
    if actor is not None:
        events = events.filter(actor_id=actor.person_id)
    return list(events.order_by("at", "id"))


def test_the_same_rows_shown_twice_on_the_same_page_are_one_event(coordinator, placements):
    with time_machine.travel(START, tick=False) as traveller:
        first = record_shown(coordinator, "placements.listed", placements, page="export_preview")
        traveller.shift(datetime.timedelta(minutes=9, seconds=59))
        again = record_shown(coordinator, "placements.listed", placements, page="export_preview")
    assert first is not None
    assert again is None
    assert [event.data["shown"] for event in listed()] == [[p.pk for p in placements]]


def test_other_rows_are_another_event(coordinator, placements):
    with time_machine.travel(START, tick=False) as traveller:
        record_shown(coordinator, "placements.listed", placements, page="export_preview")
        traveller.shift(datetime.timedelta(seconds=5))
        record_shown(coordinator, "placements.listed", placements[:2], page="export_preview")
        traveller.shift(datetime.timedelta(seconds=5))
        # Back to the first rows: compared with the latest event, so a third look is recorded too.
        record_shown(coordinator, "placements.listed", placements, page="export_preview")
    all_ids, two_ids = [p.pk for p in placements], [p.pk for p in placements[:2]]
    assert [event.data["shown"] for event in listed()] == [all_ids, two_ids, all_ids]


def test_the_same_rows_in_another_order_are_another_event(coordinator, placements):
    with time_machine.travel(START, tick=False):
        record_shown(coordinator, "placements.listed", placements, page="participant_list")
        record_shown(coordinator, "placements.listed", list(reversed(placements)), page="participant_list")
    assert len(listed()) == 2


def test_ten_minutes_later_the_same_rows_are_another_event(coordinator, placements):
    with time_machine.travel(START, tick=False) as traveller:
        record_shown(coordinator, "placements.listed", placements, page="export_preview")
        traveller.shift(datetime.timedelta(minutes=10))
        second = record_shown(coordinator, "placements.listed", placements, page="export_preview")
    assert second is not None
    assert [event.at for event in listed()] == [START, START + datetime.timedelta(minutes=10)]


def test_another_page_or_another_person_is_another_event(world, coordinator, placements):
    colleague = staff(next(iter(world.by_roles.values())))
    with time_machine.travel(START, tick=False):
        record_shown(coordinator, "placements.listed", placements, page="export_preview")
        record_shown(coordinator, "placements.listed", placements, page="participant_list")
        record_shown(colleague, "placements.listed", placements, page="participant_list")
        record_shown(coordinator, "placements.listed", placements, page="participant_list")
    assert [event.data["page"] for event in listed(coordinator)] == ["export_preview", "participant_list"]
    assert [event.data["page"] for event in listed(colleague)] == ["participant_list"]


def test_nothing_shown_records_nothing(coordinator):
    assert record_shown(coordinator, "placements.listed", [], page="participant_list") is None
    assert listed() == []


def test_the_check_costs_one_query(coordinator, placements, django_assert_num_queries):
    with time_machine.travel(START, tick=False):
        with django_assert_num_queries(2):  # the latest event, then the new one
            record_shown(coordinator, "placements.listed", placements, page="intake")
        with django_assert_num_queries(1):  # the latest event only
            record_shown(coordinator, "placements.listed", placements, page="intake")


def test_the_same_person_acting_for_another_organisation_is_another_event(world, coordinator, placements):
    elsewhere = Who(coordinator.person_id, coordinator.label, "staff", organisation_id=world.org_b.pk)
    with time_machine.travel(START, tick=False):
        record_shown(coordinator, "placements.listed", placements, page="participant_list")
        record_shown(elsewhere, "placements.listed", placements, page="participant_list")
    assert [event.acting_for_id for event in listed()] == [world.org_a.pk, world.org_b.pk]


def test_many_entries_at_once_read_as_one_each(world, coordinator, placements):
    """``record_each`` (one statement): each subject's own entry, as ``record`` would have written it."""
    from faportal.audit.services import record_each

    other = place(world.b11, given_name="Bo")
    before = AuditEvent.objects.count()
    written = record_each(
        coordinator, "placements.decided", [(p, {"decision": f"k{p.pk}"}) for p in [*placements, other]]
    )
    assert written == 4
    entries = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.subject_type, e.subject_id, e.data) for e in entries] == [
        ("placements.Placement", str(p.pk), {"decision": f"k{p.pk}"}) for p in [*placements, other]
    ]
    assert [e.organisation_id for e in entries] == [world.org_a.pk] * 3 + [world.org_b.pk]
    assert {(e.actor_id, e.actor_name, e.actor_kind, e.acting_for_id, e.action, e.outcome) for e in entries} == {
        (coordinator.person_id, coordinator.label, "staff", world.org_a.pk, "placements.decided", "ok")
    }
    assert entries[0].subject_label == str(placements[0])


def test_an_action_nobody_registered_is_refused_for_many_too(coordinator, placements):
    from faportal.audit.services import record_each

    with pytest.raises(ValueError, match="not registered"):
        record_each(coordinator, "placements.unheard_of", [(placements[0], {})])
