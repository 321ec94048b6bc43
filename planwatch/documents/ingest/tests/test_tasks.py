"""Task tables: Table blocks of any format and PDF text one line per visual line."""

from __future__ import annotations

import json

import pytest

from planwatch.documents.ingest import tasks
from planwatch.documents.ingest.model import Cell, Paragraph, Place, SourceDoc, Table
from planwatch.lib.agencies import split_agency_list
from planwatch.lib.text import collapse_ws

HEADER = ["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả (sản phẩm)", "Thời gian (thời hạn) hoàn thành"]


def table(*rows: list[str], merged: set[tuple[int, int]] = frozenset()) -> Table:
    return Table(
        [[Cell(t, Place(table=1, row=r + 1, col=c + 1), merged=(r, c) in merged) for c, t in enumerate(row)]
         for r, row in enumerate(rows)],
        Place(table=1),
    )


def doc_of(*blocks) -> SourceDoc:
    return SourceDoc(name="kh.docx", fmt="docx", blocks=list(blocks))


def text_doc(text: str) -> SourceDoc:
    return SourceDoc(name="kh.txt", fmt="text",
                     blocks=[Paragraph(line, Place(line=i + 1)) for i, line in enumerate(text.split("\n"))])


def reasons(row: dict, field: str) -> list[str]:
    return [f["reason"] for f in row["flags"] if f["field"] == field]


# --- Table blocks -----------------------------------------------------------------------------


def test_it_reads_groups_tasks_and_their_cells_from_a_table():
    out = tasks.parse(doc_of(table(
        HEADER,
        ["I.", "Nhóm nhiệm vụ “Hoàn thiện thể chế”", "", "", "", ""],
        ["1", "Rà soát văn bản quy phạm", "Sở Tư pháp", "Các sở, ban ngành, địa phương", "Báo cáo", "Quý III/2025"],
        ["2", "Ban hành quy chế", "Sở Nội vụ", "-", "Quyết định", "Tháng 12/2025"],
        ["II", "Nhóm nhiệm vụ “Hạ tầng số”", "", "", "", ""],
        ["3", "Nâng cấp mạng", "Sở Khoa học và Công nghệ", "Sở Tài chính; Sở Xây dựng", "Mạng được nâng cấp", "2026"],
    )))
    assert [(g["code"], g["code_printed"], g["name"]) for g in out["groups"]] == [
        ("I", "I.", "Nhóm nhiệm vụ “Hoàn thiện thể chế”"), ("II", "II", "Nhóm nhiệm vụ “Hạ tầng số”")]
    first, second, third = out["rows"]
    assert (first["code"], first["group"], first["lead"], first["coordinating"]) == (
        "1", "I", ["Sở Tư pháp"], ["Các sở, ban ngành, địa phương"])
    assert second["coordinating"] == [] and second["coordinating_printed"] == "-"
    assert (third["group"], third["coordinating"], third["deadline"]) == ("II", ["Sở Tài chính", "Sở Xây dựng"], "2026")
    assert all(not r["flags"] for r in out["rows"])
    assert first["place"] == {"table": 1, "row": 3, "col": 1}


def test_it_maps_columns_by_heading_not_by_position():
    out = tasks.parse(doc_of(table(
        ["STT", "Nội dung công việc", "Thời hạn", "Sản phẩm", "Đơn vị chủ trì"],
        ["1", "Xây dựng kho dữ liệu", "Tháng 6/2026", "Kho dữ liệu", "Sở Y tế"],
    )))
    row = out["rows"][0]
    assert (row["name"], row["deadline"], row["result"], row["lead"], row["coordinating"]) == (
        "Xây dựng kho dữ liệu", "Tháng 6/2026", "Kho dữ liệu", ["Sở Y tế"], [])


def test_it_reads_a_heading_spread_over_two_rows():
    out = tasks.parse(doc_of(table(
        ["TT", "Nhiệm vụ", "Cơ quan thực hiện", "Cơ quan thực hiện", "Sản phẩm", "Thời gian hoàn thành"],
        ["", "", "Chủ trì", "Phối hợp", "", ""],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        ["1", "Số hóa hồ sơ", "Văn phòng UBND tỉnh", "Sở Nội vụ", "Hồ sơ số", "Năm 2025"],
    )))
    row = out["rows"][0]
    assert (row["lead"], row["coordinating"], row["result"]) == (["Văn phòng UBND tỉnh"], ["Sở Nội vụ"], "Hồ sơ số")
    assert len(out["rows"]) == 1


def test_a_row_with_an_empty_tt_cell_continues_the_task_above():
    out = tasks.parse(doc_of(table(
        HEADER,
        ["1", "Triển khai nền tảng số dùng chung", "Sở Khoa học và Công nghệ", "", "Nền tảng", "Tháng"],
        ["", "của tỉnh trên môi trường số", "", "Công an tỉnh", "được vận hành", "9/2025"],
    )))
    (row,) = out["rows"]
    assert row["name"] == "Triển khai nền tảng số dùng chung của tỉnh trên môi trường số"
    assert (row["coordinating"], row["result"], row["deadline"]) == (["Công an tỉnh"], "Nền tảng được vận hành", "Tháng 9/2025")


def test_merged_cells_repeated_on_the_next_row_are_not_added_twice():
    out = tasks.parse(doc_of(table(
        HEADER,
        ["1", "Xây dựng đề án", "Sở Y tế", "", "Đề án", "Tháng 9/2025"],
        ["", "", "Sở Y tế", "", "", ""],
        merged={(2, 2)},
    )))
    assert out["rows"][0]["lead"] == ["Sở Y tế"]


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("Sở Nội vụ Sở Tài chính", ["Sở Nội vụ", "Sở Tài chính"]),
        ("Sở Nội vụ, Sở Tài chính", ["Sở Nội vụ", "Sở Tài chính"]),
        ("Sở Nội vụ; Sở Tài chính", ["Sở Nội vụ", "Sở Tài chính"]),
        ("Phòng Văn hoá, Khoa học và Thông tin", ["Phòng Văn hoá, Khoa học và Thông tin"]),
        ("Sở Văn hóa, Thể thao và Du lịch Sở Y tế", ["Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế"]),
        ("Sở ban ngành, địa phương", ["Sở ban ngành, địa phương"]),
        ("Ban Tuyên giáo Tỉnh ủy", ["Ban Tuyên giáo Tỉnh ủy"]),
        ("Hội Liên hiệp Phụ nữ tỉnh Đoàn Thanh niên", ["Hội Liên hiệp Phụ nữ tỉnh", "Đoàn Thanh niên"]),
        ("Văn phòng HĐND và UBND huyện", ["Văn phòng HĐND và UBND huyện"]),
        ("Trung tâm CNTT thuộc Sở KH&CN", ["Trung tâm CNTT thuộc Sở KH&CN"]),
        ("So Khoa hoc va Cong nghe Cong an tinh", ["So Khoa hoc va Cong nghe", "Cong an tinh"]),
        ("-", []),
    ],
)
def test_agency_cells_split_on_commas_semicolons_or_nothing_but_keep_names_whole(cell, expected):
    out = tasks.parse(doc_of(table(HEADER, ["1", "Nhiệm vụ", "Sở Y tế", cell, "Kế hoạch", "2025"])))
    assert out["rows"][0]["coordinating"] == expected
    assert split_agency_list(cell) == expected


def test_blank_result_and_deadline_cells_are_flagged():
    out = tasks.parse(doc_of(table(HEADER, ["1", "Nhiệm vụ", "Sở Y tế", "", "", ""])))
    row = out["rows"][0]
    assert row["result"] is None and row["deadline"] is None
    assert reasons(row, "result") == ["Ô kết quả (sản phẩm) để trống"]
    assert reasons(row, "deadline") == ["Ô thời hạn để trống"]
    # Each flag points at its own cell, not at the TT cell.
    assert [f["where"] for f in row["flags"]] == ["bảng 1, dòng 2, cột 5", "bảng 1, dòng 2, cột 6"]


@pytest.mark.parametrize("deadline", ["Năm 2025", "2025", "Tháng 9/2025", "Quý II/2026", "Thường xuyên", "Hằng năm",
                                      "2025 và những năm tiếp theo", "31/12/2025"])
def test_known_deadline_forms_are_kept_raw_without_a_flag(deadline):
    row = tasks.parse(doc_of(table(HEADER, ["1", "Nhiệm vụ", "Sở Y tế", "", "Kế hoạch", deadline])))["rows"][0]
    assert row["deadline"] == deadline and reasons(row, "deadline") == []


def test_an_unknown_deadline_form_is_flagged_and_kept_as_printed():
    row = tasks.parse(doc_of(table(HEADER, ["1", "Nhiệm vụ", "Sở Y tế", "", "Kế hoạch", "Khi có chỉ đạo"])))["rows"][0]
    assert row["deadline"] == "Khi có chỉ đạo"
    assert reasons(row, "deadline") and "Khi có chỉ đạo" in reasons(row, "deadline")[0]


def test_footnote_markers_are_taken_out_of_the_text_and_shown():
    cell = Cell("Xây dựng cơ sở dữ liệu¹", Place(table=1, row=2, col=2), footnotes=("Theo Quyết định 1.",))
    t = table(HEADER, ["1", "", "Sở Y tế", "", "Kế hoạch", "2025"])
    t.rows[1][1] = cell
    row = tasks.parse(doc_of(t))["rows"][0]
    assert row["name"] == "Xây dựng cơ sở dữ liệu"
    assert any("Theo Quyết định 1." in f["reason"] and "¹" in f["reason"] for f in row["flags"])


def test_the_heading_repeated_on_each_page_and_a_continued_table_are_read_as_one():
    first = table(HEADER, ["1", "Nhiệm vụ một", "Sở Y tế", "", "Kế hoạch", "2025"])
    second = table(HEADER, ["2", "Nhiệm vụ hai", "Sở Nội vụ", "", "Quyết định", "2026"])
    third = table(["3", "Nhiệm vụ ba", "Sở Xây dựng", "", "Đề án", "2027"], ["", "", "", "", "", ""])
    out = tasks.parse(doc_of(first, Paragraph("trang 2"), second, third))
    assert [r["code"] for r in out["rows"]] == ["1", "2", "3"]


def test_sub_items_get_their_parent():
    out = tasks.parse(doc_of(table(
        HEADER,
        ["5", "Hoàn thành các nhiệm vụ sau, gồm:", "", "", "", ""],
        ["(1)", "Kinh tế ban đêm", "Các địa phương", "", "Đề án", "Tháng 9/2025"],
        ["(2)", "Mô hình điểm", "Các địa phương có đảo", "", "Mô hình", "Tháng 9/2025"],
        ["6", "Nhiệm vụ khác", "Sở Y tế", "", "Báo cáo", "2025"],
    )))
    assert [(r["code"], r["parent"]) for r in out["rows"]] == [("5", None), ("5(1)", "5"), ("5(2)", "5"), ("6", None)]
    assert out["rows"][0]["flags"] == []  # a parent row has no cells of its own to flag


def test_a_document_without_a_task_table_gives_none():
    assert tasks.parse(doc_of(Paragraph("Kế hoạch"), table(["A", "B"], ["1", "2"]))) is None
    assert tasks.parse(text_doc("Một đoạn văn.\nKhông có bảng.")) is None


# --- PDF text, one Paragraph per visual line ------------------------------------------------------

TEXT_TABLE = """PHỤ LỤC
DANH MỤC CÁC NHIỆM VỤ
TT Tên nhiệm vụ
Cơ quan chủ

trì

Cơ quan phối

hợp
Kết quả

Thời gian

hoàn thành

I.

Nhóm nhiệm vụ “Phát triển hạ tầng dữ liệu và

chính quyền số”

1

Xây dựng kho dữ liệu dùng chung của huyện, kết nối

với hệ thống của tỉnh.

Phòng Văn

hoá, Khoa học

và Thông tin

Phòng, ban

ngành, địa

phương

Kho dữ liệu Tháng 6/2026

2 Số hóa hồ sơ hành chính lưu trữ. Phòng Nội vụ Văn phòng

HĐND&UBND

huyện

Hồ sơ được số hóa

Quý IV/2025

II. Nhóm nhiệm vụ “Nhân lực số”

3

Tổ chức tập huấn kỹ năng số cho cán bộ, công chức cấp

xã.

Phòng Nội vụ

-
Lớp tập huấn

Thường

xuyên
 TT Tên nhiệm vụ
Cơ quan chủ

trì

Cơ quan phối

hợp
Kết quả

Thời gian

hoàn thành

4

Đánh giá mức độ chuyển đổi số của các xã, thị trấn và

công bố kết quả

Phòng Văn

hoá, Khoa học

và Thông tin

UBND các xã

Báo cáo đánh giá Hằng năm
Ghi chú: (-) không có
"""


def test_it_rebuilds_the_cells_of_a_table_copied_out_of_a_pdf():
    out = tasks.parse(text_doc(TEXT_TABLE))
    assert [(g["code"], g["name"]) for g in out["groups"]] == [
        ("I", "Nhóm nhiệm vụ “Phát triển hạ tầng dữ liệu và chính quyền số”"), ("II", "Nhóm nhiệm vụ “Nhân lực số”")]
    got = [(r["code"], r["group"], r["name"], r["lead"], r["coordinating"], r["result"], r["deadline"]) for r in out["rows"]]
    assert got == [
        ("1", "I", "Xây dựng kho dữ liệu dùng chung của huyện, kết nối với hệ thống của tỉnh.",
         ["Phòng Văn hoá, Khoa học và Thông tin"], ["Phòng, ban ngành, địa phương"], "Kho dữ liệu", "Tháng 6/2026"),
        ("2", "I", "Số hóa hồ sơ hành chính lưu trữ.", ["Phòng Nội vụ"], ["Văn phòng HĐND&UBND huyện"],
         "Hồ sơ được số hóa", "Quý IV/2025"),
        ("3", "II", "Tổ chức tập huấn kỹ năng số cho cán bộ, công chức cấp xã.", ["Phòng Nội vụ"], [], "Lớp tập huấn",
         "Thường xuyên"),
        ("4", "II", "Đánh giá mức độ chuyển đổi số của các xã, thị trấn và công bố kết quả",
         ["Phòng Văn hoá, Khoa học và Thông tin"], ["UBND các xã"], "Báo cáo đánh giá", "Hằng năm"),
    ]
    assert out["rows"][2]["coordinating_printed"] == "-"
    assert out["rows"][0]["place"] == {"line": 23}
    assert out["flags"][0]["severity"] == "info"


OCR_TABLE = """DANH MUC CAC NHIEM VU
TT Ten nhiem vu Co quanchu
tri

Co1 quan
phoi hop Ket qua Tlioi gian

hoan thanh

I.
Nhom nhiem vu “Chuyen doi so”

1 Xay dung he thong giam sat an toan thong tin cho cac
co quan nha nuoc tren dia ban. So Khoa hoc
va Cong nghe Cong an tinh Bao cao danh gia Thang 9/2025

2
Trien khai ung dung tri tue nhan tao trong linh vuc
y te va giao duc, dao tao nguon nhan luc so cho
? r r
cac co so y te.

So Y te, So Giao
duc va Dao tao

So ban nganh, ⏎
dia phuong Ung dung duoc trien khai Thing 3/2026
 TT Ten nhiem vu Co quan chu
tri

Co quan
phoi hop Ket qua Thoi gian
hoan thanh
3
Cong khai du lieu mo cua tinh theo danh muc da duoc
phe duyet.

Van phong
UBND tinh Cac so ban
nganh Cong du lieu mo
duoc van hanh
Thang
12/2025
""".replace("⏎", "")


def test_it_reads_diacritic_free_ocr_text_and_flags_a_misread_deadline():
    out = tasks.parse(text_doc(OCR_TABLE))
    got = [(r["code"], r["name"], r["lead"], r["coordinating"], r["result"], r["deadline"]) for r in out["rows"]]
    assert got == [
        ("1", "Xay dung he thong giam sat an toan thong tin cho cac co quan nha nuoc tren dia ban.",
         ["So Khoa hoc va Cong nghe"], ["Cong an tinh"], "Bao cao danh gia", "Thang 9/2025"),
        ("2", "Trien khai ung dung tri tue nhan tao trong linh vuc y te va giao duc, dao tao nguon nhan luc so cho "
              "cac co so y te.", ["So Y te", "So Giao duc va Dao tao"], ["So ban nganh, dia phuong"],
         "Ung dung duoc trien khai", "Thing 3/2026"),
        ("3", "Cong khai du lieu mo cua tinh theo danh muc da duoc phe duyet.", ["Van phong UBND tinh"],
         ["Cac so ban nganh"], "Cong du lieu mo duoc van hanh", "Thang 12/2025"),
    ]
    assert reasons(out["rows"][1], "deadline") and reasons(out["rows"][0], "deadline") == []


PAGE_BREAK = """TT Tên nhiệm vụ Cơ quan chủ trì Cơ quan phối hợp Kết quả Thời gian hoàn thành
1
Triển khai các nền tảng số dùng chung theo danh mục đã
Sở Tài chính Sở Nội vụ Các nền tảng số được vận hành,
kết nối
Tháng 12/2025
TT Tên nhiệm vụ Cơ quan chủ trì Cơ quan phối hợp Kết quả Thời gian hoàn thành
được phê duyệt bảo đảm kết nối, liên thông.
liên thông với tỉnh
2
Xây dựng kế hoạch.
Sở Y tế
Kế hoạch Năm 2026
"""


def test_a_row_running_over_a_page_break_continues_after_the_repeated_heading():
    out = tasks.parse(text_doc(PAGE_BREAK))
    first, second = out["rows"]
    assert first["name"] == ("Triển khai các nền tảng số dùng chung theo danh mục đã được phê duyệt bảo đảm kết nối, "
                             "liên thông.")
    assert first["result"] == "Các nền tảng số được vận hành, kết nối liên thông với tỉnh"
    assert (first["lead"], first["coordinating"]) == (["Sở Tài chính"], ["Sở Nội vụ"])
    assert (second["name"], second["lead"], second["result"], second["deadline"]) == (
        "Xây dựng kế hoạch.", ["Sở Y tế"], "Kế hoạch", "Năm 2026")


# --- the seeds ---------------------------------------------------------------------------------


def _seed_doc(shared_dir, prefix: str) -> SourceDoc:
    path = next((shared_dir / "seeds").glob(f"{prefix}_*.txt"))
    return text_doc(path.read_text(encoding="utf-8"))


def _norm(value):
    if isinstance(value, list):
        return [collapse_ws(v) for v in value]
    return collapse_ws(value) if value else None


def _exact_rows(out: dict, expected: list[dict], ocr: bool) -> tuple[int, list]:
    rows = {r["code"]: r for r in out["rows"]}
    exact, diffs = 0, []
    for t in expected:
        row = rows.get(t["code"])
        want = {
            "name": t["name_ocr"] if ocr else t["name"],
            "lead": split_agency_list(t["lead_ocr"]) if ocr else t["lead"],
            "coordinating": split_agency_list(t.get("coordinating_ocr")) if ocr else t["coordinating"],
            "result": t.get("result_ocr") if ocr else t["result"],
            "deadline": t.get("deadline_ocr") if ocr else t["deadline"],
            "group": t["group"],
        }
        bad = [(k, v, row and row[k]) for k, v in want.items() if row is None or _norm(v) != _norm(row[k])]
        exact += not bad
        diffs.extend((t["code"], *b) for b in bad)
    return exact, diffs


@pytest.mark.shared
@pytest.mark.parametrize("prefix, seed, ocr", [("000", "district_plan_sontinh.json", False),
                                               ("003", "province_plan_327.json", True)])
def test_the_seed_task_tables_match_the_transcriptions(shared_dir, prefix, seed, ocr):
    expected = json.loads((shared_dir / "seed-data" / seed).read_text(encoding="utf-8"))
    out = tasks.parse(_seed_doc(shared_dir, prefix))
    exact, diffs = _exact_rows(out, expected["tasks"], ocr)
    assert exact >= 0.98 * len(expected["tasks"]), diffs
    assert len(out["rows"]) == len(expected["tasks"])
    key = "name_ocr" if ocr else "name"
    assert [(g["code"], _norm(g["name"])) for g in out["groups"]] == [
        (g["code"], _norm(g[key])) for g in expected["task_groups"]]


def test_headings_merged_across_the_row_or_lettered_are_groups_and_restarted_numbers_stay_apart():
    heading = "Lĩnh vực y tế"
    out = tasks.parse(doc_of(table(
        HEADER,
        ["A.", "NHIỆM VỤ CHUNG", "", "", "", ""],
        ["1", "Việc chung", "Sở Y tế", "", "Kế hoạch", "2025"],
        [heading] * 6,
        ["1", "Việc y tế", "Sở Y tế", "", "Đề án", "2026"],
        ["", "nhóm đối tượng ưu tiên", "", "", "", ""],
    )))
    assert [(g["code"], g["name"]) for g in out["groups"]] == [("A", "NHIỆM VỤ CHUNG"), ("G2", heading)]
    # The printed code stays; the group keeps the rows apart (the interchange prefixes them).
    assert [(r["code"], r["code_printed"], r["group"]) for r in out["rows"]] == [("1", "1", "A"), ("1", "1", "G2")]
    assert tasks.interchange_codes(out["rows"]) == ["1", "G2.1"]
    assert out["rows"][1]["name"] == "Việc y tế nhóm đối tượng ưu tiên"


OTHER_ORDER = """TT Nội dung nhiệm vụ Đơn vị chủ trì Thời gian Sản phẩm
1 Rà soát thủ tục hành chính trên
môi trường điện tử. Văn phòng
UBND huyện Quý III/2025 Báo cáo rà soát
2
Tập huấn chữ ký số cho cán bộ cấp xã
Phòng Nội vụ
2026 Lớp tập huấn
"""


def test_text_columns_in_another_order_are_cut_by_what_each_cell_looks_like():
    out = tasks.parse(text_doc(OTHER_ORDER))
    got = [(r["name"], r["lead"], r["coordinating"], r["deadline"], r["result"]) for r in out["rows"]]
    assert got == [
        ("Rà soát thủ tục hành chính trên môi trường điện tử.", ["Văn phòng UBND huyện"], [], "Quý III/2025",
         "Báo cáo rà soát"),
        ("Tập huấn chữ ký số cho cán bộ cấp xã", ["Phòng Nội vụ"], [], "2026", "Lớp tập huấn"),
    ]


RESULT_FIRST = """STT Tên nhiệm vụ Sản phẩm Cơ quan chủ trì Cơ quan phối hợp Thời hạn
1
Xây dựng quy chế quản lý dữ liệu.
Quyết định của UBND tỉnh
Sở Tư pháp
Sở Nội vụ, Sở Tài chính
Tháng 10/2025
"""


def test_a_result_column_before_the_agencies_ends_at_the_first_agency():
    row = tasks.parse(text_doc(RESULT_FIRST))["rows"][0]
    assert (row["name"], row["result"], row["lead"], row["coordinating"], row["deadline"]) == (
        "Xây dựng quy chế quản lý dữ liệu.", "Quyết định của UBND tỉnh", ["Sở Tư pháp"], ["Sở Nội vụ", "Sở Tài chính"],
        "Tháng 10/2025")


def test_a_document_number_wrapped_at_its_hyphen_is_joined_but_a_spaced_dash_is_not():
    row = tasks.parse(doc_of(table(HEADER, ["1", "Theo Quyết định số 12/QĐ-\nUBND về kinh tế -\nxã hội", "Sở Y tế", "",
                                            "Kế hoạch", "2025"])))["rows"][0]
    assert row["name"] == "Theo Quyết định số 12/QĐ-UBND về kinh tế - xã hội"


def test_a_progress_report_table_is_left_to_the_report_parser_and_tien_do_is_a_deadline_in_a_plan():
    report = table(["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Kết quả (đến ngày 10/5/2025)"],
                   ["1", "Việc A", "Sở Y tế", "2025", "Đã xong"])
    assert tasks.parse(doc_of(report)) is None
    plan = table(["TT", "Nội dung", "Chủ trì", "Phối hợp", "Tiến độ thực hiện"], ["1", "Việc A", "Sở Y tế", "", "Năm 2025"])
    assert tasks.parse(doc_of(plan))["rows"][0]["deadline"] == "Năm 2025"


def test_a_group_code_printed_in_a_merged_heading_cell_and_an_indicator_table_is_not_a_task_table():
    heading = "II. Nhóm nhiệm vụ về dữ liệu"
    out = tasks.parse(doc_of(table(HEADER, [heading] * 6, ["1", "Việc A", "Sở Y tế", "", "Kế hoạch", "2025"])))
    assert [(g["code"], g["code_printed"], g["name"]) for g in out["groups"]] == [("II", "II.", "Nhóm nhiệm vụ về dữ liệu")]
    indicators = table(["TT", "Tên chỉ tiêu", "Đơn vị tính", "2025", "2030", "Cơ quan chủ trì", "Cơ quan phối hợp"],
                       ["1", "Tỷ lệ", "%", "80", "90", "Sở Y tế", ""])
    assert tasks.parse(doc_of(indicators)) is None


DOTTED = """TT Nhiệm vụ Chủ trì Thời hạn
1.
Hạ tầng số gồm:
1.1
Nâng cấp mạng nội bộ.
Sở Nội vụ
Năm 2025
1.2 Lắp camera giám sát. Công an tỉnh Quý I/2026
2.
Dữ liệu số.
Sở Tư pháp
Năm 2026
"""


def test_text_codes_with_a_dot_and_dotted_sub_items():
    out = tasks.parse(text_doc(DOTTED))
    got = [(r["code"], r["parent"], r["name"], r["lead"], r["deadline"]) for r in out["rows"]]
    assert got == [
        ("1", None, "Hạ tầng số gồm:", [], None),
        ("1.1", "1", "Nâng cấp mạng nội bộ.", ["Sở Nội vụ"], "Năm 2025"),
        ("1.2", "1", "Lắp camera giám sát.", ["Công an tỉnh"], "Quý I/2026"),
        ("2", None, "Dữ liệu số.", ["Sở Tư pháp"], "Năm 2026"),
    ]


UNCODED_GROUPS = """TT Tên nhiệm vụ Cơ quan chủ trì Thời hạn
Nhóm nhiệm vụ về thể chế
1 Rà soát quy chế. Sở Tư pháp Năm 2025
Nhóm nhiệm vụ về hạ tầng
2 Nâng cấp mạng. Sở Nội vụ Năm 2026
"""


def test_unnumbered_group_headings_in_text_are_groups():
    out = tasks.parse(text_doc(UNCODED_GROUPS))
    assert [(g["code"], g["name"]) for g in out["groups"]] == [
        ("G1", "Nhóm nhiệm vụ về thể chế"), ("G2", "Nhóm nhiệm vụ về hạ tầng")]
    assert [(r["code"], r["group"], r["deadline"]) for r in out["rows"]] == [("1", "G1", "Năm 2025"), ("2", "G2", "Năm 2026")]


LEXICON = """TT Tên nhiệm vụ Cơ quan chủ trì Cơ quan phối hợp Kết quả Thời hạn
1
Xây dựng chương trình thương mại điện tử.
Sở Công
Thương
Quyết định phê duyệt
Tháng 9/2025
2
Lập kế hoạch vốn đầu tư công.
Phòng Tài chính -
Kế hoạch
Sở Văn hóa, Thể
thao và Du lịch
Kế hoạch vốn Năm 2026
"""


def test_a_department_name_wrapped_over_lines_is_one_agency_and_ends_before_the_result():
    first, second = tasks.parse(text_doc(LEXICON))["rows"]
    assert (first["lead"], first["coordinating"], first["result"]) == (["Sở Công Thương"], [], "Quyết định phê duyệt")
    assert (second["lead"], second["coordinating"], second["result"], second["deadline"]) == (
        ["Phòng Tài chính - Kế hoạch"], ["Sở Văn hóa, Thể thao và Du lịch"], "Kế hoạch vốn", "Năm 2026")


@pytest.mark.parametrize(
    "cell, expected",
    [("- Sở Nội vụ\n- Sở Tài chính", ["Sở Nội vụ", "Sở Tài chính"]),
     ("Sở Nội vụ\nSở Tài chính", ["Sở Nội vụ", "Sở Tài chính"]),
     ("Sở Nội vụ - Sở Tài chính", ["Sở Nội vụ", "Sở Tài chính"]),
     ("Phòng Tài chính - Kế hoạch", ["Phòng Tài chính - Kế hoạch"]),
     ("Sở Lao động - Thương binh và Xã hội", ["Sở Lao động - Thương binh và Xã hội"])],
)
def test_agencies_on_bulleted_lines_or_between_dashes(cell, expected):
    row = tasks.parse(doc_of(table(HEADER, ["1.0", "Nhiệm vụ", cell, "", "Kế hoạch", "2025"])))["rows"][0]
    assert (row["code"], row["lead"]) == ("1", expected)


def test_a_budget_column_in_text_is_kept_out_of_the_other_cells():
    text = """TT Tên nhiệm vụ Cơ quan chủ trì Kinh phí Thời hạn
1
Xây dựng cổng dữ liệu.
Sở Tài chính
Ngân sách tỉnh Năm 2026
"""
    row = tasks.parse(text_doc(text))["rows"][0]
    assert (row["name"], row["lead"], row["deadline"]) == ("Xây dựng cổng dữ liệu.", ["Sở Tài chính"], "Năm 2026")


def test_a_misread_ocr_deadline_stays_as_printed_with_a_hint_for_the_reviewer():
    row = tasks.parse(doc_of(table(HEADER, ["1", "Nhiem vu", "So Y te", "", "Ke hoach", "Thubng xuyen"])))["rows"][0]
    assert row["deadline"] == "Thubng xuyen"
    (flag,) = [f for f in row["flags"] if f["field"] == "deadline"]
    assert flag["suggestion"] == "Thường xuyên" and "Thubng xuyen" in flag["reason"]
    row = tasks.parse(doc_of(table(HEADER, ["1", "Việc", "Sở Y tế", "", "Kế hoạch", "Khi có chỉ đạo"])))["rows"][0]
    assert "suggestion" not in row["flags"][0]


def test_a_table_without_a_tt_column_numbers_its_tasks_in_order():
    out = tasks.parse(doc_of(table(
        ["Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"],
        ["Nhóm nhiệm vụ về dữ liệu", "", ""],
        ["Xây dựng kho dữ liệu", "Sở Y tế", "2025"],
        ["Mở dữ liệu", "Sở Tài chính", "2026"],
    )))
    assert [(g["code"], g["name"]) for g in out["groups"]] == [("G1", "Nhóm nhiệm vụ về dữ liệu")]
    assert [(r["code"], r["code_printed"], r["name"], r["group"]) for r in out["rows"]] == [
        ("1", None, "Xây dựng kho dữ liệu", "G1"), ("2", None, "Mở dữ liệu", "G1")]


def test_a_heading_written_whole_in_the_tt_cell_is_a_group():
    out = tasks.parse(doc_of(table(HEADER, ["III. Nhóm nhiệm vụ về hạ tầng", "", "", "", "", ""],
                                   ["1", "Việc A", "Sở Y tế", "", "Kế hoạch", "2025"])))
    assert [(g["code"], g["name"]) for g in out["groups"]] == [("III", "Nhóm nhiệm vụ về hạ tầng")]
    assert out["rows"][0]["group"] == "III"


def test_a_row_numbered_1_whose_one_text_fills_every_cell_is_a_group():
    out = tasks.parse(doc_of(table(
        HEADER,
        ["1", "Hạ tầng số", "Hạ tầng số", "Hạ tầng số", "Hạ tầng số", "Hạ tầng số"],
        ["1", "Phủ sóng 5G", "Sở Khoa học và Công nghệ", "", "Trạm phát sóng", "Năm 2026"],
        ["2", "Dữ liệu số", "", "", "", ""],
        ["2", "Xây dựng kho dữ liệu", "Sở Tài chính", "", "Kho dữ liệu", "2026"],
        merged={(3, 2), (3, 3), (3, 4), (3, 5)},
    )))
    assert [(g["code"], g["name"]) for g in out["groups"]] == [("1", "Hạ tầng số"), ("2", "Dữ liệu số")]
    assert [(r["code"], r["group"], r["name"]) for r in out["rows"]] == [
        ("1", "1", "Phủ sóng 5G"), ("2", "2", "Xây dựng kho dữ liệu")]


def test_a_footnote_marker_glued_to_a_word_leaves_the_name_for_the_notes():
    out = tasks.parse(doc_of(table(
        HEADER,
        ["1", "Xây dựng Thông tư cấp Bộ(1)", "Vụ Pháp chế", "", "Thông tư", "2026"],
        ["2", "Sửa đổi quy chế cấp tỉnh2", "Sở Nội vụ", "", "Quy chế", "2026"],
        ["3", "Triển khai IPv6 và mạng 5G", "Sở Khoa học và Công nghệ", "", "Hệ thống", "2026"],
    )))
    first, second, third = out["rows"]
    assert first["name"] == "Xây dựng Thông tư cấp Bộ" and any("(1)" in r for r in reasons(first, "name"))
    assert second["name"] == "Sửa đổi quy chế cấp tỉnh" and any("2" in r for r in reasons(second, "name"))
    assert third["name"] == "Triển khai IPv6 và mạng 5G" and not third["flags"]


CELL_LINES = """ỦY BAN NHÂN DÂN PHƯỜNG AN KHÊ
Phụ lục
STT
Nội dung công
việc
Đơn vị chủ trì
Đơn vị phối
hợp
Sản phẩm
Thời gian
hoàn thành
I
CHUYỂN ĐỔI SỐ
1
Rà soát, cập nhật dữ liệu dân cư trên
địa bàn phường
Công an phường
Các tổ dân phố
Dữ liệu được
làm sạch
Tháng 9/2026
2
Thành lập Tổ công nghệ số cộng đồng
tại các khu phố
Ủy ban nhân dân phường
Quyết định thành
lập
Quý IV/2026
3
Tuyên truyền kỹ năng số cho hộ kinh doanh
tại chợ An Khê
Phòng Kinh tế, Hạ tầng - Đô
thị
Hội Liên hiệp Phụ nữ
phường, Đoàn Thanh
niên phường
Số hộ được hướng
dẫn
Hằng năm
4
Xây dựng mô hình khu phố số tại khu phố
Tây Sơn
Phòng Văn hóa - Xã
hội
Ban công tác Mặt
trận khu phố Tây Sơn
Mô hình khu phố
số
2027

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn A"""


def test_a_pdf_text_table_whose_heading_cells_stand_on_lines_of_their_own():
    out = tasks.parse(text_doc(CELL_LINES))
    assert [(g["code"], g["name"]) for g in out["groups"]] == [("I", "CHUYỂN ĐỔI SỐ")]
    got = [(r["code"], r["name"], r["lead"], r["coordinating"], r["result"], r["deadline"]) for r in out["rows"]]
    assert got == [
        ("1", "Rà soát, cập nhật dữ liệu dân cư trên địa bàn phường", ["Công an phường"], ["Các tổ dân phố"],
         "Dữ liệu được làm sạch", "Tháng 9/2026"),
        ("2", "Thành lập Tổ công nghệ số cộng đồng tại các khu phố", ["Ủy ban nhân dân phường"], [],
         "Quyết định thành lập", "Quý IV/2026"),
        ("3", "Tuyên truyền kỹ năng số cho hộ kinh doanh tại chợ An Khê", ["Phòng Kinh tế, Hạ tầng - Đô thị"],
         ["Hội Liên hiệp Phụ nữ phường", "Đoàn Thanh niên phường"], "Số hộ được hướng dẫn", "Hằng năm"),
        ("4", "Xây dựng mô hình khu phố số tại khu phố Tây Sơn", ["Phòng Văn hóa - Xã hội"],
         ["Ban công tác Mặt trận khu phố Tây Sơn"], "Mô hình khu phố số", "2027"),
    ]
    assert "Nguyễn Văn A" not in json.dumps(out, ensure_ascii=False)


def test_a_numbered_row_with_only_a_name_before_a_row_of_the_same_number_is_a_group():
    out = tasks.parse(doc_of(table(
        HEADER,
        ["1", "Hạ tầng số", "", "", "", ""],
        ["1", "Phủ sóng 5G", "Sở Khoa học và Công nghệ", "", "Trạm phát sóng", "Năm 2026"],
        ["2", "Dữ liệu số", "", "", "", ""],
        ["1", "Xây dựng kho dữ liệu", "Sở Tài chính", "", "Kho dữ liệu", "2026"],
        ["3", "Nhiệm vụ có việc con", "", "", "", ""],
        ["3.1", "Việc con", "Sở Nội vụ", "", "Báo cáo", "2026"],
    )))
    assert [(g["code"], g["name"]) for g in out["groups"]] == [("1", "Hạ tầng số"), ("2", "Dữ liệu số")]
    assert [(r["code"], r["group"], r["parent"]) for r in out["rows"]] == [
        ("1", "1", None), ("1", "2", None), ("3", "2", None), ("3.1", "2", "3")]
    # Numbering starts again in group 2: all its rows are prefixed in the interchange.
    assert tasks.interchange_codes(out["rows"]) == ["1", "2.1", "2.3", "2.3.1"]


def test_groups_numbered_like_tasks_with_the_task_numbers_running_on():
    out = tasks.parse(doc_of(table(
        HEADER,
        ["1", "Hạ tầng số", "", "", "", ""],
        ["1", "Phủ sóng 5G", "Sở Khoa học và Công nghệ", "", "Trạm phát sóng", "Năm 2026"],
        ["2", "Cáp quang thôn", "Sở Khoa học và Công nghệ", "", "Tuyến cáp", "Năm 2026"],
        ["2", "Dữ liệu số", "", "", "", ""],
        ["3", "Xây dựng kho dữ liệu", "Sở Tài chính", "", "Kho dữ liệu", "2026"],
    )))
    assert [(g["code"], g["name"]) for g in out["groups"]] == [("1", "Hạ tầng số"), ("2", "Dữ liệu số")]
    assert [(r["code"], r["group"]) for r in out["rows"]] == [("1", "1"), ("2", "1"), ("3", "2")]


def test_line_per_cell_text_with_the_deadline_column_second_and_a_dash_for_no_partner():
    text = "\n".join([
        "TT", "Nội dung", "Thời gian", "thực hiện", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm",
        "1", "Triển khai chữ ký số cho cán bộ", "Quý III/", "2026", "Văn phòng Ủy ban nhân dân tỉnh", "-",
        "Chứng thư số được cấp",
        "2", "Số hóa hồ sơ lưu trữ của Ủy ban", "nhân dân các xã", "Năm 2026", "Sở Nội vụ",
        "Sở Tài chính, Viettel", "Quảng Ngãi", "Hồ sơ số",
        "", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
    ])
    out = tasks.parse(text_doc(text))
    got = [(r["name"], r["deadline"], r["lead"], r["coordinating"], r["result"]) for r in out["rows"]]
    assert got == [
        ("Triển khai chữ ký số cho cán bộ", "Quý III/2026", ["Văn phòng Ủy ban nhân dân tỉnh"], [],
         "Chứng thư số được cấp"),
        ("Số hóa hồ sơ lưu trữ của Ủy ban nhân dân các xã", "Năm 2026", ["Sở Nội vụ"],
         ["Sở Tài chính", "Viettel Quảng Ngãi"], "Hồ sơ số"),
    ]


def test_a_dash_inside_a_department_name_and_a_result_opening_with_so_in_running_text():
    out = tasks.parse(text_doc("\n".join([
        "TT Tên nhiệm vụ Cơ quan chủ trì Cơ quan phối hợp Kết quả Thời gian hoàn thành",
        "1 Phổ cập kỹ năng số Phòng Văn hóa - Xã hội Đoàn Thanh niên xã Số người được phổ cập Thường xuyên",
    ])))
    row = out["rows"][0]
    assert (row["name"], row["lead"], row["coordinating"], row["result"], row["deadline"]) == (
        "Phổ cập kỹ năng số", ["Phòng Văn hóa - Xã hội"], ["Đoàn Thanh niên xã"], "Số người được phổ cập", "Thường xuyên")


# --- agencies printed once in a group's row; restarted numbering; sections; flags' cells ----------

NO_LEAD = ["TT", "Nhiệm vụ", "Cơ quan phối hợp", "Thời hạn"]


@pytest.mark.parametrize("heading, name, lead, coordinating", [
    ("I. Nhóm nhiệm vụ về tổ chức bộ máy (Sở Nội vụ chủ trì)", "Nhóm nhiệm vụ về tổ chức bộ máy", ["Sở Nội vụ"], None),
    ("I. NHÓM NHIỆM VỤ VỀ TÀI CHÍNH - Sở Tài chính chủ trì", "NHÓM NHIỆM VỤ VỀ TÀI CHÍNH", ["Sở Tài chính"], None),
    ("I. Nhóm nhiệm vụ về y tế. Cơ quan chủ trì: Sở Y tế", "Nhóm nhiệm vụ về y tế", ["Sở Y tế"], None),
    ("I. Nhóm nhiệm vụ về dữ liệu (Chủ trì: Sở Khoa học và Công nghệ; phối hợp: Công an tỉnh)",
     "Nhóm nhiệm vụ về dữ liệu", ["Sở Khoa học và Công nghệ"], ["Công an tỉnh"]),
    ("I. Nhóm nhiệm vụ về đất đai (giao Sở Nông nghiệp và Môi trường chủ trì thực hiện)",
     "Nhóm nhiệm vụ về đất đai", ["Sở Nông nghiệp và Môi trường"], None),
])
def test_a_lead_printed_in_the_group_row_applies_to_the_groups_rows(heading, name, lead, coordinating):
    out = tasks.parse(doc_of(table(
        NO_LEAD,
        [heading] * 4,
        ["1", "Xây dựng đề án", "Các sở, ban, ngành", "Tháng 5/2025"],
        ["2", "Hướng dẫn thực hiện", "", "Tháng 6/2025"],
        merged={(1, 0), (1, 1), (1, 2), (1, 3)},
    )))
    assert [(g["code"], g["name"], g.get("lead")) for g in out["groups"]] == [("I", name, lead)]
    first, second = out["rows"]
    assert first["lead"] == second["lead"] == lead and first["lead_from_group"]
    assert first["coordinating"] == ["Các sở, ban, ngành"]  # the row's own cell wins
    assert second["coordinating"] == (coordinating or [])
    assert not reasons(first, "result")  # no result column: nothing to flag
    info = [f for f in first["flags"] if f["field"] == "lead"]
    assert [f["severity"] for f in info] == ["info"] and info[0]["place"] == {"table": 1, "row": 2, "col": 1}


def test_a_group_row_without_a_lead_keeps_its_name_and_a_rows_own_lead_wins():
    out = tasks.parse(doc_of(table(
        HEADER,
        ["I", "Nhóm nhiệm vụ về cải cách hành chính (CCHC)", "", "", "", ""],
        ["1", "Rà soát thủ tục", "Sở Tư pháp", "", "Báo cáo", "2025"],
        ["II", "Nhóm nhiệm vụ về hạ tầng (Sở Xây dựng chủ trì)", "", "", "", ""],
        ["1", "Nâng cấp đường", "", "", "Công trình", "2026"],
        ["2", "Xây cầu", "Sở Giao thông vận tải", "", "Công trình", "2027"],
    )))
    assert [g["name"] for g in out["groups"]] == [
        "Nhóm nhiệm vụ về cải cách hành chính (CCHC)", "Nhóm nhiệm vụ về hạ tầng"]
    assert [(r["code"], r["group"], r["lead"]) for r in out["rows"]] == [
        ("1", "I", ["Sở Tư pháp"]), ("1", "II", ["Sở Xây dựng"]), ("2", "II", ["Sở Giao thông vận tải"])]
    assert tasks.interchange_codes(out["rows"]) == ["1", "II.1", "II.2"]


def test_a_group_rows_own_lead_cell_applies_to_its_rows_without_one():
    out = tasks.parse(doc_of(table(
        HEADER,
        ["I", "Nhóm nhiệm vụ về dữ liệu", "Sở Khoa học và Công nghệ", "", "", ""],
        ["1", "Xây dựng kho dữ liệu", "", "Sở Tài chính", "Kho dữ liệu", "2026"],
    )))
    assert out["groups"][0]["lead"] == ["Sở Khoa học và Công nghệ"]
    assert out["rows"][0]["lead"] == ["Sở Khoa học và Công nghệ"]


def test_interchange_codes_prefix_every_row_of_a_group_whose_numbering_starts_again():
    rows = [{"code": c, "group": g} for c, g in
            [("1", "I"), ("2", "I"), ("1", "II"), ("2", "II"), ("3", "II"), ("4", "III"), ("3.1", "III")]]
    assert tasks.interchange_codes(rows) == ["1", "2", "II.1", "II.2", "II.3", "4", "3.1"]
    assert tasks.interchange_codes([{"code": "1", "group": None}, {"code": "1", "group": None}]) == ["1", "1"]


MIXED_HEADER = ["TT", "Nội dung", "Đơn vị tính / Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian / Chỉ tiêu 2030"]


@pytest.mark.parametrize("ind, task", [
    ("A. CHỈ TIÊU", "B. NHIỆM VỤ"),
    ("PHẦN I. CÁC CHỈ TIÊU CHỦ YẾU", "PHẦN II. CÁC NHIỆM VỤ, GIẢI PHÁP"),
    ("Các chỉ tiêu", "Các nhiệm vụ"),
])
def test_one_table_with_an_indicator_and_a_task_section_gives_the_task_sections_rows(ind, task):
    out = tasks.parse(doc_of(table(
        MIXED_HEADER,
        [ind] * 6,
        ["1", "Tổng lượt khách du lịch", "Triệu lượt", "Sở Văn hóa, Thể thao và Du lịch", "", "5"],
        [task] * 6,
        ["1", "Xây dựng bộ nhận diện thương hiệu", "Bộ nhận diện", "Sở Văn hóa, Thể thao và Du lịch", "Các sở, ngành", "Năm 2026"],
        ["2", "Đào tạo nguồn nhân lực", "Khóa đào tạo", "Sở Văn hóa, Thể thao và Du lịch", "Sở Giáo dục và Đào tạo", "Hằng năm"],
        merged={(1, c) for c in range(1, 6)} | {(3, c) for c in range(1, 6)},
    )))
    assert out["groups"] == []
    assert [(r["code"], r["name"], r["result"], r["deadline"]) for r in out["rows"]] == [
        ("1", "Xây dựng bộ nhận diện thương hiệu", "Bộ nhận diện", "Năm 2026"),
        ("2", "Đào tạo nguồn nhân lực", "Khóa đào tạo", "Hằng năm")]


def test_a_task_section_with_a_heading_of_its_own_and_groups_inside():
    out = tasks.parse(doc_of(table(
        ["TT", "Chỉ tiêu", "Đơn vị tính", "Năm 2025", "Năm 2030"],
        ["A", "CHỈ TIÊU", "", "", ""],
        ["1", "Tỷ lệ hộ dùng internet", "%", "80", "95"],
        ["B", "NHIỆM VỤ", "", "", ""],
        ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn"],
        ["I", "NHIỆM VỤ VỀ HẠ TẦNG", "", "", ""],
        ["1", "Phủ sóng 5G", "Sở Khoa học và Công nghệ", "Các doanh nghiệp viễn thông", "Năm 2026"],
    )))
    assert [(g["code"], g["name"]) for g in out["groups"]] == [("I", "NHIỆM VỤ VỀ HẠ TẦNG")]
    assert [(r["code"], r["group"], r["lead"], r["deadline"]) for r in out["rows"]] == [
        ("1", "I", ["Sở Khoa học và Công nghệ"], "Năm 2026")]


def test_an_indicator_table_without_a_task_section_has_no_tasks():
    assert tasks.parse(doc_of(table(
        MIXED_HEADER,
        ["A. CHỈ TIÊU"] * 6,
        ["1", "Tổng lượt khách du lịch", "Triệu lượt", "Sở Văn hóa, Thể thao và Du lịch", "", "5"],
    ))) is None


def test_a_footnote_on_an_agency_cell_is_flagged_on_that_field_and_cell():
    t = table(HEADER, ["1", "Kiểm tra công tác", "Sở Nội vụ", "", "Báo cáo", "Tháng 9/2025"])
    t.rows[1][2] = Cell("Sở Nội vụ", Place(table=1, row=2, col=3), footnotes=("Sở Nội vụ sau khi hợp nhất.",))
    row = tasks.parse(doc_of(t))["rows"][0]
    assert [(f["field"], f["reason"], f["place"]["col"]) for f in row["flags"]] == [
        ("lead", "Có chú thích: Sở Nội vụ sau khi hợp nhất.", 3)]


def test_a_lead_in_a_group_line_of_a_text_table_applies_to_its_rows():
    out = tasks.parse(text_doc("""TT Nhiệm vụ Cơ quan phối hợp Thời hạn
I. Nhóm nhiệm vụ về tổ chức bộ máy (Sở Nội vụ chủ trì)
1 Xây dựng đề án sắp xếp các cơ quan chuyên môn Các sở, ban, ngành Tháng 5/2025
II. Nhóm nhiệm vụ về tài chính - Sở Tài chính chủ trì
1 Kiểm kê tài sản dôi dư Sở Nội vụ Quý III/2025"""))
    assert [(g["code"], g["name"]) for g in out["groups"]] == [
        ("I", "Nhóm nhiệm vụ về tổ chức bộ máy"), ("II", "Nhóm nhiệm vụ về tài chính")]
    assert [(r["code"], r["group"], r["lead"], r["coordinating"]) for r in out["rows"]] == [
        ("1", "I", ["Sở Nội vụ"], ["Các sở, ban, ngành"]), ("1", "II", ["Sở Tài chính"], ["Sở Nội vụ"])]


def test_a_table_of_indicators_and_tasks_split_over_pages():
    first = table(
        MIXED_HEADER,
        ["A. CHỈ TIÊU"] * 6,
        ["1", "Tổng lượt khách du lịch", "Triệu lượt", "Sở Văn hóa, Thể thao và Du lịch", "", "5"],
    )
    indicators_go_on = table(["2", "Tổng thu từ khách du lịch", "Tỷ đồng", "Sở Văn hóa, Thể thao và Du lịch", "", "12.000"])
    tasks_open = table(
        ["B. NHIỆM VỤ"] * 6,
        ["1", "Xây dựng bộ nhận diện thương hiệu", "Bộ nhận diện", "Sở Văn hóa, Thể thao và Du lịch", "", "Năm 2026"],
    )
    tasks_go_on = table(["2", "Đào tạo nguồn nhân lực", "Khóa đào tạo", "Sở Văn hóa, Thể thao và Du lịch", "", "Hằng năm"])
    out = tasks.parse(doc_of(first, indicators_go_on, tasks_open, tasks_go_on))
    assert [(r["code"], r["name"], r["deadline"]) for r in out["rows"]] == [
        ("1", "Xây dựng bộ nhận diện thương hiệu", "Năm 2026"), ("2", "Đào tạo nguồn nhân lực", "Hằng năm")]


def test_a_lead_printed_in_a_parent_tasks_row_applies_to_its_sub_items():
    out = tasks.parse(doc_of(table(
        HEADER,
        ["1", "Chuyển đổi số trong y tế (Sở Y tế chủ trì)", "", "", "", ""],
        ["a)", "Bệnh án điện tử", "", "Các bệnh viện", "Bệnh án điện tử", "2026"],
        ["b)", "Khám bệnh từ xa", "Trung tâm Y tế huyện", "", "Nền tảng", "2027"],
        ["2", "Việc khác", "", "", "Báo cáo", "2025"],
    )))
    assert [(r["code"], r["name"], r["lead"]) for r in out["rows"]] == [
        ("1", "Chuyển đổi số trong y tế", []), ("1a)", "Bệnh án điện tử", ["Sở Y tế"]),
        ("1b)", "Khám bệnh từ xa", ["Trung tâm Y tế huyện"]), ("2", "Việc khác", [])]


def test_a_table_without_result_or_deadline_columns_does_not_call_them_blank_cells():
    row = tasks.parse(doc_of(table(["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp"],
                                   ["1", "Rà soát thủ tục", "Sở Tư pháp", "Sở Nội vụ"])))["rows"][0]
    assert [(f["field"], f["reason"]) for f in row["flags"]] == [
        ("deadline", "Không ghi thời hạn (bảng không có cột thời hạn)")]


def test_a_task_table_going_on_over_a_page_with_a_group_named_chi_tieu_stays_a_task_table():
    first = table(HEADER, ["1", "Rà soát thủ tục", "Sở Tư pháp", "", "Báo cáo", "2025"])
    goes_on = table(["II", "CÁC CHỈ TIÊU GIÁM SÁT", "", "", "", ""],
                    ["2", "Theo dõi chỉ số", "Sở Nội vụ", "", "Báo cáo", "2026"])
    out = tasks.parse(doc_of(first, goes_on))
    assert [(r["code"], r["group"]) for r in out["rows"]] == [("1", None), ("2", "II")]
