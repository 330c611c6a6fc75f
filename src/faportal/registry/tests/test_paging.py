"""core.paging.IdsFirstPaginator shows the same pages as Django's Paginator, counting only lists longer than its
window (tried on municipalities: core has no rows of its own).
"""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from faportal.core.paging import IdsFirstPaginator
from faportal.registry.models import Municipality

pytestmark = pytest.mark.django_db

HOSTILE = ["", "abc", "0", "-1", "1.5", "2.0", "9" * 40, "1e9", None, "99999999999"]


@pytest.fixture
def municipalities():
    Municipality.objects.bulk_create(Municipality(code=f"{n:04d}", name=f"Kommun {n:02d}") for n in range(23))
    return Municipality.objects.filter(name__startswith="Kommun ").order_by("name")  # not the ones migrations add


def pages(paginator, number):
    page = paginator.get_page(number)
    return page.number, page.paginator.num_pages, page.paginator.count, [m.code for m in page.object_list]


@pytest.mark.parametrize("window", [1, 5, 10, 22, 23, 24, 500])
@pytest.mark.parametrize("number", [1, 2, 3, 5, 6, 7, "3", *HOSTILE])
def test_the_same_pages_as_djangos_paginator(municipalities, monkeypatch, window, number):
    monkeypatch.setattr(IdsFirstPaginator, "WINDOW", window)
    assert pages(IdsFirstPaginator(municipalities, 5), number) == pages(Paginator(municipalities, 5), number)


def test_an_empty_list_is_one_empty_page(municipalities):
    page = IdsFirstPaginator(municipalities.filter(name="Ingen"), 5).get_page(1)
    assert (page.number, page.paginator.count, list(page.object_list)) == (1, 0, [])


@pytest.mark.parametrize(("window", "queries"), [(500, 2), (10, 3)])
def test_a_list_within_the_window_is_not_counted_again(municipalities, monkeypatch, window, queries):
    """Within the window: its ids and its rows (2 queries); longer: its ids, its count and its rows (3)."""
    monkeypatch.setattr(IdsFirstPaginator, "WINDOW", window)
    with CaptureQueriesContext(connection) as captured:
        page = IdsFirstPaginator(municipalities, 5).get_page(2)
        assert page.paginator.count == 23
        assert [m.name for m in page.object_list] == [f"Kommun {n:02d}" for n in range(5, 10)]
    assert len(captured) == queries
    assert sum("COUNT(" in query["sql"].upper() for query in captured) == queries - 2
