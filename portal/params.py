"""Parsing ids, numbers and years that arrive as text (URL parts, query strings, POST bodies).

`str.isdigit()` accepts "²" and "٣" while `int()` refuses the first and reads the second as 3, and an
id of forty digits overflows every integer column: views never call `int()` on request data, they
call these helpers, which accept plain ASCII digits in a bounded range and give `default` otherwise.
"""

from __future__ import annotations

import re

from django.http import Http404

_INT = re.compile(r"-?[0-9]{1,18}")
# The largest value a PostgreSQL bigint (and SQLite integer) holds.
MAX_ID = 9_223_372_036_854_775_807
YEAR_MIN, YEAR_MAX = 1900, 2100


def parse_int(value, default=None, *, lo: int | None = None, hi: int | None = None):
    """`value` as an int when it is ASCII digits within [lo, hi], else `default`."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _INT.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return default
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        return default
    return number


def parse_id(value, default=None):
    """A primary key (1 … bigint max) from text, else `default`."""
    return parse_int(value, default, lo=1, hi=MAX_ID)


def parse_ids(values) -> list[int]:
    """The valid ids of a list (e.g. `request.POST.getlist("person")`), others dropped."""
    return [pk for pk in (parse_id(v) for v in values or []) if pk is not None]


def parse_year(value, default=None):
    """A year between 1900 and 2100, else `default`."""
    return parse_int(value, default, lo=YEAR_MIN, hi=YEAR_MAX)


def id_or_404(value) -> int:
    """An id from request data, or 404 (for `get_object_or_404(..., pk=id_or_404(...))`)."""
    pk = parse_id(value)
    if pk is None:
        raise Http404
    return pk
