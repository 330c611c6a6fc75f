"""``manage.py billing_run``: the monthly run (SPEC S7.3), from cron; ``--now`` runs it here instead of the worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from faportal.billing import run


class Command(BaseCommand):
    help = "Queue the billing run for the worker (or run it now with --now): newly invoiceable lines, payments."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Run in this process instead of the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            billing_run = run.BillingRun.objects.create(started_by="manage.py billing_run")
            billing_run = run.execute(run_id=billing_run.pk)
            self.stdout.write(f"Billing run {billing_run.pk}: {billing_run.get_status_display()} {billing_run.counts}")
            return
        with transaction.atomic():
            billing_run = run.start(started_by="manage.py billing_run")
        self.stdout.write(f"Billing run {billing_run.pk} queued for the worker.")
