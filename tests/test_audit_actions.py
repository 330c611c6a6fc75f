"""Every action the code writes to the audit log reads as words in the log administrators and Af read (SPEC S9).

The apps are found by themselves: a new app under ``faportal`` is scanned as soon as it exists.
"""

import re
from pathlib import Path

import pytest
from django.utils import translation

from faportal.access.templatetags.access import audit_action, audit_detail
from faportal.audit import actions
from faportal.audit.models import AuditEvent
from faportal.audit.services import record

SOURCE = Path(__file__).resolve().parent.parent / "src" / "faportal"
APPS = sorted(path.parent.name for path in SOURCE.glob("*/__init__.py"))
ACTION = re.compile(r'"((?:' + "|".join(APPS) + r')\.[a-z_]+)"')
# Actions whose code is put together at run time (sign-out and timeout share one line in identity.services).
COMPOSED = {"identity.signed_out", "identity.timed_out"}


def recorded_actions() -> set[str]:
    """The action names in the code (receivers' dispatch_uid strings look alike and are left out)."""
    found = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "audit_actions.py":
            continue
        for line in path.read_text().splitlines():
            if "dispatch_uid" not in line:
                found.update(ACTION.findall(line))
    return found


def test_the_scan_finds_the_apps_and_their_actions():
    assert {"access", "placements", "identity", "audit"} <= set(APPS)
    assert {"placements.read", "access.role_granted", "identity.signed_in"} <= recorded_actions()


def test_every_recorded_action_is_registered_with_words():
    registered = {action.code for action in actions.actions()}
    assert (recorded_actions() | COMPOSED) - registered == set()


def test_an_unregistered_action_is_refused(db):
    from faportal.access.actor import Actor

    with pytest.raises(ValueError, match="not registered"):
        record(Actor.system("test"), "placements.nothing_like_this")


def test_the_provider_log_offers_only_what_can_appear_in_it():
    offered = {action.code for action in actions.actions(for_provider=True)}
    assert "placements.read" in offered
    assert {"api.client_created", "access.af_role_granted", "placements.searched"}.isdisjoint(offered)


def test_the_words_are_swedish():
    with translation.override("sv"):
        assert audit_action(AuditEvent(action="placements.read")) == "Öppnade en deltagare"


def test_a_refused_sign_in_says_why():
    with translation.override("sv"):
        no_account = AuditEvent(action="identity.sign_in_refused", data={"method": "bankid"})
        bad_number = AuditEvent(action="identity.sign_in_refused", data={"reason": "personnummer_checksum"})
        assert audit_action(no_account) == "Inloggning nekad"
        assert audit_detail(no_account) == "Inget konto"
        assert audit_detail(bad_number) == "Personnumret från identifieringen är inte giltigt"
