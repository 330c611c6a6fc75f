"""Benchmarks (``make bench``): speed targets, measured on a realistic amount of data; not part of ``make test``."""

import pytest

from faportal.testing import build_world


@pytest.fixture
def world(db):
    return build_world()
