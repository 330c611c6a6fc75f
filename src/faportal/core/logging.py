"""Log filter that keeps personnummer out of application logs (SPEC S9)."""

from __future__ import annotations

import logging
import re

# 12 or 10 digits, optionally with a separator before the last four: what a personnummer looks like.
_PNR = re.compile(r"(?<!\d)(?:\d{2})?(\d{6})[-+ ]?\d{4}(?!\d)")


def mask(text: str) -> str:
    """Replace anything shaped like a personnummer with its birth date and XXXX."""
    return _PNR.sub(lambda m: m.group(0)[: len(m.group(0)) - 4] + "XXXX", text)


class MaskPersonnummerFilter(logging.Filter):
    """Rewrites the formatted message (and exception text) of every record with personnummer masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg = masked
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True
