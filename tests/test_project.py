"""Project-wide promises: complete translations, documented settings, and no simulator in production."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.checks import Error

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src" / "faportal" / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_swedish_translation():
    catalogue = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_the_catalogue_has_every_message_in_the_code():
    """makemessages adds nothing untranslated: every msgid in the code and templates has its Swedish text."""
    original = PO.read_bytes()
    try:
        result = subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "makemessages",
                "-l",
                "sv",
                "-v",
                "0",
                "--ignore=tests/*",
                "--ignore=*/tests/*",
            ],
            cwd=ROOT / "src" / "faportal",
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        regenerated = polib.pofile(str(PO))
    finally:
        PO.write_bytes(original)
    missing = [entry.msgid for entry in regenerated.untranslated_entries() + regenerated.fuzzy_entries()]
    assert missing == [], "run makemessages and translate these"


def test_every_setting_read_from_the_environment_is_documented():
    from faportal.core.env import READ

    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "docs" / "configuration.md").read_text()))
    assert READ, "settings were read through faportal.core.env"
    assert READ - documented == set()


@pytest.mark.parametrize(
    ("overrides", "error_id"),
    [
        ({"BANKID_BASE_URL": "https://127.0.0.1:8443/rp/v6.0/"}, "faportal.E001"),
        ({"BANKID_SIMULATOR_APP_URL": "http://127.0.0.1:8444/"}, "faportal.E002"),
        ({"DEBUG": True}, "faportal.E004"),
    ],
)
def test_production_refuses_the_simulator_and_debug(settings, overrides, error_id):
    from faportal.identity.checks import refuse_simulator_in_production

    settings.PRODUCTION = True
    settings.DEBUG = False
    settings.BANKID_BASE_URL = "https://appapi2.bankid.com/rp/v6.0/"
    settings.BANKID_SIMULATOR_APP_URL = ""
    settings.BANKID_CA_CERT = "/nonexistent"
    assert refuse_simulator_in_production() == []
    for name, value in overrides.items():
        setattr(settings, name, value)
    errors = refuse_simulator_in_production()
    assert [error.id for error in errors] == [error_id]
    assert all(isinstance(error, Error) for error in errors)


def test_production_refuses_the_simulators_certificate_authority(settings, tmp_path):
    from faportal.bankid.simulator.certs import ensure_certs
    from faportal.identity.checks import refuse_simulator_in_production

    paths = ensure_certs(tmp_path)
    settings.PRODUCTION = True
    settings.DEBUG = False
    settings.BANKID_BASE_URL = "https://appapi2.bankid.com/rp/v6.0/"
    settings.BANKID_SIMULATOR_APP_URL = ""
    settings.BANKID_CA_CERT = str(paths.ca)
    assert [error.id for error in refuse_simulator_in_production()] == ["faportal.E003"]


def test_the_simulator_will_not_start_in_production():
    result = subprocess.run(
        [sys.executable, "-m", "faportal.bankid.simulator", "--rp-port", "0", "--driver-port", "0"],
        env={**__import__("os").environ, "FAPORTAL_ENV": "production"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode != 0


def test_every_app_is_in_the_import_linter_layers():
    """A new app under faportal must take its place in the layers, or import-linter would not check it."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    layered = {
        module.strip()
        for contract in contracts
        if contract["type"] == "layers"
        for layer in contract["layers"]
        for module in layer.split("|")
    }
    packages = {path.parent.name for path in (ROOT / "src" / "faportal").glob("*/__init__.py")}
    not_code = {"formats"}  # Django's format files for the locales (FORMAT_MODULE_PATH), not an app
    assert {f"faportal.{name}" for name in packages - not_code} - layered == set()


def test_every_rules_code_has_its_words():
    """Each app's rule codes (``<app>.rules.Code``) have words that forms, pages and the API show (ADR 0011)."""
    import importlib
    from enum import StrEnum

    from faportal.core.identifiers import OrganisationsnummerCode, PersonnummerCode
    from faportal.core.problems import registered_codes

    enums = {PersonnummerCode, OrganisationsnummerCode}
    for path in (ROOT / "src" / "faportal").glob("*/rules.py"):
        module = importlib.import_module(f"faportal.{path.parent.name}.rules")
        enums |= {
            value
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, StrEnum) and value.__name__ == "Code"
        }
    assert len(enums) >= 5
    assert enums - set(registered_codes()) == set()
