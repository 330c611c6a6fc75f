"""Friendly error pages (SPEC S9): never a stack trace, always an id to quote to support."""

from __future__ import annotations

import datetime
import email
import email.policy
import email.utils
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    error_id = getattr(request, "error_id", "")
    try:
        return render(request, "errors/500.html", {"error_id": error_id}, status=500)
    except Exception:  # the error page must not fail too (e.g. a broken database in a context processor)
        return HttpResponse(
            f"<!doctype html><html lang='sv'><title>Ett fel inträffade</title><h1>Ett fel inträffade</h1>"
            f"<p>Felkod: {error_id}</p>",
            status=500,
        )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", status=403)


def _local_time(header: str) -> datetime.datetime | str:
    try:
        return timezone.localtime(email.utils.parsedate_to_datetime(header))
    except (TypeError, ValueError):
        return header


def dev_outbox(request: HttpRequest) -> HttpResponse:
    """Development only: the e-mail the file backend wrote, newest first, so invitations can be followed."""
    if not settings.DEV_OUTBOX:
        raise Http404
    directory = Path(settings.EMAIL_FILE_PATH)
    messages = []
    files = sorted(directory.glob("*.log"), key=lambda path: path.stat().st_mtime, reverse=True)
    for path in files[:50]:
        for chunk in reversed(path.read_bytes().split(b"\n" + b"-" * 79 + b"\n")):
            if not chunk.strip():
                continue
            parsed = email.message_from_bytes(chunk.strip(), policy=email.policy.default)
            body = parsed.get_body(preferencelist=("plain",))
            messages.append(
                {
                    "to": parsed.get("To", ""),
                    "subject": parsed.get("Subject", ""),
                    "date": _local_time(parsed.get("Date", "")),
                    "body": body.get_content() if body is not None else "",
                }
            )
    return render(request, "core/dev_outbox.html", {"messages_": messages[:50]})
