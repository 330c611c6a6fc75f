"""`manage.py add_af_staff`: give an Arbetsförmedlingen employee access to the back office."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from faportal.access import services
from faportal.access.actor import Actor
from faportal.access.models import AfRole
from faportal.core.identifiers import InvalidIdentifier, normalize_personnummer


class Command(BaseCommand):
    help = "Give an Af employee back-office roles (all roles unless --role is given)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("personnummer")
        parser.add_argument("given_name")
        parser.add_argument("surname")
        parser.add_argument("--email", default="")
        parser.add_argument("--role", action="append", choices=[role.value for role in AfRole], dest="roles")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            personnummer = normalize_personnummer(options["personnummer"])
        except InvalidIdentifier as error:
            raise CommandError(f"Not a valid personnummer ({error.code}).") from error
        account = services.create_af_staff(
            actor=Actor.system("add_af_staff"),
            personnummer=personnummer,
            given_name=options["given_name"],
            surname=options["surname"],
            email=options["email"],
            roles=[AfRole(role) for role in options["roles"] or list(AfRole)],
        )
        self.stdout.write(self.style.SUCCESS(f"{account.person} can now sign in to the back office."))
