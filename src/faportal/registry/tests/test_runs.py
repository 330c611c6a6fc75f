"""KA-webb imports as background runs the back office starts and polls (SPEC S2.2, S9)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied

from faportal.audit.models import AuditEvent
from faportal.registry import services
from faportal.registry.ka_import import Code, ImportSummary, Problem
from faportal.registry.models import KaImportPhase, KaImportRun, KaImportStatus, Unit
from faportal.registry.services import StoredActor, execute_ka_import_run, start_ka_import
from faportal.registry.tests.factories import OrganisationFactory
from faportal.registry.tests.ka_files import ORG_A, csv_text, json_text, row

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class AfActor:
    """Stands in for an ``access.Actor`` of an Af employee: the audit fields are all a service reads."""

    label: str = "Ada Handläggare"
    kind: str = "af"
    person_id: int | None = None
    organisation_id: int | None = None
    ip_address: str | None = None


@pytest.fixture(autouse=True)
def organisation() -> None:
    OrganisationFactory.create(organisationsnummer=ORG_A, name="Alfa AB")


GOOD = csv_text(row(), row(adress_id="A2"), row(enhet_id="E2", enhet_namn="Två", adress_id="A3"))


def test_start_stores_the_run_and_the_worker_imports_it_after_commit(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = start_ka_import(actor=AfActor(), file_name="enheter.csv", content=GOOD.encode())

    assert (run.status, run.format, run.content, run.actor_label) == ("queued", "csv", GOOD, "Ada Handläggare")
    assert not Unit.objects.exists()  # nothing happens before the upload's transaction commits
    assert len(callbacks) == 1

    callbacks[0]()  # the ImmediateBackend runs the task as it is enqueued

    run.refresh_from_db()
    assert run.status == KaImportStatus.DONE
    assert (run.total_rows, run.processed_rows, run.phase) == (3, 3, "")
    assert run.problems == []
    summary = ImportSummary.from_dict(run.summary)
    assert summary.units.counts()["added"] == 2
    assert [item.label for item in summary.units.added] == ["Enhet Ett", "Två"]
    assert run.started_at is not None
    assert run.finished_at is not None
    assert Unit.objects.count() == 2


def test_the_import_is_audited_as_the_person_who_started_it(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = start_ka_import(actor=AfActor(), file_name="enheter.csv", content=GOOD.encode())

    started = AuditEvent.objects.get(action="registry.ka_import_started")
    imported = AuditEvent.objects.get(action="registry.ka_import")
    assert (started.subject_id, started.actor_name, started.actor_kind) == (str(run.pk), "Ada Handläggare", "af")
    assert (imported.actor_name, imported.actor_kind, imported.data["run"]) == ("Ada Handläggare", "af", run.pk)
    assert imported.organisation is not None
    assert imported.organisation.name == "Alfa AB"


def test_a_bad_file_fails_with_its_problems_and_imports_nothing(django_capture_on_commit_callbacks) -> None:
    text = json_text(row(), row(adress_id="A2", postnummer="1234"))

    with django_capture_on_commit_callbacks(execute=True):
        run = start_ka_import(actor=AfActor(), file_name="enheter.json", content=text.encode())

    run.refresh_from_db()
    assert run.status == KaImportStatus.FAILED
    assert run.format == "json"
    assert [Problem.from_dict(p) for p in run.problems] == [
        Problem(15, "postnummer", Code.INVALID_POSTCODE, {"value": "1234"})
    ]
    assert run.summary == {}
    assert not Unit.objects.exists()
    assert not AuditEvent.objects.filter(action="registry.ka_import").exists()


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"format": "ka-webb/1", "rows": [{"ort": ' + "[" * 50_000 + "]" * 50_000 + "}]}",
    ],
)
def test_json_nested_thousands_of_levels_deep_is_an_invalid_file_not_an_unexpected_error(
    django_capture_on_commit_callbacks, text
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = start_ka_import(actor=AfActor(), file_name="enheter.json", content=text.encode())

    run.refresh_from_db()
    assert run.status == KaImportStatus.FAILED
    assert [Problem.from_dict(p) for p in run.problems] == [Problem(1, "", Code.NESTED_TOO_DEEP)]
    assert not Unit.objects.exists()


def test_a_file_that_is_not_utf8_fails_at_once_on_line_1(django_capture_on_commit_callbacks) -> None:
    content = csv_text(row(ort="Malmö")).encode("latin-1")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = start_ka_import(actor=AfActor(), file_name="enheter.csv", content=content)

    assert callbacks == []  # nothing for the worker to do
    assert run.status == KaImportStatus.FAILED
    assert run.problems == [{"line": 1, "column": "", "code": "not_utf8", "params": {}}]


def test_provider_staff_cannot_start_an_import() -> None:
    with pytest.raises(PermissionDenied):
        start_ka_import(actor=AfActor(kind="staff"), file_name="enheter.csv", content=GOOD.encode())

    assert not KaImportRun.objects.exists()


def test_progress_is_saved_on_the_run_while_rows_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "PROGRESS_SAVE_SECONDS", 0)
    text = csv_text(*(row(adress_id=f"A{i}") for i in range(650)))
    run = services.create_ka_import_run(actor=AfActor(), file_name="enheter.csv", content=text.encode())
    seen: list[tuple[str, str, str, int, int]] = []

    def poll(phase: str, done: int, total: int) -> None:
        # What a back-office page polling the run sees at this moment (the save follows this call).
        current = KaImportRun.objects.get(pk=run.pk)
        seen.append((phase, current.status, current.phase, current.processed_rows, current.total_rows))

    execute_ka_import_run(run_id=run.pk, on_progress=poll)

    checking = [entry for entry in seen if entry[0] == KaImportPhase.CHECKING]
    assert checking == [
        ("checking", "running", "checking", 0, 0),
        ("checking", "running", "checking", 200, 650),
        ("checking", "running", "checking", 400, 650),
        ("checking", "running", "checking", 600, 650),
    ]
    assert [entry[2] for entry in seen if entry[0] == KaImportPhase.APPLYING] == ["applying"] * 4
    run.refresh_from_db()
    assert (run.status, run.processed_rows, run.total_rows) == ("done", 650, 650)


def test_an_unexpected_error_fails_the_run_and_applies_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    run = services.create_ka_import_run(actor=AfActor(), file_name="enheter.csv", content=GOOD.encode())
    real_retire = services._retire

    def broken_retire(*args: object, **kwargs: object) -> None:
        real_retire(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_retire", broken_retire)

    run = execute_ka_import_run(run_id=run.pk)

    assert run.status == KaImportStatus.FAILED
    assert run.problems == [{"line": 0, "column": "", "code": "unexpected_error", "params": {}}]
    assert not Unit.objects.exists()  # the units were written before the error, and rolled back


def test_a_finished_run_is_not_imported_again() -> None:
    run = services.create_ka_import_run(actor=StoredActor.system("test"), file_name="e.csv", content=GOOD.encode())
    execute_ka_import_run(run_id=run.pk)
    Unit.objects.update(name="Ändrad")

    run = execute_ka_import_run(run_id=run.pk)

    assert run.status == KaImportStatus.DONE
    assert set(Unit.objects.values_list("name", flat=True)) == {"Ändrad"}
    assert AuditEvent.objects.filter(action="registry.ka_import").count() == 1
