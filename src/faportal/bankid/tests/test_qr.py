import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from faportal.bankid.qr import qr_auth_code, qr_content, qr_time

# The official vectors: BankID SampleCode BankIDServiceTest.java (reference §1.10).
TOKEN = "67df3917-fa0d-44e5-b327-edcc928297f8"
SECRET = "d28db9a7-4cde-429e-a983-359be676944c"


def test_official_vector_at_time_0():
    assert qr_content(TOKEN, SECRET, 0) == (
        "bankid.67df3917-fa0d-44e5-b327-edcc928297f8.0.dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8"
    )


@pytest.mark.parametrize(("time", "prefix", "suffix"), [(1, "949d559b", "cbce2"), (2, "a9e5ec59", "b3f3")])
def test_official_vectors_at_time_1_and_2(time, prefix, suffix):
    code = qr_auth_code(SECRET, time)
    assert code.startswith(prefix)
    assert code.endswith(suffix)
    assert qr_content(TOKEN, SECRET, time) == f"bankid.{TOKEN}.{time}.{code}"


def test_negative_time_is_refused():
    with pytest.raises(ValueError, match="negative"):
        qr_content(TOKEN, SECRET, -1)


@pytest.mark.parametrize(
    ("started_at", "now", "expected"),
    [(100.0, 100.0, 0), (100.0, 100.999, 0), (100.0, 101.0, 1), (100.0, 129.5, 29), (100.0, 99.0, 0)],
)
def test_qr_time_is_whole_seconds_since_the_response(started_at, now, expected):
    assert qr_time(started_at, now) == expected


@given(st.integers(min_value=0, max_value=10_000))
def test_qr_content_is_well_formed(time):
    assert re.fullmatch(rf"bankid\.{TOKEN}\.(0|[1-9][0-9]*)\.[0-9a-f]{{64}}", qr_content(TOKEN, SECRET, time))
