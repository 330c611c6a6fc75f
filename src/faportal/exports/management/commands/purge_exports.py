"""Removes export files older than EXPORT_RETENTION_DAYS (run daily, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from faportal.exports.services import purge_expired_exports


class Command(BaseCommand):
    help = "Remove export files older than EXPORT_RETENTION_DAYS; the export history stays."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = purge_expired_exports()
        self.stdout.write(f"{removed} export file(s) removed.")
