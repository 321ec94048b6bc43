"""Prose plans: milestone targets in sentences, duties of each responsible body."""

import json
from decimal import Decimal

import pytest

from planwatch.documents.ingest import prose
from planwatch.documents.ingest.model import Paragraph, Place, SourceDoc
from planwatch.documents.ingest.readers import read_document


def doc_of(text: str) -> SourceDoc:
    return SourceDoc("x.txt", "text", [Paragraph(t, Place(line=i + 1)) for i, t in enumerate(text.split("\n"))])


def rows(result):
    return [(t["milestone"], t["text"], t["op"], t["value"], t["value_max"], t["unit"]) for t in result["targets"]]


OTHER_PROVINCE = """Trang chủ > Văn bản
II. MỤC TIÊU
1. Mục tiêu chung
Phát triển mạnh kinh tế số.
2. Các chỉ tiêu chủ yếu
- Đến năm 2027:
+ Tỷ lệ hộ gia đình sử dụng Internet cáp quang đạt trên 90%.
+ Có ít nhất 05 xã đạt chuẩn nông thôn
mới kiểu mẫu.
+ Tăng cường công tác tuyên truyền.
- Đến năm 2030, 100% thôn có điểm truy cập Internet công cộng.
+ Thu nhập bình quân đầu người đạt 80 triệu đồng/năm.
+ Tỷ lệ lao động qua đào tạo từ 70% đến 75%.
+ Hoàn thành số hóa sổ hộ tịch.
3. Đối tượng
III. NHIỆM VỤ
- Tỷ lệ không được đọc 99%."""


def test_targets_of_another_layout_bullets_and_inline_milestones():
    r = prose.parse_targets(doc_of(OTHER_PROVINCE))
    assert r["milestones"] == {"2027": "- Đến năm 2027:", "2030": "- Đến năm 2030"}
    assert rows(r) == [
        ("2027", "Tỷ lệ hộ gia đình sử dụng Internet cáp quang đạt trên 90%.", ">", 90, None, "%"),
        ("2027", "Có ít nhất 05 xã đạt chuẩn nông thôn mới kiểu mẫu.", ">=", 5, None, "xã"),
        ("2030", "100% thôn có điểm truy cập Internet công cộng.", "=", 100, None, "%"),
        ("2030", "Thu nhập bình quân đầu người đạt 80 triệu đồng/năm.", "=", 80, None, "triệu đồng"),
        ("2030", "Tỷ lệ lao động qua đào tạo từ 70% đến 75%.", "range", 70, 75, "%"),
        ("2030", "Hoàn thành số hóa sổ hộ tịch.", "done", None, None, None),
    ]
    assert [(s["n"], s["text"]) for s in r["skipped"]] == [(3, "Tăng cường công tác tuyên truyền.")]
    assert r["skipped"][0]["reason"].startswith("Câu định hướng")


def test_headings_paragraphs_and_inline_bullets():
    r = prose.parse_targets(doc_of("""2. Mục tiêu cụ thể
2.1. Đến hết năm 2025
a) Phát triển hạ tầng: Tỷ lệ phủ sóng 5G đạt 80%.
b) Phát triển nguồn lực
Thành lập Câu lạc bộ khởi nghiệp xã.
- Có ≥ 0,5% tổng chi ngân sách chi cho khoa học; tỷ lệ chi cho chuyển đổi số đạt 1% tổng giá trị sản xuất.
3.3. Đến hết năm 2035
- Chỉ số chuyển đổi số cấp xã ≥ 0,85.
- 80% - 90% dân số trưởng thành sử dụng dịch vụ số.
- Mỗi năm có ít nhất 01 dự án khởi nghiệp (trong giai đoạn 2030 – 2035).
3. Bảo đảm quốc phòng
- Có 100% xã đạt chuẩn."""))
    assert r["milestones"] == {"2025": "2.1. Đến hết năm 2025", "2035": "3.3. Đến hết năm 2035"}
    assert [(t["n"], t["area"], t["op"], t["value"], t["value_max"], t["unit"]) for t in r["targets"]] == [
        (1, "Phát triển hạ tầng", "=", 80, None, "%"),
        (2, "Phát triển nguồn lực", "done", None, None, None),
        (3, "Phát triển nguồn lực", ">=", 0.5, None, "%"),
        (4, None, ">=", 0.85, None, None),
        (5, None, "range", 80, 90, "%"),
        (6, None, ">=", 1, None, "dự án"),
    ]
    extra = r["targets"][2]["additional_targets"]
    assert [(a["op"], a["value"], a["unit"]) for a in extra] == [("=", 1, "%")]
    assert r["targets"][0]["place"] == {"line": 3}


def test_no_target_section_gives_none():
    assert prose.parse_targets(doc_of("I. MỤC ĐÍCH\n- Nâng cao nhận thức.")) is None


def test_find_targets_leaves_codes_dates_and_descriptions_alone():
    found = prose.find_targets("Có ≥ 40% người dùng truy cập băng rộng tốc độ trên 01 Gbps/s, mức 2, 5G (năm 2026) theo 57-NQ/TW.")
    assert [(t["op"], t["value"], t["unit"]) for t in found] == [(">=", Decimal(40), "%")]
    assert prose.find_targets("Kinh tế số đạt 1.000,5 tỷ đồng")[0]["value"] == Decimal("1000.5")


@pytest.mark.shared
def test_the_commune_plan_targets_match_the_transcription(shared_dir):
    data = json.loads((shared_dir / "seed-data" / "commune_plan_thientin.json").read_text())
    path = next((shared_dir / "seeds").glob("001_*.txt"))
    r = prose.parse_targets(read_document(path.read_bytes(), path.name))
    assert r["milestones"] == data["milestone_headings_printed"]
    got = {t["n"]: t for t in r["targets"]}

    def key(t):
        return (t["milestone"], t["text"], t["op"], None if t["value"] is None else Decimal(str(t["value"])),
                None if t["value_max"] is None else Decimal(str(t["value_max"])))  # fmt: skip

    exact = sum(1 for e in data["targets"] if e["n"] in got and key(got[e["n"]]) == key(e))
    assert exact / len(data["targets"]) >= 0.98
    assert len(r["targets"]) == len(data["targets"])
    assert [(s["n"], s["text"]) for s in r["skipped"]] == [(s["n"], s["text"]) for s in data["skipped_bullets"]]


DUTIES = """III. NHIỆM VỤ
- Không phải nhiệm vụ của cơ quan nào.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Khoa học và Công nghệ:
- Chủ trì, phối hợp với các sở, ngành theo dõi, đôn đốc
việc thực hiện Kế hoạch; tổng hợp, báo cáo UBND tỉnh trước ngày 10 hằng tháng.
- Định kỳ hằng năm tổ chức sơ kết.
2. Các sở, ban, ngành, UBND các huyện có trách nhiệm xây dựng kế hoạch, hoàn thành trong năm 2025.
3. Trong quá trình thực hiện, nếu có vướng mắc, các cơ quan, đơn vị chủ động báo cáo Sở Khoa học và Công nghệ.
4. Trách nhiệm của Ủy ban Mặt trận Tổ quốc tỉnh
- Vận động Nhân dân tham gia.
- Sở Tài chính: Bảo đảm kinh phí hằng năm.
Nơi nhận:
- Như trên;"""


def test_duties_under_each_responsible_body_with_their_periodic_deadlines():
    got = [(d["body"], d["text"][:40], d["deadline"]) for d in prose.parse_duties(doc_of(DUTIES))]
    assert got == [
        ("Sở Khoa học và Công nghệ", "Chủ trì, phối hợp với các sở, ngành theo", "trước ngày 10 hằng tháng"),
        ("Sở Khoa học và Công nghệ", "Định kỳ hằng năm tổ chức sơ kết.", "Định kỳ hằng năm"),
        ("Các sở, ban, ngành, UBND các huyện", "Các sở, ban, ngành, UBND các huyện có tr", "hoàn thành trong năm 2025"),
        ("các cơ quan, đơn vị", "Trong quá trình thực hiện, nếu có vướng ", None),
        ("Ủy ban Mặt trận Tổ quốc tỉnh", "Vận động Nhân dân tham gia.", None),
        ("Sở Tài chính", "Sở Tài chính: Bảo đảm kinh phí hằng năm.", "hằng năm"),
    ]
    duties = prose.parse_duties(doc_of(DUTIES))
    assert [d["deadline_kind"] for d in duties] == ["recurring", "yearly", "year", None, None, "yearly"]
    assert duties[0]["text"].endswith("trước ngày 10 hằng tháng.") and duties[0]["place"] == {"line": 5}
    assert prose.parse_duties(doc_of("I. MỤC ĐÍCH\n- Nâng cao nhận thức.")) == []


def test_duties_of_a_decision_article_end_at_the_next_article():
    duties = prose.parse_duties(doc_of("Điều 4. Tổ chức thực hiện\n1. Bộ Tài chính:\n- Bố trí kinh phí hằng năm.\n"
                                       "2. Các Bộ, ngành có trách nhiệm báo cáo định kỳ 6 tháng.\nĐiều 5. Hiệu lực thi hành"))
    assert [(d["body"], d["text"], d["deadline"]) for d in duties] == [
        ("Bộ Tài chính", "Bố trí kinh phí hằng năm.", "hằng năm"),
        ("Các Bộ, ngành", "Các Bộ, ngành có trách nhiệm báo cáo định kỳ 6 tháng.", "định kỳ 6 tháng"),
    ]


def test_vision_and_orientation_headings_are_milestones():
    r = prose.parse_targets(doc_of("""2. Mục tiêu cụ thể
2.1. Mục tiêu đến năm 2030
- Tỷ lệ hộ gia đình có điện thoại thông minh đạt 95%.
2.2. Định hướng đến năm 2035
- Kinh tế số chiếm ít nhất 40% GRDP.
2.3. Tầm nhìn đến năm 2045
- 100% thôn, tổ dân phố có cáp quang.
III. NHIỆM VỤ"""))
    assert r["milestones"] == {"2030": "2.1. Mục tiêu đến năm 2030", "2035": "2.2. Định hướng đến năm 2035",
                               "2045": "2.3. Tầm nhìn đến năm 2045"}  # fmt: skip
    assert [(t["milestone"], t["text"], t["value"]) for t in r["targets"]] == [
        ("2030", "Tỷ lệ hộ gia đình có điện thoại thông minh đạt 95%.", 95),
        ("2035", "Kinh tế số chiếm ít nhất 40% GRDP.", 40),
        ("2045", "100% thôn, tổ dân phố có cáp quang.", 100),
    ]


def test_duties_under_headings_that_only_name_the_body():
    duties = prose.parse_duties(doc_of("""IV. TỔ CHỨC THỰC HIỆN
1. Ban Tổ chức Thành ủy
- Hướng dẫn kiện toàn tổ chức bộ máy.
2. Sở Tài chính:
- Bố trí kinh phí hằng năm.
3. Ủy ban Kiểm tra Huyện ủy
- Kiểm tra, giám sát việc thực hiện.
4. UBND các xã, phường
- Xây dựng kế hoạch của địa phương.
5. Đối với các sở, ban, ngành
- Báo cáo kết quả trước ngày 15/12 hằng năm.
6. Ban Dân vận Tỉnh ủy chủ trì, phối hợp Mặt trận Tổ quốc tỉnh vận động Nhân dân."""))
    assert [(d["body"], d["text"]) for d in duties] == [
        ("Ban Tổ chức Thành ủy", "Hướng dẫn kiện toàn tổ chức bộ máy."),
        ("Sở Tài chính", "Bố trí kinh phí hằng năm."),
        ("Ủy ban Kiểm tra Huyện ủy", "Kiểm tra, giám sát việc thực hiện."),
        ("UBND các xã, phường", "Xây dựng kế hoạch của địa phương."),
        ("các sở, ban, ngành", "Báo cáo kết quả trước ngày 15/12 hằng năm."),
        ("Ban Dân vận Tỉnh ủy", "Ban Dân vận Tỉnh ủy chủ trì, phối hợp Mặt trận Tổ quốc tỉnh vận động Nhân dân."),
    ]


def test_the_closing_sentence_after_the_last_duty_is_not_part_of_it():
    duties = prose.parse_duties(doc_of("""III. TỔ CHỨC THỰC HIỆN
1. Văn phòng Huyện ủy
- Theo dõi, tổng hợp kết quả thực hiện.

Kế hoạch này được phổ biến đến chi bộ.
Trên đây là Kế hoạch của Ban Thường vụ Huyện ủy."""))
    assert [(d["body"], d["text"]) for d in duties] == [("Văn phòng Huyện ủy", "Theo dõi, tổng hợp kết quả thực hiện.")]


def test_a_bullet_naming_a_body_heads_its_sub_bullets():
    duties = prose.parse_duties(doc_of("""IV. TỔ CHỨC THỰC HIỆN
- Sở Tài chính:
+ Bố trí kinh phí hằng năm.
+ Hướng dẫn thanh quyết toán.
- Sở Nội vụ
+ Đưa kết quả vào đánh giá thi đua."""))
    assert [(d["body"], d["text"]) for d in duties] == [
        ("Sở Tài chính", "Bố trí kinh phí hằng năm."),
        ("Sở Tài chính", "Hướng dẫn thanh quyết toán."),
        ("Sở Nội vụ", "Đưa kết quả vào đánh giá thi đua."),
    ]


TASK_SECTION = """II. NỘI DUNG, NHIỆM VỤ
1. Tăng cường tuyên truyền về chuyển đổi số (Giao Ban Tuyên giáo và Dân vận Huyện ủy chủ trì; thời gian: thường xuyên).
2. Ban hành chính sách thu hút nhân lực
chất lượng cao (Sở Nội vụ chủ trì, phối hợp với Sở Tài chính; hoàn thành trong quý IV/2025).
3. Xây dựng kho dữ liệu dùng chung (Cơ quan chủ trì: Văn phòng UBND tỉnh; Cơ quan phối hợp: Các sở, ngành; Thời gian: năm 2026).
4. Ban Tổ chức Huyện ủy chủ trì rà soát quy hoạch cán bộ, hoàn thành trước tháng 6/2026.
- Ủy ban Kiểm tra Huyện ủy: Tăng cường kiểm tra, giám sát việc thực hiện.
5. Số hóa hồ sơ, tài liệu, thực hiện toàn bộ các hoạt động trên môi trường số.
III. TỔ CHỨC THỰC HIỆN
1. Văn phòng Huyện ủy
- Theo dõi, tổng hợp kết quả thực hiện, báo cáo định kỳ hằng năm."""


def test_tasks_section_items_naming_their_lead_in_brackets_or_as_subject():
    got = [(d["body"], d["text"], d.get("coordinating"), d["deadline"]) for d in prose.parse_duties(doc_of(TASK_SECTION))]
    assert got == [
        ("Ban Tuyên giáo và Dân vận Huyện ủy", "Tăng cường tuyên truyền về chuyển đổi số", [], "thường xuyên"),
        ("Sở Nội vụ", "Ban hành chính sách thu hút nhân lực chất lượng cao", ["Sở Tài chính"], "quý IV/2025"),
        ("Văn phòng UBND tỉnh", "Xây dựng kho dữ liệu dùng chung", ["Các sở, ngành"], "năm 2026"),
        ("Ban Tổ chức Huyện ủy", "Ban Tổ chức Huyện ủy chủ trì rà soát quy hoạch cán bộ, hoàn thành trước tháng 6/2026.",
         [], "hoàn thành trước tháng 6/2026"),
        ("Ủy ban Kiểm tra Huyện ủy", "Tăng cường kiểm tra, giám sát việc thực hiện.", [], None),
        ("Văn phòng Huyện ủy", "Theo dõi, tổng hợp kết quả thực hiện, báo cáo định kỳ hằng năm.", None, "định kỳ hằng năm"),
    ]
    assert prose.task_section_flags(doc_of(TASK_SECTION)) == []


def test_a_tasks_section_whose_items_name_no_lead_is_flagged():
    text = "II. NHIỆM VỤ, GIẢI PHÁP\n1. Nâng cao nhận thức về chuyển đổi số.\n2. Hoàn thiện cơ chế, chính sách.\nIII. TỔ CHỨC THỰC HIỆN"
    assert prose.parse_duties(doc_of(text)) == []
    flags = prose.task_section_flags(doc_of(text))
    assert len(flags) == 1 and "2 nội dung" in flags[0]["reason"] and flags[0]["place"] == {"line": 1}


def test_tasks_with_their_lead_and_time_on_labelled_lines_or_in_a_giao_sentence():
    text = """III. NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU
1. Tăng cường tuyên truyền về chuyển đổi số.
- Cơ quan chủ trì: Ban Tuyên giáo và Dân vận Tỉnh ủy.
- Cơ quan phối hợp: Sở Văn hóa, Thể thao và Du lịch.
- Thời gian thực hiện: thường xuyên.
2. Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành xây dựng đề án hạ tầng số; thời gian: năm 2026.
3. Rà soát quy hoạch cán bộ (Giao Ban Tổ chức Tỉnh ủy chủ trì;
thời gian: quý IV/2025).
IV. TỔ CHỨC THỰC HIỆN"""
    got = [(d["body"], d["text"][:40], d["coordinating"], d["deadline"]) for d in prose.parse_duties(doc_of(text))]
    assert got == [
        ("Ban Tuyên giáo và Dân vận Tỉnh ủy", "Tăng cường tuyên truyền về chuyển đổi số", ["Sở Văn hóa, Thể thao và Du lịch"], "thường xuyên"),
        ("Sở Khoa học và Công nghệ", "Giao Sở Khoa học và Công nghệ chủ trì, p", ["các sở, ngành"], "năm 2026"),
        ("Ban Tổ chức Tỉnh ủy", "Rà soát quy hoạch cán bộ", [], "quý IV/2025"),
    ]


def test_targets_printed_as_lettered_items_under_milestone_headings():
    result = prose.parse_targets(doc_of("""II. MỤC TIÊU
1. Mục tiêu đến năm 2026
a) 100% xã, phường có điểm truy cập Internet công cộng.
b) Tỷ lệ hộ gia đình có kết nối cáp quang đạt tối thiểu 85%.
2. Mục tiêu đến năm 2030
a) Kinh tế số chiếm tỷ trọng trên 25% GRDP.
III. NHIỆM VỤ, GIẢI PHÁP"""))
    assert [(m, op, v, u) for m, _, op, v, _, u in rows(result)] == [
        ("2026", "=", 100, "%"), ("2026", ">=", 85, "%"), ("2030", ">", 25, "%")]


def test_every_paragraph_under_a_body_heading_is_its_duty_whatever_its_verb():
    duties = prose.parse_duties(doc_of("""III. NHIỆM VỤ, GIẢI PHÁP
1. Sở Giáo dục và Đào tạo
Chủ trì triển khai chương trình chuyển đổi số trong trường học, hoàn thành trong tháng 9/2026.
Hằng năm tổng hợp, báo cáo kết quả trước ngày 20/12.
2. Sở Y tế
Hướng dẫn các cơ sở khám bệnh triển khai bệnh án điện tử.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH"""))
    assert [(d["body"], d["text"][:20], d["deadline"]) for d in duties] == [
        ("Sở Giáo dục và Đào tạo", "Chủ trì triển khai c", "hoàn thành trong tháng 9/2026"),
        ("Sở Giáo dục và Đào tạo", "Hằng năm tổng hợp, b", "trước ngày 20/12"),
        ("Sở Y tế", "Hướng dẫn các cơ sở ", None),
    ]


def test_paragraphs_under_a_body_heading_of_the_organisation_section_are_separate_duties():
    duties = prose.parse_duties(doc_of("""IV. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính
Tham mưu bố trí kinh phí thực hiện.
Hướng dẫn thanh quyết toán kinh phí.
2. Sở Nội vụ
Đưa kết quả vào đánh giá thi đua."""))
    assert [(d["body"], d["text"]) for d in duties] == [
        ("Sở Tài chính", "Tham mưu bố trí kinh phí thực hiện."),
        ("Sở Tài chính", "Hướng dẫn thanh quyết toán kinh phí."),
        ("Sở Nội vụ", "Đưa kết quả vào đánh giá thi đua."),
    ]


def test_changes_of_an_amendment_in_a_table_or_in_sentences():
    from planwatch.documents.ingest.model import Cell, Table

    head = ["TT", "Nội dung điều chỉnh", "Đã ban hành (nội dung cũ)", "Điều chỉnh thành (nội dung mới)"]
    body = [["1", "Thời gian hoàn thành nhiệm vụ số 5", "Tháng 6/2025", "Tháng 9/2025"],
            ["2", "Cơ quan chủ trì nhiệm vụ số II.3", "Sở Nội vụ", "Sở Tài chính"],
            ["3", "Chỉ tiêu số 2 năm 2030", "≥ 80%", "≥ 90%"],
            ["4", "Bổ sung nội dung tuyên truyền", "", "Có"]]
    rows = [[Cell(v, Place(table=1, row=r + 1, col=k + 1)) for k, v in enumerate(row)] for r, row in enumerate([head, *body])]
    changes = prose.parse_changes(SourceDoc("x.docx", "docx", [Table(rows, Place(table=1))]))
    assert [(c["target"], c["target_kind"], c["field"], c["year"], c["old"], c["new"]) for c in changes] == [
        ("5", "task", "deadline", None, "Tháng 6/2025", "Tháng 9/2025"),
        ("II.3", "task", "lead", None, "Sở Nội vụ", "Sở Tài chính"),
        ("2", "indicator", "target", "2030", "≥ 80%", "≥ 90%"),
        (None, None, None, None, None, "Có"),
    ]
    assert changes[3]["flags"] and not changes[0]["flags"]
    said = prose.parse_changes(doc_of("""Điều 1. Điều chỉnh một số nội dung như sau:
1. Điều chỉnh thời gian hoàn thành nhiệm vụ số 5 từ Tháng 6/2025 thành Tháng 9/2025.
- Sửa đổi kết quả (sản phẩm) của nhiệm vụ số 7 từ “Báo cáo” thành “Đề án”.
- Sửa đổi tên nhiệm vụ số 9 thành: “Xây dựng cơ sở dữ liệu đất đai”."""))
    assert [(c["target"], c["field"], c["old"], c["new"]) for c in said] == [
        ("5", "deadline", "Tháng 6/2025", "Tháng 9/2025"), ("7", "result", "Báo cáo", "Đề án"),
        ("9", "name", None, "Xây dựng cơ sở dữ liệu đất đai")]
