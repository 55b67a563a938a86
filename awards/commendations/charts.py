"""Bar charts drawn on the server as SVG: the same markup on the dashboard and in the PDF.

Presentation attributes only (no `style`), so the Content Security Policy lets it through and
WeasyPrint draws it; readable without JavaScript, with a <title> for screen readers.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1f4e79", "#c0392b", "#2e7d32", "#b7791f", "#6a1b9a", "#00838f"]


def bar_chart(title: str, items: list[tuple[str, int]], *, width: int = 480, bar_height: int = 18,
              label_width: int = 190, color: str = PALETTE[0]) -> SafeString:
    """A horizontal bar chart of (label, value) pairs, values printed at the end of each bar."""
    gap = 6
    top = 22
    height = top + len(items) * (bar_height + gap) + 4
    biggest = max([v for _, v in items] + [1])
    room = width - label_width - 48
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DVK Serif, DejaVu Serif, serif" '
        f'font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" font-weight="bold" fill="#000">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_height + gap)
        length = 0 if not value else max(1, round(room * value / biggest))
        parts.append(f'<text x="{label_width - 6}" y="{y + bar_height - 5}" text-anchor="end" fill="#000">'
                     f"{escape(label)}</text>")
        parts.append(f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
                     f'fill="{PALETTE[i % len(PALETTE)] if color == "multi" else color}"/>')
        parts.append(f'<text x="{label_width + length + 4}" y="{y + bar_height - 5}" fill="#000">{value}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
