"""The export files cell for cell (ADR 0017): what openpyxl and the csv module would write, read back as a user's
spreadsheet reads them; and what an export keeps in the history.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
from typing import Any

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils.exceptions import IllegalCharacterError

from faportal.access.actor import Actor
from faportal.access.models import Role
from faportal.exports import writers
from faportal.exports.columns import HEADERS, WIDTHS, as_text
from faportal.exports.models import ExportedPlacement, ExportFormat, ExportRun
from faportal.exports.selectors import ExportChoices
from faportal.exports.services import execute_export, start_export
from faportal.placements import services as placement_services
from faportal.placements.models import Placement
from faportal.testing import bulk_place, place

DAY = datetime.date(2026, 11, 24)
TRICKY = [
    "Anna",
    " Anna ",  # spaces kept
    "A&B <x> > y",  # escaped
    '=HYPERLINK("http://x")',  # a formula's text, never a formula
    "+46",
    "-x",
    "@y",
    "\tz",
    "\r\nw",
    "x\n",
    "a;b",
    'a"b',
    "#N/A",  # one of Excel's error codes: as openpyxl writes it
    "#x",
    "",
    "Åsa Öberg ü ß € 😀",
    "\u00a0nbsp",
    "111 21",
    "x" * 40000,  # longer than a cell holds: cut as openpyxl cuts it
]


def _rows() -> list[list[writers.Cell]]:
    rows: list[list[writers.Cell]] = []
    for index in range(60):
        text = TRICKY[index % len(TRICKY)]
        plain = index % 3 != 0  # most rows have nothing to escape (the quick way), the others are checked cell by cell
        rows.append(
            [
                f"GR-{index}",
                "Nils" if plain else text,
                None if index % 4 == 0 else "Nyman",
                "19800101-1234",
                "Nej",
                "Rusta och matcha",
                "Alfa Stockholm" if plain else TRICKY[(index + 5) % len(TRICKY)],
                "Drottninggatan 1",
                "111 51",
                "Stockholm",
                "Stockholm",
                "0180",
                1 + index % 2,
                "B",
                DAY,
                DAY + datetime.timedelta(days=index),
                datetime.date(1900, 1, 15) if index == 7 else DAY + datetime.timedelta(days=180),
                "Ja",
                "" if plain else "Sam Handledare",
                None if index % 5 else DAY,
                "Arbete" if index % 5 == 0 else "",
            ]
        )
    return rows


def _as_openpyxl_writes_it(rows: list[list[writers.Cell]]) -> bytes:
    """The same sheet through openpyxl's own write-only cells (how exports were written before ADR 0017)."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Deltagare")
    bold = Font(bold=True)
    header = []
    for name in HEADERS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for values in rows:
        cells: list[Any] = []
        for value in values:
            if writers.is_formula_like(value):
                cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cells(content: bytes) -> list[list[tuple[object, str, str, bool]]]:
    sheet: Any = openpyxl.load_workbook(io.BytesIO(content)).active
    return [
        [(cell.value, cell.data_type, cell.number_format, bool(cell.font.b)) for cell in row]
        for row in sheet.iter_rows()
    ]


def test_the_sheet_holds_what_openpyxl_writes_for_the_same_rows():
    rows = _rows()
    content = writers.write_xlsx(HEADERS, rows, widths=WIDTHS)
    assert _cells(content) == _cells(_as_openpyxl_writes_it(rows))


def test_the_excel_file_reads_as_a_spreadsheet_user_sees_it():
    rows = _rows()
    sheet = openpyxl.load_workbook(io.BytesIO(writers.write_xlsx(HEADERS, rows, widths=WIDTHS))).active
    assert sheet.title == "Deltagare"
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:U{len(rows) + 1}"
    assert sheet.column_dimensions["A"].width == 24  # "Genomförandereferens" and a little room
    first = dict(zip(HEADERS, sheet[2], strict=True))
    assert first["Startdatum"].is_date
    assert first["Startdatum"].number_format == "yyyy-mm-dd"
    assert first["Startdatum"].value == datetime.datetime(2026, 11, 24)
    assert first["Period"].value == 1
    assert first["Period"].data_type == "n"
    assert first["Postnummer"].value == "111 51"
    assert first["Kommunkod"].value == "0180"  # a code, as text
    values = [cell.value for row in sheet.iter_rows(min_row=2, max_col=2, min_col=2) for cell in row]
    assert '=HYPERLINK("http://x")' in values
    formula = next(cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value == '=HYPERLINK("http://x")')
    assert formula.data_type == "s"
    assert {" Anna ", "A&B <x> > y", "\r\nw", "Åsa Öberg ü ß € 😀", "x" * 32767} <= set(values)


def test_a_character_a_sheet_cannot_hold_stops_the_file_as_in_openpyxl():
    rows = _rows()
    rows[3][1] = "Nils\x01"
    with pytest.raises(IllegalCharacterError):
        writers.write_xlsx(HEADERS, rows)


def _as_the_csv_module_writes_it(rows: list[list[writers.Cell]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for values in rows:
        cells = [as_text(value) for value in values]
        writer.writerow(["'" + cell if cell.startswith(writers.FORMULA_STARTS) else cell for cell in cells])
    return ("\ufeff" + buffer.getvalue()).encode()


def test_the_text_file_is_what_the_csv_module_writes():
    rows = _rows()
    rows[5][12] = -1  # a number that reads like a formula
    content = writers.write_csv(HEADERS, rows)
    assert content == _as_the_csv_module_writes_it(rows)
    assert content.startswith(b"\xef\xbb\xbfGenomf\xc3\xb6randereferens;")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert lines[1][:3] == ["GR-0", "Anna", ""]
    assert {line[1] for line in lines[1:]} >= {"'\r\nw", "a;b", 'a"b', "'+46"}


# --- the export and its history -------------------------------------------------------------------------------


@pytest.fixture
def _tuesday():
    with time_machine.travel(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture
def reporter(world):
    return world.by_roles[frozenset({Role.REPORT})]


CHOICES = ExportChoices(decided_from=datetime.date(2026, 11, 1), decided_to=datetime.date(2026, 11, 30))


def _export(reporter, format=ExportFormat.CSV, **changes) -> ExportRun:
    choices = dataclasses.replace(CHOICES, **changes)
    return start_export(actor=Actor.for_staff_account(reporter), choices=choices, format=format)


def _csv(run: ExportRun) -> list[dict[str, str]]:
    lines = list(csv.reader(io.StringIO(bytes(run.content).decode("utf-8-sig")), delimiter=";"))
    return [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]


@pytest.mark.django_db
@pytest.mark.usefixtures("_tuesday")
def test_the_history_holds_what_each_export_held_and_the_first_time_stays(world, reporter):
    earlier = place(world.a11, given_name="Först", decided_on=datetime.date(2026, 11, 2))
    first = _export(reporter)
    earlier.refresh_from_db()
    first_time = earlier.exported_at
    assert first_time is not None
    later = place(world.a11, given_name="Sedan", decided_on=datetime.date(2026, 11, 3))
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0, tzinfo=datetime.UTC)):
        again = _export(reporter, include_exported=True)
    assert {row["Förnamn"] for row in _csv(again)} == {"Först", "Sedan"}
    history = set(ExportedPlacement.objects.values_list("export_id", "placement_id"))
    assert history == {(first.pk, earlier.pk), (again.pk, earlier.pk), (again.pk, later.pk)}
    earlier.refresh_from_db()
    later.refresh_from_db()
    assert earlier.exported_at == first_time  # the first finished export that held it
    assert later.exported_at is not None
    assert later.exported_at > first_time
    assert again.total_rows == again.processed_rows == 2


@pytest.mark.django_db
@pytest.mark.usefixtures("_tuesday")
def test_period_2_granted_is_said_on_both_periods(world, reporter):
    first = place(world.a11, given_name="Första", decided_on=datetime.date(2026, 11, 2))
    place(world.a11, given_name="Ensam", decided_on=datetime.date(2026, 11, 2))
    placement_services.record_second_period(actor=Actor.system("Af"), key="p2", first=first, decided_on=DAY)
    for format in (ExportFormat.CSV, ExportFormat.XLSX):
        run = _export(reporter, format=format, include_exported=True)
        if format == ExportFormat.CSV:
            rows = [(row["Förnamn"], row["Period"], row["Period 2 beviljad"]) for row in _csv(run)]
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(bytes(run.content))).active
            rows = [(row[1], str(row[12]), row[17]) for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert sorted(rows) == [("Ensam", "1", "Nej"), ("Första", "1", "Ja"), ("Första", "2", "Ja")]


@pytest.mark.django_db
@pytest.mark.usefixtures("_tuesday")
def test_a_long_export_saves_its_progress_as_it_goes(world, reporter, settings, monkeypatch):
    monkeypatch.setattr("faportal.exports.services.CHUNK_ROWS", 4)
    monkeypatch.setattr("faportal.exports.services.PROGRESS_SAVE_SECONDS", 0)
    settings.EXPORT_INLINE_MAX_ROWS = 0  # the worker's part, run here
    bulk_place(world.a11, 10)
    Placement.objects.filter(address=world.a11).update(decided_on=DAY)
    run = _export(reporter)
    with CaptureQueriesContext(connection) as queries:
        done = execute_export(export_id=run.pk)
    progress = 'UPDATE "exports_exportrun" SET "processed_rows" = '
    saved = [
        query["sql"][len(progress) :].split()[0]
        for query in queries.captured_queries
        if query["sql"].startswith(progress)
    ]
    assert saved == ["4", "8"]  # every 4 rows (each "a second"), not after the last
    assert done.processed_rows == done.total_rows == 10
