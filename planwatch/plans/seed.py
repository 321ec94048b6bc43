"""Turns the project's transcriptions of the real Quảng Ngãi documents (fixtures/seed/*.json,
copied from the team's seed-data) into interchange documents: parse → map → save.

Parsing uses planwatch.lib (raw text kept, problems recorded as notes); mapping resolves
printed agency names to organisations and fans collective phrases out; saving is
interchange.import_plan, the same service the UI and the import command use."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from planwatch.lib.deadlines import parse_deadline
from planwatch.lib.targets import TargetKind, parse_target
from planwatch.lib.text import nfc, search_key
from planwatch.orgs.models import Organisation
from planwatch.orgs.services import AgencyResolver

from .interchange import FORMAT, VERSION
from .models import Aggregation, Direction, IndicatorKind

SEED_DIR = Path(__file__).parent / "fixtures" / "seed"
MILESTONES = [2025, 2030, 2035, 2040, 2045]

PROVINCE_PLAN = "qn-327-2025"
DISTRICT_PLAN = "sontinh-kh-2025"
COMMUNE_PLAN = "thientin-kh-2025"


def load_seed(name: str) -> dict:
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))


def classify_indicator(name: str, unit: str | None, raws: list[str | None]) -> tuple[str, str, str]:
    """(kind, direction, aggregation) from the unit, the name and the targets."""
    key = search_key(name)
    ukey = search_key(unit or "")
    specs = [parse_target(r).value for r in raws if r]
    if ukey in ("thu bac", "thu hang") or key.startswith("xep hang"):
        return IndicatorKind.RANK, Direction.LOWER, Aggregation.NONE
    if specs and all(s.kind in (TargetKind.DONE, TargetKind.NONE) for s in specs):
        return IndicatorKind.QUALITATIVE, Direction.HIGHER, Aggregation.NONE
    if ukey == "hoan thanh":
        return IndicatorKind.RATIO, Direction.HIGHER, Aggregation.RATIO
    if ukey.startswith("%") or key.startswith("ty le") or key.startswith("ty ke"):
        # Shares of GRDP or of the budget are computed once by the responsible agency;
        # shares of a counted population add up from numerators and denominators.
        if "grdp" in ukey or "ngan sach" in ukey or "nsnn" in ukey or "grdp" in key:
            return IndicatorKind.RATIO, Direction.HIGHER, Aggregation.RESPONSIBLE
        return IndicatorKind.RATIO, Direction.HIGHER, Aggregation.RATIO
    if key.startswith("chi so") or not ukey:
        return IndicatorKind.INDEX, Direction.HIGHER, Aggregation.RESPONSIBLE
    if "/" in ukey:  # "Người/vạn dân": a rate, not a count
        return IndicatorKind.AMOUNT, Direction.HIGHER, Aggregation.RESPONSIBLE
    return IndicatorKind.COUNT, Direction.HIGHER, Aggregation.SUM


def _notes(row: dict, keys: list[str]) -> dict:
    return {k: row[k] for k in keys if row.get(k)}


def _targets(row: dict, *, ocr: bool) -> list[dict]:
    out = []
    for year in MILESTONES:
        raw = row["targets"].get(str(year))
        res = parse_target(raw, ocr=ocr)
        note = "; ".join(res.warnings)
        out.append({"year": year, "raw": raw, "spec": res.value.to_dict(), "note": note})
    return out


def _assignments(resolver: AgencyResolver, lead: list[str], coord: list[str], notes: dict) -> list[dict]:
    out: dict[tuple[str, str], dict] = {}
    unresolved: list[str] = []
    for role, cell in (("lead", lead), ("coordinating", coord)):
        res = resolver.resolve_cell(cell)
        unresolved += list(res.warnings)
        for r in res.value:
            for org in r.orgs:
                out.setdefault((org.code, role), {"org": org.code, "role": role, "source_text": r.text})
    if unresolved:
        notes["agency_warnings"] = unresolved
    # A unit that leads does not also appear as coordinating for the same task.
    leads = {c for c, role in out if role == "lead"}
    return [a for (c, role), a in sorted(out.items()) if not (role == "coordinating" and c in leads)]


def _indicator_rows(seed: dict, resolver: AgencyResolver, *, ocr: bool) -> list[dict]:
    rows = []
    for n, r in enumerate(seed["indicators"]):
        kind, direction, aggregation = classify_indicator(r["name"], r.get("unit"), list(r["targets"].values()))
        responsible = []
        notes = _notes(r, ["name_ocr", "unit_ocr", "targets_ocr", "agency_ocr", "code_printed", "code_note",
                           "name_note", "unit_note", "targets_note", "agency_note"])
        if r.get("agency"):
            res = resolver.resolve_cell(r["agency"])
            responsible = sorted({o.code for x in res.value for o in x.orgs})
            if res.warnings:
                notes["agency_warnings"] = list(res.warnings)
        rows.append({
            "code": r["code"], "parent": r.get("parent"), "position": n, "is_group": r["is_group"],
            "name": nfc(r["name"]), "unit": r.get("unit") or "", "kind": kind, "direction": direction,
            "aggregation": aggregation, "agency_text": r.get("agency") or "", "agency_inferred": bool(r.get("agency_inferred")),
            "responsible": responsible, "aligned_to": None, "alignment_note": "", "baseline_value": None,
            "baseline_year": None, "notes": notes, "targets": [] if r["is_group"] else _targets(r, ocr=ocr),
        })
    return rows


def _task_rows(seed: dict, resolver: AgencyResolver) -> list[dict]:
    rows = []
    for n, t in enumerate(seed["tasks"]):
        notes = _notes(t, ["name_ocr", "lead_ocr", "coordinating_ocr", "result_ocr", "deadline_ocr", "note", "coordinating_printed"])
        dl = parse_deadline(t.get("deadline"))
        if dl.warnings:
            notes["deadline_warnings"] = list(dl.warnings)
        if t.get("result") is None:
            notes.setdefault("note", "Ô kết quả trống trong bản nguồn.")
        rows.append({
            "code": t["code"], "group": t["group"], "position": n, "name": nfc(t["name"]),
            "lead_text": t["lead"], "coordinating_text": t["coordinating"], "result": t.get("result") or "",
            "deadline_raw": t.get("deadline") or "", "deadline": dl.value.to_dict(), "derived_from": None,
            "notes": notes, "assignments": _assignments(resolver, t["lead"], t["coordinating"], notes),
        })
    return rows


def _doc(seed_doc: dict, issuer: Organisation, kind: str) -> dict:
    refs = {
        "71/NQ-CP": {"number": "71/NQ-CP", "kind": "Nghị quyết", "date": "2025-04-01", "issuer_name": "Chính phủ",
                     "title": "Nghị quyết sửa đổi, bổ sung, cập nhật Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW"},
        "359-KH/TU": {"number": "359-KH/TU", "kind": "Kế hoạch", "date": "2025-04-29", "issuer_name": "Ban Thường vụ Tỉnh ủy Quảng Ngãi",
                      "title": "Kế hoạch hành động thực hiện Nghị quyết số 57-NQ/TW"},
        "57-NQ/TW": {"number": "57-NQ/TW", "kind": "Nghị quyết", "date": "2024-12-22", "issuer_name": "Bộ Chính trị",
                     "title": "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"},
        "51/KH-UBND": {"number": "51/KH-UBND", "kind": "Kế hoạch", "date": "2025-03-07", "issuer_name": "Ủy ban nhân dân tỉnh Quảng Ngãi",
                       "title": "Kế hoạch thực hiện Nghị quyết số 03/NQ-CP ngày 09/01/2025 của Chính phủ"},
        "327/QĐ-UBND": {"number": "327/QĐ-UBND", "kind": "Quyết định", "date": "2025-05-26", "issuer_name": "Ủy ban nhân dân tỉnh Quảng Ngãi",
                        "title": ""},
        "02-KH/BCĐTW": {"number": "02-KH/BCĐTW", "kind": "Kế hoạch", "date": None, "issuer_name": "Ban Chỉ đạo Trung ương", "title": ""},
    }
    implements = list(seed_doc.get("implements") or [])
    if kind == "province" and "57-NQ/TW" not in implements:
        implements.append("57-NQ/TW")  # recorded in the transcription's note; 71/NQ-CP and 359-KH/TU implement it
    notes = {k: v for k, v in seed_doc.items() if k.endswith(("_note", "_ocr", "_printed")) or k in ("attached_plan", "proposed_by", "signer")}
    return {
        "number": seed_doc.get("number") or "", "kind": seed_doc.get("type") or "Kế hoạch", "date": seed_doc.get("date"),
        "issuer_name": seed_doc.get("issuer") or "", "issuer": {"code": issuer.code, "name": issuer.name},
        "title": seed_doc.get("title") or "",
        "implements": [refs.get(n, {"number": n, "kind": "", "date": None, "issuer_name": "", "title": ""}) for n in implements],
        "replaces": [refs.get(n, {"number": n, "kind": "", "date": None, "issuer_name": "", "title": ""}) for n in seed_doc.get("replaces") or []],
        "notes": notes,
    }


def _plan(code, name, owner, parent, standing):
    return {"code": code, "name": name, "owner": {"code": owner.code, "name": owner.name}, "parent": parent,
            "standing_agency": {"code": standing.code, "name": standing.name}, "milestone_years": MILESTONES,
            "reporting_schedule": "monthly", "reporting_due_day": 10, "notes": {}}


def province_plan_document() -> dict[str, Any]:
    seed = load_seed("province_plan_327.json")
    province = Organisation.objects.get(code="qn")
    resolver = AgencyResolver(province)
    return {
        "format": FORMAT, "version": VERSION,
        "plan": _plan(PROVINCE_PLAN, "Kế hoạch hành động thực hiện Nghị quyết số 71/NQ-CP và Kế hoạch hành động số 359-KH/TU (ban hành kèm Quyết định số 327/QĐ-UBND ngày 26/5/2025)",
                      Organisation.objects.get(code="qn-ubnd"), None, Organisation.objects.get(code="qn-skhcn")),
        "document": _doc(seed["document"], Organisation.objects.get(code="qn-ubnd"), "province"),
        "indicators": _indicator_rows(seed, resolver, ocr=True),
        "task_groups": [{"code": g["code"], "name": nfc(g["name"]), "position": n} for n, g in enumerate(seed["task_groups"])],
        "tasks": _task_rows(seed, resolver),
    }


def district_plan_document() -> dict[str, Any]:
    seed = load_seed("district_plan_sontinh.json")
    district = Organisation.objects.get(code="qn-sontinh")
    # The plan dates from June 2025, while the district still existed.
    resolver = AgencyResolver(district, on=date(2025, 6, 30))
    doc = _doc(seed["document"], Organisation.objects.get(code="qn-sontinh-ubnd"), "district")
    indicators = _indicator_rows(seed, resolver, ocr=False)
    _align(indicators, PROVINCE_PLAN, by_name=True)
    tasks = _task_rows(seed, resolver)
    _derive_tasks(tasks, PROVINCE_PLAN)
    return {
        "format": FORMAT, "version": VERSION,
        "plan": _plan(DISTRICT_PLAN, "Kế hoạch triển khai thực hiện Quyết định số 327/QĐ-UBND của UBND tỉnh (huyện Sơn Tịnh)",
                      Organisation.objects.get(code="qn-sontinh-ubnd"), PROVINCE_PLAN, Organisation.objects.get(code="qn-sontinh-vhkhtt")),
        "document": doc, "indicators": indicators,
        "task_groups": [{"code": g["code"], "name": nfc(g["name"]), "position": n} for n, g in enumerate(seed["task_groups"])],
        "tasks": tasks,
    }


_OP_SIGN = {">=": "≥", "=": "", "range": "", "done": "X"}


def commune_plan_document() -> dict[str, Any]:
    """The Thiện Tín plan states its targets as bullets per milestone; each distinct
    indicator becomes a row with the bullet text as the printed target of its year."""
    seed = load_seed("commune_plan_thientin.json")
    commune = Organisation.objects.get(name="Xã Thiện Tín")
    by_name: dict[str, dict] = {}
    for b in seed["targets"]:
        row = by_name.get(b["indicator"])
        if row is None:
            row = by_name[b["indicator"]] = {
                "code": f"T{len(by_name) + 1}", "parent": None, "position": len(by_name), "is_group": False,
                "name": nfc(b["indicator"]), "unit": b.get("unit") or "", "agency_text": "", "agency_inferred": False,
                "responsible": [commune.code], "aligned_to": None, "alignment_note": "", "baseline_value": None,
                "baseline_year": None, "notes": {"area": b["area"]}, "targets": [],
            }
        year = int(b["milestone"])
        if b["op"] == "done":
            spec_raw = "X"
        elif b["op"] == "range":
            spec_raw = f"{_vn(b['value'])}-{_vn(b['value_max'])}"
        else:
            spec_raw = f"{_OP_SIGN[b['op']]} {_vn(b['value'])}".strip()
        spec = parse_target(spec_raw).value.to_dict()
        note = "; ".join(x for x in [b.get("note") or "", _additional(b)] if x)
        existing = next((t for t in row["targets"] if t["year"] == year), None)
        if existing:  # two bullets on one indicator in one milestone: keep both texts
            existing["raw"] += " | " + b["text"]
            existing["note"] = "; ".join(x for x in [existing["note"], "Hai gạch đầu dòng cùng mốc"] if x)
        else:
            row["targets"].append({"year": year, "raw": b["text"], "spec": spec, "note": note})
    rows = list(by_name.values())
    for r in rows:
        r["kind"], r["direction"], r["aggregation"] = classify_indicator(r["name"], r["unit"], [_spec_raw(t) for t in r["targets"]])
        r["targets"].sort(key=lambda t: t["year"])
    _align(rows, PROVINCE_PLAN, by_name=True)
    doc = _doc(seed["document"], commune, "commune")
    doc["notes"]["skipped_bullets"] = seed.get("skipped_bullets")
    return {
        "format": FORMAT, "version": VERSION,
        "plan": _plan(COMMUNE_PLAN, "Kế hoạch hành động thực hiện Nghị quyết số 57-NQ/TW (Đảng ủy xã Thiện Tín)", commune,
                      PROVINCE_PLAN, commune),
        "document": doc, "indicators": rows, "task_groups": [], "tasks": [],
    }


def _spec_raw(t: dict) -> str:
    s = t["spec"]
    return "X" if s.get("kind") == "done" else (s.get("value") or "")


def _additional(b: dict) -> str:
    extra = b.get("additional_targets") or []
    return "; ".join(f"Chỉ tiêu kèm theo: {a['indicator']} {a['op']} {_vn(a['value'])}{a.get('unit') or ''}" for a in extra)


def _vn(v) -> str:
    from decimal import Decimal

    from planwatch.lib.numbers import format_vn_number

    return format_vn_number(Decimal(str(v)))


# Curated correspondences where the wording differs too much for fuzzy matching.
MANUAL_ALIGNMENT = {
    "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến": "7.4",
    "Chỉ số chuyển đổi số cấp xã": "3.1",
    "Tỷ lệ người dân có tài khoản định danh điện tử mức 2, cài đặt và sử dụng VNeID": "9",
}
ALIGN_MIN_SCORE = 88


def _align(rows: list[dict], upper_plan: str, *, by_name: bool) -> None:
    """Link each row to the upper plan's indicator it corresponds to: curated pairs first,
    then rapidfuzz on accent-free names (score kept in the note); below the threshold
    the row stays unaligned rather than guessed."""
    from .models import Indicator

    uppers = {i.code: search_key(i.name) for i in Indicator.objects.filter(plan__code=upper_plan, is_group=False)}
    choices = {code: name for code, name in uppers.items()}
    for r in rows:
        if r["is_group"]:
            continue
        manual = MANUAL_ALIGNMENT.get(r["name"])
        if manual and manual in uppers:
            r["aligned_to"], r["alignment_note"] = {"plan": upper_plan, "code": manual}, "đối chiếu thủ công"
            continue
        best = process.extractOne(search_key(r["name"]), choices, scorer=fuzz.token_sort_ratio)
        if best and best[1] >= ALIGN_MIN_SCORE:
            r["aligned_to"] = {"plan": upper_plan, "code": best[2]}
            r["alignment_note"] = f"tự động theo tên (độ tương đồng {best[1]:.0f}%)"


def _derive_tasks(rows: list[dict], upper_plan: str) -> None:
    from .models import Task

    uppers = {t.code: search_key(t.name) for t in Task.objects.filter(plan__code=upper_plan)}
    for r in rows:
        best = process.extractOne(search_key(r["name"]), uppers, scorer=fuzz.token_sort_ratio)
        if best and best[1] >= 85:
            r["derived_from"] = {"plan": upper_plan, "code": best[2]}
