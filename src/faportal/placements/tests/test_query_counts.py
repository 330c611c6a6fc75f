"""The intake and participant lists use a constant number of SQL queries whatever the number of rows (issue 3)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from faportal.access.models import Role
from faportal.testing import bulk_place, sign_in

pytestmark = pytest.mark.django_db

PAGES = [
    "/nya-deltagare/",
    "/deltagare/",
    "/deltagare/?olast=new",
    "/deltagare/?mine=on&sort=name",
    "/deltagare/olasta/",
]


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("url", PAGES)
def test_lists_cost_the_same_at_10_and_500_placements(client, world, url):
    coordinator = world.by_roles[frozenset({Role.RECEIVE, Role.REPORT})]
    sign_in(client, coordinator.person)
    client.get("/")
    bulk_place(world.a11, 5)
    bulk_place(world.a11, 5, supervisor=coordinator)
    few, _ = queries(client, url)
    bulk_place(world.a11, 245)
    bulk_place(world.a11, 245, supervisor=coordinator)
    many, response = queries(client, url)
    assert many == few
    if "olasta" in url:  # the unread counts: no rows; all 500 are new to the coordinator
        assert b'data-count="500"' in response.content
    else:
        assert b"Bulk" in response.content or b"Skyddade personuppgifter" in response.content
