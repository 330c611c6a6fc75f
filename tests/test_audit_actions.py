"""Every action the code writes to the audit log reads as words in the log administrators and Af read (SPEC S9)."""

import re
from pathlib import Path

from django.utils import translation

from faportal.access.templatetags.access import _ACTIONS, audit_action
from faportal.audit.models import AuditEvent

SOURCE = Path(__file__).resolve().parent.parent / "src" / "faportal"
ACTION = re.compile(r'"((?:identity|access|registry|placements|exports|api|backoffice)\.[a-z_]+)"')


def recorded_actions() -> set[str]:
    """The action names in the code (receivers' dispatch_uid strings look alike and are left out)."""
    found = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for line in path.read_text().splitlines():
            if "dispatch_uid" not in line:
                found.update(ACTION.findall(line))
    return found


def test_the_scan_finds_the_actions():
    assert {"placements.read", "access.role_granted", "identity.signed_in"} <= recorded_actions()


def test_every_recorded_action_has_words():
    assert recorded_actions() - set(_ACTIONS) == set()


def test_the_words_are_swedish():
    with translation.override("sv"):
        assert audit_action(AuditEvent(action="placements.read")) == "Öppnade en deltagare"


def test_a_refused_sign_in_says_why():
    from faportal.access.templatetags.access import audit_detail

    with translation.override("sv"):
        no_account = AuditEvent(action="identity.sign_in_refused", data={"method": "bankid"})
        bad_number = AuditEvent(action="identity.sign_in_refused", data={"reason": "personnummer_checksum"})
        assert audit_action(no_account) == "Inloggning nekad"
        assert audit_detail(no_account) == "Inget konto"
        assert audit_detail(bad_number) == "Personnumret från identifieringen är inte giltigt"
