"""Log filter that keeps personnummer out of application logs (SPEC S9)."""

from __future__ import annotations

import logging

from faportal.core.privacy import mask_personal_numbers


class MaskPersonnummerFilter(logging.Filter):
    """Rewrites the formatted message (and exception text) of every record with personnummer masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_numbers(message)
        if masked != message:
            record.msg = masked
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_numbers(record.exc_text)
        return True
