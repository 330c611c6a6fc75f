"""Where the demo identities for the simulated BankID app are written."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

IDENTITIES_FILE = Path(settings.VAR_DIR) / "bankid" / "identities.json"
