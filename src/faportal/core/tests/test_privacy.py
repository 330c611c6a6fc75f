import uuid
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faportal.core.privacy import mask_personal_number, mask_personal_numbers, new_error_id


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


@given(st.integers(min_value=0, max_value=16**12 - 1))
def test_an_error_id_survives_the_log_masking(value):
    """The id a user reads out to support is the one in the log, even when it is all digits."""
    with mock.patch("faportal.core.privacy.uuid.uuid4", return_value=uuid.UUID(int=value << 80)):
        error_id = new_error_id()
    assert error_id == f"{value:012X}"[:4] + "-" + f"{value:012X}"[4:8] + "-" + f"{value:012X}"[8:]
    assert mask_personal_numbers(f"error {error_id} happened") == f"error {error_id} happened"


def test_an_all_digit_error_id_is_not_masked():
    with mock.patch("faportal.core.privacy.uuid.uuid4", return_value=uuid.UUID("19850615-1234-0000-0000-000000000000")):
        assert mask_personal_numbers(new_error_id()) == "1985-0615-1234"
