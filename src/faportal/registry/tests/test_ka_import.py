"""Reading and checking KA-webb files (SPEC S2.2), without a database."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from faportal.registry import models
from faportal.registry.ka_import import (
    COLUMNS,
    MAX_LENGTHS,
    MESSAGES,
    Code,
    ImportFormat,
    Problem,
    RawRow,
    Reference,
    decode,
    guess_format,
    parse,
    problem_message,
    validate,
)
from faportal.registry.tests.ka_files import ORG_A, ORG_B, csv_text, json_text, row

HEADER = ";".join(COLUMNS)

REFERENCE = Reference(
    organisations=frozenset({ORG_A, ORG_B}),
    services={"rusta-och-matcha": True, "gammal": False},
    municipalities=frozenset({"0180", "1480", "2584"}),
    unit_owners={"E-B": ORG_B},
    address_owners={"A-B": ORG_B},
)


def check(text: str, format: ImportFormat = ImportFormat.CSV) -> list[Problem]:
    parsed = parse(text, format=format)
    _, problems = validate(parsed.rows, reference=REFERENCE)
    return parsed.problems + problems


# --- CSV ----------------------------------------------------------------------------------------------------


def test_csv_rows_carry_their_line_numbers_and_stripped_values() -> None:
    text = csv_text(row(), row(adress_id="A2", gatuadress="  Lillgatan 2 "))

    parsed = parse(text, format=ImportFormat.CSV)

    assert parsed.problems == []
    assert [r.line for r in parsed.rows] == [2, 3]
    assert parsed.rows[1].values["gatuadress"] == "Lillgatan 2"


def test_csv_columns_may_come_in_any_order_and_with_a_comma_separator() -> None:
    columns = list(reversed(COLUMNS))
    text = ",".join(columns) + "\n" + ",".join(row()[c] for c in columns) + "\n"

    parsed = parse(text, format=ImportFormat.CSV)

    assert parsed.problems == []
    assert parsed.rows[0].values == row()


def test_csv_accepts_a_byte_order_mark_and_windows_line_endings() -> None:
    content = ("\ufeff" + csv_text(row(), row(adress_id="A2")).replace("\n", "\r\n")).encode()

    text = decode(content)
    assert isinstance(text, str)
    parsed = parse(text, format=ImportFormat.CSV)

    assert parsed.problems == []
    assert [r.line for r in parsed.rows] == [2, 3]
    assert parsed.rows[0].values["organisationsnummer"] == ORG_A


def test_csv_quoted_value_over_two_lines_does_not_shift_later_line_numbers() -> None:
    text = csv_text(row()) + csv_text(row(adress_id="A2")).split("\n", 1)[1]
    text = text.replace("Enhet Ett", '"Enhet\nEtt"', 1)

    parsed = parse(text, format=ImportFormat.CSV)

    assert [r.line for r in parsed.rows] == [2, 4]


def test_blank_lines_are_skipped_but_counted() -> None:
    text = HEADER + "\n\n" + csv_text(row()).split("\n", 1)[1] + ";;;;;;;;\n"

    parsed = parse(text, format=ImportFormat.CSV)

    assert parsed.problems == []
    assert [r.line for r in parsed.rows] == [3]


def test_wrong_column_count_is_a_problem_on_its_line() -> None:
    text = csv_text(row(), row(adress_id="A2")) + "a;b;c\n"

    assert check(text) == [Problem(4, "", Code.COLUMN_COUNT, {"expected": 9, "found": 3})]


def test_missing_unknown_and_repeated_columns_are_reported_on_line_1() -> None:
    header = ";".join([c for c in COLUMNS if c != "ort"] + ["extra", "tjanst"])

    problems = parse(header + "\n", format=ImportFormat.CSV).problems

    assert problems == [
        Problem(1, "", Code.MISSING_COLUMNS, {"columns": "ort"}),
        Problem(1, "", Code.UNKNOWN_COLUMNS, {"columns": "extra"}),
        Problem(1, "", Code.DUPLICATE_COLUMNS, {"columns": "tjanst"}),
    ]


def test_a_trailing_separator_on_the_header_is_an_unknown_empty_column() -> None:
    problems = parse(HEADER + ";\n", format=ImportFormat.CSV).problems

    assert problems == [Problem(1, "", Code.UNKNOWN_COLUMNS, {"columns": '""'})]


def test_a_broken_quote_stops_reading_with_a_problem_on_its_line() -> None:
    text = csv_text(row(), row(adress_id="A2"), row(adress_id="A3", enhet_namn='"Enhet Ett'), row(adress_id="A4"))

    assert parse(text, format=ImportFormat.CSV).problems == [Problem(4, "", Code.INVALID_CSV)]


def test_empty_file_and_file_without_rows() -> None:
    assert parse("  \n", format=ImportFormat.CSV).problems == [Problem(1, "", Code.EMPTY_FILE)]
    assert parse(HEADER + "\n", format=ImportFormat.CSV).problems == [Problem(1, "", Code.NO_ROWS)]


def test_text_that_is_not_utf8_is_a_problem_on_line_1() -> None:
    assert decode("organisationsnummer;ort\nx;Malmö".encode("latin-1")) == Problem(1, "", Code.NOT_UTF8)


def test_format_comes_from_the_extension_or_the_first_character() -> None:
    assert guess_format("enheter.JSON", "") == ImportFormat.JSON
    assert guess_format("enheter.csv", "{") == ImportFormat.CSV
    assert guess_format("export", '\n  {"format": "ka-webb/1"}') == ImportFormat.JSON
    assert guess_format("export", HEADER) == ImportFormat.CSV


# --- JSON ---------------------------------------------------------------------------------------------------


def test_json_rows_carry_the_line_where_their_object_starts() -> None:
    text = json_text(row(), row(adress_id="A2"))

    parsed = parse(text, format=ImportFormat.JSON)

    # {, "format", "rows": [, then each object: { + 9 keys + } = 11 lines.
    assert parsed.problems == []
    assert [r.line for r in parsed.rows] == [4, 15]
    assert parsed.rows[0].values == row()


def test_json_on_one_line_and_with_extra_top_level_keys() -> None:
    text = '{"exported": "2026-01-01", "rows": [' + json.dumps(row()) + '], "format": "ka-webb/1"}'

    parsed = parse(text, format=ImportFormat.JSON)

    assert parsed.problems == []
    assert [r.line for r in parsed.rows] == [1]


def test_json_numbers_are_read_as_text() -> None:
    parsed = parse(json_text(row(organisationsnummer=int(ORG_A), postnummer=11122)), format=ImportFormat.JSON)  # type: ignore[arg-type]

    assert parsed.rows[0].values["organisationsnummer"] == ORG_A
    assert parsed.rows[0].values["postnummer"] == "11122"


def test_malformed_json_reports_the_line_of_the_syntax_error() -> None:
    text = json_text(row(), row(adress_id="A2")).replace('"A2"', '"A2",', 1)

    problems = parse(text, format=ImportFormat.JSON).problems

    assert len(problems) == 1
    assert problems[0].code == Code.INVALID_JSON
    assert problems[0].line == 20  # the line with the doubled comma (row 2 starts on line 15)


def test_json_with_the_wrong_format_or_without_a_list_of_rows() -> None:
    assert parse('{\n"format": "ka-webb/2", "rows": []}', format=ImportFormat.JSON).problems == [
        Problem(2, "", Code.UNKNOWN_FORMAT, {"value": "ka-webb/2"})
    ]
    assert parse('{"rows": []}', format=ImportFormat.JSON).problems == [
        Problem(1, "", Code.UNKNOWN_FORMAT, {"value": ""})
    ]
    assert parse('{"format": "ka-webb/1",\n\n"rows": {}}', format=ImportFormat.JSON).problems == [
        Problem(3, "", Code.ROWS_NOT_A_LIST)
    ]
    assert parse("[]", format=ImportFormat.JSON).problems == [Problem(1, "", Code.NOT_AN_OBJECT)]


def test_json_row_problems_point_at_the_row() -> None:
    incomplete = {k: v for k, v in row(adress_id="A2").items() if k != "ort"}
    text = json_text(row(), incomplete | {"extra": "x"}, ["not", "an", "object"], row(adress_id="A3") | {"ort": ["x"]})

    problems = parse(text, format=ImportFormat.JSON).problems

    assert problems == [
        Problem(15, "ort", Code.MISSING_FIELD),
        Problem(15, "extra", Code.UNKNOWN_FIELD),
        Problem(26, "", Code.NOT_AN_OBJECT),
        Problem(31, "ort", Code.NOT_TEXT),
    ]


# --- checking -----------------------------------------------------------------------------------------------


def test_a_good_row_is_normalised() -> None:
    raw = row(organisationsnummer=f"{ORG_A[:6]}-{ORG_A[6:]}", postnummer="111 22")

    rows, problems = validate([RawRow(7, raw)], reference=REFERENCE)

    assert problems == []
    assert rows[0].line == 7
    assert rows[0].organisationsnummer == ORG_A
    assert rows[0].postcode == "11122"


def test_organisationsnummer_with_century_prefix_is_accepted() -> None:
    rows, problems = validate([RawRow(2, row(organisationsnummer="16" + ORG_A))], reference=REFERENCE)

    assert problems == []
    assert rows[0].organisationsnummer == ORG_A


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"ort": ""}, Problem(2, "ort", Code.REQUIRED)),
        ({"enhet_namn": "x" * 201}, Problem(2, "enhet_namn", Code.TOO_LONG, {"max": 200})),
        (
            {"organisationsnummer": "5560360794"},
            Problem(2, "organisationsnummer", Code.INVALID_ORGANISATIONSNUMMER, {"value": "5560360794"}),
        ),
        (
            {"organisationsnummer": "5560360793"},
            Problem(2, "organisationsnummer", Code.UNKNOWN_ORGANISATION, {"value": "5560360793"}),
        ),
        ({"tjanst": "okand"}, Problem(2, "tjanst", Code.UNKNOWN_SERVICE, {"value": "okand"})),
        ({"tjanst": "gammal"}, Problem(2, "tjanst", Code.INACTIVE_SERVICE, {"value": "gammal"})),
        ({"kommunkod": "9999"}, Problem(2, "kommunkod", Code.UNKNOWN_MUNICIPALITY, {"value": "9999"})),
        ({"kommunkod": "180"}, Problem(2, "kommunkod", Code.UNKNOWN_MUNICIPALITY, {"value": "180"})),
        ({"postnummer": "1234"}, Problem(2, "postnummer", Code.INVALID_POSTCODE, {"value": "1234"})),
        ({"postnummer": "12 345"}, Problem(2, "postnummer", Code.INVALID_POSTCODE, {"value": "12 345"})),
        ({"enhet_id": "E-B"}, Problem(2, "enhet_id", Code.UNIT_OF_OTHER_ORGANISATION, {"value": "E-B"})),
        ({"adress_id": "A-B"}, Problem(2, "adress_id", Code.ADDRESS_OF_OTHER_ORGANISATION, {"value": "A-B"})),
    ],
)
def test_each_bad_value_is_a_problem_on_its_line_and_column(overrides: dict[str, str], expected: Problem) -> None:
    assert check(csv_text(row(**overrides))) == [expected]


def test_a_unit_repeated_with_other_values_is_a_problem_on_the_later_line() -> None:
    text = csv_text(
        row(),
        row(adress_id="A2"),
        row(adress_id="A3", enhet_namn="Annat namn", organisationsnummer=ORG_B),
    )

    assert check(text) == [
        Problem(4, "organisationsnummer", Code.UNIT_INCONSISTENT, {"unit": "E1", "first_line": 2}),
        Problem(4, "enhet_namn", Code.UNIT_INCONSISTENT, {"unit": "E1", "first_line": 2}),
    ]


def test_a_repeated_address_is_a_problem_on_the_later_line() -> None:
    text = csv_text(row(), row(enhet_id="E2", enhet_namn="Två"), row(adress_id="A1"))

    assert check(text) == [
        Problem(3, "adress_id", Code.DUPLICATE_ADDRESS, {"value": "A1", "first_line": 2}),
        Problem(4, "adress_id", Code.DUPLICATE_ADDRESS, {"value": "A1", "first_line": 2}),
    ]


def test_json_problems_use_the_same_checks_and_line_numbers() -> None:
    text = json_text(row(), row(adress_id="A2", kommunkod="9999"))

    assert check(text, ImportFormat.JSON) == [Problem(15, "kommunkod", Code.UNKNOWN_MUNICIPALITY, {"value": "9999"})]


def test_every_row_is_checked_and_progress_is_reported_every_200_rows() -> None:
    rows = [RawRow(i + 2, row(adress_id=f"A{i}", kommunkod="9999" if i % 100 == 0 else "0180")) for i in range(450)]
    calls: list[tuple[int, int]] = []

    checked, problems = validate(rows, reference=REFERENCE, progress=lambda done, total: calls.append((done, total)))

    assert len(problems) == 5
    assert [p.line for p in problems] == [2, 102, 202, 302, 402]
    assert len(checked) == 445
    assert calls == [(200, 450), (400, 450), (450, 450)]


# --- messages -----------------------------------------------------------------------------------------------

SAMPLE_PARAMS: dict[str, dict[str, str | int]] = {
    Code.MISSING_COLUMNS: {"columns": "ort"},
    Code.UNKNOWN_COLUMNS: {"columns": "x"},
    Code.DUPLICATE_COLUMNS: {"columns": "ort"},
    Code.COLUMN_COUNT: {"expected": 9, "found": 3},
    Code.INVALID_JSON: {"position": 4},
    Code.TOO_LONG: {"max": 50},
    Code.UNIT_INCONSISTENT: {"unit": "E1", "first_line": 2},
    Code.DUPLICATE_ADDRESS: {"value": "A1", "first_line": 2},
}


@pytest.mark.parametrize("code", list(Code))
def test_every_code_has_a_message_that_takes_its_parameters(code: Code) -> None:
    params = SAMPLE_PARAMS.get(code, {"value": "X"} if "%(value)s" in str(MESSAGES[code]) else {})

    with translation.override("en"):
        message = problem_message(Problem(2, "ort", code, params))

    assert "%(" not in message
    assert message.endswith(".")


def test_message_for_an_unknown_municipality() -> None:
    with translation.override("en"):
        message = problem_message(Problem(12, "kommunkod", Code.UNKNOWN_MUNICIPALITY, {"value": "9999"}))

    assert message == "Unknown municipality code 9999."


def test_problems_survive_being_stored_as_json() -> None:
    problem = Problem(12, "kommunkod", Code.UNKNOWN_MUNICIPALITY, {"value": "9999"})

    assert Problem.from_dict(json.loads(json.dumps(problem.as_dict()))) == problem


def test_length_limits_match_the_model_fields() -> None:
    fields = {
        "tjanst": models.Service._meta.get_field("code"),
        "enhet_id": models.Unit._meta.get_field("ka_id"),
        "enhet_namn": models.Unit._meta.get_field("name"),
        "adress_id": models.Address._meta.get_field("ka_id"),
        "gatuadress": models.Address._meta.get_field("street"),
        "ort": models.Address._meta.get_field("town"),
    }

    assert {name: field.max_length for name, field in fields.items()} == dict(MAX_LENGTHS)
