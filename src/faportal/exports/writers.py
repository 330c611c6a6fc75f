"""Writing an export file: Excel (.xlsx) or semicolon-separated UTF-8 text (SPEC S4.10).

Text that a spreadsheet would run as a formula (starting with =, +, -, @ or a control character) is written as
plain text: names and addresses come from outside, and a file opened in Excel must never run them (CSV injection).

Both write tens of thousands of rows in constant memory and at a few microseconds a cell (ADR 0017): the text file
through the csv module, the workbook's rows as XML of their own inside a workbook that openpyxl makes (openpyxl's
cells cost about 20 µs each).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.exceptions import IllegalCharacterError

from faportal.exports.columns import Cell, as_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)  # each is one character: a cell's first one is looked up
CSV_LINES_PER_WRITE = 500
# The control characters XML cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``, as one class: searched faster).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """Semicolon-separated, UTF-8 with a byte-order mark (so Excel reads å, ä and ö), CRLF line ends.

    The csv module's rules (minimal quoting); a row with nothing to quote is joined here, hundreds of lines to a
    write, which is what the module would write for it, at half the cost.
    """
    buffer = io.BytesIO(codecs.BOM_UTF8)  # the byte-order mark, then UTF-8 encoded as written: one copy of the file
    buffer.seek(0, io.SEEK_END)
    text = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    lines: list[str] = []
    formula_first, day = _FORMULA_FIRST, datetime.date
    for values in rows:
        # ``as_text`` and the formula check, inline for text, nothing and dates (no date starts like a formula).
        cells = [
            ("'" + value if value[:1] in formula_first else value)
            if value.__class__ is str
            else ""
            if value is None
            else value.isoformat()
            if value.__class__ is day
            else _csv_text(value)
            for value in values
        ]
        line = ";".join(cells)
        # Nothing to quote when the line has a semicolon only between cells, no quote and no line break.
        if len(cells) > 1 and line.count(";") == len(cells) - 1 and not ('"' in line or "\n" in line or "\r" in line):
            lines.append(line)
            if len(lines) == CSV_LINES_PER_WRITE:
                text.write("\r\n".join(lines) + "\r\n")
                lines.clear()
        else:  # a cell with a semicolon, a quote or a line break: quoted by the csv module
            if lines:
                text.write("\r\n".join(lines) + "\r\n")
                lines.clear()
            writer.writerow(cells)
    if lines:
        text.write("\r\n".join(lines) + "\r\n")
    text.flush()
    return buffer.getvalue()


def _csv_text(value: Cell) -> str:
    text = as_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str = "Deltagare",
    widths: Mapping[str, int] | None = None,
) -> bytes:
    """One sheet with a bold, frozen header row with filters; dates as real dates, references and codes as text.

    openpyxl makes the workbook (styles, the header row, column widths, the frozen pane, the filter); the rows are
    written as the sheet's XML by ``_SheetRows`` into a temporary file and put in the sheet when the workbook is
    saved, so memory stays that of a few hundred rows whatever their number.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for index, header in enumerate(headers, start=1):
        width = (widths or {}).get(header, 0)
        sheet.column_dimensions[get_column_letter(index)].width = max(width, 12, len(header) + 4)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        cell.style_id  # noqa: B018 (registers the bold style in the workbook first, as writing the header row would)
        header_cells.append(cell)
    # The style of a date cell ("yyyy-mm-dd", as openpyxl gives a plain date), registered in the workbook.
    date_style = WriteOnlyCell(sheet, value=datetime.date(2000, 1, 1)).style_id  # type: ignore[arg-type]
    with tempfile.TemporaryFile() as sheet_data:
        # The rows first: openpyxl's sheet is written (and its temporary file made) only once they all are.
        count = _SheetRows(sheet_data, len(headers), date_style).write(rows, first_row=2)
        sheet.append(header_cells)
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
        saved = io.BytesIO()
        workbook.save(saved)
        return _with_rows(saved, sheet.path.lstrip("/"), sheet_data)


class _SheetRows:
    """Rows as SpreadsheetML, cell for cell what openpyxl's write-only sheet writes for the same values.

    Text is an inline string (never a formula; a value that is one of Excel's error codes, such as "#N/A", is an
    error cell, as openpyxl makes it), cut at Excel's 32 767 characters, and a control character that XML cannot
    hold stops the export (``IllegalCharacterError``, as in openpyxl); numbers are ``%.16g``; a date is its serial
    number in the date style. Nothing is written for ``None``.

    A row whose text has nothing to escape, cut or check (nearly every row) is written by ``row``; any other by
    ``careful_row``, which checks each cell.
    """

    ROWS_PER_WRITE = 500

    def __init__(self, out: IO[bytes], columns: int, date_style: int) -> None:
        self.out = out
        self.letters = [get_column_letter(index) for index in range(1, columns + 1)]
        self.date_style = date_style

    def write(self, rows: Iterable[Sequence[Cell]], *, first_row: int) -> int:
        """Writes the rows from row number ``first_row`` on; returns how many there were."""
        pending: list[str] = []
        number = first_row
        for values in rows:
            pending.append(self.row(number, values))
            number += 1
            if len(pending) == self.ROWS_PER_WRITE:
                self.out.write("".join(pending).encode())
                pending.clear()
        self.out.write("".join(pending).encode())
        return number - first_row

    def row(self, number: int, values: Sequence[Cell]) -> str:
        texts = "".join([value for value in values if value.__class__ is str])
        if (
            len(texts) > 32767
            or not texts.isprintable()  # a control character, a line break, a tab …
            or "&" in texts
            or "<" in texts
            or ">" in texts
            or "#" in texts  # as in Excel's error codes
        ):
            return self.careful_row(number, values)
        r = str(number)
        cells = [f'<row r="{r}">']
        append = cells.append
        for letter, value in zip(self.letters, values):  # noqa: B905 (a short row leaves the last cells empty)
            if value is None:
                continue
            kind = value.__class__
            if kind is str:
                if not value:
                    append(f'<c r="{letter}{r}" t="inlineStr"></c>')
                elif value != value.strip():  # type: ignore[union-attr]
                    append(f'<c r="{letter}{r}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>')
                else:
                    append(f'<c r="{letter}{r}" t="inlineStr"><is><t>{value}</t></is></c>')
            elif kind is datetime.date:
                serial = value.toordinal() - _ORDINAL_1899_12_30  # type: ignore[union-attr]
                if serial <= 60:
                    return self.careful_row(number, values)
                append(f'<c r="{letter}{r}" s="{self.date_style}" t="n"><v>{serial}</v></c>')
            elif kind is int:
                append(f'<c r="{letter}{r}" t="n"><v>{_number(value)}</v></c>')  # type: ignore[arg-type]
            else:
                return self.careful_row(number, values)
        append("</row>")
        return "".join(cells)

    def careful_row(self, number: int, values: Sequence[Cell]) -> str:
        r = str(number)
        cells = [f'<row r="{r}">']
        append = cells.append
        for letter, value in zip(self.letters, values):  # noqa: B905 (a short row leaves the last cells empty)
            if value is None:
                continue
            kind = value.__class__
            if kind is not str and kind is not int and kind is not datetime.date:
                value = _plain(value)
                kind = value.__class__
            if kind is str:
                text: str = value  # type: ignore[assignment]
                if not text:
                    append(f'<c r="{letter}{r}" t="inlineStr"></c>')
                    continue
                if len(text) > 32767:
                    text = text[:32767]
                if _ILLEGAL.search(text):
                    raise IllegalCharacterError(f"Column {letter} of row {r} holds a character that XML cannot hold.")
                if text in ERROR_CODES:
                    append(f'<c r="{letter}{r}" t="e"><v>{text}</v></c>')
                    continue
                space = ' xml:space="preserve"' if text != text.strip() else ""
                text = _escape(text)
                append(f'<c r="{letter}{r}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
            elif kind is int:
                append(f'<c r="{letter}{r}" t="n"><v>{_number(value)}</v></c>')  # type: ignore[arg-type]
            else:
                append(f'<c r="{letter}{r}" s="{self.date_style}" t="n"><v>{_serial(value)}</v></c>')  # type: ignore[arg-type]
        append("</row>")
        return "".join(cells)


def _plain(value: object) -> str | int | datetime.date:
    """A value of a kind derived from text or a whole number (a choice, say) as plain text or number."""
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise TypeError(f"An export cell is text, a whole number or a date, not {type(value).__name__}")


def _number(value: float) -> str:
    return "%.16g" % value  # noqa: UP031 (openpyxl's form of a number)


_ORDINAL_1899_12_30 = datetime.date(1899, 12, 30).toordinal()


def _serial(day: datetime.date) -> str:
    """Excel's serial number of a day (1900 date system), as openpyxl writes it (``to_excel``)."""
    serial = day.toordinal() - _ORDINAL_1899_12_30
    return str(serial) if serial > 60 else _number(to_excel(day))  # before March 1900: Excel's leap day of 1900


def _escape(text: str) -> str:
    """XML text as lxml writes it: &, < and > as entities, a carriage return as a character reference."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _with_rows(saved: io.BytesIO, sheet_path: str, sheet_data: IO[bytes]) -> bytes:
    """The saved workbook with the rows in ``sheet_data`` put at the end of the sheet's ``sheetData``."""
    result = io.BytesIO()
    # Compressed as openpyxl compresses (zlib's usual level: 0.7 s for the 43 MB sheet of 40 000 rows; level 3 would
    # take 0.3 s for a file an eighth larger).
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename != sheet_path:
                target.writestr(info, part)  # as openpyxl compressed it
                continue
            head, end, tail = part.partition(b"</sheetData>")
            if not end:
                raise ValueError(f"No sheet data in {sheet_path}")
            with target.open(info.filename, "w") as out:
                out.write(head)
                sheet_data.seek(0)
                shutil.copyfileobj(sheet_data, out, 1 << 20)
                out.write(end + tail)
    return result.getvalue()
