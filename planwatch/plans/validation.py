"""One parsing and validation layer for every value that enters the plans app: the interchange
JSON (import command, web upload, API) and the admin forms call these functions.

Each function takes the raw value and `where` (a Vietnamese description of the field, e.g.
"nhiệm vụ 3, trường “deadline.due”") and returns the clean value or raises InterchangeError
with a Vietnamese message naming the field. Nothing here writes to the database."""

from __future__ import annotations

import json
import math
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from planwatch.lib.deadlines import DeadlineKind, DeadlineSpec, parse_deadline
from planwatch.lib.targets import TargetKind, TargetSpec, parse_target

MIN_YEAR, MAX_YEAR = 1945, 2100
MAX_DEPTH = 24  # the format itself nests 6 deep; notes may add a few levels
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000  # indicators, tasks, groups, targets per row, assignments per task
MAX_TEXT = 20000
_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")
_OPS = {">=", ">", "<=", "<", "="}
# baseline_value is a DecimalField(max_digits=20, decimal_places=4)
_MAX_INT_DIGITS = 16


class InterchangeError(ValueError):
    """Raised with a Vietnamese message naming the offending field."""


def _type_vi(v: Any) -> str:
    return {
        list: "danh sách", dict: "đối tượng", bool: "đúng/sai", int: "số", float: "số", str: "chuỗi",
    }.get(type(v), type(v).__name__)


# --- the document as a whole -----------------------------------------------------------


def check_structure(value: Any, *, max_depth: int = MAX_DEPTH) -> None:
    """Refuse nesting deeper than max_depth and non-finite numbers anywhere (NaN would reach a
    JSON column, which PostgreSQL refuses, and every page that reads it). Iterative: a
    100,000-deep document gives this error, not RecursionError."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, (dict, list)):
            if depth > max_depth:
                raise InterchangeError(f"Tệp lồng nhau quá sâu (hơn {max_depth} cấp)")
            children = v.values() if isinstance(v, dict) else v
            stack.extend((c, depth + 1) for c in children)
        elif isinstance(v, float) and not math.isfinite(v):
            raise InterchangeError("Tệp chứa số không hữu hạn (NaN hoặc Infinity)")


def _reject_constant(name: str):
    raise InterchangeError(f"Tệp chứa giá trị “{name}”: không phải số hợp lệ")


def load_json(raw: bytes | str) -> Any:
    """Read an uploaded interchange file: size limit, UTF-8, JSON without NaN/Infinity,
    bounded nesting. Every failure is an InterchangeError."""
    if len(raw) > MAX_BYTES:
        raise InterchangeError(f"Tệp quá lớn (tối đa {MAX_BYTES // (1024 * 1024)} MB)")
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InterchangeError("Tệp không phải JSON UTF-8 hợp lệ") from None
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except RecursionError:
        raise InterchangeError(f"Tệp lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)") from None
    except json.JSONDecodeError as e:
        raise InterchangeError(f"Tệp không phải JSON hợp lệ (dòng {e.lineno}, cột {e.colno})") from None
    check_structure(data)
    return data


# --- single values ---------------------------------------------------------------------


def obj(v: Any, where: str, *, required: bool = True) -> dict:
    if v is None and not required:
        return {}
    if not isinstance(v, dict):
        raise InterchangeError(f"{where} phải là một đối tượng {{…}}, không phải {_type_vi(v)}")
    return v


def items(v: Any, where: str, *, max_items: int = MAX_ROWS) -> list:
    if v is None:
        return []
    if not isinstance(v, list):
        raise InterchangeError(f"{where} phải là một danh sách […], không phải {_type_vi(v)}")
    if len(v) > max_items:
        raise InterchangeError(f"{where} có quá nhiều dòng ({len(v)}, tối đa {max_items})")
    return v


def require(d: dict, key: str, where: str) -> Any:
    if key not in d or d[key] is None:
        raise InterchangeError(f"Thiếu trường “{key}” tại {where}")
    return d[key]


def text(v: Any, where: str, *, required: bool = False, max_len: int = MAX_TEXT) -> str:
    if v is None:
        v = ""
    if not isinstance(v, str):
        raise InterchangeError(f"{where} phải là chuỗi chữ, không phải {_type_vi(v)}")
    if len(v) > max_len:
        raise InterchangeError(f"{where} dài quá {max_len} ký tự")
    if required and not v.strip():
        raise InterchangeError(f"{where} không được để trống")
    return v


def optional_text(v: Any, where: str, *, max_len: int = MAX_TEXT) -> str | None:
    return None if v is None else text(v, where, max_len=max_len)


def code(v: Any, where: str, *, max_len: int = 16) -> str:
    """A row code ("1", "1.1", "IV"): a string (a whole number is accepted and read as text)."""
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    if not isinstance(v, str):
        raise InterchangeError(f"Mã tại {where} phải là chuỗi chữ, không phải {_type_vi(v)}")
    v = v.strip()
    if not v:
        raise InterchangeError(f"Mã tại {where} không được để trống")
    if len(v) > max_len:
        raise InterchangeError(f"Mã “{v[:40]}” tại {where} dài quá {max_len} ký tự")
    return v


def plan_code(v: Any, where: str) -> str:
    if not isinstance(v, str):
        raise InterchangeError(f"Mã kế hoạch tại {where} phải là chuỗi chữ, không phải {_type_vi(v)}")
    if not _CODE.match(v) or len(v) > 64:
        raise InterchangeError(
            f"Mã kế hoạch “{v[:70]}” tại {where} không hợp lệ (chỉ chữ không dấu, số, “-”, “_”; tối đa 64 ký tự)"
        )
    return v


def boolean(v: Any, where: str, *, default: bool) -> bool:
    if v is None:
        return default
    if not isinstance(v, bool):
        raise InterchangeError(f"{where} phải là true hoặc false, không phải {_type_vi(v)}")
    return v


def integer(v: Any, where: str, *, low: int, high: int, required: bool = False) -> int | None:
    if v is None and not required:
        return None
    if isinstance(v, str) and v.strip().isdigit():
        v = int(v.strip())
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if not isinstance(v, int) or isinstance(v, bool):
        raise InterchangeError(f"{where} phải là số nguyên, không phải “{str(v)[:40]}”")
    if not low <= v <= high:
        raise InterchangeError(f"{where} = {v} nằm ngoài khoảng cho phép {low}–{high}")
    return v


def year(v: Any, where: str, *, required: bool = False) -> int | None:
    return integer(v, where, low=MIN_YEAR, high=MAX_YEAR, required=required)


def decimal(v: Any, where: str) -> Decimal | None:
    """A finite number: JSON number or its text ("12.5"). Refuses NaN, Infinity, booleans."""
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise InterchangeError(f"{where} phải là số, không phải {_type_vi(v)}")
    try:
        d = Decimal(repr(v)) if isinstance(v, float) else Decimal(str(v).strip())
    except InvalidOperation:
        raise InterchangeError(f"{where} không phải số: “{str(v)[:40]}”") from None
    if not d.is_finite():
        raise InterchangeError(f"{where} phải là số hữu hạn, không phải “{v}”")
    if d.adjusted() >= _MAX_INT_DIGITS:
        raise InterchangeError(f"{where} quá lớn: “{str(v)[:40]}”")
    return d


def baseline_decimal(v: Any, where: str) -> Decimal | None:
    d = decimal(v, where)
    if d is not None and d != d.quantize(Decimal("0.0001")):
        raise InterchangeError(f"{where} có quá 4 chữ số thập phân: “{v}”")
    return d


def iso_date(v: Any, where: str) -> date | None:
    if v is None or v == "":
        return None
    if not isinstance(v, str):
        raise InterchangeError(f"{where} phải là ngày dạng YYYY-MM-DD, không phải {_type_vi(v)} “{str(v)[:20]}”")
    try:
        d = date.fromisoformat(v)
    except ValueError:
        raise InterchangeError(f"Ngày không hợp lệ “{v[:20]}” tại {where} (cần dạng YYYY-MM-DD)") from None
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise InterchangeError(f"Ngày “{v}” tại {where} có năm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
    return d


def choice(v: Any, where: str, allowed, *, default: str | None = None) -> str:
    if v is None and default is not None:
        return default
    allowed = list(allowed)
    if not isinstance(v, str) or v not in allowed:
        raise InterchangeError(f"{where} = “{str(v)[:40]}” không hợp lệ (cần một trong: {', '.join(allowed)})")
    return v


def org_code(ref: Any, where: str) -> str | None:
    """An organisation reference: {"code": …, "name": …} or the code itself; null = none."""
    if ref is None:
        return None
    if isinstance(ref, dict):
        ref = ref.get("code")
        if ref is None:
            raise InterchangeError(f"Thiếu mã tổ chức (“code”) tại {where}")
    if not isinstance(ref, str) or not ref.strip():
        raise InterchangeError(f"{where} phải là tham chiếu tổ chức {{\"code\": …}} hoặc mã tổ chức, không phải {_type_vi(ref)}")
    return ref.strip()


def string_list(v: Any, where: str) -> list[str]:
    return [text(x, f"{where}[{n + 1}]", max_len=2000) for n, x in enumerate(items(v, where, max_items=200))]


def json_object(v: Any, where: str) -> dict:
    if v is None:
        return {}
    d = obj(v, where)
    check_structure(d, max_depth=12)
    return d


def row_ref(v: Any, where: str) -> dict | None:
    """{"plan": <plan code>, "code": <row code>} naming a row of another plan."""
    if v is None:
        return None
    d = obj(v, where)
    return {"plan": plan_code(require(d, "plan", where), f"{where}.plan"), "code": code(require(d, "code", where), f"{where}.code", max_len=32)}


# --- parsed meanings -------------------------------------------------------------------


def target_spec(spec: Any, raw: str | None, where: str) -> dict:
    """The parsed meaning of a target cell: the given spec, checked field by field, or (when
    none is given) the meaning parsed from the printed text."""
    if not spec:
        return parse_target(raw).value.to_dict()
    d = obj(spec, f"{where}.spec")
    kind = choice(d.get("kind"), f"{where}.spec.kind", [k.value for k in TargetKind])
    op = d.get("op")
    if op is not None and op not in _OPS:
        raise InterchangeError(f"{where}.spec.op = “{str(op)[:10]}” không hợp lệ (cần một trong: {', '.join(sorted(_OPS))})")
    value = decimal(d.get("value"), f"{where}.spec.value")
    value_max = decimal(d.get("value_max"), f"{where}.spec.value_max")
    if kind == TargetKind.COMPARE.value and (value is None or op is None):
        raise InterchangeError(f"{where}.spec: chỉ tiêu so sánh cần “op” và “value”")
    if kind == TargetKind.RANGE.value and (value is None or value_max is None):
        raise InterchangeError(f"{where}.spec: khoảng cần “value” và “value_max”")
    flags = string_list(d.get("flags"), f"{where}.spec.flags")
    return TargetSpec(
        kind=TargetKind(kind),
        raw=optional_text(d.get("raw"), f"{where}.spec.raw", max_len=2000),
        op=op,
        value=value,
        value_max=value_max,
        note=optional_text(d.get("note"), f"{where}.spec.note", max_len=2000),
        flags=tuple(flags),
    ).to_dict()


_DATED_KINDS = {DeadlineKind.DATE, DeadlineKind.MONTH, DeadlineKind.QUARTER, DeadlineKind.HALF, DeadlineKind.YEAR, DeadlineKind.FROM_YEAR}


def deadline_spec(spec: Any, raw: str | None, where: str) -> dict:
    """The parsed meaning of a deadline cell: the given spec, checked, or parsed from raw."""
    if not spec:
        return parse_deadline(raw or None).value.to_dict()
    d = obj(spec, f"{where}.deadline")
    kind = DeadlineKind(choice(d.get("kind"), f"{where}.deadline.kind", [k.value for k in DeadlineKind]))
    due = iso_date(d.get("due"), f"{where}.deadline.due")
    if kind in _DATED_KINDS and due is None:
        raise InterchangeError(f"{where}.deadline: thời hạn loại “{kind.value}” cần ngày “due” dạng YYYY-MM-DD")
    return DeadlineSpec(
        kind=kind,
        raw=optional_text(d.get("raw"), f"{where}.deadline.raw", max_len=255),
        due=due,
        year=year(d.get("year"), f"{where}.deadline.year"),
        month=integer(d.get("month"), f"{where}.deadline.month", low=1, high=12),
        quarter=integer(d.get("quarter"), f"{where}.deadline.quarter", low=1, high=4),
        half=integer(d.get("half"), f"{where}.deadline.half", low=1, high=2),
    ).to_dict()
