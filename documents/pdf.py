"""PDF rendering with WeasyPrint: Party document layout (Hướng dẫn 36-HD/VPTW), embedded Vietnamese font.

The body font is Liberation Serif 2 (metric-compatible with Times New Roman, every Vietnamese letter),
from Debian's fonts-liberation2, which `make run` and `make test` install (scripts/services.sh fonts).
It is named by file and its version is read from the file, so the older fonts-liberation (v1, same
family name, lacks most Vietnamese letters) is never taken for it. DejaVu Serif, also complete for
Vietnamese, is the fallback on a machine without it; `/healthz` and `manage.py check` say so.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

FONT_DIRS = [Path("/usr/share/fonts/truetype/liberation2")]
FACES = [
    ("LiberationSerif-Regular.ttf", "normal", "normal"),
    ("LiberationSerif-Bold.ttf", "bold", "normal"),
    ("LiberationSerif-Italic.ttf", "normal", "italic"),
    ("LiberationSerif-BoldItalic.ttf", "bold", "italic"),
]
FONT_FAMILY = '"DVK Serif", "DejaVu Serif", serif'


FALLBACK_FONT = "DejaVu Serif"
MIN_VERSION = 2.0


@functools.cache
def font_version(path: Path) -> float:
    """The font revision recorded in the file's `head` table (Liberation Serif 2.1.3 -> 2.1)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return round(float(font["head"].fontRevision), 2)


@functools.cache
def font_dir() -> Path | None:
    """The directory holding all four Liberation Serif 2 faces (version 2 or later), or None."""
    for directory in FONT_DIRS:
        if all((directory / name).exists() for name, _, _ in FACES):
            try:
                if font_version(directory / FACES[0][0]) >= MIN_VERSION:
                    return directory
            except Exception:  # noqa: BLE001 - an unreadable file is no font
                continue
    return None


def font_status() -> dict:
    """Which serif the PDF reports use: {"ok", "font", "file"/"fallback", "message"} for health and checks."""
    directory = font_dir()
    if directory is not None:
        path = directory / FACES[0][0]
        return {"ok": True, "font": f"Liberation Serif {font_version(path)}", "file": str(path)}
    return {"ok": False, "font": FALLBACK_FONT, "fallback": True,
            "message": "Liberation Serif 2 (fonts-liberation2) is not installed: PDF reports fall back to "
                       "DejaVu Serif (wider, different line breaks). Run `scripts/services.sh fonts`."}


@functools.cache
def font_css() -> str:
    """@font-face rules naming the Liberation Serif 2 files, or "" when they are not installed."""
    directory = font_dir()
    if directory is None:
        return ""
    return "\n".join(
        f'@font-face {{ font-family: "DVK Serif"; src: url("{(directory / name).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in FACES
    )


def html_to_pdf(html: str) -> bytes:
    """Render an HTML document to PDF bytes (deterministic for the same HTML)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheets = [CSS(string=font_css(), font_config=font_config)] if font_css() else []
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(stylesheets=stylesheets, font_config=font_config)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template that extends `pdf/base.html` to PDF bytes."""
    return html_to_pdf(render_to_string(template_name, {"font_family": FONT_FAMILY, **document_context(context)}))


HEADER_LINE_CHARS = 22  # what fits in the header's left column at 14 pt bold capitals


def balanced_lines(text: str, width: int = HEADER_LINE_CHARS) -> list[str]:
    """A header name too long for one line, broken at the space nearest its middle, as offices set
    it ("BAN TUYÊN GIÁO / VÀ DÂN VẬN"), never leaving one word alone on the second line."""
    text = " ".join((text or "").split())
    if len(text) <= width or " " not in text:
        return [text] if text else []
    middle = len(text) / 2
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return [text[:cut], text[cut + 1:]]


def document_context(context: dict) -> dict:
    """Fill what templates read: the header names as balanced lines, the signature block as lines."""
    context = {**context, "superior_lines": balanced_lines(context.get("superior", "")),
               "issuer_lines": balanced_lines(context.get("issuer", ""))}
    if "signer_lines" not in context:
        title = context.get("signer_title", "")
        lines = [f"T/M {context['on_behalf']}"] if context.get("on_behalf") else []
        context = {**context, "signer_lines": [line.upper() for line in (*lines, title) if line]}
    return context
