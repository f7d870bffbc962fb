"""The one xlsx writer of the platform: every export (and template) is built by workbook_bytes().

Every string cell is written as text (OWASP "CSV/formula injection"): its data type is set to string explicitly (a
shared string, never a formula <f>), and a value a spreadsheet would read as a formula (starting with = + - @ tab
CR) also gets Excel's quote prefix, so `=HYPERLINK(...)` in a studio name shows as typed, stays text when the cell is
edited, and never runs. Numbers stay numbers.
"""

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .safetext import strip_bidi_controls

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell_text(value: str) -> str:
    """A user-supplied string without bidi overrides and without the control characters xlsx cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", strip_bidi_controls(value))


def _write_row(sheet, row_index, values):
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row_index, column=column)
        if isinstance(value, str):
            cell.value = safe_cell_text(value)
            cell.data_type = TYPE_STRING  # never 'f' (formula), whatever the text
            if cell.value.startswith(FORMULA_TRIGGERS):
                cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
        else:
            cell.value = value


def workbook_bytes(title, header, rows, sheet_name="数据"):
    """One sheet named in Chinese (Excel showed the tab as 'Sheet1'): a title row, a bold header, the rows; columns
    sized for Chinese text. Every string is written as text (see the module docstring)."""
    book = Workbook()
    sheet = book.active
    sheet.title = safe_cell_text(sheet_name).lstrip("'")[:31] or "数据"
    _write_row(sheet, 1, [title])
    sheet["A1"].font = Font(bold=True, size=14)
    _write_row(sheet, 2, header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for offset, row in enumerate(rows):
        _write_row(sheet, 3 + offset, row)
    for index, name in enumerate(header, start=1):
        width = max([len(str(name))] + [len(str(r[index - 1])) for r in rows]) * 2 + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 60)
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
