"""Builds the organisation tree of a province from the project's fixture, the package
vietnam-provinces (post-reform communes and wards) and vietnam-address-converter (the
old-district → new-commune mapping). Idempotent: safe to run again."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction

from .models import Organisation, OrgKind, OrgSuccession
from .services import add_alias

FIXTURE = Path(__file__).parent / "fixtures" / "quangngai.json"
REFORM_DATE = date(2025, 7, 1)

_WARD_KINDS = {"xã": OrgKind.COMMUNE, "phường": OrgKind.WARD, "đặc khu": OrgKind.SPECIAL_ZONE}


def _upsert(code: str, **fields) -> Organisation:
    org = Organisation.objects.filter(code=code).first() or Organisation(code=code)
    for k, v in fields.items():
        setattr(org, k, v)
    org.save()
    return org


def _date(v: str | None) -> date | None:
    return date.fromisoformat(v) if v else None


def wards_of_province(admin_code: int):
    from vietnam_provinces import Ward

    return sorted((w for w in Ward.iter_all() if int(w.province_code) == admin_code), key=lambda w: w.name)


def load_province_communes(province: Organisation, *, with_aliases: bool = True) -> list[Organisation]:
    out = []
    for w in wards_of_province(int(province.admin_code)):
        org = _upsert(
            f"w{int(w.code)}",
            name=w.name,
            short_name=w.name,
            kind=_WARD_KINDS[w.division_type.value],
            parent=province,
            admin_code=str(int(w.code)),
            valid_from=REFORM_DATE,
        )
        if with_aliases:
            add_alias(org, f"UBND {w.name.lower()}", "tên gọi thông dụng")
        out.append(org)
    return out


def district_successor_names(old_district_code: str) -> dict[str, list[str]]:
    """New commune name → old communes it took over, for one old district."""
    from vietnam_address_converter.data import DEFAULT_DATA

    out: dict[str, list[str]] = {}
    for row in DEFAULT_DATA["mapping"]["rows"]:
        if row["old"].get("district_code") == old_district_code:
            out.setdefault(row["new"]["ward_name"], []).append(row["old"]["ward_name"])
    return out


@transaction.atomic
def load_quangngai(fixture: Path = FIXTURE) -> Organisation:
    data = json.loads(fixture.read_text(encoding="utf-8"))
    p = data["province"]
    province = _upsert(p["code"], name=p["name"], short_name=p["short_name"], kind=OrgKind.PROVINCE, parent=None, admin_code=p["admin_code"])
    add_alias(province, "tỉnh Quảng Ngãi")
    by_code: dict[str, Organisation] = {}
    for u in data["units"]:
        org = _upsert(
            u["code"], name=u["name"], short_name=u.get("short_name", ""), kind=u["kind"], parent=province,
            valid_from=_date(u.get("valid_from")), valid_to=_date(u.get("valid_to")), email=u.get("email", ""),
            note=u.get("note", ""),
        )
        for a in u.get("aliases", []):
            add_alias(org, a, "văn bản nguồn")
        by_code[u["code"]] = org
    for u in data["units"]:
        for s in u.get("successors", []):
            OrgSuccession.objects.update_or_create(
                predecessor=by_code[u["code"]], successor=by_code[s],
                defaults={"effective": by_code[u["code"]].valid_to + timedelta(days=1), "source": "fixture", "detail": u.get("note", "")},
            )
    communes = {o.name: o for o in load_province_communes(province)}

    d = data["district"]
    district = _upsert(
        d["code"], name=d["name"], short_name=d["name"], kind=OrgKind.DISTRICT, parent=province,
        valid_to=_date(d["valid_to"]), note=d["note"], admin_code=d["old_district_code"],
    )
    add_alias(district, "huyện Sơn Tịnh")
    for u in d["units"]:
        org = _upsert(u["code"], name=u["name"], short_name=u["short_name"], kind=u["kind"], parent=district, valid_to=district.valid_to)
        for a in u.get("aliases", []):
            add_alias(org, a, "văn bản nguồn")
    for new_name, old_names in district_successor_names(d["old_district_code"]).items():
        successor = communes.get(new_name)
        if successor is None:  # names differ in letter case only between the two packages
            successor = next((c for n, c in communes.items() if n.lower() == new_name.lower()), None)
        if successor is None:
            continue
        OrgSuccession.objects.update_or_create(
            predecessor=district, successor=successor,
            defaults={
                "effective": REFORM_DATE,
                "source": "vietnam-address-converter (bảng chuyển đổi địa giới 2025)",
                "detail": "Tiếp nhận: " + ", ".join(sorted(old_names)),
            },
        )
    return province
