"""Demo participants: dozens per demo organisation, in every state the pages show (issue 3).

New (days left), overdue, assigned and running, period 2 ("Ny period"), interrupted (today, and planned),
interrupted before the start (can be removed from Nya deltagare), ended, and protected identity. Everything goes
through the placement services, so events, unread flags and the audit log look like real use. The personnummer
are fictional (born 1950–1999 with serial numbers 900–999).
"""

from __future__ import annotations

import datetime
import itertools
import random

from django.utils import timezone

from faportal.access.actor import Actor
from faportal.access.models import Role, StaffAccount
from faportal.core.dates import add_working_days
from faportal.core.identifiers import fictional_personnummer
from faportal.placements import services
from faportal.placements.models import Placement
from faportal.placements.rules import InterruptionReason, Level
from faportal.registry.models import Address

GIVEN = [
    "Amir",
    "Berit",
    "Carlos",
    "Dalia",
    "Elias",
    "Fatima",
    "Gustav",
    "Hanna",
    "Ibrahim",
    "Johanna",
    "Kalle",
    "Leila",
    "Mohammed",
    "Nora",
    "Omar",
    "Paula",
    "Rasmus",
    "Sara",
    "Tomas",
    "Ulrika",
    "Viktor",
    "Yasmin",
    "Zoran",
    "Astrid",
    "Bashir",
    "Cecilia",
    "Daniel",
    "Emma",
    "Filip",
    "Greta",
]
SURNAMES = [
    "Ahmed",
    "Bergström",
    "Claesson",
    "Dahlberg",
    "Eriksson",
    "Falk",
    "Gustafsson",
    "Hassan",
    "Isaksson",
    "Jönsson",
    "Karlsson",
    "Lindqvist",
    "Mohamud",
    "Nilsson",
    "Olofsson",
    "Persson",
    "Rashid",
    "Sandberg",
    "Törnqvist",
    "Wallin",
]
LANGUAGES = ["Arabiska", "Somaliska", "Tigrinja", "Dari", "Persiska", "Spanska", "Polska"]
EXPERIENCE = [
    "Lager och logistik, 3 år",
    "Restaurang, 2 år",
    "Städ, 5 år",
    "Butik, 1 år",
    "Vård och omsorg, 4 år",
    "Bygg, 6 år",
    "",
]
EDUCATION = ["Grundskola", "Gymnasium, ekonomi", "Gymnasium, fordon", "Eftergymnasial utbildning, 1 år", ""]

# How many placements of each kind per address (an address has 4-9 of them in all).
STATES = [
    "new",
    "new",
    "overdue",
    "assigned",
    "assigned",
    "period2",
    "interrupted_today",
    "interrupted_planned",
    "before_start",
    "ended",
    "protected",
]


def load(*, organisation_ids: list[int], af: Actor) -> int:
    """Create the demo placements for these organisations unless they have some already; returns how many.

    ``af`` is the demo's case officer in the back office: her decisions read as hers, like a real officer's.
    """
    if Placement.objects.filter(organisation_id__in=organisation_ids).exists():
        return 0
    rng = random.Random(2026)  # the same demo every time
    names = itertools.cycle([(g, s) for s in SURNAMES for g in GIVEN[:8]])
    serials = itertools.count(900)
    today = timezone.localdate()
    addresses = (
        Address.objects.active()
        .filter(unit__organisation_id__in=organisation_ids, unit__service__code="rusta-och-matcha")
        .select_related("unit__service", "unit__organisation")
        .order_by("unit__organisation__name", "unit__name", "pk")
    )
    for address in addresses:
        for index, state in enumerate(STATES + ["new", "assigned", "assigned", "protected"][: 1 + address.pk % 4]):
            given, surname = next(names)
            decided_on = _decided_on(state, today, rng)
            result = services.record_decision(
                actor=af,
                key=f"demo-{address.ka_id}-{index}",
                decision=services.PlacementDecision(
                    participant=_participant(given, surname, next(serials), rng, protected=state == "protected"),
                    service_code=address.unit.service.code,
                    address_id=address.pk,
                    level=rng.choice(list(Level)).value,
                    decided_on=decided_on,
                ),
            )
            placement = result.placement
            assert placement is not None
            _advance(placement, state, af, today)
    return Placement.objects.filter(organisation_id__in=organisation_ids).count()


def _decided_on(state: str, today: datetime.date, rng: random.Random) -> datetime.date:
    if state in {"new", "before_start", "interrupted_planned"}:
        return today - datetime.timedelta(days=rng.randint(0, 5))
    if state == "overdue":
        return today - datetime.timedelta(days=rng.randint(16, 25))
    if state == "period2":
        return today - datetime.timedelta(days=rng.randint(170, 185))
    if state == "ended":
        return today - datetime.timedelta(days=rng.randint(200, 260))
    return today - datetime.timedelta(days=rng.randint(20, 120))


def _participant(
    given: str, surname: str, serial: int, rng: random.Random, *, protected: bool
) -> services.ParticipantData:
    born = datetime.date(1950 + rng.randint(0, 49), rng.randint(1, 12), rng.randint(1, 28))
    language = rng.random() < 0.4
    return services.ParticipantData(
        personnummer=fictional_personnummer(born.year, born.month, born.day, serial),
        given_name=given,
        surname=surname,
        phone=f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        email=f"{given.lower()}.{surname.lower()}@example.se".replace("ö", "o").replace("ä", "a").replace("å", "a"),
        street=f"{rng.choice(['Storgatan', 'Parkvägen', 'Skolgatan', 'Björkvägen'])} {rng.randint(1, 60)}",
        postcode=f"{rng.randint(111, 984)}{rng.randint(10, 99)}",
        town=rng.choice(["Stockholm", "Solna", "Uppsala", "Malmö", "Lund", "Helsingborg"]),
        protected_identity=protected,
        needs_language_support=language,
        language=rng.choice(LANGUAGES) if language else "",
        work_experience=rng.choice(EXPERIENCE),
        education=rng.choice(EDUCATION),
        driving_licence=rng.choice(["B", "", "B, C"]),
        has_car=rng.random() < 0.3,
    )


def _supervisor_for(placement: Placement) -> StaffAccount | None:
    candidates = services.supervisors_at(actor=_receiver(placement), address_ids={placement.address_id})
    return candidates[placement.pk % len(candidates)] if candidates else None


def _receiver(placement: Placement) -> Actor:
    """An actor for the organisation's responsible administrator, who may do the provider's side in the demo."""
    account = StaffAccount.objects.get(
        organisation_id=placement.organisation_id, is_responsible_admin=True, deleted_at__isnull=True
    )
    actor = Actor.for_staff_account(account)
    return Actor(**{**actor.__dict__, "roles": frozenset(Role), "address_ids": frozenset({placement.address_id})})


def _advance(placement: Placement, state: str, af: Actor, today: datetime.date) -> None:
    if state in {"assigned", "period2", "interrupted_today", "interrupted_planned", "ended", "protected"}:
        supervisor = _supervisor_for(placement)
        if supervisor is not None:
            services.assign_supervisor(actor=_receiver(placement), placements=[placement], supervisor=supervisor)
    if state == "period2":
        services.record_second_period(actor=af, key=f"demo-p2-{placement.pk}", first=placement, decided_on=today)
    elif state == "interrupted_today":
        services.interrupt(
            actor=af,
            key=f"demo-i-{placement.pk}",
            placement=placement,
            reason=InterruptionReason.WORK,
            interrupts_on=today,
        )
    elif state == "interrupted_planned":
        services.interrupt(
            actor=af,
            key=f"demo-i-{placement.pk}",
            placement=placement,
            reason=InterruptionReason.STUDIES,
            interrupts_on=add_working_days(today, 15),
        )
    elif state == "before_start":
        services.interrupt(
            actor=af,
            key=f"demo-i-{placement.pk}",
            placement=placement,
            reason=InterruptionReason.MOVED,
            interrupts_on=max(today, placement.starts_on - datetime.timedelta(days=2)),
        )
