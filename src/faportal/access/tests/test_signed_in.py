"""A signed-in request reads the session and then the person with everything they may act for, in one query each;
the actor built from that one query is the one the grants in force make.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from faportal.access.actor import ActorKind
from faportal.access.models import AddressGrant, AfRole, AfRoleGrant, AfStaffAccount, Role, RoleGrant
from faportal.access.selectors import acting_choices, actor_for_choice, signed_in_person
from faportal.registry.models import Address, Organisation
from faportal.testing import make_account, make_person, organisationsnummer, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def karin(world):
    """A person with accounts in both organisations (one grant ended, one not begun, one address retired) and Af."""
    person = make_person("Karin", "Lind")
    in_a = make_account(person, world.org_a, roles=[Role.REPORT, Role.RECEIVE], addresses=[world.a11, world.a12])
    in_b = make_account(person, world.org_b, roles=[Role.ADMINISTER], addresses=[world.b11])
    now = timezone.now()
    RoleGrant.objects.filter(account=in_a, role=Role.RECEIVE).update(valid_to=now - datetime.timedelta(minutes=1))
    RoleGrant.objects.create(account=in_a, role=Role.ADMINISTER, valid_from=now + datetime.timedelta(days=1))
    AddressGrant.objects.create(account=in_a, address=world.a21)
    Address.objects.filter(pk=world.a21.pk).update(retired_at=now)
    af = AfStaffAccount.objects.create(person=person)
    AfRoleGrant.objects.create(account=af, role=AfRole.AUDITOR)
    AfRoleGrant.objects.create(account=af, role=AfRole.CASE_OFFICER, valid_to=now - datetime.timedelta(seconds=1))
    return person, in_a, in_b


def classic(person, choice):
    """The actor as the grants make it, one query at a time (what the one query must agree with)."""
    choices = acting_choices(person)
    return actor_for_choice(person, choice, choices=choices, ip_address="10.0.0.1")


def test_one_query_gives_the_same_actor_as_the_grants_in_force(karin, world):
    person, in_a, in_b = karin
    loaded = signed_in_person(person_id=person.pk)
    assert loaded is not None
    expected_choices = acting_choices(person)  # the plain person: read one query at a time
    assert acting_choices(loaded) == expected_choices
    assert [value for value, _label in expected_choices] == [f"staff:{in_a.pk}", f"staff:{in_b.pk}", "af"]
    for choice in [f"staff:{in_a.pk}", f"staff:{in_b.pk}", "af", None]:  # the middleware offers no other
        one = actor_for_choice(loaded, choice, choices=expected_choices, ip_address="10.0.0.1")
        assert one == classic(person, choice), choice
    staff = actor_for_choice(loaded, f"staff:{in_a.pk}", choices=expected_choices, ip_address=None)
    assert staff.roles == {Role.REPORT}  # the ended grant is gone, the future one not yet here
    assert staff.address_ids == {world.a11.pk, world.a12.pk}  # not the retired one
    assert staff.account.organisation.name == "Alfa Rusta AB"
    assert staff.account.email == in_a.email
    af = actor_for_choice(loaded, "af", choices=expected_choices, ip_address=None)
    assert af.kind == ActorKind.AF
    assert af.af_roles == {AfRole.AUDITOR}


def test_a_deleted_account_and_an_inactive_person_give_nothing_to_act_for(karin):
    person, in_a, in_b = karin
    in_b.deleted_at = timezone.now()
    in_b.save()
    assert [value for value, _ in acting_choices(signed_in_person(person_id=person.pk))] == [f"staff:{in_a.pk}", "af"]
    person.is_active = False
    person.save()
    assert signed_in_person(person_id=person.pk) is None


def test_each_call_reads_its_own_person_and_moment(world):
    """The query is compiled once; the values differ per call."""
    first = make_person("Första", "Person")
    second = make_person("Andra", "Person")
    org = Organisation.objects.create(organisationsnummer=organisationsnummer("55600009"), name="Gamma AB")
    make_account(first, world.org_a, roles=[Role.REPORT], addresses=[world.a11])
    make_account(second, org, roles=[Role.ADMINISTER])
    one, two = signed_in_person(person_id=first.pk), signed_in_person(person_id=second.pk)
    assert (one.given_name, one.access.accounts[0][0].organisation.name) == ("Första", "Alfa Rusta AB")
    assert (two.given_name, two.access.accounts[0][0].organisation.name) == ("Andra", "Gamma AB")
    assert one.access.accounts[0][1] == {Role.REPORT}
    assert two.access.accounts[0][1] == {Role.ADMINISTER}


def test_a_signed_in_page_costs_two_queries(client, world):
    account = world.by_roles[frozenset({Role.RECEIVE, Role.REPORT})]
    sign_in(client, account.person)
    client.get("/")  # the first request of a session also writes it
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    assert len(captured) == 2, [query["sql"][:80] for query in captured]
    actor = response.context["actor"]
    assert (actor.roles, actor.address_ids) == ({Role.RECEIVE, Role.REPORT}, {world.a11.pk})
    assert "Alfa Rusta AB" in response.content.decode()
