"""Hostile inputs, generated from Unicode categories, and a stdlib HTML form parser with
field-appropriate valid values, for the generic form and URL fuzzing.

The values are not a fixed list: `pool(rng)` draws, with a seeded random generator (HOSTILE_SEED,
printed by the tests), from every code point of the categories that broke the portal before —
other-number and non-ASCII decimal digits (`"²".isdigit()` is true, `int("²")` fails), control
characters (NUL included), format characters (right-to-left override, zero-width joiner),
combining marks — and builds overlong and very large numbers, far dates, long, decomposed and
markup-carrying text around them.
"""

from __future__ import annotations

import functools
import json
import os
import random
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

SCRIPT_MARK = '<script>alert("dvk-xss")</script>'
HTML_MARK = '<img src=x onerror=alert("dvk-img")>'
# What must never appear unescaped in an HTML page.
UNESCAPED_MARKERS = ('<script>alert("dvk-xss")', '<img src=x onerror=alert("dvk-img")')

NFD_TEXT = unicodedata.normalize("NFD", "Dân vận khéo Hàm Thuận Bắc – Tuy Phong")
LONG_TEXT = ("Dân vận khéo " * 800)[:10_000]

SEED = int(os.environ.get("HOSTILE_SEED", "20251015"))


@functools.cache
def code_points(*categories: str) -> tuple[str, ...]:
    """Every code point of the given Unicode general categories (surrogates aside)."""
    return tuple(ch for ch in map(chr, range(sys.maxunicode + 1))
                 if unicodedata.category(ch) in categories and not 0xD800 <= ord(ch) <= 0xDFFF)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(code_points("Nd", "No", "Nl")) for _ in range(n))


def pool(rng: random.Random) -> dict[str, list[str]]:
    """One draw of hostile text values, by category (a few values each)."""
    controls = code_points("Cc")
    formats = code_points("Cf")
    marks = code_points("Mn")
    return {
        "script": [SCRIPT_MARK, f'"><{SCRIPT_MARK[1:]}', f"Mô hình {SCRIPT_MARK}"],
        "html": [f"<b>đậm</b>{HTML_MARK}", '<a href="javascript:alert(1)">bấm</a>', "</textarea><h1>x</h1>"],
        "sql": ["' OR 1=1 --", '"; DROP TABLE units_unit; --', "%' AND '%'='"],
        "long": [LONG_TEXT],
        "digits": [_digits(rng, 1), _digits(rng, 3), "1" + _digits(rng, 1)],
        "control": ["\x00", f"Tên{rng.choice(controls)}có{rng.choice(controls)}", f"a\x00{rng.choice(controls)}"],
        "format": [f"Tên {rng.choice(formats)}đảo{rng.choice(formats)}", "\u202egnp.exe.pdf"],
        "combining": ["Da\u0302\u0300n va\u0323\u0302n", "a" + "".join(rng.choice(marks) for _ in range(60))],
        "emoji": ["Mô hình 🌾🇻🇳👩🏽‍🌾", "😀" * 50],
        "nfd": [NFD_TEXT],
        "number": ["-1", "0", "9" * 40, str(2**63), str(2**63 - 1), "-" + str(2**63), "1e309", "NaN", "-0",
                   "0x1F", "1,5", str(rng.randrange(10**12, 10**18))],
        "date": ["0001-01-01", "9999-12-31", "10000-01-01", "2025-02-31", "31/02/2025", "-2025-01-01",
                 f"{rng.randrange(2101, 9999)}-01-01"],
    }


def url_values(rng: random.Random) -> list[str]:
    """Hostile URL path segments, already percent-encoded as a client would send them."""
    from urllib.parse import quote

    raw = [rng.choice(code_points("No")), _digits(rng, 2), "\x00", rng.choice(code_points("Cc")),
           rng.choice(code_points("Cf")), SCRIPT_MARK, NFD_TEXT, "a" * 3000, "..", "-1", "0", "00",
           "9" * 40, str(2**63), str(2**63 - 1), "0001-01-01", "10000-01-01"]
    values = [quote(v, safe="") for v in raw]
    # Bytes that are not UTF-8 (they reach Django as surrogate-escaped or re-percent-encoded text),
    # and an encoded surrogate.
    values += ["%FF%FE", "%ED%A0%80", "%C0%AF", "abc%80"]
    return values


SKIP_INPUT_TYPES = {"submit", "button", "reset", "image"}


@dataclass
class Field:
    name: str
    kind: str  # input type, "textarea" or "select"
    value: str = ""
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    checked: bool = False
    multiple: bool = False
    required: bool = False
    attrs: dict = field(default_factory=dict)

    @property
    def text_like(self) -> bool:
        return self.kind in ("text", "textarea", "search", "email", "url", "tel", "password")


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)
    multipart: bool = False

    def signature(self, url: str) -> tuple:
        """What makes a form distinct: where it posts (resolved against its page) and its fields."""
        from urllib.parse import urljoin

        return (urljoin(url, self.action) if self.action else url, self.method,
                tuple(sorted(f.name for f in self.fields)))

    @property
    def attackable(self) -> list[Field]:
        return [f for f in self.fields if f.kind not in ("hidden", "checkbox", "radio", "file")]


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
        if tag == "option" and self._select is not None:
            value = a.get("value")
            if value is not None:
                if value:
                    self._select.options.append(value)
                if "selected" in a:
                    self._select.selected.append(value)
            return
        if self._form is None or not a.get("name") or "disabled" in a:
            return
        required = "required" in a
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in SKIP_INPUT_TYPES:
                return
            self._form.fields.append(Field(a["name"], kind, a.get("value") or "", checked="checked" in a,
                                           required=required, attrs=a))
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea", required=required, attrs=a)
            self._form.fields.append(self._textarea)
        elif tag == "select":
            self._select = Field(a["name"], "select", multiple="multiple" in a, required=required, attrs=a)
            self._form.fields.append(self._select)

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


def parse_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        for f in form.fields:
            if f.kind == "textarea" and f.value.startswith("\n"):
                f.value = f.value[1:]
    return parser.forms


KEEP_HIDDEN = True
VALID_PASSWORD = "Dvk#Thu-nghiem-2025!"


def unit_picker(get):
    """What a person picks in a searchable unit picker (its options come from a JSON endpoint, not
    the page): the first unit the picker offers them for an empty search, the top of their subtree.
    `get(url, params)` sends the request as that person."""

    def pick(f: Field) -> list[str]:
        response = get(f.attrs["data-unit-picker"], {"q": ""})
        return [str(unit["id"]) for unit in json.loads(response.content)["results"][:1]]

    return pick


def valid_value(f: Field, rng: random.Random, picker=None) -> list[str]:
    """A value a careful person would type into `f` (its current value when it has one)."""
    if f.kind == "select" and picker is not None and "data-unit-picker" in f.attrs and \
            not (f.selected and any(f.selected)):
        return picker(f)
    if f.kind == "hidden":
        return [f.value]
    if f.kind in ("checkbox", "radio"):
        return [f.value or "on"] if (f.checked or f.required) else []
    name = f.name.lower()
    if "year" in name and not f.value and not (f.selected and any(f.selected)) and \
            f.kind in ("select", "number", "text") and (f.kind != "select" or "2025" in f.options):
        return ["2025"]  # an empty year field: a year of the test phase (2021–2025)
    if f.kind == "select":
        if f.selected and any(f.selected):
            return [v for v in f.selected if v] if f.multiple else [f.selected[0]]
        return [f.options[0]] if f.options else [""]
    if f.kind == "file":
        return []
    if f.value and f.kind != "password":
        return [f.value]
    if f.kind == "password":
        return [VALID_PASSWORD]
    if f.kind == "date":
        return ["2025-05-12"]
    if f.kind == "number":
        low = f.attrs.get("min")
        try:
            return [str(max(1, int(float(low))) if low is not None else 1)]
        except ValueError:
            return ["1"]
    if f.kind == "email":
        return ["nguoi.dung@example.org"]
    if f.kind == "url":
        return ["https://example.org/"]
    if f.kind == "tel":
        return ["0912345678"]
    if name == "number":
        return [f"{rng.randrange(10, 999)}-KH/TEST{rng.randrange(1000, 9999)}"]
    if name in ("code", "username"):
        return [f"ma{rng.randrange(10**5, 10**6)}"]
    return [f"Nội dung thử {rng.randrange(1000, 9999)}"]


def fill(form: Form, rng: random.Random, *, attack: Field | None = None, value: str = "",
         keep_token: bool = False, picker=None) -> dict:
    """The form's data with field-appropriate values everywhere, and `value` in `attack`.

    The one-time submission token is left out unless `keep_token`: the harness resends a rendered
    form on purpose, each post a new submission."""
    data: dict[str, list[str]] = {}
    for f in form.fields:
        if f.name == "_submission" and not keep_token:
            continue
        if attack is not None and f is attack:
            data.setdefault(f.name, []).append(value)
            continue
        if f.kind == "radio" and f.name in data:
            continue
        values = valid_value(f, rng, picker)
        if f.kind == "radio" and not values and f.required:
            values = [f.value]
        data.setdefault(f.name, []).extend(values)
    # A group of checkboxes (a multiple choice such as roles) gets its first one when none is ticked.
    # A group of radio buttons gets its first choice when none is chosen.
    groups = Counter(f.name for f in form.fields if f.kind == "checkbox")
    for f in form.fields:
        if attack is not None and attack.name == f.name or data.get(f.name):
            continue
        if f.kind == "radio" or (f.kind == "checkbox" and groups[f.name] > 1):
            data[f.name] = [f.value]
    # Two password fields of one form (new password and its confirmation) carry the same value.
    return {k: v if len(v) > 1 else v[0] for k, v in data.items() if v}


def hostile_for(f: Field, values: dict[str, list[str]], index: int) -> tuple[str, str]:
    """The (category, value) that attacks field `f` on its `index`-th submission: the field's own
    kind of input first (numbers into numbers, dates into dates), then every text category."""
    order: list[str]
    if f.kind == "number":
        order = ["number", "digits", "control", "script"]
    elif f.kind == "date":
        order = ["date", "digits", "control"]
    elif f.kind == "select":
        order = ["number", "digits", "control", "script"]
    elif f.kind == "email":
        order = ["control", "script", "format", "long"]
    else:
        order = ["control", "script", "html", "nfd", "long", "digits", "format", "combining", "emoji", "sql"]
    category = order[index % len(order)]
    options = values[category]
    return category, options[(index // len(order)) % len(options)]
