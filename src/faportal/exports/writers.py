"""Writing an export file: Excel (.xlsx) or semicolon-separated UTF-8 text (SPEC S4.10).

Text that a spreadsheet would run as a formula (starting with =, +, -, @ or a control character) is written as
plain text: names and addresses come from outside, and a file opened in Excel must never run them (CSV injection).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from faportal.exports.columns import Cell, as_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """Semicolon-separated, UTF-8 with a byte-order mark (so Excel reads å, ä and ö), CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for values in rows:
        writer.writerow(["'" + text if is_formula_like(text) else text for text in map(as_text, values)])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str = "Deltagare",
    widths: Mapping[str, int] | None = None,
) -> bytes:
    """One sheet with a bold, frozen header row with filters; dates as real dates, references and codes as text."""
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
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for values in rows:
        sheet.append([_cell(sheet, value) for value in values])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet: object, value: Cell) -> SheetCell:
    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
    if isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    elif is_formula_like(value):
        cell.data_type = "s"  # text, never a formula
    return cell
