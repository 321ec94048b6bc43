"""pipeline.build_draft on a small DOCX plan (python-docx): kind, rows, organisations proposed
(an ended unit with its successor), upper-level alignment, flags with places, an interchange
document that validates; a document without any table is refused."""

from __future__ import annotations

from io import BytesIO

import pytest

from planwatch.documents.ingest.errors import DocumentError
from planwatch.documents.ingest.pipeline import build_draft, draft_from_file, section_rows

INDICATOR_HEAD = ["TT", "Chỉ tiêu", "Đơn vị tính", "2025", "2030", "Cơ quan chủ trì"]
TASK_HEAD = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời hạn hoàn thành"]

INDICATORS = [
    ["1", "Số lượng doanh nghiệp khoa học và công nghệ trên địa bàn", "Doanh nghiệp", "≥ 10", "≥ 20", "Sở Khoa học và Công nghệ"],
    ["2", "Tỷ lệ hồ sơ thủ tục hành chính được số hóa", "%", "80", "100", "Sở Nội vụ"],
    ["3", "Số sáng kiến kỹ thuật được công nhận", "Sáng kiến", "5", "10", "Trung tâm Sáng tạo Vũ Trụ Xanh"],
]
TASKS = [
    ["I", "Hoàn thiện thể chế, chính sách", None, None, None, None],
    ["1", "Xây dựng quy chế quản lý dữ liệu số của tỉnh", "Sở Khoa học và Công nghệ", "Sở Tư pháp, Sở Tài chính", "Quy chế", "Quý IV/2025"],
    ["2", "Tổ chức tập huấn kỹ năng số cho cán bộ, công chức", "Sở Nội vụ", "Sở Khoa học và Công nghệ", "Lớp tập huấn", "Hằng năm"],
    ["II", "Phát triển hạ tầng số", None, None, None, None],
    ["3", "Nâng cấp trung tâm dữ liệu dùng chung của tỉnh", "Sở Thông tin và Truyền thông", "", "Trung tâm dữ liệu", "2026"],
]


def plan_docx(*, number: str = "88/KH-UBND", indicators=INDICATORS, tasks=TASKS,
              title="Thí điểm chuyển đổi số trong cơ quan nhà nước", accents: bool = True) -> bytes:
    """A small plan as people write them: the issuer's heading, number and date, title, the
    decision it implements, an indicator table (one column per milestone) and a task table
    with group rows spanning the table."""
    from docx import Document

    from planwatch.lib.text import strip_accents

    def txt(v):
        return v if accents or not v else strip_accents(v)

    d = Document()
    for text in ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", f"Số: {number}", "Quảng Ngãi, ngày 15 tháng 8 năm 2025",
                 "KẾ HOẠCH", title,
                 "Thực hiện Quyết định số 327/QĐ-UBND ngày 26/5/2025 của Ủy ban nhân dân tỉnh ban hành Kế hoạch hành động; "
                 "Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:",
                 "Phụ lục I: CÁC CHỈ TIÊU CỤ THỂ"):
        d.add_paragraph(txt(text))
    t = d.add_table(rows=1, cols=len(INDICATOR_HEAD))
    for c, h in zip(t.rows[0].cells, INDICATOR_HEAD):
        c.text = txt(h)
    for row in indicators:
        cells = t.add_row().cells
        for c, v in zip(cells, row):
            c.text = txt(v)
    d.add_paragraph(txt("Phụ lục II: NHIỆM VỤ CỤ THỂ"))
    t = d.add_table(rows=1, cols=len(TASK_HEAD))
    for c, h in zip(t.rows[0].cells, TASK_HEAD):
        c.text = txt(h)
    for row in tasks:
        cells = t.add_row().cells
        if row[2] is None:  # a group row: one merged cell across the name columns
            cells[0].text = row[0]
            merged = cells[1].merge(cells[-1])
            merged.text = txt(row[1])
            continue
        for c, v in zip(cells, row):
            c.text = txt(v)
    d.add_paragraph(txt("Giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ban, ngành theo dõi, đôn đốc việc "
                        "triển khai thực hiện Kế hoạch này; định kỳ hằng quý báo cáo Ủy ban nhân dân tỉnh trước ngày 15 "
                        "của tháng cuối quý."))
    d.add_paragraph("Nơi nhận: như trên.")
    out = BytesIO()
    d.save(out)
    return out.getvalue()


@pytest.fixture
def draft(demo):
    return draft_from_file(plan_docx(), "ke-hoach-thi-diem.docx")


def _row(draft, section, code):
    return next(r for r in section_rows(draft, section) if r.get("code") == code)


def test_a_docx_plan_becomes_a_draft_with_its_tables(draft):
    assert draft["kind"] == "plan"
    assert draft["stats"]["indicators"] == 3
    assert draft["stats"]["tasks"] == 3
    assert [g["code"] for g in section_rows(draft, "groups")] == ["I", "II"]
    assert draft["document"]["number"] == "88/KH-UBND"
    assert draft["plan"]["code"] == "88-kh-ubnd-2025"
    assert draft["plan"]["owner"]["code"] == "qn-ubnd"
    # It implements 327/QĐ-UBND, which the system holds: that plan is the upper level.
    assert draft["plan"]["parent"] == "qn-327-2025"
    assert "Hoàn thiện thể chế" in draft["text"]
    # The standing agency and the reporting rhythm as "Tổ chức thực hiện" states them.
    assert draft["plan"]["standing_agency"] == {"code": "qn-skhcn"}
    assert draft["plan"]["reporting_schedule"] == "quarterly"
    assert draft["plan"]["reporting_due_day"] == 15


def test_agencies_are_resolved_and_doubts_flagged_with_their_place(draft):
    ind = _row(draft, "indicators", "1")
    assert ind["orgs"]["agency"][0]["chosen"] == ["qn-skhcn"]
    unknown = _row(draft, "indicators", "3")
    choice = unknown["orgs"]["agency"][0]
    assert choice["chosen"] == [] and choice["method"] == "unresolved"
    flag = next(f for f in draft["flags"] if f["section"] == "indicators" and f["field"] == "agency")
    assert "Không xác định được cơ quan" in flag["reason"]
    assert flag["where"]  # "bảng 1, dòng 4" or similar: the review screen shows where
    task = _row(draft, "tasks", "1")
    assert [c["chosen"] for c in task["orgs"]["coordinating"]] == [["qn-stp"], ["qn-stc"]]


def test_an_ended_unit_resolves_to_itself_and_its_successor(draft):
    task = _row(draft, "tasks", "3")
    choice = task["orgs"]["lead"][0]
    codes = [c["code"] for c in choice["candidates"]]
    assert codes[:2] == ["qn-stttt", "qn-skhcn"]
    # Gone before the document's date (merged 1/3/2025): the work is the successor's.
    assert choice["chosen"] == ["qn-skhcn"]
    assert any("đã kết thúc hoạt động từ 28/02/2025; kế thừa: Sở Khoa học và Công nghệ" in f["reason"]
               for f in task["flags"])


def test_rows_get_ranked_upper_level_suggestions(draft):
    ind = _row(draft, "indicators", "1")
    assert ind["align"]["candidates"][0]["code"] == "1.1"  # "Số lượng doanh nghiệp khoa học và công nghệ…"
    assert ind["align"]["chosen"] == {"plan": "qn-327-2025", "code": "1.1"}
    scores = [c["score"] for c in ind["align"]["candidates"]]
    assert scores == sorted(scores, reverse=True)


def test_the_interchange_document_validates(draft):
    from planwatch.plans.interchange import normalize

    doc = normalize(draft["interchange"])
    ind = {r["code"]: r for r in doc["indicators"]}
    assert ind["1"]["responsible"] == ["qn-skhcn"]
    assert [t["raw"] for t in ind["1"]["targets"]] == ["≥ 10", "≥ 20"]
    assert ind["1"]["targets"][0]["spec"]["op"] == ">="
    assert ind["2"]["kind"] == "ratio"
    tasks = {t["code"]: t for t in doc["tasks"]}
    assert tasks["1"]["group"] == "I" and tasks["3"]["group"] == "II"
    assert tasks["1"]["deadline"]["kind"] == "quarter"
    assert {(a["org"], a["role"]) for a in tasks["1"]["assignments"]} == {
        ("qn-skhcn", "lead"), ("qn-stp", "coordinating"), ("qn-stc", "coordinating")}
    assert tasks["2"]["deadline"]["kind"] == "yearly"


def test_an_accent_free_document_gets_restored_text_beside_the_raw(demo):
    from planwatch.documents.ingest import pipeline

    if pipeline._diacritics() is None:
        pytest.skip("lib.diacritics not there yet")
    draft = draft_from_file(plan_docx(accents=False), "khong-dau.docx")
    row = _row(draft, "indicators", "1")
    assert row["name"] == "So luong doanh nghiep khoa hoc va cong nghe tren dia ban"
    assert row["name_restored"] != row["name"]
    assert draft["restored"] is True
    ind = next(r for r in draft["interchange"]["indicators"] if r["code"] == "1")
    assert ind["notes"]["name_ocr"] == row["name"]  # the raw text travels beside the restored one
    assert ind["responsible"] == ["qn-skhcn"]  # agencies resolve on accent-free keys anyway


def test_a_document_without_tables_is_refused(demo):
    from planwatch.documents.ingest.model import Paragraph, Place, SourceDoc

    doc = SourceDoc(name="thu.txt", fmt="text", blocks=[
        Paragraph("Kính gửi các sở, ban, ngành.", Place(line=1)),
        Paragraph("Đề nghị các đơn vị gửi báo cáo đúng hạn.", Place(line=2)),
    ])
    with pytest.raises(DocumentError) as e:
        build_draft(doc)
    assert e.value.code == "no_table"
    assert "Không tìm thấy bảng chỉ tiêu" in e.value.message


def test_an_exact_name_is_not_called_approximate(db):
    from datetime import date

    from planwatch.orgs.loaders import load_quangngai
    from planwatch.documents.ingest.resolve import OrgSuggester

    province = load_quangngai()
    inside = OrgSuggester(province, on=date(2025, 6, 1), today=date(2025, 6, 1))
    for text in ("Sở Nội vụ", "SO NOI VU"):
        ch = inside.choice(text)
        assert ch["chosen"] and not any("gần đúng" in f for f in ch["flags"])
    # No issuer's tree to look in: the same name is a namesake to confirm, not an approximate match.
    anywhere = OrgSuggester(None, on=date(2025, 6, 1), today=date(2025, 6, 1))
    flags = anywhere.choice("Sở Nội vụ")["flags"]
    assert not any("gần đúng" in f for f in flags)
    assert flags and all("trùng tên, cần xác nhận đơn vị" in f for f in flags)
