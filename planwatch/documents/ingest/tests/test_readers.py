"""Readers on real files built here (python-docx, openpyxl, LibreOffice, a hand-written PDF) and
on the seed text 002: the grid each format gives, merged cells, repeated headers, footnotes."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import unicodedata
import zlib
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from planwatch.documents.ingest.model import Paragraph, Table
from planwatch.documents.ingest.readers import read_document, sniff
from planwatch.lib.text import collapse_ws

# ------------------------------------------------------------------ helpers


def docx_bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def tables(doc) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def mark_header(row) -> None:
    row._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))


def add_footnotes(doc, notes: dict[int, str]) -> None:
    """A real word/footnotes.xml part (python-docx cannot write one)."""
    body = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> '
        f"{text}</w:t></w:r></w:p></w:footnote>"
        for i, text in notes.items()
    )
    xml = (f'<w:footnotes {nsdecls("w")}><w:footnote w:type="separator" w:id="-1"><w:p><w:r>'
           f"<w:separator/></w:r></w:p></w:footnote>{body}</w:footnotes>").encode()
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                xml, doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)


def cite(paragraph, note_id: int) -> None:
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        f'<w:footnoteReference w:id="{note_id}"/></w:r>'))


def soffice_pdf(docx: bytes, tmp_path: Path) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed")
    src = tmp_path / "in.docx"
    src.write_bytes(docx)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=120)
    return (tmp_path / "in.pdf").read_bytes()


def text_pdf(lines_per_page: list[list[str]], leading: int = 14) -> bytes:
    """A minimal PDF with a text layer (Helvetica 12 pt, ASCII, one text object per line),
    written by hand."""
    objects: list[bytes] = []
    n_pages = len(lines_per_page)
    page_ids = [4 + 2 * i for i in range(n_pages)]
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    kids = " ".join(f"{i} 0 R" for i in page_ids)
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for lines in lines_per_page:
        ops = [f"BT /F1 12 Tf {leading} TL 72 760 Td"] + [f"({ln}) Tj T*" for ln in lines] + ["ET"]
        stream = zlib.compress("\n".join(ops).encode())
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                       f"<< /Font << /F1 3 0 R >> >> /Contents {len(objects) + 2} 0 R >>".encode())
        objects.append(f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
                       + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed, tones combining."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = [m for m in parts if m in "\u0300\u0301\u0303\u0309\u0323"]
            base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in tones))
            out += (base + "".join(tones)).encode("cp1258")
    return bytes(out)


# ------------------------------------------------------------------ DOCX


def test_docx_merged_cells_multiline_and_body_order():
    doc = Document()
    doc.add_paragraph("PHỤ LỤC I")
    t = doc.add_table(rows=5, cols=5)
    t.cell(0, 0).text = "TT"
    t.cell(0, 1).text = "Chỉ tiêu"
    t.cell(0, 2).merge(t.cell(0, 3)).text = "Mục tiêu"
    t.cell(0, 4).text = "Cơ quan"
    t.cell(0, 0).merge(t.cell(1, 0))
    t.cell(0, 1).merge(t.cell(1, 1))
    t.cell(0, 4).merge(t.cell(1, 4))
    t.cell(1, 2).text, t.cell(1, 3).text = "2025", "2030"
    for r, (code, name, a, b) in enumerate([("1", "Tỉ lệ", "≥ 80", "100"),
                                           ("2", "Số doanh nghiệp", "> 8", "≥ 15"),
                                           ("3", "Chỉ số", "", "X")], start=2):
        for c, v in enumerate((code, name, a, b)):
            t.cell(r, c).text = v
    agency = t.cell(2, 4).merge(t.cell(4, 4))
    agency.text = "Sở Khoa học\nvà Công nghệ"  # a line break inside the cell
    agency.add_paragraph("(chủ trì)")  # and a second paragraph
    doc.add_paragraph("Sau bảng")

    sd = read_document(docx_bytes(doc), "plan.docx")
    assert sd.fmt == "docx"
    assert [b.kind for b in sd.blocks] == ["paragraph", "table", "paragraph"]
    (table,) = tables(sd)
    grid = texts(table)
    assert grid[0] == ["TT", "Chỉ tiêu", "Mục tiêu", "Mục tiêu", "Cơ quan"]
    assert grid[1] == ["TT", "Chỉ tiêu", "2025", "2030", "Cơ quan"]
    assert [c.merged for c in table.rows[0]] == [False, False, False, True, False]
    assert [c.merged for c in table.rows[1]] == [True, True, False, False, True]
    agency_text = "Sở Khoa học\nvà Công nghệ\n(chủ trì)"
    assert [row[4].text for row in table.rows[2:]] == [agency_text] * 3
    assert [row[4].merged for row in table.rows[2:]] == [False, True, True]
    assert grid[3][:4] == ["2", "Số doanh nghiệp", "> 8", "≥ 15"]
    assert table.rows[3][2].place.to_dict() == {"table": 1, "row": 4, "col": 3}
    assert table.rows[3][2].place.describe() == "bảng 1, dòng 4, cột 3"


def test_docx_header_repeated_by_hand_and_split_table_kept_once():
    doc = Document()
    header = ["TT", "Nhiệm vụ", "Thời hạn"]
    t = doc.add_table(rows=0, cols=3)
    t.style = "Table Grid"
    for values in (header, ["1", "Việc một", "2025"], header, ["2", "Việc hai", "Quý II/2026"]):
        cells = t.add_row().cells
        for c, v in zip(cells, values):
            c.text = v
    mark_header(t.rows[0])
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    t2 = doc.add_table(rows=0, cols=3)
    t2.style = "Table Grid"
    for values in (header, ["3", "Việc ba", "Hằng năm"]):
        cells = t2.add_row().cells
        for c, v in zip(cells, values):
            c.text = v
    doc.add_paragraph("Nơi nhận:")

    sd = read_document(docx_bytes(doc), "tasks.docx")
    (table,) = tables(sd)
    assert texts(table) == [header, ["1", "Việc một", "2025"], ["2", "Việc hai", "Quý II/2026"],
                            ["3", "Việc ba", "Hằng năm"]]
    assert [row[0].place.row for row in table.rows] == [1, 2, 3, 4]
    assert sd.blocks[-1].text == "Nơi nhận:"


def test_docx_two_different_tables_stay_apart():
    doc = Document()
    for head in (["TT", "Chỉ tiêu"], ["STT", "Nhiệm vụ"]):
        doc.add_paragraph(f"Phụ lục {head[1]}")
        t = doc.add_table(rows=2, cols=2)
        for c, v in enumerate(head):
            t.cell(0, c).text = v
        t.cell(1, 0).text, t.cell(1, 1).text = "1", "x"
    assert len(tables(read_document(docx_bytes(doc), "two.docx"))) == 2


def test_docx_footnotes_attached_and_markers_stripped():
    doc = Document()
    p = doc.add_paragraph("Đã triển khai 07 nhiệm vụ cấp cơ sở")
    cite(p, 1)
    t = doc.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "TT", "Cơ quan chủ trì"
    t.cell(1, 0).text = "1"
    cell_p = t.cell(1, 1).paragraphs[0]
    cell_p.add_run("Sở Nội vụ")
    cite(cell_p, 2)
    add_footnotes(doc, {1: "Gồm: (1) Nhiệm vụ A; (2) Nhiệm vụ B.", 2: "Trước ngày 01/3/2025 là Sở Tư pháp."})

    sd = read_document(docx_bytes(doc), "notes.docx")
    assert sd.footnotes == {"1": "Gồm: (1) Nhiệm vụ A; (2) Nhiệm vụ B.",
                            "2": "Trước ngày 01/3/2025 là Sở Tư pháp."}
    # numbered from 4 in the section (a report continuing an earlier one's footnotes)
    doc.sections[-1]._sectPr.insert(0, parse_xml(
        f'<w:footnotePr {nsdecls("w")}><w:numStart w:val="4"/></w:footnotePr>'))
    assert list(read_document(docx_bytes(doc), "notes.docx").footnotes) == ["4", "5"]
    para = sd.blocks[0]
    assert para.text == "Đã triển khai 07 nhiệm vụ cấp cơ sở"
    assert para.footnotes == ("Gồm: (1) Nhiệm vụ A; (2) Nhiệm vụ B.",)
    cell = tables(sd)[0].rows[1][1]
    assert cell.text == "Sở Nội vụ"
    assert cell.footnotes == ("Trước ngày 01/3/2025 là Sở Tư pháp.",)


def test_docx_numbering_symbols_nested_and_layout_tables():
    doc = Document()
    doc.add_paragraph("Mục tiêu chung", style="List Number")
    doc.add_paragraph("Mục tiêu cụ thể", style="List Number")
    p = doc.add_paragraph("Tỉ lệ ")
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:sym w:font="Symbol" w:char="F0B3"/></w:r>'))
    p.add_run(" 80%")
    frame = doc.add_table(rows=1, cols=1)  # a one-cell frame around the real table
    inner = frame.cell(0, 0).add_table(rows=2, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "TT", "Nội dung"
    inner.cell(1, 0).text, inner.cell(1, 1).text = "1", "Việc"
    doc.add_paragraph("Ghi chú chung")
    outer = doc.add_table(rows=2, cols=2)
    outer.cell(0, 0).text, outer.cell(0, 1).text = "Mục", "Nội dung"
    outer.cell(1, 0).text = "Ghi chú"
    sub = outer.cell(1, 1).add_table(rows=1, cols=2)
    sub.cell(0, 0).text, sub.cell(0, 1).text = "a)", "Ý một"
    doc.add_paragraph("Nơi nhận:")
    sign = doc.add_table(rows=1, cols=2)  # the signature block: layout, read as its paragraphs
    sign.cell(0, 0).text = "- Như Điều 3;"
    sign.cell(0, 1).text = "TM. ỦY BAN NHÂN DÂN"
    sign.cell(0, 1).add_paragraph("CHỦ TỊCH")

    sd = read_document(docx_bytes(doc), "mixed.docx")
    paras = [b.text for b in sd.blocks if isinstance(b, Paragraph) and b.text]
    assert paras[:3] == ["1. Mục tiêu chung", "2. Mục tiêu cụ thể", "Tỉ lệ ≥ 80%"]
    first, second = tables(sd)
    assert texts(first) == [["TT", "Nội dung"], ["1", "Việc"]]  # the frame is unwrapped
    assert texts(second) == [["Mục", "Nội dung"], ["Ghi chú", "a)\nÝ một"]]  # nested in a real one: lines
    assert [b.text for b in sd.blocks[-4:]] == ["Nơi nhận:", "- Như Điều 3;", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]

    boxed = Document()
    box = boxed.add_table(rows=1, cols=1).cell(0, 0)  # text in a one-cell box
    box.text = "Căn cứ Nghị quyết số 57-NQ/TW;"
    box.add_paragraph("Xét đề nghị của Sở Khoa học và Công nghệ,")
    sd = read_document(docx_bytes(boxed), "box.docx")
    assert [b.text for b in sd.blocks] == ["Căn cứ Nghị quyết số 57-NQ/TW;", "Xét đề nghị của Sở Khoa học và Công nghệ,"]


def test_numbered_list_copied_from_word_is_not_a_table():
    sd = read_document("Nhiệm vụ\n1.\tNâng cao nhận thức\n2.\tHoàn thiện thể chế\na)\tXây dựng\n".encode(), "x.txt")
    assert sd.fmt == "text" and not tables(sd) and sd.blocks[1].text == "1.\tNâng cao nhận thức"


def test_docx_pages_from_words_last_layout():
    """Word records where its last layout broke pages (w:lastRenderedPageBreak): places get a page."""
    doc = Document()
    doc.add_paragraph("Trang một")
    p = doc.add_paragraph()
    p._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:lastRenderedPageBreak/><w:t>Trang hai</w:t></w:r>'))
    t = doc.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "TT", "Nhiệm vụ"
    t.cell(1, 0).paragraphs[0]._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:lastRenderedPageBreak/><w:t>1</w:t></w:r>'))
    sd = read_document(docx_bytes(doc), "kh.docx")
    assert sd.pages == 3
    assert [b.place.page for b in sd.blocks] == [1, 2, 2]
    assert [[c.place.page for c in row] for row in tables(sd)[0].rows] == [[2, 2], [3, 3]]
    assert read_document(docx_bytes(Document()), "trong.docx").pages is None  # never laid out


def test_docx_is_sniffed_by_content_not_name():
    doc = Document()
    doc.add_paragraph("Kế hoạch")
    data = docx_bytes(doc)
    assert sniff(data, "ke-hoach.pdf") == "docx"
    assert read_document(data, "ke-hoach.bin").blocks[0].text == "Kế hoạch"


# ------------------------------------------------------------------ XLSX


def test_xlsx_merged_ranges_numbers_and_dates():
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "BIỂU CHỈ TIÊU"
    ws.merge_cells("A1:E1")
    ws.append(["TT", "Chỉ tiêu", "Đơn vị", "Mục tiêu", None])
    ws.append([None, None, None, 2025, 2030])
    ws.merge_cells("D2:E2")
    ws.merge_cells("A2:A3")
    ws.append([1, "Tỉ lệ", "%", 0.8, 1])
    ws["D4"].number_format = "0%"
    ws["E4"].number_format = "0%"
    ws.append([2, "Chi cho KH&CN", "tỷ đồng", 1234.5, 2500])
    ws["D5"].number_format = "#,##0.0"
    ws.append([3, "Hạn", None, dt.datetime(2025, 9, 30), 1.25])
    ws.append([4, "Cơ quan", "Sở KH&CN", None, None])
    ws.merge_cells("C7:E7")
    buf = io.BytesIO()
    wb.save(buf)

    sd = read_document(buf.getvalue(), "bieu.xlsx")
    assert sd.fmt == "xlsx"
    assert sd.blocks[0].text == "BIỂU CHỈ TIÊU"  # a title row is running text
    (table,) = tables(sd)
    grid = texts(table)
    assert grid[0] == ["TT", "Chỉ tiêu", "Đơn vị", "Mục tiêu", "Mục tiêu"]
    assert grid[1] == ["TT", "", "", "2025", "2030"]
    assert [c.merged for c in table.rows[1]] == [True, False, False, False, False]
    assert grid[2] == ["1", "Tỉ lệ", "%", "80%", "100%"]
    assert grid[3] == ["2", "Chi cho KH&CN", "tỷ đồng", "1.234,5", "2500"]
    assert grid[4] == ["3", "Hạn", "", "30/09/2025", "1,25"]
    assert grid[5] == ["4", "Cơ quan", "Sở KH&CN", "Sở KH&CN", "Sở KH&CN"]
    assert [c.merged for c in table.rows[5]] == [False, False, False, True, True]


# ------------------------------------------------------------------ PDF


def test_pdf_text_layer_gives_paragraph_lines_with_pages():
    data = text_pdf([["KE HOACH", "Thuc hien Nghi quyet 57-NQ/TW"], ["Trang hai"]])
    sd = read_document(data, "kh.pdf")
    assert sd.fmt == "pdf" and sd.pages == 2
    assert [(b.text, b.place.page) for b in sd.blocks] == [
        ("KE HOACH", 1), ("Thuc hien Nghi quyet 57-NQ/TW", 1), ("Trang hai", 2)]


def test_pdf_tight_lines_keep_their_own_glyphs():
    """Lines set so tight that the descenders of one reach the capitals of the next: each
    line's text is its own glyphs only (PDFium's box query returns every glyph touching the
    box, which put stray letters of the neighbouring lines on lines of their own)."""
    lines = ["Quang Tri; gypq", "Uy ban nhan dan Hdb", "cac xa, phuong"]
    sd = read_document(text_pdf([lines], leading=10), "kh.pdf")
    assert [b.text for b in sd.blocks] == lines


def ruled_pdf(ops: list[str]) -> bytes:
    """A one-page PDF (Helvetica as /F1) drawn by the given content-stream operators."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
               b"/Contents 5 0 R >>"]
    stream = zlib.compress("\n".join(ops).encode())
    objects.append(f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{off:010d} 00000 n \n" for off in offsets).encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def test_pdf_row_drawn_as_one_text_object_split_by_glyph_centres():
    """A table row written as one text object over both cells (kerning jumps the border):
    each glyph goes to the cell holding its centre, so the 'B' straddling the border is read
    once, in its own cell."""
    ops = ["0.5 w"] + [f"72 {y} m 272 {y} l S" for y in (740, 720, 700, 680)]
    ops += [f"{x} 680 m {x} 740 l S" for x in (72, 172, 272)] + ["BT /F1 12 Tf"]
    for k, (a, kern, b) in enumerate([("TT", 7112, "Noi dung"), ("Alpha", 5358, "Beta"), ("Gamma", 5500, "Delta")]):
        ops.append(f"1 0 0 1 75 {725 - 20 * k} Tm [({a}) -{kern} ({b})] TJ")
    (table,) = tables(read_document(ruled_pdf(ops + ["ET"]), "kh.pdf"))
    assert texts(table) == [["TT", "Noi dung"], ["Alpha", "Beta"], ["Gamma", "Delta"]]


def test_pdf_from_docx_tables_continue_across_pages(tmp_path):
    doc = Document()
    doc.add_paragraph("PHỤ LỤC II. NHIỆM VỤ")
    t = doc.add_table(rows=1, cols=3)
    t.style = "Table Grid"
    for c, v in zip(t.rows[0].cells, ["TT", "Nhiệm vụ", "Cơ quan chủ trì"]):
        c.text = v
    mark_header(t.rows[0])  # Word/LibreOffice repeat it at the top of every page
    for i in range(1, 71):
        cells = t.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = str(i), f"Nhiệm vụ số {i}", "Sở Khoa học và Công nghệ"
    t.cell(5, 2).merge(t.cell(6, 2)).text = "Sở Khoa học và Công nghệ"
    doc.add_paragraph("Nơi nhận:")

    sd = read_document(soffice_pdf(docx_bytes(doc), tmp_path), "kh.pdf")
    assert sd.pages >= 2
    (table,) = tables(sd)
    grid = texts(table)
    assert grid[0] == ["TT", "Nhiệm vụ", "Cơ quan chủ trì"]
    assert [row[0] for row in grid[1:]] == [str(i) for i in range(1, 71)]  # header kept once
    assert collapse_ws(grid[5][2]) == "Sở Khoa học và Công nghệ" and grid[6][2] == grid[5][2]
    assert table.rows[6][2].merged and not table.rows[5][2].merged
    assert table.rows[-1][0].place.page == sd.pages
    paras = [b.text for b in sd.blocks if isinstance(b, Paragraph)]
    assert paras[0] == "PHỤ LỤC II. NHIỆM VỤ" and "Nơi nhận:" in paras


# ------------------------------------------------------------------ text


def test_pipe_tables_with_and_without_separator():
    md = ("Kế hoạch\n\n| TT | Nhiệm vụ | Thời hạn |\n|---|:---|---:|\n| 1 | Việc \\| một | 2025 |\n"
          "| 2 | Việc hai<br>tiếp | Quý II |\n\nHết\n|a|b|\n|c|d|\n")
    sd = read_document(md.encode(), "kh.md")
    assert sd.fmt == "markdown"
    first, second = tables(sd)
    assert texts(first) == [["TT", "Nhiệm vụ", "Thời hạn"], ["1", "Việc | một", "2025"],
                            ["2", "Việc hai\ntiếp", "Quý II"]]
    assert texts(second) == [["a", "b"], ["c", "d"]]
    assert first.rows[1][1].place.line == 5


def test_bare_pipe_rows_without_outer_pipes_make_a_table():
    text = ("Trang chủ > Văn bản\nĐăng nhập | Liên hệ | Sơ đồ cổng\nKẾ HOẠCH chuyển đổi số\n"
            "Ghi chú: số liệu | nguồn Sở\n"
            "STT | Nhiệm vụ | Cơ quan chủ trì | Thời gian\n"
            "I | Chính quyền số | |\n"
            "1 | Xây dựng kho dữ liệu | Sở Khoa học và Công nghệ | Năm 2025\n"
            "2 | Chữ ký số cho cán bộ | Văn phòng UBND tỉnh | Tháng 9/2025\n"
            "Chia sẻ: Facebook | Zalo | In trang\n")
    sd = read_document(text.encode(), "portal.txt")
    (only,) = tables(sd)
    assert texts(only) == [["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
                           ["I", "Chính quyền số", "", ""],
                           ["1", "Xây dựng kho dữ liệu", "Sở Khoa học và Công nghệ", "Năm 2025"],
                           ["2", "Chữ ký số cho cán bộ", "Văn phòng UBND tỉnh", "Tháng 9/2025"]]
    paras = [b.text for b in sd.blocks if isinstance(b, Paragraph)]
    assert "Đăng nhập | Liên hệ | Sơ đồ cổng" in paras and "Chia sẻ: Facebook | Zalo | In trang" in paras
    assert "Ghi chú: số liệu | nguồn Sở" in paras


def test_markdown_formatting_dropped_from_paragraphs_and_cells():
    md = "\n".join([
        "# ỦY BAN NHÂN DÂN XÃ A ##",
        "**Số: 12/KH-UBND** — ngày 05 tháng 8 năm 2025",
        "",
        "KẾ HOẠCH",
        "========",
        "> Thực hiện [Kế hoạch số 156/KH-UBND](https://x.vn/a_b?c=(1)) của *UBND tỉnh*",
        "",
        "| TT | Nhiệm vụ | Chủ trì | Thời hạn |",
        "|---|---|---|:---:|",
        "| **I** | __Công tác tuyên truyền__ | | |",
        "| 1 | Sửa `Quy_chế_1` \\| mẫu A<br/>và *mẫu B* | Phòng Kinh tế<br>Công an xã | Quý ~~III~~ IV/2025 |",
        "",
        "## 1. Trách nhiệm",
        "- Văn phòng: tổng hợp, báo cáo",
        "* Các thôn: thực hiện",
        "   + tiếp theo",
        "1. Phòng Kinh tế \\* chủ trì; tỷ lệ 2*3*4 và tên_tệp_x",
        "---",
        "```",
        "**giữ nguyên**",
        "```",
        "<!-- ghi chú -->",
        "*Nơi nhận: như trên.* &amp; Lưu: VT",
    ])
    sd = read_document(md.encode(), "kh.txt")  # recognised by content, not by the .md name
    assert sd.fmt == "markdown"
    paras = [(b.text, b.style) for b in sd.blocks if isinstance(b, Paragraph) and b.text]
    assert paras == [
        ("ỦY BAN NHÂN DÂN XÃ A", "Heading 1"),
        ("Số: 12/KH-UBND — ngày 05 tháng 8 năm 2025", ""),
        ("KẾ HOẠCH", "Heading 1"),
        ("Thực hiện Kế hoạch số 156/KH-UBND của UBND tỉnh", ""),
        ("1. Trách nhiệm", "Heading 2"),
        ("- Văn phòng: tổng hợp, báo cáo", ""),
        ("- Các thôn: thực hiện", ""),
        ("- tiếp theo", ""),
        ("1. Phòng Kinh tế * chủ trì; tỷ lệ 2*3*4 và tên_tệp_x", ""),
        ("**giữ nguyên**", ""),
        ("Nơi nhận: như trên. & Lưu: VT", ""),
    ]
    (table,) = tables(sd)
    assert texts(table) == [["TT", "Nhiệm vụ", "Chủ trì", "Thời hạn"],
                            ["I", "Công tác tuyên truyền", "", ""],
                            ["1", "Sửa Quy_chế_1 | mẫu A\nvà mẫu B", "Phòng Kinh tế\nCông an xã", "Quý III IV/2025"]]
    assert table.rows[2][1].place.line == 11


def test_markdown_grid_and_html_tables():
    """What converters (pandoc) write for tables a pipe table cannot hold: grid tables (cells
    over several lines, a row spanning columns) and raw HTML tables."""
    md = "\n".join([
        "# KẾ HOẠCH",
        "",
        "+-----+---------------------+--------------+",
        "| TT  | Nhiệm vụ            | Chủ trì      |",
        "+=====+=====================+==============+",
        "| I   | **Công tác tuyên truyền**          |",
        "+-----+---------------------+--------------+",
        "| 1   | Tuyên truyền, phổ   | Văn phòng    |",
        "|     | biến kỹ năng số     | HĐND và UBND |",
        "|     |                     |              |",
        "|     | * hằng tháng        |              |",
        "+-----+---------------------+--------------+",
        "| 2 | Gõ tay, lệch cột | Công an xã |",
        "+-----+---------------------+--------------+",
        "",
        "<table>",
        "<tr><th>TT</th><th>Nhiệm vụ</th></tr>",
        "<tr><td>1</td><td>Việc <b>một</b><br>tiếp</td></tr>",
        '<tr><td colspan="2">II. Nhóm</td></tr>',
        "</table>",
        "",
        "Hết",
    ])
    sd = read_document(md.encode(), "kh.md")
    grid, html = tables(sd)
    assert [[(c.text, c.merged) for c in row] for row in grid.rows] == [
        [("TT", False), ("Nhiệm vụ", False), ("Chủ trì", False)],
        [("I", False), ("Công tác tuyên truyền", False), ("Công tác tuyên truyền", True)],
        [("1", False), ("Tuyên truyền, phổ biến kỹ năng số\n- hằng tháng", False), ("Văn phòng HĐND và UBND", False)],
        [("2", False), ("Gõ tay, lệch cột", False), ("Công an xã", False)],
    ]
    assert grid.rows[2][1].place.line == 8
    assert [[(c.text, c.merged) for c in row] for row in html.rows] == [
        [("TT", False), ("Nhiệm vụ", False)], [("1", False), ("Việc một\ntiếp", False)],
        [("II. Nhóm", False), ("II. Nhóm", True)]]
    assert [b.text for b in sd.blocks if isinstance(b, Paragraph) and b.text] == ["KẾ HOẠCH", "Hết"]


def test_markdown_pandoc_simple_and_multiline_tables():
    """pandoc -t markdown writes tables as runs of dashes under the header (no pipes), cells
    wrapped over lines, rows apart by blank lines; a header block as a headerless table."""
    md = "\n".join([
        "  ---------------------------------------------",
        "  BỘ NÔNG NGHIỆP\\          CỘNG HÒA XÃ HỘI",
        "  VÀ MÔI TRƯỜNG           Độc lập",
        "  ---------------------- ----------------------",
        "  Số: 12/KH-BNNMT         Hà Nội, ngày 18",
        "",
        "  ---------------------------------------------",
        "",
        "KẾ HOẠCH",
        "",
        "  ---------------------------------------------",
        "  TT    Nội dung nhiệm   Cơ quan chủ   Thời gian",
        "        vụ               trì",
        "  ----- ---------------- ------------- ---------",
        "  I     HOÀN THIỆN THỂ",
        "        CHẾ",
        "",
        "  1     Rà soát văn bản  Vụ Pháp chế   2026",
        "        cấp Bộ^(1)^",
        "  ---------------------------------------------",
        "",
        "  Mã     Tên",
        "  ------ ------------",
        "  1\\.    **Một**",
        "  2      Hai",
        "",
        "\\(1\\) Nhiệm vụ chuyển tiếp.",
    ])
    sd = read_document(md.encode(), "kh.md")
    head, tasks, simple = tables(sd)
    assert texts(head) == [["BỘ NÔNG NGHIỆP\nVÀ MÔI TRƯỜNG", "CỘNG HÒA XÃ HỘI Độc lập"], ["Số: 12/KH-BNNMT", "Hà Nội, ngày 18"]]
    assert texts(tasks) == [["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời gian"],
                            ["I", "HOÀN THIỆN THỂ CHẾ", "", ""],
                            ["1", "Rà soát văn bản cấp Bộ(1)", "Vụ Pháp chế", "2026"]]
    assert tasks.rows[2][1].place.line == 18
    assert texts(simple) == [["Mã", "Tên"], ["1.", "Một"], ["2", "Hai"]]
    assert [b.text for b in sd.blocks if isinstance(b, Paragraph) and b.text] == ["KẾ HOẠCH", "(1) Nhiệm vụ chuyển tiếp."]


def test_markdown_opening_with_an_html_table_is_not_a_web_page():
    md = ("<table>\n<tr><th>ỦY BAN NHÂN DÂN<br />\nHUYỆN A</th><th>CỘNG HÒA</th></tr>\n</table>\n\nKẾ HOẠCH\n\n"
          "| STT | Nội dung |\n|-----|----------|\n| 1 | Việc một |\n")
    for name in ("kh.md", "kh.txt"):
        sd = read_document(md.encode(), name)
        assert sd.fmt == "markdown"
        assert [texts(t) for t in tables(sd)] == [[["ỦY BAN NHÂN DÂN\nHUYỆN A", "CỘNG HÒA"]],
                                                  [["STT", "Nội dung"], ["1", "Việc một"]]]
    assert sniff(b"<table><tr><td>a</td></tr></table><p>Trang web</p>", "x.txt") == "html"


def test_markdown_footnotes_attached_like_docx():
    md = ("# KẾ HOẠCH\n\nĐã triển khai 07 nhiệm vụ cấp cơ sở[^1] trong năm.\n\n| TT | Chủ trì |\n|---|---|\n"
          "| 1 | Sở Nội vụ[^sua] |\n\n[^1]: Gồm: (1) Nhiệm vụ A;\n    (2) Nhiệm vụ B.\n"
          "[^sua]: Trước ngày 01/3/2025 là **Sở Tư pháp**.\n\nHết\n")
    sd = read_document(md.encode(), "kh.md")
    assert sd.footnotes == {"1": "Gồm: (1) Nhiệm vụ A; (2) Nhiệm vụ B.", "2": "Trước ngày 01/3/2025 là Sở Tư pháp."}
    paras = [b for b in sd.blocks if isinstance(b, Paragraph) and b.text]
    assert [(b.text, b.footnotes) for b in paras] == [
        ("KẾ HOẠCH", ()), ("Đã triển khai 07 nhiệm vụ cấp cơ sở trong năm.", ("Gồm: (1) Nhiệm vụ A; (2) Nhiệm vụ B.",)),
        ("Hết", ())]
    cell = tables(sd)[0].rows[1][1]
    assert (cell.text, cell.footnotes) == ("Sở Nội vụ", ("Trước ngày 01/3/2025 là Sở Tư pháp.",))


def test_plain_text_with_stars_and_dashes_is_not_markdown():
    text = "KẾ HOẠCH\n* Ghi chú: 2*3 = 6\n---\n  Thụt lề giữ nguyên\n"
    sd = read_document(text.encode(), "kh.txt")
    assert sd.fmt == "text"
    assert [b.text for b in sd.blocks] == ["KẾ HOẠCH", "* Ghi chú: 2*3 = 6", "---", "  Thụt lề giữ nguyên"]


def test_tab_separated_rows_and_encodings():
    tsv = "Tiêu đề\nTT\tNhiệm vụ\tHạn\n1\tViệc một\t2025\n2\t\"Việc\nhai\"\tQuý II\n\nKết thúc\n"
    for encoded in (tsv.encode("utf-8"), b"\xef\xbb\xbf" + tsv.encode("utf-8"), tsv.encode("utf-16"),
                    tsv.encode("utf-16-le"), cp1258(tsv)):
        sd = read_document(encoded, "kh.txt")
        assert sd.fmt == "tsv"
        (table,) = tables(sd)
        assert texts(table) == [["TT", "Nhiệm vụ", "Hạn"], ["1", "Việc một", "2025"], ["2", "Việc\nhai", "Quý II"]]
        assert sd.blocks[0].text == "Tiêu đề" and sd.blocks[-1].text == "Kết thúc"


def test_utf8_cut_mid_character_stays_utf8():
    data = "Kế hoạch hành động\nThực hiện Nghị quyết số 57 về phát triển".encode()
    sd = read_document(data[:-1], "cut.txt")  # the last "ể" loses its last byte
    assert sd.blocks[0].text == "Kế hoạch hành động"
    assert sd.blocks[1].text.startswith("Thực hiện Nghị quyết số 57 về phát tri")


def test_pdf_copied_text_stays_lines_with_blanks_and_leading_tabs():
    text = "ỦY BAN NHÂN DÂN\n\nTT\nNhiệm vụ\n\tdòng có tab\n"
    sd = read_document(text.encode(), "x.txt")
    assert sd.fmt == "text" and sd.pages is None
    assert [b.text for b in sd.blocks] == ["ỦY BAN NHÂN DÂN", "", "TT", "Nhiệm vụ", "\tdòng có tab"]
    assert [b.place.line for b in sd.blocks] == [1, 2, 3, 4, 5]
    paged = read_document("Trang một\n\fTrang hai\nvẫn trang hai\f\nTrang ba".encode(), "x.txt")
    assert [(b.text, b.place.page) for b in paged.blocks] == [
        ("Trang một", 1), ("Trang hai", 2), ("vẫn trang hai", 2), ("Trang ba", 3)]
    assert paged.pages == 3


@pytest.mark.shared
def test_seed_002_tab_cell_layout_is_the_report_table(shared_dir):
    path = next((shared_dir / "seeds").glob("002_*.txt"))
    truth = json.loads((shared_dir / "seed-data" / "progress_report_skhcn.json").read_text("utf-8"))
    sd = read_document(path.read_bytes(), path.name)
    assert sd.fmt == "tsv"
    (table,) = tables(sd)
    assert {len(row) for row in table.rows} == {8}
    assert [collapse_ws(c.text) for c in table.rows[0]] == truth["document"]["columns_printed"]
    assert [b.text.strip() for b in sd.blocks if isinstance(b, Paragraph)][:1] == [truth["document"]["title"]]
    fields = ["code_printed", "name", "lead", "required_result", "deadline", "result_to_date",
              "expected_next", "obstacles"]
    groups = {g["code_printed"]: g["name"] for g in truth["task_groups"]}
    body = table.rows[1:]
    got_groups = {collapse_ws(r[0].text): collapse_ws(r[1].text) for r in body if r[0].text in groups}
    assert got_groups == groups
    rows = [r for r in body if r[0].text not in groups]
    assert len(rows) == len(truth["rows"])
    for row, want in zip(rows, truth["rows"]):
        assert [collapse_ws(c.text) or None for c in row] == [want.get(f) for f in fields], want["code"]


@pytest.mark.shared
def test_seeds_copied_from_pdfs_stay_paragraph_lines(shared_dir):
    for key in ("000", "001", "003", "004"):
        path = next((shared_dir / "seeds").glob(f"{key}_*.txt"))
        sd = read_document(path.read_bytes(), path.name)
        assert sd.fmt == "text" and not tables(sd), key
        lines = path.read_text("utf-8").split("\n")
        while not lines[-1].strip():
            lines.pop()
        assert len(sd.blocks) == len(lines)


@pytest.mark.shared
def test_seed_plan_tables_read_the_same_from_docx_and_its_pdf(shared_dir):
    """The district plan (000) as the tests' DOCX and as LibreOffice's PDF of it: the same
    cells (the PDF wraps lines inside cells, so whitespace is compared collapsed), although in
    the PDF the header repeats on every page, agency cells merged over many rows run across
    page breaks and codes like "10.1" are cut by the narrow STT column."""
    from .seed_files import seed_document, soffice_available

    if not soffice_available():
        pytest.skip("LibreOffice (soffice) is not installed")
    dirs = {"seeds_dir": shared_dir / "seeds", "data_dir": shared_dir / "seed-data"}
    docx_name, docx = seed_document("000", "docx", **dirs)
    pdf_name, pdf = seed_document("000", "pdf", **dirs)
    from_docx, from_pdf = read_document(docx, docx_name), read_document(pdf, pdf_name)
    assert from_pdf.pages > 1
    a, b = tables(from_docx), tables(from_pdf)
    assert len(a) == len(b) == 2
    for ta, tb in zip(a, b):
        assert [[collapse_ws(c.text) for c in row] for row in tb.rows] == \
            [[collapse_ws(c.text) for c in row] for row in ta.rows]
        assert [[c.merged for c in row] for row in tb.rows] == [[c.merged for c in row] for row in ta.rows]
    pages = [row[0].place.page for row in b[0].rows]
    assert pages == sorted(pages) and pages[-1] > pages[0]


def test_html_and_single_file_web_page_saved_as_doc():
    html = """<!DOCTYPE html><html><head><title>Cổng</title><style>p {}</style></head><body>
    <div class="menu">Trang chủ</div><p>ỦY BAN NHÂN DÂN<br>TỈNH QUẢNG NGÃI</p><h2>KẾ HOẠCH</h2>
    <table border=1><tr><th rowspan=2>TT</th><th rowspan=2>Chỉ tiêu</th><th colspan=2>Mục tiêu</th></tr>
    <tr><th>2025</th><th>2030</th></tr>
    <tr><td>1</td><td>Tỉ lệ   <b>người</b>
    dân</td><td>&ge; 80</td><td rowspan=2>100</td></tr>
    <tr><td>2</td><td>Số doanh nghiệp</td><td>&gt; 8</td></tr></table>
    <ol><li>Một</li><li>Hai</li></ol><script>var x = "<p>không</p>";</script></body></html>"""
    for data in (html.encode(), html.encode("utf-16")):
        assert sniff(data, "ke-hoach.doc") == "html"
        sd = read_document(data, "ke-hoach.doc")
        assert sd.fmt == "html"
        assert [b.text for b in sd.blocks if isinstance(b, Paragraph)] == [
            "Trang chủ", "ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI", "KẾ HOẠCH", "1. Một", "2. Hai"]
        (table,) = tables(sd)
        assert texts(table) == [["TT", "Chỉ tiêu", "Mục tiêu", "Mục tiêu"], ["TT", "Chỉ tiêu", "2025", "2030"],
                                ["1", "Tỉ lệ người dân", "≥ 80", "100"], ["2", "Số doanh nghiệp", "> 8", "100"]]
        assert [c.merged for c in table.rows[3]] == [False, False, False, True]
    mht = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
           b'Content-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
           b"<html><body><p>K=E1=BA=BF ho=E1=BA=A1ch</p></body></html>\r\n--b--\r\n")
    assert [b.text for b in read_document(mht, "ke-hoach.doc").blocks] == ["Kế hoạch"]


def test_pdf_running_text_keeps_blocks_apart(tmp_path):
    """Without ruling lines there is no table to find: the heading block's two columns and the
    cells of an unruled table come one per line, as in text copied out of a PDF (what the
    parsers rebuild rows from), never run together on one line."""
    doc = Document()
    head = doc.add_table(rows=1, cols=2)  # borderless heading block
    head.cell(0, 0).text = "ỦY BAN NHÂN DÂN"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI"
    doc.add_paragraph("DANH MỤC NHIỆM VỤ")
    grid = doc.add_table(rows=3, cols=3)  # no borders
    for r, values in enumerate([["TT", "Nhiệm vụ", "Thời hạn"], ["1", "Số hóa hồ sơ", "2025"],
                                ["2", "Ban hành quy chế", "Hằng năm"]]):
        for c, v in enumerate(values):
            grid.cell(r, c).text = v
    sd = read_document(soffice_pdf(docx_bytes(doc), tmp_path), "kh.pdf")
    assert not tables(sd)
    assert [b.text for b in sd.blocks] == [
        "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI", "DANH MỤC NHIỆM VỤ",
        "TT", "Nhiệm vụ", "Thời hạn", "1", "Số hóa hồ sơ", "2025", "2", "Ban hành quy chế", "Hằng năm"]


def test_docx_text_box_read_once_after_its_paragraph():
    doc = Document()
    p = doc.add_paragraph("Kính gửi: Ủy ban nhân dân tỉnh")
    content = "<w:txbxContent><w:p><w:r><w:t>DỰ THẢO</w:t></w:r></w:p></w:txbxContent>"
    p._p.append(parse_xml(  # DrawingML with the VML fallback, as Word writes a text box
        f'<w:r {nsdecls("w")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f"<wps:txbx>{content}</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>"
        f"{content}</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>"))
    doc.add_paragraph("Nội dung")
    assert [b.text for b in read_document(docx_bytes(doc), "x.docx").blocks] == [
        "Kính gửi: Ủy ban nhân dân tỉnh", "DỰ THẢO", "Nội dung"]
