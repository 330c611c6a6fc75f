"""`make run` loads a small demo world: organisations, units and addresses, staff with every role combination.

Everything goes through the same services the portal uses (registration by Af, the KA-webb import, permission
changes), so the demo's audit log looks like real use. Running it again changes nothing. The personnummer are
fictional (valid check digits, born 1900–1901, which no working-age person is).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from faportal.access import services as access_services
from faportal.access.actor import Actor
from faportal.access.models import AfRole, AfStaffAccount, Role, StaffAccount
from faportal.core.identifiers import fictional_personnummer
from faportal.demo import billing as demo_billing
from faportal.demo import documents as demo_documents
from faportal.demo import placements as demo_placements
from faportal.demo.identities import IDENTITIES_FILE
from faportal.identity.models import Person
from faportal.registry import services as registry_services
from faportal.registry.ka_import import ImportFormat
from faportal.registry.models import Address, Organisation, Service

DATA = Path(__file__).resolve().parent.parent.parent / "data"

ALL = tuple(Role)


@dataclass(frozen=True)
class DemoStaff:
    given_name: str
    surname: str
    serial: int
    # (organisation key, roles, KA-webb address ids)
    accounts: tuple[tuple[str, tuple[Role, ...], tuple[str, ...]], ...]


ORGANISATIONS = {
    # key: (organisationsnummer, name, the responsible administrator's serial)
    "framat": ("5590123450", "Rusta Framåt AB", 1),
    "syd": ("5591234561", "Matchning Syd AB", 10),
}

STAFF = [
    DemoStaff("Anna", "Andersson", 1, (("framat", (Role.ADMINISTER,), ()),)),
    DemoStaff("Bo", "Berg", 2, (("framat", (Role.RECEIVE,), ("RF-STH-1", "RF-STH-2")),)),
    DemoStaff("Cecilia", "Carlsson", 3, (("framat", (Role.REPORT,), ("RF-STH-1",)),)),
    DemoStaff("David", "Dahl", 4, (("framat", (Role.RECEIVE, Role.REPORT), ("RF-UPP-1",)),)),
    DemoStaff("Eva", "Ek", 5, (("framat", (Role.ADMINISTER, Role.RECEIVE), ("RF-STH-2",)),)),
    DemoStaff("Fredrik", "Falk", 6, (("framat", (Role.ADMINISTER, Role.REPORT), ("RF-UPP-1", "RF-ITA-1")),)),
    DemoStaff("Gunilla", "Gran", 7, (("framat", ALL, ("RF-STH-1", "RF-STH-2", "RF-UPP-1")),)),
    DemoStaff("Hassan", "Hussein", 8, (("framat", (), ()),)),
    DemoStaff(
        "Karin",
        "Lind",
        9,
        (("framat", (Role.REPORT,), ("RF-UPP-1",)), ("syd", (Role.RECEIVE, Role.REPORT), ("MS-MAL-1",))),
    ),
    DemoStaff("Lars", "Lund", 10, (("syd", ALL, ("MS-MAL-1", "MS-MAL-2", "MS-HBG-1")),)),
    DemoStaff("Maja", "Månsson", 11, (("syd", (Role.REPORT,), ("MS-HBG-1",)),)),
]

AF_OFFICER = ("Åsa", "Öberg", 50)

ROLE_WORDS = {
    Role.ADMINISTER: "behörighetsadministratör",
    Role.RECEIVE: "tar emot",
    Role.REPORT: "rapporterar",
    Role.FINANCE: "ekonomi",
}


def demo_personnummer(serial: int) -> str:
    return fictional_personnummer(1900, 1 + serial // 28, 1 + serial % 28, 980 + serial % 20)


class Command(BaseCommand):
    help = "Load the demo world (idempotent) and write the simulated BankID app's identities."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded in production.")
        with transaction.atomic():
            created = self._load()
        with transaction.atomic():
            organisation_ids = list(
                Organisation.objects.filter(
                    organisationsnummer__in=[nr for nr, _name, _admin in ORGANISATIONS.values()]
                ).values_list("pk", flat=True)
            )
            officer = AfStaffAccount.objects.get(person__personnummer=demo_personnummer(AF_OFFICER[2]))
            placements = demo_placements.load(organisation_ids=organisation_ids, af=Actor.for_af_account(officer))
        with transaction.atomic():
            documents = demo_documents.load(organisation_ids=organisation_ids)
        with transaction.atomic():
            orders = demo_billing.load(organisation_ids=organisation_ids)
        self._write_identities()
        self.stdout.write("Demo data loaded." if created else "Demo data already present.")
        if placements:
            self.stdout.write(f"{placements} demo placements created.")
        if documents:
            self.stdout.write(f"{documents} demo documents created.")
        if orders:
            self.stdout.write(f"{orders} demo orders created.")

    def _load(self) -> bool:
        if Organisation.objects.filter(organisationsnummer=ORGANISATIONS["framat"][0]).exists():
            return False
        system = Actor.system("load_demo_data")
        Service.objects.get_or_create(code="introduktion-till-arbete", defaults={"name": "Introduktion till arbete"})
        officer_given, officer_surname, officer_serial = AF_OFFICER
        access_services.create_af_staff(
            actor=system,
            personnummer=demo_personnummer(officer_serial),
            given_name=officer_given,
            surname=officer_surname,
            email="asa.oberg@arbetsformedlingen.example",
            roles=list(AfRole),
        )
        people = {staff.serial: staff for staff in STAFF}
        for organisationsnummer, name, admin_serial in ORGANISATIONS.values():
            admin = people[admin_serial]
            access_services.register_organisation(
                actor=system,
                organisationsnummer=organisationsnummer,
                name=name,
                admin=access_services.ResponsibleAdmin(
                    personnummer=demo_personnummer(admin.serial),
                    given_name=admin.given_name,
                    surname=admin.surname,
                    email=_email(admin, name),
                ),
            )
        checked = registry_services.check_ka_import(
            text=(DATA / "ka-webb-demo.csv").read_text(encoding="utf-8"), format=ImportFormat.CSV
        )
        if checked.problems:
            raise CommandError(f"The demo KA-webb file has problems: {checked.problems}")
        registry_services.apply_ka_import(actor=registry_services.StoredActor.system("load_demo_data"), checked=checked)
        organisations = {
            key: Organisation.objects.get(organisationsnummer=nr) for key, (nr, _, _) in ORGANISATIONS.items()
        }
        for staff in STAFF:
            person, _ = Person.objects.get_or_create(
                personnummer=demo_personnummer(staff.serial),
                defaults={"given_name": staff.given_name, "surname": staff.surname},
            )
            for key, roles, address_ids in staff.accounts:
                organisation = organisations[key]
                account = StaffAccount.objects.active().filter(person=person, organisation=organisation).first()
                if account is None:
                    account = StaffAccount.objects.create(
                        person=person, organisation=organisation, email=_email(staff, organisation.name)
                    )
                admin_account = StaffAccount.objects.get(
                    organisation=organisation, is_responsible_admin=True, deleted_at__isnull=True
                )
                current_roles = {Role(grant.role) for grant in account.role_grants.current()}
                access_services.update_permissions(
                    actor=Actor.for_staff_account(admin_account),
                    account=account,
                    roles=set(roles) | (current_roles & {Role.ADMINISTER}),
                    address_ids=set(Address.objects.filter(ka_id__in=address_ids).values_list("pk", flat=True)),
                )
        return True

    def _write_identities(self) -> None:
        identities = []
        for staff in STAFF:
            parts = []
            for key, roles, address_ids in staff.accounts:
                organisation = ORGANISATIONS[key][1]
                responsible = ORGANISATIONS[key][2] == staff.serial
                words = ["ansvarig behörighetsadministratör"] if responsible else []
                words += [ROLE_WORDS[role] for role in roles if not (responsible and role == Role.ADMINISTER)]
                count = len(address_ids)
                where = f" ({count} {'adress' if count == 1 else 'adresser'})" if address_ids else ""
                parts.append(f"{organisation}: {', '.join(words) or 'inga behörigheter ännu'}{where}")
            identities.append(_identity(staff.given_name, staff.surname, staff.serial, "; ".join(parts)))
        given, surname, serial = AF_OFFICER
        identities.append(_identity(given, surname, serial, "Arbetsförmedlingen: handläggare i handläggarstödet"))
        IDENTITIES_FILE.parent.mkdir(parents=True, exist_ok=True)
        IDENTITIES_FILE.write_text(json.dumps(identities, ensure_ascii=False, indent=2), encoding="utf-8")


def _identity(given: str, surname: str, serial: int, label: str) -> dict[str, str]:
    return {
        "personalNumber": demo_personnummer(serial),
        "givenName": given,
        "surname": surname,
        "label": f"{given} {surname} – {label}",
    }


def _email(staff: DemoStaff, organisation: str) -> str:
    domain = organisation.lower().replace(" ab", "").replace("å", "a").replace(" ", "") + ".example"
    local = f"{staff.given_name}.{staff.surname}".lower().replace("å", "a").replace("ä", "a").replace("ö", "o")
    return f"{local}@{domain}"
