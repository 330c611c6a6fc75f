"""visible() reaches participants through their placements' addresses (SPEC S3.7)."""

import pytest

from faportal.access.actor import Actor
from faportal.access.models import Role
from faportal.access.scoping import visible
from faportal.placements.models import Participant
from faportal.testing import place

pytestmark = pytest.mark.django_db


def test_a_model_reached_through_many_rows_is_listed_once(world):
    first = place(world.a11)
    second = place(world.a11)
    second.participant = first.participant  # the same person placed twice at the address
    second.save()
    reporter = world.by_roles[frozenset({Role.REPORT})]
    seen = visible(Actor.for_staff_account(reporter), Role.REPORT, Participant.objects.all())
    assert list(seen) == [first.participant]
    assert not visible(Actor.for_staff_account(world.admin_b), Role.REPORT, Participant.objects.all()).exists()
