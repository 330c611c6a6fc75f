"""Exportera deltagare through HTTP (SPEC S4.10): what the file contains, for whom, and what it never contains."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html

from faportal.access.actor import Actor
from faportal.access.models import Role, RoleGrant
from faportal.audit.models import AuditEvent
from faportal.exports.columns import HEADERS
from faportal.exports.models import ExportedPlacement, ExportRun, ExportStatus
from faportal.placements import services as placement_services
from faportal.testing import bulk_place, make_account, make_person, place, sign_in

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)
RANGE = {"decided_from": "2026-11-01", "decided_to": "2026-11-30", "supervisor_filter": "all"}


@pytest.fixture(autouse=True)
def _tuesday():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture
def reporter(world):
    return world.by_roles[frozenset({Role.REPORT})]


@pytest.fixture
def signed_in(client, reporter):
    sign_in(client, reporter.person)
    return client


@pytest.fixture
def placements(world, reporter):
    """At A11 (the reporter's address): three placements in November, one in October; others elsewhere."""
    nils = place(world.a11, given_name="Nils", surname="Nyman", decided_on=datetime.date(2026, 11, 2))
    secret = place(world.a11, given_name="Hemlig", surname="Dold", protected=True, decided_on=TODAY)
    stina = place(world.a11, given_name="Stina", surname="Ström", level="C", decided_on=datetime.date(2026, 11, 10))
    placement_services.assign_supervisor(
        actor=Actor.for_staff_account(world.by_roles[frozenset({Role.RECEIVE, Role.REPORT})]),
        placements=[stina],
        supervisor=reporter,
    )
    placement_services.interrupt(
        actor=Actor.system("Af"), key="i-nils", placement=nils, reason="work", interrupts_on=TODAY
    )
    place(world.a11, given_name="Olle", surname="Oktober", decided_on=datetime.date(2026, 10, 20))
    place(world.a21, given_name="Göte", surname="Annanstans", decided_on=TODAY)
    place(world.b11, given_name="Malin", surname="Betasson", decided_on=TODAY)
    return {"nils": nils, "secret": secret, "stina": stina}


def export(client, fmt="xlsx", **changes):
    response = client.post("/deltagare/exportera/", {**RANGE, "format": fmt, "action": "export", **changes})
    assert response.status_code == 302, response.content[:500]
    run = ExportRun.objects.latest("pk")
    assert response["Location"] == f"/deltagare/exportera/{run.pk}/"  # the export's page confirms it ...
    page = client.get(response["Location"]).content.decode()
    assert f"Filen är klar: {run.total_rows} deltagare." in page
    assert f'href="/deltagare/exportera/{run.pk}/fil/"' in page  # ... and offers the file
    return client.get(f"/deltagare/exportera/{run.pk}/fil/")


def sheet_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def preview_rows(response):
    doc = html.fromstring(response.content.decode())
    return [[" ".join(c.text_content().split()) for c in tr.xpath("th|td")] for tr in doc.xpath("//main//tbody/tr")]


def test_the_excel_file_opens_and_matches_the_rows_on_screen(signed_in, placements):
    on_screen = preview_rows(signed_in.post("/deltagare/exportera/", {**RANGE, "format": "xlsx", "action": "preview"}))
    rows = sheet_rows(export(signed_in))
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == [row[0] for row in on_screen]
    by_reference = {row[0]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}
    names = {
        ref: "Skyddade personuppgifter" if r["Skyddade personuppgifter"] == "Ja" else f"{r['Förnamn']} {r['Efternamn']}"
        for ref, r in by_reference.items()
    }
    assert names == {row[0]: row[1] for row in on_screen}
    stina = next(row for row in rows if row[0] == placements["stina"].genomforandereferens)
    by_header = dict(zip(HEADERS, stina, strict=True))
    assert by_header["Personnummer"] == placements["stina"].participant.personnummer_display
    # The interface's words and the postcode as written on a letter (issue 8).
    assert by_header["Utförande verksamhet"] == "Alfa Stockholm"
    assert by_header["Adress"] == "Drottninggatan 1"
    assert by_header["Postnummer"] == "111 51"
    assert by_header["Kommun"] == "Stockholm"
    assert by_header["Kommunkod"] == "0180"
    assert by_header["Nivå"] == "C"
    assert by_header["Period"] == 1
    assert by_header["Period 2 beviljad"] == "Nej"
    assert by_header["Startdatum"].date() == placements["stina"].starts_on
    assert by_header["Handledare"] == "Roll1 Kombination" or by_header["Handledare"].endswith("Kombination")
    nils = dict(zip(HEADERS, next(r for r in rows if r[1] == "Nils"), strict=True))
    assert nils["Avbrottsdatum"].date() == TODAY
    assert nils["Avbrottsorsak"] == "Arbete"


def test_the_text_file_is_semicolon_separated_utf8_with_swedish_headers(signed_in, placements):
    rows = csv_rows(export(signed_in, fmt="csv"))
    assert rows[0] == HEADERS
    assert {row[1] for row in rows[1:]} == {"Nils", "Stina", ""}
    stina = dict(zip(HEADERS, next(r for r in rows if r[1] == "Stina"), strict=True))
    assert stina["Efternamn"] == "Ström"
    assert stina["Startdatum"] == placements["stina"].starts_on.isoformat()
    assert stina["Postnummer"] == "111 51"


def test_only_the_chosen_range_at_the_users_addresses_is_exported(signed_in, placements):
    names = {row[1] for row in csv_rows(export(signed_in, fmt="csv"))[1:]}
    assert "Olle" not in names  # decided in October
    assert "Göte" not in names  # another unit of the same organisation
    assert "Malin" not in names  # another organisation
    october = csv_rows(export(signed_in, fmt="csv", decided_from="2026-10-01", decided_to="2026-10-31"))
    assert [row[1] for row in october[1:]] == ["Olle"]


def test_protected_identity_never_leaks_into_the_file(client, world, placements):
    # Even the assigned supervisor's export holds no name or personnummer of a protected participant.
    supervisor = world.by_roles[frozenset({Role.REPORT})]
    placement_services.assign_supervisor(
        actor=Actor.for_staff_account(world.by_roles[frozenset({Role.RECEIVE, Role.REPORT})]),
        placements=[placements["secret"]],
        supervisor=supervisor,
    )
    sign_in(client, supervisor.person)
    participant = placements["secret"].participant
    for fmt in ("csv", "xlsx"):
        response = export(client, fmt=fmt, include_exported="on")
        rows = csv_rows(response) if fmt == "csv" else sheet_rows(response)
        flat = " ".join(str(cell) for row in rows for cell in row)
        for secret in ("Hemlig", "Dold", participant.personnummer, participant.personnummer_display):
            assert secret not in flat
        secret_row = next(row for row in rows if row[0] == placements["secret"].genomforandereferens)
        assert secret_row[1:5] == (["", "", "", "Ja"] if fmt == "csv" else [None, None, None, "Ja"])


def test_those_exported_before_are_left_out_unless_asked_for(signed_in, placements, world):
    assert len(csv_rows(export(signed_in, fmt="csv"))) == 4
    newcomer = place(world.a11, given_name="Nyan", surname="Senare", decided_on=TODAY)
    again = csv_rows(export(signed_in, fmt="csv"))
    assert [row[0] for row in again[1:]] == [newcomer.genomforandereferens]
    everything = csv_rows(export(signed_in, fmt="csv", include_exported="on"))
    assert len(everything) == 5
    preview = signed_in.post("/deltagare/exportera/", {**RANGE, "format": "csv", "include_exported": "on"})
    assert sum("Exporterad tidigare" in " ".join(row) for row in preview_rows(preview)) == 4


def test_with_or_without_a_supervisor(signed_in, placements):
    with_one = csv_rows(export(signed_in, fmt="csv", supervisor_filter="with"))
    assert [row[1] for row in with_one[1:]] == ["Stina"]
    without = csv_rows(export(signed_in, fmt="csv", supervisor_filter="without", include_exported="on"))
    assert {row[1] for row in without[1:]} == {"Nils", ""}


def test_a_bad_range_is_explained_at_the_field_and_keeps_the_choices(signed_in, placements):
    response = signed_in.post(
        "/deltagare/exportera/",
        {
            "decided_from": "2026-11-30",
            "decided_to": "2026-11-01",
            "supervisor_filter": "without",
            "format": "csv",
            "action": "export",
        },
    )
    assert response.status_code == 200
    doc = html.fromstring(response.content.decode())
    assert "Slutet av perioden kan inte vara före dess början." in doc.get_element_by_id("id_decided_to_error").text
    assert doc.get_element_by_id("id_decided_from").get("value") == "2026-11-30"
    assert doc.xpath("//input[@name='supervisor_filter'][@value='without']/@checked") is not None
    assert doc.xpath("//input[@name='supervisor_filter'][@checked]/@value") == ["without"]
    assert not ExportRun.objects.exists()


def test_only_the_maker_downloads_the_file(client, signed_in, world, reporter, placements):
    export(signed_in)
    run = ExportRun.objects.get()
    colleague = make_account(make_person("Kim", "Kollega"), world.org_a, roles=[Role.REPORT], addresses=[world.a11])
    for other in (colleague, world.admin_b):
        sign_in(client, other.person)
        assert client.get(f"/deltagare/exportera/{run.pk}/fil/").status_code == 404
        assert client.get(f"/deltagare/exportera/{run.pk}/").status_code == 404
        assert "Dina exporter" in client.get("/deltagare/exportera/").content.decode()
        assert run.file_name not in client.get("/deltagare/exportera/").content.decode()


def test_a_large_export_is_made_by_the_worker_with_progress_shown(
    signed_in, placements, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 2
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = signed_in.post("/deltagare/exportera/", {**RANGE, "format": "xlsx", "action": "export"})
    run = ExportRun.objects.get()
    assert response["Location"] == f"/deltagare/exportera/{run.pk}/"
    waiting = signed_in.get(response["Location"]).content.decode()
    assert "Väntar på att exporten ska starta" in waiting
    assert 'hx-trigger="every 1s"' in waiting
    assert signed_in.get(f"/deltagare/exportera/{run.pk}/fil/")["Location"] == f"/deltagare/exportera/{run.pk}/"
    for callback in callbacks:  # the worker's turn
        callback()
    ready = signed_in.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "Filen är klar: 3 deltagare." in ready
    assert "every 1s" not in ready
    assert len(sheet_rows(signed_in.get(f"/deltagare/exportera/{run.pk}/fil/"))) == 4


def test_the_worker_exports_nothing_when_the_maker_lost_the_right(
    signed_in, placements, reporter, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        signed_in.post("/deltagare/exportera/", {**RANGE, "format": "xlsx", "action": "export"})
    RoleGrant.objects.filter(account=reporter).update(valid_to=datetime.datetime(2026, 11, 24, 9, tzinfo=datetime.UTC))
    for callback in callbacks:
        callback()
    run = ExportRun.objects.get()
    assert run.status == ExportStatus.FAILED
    assert bytes(run.content) == b""
    assert not ExportedPlacement.objects.exists()


def test_exports_and_downloads_are_audited_without_personnummer(signed_in, placements, reporter):
    export(signed_in)
    actions = list(AuditEvent.objects.filter(action__startswith="exports.").values_list("action", "data"))
    assert [action for action, _ in actions] == ["exports.started", "exports.created", "exports.downloaded"] or sorted(
        a for a, _ in actions
    ) == ["exports.created", "exports.downloaded", "exports.started"]
    assert all(data.get("rows") == 3 for _, data in actions)
    for pnr in (placements["nils"].participant.personnummer, placements["stina"].participant.personnummer):
        assert pnr not in str(actions)


def test_old_files_are_removed_but_the_history_stays(signed_in, placements):
    export(signed_in)
    run = ExportRun.objects.get()
    ExportRun.objects.update(created_at=datetime.datetime(2026, 11, 16, 10, tzinfo=datetime.UTC))  # 8 days ago
    call_command("purge_exports", stdout=io.StringIO())
    response = signed_in.get(f"/deltagare/exportera/{run.pk}/fil/")
    assert response["Location"] == f"/deltagare/exportera/{run.pk}/"
    assert "Filen har tagits bort" in signed_in.get(response["Location"]).content.decode()
    again = signed_in.post("/deltagare/exportera/", {**RANGE, "format": "csv", "action": "preview"})
    assert "Exporten innehåller 0 deltagare." in again.content.decode()
    run.refresh_from_db()
    assert bytes(run.content) == b""


def test_text_that_a_spreadsheet_would_run_is_written_as_text(signed_in, world):
    place(world.a11, given_name='=HYPERLINK("http://x")', surname="+Ond", decided_on=TODAY)
    rows = csv_rows(export(signed_in, fmt="csv"))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert rows[1][2] == "'+Ond"
    workbook = openpyxl.load_workbook(io.BytesIO(export(signed_in, fmt="xlsx", include_exported="on").content))
    cell = workbook.active["B2"]
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"


def test_staff_without_the_reporting_role_find_no_export(client, world):
    sign_in(client, world.by_roles[frozenset({Role.RECEIVE})].person)
    assert client.get("/deltagare/exportera/").status_code == 404


def test_the_export_costs_the_same_few_queries_at_10_and_500_placements(signed_in, world, reporter, monkeypatch):
    # The progress is saved once a second: on a slow database that adds queries the rows do not cause.
    monkeypatch.setattr("faportal.exports.services.PROGRESS_SAVE_SECONDS", 3600)
    signed_in.get("/")

    def measure():
        with CaptureQueriesContext(connection) as preview:
            assert (
                signed_in.post(
                    "/deltagare/exportera/", {**RANGE, "format": "xlsx", "include_exported": "on"}
                ).status_code
                == 200
            )
        with CaptureQueriesContext(connection) as made:
            response = export(signed_in, include_exported="on")
        return len(preview), len(made), response

    bulk_place(world.a11, 5)
    bulk_place(world.a11, 5, supervisor=reporter)
    few_preview, few_made, _ = measure()
    bulk_place(world.a11, 245)
    bulk_place(world.a11, 245, supervisor=reporter)
    many_preview, many_made, response = measure()
    assert many_preview == few_preview
    # The rows are read in one query; only the export history is written in batches (of 400 rows).
    assert many_made <= few_made + 1
    assert len(sheet_rows(response)) == 501


def test_nothing_to_export_is_said_and_no_empty_file_is_made(signed_in, placements):
    export(signed_in)
    response = signed_in.post("/deltagare/exportera/", {**RANGE, "format": "csv", "action": "export"})
    assert response.status_code == 200
    summary = html.fromstring(response.content.decode()).xpath("//*[contains(@class,'ds-error-summary')]")[0]
    assert "Inga deltagare matchar valen" in summary.text_content()
    assert ExportRun.objects.count() == 1


def test_the_live_preview_says_what_to_correct(signed_in, placements):
    response = signed_in.post(
        "/deltagare/exportera/",
        {"decided_from": "2020-01-01", "decided_to": "", "supervisor_filter": "all", "format": "csv"},
        headers={"HX-Request": "true"},
    )
    preview = " ".join(html.fromstring(response.content.decode()).text_content().split())
    assert "Rätta valen för att se vad exporten innehåller:" in preview
    assert "Beslut till och med: Fyll i ett helt datum, t.ex. 2026-11-24." in preview
    too_long = signed_in.post(
        "/deltagare/exportera/",
        {"decided_from": "2020-01-01", "decided_to": "2026-11-24", "supervisor_filter": "all", "format": "csv"},
        headers={"HX-Request": "true"},
    )
    assert "Välj en period på högst tre år." in too_long.content.decode()
