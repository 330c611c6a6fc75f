"""Background tasks every app uses."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, body: str, html: str | None = None) -> int:
    """Send one e-mail from the worker (SMTP in production, files in development)."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
