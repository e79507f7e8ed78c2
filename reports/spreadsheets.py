"""Spreadsheets and CSV that people open in Excel: Vietnamese headers, no formula injection, streamed.

A text starting with = + - @ (or a tab or carriage return) would be run as a formula by a spreadsheet program.
In XLSX every text cell is written with the string type, so it stays text and keeps its exact value; CSV has no
types, so such a text gets a leading apostrophe there.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import tempfile
from collections.abc import Iterable, Iterator

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024


def csv_safe(value) -> str:
    text = _plain(value)
    if isinstance(value, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def xlsx_value(value):
    """A value openpyxl writes as-is: aware datetimes become local naive ones (Excel has no time zones)."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def text_cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if bold:
        cell.font = Font(bold=True)
    return cell


def set_text(cell, value) -> None:
    """For ordinary (not write-only) worksheets."""
    cell.value = xlsx_value(value)
    if isinstance(value, str):
        cell.data_type = "s"


def _row_cells(sheet, row: Iterable) -> list:
    cells = []
    for value in row:
        value = xlsx_value(value)
        cell = text_cell(sheet, value)
        if isinstance(value, datetime.datetime):
            cell.number_format = "DD/MM/YYYY HH:MM"
        elif isinstance(value, datetime.date):
            cell.number_format = "DD/MM/YYYY"
        cells.append(cell)
    return cells


def xlsx_write(file, *, title: str, headers: list[str], rows: Iterable[Iterable]) -> None:
    """Write a write-only workbook into `file` (a binary file object); memory stays flat whatever the rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([text_cell(sheet, header, bold=True) for header in headers])
    for row in rows:
        sheet.append(_row_cells(sheet, row))
    workbook.save(file)


def xlsx_stream(*, title: str, headers: list[str], rows: Iterable[Iterable]) -> Iterator[bytes]:
    """Write a write-only workbook to a temporary file (memory stays flat), then yield it in chunks.

    Only for small workbooks: nothing is sent before the last row is written. A list of any size goes through
    a background export job (reports.services.exports)."""
    spool = tempfile.TemporaryFile()
    xlsx_write(spool, title=title, headers=headers, rows=rows)
    spool.seek(0)
    return _chunks(spool)


def _chunks(spool) -> Iterator[bytes]:
    try:
        while chunk := spool.read(CHUNK):
            yield chunk
    finally:
        spool.close()


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_write(file, *, headers: list[str], rows: Iterable[Iterable]) -> None:
    """The same bytes as csv_stream, written into `file` (a binary file object)."""
    for chunk in csv_stream(headers=headers, rows=rows):
        file.write(chunk)


def csv_stream(*, headers: list[str], rows: Iterable[Iterable]) -> Iterator[bytes]:
    """UTF-8 with a byte-order mark so that Excel reads Vietnamese correctly; one row at a time."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    yield writer.writerow([csv_safe(header) for header in headers]).encode()
    for row in rows:
        yield writer.writerow([csv_safe(value) for value in row]).encode()
