"""indicators.parse: indicator tables from Table blocks (both layouts) and from PDF text.

The seed checks (@pytest.mark.shared) read ../shared/seeds/000 and 003 one Paragraph per line and
compare every row field by field with ../shared/seed-data; compare_seed is also what
`python -m planwatch.documents.ingest.tests.test_indicators` prints.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from planwatch.documents.ingest import columns, indicators, textrows
from planwatch.documents.ingest.model import Cell, Paragraph, Place, SourceDoc, Table
from planwatch.lib.text import collapse_ws

FIELDS = ("code", "parent", "name", "unit", "targets", "agency", "agency_inferred", "is_group")


# --- helpers --------------------------------------------------------------------------------------


def text_doc(text: str, name: str = "plan.txt") -> SourceDoc:
    """The simplest reader: one Paragraph per line, blank lines kept."""
    blocks = [Paragraph(line, Place(line=i + 1)) for i, line in enumerate(text.split("\n"))]
    return SourceDoc(name, "text", blocks)


def table(rows: list[list[str | tuple[str, bool]]], table_no: int = 1) -> Table:
    """A Table block; a cell given as (text, True) repeats a merged cell's value."""
    out = []
    for i, row in enumerate(rows):
        cells = []
        for j, c in enumerate(row):
            text, merged = c if isinstance(c, tuple) else (c, False)
            cells.append(Cell(text, Place(page=1, table=table_no, row=i + 1, col=j + 1), merged))
        out.append(cells)
    return Table(out, Place(page=1, table=table_no))


def _nospace(s: str | None) -> str:
    return re.sub(r"\s+", "", s or "")


def _expected_rows(rows: list[dict], ocr: bool) -> list[dict]:
    """Seed rows with the text as printed: the *_ocr fields where they exist; an inferred agency
    is the printed text of the agency it was filled from (the nearest printed one above)."""
    out = []
    last_printed = None
    for r in rows:
        e = dict(r)
        if ocr:
            e["name"] = r.get("name_ocr", r["name"])
            e["unit"] = r.get("unit_ocr", r["unit"])
            if r.get("agency") and not r["agency_inferred"]:
                e["agency"] = r.get("agency_ocr", r["agency"])
                last_printed = e["agency"]
            elif r.get("agency") and r["agency_inferred"]:
                e["agency"] = last_printed
        out.append(e)
    return out


def _targets_equal(mine: dict, exp: dict, targets_ocr: str | None) -> bool:
    years = list(exp["targets"])
    if any((mine["targets"].get(y) is None) != (exp["targets"][y] is None) for y in years):
        return False
    if all(collapse_ws(mine["targets"].get(y) or "") == collapse_ws(exp["targets"][y] or "") for y in years):
        return True
    joined = " ".join(mine["targets"][y] for y in years if mine["targets"].get(y) is not None)
    return targets_ocr is not None and _nospace(joined) == _nospace(targets_ocr)


def compare_rows(got: list[dict], expected: list[dict], ocr: bool) -> tuple[int, int, list[str]]:
    """(rows compared, rows exact, differences) matching rows by code."""
    exp_rows = _expected_rows(expected, ocr)
    mine = {r["code"]: r for r in got}
    exact, diffs = 0, []
    for e in exp_rows:
        m = mine.pop(e["code"], None)
        if m is None:
            diffs.append(f"{e['code']}: missing")
            continue
        bad = []
        for f in FIELDS:
            if f == "targets":
                if not _targets_equal(m, e, e.get("targets_ocr")):
                    bad.append(f"targets {m['targets']} != {e['targets']}")
            elif f in ("name", "unit", "agency"):
                if collapse_ws(m[f] or "") != collapse_ws(e[f] or ""):
                    bad.append(f"{f} {m[f]!r} != {e[f]!r}")
            elif m[f] != e[f]:
                bad.append(f"{f} {m[f]!r} != {e[f]!r}")
        if bad:
            diffs.append(f"{e['code']}: " + "; ".join(bad))
        else:
            exact += 1
    for code in mine:
        diffs.append(f"{code}: extra row")
    return len(exp_rows), exact, diffs


def read_seed(shared: Path, prefix: str) -> SourceDoc:
    path = next((shared / "seeds").glob(f"{prefix}_*.txt"))
    try:
        from planwatch.documents.ingest.readers import read_document

        return read_document(path.read_bytes(), path.name)
    except ImportError:  # pragma: no cover - before the readers exist
        return text_doc(path.read_text(encoding="utf-8"), path.name)


def compare_seed(shared: Path, prefix: str, data_file: str) -> tuple[int, int, list[str]]:
    doc = read_seed(shared, prefix)
    result = indicators.parse(doc)
    data = json.loads((shared / "seed-data" / data_file).read_text(encoding="utf-8"))
    got = result["rows"] if result else []
    return compare_rows(got, data["indicators"], ocr=prefix == "003")


# --- seeds ------------------------------------------------------------------------------------------


@pytest.mark.shared
@pytest.mark.parametrize("prefix,data_file,least", [
    ("000", "district_plan_sontinh.json", 38),
    ("003", "province_plan_327.json", 71),
])  # fmt: skip
def test_seed_text_rows_match_transcription(shared_dir, prefix, data_file, least):
    total, exact, diffs = compare_seed(shared_dir, prefix, data_file)
    assert exact >= least, (total, exact, diffs)


@pytest.mark.shared
def test_seed_milestones_from_header_or_guessed(shared_dir):
    district = indicators.parse(read_seed(shared_dir, "000"))
    assert district["milestones"] == [2025, 2030, 2035, 2040, 2045]
    assert district["flags"] == []
    province = indicators.parse(read_seed(shared_dir, "003"))
    assert province["milestones"] == [2025, 2030, 2035, 2040, 2045]
    assert any(f["field"] == "milestones" for f in province["flags"])  # no header in the OCR


@pytest.mark.shared
def test_seed_ocr_flags(shared_dir):
    rows = {r["code"]: r for r in indicators.parse(read_seed(shared_dir, "003"))["rows"]}
    reasons = [f["reason"] for f in rows["1.1"]["flags"]]
    assert any("“>”" in r for r in reasons)  # OCR ">" may be "≥"
    assert rows["7.11"]["code_printed"] == "7.1 1"
    assert any("giữ nguyên văn bản" in f["reason"] for f in rows["7.11"]["flags"])  # "1 00 (…)"
    assert rows["16"]["is_group"] and rows["16"]["code_printed"] is None
    assert any(f["field"] == "agency" and "qua dòng nhóm" in f["reason"] for f in rows["16.1"]["flags"])
    # Filled from another top-level item (11 from 10): a warning, not the quiet in-group fill.
    assert any(f["field"] == "agency" and f["severity"] == "warning" for f in rows["11"]["flags"])
    assert all(f["severity"] == "info" for f in rows["1.2"]["flags"] if f["field"] == "agency")
    assert sum(r["agency_inferred"] for r in rows.values()) == 32


# --- tables: one column per milestone year ---------------------------------------------------------

YEAR_HEADER = [
    ["STT", "Tên chỉ tiêu", "Đơn vị", "Kết quả", ("Kết quả", True), ("Kết quả", True), "Cơ quan chủ trì theo dõi, đánh giá"],
    [("STT", True), ("Tên chỉ tiêu", True), ("Đơn vị", True), "Đến hết năm 2025", "Đến năm 2030", "Đến năm 2045",
     ("Cơ quan chủ trì theo dõi, đánh giá", True)],
]  # fmt: skip


def test_columns_two_header_rows_with_years():
    found = columns.find_header([[c if isinstance(c, str) else c[0] for c in r] for r in YEAR_HEADER])
    assert found is not None
    n, cols = found
    assert n == 2
    assert cols.milestones == [2025, 2030, 2045]
    assert [cols.first(r) for r in ("code", "name", "unit", "agency")] == [0, 1, 2, 6]


def test_columns_three_header_rows_and_plan_or_done_under_a_year():
    rows = [
        ["STT", "Chỉ tiêu", "ĐVT", "Lộ trình thực hiện", "Lộ trình thực hiện", "Lộ trình thực hiện", "Đơn vị chủ trì"],
        ["", "", "", "Giai đoạn 2021-2025", "Giai đoạn 2021-2025", "Giai đoạn 2026-2030", ""],
        ["", "", "", "2023", "2025", "2030", ""],
        ["1", "Tỷ lệ A", "%", "50", "70", "90", "Sở Y tế"],
    ]
    n, cols = columns.find_header(rows)
    assert n == 3 and cols.milestones == [2023, 2025, 2030] and cols.first("agency") == 6
    n, cols = columns.find_header([
        ["TT", "Tên chỉ tiêu", "Năm 2025", "Năm 2025", "Mục tiêu 2030"],
        ["", "", "Kế hoạch", "Thực hiện", ""],
        ["1", "Tỷ lệ A", "50", "45", "90"],
    ])  # fmt: skip
    assert n == 2 and cols.milestones == [2025, 2030] and cols.first("baseline") == 3


def test_columns_title_row_inside_the_table_and_spans_left_empty():
    n, cols = columns.find_header([
        ["DANH MỤC CHỈ TIÊU ĐẾN NĂM 2030", "", "", "", "", "", ""],
        ["STT", "Tên chỉ tiêu", "Đơn vị", "Kết quả", "", "", "Cơ quan chủ trì"],
        ["", "", "", "Đến 2025", "Đến 2030", "Đến 2035", ""],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        ["1", "Tỷ lệ A", "%", "50", "70", "90", "Sở Y tế"],
    ])  # fmt: skip
    assert n == 4 and cols.milestones == [2025, 2030, 2035]
    assert [cols.first(r) for r in ("code", "name", "unit", "agency")] == [0, 1, 2, 6]


def test_year_columns_groups_subindicators_and_merged_agency():
    doc = SourceDoc("plan.docx", "docx", [
        Paragraph("DANH MỤC CÁC CHỈ TIÊU"),
        table(YEAR_HEADER + [
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
            ["I", "Chỉ tiêu về doanh nghiệp", "", "", "", "", ""],
            ["1", "Số doanh nghiệp khoa học và công nghệ", "Doanh nghiệp", "≥8", "≥  15", "> 60", "Sở Khoa học và Công nghệ"],
            ["2", "Tỷ lệ doanh nghiệp đổi mới", "%", "≥ 10", "25 - 30", "X", ("Sở Khoa học và Công nghệ", True)],
            ["3", "Kết nối dữ liệu", "", "", "", "", ""],
            ["3.1", "Tỷ lệ dữ liệu được tích hợp", "%", "≥60", "100", "100", ""],
            ["3.2", "Chỉ số hài lòng", "Điểm", "khá cao", "-", "100 (Các hệ thống\nthông minh.)", "Sở Nội vụ"],
        ]),
    ])  # fmt: skip
    result = indicators.parse(doc)
    assert result["milestones"] == [2025, 2030, 2045]
    rows = {r["code"]: r for r in result["rows"]}
    assert list(rows) == ["I", "1", "2", "3", "3.1", "3.2"]
    assert rows["I"]["is_group"] and rows["3"]["is_group"] and not rows["1"]["is_group"]
    assert rows["1"]["parent"] == "I" and rows["3.1"]["parent"] == "3"
    assert rows["1"]["targets"] == {"2025": "≥ 8", "2030": "≥ 15", "2045": "> 60"}
    assert rows["2"]["targets"] == {"2025": "≥ 10", "2030": "25 - 30", "2045": "X"}
    assert rows["2"]["agency"] == "Sở Khoa học và Công nghệ" and rows["2"]["agency_inferred"]
    # An empty agency cell takes the agency above, across the group row "3": flagged.
    assert rows["3.1"]["agency"] == "Sở Khoa học và Công nghệ" and rows["3.1"]["agency_inferred"]
    assert any("qua dòng nhóm" in f["reason"] for f in rows["3.1"]["flags"])
    assert rows["3.2"]["agency_inferred"] is False
    assert rows["3.2"]["targets"]["2045"] == "100 (Các hệ thống thông minh.)"
    assert any(f["field"] == "targets.2025" and "giữ nguyên văn bản" in f["reason"] for f in rows["3.2"]["flags"])
    assert rows["1"]["unit"] == "Doanh nghiệp" and rows["I"]["unit"] is None
    assert rows["1"]["place"] == {"page": 1, "table": 1, "row": 5}


def test_table_cut_by_a_page_break_continues():
    first = table(YEAR_HEADER + [["1", "Chỉ tiêu A", "%", "10", "20", "30", "Sở Y tế"]])
    second = table([["2", "Chỉ tiêu B", "%", "40", "50", "60", ""]], table_no=2)
    result = indicators.parse(SourceDoc("p.pdf", "pdf", [first, Paragraph("12"), second]))
    rows = result["rows"]
    assert [r["code"] for r in rows] == ["1", "2"]
    assert rows[1]["agency"] == "Sở Y tế" and rows[1]["agency_inferred"]


def test_baseline_column_is_not_a_milestone_and_group_name_across_the_code_column():
    doc = SourceDoc("plan.xlsx", "xlsx", [table([
        ["TT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2020", "Mục tiêu năm 2025", "Ghi chú"],
        ["Chỉ tiêu kinh tế", ("Chỉ tiêu kinh tế", True), ("Chỉ tiêu kinh tế", True), ("Chỉ tiêu kinh tế", True),
         ("Chỉ tiêu kinh tế", True), ("Chỉ tiêu kinh tế", True)],
        ["1.", "Tốc độ tăng trưởng GRDP", "%", "6,5", "7-7,5", ""],
    ])])  # fmt: skip
    result = indicators.parse(doc)
    assert result["milestones"] == [2025]
    group, row = result["rows"]
    assert (group["code"], group["name"], group["is_group"]) == (None, "Chỉ tiêu kinh tế", True)
    assert (row["code"], row["code_printed"], row["targets"]) == ("1", "1.", {"2025": "7-7,5"})
    assert row["parent"] is None and row["agency"] is None


def test_several_indicator_tables_share_one_list_of_milestones():
    a = table([["STT", "Tên chỉ tiêu", "Đơn vị", "Năm 2025"], ["1", "Chỉ tiêu A", "%", "≥ 10"]])
    b = table([["STT", "Tên chỉ tiêu", "Đơn vị", "Năm 2030", "Cơ quan chủ trì"], ["1", "Chỉ tiêu B", "%", "20", "Sở Y tế"]], 2)
    result = indicators.parse(SourceDoc("p.docx", "docx", [a, Paragraph("Biểu 2"), b]))
    assert result["milestones"] == [2025, 2030]
    assert [r["targets"] for r in result["rows"]] == [{"2025": "≥ 10", "2030": None}, {"2025": None, "2030": "20"}]


def test_table_without_its_header_reads_columns_from_the_cells():
    doc = SourceDoc("scan.pdf", "pdf", [
        Paragraph("Kế hoạch giai đoạn 2026 - 2030, tầm nhìn đến năm 2045 của tỉnh"),
        Paragraph("Đến năm"), Paragraph("2030"), Paragraph("Đến năm"), Paragraph("2035"),
        table([
            ["1", "Trình độ công nghệ của doanh nghiệp", "", "", "", ""],
            ["1.1", "Số doanh nghiệp khoa học và công nghệ", "Doanh nghiệp", "> 8", "> 15", "Sở Khoa học và Công nghệ"],
            ["1.2", "Tỷ lệ doanh nghiệp đổi mới", "%", "-", "X", ("Sở Khoa học và Công nghệ", True)],
            ["2", "Quy mô kinh tế số", "% GRDP", "20", "30", "Sở Công Thương"],
        ]),
    ])  # fmt: skip
    result = indicators.parse(doc)
    assert result["milestones"] == [2030, 2035] and result["flags"] == []
    rows = {r["code"]: r for r in result["rows"]}
    assert rows["1"]["is_group"] and rows["1.2"]["targets"] == {"2030": "-", "2035": "X"}
    assert rows["1.1"]["unit"] == "Doanh nghiệp" and rows["2"]["agency"] == "Sở Công Thương"
    assert rows["1.2"]["agency_inferred"]


# --- tables: a single target column under "Đến năm …" section rows --------------------------------


def test_single_target_column_with_section_rows():
    doc = SourceDoc("plan.docx", "docx", [
        table([
            ["TT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu", "Cơ quan chủ trì"],
            ["A"] + [("Mục tiêu đến năm 2030", True)] * 4,
            ["1", "Kinh tế số", "% GRDP", "≥20", "Sở Công Thương"],
            ["2", "Tỷ lệ dân số có chữ ký số", "%", "50", ""],
            ["", "Tầm nhìn đến năm 2045", "", "", ""],
            ["1", "Kinh tế số", "% GRDP", "≥ 50", "Sở Công Thương"],
        ]),
    ])  # fmt: skip
    result = indicators.parse(doc)
    assert result["milestones"] == [2030, 2045]
    rows = result["rows"]
    assert [r["code"] for r in rows] == ["1", "2"]
    assert rows[0]["targets"] == {"2030": "≥ 20", "2045": "≥ 50"}
    assert rows[1]["targets"] == {"2030": "50", "2045": None}
    assert rows[1]["agency"] == "Sở Công Thương" and rows[1]["agency_inferred"]


@pytest.mark.parametrize("header", ["Mục tiêu", "Chỉ tiêu kế hoạch", "Kế hoạch", "Mục tiêu phấn đấu"])
@pytest.mark.parametrize("sep", ["; ", "\n", ", "])
def test_target_column_without_a_year_takes_the_years_printed_in_its_cells(header, sep):
    def cell(a, b):
        return f"Năm 2025: {a}{sep}Năm 2030: {b}" if sep == "\n" else f"2025: {a}{sep}2030: {b}"

    doc = SourceDoc("plan.docx", "docx", [
        table([
            ["TT", "Chỉ tiêu", "Đơn vị tính", header, "Cơ quan chủ trì"],
            ["1", "Tỷ lệ hồ sơ xử lý trực tuyến", "%", cell("≥50%", "≥ 80%"), "Sở Khoa học và Công nghệ"],
            ["2", "Tỷ trọng kinh tế số", "%", cell("20%", "30%"), "Sở Tài chính"],
            ["3", "Số doanh nghiệp khởi nghiệp", "Doanh nghiệp", cell("300", "1.000"), "Sở Công Thương"],
        ]),
    ])  # fmt: skip
    result = indicators.parse(doc)
    assert result["milestones"] == [2025, 2030]
    assert [r["targets"] for r in result["rows"]] == [
        {"2025": "≥ 50%", "2030": "≥ 80%"}, {"2025": "20%", "2030": "30%"}, {"2025": "300", "2030": "1.000"}]
    assert not [f for r in result["rows"] for f in r["flags"] if f["field"].startswith("targets")]


def test_year_labels_inside_target_cells():
    f = indicators.split_year_cell
    assert f("Năm 2025 đạt 50%, năm 2030 đạt 80%") == [(2025, "50%"), (2030, "80%")]
    assert f("Đến năm 2030: 1.000") == [(2030, "1.000")]
    assert f("2025: 1,5%, 2030: 2,5%") == [(2025, "1,5%"), (2030, "2,5%")]
    assert f("≥ 80% (năm 2030)") == [(2030, "≥ 80%")]
    assert f("≥ 80% (năm 2030)", trailing=False) == []
    assert f("≥ 80%") == [] and f("Hoàn thành năm 2025") == [] and f("Tăng 2025: 5") == []


def test_unit_cell_left_empty_takes_the_unit_in_brackets():
    doc = SourceDoc("plan.docx", "docx", [table([
        ["TT", "Tên chỉ tiêu", "Đơn vị tính", "Năm 2030"],
        ["1", "Tỷ lệ xã có điểm phục vụ bưu chính (%)", "", "100"],
        ["2", "Số điểm truy cập Internet công cộng (điểm)", "Điểm", "50"],
    ])])
    rows = indicators.parse(doc)["rows"]
    assert [(r["name"], r["unit"]) for r in rows] == [
        ("Tỷ lệ xã có điểm phục vụ bưu chính", "%"), ("Số điểm truy cập Internet công cộng (điểm)", "Điểm")]


def test_target_column_without_any_year_keeps_the_cell():
    rows = [
        ["TT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu", "Cơ quan chủ trì"],
        ["1", "Tỷ lệ hồ sơ xử lý trực tuyến", "%", "≥ 80%", "Sở Khoa học và Công nghệ"],
        ["2", "Số doanh nghiệp số", "Doanh nghiệp", "500", "Sở Công Thương"],
    ]
    title = [Paragraph("Ngày 02 tháng 7 năm 2025", Place(line=1)),
             Paragraph("Kế hoạch phát triển kinh tế số giai đoạn 2026-2030", Place(line=2))]
    # the plan's end year from its title, flagged
    result = indicators.parse(SourceDoc("plan.docx", "docx", [*title, table(rows)]))
    assert result["milestones"] == [2030]
    assert [r["targets"] for r in result["rows"]] == [{"2030": "≥ 80%"}, {"2030": "500"}]
    assert all(any(f["field"] == "targets.2030" and "2030" in f["reason"] for f in r["flags"])
               for r in result["rows"])
    # no year anywhere: the cell kept as text, flagged, the row not taken for a group
    result = indicators.parse(SourceDoc("plan.docx", "docx", [table(rows)]))
    assert result["milestones"] == []
    first = result["rows"][0]
    assert first["target_text"] == "≥ 80%" and not first["is_group"]
    assert any(f["field"] == "targets" and "≥ 80%" in f["reason"] for f in first["flags"])


def test_plan_horizon_from_title_lines():
    def doc(*lines):
        return SourceDoc("p.docx", "docx", [Paragraph(t, Place(line=k)) for k, t in enumerate(lines, 1)])

    assert indicators.plan_horizon(doc("Hà Nội, ngày 5 tháng 3 năm 2025", "KẾ HOẠCH",
                                       "Chuyển đổi số đến năm 2030, tầm nhìn 2045"), 3) == 2030
    assert indicators.plan_horizon(doc("Căn cứ Nghị quyết số 57-NQ/TW năm 2024", "Kế hoạch năm 2026"), 2) == 2026
    assert indicators.plan_horizon(doc("Số: 12/KH-UBND", "ngày 5 tháng 3 năm 2025"), 2) is None


@pytest.mark.parametrize("printed,name,unit", [
    ("Tỷ lệ hộ gia đình có Internet cáp quang (%)", "Tỷ lệ hộ gia đình có Internet cáp quang", "%"),
    ("Số doanh nghiệp công nghệ số (doanh nghiệp)", "Số doanh nghiệp công nghệ số", "doanh nghiệp"),
    ("Số sản phẩm OCOP được số hóa (sản phẩm)", "Số sản phẩm OCOP được số hóa", "sản phẩm"),
    ("Số bác sĩ (người/vạn dân)", "Số bác sĩ", "người/vạn dân"),
    ("Chỉ số năng lực cạnh tranh (PCI)", "Chỉ số năng lực cạnh tranh (PCI)", None),
    ("Số thuê bao băng rộng (lũy kế)", "Số thuê bao băng rộng (lũy kế)", None),
])
def test_unit_in_brackets_at_the_end_of_the_name_when_no_unit_column(printed, name, unit):
    doc = SourceDoc("plan.docx", "docx", [table([
        ["TT", "Chỉ tiêu", "Năm 2026"],
        ["1", printed, "≥ 90"],
        ["2", "Số thôn có tổ công nghệ số (thôn)", ""],
    ])])
    rows = indicators.parse(doc)["rows"]
    assert (rows[0]["name"], rows[0]["unit"]) == (name, unit)
    assert rows[1]["name"].endswith("(thôn)")  # no target: not split (may be a group)


def test_task_table_is_not_an_indicator_table():
    doc = SourceDoc("plan.docx", "docx", [table([
        ["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"],
        ["1", "Ban hành kế hoạch", "Sở Nội vụ", "Các sở", "2025"],
    ])])  # fmt: skip
    assert indicators.parse(doc) is None


# --- text: one visual line per line -----------------------------------------------------------------

ACCENTED = """\
PHỤ LỤC I
DANH MỤC CÁC CHỈ TIÊU
STT Tên chỉ tiêu Đơn vị
Kết quả
Cơ quan chủ trì
Đến năm
2030
Đến năm
2045
1
Hạ tầng số
1.1
Tỷ lệ hộ gia đình có cáp quang
tốc độ cao
% ≥80 100
Sở Khoa học và
Công nghệ
1.2 Số doanh nghiệp số trên địa bàn Doanh
nghiệp ≥ 01 ≥  05
2 Kinh tế số % GRDP 20 30 Sở Tài chính
3
Trung tâm điều hành thông minh hoạt động
Hoàn
thành
    X
12
Ghi chú: (-): Chưa thực hiện; (X): Thực hiện
"""


def test_text_rows_with_units_agencies_and_x_to_the_last_year():
    result = indicators.parse(text_doc(ACCENTED))
    assert result["milestones"] == [2030, 2045]
    rows = {r["code"]: r for r in result["rows"]}
    assert rows["1"]["is_group"]
    r11 = rows["1.1"]
    assert r11["name"] == "Tỷ lệ hộ gia đình có cáp quang tốc độ cao"
    assert (r11["unit"], r11["targets"]) == ("%", {"2030": "≥ 80", "2045": "100"})
    assert r11["agency"] == "Sở Khoa học và Công nghệ" and not r11["agency_inferred"]
    r12 = rows["1.2"]
    assert (r12["name"], r12["unit"]) == ("Số doanh nghiệp số trên địa bàn", "Doanh nghiệp")
    assert r12["targets"] == {"2030": "≥ 01", "2045": "≥ 05"} and r12["agency_inferred"]
    assert rows["2"]["unit"] == "% GRDP" and rows["2"]["agency"] == "Sở Tài chính"
    r3 = rows["3"]
    assert r3["unit"] == "Hoàn thành" and r3["targets"] == {"2030": None, "2045": "X"}
    assert any(f["field"] == "targets" for f in r3["flags"])
    assert r3["place"] == {"line": 21}


OCR_NO_HEADER = """\
6. Trong qua trinh to chuc thuc hien, neu thay can sua doi, cac so bao cao UBND tinh nam 2025.
 1 Trinh do cong nghe cua doanh nghiep
1.1 So luong doanh nghiep khoa hoc va cong nghe
Doanh
nghiep >8 > 15 >20
Sd Khoa hoc va
Cong nghe
1.2 Ty le doanh nghiep doi moi % > 10 >25 >40
2
17
Chi so doi moi sang tao tinh >0,7 >0,75 1,0 Cong an tinh
3 Dong gop cua TFP - - X Chi Cuc Thong ke
15
vao tang truong kinh te o muc cao, huong toi phat trien
tinh
I la tang so
4.1 Ty le phu song 5G % dan so >50 100 100
Ghi chu: (-): Chua thuc hien; (X): Thuc hien
"""


def test_ocr_text_without_header_or_diacritics():
    result = indicators.parse(text_doc(OCR_NO_HEADER))
    assert result["milestones"] == [2025, 2030, 2035]  # guessed, flagged
    assert result["flags"] and result["flags"][0]["field"] == "milestones"
    rows = {r["code"]: r for r in result["rows"]}
    assert list(rows) == ["1", "1.1", "1.2", "2", "3", "4", "4.1"]
    assert rows["1.1"]["unit"] == "Doanh nghiep"
    assert rows["1.1"]["targets"] == {"2025": "> 8", "2030": "> 15", "2035": "> 20"}
    assert rows["1.1"]["agency"] == "Sd Khoa hoc va Cong nghe"
    assert rows["1.2"]["agency"] == "Sd Khoa hoc va Cong nghe" and rows["1.2"]["agency_inferred"]
    assert any("“>”" in f["reason"] for f in rows["1.2"]["flags"])  # OCR sign
    # "17" between the code and the name is a page number; no unit before an index's values.
    assert (rows["2"]["name"], rows["2"]["unit"]) == ("Chi so doi moi sang tao tinh", None)
    assert rows["2"]["agency"] == "Cong an tinh"
    # A name split by its values: the rest follows the agency and a page number.
    assert rows["3"]["name"] == "Dong gop cua TFP vao tang truong kinh te o muc cao, huong toi phat trien"
    assert rows["3"]["agency"] == "Chi Cuc Thong ke tinh"
    # A group row whose code the OCR lost takes its children's prefix.
    assert rows["4"]["is_group"] and rows["4"]["name"] == "I la tang so" and rows["4.1"]["parent"] == "4"


ONE_VALUE_PER_LINE = """\
DANH MỤC CÁC CHỈ TIÊU
STT Tên chỉ tiêu Đơn vị Năm 2025 Năm 2030 Cơ quan chủ trì
1
Tỷ lệ xã có điểm phục vụ bưu chính
%
≥ 80
100
Sở Khoa học và Công nghệ
2 Số doanh nghiệp số
80
120
7
I. NHIỆM VỤ
1. Xây dựng kế hoạch Sở Nội vụ 2025
"""


def test_text_with_one_value_per_line_and_a_task_list_after():
    result = indicators.parse(text_doc(ONE_VALUE_PER_LINE))
    assert result["milestones"] == [2025, 2030]
    rows = result["rows"]
    assert [(r["code"], r["unit"], r["targets"]) for r in rows] == [
        ("1", "%", {"2025": "≥ 80", "2030": "100"}),
        ("2", None, {"2025": "80", "2030": "120"}),
    ]
    assert rows[1]["name"] == "Số doanh nghiệp số" and rows[1]["agency_inferred"]


CENTRED = """\
STT Tên chỉ tiêu Đơn vị Năm 2025 Năm 2030 Cơ quan chủ trì
1 Chuyển đổi số
Sở Thông tin và Truyền thông
1.1 Tỷ lệ hồ sơ được xử lý trực tuyến trong
5 năm liên tiếp của các cơ quan % ≥ 80 100 Sở Giáo dục và
hành chính nhà nước cấp tỉnh Đào tạo
1.2 Tỷ lệ người dân có chữ ký số % 50 80
"""


def test_text_values_in_the_middle_of_a_long_name():
    rows = {r["code"]: r for r in indicators.parse(text_doc(CENTRED))["rows"]}
    assert list(rows) == ["1", "1.1", "1.2"]
    assert rows["1"]["is_group"] and rows["1"]["name"] == "Chuyển đổi số"
    r = rows["1.1"]
    assert r["name"] == ("Tỷ lệ hồ sơ được xử lý trực tuyến trong 5 năm liên tiếp của các cơ quan "
                         "hành chính nhà nước cấp tỉnh")
    assert (r["unit"], r["agency"]) == ("%", "Sở Giáo dục và Đào tạo")
    assert rows["1.2"]["agency"] == "Sở Giáo dục và Đào tạo" and rows["1.2"]["agency_inferred"]


SECTIONS = """\
DANH MỤC CÁC CHỈ TIÊU CHỦ YẾU
TT Tên chỉ tiêu Đơn vị tính Chỉ tiêu Cơ quan chủ trì
A. Mục tiêu đến năm 2030
1 Tỷ trọng kinh tế số trong GRDP % ≥ 20 Sở Tài chính
2 Số doanh nghiệp công nghệ số Doanh nghiệp 1.000
B. Tầm nhìn đến năm 2045
1 Tỷ trọng kinh tế số trong GRDP % ≥ 50 Sở Tài chính
"""


def test_text_single_target_column_under_section_lines():
    result = indicators.parse(text_doc(SECTIONS))
    assert result["milestones"] == [2030, 2045]
    rows = result["rows"]
    assert [(r["code"], r["unit"], r["targets"]) for r in rows] == [
        ("1", "%", {"2030": "≥ 20", "2045": "≥ 50"}),
        ("2", "Doanh nghiệp", {"2030": "1.000", "2045": None}),
    ]


def test_text_with_one_year_column():
    text = "\n".join([
        "STT Tên chỉ tiêu Đơn vị Năm 2025 Cơ quan chủ trì", "1 Tỷ lệ hộ có cáp quang % ≥ 80 Sở Y tế",
        "2 Số trạm 5G Trạm 120", "3 Tỷ lệ xã có bưu điện % 100",
    ])  # fmt: skip
    result = indicators.parse(text_doc(text))
    assert result["milestones"] == [2025] and result["flags"] == []
    assert [(r["unit"], r["targets"]["2025"]) for r in result["rows"]] == [("%", "≥ 80"), ("Trạm", "120"), ("%", "100")]


def test_prose_targets_are_not_an_indicator_table():
    prose = "\n".join([
        "2. Mục tiêu cụ thể", "a) Đến năm 2030", "- 90% người sử dụng có khả năng truy cập băng thông",
        "rộng cố định với tốc độ trên 01 Gb/s.", "- 80% - 90% dân số trưởng thành thường xuyên sử dụng",
        "- 100% cán bộ, công chức cấp xã được bồi dưỡng kỹ năng số căn bản.", "- 70% dân số trưởng thành",
        "giai đoạn 2026 - 2030 và tầm nhìn đến 2045,",
    ] * 3)  # fmt: skip
    assert indicators.parse(text_doc(prose)) is None


@pytest.mark.parametrize("text,name,unit", [
    ("Tỷ lệ phủ sóng 5G cho người dân % dân số", "Tỷ lệ phủ sóng 5G cho người dân", "% dân số"),
    ("So luong can bo toan tinh Ngudi", "So luong can bo toan tinh", "Ngudi"),
    ("So don dang ky (sang che) Bon, van bang", "So don dang ky (sang che)", "Bon, van bang"),
    ("Tỷ lệ xã đạt chuẩn của tỉnh Quảng Ngãi", "Tỷ lệ xã đạt chuẩn của tỉnh Quảng Ngãi", None),
    ("Chỉ số chuyển đổi số cấp tỉnh", "Chỉ số chuyển đổi số cấp tỉnh", None),
    ("Dong gop cua nang suat nhan to tong hop (TFP)", "Dong gop cua nang suat nhan to tong hop (TFP)", None),
    ("Tỷ lệ liên thông với Trung ương.", "Tỷ lệ liên thông với Trung ương.", None),
])  # fmt: skip
def test_split_unit(text, name, unit):
    assert indicators.split_unit(text) == (name, unit)


def test_textrows_kinds_of_line():
    assert textrows.match_code("7.1 1").code == "7.11"
    assert (textrows.match_code("l.2 Ty le").code, textrows.match_code("7.I").code) == ("1.2", "7.1")
    assert [t.text for t in textrows.split_values("% 80 % ≥ 90 %").values] == ["80 %", "≥ 90 %"]
    assert textrows.split_glued_code("So Khoa hgc va Cong nghe7.10") == ("So Khoa hgc va Cong nghe", "7.10")
    assert textrows.starts_agency("Sd Khoa hoc va") and textrows.starts_agency("Phòng Nội vụ")
    assert textrows.starts_agency("Các phòng, ban") and textrows.starts_agency("Cong an tinh")
    assert not textrows.starts_agency("So luong doanh nghiep") and not textrows.starts_agency("Số lượng Doanh")
    assert not textrows.starts_agency("Trung tam an ninh mang cap tinh")
    assert textrows.is_noise("--- T----  —------") and textrows.is_noise("' r") and textrows.is_noise(">")
    assert not textrows.is_noise("vu") and not textrows.is_noise("- - X")
    vs = textrows.split_values("kinh te - xa hoi % ≥  70 ≥80 - X 1 00 (Cac he thong")
    assert [t.text for t in vs.values] == ["≥ 70", "≥80", "-", "X", "1", "00 (Cac he thong"]
    assert vs.values[-1].note_open and vs.prefix == "kinh te - xa hoi %"
    assert textrows.split_values("Dan so tu 15 tuoi tro len") is None
    assert textrows.normalise_target(">  8") == "> 8" and textrows.normalise_target("≥80") == "≥ 80"


if __name__ == "__main__":  # python -m planwatch.documents.ingest.tests.test_indicators [shared dir]
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[5] / "shared"
    for seed, data in (("000", "district_plan_sontinh.json"), ("003", "province_plan_327.json")):
        total, exact, diffs = compare_seed(shared, seed, data)
        print(f"{seed}: {exact}/{total} rows exact")
        for d in diffs:
            print("   ", d)


@pytest.mark.parametrize("first,second", [
    ("A. CHỈ TIÊU", "B. NHIỆM VỤ"),
    ("Phần I: Các chỉ tiêu", "Phần II: Nhiệm vụ, giải pháp"),
    ("Các chỉ tiêu", "Các nhiệm vụ"),
])
def test_a_table_with_an_indicator_part_and_a_task_part_reads_only_the_indicators(first, second):
    head = ["TT", "Nội dung", "Đơn vị tính / Sản phẩm", "Cơ quan chủ trì", "Thời gian / Chỉ tiêu 2030"]
    t = table([head, [(first, True)] * 5,
               ["1", "Tổng lượt khách du lịch", "Triệu lượt", "Sở Du lịch", "5"],
               ["I", "Chỉ tiêu về thu ngân sách", "", "", ""],
               ["2", "Tổng thu từ khách du lịch", "Tỷ đồng", "Sở Du lịch", "12.000"],
               [(second, True)] * 5,
               ["1", "Xây dựng bộ nhận diện thương hiệu", "Bộ nhận diện", "Sở Du lịch", "Năm 2026"],
               ["2", "Đào tạo nguồn nhân lực du lịch", "Khóa đào tạo", "Sở Du lịch", "Hằng năm"]])
    result = indicators.parse(SourceDoc("p.docx", "docx", [t]))
    assert [(r["code"], r["name"], r["is_group"]) for r in result["rows"]] == [
        ("1", "Tổng lượt khách du lịch", False), ("I", "Chỉ tiêu về thu ngân sách", True),
        ("2", "Tổng thu từ khách du lịch", False)]
    assert result["milestones"] == [2030]


def test_a_section_row_alone_stays_a_group_when_the_table_has_no_task_part():
    t = table([["TT", "Tên chỉ tiêu", "Đơn vị tính", "2025"],
               [("A. CHỈ TIÊU KINH TẾ", True)] * 4,
               ["1", "Tốc độ tăng trưởng GRDP", "%", "8"]])
    rows = indicators.parse(SourceDoc("p.docx", "docx", [t]))["rows"]
    assert [(r["name"], r["is_group"]) for r in rows] == [("A. CHỈ TIÊU KINH TẾ", True), ("Tốc độ tăng trưởng GRDP", False)]


@pytest.mark.parametrize("label", ["Tổng cộng", "TỔNG", "Cộng:"])
def test_a_total_row_is_dropped_with_an_info_flag(label):
    t = table([["STT", "Chỉ tiêu", "Đơn vị tính", "2025", "2030"],
               ["1", "Số doanh nghiệp công nghệ số", "Doanh nghiệp", "150", "300"],
               ["", label, "", "150", "300"]])
    result = indicators.parse(SourceDoc("p.xlsx", "xlsx", [t]))
    assert [r["name"] for r in result["rows"]] == ["Số doanh nghiệp công nghệ số"]
    assert [(f["field"], f["severity"], f["place"]["row"]) for f in result["flags"]] == [("rows", "info", 3)]
    assert label in result["flags"][0]["reason"]


def test_section_rows_of_a_mixed_table_and_total_labels():
    assert columns.section_of("B. NHIỆM VỤ") == ("tasks", "letter")
    assert columns.section_of("CHỈ TIÊU", "A") == ("indicators", "letter")
    assert columns.section_of("Phần II. NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU") == ("tasks", "phan")
    assert columns.section_of("I. Chỉ tiêu kinh tế") is None
    assert columns.section_of("Nhiệm vụ cải cách hành chính") is None
    assert not columns.is_total_label("Tổng số hộ nghèo")


@pytest.mark.parametrize("text,kind", [
    ("Phần thứ nhất: CÁC CHỈ TIÊU CHỦ YẾU", ("indicators", "phan")),
    ("PHẦN THỨ HAI. MỘT SỐ NHIỆM VỤ TRỌNG TÂM", ("tasks", "phan")),
    ("A. MỤC TIÊU, CHỈ TIÊU", ("indicators", "letter")),
    ("II - NHIỆM VỤ, GIẢI PHÁP", ("tasks", "roman")),
    ("Mục tiêu chung", None),
])
def test_section_row_phrasings(text, kind):
    assert columns.section_of(text) == kind


def test_text_lines_keep_the_indicator_part_only_and_drop_a_total_line():
    mixed = text_doc("DANH MỤC CHỈ TIÊU VÀ NHIỆM VỤ\nSTT Tên chỉ tiêu Đơn vị tính 2025 2030\nA. CHỈ TIÊU\n"
                     "1 Tổng lượt khách du lịch Triệu lượt 3 5\n2 Tổng thu từ khách du lịch Tỷ đồng 8.000 12.000\n"
                     "B. NHIỆM VỤ\n1 Xây dựng bộ nhận diện thương hiệu Bộ nhận diện 1 1\n"
                     "2 Đào tạo nguồn nhân lực du lịch Khóa đào tạo 10 20")
    rows = indicators.parse(mixed)["rows"]
    assert [(r["code"], r["name"], r["unit"]) for r in rows] == [
        ("1", "Tổng lượt khách du lịch", "Triệu lượt"), ("2", "Tổng thu từ khách du lịch", "Tỷ đồng")]
    total = text_doc("DANH MỤC CHỈ TIÊU\nSTT Tên chỉ tiêu Đơn vị tính 2025 2030\n"
                     "1 Số doanh nghiệp công nghệ số Doanh nghiệp 150 300\n2 Số hợp tác xã Hợp tác xã 10 20\n"
                     "Tổng cộng 160 320")
    result = indicators.parse(total)
    assert [r["targets"] for r in result["rows"]] == [{"2025": "150", "2030": "300"}, {"2025": "10", "2030": "20"}]
    assert [(f["field"], f["severity"]) for f in result["flags"]] == [("rows", "info")]


def test_a_task_like_header_over_an_indicator_part_and_a_task_part_still_gives_the_indicators():
    head = ["TT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Chỉ tiêu"]
    t = table([head, [("A. CHỈ TIÊU ĐẾN NĂM 2030", True)] * 6,
               ["1", "Tổng lượt khách du lịch", "Sở Du lịch", "", "", "5 triệu lượt"],
               [("B. NHIỆM VỤ", True)] * 6,
               ["1", "Xây dựng bộ nhận diện thương hiệu", "Sở Du lịch", "Sở Tài chính", "Năm 2026", ""]])
    result = indicators.parse(SourceDoc("p.docx", "docx", [t]))
    assert result["milestones"] == [2030]
    assert [(r["name"], r["targets"], r["agency"]) for r in result["rows"]] == [
        ("Tổng lượt khách du lịch", {"2030": "5 triệu lượt"}, "Sở Du lịch")]
    # the same table without its task part is a task table, not an indicator table
    assert indicators.parse(SourceDoc("p.docx", "docx", [table([head, ["1", "Xây dựng", "Sở A", "", "Năm 2026", ""]])])) is None


def test_text_lines_keep_the_year_of_an_indicator_section_line():
    doc = text_doc("DANH MỤC CHỈ TIÊU VÀ NHIỆM VỤ\nSTT Tên chỉ tiêu Đơn vị tính Chỉ tiêu\nA. CHỈ TIÊU ĐẾN NĂM 2030\n"
                   "1 Tổng lượt khách du lịch Triệu lượt 5\n2 Tổng thu từ khách du lịch Tỷ đồng 12.000\n"
                   "B. NHIỆM VỤ\n1 Xây dựng bộ nhận diện thương hiệu Bộ nhận diện 1")
    result = indicators.parse(doc)
    assert result["milestones"] == [2030]
    assert [(r["name"], r["targets"]) for r in result["rows"]] == [
        ("Tổng lượt khách du lịch", {"2030": "5"}), ("Tổng thu từ khách du lịch", {"2030": "12.000"})]
