"""Personnummer never appear in application logs (SPEC S9)."""

import io
import logging

import pytest

from faportal.core.logging import MaskPersonnummerFilter
from faportal.core.privacy import mask_personal_numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("login 198112189876 ok", "login 1981******** ok"),
        ("pnr 19811218-9876.", "pnr 1981****-****."),
        ("pnr 811218-9876", "pnr 81****-****"),
        ("order 12345", "order 12345"),
        ("id 1234567890123", "id 1234567890123"),  # 13 digits: not a personnummer
    ],
)
def test_masking_keeps_only_the_year_of_birth(text, expected):
    assert mask_personal_numbers(text) == expected


def test_the_filter_masks_messages_arguments_and_tracebacks(caplog):
    logger = logging.getLogger("faportal.test")
    logger.addFilter(MaskPersonnummerFilter())
    try:
        with caplog.at_level(logging.INFO):
            logger.info("person %s signed in", "198112189876")
            try:
                raise ValueError("bad 19811218-9876")
            except ValueError:
                logger.exception("failed")
    finally:
        logger.filters.clear()
    assert "198112189876" not in caplog.text
    assert "19811218-9876" not in caplog.text
    assert "1981********" in caplog.text


def test_the_configured_handlers_mask(settings):
    handler_filters = settings.LOGGING["handlers"]["console"]["filters"]
    assert "mask_personnummer" in handler_filters


def _handlers_reached_by(logger: logging.Logger) -> list[logging.Handler]:
    """The handlers a record of ``logger`` reaches, pytest's own left out."""
    found: list[logging.Handler] = []
    current: logging.Logger | None = logger
    while current is not None:
        found.extend(current.handlers)
        current = current.parent if current.propagate else None
    return [handler for handler in found if not type(handler).__module__.startswith("_pytest")]


@pytest.mark.parametrize("name", ["django.server", "django.request", "faportal.anything"])
def test_what_the_configured_loggers_write_is_masked(name):
    """The development server's request lines carry query strings (a search for a personnummer, say)."""
    handlers = _handlers_reached_by(logging.getLogger(name))
    assert handlers, f"{name} writes nowhere"
    streams = []
    for handler in handlers:
        assert isinstance(handler, logging.StreamHandler)
        streams.append(handler.setStream(io.StringIO()))
    try:
        logging.getLogger(name).warning('"GET /af/deltagare/?q=%s HTTP/1.1" 200 1234', "19850615-1234")
        written = "".join(handler.stream.getvalue() for handler in handlers)
    finally:
        for handler, stream in zip(handlers, streams, strict=True):
            handler.setStream(stream)
    assert "?q=1985****-****" in written
    assert "0615-1234" not in written
