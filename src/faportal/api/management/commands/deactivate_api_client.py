"""`manage.py deactivate_api_client <name>`: the client's key stops working at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from faportal.access.actor import Actor
from faportal.api import services


class Command(BaseCommand):
    help = "Switch off a client of the integration API: its key is refused from now on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            client = services.deactivate_api_client(actor=Actor.system("deactivate_api_client"), name=options["name"])
        except services.ApiClientError as error:
            raise CommandError(f"There is no API client named {options['name']!r}.") from error
        self.stdout.write(self.style.SUCCESS(f"API client {client.name!r} is switched off."))
