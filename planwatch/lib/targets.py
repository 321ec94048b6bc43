"""Target cells of indicator tables: "≥ 8", "> 15", "≤ 30", "30-40", "X", "-", "100 (note)".

The parsed spec always keeps the printed text (`raw`) because people must see what the document
says, and OCR or typing may have changed its meaning (the OCR never prints "≥").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from .numbers import finite_decimal, format_vn_number, is_finite_number, parse_vn_number
from .result import Result
from .text import collapse_ws, nfc, search_key

OCR_STRICT_SIGN = "ocr_strict_sign"
# A stored spec that no longer reads (legacy rows written before specs were checked): kept as
# TEXT with this flag so pages show "chưa có số liệu" with a note instead of failing.
INVALID_SPEC = "invalid_spec"
_OPS = (">=", ">", "<=", "<", "=")


class TargetKind(str, Enum):
    BLANK = "blank"  # null / empty cell
    NONE = "none"  # "-": no target at that milestone ("Chưa thực hiện")
    DONE = "done"  # "X" / "Hoàn thành": must be achieved/done by the milestone
    COMPARE = "compare"  # "≥ 8", "> 15", "≤ 30", "< 30", "= 100", bare "100"
    RANGE = "range"  # "30-40", "80% - 90%"
    TEXT = "text"  # anything else: kept raw, warning


_SIGNS = {
    "≥": ">=", "⩾": ">=", ">=": ">=",
    "≤": "<=", "⩽": "<=", "<=": "<=",
    ">": ">", "<": "<", "=": "=",
}  # fmt: skip
# Words that stand for a sign, matched on the accent-free key ("ít nhất 8" = "≥ 8").
_SIGN_WORDS = {
    "it nhat": ">=", "toi thieu": ">=", "khong duoi": ">=", "khong thap hon": ">=",
    "tren": ">", "cao hon": ">", "lon hon": ">",
    "toi da": "<=", "khong qua": "<=", "khong vuot qua": "<=", "khong cao hon": "<=",
    "duoi": "<", "thap hon": "<", "nho hon": "<",
    "dat": "=", "bang": "=",
}  # fmt: skip
_DONE_KEYS = {"x", "hoan thanh", "thuc hien"}  # the table legend reads "(X): Thực hiện"
_NONE_KEYS = {"-", "–", "—", "chua thuc hien"}  # legend: "(-): Chưa thực hiện"

_NUM = r"[+\-\u2212]?[0-9][0-9.,]*"
_COMPARE = re.compile(
    rf"(?P<sign>>=|<=|[≥⩾≤⩽><=])?\s*(?P<num>{_NUM})\s*%?\s*(?:\((?P<note>.*)\))?",
    re.S,
)
# No sign allowed before a range: "-" would be ambiguous with a negative number.
_RANGE = re.compile(r"(?P<low>[0-9][0-9.,]*)\s*%?\s*[-–—]\s*(?P<high>[0-9][0-9.,]*)\s*%?")
_RANGE_WORDS = re.compile(r"tu (?P<low>[0-9][0-9.,]*)\s*%? den (?P<high>[0-9][0-9.,]*)\s*%?")
# One comparison inside a longer cell: "≥ 80%", "≤ 90 %", "> 1.000".
_ONE = re.compile(rf"(?P<sign>>=|<=|[≥⩾≤⩽><])\s*(?P<num>{_NUM})\s*(?P<pct>%?)")
# Two comparisons joined as a band: "≥ 80% và ≤ 90%", "> 5, < 10", "≥ 80% đến ≤ 90%".
_BAND_JOIN = re.compile(r"\s*(?:,|;|và|va|đến|den|-|–)\s*")
# A comparison followed by words: "≥ 70% số xã", "> 1.000 doanh nghiệp" (the words start with a
# letter; the sign is required, so a bare "2 lần so với năm 2020" stays text).
_COMPARE_WORDS = re.compile(
    rf"(?P<sign>>=|<=|[≥⩾≤⩽><=])\s*(?P<num>{_NUM})\s*(?P<pct>%?)\s+(?P<words>[^\W\d_][^≥⩾≤⩽<>=]*)",
    re.S,
)
MULTIPLE_TARGETS = "multiple_targets"

_DESCRIBE_OP = {
    ">=": "Không thấp hơn",
    ">": "Cao hơn",
    "<=": "Không vượt quá",
    "<": "Thấp hơn",
    "=": "Bằng",
}


def _decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _decimal_from(value: Any, field: str = "giá trị chỉ tiêu") -> Decimal | None:
    """None, or a finite Decimal; NaN, infinities and non-numbers raise ValueError. Floats come
    from JSON written by someone else: repr keeps the shortest form."""
    if value is None:
        return None
    return finite_decimal(value, field)


def _as_printed(value: Decimal) -> str:
    """Vietnamese form with the printed precision: Decimal("1.0") → "1,0", not "1"."""
    exponent = value.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return format_vn_number(value, decimals)


@dataclass(frozen=True)
class TargetSpec:
    kind: TargetKind
    raw: str | None  # exactly as printed (after collapse_ws)
    op: str | None = None  # one of ">=", ">", "<=", "<", "=" (ASCII)
    value: Decimal | None = None
    value_max: Decimal | None = None  # for RANGE
    note: str | None = None  # "100 (Các hệ thống ...)" → value 100, note "Các hệ thống ..."
    flags: tuple[str, ...] = ()  # e.g. "ocr_strict_sign"

    def to_dict(self) -> dict[str, Any]:
        # Decimals travel as strings: JSON numbers would go through float on many readers.
        return {
            "kind": self.kind.value,
            "raw": self.raw,
            "op": self.op,
            "value": _decimal_text(self.value),
            "value_max": _decimal_text(self.value_max),
            "note": self.note,
            "flags": list(self.flags),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TargetSpec:
        """Read a spec written by to_dict (or an interchange file). Anything that does not
        read as a spec (NaN or infinite values, an unknown sign, a list as text) raises
        ValueError with the field named, so importers refuse it."""
        if not isinstance(d, dict):
            raise ValueError(f"chỉ tiêu phải là một đối tượng, không phải {type(d).__name__}")
        try:
            kind = TargetKind(d.get("kind"))
        except ValueError:
            raise ValueError(f"loại chỉ tiêu “{d.get('kind')}” không hợp lệ") from None
        op = d.get("op")
        if op is not None and op not in _OPS:
            raise ValueError(f"dấu so sánh “{op}” không hợp lệ")
        for field in ("raw", "note"):
            if d.get(field) is not None and not isinstance(d[field], str):
                raise ValueError(f"{field} của chỉ tiêu phải là chữ")
        flags = d.get("flags") or ()
        if not isinstance(flags, (list, tuple)) or not all(isinstance(f, str) for f in flags):
            raise ValueError("flags của chỉ tiêu phải là danh sách chữ")
        return cls(
            kind=kind,
            raw=d.get("raw"),
            op=op,
            value=_decimal_from(d.get("value"), "giá trị chỉ tiêu"),
            value_max=_decimal_from(d.get("value_max"), "giá trị cận trên của chỉ tiêu"),
            note=d.get("note"),
            flags=tuple(flags),
        )

    @classmethod
    def from_stored(cls, d: Any) -> TargetSpec:
        """Read a spec from a row already in the database without ever raising: a legacy row
        that does not read (a "NaN" stored before specs were checked) becomes a TEXT spec
        flagged INVALID_SPEC, which the assessment reports as "chưa có số liệu" with a note."""
        try:
            return cls.from_dict(d)
        except (ValueError, TypeError, KeyError, AttributeError):
            raw = d.get("raw") if isinstance(d, dict) and isinstance(d.get("raw"), str) else None
            return cls(TargetKind.TEXT, raw, flags=(INVALID_SPEC,))

    @property
    def is_invalid(self) -> bool:
        return INVALID_SPEC in self.flags

    @property
    def is_numeric(self) -> bool:
        return self.kind in (TargetKind.COMPARE, TargetKind.RANGE) and self.value is not None

    def describe_vi(self) -> str:
        if self.is_invalid:
            return f"Chỉ tiêu lưu không hợp lệ: “{self.raw or ''}” (cần sửa dữ liệu)"
        if self.kind is TargetKind.BLANK:
            return "Để trống"
        if self.kind is TargetKind.NONE:
            return "Không đặt chỉ tiêu"
        if self.kind is TargetKind.DONE:
            return "Phải hoàn thành"
        if self.kind is TargetKind.RANGE and self.value is not None and self.value_max is not None:
            return f"Từ {_as_printed(self.value)} đến {_as_printed(self.value_max)}"
        if self.kind is TargetKind.COMPARE and self.value is not None and self.op in _DESCRIBE_OP:
            text = f"{_DESCRIBE_OP[self.op]} {_as_printed(self.value)}"
            return f"{text} ({self.note})" if self.note else text
        return f"Chỉ tiêu ghi bằng chữ: “{self.raw or ''}”"

    def effective_op(self, direction: str = "higher") -> str | None:
        """The comparison a COMPARE target asks for. A bare number ("100", "đạt 100") is a
        floor for higher-is-better indicators and a ceiling for lower-is-better ones (a rank):
        reaching it is what the plan asks. None for other kinds."""
        if self.kind is not TargetKind.COMPARE:
            return None
        if self.op == "=" or self.op is None:
            return "<=" if direction == "lower" else ">="
        return self.op

    def satisfied_by(self, actual: Decimal, direction: str = "higher") -> bool | None:
        """THE rule "target met" (dashboards, rankings, exports all call it): whether a figure
        meets this target for an indicator whose better values are `direction` ("higher", or
        "lower" for a rank). None when the target is not numeric or a number is not finite.

        - "≥ 8", "> 15", "≤ 30", "< 30": as written.
        - A bare number ("100", "= 100") is reached: at least it, or at most it for a rank.
        - A range "30-40" asks for at least 30 and aims at 40: doing better than the band is
          not a shortfall (for a rank, 40 or better)."""
        if not is_finite_number(actual) or not is_finite_number(self.value):
            return None
        if self.kind is TargetKind.RANGE:
            if not is_finite_number(self.value_max):
                return None
            low, high = sorted((self.value, self.value_max))
            return actual <= high if direction == "lower" else actual >= low
        op = self.effective_op(direction)
        if op is None:
            return None
        return {
            ">=": actual >= self.value,
            ">": actual > self.value,
            "<=": actual <= self.value,
            "<": actual < self.value,
        }[op]


def _text(raw: str, warnings: tuple[str, ...] = ()) -> Result[TargetSpec]:
    return Result(
        TargetSpec(TargetKind.TEXT, raw),
        warnings + (f"Không hiểu chỉ tiêu “{raw}”: giữ nguyên văn bản",),
    )


def _split_sign_word(text: str) -> tuple[str | None, str]:
    """"Ít nhất 8" → (">=", "8"). Words are matched accent-free, the rest keeps its accents."""
    key_words = search_key(text).split(" ")
    for phrase in sorted(_SIGN_WORDS, key=len, reverse=True):
        n = phrase.count(" ") + 1
        if key_words[:n] == phrase.split(" ") and len(key_words) > n:
            return _SIGN_WORDS[phrase], " ".join(text.split(" ")[n:])
    return None, text


def _parse_range(raw: str, low_text: str, high_text: str) -> Result[TargetSpec]:
    low, high = parse_vn_number(low_text), parse_vn_number(high_text)
    if low.value is None or high.value is None:
        return _text(raw, low.warnings + high.warnings)
    warnings: tuple[str, ...] = ()
    if low.value > high.value:
        warnings = (f"Khoảng “{raw}” có giá trị đầu lớn hơn giá trị cuối: giữ như bản in",)
    return Result(TargetSpec(TargetKind.RANGE, raw, value=low.value, value_max=high.value), warnings)


def split_targets(raw: str | None) -> list[str]:
    """The comparisons of a cell that holds one per milestone column run together ("≥ 01 ≥ 02
    ≥ 03" → ["≥ 01", "≥ 02", "≥ 03"]), each with one space after its sign. A cell with one
    comparison (or a note in brackets: "≥ 5 (trong đó ≥ 2 xã)") comes back as one item."""
    if raw is None:
        return []
    text = collapse_ws(str(raw))
    if not text:
        return []
    outside = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), text)  # ignore notes
    starts = [m.start() for m in _ONE.finditer(outside)]
    if len(starts) < 2:
        return [text]
    # Only a plain run of comparisons splits: words between them ("và", "số xã") mean one cell.
    pieces = [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])]
    if text[: starts[0]].strip() or not all(_ONE.fullmatch(p) for p in pieces):
        return [text]
    return [re.sub(r"^(>=|<=|[≥⩾≤⩽><])\s*", r"\1 ", p) for p in pieces]


def _parse_band(printed: str, text: str) -> Result[TargetSpec] | None:
    """"≥ 80% và ≤ 90%": a lower and an upper bound in one cell → RANGE 80–90."""
    first = _ONE.match(text)
    if first is None:
        return None
    join = _BAND_JOIN.match(text, first.end())
    if join is None:
        return None
    second = _ONE.fullmatch(text, join.end())
    if second is None:
        return None
    ops = (_SIGNS[first["sign"]], _SIGNS[second["sign"]])
    low, high = parse_vn_number(first["num"]), parse_vn_number(second["num"])
    if low.value is None or high.value is None:
        return _text(printed, low.warnings + high.warnings)
    if ops[0] in ("<=", "<") and ops[1] in (">=", ">"):
        ops, low, high = ops[::-1], high, low
    if ops[0] not in (">=", ">") or ops[1] not in ("<=", "<"):
        return _text(printed)
    warnings: tuple[str, ...] = ()
    if low.value > high.value:
        warnings = (f"Khoảng “{printed}” có cận dưới lớn hơn cận trên: giữ như bản in",)
    if ops != (">=", "<="):
        warnings += (f"Khoảng “{printed}” dùng dấu so sánh ngặt: hiểu là từ {first['num']} đến {second['num']}",)
    spec = TargetSpec(TargetKind.RANGE, printed, value=low.value, value_max=high.value)
    return Result(spec, warnings)


def parse_target(raw: str | None, *, ocr: bool = False) -> Result[TargetSpec]:
    """Read one target cell. Never raises; unknown forms become TEXT with a warning."""
    if raw is None:
        return Result(TargetSpec(TargetKind.BLANK, None))
    printed = collapse_ws(str(raw))
    if not printed:
        return Result(TargetSpec(TargetKind.BLANK, printed))
    text = nfc(printed)
    key = search_key(text)
    if key in _NONE_KEYS or text in _NONE_KEYS:
        return Result(TargetSpec(TargetKind.NONE, printed))
    if key in _DONE_KEYS:
        return Result(TargetSpec(TargetKind.DONE, printed))

    if match := _RANGE.fullmatch(text) or _RANGE_WORDS.fullmatch(key):
        return _parse_range(printed, match["low"], match["high"])

    if band := _parse_band(printed, text):
        return band
    if len(pieces := split_targets(text)) > 1:
        return Result(
            TargetSpec(TargetKind.TEXT, printed, flags=(MULTIPLE_TARGETS,)),
            (f"Ô chỉ tiêu “{printed}” chứa {len(pieces)} chỉ tiêu ({' | '.join(pieces)}): "
             "có thể là nhiều cột mốc in liền nhau, cần tách",),
        )

    word_op, rest = _split_sign_word(text)
    match = _COMPARE.fullmatch(rest)
    if match is None and not word_op:
        match = _COMPARE_WORDS.fullmatch(rest)
    if match is None or (word_op and match["sign"]):
        return _text(printed)
    number = parse_vn_number(match["num"])
    if number.value is None:
        return _text(printed, number.warnings)

    printed_sign = match["sign"]
    op = word_op or (_SIGNS[printed_sign] if printed_sign else "=")
    groups = match.groupdict()
    if groups.get("words") is not None:
        note = collapse_ws(groups["words"]) or None
    else:
        note = collapse_ws(groups["note"]) if groups.get("note") is not None else None
    flags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    if ocr and printed_sign in (">", "<"):
        # The OCR never outputs ≥/≤, so a printed ">" very likely was "≥". We keep the sign as
        # printed (never guess) and let a person confirm.
        meant = "≥" if printed_sign == ">" else "≤"
        flags = (OCR_STRICT_SIGN,)
        warnings = (f"Dấu “{printed_sign}” trong bản OCR có thể là “{meant}”: giữ như bản in",)
    spec = TargetSpec(TargetKind.COMPARE, printed, op=op, value=number.value, note=note or None, flags=flags)
    return Result(spec, warnings)
