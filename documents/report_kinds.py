"""Every kind of document the portal makes, registered with the report machinery (documents/reporting.py).

Found by `autodiscover_modules("report_kinds")` like any app's own kinds.
"""

from awards.commendations import selectors as cs
from awards.commendations.workflow import may_commend_reports

from . import builders
from .reporting import ReportKind, register


def _decision_params(unit, year):
    decision = cs.latest_decision(unit, year)
    return {"decision_id": decision.pk} if decision else {"unit_id": unit.pk, "year": year}


def _round_params(unit, year):
    from awards.models import ReviewRound

    rnd = (ReviewRound.objects.filter(unit__path__startswith=unit.path, year=year, status=ReviewRound.Status.CLOSED)
           .order_by("unit__depth", "-quarter", "unit__path").first())
    return {"round_id": rnd.pk} if rnd else {"unit_id": unit.pk, "year": year}


def _phase_params(unit, year):
    phase = cs.phase_of(year)
    if phase is None:
        raise ValueError(f"Năm {year} không thuộc giai đoạn nào.")
    return {"unit_id": unit.pk, "phase_id": phase.pk}


def _active_units(params) -> int:
    from portal.units.models import Unit

    root = Unit.objects.only("path").get(pk=params["unit_id"])
    return Unit.objects.filter(path__startswith=root.path, is_active=True).count()


def _certificate_pages(params) -> int:
    from awards.models import AwardSubject

    decision_id = params.get("decision_id")
    if decision_id is None:
        return 0  # no decision yet: the latest one is found when the report is built
    return AwardSubject.objects.filter(decision_id=decision_id, status=AwardSubject.Status.APPROVED).count()


def _unit_year(unit, year):
    return {"unit_id": unit.pk, "year": year}


for kind in (
    ReportKind(code="unit-list", label="Danh sách đơn vị", build=builders.build_unit_list,
               description="Các đơn vị đang hoạt động của một cây đơn vị.",
               doc_type="DS", rows=_active_units,
               cli_params=lambda unit, year: {"unit_id": unit.pk, "date": f"{year}-10-15"}),
    ReportKind(code="commendation-1510", label="Báo cáo khen thưởng 15/10 “Dân vận khéo”",
               build=builders.build_commendation_1510, cli_params=_unit_year, latest_year=cs.latest_year,
               allowed=may_commend_reports, doc_type="BC",
               description="Số liệu tổng hợp, mô hình và điển hình được khen thưởng theo hình thức, cấp, lý do."),
    ReportKind(code="decision", label="Quyết định khen thưởng kèm danh sách",
               build=builders.build_decision, cli_params=_decision_params, latest_year=cs.latest_year,
               allowed=may_commend_reports, doc_type="QĐ"),
    ReportKind(code="certificates", label="Giấy khen (mỗi đối tượng một trang, có mã QR)",
               build=builders.build_certificates, cli_params=_decision_params, latest_year=cs.latest_year,
               allowed=may_commend_reports, rows=_certificate_pages),
    ReportKind(code="quarter-sheet", label="Bảng kết quả đánh giá quý",
               build=builders.build_quarter_sheet, cli_params=_round_params, latest_year=cs.latest_year,
               allowed=may_commend_reports, doc_type="BB"),
    ReportKind(code="year-summary", label="Báo cáo sơ kết năm “Dân vận khéo”",
               build=builders.build_year_summary, cli_params=_unit_year, latest_year=cs.latest_year,
               allowed=may_commend_reports, doc_type="BC"),
    ReportKind(code="phase-summary", label="Báo cáo tổng kết giai đoạn “Dân vận khéo”",
               build=builders.build_phase_summary, cli_params=_phase_params, latest_year=cs.latest_year,
               allowed=may_commend_reports, doc_type="BC"),
    ReportKind(code="pack-1510", label="Hồ sơ 15/10 (báo cáo, quyết định, giấy khen – ZIP)",
               build=builders.build_pack_1510, cli_params=_unit_year, latest_year=cs.latest_year,
               allowed=may_commend_reports),
):
    register(kind)
