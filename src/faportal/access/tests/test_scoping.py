"""visible() is the one place rows are scoped (SPEC S3.7)."""

import pytest
from django.http import Http404

from faportal.access.actor import Actor
from faportal.access.models import AfRole, Role, StaffAccount
from faportal.access.scoping import get_visible_or_404, require, visible
from faportal.audit.models import AuditEvent
from faportal.registry.models import Address, Unit
from faportal.testing import make_af_officer

pytestmark = pytest.mark.django_db


def actor_of(account):
    return Actor.for_staff_account(account)


def test_a_role_missing_means_no_rows(world):
    reporter = world.by_roles[frozenset({Role.REPORT})]
    assert not visible(actor_of(reporter), Role.RECEIVE, Address.objects.all()).exists()


def test_reporting_role_sees_only_its_own_addresses(world):
    reporter = world.by_roles[frozenset({Role.REPORT})]
    assert list(visible(actor_of(reporter), Role.REPORT, Address.objects.all())) == [world.a11]


def test_units_are_visible_through_any_of_their_addresses_once(world):
    reporter = world.by_roles[frozenset({Role.REPORT})]
    units = list(visible(actor_of(reporter), Role.REPORT, Unit.objects.all()))
    assert units == [world.unit_a1]


def test_administer_is_organisation_wide_whatever_the_addresses(world):
    admin = world.by_roles[frozenset({Role.ADMINISTER})]  # granted a11 only
    addresses = set(visible(actor_of(admin), Role.ADMINISTER, Address.objects.all()))
    assert addresses == {world.a11, world.a12, world.a21}


def test_never_another_organisations_rows(world):
    actor = actor_of(world.admin_b)
    for role in Role:
        assert world.org_a.pk not in set(
            visible(actor, role, StaffAccount.objects.all()).values_list("organisation_id", flat=True)
        )
        assert not visible(actor, role, Address.objects.filter(unit__organisation=world.org_a)).exists()


def test_anonymous_and_unchosen_actors_see_nothing(world):
    assert not visible(Actor.anonymous(), Role.ADMINISTER, StaffAccount.objects.all()).exists()
    person_only = Actor.signed_in_person(world.admin_a.person)
    assert not visible(person_only, Role.ADMINISTER, StaffAccount.objects.all()).exists()


def test_af_roles_see_every_organisation(world):
    officer = Actor.for_af_account(make_af_officer("Åsa", "Handläggare", [AfRole.PROVIDER_ADMIN]))
    assert visible(officer, AfRole.PROVIDER_ADMIN, Address.objects.all()).count() == 4
    AuditEvent.objects.create(actor_name="x", actor_kind="system", action="x")
    assert not visible(officer, AfRole.AUDITOR, AuditEvent.objects.all()).exists()
    assert not visible(officer, Role.ADMINISTER, StaffAccount.objects.all()).exists()


def test_revoked_grants_no_longer_count(world):
    from django.utils import timezone

    reporter = world.by_roles[frozenset({Role.REPORT})]
    reporter.address_grants.update(valid_to=timezone.now())
    assert not visible(actor_of(reporter), Role.REPORT, Address.objects.all()).exists()


def test_missing_and_not_yours_are_the_same_404(world):
    actor = actor_of(world.admin_b)
    with pytest.raises(Http404):
        get_visible_or_404(actor, Role.ADMINISTER, StaffAccount.objects.all(), pk=world.admin_a.pk)
    with pytest.raises(Http404):
        get_visible_or_404(actor, Role.ADMINISTER, StaffAccount.objects.all(), pk=999_999)
    with pytest.raises(Http404):
        require(actor, Role.ADMINISTER, world.admin_a)


def test_audited_reads_record_denied_attempts_too(world):
    actor = actor_of(world.admin_b)
    with pytest.raises(Http404):
        get_visible_or_404(
            actor, Role.ADMINISTER, StaffAccount.objects.all(), audit_read="placements.read", pk=world.admin_a.pk
        )
    event = AuditEvent.objects.get(action="placements.read")
    assert event.outcome == "denied"
    assert event.actor_id == world.admin_b.person_id
    assert event.acting_for_id == world.org_b.pk
    assert event.organisation_id == world.org_b.pk  # in the log org B's administrators read


def test_a_model_without_a_scope_path_cannot_be_read_at_all(world):
    from django.core.exceptions import ImproperlyConfigured

    from faportal.identity.models import Person

    with pytest.raises(ImproperlyConfigured):
        visible(actor_of(world.admin_a), Role.ADMINISTER, Person.objects.all())


def test_a_system_actor_has_only_the_af_roles_it_was_given():
    from faportal.access.actor import ActorKind

    api_client = Actor(kind=ActorKind.SYSTEM, system_label="API: test", af_roles=frozenset({AfRole.CASE_OFFICER}))
    assert api_client.has_role(AfRole.CASE_OFFICER)
    assert not api_client.has_role(AfRole.AUDITOR)
    assert not api_client.has_role(Role.REPORT)
    assert Actor.system("kommando").has_role(AfRole.AUDITOR)


def test_a_denied_read_never_logs_a_personnummer_asked_for(world):
    actor = actor_of(world.admin_b)
    with pytest.raises(Http404):
        get_visible_or_404(
            actor,
            Role.ADMINISTER,
            StaffAccount.objects.all(),
            audit_read="placements.read",
            person__personnummer=world.admin_a.person.personnummer,
        )
    event = AuditEvent.objects.get(action="placements.read")
    assert world.admin_a.person.personnummer not in event.subject_label
    assert world.admin_a.person.personnummer[:4] + "********" in event.subject_label
