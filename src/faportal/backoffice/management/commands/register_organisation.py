"""`manage.py register_organisation`: Af registers a provider and its responsible administrator (SPEC S3.1)."""

from __future__ import annotations

import getpass
from typing import Any

from django import forms
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from django.db import transaction

from faportal.access import services
from faportal.access.actor import Actor
from faportal.backoffice.forms import OrganisationForm


class Command(BaseCommand):
    help = (
        "Register an organisation (provider) and its responsible permission administrator, who is sent a link "
        "to the portal. The same checks as the back-office form."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisationsnummer")
        parser.add_argument("name", help="the organisation's name")
        parser.add_argument(
            "--admin-personnummer",
            help="the administrator's personnummer; asked for when left out, so it stays out of shell history",
        )
        parser.add_argument("--admin-given-name", required=True)
        parser.add_argument("--admin-surname", required=True)
        parser.add_argument("--admin-email", required=True)

    @no_translations  # an operator's tool: English throughout, the form's messages included
    def handle(self, *args: Any, **options: Any) -> None:
        if not options["admin_personnummer"]:
            options["admin_personnummer"] = getpass.getpass("The administrator's personnummer: ")
        form = OrganisationForm(
            {
                "organisationsnummer": options["organisationsnummer"],
                "name": options["name"],
                "admin_personnummer": options["admin_personnummer"],
                "admin_given_name": options["admin_given_name"],
                "admin_surname": options["admin_surname"],
                "admin_email": options["admin_email"],
            }
        )
        if not form.is_valid():
            raise CommandError(_problems(form))
        with transaction.atomic():
            account = services.register_organisation(
                actor=Actor.system("register_organisation"),
                organisationsnummer=form.cleaned_data["organisationsnummer"],
                name=form.cleaned_data["name"],
                admin=services.ResponsibleAdmin(
                    personnummer=form.cleaned_data["admin_personnummer"],
                    given_name=form.cleaned_data["admin_given_name"],
                    surname=form.cleaned_data["admin_surname"],
                    email=form.cleaned_data["admin_email"],
                ),
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{account.organisation.name} ({account.organisation.organisationsnummer_display}) is registered; "
                f"{account.person} is its responsible permission administrator and has been sent a link."
            )
        )


def _problems(form: forms.Form) -> str:
    lines = [f"--{name.replace('_', '-')}: {' '.join(map(str, errors))}" for name, errors in form.errors.items()]
    return "\n".join(lines)
