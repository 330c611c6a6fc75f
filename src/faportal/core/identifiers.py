"""Swedish legal identifiers: personnummer (and samordningsnummer) and organisationsnummer.

Validation uses python-stdnum; a samordningsnummer (day of birth + 60) is accepted as well.
Functions raise ``InvalidIdentifier`` with a code that forms translate into a message.
"""

from __future__ import annotations

import datetime
import re
from enum import StrEnum

from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import orgnr as stdnum_orgnr
from stdnum.se import personnummer as stdnum_personnummer


class PersonnummerCode(StrEnum):
    """Why a personnummer is not valid (words: ``core.messages``)."""

    FORMAT = "format"
    DATE = "date"
    CHECKSUM = "checksum"
    FUTURE = "future"


class OrganisationsnummerCode(StrEnum):
    """Why an organisationsnummer is not valid (words: ``core.messages``)."""

    FORMAT = "format"
    CHECKSUM = "checksum"


class InvalidIdentifier(ValueError):
    """A personnummer or organisationsnummer that is not valid; ``code`` says why."""

    def __init__(self, code: PersonnummerCode | OrganisationsnummerCode) -> None:
        super().__init__(code)
        self.code = code


_PNR_SHAPE = re.compile(r"^(\d{6}|\d{8})[-+]?\d{4}$")


def normalize_personnummer(value: str, *, today: datetime.date | None = None) -> str:
    """Return the 12-digit form (YYYYMMDDNNNN) of a personnummer or samordningsnummer.

    Accepts YYMMDD-NNNN, YYMMDDNNNN, YYYYMMDD-NNNN and YYYYMMDDNNNN (with spaces). Codes: ``format``,
    ``date`` (no such day of birth), ``checksum``, ``future`` (born after today: no one has that number yet).
    """
    today = today or datetime.date.today()  # noqa: DTZ011 - the local calendar date
    raw = re.sub(r"\s", "", value or "")
    if not _PNR_SHAPE.match(raw):
        raise InvalidIdentifier(PersonnummerCode.FORMAT)
    try:
        compact = stdnum_personnummer.compact(raw)
    except StdnumError as exc:  # pragma: no cover - compact only strips separators
        raise InvalidIdentifier(PersonnummerCode.FORMAT) from exc
    separator = compact[-5]
    digits = compact[:-5] + compact[-4:]
    if len(digits) == 10:
        digits = _century_for(digits[:2], plus=separator == "+", today=today) + digits
    year, month, day = int(digits[0:4]), int(digits[4:6]), int(digits[6:8])
    if day > 60:  # samordningsnummer
        day -= 60
    try:
        born = datetime.date(year, month, day)
    except ValueError as exc:
        raise InvalidIdentifier(PersonnummerCode.DATE) from exc
    if not luhn.is_valid(digits[2:]):
        raise InvalidIdentifier(PersonnummerCode.CHECKSUM)
    if born > today:
        raise InvalidIdentifier(PersonnummerCode.FUTURE)
    return digits


def _century_for(yy: str, *, plus: bool, today: datetime.date) -> str:
    century = today.year // 100
    if int(yy) > today.year % 100:
        century -= 1
    if plus:
        century -= 1
    return str(century)


def is_samordningsnummer(personnummer: str) -> bool:
    """True for a samordningsnummer (day of birth plus 60)."""
    return int(personnummer[6:8]) > 60


def format_personnummer(personnummer: str) -> str:
    """YYYYMMDD-NNNN, the form shown to people."""
    return f"{personnummer[:8]}-{personnummer[8:]}"


def mask_personnummer(personnummer: str) -> str:
    """YYYYMMDD-XXXX: the birth date only, for places that must not show the whole number."""
    return f"{personnummer[:8]}-XXXX"


def normalize_organisationsnummer(value: str) -> str:
    """Return the 10-digit organisationsnummer; codes ``format`` and ``checksum``."""
    raw = re.sub(r"[\s-]", "", value or "")
    if len(raw) == 12 and raw.startswith("16"):  # the "16" century prefix some registers use
        raw = raw[2:]
    if not re.fullmatch(r"\d{10}", raw):
        raise InvalidIdentifier(OrganisationsnummerCode.FORMAT)
    if not stdnum_orgnr.is_valid(raw):
        raise InvalidIdentifier(OrganisationsnummerCode.CHECKSUM)
    return raw


def format_organisationsnummer(organisationsnummer: str) -> str:
    """NNNNNN-NNNN, the form shown to people."""
    return stdnum_orgnr.format(organisationsnummer)


def peppol_participant_id(organisationsnummer: str) -> str:
    """The PEPPOL participant id of a Swedish organisation: scheme 0007 and the organisationsnummer."""
    return f"0007:{organisationsnummer}"


def fictional_personnummer(year: int, month: int, day: int, serial: int) -> str:
    """A well-formed personnummer (check digit computed) for tests and demo data; ``serial`` is 0–999."""
    first_nine = f"{year % 100:02d}{month:02d}{day:02d}{serial % 1000:03d}"
    return f"{year // 100}{first_nine}{luhn.calc_check_digit(first_nine)}"


def fictional_organisationsnummer(prefix: str) -> str:
    """A well-formed organisationsnummer starting with ``prefix`` (padded with zeros), for tests and demo data."""
    first_nine = (prefix + "000000000")[:9]
    return first_nine + luhn.calc_check_digit(first_nine)
