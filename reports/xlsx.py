"""The one xlsx writer of the platform: every export is built by workbook_bytes(), every import template by
import_template(); import sheets are read back through read_import(), cell_text() and header_mismatch().

Every string cell is written as text (OWASP "CSV/formula injection"): its data type is set to string explicitly (a
shared string, never a formula <f>), and a value a spreadsheet would read as a formula (starting with = + - @ tab
CR) also gets Excel's quote prefix, so `=HYPERLINK(...)` in a studio name shows as typed, stays text when the cell is
edited, and never runs. Numbers stay numbers.
"""

import io
import zipfile
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

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


# --- Import sheets (教职工名册, 历史工作室登记): the template people fill in, and reading it back safely -----------------

SHEET_UNREADABLE = "无法读取该 Excel 文件，请使用下载的模板（.xlsx）。"
SHEET_UNSAFE = "该 Excel 文件含有不允许的 XML 内容（如 DTD 或实体声明），已拒绝导入。请使用下载的模板重新填写后上传。"
_UNREADABLE_ERRORS = (InvalidFileException, OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile)


def import_template(sheet_name, columns, notes, *, width, trailing_rows=()):
    """An import template: the header row of `columns` ((header, key, required) triples) on `sheet_name`, and a
    「填写说明」 sheet with one row per column (必填/选填 and its note), then `trailing_rows`. Fixed text only."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name
    _write_row(sheet, 1, [header for header, _, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index in range(1, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    help_sheet = book.create_sheet("填写说明")
    help_rows = [["列", "是否必填", "说明"]]
    help_rows += [[header, "必填" if required else "选填", notes.get(header, "")] for header, _, required in columns]
    for offset, row in enumerate([*help_rows, *trailing_rows], start=1):
        _write_row(help_sheet, offset, row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def cell_text(value) -> str:
    """A cell of an import sheet as trimmed printable text (Excel's 1001.0 for a typed number reads 1001)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "".join(ch for ch in str(value) if ch.isprintable()).strip()


def header_mismatch(first_row, columns):
    """The Chinese error when the sheet's first row is not the template's header, else None."""
    expected = [header for header, _, _ in columns]
    if [cell_text(v) for v in first_row][: len(expected)] != expected:
        return f"表头与模板不一致：第1行应依次为 {'、'.join(expected)}。请使用下载的模板。"
    return None


def read_import(read, fileobj):
    """read(fileobj) → (rows, errors), with a workbook openpyxl cannot read, or one carrying a DTD or entities (refused
    by defusedxml, which openpyxl uses when installed), answered as one Chinese error instead of an exception."""
    try:
        return read(fileobj)
    except (DefusedXmlException, ParseError):
        return [], [SHEET_UNSAFE]
    except _UNREADABLE_ERRORS:
        return [], [SHEET_UNREADABLE]
