"""Footnotes of narrative reports: bodies, anchors and enumerated items."""

import json

import pytest

from planwatch.documents.ingest import footnotes
from planwatch.documents.ingest.model import Paragraph, Place, SourceDoc
from planwatch.documents.ingest.readers import read_document


def doc_of(text: str, **kw) -> SourceDoc:
    return SourceDoc("x.txt", "text", [Paragraph(t, Place(line=i + 1)) for i, t in enumerate(text.split("\n"))], **kw)


PAGE = """- Triển khai Đề án số hóa của Bộ Nông nghiệp1; hoàn thành 03 mô hình thí điểm tại các xã vùng cao năm
20252. Tổ chức kiểm tra 04 nhiệm vụ cấp tỉnh3.

1 Quyết định số 12/QĐ-BNN ngày 05/01/2025.
2 Kiểm tra tại các xã: (1) “Mô hình trồng sâm (Panax sp.)”; (2) Mô hình nuôi cá
tầm; (3)“Mô hình chè sạch”.
3 Bao gồm: 02 nhiệm vụ cấp Bộ; 02 nhiệm vụ cấp tỉnh.


7
 tiếp theo của trang sau."""


def test_footnotes_at_the_bottom_of_a_page_without_a_separator():
    notes = footnotes.parse(doc_of(PAGE))
    assert [n["marker"] for n in notes] == ["1", "2", "3"]
    assert notes[0]["anchor_text"] == "Triển khai Đề án số hóa của Bộ Nông nghiệp"
    assert notes[1]["anchor_text"] == "hoàn thành 03 mô hình thí điểm tại các xã vùng cao năm 2025"
    assert notes[2]["anchor_text"] == "Tổ chức kiểm tra 04 nhiệm vụ cấp tỉnh"
    assert notes[1]["intro"] == "Kiểm tra tại các xã:"
    assert [(i["marker"], i["title"], i["text_as_printed"]) for i in notes[1]["items"]] == [
        ("(1)", "Mô hình trồng sâm (Panax sp.)", "“Mô hình trồng sâm (Panax sp.)”;"),
        ("(2)", "Mô hình nuôi cá tầm", "Mô hình nuôi cá tầm;"),
        ("(3)", "Mô hình chè sạch", "“Mô hình chè sạch”."),
    ]
    assert notes[0]["items"] == [] and notes[2]["text"] == "Bao gồm: 02 nhiệm vụ cấp Bộ; 02 nhiệm vụ cấp tỉnh."
    assert notes[1]["place"] == {"line": 5}


def test_a_separator_line_opens_a_footnote_area_and_the_body_resumes_after_it():
    notes = footnotes.parse(doc_of("Văn bản hướng dẫn5 đã ban hành.\n" + " " * 40 + "\n5 Công văn số 9/SKHCN.\n tiếp tục phần thân."))
    assert [(n["marker"], n["anchor_text"], n["text"]) for n in notes] == [("5", "Văn bản hướng dẫn", "Công văn số 9/SKHCN.")]


def test_a_docx_footnote_hangs_on_the_sentence_of_its_paragraph():
    text = "(1) Đề tài A; (2) Đề tài B."
    doc = SourceDoc("x.docx", "docx", [Paragraph("Mở đầu. Tuyển chọn 02 đề tài năm 2025.", Place(page=1), footnotes=(text,))],
                    footnotes={"1": text})  # fmt: skip
    [note] = footnotes.parse(doc)
    assert note["anchor_text"] == "Tuyển chọn 02 đề tài năm 2025"
    assert [i["title"] for i in note["items"]] == ["Đề tài A", "Đề tài B"]


def test_a_document_without_footnotes_gives_an_empty_list():
    assert footnotes.parse(doc_of("Năm 2025 có 12 nhiệm vụ.\n\n1. Mục tiêu")) == []


def test_only_a_run_of_numbered_items_splits():
    assert footnotes.split_items("Theo (2) ý kiến") == ("Theo (2) ý kiến", [])
    intro, items = footnotes.split_items("(1) A (Willd) Roscoe)); (2) B")
    assert [i["title"] for i in items] == ["A (Willd) Roscoe))", "B"]


@pytest.mark.shared
def test_the_annual_report_footnote_4_matches_the_transcription(shared_dir):
    expected = json.loads((shared_dir / "seed-data" / "notes.json").read_text())["footnote_4"]
    path = next((shared_dir / "seeds").glob("004_*.txt"))
    notes = footnotes.parse(read_document(path.read_bytes(), path.name))
    assert [n["marker"] for n in notes] == [str(i) for i in range(1, len(notes) + 1)] and len(notes) >= 8
    note = next(n for n in notes if n["marker"] == "4")
    assert note["anchor_text"] == expected["anchor_text"]
    keys = ("n", "marker", "title", "text_as_printed")
    assert [{k: i[k] for k in keys} for i in note["items"]] == [{k: i[k] for k in keys} for i in expected["items"]]


def test_pdf_footnotes_sit_at_the_end_of_their_page_and_may_run_over_to_the_next():
    lines = [(1, "Mở đầu của báo cáo."), (1, "Tuyển chọn 02 đề tài cấp cơ sở năm"), (1, "20257."),
             (1, "7 (1) Đề tài thứ nhất; (2) Đề tài"), (2, "thứ hai."), (2, "Phần thân trang 2 tiếp tục.")]  # fmt: skip
    doc = SourceDoc("x.pdf", "pdf", [Paragraph(t, Place(page=p, line=i + 1)) for i, (p, t) in enumerate(lines)])
    [note] = footnotes.parse(doc)
    assert (note["marker"], note["anchor_text"]) == ("7", "Tuyển chọn 02 đề tài cấp cơ sở năm 2025")
    assert [i["title"] for i in note["items"]] == ["Đề tài thứ nhất", "Đề tài thứ hai"]


def test_a_footnote_cut_by_its_page_end_is_completed_where_the_next_page_draws_its_rest():
    """Some PDF writers draw a run-over footnote's rest after the next page's own notes."""
    pages = [
        (1, "Kiểm tra 03 mô hình tại các xã năm 20251."),
        (1, "1 Gồm: (1) Mô hình trồng sâm; (2) Mô hình nuôi cá"),
        (2, "Triển khai đề tài mới2 trong năm."),
        (2, "2 Quyết định số 12/QĐ-UBND ngày 05/01/2025."),
        (2, "tầm; (3) Mô hình chè sạch."),
    ]
    doc = SourceDoc("x.pdf", "pdf", [Paragraph(t, Place(page=p, line=i + 1)) for i, (p, t) in enumerate(pages)])
    notes = footnotes.parse(doc)
    first = next(n for n in notes if n["marker"] == "1")
    assert [i["title"] for i in first["items"]] == ["Mô hình trồng sâm", "Mô hình nuôi cá tầm", "Mô hình chè sạch"]
    second = next(n for n in notes if n["marker"] == "2")
    assert "tầm" not in second["text"]
