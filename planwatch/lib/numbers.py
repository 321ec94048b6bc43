"""Numbers written the Vietnamese way: "." groups thousands, "," is the decimal mark.

"1.000" is one thousand and "1,0" is one point zero, which is the opposite of what float()
and Decimal() assume, so we never hand printed text to either directly.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .result import Result
from .text import collapse_ws

_MINUS = "-\u2212"  # ASCII hyphen-minus and the typographic minus sign
_SIGN_CLASS = "[+\\-\u2212]"  # the hyphen escaped: "+-−" inside [] would be a range
_NUMBER = re.compile(
    rf"(?P<sign>{_SIGN_CLASS})?"
    r"(?P<int>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)"
    r"(?:,(?P<frac>[0-9]+))?"
)
# "1.5" or "1.50" cannot be Vietnamese grouping (groups have 3 digits), so someone typed an
# English decimal point, or the OCR lost a digit. Either way we must not pick a reading.
_ENGLISH_LOOKING = re.compile(
    rf"{_SIGN_CLASS}?[0-9]+(?:\.[0-9]+)+(?:,[0-9]+)?"
    rf"|{_SIGN_CLASS}?[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?"
)
_TRAILING_PERCENT = re.compile(r"\s*%$")


def _unreadable(raw: str) -> Result[Decimal | None]:
    return Result(None, (f"Không đọc được số “{raw}”",))


def _ambiguous(raw: str) -> Result[Decimal | None]:
    return Result(
        None,
        (
            f"Số “{raw}” không rõ nghĩa: theo cách viết Việt Nam, dấu “.” ngăn cách hàng nghìn "
            "và dấu “,” là dấu thập phân",
        ),
    )


def parse_vn_number(raw: str) -> Result[Decimal | None]:
    """Read "1.000,5" as Decimal("1000.5"); anything unclear gives None plus a warning."""
    if raw is None:
        return Result(None, ("Ô số trống",))
    shown = collapse_ws(str(raw))
    # The unit is the caller's business; a printed "%" only tells us what it already knows.
    text = _TRAILING_PERCENT.sub("", shown)
    if not text:
        return Result(None, ("Ô số trống",))
    match = _NUMBER.fullmatch(text)
    if match is None:
        return _ambiguous(shown) if _ENGLISH_LOOKING.fullmatch(text) else _unreadable(shown)
    int_part = match["int"]
    if "." in int_part and int_part.startswith("0"):
        # "0.500" is either 500 with a stray zero or an English 0.5: both are guesses.
        return _ambiguous(shown)
    sign = "-" if match["sign"] in tuple(_MINUS) else ""
    digits = int_part.replace(".", "")
    frac = match["frac"]
    return Result(Decimal(f"{sign}{digits}.{frac}" if frac else f"{sign}{digits}"))


def finite_decimal(value: object, field: str = "số") -> Decimal:
    """A stored or interchanged number (Decimal, int, float or plain text "12.5") as a finite
    Decimal. NaN, infinities, booleans, lists and unreadable text raise ValueError naming the
    field: such a value must be refused at the door, never reach a comparison on a page."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError(f"{field}: không phải là số ({type(value).__name__})")
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value).strip())
    except ArithmeticError:
        raise ValueError(f"{field}: không đọc được số “{value}”") from None
    if not number.is_finite():
        raise ValueError(f"{field}: số không hữu hạn “{value}”")
    return number


def is_finite_number(value: object) -> bool:
    """True for an int or a finite Decimal/float (not bool): what a rule may compare."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return False
    return Decimal(repr(value) if isinstance(value, float) else value).is_finite()


def ratio_percent(numerator: Decimal, denominator: Decimal, places: Decimal = Decimal("0.01")) -> Decimal | None:
    """The percentage numerator/denominator × 100, rounded half up to `places` (0,01 by
    default); None when the denominator is zero or missing. The one rule for every ratio
    indicator: report forms, the aggregation of unit figures, rankings and demo data."""
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator) * 100).quantize(places, rounding=ROUND_HALF_UP)


def _group_thousands(int_digits: str) -> str:
    head = len(int_digits) % 3 or 3
    groups = [int_digits[:head]] + [int_digits[i : i + 3] for i in range(head, len(int_digits), 3)]
    return ".".join(groups)


def format_vn_number(value: Decimal | int, decimals: int | None = None) -> str:
    """Write a number for Vietnamese readers: 1000.5 → "1.000,5".

    decimals=None prints the fewest digits that keep the value (no trailing zeros, no comma for
    whole numbers); otherwise the value is rounded half up, as people round by hand.
    """
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise TypeError(f"format_vn_number expects int or Decimal, got {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"Cannot format non-finite number {number}")
    if decimals is not None and decimals < 0:
        raise ValueError("decimals must be >= 0")

    if decimals is None:
        plain = format(number, "f")
        if "." in plain:
            plain = plain.rstrip("0").rstrip(".")
    else:
        with localcontext() as ctx:
            # Enough precision that quantize never fails on large values.
            ctx.prec = max(28, number.adjusted() + decimals + 2)
            plain = format(number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP), "f")

    negative = plain.startswith("-")
    int_digits, _, frac = plain.lstrip("-").partition(".")
    if negative and not any(c not in "0" for c in int_digits + frac):
        negative = False  # "-0" and "-0,00" read as a sign error to people
    text = _group_thousands(int_digits) + ("," + frac if frac else "")
    return "-" + text if negative else text
