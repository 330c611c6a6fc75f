"""Masking of personnummer before they reach logs, exception messages or reprs."""

from __future__ import annotations

import re
import uuid

# 10 or 12 digits, optionally with the "-" or "+" separator before the last four. Lookarounds instead of \b so that
# digits glued to letters (e.g. "pnr199001011234") are masked too.
_PERSONAL_NUMBER_RE = re.compile(r"(?<!\d)(\d{2}|\d{4})(\d{4}[-+]?\d{4})(?!\d)")


def mask_personal_number(personal_number: str) -> str:
    """Returns a personnummer with everything but the (century and) year replaced by asterisks."""
    digits = personal_number.strip()
    # The birth year alone does not identify anyone but still helps when reading a log.
    keep = 4 if len(digits) >= 12 else 2
    return digits[:keep] + "*" * max(len(digits) - keep, 0)


def mask_personal_numbers(text: str) -> str:
    """Masks every substring of a free text that looks like a personnummer."""
    return _PERSONAL_NUMBER_RE.sub(lambda m: m.group(1) + re.sub(r"\d", "*", m.group(2)), text)


def new_error_id() -> str:
    """An id for one unexpected error, shown to the user and written to the log (e.g. ``7F3A-91BC-0D2E``).

    In groups of four, so it never looks like a personnummer: the log's masking would otherwise hide the very id
    a user reads out to support.
    """
    raw = uuid.uuid4().hex[:12].upper()
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))
