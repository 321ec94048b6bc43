"""Builds the third held-out set (binary files written at test time into a temp dir).

Each document: a builder function writing the file, and its expected draft facts in
expected/<name>.json (only fields we are certain of, row shapes of notes/brief9.md)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
TEXTS = HERE / "texts"


def _xlsx_indicators(path: Path) -> None:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.title = "Phu luc"
    ws["A1"] = "PHỤ LỤC I"
    ws["A2"] = "CHỈ TIÊU CHUYỂN ĐỔI SỐ TỈNH ĐẾN NĂM 2025, ĐỊNH HƯỚNG ĐẾN NĂM 2030"
    ws["A3"] = "(Kèm theo Kế hoạch số 88/KH-UBND ngày 12/3/2025 của UBND tỉnh)"
    ws.append([])  # blank spacer row
    ws.append(["STT", "Chỉ tiêu", "Đơn vị tính", 2025, 2030, "Ghi chú nội bộ", "Cơ quan chủ trì"])
    ws.append([None, None, None, None, None, None, None])  # blank spacer row
    rows = [
        (1, "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến", "%", 0.8, 1, "x", "Văn phòng UBND tỉnh"),
        (2, "Tỷ lệ dân số trưởng thành có chữ ký số cá nhân", "%", 0.5, 0.7, "y", "Sở Khoa học và Công nghệ"),
        (3, "Tỷ trọng kinh tế số trong GRDP", "%", 0.1, 0.2, "", "Sở Tài chính"),
        (4, "Số doanh nghiệp công nghệ số", "Doanh nghiệp", 150, 300, "", "Sở Khoa học và Công nghệ"),
    ]
    for r in rows:
        ws.append(list(r))
    ws.append(["", "Tổng cộng", "", None, None, "", ""])
    for row in ws.iter_rows(min_row=7, max_row=9, min_col=4, max_col=5):
        for c in row:
            c.number_format = "0%"
    ws.column_dimensions["F"].hidden = True
    wb.save(path)


def _para_numbering(cell, num_id: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    p = cell.paragraphs[0]
    pPr = p._p.get_or_add_pPr()
    pPr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _add_numbering(doc, restart_ids: list[int]) -> None:
    """A decimal abstract list and one num per id; each num restarts at 1 (startOverride, as
    Word writes it for 'Restart numbering': nums sharing an abstractNum otherwise continue)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
        '<w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'))
    for i in restart_ids:
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{i}"><w:abstractNumId w:val="90"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))


def _header_doc(doc, number: str, kind_title: list[str], place_date: str, issuer=("UỶ BAN NHÂN DÂN", "TỈNH QUẢNG TRỊ")):
    doc.add_paragraph(issuer[0])
    doc.add_paragraph(issuer[1])
    doc.add_paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    doc.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    doc.add_paragraph(f"Số: {number}")
    doc.add_paragraph(place_date)
    for t in kind_title:
        doc.add_paragraph(t)


def _bold_merged(table, text: str) -> None:
    row = table.add_row()
    c = row.cells[0].merge(row.cells[-1])
    c.text = ""
    run = c.paragraphs[0].add_run(text)
    run.bold = True


def _add_footnote(doc, paragraph, text: str) -> None:
    """A real Word footnote (footnotes.xml part + w:footnoteReference run) after paragraph."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
           '<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
           '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
           f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote></w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(parse_xml(
        f'<w:r xmlns:w="{W}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'))


def _docx_numbering(path: Path) -> None:
    from docx import Document
    doc = Document()
    _header_doc(doc, "102/KH-UBND", ["KẾ HOẠCH", "Triển khai Chương trình cải cách hành chính năm 2025"],
                "Quảng Trị, ngày 20 tháng 01 năm 2025")
    doc.add_paragraph("Phụ lục: Danh mục nhiệm vụ")
    _add_numbering(doc, [91, 92])
    t = doc.add_table(rows=1, cols=6)
    t.style = "Table Grid"
    for c, h in zip(t.rows[0].cells, ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Ghi chú"]):
        c.text = h
    _bold_merged(t, "I. CẢI CÁCH THỂ CHẾ")
    data = [
        (91, "Rà soát, đánh giá thủ tục hành chính thuộc thẩm quyền giải quyết của tỉnh", "Sở Tư pháp", "Các sở, ban, ngành", "Quý II/2025", ""),
        (91, "Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị", "Sở Nội vụ", "Văn phòng UBND tỉnh", "Tháng 9/2025", "Theo kế hoạch kiểm tra"),
    ]
    rows2 = [
        (92, "Cập nhật, công khai thủ tục hành chính trên Cổng dịch vụ công", "Văn phòng UBND tỉnh", "Sở Khoa học và Công nghệ", "Thường xuyên", ""),
        (92, "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Trung tâm Phục vụ hành chính công tỉnh", "Các sở, ban, ngành; UBND các xã, phường", "Năm 2025", "Chỉ tiêu 100%"),
        (92, "Tổ chức đối thoại giữa lãnh đạo tỉnh với người dân và doanh nghiệp", "Sở Nội vụ", "Sở Tài chính", "Tháng 11/2025", ""),
    ]

    def add(rows):
        for num, name, lead, coord, dl, note in rows:
            r = t.add_row().cells
            _para_numbering(r[0], num)
            r[1].text, r[2].text, r[3].text, r[4].text, r[5].text = name, lead, coord, dl, note
    add(data)
    _bold_merged(t, "II. HIỆN ĐẠI HÓA NỀN HÀNH CHÍNH")
    add(rows2)
    # footnote on the agency name of task I.2 ("Sở Nội vụ")
    _add_footnote(doc, t.rows[3].cells[2].paragraphs[0],
                  "Sở Nội vụ sau khi hợp nhất Sở Lao động - Thương binh và Xã hội theo Nghị quyết của HĐND tỉnh.")
    doc.add_paragraph("Nơi nhận:")
    doc.save(path)


def _docx_amendment(path: Path) -> None:
    from docx import Document
    doc = Document()
    _header_doc(doc, "1245/QĐ-UBND", ["QUYẾT ĐỊNH", "Về việc điều chỉnh, bổ sung Kế hoạch số 45/KH-UBND ngày 15/02/2025 của UBND tỉnh về thực hiện Đề án 06 năm 2025"],
                "Quảng Trị, ngày 10 tháng 6 năm 2025")
    doc.add_paragraph("ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ")
    doc.add_paragraph("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;")
    doc.add_paragraph("Căn cứ Kế hoạch số 45/KH-UBND ngày 15/02/2025 của UBND tỉnh về thực hiện Đề án 06 năm 2025;")
    doc.add_paragraph("Theo đề nghị của Giám đốc Công an tỉnh tại Tờ trình số 210/TTr-CAT ngày 02/6/2025.")
    doc.add_paragraph("QUYẾT ĐỊNH:")
    doc.add_paragraph("Điều 1. Điều chỉnh, bổ sung một số nhiệm vụ tại Phụ lục kèm theo Kế hoạch số 45/KH-UBND ngày 15/02/2025 của UBND tỉnh như sau:")
    t = doc.add_table(rows=1, cols=4)
    t.style = "Table Grid"
    for c, h in zip(t.rows[0].cells, ["TT", "Nội dung điều chỉnh", "Đã ban hành", "Điều chỉnh thành"]):
        c.text = h
    for r in [("1", "Thời gian hoàn thành nhiệm vụ số 5", "Tháng 6/2025", "Tháng 9/2025"),
              ("2", "Cơ quan chủ trì nhiệm vụ số 8", "Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ")]:
        cells = t.add_row().cells
        for c, v in zip(cells, r):
            c.text = v
    doc.add_paragraph("Điều 2. Các nội dung khác tại Kế hoạch số 45/KH-UBND giữ nguyên.")
    doc.add_paragraph("Điều 3. Quyết định này có hiệu lực kể từ ngày ký.")
    doc.add_paragraph("KT. CHỦ TỊCH")
    doc.add_paragraph("PHÓ CHỦ TỊCH")
    doc.add_paragraph("Hoàng Nam")
    doc.save(path)


def _docx_mixed(path: Path) -> None:
    from docx import Document
    doc = Document()
    _header_doc(doc, "56/KH-UBND", ["KẾ HOẠCH", "Phát triển du lịch tỉnh giai đoạn 2025 - 2030"],
                "Quảng Trị, ngày 05 tháng 3 năm 2025")
    doc.add_paragraph("PHỤ LỤC")
    doc.add_paragraph("CHỈ TIÊU VÀ NHIỆM VỤ PHÁT TRIỂN DU LỊCH")
    t = doc.add_table(rows=1, cols=6)
    t.style = "Table Grid"
    for c, h in zip(t.rows[0].cells, ["TT", "Nội dung", "Đơn vị tính / Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian / Chỉ tiêu 2030"]):
        c.text = h
    _bold_merged(t, "A. CHỈ TIÊU")
    for r in [("1", "Tổng lượt khách du lịch", "Triệu lượt", "Sở Văn hóa, Thể thao và Du lịch", "", "5"),
              ("2", "Tổng thu từ khách du lịch", "Tỷ đồng", "Sở Văn hóa, Thể thao và Du lịch", "Cục Thống kê tỉnh", "12.000")]:
        cells = t.add_row().cells
        for c, v in zip(cells, r):
            c.text = v
    _bold_merged(t, "B. NHIỆM VỤ")
    for r in [("1", "Xây dựng bộ nhận diện thương hiệu du lịch tỉnh", "Bộ nhận diện", "Sở Văn hóa, Thể thao và Du lịch", "Các sở, ngành liên quan", "Năm 2026"),
              ("2", "Đầu tư hạ tầng giao thông kết nối các khu du lịch trọng điểm", "Công trình", "Sở Xây dựng", "Sở Tài chính", "2025-2030"),
              ("3", "Đào tạo nguồn nhân lực du lịch", "Khóa đào tạo", "Sở Văn hóa, Thể thao và Du lịch", "Sở Giáo dục và Đào tạo", "Hằng năm")]:
        cells = t.add_row().cells
        for c, v in zip(cells, r):
            c.text = v
    doc.save(path)


def _docx_group_lead(path: Path) -> None:
    from docx import Document
    doc = Document()
    _header_doc(doc, "77/KH-UBND", ["KẾ HOẠCH", "Thực hiện nhiệm vụ sắp xếp tổ chức bộ máy năm 2025"],
                "Quảng Trị, ngày 14 tháng 4 năm 2025")
    t = doc.add_table(rows=1, cols=4)
    t.style = "Table Grid"
    for c, h in zip(t.rows[0].cells, ["TT", "Nhiệm vụ", "Cơ quan phối hợp", "Thời hạn"]):
        c.text = h
    _bold_merged(t, "I. Nhóm nhiệm vụ về tổ chức bộ máy (Sở Nội vụ chủ trì)")
    for r in [("1", "Xây dựng đề án sắp xếp các cơ quan chuyên môn thuộc UBND tỉnh", "Các sở, ban, ngành", "Tháng 5/2025"),
              ("2", "Hướng dẫn bố trí cán bộ, công chức sau sắp xếp", "UBND các xã, phường", "Tháng 6/2025")]:
        cells = t.add_row().cells
        for c, v in zip(cells, r):
            c.text = v
    _bold_merged(t, "II. Nhóm nhiệm vụ về tài chính, tài sản (Sở Tài chính chủ trì)")
    for r in [("1", "Kiểm kê, bàn giao tài sản, trụ sở làm việc dôi dư", "Các sở, ban, ngành; UBND các xã, phường", "Quý III/2025"),
              ("2", "Bố trí kinh phí thực hiện chính sách đối với người nghỉ việc", "Sở Nội vụ", "Năm 2025")]:
        cells = t.add_row().cells
        for c, v in zip(cells, r):
            c.text = v
    doc.save(path)


def _xlsx_report(path: Path) -> None:
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "BÁO CÁO TỔNG HỢP"
    ws["A2"] = "Kết quả thực hiện Kế hoạch số 102/KH-UBND của các đơn vị (tính đến ngày 30/6/2025)"
    ws.append([])
    ws.append(["STT", "Đơn vị", "Nhiệm vụ", "Kết quả thực hiện", "Tình trạng"])
    for r in [(1, "Sở Tư pháp", "Rà soát, đánh giá thủ tục hành chính thuộc thẩm quyền giải quyết của tỉnh", "Đã rà soát 120 thủ tục", "Đã hoàn thành"),
              (2, "Sở Nội vụ", "Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị", "Đã ban hành kế hoạch kiểm tra", "Đang thực hiện"),
              (3, "Văn phòng UBND tỉnh", "Cập nhật, công khai thủ tục hành chính trên Cổng dịch vụ công", "Cập nhật đầy đủ, kịp thời", "Đang thực hiện"),
              (4, "Sở Nội vụ", "Tổ chức đối thoại giữa lãnh đạo tỉnh với người dân và doanh nghiệp", "", "Chưa thực hiện")]:
        ws.append(list(r))
    wb.save(path)


def _docx_textbox_split(path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml import parse_xml
    doc = Document()
    doc.add_paragraph("ỦY BAN NHÂN DÂN")
    doc.add_paragraph("TỈNH QUẢNG TRỊ")
    doc.add_paragraph("Số: 131/KH-UBND")
    doc.add_paragraph("Quảng Trị, ngày 02 tháng 7 năm 2025")
    p = doc.add_paragraph()
    p._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:400pt;height:40pt">'
        '<v:textbox><w:txbxContent><w:p><w:r><w:t>KẾ HOẠCH</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>Phòng, chống thiên tai và tìm kiếm cứu nạn năm 2025</w:t></w:r></w:p>'
        '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
    header = ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"]
    rows = [("1", "Rà soát, cập nhật phương án ứng phó thiên tai theo cấp độ rủi ro", "Sở Nông nghiệp và Môi trường", "UBND các xã, phường", "Tháng 7/2025"),
            ("2", "Kiểm tra an toàn hồ đập trước mùa mưa bão", "Sở Nông nghiệp và Môi trường", "Sở Công Thương", "Tháng 8/2025"),
            ("3", "Diễn tập phòng thủ dân sự cấp tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Công an tỉnh", "Quý III/2025"),
            ("4", "Dự trữ vật tư, phương tiện cứu hộ, cứu nạn", "Sở Tài chính", "Bộ Chỉ huy Quân sự tỉnh", "Tháng 9/2025"),
            ("5", "Tuyên truyền kỹ năng phòng, chống thiên tai cho người dân", "Sở Văn hóa, Thể thao và Du lịch", "Báo và Phát thanh, Truyền hình tỉnh", "Thường xuyên")]
    t1 = doc.add_table(rows=1, cols=5)
    t1.style = "Table Grid"
    for c, h in zip(t1.rows[0].cells, header):
        c.text = h
    for r in rows[:3]:
        for c, v in zip(t1.add_row().cells, r):
            c.text = v
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    t2 = doc.add_table(rows=0, cols=5)
    t2.style = "Table Grid"
    for r in rows[3:]:
        for c, v in zip(t2.add_row().cells, r):
            c.text = v
    doc.save(path)


def soffice_pdf(src: Path, outdir: Path, timeout: float = 90) -> Path:
    """Convert with LibreOffice using its own profile; kill the process group on timeout."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise RuntimeError("LibreOffice not found")
    with tempfile.TemporaryDirectory() as prof:
        proc = subprocess.Popen(
            [exe, f"-env:UserInstallation=file://{prof}", "--headless", "--convert-to", "pdf",
             "--outdir", str(outdir), str(src)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
    out = outdir / (src.stem + ".pdf")
    if not out.exists():
        raise RuntimeError(f"conversion failed: {src.name}")
    return out


def _pdf_prose(path: Path) -> None:
    from docx import Document
    doc = Document()
    for line in (TEXTS / "04_prose_plan.txt").read_text(encoding="utf-8").splitlines():
        doc.add_paragraph(line)
    src = path.with_suffix(".docx")
    doc.save(src)
    soffice_pdf(src, path.parent)
    src.unlink()


BUILDERS = {
    "01_indicators_percent.xlsx": _xlsx_indicators,
    "02_tasks_autonumber.docx": _docx_numbering,
    "03_amendment_decision.docx": _docx_amendment,
    "04_prose_plan.pdf": _pdf_prose,
    "05_mixed_appendix.docx": _docx_mixed,
    "06_group_lead.docx": _docx_group_lead,
    "07_consolidated_report.xlsx": _xlsx_report,
    "09_textbox_split_table.docx": _docx_textbox_split,
}
TEXT_FILES = ["08_ocr_indicators.txt", "10_ward_plan.txt"]


def build_all(outdir: Path) -> dict[str, Path]:
    """Write every document of the set into outdir; returns name -> path."""
    outdir.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, fn in BUILDERS.items():
        p = outdir / name
        fn(p)
        out[name] = p
    for name in TEXT_FILES:
        p = outdir / name
        shutil.copy(TEXTS / name, p)
        out[name] = p
    return out


if __name__ == "__main__":
    import sys
    print(build_all(Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp())))
