"""Excel export of a filtered list of models (Vietnamese headers; text cells stay text).

The export streams: rows are read from a server-side cursor as plain tuples (never model
instances) and written to a constant-memory sheet spooled to a temporary file, which the response
sends in chunks; so its memory does not grow with the number of rows. An export larger than
`settings.EXPORT_MAX_ROWS` is refused before any work starts (one COUNT query).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal.xlsx import spool_xlsx

from .models import DvkModel, ModelField, RecognitionLevel, RegistrationKind, State

HEADERS = [
    "Mã", "Tên mô hình", "Đơn vị", "Giai đoạn", "Năm", "Lĩnh vực", "Hình thức", "Trạng thái",
    "Đánh giá", "Cấp công nhận", "Công khai", "Nhân rộng từ", "Người/bộ phận chủ trì",
    "Ngày bắt đầu", "Đối tượng hướng đến",
]
CHUNK_ROWS = 2000


def models_export_check(qs: QuerySet[DvkModel]) -> int:
    """The number of rows `qs` would export; refuses (ValidationError) an export over the limit."""
    limit = settings.EXPORT_MAX_ROWS
    count = qs.order_by().count()
    if count > limit:
        raise ValidationError(_(
            "Danh sách có %(count)s mô hình, vượt giới hạn %(limit)s dòng của một tệp Excel. "
            "Hãy lọc theo năm, lĩnh vực hoặc đơn vị để xuất từng phần."
        ) % {"count": number_format(count, force_grouping=True),
         "limit": number_format(limit, force_grouping=True)})
    return count


def _rows(qs: QuerySet[DvkModel]):
    # The labels are translated once, not once a row.
    fields, states, kinds, levels = (
        {value: str(label) for value, label in choices.choices}
        for choices in (ModelField, State, RegistrationKind, RecognitionLevel)
    )
    effective = {True: "Hiệu quả", False: "Chưa hiệu quả", None: ""}
    rows = qs.values_list(
        "pk", "name", "unit__name", "phase__name", "year", "field", "registration_kind", "state",
        "is_effective", "recognition_level", "is_public", "replicated_from__name", "leader_text",
        "start_date", "target_group",
    )
    for (pk, name, unit, phase, year, field, kind, state, eff, level, public, source, leader,
         start, target) in rows.iterator(chunk_size=CHUNK_ROWS):
        yield [
            pk, name, unit, phase, year, fields.get(field, field), kinds.get(kind, kind),
            states.get(state, state), effective[eff], levels.get(level, "") if level else "",
            "Có" if public else "Không", source or "", leader,
            start.strftime("%d/%m/%Y") if start else "", target,
        ]


def models_xlsx_file(qs: QuerySet[DvkModel]):
    """One row per model of `qs`, in a rewound temporary file (the caller closes it)."""
    models_export_check(qs)
    return spool_xlsx("Mô hình Dân vận khéo", HEADERS, _rows(qs))


def models_xlsx(qs: QuerySet[DvkModel]) -> bytes:
    """The same workbook as bytes (tests and small callers)."""
    with models_xlsx_file(qs) as handle:
        return handle.read()
