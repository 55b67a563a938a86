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

from awards.commendations import selectors as cs
from awards.commendations.charts import bar_chart
from awards.models import (
    AwardDecision,
    AwardForm,
    AwardLevel,
    AwardSubject,
    Occasion,
    ProposingBody,
    ReviewRound,
)
from awards.pledges import selectors
from portal.units.models import Phase, Unit

from .models import IssuingProfile, OutgoingDocument
from .pdf import render_pdf
from .reporting import BuiltReport
from .selectors import issued_entry, issuer_as_of
from .services import default_recipients

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

MOVEMENT = "phong trào thi đua “Dân vận khéo”"
NBSP = "\u00a0"


def _entry(kind: str, params: dict) -> OutgoingDocument | None:
    """The register line the document was issued under: named in the params, or the latest issued."""
    if params.get("entry_id"):
        return OutgoingDocument.objects.select_related("signer").get(pk=params["entry_id"])
    return issued_entry(kind, params)


def _draft_number(doc_type: str, code: str) -> str:
    """A draft has no number; with DOCUMENTS_DRAFT_BLANK_NUMBER, a blank to write it by hand."""
    if settings.DOCUMENTS_DRAFT_BLANK_NUMBER and doc_type:
        return f"{NBSP * 8}-{doc_type}/{code}"
    return ""


def _header(of: Unit, *, kind: str, params: dict, date: dt.date, doc_type: str, signer_title: str = "Trưởng ban",
            extra_recipients: list[str] | None = None, body: str = "leadership", **extra) -> dict:
    """Header, number, date and signature of a document about `of`: from its register line when it
    was issued, else a draft headed by the issuing body as of `date`."""
    entry = _entry(kind, params)
    if entry is not None:
        date = entry.date
    issuer = issuer_as_of(of, date, body)
    if issuer.profile is None and body != IssuingProfile.Body.LEADERSHIP:
        issuer = issuer_as_of(of, date)
    context = {**issuer.header(), "unit": of, "date": date, "entry": entry, "draft": entry is None}
    if entry is not None:
        context.update(number=entry.symbol, signer_lines=entry.authority_lines, signer_name=entry.signer_name,
                       recipients=entry.recipient_list)
    else:
        context.update(number=_draft_number(doc_type, issuer.short_code), signer_lines=[signer_title.upper()],
                       signer_name="", recipients=default_recipients(doc_type, issuer, extra_recipients))
    return {**context, **extra}


def _build(template: str, context: dict, filename: str, params: dict) -> BuiltReport:
    """The PDF, or with params["format"] == "docx" the DOCX of the same document."""
    if params.get("format") == "docx":
        from .docx import render_docx

        return BuiltReport(content=render_docx(template, context), filename=filename.rsplit(".", 1)[0] + ".docx",
                           content_type=DOCX_TYPE)
    return _pdf(template, context, filename)


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
        unit, kind="commendation-1510", params=params, date=dt.date(year, 10, 15), doc_type="BC", doc_kind="Báo cáo",
        title=f"kết quả {MOVEMENT} và khen thưởng nhân Ngày truyền thống công tác dân vận 15/10/{year}",
        subtitle=unit.name + (f" (theo cơ cấu tổ chức tại ngày 15/10/{year})" if rollup == cs.ROLLUP_THEN else ""),
        fig=fig, groups=groups, commended_total=sum(len(g["rows"]) for g in groups), charts=figure_charts(fig),
        year=year,
    )
    built = _build("pdf/commendation_1510.html", context, f"bao-cao-15-10-{year}-{unit.code}.pdf", params)
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
    """The decision's header as of its date, its number, signer and recipients (from its register line)."""
    proposal = decision.proposal
    body = IssuingProfile.Body.CELL if proposal.body == ProposingBody.UNION else IssuingProfile.Body.LEADERSHIP
    issuer = issuer_as_of(decision.unit, decision.date, body)
    if body == IssuingProfile.Body.CELL and issuer.profile is None:
        issuer = issuer_as_of(decision.unit, decision.date)
    header = issuer.header()
    lines = [line.strip().upper() for line in decision.signer_title.splitlines() if line.strip()]
    if body == IssuingProfile.Body.CELL and issuer.profile is None:
        # A Party cell without its own profile: the cell under its superior, on behalf of the cell committee.
        header["issuer"] = f"Chi bộ {decision.unit.name}"
        lines = ["T/M CHI ỦY", *lines]
    entry = getattr(decision, "register_entry", None) if decision.pk else None
    recipients = entry.recipient_list if entry is not None else ["Như Điều 3", proposal.unit.name]
    return {**header, "number": decision.number, "date": decision.date, "signer_lines": lines,
            "signer_name": decision.signer_name, "recipients": recipients, "issuer_info": issuer}


def _form_authority(subject: AwardSubject, issuer) -> list[str]:
    """Who grants the form, above the certificate's title: the provincial standing committee for
    province-level forms, else the issuing body under its Party committee."""
    if subject.level == AwardLevel.PROVINCE and issuer.party_committee:
        return [f"Ban Thường vụ {issuer.party_committee}"]
    return [line for line in (issuer.party_committee, issuer.body_name) if line]


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
        context = _header(unit, kind="decision", params=params, date=dt.date(year, 10, 15), doc_type="QĐ",
                          doc_kind="Quyết định", title=f"khen thưởng trong {MOVEMENT} năm {year}", empty=True,
                          year=year)
        return _build("pdf/decision.html", context, f"quyet-dinh-{year}-{unit.code}.pdf", params)
    proposal = decision.proposal
    subjects = list(decision.subjects.filter(status__in=[AwardSubject.Status.APPROVED, AwardSubject.Status.REVOKED])
                    .select_related("unit").order_by("certificate_no", "id"))
    forms = OrderedDict()
    for s in subjects:
        forms.setdefault(s.get_form_display(), []).append(s)
    context = {
        **_decision_header(decision), "doc_kind": "Quyết định",
        "title": f"khen thưởng tập thể, cá nhân có thành tích xuất sắc trong {MOVEMENT} {_occasion_text(proposal)}",
        "decision": decision, "proposal": proposal, "subjects": subjects,
        "forms": [(label, len(items)) for label, items in forms.items()], "draft": False,
    }
    progress(40)
    built = _build("pdf/decision.html", context, f"quyet-dinh-{decision.number.replace('/', '-')}.pdf", params)
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
        issuer = header["issuer_info"]
        subjects = decision.subjects.filter(status=AwardSubject.Status.APPROVED).select_related("unit")
        for s in subjects.order_by("certificate_no", "id"):
            pages.append({"s": s, "qr": qr_data_uri(verify_url(s.code)), "url": verify_url(s.code),
                          "title": AwardForm(s.form).label, "authority": _form_authority(s, issuer)})
        context = {**header, "decision": decision, "pages": pages, "occasion": _occasion_text(decision.proposal),
                   "title": f"Khen thưởng – {MOVEMENT}", "doc_kind": "Giấy khen", "draft": False}
        filename = f"giay-khen-{decision.number.replace('/', '-')}.pdf"
    else:
        context = _header(unit, kind="certificates", params=params, date=dt.date(year, 10, 15), doc_type="",
                          doc_kind="Giấy khen", title=f"{MOVEMENT} năm {year}", year=year)
        filename = f"giay-khen-{year}-{unit.code}.pdf"
    progress(40)
    built = _build("pdf/certificates.html", context, filename, params)
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
    context = _header(unit, kind="quarter-sheet", params=params, date=when, doc_type="BB", doc_kind="Bảng kết quả",
                      signer_title="Chủ trì", title=title, subtitle=unit.name, headers=headers, rows=rows, rnd=rnd,
                      year=year, body=IssuingProfile.Body.UNION if rnd else IssuingProfile.Body.LEADERSHIP)
    if rnd and context["draft"]:
        # The review meeting's sheet is signed by its chair on behalf of the union committee.
        context.update(signer_lines=["T/M BCH CÔNG ĐOÀN", "CHỦ TRÌ"], signer_name=rnd.chair.full_name)
    suffix = f"q{quarter}-{year}" if rnd else f"{year}"
    built = _build("pdf/quarter_sheet.html", context, f"ket-qua-quy-{suffix}-{unit.code}.pdf", params)
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
    context = _header(unit, kind="year-summary", params=params, date=dt.date(year, 12, 15), doc_type="BC",
                      doc_kind="Báo cáo", title=f"sơ kết {MOVEMENT} năm {year}", subtitle=unit.name, fig=fig, row=row, praised=praised, recognised=recognised,
                      charts=figure_charts(fig)[:3], year=year, empty=not any(
                          row[k] for k in ("total", "pledges", "praised", "commended")))
    built = _build("pdf/year_summary.html", context, f"so-ket-{year}-{unit.code}.pdf", params)
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
    context = _header(unit, kind="phase-summary", params=params, date=dt.date(phase.end_year, 12, 20), doc_type="BC",
                      doc_kind="Báo cáo", title=f"tổng kết {MOVEMENT} giai đoạn {phase.name}", subtitle=unit.name,
                      phase=phase, rows=rows, totals=totals,
                      recognised=recognised, groups=groups,
                      chart=bar_chart("Mô hình theo năm", [(str(r["year"]), r["total"]) for r in rows]),
                      empty=not any(totals.values()))
    built = _build("pdf/phase_summary.html", context,
                   f"tong-ket-{phase.start_year}-{phase.end_year}-{unit.code}.pdf", params)
    progress(95)
    return built


# --- The 15/10 pack -------------------------------------------------------------------------------

ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def build_pack_1510(params: dict, progress) -> BuiltReport:
    """The report, each of the unit's 15/10 decisions with its annex, and their certificates, as a ZIP."""
    unit = Unit.objects.get(pk=params["unit_id"])
    year = int(params["year"])
    fmt = {"format": params["format"]} if params.get("format") else {}
    files = [build_commendation_1510(params, lambda p: progress(p * 0.4))]
    # Nothing empty goes into the pack: only decisions that commend someone (still commended).
    decisions = [d for d in cs.decisions_of(unit, occasion=Occasion.DAY_1510, year=year)
                 if d.number and d.subjects.filter(status=AwardSubject.Status.APPROVED).exists()]
    for i, decision in enumerate(decisions):
        files.append(build_decision({"decision_id": decision.pk, **fmt}, lambda p: None))
        files.append(build_certificates({"decision_id": decision.pk, **fmt}, lambda p: None))
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
    context = _header(root, kind="unit-list", params=params, doc_type="DS", signer_title="Văn phòng",
                      date=dt.date.fromisoformat(params.get("date") or "2026-01-01"), doc_kind="Danh sách",
                      title=f"đơn vị tham gia phong trào thi đua “Dân vận khéo” – {root.name}", rows=rows,
                      extra_recipients=["Các đơn vị trực thuộc"])
    built = _build("pdf/unit_list.html", context, f"danh-sach-don-vi-{root.code}.pdf", params)
    progress(95)
    return built
