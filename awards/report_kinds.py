"""The awards reports, registered with the portal's report machinery (see portal/reporting.py)."""

from portal.reporting import ReportKind, register

from . import commendation_selectors as cs
from . import reports
from .commendation_workflow import may_commend_reports


def _decision_params(unit, year):
    decision = cs.latest_decision(unit, year)
    return {"decision_id": decision.pk} if decision else {"unit_id": unit.pk, "year": year}


def _round_params(unit, year):
    from .models import ReviewRound

    rnd = (ReviewRound.objects.filter(unit__path__startswith=unit.path, year=year, status=ReviewRound.Status.CLOSED)
           .order_by("unit__depth", "-quarter", "unit__path").first())
    return {"round_id": rnd.pk} if rnd else {"unit_id": unit.pk, "year": year}


def _phase_params(unit, year):
    phase = cs.phase_of(year)
    if phase is None:
        raise ValueError(f"Năm {year} không thuộc giai đoạn nào.")
    return {"unit_id": unit.pk, "phase_id": phase.pk}


def _unit_year(unit, year):
    return {"unit_id": unit.pk, "year": year}


for kind in (
    ReportKind(code="commendation-1510", label="Báo cáo khen thưởng 15/10 “Dân vận khéo”",
               build=reports.build_commendation_1510, cli_params=_unit_year, latest_year=cs.latest_year,
               allowed=may_commend_reports,
               description="Số liệu tổng hợp, mô hình và điển hình được khen thưởng theo hình thức, cấp, lý do."),
    ReportKind(code="decision", label="Quyết định khen thưởng kèm danh sách",
               build=reports.build_decision, cli_params=_decision_params, latest_year=cs.latest_year,
               allowed=may_commend_reports),
    ReportKind(code="certificates", label="Giấy khen (mỗi đối tượng một trang, có mã QR)",
               build=reports.build_certificates, cli_params=_decision_params, latest_year=cs.latest_year,
               allowed=may_commend_reports),
    ReportKind(code="quarter-sheet", label="Bảng kết quả đánh giá quý",
               build=reports.build_quarter_sheet, cli_params=_round_params, latest_year=cs.latest_year,
               allowed=may_commend_reports),
    ReportKind(code="year-summary", label="Báo cáo sơ kết năm “Dân vận khéo”",
               build=reports.build_year_summary, cli_params=_unit_year, latest_year=cs.latest_year,
               allowed=may_commend_reports),
    ReportKind(code="phase-summary", label="Báo cáo tổng kết giai đoạn “Dân vận khéo”",
               build=reports.build_phase_summary, cli_params=_phase_params, latest_year=cs.latest_year,
               allowed=may_commend_reports),
    ReportKind(code="pack-1510", label="Hồ sơ 15/10 (báo cáo, quyết định, giấy khen – ZIP)",
               build=reports.build_pack_1510, cli_params=_unit_year, latest_year=cs.latest_year,
               allowed=may_commend_reports),
):
    register(kind)
