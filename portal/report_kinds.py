"""The foundation's own report: the list of units of a subtree (as the tree stands today)."""

import datetime as dt

from portal.pdf import render_pdf
from portal.reporting import BuiltReport, ReportKind, register
from portal.units.models import Unit
from portal.units.selectors import ancestors_of


def build_unit_list(params: dict, progress) -> BuiltReport:
    root = Unit.objects.select_related("kind").get(pk=params["unit_id"])
    units = list(
        Unit.objects.filter(path__startswith=root.path, is_active=True).select_related("kind").order_by("path")
    )
    progress(10)
    rows = []
    for index, unit in enumerate(units, start=1):
        rows.append({"index": index, "indent": "· " * (unit.depth - root.depth), "name": unit.name,
                     "code": unit.code, "kind": unit.kind.name})
    progress(30)
    chain = ancestors_of(root)
    pdf = render_pdf("pdf/unit_list.html", {
        "superior": chain[-2].name if len(chain) > 1 else "",
        "issuer": root.name, "number": f"{len(units)}-DS/{root.code}", "place": "Việt Nam",
        "date": dt.date.fromisoformat(params.get("date") or "2026-01-01"),
        "doc_kind": "Danh sách", "title": f"đơn vị tham gia phong trào thi đua “Dân vận khéo” – {root.name}",
        "rows": rows, "recipients": ["Các đơn vị trực thuộc"], "signer_title": "Văn phòng", "signer_name": "",
    })
    progress(95)
    return BuiltReport(content=pdf, filename=f"danh-sach-don-vi-{root.code}.pdf")


register(ReportKind(
    code="unit-list",
    label="Danh sách đơn vị",
    build=build_unit_list,
    description="Các đơn vị đang hoạt động của một cây đơn vị.",
    cli_params=lambda unit, year: {"unit_id": unit.pk, "date": f"{year}-10-15"},
))
