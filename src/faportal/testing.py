"""Shared test helpers: valid personnummer, a small world of two organisations, and signing in a test client.

Used by the tests of every app (and by nothing in production).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.test import Client

from faportal.access.models import AddressGrant, AfRole, AfRoleGrant, AfStaffAccount, Role, RoleGrant, StaffAccount
from faportal.core.identifiers import fictional_organisationsnummer, fictional_personnummer
from faportal.identity.models import Person
from faportal.registry.models import Address, Municipality, Organisation, Service, Unit

_serial = itertools.count(1)


def personnummer(year: int = 1980, month: int = 1, day: int = 1, serial: int | None = None) -> str:
    """A valid 12-digit personnummer; each call without ``serial`` gives a new one."""
    return fictional_personnummer(year, month, day, serial if serial is not None else next(_serial))


organisationsnummer = fictional_organisationsnummer


def make_person(given_name: str, surname: str, *, pnr: str | None = None) -> Person:
    return Person.objects.create_user(pnr or personnummer(), given_name=given_name, surname=surname)


def make_account(
    person: Person,
    organisation: Organisation,
    *,
    roles: Iterable[Role] = (),
    addresses: Iterable[Address] = (),
    email: str | None = None,
    responsible: bool = False,
) -> StaffAccount:
    account = StaffAccount.objects.create(
        person=person,
        organisation=organisation,
        email=email or f"{person.given_name.lower()}.{person.surname.lower()}@example.se",
        is_responsible_admin=responsible,
    )
    for role in roles:
        RoleGrant.objects.create(account=account, role=role)
    for address in addresses:
        AddressGrant.objects.create(account=account, address=address)
    return account


def make_af_officer(given_name: str, surname: str, roles: Iterable[AfRole] = tuple(AfRole)) -> AfStaffAccount:
    account = AfStaffAccount.objects.create(person=make_person(given_name, surname), email="handlaggare@af.example.se")
    for role in roles:
        AfRoleGrant.objects.create(account=account, role=role)
    return account


def sign_in(client: Client, person: Person, acting_for: str | None = None) -> None:
    """Sign ``person`` in on the test client, acting for "staff:<id>", "af" or (by default) their only choice."""
    client.force_login(person, backend=settings.AUTHENTICATION_BACKENDS[0])
    if acting_for is not None:
        session = client.session
        session["acting_for"] = acting_for
        session.save()


# Every combination of the three roles of SPEC S3.3, and Ekonomi (S7.4) alone and with all of them. Ekonomi is
# independent of the others (organisation-wide, nothing shared), so these ten show each URL opens exactly for its role
# without doubling the access matrix to all sixteen.
_ADDRESS_AND_ADMIN_ROLES = [Role.ADMINISTER, Role.RECEIVE, Role.REPORT]
ROLE_COMBINATIONS: list[frozenset[Role]] = [
    frozenset(combo) for size in range(4) for combo in itertools.combinations(_ADDRESS_AND_ADMIN_ROLES, size)
] + [frozenset({Role.FINANCE}), frozenset(Role)]


@dataclass
class World:
    """Two organisations with units and addresses in different municipalities, and staff in both."""

    service: Service
    org_a: Organisation
    org_b: Organisation
    unit_a1: Unit
    unit_a2: Unit
    unit_b1: Unit
    a11: Address
    a12: Address
    a21: Address
    b11: Address
    admin_a: StaffAccount
    admin_b: StaffAccount
    # One account in organisation A per role combination, all at address a11 only.
    by_roles: dict[frozenset[Role], StaffAccount] = field(default_factory=dict)


def build_world() -> World:
    service = Service.objects.get(code="rusta-och-matcha")
    stockholm, uppsala = Municipality.objects.get(code="0180"), Municipality.objects.get(code="0380")
    goteborg, malmo = Municipality.objects.get(code="1480"), Municipality.objects.get(code="1280")
    org_a = Organisation.objects.create(organisationsnummer=organisationsnummer("55600001"), name="Alfa Rusta AB")
    org_b = Organisation.objects.create(organisationsnummer=organisationsnummer("55600002"), name="Beta Matchning AB")
    unit_a1 = Unit.objects.create(ka_id="A1", organisation=org_a, service=service, name="Alfa Stockholm")
    unit_a2 = Unit.objects.create(ka_id="A2", organisation=org_a, service=service, name="Alfa Göteborg")
    unit_b1 = Unit.objects.create(ka_id="B1", organisation=org_b, service=service, name="Beta Malmö")
    a11 = Address.objects.create(
        ka_id="A11",
        unit=unit_a1,
        street="Drottninggatan 1",
        postcode="11151",
        town="Stockholm",
        municipality=stockholm,
    )
    a12 = Address.objects.create(
        ka_id="A12", unit=unit_a1, street="Kungsgatan 2", postcode="75321", town="Uppsala", municipality=uppsala
    )
    a21 = Address.objects.create(
        ka_id="A21", unit=unit_a2, street="Avenyn 3", postcode="41136", town="Göteborg", municipality=goteborg
    )
    b11 = Address.objects.create(
        ka_id="B11", unit=unit_b1, street="Stortorget 4", postcode="21122", town="Malmö", municipality=malmo
    )
    admin_a = make_account(
        make_person("Anna", "Admin"), org_a, roles=[Role.ADMINISTER], addresses=[a11, a12, a21], responsible=True
    )
    admin_b = make_account(make_person("Bengt", "Beta"), org_b, roles=list(Role), addresses=[b11], responsible=True)
    world = World(service, org_a, org_b, unit_a1, unit_a2, unit_b1, a11, a12, a21, b11, admin_a, admin_b)
    for index, combo in enumerate(ROLE_COMBINATIONS):
        person = make_person(f"Roll{index}", "Kombination")
        world.by_roles[combo] = make_account(person, org_a, roles=sorted(combo), addresses=[a11])
    return world


# --- placements ------------------------------------------------------------------------------------------------

_keys = itertools.count(1)


def participant_data(given_name: str = "Petra", surname: str = "Deltagare", *, protected: bool = False) -> Any:
    from faportal.placements.services import ParticipantData

    return ParticipantData(
        personnummer=personnummer(1985, 6, 15),
        given_name=given_name,
        surname=surname,
        phone="070-123 45 67",
        email=f"{given_name.lower()}@example.se",
        street="Testgatan 1",
        postcode="11122",
        town="Stockholm",
        protected_identity=protected,
        needs_language_support=True,
        language="Arabiska",
        work_experience="Lager, fem år",
        education="Gymnasium",
        driving_licence="B",
        has_car=False,
    )


def place(
    address: Address,
    *,
    given_name: str = "Petra",
    surname: str = "Deltagare",
    level: str = "B",
    protected: bool = False,
    decided_on: Any = None,
) -> Any:
    """A placement decided by Af (through the real service) at ``address``."""
    from django.utils import timezone

    from faportal.access.actor import Actor
    from faportal.placements.services import PlacementDecision, record_decision

    result = record_decision(
        actor=Actor.system("test"),
        key=f"test-{next(_keys)}",
        decision=PlacementDecision(
            participant=participant_data(given_name, surname, protected=protected),
            service_code=address.unit.service.code,
            address_id=address.pk,
            level=level,
            decided_on=decided_on or timezone.localdate(),
        ),
    )
    return result.placement


def bulk_place(address: Address, count: int, *, supervisor: StaffAccount | None = None) -> None:
    """Many placements at once, for query-count and speed checks (bypasses the services on purpose)."""
    import datetime

    from django.utils import timezone

    from faportal.placements import timeline
    from faportal.placements.models import Event, Participant, Placement
    from faportal.placements.services import new_genomforandereferens

    start = next(_bulk)
    for _ in range((count - 1) // 1000):  # a thousand personnummer per block: take as many blocks as needed
        next(_bulk)
    participants = Participant.objects.bulk_create(
        [
            Participant(
                personnummer=fictional_personnummer(1940 + (start + n) // 1000 % 60, 3, 3, (start + n) % 1000),
                given_name=f"Bulk{start + n}",
                surname="Deltagare",
                protected_identity=n % 7 == 0,
            )
            for n in range(count)
        ]
    )
    today = timezone.localdate()
    now = timezone.now()
    placements = Placement.objects.bulk_create(
        [
            Placement(
                genomforandereferens=new_genomforandereferens(),
                participant=participant,
                organisation=address.unit.organisation,
                service=address.unit.service,
                unit=address.unit,
                address=address,
                level="ABC"[n % 3],
                period=1,
                decided_on=today,
                starts_on=today + datetime.timedelta(days=14),
                ends_on=today + datetime.timedelta(days=195),
                supervisor=supervisor,
                sort_supervisor_surname=supervisor.person.surname if supervisor else None,
                sort_supervisor_given_name=supervisor.person.given_name if supervisor else None,
                flag_new_at=now,
                sort_protected=participant.protected_identity,
                sort_surname="" if participant.protected_identity else participant.surname,
                sort_given_name="" if participant.protected_identity else participant.given_name,
                search_name=participant.full_name,
            )
            for n, participant in enumerate(participants)
        ]
    )
    Event.objects.bulk_create(
        [Event(placement=p, kind=timeline.DECIDED.code, at=now, data={"period": 1}) for p in placements]
    )


_bulk = itertools.count(0, 1000)


# --- documents --------------------------------------------------------------------------------------------------


def plan_draft(*, day: Any = None, weeks: int = 2, **changes: Any) -> dict[str, list[str]]:
    """A joint plan's draft that passes every rule when planned on ``day`` (today by default)."""
    import datetime

    from django.utils import timezone

    planned = day or timezone.localdate()
    data: dict[str, list[str]] = {
        "distance": ["no"],
        "activities": ["matchning", "jobbsokning", "digital"],
        "weeks": [str(weeks)],
        "schedule-0-activity": ["digital"],
        "schedule-0-day": [(planned + datetime.timedelta(days=1)).isoformat()],
        "schedule-0-starts_at": ["09:00"],
        "schedule-0-ends_at": ["11:00"],
        "schedule-0-place": ["Kontoret"],
        "schedule-0-provider": ["provider"],
        "notes": ["Fokus på lager och logistik."],
        "together": ["yes"],
    }
    data.update({key: value if isinstance(value, list) else [value] for key, value in changes.items()})
    return data


def write_document(placement: Any, writer: Any, kind: str, period_start: Any, data: dict[str, list[str]]) -> Any:
    """A draft of ``kind`` with ``data``, through the services."""
    from faportal.access.actor import Actor
    from faportal.documents import services

    actor = Actor.for_staff_account(writer)
    document = services.start_document(actor=actor, placement=placement, kind_key=kind, period_start=period_start)
    services.save_draft(actor=actor, document=document, version=document.version, data=data)
    document.refresh_from_db()
    return document


def submit_document(document: Any, writer: Any) -> Any:
    from faportal.access.actor import Actor
    from faportal.documents import services

    return services.submit(
        actor=Actor.for_staff_account(writer),
        document=document,
        version=document.version,
        confirmed=True,
        findings_confirmed=True,
    )


def review_document(document: Any, reviewer: Any, *, approve: bool = True, reason: str = "") -> Any:
    from faportal.access.actor import Actor
    from faportal.documents import services

    return services.decide(
        actor=Actor.for_af_account(reviewer), document=document, approve=approve, reason=reason or "Rätta timmarna."
    )


def approved_plan(placement: Any, writer: Any, reviewer: Any) -> Any:
    """A joint plan written, submitted and approved, through the services."""
    document = write_document(placement, writer, "plan", placement.starts_on, plan_draft())
    submit_document(document, writer)
    review_document(document, reviewer)
    return document


def png_bytes(*, width: int = 40, height: int = 30, gps: bool = False) -> bytes:
    """A small PNG picture (with a GPS position and a camera in its EXIF metadata when ``gps``)."""
    import io

    from PIL import Image

    image = Image.new("RGB", (width, height), (200, 120, 40))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "Kamera AB"  # Make
        exif[0x8825] = {1: "N", 2: (59.0, 19.0, 48.0), 3: "E", 4: (18.0, 4.0, 12.0)}  # GPSInfo: Stockholm
        image.save(out, format="PNG", exif=exif)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(*, gps: bool = False) -> bytes:
    """A small JPEG photo (with a GPS position and a camera in its EXIF metadata when ``gps``)."""
    import io

    from PIL import Image

    image = Image.new("RGB", (64, 48), (30, 90, 160))
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "Kamera AB"
        exif[0x8825] = {1: "N", 2: (59.0, 19.0, 48.0), 3: "E", 4: (18.0, 4.0, 12.0)}
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def pdf_bytes(*, text: str = "Lönespecifikation mars", javascript: bool = False, attachment: bool = False) -> bytes:
    """A one-page PDF (made with pikepdf), with a script run when it opens and an embedded file when asked."""
    import io

    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    )
    content = pdf.make_stream(
        f"BT /F1 14 Tf 72 720 Td ({text.encode('latin-1', 'replace').decode('latin-1')}) Tj ET".encode("latin-1")
    )
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 595, 842],
        Contents=content,
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
    )
    pdf.pages.append(pikepdf.Page(page))
    if javascript:
        script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hej');"))
        pdf.Root.OpenAction = pdf.make_indirect(script)
        pdf.Root.Names = pikepdf.Dictionary(
            JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("start"), pdf.make_indirect(script)]))
        )
    if attachment:
        pdf.attachments["virus.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00 not really", filename="virus.exe")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def exe_bytes() -> bytes:
    """The start of a Windows program (an "MZ" header and a PE signature), to be renamed .pdf by a hostile user."""
    header = bytearray(512)
    header[0:2] = b"MZ"
    header[0x3C:0x40] = (0x80).to_bytes(4, "little")
    header[0x80:0x84] = b"PE\x00\x00"
    return bytes(header) + b"\x00" * 2048


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


# A well-formed organisationsnummer of a fictional employer (check digit computed).
EMPLOYER = "556677-8899"


def result_draft(**changes: Any) -> dict[str, list[str]]:
    """A result report's fields that pass every rule (evidence aside), for a placement that has started."""
    from django.utils import timezone

    data: dict[str, list[str]] = {
        "what": ["work"],
        "extent": ["full"],
        "where": ["Lagerbolaget AB"],
        "starts_on": [timezone.localdate().isoformat()],
        "organisationsnummer": [EMPLOYER],
    }
    data.update({key: value if isinstance(value, list) else [value] for key, value in changes.items()})
    return data


def attach_evidence(document: Any, writer: Any, *files: tuple[str, bytes]) -> Any:
    """Evidence files attached to a draft, through the service."""
    from faportal.access.actor import Actor
    from faportal.documents import services

    return services.attach_evidence(
        actor=Actor.for_staff_account(writer), document=document, uploads=[upload(name, data) for name, data in files]
    )
