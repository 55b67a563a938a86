"""PDF rendering with WeasyPrint: Party document layout (Hướng dẫn 36-HD/VPTW), embedded Vietnamese font.

The body font is Liberation Serif 2 (metric-compatible with Times New Roman, every Vietnamese letter),
from Debian's fonts-liberation2, which `make test` installs. It is named by file, so the older
fonts-liberation (which lacks most Vietnamese letters) is never picked by mistake. DejaVu Serif, also
complete for Vietnamese, is the fallback on a machine without it.
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


@functools.cache
def font_css() -> str:
    """@font-face rules naming the Liberation Serif 2 files, or "" when they are not installed."""
    for directory in FONT_DIRS:
        if all((directory / name).exists() for name, _, _ in FACES):
            return "\n".join(
                f'@font-face {{ font-family: "DVK Serif"; src: url("{(directory / name).as_uri()}"); '
                f"font-weight: {weight}; font-style: {style}; }}"
                for name, weight, style in FACES
            )
    return ""


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
    return html_to_pdf(render_to_string(template_name, {"font_family": FONT_FAMILY, **context}))
