"""Turns the project's transcriptions of the real Quảng Ngãi documents (fixtures/seed/*.json,
copied from the team's seed-data) into interchange documents: parse → map → save.

Parsing uses planwatch.lib (raw text kept, problems recorded as notes); mapping resolves
printed agency names to organisations and fans collective phrases out; saving is
interchange.import_plan, the same service the UI and the import command use."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
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
    _align(indicators, PROVINCE_PLAN, DISTRICT_ALIGNMENT)
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
    _align(rows, PROVINCE_PLAN, COMMUNE_ALIGNMENT)
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


# --- Alignment of lower-level indicators to the province plan's -----------------------------------
# Curated per plan, row by row, against the documents (001 for the commune, 000 for the district,
# 003 for the province). same: the same indicator in other words; judged: a judgement call, whose
# doubt is kept on the row (notes["alignment_doubt"], shown with ⚑); no_match: no counterpart.
# Rows missing here fall back to fuzzy name matching.


@dataclass(frozen=True)
class Alignment:
    code: str | None
    note: str = ""
    doubt: str = ""


def same(code: str, note: str = "") -> Alignment:
    return Alignment(code, note)


def judged(code: str, doubt: str) -> Alignment:
    return Alignment(code, "", doubt)


def no_match(reason: str) -> Alignment:
    return Alignment(None, "", reason)


_ALL_ENTERPRISES = ("Cân nhắc: xã tính mọi doanh nghiệp ở địa phương, chỉ tiêu 1.4 của tỉnh tính doanh nghiệp vừa "
                    "và nhỏ; các mốc 2040 (95%) và 2045 (100%) trùng với 1.4.")
_MTTQ = "Cân nhắc: xã mở rộng sang Mặt trận và các tổ chức thành viên; tỉnh đo tỷ lệ đảng ủy, chính quyền xã, phường."
_RESEARCHERS = "Cân nhắc: cán bộ của xã tham gia nghiên cứu được tính vào số cán bộ nghiên cứu khoa học và công nghệ toàn tỉnh (2.1)."
_INITIATIVES = "Cân nhắc: xã đặt mục tiêu “có” sáng kiến được công nhận, tỉnh đếm số sáng kiến được công nhận hằng năm (15)."
_AWARDS = "Cân nhắc: xã tính cả giải thưởng cấp tỉnh, chỉ tiêu 13.2 chỉ tính giải cấp quốc gia/khu vực."
_SMART_CENTRE = "Cân nhắc: xã kết nối với trung tâm điều hành thông minh của tỉnh (chỉ tiêu 19, mốc 2035–2045)."

COMMUNE_ALIGNMENT: dict[str, Alignment] = {
    "Tỷ lệ phủ sóng 5G trên địa bàn": same("16.2", "phủ sóng 5G (không phải 6G – chỉ tiêu 16.3)"),
    "Tỷ lệ người sử dụng có khả năng truy cập băng rộng cố định tốc độ trên 1 Gb/s": same("16.1"),
    "Chi ngân sách địa phương cho khoa học, công nghệ, đổi mới sáng tạo": judged(
        "9", "Cân nhắc: xã đo phần chi ngân sách địa phương cho KH, CN, ĐMST (chỉ tiêu 9 gồm cả chuyển đổi số); "
        "con số kèm theo (% tổng giá trị sản xuất) ứng với chỉ tiêu 10 (% GRDP)."),
    "Tỷ lệ cán bộ, công chức cấp xã được bồi dưỡng kỹ năng số căn bản": same("3.3"),
    "Tỷ lệ cán bộ, công chức, viên chức làm chủ kỹ năng số, ứng dụng công nghệ trong quản lý, điều hành": same("3.4"),
    "Tỷ lệ dân số trưởng thành tiếp cận dịch vụ số trong y tế, giáo dục, bảo hiểm, giao thông": same("3.5"),
    "Ứng dụng AI, IoT, Big Data trong quản lý giao thông, thiên tai": judged(
        "16.4", "Cân nhắc: cùng nội dung ứng dụng AI, IoT… nâng cao chất lượng sống người dân; xã đặt mốc 2025, "
        "tỉnh in “-” cho 2025 và 2030."),
    "Thành lập Câu lạc bộ “Khoa học – Sáng tạo – Khởi nghiệp” xã Thiện Tín": no_match(
        "Không có chỉ tiêu tương ứng trong 327/QĐ-UBND (mục tiêu riêng của xã)."),
    "Chỉ số chuyển đổi số cấp xã": judged(
        "3.1", "Cân nhắc: chỉ số chuyển đổi số cấp xã đối chiếu với chỉ số cấp tỉnh (DTI); hai chỉ số đo ở hai cấp khác nhau."),
    "Tỷ lệ thủ tục hành chính được tiếp nhận, giải quyết phi địa giới hành chính": same("7.1"),
    "Tỷ lệ thủ tục hành chính liên quan đến đào tạo, nghiên cứu, sản xuất, kinh doanh được thực hiện trực tuyến": same("7.4"),
    "Tỷ lệ giao dịch hành chính thuộc diện “phi tiếp xúc”": same("7.5"),
    "Tỷ lệ hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa": same("7.6"),
    "Tỷ lệ dịch vụ công trực tuyến toàn trình trên tổng số thủ tục hành chính có đủ điều kiện": same("7.3"),
    "Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến": same("7.8", "cùng tên chỉ tiêu"),
    "Tỷ lệ doanh nghiệp vừa và nhỏ địa phương ứng dụng công nghệ số": same("1.4"),
    "Tỷ lệ người dân có tài khoản định danh điện tử mức 2, cài đặt và sử dụng VNeID": same(
        "20", "con số kèm theo về chữ ký số ứng với chỉ tiêu 22"),
    "Đảng ủy, chính quyền, Mặt trận và các tổ chức thành viên sử dụng phần mềm quản trị điều hành thống nhất": judged("7.11", _MTTQ),
    "Có cán bộ tham gia nghiên cứu khoa học và công nghệ cấp tỉnh": judged("2.1", _RESEARCHERS),
    "Ứng dụng AI, IoT trong quản lý môi trường, sản xuất, kinh doanh, thiên tai, giao thông": same(
        "16.4", "xã đặt mốc 2030, tỉnh từ 2035"),
    "Thành lập “Tổ tư vấn” phát triển khoa học công nghệ": no_match(
        "Không có chỉ tiêu tương ứng trong 327/QĐ-UBND (mục tiêu riêng của xã)."),
    "Có sản phẩm nghiên cứu khoa học đăng trên báo khoa học ứng dụng liên quan đổi mới sáng tạo": same(
        "8.7", "xã đặt mục tiêu “có”, tỉnh đếm số bài báo hằng năm"),
    "Có tham gia sáng kiến trong khu vực công được công nhận": judged("15", _INITIATIVES),
    "Tỷ lệ doanh nghiệp hoạt động tại địa phương có ứng dụng công nghệ số": judged("1.4", _ALL_ENTERPRISES),
    "Đảng ủy, chính quyền, UBMTTQ và các cơ quan thành viên sử dụng phần mềm quản trị điều hành thống nhất": judged("7.11", _MTTQ),
    "Quy mô kinh tế số": same("6", "xã tính % tổng giá trị sản xuất, tỉnh tính % GRDP"),
    "Tỷ lệ phủ sóng 6G trên địa bàn": same("16.3"),
    "Số cán bộ tham gia nghiên cứu các dự án khoa học và công nghệ của tỉnh": judged("2.1", _RESEARCHERS),
    "Có công trình đạt giải thưởng khoa học và công nghệ cấp tỉnh/quốc gia/khu vực": judged("13.2", _AWARDS),
    "Nghiên cứu ứng dụng công nghệ chiến lược, công nghệ số vào quản lý môi trường, giao thông, thiên tai, sản xuất, kinh doanh": judged(
        "16.5", "Cân nhắc: cùng danh mục công nghệ chiến lược (AI, IoT, dữ liệu lớn…); xã ghi “nghiên cứu ứng dụng” "
        "vào giao thông, thiên tai, sản xuất, kinh doanh thay cho đô thị thông minh."),
    "Số doanh nghiệp khởi nghiệp sáng tạo trên địa bàn xã": same("8.1"),
    "Có nguồn nhân lực của xã tham gia vườn ươm, trung tâm đổi mới sáng tạo của tỉnh": no_match(
        "Không gắn: chỉ tiêu 8.2 của tỉnh đếm số vườn ươm, trung tâm đổi mới sáng tạo; xã đo việc nhân lực tham gia."),
    "Tỷ lệ doanh nghiệp có hoạt động đổi mới quy trình, mô hình kinh doanh": same("1.3"),
    "Có sản phẩm đổi mới sáng tạo được thương mại hóa": same("8.3", "xã đặt mục tiêu “có”, tỉnh đếm số sản phẩm hằng năm"),
    "Có dự án đổi mới sáng tạo được hỗ trợ từ ngân sách": same("8.4", "xã đặt mục tiêu “có”, tỉnh đếm số dự án hằng năm"),
    "Có sáng kiến trong khu vực công được công nhận cấp tỉnh": judged("15", _INITIATIVES),
    "Tỷ lệ hệ thống thông tin của xã vận hành trên nền tảng điện toán đám mây": same("18.2", "cùng nội dung ở cấp xã"),
    "Tỷ lệ cơ sở dữ liệu của xã được số hóa và liên thông với tỉnh và Trung ương": same("17", "cùng nội dung ở cấp xã"),
    "Tỷ lệ dữ liệu của các cơ quan, đơn vị được tích hợp trên nền tảng chia sẻ LGSP": same(
        "18.1", "cùng nội dung ở cấp xã (tỉnh: các sở, ban, ngành)"),
    "Tỷ lệ doanh nghiệp ở địa phương ứng dụng công nghệ số": judged("1.4", _ALL_ENTERPRISES),
    "Thiết lập hệ điều hành thông minh kết nối với trung tâm của tỉnh": judged("19", _SMART_CENTRE),
    "Tỷ lệ đảng ủy, chính quyền xã, phường sử dụng phần mềm quản trị điều hành thống nhất": same("7.11"),
    "Có cán bộ, công chức, người lao động tham gia công tác nghiên cứu khoa học, phát triển công nghệ, đổi mới sáng tạo": judged(
        "11", "Cân nhắc: tỉnh đo nguồn nhân lực nghiên cứu khoa học, phát triển công nghệ, ĐMST (người/vạn dân); "
        "xã đặt mục tiêu “có” người tham gia."),
    "Thu hút đội ngũ lao động có chất lượng về khoa học, kỹ thuật, công nghệ làm việc tại xã": judged(
        "2.7", "Cân nhắc: tỉnh thu hút chuyên gia, nhà khoa học, kỹ sư hàng đầu (mốc 2040, 2045); xã thu hút lao động "
        "có chất lượng về khoa học, kỹ thuật, công nghệ (mốc 2040)."),
    "Tỷ lệ dân số trưởng thành thường xuyên sử dụng dịch vụ số": same("3.6"),
    "Số cán bộ, công chức, viên chức tham gia nghiên cứu khoa học và công nghệ": judged("2.1", _RESEARCHERS),
    "Số doanh nghiệp tham gia trong lĩnh vực khoa học và công nghệ": judged(
        "1.1", "Cân nhắc: tỉnh đếm doanh nghiệp khoa học và công nghệ; xã đếm doanh nghiệp tham gia lĩnh vực khoa học và công nghệ."),
    "Số nhiệm vụ khoa học và công nghệ cấp tỉnh được nghiệm thu (giai đoạn 2035 – 2040)": same(
        "2.2", "xã tính cả giai đoạn 2035–2040, tỉnh tính hằng năm"),
    "Tỷ lệ doanh nghiệp sử dụng kết quả nghiên cứu từ các dự án, đề tài khoa học công nghệ trong sản xuất/kinh doanh": judged(
        "1.2", "Cân nhắc: xã tính kết quả nghiên cứu từ dự án, đề tài khoa học công nghệ; tỉnh tính kết quả từ viện, trường."),
    "Có tác giả tham gia các công trình đoạt giải thưởng khoa học và công nghệ cấp tỉnh/quốc gia/khu vực": judged("13.2", _AWARDS),
    "Số doanh nghiệp khởi nghiệp sáng tạo": same("8.1"),
    "Số dự án khởi nghiệp sáng tạo mỗi năm": same("8.5"),
    "Tỷ lệ doanh nghiệp trên địa bàn có hoạt động đổi mới quy trình, mô hình kinh doanh": same("1.3"),
    "Số dự án đổi mới sáng tạo được hỗ trợ từ ngân sách": same("8.4"),
    "Mỗi năm có công trình nghiên cứu khoa học, đổi mới sáng tạo được đăng lên báo, tạp chí": judged(
        "8.7", "Cân nhắc: có thể ứng với 8.7 (bài báo khoa học ứng dụng liên quan ĐMST) hoặc 13.1 (bài báo Scopus/ISI); "
        "chọn 8.7 vì xã không nói đến Scopus/ISI."),
    "Hàng năm có công trình sáng kiến trong khu vực công được công nhận cấp tỉnh": judged("15", _INITIATIVES),
    "Tỷ lệ hệ thống thông tin của tỉnh vận hành trên nền tảng điện toán đám mây": same(
        "18.2", "bản in của xã ghi “của tỉnh” ở mốc 2040"),
    "Tỷ lệ cơ sở dữ liệu của tỉnh được số hóa và liên thông với Trung ương": same("17", "bản in của xã ghi “của tỉnh” ở mốc 2040"),
    "Tỷ lệ dữ liệu của các ban, sở, ngành được tích hợp với nền tảng chia sẻ LGSP": same("18.1"),
    "Tỷ lệ doanh nghiệp hoạt động tại địa phương ứng dụng công nghệ số": judged("1.4", _ALL_ENTERPRISES),
    "Trung tâm điều hành thông minh của xã đóng vai trò “bộ não số” của địa phương": same(
        "19", "cùng nội dung ở cấp xã (“bộ não số” của địa phương)"),
    "Tỷ lệ đảng ủy, chính quyền, MTTQ và các tổ chức thành viên sử dụng phần mềm quản trị điều hành thống nhất": judged("7.11", _MTTQ),
    "Số cán bộ, công chức, viên chức tham gia đề tài, dự án nghiên cứu khoa học và công nghệ của tỉnh": judged("2.1", _RESEARCHERS),
    "Số nhiệm vụ khoa học và công nghệ cấp tỉnh được nghiệm thu mỗi năm": same("2.2"),
    "Số nhiệm vụ khoa học và công nghệ cấp tỉnh triển khai mỗi năm": same("2.3"),
    "Có dự án, đề tài khoa học và công nghệ được ứng dụng thực tiễn sau 12 tháng nghiệm thu": same(
        "2.4", "xã đặt mục tiêu “có”, tỉnh đo tỷ lệ"),
    "Số đề tài sáng chế hữu ích được đăng ký sở hữu trí tuệ mỗi năm": same(
        "14", "đăng ký sở hữu trí tuệ (sáng chế, giải pháp hữu ích) hằng năm"),
    "Hàng năm có công trình sáng kiến trong khu vực công được công nhận cấp tỉnh/quốc gia/khu vực": judged("15", _INITIATIVES),
    "Số doanh nghiệp khởi nghiệp sáng tạo hoạt động hiệu quả trên địa bàn xã": same("8.1"),
    "Số dự án khởi nghiệp đổi mới sáng tạo triển khai mỗi năm": same("8.5"),
    "Số dự án đổi mới sáng tạo được hỗ trợ từ ngân sách tỉnh mỗi năm": same("8.4"),
    "Tỷ lệ doanh nghiệp vừa và nhỏ có hợp tác nghiên cứu, phát triển với viện/trường": same("8.6"),
    "Tỷ lệ dữ liệu của các cơ quan, đơn vị, tổ chức trong khu vực công được tích hợp trên nền tảng chia sẻ LGSP": same(
        "18.1", "cùng nội dung ở cấp xã (tỉnh: các sở, ban, ngành)"),
    "Tỷ lệ doanh nghiệp kinh doanh tại địa phương ứng dụng công nghệ số": judged("1.4", _ALL_ENTERPRISES),
    "Ứng dụng AI, IoT và Big Data ở mức độ cao trong hệ thống đảng số, chính quyền số": same("7.12"),
    "Phát triển, kết nối trung tâm điều hành thông minh của tỉnh": judged("19", _SMART_CENTRE),
    "Đảng ủy, chính quyền xã sử dụng phần mềm quản trị điều hành thống nhất; hệ thống đảng số, chính quyền số vận hành hoàn toàn thông minh": same(
        "7.11", "cùng nội dung với ô mốc 2045 của 7.11"),
    "Dịch vụ y tế, giáo dục, an sinh xã hội đạt chuẩn tiên tiến": same("3.7"),
    "Đóng góp của TFP vào tăng trưởng kinh tế ở mức cao": same("5"),
}

DISTRICT_ALIGNMENT: dict[str, Alignment] = {
    # Fuzzy matching links it to 3.3 (cấp xã), which is the district's 2.2; the district
    # rewrote the province's own-level row 3.2 (cấp tỉnh, 100% every milestone) for itself.
    "Tỷ lệ cán bộ, công chức cấp huyện được bồi dưỡng kỹ năng số căn bản": judged(
        "3.2", "Cân nhắc: huyện viết lại chỉ tiêu 3.2 (cán bộ, công chức cấp tỉnh) cho cấp huyện; cùng mục tiêu 100% mọi mốc."),
}
ALIGN_MIN_SCORE = 88
_DIGITS = re.compile(r"\d+")


def _align(rows: list[dict], upper_plan: str, curated: dict[str, Alignment]) -> None:
    """Link each row to the upper plan's indicator it corresponds to: the curated table first,
    then rapidfuzz on accent-free names (score kept in the note) for rows it does not list.
    Below the threshold, or when the names carry different numbers ("5G" and "6G", "1 Gb/s"
    and "10 Gb/s"), the row stays unaligned rather than guessed."""
    from .models import Indicator

    uppers = {i.code: search_key(i.name) for i in Indicator.objects.filter(plan__code=upper_plan, is_group=False)}
    table = {nfc(k): v for k, v in curated.items()}
    for r in rows:
        if r["is_group"]:
            continue
        chosen = table.get(r["name"])
        if chosen is not None and (chosen.code is None or chosen.code in uppers):
            if chosen.code:
                r["aligned_to"] = {"plan": upper_plan, "code": chosen.code}
                r["alignment_note"] = "đối chiếu thủ công" + (f": {chosen.note}" if chosen.note else "")
                if chosen.doubt:
                    r["alignment_note"] = "đối chiếu thủ công, cần cân nhắc"
            if chosen.doubt:
                r["notes"]["alignment_doubt"] = chosen.doubt
            continue
        key = search_key(r["name"])
        candidates = {c: n for c, n in uppers.items() if set(_DIGITS.findall(n)) == set(_DIGITS.findall(key))}
        best = process.extractOne(key, candidates, scorer=fuzz.token_sort_ratio)
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
