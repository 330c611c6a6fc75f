import pytest

from faportal.core.privacy import mask_personal_number, mask_personal_numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("199001011234", "1990********"),
        ("pnr=199001011234.", "pnr=1990********."),
        ("19900101-1234", "1990****-****"),
        ("900101-1234", "90****-****"),
        ("9001011234", "90********"),
        ("order 12345678 port 8443", "order 12345678 port 8443"),
        ("1234567890123", "1234567890123"),  # 13 digits: not a personnummer
    ],
)
def test_personal_numbers_in_text_are_masked(text, expected):
    assert mask_personal_numbers(text) == expected


def test_single_personal_number_keeps_only_the_year():
    assert mask_personal_number("199001011234") == "1990********"
    assert mask_personal_number("9001011234") == "90********"
