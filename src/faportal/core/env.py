"""Reading settings from the environment, with documented defaults.

Every variable read here is listed in docs/configuration.md; a test keeps the two in step.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

#: Names of every variable read through this module (filled as settings are read).
READ: set[str] = set()


def env_str(name: str, default: str | None = None) -> str:
    """A string variable; without a default the variable is required."""
    READ.add(name)
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} must be set.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    """A yes/no variable: 1/true/yes/on or 0/false/no/off."""
    READ.add(name)
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a yes/no value, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    """A whole-number variable."""
    READ.add(name)
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list."""
    READ.add(name)
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]
