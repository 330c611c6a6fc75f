"""Writing an export file: Excel (.xlsx) or semicolon-separated UTF-8 text (SPEC S4.10).

Text that a spreadsheet would run as a formula (starting with =, +, -, @ or a control character) is written as
plain text: names and addresses come from outside, and a file opened in Excel must never run them (CSV injection).
"""

from __future__ import annotations

import csv
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
    buffer = io.BytesIO()
    text = io.TextIOWrapper(buffer, encoding="utf-8-sig", newline="")  # encoded as written: one copy of the file
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for values in rows:
        writer.writerow(["'" + cell if cell.startswith(FORMULA_STARTS) else cell for cell in map(as_text, values)])
    text.flush()
    return buffer.getvalue()


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
        # Plain values: the sheet writes them through one reused cell; only text that would run as a formula
        # needs a cell of its own, marked as text.
        sheet.append([_cell(sheet, value) if is_formula_like(value) else value for value in values])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet: object, value: Cell) -> SheetCell:
    """A text cell for text that a spreadsheet would run as a formula. (A plain date gets "yyyy-mm-dd" of itself.)"""
    cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
    cell.data_type = "s"  # text, never a formula
    return cell
