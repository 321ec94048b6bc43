"""Progress-report tables and matching their rows to the plan's tasks."""

from __future__ import annotations

import json
import random

import pytest

from planwatch.documents.ingest import reports
from planwatch.documents.ingest.model import Cell, Paragraph, Place, SourceDoc, Table
from planwatch.lib.text import collapse_ws


def tab_doc(text: str) -> SourceDoc:
    """Rows as in seed 002: a line opening with a tab opens a cell, a line without one goes on
    with the cell, a blank line ends the row unless text without a tab follows it."""
    blocks: list = []
    rows: list[list[str]] = []
    row: list[str] | None = None
    blank = False
    for i, line in enumerate(text.split("\n")):
        if line.startswith("\t"):
            if row is None or blank:
                row = []
                rows.append(row)
            blank = False
            row.append(line[1:])
        elif not line.strip():
            blank = row is not None
        elif row is not None:
            row[-1] += ("\n\n" if blank else "\n") + line
            blank = False
        else:
            blocks.append(Paragraph(line, Place(line=i + 1)))
    width = max(len(r) for r in rows)
    blocks.append(Table([[Cell(t, Place(table=1, row=r + 1, col=c + 1)) for c, t in enumerate(cells + [""] * (width - len(cells)))]
                         for r, cells in enumerate(rows)], Place(table=1)))
    return SourceDoc(name="bao-cao.txt", fmt="tsv", blocks=blocks)


def table(*rows: list[str]) -> Table:
    return Table([[Cell(t, Place(table=1, row=r + 1, col=c + 1)) for c, t in enumerate(row)] for r, row in enumerate(rows)],
                 Place(table=1))


def doc_of(*blocks) -> SourceDoc:
    return SourceDoc(name="bc.docx", fmt="docx", blocks=list(blocks))


REPORT = """ BÁO CÁO TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ CHUYỂN ĐỔI SỐ
 CƠ QUAN THỰC HIỆN: SỞ Y TẾ TỈNH BÌNH ĐỊNH
\tTT
\tTên nhiệm vụ
\tCơ quan
 chủ trì
\tKết quả yêu cầu
\tThời hạn hoàn thành
\tKết quả 
(đến ngày 15/6/2025)
\tDự kiến kết quả đến tháng 9/2025
\tVướng mắc, kiến nghị

\tI.
\tNhóm nhiệm vụ về hạ tầng

\t1
\tXây dựng bệnh án điện tử.
\tCác bệnh viện
\tBệnh án điện tử
\tTháng
 9/2025
\t

Đã triển khai tại 3 bệnh viện
\tTriển khai toàn tỉnh
\t

\t2
\tHoàn thành các nhiệm vụ, gồm:
\t 
\t 

\t(1)
\tKết nối liên thông đơn thuốc.
\tCác cơ sở y tế
\tĐơn thuốc liên thông
\tNăm 2025
\t
\t
\t
"""


def test_it_reads_a_report_table_its_date_and_its_unit():
    out = reports.parse(tab_doc(REPORT))
    assert out["as_of"] == "2025-06-15"
    assert out["reporter"] == "Sở Y tế tỉnh Bình Định"
    assert out["reporter_printed"] == "CƠ QUAN THỰC HIỆN: SỞ Y TẾ TỈNH BÌNH ĐỊNH"
    assert out["title"] == "BÁO CÁO TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ CHUYỂN ĐỔI SỐ"
    assert out["columns_printed"][5] == "Kết quả (đến ngày 15/6/2025)"
    assert [(g["code"], g["name"]) for g in out["groups"]] == [("I", "Nhóm nhiệm vụ về hạ tầng")]
    first, parent, sub = out["rows"]
    assert (first["code"], first["group"], first["lead"], first["deadline"], first["result_to_date"],
            first["expected_next"], first["obstacles"], first["status"]) == (
        "1", "I", "Các bệnh viện", "Tháng 9/2025", "Đã triển khai tại 3 bệnh viện", "Triển khai toàn tỉnh", None, None)
    assert (parent["is_parent_row"], parent["lead"], parent["flags"]) == (True, None, [])
    assert (sub["code"], sub["code_printed"], sub["parent"], sub["is_parent_row"]) == ("2(1)", "(1)", "2", False)
    assert [f["field"] for f in sub["flags"]] == ["result_to_date"]  # nothing reported yet: shown, not dropped


def test_columns_are_mapped_by_heading_with_a_status_column_and_no_obstacles_column():
    out = reports.parse(doc_of(
        Paragraph("Đơn vị báo cáo: Phòng Nội vụ huyện"),
        Paragraph("Số liệu tính đến ngày 30/9/2025"),
        table(
            ["Số TT", "Tình hình thực hiện", "Nội dung nhiệm vụ", "Thời gian hoàn thành", "Đơn vị chủ trì",
             "Sản phẩm", "Kết quả thực hiện"],
            ["1", "Đã hoàn thành", "Số hóa hồ sơ", "Tháng 6/2025", "Phòng Nội vụ", "Hồ sơ số", "Xong 100%"],
            ["2", "Đang thực hiện", "Đào tạo kỹ năng số", "Quý IV/2025", "Phòng Nội vụ", "Lớp học", "2 lớp"],
            ["3", "Chưa thực hiện", "Đánh giá DTI", "Hằng năm", "Phòng Văn hoá, Khoa học và Thông tin", "Báo cáo", ""],
            ["4", "Quá hạn", "Cổng dữ liệu", "Tháng 3/2025", "Phòng Nội vụ", "Cổng", ""],
            ["5", "Khác", "Việc khác", "2025", "Phòng Nội vụ", "Báo cáo", ""],
        ),
    ))
    assert out["as_of"] == "2025-09-30" and out["reporter"] == "Phòng Nội vụ huyện"
    got = [(r["name"], r["status"], r["status_kind"], r["required_result"], r["result_to_date"], r["obstacles"])
           for r in out["rows"]]
    assert got == [
        ("Số hóa hồ sơ", "Đã hoàn thành", "done", "Hồ sơ số", "Xong 100%", None),
        ("Đào tạo kỹ năng số", "Đang thực hiện", "in_progress", "Lớp học", "2 lớp", None),
        ("Đánh giá DTI", "Chưa thực hiện", "not_started", "Báo cáo", None, None),
        ("Cổng dữ liệu", "Quá hạn", "late", "Cổng", None, None),
        ("Việc khác", "Khác", None, "Báo cáo", None, None),
    ]
    assert [f["field"] for f in out["rows"][4]["flags"]] == ["status"]


def test_a_report_without_a_date_or_unit_says_so():
    out = reports.parse(doc_of(table(["TT", "Nhiệm vụ", "Kết quả thực hiện"], ["1", "Việc A", "Đã xong"])))
    assert (out["as_of"], out["reporter"]) == (None, None)
    assert {f["field"] for f in out["flags"]} == {"as_of", "reporter"}


def test_a_plan_table_is_not_a_report():
    plan = table(["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Kết quả", "Thời hạn"], ["1", "Việc A", "Sở Y tế", "Kế hoạch", "2025"])
    assert reports.parse(doc_of(plan)) is None


@pytest.mark.parametrize(
    "text, kind",
    [("Đã hoàn thành", "done"), ("Hoàn thành", "done"), ("Đang thực hiện", "in_progress"), ("Đang triển khai", "in_progress"),
     ("Chưa thực hiện", "not_started"), ("Chưa triển khai", "not_started"), ("Chậm tiến độ", "late"), ("", None)],
)
def test_status_phrasings(text, kind):
    assert reports.status_kind(text) == kind


# --- matching ----------------------------------------------------------------------------------

PLAN = [
    {"code": "1", "name": "Xây dựng chương trình phát động phong trào học tập số", "lead": ["Sở Khoa học và Công nghệ"],
     "result": "Chương trình", "deadline": "Thường xuyên"},
    {"code": "2", "name": "Hoàn thành số hóa quy trình nghiệp vụ nội bộ, hồ sơ tài liệu", "lead": ["Sở Nội vụ"],
     "result": "Quy trình được số hóa", "deadline": "Tháng 9/2025"},
    {"code": "3", "name": "Triển khai các nền tảng số quốc gia dùng chung", "lead": ["Sở ban ngành"],
     "result": "Nền tảng", "deadline": "Tháng 12/2025"},
    {"code": "4", "name": "Xây dựng kế hoạch phát triển hạ tầng 5G", "lead": ["Sở Khoa học và Công nghệ"],
     "result": "Kế hoạch", "deadline": "Tháng 9/2025"},
]


def test_rows_match_their_task_by_text_whatever_the_numbering_deadline_or_lead():
    rows = [
        {"code": "7", "name": "Xây dựng kế hoạch phát triển hạ tầng 5G, IoT", "lead": "Các địa phương",
         "required_result": "Kế hoạch", "deadline": "Tháng 12/2025"},
        {"code": "1", "name": "Hoan thanh so hoa quy trinh nghiep vu noi bo, ho so tai lieu", "lead": "Sở Tư pháp",
         "required_result": None, "deadline": None},
        {"code": "2", "name": "Một nhiệm vụ mà kế hoạch không có", "lead": "Sở Y tế", "required_result": None, "deadline": None},
    ]
    result = reports.match_rows(rows, PLAN)
    assert [(m["row"], m["task_code"]) for m in result] == [(0, "4"), (1, "2"), (2, None)]
    assert result[0]["score"] >= 80
    unmatched = result[2]
    assert unmatched["score"] < reports.MATCH_THRESHOLD and len(unmatched["candidates"]) == 3
    assert all(isinstance(code, str) and isinstance(score, float) for code, score in unmatched["candidates"])


def test_a_plan_task_is_matched_at_most_once_to_the_better_row():
    rows = [
        {"name": "Triển khai nền tảng số", "lead": None},
        {"name": "Triển khai các nền tảng số quốc gia dùng chung", "lead": None},
    ]
    result = reports.match_rows(rows, PLAN)
    assert result[1]["task_code"] == "3"
    assert result[0]["task_code"] != "3"
    assert result[0]["candidates"][0][0] == "3"  # still offered to the reviewer


def test_no_tasks_leaves_every_row_unmatched():
    assert reports.match_rows([{"name": "A"}], []) == [{"row": 0, "task_code": None, "score": 0.0, "candidates": []}]


# --- the seed ----------------------------------------------------------------------------------

FIELDS = ("code", "code_printed", "group", "parent", "name", "lead", "required_result", "deadline", "result_to_date",
          "expected_next", "obstacles")


def _seed_report(shared_dir) -> dict:
    path = next((shared_dir / "seeds").glob("002_*.txt"))
    return reports.parse(tab_doc(path.read_text(encoding="utf-8")))


def _norm(v):
    return collapse_ws(v) if v else None


@pytest.mark.shared
def test_the_seed_report_matches_the_transcription(shared_dir):
    expected = json.loads((shared_dir / "seed-data" / "progress_report_skhcn.json").read_text(encoding="utf-8"))
    out = _seed_report(shared_dir)
    assert (out["as_of"], out["reporter"]) == (expected["as_of"], expected["reporter"])
    assert out["columns_printed"] == expected["document"]["columns_printed"]
    assert [g["code"] for g in out["groups"]] == ["I", "II", "III", "V", "VI"]
    got = {r["code"]: r for r in out["rows"]}
    exact = 0
    diffs = []
    for row in expected["rows"]:
        mine = got.get(row["code"], {})
        bad = [f for f in FIELDS if _norm(row.get(f)) != _norm(mine.get(f))]
        if bool(row.get("is_parent_row")) != mine.get("is_parent_row"):
            bad.append("is_parent_row")
        exact += not bad
        diffs += [(row["code"], f) for f in bad]
    assert exact >= 0.98 * len(expected["rows"]) and len(out["rows"]) == len(expected["rows"]), diffs


@pytest.mark.shared
def test_the_seed_report_rows_match_the_province_plan_tasks_with_shuffled_codes_and_changed_leads(shared_dir):
    out = _seed_report(shared_dir)
    plan = json.loads((shared_dir / "seed-data" / "province_plan_327.json").read_text(encoding="utf-8"))["tasks"]
    rng = random.Random(9)
    codes = [f"T{i}" for i in range(len(plan))]
    rng.shuffle(codes)
    tasks = [dict(t, code=c, lead=["Sở Tài chính"], deadline="Tháng 12/2026") for t, c in zip(plan, codes)]
    truth = {t["name"]: c for t, c in zip(plan, codes)}
    result = reports.match_rows(out["rows"], tasks)
    by_row = {out["rows"][m["row"]]["code"]: m for m in result}
    # Report rows are the national programme's tasks; the province copied them with its own numbers.
    assert by_row["1"]["task_code"] == truth[plan[1]["name"]]
    assert by_row["18(1)"]["task_code"] == truth[plan[17]["name"]]
    assert by_row["22"]["task_code"] == truth[plan[22]["name"]]
    matched = [m["task_code"] for m in result if m["task_code"]]
    assert len(matched) == len(set(matched)) >= 20
    # Rows the province did not copy (the digital-twin pilot, the parent row 18) stay, unmatched, with candidates.
    assert by_row["10"]["task_code"] is None and by_row["10"]["candidates"]
    assert len(result) == len(out["rows"])


def test_a_plain_result_column_beside_a_product_column_is_what_was_done_and_a_period_gives_the_date():
    out = reports.parse(doc_of(table(
        ["TT", "Nhiệm vụ", "Sản phẩm", "Kết quả", "Kết quả thực hiện 6 tháng đầu năm 2025"],
        ["1", "Việc A", "Kế hoạch", "Đã ban hành", "x"],
    )))
    row = out["rows"][0]
    assert (row["required_result"], row["result_to_date"]) == ("Kế hoạch", "Đã ban hành")
    assert out["as_of"] is None  # the dated column is a second result column: not read as the date

    out = reports.parse(doc_of(
        Paragraph("Đơn vị: Sở Nội vụ"),
        table(["TT", "Nhiệm vụ", "Kết quả thực hiện quý III/2025"], ["1", "Việc A", "Xong"]),
    ))
    assert (out["as_of"], out["reporter"]) == ("2025-09-30", "Sở Nội vụ")


@pytest.mark.parametrize(
    "printed, name",
    [("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH QUẢNG NGÃI", "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"),
     ("UBND HUYỆN SƠN TỊNH", "UBND huyện Sơn Tịnh"), ("VĂN PHÒNG UBND TỈNH", "Văn phòng UBND tỉnh"),
     ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Sở Văn hóa, Thể thao và Du lịch"), ("SỞ GD&ĐT", "Sở GD&ĐT"),
     ("BAN QUẢN LÝ KKT DUNG QUẤT VÀ CÁC KCN TỈNH", "Ban Quản lý KKT Dung Quất và các KCN tỉnh"),
     ("UBND THÀNH PHỐ QUẢNG NGÃI", "UBND thành phố Quảng Ngãi"), ("Phòng Nội vụ", "Phòng Nội vụ")],
)
def test_a_unit_printed_in_capitals_is_written_as_names_are(printed, name):
    assert reports.unit_case(printed) == name


REPORT_TEXT = """BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ
Cơ quan thực hiện: Sở Nội vụ
TT Tên nhiệm vụ Cơ quan chủ trì Kết quả yêu cầu Thời hạn Kết quả (đến ngày 30/6/2025) Dự kiến
kết quả đến tháng 9/2025
I.
Nhóm nhiệm vụ cải cách hành chính
1
Số hóa hồ sơ, kết quả giải quyết thủ tục
hành chính.
Các sở, ban ngành
Hồ sơ được số hóa Tháng 9/2025 Đã số hóa 60% hồ sơ.
Hoàn thành số hóa.
2
Đào tạo kỹ năng số cho công chức.
Sở Nội vụ
Lớp đào tạo Năm 2025 Đã mở 2 lớp.
Mở thêm 3 lớp.
"""


def test_a_report_copied_out_of_a_pdf_is_rebuilt_and_flagged_for_review():
    doc = SourceDoc(name="bc.txt", fmt="text",
                    blocks=[Paragraph(t, Place(line=i + 1)) for i, t in enumerate(REPORT_TEXT.split("\n"))])
    out = reports.parse(doc)
    assert (out["as_of"], out["reporter"]) == ("2025-06-30", "Sở Nội vụ")
    assert [g["code"] for g in out["groups"]] == ["I"]
    got = [(r["code"], r["name"], r["lead"], r["required_result"], r["deadline"], r["result_to_date"], r["expected_next"])
           for r in out["rows"]]
    assert got == [
        ("1", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.", "Các sở, ban ngành", "Hồ sơ được số hóa",
         "Tháng 9/2025", "Đã số hóa 60% hồ sơ.", "Hoàn thành số hóa."),
        ("2", "Đào tạo kỹ năng số cho công chức.", "Sở Nội vụ", "Lớp đào tạo", "Năm 2025", "Đã mở 2 lớp.",
         "Mở thêm 3 lớp."),
    ]
    assert any(f["field"] == "table" for f in out["flags"])


def test_tien_do_beside_a_deadline_column_is_the_status_of_a_report():
    out = reports.parse(doc_of(table(["TT", "Nhiệm vụ", "Thời hạn", "Tiến độ thực hiện", "Kết quả đạt được"],
                                     ["1", "Việc A", "2025", "Đang thực hiện", "Một phần"])))
    row = out["rows"][0]
    assert (row["deadline"], row["status"], row["status_kind"], row["result_to_date"]) == (
        "2025", "Đang thực hiện", "in_progress", "Một phần")


def test_a_report_without_a_tt_column_and_with_unnumbered_group_headings():
    out = reports.parse(doc_of(table(
        ["Nhiệm vụ", "Đơn vị chủ trì", "Kết quả thực hiện", "Ghi chú"],
        ["Nhóm nhiệm vụ về thể chế", "", "", ""],
        ["Rà soát quy chế", "Sở Tư pháp", "Đã rà soát", ""],
        ["tiếp theo của quy chế", "", "", ""],
        ["Nhóm nhiệm vụ về hạ tầng", "", "", ""],
        ["3. Nâng cấp mạng", "Sở Nội vụ", "Đang thực hiện", ""],
    )))
    assert [(g["code"], g["name"]) for g in out["groups"]] == [("G1", "Nhóm nhiệm vụ về thể chế"),
                                                              ("G2", "Nhóm nhiệm vụ về hạ tầng")]
    assert [(r["code"], r["group"], r["name"]) for r in out["rows"]] == [
        ("1", "G1", "Rà soát quy chế tiếp theo của quy chế"), ("3", "G2", "Nâng cấp mạng")]


def test_a_result_heading_spanning_two_sub_columns():
    out = reports.parse(doc_of(table(
        ["TT", "Nhiệm vụ", "Chủ trì", "Kết quả thực hiện", "Kết quả thực hiện", "Vướng mắc"],
        ["", "", "", "Đến ngày 10/5/2025", "Dự kiến đến 30/6/2025", ""],
        ["1", "Việc A", "Sở Y tế", "Đã dự thảo", "Ban hành", ""],
    )))
    row = out["rows"][0]
    assert (row["result_to_date"], row["expected_next"], out["as_of"]) == ("Đã dự thảo", "Ban hành", "2025-05-10")


REPORT_TABLE = (["TT", "Nhiệm vụ", "Kết quả thực hiện"], ["1", "Số hóa hồ sơ", "Đã xong"])


def test_the_as_of_date_is_the_one_after_tinh_den_ngay_not_a_cited_plans_date():
    out = reports.parse(doc_of(
        Paragraph("BÁO CÁO"),
        Paragraph("Kết quả thực hiện Kế hoạch số 12/KH-UBND ngày 15/3/2025 của UBND tỉnh (số liệu tính đến ngày 31/10/2025)"),
        table(*REPORT_TABLE),
    ))
    assert out["as_of"] == "2025-10-31"
    out = reports.parse(doc_of(
        Paragraph("Thực hiện Kế hoạch số 7/KH-SYT ngày 02/01/2025, số liệu đến hết ngày 30 tháng 6 năm 2025:"),
        table(*REPORT_TABLE),
    ))
    assert out["as_of"] == "2025-06-30"


def test_the_reporter_is_the_unit_line_of_the_heading_block_or_the_unit_that_reports():
    heading = Table([[Cell("UBND TỈNH GIA LAI\nSỞ TÀI CHÍNH\n*", Place(table=1, row=1, col=1)),
                      Cell("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", Place(table=1, row=1, col=2))]],
                    Place(table=1))
    out = reports.parse(doc_of(heading, Paragraph("BÁO CÁO"), Paragraph("Kết quả thực hiện kế hoạch"), table(*REPORT_TABLE)))
    assert out["reporter"] == "Sở Tài chính tỉnh Gia Lai"  # completed with the header's locality, like the issuer
    assert out["title"] == "BÁO CÁO Kết quả thực hiện kế hoạch"
    out = reports.parse(doc_of(
        Paragraph("Thực hiện chỉ đạo của UBND tỉnh, Sở Khoa học và Công nghệ báo cáo kết quả như sau:"),
        table(*REPORT_TABLE),
    ))
    assert out["reporter"] == "Sở Khoa học và Công nghệ"
    text_heading = [Paragraph(t) for t in ("ĐẢNG BỘ TỈNH QUẢNG NGÃI", "ĐẢNG ỦY XÃ TƯ NGHĨA", "*", "Số 07-BC/ĐU",
                                           "ĐẢNG CỘNG SẢN VIỆT NAM", "BÁO CÁO")]
    out = reports.parse(doc_of(*text_heading, table(*REPORT_TABLE)))
    assert out["reporter"].casefold() == "đảng ủy xã tư nghĩa"


def test_a_report_copied_out_of_a_pdf_with_each_heading_cell_on_its_line():
    lines = ["SỞ Y TẾ", "BÁO CÁO", "Kết quả thực hiện Kế hoạch số 5/KH-UBND ngày 02/01/2025 (số liệu tính đến ngày 30/6/2025)",
             "TT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả thực hiện",
             "1", "Triển khai bệnh án điện tử", "Sở Y tế", "Năm 2025", "Đã triển khai tại 5 bệnh viện.",
             "2", "Kết nối dữ liệu khám chữa bệnh", "Sở Y tế", "Quý IV/2025", "Đang thực hiện.", "GIÁM ĐỐC"]
    out = reports.parse(SourceDoc(name="bc.txt", fmt="text",
                                  blocks=[Paragraph(t, Place(line=i + 1)) for i, t in enumerate(lines)]))
    assert (out["as_of"], out["reporter"]) == ("2025-06-30", "Sở Y tế")
    assert [(r["name"], r["lead"], r["deadline"], r["result_to_date"]) for r in out["rows"]] == [
        ("Triển khai bệnh án điện tử", "Sở Y tế", "Năm 2025", "Đã triển khai tại 5 bệnh viện."),
        ("Kết nối dữ liệu khám chữa bệnh", "Sở Y tế", "Quý IV/2025", "Đang thực hiện."),
    ]


def test_report_title_is_the_bao_cao_line_and_as_of_falls_back_to_the_document_date():
    lines = ["UBND TỈNH LÀO CAI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 312/BC-SKHCN", "Lào Cai, ngày 30 tháng 6 năm 2025",
             "BÁO CÁO Kết quả thực hiện Kế hoạch số 88/KH-UBND năm 2025", "I. TÌNH HÌNH CHUNG",
             "Các nhiệm vụ được triển khai đồng bộ."]
    out = reports.parse(doc_of(*[Paragraph(t) for t in lines], table(*REPORT_TABLE)))
    assert out["title"] == "BÁO CÁO Kết quả thực hiện Kế hoạch số 88/KH-UBND năm 2025"
    assert out["reporter"] == "Sở Khoa học và Công nghệ tỉnh Lào Cai"
    assert out["as_of"] == "2025-06-30"
    assert [f["severity"] for f in out["flags"] if f["field"] == "as_of"] == ["info"]
    assert "ngày ban hành" in next(f["reason"] for f in out["flags"] if f["field"] == "as_of")


@pytest.mark.parametrize("heading", [
    "Đơn vị", "Đơn vị thực hiện", "Cơ quan, đơn vị", "Địa phương", "Tên đơn vị", "Sở, ban, ngành, địa phương"])
def test_a_unit_column_of_a_consolidated_report_is_each_rows_lead_and_there_is_no_single_reporter(heading):
    doc = doc_of(
        Paragraph("BÁO CÁO TỔNG HỢP", Place(line=1)),
        Paragraph("Kết quả thực hiện Kế hoạch số 12/KH-UBND của các đơn vị (tính đến ngày 30/6/2025)", Place(line=2)),
        table(["STT", heading, "Nhiệm vụ", "Đơn vị tính", "Kết quả thực hiện", "Tình trạng"],
              ["1", "Sở Tư pháp", "Rà soát thủ tục hành chính", "Thủ tục", "Đã rà soát 120 thủ tục", "Đã hoàn thành"],
              ["2", "UBND huyện A", "Kiểm tra cải cách hành chính", "Cuộc", "", "Chưa thực hiện"]))
    out = reports.parse(doc)
    assert [(r["code"], r["lead"], r["status"]) for r in out["rows"]] == [
        ("1", "Sở Tư pháp", "Đã hoàn thành"), ("2", "UBND huyện A", "Chưa thực hiện")]
    assert out["reporter"] is None
    assert out["as_of"] == "2025-06-30"


def test_a_total_row_is_neither_a_task_nor_a_continuation_of_the_row_above():
    doc = doc_of(
        Paragraph("BÁO CÁO TỔNG HỢP (tính đến ngày 30/6/2025)", Place(line=1)),
        table(["STT", "Đơn vị", "Nhiệm vụ", "Kết quả thực hiện", "Tình trạng"],
              ["1", "Sở Tư pháp", "Rà soát thủ tục hành chính", "Đã rà soát", "Đã hoàn thành"],
              ["", "Tổng cộng", "", "1 nhiệm vụ", ""]))
    out = reports.parse(doc)
    assert [(r["lead"], r["result_to_date"]) for r in out["rows"]] == [("Sở Tư pháp", "Đã rà soát")]
    total = [f for f in out["flags"] if f["field"] == "rows"]
    assert [(f["severity"], f["place"]) for f in total] == [("info", {"table": 1, "row": 3})]
