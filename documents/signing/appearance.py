"""The visible signature block: who signed, in what capacity, when — in a font that has Vietnamese.

pyHanko draws the block with an embedded (subset) TrueType font; the PDF base-14 fonts have no
Vietnamese letters, so a font that covers them is required, found on the machine or set by the
operator (DOCUMENT_SIGNING_FONT).
"""

from __future__ import annotations

import functools
import os
import tempfile
import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext

# Every letter with a Vietnamese diacritic in both cases, and the letters of the block's labels.
VIETNAMESE_LETTERS = unicodedata.normalize(
    "NFC",
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ",
)

# Times-metric serif first (the documents' own face), then faces that also cover Vietnamese.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
)

# Default place of the block on an A4 page (points from the bottom-left corner): the right half,
# above the bottom margin, where the signer's block of a Party document ends.
DEFAULT_BOX = (300, 50, 560, 130)


class NoVietnameseFont(Exception):
    """No font on the machine (or the configured one) covers every Vietnamese letter."""


def missing_letters(font_path: str | Path) -> str:
    """The Vietnamese letters the font has no glyph for ('' when it covers them all)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(font_path), lazy=True) as font:
        cmap = font.getBestCmap() or {}
    return "".join(ch for ch in VIETNAMESE_LETTERS if ord(ch) not in cmap)


@functools.lru_cache(maxsize=8)
def _find_font(configured: str) -> str:
    candidates = (configured,) if configured else FONT_CANDIDATES
    for path in candidates:
        if Path(path).is_file() and not missing_letters(path):
            return path
    if configured:
        if not Path(configured).is_file():
            raise NoVietnameseFont(f"{configured} does not exist")
        missing = missing_letters(configured)
        raise NoVietnameseFont(
            f"{configured} lacks {len(missing)} Vietnamese letters ({missing[:12]}…)"
        )
    raise NoVietnameseFont("none of " + ", ".join(FONT_CANDIDATES) + " covers Vietnamese")


def signature_font() -> str:
    """Path of the TrueType font for the signature block (DOCUMENT_SIGNING_FONT or found)."""
    return _find_font(getattr(settings, "DOCUMENT_SIGNING_FONT", "") or "")


@functools.lru_cache(maxsize=8)
def _font_at_1000_upem(path: str, mtime: float) -> str:
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    with TTFont(path) as font:
        if font["head"].unitsPerEm == 1000:
            return path
        folder = Path(tempfile.gettempdir()) / "dvk-signature-fonts"
        folder.mkdir(exist_ok=True)
        target = folder / f"{Path(path).stem}-{int(mtime)}-1000.ttf"
        if not target.exists():
            scale_upem(font, 1000)
            partial = target.with_suffix(f".{os.getpid()}.tmp")
            font.save(str(partial))
            partial.replace(target)  # atomic: two processes may do this at once
    return str(target)


def embeddable_font() -> str:
    """The signature font scaled to 1000 units per em.

    pyHanko (0.38) writes the glyph widths of an embedded TrueType font in the font's own units,
    while PDF reads them as thousandths of an em: with a 2048-unit font (Liberation, DejaVu) the
    letters of the block come out twice as far apart. A copy at 1000 units (made once, cached in
    the temp folder) makes the two agree.
    """
    path = signature_font()
    return _font_at_1000_upem(path, Path(path).stat().st_mtime)


def local_time(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


def block_text(*, signer_name: str, signer_title: str, signed_at: datetime) -> str:
    """The lines of the visible block, NFC, in the portal's time zone (the document's)."""
    when = local_time(signed_at).strftime("%H:%M:%S %d/%m/%Y")
    lines = [
        gettext("Ký số bởi: %(name)s") % {"name": signer_name},
        gettext("Chức vụ: %(title)s") % {"title": signer_title} if signer_title else "",
        gettext("Thời gian ký: %(time)s") % {"time": when},
    ]
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))


def stamp_style():
    """pyHanko's text stamp: a thin border, the text in the Vietnamese font, no background art."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    size = 9
    return TextStampStyle(
        # The text is final before signing: no %(…)s placeholders for pyHanko to fill.
        stamp_text="%(text)s",
        text_box_style=TextBoxStyle(
            # Same size for shaping and drawing, or lines after the first drift (pyHanko #733).
            font=GlyphAccumulatorFactory(embeddable_font(), font_size=size),
            font_size=size,
            leading=12,
        ),
        border_width=1,
        background=None,
    )
