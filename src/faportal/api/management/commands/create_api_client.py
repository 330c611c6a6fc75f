"""`manage.py create_api_client <name>`: a new client of the integration API; its key is printed once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from faportal.access.actor import Actor
from faportal.api import services

PROBLEMS = {
    "name_missing": "Give the client a name.",
    "name_taken": "A client with that name exists already (a name can never be reused: it is in the audit log).",
}


class Command(BaseCommand):
    help = "Create a client of the integration API (an Af system) and print its key. The key is shown only once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The Af system that will use the key, e.g. 'Beslutsstöd'.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            client, key = services.create_api_client(actor=Actor.system("create_api_client"), name=options["name"])
        except services.ApiClientError as error:
            raise CommandError(PROBLEMS.get(error.code, error.code)) from error
        self.stdout.write(self.style.SUCCESS(f"API client {client.name!r} is created. Its key (shown only now):"))
        self.stdout.write(key)
        self.stdout.write(
            "Send it as: Authorization: Bearer <key>. Only its hash is stored: a lost key cannot be shown again "
            "(create a new client and switch this one off)."
        )
