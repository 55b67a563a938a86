"""Fixtures of the documents tests: the province's issuing body in both periods, with its signers."""

import datetime as dt
import io
import unicodedata

import pytest
from pypdf import PdfReader

from documents.models import IssuingProfile, Signer
from tests.awards.conftest import contents  # noqa: F401 - used by the commendation fixtures

MERGER = dt.date(2025, 7, 1)


@pytest.fixture
def bodies(tree):
    """Until 30/6/2025 the Ban Dân vận of Bình Thuận; from 1/7/2025 the Ban Tuyên giáo và Dân vận of Lâm Đồng."""
    province = tree["province"]
    old = IssuingProfile.objects.create(unit=province, party_committee="Tỉnh ủy Bình Thuận", body_name="Ban Dân vận",
                                        short_code="BDVTU", place="Bình Thuận", valid_to=MERGER - dt.timedelta(days=1))
    new = IssuingProfile.objects.create(unit=province, party_committee="Tỉnh ủy Lâm Đồng",
                                        body_name="Ban Tuyên giáo và Dân vận", short_code="BTGDVTU",
                                        place="Lâm Đồng", valid_from=MERGER)
    return {
        "old": old, "new": new,
        "old_head": Signer.objects.create(profile=old, full_name="Nguyễn Thị Ánh Tuyết", authority="Trưởng ban"),
        "new_head": Signer.objects.create(profile=new, full_name="Nguyễn Văn Hòa", authority="Trưởng ban", order=0),
        "new_deputy": Signer.objects.create(profile=new, full_name="Phạm Thị Hồng Nhung", order=1,
                                            authority="K/T Trưởng ban\nPhó Trưởng ban"),
    }


def pdf_text(content: bytes) -> str:
    """The PDF's text, NFC, with whitespace runs made single spaces (lines wrap differently)."""
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert unicodedata.is_normalized("NFC", text)
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    return " ".join(text.split())


def docx_text(content: bytes) -> tuple[str, object]:
    """The DOCX's text (paragraphs and table cells, in order) and the python-docx document."""
    from docx import Document

    document = Document(io.BytesIO(content))
    parts = []

    def walk(container):
        for block in container.iter_inner_content():
            if hasattr(block, "rows"):
                for row in block.rows:
                    for cell in row.cells:
                        walk(cell)
            else:
                parts.append(block.text)

    walk(document)
    text = " ".join(" ".join(parts).split())
    assert unicodedata.is_normalized("NFC", text)
    return text, document
