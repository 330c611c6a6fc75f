"""``manage.py import_ka_webb`` (SPEC S2.2)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from faportal.audit.models import AuditEvent
from faportal.registry.models import KaImportRun, Unit
from faportal.registry.tests.factories import OrganisationFactory
from faportal.registry.tests.ka_files import ORG_A, csv_text, json_text, row

pytestmark = pytest.mark.django_db

GOOD = (row(), row(adress_id="A2"), row(enhet_id="E2", enhet_namn="Enhet Två", adress_id="A3"))


@pytest.fixture(autouse=True)
def organisation() -> None:
    OrganisationFactory.create(organisationsnummer=ORG_A, name="Alfa AB")


def run_command(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_ka_webb", str(path), *args, stdout=out)
    return out.getvalue()


def test_imports_a_csv_file_and_prints_progress_and_the_summary(tmp_path: Path) -> None:
    path = tmp_path / "enheter.csv"
    path.write_text(csv_text(*GOOD), encoding="utf-8")

    output = run_command(path)

    assert "Checking: 3/3 rows" in output
    assert "Saving: 3/3 rows" in output
    assert "Imported." in output
    assert "Units: 2 added, 0 changed, 0 reactivated, 0 retired, 0 unchanged" in output
    assert "Addresses: 3 added, 0 changed, 0 reactivated, 0 retired, 0 unchanged" in output
    assert Unit.objects.count() == 2
    run = KaImportRun.objects.get()
    assert (run.file_name, run.status, run.actor_label, run.created_by) == (
        "enheter.csv",
        "done",
        "import_ka_webb",
        None,
    )
    event = AuditEvent.objects.get(action="registry.ka_import")
    assert (event.actor_name, event.actor_kind, event.data["run"]) == ("import_ka_webb", "system", run.pk)


def test_lists_names_with_higher_verbosity(tmp_path: Path) -> None:
    path = tmp_path / "enheter.csv"
    path.write_text(csv_text(*GOOD), encoding="utf-8")
    run_command(path)
    path.write_text(csv_text(row(enhet_namn="Nytt namn")), encoding="utf-8")

    output = run_command(path, "--verbosity", "2")

    assert "changed: E1 Nytt namn — Alfa AB (enhet_namn)" in output
    assert "retired: E2 Enhet Två — Alfa AB" in output
    assert "retired: A2 Storgatan 1, 111 22 Stockholm — Alfa AB" in output


def test_json_by_extension_and_the_second_run_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "enheter.json"
    path.write_text(json_text(*GOOD), encoding="utf-8")
    run_command(path)

    output = run_command(path)

    assert "Units: 0 added, 0 changed, 0 reactivated, 0 retired, 2 unchanged" in output


def test_prints_every_problem_with_its_line_and_exits_with_1(tmp_path: Path) -> None:
    path = tmp_path / "enheter.csv"
    path.write_text(csv_text(row(), row(adress_id="A2", kommunkod="9999"), row(adress_id="A3", ort="")), "utf-8")
    out = StringIO()

    with pytest.raises(CommandError) as error:
        call_command("import_ka_webb", str(path), stdout=out)

    assert error.value.returncode == 1
    assert "2 problem(s); nothing was imported." in str(error.value)
    lines = out.getvalue().splitlines()
    assert "line 3, kommunkod: Unknown municipality code 9999." in lines
    assert "line 4, ort: Empty; a value is required." in lines
    assert not Unit.objects.exists()
    assert KaImportRun.objects.get().status == "failed"


def test_dry_run_changes_nothing_and_stores_no_run(tmp_path: Path) -> None:
    path = tmp_path / "enheter.txt"
    path.write_text(csv_text(*GOOD), encoding="utf-8")

    output = run_command(path, "--dry-run", "--format", "csv")

    assert "Dry run: nothing was changed." in output
    assert "Units: 2 added" in output
    assert not Unit.objects.exists()
    assert not KaImportRun.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_file_that_is_not_utf8_is_a_problem_on_line_1(tmp_path: Path) -> None:
    path = tmp_path / "enheter.csv"
    path.write_bytes(csv_text(row(ort="Malmö")).encode("latin-1"))
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("import_ka_webb", str(path), "--dry-run", stdout=out)

    assert out.getvalue().startswith("line 1: The file is not UTF-8 text.")


def test_a_name_without_a_known_extension_needs_format(tmp_path: Path) -> None:
    path = tmp_path / "export"
    path.write_text(csv_text(*GOOD), encoding="utf-8")

    with pytest.raises(CommandError, match="--format"):
        run_command(path)
