"""Builders of every document kind (PDF with WeasyPrint, made by the worker through documents.reporting).

Every builder reads only what its parameters name, dates come from the data (never "today"), so
the same request over the same data gives the same bytes. Layout: templates/pdf/*.html on the
Party document base (templates/pdf/base.html).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile
from collections import OrderedDict

from django.conf import settings
from django.urls import reverse

from awards import commendation_selectors as cs
from awards import selectors
from awards.charts import bar_chart
from awards.models import (
    AwardDecision,
    AwardForm,
    AwardLevel,
    AwardSubject,
    Occasion,
    ProposingBody,
    ReviewRound,
)
from portal.units.models import Phase, Unit
from portal.units.selectors import ancestors_of

from .pdf import render_pdf
from .reporting import BuiltReport

MOVEMENT = "phong trào thi đua “Dân vận khéo”"
PLACE_PREFIXES = ("Tỉnh ", "Thành phố ", "Huyện ", "Thị xã ", "Xã ", "Phường ")


def place_of(unit: Unit, chain: list[Unit] | None = None) -> str:
    """The place in the date line: the province the unit lies in, without its kind."""
    chain = chain or ancestors_of(unit)
    top = chain[1] if len(chain) > 1 and chain[0].name == "Toàn quốc" else chain[0]
    name = top.name
    for prefix in PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _header(of: Unit, **extra) -> dict:
    chain = ancestors_of(of)
    return {"superior": of.name, "issuer": "Ban Dân vận", "place": place_of(of, chain), "unit": of,
            "recipients": [chain[-2].name] if len(chain) > 1 else [], **extra}


def _pdf(template: str, context: dict, filename: str) -> BuiltReport:
    from pypdf import PdfReader

    content = render_pdf(template, context)
    return BuiltReport(content=content, filename=filename, pages=len(PdfReader(io.BytesIO(content)).pages))


def verify_url(code: str) -> str:
    base = (settings.PORTAL_BASE_URL or f"https://{settings.ALLOWED_HOSTS[0]}").rstrip("/")
    return base + reverse("verify:code", args=[code])


QR_BOX = 8  # pixels per module: sharp at 30 mm in print


def qr_data_uri(text: str) -> str:
    """A PNG data URI of the QR code of `text` (one module = QR_BOX pixels, a one-module margin)."""
    import qrcode

    code = qrcode.QRCode(box_size=QR_BOX, border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _grouped(subjects) -> list[dict]:
    """Commended subjects grouped by level then form, numbered within the report."""
    groups: OrderedDict = OrderedDict()
    index = 0
    for s in subjects:
        index += 1
        key = (s.level, s.form)
        group = groups.setdefault(key, {"title": f"{AwardForm(s.form).label} – {AwardLevel(s.level).label}",
                                        "rows": []})
        group["rows"].append({"index": index, "name": s.name, "kind": s.get_kind_display(), "unit": s.unit.name,
                              "reason": s.reason, "decision": s.decision.number if s.decision_id else ""})
    return list(groups.values())


# --- 1. The 15/10 report --------------------------------------------------------------------------

def figure_charts(fig: cs.Figures) -> list:
    return [
        bar_chart("Mô hình theo lĩnh vực", fig.by_field),
        bar_chart("Mô hình theo trạng thái", fig.by_state, color="#2e7d32"),
        bar_chart("Điển hình được biểu dương theo quý", fig.praised_by_quarter, color="#b7791f"),
        bar_chart("Khen thưởng theo hình thức", fig.commended_by_form, color="#c0392b"),
    ]


def build_commendation_1510(params: dict, progress) -> BuiltReport:
    unit = Unit.objects.get(pk=params["unit_id"])
    year = int(params["year"])
    rollup = params.get("rollup", cs.ROLLUP_NOW)
    fig = cs.figures_1510(unit, year, rollup=rollup)
    progress(15)
    groups = _grouped(cs.commended(unit, occasion=Occasion.DAY_1510, year=year, rollup=rollup))
    progress(35)
    context = _header(
        unit, number=f"{year}-BC/{unit.code}", date=dt.date(year, 10, 15), doc_kind="Báo cáo",
        title=f"kết quả {MOVEMENT} và khen thưởng nhân Ngày truyền thống công tác dân vận 15/10/{year}",
        subtitle=unit.name + (f" (theo cơ cấu tổ chức tại ngày 15/10/{year})" if rollup == cs.ROLLUP_THEN else ""),
        signer_title="Trưởng ban", signer_name="", fig=fig, groups=groups,
        commended_total=sum(len(g["rows"]) for g in groups), charts=figure_charts(fig), year=year,
    )
    built = _pdf("pdf/commendation_1510.html", context, f"bao-cao-15-10-{year}-{unit.code}.pdf")
    progress(95)
    return built


# --- 2. The decision, 3. the certificates ---------------------------------------------------------

def _decision_from(params: dict) -> tuple[AwardDecision | None, Unit, int]:
    decision = None
    if params.get("decision_id"):
        decision = AwardDecision.objects.select_related("proposal__unit", "proposal__phase", "unit").get(
            pk=params["decision_id"])
        return decision, decision.unit, decision.proposal.year
    return None, Unit.objects.get(pk=params["unit_id"]), int(params["year"])


def _decision_header(decision: AwardDecision) -> dict:
    proposal = decision.proposal
    chain = ancestors_of(decision.unit)
    if proposal.body == ProposingBody.UNION:
        superior = chain[-2].name if len(chain) > 1 else ""
        issuer, on_behalf = f"Chi bộ {decision.unit.name}", "Chi ủy"
    else:
        superior, issuer, on_behalf = decision.unit.name, "Ban Dân vận", ""
    return {"superior": superior, "issuer": issuer, "on_behalf": on_behalf, "place": place_of(decision.unit, chain),
            "number": decision.number, "date": decision.date, "signer_title": decision.signer_title,
            "signer_name": decision.signer_name}


def _occasion_text(proposal) -> str:
    if proposal.occasion == Occasion.DAY_1510:
        return f"nhân kỷ niệm Ngày truyền thống công tác dân vận 15/10/{proposal.year}"
    return f"tổng kết {MOVEMENT} giai đoạn {proposal.phase.name}"


def build_decision(params: dict, progress) -> BuiltReport:
    decision, unit, year = _decision_from(params)
    if decision is None:
        decision = cs.latest_decision(unit, year)
    progress(20)
    if decision is None:
        context = _header(unit, number="…", date=dt.date(year, 10, 15), doc_kind="Quyết định",
                          title=f"khen thưởng trong {MOVEMENT} năm {year}", signer_title="Trưởng ban",
                          signer_name="", empty=True, year=year)
        return _pdf("pdf/decision.html", context, f"quyet-dinh-{year}-{unit.code}.pdf")
    proposal = decision.proposal
    subjects = list(decision.subjects.select_related("unit").order_by("certificate_no", "id"))
    forms = OrderedDict()
    for s in subjects:
        forms.setdefault(s.get_form_display(), []).append(s)
    context = {
        **_decision_header(decision), "doc_kind": "Quyết định",
        "title": f"khen thưởng tập thể, cá nhân có thành tích xuất sắc trong {MOVEMENT} {_occasion_text(proposal)}",
        "decision": decision, "proposal": proposal, "subjects": subjects,
        "forms": [(label, len(items)) for label, items in forms.items()],
        "recipients": ["Như Điều 3", proposal.unit.name],
    }
    progress(40)
    built = _pdf("pdf/decision.html", context, f"quyet-dinh-{decision.number.replace('/', '-')}.pdf")
    progress(95)
    return built


def build_certificates(params: dict, progress) -> BuiltReport:
    decision, unit, year = _decision_from(params)
    if decision is None:
        decision = cs.latest_decision(unit, year)
    progress(20)
    pages = []
    if decision is not None:
        header = _decision_header(decision)
        subjects = decision.subjects.filter(status=AwardSubject.Status.APPROVED).select_related("unit")
        for s in subjects.order_by("certificate_no", "id"):
            pages.append({"s": s, "qr": qr_data_uri(verify_url(s.code)), "url": verify_url(s.code)})
        context = {**header, "decision": decision, "pages": pages, "occasion": _occasion_text(decision.proposal),
                   "title": f"Giấy khen – {MOVEMENT}", "doc_kind": "Giấy khen"}
        filename = f"giay-khen-{decision.number.replace('/', '-')}.pdf"
    else:
        context = _header(unit, number="…", date=dt.date(year, 10, 15), doc_kind="Giấy khen",
                          title=f"{MOVEMENT} năm {year}", signer_title="", signer_name="", year=year)
        filename = f"giay-khen-{year}-{unit.code}.pdf"
    progress(40)
    built = _pdf("pdf/certificates.html", context, filename)
    progress(95)
    return built


# --- 4. Quarter sheet, 5. year summary, 6. phase summary ------------------------------------------

def build_quarter_sheet(params: dict, progress) -> BuiltReport:
    rnd = None
    if params.get("round_id"):
        rnd = ReviewRound.objects.select_related("unit", "chair").get(pk=params["round_id"])
        unit, year, quarter = rnd.unit, rnd.year, rnd.quarter
    else:
        unit, year, quarter = Unit.objects.get(pk=params["unit_id"]), int(params["year"]), None
    headers, rows = selectors.result_sheet_rows(rnd) if rnd else ([], [])
    progress(40)
    when = rnd.meeting_date if rnd and rnd.meeting_date else dt.date(year, 3 * (quarter or 4), 28)
    title = (f"kết quả đánh giá quý {quarter}/{year} thực hiện {MOVEMENT}" if rnd
             else f"kết quả đánh giá quý thực hiện {MOVEMENT} năm {year}")
    context = _header(unit, number=f"{quarter or 0}-{year}-BB/{unit.code}", date=when, doc_kind="Bảng kết quả",
                      title=title, subtitle=unit.name, signer_title="Chủ trì",
                      signer_name=(rnd.chair.full_name if rnd else ""), on_behalf="BCH Công đoàn" if rnd else "",
                      headers=headers, rows=rows, rnd=rnd, year=year)
    suffix = f"q{quarter}-{year}" if rnd else f"{year}"
    built = _pdf("pdf/quarter_sheet.html", context, f"ket-qua-quy-{suffix}-{unit.code}.pdf")
    progress(95)
    return built


def build_year_summary(params: dict, progress) -> BuiltReport:
    unit = Unit.objects.get(pk=params["unit_id"])
    year = int(params["year"])
    fig = cs.figures_1510(unit, year)
    row = cs.year_row(unit, year)
    progress(20)
    praised = [{"quarter": p.round.quarter, "name": p.pledge.holder_name, "unit": p.round.unit.name,
                "reason": p.reason} for p in cs.praised_of_year(unit, year)]
    recognised = list(cs.recognised_models(unit, year, year).filter(recognition_level__gte=2))
    progress(40)
    context = _header(unit, number=f"{year}-BC/{unit.code}", date=dt.date(year, 12, 15), doc_kind="Báo cáo",
                      title=f"sơ kết {MOVEMENT} năm {year}", subtitle=unit.name, signer_title="Trưởng ban",
                      signer_name="", fig=fig, row=row, praised=praised, recognised=recognised,
                      charts=figure_charts(fig)[:3], year=year, empty=not any(
                          row[k] for k in ("total", "pledges", "praised", "commended")))
    built = _pdf("pdf/year_summary.html", context, f"so-ket-{year}-{unit.code}.pdf")
    progress(95)
    return built


def build_phase_summary(params: dict, progress) -> BuiltReport:
    unit = Unit.objects.get(pk=params["unit_id"])
    phase = Phase.objects.get(pk=params["phase_id"])
    years = list(range(phase.start_year, phase.end_year + 1))
    rows = []
    for i, year in enumerate(years):
        rows.append(cs.year_row(unit, year))
        progress(5 + 40 * (i + 1) // len(years))
    totals = {k: sum(r[k] for r in rows) for k in ("total", "running", "recognised", "replicated", "pledges",
                                                    "rounds", "praised", "commended")}
    recognised = list(cs.recognised_models(unit, phase.start_year, phase.end_year).filter(recognition_level=3))
    groups = _grouped(cs.commended(unit, occasion=Occasion.PHASE_FINAL, year=phase.end_year))
    progress(60)
    context = _header(unit, number=f"{phase.end_year}-BC/{unit.code}", date=dt.date(phase.end_year, 12, 20),
                      doc_kind="Báo cáo", title=f"tổng kết {MOVEMENT} giai đoạn {phase.name}", subtitle=unit.name,
                      signer_title="Trưởng ban", signer_name="", phase=phase, rows=rows, totals=totals,
                      recognised=recognised, groups=groups,
                      chart=bar_chart("Mô hình theo năm", [(str(r["year"]), r["total"]) for r in rows]),
                      empty=not any(totals.values()))
    built = _pdf("pdf/phase_summary.html", context, f"tong-ket-{phase.start_year}-{phase.end_year}-{unit.code}.pdf")
    progress(95)
    return built


# --- The 15/10 pack -------------------------------------------------------------------------------

ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def build_pack_1510(params: dict, progress) -> BuiltReport:
    """The report, each of the unit's 15/10 decisions with its annex, and their certificates, as a ZIP."""
    unit = Unit.objects.get(pk=params["unit_id"])
    year = int(params["year"])
    files = [build_commendation_1510(params, lambda p: progress(p * 0.4))]
    decisions = list(cs.decisions_of(unit, occasion=Occasion.DAY_1510, year=year))
    for i, decision in enumerate(decisions):
        files.append(build_decision({"decision_id": decision.pk}, lambda p: None))
        files.append(build_certificates({"decision_id": decision.pk}, lambda p: None))
        progress(40 + 55 * (i + 1) / len(decisions))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for built in files:
            info = zipfile.ZipInfo(built.filename, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, built.content)
    return BuiltReport(content=buffer.getvalue(), filename=f"ho-so-15-10-{year}-{unit.code}.zip",
                       content_type="application/zip")


# --- The foundation's own list ------------------------------------------------------------------

def build_unit_list(params: dict, progress) -> BuiltReport:
    """The active units of a subtree (as the tree stands today)."""
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
    built = _pdf("pdf/unit_list.html", {
        "superior": chain[-2].name if len(chain) > 1 else "",
        "issuer": root.name, "number": f"{len(units)}-DS/{root.code}", "place": "Việt Nam",
        "date": dt.date.fromisoformat(params.get("date") or "2026-01-01"),
        "doc_kind": "Danh sách", "title": f"đơn vị tham gia phong trào thi đua “Dân vận khéo” – {root.name}",
        "rows": rows, "recipients": ["Các đơn vị trực thuộc"], "signer_title": "Văn phòng", "signer_name": "",
    }, f"danh-sach-don-vi-{root.code}.pdf")
    progress(95)
    return built
