"""How organisations are listed to people: grouped by kind in a fixed order, then in
Vietnamese alphabetical order of the name without its administrative prefix
("Xã An Phú" is filed under A, not under X)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from planwatch.lib.text import nfc, vn_sort_key

from .models import Organisation, OrgKind

KIND_ORDER = [
    OrgKind.PROVINCE, OrgKind.PEOPLES_COMMITTEE, OrgKind.PARTY_COMMITTEE, OrgKind.DEPARTMENT, OrgKind.AGENCY,
    OrgKind.GROUP, OrgKind.DISTRICT, OrgKind.DISTRICT_OFFICE, OrgKind.WARD, OrgKind.COMMUNE, OrgKind.SPECIAL_ZONE,
]  # fmt: skip
_KIND_RANK = {k.value: n for n, k in enumerate(KIND_ORDER)}
# Longest first: "Thị trấn" before a shorter prefix that could open it.
LOCALITY_PREFIXES = ("Thành phố", "Thị trấn", "Đặc khu", "Thị xã", "Phường", "Huyện", "Xã")


def sort_name(name: str) -> str:
    """The name under which a unit is filed: "Xã Tịnh Khê" → "Tịnh Khê", "Đặc khu Lý Sơn" → "Lý Sơn"."""
    text = nfc(name)
    for prefix in LOCALITY_PREFIXES:
        if text.casefold().startswith(prefix.casefold() + " ") and len(text) > len(prefix) + 1:
            return text[len(prefix) + 1 :]
    return text


def name_key(org: Organisation):
    """Alphabetical key of a unit by its name without the Xã/Phường/Đặc khu prefix."""
    return vn_sort_key(sort_name(org.name)), vn_sort_key(org.name)


def kind_then_name_key(org: Organisation):
    return _KIND_RANK.get(org.kind, len(_KIND_RANK)), name_key(org)


@lru_cache(maxsize=32768)
def unit_sort_key(kind: str, name: str):
    """kind_then_name_key() from a kind and a name (rows read without an Organisation, such as
    the nation's ~4.000 units of a monitoring list); cached: the same names come back each request."""
    return _KIND_RANK.get(kind, len(_KIND_RANK)), (vn_sort_key(sort_name(name)), vn_sort_key(name))


def sorted_by_name(orgs: Iterable[Organisation]) -> list[Organisation]:
    return sorted(orgs, key=name_key)


def sorted_by_kind_then_name(orgs: Iterable[Organisation]) -> list[Organisation]:
    return sorted(orgs, key=kind_then_name_key)


def grouped_by_kind(orgs: Iterable[Organisation]) -> list[tuple[str, list[Organisation]]]:
    """[(kind label, units sorted by name)] in KIND_ORDER, empty kinds left out."""
    groups: dict[str, list[Organisation]] = {}
    for o in sorted_by_kind_then_name(orgs):
        groups.setdefault(o.kind, []).append(o)
    return [(OrgKind(k).label if k in OrgKind.values else k, members) for k, members in groups.items()]
