"""Every list page uses the same number of SQL queries whatever the number of rows (STYLE: query-count guards)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from faportal.access.actor import Actor
from faportal.access.models import Role
from faportal.access.services import invite_staff, update_permissions
from faportal.testing import make_account, make_person, sign_in

pytestmark = pytest.mark.django_db

PAGES = ["/personal/", "/personal/oversikt/", "/personal/inbjudningar/", "/logg/"]


def add_staff(world, count):
    admin = Actor.for_staff_account(world.admin_a)
    for n in range(count):
        account = make_account(make_person(f"Extra{n}", "Person"), world.org_a)
        update_permissions(
            actor=admin, account=account, roles={Role.REPORT, Role.RECEIVE}, address_ids={world.a11.pk, world.a21.pk}
        )
    invite_staff(actor=admin, emails=[f"ny{n}@example.se" for n in range(count)])


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", PAGES)
def test_list_pages_do_not_query_per_row(client, world, url):
    sign_in(client, world.admin_a.person)
    client.get("/")  # the first request of a session also writes the session
    add_staff(world, 3)
    few = queries(client, url)
    add_staff(world, 30)
    assert queries(client, url) == few
