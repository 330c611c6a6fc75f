"""The pages and API calls the benchmark measures, and who opens them.

Each ``Page`` names its user (one of ``Sample``'s people) and how to call it; the paths and bodies are built from a
``Sample`` of the world (the biggest provider's users, a participant of theirs, a staff member with many
participants …), so the same list runs on any world. A later app registers its pages with ``register`` in
a module that ``bench.steps`` imports.
"""

from __future__ import annotations

import datetime
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bench.world import API_CLIENT, BIGGEST_NAME, participant_personnummer
from django.db.models import Count
from django.utils import timezone

from faportal.access.actor import Actor
from faportal.access.models import StaffAccount
from faportal.api.models import ApiClient
from faportal.api.services import create_api_client
from faportal.audit.models import AuditEvent
from faportal.identity.models import Person
from faportal.placements.models import Participant, Placement
from faportal.registry.models import Address, Organisation


@dataclass
class Sample:
    """Who measures what: the biggest provider's people and a few of its rows."""

    organisation: Organisation
    coordinator: StaffAccount  # receives and reports at every address of the biggest provider
    supervisor: StaffAccount  # reports at every address and supervises some
    administrator: StaffAccount
    auditor: Person  # Af: every back-office role
    placement: Placement  # one of the supervisor's
    busy_account: StaffAccount  # the staff member with the most participants
    unit_id: int
    list_pages: int
    surname: str
    full_name: str
    reference_part: str
    log_person: int
    log_since: datetime.date
    api_key: str
    address_ka_id: str
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def of_world(cls) -> Sample:
        organisation = Organisation.objects.get(name=BIGGEST_NAME)
        accounts = StaffAccount.objects.filter(organisation=organisation).select_related("person")

        def account(given: str, surname: str) -> StaffAccount:
            return accounts.get(person__given_name=given, person__surname=surname)

        supervisor = account("Sam", "Handledare")
        placement = Placement.objects.filter(supervisor=supervisor).select_related("participant").latest("pk")
        busy = (
            Placement.objects.filter(organisation=organisation, supervisor__isnull=False)
            .values("supervisor")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .first()
        )
        assert busy is not None
        total = Placement.objects.filter(organisation=organisation, removed_at__isnull=True).count()
        participant = (
            Participant.objects.filter(placements__organisation=organisation, protected_identity=False)
            .exclude(given_name="Api")  # the participants the API measurements made
            .order_by("pk")[100]
        )
        ApiClient.objects.filter(name=f"{API_CLIENT} (mätning)").delete()
        _client, key = create_api_client(actor=Actor.system("bench"), name=f"{API_CLIENT} (mätning)")
        address = Address.objects.filter(unit__organisation=organisation).order_by("pk").first()
        assert address is not None
        # The API's new decisions go to the smallest provider: the biggest one's lists stay at their size.
        elsewhere = Address.objects.order_by("-unit__organisation_id", "pk").first()
        assert elsewhere is not None
        latest = AuditEvent.objects.filter(organisation=organisation).latest("at")
        return cls(
            organisation=organisation,
            coordinator=account("Kim", "Koordinator"),
            supervisor=supervisor,
            administrator=account("Alex", "Administratör"),
            auditor=Person.objects.get(given_name="Åsa", surname="Granskare"),
            placement=placement,
            busy_account=accounts.get(pk=busy["supervisor"]),
            unit_id=address.unit_id,
            list_pages=(total + 49) // 50,
            surname=participant.surname,
            full_name=participant.full_name,
            reference_part=placement.genomforandereferens[4:9],
            log_person=latest.actor_id or supervisor.person_id,
            log_since=timezone.localdate() - datetime.timedelta(days=30),
            api_key=key,
            address_ka_id=elsewhere.ka_id,
        )

    def next_decision(self) -> dict[str, Any]:
        """A new period-1 decision for a new participant (a fresh key and personnummer each time, each run)."""
        n = RUN_OFFSET + next(self.counter)
        today = timezone.localdate()
        return {
            "key": f"bench-api-{timezone.now().timestamp():.0f}-{n}",
            "participant": {
                "personnummer": participant_personnummer(n),
                "given_name": "Api",
                "surname": f"Deltagare{n}",
            },
            "service_code": "rusta-och-matcha",
            "address_ka_id": self.address_ka_id,
            "level": "B",
            "decided_on": today.isoformat(),
        }


# Each run's new participants get personnummer of their own: 5 000 a run, 1 500 runs before they come round.
RUN_OFFSET = 10_000_000 + int(time.time()) % 1_500 * 5_000

Path = str | Callable[[Sample], str]


@dataclass(frozen=True)
class Page:
    """One thing to measure: who opens which path, how."""

    name: str
    group: str  # "trivial", "provider", "back office" or "api"
    user: str  # an attribute of Sample naming a StaffAccount or Person, or "api"
    path: Path
    method: str = "GET"
    body: Callable[[Sample], Any] | None = None
    htmx: bool = False
    acting_for: str = ""  # "af" for the back office
    headers: tuple[tuple[str, str], ...] = ()  # more request headers (a draft's autosave)

    def url(self, sample: Sample) -> str:
        return self.path(sample) if callable(self.path) else self.path


PAGES: list[Page] = []


def register(*pages: Page) -> None:
    PAGES.extend(pages)


def _q(**params: Any) -> str:
    return "?" + urlencode(params)


register(
    Page("Startsidan (trivial)", "trivial", "coordinator", "/"),
    # Nya deltagare
    Page("Nya deltagare", "provider", "coordinator", "/nya-deltagare/"),
    Page("Nya deltagare, filter enhet", "provider", "coordinator", lambda s: "/nya-deltagare/" + _q(enhet=s.unit_id)),
    # Deltagarlista
    Page("Deltagarlista", "provider", "coordinator", "/deltagare/"),
    Page("Deltagarlista, htmx", "provider", "coordinator", "/deltagare/" + _q(sort="start"), htmx=True),
    Page("Deltagarlista, olästa (antalen, htmx)", "provider", "coordinator", "/deltagare/olasta/", htmx=True),
    Page("Deltagarlista, sista sidan", "provider", "coordinator", lambda s: "/deltagare/" + _q(sida=s.list_pages)),
    Page("Deltagarlista, sortera namn", "provider", "coordinator", "/deltagare/" + _q(sort="name")),
    Page("Deltagarlista, sortera -namn", "provider", "coordinator", "/deltagare/" + _q(sort="-name")),
    Page("Deltagarlista, sortera handledare", "provider", "coordinator", "/deltagare/" + _q(sort="supervisor")),
    Page("Deltagarlista, sortera referens", "provider", "coordinator", "/deltagare/" + _q(sort="-reference")),
    Page("Deltagarlista, senaste start", "provider", "coordinator", "/deltagare/" + _q(sort="-start")),
    Page("Deltagarlista, status pågår", "provider", "coordinator", "/deltagare/" + _q(status="active")),
    Page("Deltagarlista, status avbruten", "provider", "coordinator", "/deltagare/" + _q(status="interrupted")),
    Page("Deltagarlista, status ej startad", "provider", "coordinator", "/deltagare/" + _q(status="upcoming")),
    Page("Deltagarlista, period 2", "provider", "coordinator", "/deltagare/" + _q(period=2, sort="name")),
    Page("Deltagarlista, olästa nya", "provider", "coordinator", "/deltagare/" + _q(olast="new")),
    Page("Deltagarlista, olästa avbrott", "provider", "coordinator", "/deltagare/" + _q(olast="interruption")),
    Page(
        "Deltagarlista, handledare",
        "provider",
        "coordinator",
        lambda s: "/deltagare/" + _q(supervisor=s.busy_account.pk),
    ),
    Page("Deltagarlista, endast mina", "provider", "supervisor", "/deltagare/" + _q(mine="on", sort="name")),
    Page("Deltagarlista, sök efternamn", "provider", "coordinator", lambda s: "/deltagare/" + _q(q=s.surname)),
    Page("Deltagarlista, sök namn", "provider", "coordinator", lambda s: "/deltagare/" + _q(q=s.full_name)),
    Page("Deltagarlista, sök referens", "provider", "coordinator", lambda s: "/deltagare/" + _q(q=s.reference_part)),
    Page("Deltagarlista, sök utan träff", "provider", "coordinator", "/deltagare/" + _q(q="Xyzzy")),
    # The participant page
    Page("Deltagarsidan", "provider", "supervisor", lambda s: f"/deltagare/{s.placement.pk}/"),
    Page(
        "Deltagarsidan, erfarenheter", "provider", "supervisor", lambda s: f"/deltagare/{s.placement.pk}/erfarenheter/"
    ),
    Page("Deltagarsidan, händelser", "provider", "supervisor", lambda s: f"/deltagare/{s.placement.pk}/handelser/"),
    Page(
        "Visa händelser (rad)",
        "provider",
        "coordinator",
        lambda s: f"/deltagare/{s.placement.pk}/handelser/senaste/",
        htmx=True,
    ),
    Page("Byt handledare", "provider", "coordinator", lambda s: f"/deltagare/{s.placement.pk}/handledare/"),
    Page("Exportera deltagare (förhandsvisning)", "provider", "coordinator", "/deltagare/exportera/"),
    # Staff and the log
    Page("Personal", "provider", "administrator", "/personal/"),
    Page("Personal, sök", "provider", "administrator", "/personal/" + _q(q="Karlsson")),
    Page("Personal, översikt", "provider", "administrator", "/personal/oversikt/"),
    Page("Personal, en person", "provider", "administrator", lambda s: f"/personal/{s.busy_account.pk}/"),
    Page(
        "Personal, behörigheter", "provider", "administrator", lambda s: f"/personal/{s.busy_account.pk}/behorigheter/"
    ),
    Page("Personal, ta bort", "provider", "administrator", lambda s: f"/personal/{s.busy_account.pk}/ta-bort/"),
    Page("Flytta deltagare", "provider", "administrator", lambda s: f"/personal/{s.busy_account.pk}/flytta-deltagare/"),
    Page("Inbjudningar", "provider", "administrator", "/personal/inbjudningar/"),
    Page("Logg", "provider", "administrator", "/logg/"),
    Page("Logg, person", "provider", "administrator", lambda s: "/logg/" + _q(person=s.log_person)),
    Page("Logg, händelse", "provider", "administrator", "/logg/" + _q(action="placements.personnummer_revealed")),
    Page("Logg, datum", "provider", "administrator", lambda s: "/logg/" + _q(since=s.log_since, until=s.log_since)),
    Page(
        "Logg, person + händelse + datum",
        "provider",
        "administrator",
        lambda s: "/logg/" + _q(person=s.log_person, action="placements.read", since=s.log_since),
    ),
    # Arbetsförmedlingen's back office
    Page("Af: start", "back office", "auditor", "/af/", acting_for="af"),
    Page("Af: organisationer", "back office", "auditor", "/af/organisationer/", acting_for="af"),
    Page(
        "Af: en organisation",
        "back office",
        "auditor",
        lambda s: f"/af/organisationer/{s.organisation.pk}/",
        acting_for="af",
    ),
    Page("Af: deltagare", "back office", "auditor", "/af/deltagare/", acting_for="af"),
    Page(
        "Af: sök referens",
        "back office",
        "auditor",
        "/af/deltagare/",
        method="POST",
        body=lambda s: {"q": s.placement.genomforandereferens},
        acting_for="af",
    ),
    Page(
        "Af: sök personnummer",
        "back office",
        "auditor",
        "/af/deltagare/",
        method="POST",
        body=lambda s: {"q": s.placement.participant.personnummer},
        acting_for="af",
    ),
    Page(
        "Af: en deltagare",
        "back office",
        "auditor",
        lambda s: f"/af/deltagare/{s.placement.genomforandereferens}/",
        acting_for="af",
    ),
    Page("Af: nytt beslut", "back office", "auditor", "/af/deltagare/nytt-beslut/", acting_for="af"),
    Page("Af: KA-webb-import", "back office", "auditor", "/af/register/import/", acting_for="af"),
    Page("Af: logg", "back office", "auditor", "/af/logg/", acting_for="af"),
    Page(
        "Af: logg, person", "back office", "auditor", lambda s: "/af/logg/" + _q(person=s.log_person), acting_for="af"
    ),
    Page(
        "Af: logg, händelse",
        "back office",
        "auditor",
        "/af/logg/" + _q(action="placements.personnummer_revealed"),
        acting_for="af",
    ),
    Page(
        "Af: logg, datum",
        "back office",
        "auditor",
        lambda s: "/af/logg/" + _q(since=s.log_since, until=s.log_since),
        acting_for="af",
    ),
    # The integration API
    Page(
        "API: läs placering",
        "api",
        "api",
        lambda s: f"/api/integration/v1/placements/{s.placement.genomforandereferens}",
    ),
    Page("API: nytt beslut", "api", "api", "/api/integration/v1/decisions", method="POST", body=Sample.next_decision),
    Page(
        "API: samma beslut igen",
        "api",
        "api",
        "/api/integration/v1/decisions",
        method="POST",
        body=lambda s: _repeated(s),
    ),
)

_REPEATED: dict[int, dict[str, Any]] = {}


def _repeated(sample: Sample) -> dict[str, Any]:
    """One decision, the same every time (the first call creates it, the rest repeat it)."""
    return _REPEATED.setdefault(id(sample), sample.next_decision())


def as_json(body: Any) -> str:
    return json.dumps(body)
