"""The back office's management commands (SPEC S3.1): the same checks as the forms."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from faportal.access.models import AfStaffAccount, StaffAccount
from faportal.testing import personnummer

pytestmark = pytest.mark.django_db


def test_register_organisation(django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "register_organisation",
            "556036-0793",
            "Gamma Jobb AB",
            "--admin-personnummer",
            personnummer(1975, 3, 3),
            "--admin-given-name",
            "Rut",
            "--admin-surname",
            "Ansvarig",
            "--admin-email",
            "rut@gamma.se",
        )
    assert "Gamma Jobb AB (556036-0793) is registered" in capsys.readouterr().out
    assert StaffAccount.objects.get(email="rut@gamma.se").is_responsible_admin
    assert mail.outbox[0].to == ["rut@gamma.se"]


def test_register_organisation_names_every_problem():
    with pytest.raises(CommandError) as error:
        call_command(
            "register_organisation",
            "556036-0794",
            "Gamma Jobb AB",
            "--admin-personnummer",
            "19750303-1235",
            "--admin-given-name",
            "Rut",
            "--admin-surname",
            "Ansvarig",
            "--admin-email",
            "rut@",
        )
    message = str(error.value)
    assert "--organisationsnummer" in message
    assert "--admin-personnummer" in message
    assert "--admin-email" in message


def test_add_af_staff():
    call_command("add_af_staff", personnummer(1970, 1, 1), "Åsa", "Öberg", "--role", "af_auditor")
    account = AfStaffAccount.objects.get()
    assert list(account.role_grants.values_list("role", flat=True)) == ["af_auditor"]


def test_register_organisation_asks_for_the_personnummer_when_left_out(monkeypatch, django_capture_on_commit_callbacks):
    pnr = personnummer(1975, 3, 3, serial=1)
    monkeypatch.setattr("getpass.getpass", lambda prompt: pnr)
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "register_organisation",
            "556036-0793",
            "Gamma Jobb AB",
            "--admin-given-name",
            "Rut",
            "--admin-surname",
            "Ansvarig",
            "--admin-email",
            "rut@gamma.se",
        )
    assert StaffAccount.objects.get(email="rut@gamma.se").person.personnummer == pnr
