"""Excel export of a filtered list of models (Vietnamese headers; text cells stay text)."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.xlsx import build_xlsx

from .models import DvkModel, ModelField, RecognitionLevel, RegistrationKind, State

HEADERS = [
    "Mã", "Tên mô hình", "Đơn vị", "Giai đoạn", "Năm", "Lĩnh vực", "Hình thức", "Trạng thái",
    "Đánh giá", "Cấp công nhận", "Công khai", "Nhân rộng từ", "Người/bộ phận chủ trì",
    "Ngày bắt đầu", "Đối tượng hướng đến",
]


def models_xlsx(qs: QuerySet[DvkModel]) -> bytes:
    """One row per model of `qs`, read in chunks so a large export stays within memory."""
    fields, states = dict(ModelField.choices), dict(State.choices)
    kinds, levels = dict(RegistrationKind.choices), dict(RecognitionLevel.choices)
    effective = {True: "Hiệu quả", False: "Chưa hiệu quả", None: ""}
    rows = qs.values_list(
        "pk", "name", "unit__name", "phase__name", "year", "field", "registration_kind", "state",
        "is_effective", "recognition_level", "is_public", "replicated_from__name", "leader_text",
        "start_date", "target_group",
    )

    def generate():
        for (pk, name, unit, phase, year, field, kind, state, eff, level, public, source, leader,
             start, target) in rows.iterator(chunk_size=2000):
            yield [
                pk, name, unit, phase, year, str(fields.get(field, field)), str(kinds.get(kind, kind)),
                str(states.get(state, state)), effective[eff], str(levels.get(level, "")) if level else "",
                "Có" if public else "Không", source or "", leader,
                start.strftime("%d/%m/%Y") if start else "", target,
            ]

    return build_xlsx("Mô hình Dân vận khéo", HEADERS, generate())
