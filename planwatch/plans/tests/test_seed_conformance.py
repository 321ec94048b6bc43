"""The loaded plans agree with the team's transcriptions. Runs against the project's own
fixtures always, and against ../shared/seed-data where it exists."""

import io
import json

import pytest
from django.core.management import call_command

from planwatch.lib.agencies import split_agency_list
from planwatch.orgs.services import AgencyResolver
from planwatch.lib.deadlines import parse_deadline
from planwatch.lib.text import nfc
from planwatch.plans.seed import load_seed

pytestmark = pytest.mark.django_db


def _export(code: str) -> dict:
    out = io.StringIO()
    call_command("export_plan", code, stdout=out)
    return json.loads(out.getvalue())


def _check_against(seed: dict, exported: dict) -> None:
    rows = {r["code"]: r for r in exported["indicators"]}
    assert [r["code"] for r in exported["indicators"]] == [r["code"] for r in seed["indicators"]]
    for s in seed["indicators"]:
        r = rows[s["code"]]
        assert r["name"] == nfc(s["name"])  # stored with one tone-mark convention
        assert r["is_group"] == s["is_group"]
        assert (r["unit"] or None) == s.get("unit")
        assert (r["agency_text"] or None) == s.get("agency")
        if not s["is_group"]:
            assert {t["year"]: t["raw"] for t in r["targets"]} == {int(y): v for y, v in s["targets"].items()}
            if s.get("agency"):
                assert r["responsible"], f"indicator {s['code']}: agency {s['agency']!r} not resolved"
    assert [g["code"] for g in exported["task_groups"]] == [g["code"] for g in seed["task_groups"]]
    tasks = {t["code"]: t for t in exported["tasks"]}
    assert list(tasks) == [t["code"] for t in seed["tasks"]]
    for s in seed["tasks"]:
        t = tasks[s["code"]]
        assert t["name"] == nfc(s["name"]) and t["group"] == s["group"]
        assert t["lead_text"] == s["lead"] and t["coordinating_text"] == s["coordinating"]
        assert t["result"] == (s.get("result") or "")
        assert t["deadline_raw"] == (s.get("deadline") or "")
        assert t["deadline"] == parse_deadline(s.get("deadline")).value.to_dict()
        assert any(a["role"] == "lead" for a in t["assignments"]), f"task {s['code']} has no lead unit"
        assert "agency_warnings" not in t["notes"], t["notes"].get("agency_warnings")


def test_export_plan_lists_every_phu_luc_i_indicator_and_all_23_tasks():
    data = _export("qn-327-2025")
    assert len(data["indicators"]) == 72
    assert sum(not r["is_group"] for r in data["indicators"]) == 64
    assert len(data["tasks"]) == 23
    assert [g["code"] for g in data["task_groups"]] == ["I", "II", "III", "IV", "V"]
    _check_against(load_seed("province_plan_327.json"), data)


def test_the_district_plan_agrees_with_its_transcription_and_implements_the_province_plan():
    data = _export("sontinh-kh-2025")
    assert data["plan"]["parent"] == "qn-327-2025"
    assert len(data["tasks"]) == 8
    _check_against(load_seed("district_plan_sontinh.json"), data)


def test_the_province_plan_document_data_is_recorded(demo):
    doc = demo.plan.document
    assert doc.number == "327/QĐ-UBND" and doc.date.isoformat() == "2025-05-26"
    assert doc.issuer.code == "qn-ubnd"
    assert {d.number for d in doc.implements.all()} == {"71/NQ-CP", "359-KH/TU", "57-NQ/TW"}
    assert {d.number for d in doc.replaces.all()} == {"51/KH-UBND"}


def test_ocr_strict_signs_are_kept_as_printed_but_flagged(demo):
    target = demo.plan.indicators.get(code="1.1").targets.get(year=2025)
    assert target.raw == "> 8"
    assert target.spec["op"] == ">" and "ocr_strict_sign" in target.spec["flags"]


def test_the_commune_targets_are_linked_to_the_provincial_indicators(demo):
    rows = demo.commune_plan.indicators.all()
    seed = load_seed("commune_plan_thientin.json")
    years = {}
    for b in seed["targets"]:
        years.setdefault((b["indicator"], int(b["milestone"])), []).append(b["text"])
    seen = set()
    for ind in rows.prefetch_related("targets"):
        for t in ind.targets.all():
            assert t.raw == " | ".join(years[(ind.name, t.year)])
            seen.add((ind.name, t.year))
    assert seen == set(years)  # every one of the 129 bullets is the printed target of its year
    online = rows.get(name="Tỷ lệ hồ sơ thủ tục hành chính xử lý trực tuyến")
    # The province's 7.8 bears the very same name; 7.4 is about procedures for training,
    # research and business that must be online.
    assert online.aligned_to.plan.code == "qn-327-2025" and online.aligned_to.code == "7.8"
    assert rows.exclude(aligned_to=None).count() >= 70


# (commune indicator as printed in 001, provincial indicator of 327/QĐ-UBND), checked by hand
# against the documents.
COMMUNE_PAIRS = [
    ("Tỷ lệ phủ sóng 5G trên địa bàn", "16.2"),
    ("Tỷ lệ phủ sóng 6G trên địa bàn", "16.3"),
    ("Tỷ lệ người dân có tài khoản định danh điện tử mức 2, cài đặt và sử dụng VNeID", "20"),
    ("Tỷ lệ thủ tục hành chính liên quan đến đào tạo, nghiên cứu, sản xuất, kinh doanh được thực hiện trực tuyến", "7.4"),
    ("Tỷ lệ người sử dụng có khả năng truy cập băng rộng cố định tốc độ trên 1 Gb/s", "16.1"),
    ("Tỷ lệ thủ tục hành chính được tiếp nhận, giải quyết phi địa giới hành chính", "7.1"),
    ("Ứng dụng AI, IoT trong quản lý môi trường, sản xuất, kinh doanh, thiên tai, giao thông", "16.4"),
    ("Tỷ lệ dân số trưởng thành thường xuyên sử dụng dịch vụ số", "3.6"),
    ("Dịch vụ y tế, giáo dục, an sinh xã hội đạt chuẩn tiên tiến", "3.7"),
    ("Đóng góp của TFP vào tăng trưởng kinh tế ở mức cao", "5"),
    ("Ứng dụng AI, IoT và Big Data ở mức độ cao trong hệ thống đảng số, chính quyền số", "7.12"),
    ("Trung tâm điều hành thông minh của xã đóng vai trò “bộ não số” của địa phương", "19"),
]


@pytest.mark.parametrize("name, code", COMMUNE_PAIRS)
def test_a_commune_indicator_is_linked_to_its_provincial_counterpart(demo, name, code):
    row = demo.commune_plan.indicators.select_related("aligned_to__plan").get(name=name)
    assert (row.aligned_to.plan.code, row.aligned_to.code) == ("qn-327-2025", code)


def test_5g_is_never_linked_to_6g(demo):
    from planwatch.plans.models import Indicator

    for row in Indicator.objects.exclude(aligned_to=None).select_related("aligned_to"):
        for g in ("5g", "6g"):
            if g in row.search_key.split():
                assert g in row.aligned_to.search_key.split(), f"{row.plan_id}/{row.code} {row.name} → {row.aligned_to}"


def test_judgement_calls_carry_their_doubt_and_every_row_was_decided(demo):
    from planwatch.plans.seed import COMMUNE_ALIGNMENT

    rows = {r.name: r for r in demo.commune_plan.indicators.select_related("aligned_to")}
    # The curated table names every commune row, and nothing else.
    assert {nfc(k) for k in COMMUNE_ALIGNMENT} == set(rows)
    dti = rows["Chỉ số chuyển đổi số cấp xã"]
    assert dti.aligned_to.code == "3.1" and "cấp tỉnh" in dti.notes["alignment_doubt"]
    club = rows["Thành lập Câu lạc bộ “Khoa học – Sáng tạo – Khởi nghiệp” xã Thiện Tín"]
    assert club.aligned_to is None and club.notes["alignment_doubt"]
    for r in rows.values():
        if r.notes.get("alignment_doubt") and r.aligned_to:
            assert "cần cân nhắc" in r.alignment_note


def test_the_district_row_for_its_own_officials_is_not_linked_to_the_commune_officials_row(demo):
    rows = {r.code: r for r in demo.district_plan.indicators.select_related("aligned_to")}
    assert rows["2.1"].aligned_to.code == "3.2" and rows["2.1"].notes["alignment_doubt"]
    assert rows["2.2"].aligned_to.code == "3.3"
    assert rows["10.2"].aligned_to.code == "16.2" and rows["10.3"].aligned_to.code == "16.3"


def test_the_commune_document_kind_is_printed_in_vietnamese(demo):
    doc = demo.commune_plan.document
    assert doc.kind == "Kế hoạch hành động"
    assert "KẾ HOẠCH HÀNH ĐỘNG" in doc.notes["type_note"]


def test_shared_seed_data_agrees_with_the_export(shared_dir):
    for name, code in [("province_plan_327.json", "qn-327-2025"), ("district_plan_sontinh.json", "sontinh-kh-2025")]:
        seed = json.loads((shared_dir / "seed-data" / name).read_text(encoding="utf-8"))
        _check_against(seed, _export(code))


def test_every_agency_in_the_shared_province_plan_is_assigned_its_task(shared_dir, demo):
    seed = json.loads((shared_dir / "seed-data" / "province_plan_327.json").read_text(encoding="utf-8"))
    exported = {t["code"]: t for t in _export("qn-327-2025")["tasks"]}
    resolver = AgencyResolver(demo.province)
    for s in seed["tasks"]:
        assigned = {a["org"] for a in exported[s["code"]]["assignments"]}
        for cell in s["lead"] + s["coordinating"]:
            for name in split_agency_list(cell):
                orgs = resolver.resolve_name(name).orgs
                assert orgs, f"task {s['code']}: {name!r} does not resolve"
                assert {o.code for o in orgs} <= assigned, f"task {s['code']}: {name!r} gave no assignment"
