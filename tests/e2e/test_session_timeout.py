"""The idle timeout (SPEC S1): a warning before it, "Fortsätt vara inloggad" keeps the session, and running out
lands on the login page with a message.

The page's timer takes its numbers from <body data-session-timeout data-session-warning> (seconds): with both
settings at one minute the warning comes at once. To let the session run out in seconds rather than a minute, the
test moves the session's last activity back on the server, as if the person had been away.
"""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import Page, expect

from faportal.identity.services import LAST_ACTIVITY_KEY
from tests.e2e.browser import check_accessibility, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.xdist_group("browser"),
    pytest.mark.django_db(transaction=True),
]


def idle_for(page: Page, seconds: float) -> None:
    """As if the person had done nothing for ``seconds``: moves the session's last activity back."""
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "faportal_session"]
    session = SessionStore(session_key=cookie["value"])
    session[LAST_ACTIVITY_KEY] = time.time() - seconds
    session.save()


def test_the_warning_the_extension_and_running_out(page, phone, world, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 1
    settings.SESSION_WARNING_MINUTES = 1
    sign_in(page, phone, world.admin_a.person)
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Anna")

    # The warning comes before the timeout, as a modal dialog with the focus in it.
    dialog = page.get_by_role("dialog", name="Du loggas snart ut")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Du har inte varit aktiv på en stund. För din säkerhet loggas du ut om")
    expect(dialog.locator("[data-session-countdown]")).to_have_text(re.compile(r"^\d+ s$"))
    expect(dialog.get_by_role("button", name="Fortsätt vara inloggad")).to_be_focused()
    check_accessibility(page, "the start page with the session warning")

    # Twenty seconds left on the server; "Fortsätt vara inloggad" gives a whole minute again.
    idle_for(page, 40)
    with page.expect_response("**/session/forlang/") as extended:
        dialog.get_by_role("button", name="Fortsätt vara inloggad").click()
    assert extended.value.ok
    assert extended.value.json()["seconds_left"] >= 58
    expect(dialog).to_be_hidden()

    # Away again, with three seconds left: the page counts down and ends up at the login page, signed out, with
    # nothing signed-in shown in between.
    idle_for(page, 57)
    with page.expect_request(re.compile(r"/logga-in/\?utloggad=inaktiv$"), timeout=8_000):
        page.reload()
        expect(dialog).to_be_visible()
    expect(
        page, "when the countdown ends, the person is on the login page, told why, not on a signed-in page"
    ).to_have_url(re.compile(r"/logga-in/\?utloggad=inaktiv$"), timeout=3_000)
    expect(
        page.get_by_text("Du har loggats ut eftersom du inte har varit aktiv på en stund. Logga in igen.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Logga ut")).to_have_count(0)
    expect(page.get_by_role("button", name="Mobilt BankID")).to_be_visible()
    check_accessibility(page, "the login page after the timeout")
    page.goto("/personal/")
    expect(page, "the session is over on the server too").to_have_url(re.compile(r"/logga-in/\?next="))
