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
