"""Fixtures for the integration API: a fixed Tuesday, a client's key, and the test client calling with it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from faportal.access.actor import Actor
from faportal.api.services import create_api_client
from faportal.api.tests.support import Api


@pytest.fixture(autouse=True)
def _tuesday():
    """Tuesday 24 November 2026: ten working days later is Tuesday 8 December."""
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture
def api_key(db: None) -> str:
    _client, key = create_api_client(actor=Actor.system("test"), name="Beslutsstöd")
    return key


@pytest.fixture
def api(client: Any, api_key: str) -> Api:
    return Api(client, api_key)
