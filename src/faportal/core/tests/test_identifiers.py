import datetime

import pytest

from faportal.core.identifiers import (
    InvalidIdentifier,
    format_personnummer,
    normalize_organisationsnummer,
    normalize_personnummer,
    peppol_participant_id,
)

TODAY = datetime.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("19811218-9876", "198112189876"),
        ("198112189876", "198112189876"),
        ("811218-9876", "198112189876"),
        ("8112189876", "198112189876"),
        (" 19811218 9876 ", "198112189876"),
        ("121212+1212", "191212121212"),  # plus: a hundred years or older
        ("19811278-9873", "198112789873"),  # samordningsnummer: day + 60
        ("7101017650", "197101017650"),  # ten digits, as a person typed them into the portal
        ("20261124-1239", "202611241239"),  # born today
    ],
)
def test_personnummer_forms_are_normalised_to_twelve_digits(raw, expected):
    assert normalize_personnummer(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("19811218-9875", "checksum"),
        ("199001011234", "checksum"),  # the one a tester typed into the simulated BankID app
        ("19811318-9876", "date"),
        ("20300101-1232", "future"),  # a valid check digit, but nobody is born yet (issue 8)
        ("20261125-1238", "future"),  # tomorrow
        ("20261185-1235", "future"),  # a samordningsnummer for tomorrow
        ("1981121-9876", "format"),
        ("abc", "format"),
        ("", "format"),
    ],
)
def test_invalid_personnummer_says_why(raw, code):
    with pytest.raises(InvalidIdentifier) as error:
        normalize_personnummer(raw, today=TODAY)
    assert error.value.code == code


def test_personnummer_is_shown_with_a_dash():
    assert format_personnummer("198112189876") == "19811218-9876"


@pytest.mark.parametrize("raw", ["556036-0793", "5560360793", "16556036-0793"])
def test_organisationsnummer_forms(raw):
    assert normalize_organisationsnummer(raw) == "5560360793"


@pytest.mark.parametrize(("raw", "code"), [("556036-0794", "checksum"), ("55603607", "format"), ("x", "format")])
def test_invalid_organisationsnummer_says_why(raw, code):
    with pytest.raises(InvalidIdentifier) as error:
        normalize_organisationsnummer(raw)
    assert error.value.code == code


def test_peppol_id_uses_scheme_0007():
    assert peppol_participant_id("5560360793") == "0007:5560360793"
