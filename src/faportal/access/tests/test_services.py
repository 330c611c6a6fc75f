"""Staff accounts and permissions (SPEC S3): invitations, registration, grants with history, deletion."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.http import Http404
from django.utils import timezone

from faportal.access import services
from faportal.access.actor import Actor
from faportal.access.models import AddressGrant, AfRole, Invitation, Role, RoleGrant, StaffAccount
from faportal.access.rules import Code
from faportal.audit.models import AuditEvent
from faportal.core.problems import Refused
from faportal.identity.models import Person
from faportal.identity.providers import VerifiedIdentity
from faportal.testing import make_af_officer, personnummer

pytestmark = pytest.mark.django_db


def admin_actor(world):
    return Actor.for_staff_account(world.admin_a)


def identity(pnr=None, given="Ida", surname="Inbjuden"):
    return VerifiedIdentity(
        personnummer=pnr or personnummer(1990, 5, 17),
        given_name=given,
        surname=surname,
        method="bankid",
        reference="order-1",
    )


def link_token(message):
    return re.search(r"/inbjudan/([\w-]+)/", message.body).group(1)


def code_in(message):
    return re.search(r"^(\d{6})$", message.body, re.MULTILINE).group(1)


# --- invitations and registration ----------------------------------------------------------------------------


def test_invitation_mail_carries_a_link_whose_token_is_not_stored(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invite_staff(actor=admin_actor(world), emails=["ida@example.se", "jon@example.se"])
    assert result.sent == ["ida@example.se", "jon@example.se"]
    assert [m.to for m in mail.outbox] == [["ida@example.se"], ["jon@example.se"]]
    token = link_token(mail.outbox[0])
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert services.invitation_for_token(token).email == "ida@example.se"
    assert "Alfa Rusta AB" in mail.outbox[0].subject


def test_inviting_someone_already_on_the_staff_sends_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.invite_staff(actor=admin_actor(world), emails=[world.admin_a.email.upper()])
    assert result.already_staff == [world.admin_a.email.upper()]
    assert mail.outbox == []


def test_inviting_again_replaces_the_old_link(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_staff(actor=admin_actor(world), emails=["ida@example.se"])
        services.invite_staff(actor=admin_actor(world), emails=["ida@example.se"])
    first, second = link_token(mail.outbox[0]), link_token(mail.outbox[1])
    assert services.invitation_for_token(first) is None
    assert services.invitation_for_token(second) is not None


def test_only_administrators_invite(world):
    reporter = Actor.for_staff_account(world.by_roles[frozenset({Role.REPORT, Role.RECEIVE})])
    with pytest.raises(Http404):
        services.invite_staff(actor=reporter, emails=["x@example.se"])


def test_the_link_expires(world, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_staff(actor=admin_actor(world), emails=["ida@example.se"])
    token = link_token(mail.outbox[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS, seconds=1)):
        assert services.invitation_for_token(token) is None


def register(world, django_capture_on_commit_callbacks, who=None):
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_staff(actor=admin_actor(world), emails=["ida@example.se"])
    invitation = services.invitation_for_token(link_token(mail.outbox[-1]))
    with django_capture_on_commit_callbacks(execute=True):
        services.send_confirmation_code(invitation=invitation)
    code = code_in(mail.outbox[-1])
    return invitation, code, who or identity()


def test_registration_creates_an_account_without_permissions(world, django_capture_on_commit_callbacks):
    invitation, code, who = register(world, django_capture_on_commit_callbacks)
    account = services.accept_invitation(invitation=invitation, identity=who, code=code)
    assert account.organisation == world.org_a
    assert account.email == "ida@example.se"
    assert account.person.personnummer == who.personnummer
    assert not account.role_grants.exists()
    assert not account.address_grants.exists()
    assert services.invitation_for_token(link_token(mail.outbox[0])) is None  # used up
    assert AuditEvent.objects.filter(action="access.invitation_accepted", organisation=world.org_a).exists()


def test_wrong_codes_are_counted_and_refused_after_ten(world, django_capture_on_commit_callbacks):
    invitation, code, who = register(world, django_capture_on_commit_callbacks)
    wrong = "000000" if code != "000000" else "111111"
    for left in range(9, -1, -1):
        with pytest.raises(Refused) as error:
            services.accept_invitation(invitation=invitation, identity=who, code=wrong)
        assert error.value.codes == [Code.CODE_WRONG]
        assert error.value.problems[0].params["left"] == left
    with pytest.raises(Refused) as error:
        services.accept_invitation(invitation=invitation, identity=who, code=code)
    assert error.value.codes == [Code.CODE_ATTEMPTS]
    assert not StaffAccount.objects.filter(email="ida@example.se").exists()


def test_new_codes_are_limited_and_do_not_reset_the_wrong_guesses(world, django_capture_on_commit_callbacks):
    invitation, code, who = register(world, django_capture_on_commit_callbacks)
    with pytest.raises(Refused) as error:
        services.send_confirmation_code(invitation=invitation)  # again at once
    assert error.value.codes == [Code.CODE_RECENTLY_SENT]
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(Refused):
        services.accept_invitation(invitation=invitation, identity=who, code=wrong)
    for minutes in range(2, 6):
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes)):
            services.send_confirmation_code(invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.codes_sent == 5
    assert invitation.code_attempts == 1
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)),
        pytest.raises(Refused) as error,
    ):
        services.send_confirmation_code(invitation=invitation)
    assert error.value.codes == [Code.CODE_ATTEMPTS]


def test_an_expired_code_is_refused(world, django_capture_on_commit_callbacks, settings):
    invitation, code, who = register(world, django_capture_on_commit_callbacks)
    later = timezone.now() + datetime.timedelta(minutes=settings.EMAIL_CODE_VALID_MINUTES, seconds=1)
    with time_machine.travel(later), pytest.raises(Refused) as error:
        services.accept_invitation(invitation=invitation, identity=who, code=code)
    assert error.value.codes == [Code.CODE_EXPIRED]


def test_a_person_already_known_keeps_their_person_record(world, django_capture_on_commit_callbacks):
    known = world.admin_b.person  # works for organisation B, now joins A too
    who = identity(pnr=known.personnummer, given=known.given_name, surname=known.surname)
    invitation, code, who = register(world, django_capture_on_commit_callbacks, who)
    account = services.accept_invitation(invitation=invitation, identity=who, code=code)
    assert account.person == known
    assert Person.objects.filter(personnummer=known.personnummer).count() == 1
    assert set(known.staff_accounts.values_list("organisation__name", flat=True)) == {
        "Alfa Rusta AB",
        "Beta Matchning AB",
    }


# --- permissions -----------------------------------------------------------------------------------------------


def test_grants_and_revocations_are_kept_with_their_dates(world):
    account = world.by_roles[frozenset()]
    actor = admin_actor(world)
    change = services.update_permissions(
        actor=actor, account=account, roles={Role.REPORT, Role.RECEIVE}, address_ids={world.a11.pk, world.a21.pk}
    )
    assert change.roles_added == {"report", "receive"}
    assert change.addresses_added == {world.a21.pk}  # a11 was already granted
    services.update_permissions(actor=actor, account=account, roles={Role.REPORT}, address_ids={world.a21.pk})
    receive = RoleGrant.objects.get(account=account, role=Role.RECEIVE)
    assert receive.valid_to is not None
    assert receive.revoked_by == world.admin_a.person
    assert RoleGrant.objects.current().filter(account=account).count() == 1
    a11 = AddressGrant.objects.get(account=account, address=world.a11)
    assert a11.valid_to is not None  # ended, not deleted
    actions = list(AuditEvent.objects.filter(subject_id=str(account.pk)).values_list("action", flat=True))
    assert actions.count("access.role_granted") == 2
    assert "access.role_revoked" in actions
    assert "access.address_revoked" in actions


def test_the_last_administrator_cannot_give_up_the_role(world):
    actor = admin_actor(world)
    world.admin_a.is_responsible_admin = False
    world.admin_a.save()
    for combo, account in world.by_roles.items():
        if Role.ADMINISTER in combo:
            services.update_permissions(
                actor=actor, account=account, roles=set(combo) - {Role.ADMINISTER}, address_ids={world.a11.pk}
            )
    with pytest.raises(Refused) as error:
        services.update_permissions(actor=actor, account=world.admin_a, roles=set(), address_ids=set())
    assert error.value.codes == [Code.LAST_ADMINISTRATOR]


def test_addresses_of_another_organisation_cannot_be_granted(world):
    with pytest.raises(Refused):
        services.update_permissions(
            actor=admin_actor(world),
            account=world.by_roles[frozenset()],
            roles={Role.REPORT},
            address_ids={world.b11.pk},
        )


def test_another_organisations_account_is_not_found(world):
    with pytest.raises(Http404):
        services.update_permissions(
            actor=Actor.for_staff_account(world.admin_b), account=world.admin_a, roles=set(), address_ids=set()
        )


def test_deleting_an_account_ends_its_grants_and_keeps_them(world):
    account = world.by_roles[frozenset({Role.REPORT, Role.RECEIVE})]
    services.delete_staff_account(actor=admin_actor(world), account=account)
    account.refresh_from_db()
    assert account.deleted_at is not None
    assert RoleGrant.objects.filter(account=account).count() == 2
    assert not RoleGrant.objects.current().filter(account=account).exists()
    assert not AddressGrant.objects.current().filter(account=account).exists()
    assert Actor.for_staff_account(account).roles == frozenset()


def test_the_responsible_administrator_keeps_the_role_until_af_names_another(world):
    other_admin = Actor.for_staff_account(world.by_roles[frozenset({Role.ADMINISTER})])
    for attempt in (
        lambda: services.update_permissions(actor=other_admin, account=world.admin_a, roles=set(), address_ids=set()),
        lambda: services.delete_staff_account(actor=other_admin, account=world.admin_a),
    ):
        with pytest.raises(Refused) as error:
            attempt()
        assert error.value.codes == [Code.RESPONSIBLE_ADMINISTRATOR]
    officer = Actor.for_af_account(make_af_officer("Åsa", "Handläggare", [AfRole.PROVIDER_ADMIN]))
    services.replace_responsible_admin(
        actor=officer,
        organisation=world.org_a,
        admin=services.ResponsibleAdmin(personnummer(1970, 7, 7), "Nils", "Ny", "nils@alfa.se"),
    )
    world.admin_a.refresh_from_db()
    services.delete_staff_account(actor=other_admin, account=world.admin_a)  # now an ordinary administrator


def test_someone_whose_last_account_is_deleted_can_no_longer_sign_in(world, django_capture_on_commit_callbacks):
    account = world.by_roles[frozenset({Role.REPORT})]
    services.delete_staff_account(actor=admin_actor(world), account=account)
    account.person.refresh_from_db()
    assert not account.person.is_active
    # An invitation later brings them back.
    who = identity(pnr=account.person.personnummer, given=account.person.given_name, surname="Kombination")
    invitation, code, who = register(world, django_capture_on_commit_callbacks, who)
    services.accept_invitation(invitation=invitation, identity=who, code=code)
    account.person.refresh_from_db()
    assert account.person.is_active


def test_the_last_administrator_cannot_be_deleted(world):
    actor = admin_actor(world)
    world.admin_a.is_responsible_admin = False
    world.admin_a.save()
    for combo, account in world.by_roles.items():
        if Role.ADMINISTER in combo:
            services.delete_staff_account(actor=actor, account=account)
    with pytest.raises(Refused) as error:
        services.delete_staff_account(actor=actor, account=world.admin_a)
    assert error.value.codes == [Code.LAST_ADMINISTRATOR]


# --- Af registers the organisation and its responsible administrator -------------------------------------------


def test_af_registers_an_organisation_and_its_responsible_administrator(db, django_capture_on_commit_callbacks):
    officer = Actor.for_af_account(make_af_officer("Åsa", "Handläggare", [AfRole.PROVIDER_ADMIN]))
    admin = services.ResponsibleAdmin(personnummer(1975, 3, 3), "Rut", "Ansvarig", "rut@gamma.se")
    with django_capture_on_commit_callbacks(execute=True):
        account = services.register_organisation(
            actor=officer, organisationsnummer="5560360793", name="Gamma AB", admin=admin
        )
    assert account.is_responsible_admin
    assert Actor.for_staff_account(account).roles == {Role.ADMINISTER}
    assert mail.outbox[0].to == ["rut@gamma.se"]
    assert "/logga-in/" in mail.outbox[0].body
    assert account.organisation.peppol_id == "0007:5560360793"


def test_staff_cannot_register_organisations(world):
    with pytest.raises(Http404):
        services.register_organisation(
            actor=admin_actor(world),
            organisationsnummer="5560360793",
            name="X",
            admin=services.ResponsibleAdmin(personnummer(), "A", "B", "a@b.se"),
        )


def test_an_address_retired_in_ka_webb_ends_its_grants(world):
    from faportal.registry import services as registry
    from faportal.registry.ka_import import ImportFormat

    nr = world.org_a.organisationsnummer
    text = (
        "organisationsnummer;tjanst;enhet_id;enhet_namn;adress_id;gatuadress;postnummer;ort;kommunkod\n"
        f"{nr};rusta-och-matcha;A1;Alfa Stockholm;A12;Kungsgatan 2;75321;Uppsala;0380\n"
        f"{nr};rusta-och-matcha;A2;Alfa Göteborg;A21;Avenyn 3;41136;Göteborg;1480\n"
    )
    checked = registry.check_ka_import(text=text, format=ImportFormat.CSV)
    registry.apply_ka_import(actor=registry.StoredActor.system("test"), checked=checked)  # A11 is gone
    assert not AddressGrant.objects.current().filter(address=world.a11).exists()
    # Every role combination's account works at A11, and so does the administrator.
    assert AddressGrant.objects.filter(address=world.a11).exclude(valid_to=None).count() == len(world.by_roles) + 1
    event = AuditEvent.objects.filter(action="access.address_revoked", organisation=world.org_a).first()
    assert event.data["reason"] == "retired_in_ka_webb"
    reporter = world.by_roles[frozenset({Role.REPORT})]
    assert Actor.for_staff_account(reporter).address_ids == frozenset()
