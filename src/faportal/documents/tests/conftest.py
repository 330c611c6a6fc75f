"""Fixtures for the documents' tests: a placement that has run for a while, a reporter and a reviewer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from faportal.access.actor import Actor
from faportal.access.models import AfRole, AfStaffAccount, Role, StaffAccount
from faportal.placements.models import Placement
from faportal.testing import World, make_af_officer, place


@dataclass
class Scene:
    world: World
    placement: Placement  # at A11, started about six weeks ago
    reporter: StaffAccount  # the reporting role at A11
    reviewer: AfStaffAccount

    @property
    def reporter_actor(self) -> Actor:
        return Actor.for_staff_account(self.reporter)

    @property
    def reviewer_actor(self) -> Actor:
        return Actor.for_af_account(self.reviewer)


@pytest.fixture
def scene(world: World) -> Scene:
    today = datetime.date.today()
    placement = place(world.a11, decided_on=today - datetime.timedelta(days=60), given_name="Rut", surname="Rapport")
    return Scene(
        world=world,
        placement=placement,
        reporter=world.by_roles[frozenset({Role.REPORT})],
        reviewer=make_af_officer("Gun", "Granskare", [AfRole.REVIEWER]),
    )
