"""Excel (.xlsx) in and out, shared by every export and import of the portal."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from portal.text import nfc

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # A text that looks like a formula stays text: a hostile name must not run in Excel.
        cell.data_type = "s"
    return cell


def build_xlsx(sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A workbook with one sheet: bold headers, then `rows`; every string is written as text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
