"""The animated QR code (reference §1.10): a new frame every second, computed on the server only."""

from __future__ import annotations

import hashlib
import hmac
import math


def qr_auth_code(qr_start_secret: str, qr_time: int) -> str:
    """Lower-case hex HMAC-SHA256 of the decimal ``qr_time`` keyed with ``qr_start_secret``."""
    return hmac.new(qr_start_secret.encode("ascii"), str(qr_time).encode("ascii"), hashlib.sha256).hexdigest()


def qr_content(qr_start_token: str, qr_start_secret: str, qr_time: int) -> str:
    """The text to encode in the QR code for the frame ``qr_time`` ("bankid.<token>.<time>.<auth code>")."""
    if qr_time < 0:
        raise ValueError("qr_time cannot be negative")
    return f"bankid.{qr_start_token}.{qr_time}.{qr_auth_code(qr_start_secret, qr_time)}"


def qr_time(started_at: float, now: float) -> int:
    """Whole seconds since the auth or sign response arrived (both on the same clock, e.g. ``time.time()``)."""
    # Clamped at 0: a clock that steps back must not produce a negative frame number.
    return max(0, math.floor(now - started_at))
