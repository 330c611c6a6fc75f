"""Browser journeys: headless Chromium (Playwright) against pytest-django's live server and our BankID simulator.

The test plays the person at the computer through Playwright and the phone through ``SimulatorDriver``: it reads
the QR payload the page shows (``[data-qr]``), scans it and approves as a person. ``browser.py`` has the helpers
(axe-core checks, signing in, e-mail, screenshots).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from faportal.bankid.simulator.driver import SimulatorDriver
from faportal.registry.models import Service
from tests.e2e.browser import AXE

# Playwright's sync API runs an event loop in the test's thread; Django refuses ORM calls from a thread with a
# running loop unless told that this is deliberate (the test thread only sets up data and reads e-mail).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"  # Debian's: Playwright's own browser download does not work here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# How long a person waits for something to appear before we call it broken.
expect.set_options(timeout=5_000)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as runner:
        yield runner


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One headless Chromium per test process; each test opens its own contexts (cookies) in it."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test-deps` installs Debian's chromium package")
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make node-deps` installs axe-core")
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def reference_data(django_db_setup, django_db_blocker) -> str:
    """Our apps' rows as the migrations left them (services, municipalities), before any browser test flushes them.

    Django's own ``serialized_rollback`` does not work here: with Playwright's sync API a running event loop is
    visible in this thread, so Django keeps a different connection object for the test than the one the test
    database was set up (and serialized) on, and the restore is silently skipped.
    """
    with django_db_blocker.unblock():
        if not Service.objects.exists():
            pytest.fail("The registry's reference data is gone before the browser tests (a flush ran before them)")
        objects = [
            obj
            for config in apps.get_app_configs()
            if config.name.startswith("faportal.")
            for model in config.get_models()
            for obj in model._default_manager.all()
        ]
        return serializers.serialize("json", objects)


@pytest.fixture(autouse=True)
def _reference_data_restored(reference_data: str, transactional_db: None) -> None:
    """Each browser test runs on a flushed database (the live server needs real commits): put the data back."""
    if not Service.objects.exists():
        for obj in serializers.deserialize("json", reference_data):
            obj.save()


@pytest.fixture
def portal(live_server, bankid, settings) -> str:
    """The live portal's address; links in e-mail point at it and BankID is our simulator."""
    settings.PORTAL_BASE_URL = live_server.url
    return str(live_server.url)


@pytest.fixture
def new_context(browser: Browser, portal: str) -> Iterator[Callable[[], BrowserContext]]:
    """Opens a browser context (another person at another computer: own cookies) on the portal."""
    contexts: list[BrowserContext] = []

    def open_context() -> BrowserContext:
        context = browser.new_context(base_url=portal, locale="sv-SE", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[[], BrowserContext]) -> Page:
    """A page in a fresh browser context: someone who is not signed in."""
    return new_context().new_page()


@pytest.fixture
def phone(bankid) -> Iterator[SimulatorDriver]:
    """The BankID app on the person's phone."""
    with SimulatorDriver(bankid.driver_url) as driver:
        yield driver
