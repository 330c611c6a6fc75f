"""KA-webb import (SPEC S2.2): reading the file and checking every row, without touching the database.

The file format is described in ``docs/ka-webb-import.md``. ``parse`` turns a CSV or JSON file into raw rows that
remember the line they start on; ``validate`` checks them against a ``Reference`` (what the portal already knows,
loaded by ``selectors.ka_import_reference``) and returns normalised ``ImportRow``s and ``Problem``s. A problem is a
code with parameters; ``problem_message`` turns it into a translated sentence. ``services.apply_ka_import`` writes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faportal.core.identifiers import InvalidIdentifier, normalize_organisationsnummer

JSON_FORMAT = "ka-webb/1"

ORGANISATIONSNUMMER = "organisationsnummer"
SERVICE = "tjanst"
UNIT_ID = "enhet_id"
UNIT_NAME = "enhet_namn"
ADDRESS_ID = "adress_id"
STREET = "gatuadress"
POSTCODE = "postnummer"
TOWN = "ort"
MUNICIPALITY = "kommunkod"

# The columns of the file, in the order problems and documentation list them.
COLUMNS: tuple[str, ...] = (
    ORGANISATIONSNUMMER,
    SERVICE,
    UNIT_ID,
    UNIT_NAME,
    ADDRESS_ID,
    STREET,
    POSTCODE,
    TOWN,
    MUNICIPALITY,
)

# The widths of the model fields the values end up in (a test keeps them in step with registry.models).
MAX_LENGTHS: Mapping[str, int] = {
    SERVICE: 50,
    UNIT_ID: 50,
    UNIT_NAME: 200,
    ADDRESS_ID: 50,
    STREET: 200,
    TOWN: 100,
}

# How often (in rows) the steps report progress.
PROGRESS_EVERY = 200

Progress = Callable[[int, int], None]


class ImportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


class Code(StrEnum):
    """Why a file or row was refused. The values are stored with a run: never rename one."""

    NOT_UTF8 = "not_utf8"
    EMPTY_FILE = "empty_file"
    NO_ROWS = "no_rows"
    MISSING_COLUMNS = "missing_columns"
    UNKNOWN_COLUMNS = "unknown_columns"
    DUPLICATE_COLUMNS = "duplicate_columns"
    COLUMN_COUNT = "column_count"
    INVALID_CSV = "invalid_csv"
    INVALID_JSON = "invalid_json"
    NESTED_TOO_DEEP = "nested_too_deep"
    UNKNOWN_FORMAT = "unknown_format"
    NOT_AN_OBJECT = "not_an_object"
    ROWS_NOT_A_LIST = "rows_not_a_list"
    MISSING_FIELD = "missing_field"
    UNKNOWN_FIELD = "unknown_field"
    NOT_TEXT = "not_text"
    REQUIRED = "required"
    TOO_LONG = "too_long"
    INVALID_ORGANISATIONSNUMMER = "invalid_organisationsnummer"
    UNKNOWN_ORGANISATION = "unknown_organisation"
    UNKNOWN_SERVICE = "unknown_service"
    INACTIVE_SERVICE = "inactive_service"
    UNKNOWN_MUNICIPALITY = "unknown_municipality"
    INVALID_POSTCODE = "invalid_postcode"
    UNIT_INCONSISTENT = "unit_inconsistent"
    DUPLICATE_ADDRESS = "duplicate_address"
    UNIT_OF_OTHER_ORGANISATION = "unit_of_other_organisation"
    ADDRESS_OF_OTHER_ORGANISATION = "address_of_other_organisation"
    UNEXPECTED_ERROR = "unexpected_error"


# English msgids; the Swedish translation lives in the locale files. Keep the %(name)s parameters in step with
# the params each code is raised with (a test formats every one).
MESSAGES: Mapping[str, Promise] = {
    Code.NOT_UTF8: _("The file is not UTF-8 text. Save it as UTF-8 and try again."),
    Code.EMPTY_FILE: _("The file is empty."),
    Code.NO_ROWS: _("The file has no rows."),
    Code.MISSING_COLUMNS: _("Missing columns: %(columns)s."),
    Code.UNKNOWN_COLUMNS: _("Unknown columns: %(columns)s."),
    Code.DUPLICATE_COLUMNS: _("Repeated columns: %(columns)s."),
    Code.COLUMN_COUNT: _("Expected %(expected)s values, found %(found)s."),
    Code.INVALID_CSV: _("The line cannot be read as CSV."),
    Code.INVALID_JSON: _("Invalid JSON at character %(position)s."),
    Code.NESTED_TOO_DEEP: _("The JSON is nested too deeply: the file is an object with a list of rows of fields."),
    Code.UNKNOWN_FORMAT: _("Unknown format “%(value)s”; expected “ka-webb/1”."),
    Code.NOT_AN_OBJECT: _("Expected an object in braces."),
    Code.ROWS_NOT_A_LIST: _("Expected “rows” to be a list."),
    Code.MISSING_FIELD: _("Missing field."),
    Code.UNKNOWN_FIELD: _("Unknown field."),
    Code.NOT_TEXT: _("Expected text."),
    Code.REQUIRED: _("Empty; a value is required."),
    Code.TOO_LONG: _("Longer than %(max)s characters."),
    Code.INVALID_ORGANISATIONSNUMMER: _("%(value)s is not a valid organisationsnummer."),
    Code.UNKNOWN_ORGANISATION: _("No organisation with organisationsnummer %(value)s is registered in the portal."),
    Code.UNKNOWN_SERVICE: _("Unknown service %(value)s."),
    Code.INACTIVE_SERVICE: _("The service %(value)s is no longer active."),
    Code.UNKNOWN_MUNICIPALITY: _("Unknown municipality code %(value)s."),
    Code.INVALID_POSTCODE: _("%(value)s is not a postcode (five digits)."),
    Code.UNIT_INCONSISTENT: _("Unit %(unit)s has a different value on line %(first_line)s."),
    Code.DUPLICATE_ADDRESS: _("Address %(value)s is already on line %(first_line)s."),
    Code.UNIT_OF_OTHER_ORGANISATION: _("Unit %(value)s belongs to another organisation."),
    Code.ADDRESS_OF_OTHER_ORGANISATION: _("Address %(value)s belongs to another organisation."),
    Code.UNEXPECTED_ERROR: _("The import stopped on an unexpected error; nothing was imported."),
}


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused: the line it starts on, the column (empty for the whole line), a code."""

    line: int
    column: str
    code: str
    params: Mapping[str, str | int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "code": str(self.code), "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Problem:
        return cls(line=data["line"], column=data["column"], code=data["code"], params=dict(data.get("params", {})))


def problem_message(problem: Problem) -> str:
    """The translated sentence for one KA-webb import problem (SPEC S2.2)."""
    msgid = MESSAGES.get(problem.code)
    if msgid is None:  # a code from a newer version, read back from an old run: show it rather than fail
        return problem.code
    return str(msgid) % dict(problem.params) if problem.params else str(msgid)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in the order a person fixes them: by line, then column order."""
    order = {name: index for index, name in enumerate(COLUMNS)}
    return sorted(problems, key=lambda p: (p.line, order.get(p.column, -1), p.code))


# --- reading ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RawRow:
    """One row as read from the file: stripped text values by column, and the line the row starts on."""

    line: int
    values: Mapping[str, str]


@dataclass
class ParsedFile:
    rows: list[RawRow]
    problems: list[Problem]


def decode(content: bytes) -> str | Problem:
    """The text of an uploaded file (UTF-8, a byte-order mark allowed), or the ``not_utf8`` problem on line 1."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Problem(line=1, column="", code=Code.NOT_UTF8)


def format_for(file_name: str) -> ImportFormat | None:
    """The format a file name's extension implies, if any."""
    lowered = file_name.lower()
    if lowered.endswith(".json"):
        return ImportFormat.JSON
    if lowered.endswith((".csv", ".txt")):
        return ImportFormat.CSV
    return None


def guess_format(file_name: str, text: str) -> ImportFormat:
    """The format of a file: from its extension, else JSON when it starts with a brace, else CSV."""
    by_name = format_for(file_name)
    if by_name is not None:
        return by_name
    return ImportFormat.JSON if text.lstrip("\ufeff \t\r\n").startswith("{") else ImportFormat.CSV


def parse(text: str, *, format: ImportFormat) -> ParsedFile:
    """Reads a KA-webb file (SPEC S2.2) into raw rows with their line numbers; file-level problems stop early."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        return ParsedFile(rows=[], problems=[Problem(line=1, column="", code=Code.EMPTY_FILE)])
    parsed = _parse_json(text) if format == ImportFormat.JSON else _parse_csv(text)
    if not parsed.rows and not parsed.problems:
        parsed.problems.append(Problem(line=1, column="", code=Code.NO_ROWS))
    return parsed


def _header_problems(header: Sequence[str], line: int) -> list[Problem]:
    problems = []
    repeated = sorted(name for name, count in Counter(header).items() if count > 1)
    missing = [name for name in COLUMNS if name not in header]
    # An empty name (a trailing separator on the header line) is shown as "" so the message still says something.
    unknown = [name or '""' for name in header if name not in COLUMNS]
    if missing:
        problems.append(Problem(line, "", Code.MISSING_COLUMNS, {"columns": ", ".join(missing)}))
    if unknown:
        problems.append(Problem(line, "", Code.UNKNOWN_COLUMNS, {"columns": ", ".join(unknown)}))
    if repeated:
        problems.append(Problem(line, "", Code.DUPLICATE_COLUMNS, {"columns": ", ".join(repeated)}))
    return problems


def _parse_csv(text: str) -> ParsedFile:
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    # Semicolon is the format's separator (Swedish Excel writes it); a comma only when the header uses one.
    delimiter = ";" if ";" in first_line or "," not in first_line else ","
    # Strict: an unclosed quote would otherwise swallow the rest of the file into one value.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[RawRow] = []
    problems: list[Problem] = []
    header: list[str] | None = None
    previous_end = 0
    while True:
        start = previous_end + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error:
            # The csv module cannot resynchronise after a broken record, so reading stops here.
            problems.append(Problem(line=start, column="", code=Code.INVALID_CSV))
            break
        previous_end = reader.line_num
        if not any(value.strip() for value in record):
            continue  # blank lines, and the all-empty rows spreadsheets leave at the end
        if header is None:
            # Column names are matched without surrounding space and case: "Kommunkod" is kommunkod.
            header = [name.strip().lower() for name in record]
            header_problems = _header_problems(header, start)
            if header_problems:
                return ParsedFile(rows=[], problems=header_problems)
            continue
        if len(record) != len(header):
            problems.append(Problem(start, "", Code.COLUMN_COUNT, {"expected": len(header), "found": len(record)}))
            continue
        rows.append(
            RawRow(line=start, values={name: value.strip() for name, value in zip(header, record, strict=True)})
        )
    if header is None:
        return ParsedFile(rows=[], problems=[Problem(line=1, column="", code=Code.EMPTY_FILE)])
    return ParsedFile(rows=rows, problems=problems)


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


@dataclass
class _JsonLayout:
    """Where the top-level keys and the elements of "rows" start in the text (character offsets)."""

    keys: dict[str, int] = field(default_factory=dict)
    rows: list[int] = field(default_factory=list)


def _json_layout(text: str) -> _JsonLayout:
    """Walks a JSON text already known to be valid, recording offsets that ``json.loads`` does not give."""
    decoder = json.JSONDecoder()
    layout = _JsonLayout()

    def skip(index: int) -> int:
        match = _JSON_SPACE.match(text, index)
        return match.end() if match else index

    index = skip(0)
    if text[index : index + 1] != "{":
        return layout
    index = skip(index + 1)
    if text[index] == "}":
        return layout
    while True:
        key_start = index
        key, index = decoder.raw_decode(text, index)
        layout.keys[key] = key_start
        index = skip(skip(index) + 1)  # past the colon
        if key == "rows" and text[index] == "[":
            # A repeated key wins as in json.loads: the last one.
            layout.rows = []
            index = skip(index + 1)
            if text[index] != "]":
                while True:
                    layout.rows.append(index)
                    _, index = decoder.raw_decode(text, index)
                    index = skip(index)
                    if text[index] != ",":
                        break
                    index = skip(index + 1)
            index += 1  # past the closing bracket
        else:
            _, index = decoder.raw_decode(text, index)
        index = skip(index)
        if text[index] != ",":
            return layout
        index = skip(index + 1)


class _LineCounter:
    """Line numbers of increasing offsets in one text, counting each newline once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1

    def line_at(self, offset: int) -> int:
        if offset < self.offset:  # pragma: no cover - offsets only grow; restart to stay correct if not
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _json_text(value: Any) -> str | None:
    """The text of one JSON field value; numbers are accepted (an organisationsnummer written as a number)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _parse_json(text: str) -> ParsedFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return ParsedFile(rows=[], problems=[Problem(exc.lineno, "", Code.INVALID_JSON, {"position": exc.colno})])
    except RecursionError:
        # Thousands of nested brackets exhaust the parser's stack: a file like that is wrong, not a crash.
        return ParsedFile(rows=[], problems=[Problem(1, "", Code.NESTED_TOO_DEEP)])
    if not isinstance(data, dict):
        return ParsedFile(rows=[], problems=[Problem(1, "", Code.NOT_AN_OBJECT)])
    layout = _json_layout(text)
    lines = _LineCounter(text)
    if data.get("format") != JSON_FORMAT:
        line = lines.line_at(layout.keys["format"]) if "format" in layout.keys else 1
        value = data.get("format")
        return ParsedFile(rows=[], problems=[Problem(line, "", Code.UNKNOWN_FORMAT, {"value": str(value or "")})])
    if not isinstance(data.get("rows"), list):
        line = lines.line_at(layout.keys["rows"]) if "rows" in layout.keys else 1
        return ParsedFile(rows=[], problems=[Problem(line, "", Code.ROWS_NOT_A_LIST)])
    items: list[Any] = data["rows"]
    # The walk and json.loads read the same text, so they agree; line 1 is only a guard against a surprise.
    offsets = layout.rows if len(layout.rows) == len(items) else [0] * len(items)
    rows: list[RawRow] = []
    problems: list[Problem] = []
    for item, offset in zip(items, offsets, strict=True):
        line = lines.line_at(offset)
        if not isinstance(item, dict):
            problems.append(Problem(line, "", Code.NOT_AN_OBJECT))
            continue
        row_problems = [Problem(line, name, Code.MISSING_FIELD) for name in COLUMNS if name not in item]
        row_problems += [Problem(line, str(name), Code.UNKNOWN_FIELD) for name in item if name not in COLUMNS]
        values: dict[str, str] = {}
        for name in COLUMNS:
            if name in item:
                value = _json_text(item[name])
                if value is None:
                    row_problems.append(Problem(line, name, Code.NOT_TEXT))
                else:
                    values[name] = value
        if row_problems:
            problems += row_problems
        else:
            rows.append(RawRow(line=line, values=values))
    return ParsedFile(rows=rows, problems=problems)


# --- checking -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """What the portal already knows that a KA-webb file is checked against."""

    organisations: frozenset[str]  # organisationsnummer registered in the portal
    services: Mapping[str, bool]  # service code → active
    municipalities: frozenset[str]  # kommunkod
    unit_owners: Mapping[str, str]  # ka_id of every unit → organisationsnummer of its organisation
    address_owners: Mapping[str, str]  # ka_id of every address → organisationsnummer of its unit's organisation


@dataclass(frozen=True)
class ImportRow:
    """One checked row, normalised: an address of a unit of an organisation."""

    line: int
    organisationsnummer: str
    service_code: str
    unit_ka_id: str
    unit_name: str
    address_ka_id: str
    street: str
    postcode: str
    town: str
    municipality_code: str


_POSTCODE = re.compile(r"^(\d{3}) ?(\d{2})$")


@dataclass
class _UnitSeen:
    line: int
    values: dict[str, str]


def validate(
    rows: Sequence[RawRow], *, reference: Reference, progress: Progress | None = None
) -> tuple[list[ImportRow], list[Problem]]:
    """Checks every row of a KA-webb file (SPEC S2.2); rows are only worth applying when there are no problems."""
    checked: list[ImportRow] = []
    problems: list[Problem] = []
    units_seen: dict[str, _UnitSeen] = {}
    addresses_seen: dict[str, int] = {}
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        row_problems = _row_problems(row, reference, units_seen, addresses_seen)
        if row_problems:
            problems += row_problems
        else:
            values = row.values
            checked.append(
                ImportRow(
                    line=row.line,
                    organisationsnummer=normalize_organisationsnummer(values[ORGANISATIONSNUMMER]),
                    service_code=values[SERVICE],
                    unit_ka_id=values[UNIT_ID],
                    unit_name=values[UNIT_NAME],
                    address_ka_id=values[ADDRESS_ID],
                    street=values[STREET],
                    postcode=_normal_postcode(values[POSTCODE]) or "",
                    town=values[TOWN],
                    municipality_code=values[MUNICIPALITY],
                )
            )
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    return checked, sort_problems(problems)


def _normal_postcode(value: str) -> str | None:
    match = _POSTCODE.match(value)
    return match.group(1) + match.group(2) if match else None


def _row_problems(
    row: RawRow, reference: Reference, units_seen: dict[str, _UnitSeen], addresses_seen: dict[str, int]
) -> list[Problem]:
    line, values = row.line, row.values
    problems = [Problem(line, name, Code.REQUIRED) for name in COLUMNS if not values[name]]
    problems += [
        Problem(line, name, Code.TOO_LONG, {"max": limit})
        for name, limit in MAX_LENGTHS.items()
        if len(values[name]) > limit
    ]
    bad = {problem.column for problem in problems}

    organisationsnummer = values[ORGANISATIONSNUMMER]
    organisation_known = False
    if ORGANISATIONSNUMMER not in bad:
        try:
            organisationsnummer = normalize_organisationsnummer(organisationsnummer)
        except InvalidIdentifier:
            problems.append(_value_problem(line, ORGANISATIONSNUMMER, Code.INVALID_ORGANISATIONSNUMMER, values))
        else:
            organisation_known = organisationsnummer in reference.organisations
            if not organisation_known:
                problems.append(_value_problem(line, ORGANISATIONSNUMMER, Code.UNKNOWN_ORGANISATION, values))

    service = values[SERVICE]
    if SERVICE not in bad:
        if service not in reference.services:
            problems.append(_value_problem(line, SERVICE, Code.UNKNOWN_SERVICE, values))
        elif not reference.services[service]:
            problems.append(_value_problem(line, SERVICE, Code.INACTIVE_SERVICE, values))

    if POSTCODE not in bad and _normal_postcode(values[POSTCODE]) is None:
        problems.append(_value_problem(line, POSTCODE, Code.INVALID_POSTCODE, values))

    if MUNICIPALITY not in bad and values[MUNICIPALITY] not in reference.municipalities:
        problems.append(_value_problem(line, MUNICIPALITY, Code.UNKNOWN_MUNICIPALITY, values))

    unit_id = values[UNIT_ID]
    if UNIT_ID not in bad:
        owner = reference.unit_owners.get(unit_id)
        # Units never move between organisations: grants and placements of one would follow it to the other.
        if organisation_known and owner is not None and owner != organisationsnummer:
            problems.append(_value_problem(line, UNIT_ID, Code.UNIT_OF_OTHER_ORGANISATION, values))
        # A unit's own fields repeat on each of its addresses and must agree with its first row.
        unit_values = {ORGANISATIONSNUMMER: organisationsnummer, SERVICE: service, UNIT_NAME: values[UNIT_NAME]}
        seen = units_seen.get(unit_id)
        if seen is None:
            units_seen[unit_id] = _UnitSeen(line=line, values=unit_values)
        else:
            problems += [
                Problem(line, name, Code.UNIT_INCONSISTENT, {"unit": unit_id, "first_line": seen.line})
                for name, value in unit_values.items()
                if value != seen.values[name]
            ]

    address_id = values[ADDRESS_ID]
    if ADDRESS_ID not in bad:
        first_line = addresses_seen.setdefault(address_id, line)
        if first_line != line:
            problems.append(
                Problem(line, ADDRESS_ID, Code.DUPLICATE_ADDRESS, {"value": address_id, "first_line": first_line})
            )
        owner = reference.address_owners.get(address_id)
        if organisation_known and owner is not None and owner != organisationsnummer:
            problems.append(_value_problem(line, ADDRESS_ID, Code.ADDRESS_OF_OTHER_ORGANISATION, values))
    return problems


def _value_problem(line: int, column: str, code: Code, values: Mapping[str, str]) -> Problem:
    return Problem(line, column, code, {"value": values[column]})


# --- the result ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A unit or address in the import report: its KA-webb id, what people call it, whose it is, what changed."""

    ka_id: str
    label: str
    organisation: str
    fields: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "ka_id": self.ka_id,
            "label": self.label,
            "organisation": self.organisation,
            "fields": list(self.fields),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Item:
        return cls(data["ka_id"], data["label"], data["organisation"], tuple(data.get("fields", ())))


@dataclass
class Changes:
    """What an import did to units, or to addresses. ``fields`` of a changed item name the file's columns."""

    added: list[Item] = field(default_factory=list)
    changed: list[Item] = field(default_factory=list)
    reactivated: list[Item] = field(default_factory=list)
    retired: list[Item] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "reactivated": len(self.reactivated),
            "retired": len(self.retired),
            "unchanged": self.unchanged,
        }

    def sort(self) -> None:
        for items in (self.added, self.changed, self.reactivated, self.retired):
            items.sort(key=lambda item: (item.organisation, item.label, item.ka_id))

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "added": [item.as_dict() for item in self.added],
            "changed": [item.as_dict() for item in self.changed],
            "reactivated": [item.as_dict() for item in self.reactivated],
            "retired": [item.as_dict() for item in self.retired],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Changes:
        return cls(
            added=[Item.from_dict(item) for item in data.get("added", [])],
            changed=[Item.from_dict(item) for item in data.get("changed", [])],
            reactivated=[Item.from_dict(item) for item in data.get("reactivated", [])],
            retired=[Item.from_dict(item) for item in data.get("retired", [])],
            unchanged=data.get("counts", {}).get("unchanged", 0),
        )


@dataclass
class ImportSummary:
    """The report of one KA-webb import: units and addresses added, changed, reactivated, retired, unchanged."""

    organisations: list[str] = field(default_factory=list)  # names of the organisations the file names
    units: Changes = field(default_factory=Changes)
    addresses: Changes = field(default_factory=Changes)

    @property
    def has_changes(self) -> bool:
        return any(
            count
            for changes in (self.units, self.addresses)
            for name, count in changes.counts().items()
            if name != "unchanged"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisations": self.organisations,
            "units": self.units.as_dict(),
            "addresses": self.addresses.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ImportSummary:
        return cls(
            organisations=list(data.get("organisations", [])),
            units=Changes.from_dict(data.get("units", {})),
            addresses=Changes.from_dict(data.get("addresses", {})),
        )
