"""The reference data the registry's data migrations load (SPEC S2.2, S2.3)."""

from __future__ import annotations

from collections import Counter

import pytest

from faportal.registry.data.municipalities import MUNICIPALITIES
from faportal.registry.models import Municipality, Service

pytestmark = pytest.mark.django_db

# SCB's number of municipalities per county (län code = the first two digits of the kommunkod).
MUNICIPALITIES_PER_COUNTY = {
    "01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12, "09": 1, "10": 5, "12": 33, "13": 6,
    "14": 49, "17": 16, "18": 12, "19": 10, "20": 15, "21": 10, "22": 7, "23": 8, "24": 15, "25": 14,
}  # fmt: skip


def test_all_290_municipalities_are_loaded_with_four_digit_codes() -> None:
    codes = list(Municipality.objects.values_list("code", flat=True))

    assert len(codes) == 290
    assert len(set(codes)) == 290
    assert all(len(code) == 4 and code.isdigit() for code in codes)


def test_each_county_has_its_number_of_municipalities() -> None:
    counties = Counter(code[:2] for code in Municipality.objects.values_list("code", flat=True))

    assert counties == MUNICIPALITIES_PER_COUNTY
    assert len(counties) == 21


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("0180", "Stockholm"),
        ("1480", "Göteborg"),
        ("1280", "Malmö"),
        ("2584", "Kiruna"),
        ("0114", "Upplands Väsby"),
        ("0330", "Knivsta"),
        ("0980", "Gotland"),
        ("2023", "Malung-Sälen"),
        ("1256", "Östra Göinge"),
    ],
)
def test_municipality_names_match_their_codes(code: str, name: str) -> None:
    assert Municipality.objects.get(code=code).name == name


def test_the_database_holds_exactly_the_data_module() -> None:
    assert set(Municipality.objects.values_list("code", "name")) == set(MUNICIPALITIES)


def test_rusta_och_matcha_is_the_first_service() -> None:
    service = Service.objects.get(code="rusta-och-matcha")

    assert service.name == "Rusta och matcha"
    assert service.active
