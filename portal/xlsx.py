"""Excel (.xlsx) in and out, shared by every export and import of the portal."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

import xlsxwriter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from portal.text import nfc

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_xlsx(target, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write a workbook with one sheet to the file object `target`: bold headers, then `rows`.

    Every string is written as text, never as a formula, a number or a link: a hostile name must not
    run in Excel. The sheet is written by XlsxWriter in constant-memory mode (each row goes to a
    temporary file once the next one starts, strings are inline), so memory stays flat however many
    rows `rows` yields; XlsxWriter writes about twice as fast as openpyxl's write-only sheet.
    """
    workbook = xlsxwriter.Workbook(target, {
        "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
        "strings_to_urls": False, "remove_timezone": True,
    })
    sheet = workbook.add_worksheet(sheet_title[:31])
    bold = workbook.add_format({"bold": True})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    moment = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    for column, header in enumerate(headers):
        sheet.write_string(0, column, str(header), bold)
    write_string, write_number = sheet.write_string, sheet.write_number
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                write_string(number, column, value)
            elif isinstance(value, bool):
                sheet.write_boolean(number, column, value)
            elif isinstance(value, int | float):
                write_number(number, column, value)
            elif isinstance(value, Decimal):
                write_number(number, column, float(value))
            elif isinstance(value, dt.datetime):
                sheet.write_datetime(number, column, value, moment)
            elif isinstance(value, dt.date):
                sheet.write_datetime(number, column, value, day)
            else:  # a lazy translation and the like
                write_string(number, column, str(value))
    workbook.close()


def build_xlsx(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """The workbook of `write_xlsx` as bytes: for the small exports (users, units, a round)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, sheet_title, headers, rows)
    return buffer.getvalue()


def spool_xlsx(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]):
    """The workbook of `write_xlsx` in an anonymous temporary file, rewound: for large exports,
    whose file must not be held in memory (hand it to `xlsx_file_response`)."""
    target = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        write_xlsx(target, sheet_title, headers, rows)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_file_response(fileobj, filename: str) -> FileResponse:
    """Stream a workbook file in chunks; the response closes (and so deletes) the file."""
    return FileResponse(fileobj, as_attachment=True, filename=filename, content_type=XLSX_MIME)


def read_xlsx(upload, expected_headers: Sequence[str]) -> list[tuple[int, dict]]:
    """Read the first sheet of an uploaded .xlsx into (row number, {header: value}) pairs.

    Refuses a file that is too large, is not an .xlsx workbook (checked by content), or lacks a
    column; blank rows are skipped; text is NFC.
    """
    size_limit = settings.IMPORT_MAX_BYTES
    if upload.size > size_limit:
        raise ValidationError(
            _("Tệp quá lớn (%(size).1f MB); tối đa %(limit).0f MB.") % {"size": upload.size / 1_048_576, "limit": size_limit / 1_048_576}
        )
    data = upload.read()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(_("Tệp không phải bảng tính Excel (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                raise ValidationError(_("Tệp không phải bảng tính Excel (.xlsx)."))
            # A zip bomb: refuse when the content would expand far beyond the limit.
            if sum(info.file_size for info in archive.infolist()) > 20 * size_limit:
                raise ValidationError(_("Tệp Excel giải nén ra quá lớn."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValidationError(_("Không đọc được tệp Excel: tệp bị hỏng hoặc sai định dạng.")) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header_row = next(rows)
    except StopIteration as exc:
        raise ValidationError(_("Tệp Excel trống.")) from exc
    headers = [nfc(str(h)).strip() if h is not None else "" for h in header_row]
    missing = [h for h in expected_headers if h not in headers]
    if missing:
        raise ValidationError(_("Thiếu cột: ") + ", ".join(missing) + ".")
    result = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        record = {}
        for header, value in zip(headers, values, strict=False):
            if not header:
                continue
            if isinstance(value, str):
                value = nfc(value).strip()
            elif isinstance(value, dt.datetime):
                value = value.date()
            record[header] = value
        result.append((number, record))
    workbook.close()
    return result
