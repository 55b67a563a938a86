"""Every kind, both periods, by text extraction of the PDF and of the DOCX beside it."""
# ruff: noqa: F811 - fixtures are imported from commendation_fixtures

import datetime as dt
import io
import zipfile

import pytest
from django.core.management import call_command
from docx.shared import Pt

from awards.commendations import services as cs
from awards.models import AwardForm, AwardLevel, Occasion, ProposingBody
from documents import services
from documents.reporting import REGISTRY
from tests.awards.commendation_fixtures import province_leader, record  # noqa: F401
from tests.documents.conftest import docx_text, pdf_text

pytestmark = pytest.mark.django_db

PERIODS = {
    2024: dict(signer="old_head", expect=["TỈNH ỦY BÌNH THUẬN", "BAN DÂN VẬN", "Bình Thuận, ngày", "/BDVTU",
                                          "TRƯỞNG BAN", "Nguyễn Thị Ánh Tuyết"],
               absent=["LÂM ĐỒNG", "TUYÊN GIÁO"]),
    2025: dict(signer="new_deputy", expect=["TỈNH ỦY LÂM ĐỒNG", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "Lâm Đồng, ngày",
                                            "/BTGDVTU", "K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Phạm Thị Hồng Nhung"],
               absent=["BÌNH THUẬN", "TỈNH LÂM ĐỒNG"]),
}


def _params(kind, tree, year):
    if kind == "unit-list":
        return {"unit_id": tree["province"].pk, "date": f"{year}-11-20"}
    return {"unit_id": tree["province"].pk, "year": year}


@pytest.mark.parametrize("year", [2024, 2025])
@pytest.mark.parametrize("kind", ["commendation-1510", "year-summary", "quarter-sheet", "unit-list"])
def test_an_issued_document_of_every_kind_carries_the_period_header_number_and_signer(kind, year, tree, people,
                                                                                     bodies):
    period = PERIODS[year]
    date = dt.date(year, 10, 15) if kind == "commendation-1510" else dt.date(year, 11, 20)
    entry = services.document_issue(user=people["admin"], kind=kind, params=_params(kind, tree, year),
                                    unit=tree["province"], date=date, signer=bodies[period["signer"]],
                                    recipients=["Ban Dân vận Trung ương"])
    expected = [*period["expect"], f"Số {entry.symbol}", f"ngày {date.day} tháng {date.month} năm {year}",
                "Nơi nhận:", "Ban Dân vận Trung ương", "ĐẢNG CỘNG SẢN VIỆT NAM"]
    text = pdf_text(services.file_of(entry, "pdf").read_bytes())
    dtext, document = docx_text(services.file_of(entry, "docx").read_bytes())
    for name, got in (("pdf", text), ("docx", dtext)):
        for e in expected:
            assert e in got, (name, e)
        for a in period["absent"]:
            assert a not in got, (name, a)
        assert "DỰ THẢO" not in got
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (30, 15)
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert document.styles["Normal"].font.size == Pt(14)


@pytest.mark.parametrize(("date", "period"), [(dt.date(2025, 6, 20), 2024), (dt.date(2025, 10, 10), 2025)])
def test_decision_and_certificates_of_both_periods(date, period, people, record, province_leader, bodies):
    leader = people["leader"]
    proposal = cs.award_proposal_create(user=leader, body=ProposingBody.LEADERSHIP, occasion=Occasion.DAY_1510,
                                        year=2025)
    a = cs.award_subject_add(user=leader, proposal=proposal, kind="model", target_id=record["recognised"].pk,
                             form=AwardForm.CERTIFICATE, level=AwardLevel.DISTRICT)
    cs.award_proposal_submit(user=leader, proposal=proposal)
    p = PERIODS[period]
    entry = services.decision_issue(user=province_leader, proposal=proposal, outcomes={a.pk: (True, "")},
                                    date=date, signer=bodies[p["signer"]], recipients="Như Điều 3")
    for kind in ("decision", "certificates"):
        params = {"decision_id": entry.decision_id}
        text = pdf_text(REGISTRY[kind].build(params, lambda x: None).content)
        dtext, _ = docx_text(REGISTRY[kind].build({**params, "format": "docx"}, lambda x: None).content)
        for name, got in (("pdf", text), ("docx", dtext)):
            for e in p["expect"]:
                if kind == "certificates" and e in ("BAN DÂN VẬN", "BAN TUYÊN GIÁO VÀ DÂN VẬN"):
                    continue  # a certificate names the authority of its form above its title
                assert e in got, (kind, name, e)
            assert entry.symbol in got and "DỰ THẢO" not in got, (kind, name)
            if kind == "certificates":
                assert "GIẤY KHEN" in got and f"ngày {date:%d/%m/%Y}" in got, name


def test_the_1510_pack_holds_no_empty_file(people, record, province_leader, bodies, tree):
    leader = people["leader"]
    proposal = cs.award_proposal_create(user=leader, body=ProposingBody.LEADERSHIP, occasion=Occasion.DAY_1510,
                                        year=2025)
    a = cs.award_subject_add(user=leader, proposal=proposal, kind="model", target_id=record["recognised"].pk,
                             form=AwardForm.CERTIFICATE, level=AwardLevel.DISTRICT)
    cs.award_proposal_submit(user=leader, proposal=proposal)
    services.decision_issue(user=province_leader, proposal=proposal, outcomes={a.pk: (True, "")},
                            date=dt.date(2025, 10, 10), signer=bodies["new_head"], recipients="Như Điều 3")
    # A decision whose every commendation was later revoked leaves the pack.
    cs.award_subject_revoke(user=province_leader, subject=a.__class__.objects.get(pk=a.pk), reason="Sai hồ sơ.")
    built = REGISTRY["pack-1510"].build({"unit_id": tree["province"].pk, "year": 2025}, lambda x: None)
    names = zipfile.ZipFile(io.BytesIO(built.content)).namelist()
    assert names == ["bao-cao-15-10-2025-T01.pdf"]


def test_make_report_on_the_demo_data_shows_both_periods_in_pdf_and_docx(tmp_path):
    call_command("seed_demo", "--size", "small", stdout=io.StringIO())
    out = tmp_path / "r.pdf"
    call_command("make_report", "commendation-1510", "--year", "2025", "--output", str(out), stdout=io.StringIO())
    text = pdf_text(out.read_bytes())
    assert "TỈNH ỦY LÂM ĐỒNG" in text and "BAN TUYÊN GIÁO VÀ DÂN VẬN" in text
    number = text.split("Số ", 1)[1].split(" ", 1)[0]
    assert number.endswith("-BC/BTGDVTU") and not number.startswith("2025"), number
    assert "TRƯỞNG BAN Nguyễn Văn Hòa" in text and "DỰ THẢO" not in text
    call_command("make_report", "commendation-1510", "--year", "2024", "--output", str(out), stdout=io.StringIO())
    text = pdf_text(out.read_bytes())
    assert "TỈNH ỦY BÌNH THUẬN" in text and "BAN DÂN VẬN" in text and "Bình Thuận, ngày 15 tháng 10 năm 2024" in text
    assert "TỈNH ỦY LÂM ĐỒNG" not in text and "-BC/BDVTU" in text
    docx = tmp_path / "r.docx"
    call_command("make_report", "commendation-1510", "--year", "2024", "--format", "docx", "--output", str(docx),
                 stdout=io.StringIO())
    dtext, document = docx_text(docx.read_bytes())
    assert "TỈNH ỦY BÌNH THUẬN" in dtext and "Bình Thuận, ngày 15 tháng 10 năm 2024" in dtext
    assert "Nguyễn Thị Ánh Tuyết" in dtext and len(document.tables) >= 3  # header, figures, footer
