"""The integration API for Af's systems, version 1 (SPEC S8.2): placement decisions, period 2, interruptions and
provider changes, each idempotent by its key, and a placement's current state. See docs/api.md.

Thin views: the body schema parses and checks the request, one placement service decides, and the answer is the
placement as it is now — 201 when this delivery made the decision, 200 when it repeated an earlier one.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import NinjaAPI, Status
from ninja.renderers import JSONRenderer

from faportal.access.actor import Actor
from faportal.api import limits, problems
from faportal.api import selectors as api_selectors
from faportal.api.auth import BearerKey, api_actor
from faportal.api.integration_schemas import (
    BatchAnswerOut,
    BatchIn,
    BatchOut,
    DecisionIn,
    InterruptionChangeIn,
    InterruptionIn,
    PlacementOut,
    ProviderChangeIn,
    SecondPeriodIn,
    address_pk,
)
from faportal.api.problems import ApiProblem, InvalidRequest, ProblemOut, ProblemsOut, from_rule
from faportal.placements import batch, rules, services
from faportal.placements.models import DecisionKind, Placement, today
from faportal.placements.selectors import placement_for_af
from faportal.registry.models import Address


class Utf8JSONRenderer(JSONRenderer):
    """JSON as UTF-8 text (å, ä, ö as themselves, not \\u escapes): the messages are Swedish."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="FA-portalen: integration API for Arbetsförmedlingen",
    version="1",
    description=(
        "Placement decisions, period 2, interruptions and provider changes from Af's systems (SPEC S8.2). Every "
        "POST carries a key: the same key with the same content is answered 200 with the placement and changes "
        'nothing; with other content 409. Errors: {"problems": [{"field", "code", "message"}]}.'
    ),
    urls_namespace="api:integration-v1",
    renderer=Utf8JSONRenderer(),
    auth=BearerKey(),
    # Swagger's page would load its scripts from a CDN into the portal's origin: the OpenAPI document suffices.
    docs_url=None,
)
problems.install(api)
limits.install(api)

DECIDED = {
    201: PlacementOut,
    200: PlacementOut,
    400: ProblemsOut,
    401: ProblemsOut,
    409: ProblemsOut,
    413: ProblemsOut,
}
ON_PLACEMENT = {**DECIDED, 404: ProblemsOut}
REF = "/placements/{genomforandereferens}"


def _answer(actor: Actor, result: services.DecisionResult) -> Status[PlacementOut]:
    assert result.placement is not None
    if result.created and result.decision.kind == DecisionKind.PLACEMENT:
        # Just made, with everything the answer shows at hand: nothing to read again.
        return Status(201, PlacementOut.of(_with_status(result.placement)))
    found = api_selectors.decided_placement(actor=actor, placement_id=result.placement.pk)
    return Status(201 if result.created else 200, PlacementOut.of(found))


def _with_status(placement: Placement, day: datetime.date | None = None) -> Placement:
    """The placement with ``status`` as ``selectors.with_status`` would annotate it (on ``day``: today)."""
    placement.status = rules.status_on(  # type: ignore[attr-defined]
        day=day or today(),
        starts_on=placement.starts_on,
        ends_on=placement.ends_on,
        interrupts_on=placement.interrupts_on,
    )
    return placement


@api.post("/decisions", response=DECIDED, url_name="decisions", summary="Beslut om deltagande (period 1)")
def record_decision(request: HttpRequest, payload: DecisionIn) -> Status[PlacementOut]:
    """A new placement at the chosen address; the provider sees it at once under Nya deltagare (SPEC S4.1)."""
    actor = api_actor(request)
    return _answer(actor, services.record_decision(actor=actor, key=payload.key, decision=payload.placement_decision()))


@api.post(
    "/decisions/batch",
    response={200: BatchOut, 400: ProblemsOut, 401: ProblemsOut},
    url_name="decisions_batch",
    summary="Many beslut om deltagande at once",
)
def record_decisions(request: HttpRequest, payload: BatchIn) -> BatchOut:
    """Up to 1 000 decisions (period 1), each as for ``POST /decisions`` and answered on its own, in the order sent;
    the batch as a whole is answered 200 (an envelope that is not a batch: 400). Idempotent per decision's key.
    """
    actor = api_actor(request)
    day = today()
    bodies: list[DecisionIn | tuple[str | None, list[ApiProblem]]] = []
    for item in payload.decisions:
        try:
            bodies.append(DecisionIn.model_validate(item, context={"today": day}))
        except InvalidRequest as error:
            key = item.get("key") if isinstance(item, dict) else None
            bodies.append((key if isinstance(key, str) else None, error.problems))
    wanted = {body.address_ka_id for body in bodies if isinstance(body, DecisionIn)}
    addresses = dict(Address.objects.filter(ka_id__in=wanted).values_list("ka_id", "pk"))
    valid = [body for body in bodies if isinstance(body, DecisionIn)]
    decided = batch.record_decisions(
        actor=actor,
        items=[
            batch.Item(body.key, body.placement_decision(address_id=addresses.get(body.address_ka_id, 0)))
            for body in valid
        ],
    )
    made_before = api_selectors.decided_placements(
        actor=actor, placement_ids={answer.placement_id for answer in decided if answer.placement_id is not None}
    )
    results = []
    given = iter(decided)
    for body in bodies:
        if not isinstance(body, DecisionIn):
            key, shape_problems = body
            results.append(BatchAnswerOut(key=key, status=400, placement=None, problems=_out(shape_problems)))
            continue
        answer = next(given)
        if answer.outcome == batch.Outcome.CREATED:
            assert answer.placement is not None
            out = PlacementOut.of(_with_status(answer.placement, day))
            results.append(BatchAnswerOut(key=answer.key, status=201, placement=out, problems=[]))
        elif answer.outcome == batch.Outcome.REPEATED:
            before = made_before.get(answer.placement_id) if answer.placement_id is not None else None
            results.append(
                BatchAnswerOut(
                    key=answer.key, status=200, placement=PlacementOut.of(before) if before else None, problems=[]
                )
            )
        else:
            found_problems = [from_rule(problem) for problem in answer.problems]
            status = 409 if answer.outcome == batch.Outcome.CONFLICT else 400
            results.append(BatchAnswerOut(key=answer.key, status=status, placement=None, problems=_out(found_problems)))
    return BatchOut(results=results)


def _out(found: list[ApiProblem]) -> list[ProblemOut]:
    return [ProblemOut(field=problem.field, code=problem.code, message=problem.message) for problem in found]


@api.get(
    REF, response={200: PlacementOut, 401: ProblemsOut, 404: ProblemsOut}, url_name="placement", summary="Placement"
)
def placement(request: HttpRequest, genomforandereferens: str) -> PlacementOut:
    """A placement as it is today: dates, status and any interruption."""
    return PlacementOut.of(api_selectors.placement(actor=api_actor(request), genomforandereferens=genomforandereferens))


@api.post(f"{REF}/second-period", response=ON_PLACEMENT, url_name="second_period", summary="Beslut om period 2")
def second_period(request: HttpRequest, genomforandereferens: str, payload: SecondPeriodIn) -> Status[PlacementOut]:
    """Period 2 of an uninterrupted period 1: a new placement, answered here (SPEC S4.4)."""
    actor = api_actor(request)
    first = placement_for_af(actor=actor, genomforandereferens=genomforandereferens)
    return _answer(
        actor, services.record_second_period(actor=actor, key=payload.key, first=first, decided_on=payload.decided_on)
    )


@api.post(f"{REF}/interruption", response=ON_PLACEMENT, url_name="interruption", summary="Avbrott")
def interruption(request: HttpRequest, genomforandereferens: str, payload: InterruptionIn) -> Status[PlacementOut]:
    """Interrupt a placement from today or a later date (SPEC S4.7)."""
    actor = api_actor(request)
    found = placement_for_af(actor=actor, genomforandereferens=genomforandereferens)
    return _answer(
        actor,
        services.interrupt(
            actor=actor, key=payload.key, placement=found, reason=payload.reason, interrupts_on=payload.interrupts_on
        ),
    )


@api.post(
    f"{REF}/interruption/change",
    response=ON_PLACEMENT,
    url_name="interruption_change",
    summary="Move or withdraw avbrott",
)
def interruption_change(
    request: HttpRequest, genomforandereferens: str, payload: InterruptionChangeIn
) -> Status[PlacementOut]:
    """Move a future interruption to another date, or withdraw it, until its date has come (SPEC S4.7)."""
    actor = api_actor(request)
    found = placement_for_af(actor=actor, genomforandereferens=genomforandereferens)
    return _answer(
        actor,
        services.change_interruption(actor=actor, key=payload.key, placement=found, interrupts_on=payload.new_date),
    )


@api.post(f"{REF}/provider-change", response=ON_PLACEMENT, url_name="provider_change", summary="Byte av leverantör")
def provider_change(request: HttpRequest, genomforandereferens: str, payload: ProviderChangeIn) -> Status[PlacementOut]:
    """The participant moves to another provider: the new placement is answered here (SPEC S4.8)."""
    actor = api_actor(request)
    found = placement_for_af(actor=actor, genomforandereferens=genomforandereferens)
    return _answer(
        actor,
        services.change_provider(
            actor=actor,
            key=payload.key,
            placement=found,
            address_id=address_pk(payload.address_ka_id),
            decided_on=payload.decided_on,
            starts_on=payload.starts_on,
        ),
    )
