"""The hostile-input corpus and a stdlib HTML form parser for the generic form fuzzing."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser

SCRIPT_MARK = '<script>alert("dvk-xss")</script>'
HTML_MARK = '<img src=x onerror=alert("dvk-img")>'
# What must never appear unescaped in an HTML page.
UNESCAPED_MARKERS = ('<script>alert("dvk-xss")', '<img src=x onerror=alert("dvk-img")')

NFD_TEXT = unicodedata.normalize("NFD", "Dân vận khéo Hàm Thuận Bắc – Tuy Phong")
LONG_TEXT = ("Dân vận khéo " * 800)[:10_000]

# Every category is sent through every form; one string per category per form (rotating).
CORPUS: dict[str, list[str]] = {
    "script": [SCRIPT_MARK, f'"><{SCRIPT_MARK[1:]}', f"Mô hình {SCRIPT_MARK}"],
    "html": [f"<b>đậm</b>{HTML_MARK}", '<a href="javascript:alert(1)">bấm</a>', "</textarea><h1>x</h1>"],
    "sql": ["' OR 1=1 --", '"; DROP TABLE units_unit; --', "1; SELECT pg_sleep(0)--", "%' AND '%'='"],
    "long": [LONG_TEXT],
    "combining": ["Da\u0302\u0300n va\u0323\u0302n khe\u0301o", "a" + "\u0301" * 60 + "z"],
    "rtl": ["\u202egnp.exe.pdf", "Tên \u202eđảo ngược\u202c hết"],
    "nul": ["Tên\x00có NUL", "\x00"],
    "emoji": ["Mô hình 🌾🇻🇳👩🏽‍🌾", "😀" * 50],
    "nfd": [NFD_TEXT],
    "wrong_type": ["abc", "31/02/2025", "2025-02-31", "-1", "9" * 40, "1e309", "NaN", "0x1F"],
}

SKIP_INPUT_TYPES = {"submit", "button", "reset", "image", "file"}


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)
    multipart: bool = False

    def signature(self) -> tuple:
        return (self.action, self.method, tuple(sorted(f.name for f in self.fields)))


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(action=a.get("action") or "", method=(a.get("method") or "get").lower(),
                              multipart="multipart" in (a.get("enctype") or ""))
            self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in SKIP_INPUT_TYPES:
                return
            self._form.fields.append(Field(a["name"], kind, a.get("value") or "", checked="checked" in a))
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "select":
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            pass

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data


class _OptionParser(HTMLParser):
    """Options of each select, by select name (a second pass keeps FormParser simple)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.options: dict[str, list[str]] = {}
        self._name = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self._name = a.get("name")
            self.options.setdefault(self._name, [])
        elif tag == "option" and self._name is not None and a.get("value"):
            self.options[self._name].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._name = None


def parse_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    options = _OptionParser()
    options.feed(html)
    for form in parser.forms:
        for f in form.fields:
            if f.kind == "select":
                f.options = options.options.get(f.name, [])
    return parser.forms


HIDDEN_KEPT = {"csrfmiddlewaretoken", "version", "next", "kept_uploads"}


def fill(form: Form, text: str, *, hostile_select: bool) -> dict:
    """The form's data with every fillable field set to `text` (hidden csrf/version kept as given)."""
    data: dict[str, list[str]] = {}
    for f in form.fields:
        if f.kind == "hidden":
            if f.name in HIDDEN_KEPT or f.name.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS",
                                                         "MAX_NUM_FORMS")):
                data.setdefault(f.name, []).append(f.value)
            else:
                data.setdefault(f.name, []).append(text)
        elif f.kind in ("checkbox", "radio"):
            if f.kind == "radio" and f.name in data:
                continue
            data.setdefault(f.name, []).append(f.value or "on")
        elif f.kind == "select":
            if hostile_select or not f.options:
                data.setdefault(f.name, []).append(text)
            else:
                data.setdefault(f.name, []).append(f.options[-1])
        else:
            data.setdefault(f.name, []).append(text)
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}
