"""Numbers for people: as many decimals as the value has, in the active locale's format.

`Decimal("10.00")` is "10" and `Decimal("9.50")` is "9,5" in Vietnamese ("9.5" in English).
Never `Decimal.normalize()` for display: it turns 10 into `1E+1`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format


def plain_number(value) -> str:
    """`value` with no trailing zeros and the locale's decimal separator; "" for None."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    places = 0 if number == number.to_integral_value() else max(0, -number.normalize().as_tuple().exponent)
    return number_format(number, decimal_pos=places, use_l10n=True)
