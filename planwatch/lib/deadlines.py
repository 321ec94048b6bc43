"""Deadline cells: "Tháng 9/2025", "Quý III/2025", "Năm 2026", "Thường xuyên", "Hằng năm", ...

A deadline that names a period is due on the last day of that period. Patterns are matched on
the accent-free key so the diacritic-free OCR ("Thang 9/2025") reads the same as the original.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from .result import Result
from .text import collapse_ws, search_key

# Years outside this window are typing or OCR errors in a plan (no plan of the Vietnamese
# state predates 1945, none runs past 2100), and date() would reject year 0.
MIN_YEAR, MAX_YEAR = 1945, 2100


def check_year(value: Any, field: str = "năm") -> int:
    """A year as an int within MIN_YEAR..MAX_YEAR; anything else raises ValueError naming the
    field (booleans, "abc", 2025.5, NaN, 99999)."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        else:
            raise ValueError(f"{field} “{value}” không phải là số năm")
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise ValueError(f"{field} {value} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
    return value


def _small_int(d: dict[str, Any], key: str, low: int, high: int) -> int | None:
    value = d.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{key} “{value}” của thời hạn không hợp lệ")
    return value


class DeadlineKind(str, Enum):
    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    RECURRING = "recurring"  # Thường xuyên
    YEARLY = "yearly"  # Hằng năm / Hàng năm
    FROM_YEAR = "from_year"  # "2025 và những năm tiếp theo"
    RANGE = "range"  # "2025-2030", "Giai đoạn 2026 - 2030": due at the end of the last year
    BLANK = "blank"
    UNKNOWN = "unknown"


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}
_SEP = r"\s*(?:/|-|nam)\s*"  # "9/2025", "9-2025", "9 năm 2025"
# Words that may stand before a period without changing it: "Trong năm 2025", "Trong quý III/2025",
# "Cuối năm 2025" (the end of the year is the year's due date anyway).
_WITHIN = r"(?:(?:trong|cuoi|het|den het|den cuoi|truoc het|den|truoc|cham nhat|cham nhat (?:den|trong)|han) )?"
_DASH = r"\s*(?:-|–|—|den)\s*"
_PATTERNS = {
    DeadlineKind.RECURRING: re.compile(
        r"thuong xuyen(?: lien tuc)?"
        r"|(?:dinh ky )?hang (?:thang|quy)(?: hoac dot xuat)?"
        r"|(?:dinh ky )?(?:truoc ngay [0-9]{1,2} )?hang (?:thang|quy)"
        r"|dinh ky(?: hang thang| hang quy| [0-9]{1,2} thang(?:/lan| mot lan))?"
    ),
    # "hang nam" is both "Hằng năm" and "Hàng năm" once accents are gone; both mean yearly.
    # "Tháng 11 hằng năm", "Quý I hằng năm", "Trước ngày 15/12 hằng năm": yearly, in that period.
    DeadlineKind.YEARLY: re.compile(
        r"(?:dinh ky )?hang nam(?: hoac dot xuat)?"
        r"|(?:(?:trong|truoc|cuoi|den) )?thang (?P<month>[0-9]{1,2}) (?:hang|moi|cua cac) nam"
        r"|(?:(?:trong|truoc|cuoi|den) )?quy (?P<quarter>[0-9]|[ivx]+) (?:hang|moi|cua cac) nam"
        r"|(?:truoc |den )?(?:ngay )?(?P<day>[0-9]{1,2})\s*/\s*(?P<month2>[0-9]{1,2}) (?:hang|moi) nam"
    ),
    DeadlineKind.FROM_YEAR: re.compile(
        r"(?:tu )?(?:nam )?(?P<year>[0-9]{4}) va (?:nhung|cac) nam tiep theo"
        r"|tu (?:nam )?(?P<year2>[0-9]{4}) tro di"
    ),
    DeadlineKind.RANGE: re.compile(
        rf"(?:(?:giai doan|nam|cac nam|tu nam|tu) )?(?P<year>[0-9]{{4}}){_DASH}(?:nam )?(?P<year_end>[0-9]{{4}})"
    ),
    DeadlineKind.DATE: re.compile(
        r"(?:(?:truoc|den|han|cham nhat|cham nhat (?:den|truoc)) )?(?:ngay )?(?P<day>[0-9]{1,2})\s*/\s*(?P<month>[0-9]{1,2})\s*/\s*(?P<year>[0-9]{4})"
    ),
    DeadlineKind.MONTH: re.compile(
        rf"{_WITHIN}thang (?P<month>[0-9]{{1,2}}){_SEP}(?P<year>[0-9]{{4}})"
        r"|(?P<month2>[0-9]{1,2})\s*/\s*(?P<year2>[0-9]{4})"
    ),
    DeadlineKind.QUARTER: re.compile(
        rf"{_WITHIN}quy (?P<quarter>[0-9]{{1,2}}|[ivx]+){_SEP}(?P<year>[0-9]{{4}})"
    ),
    DeadlineKind.HALF: re.compile(rf"{_WITHIN}0?6 thang (?P<which>dau|cuoi) nam (?P<year>[0-9]{{4}})"),
    DeadlineKind.YEAR: re.compile(rf"{_WITHIN}(?:nam )?(?P<year>[0-9]{{4}})"),
}


@dataclass(frozen=True)
class DeadlineSpec:
    kind: DeadlineKind
    raw: str | None
    # Last day of the month/quarter/half/year; the date for DATE; for FROM_YEAR 31/12 of its
    # first year; for RANGE 31/12 of its last year (`year` is then the first year, `year_end`
    # reads the last one from `due`); None for RECURRING/YEARLY/BLANK/UNKNOWN.
    due: date | None = None
    year: int | None = None
    month: int | None = None
    quarter: int | None = None
    half: int | None = None  # 1 = "6 tháng đầu năm", 2 = "6 tháng cuối năm"

    @property
    def year_end(self) -> int | None:
        """The last year of a RANGE ("2025-2030" → 2030), the year itself for other dated kinds."""
        if self.kind is DeadlineKind.RANGE and self.due is not None:
            return self.due.year
        return self.year

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "raw": self.raw,
            "due": self.due.isoformat() if self.due else None,
            "year": self.year,
            "month": self.month,
            "quarter": self.quarter,
            "half": self.half,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DeadlineSpec:
        """Read a spec written by to_dict (or an interchange file). Anything else (`due: 5`,
        a year out of MIN_YEAR..MAX_YEAR, a month 13, a list as text) raises ValueError."""
        if not isinstance(d, dict):
            raise ValueError(f"thời hạn phải là một đối tượng, không phải {type(d).__name__}")
        try:
            kind = DeadlineKind(d.get("kind"))
        except ValueError:
            raise ValueError(f"loại thời hạn “{d.get('kind')}” không hợp lệ") from None
        raw = d.get("raw")
        if raw is not None and not isinstance(raw, str):
            raise ValueError("raw của thời hạn phải là chữ")
        due = d.get("due")
        if isinstance(due, str):
            try:
                due = date.fromisoformat(due)
            except ValueError:
                raise ValueError(f"ngày hạn “{due}” không hợp lệ") from None
        elif due is not None and not isinstance(due, date):
            raise ValueError(f"ngày hạn “{due}” không hợp lệ")
        if due is not None:
            check_year(due.year, "năm của ngày hạn")
        year = d.get("year")
        return cls(
            kind=kind,
            raw=raw,
            due=due,
            year=None if year is None else check_year(year, "năm của thời hạn"),
            month=_small_int(d, "month", 1, 12),
            quarter=_small_int(d, "quarter", 1, 4),
            half=_small_int(d, "half", 1, 2),
        )

    @classmethod
    def from_stored(cls, d: Any) -> DeadlineSpec:
        """Read a spec from a row already in the database without ever raising: a legacy row
        that does not read becomes UNKNOWN (no due date), never a 500."""
        try:
            return cls.from_dict(d)
        except (ValueError, TypeError, KeyError, AttributeError):
            raw = d.get("raw") if isinstance(d, dict) and isinstance(d.get("raw"), str) else None
            return cls(DeadlineKind.UNKNOWN, raw)

    def describe_vi(self) -> str:
        if self.kind is DeadlineKind.RECURRING:
            return "Thường xuyên (báo cáo mỗi kỳ)"
        if self.kind is DeadlineKind.YEARLY:
            if self.month:
                return f"Tháng {self.month} hằng năm"
            if self.quarter:
                return f"Quý {'I II III IV'.split()[self.quarter - 1]} hằng năm (trước {_month_end(2001, self.quarter * 3):%d/%m} mỗi năm)"
            return "Hằng năm (trước 31/12 mỗi năm)"
        if self.kind is DeadlineKind.FROM_YEAR:
            return f"Từ {self.year} và các năm tiếp theo"
        if self.kind is DeadlineKind.BLANK:
            return "Không ghi thời hạn"
        if self.kind is DeadlineKind.RANGE and self.due is not None:
            return f"Giai đoạn {self.year}–{self.due.year} (hạn {self.due:%d/%m/%Y})"
        if self.due is not None:
            return f"Hạn {self.due:%d/%m/%Y}"
        return f"Thời hạn chưa rõ: “{self.raw or ''}”"

    def due_in_year(self, year: int) -> date | None:
        """When this deadline falls due within `year` (for the yearly kinds), else its own due date."""
        if self.kind is DeadlineKind.YEARLY:
            if self.month:
                return _month_end(year, self.month)
            if self.quarter:
                return _month_end(year, self.quarter * 3)
            return date(year, 12, 31)
        if self.kind is DeadlineKind.FROM_YEAR and self.year is not None and year >= self.year:
            return date(year, 12, 31)
        return self.due


def _unknown(raw: str, reason: str | None = None) -> Result[DeadlineSpec]:
    message = reason or f"Không hiểu thời hạn “{raw}”: giữ nguyên văn bản"
    return Result(DeadlineSpec(DeadlineKind.UNKNOWN, raw), (message,))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _yearly(raw: str, groups: dict[str, Any]) -> Result[DeadlineSpec]:
    """"Hằng năm", or a period within every year: "Tháng 11 hằng năm" (month 11), "Quý I hằng
    năm" (quarter 1); "Trước 15/12 hằng năm" keeps its month."""
    month = groups.get("month") or groups.get("month2")
    if month is not None:
        if not 1 <= int(month) <= 12:
            return _unknown(raw, f"Tháng {int(month)} không hợp lệ trong thời hạn “{raw}”")
        if groups.get("day") is not None and not 1 <= int(groups["day"]) <= calendar.monthrange(2024, int(month))[1]:
            return _unknown(raw, f"Ngày {int(groups['day'])}/{int(month)} không có thật trong thời hạn “{raw}”")
        return Result(DeadlineSpec(DeadlineKind.YEARLY, raw, month=int(month)))
    printed = groups.get("quarter")
    if printed is not None:
        quarter = _ROMAN.get(printed) if not printed.isdigit() else int(printed)
        if quarter is None or not 1 <= quarter <= 4:
            return _unknown(raw, f"Quý “{printed.upper()}” không hợp lệ trong thời hạn “{raw}”")
        return Result(DeadlineSpec(DeadlineKind.YEARLY, raw, quarter=quarter))
    return Result(DeadlineSpec(DeadlineKind.YEARLY, raw))


def _build(kind: DeadlineKind, raw: str, m: re.Match[str]) -> Result[DeadlineSpec]:
    groups = m.groupdict()
    if kind is DeadlineKind.RECURRING:
        return Result(DeadlineSpec(kind, raw))
    if kind is DeadlineKind.YEARLY:
        return _yearly(raw, groups)
    year = int(groups.get("year") or groups.get("year2") or 0)
    if not MIN_YEAR <= year <= MAX_YEAR:
        return _unknown(raw, f"Năm {year} không hợp lệ trong thời hạn “{raw}”")
    if kind is DeadlineKind.RANGE:
        year_end = int(groups["year_end"])
        if not MIN_YEAR <= year_end <= MAX_YEAR:
            return _unknown(raw, f"Năm {year_end} không hợp lệ trong thời hạn “{raw}”")
        if year_end <= year:
            return _unknown(raw, f"Giai đoạn “{raw}” có năm cuối không sau năm đầu: giữ nguyên văn bản")
        return Result(DeadlineSpec(kind, raw, due=date(year_end, 12, 31), year=year))

    if kind is DeadlineKind.FROM_YEAR or kind is DeadlineKind.YEAR:
        return Result(DeadlineSpec(kind, raw, due=date(year, 12, 31), year=year))
    if kind is DeadlineKind.HALF:
        half = 1 if groups["which"] == "dau" else 2
        due = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        return Result(DeadlineSpec(kind, raw, due=due, year=year, half=half))
    if kind is DeadlineKind.QUARTER:
        printed = groups["quarter"]
        quarter = _ROMAN.get(printed) if not printed.isdigit() else int(printed)
        if quarter is None or not 1 <= quarter <= 4:
            return _unknown(raw, f"Quý “{printed.upper()}” không hợp lệ trong thời hạn “{raw}”")
        due = _month_end(year, quarter * 3)
        return Result(DeadlineSpec(kind, raw, due=due, year=year, quarter=quarter))

    month = int(groups.get("month") or groups.get("month2") or 0)
    if not 1 <= month <= 12:
        return _unknown(raw, f"Tháng {month} không hợp lệ trong thời hạn “{raw}”")
    if kind is DeadlineKind.MONTH:
        return Result(DeadlineSpec(kind, raw, due=_month_end(year, month), year=year, month=month))
    day = int(groups["day"])
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return _unknown(raw, f"Ngày {day}/{month}/{year} không có thật trong thời hạn “{raw}”")
    return Result(DeadlineSpec(kind, raw, due=date(year, month, day), year=year, month=month))


def parse_deadline(raw: str | None) -> Result[DeadlineSpec]:
    """Read one deadline cell. Never raises; unknown forms become UNKNOWN with a warning."""
    if raw is None:
        return Result(DeadlineSpec(DeadlineKind.BLANK, None))
    printed = collapse_ws(str(raw))
    if not printed:
        return Result(DeadlineSpec(DeadlineKind.BLANK, printed))
    key = search_key(printed).rstrip(".;,")
    for kind, pattern in _PATTERNS.items():
        if m := pattern.fullmatch(key):
            return _build(kind, printed, m)
    return _unknown(printed)
