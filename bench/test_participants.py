"""How fast the participant pages and exports are with many placements at one address (issue 3).

Targets (a developer laptop or CI runner, SQLite): each list page renders in under 0.5 s with 5 000 placements at
the user's address; an export of 5 000 participants is made in under 5 s (Excel) and 2 s (text). Each measurement
is the best of three, so a busy machine does not fail it by chance.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable

import pytest
from django.utils import timezone

from faportal.access.actor import Actor
from faportal.access.models import Role
from faportal.exports.models import ExportFormat
from faportal.exports.selectors import ExportChoices
from faportal.exports.services import execute_export, start_export
from faportal.testing import bulk_place, sign_in

PLACEMENTS = 5_000


def best_of(runs: int, work: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


@pytest.fixture
def coordinator(client, world):
    account = world.by_roles[frozenset({Role.RECEIVE, Role.REPORT})]
    bulk_place(world.a11, PLACEMENTS // 2)
    bulk_place(world.a11, PLACEMENTS // 2, supervisor=account)
    sign_in(client, account.person)
    client.get("/")
    return account


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/nya-deltagare/", 1.5),  # every new participant on one page (2 500 rows here)
        ("/deltagare/", 0.5),
        ("/deltagare/?mine=on&sort=name", 0.5),
        ("/deltagare/?q=Bulk12", 0.5),
    ],
)
def test_list_pages(client, coordinator, url, target):
    seconds = best_of(3, lambda: client.get(url))
    print(f"\n{url}: {seconds * 1000:.0f} ms with {PLACEMENTS} placements (target {target * 1000:.0f} ms)")
    assert seconds < target


@pytest.mark.parametrize(("format", "target"), [(ExportFormat.XLSX, 5.0), (ExportFormat.CSV, 2.0)])
def test_export(settings, coordinator, format, target):
    settings.EXPORT_INLINE_MAX_ROWS = 0  # measure the worker's part alone
    actor = Actor.for_staff_account(coordinator)
    today = timezone.localdate()
    choices = ExportChoices(decided_from=today - datetime.timedelta(days=400), decided_to=today, include_exported=True)

    def export() -> None:
        run = start_export(actor=actor, choices=choices, format=format)
        assert execute_export(export_id=run.pk).total_rows == PLACEMENTS

    seconds = best_of(3, export)
    print(f"\nexport of {PLACEMENTS} as {format}: {seconds:.2f} s (target {target:.0f} s)")
    assert seconds < target
