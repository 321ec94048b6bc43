"""Bodies that no longer exist after the 2025 restructuring, for agency names printed in plans and
reports written before it.

Two kinds (planwatch/orgs/fixtures/reform_2025.json says where they come from):
- ministries and provincial departments merged from 01/3/2025 ("Sở Kế hoạch và Đầu tư" → "Sở Tài
  chính", "Bộ Thông tin và Truyền thông" → "Bộ Khoa học và Công nghệ"): `former_body(name)`;
- bodies of a district ("Phòng Tài chính - Kế hoạch huyện X", "UBND huyện X"), whose level ended
  on 01/7/2025: `former_district(name)` names the district, `district_communes(...)` the new
  communes and wards that took its area over (vietnam-address-converter's old-to-new mapping).

resolve.OrgSuggester uses them when the organisation tree does not hold the former body itself:
the name then resolves to the successor found in the issuer's tree, with a flag saying so.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from planwatch.lib.agencies import agency_key
from planwatch.lib.text import collapse_ws, strip_accents

REGISTRY = Path(__file__).resolve().parents[2] / "orgs" / "fixtures" / "reform_2025.json"


@dataclass(frozen=True)
class Former:
    name: str  # the former body as the registry writes it
    successor: str  # the body that took it over
    parts: tuple[str, ...]  # bodies that took part of its duties
    effective: date
    level: str  # "ministry" | "department"


@lru_cache(maxsize=1)
def _registry() -> dict:
    try:
        return json.loads(REGISTRY.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"bodies": [], "district_level": {}}


@lru_cache(maxsize=1)
def _by_key() -> dict[str, Former]:
    out: dict[str, Former] = {}
    for b in _registry().get("bodies", []):
        former = Former(b["former"], b["successor"], tuple(b.get("parts") or ()),
                        date.fromisoformat(b["effective"]), b.get("level", ""))
        for name in [b["former"], *(b.get("aliases") or [])]:
            out.setdefault(agency_key(name), former)
    return out


_LOCALITY_TAIL = re.compile(r"^(?P<head>.+?) (?:tinh|thanh pho)(?: [a-z].*)?$")


def former_body(name: str | None) -> Former | None:
    """The registry entry of a merged ministry or department named by `name` ("Sở KH&ĐT",
    "Sở Kế hoạch và Đầu tư tỉnh Đắk Lắk"), else None."""
    if not name:
        return None
    key = agency_key(name)
    table = _by_key()
    if key in table:
        return table[key]
    m = _LOCALITY_TAIL.match(key)
    if m and m["head"] in table and table[m["head"]].level == "department":
        return table[m["head"]]
    return None


def _day(d: date) -> str:
    return f"{d.day:02d}/{d.month}/{d.year}"  # "01/3/2025", as documents print it


def reform_note() -> str:
    return _registry().get("note") or "theo sắp xếp bộ máy năm 2025"


def merged_flag(text: str, former: Former, successor_in_tree: bool, *, guessed: bool = False) -> str:
    """"Sở Kế hoạch và Đầu tư đã hợp nhất vào Sở Tài chính từ 01/3/2025 (theo sắp xếp bộ máy
    năm 2025)", with the parts of its duties that went elsewhere and what is left to check."""
    msg = f"“{text}” đã hợp nhất vào {former.successor} từ {_day(former.effective)} ({reform_note()})"
    if former.parts:
        msg += f"; một phần nhiệm vụ chuyển sang {', '.join(former.parts)}"
    if not successor_in_tree:
        msg += f"; chưa có “{former.successor}” trong danh mục đơn vị: chọn tay hoặc bổ sung đơn vị"
    elif guessed:
        msg += ": chưa rõ tỉnh của cơ quan ban hành, cần kiểm tra"
    return msg


# --- the district level -------------------------------------------------------------------------

_DISTRICT = re.compile(r"(?:^|\s)(?P<kind>huyện|quận|thị xã|huyen|quan|thi xa)\s+(?P<name>\w[^,;()]*?)\s*$", re.I)


def former_district(name: str | None) -> tuple[str, str] | None:
    """("huyện", "Krông Pắc") when `name` is a body of a district ("Phòng Tài chính - Kế hoạch
    huyện Krông Pắc", "UBND huyện Krông Pắc"), else None."""
    if not name:
        return None
    m = _DISTRICT.search(collapse_ws(name))
    if not m or not m["name"][:1].isupper():
        return None
    kind = m["kind"].lower()
    kind = {"huyen": "huyện", "quan": "quận", "thi xa": "thị xã"}.get(kind, kind)
    return kind, m["name"].strip()


# The district's government (its people's committee, council, office and specialised offices):
# their work passed to the communes and wards. Other district-level bodies (health centre, police,
# military command, party and mass bodies) went elsewhere too, so they are only suggested.
_DISTRICT_GOVERNMENT = re.compile(
    r"^(?:phong|uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd|van phong (?:hdnd|hoi dong nhan dan|ubnd|uy ban nhan dan))\b"
)


def is_district_government(name: str) -> bool:
    return bool(_DISTRICT_GOVERNMENT.match(_fold(name)))


def district_ended() -> date:
    return date.fromisoformat((_registry().get("district_level") or {}).get("ended") or "2025-07-01")


def _fold(s: str) -> str:
    return collapse_ws(strip_accents(s).lower())


def same_province(a: str, b: str) -> bool:
    """"Tỉnh Quảng Ngãi" and "Quảng Ngãi", "Thành Phố Đà Nẵng" and "thành phố Đà Nẵng" are one."""
    strip = re.compile(r"^(?:tinh|thanh pho)\s+")
    return strip.sub("", _fold(a)) == strip.sub("", _fold(b))


@lru_cache(maxsize=256)
def district_communes(kind: str, name: str, province: str | None = None) -> tuple[tuple[str, str], ...]:
    """The new communes and wards (name, province) that took over the district `kind name`,
    from vietnam-address-converter; within `province` (a name, "Tỉnh Quảng Ngãi") when given.
    Empty when the district is unknown or its name is shared by districts of several provinces
    and no province is given."""
    try:
        from vietnam_address_converter.data import DEFAULT_DATA
    except ImportError:  # pragma: no cover - a dependency of the project
        return ()
    want = _fold(f"{kind} {name}")
    prov = _fold(re.sub(r"^(?:tỉnh|thành phố|tinh|thanh pho)\s+", "", province, flags=re.I)) if province else None
    found: dict[tuple[str, str], set[str]] = {}
    for row in DEFAULT_DATA["mapping"]["rows"]:
        old, new = row.get("old") or {}, row.get("new") or {}
        if _fold(old.get("district_name") or "") != want:
            continue
        new_prov = new.get("province_name") or ""
        if prov and prov not in {_fold(re.sub(r"^(?:Tỉnh|Thành Phố|Thành phố)\s+", "", new_prov)),
                                 _fold(re.sub(r"^(?:Tỉnh|Thành Phố|Thành phố)\s+", "", old.get("province_name") or ""))}:
            continue
        found.setdefault((old.get("province_name") or "", new_prov), set()).add(new.get("ward_name") or "")
    if len(found) != 1:
        return ()  # unknown, or "Huyện Châu Thành" of several provinces
    (_old_prov, new_prov), wards = next(iter(found.items()))
    return tuple((w, new_prov) for w in sorted(w for w in wards if w))


def district_flag(text: str, kind: str, name: str, communes: list[str], in_tree: bool, chosen: bool = True) -> str:
    ended = district_ended()
    note = (_registry().get("district_level") or {}).get("note") or "theo sắp xếp đơn vị hành chính năm 2025"
    msg = f"Cấp huyện đã kết thúc hoạt động từ {_day(ended)} ({note}): “{text}” không còn"
    if communes:
        msg += f"; địa bàn {kind} {name} nay thuộc {', '.join(c[:1].lower() + c[1:] for c in communes)}"
        if not in_tree:
            msg += " (chưa có trong danh mục đơn vị): chọn tay hoặc bổ sung đơn vị"
        elif chosen:
            msg += ": cần kiểm tra đơn vị nhận nhiệm vụ"
        else:
            msg += ": chọn đơn vị nhận nhiệm vụ trong danh sách gợi ý"
    else:
        msg += f"; chưa xác định được xã, phường nào nhận địa bàn {kind} {name}: chọn tay"
    return msg
