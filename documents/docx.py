"""The editable DOCX of a document, made with python-docx from the same template as its PDF.

Offices edit wording before signing, so every kind renders the HTML of its PDF template and this
module lays the same blocks out in Word: the two-column header, kind and title, paragraphs, data
tables, the recipients and signature block, certificates one per page. A4 with the PDF's margins;
Times New Roman, of which Liberation Serif 2 (the PDF's font) is the metric-compatible twin, at
the sizes of Hướng dẫn 36-HD/VPTW. Charts are drawings of the tables beside them and are left out.
"""

from __future__ import annotations

import base64
import io
import re

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import html as lxml_html

from .pdf import FONT_FAMILY, document_context

FONT = "Times New Roman"
BODY_PT = 14
CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY)

# Class -> how its text looks (the CSS of templates/pdf/base.html, in Word's terms).
STYLES: dict[str, dict] = {
    "superior": {"size": 14, "upper": True, "align": CENTER},
    "issuer": {"size": 14, "bold": True, "upper": True, "align": CENTER},
    "star": {"align": CENTER},
    "number": {"size": 14, "align": CENTER},
    "party": {"size": 15, "bold": True, "upper": True, "underline": True, "align": CENTER},
    "place-date": {"size": 14, "italic": True, "align": CENTER},
    "doc-kind": {"size": 16, "bold": True, "upper": True, "align": CENTER},
    "doc-title": {"size": 14, "bold": True, "align": CENTER},
    "doc-subtitle": {"align": CENTER},
    "dash": {"align": CENTER},
    "signature": {"bold": True, "upper": True, "align": CENTER},
    "signer": {"bold": True, "align": CENTER, "space_before": 60},
    "empty": {"italic": True, "align": CENTER},
    "draft": {"bold": True, "upper": True, "align": RIGHT, "size": 12},
    "annex-head": {"bold": True, "upper": True, "align": CENTER},
    "annex-sub": {"italic": True, "align": CENTER},
    "decides": {"bold": True, "align": CENTER},
    "issuer-line": {"bold": True, "upper": True, "align": CENTER},
    "gk": {"size": 30, "bold": True, "upper": True, "align": CENTER, "space_before": 30},
    "to": {"align": CENTER},
    "name": {"size": 20, "bold": True, "align": CENTER},
    "unit": {"italic": True, "align": CENTER},
    "reason": {"align": JUSTIFY},
    "legal": {"size": 12, "italic": True, "align": CENTER},
    "code": {"size": 10, "align": CENTER},
    "small": {"size": 10, "italic": True},
}
BLOCK_TAGS = {"div", "p", "h1", "h2", "h3", "table", "ul", "ol"}


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def _style(el) -> dict:
    style: dict = {}
    for cls in _classes(el):
        style.update(STYLES.get(cls, {}))
    if el.tag == "h2":
        style.setdefault("bold", True)
    return style


def _set_cell_borders(table, *, show: bool) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        node = OxmlElement(f"w:{edge}")
        node.set(qn("w:val"), "single" if show else "nil")
        if show:
            node.set(qn("w:sz"), "4")
            node.set(qn("w:color"), "000000")
        borders.append(node)
    table._tbl.tblPr.append(borders)


class _Writer:
    def __init__(self):
        self.doc = Document()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(BODY_PT)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
        normal.paragraph_format.space_after = Pt(0)

    # --- inline -------------------------------------------------------------------------------------
    def inline(self, paragraph, el, style: dict, *, first=True) -> None:
        """Runs of `el`'s text and children into `paragraph` (bold, italic, underline, line breaks)."""
        if first and el.text:
            self.run(paragraph, el.text, style)
        for child in el:
            if child.tag == "br":
                paragraph.add_run().add_break()
            elif child.tag == "img":
                self.image(paragraph, child)
            elif child.tag in ("svg", "style", "script", "title"):
                pass
            else:
                child_style = {**style, **_style(child)}
                if child.tag in ("strong", "b", "th"):
                    child_style["bold"] = True
                if child.tag in ("em", "i"):
                    child_style["italic"] = True
                if child.tag == "u":
                    child_style["underline"] = True
                if child.tag in BLOCK_TAGS and paragraph.text:
                    paragraph.add_run().add_break()
                self.inline(paragraph, child, child_style)
            if child.tail:
                self.run(paragraph, child.tail, style)

    def run(self, paragraph, text: str, style: dict) -> None:
        text = re.sub(r"\s+", " ", text)
        if not text.strip() and not paragraph.runs:
            return
        if not paragraph.runs or paragraph.runs[-1].text.endswith("\n"):
            text = text.lstrip()
        if style.get("upper"):
            text = text.upper()
        run = paragraph.add_run(text)
        run.bold = style.get("bold") or None
        run.italic = style.get("italic") or None
        run.underline = style.get("underline") or None
        if style.get("size"):
            run.font.size = Pt(style["size"])

    def image(self, paragraph, img) -> None:
        src = img.get("src") or ""
        if src.startswith("data:image/png;base64,"):
            data = base64.b64decode(src.split(",", 1)[1])
            paragraph.add_run().add_picture(io.BytesIO(data), width=Mm(30))

    # --- blocks -------------------------------------------------------------------------------------
    def paragraph(self, container, el, inherited: dict | None = None, *, indent=False):
        style = {**(inherited or {}), **_style(el)}
        paragraph = container.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = style.get("align", JUSTIFY if el.tag == "p" else LEFT)
        if el.tag == "p":
            fmt.space_after = Pt(6)
            if indent and "plain" not in _classes(el) and style.get("align") in (None, JUSTIFY):
                fmt.first_line_indent = Mm(10)
        if el.tag == "h2":
            fmt.space_before, fmt.space_after = Pt(10), Pt(4)
        if style.get("space_before"):
            fmt.space_before = Pt(style["space_before"])
        self.inline(paragraph, el, style)
        return paragraph

    def blocks(self, container, el, inherited: dict | None = None) -> None:
        """Lay out `el`'s children as blocks of `container` (the document or a table cell)."""
        inherited = inherited or {}
        for child in el:
            if not isinstance(child.tag, str) or child.tag in ("style", "script", "title", "svg"):
                continue
            classes = _classes(child)
            if "page-break" in classes:
                self.page_break(container)
            elif child.tag == "table":
                self.table(container, child, inherited)
            elif "cert" in classes:
                self.blocks(container, child, {**inherited, **_style(child)})
                if child.getnext() is not None and "cert" in _classes(child.getnext()):
                    self.page_break(container)
            elif "chart" in classes or "charts" in classes:
                continue
            elif child.tag in ("p", "h1", "h2", "h3") or not any(
                    isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in child):
                if (child.text or "").strip() or len(child):
                    self.paragraph(container, child, inherited, indent=child.tag == "p")
            else:
                self.blocks(container, child, {**inherited, **_style(child)})

    def page_break(self, container) -> None:
        container.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def table(self, container, el, inherited: dict) -> None:
        rows = el.xpath("./thead/tr | ./tbody/tr | ./tr")
        if not rows:
            return
        width = max(len(r.xpath("./td | ./th")) for r in rows)
        data = "data" in _classes(el)
        table = container.add_table(rows=len(rows), cols=width)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _set_cell_borders(table, show=data)
        size = 10 if "sheet" in _classes(el) else 12 if data else None
        for r, row in enumerate(rows):
            for c, cell_el in enumerate(row.xpath("./td | ./th")):
                cell = table.cell(r, c)
                cell._tc.remove(cell.paragraphs[0]._p)
                style = {**inherited, **_style(cell_el)}
                if size:
                    style["size"] = size
                if cell_el.tag == "th":
                    style.update(bold=True, align=CENTER)
                elif "num" in _classes(cell_el):
                    style["align"] = RIGHT
                elif data:
                    style.setdefault("align", LEFT)
                if any(isinstance(c2.tag, str) and c2.tag in BLOCK_TAGS for c2 in cell_el):
                    if (cell_el.text or "").strip():
                        self.run(cell.add_paragraph(), cell_el.text, style)
                    self.blocks(cell, cell_el, style)
                else:
                    paragraph = cell.add_paragraph()
                    paragraph.paragraph_format.alignment = style.get("align", CENTER if not data else LEFT)
                    self.inline(paragraph, cell_el, style)
                if not cell.paragraphs:
                    cell.add_paragraph()
        container.add_paragraph()

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.core_properties.author = ""
        self.doc.save(buffer)
        return buffer.getvalue()


def html_to_docx(html: str) -> bytes:
    """A DOCX of one of the portal's document pages (templates/pdf)."""
    tree = lxml_html.document_fromstring(html)
    writer = _Writer()
    body = tree.find("body")
    writer.blocks(writer.doc, body)
    return writer.save()


def render_docx(template_name: str, context: dict) -> bytes:
    """Render a template that extends `pdf/base.html` to DOCX bytes."""
    return html_to_docx(render_to_string(template_name, {"font_family": FONT_FAMILY, **document_context(context)}))
