"""What the integration API accepts and answers (SPEC S4.1, S4.4, S4.7, S4.8, S8.2).

Types are exact (JSON strings, numbers and booleans are not converted into one another; dates are YYYY-MM-DD), and
unknown fields are refused, so a typo in a client is found at once rather than silently ignored. A request body
reports every problem together: its shape (pydantic) and the rules that need nothing but the request itself (the
dates of a decision). Rules that depend on stored data (the address, the placement's state) are the services' and
are checked once the request is well-formed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    model_validator,
)

from faportal.api.problems import ApiProblem, InvalidRequest, ProblemOut, from_rule, refusal, shape_problems
from faportal.core.dates import EARLIEST_DATE, LATEST_DATE, is_supported_date
from faportal.core.identifiers import InvalidIdentifier, normalize_personnummer
from faportal.core.problems import message_for
from faportal.placements import rules
from faportal.placements.models import Placement, today
from faportal.placements.rules import InterruptionReason, Level
from faportal.placements.services import ParticipantData, PlacementDecision
from faportal.registry.models import Address

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_POSTCODE = re.compile(r"\d{3} ?\d{2}")


def _text(max_length: int, *, required: bool = False) -> Any:
    return StringConstraints(
        strict=True, strip_whitespace=True, min_length=1 if required else None, max_length=max_length
    )


def _iso_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def parse_date(value: Any) -> datetime.date | None:
    """A YYYY-MM-DD string as a date the rules can work with (core.dates.is_supported_date); None for anything else."""
    parsed = _iso_date(value)
    return parsed if parsed is not None and is_supported_date(parsed) else None


def _date(value: Any) -> datetime.date:
    parsed = _iso_date(value)
    if parsed is None:
        raise refusal("invalid", _("Enter a date as YYYY-MM-DD."))
    if not is_supported_date(parsed):
        # 9999-12-31 is a date, but no period can start near it: the same words as the back office's forms.
        raise refusal(
            "out_of_range",
            _("Check the year: enter a date between %(first)s and %(last)s.")
            % {"first": EARLIEST_DATE.isoformat(), "last": LATEST_DATE.isoformat()},
        )
    return parsed


def _optional_date(value: Any) -> datetime.date | None:
    return None if value is None else _date(value)


def _personnummer(value: Any) -> str:
    try:
        return normalize_personnummer(value if isinstance(value, str) else "")
    except InvalidIdentifier as error:
        raise refusal(error.code, message_for(error.code)) from error


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except DjangoValidationError as error:
            raise refusal("invalid", _("Enter a valid email address.")) from error
    return value


def _postcode(value: str) -> str:
    if value and not _POSTCODE.fullmatch(value):
        raise refusal("invalid", _("Enter five digits, e.g. 111 22."))
    return value.replace(" ", "")


Key = Annotated[
    str,
    _text(100, required=True),
    Field(description="Af's own unique id for this decision: sending it again repeats, never duplicates."),
]
IsoDate = Annotated[datetime.date, BeforeValidator(_date)]
OptionalIsoDate = Annotated[datetime.date | None, BeforeValidator(_optional_date)]
Personnummer = Annotated[
    str, BeforeValidator(_personnummer), Field(description="12 digits, YYYYMMDDNNNN (a hyphen is allowed).")
]
Name = Annotated[str, _text(100, required=True)]
Text40 = Annotated[str, _text(40)]
Text100 = Annotated[str, _text(100)]
Text200 = Annotated[str, _text(200)]
LongText = Annotated[str, _text(5000)]
Email = Annotated[str, _text(254), AfterValidator(_email)]
Postcode = Annotated[str, _text(6), AfterValidator(_postcode), Field(description="Five digits; a space is allowed.")]


class RequestBody(BaseModel):
    """A request body that reports its shape and its request-only rules together (see the module's docstring)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _every_problem(cls, data: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        if not isinstance(data, Mapping):
            raise InvalidRequest([ApiProblem("", "invalid_json", _("The request body must be a JSON object."))])
        problems: list[ApiProblem] = []
        value = None
        try:
            value = handler(data)
        except ValidationError as error:
            problems.extend(shape_problems(error.errors()))
        # The day the rules judge by: the caller's (a batch's, worked out once), or today.
        day = info.context.get("today") if isinstance(info.context, Mapping) else None
        problems.extend(cls.rule_problems(data, day=day if isinstance(day, datetime.date) else today()))
        if problems:
            raise InvalidRequest(problems)
        return value

    @classmethod
    def rule_problems(cls, data: Mapping[str, Any], *, day: datetime.date) -> list[ApiProblem]:
        """Rules on the raw request, checked whether or not its shape is right (each looks only at good fields),
        on ``day`` (today).
        """
        return []


def _period_dates_problems(data: Mapping[str, Any], day: datetime.date) -> list[ApiProblem]:
    """Beslut om deltagande and byte av leverantör (SPEC S4.1–S4.2): the decision and start dates."""
    decided_on = parse_date(data.get("decided_on"))
    given_start = data.get("starts_on")
    if decided_on is None:
        return []
    starts_on = rules.earliest_start(decided_on) if given_start is None else parse_date(given_start)
    if starts_on is None:
        return []
    return [
        from_rule(problem)
        for problem in rules.first_period_problems(decided_on=decided_on, starts_on=starts_on, today=day)
    ]


class ParticipantIn(BaseModel):
    """The job seeker, as Af knows them (SPEC S4.1, S4.6, S4.9)."""

    model_config = ConfigDict(extra="forbid")

    personnummer: Personnummer
    given_name: Name
    surname: Name
    phone: Text40 = ""
    email: Email = ""
    street: Text200 = ""
    postcode: Postcode = ""
    town: Text100 = ""
    protected_identity: StrictBool = False
    needs_language_support: StrictBool = False
    language: Text100 = Field("", description="Required when needs_language_support is true.")
    work_experience: LongText = ""
    education: LongText = ""
    driving_licence: Text100 = ""
    has_car: StrictBool = False


def address_pk(ka_id: str) -> int:
    """The portal's id of the address KA-webb knows as ``ka_id``; 0 (no address) when there is none."""
    return Address.objects.filter(ka_id=ka_id).values_list("pk", flat=True).first() or 0


class DecisionIn(RequestBody):
    """Beslut om deltagande, period 1 (SPEC S4.1)."""

    key: Key
    participant: ParticipantIn
    service_code: Annotated[str, _text(50, required=True)]
    address_ka_id: Annotated[str, _text(50, required=True)] = Field(
        description="The address's KA-webb id (an active address of a unit of the service)."
    )
    level: Level = Field(description="From the statistical assessment; never changes during the placement.")
    decided_on: IsoDate
    starts_on: OptionalIsoDate = Field(None, description="Left out: the earliest start, ten working days later.")

    @classmethod
    def rule_problems(cls, data: Mapping[str, Any], *, day: datetime.date) -> list[ApiProblem]:
        problems = _period_dates_problems(data, day)
        participant = data.get("participant")
        if isinstance(participant, Mapping) and participant.get("needs_language_support") is True:
            language = participant.get("language")
            if not isinstance(language, str) or rules.language_missing(needs_language_support=True, language=language):
                problems.append(
                    ApiProblem("participant.language", "required", message_for(rules.Code.LANGUAGE_MISSING))
                )
        return problems

    def placement_decision(self, *, address_id: int | None = None) -> PlacementDecision:
        """The decision for the service; ``address_id`` when the address was looked up already (a batch)."""
        return PlacementDecision(
            participant=ParticipantData(**self.participant.model_dump()),
            service_code=self.service_code,
            address_id=address_pk(self.address_ka_id) if address_id is None else address_id,
            level=self.level.value,
            decided_on=self.decided_on,
            starts_on=self.starts_on,
        )


class SecondPeriodIn(RequestBody):
    """Beslut om period 2 (SPEC S4.4): six more months at the same level and address, without a gap."""

    key: Key
    decided_on: IsoDate


class InterruptionIn(RequestBody):
    """Avbrott (SPEC S4.7): from today or a later date, with a reason."""

    key: Key
    reason: InterruptionReason
    interrupts_on: IsoDate


class InterruptionChangeIn(RequestBody):
    """Move a future interruption to another date, or withdraw it (SPEC S4.7): one or the other."""

    key: Key
    interrupts_on: OptionalIsoDate = Field(None, description="The new date; leave out to withdraw.")
    withdraw: StrictBool = Field(False, description="true withdraws the interruption.")

    @classmethod
    def rule_problems(cls, data: Mapping[str, Any], *, day: datetime.date) -> list[ApiProblem]:
        if not isinstance(data.get("withdraw", False), bool):
            return []  # the shape's problem already
        moving, withdrawing = data.get("interrupts_on") is not None, data.get("withdraw") is True
        if moving and withdrawing:
            return [ApiProblem("", "date_or_withdraw", _("Give a new date or withdraw the interruption, not both."))]
        if not moving and not withdrawing:
            return [ApiProblem("", "date_or_withdraw", _("Give a new date, or withdraw the interruption."))]
        return []

    @property
    def new_date(self) -> datetime.date | None:
        return None if self.withdraw else self.interrupts_on


class ProviderChangeIn(RequestBody):
    """Byte av leverantör (SPEC S4.8): a new placement at another provider; the old one is interrupted."""

    key: Key
    address_ka_id: Annotated[str, _text(50, required=True)] = Field(
        description="The KA-webb id of the address at the new provider."
    )
    decided_on: IsoDate
    starts_on: OptionalIsoDate = Field(None, description="Left out: the earliest start, ten working days later.")

    @classmethod
    def rule_problems(cls, data: Mapping[str, Any], *, day: datetime.date) -> list[ApiProblem]:
        return _period_dates_problems(data, day)


# At most this many decisions in one delivery: a few seconds' work, and an answer of a few megabytes.
MAX_BATCH = 1000


class BatchIn(BaseModel):
    """Many decisions at once, each a body as for ``POST /decisions``, each answered on its own."""

    model_config = ConfigDict(extra="forbid")

    decisions: list[Any] = Field(max_length=MAX_BATCH, description=f"Up to {MAX_BATCH} decisions.")


# --- answers -------------------------------------------------------------------------------------------------


class OrganisationOut(BaseModel):
    organisationsnummer: str
    name: str


class InterruptionOut(BaseModel):
    reason: InterruptionReason
    interrupts_on: datetime.date


class PlacementOut(BaseModel):
    """A placement as the provider has it now (no personal data: Af has that already)."""

    genomforandereferens: str
    status: Literal["upcoming", "active", "interrupted", "ended"] = Field(
        description="Today: not started, ongoing, interrupted (the interruption date has come) or ended."
    )
    period: int
    level: Level
    service_code: str
    organisation: OrganisationOut
    address_ka_id: str
    decided_on: datetime.date
    starts_on: datetime.date
    ends_on: datetime.date
    interruption: InterruptionOut | None = Field(description="The interruption in force, also before its date.")
    previous: str | None = Field(description="Period 2: the genomförandereferens of period 1.")

    @classmethod
    def of(cls, placement: Placement) -> PlacementOut:
        """From a placement read with ``with_status`` (placements.selectors)."""
        interrupts_on = placement.interrupts_on
        return cls(
            genomforandereferens=placement.genomforandereferens,
            status=placement.status,  # type: ignore[attr-defined]
            period=placement.period,
            level=Level(placement.level),
            service_code=placement.service.code,
            organisation=OrganisationOut(
                organisationsnummer=placement.organisation.organisationsnummer, name=placement.organisation.name
            ),
            address_ka_id=placement.address.ka_id,
            decided_on=placement.decided_on,
            starts_on=placement.starts_on,
            ends_on=placement.ends_on,
            interruption=(
                InterruptionOut(reason=InterruptionReason(placement.interruption_reason), interrupts_on=interrupts_on)
                if interrupts_on is not None
                else None
            ),
            previous=placement.previous.genomforandereferens if placement.previous is not None else None,
        )


class BatchAnswerOut(BaseModel):
    """What became of one decision of a batch, at its place in the batch."""

    key: str | None = Field(description="The decision's key as sent (null when it had none).")
    status: int = Field(
        description="As for one decision: 201 made now, 200 made before, 400 refused (see problems), 409 the key "
        "was used for other content."
    )
    placement: PlacementOut | None = Field(description="The placement, for 200 and 201.")
    problems: list[ProblemOut] = Field(description="Every problem found, for 400 and 409.")


class BatchOut(BaseModel):
    results: list[BatchAnswerOut]
