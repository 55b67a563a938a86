"""Text at the boundary: NFC normalisation and diacritic-free folding for search."""

import unicodedata

# Letters that do not decompose into a base letter plus a combining mark.
_EXTRA = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(value: str | None) -> str:
    """Return `value` in Unicode NFC, the form every stored text is kept in."""
    return unicodedata.normalize("NFC", value or "")


def fold(value: str | None) -> str:
    """Lower-case `value` and drop its diacritics: "Dân Vận KHÉO" -> "dan van kheo"."""
    decomposed = unicodedata.normalize("NFD", (value or "").translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def _fold_table() -> tuple[str, str]:
    """Every accented Latin letter (either case) and the plain letter `fold` turns it into."""
    src, dst = [], []
    for code in range(0xC0, 0x1F00):
        ch = chr(code)
        plain = fold(ch)
        if len(plain) == 1 and plain.isascii() and plain.isalpha() and plain != ch.lower():
            src.append(ch)
            dst.append(plain)
    return "".join(src), "".join(dst)


FOLD_FROM, FOLD_TO = _fold_table()


def folded(expression):
    """`fold` done by the database, for columns that keep no folded copy (people's names, document
    summaries): `translate` drops the diacritics of NFC text, `lower` the case."""
    from django.db.models import Func, Value
    from django.db.models.functions import Lower

    return Lower(Func(expression, Value(FOLD_FROM), Value(FOLD_TO), function="translate"))
