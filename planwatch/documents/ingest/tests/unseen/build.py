"""Held-out documents for the importer: kinds of plans and reports the parsers were not built
on (other provinces, ministries, party bodies, other layouts and file formats).

Each document is written here ONCE as its truth (the rows a person would type from it) plus the
way it is printed (cell text as it appears, agencies run together, continuation rows, header
rows repeated, noise around the opening). `build(outdir)` writes the files a user would bring
(DOCX/XLSX with python-docx/openpyxl, PDF through LibreOffice when present, text files) and
`expected()` returns the truth in the draft row shapes of notes/brief9.md.

    uv run python -m planwatch.documents.ingest.tests.unseen.build OUTDIR   # files + expected/*.json

The truth was written before the importer was run on these files; do not edit it to match
the importer's output.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------------------------
# Truth helpers


def task(code, group, name, lead, coord, result, deadline, *, lead_cell=None, coord_cell=None,
         name_cell=None, flag_deadline=False, cont=None, code_printed=None):
    """One task row. *_cell: the cell text as printed when it differs from the joined truth.
    cont: a continuation row printed below (empty TT) as a dict of column → printed text; the
    truth already holds the joined text."""
    return {
        "code": code, "group": group, "name": name, "lead": list(lead), "coordinating": list(coord),
        "result": result, "deadline": deadline,
        "_print": {"name": name_cell or name, "lead": lead_cell if lead_cell is not None else ", ".join(lead),
                   "coordinating": coord_cell if coord_cell is not None else ", ".join(coord),
                   "result": result or "", "deadline": deadline or "", "code": code_printed or code},
        "_cont": cont, "_flag_deadline": flag_deadline,
    }


def strip_private(obj):
    if isinstance(obj, dict):
        return {k: strip_private(v) for k, v in obj.items() if not k.startswith("_")}
    if isinstance(obj, list):
        return [strip_private(v) for v in obj]
    return obj


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


# ============================================================================================
# 01  Ministry plan, DOCX: columns in another order, groups I–VII, every deadline form,
#     agency separators, names with commas, footnote markers, a continuation row.

D01_GROUPS = [
    ("I", "HOÀN THIỆN THỂ CHẾ, CƠ CHẾ, CHÍNH SÁCH"),
    ("II", "PHÁT TRIỂN HẠ TẦNG SỐ VÀ CƠ SỞ DỮ LIỆU NGÀNH"),
    ("III", "PHÁT TRIỂN NGUỒN NHÂN LỰC"),
    ("IV", "ỨNG DỤNG KHOA HỌC, CÔNG NGHỆ TRONG SẢN XUẤT NÔNG NGHIỆP"),
    ("V", "CHUYỂN ĐỔI SỐ TRONG QUẢN LÝ TÀI NGUYÊN VÀ MÔI TRƯỜNG"),
    ("VI", "HỢP TÁC QUỐC TẾ"),
    ("VII", "TỔ CHỨC THỰC HIỆN, KIỂM TRA, GIÁM SÁT"),
]

D01_TASKS = [
    task("1", "I", "Rà soát, đề xuất sửa đổi, bổ sung các văn bản quy phạm pháp luật về khoa học, công nghệ, đổi mới sáng tạo trong lĩnh vực nông nghiệp và môi trường",
         ["Vụ Pháp chế"], ["Vụ Khoa học và Công nghệ", "Văn phòng Bộ"], "Báo cáo rà soát; dự thảo văn bản", "2026"),
    task("2", "I", "Xây dựng Thông tư quy định quản lý nhiệm vụ khoa học và công nghệ cấp Bộ",
         ["Vụ Khoa học và Công nghệ"], ["Vụ Pháp chế", "Vụ Kế hoạch - Tài chính"], "Thông tư", "Quý IV/2025",
         name_cell="Xây dựng Thông tư quy định quản lý nhiệm vụ khoa học và công nghệ cấp Bộ(1)",
         coord_cell="Vụ Pháp chế; Vụ Kế hoạch - Tài chính"),
    task("3", "I", "Ban hành cơ chế thí điểm thuê dịch vụ công nghệ thông tin trong các đơn vị sự nghiệp thuộc Bộ",
         ["Vụ Kế hoạch - Tài chính"], ["Cục Chuyển đổi số"], "Quyết định của Bộ trưởng", "Năm 2026"),
    task("4", "II", "Xây dựng cơ sở dữ liệu đất đai quốc gia, kết nối, chia sẻ với cơ sở dữ liệu quốc gia về dân cư và các cơ sở dữ liệu chuyên ngành",
         ["Cục Quản lý đất đai"], ["Cục Chuyển đổi số", "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"],
         "Cơ sở dữ liệu đất đai được vận hành, kết nối", "2026-2030",
         name_cell="Xây dựng cơ sở dữ liệu đất đai quốc gia, kết nối, chia sẻ với",
         cont={"name": "cơ sở dữ liệu quốc gia về dân cư và các cơ sở dữ liệu chuyên ngành"}),
    task("5", "II", "Nâng cấp Trung tâm dữ liệu của Bộ bảo đảm an toàn thông tin cấp độ 4",
         ["Cục Chuyển đổi số"], ["Vụ Kế hoạch - Tài chính", "Văn phòng Bộ"], "Trung tâm dữ liệu được nâng cấp", "Tháng 12/2025",
         coord_cell="Vụ Kế hoạch - Tài chính\nVăn phòng Bộ"),
    task("6", "II", "Triển khai hệ thống quan trắc tài nguyên nước tự động, trực tuyến tại các lưu vực sông lớn",
         ["Cục Quản lý tài nguyên nước"], ["Cục Biến đổi khí hậu", "Cục Khí tượng Thủy văn"], "Hệ thống quan trắc", "Theo tiến độ dự án",
         coord_cell="Cục Biến đổi khí hậu Cục Khí tượng Thủy văn", flag_deadline=True),
    task("7", "III", "Đào tạo, bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức của Bộ",
         ["Vụ Tổ chức cán bộ"], ["Trường Cán bộ quản lý nông nghiệp và phát triển nông thôn", "Cục Chuyển đổi số"],
         "Các lớp bồi dưỡng được tổ chức", "Hằng năm",
         coord_cell="Trường Cán bộ quản lý nông nghiệp và phát triển nông thôn; Cục Chuyển đổi số"),
    task("8", "III", "Thu hút chuyên gia, nhà khoa học là người Việt Nam ở nước ngoài tham gia các nhiệm vụ khoa học và công nghệ của Bộ",
         ["Vụ Tổ chức cán bộ"], ["Vụ Khoa học và Công nghệ", "Vụ Hợp tác quốc tế"], "", "2025 và các năm tiếp theo"),
    task("9", "IV", "Ứng dụng công nghệ sinh học trong chọn tạo, nhân giống cây trồng, vật nuôi có năng suất, chất lượng cao",
         ["Viện Khoa học Nông nghiệp Việt Nam"], ["Cục Trồng trọt và Bảo vệ thực vật", "Cục Chăn nuôi và Thú y"],
         "Giống mới được công nhận", "Giai đoạn 2026 - 2030"),
    task("10", "IV", "Xây dựng mô hình nông nghiệp thông minh, nông nghiệp tuần hoàn tại các vùng sản xuất tập trung",
         ["Cục Kinh tế hợp tác và Phát triển nông thôn"], ["Sở Nông nghiệp và Môi trường các tỉnh, thành phố"],
         "Mô hình được nhân rộng", "tháng 6 năm 2026"),
    task("11", "IV", "Phát triển hệ thống truy xuất nguồn gốc nông sản trên nền tảng số",
         ["Cục Chất lượng, Chế biến và Phát triển thị trường"], ["Bộ Công Thương", "Bộ Khoa học và Công nghệ"],
         "Hệ thống truy xuất nguồn gốc", "Quý 2 năm 2026",
         coord_cell="Bộ Công Thương, Bộ Khoa học và Công nghệ"),
    task("12", "V", "Số hóa hồ sơ, tài liệu lưu trữ về địa chất và khoáng sản",
         ["Cục Địa chất và Khoáng sản Việt Nam"], ["Văn phòng Bộ"], "Hồ sơ số hóa", "9/2025"),
    task("13", "V", "Xây dựng bản đồ số về ô nhiễm môi trường không khí các đô thị loại đặc biệt",
         ["Cục Kiểm soát ô nhiễm môi trường"], [], "Bản đồ số", "09/2025"),
    task("14", "V", "Cung cấp dịch vụ công trực tuyến toàn trình đối với các thủ tục hành chính đủ điều kiện",
         ["Văn phòng Bộ"], ["Cục Chuyển đổi số", "Các đơn vị thuộc Bộ"], "Dịch vụ công trực tuyến toàn trình", "Thường xuyên"),
    task("15", "VI", "Mở rộng hợp tác quốc tế về khoa học, công nghệ trong nông nghiệp với các đối tác chiến lược",
         ["Vụ Hợp tác quốc tế"], ["Bộ Ngoại giao", "Bộ Văn hóa, Thể thao và Du lịch"], "Thỏa thuận hợp tác được ký kết", "",
         coord_cell="Bộ Ngoại giao, Bộ Văn hóa, Thể thao và Du lịch"),
    task("16", "VII", "Kiểm tra, đánh giá tình hình thực hiện Kế hoạch, báo cáo Bộ trưởng",
         ["Vụ Khoa học và Công nghệ"], ["Các bộ, ngành, địa phương"], "Báo cáo", "Tháng 11 hằng năm"),
]

D01_META = {
    "number": "5127/KH-BNNMT", "date": "2025-08-18", "issuer": "Bộ Nông nghiệp và Môi trường",
    "kind": "Kế hoạch", "implements": ["71/NQ-CP"], "basis": ["35/2025/NĐ-CP"], "replaces": ["2468/KH-BNN-KHCN"],
}


def build_d01(path: Path):
    import docx
    from docx.shared import Pt

    d = docx.Document()
    hdr = d.add_table(rows=2, cols=2)  # the layout table of every Vietnamese state document
    hdr.cell(0, 0).text = "BỘ NÔNG NGHIỆP\nVÀ MÔI TRƯỜNG"
    hdr.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    hdr.cell(1, 0).text = "Số: 5127/KH-BNNMT"
    hdr.cell(1, 1).text = "Hà Nội, ngày 18 tháng 8 năm 2025"
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Triển khai thực hiện Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ "
                    "trong lĩnh vực nông nghiệp và môi trường")
    d.add_paragraph("Căn cứ Nghị định số 35/2025/NĐ-CP ngày 25/02/2025 của Chính phủ quy định chức năng, "
                    "nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Nông nghiệp và Môi trường;")
    d.add_paragraph("Thực hiện Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ sửa đổi, bổ sung, cập nhật "
                    "Chương trình hành động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của "
                    "Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia;")
    d.add_paragraph("Bộ Nông nghiệp và Môi trường ban hành Kế hoạch triển khai thực hiện như sau:")
    d.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    d.add_paragraph("1. Cụ thể hóa các nhiệm vụ được Chính phủ giao, xác định rõ cơ quan chủ trì, sản phẩm và thời gian hoàn thành.")
    d.add_paragraph("II. NHIỆM VỤ CHỦ YẾU")
    d.add_paragraph("(Chi tiết tại Phụ lục kèm theo)")
    d.add_paragraph("III. TỔ CHỨC THỰC HIỆN")
    d.add_paragraph("Kế hoạch này thay thế Kế hoạch số 2468/KH-BNN-KHCN ngày 12/6/2023 của Bộ Nông nghiệp và Phát triển nông thôn.")
    d.add_paragraph("Nơi nhận:\n- Như trên;\n- Lưu: VT, KHCN.")
    d.add_paragraph("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\nPhùng Đức Tiến")
    d.add_page_break()
    d.add_paragraph("PHỤ LỤC")
    d.add_paragraph("DANH MỤC NHIỆM VỤ TRIỂN KHAI THỰC HIỆN NGHỊ QUYẾT SỐ 71/NQ-CP")
    d.add_paragraph("(Kèm theo Kế hoạch số 5127/KH-BNNMT ngày 18/8/2025 của Bộ Nông nghiệp và Môi trường)")
    cols = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời gian hoàn thành"]
    t = d.add_table(rows=1, cols=6)
    t.style = "Table Grid"
    for i, c in enumerate(cols):
        t.rows[0].cells[i].text = c
    by_group = {}
    for r in D01_TASKS:
        by_group.setdefault(r["group"], []).append(r)
    for g, gname in D01_GROUPS:
        row = t.add_row().cells
        row[0].text = g
        m = row[1].merge(row[5])
        m.text = gname
        for r in by_group.get(g, []):
            p = r["_print"]
            cells = t.add_row().cells
            cells[0].text = p["code"]
            name = p["name"]
            if name.endswith("(1)"):
                par = cells[1].paragraphs[0]
                par.add_run(name[:-3])
                sup = par.add_run("(1)")
                sup.font.superscript = True
            else:
                cells[1].text = name
            cells[2].text = p["lead"]
            cells[3].text = p["coordinating"]
            cells[4].text = p["result"]
            cells[5].text = p["deadline"]
            if r["_cont"]:
                c2 = t.add_row().cells
                for k, v in r["_cont"].items():
                    c2[{"name": 1, "result": 4}[k]].text = v
    d.add_paragraph("(1) Nhiệm vụ chuyển tiếp từ Kế hoạch số 2468/KH-BNN-KHCN.")
    for p in d.paragraphs:
        for run in p.runs:
            run.font.size = Pt(12)
    d.save(path)


# ============================================================================================
# 02  Province indicator table, XLSX: one target column under section rows "Đến năm 2030" /
#     "Tầm nhìn đến năm 2045", sub-indicators 11.1/11.2, merged agency cells.

def ind(code, parent, name, unit, targets, agency, *, inferred=False, group=False, code_printed=None):
    return {"code": code, "parent": parent, "name": name, "unit": unit, "targets": targets,
            "agency": agency, "agency_inferred": inferred, "is_group": group,
            "_code_printed": code_printed or code}


D02_ROWS = [
    # section "Đến năm 2030"
    ind("1", None, "Tỷ trọng kinh tế số trong GRDP của tỉnh", "%", {"2030": "≥ 25"}, "Sở Tài chính"),
    ind("2", None, "Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo", "%", {"2030": "≥ 40"}, "Sở Tài chính", inferred=True),
    ind("3", None, "Số doanh nghiệp khoa học và công nghệ", "Doanh nghiệp", {"2030": "≥ 05"}, "Sở Khoa học và Công nghệ"),
    ind("4", None, "Tỷ lệ dân số trưởng thành có tài khoản số", "%", {"2030": "≥ 80% và ≤ 90%"}, "Công an tỉnh"),
    ind("5", None, "Tỷ lệ xã có điểm truy cập Internet công cộng", "%", {"2030": "≥ 70% số xã"}, "Sở Khoa học và Công nghệ"),
    ind("6", None, "Xây dựng Trung tâm điều hành thông minh (IOC) cấp tỉnh", None, {"2030": "Hoàn thành"}, "Sở Khoa học và Công nghệ", inferred=True),
    ind("7", None, "Chỉ số chuyển đổi số cấp tỉnh (DTI)", "Thứ hạng", {"2030": "Nhóm 20 tỉnh dẫn đầu cả nước"}, "Sở Khoa học và Công nghệ", inferred=True),
    ind("8", None, "Chi cho nghiên cứu khoa học và phát triển công nghệ", "% GRDP", {"2030": "≥ 1,0"}, "Sở Tài chính"),
    # section "Tầm nhìn đến năm 2045"
    ind("9", None, "Tỷ trọng kinh tế số trong GRDP của tỉnh", "%", {"2045": "≥ 50"}, "Sở Tài chính"),
    ind("10", None, "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến", "%", {"2045": "100"}, "Văn phòng Ủy ban nhân dân tỉnh"),
    ind("11", None, "Hạ tầng số", None, {}, None, group=True),
    ind("11.1", "11", "Tỷ lệ phủ sóng mạng di động 5G", "%", {"2045": "100"}, "Sở Khoa học và Công nghệ"),
    ind("11.2", "11", "Tốc độ truy cập Internet băng rộng cố định bình quân", "Mbps", {"2045": "> 1.000"}, "Sở Khoa học và Công nghệ", inferred=True),
    ind("12", None, "Năng suất lao động xã hội tăng bình quân", "%/năm", {"2045": "7,5 - 8"}, "Sở Tài chính"),
]


def build_d02(path: Path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phụ lục I"
    ws.append(["PHỤ LỤC I"])
    ws.append(["CÁC CHỈ TIÊU PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO VÀ CHUYỂN ĐỔI SỐ TỈNH ĐỒNG THÁP"])
    ws.append(["(Kèm theo Kế hoạch số 215/KH-UBND ngày 03/10/2025 của Ủy ban nhân dân tỉnh Đồng Tháp)"])
    ws.append([])
    ws.append(["STT", "Chỉ tiêu", "Đơn vị tính", "Chỉ tiêu phấn đấu", "Cơ quan chủ trì theo dõi"])
    sections = {"1": "A. ĐẾN NĂM 2030", "9": "B. TẦM NHÌN ĐẾN NĂM 2045"}
    # agency merges: rows with inferred agencies are merged into the printed one above
    start_row = {}
    for r in D02_ROWS:
        if r["code"] in sections:
            ws.append([sections[r["code"]]])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=5)
        target = next(iter(r["targets"].values()), None)
        ws.append([r["_code_printed"], r["name"], r["unit"], target, None if r["agency_inferred"] else r["agency"]])
        rr = ws.max_row
        if r["agency"] and not r["agency_inferred"]:
            start_row["last"] = rr
        elif r["agency_inferred"]:
            s = start_row["last"]
            for rng in list(ws.merged_cells.ranges):
                if rng.min_col == 5 and rng.min_row == s:
                    ws.unmerge_cells(str(rng))
            ws.merge_cells(start_row=s, start_column=5, end_row=rr, end_column=5)
    wb.save(path)


# ============================================================================================
# 03  Indicator table with annual milestones 2026…2030, DOCX, two-row merged header, the
#     header repeated on page 2 (table split over the page break).

Y = ["2026", "2027", "2028", "2029", "2030"]


def yt(*vals):
    return dict(zip(Y, vals))


D03_ROWS = [
    ind("1", None, "Chính quyền số", None, {}, None, group=True),
    ind("1.1", "1", "Tỷ lệ dịch vụ công trực tuyến toàn trình", "%", yt("80", "85", "90", "95", "100"), "Văn phòng UBND tỉnh"),
    ind("1.2", "1", "Tỷ lệ hồ sơ công việc cấp tỉnh được xử lý trên môi trường mạng", "%", yt("95", "98", "100", "100", "100"), "Văn phòng UBND tỉnh", inferred=True),
    ind("1.3", "1", "Tỷ lệ cơ sở dữ liệu chuyên ngành được kết nối với Nền tảng chia sẻ, tích hợp dữ liệu của tỉnh", "%", yt("≥ 60", "≥ 70", "≥ 80", "≥ 90", "100"), "Sở Khoa học và Công nghệ"),
    ind("2", None, "Kinh tế số", None, {}, None, group=True),
    ind("2.1", "2", "Tỷ trọng kinh tế số trong GRDP", "%", yt("≥ 12", "≥ 14", "≥ 16", "≥ 18", "≥ 20"), "Sở Tài chính"),
    ind("2.2", "2", "Số doanh nghiệp công nghệ số", "Doanh nghiệp", yt("150", "180", "210", "250", "300"), "Sở Khoa học và Công nghệ"),
    ind("2.3", "2", "Tỷ lệ giao dịch thanh toán không dùng tiền mặt", "%", yt("50", "55", "60", "65", "≥ 70"), "Ngân hàng Nhà nước Chi nhánh Khu vực 10"),
    ind("3", None, "Xã hội số", None, {}, None, group=True),
    ind("3.1", "3", "Tỷ lệ người dân trưởng thành có điện thoại thông minh", "%", yt("85", "88", "90", "93", "95"), "Sở Khoa học và Công nghệ"),
    ind("3.2", "3", "Tỷ lệ hộ gia đình có kết nối Internet cáp quang", "%", yt("85", "90", "-", "-", "100"), "Sở Khoa học và Công nghệ", inferred=True),
    ind("3.3", "3", "Số người được tập huấn kỹ năng số cơ bản", "Lượt người", yt("20.000", "25.000", "30.000", "35.000", "40.000"), "Tỉnh Đoàn"),
]


def build_d03(path: Path):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    d = docx.Document()
    d.add_paragraph("ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN")
    d.add_paragraph("Phụ lục")
    d.add_paragraph("LỘ TRÌNH THỰC HIỆN CÁC CHỈ TIÊU CHUYỂN ĐỔI SỐ GIAI ĐOẠN 2026 - 2030")
    d.add_paragraph("(Kèm theo Kế hoạch số 98/KH-UBND ngày 20/11/2025 của UBND tỉnh Thái Nguyên)")

    def header(t):
        r1 = t.rows[0].cells
        r2 = t.rows[1].cells
        for i, txt in ((0, "STT"), (1, "Chỉ tiêu"), (2, "Đơn vị tính"), (8, "Cơ quan chủ trì")):
            m = r1[i].merge(r2[i])
            m.text = txt
        m = r1[3].merge(r1[7])
        m.text = "Lộ trình thực hiện"
        for k, y in enumerate(Y):
            r2[3 + k].text = y
        for row in t.rows[:2]:
            trPr = row._tr.get_or_add_trPr()
            el = OxmlElement("w:tblHeader")
            el.set(qn("w:val"), "true")
            trPr.append(el)

    split = 6  # rows before the page break
    parts = [D03_ROWS[:split], D03_ROWS[split:]]
    for pi, rows in enumerate(parts):
        t = d.add_table(rows=2, cols=9)
        t.style = "Table Grid"
        header(t)
        merge_from = None
        for r in rows:
            c = t.add_row().cells
            c[0].text = r["code"]
            c[1].text = r["name"]
            c[2].text = r["unit"] or ""
            for k, y in enumerate(Y):
                c[3 + k].text = r["targets"].get(y) or ""
            if r["agency"] and not r["agency_inferred"]:
                c[8].text = r["agency"]
                merge_from = c[8]
            elif r["agency_inferred"] and merge_from is not None:
                merge_from = merge_from.merge(c[8])
            else:
                merge_from = None
        if pi == 0:
            d.add_page_break()
    d.save(path)


# ============================================================================================
# 04  Party committee prose plan (plain text): targets in sentences under "Đến năm 2030" and
#     "Tầm nhìn đến năm 2045"; duties under each responsible body.

D04_TEXT = """ĐẢNG BỘ TỈNH NGHỆ AN
TỈNH ỦY
*
Số 45-CTr/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Nghệ An, ngày 14 tháng 3 năm 2025

CHƯƠNG TRÌNH HÀNH ĐỘNG
thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia
-----

Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia (sau đây gọi tắt là Nghị quyết số 57-NQ/TW), Ban Thường vụ Tỉnh ủy xây dựng Chương trình hành động thực hiện như sau:

I. MỤC TIÊU
1. Mục tiêu chung
Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là đột phá quan trọng hàng đầu, là động lực chính để phát triển nhanh lực lượng sản xuất hiện đại của tỉnh.
2. Mục tiêu cụ thể
2.1. Đến năm 2030
- Tỉnh Nghệ An thuộc nhóm 15 tỉnh, thành phố dẫn đầu cả nước về chỉ số chuyển đổi số (DTI).
- Kinh tế số chiếm tỷ trọng ít nhất 20% GRDP của tỉnh.
- Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo đạt trên 40% tổng số doanh nghiệp.
- Chi cho nghiên cứu khoa học, phát triển công nghệ đạt 2% GRDP.
- Tỷ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp đạt từ 70% đến 80%.
- Hoàn thành xây dựng Trung tâm dữ liệu của tỉnh.
- 100% xã, phường có hạ tầng mạng băng rộng cáp quang.
2.2. Tầm nhìn đến năm 2045
- Kinh tế số chiếm tỷ trọng ít nhất 50% GRDP của tỉnh.
- Tỉnh Nghệ An thuộc nhóm 10 tỉnh, thành phố dẫn đầu cả nước về đổi mới sáng tạo.
- Có ít nhất 15 doanh nghiệp công nghệ số đủ năng lực cạnh tranh khu vực.

II. NHIỆM VỤ, GIẢI PHÁP
1. Nâng cao nhận thức, đột phá về đổi mới tư duy, quyết tâm chính trị mạnh mẽ trong toàn Đảng bộ.
2. Hoàn thiện cơ chế, chính sách của tỉnh, tháo gỡ các điểm nghẽn.

III. TỔ CHỨC THỰC HIỆN
1. Ban Tuyên giáo và Dân vận Tỉnh ủy
- Chủ trì, phối hợp với các cơ quan liên quan hướng dẫn việc học tập, quán triệt Nghị quyết số 57-NQ/TW và Chương trình hành động này.
- Chỉ đạo các cơ quan báo chí của tỉnh tăng cường tuyên truyền về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số.
2. Đảng ủy Ủy ban nhân dân tỉnh
- Lãnh đạo Ủy ban nhân dân tỉnh xây dựng Kế hoạch thực hiện Chương trình hành động, hoàn thành trong tháng 4/2025.
- Lãnh đạo việc bố trí ít nhất 3% tổng chi ngân sách hằng năm cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số.
3. Ủy ban Kiểm tra Tỉnh ủy
- Tham mưu kiểm tra, giám sát việc thực hiện Chương trình hành động; định kỳ hằng năm báo cáo Ban Thường vụ Tỉnh ủy.
4. Văn phòng Tỉnh ủy
- Theo dõi, đôn đốc, tổng hợp kết quả thực hiện, báo cáo Ban Thường vụ Tỉnh ủy trước ngày 15/12 hằng năm.

Chương trình hành động này được phổ biến đến chi bộ.

T/M BAN THƯỜNG VỤ
BÍ THƯ

Nguyễn Đức Trung
"""

D04_TARGETS = [
    {"milestone": "2030", "text": "Tỉnh Nghệ An thuộc nhóm 15 tỉnh, thành phố dẫn đầu cả nước về chỉ số chuyển đổi số (DTI).", "op": None, "value": None},
    {"milestone": "2030", "text": "Kinh tế số chiếm tỷ trọng ít nhất 20% GRDP của tỉnh.", "op": ">=", "value": 20},
    {"milestone": "2030", "text": "Tỷ lệ doanh nghiệp có hoạt động đổi mới sáng tạo đạt trên 40% tổng số doanh nghiệp.", "op": ">", "value": 40},
    {"milestone": "2030", "text": "Chi cho nghiên cứu khoa học, phát triển công nghệ đạt 2% GRDP.", "op": "=", "value": 2},
    {"milestone": "2030", "text": "Tỷ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp đạt từ 70% đến 80%.", "op": "range", "value": 70, "value_max": 80},
    {"milestone": "2030", "text": "Hoàn thành xây dựng Trung tâm dữ liệu của tỉnh.", "op": "done", "value": None},
    {"milestone": "2030", "text": "100% xã, phường có hạ tầng mạng băng rộng cáp quang.", "op": "=", "value": 100},
    {"milestone": "2045", "text": "Kinh tế số chiếm tỷ trọng ít nhất 50% GRDP của tỉnh.", "op": ">=", "value": 50},
    {"milestone": "2045", "text": "Tỉnh Nghệ An thuộc nhóm 10 tỉnh, thành phố dẫn đầu cả nước về đổi mới sáng tạo.", "op": None, "value": None},
    {"milestone": "2045", "text": "Có ít nhất 15 doanh nghiệp công nghệ số đủ năng lực cạnh tranh khu vực.", "op": ">=", "value": 15},
]

D04_DUTIES = [
    {"body": "Ban Tuyên giáo và Dân vận Tỉnh ủy", "text": "Chủ trì, phối hợp với các cơ quan liên quan hướng dẫn việc học tập, quán triệt Nghị quyết số 57-NQ/TW và Chương trình hành động này."},
    {"body": "Ban Tuyên giáo và Dân vận Tỉnh ủy", "text": "Chỉ đạo các cơ quan báo chí của tỉnh tăng cường tuyên truyền về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số."},
    {"body": "Đảng ủy Ủy ban nhân dân tỉnh", "text": "Lãnh đạo Ủy ban nhân dân tỉnh xây dựng Kế hoạch thực hiện Chương trình hành động, hoàn thành trong tháng 4/2025."},
    {"body": "Đảng ủy Ủy ban nhân dân tỉnh", "text": "Lãnh đạo việc bố trí ít nhất 3% tổng chi ngân sách hằng năm cho khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số."},
    {"body": "Ủy ban Kiểm tra Tỉnh ủy", "text": "Tham mưu kiểm tra, giám sát việc thực hiện Chương trình hành động; định kỳ hằng năm báo cáo Ban Thường vụ Tỉnh ủy."},
    {"body": "Văn phòng Tỉnh ủy", "text": "Theo dõi, đôn đốc, tổng hợp kết quả thực hiện, báo cáo Ban Thường vụ Tỉnh ủy trước ngày 15/12 hằng năm."},
]

D04_META = {"number": "45-CTr/TU", "date": "2025-03-14", "issuer": "Tỉnh ủy Nghệ An", "kind": "Chương trình hành động",
            "implements": ["57-NQ/TW"], "basis": [], "replaces": []}


# ============================================================================================
# 05  A department's progress report (DOCX): status column, no obstacles column, headings in
#     another order, rows renumbered against the plan (01), one row that matches no plan task.

def rep(code, group, name, lead, deadline, status, result, *, task_code):
    return {"code": code, "group": group, "name": name, "lead": lead, "required_result": None,
            "deadline": deadline, "result_to_date": result, "expected_next": None, "obstacles": None,
            "status": status, "_task": task_code}


D05_GROUPS = [("I", "CÁC NHIỆM VỤ ĐƯỢC GIAO CHỦ TRÌ"), ("II", "CÁC NHIỆM VỤ PHỐI HỢP")]
D05_ROWS = [
    rep("1", "I", "Nâng cấp Trung tâm dữ liệu của Bộ bảo đảm an toàn thông tin cấp độ 4", "Cục Chuyển đổi số",
        "Tháng 12/2025", "Đang thực hiện", "Đã hoàn thành khảo sát, lập hồ sơ đề xuất cấp độ; đang lựa chọn nhà thầu nâng cấp hạ tầng.", task_code="5"),
    rep("2", "I", "Triển khai nền tảng họp trực tuyến và chữ ký số cho các đơn vị thuộc Bộ", "Cục Chuyển đổi số",
        "Quý III/2025", "Đã hoàn thành", "Nền tảng đã vận hành từ ngày 01/8/2025 tại 35 đơn vị.", task_code=None),
    rep("3", "II", "Xây dựng cơ sở dữ liệu đất đai quốc gia, kết nối, chia sẻ với cơ sở dữ liệu quốc gia về dân cư", "Cục Quản lý đất đai",
        "2026 - 2030", "Đang thực hiện", "Đã kết nối thử nghiệm với cơ sở dữ liệu quốc gia về dân cư tại 12 tỉnh.", task_code="4"),
    rep("4", "II", "Đào tạo, bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức", "Vụ Tổ chức cán bộ",
        "Hằng năm", "Đã hoàn thành", "Phối hợp tổ chức 04 lớp bồi dưỡng cho 320 lượt công chức.", task_code="7"),
    rep("5", "II", "Cung cấp dịch vụ công trực tuyến toàn trình đối với các thủ tục hành chính đủ điều kiện", "Văn phòng Bộ",
        "Thường xuyên", "Đang thực hiện", "Đã cung cấp 68/75 dịch vụ công trực tuyến toàn trình.", task_code="14"),
    rep("6", "II", "Ban hành cơ chế thí điểm thuê dịch vụ công nghệ thông tin", "Vụ Kế hoạch - Tài chính",
        "Năm 2026", "Chưa thực hiện", "", task_code="3"),
]
for _r in D05_ROWS:
    _r["result_to_date"] = _r["result_to_date"] or None

D05_META = {"as_of": "2025-09-30", "reporter": "Cục Chuyển đổi số"}


def build_d05(path: Path):
    import docx
    d = docx.Document()
    hdr = d.add_table(rows=2, cols=2)
    hdr.cell(0, 0).text = "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\nCỤC CHUYỂN ĐỔI SỐ"
    hdr.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    hdr.cell(1, 0).text = "Số: 412/BC-CĐS"
    hdr.cell(1, 1).text = "Hà Nội, ngày 03 tháng 10 năm 2025"
    d.add_paragraph("BÁO CÁO")
    d.add_paragraph("Tình hình thực hiện Kế hoạch số 5127/KH-BNNMT ngày 18/8/2025 của Bộ Nông nghiệp và Môi trường "
                    "(số liệu tính đến ngày 30/9/2025)")
    d.add_paragraph("Thực hiện chỉ đạo của Lãnh đạo Bộ, Cục Chuyển đổi số báo cáo tình hình thực hiện như sau:")
    d.add_paragraph("I. KẾT QUẢ THỰC HIỆN")
    d.add_paragraph("(Chi tiết tại Phụ lục kèm theo)")
    d.add_paragraph("PHỤ LỤC: TÌNH HÌNH THỰC HIỆN NHIỆM VỤ")
    cols = ["STT", "Nhiệm vụ", "Tình hình thực hiện", "Kết quả đạt được", "Thời hạn", "Đơn vị chủ trì"]
    t = d.add_table(rows=1, cols=6)
    t.style = "Table Grid"
    for i, c in enumerate(cols):
        t.rows[0].cells[i].text = c
    for g, gname in D05_GROUPS:
        c = t.add_row().cells
        c[0].text = g
        c[1].merge(c[5]).text = gname
        for r in D05_ROWS:
            if r["group"] != g:
                continue
            c = t.add_row().cells
            for i, v in enumerate([r["code"], r["name"], r["status"], r["result_to_date"] or "", r["deadline"], r["lead"]]):
                c[i].text = v
    d.add_paragraph("CỤC TRƯỞNG")
    d.save(path)


# ============================================================================================
# 06  A province task table as PDF (DOCX → LibreOffice), spanning pages, header repeated.

D06_GROUPS = [("I", "Nâng cao nhận thức, đổi mới tư duy"), ("II", "Hoàn thiện thể chế"),
              ("III", "Phát triển hạ tầng số"), ("IV", "Phát triển nguồn nhân lực"), ("V", "Chuyển đổi số trong cơ quan nhà nước")]
_LONG = ("; bảo đảm đồng bộ, thống nhất, phù hợp với điều kiện thực tế của địa phương và quy định của pháp luật hiện hành, "
         "gắn với trách nhiệm người đứng đầu cơ quan, đơn vị")
D06_TASKS = [
    task("1", "I", "Tổ chức quán triệt, tuyên truyền sâu rộng nội dung Nghị quyết số 57-NQ/TW đến cán bộ, đảng viên và Nhân dân" + _LONG,
         ["Sở Văn hóa, Thể thao và Du lịch"], ["Báo và Phát thanh, Truyền hình Quảng Trị", "Ủy ban nhân dân các xã, phường"], "Chuyên trang, chuyên mục", "Thường xuyên",
         coord_cell="Báo và Phát thanh, Truyền hình Quảng Trị; Ủy ban nhân dân các xã, phường"),
    task("2", "I", "Phát động phong trào \"Bình dân học vụ số\" trên địa bàn tỉnh" + _LONG,
         ["Sở Khoa học và Công nghệ"], ["Tỉnh Đoàn", "Hội Liên hiệp Phụ nữ tỉnh"], "Kế hoạch phát động", "Quý III/2025"),
    task("3", "II", "Xây dựng Nghị quyết của Hội đồng nhân dân tỉnh quy định chính sách hỗ trợ doanh nghiệp đổi mới sáng tạo" + _LONG,
         ["Sở Khoa học và Công nghệ"], ["Sở Tài chính", "Sở Tư pháp"], "Nghị quyết", "Tháng 12/2025"),
    task("4", "II", "Rà soát, bãi bỏ các văn bản quy phạm pháp luật của tỉnh không còn phù hợp" + _LONG,
         ["Sở Tư pháp"], ["Các sở, ban, ngành"], "Quyết định bãi bỏ", "Năm 2025"),
    task("5", "III", "Phủ sóng 5G đến trung tâm các xã, phường và khu công nghiệp" + _LONG,
         ["Sở Khoa học và Công nghệ"], ["Viettel Quảng Trị", "VNPT Quảng Trị"], "Hạ tầng 5G", "2026 - 2028"),
    task("6", "III", "Xây dựng Trung tâm dữ liệu tỉnh theo mô hình đám mây lai" + _LONG,
         ["Sở Khoa học và Công nghệ"], ["Sở Tài chính", "Công an tỉnh"], "Trung tâm dữ liệu", "Giai đoạn 2026-2030"),
    task("7", "IV", "Đào tạo nhân lực chất lượng cao về công nghệ thông tin, trí tuệ nhân tạo" + _LONG,
         ["Sở Giáo dục và Đào tạo"], ["Trường Đại học Quảng Trị"], "Số lượng người được đào tạo", "Hằng năm"),
    task("8", "IV", "Ban hành chính sách thu hút chuyên gia công nghệ về làm việc tại tỉnh" + _LONG,
         ["Sở Nội vụ"], ["Sở Tài chính"], "Nghị quyết của HĐND tỉnh", "Quý 1/2026"),
    task("9", "V", "Số hóa kết quả giải quyết thủ tục hành chính còn hiệu lực" + _LONG,
         ["Văn phòng UBND tỉnh"], ["Các sở, ban, ngành; UBND các xã, phường"], "Dữ liệu số hóa", "Tháng 6/2026",
         coord_cell="Các sở, ban, ngành; UBND các xã, phường"),
    task("10", "V", "Triển khai hệ thống báo cáo kinh tế - xã hội trên nền tảng số" + _LONG,
         ["Sở Tài chính"], ["Sở Khoa học và Công nghệ"], "Hệ thống báo cáo", "2025 và những năm tiếp theo"),
]
# "Các sở, ban, ngành; UBND các xã, phường" as one collective? No: two collectives.
D06_TASKS[8]["coordinating"] = ["Các sở, ban, ngành", "UBND các xã, phường"]

D06_META = {"number": "156/KH-UBND", "date": "2025-07-21", "issuer": "Ủy ban nhân dân tỉnh Quảng Trị", "kind": "Kế hoạch",
            "implements": ["57-NQ/TW", "71/NQ-CP"], "basis": [], "replaces": []}


def build_task_docx(path: Path, header_lines, tasks, groups, *, cols=None, repeat_header=True, layout=None):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt
    d = docx.Document()
    if layout:
        hdr = d.add_table(rows=len(layout), cols=2)
        for i, (a, b) in enumerate(layout):
            hdr.cell(i, 0).text = a
            hdr.cell(i, 1).text = b
    for line in header_lines:
        if line == "<PAGE>":
            d.add_page_break()
        else:
            d.add_paragraph(line)
    cols = cols or ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả/sản phẩm", "Thời hạn hoàn thành"]
    t = d.add_table(rows=1, cols=6)
    t.style = "Table Grid"
    for i, c in enumerate(cols):
        t.rows[0].cells[i].text = c
    if repeat_header:
        trPr = t.rows[0]._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        trPr.append(el)
    for g, gname in groups:
        c = t.add_row().cells
        c[0].text = g
        c[1].merge(c[5]).text = gname
        for r in tasks:
            if r["group"] != g:
                continue
            p = r["_print"]
            c = t.add_row().cells
            for i, k in enumerate(["code", "name", "lead", "coordinating", "result", "deadline"]):
                c[i].text = p[k]
    d.add_paragraph("Nơi nhận: - Như trên; - Lưu: VT.")
    for p in d.paragraphs:
        for run in p.runs:
            run.font.size = Pt(13)
    d.save(path)


def build_d06(path: Path):
    tmp = Path(tempfile.mkdtemp(prefix="unseen_pdf_"))
    src = tmp / (path.stem + ".docx")
    build_task_docx(src, [
        "KẾ HOẠCH",
        "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị và Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ",
        "Để triển khai kịp thời, hiệu quả, Ủy ban nhân dân tỉnh ban hành Kế hoạch với các nội dung chủ yếu tại Phụ lục kèm theo.",
        "<PAGE>", "PHỤ LỤC", "NHIỆM VỤ CỤ THỂ",
        "(Kèm theo Kế hoạch số 156/KH-UBND ngày 21/7/2025 của UBND tỉnh Quảng Trị)"],
        D06_TASKS, D06_GROUPS,
        layout=[("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"),
                ("Số: 156/KH-UBND", "Quảng Trị, ngày 21 tháng 7 năm 2025")])
    to_pdf(src, path)


def to_pdf(src: Path, dest: Path, timeout=120):
    """LibreOffice headless conversion in its own profile and process group."""
    out = src.parent
    profile = out / "lo_profile"
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
           "--outdir", str(out), str(src)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    pdf = out / (src.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError("LibreOffice did not produce a PDF")
    dest.write_bytes(pdf.read_bytes())


# ============================================================================================
# 07  Markdown pipe table (commune plan).

D07_GROUPS = [("I", "Công tác tuyên truyền"), ("II", "Phát triển hạ tầng và dữ liệu"), ("III", "Chính quyền số cấp xã")]
D07_TASKS = [
    task("1", "I", "Tuyên truyền, phổ biến kỹ năng số cho Nhân dân qua hệ thống truyền thanh cơ sở",
         ["Văn phòng HĐND và UBND xã"], ["Mặt trận Tổ quốc Việt Nam xã", "các thôn"], "Chuyên mục phát thanh", "Hằng tháng"),
    task("2", "I", "Thành lập và duy trì hoạt động Tổ công nghệ số cộng đồng ở các thôn",
         ["Phòng Văn hóa - Xã hội"], ["Đoàn Thanh niên xã"], "Quyết định thành lập", "Tháng 9/2025"),
    task("3", "II", "Phối hợp doanh nghiệp viễn thông phủ sóng di động 4G đến 100% thôn",
         ["Phòng Kinh tế"], ["Viettel Bắc Giang"], "Hạ tầng 4G", "Quý IV/2025"),
    task("4", "II", "Làm sạch dữ liệu dân cư, đất đai trên địa bàn xã",
         ["Công an xã"], ["Phòng Kinh tế", "Văn phòng HĐND và UBND xã"], "Dữ liệu đúng, đủ, sạch, sống", "Năm 2025",
         coord_cell="Phòng Kinh tế; Văn phòng HĐND và UBND xã"),
    task("5", "III", "Vận hành Trung tâm Phục vụ hành chính công xã, tiếp nhận hồ sơ trực tuyến",
         ["Trung tâm Phục vụ hành chính công xã"], [], "Tỷ lệ hồ sơ trực tuyến", "Thường xuyên"),
    task("6", "III", "Sử dụng chữ ký số trong xử lý văn bản điện tử của xã",
         ["Văn phòng HĐND và UBND xã"], ["Các phòng chuyên môn"], "", "Năm 2025 và các năm tiếp theo"),
]
D07_META = {"number": "88/KH-UBND", "date": "2025-08-05", "issuer": "Ủy ban nhân dân xã Lục Ngạn", "kind": "Kế hoạch",
            "implements": ["156/KH-UBND"], "basis": [], "replaces": []}


def text_d07():
    out = ["# ỦY BAN NHÂN DÂN XÃ LỤC NGẠN", "", "**Số: 88/KH-UBND** — Lục Ngạn, ngày 05 tháng 8 năm 2025", "",
           "## KẾ HOẠCH", "Chuyển đổi số xã Lục Ngạn năm 2025 và các năm tiếp theo", "",
           "Thực hiện Kế hoạch số 156/KH-UBND ngày 21/7/2025 của UBND tỉnh về chuyển đổi số, UBND xã ban hành Kế hoạch như sau:", "",
           "| TT | Nhiệm vụ | Chủ trì | Phối hợp | Sản phẩm | Thời gian |",
           "|---|---|---|---|---|:---:|"]
    for g, gname in D07_GROUPS:
        out.append(f"| **{g}** | **{gname}** | | | | |")
        for r in D07_TASKS:
            if r["group"] == g:
                p = r["_print"]
                out.append("| " + " | ".join(p[k] for k in ["code", "name", "lead", "coordinating", "result", "deadline"]) + " |")
    out += ["", "*Nơi nhận: như trên.*", ""]
    return "\n".join(out)


# ============================================================================================
# 08  Tab-separated paste of a district-level party committee indicator table (milestones
#     2025/2030/2035), with the code column "1." style and a "Ghi chú" column.

M8 = ["2025", "2030", "2035"]
D08_ROWS = [
    ind("1", None, "Tỷ lệ tổ chức đảng sử dụng sổ tay đảng viên điện tử", "%", dict(zip(M8, ["≥ 80", "100", "100"])), "Văn phòng Đảng ủy", code_printed="1."),
    ind("2", None, "Tỷ lệ văn bản của Đảng ủy được gửi, nhận trên môi trường điện tử", "%", dict(zip(M8, ["≥ 90", "100", "100"])), "Văn phòng Đảng ủy", inferred=True, code_printed="2."),
    ind("3", None, "Số mô hình chuyển đổi số tiêu biểu ở chi bộ", "Mô hình", dict(zip(M8, ["≥ 03", "≥ 10", "≥ 20"])), "Ban Xây dựng Đảng", code_printed="3."),
    ind("4", None, "Đảng viên có kỹ năng số cơ bản", None, {}, None, group=True, code_printed="4."),
    ind("4.1", "4", "Tỷ lệ đảng viên được tập huấn kỹ năng số", "%", dict(zip(M8, ["50", "≥ 90", "100"])), "Ban Xây dựng Đảng"),
    ind("4.2", "4", "Tỷ lệ đảng viên sử dụng thành thạo các nền tảng số của Đảng", "%", dict(zip(M8, ["30", "70", "≥ 95"])), "Ban Xây dựng Đảng", inferred=True),
    ind("5", None, "Xây dựng hệ thống quản lý dữ liệu đảng viên của Đảng bộ", None, dict(zip(M8, ["-", "X", "X"])), "Văn phòng Đảng ủy", code_printed="5."),
]


def text_d08():
    out = ["ĐẢNG BỘ PHƯỜNG HẢI CHÂU", "PHỤ LỤC CHỈ TIÊU", "(Kèm theo Kế hoạch số 12-KH/ĐU ngày 10/6/2025 của Đảng ủy phường Hải Châu)", "",
           "\t".join(["STT", "Chỉ tiêu", "Đơn vị tính", "Năm 2025", "Năm 2030", "Năm 2035", "Cơ quan chủ trì", "Ghi chú"])]
    for r in D08_ROWS:
        vals = [r["targets"].get(y) or "" for y in M8]
        ag = "" if r["agency_inferred"] or not r["agency"] else r["agency"]
        out.append("\t".join([r["_code_printed"], r["name"], r["unit"] or "", *vals, ag, ""]))
    out += ["", "Ghi chú: (-): Chưa thực hiện; (X): Thực hiện"]
    return "\n".join(out) + "\n"


# ============================================================================================
# 09  Text copied out of a PDF: commune plan task table, one visual line per line, cells on
#     separate lines, long cells wrapped over several lines.

D09_GROUPS = [("I", "NHIỆM VỤ CHUNG"), ("II", "NHIỆM VỤ CỤ THỂ")]
D09_TASKS = [
    task("1", "I", "Quán triệt, triển khai Nghị quyết số 57-NQ/TW đến toàn thể cán bộ, đảng viên",
         ["Đảng ủy xã"], ["Các chi bộ"], "Hội nghị quán triệt", "Quý III/2025"),
    task("2", "I", "Kiện toàn Ban Chỉ đạo về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số của xã",
         ["Ủy ban nhân dân xã"], [], "Quyết định kiện toàn", "Tháng 8/2025"),
    task("3", "II", "Xây dựng thôn thông minh tại thôn Phú Mỹ",
         ["Phòng Kinh tế"], ["Ban công tác Mặt trận thôn Phú Mỹ", "Chi đoàn thôn"], "Mô hình thôn thông minh", "2026"),
    task("4", "II", "Hướng dẫn hộ sản xuất đưa sản phẩm OCOP lên sàn thương mại điện tử",
         ["Phòng Kinh tế"], ["Hội Nông dân xã", "Hội Liên hiệp Phụ nữ xã"], "Số sản phẩm lên sàn", "Hằng năm"),
    task("5", "II", "Phổ cập kỹ năng số cho người dân qua phong trào Bình dân học vụ số",
         ["Phòng Văn hóa - Xã hội"], ["Đoàn Thanh niên xã", "Trường Trung học cơ sở"], "Số người được phổ cập", "Thường xuyên"),
]
D09_META = {"number": "07-KH/ĐU", "date": "2025-07-15", "issuer": "Đảng ủy xã Tư Nghĩa", "kind": "Kế hoạch",
            "implements": ["57-NQ/TW"], "basis": [], "replaces": []}


def _wrap(text, width):
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = (cur + " " + w).strip()
    if cur:
        lines.append(cur)
    return lines


def text_d09():
    out = ["ĐẢNG BỘ TỈNH QUẢNG NGÃI", "ĐẢNG ỦY XÃ TƯ NGHĨA", "*", "Số 07-KH/ĐU",
           "ĐẢNG CỘNG SẢN VIỆT NAM", "Tư Nghĩa, ngày 15 tháng 7 năm 2025", "", "KẾ HOẠCH",
           "thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị", "",
           "Phụ lục", "DANH MỤC NHIỆM VỤ", "(Kèm theo Kế hoạch số 07-KH/ĐU ngày 15/7/2025 của Đảng ủy xã)",
           "TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối", "hợp", "Kết quả/sản", "phẩm", "Thời hạn", "hoàn thành"]
    for g, gname in D09_GROUPS:
        out += [g, gname]
        for r in D09_TASKS:
            if r["group"] != g:
                continue
            p = r["_print"]
            out.append(p["code"])
            out += _wrap(p["name"], 38)
            out += _wrap(p["lead"], 18)
            coords = r["coordinating"]
            for cname in coords:  # one agency per line, as the PDF prints them stacked
                out += _wrap(cname + ("," if cname != coords[-1] else ""), 18)
            out += _wrap(p["result"], 16)
            out += _wrap(p["deadline"], 12)
    out += ["", "T/M ĐẢNG ỦY", "BÍ THƯ", ""]
    return "\n".join(out)


# ============================================================================================
# 10  Agencies that no longer exist (a 2024 district plan, DOCX): Sở Thông tin và Truyền
#     thông, Bộ Kế hoạch và Đầu tư, Phòng … huyện (districts ended 1/7/2025).

D10_GROUPS = [("1", "Chuyển đổi số"), ("2", "Thu hút đầu tư")]
D10_TASKS = [
    task("1", "1", "Triển khai nền tảng số cấp huyện theo hướng dẫn của tỉnh",
         ["Phòng Văn hóa và Thông tin huyện Krông Pắc"], ["Sở Thông tin và Truyền thông"], "Nền tảng số", "Năm 2024"),
    task("2", "1", "Đăng ký danh mục dự án ứng dụng công nghệ thông tin sử dụng vốn đầu tư công",
         ["Phòng Tài chính - Kế hoạch huyện Krông Pắc"], ["Sở Kế hoạch và Đầu tư", "Bộ Kế hoạch và Đầu tư"], "Danh mục dự án", "Tháng 10/2024",
         coord_cell="Sở Kế hoạch và Đầu tư; Bộ Kế hoạch và Đầu tư"),
    task("3", "2", "Xúc tiến đầu tư các dự án nông nghiệp công nghệ cao",
         ["Phòng Nông nghiệp và Phát triển nông thôn huyện Krông Pắc"], ["Sở Nông nghiệp và Phát triển nông thôn", "Sở Thông tin và Truyền thông"],
         "Dự án được chấp thuận chủ trương", "Quý 4 năm 2024",
         coord_cell="Sở Nông nghiệp và Phát triển nông thôn Sở Thông tin và Truyền thông"),
    task("4", "2", "Hỗ trợ doanh nghiệp khởi nghiệp đổi mới sáng tạo trên địa bàn huyện",
         ["Phòng Kinh tế và Hạ tầng huyện Krông Pắc"], ["Sở Khoa học và Công nghệ", "Ủy ban nhân dân các xã, thị trấn"], "Doanh nghiệp được hỗ trợ", "2024 - 2025"),
]
D10_META = {"number": "245/KH-UBND", "date": "2024-04-02", "issuer": "Ủy ban nhân dân huyện Krông Pắc", "kind": "Kế hoạch",
            "implements": [], "basis": [], "replaces": []}


def build_d10(path: Path):
    build_task_docx(path, ["KẾ HOẠCH", "Chuyển đổi số và thu hút đầu tư huyện Krông Pắc năm 2024",
                           "Căn cứ Kế hoạch số 1234/KH-UBND ngày 15/02/2024 của UBND tỉnh Đắk Lắk;",
                           "UBND huyện ban hành Kế hoạch như sau:"],
                    D10_TASKS, D10_GROUPS,
                    cols=["STT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Kết quả", "Thời gian thực hiện"],
                    layout=[("ỦY BAN NHÂN DÂN\nHUYỆN KRÔNG PẮC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"),
                            ("Số: 245/KH-UBND", "Krông Pắc, ngày 02 tháng 4 năm 2024")])
D10_META["basis"] = ["1234/KH-UBND"]


# ============================================================================================
# 11  A plan copied from a web page: menus, breadcrumbs, "Chia sẻ" around the opening;
#     "Căn cứ…", "Thực hiện…", "thay thế Kế hoạch số…"; the table pasted tab-separated.

D11_GROUPS = [("I", "Phát triển hạ tầng"), ("II", "Phát triển nguồn nhân lực")]
D11_TASKS = [
    task("1", "I", "Đầu tư hệ thống camera giám sát an ninh, trật tự tại các nút giao thông trọng điểm",
         ["Công an thành phố"], ["Sở Xây dựng", "Sở Tài chính"], "Hệ thống camera", "2026"),
    task("2", "I", "Xây dựng nền tảng bản đồ số dùng chung của thành phố",
         ["Sở Khoa học và Công nghệ"], ["Sở Nông nghiệp và Môi trường", "Sở Xây dựng"], "Nền tảng bản đồ số", "Quý II/2026"),
    task("3", "II", "Đào tạo kỹ sư vi mạch bán dẫn theo đặt hàng của thành phố",
         ["Sở Giáo dục và Đào tạo"], ["Đại học Đà Nẵng", "Khu Công nghệ cao Đà Nẵng"], "Số kỹ sư được đào tạo", "2026-2030"),
    task("4", "II", "Tổ chức Ngày hội khởi nghiệp đổi mới sáng tạo thành phố",
         ["Sở Khoa học và Công nghệ"], ["Thành Đoàn Đà Nẵng"], "Ngày hội", "Hằng năm"),
]
D11_META = {"number": "301/KH-UBND", "date": "2025-11-12", "issuer": "Ủy ban nhân dân thành phố Đà Nẵng", "kind": "Kế hoạch",
            "implements": ["57-NQ/TW", "71/NQ-CP"], "basis": ["72/2025/QH15"], "replaces": ["120/KH-UBND"]}


def text_d11():
    out = ["Trang chủ", "Giới thiệu", "Tin tức - Sự kiện", "Văn bản", "Liên hệ", "Đăng nhập",
           "Trang chủ > Văn bản > Văn bản chỉ đạo điều hành", "Chia sẻ", "Facebook", "Zalo", "In trang", "",
           "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG", "Số: 301/KH-UBND", "Đà Nẵng, ngày 12 tháng 11 năm 2025", "",
           "KẾ HOẠCH", "Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số thành phố Đà Nẵng đến năm 2030", "",
           "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16/6/2025;",
           "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị; Nghị quyết số 71/NQ-CP ngày 01/4/2025 của Chính phủ;",
           "Ủy ban nhân dân thành phố ban hành Kế hoạch như sau:", "",
           "\t".join(["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Sản phẩm", "Thời hạn"])]
    for g, gname in D11_GROUPS:
        out.append("\t".join([g, gname, "", "", "", ""]))
        for r in D11_TASKS:
            if r["group"] == g:
                p = r["_print"]
                out.append("\t".join(p[k] for k in ["code", "name", "lead", "coordinating", "result", "deadline"]))
    out += ["", "Kế hoạch này thay thế Kế hoạch số 120/KH-UBND ngày 05/5/2023 của UBND thành phố.", "",
            "Lượt xem: 1.254", "Chia sẻ", "Tin liên quan", "Bản quyền thuộc Cổng thông tin điện tử thành phố Đà Nẵng", ""]
    return "\n".join(out)


# ============================================================================================
# 12  A plan saved from a web portal as HTML: menus, breadcrumbs, share buttons around the
#     opening, the table as <table> with <br> inside cells, other deadline forms.

D12_GROUPS = [("I", "Y tế số"), ("II", "Hồ sơ sức khỏe điện tử")]
D12_TASKS = [
    task("1", "I", "Triển khai bệnh án điện tử tại các bệnh viện tuyến tỉnh",
         ["Sở Y tế"], ["Bệnh viện Đa khoa tỉnh", "Bảo hiểm xã hội tỉnh"], "Bệnh án điện tử", "6 tháng cuối năm 2025",
         coord_cell="Bệnh viện Đa khoa tỉnh<br>Bảo hiểm xã hội tỉnh"),
    task("2", "I", "Kết nối liên thông dữ liệu khám, chữa bệnh với cơ quan bảo hiểm xã hội",
         ["Sở Y tế"], ["Bảo hiểm xã hội tỉnh"], "Dữ liệu liên thông", "Trước ngày 30/6/2026"),
    task("3", "II", "Tạo lập hồ sơ sức khỏe điện tử cho người dân trên ứng dụng VNeID",
         ["Sở Y tế"], ["Công an tỉnh", "Ủy ban nhân dân các xã, phường"], "Hồ sơ sức khỏe điện tử", "6 tháng đầu năm 2026",
         coord_cell="Công an tỉnh; Ủy ban nhân dân các xã, phường"),
    task("4", "II", "Hướng dẫn trạm y tế xã sử dụng phần mềm quản lý hồ sơ sức khỏe",
         ["Trung tâm Kiểm soát bệnh tật tỉnh"], [], "Trạm y tế được hướng dẫn", "Đến năm 2027"),
]
D12_META = {"number": "77/KH-SYT", "date": "2025-10-20", "issuer": "Sở Y tế tỉnh Lâm Đồng", "kind": "Kế hoạch",
            "implements": ["301/KH-UBND"], "basis": [], "replaces": []}


def text_d12():
    rows = []
    for g, gname in D12_GROUPS:
        rows.append(f'<tr><td><b>{g}</b></td><td colspan="5"><b>{gname}</b></td></tr>')
        for r in D12_TASKS:
            if r["group"] == g:
                p = r["_print"]
                rows.append("<tr>" + "".join(f"<td>{p[k]}</td>" for k in
                                             ["code", "name", "lead", "coordinating", "result", "deadline"]) + "</tr>")
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Kế hoạch ứng dụng công nghệ thông tin ngành y tế - Sở Y tế Lâm Đồng</title></head>
<body>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu">Giới thiệu</a></li><li><a href="/tin-tuc">Tin tức</a></li>
<li><a href="/van-ban">Văn bản</a></li><li><a href="/lien-he">Liên hệ</a></li></ul></nav>
<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/van-ban">Văn bản</a> › Kế hoạch</div>
<div class="share">Chia sẻ: <a href="#">Facebook</a> <a href="#">Zalo</a> | <a href="#">In bài viết</a></div>
<article>
<p>UBND TỈNH LÂM ĐỒNG<br><b>SỞ Y TẾ</b></p>
<p>Số: 77/KH-SYT</p>
<p><i>Lâm Đồng, ngày 20 tháng 10 năm 2025</i></p>
<h2>KẾ HOẠCH</h2>
<p>Ứng dụng công nghệ thông tin, chuyển đổi số ngành y tế năm 2025 - 2026</p>
<p>Thực hiện Kế hoạch số 301/KH-UBND ngày 12/11/2025 của UBND tỉnh;</p>
<p>Sở Y tế xây dựng Kế hoạch với các nhiệm vụ như sau:</p>
<table border="1">
<tr><th>TT</th><th>Nhiệm vụ</th><th>Đơn vị chủ trì</th><th>Đơn vị phối hợp</th><th>Sản phẩm</th><th>Thời hạn</th></tr>
{chr(10).join(rows)}
</table>
<p>GIÁM ĐỐC</p>
</article>
<aside><h3>Tin liên quan</h3><ul><li><a href="#">Hội nghị triển khai bệnh án điện tử</a></li></ul></aside>
<footer>Bản quyền © Sở Y tế tỉnh Lâm Đồng. Lượt truy cập: 1.204.331</footer>
</body></html>
"""


# ============================================================================================
# 13  A provincial department's progress report as XLSX: title rows with the cut-off date and
#     the reporting unit, a status column AND an obstacles column, no expected-next column,
#     multi-line cells (Alt+Enter), merged group rows.

D13_GROUPS = [("I", "NHIỆM VỤ THEO KẾ HOẠCH SỐ 156/KH-UBND"), ("II", "NHIỆM VỤ PHÁT SINH")]
D13_ROWS = [
    {**rep("1", "I", "Xây dựng Nghị quyết của Hội đồng nhân dân tỉnh quy định chính sách hỗ trợ doanh nghiệp đổi mới sáng tạo",
           "Sở Khoa học và Công nghệ", "Tháng 12/2025", "Đang thực hiện",
           "Đã xây dựng dự thảo, lấy ý kiến các sở, ngành", task_code="3"),
     "obstacles": "Chưa có hướng dẫn của Bộ Khoa học và Công nghệ về định mức hỗ trợ"},
    {**rep("2", "I", "Phủ sóng 5G đến trung tâm các xã, phường và khu công nghiệp", "Sở Khoa học và Công nghệ",
           "2026 - 2028", "Đang thực hiện", "Đã phủ sóng 5G tại 35/78 xã, phường", task_code="5"), "obstacles": None},
    {**rep("3", "I", "Xây dựng Trung tâm dữ liệu tỉnh theo mô hình đám mây lai", "Sở Khoa học và Công nghệ",
           "Giai đoạn 2026-2030", "Chưa thực hiện", None, task_code="6"),
     "obstacles": "Chưa bố trí được vốn đầu tư công"},
    {**rep("4", "II", "Tổ chức Hội chợ công nghệ và thiết bị tỉnh Quảng Trị năm 2025", "Sở Khoa học và Công nghệ",
           "Tháng 10/2025", "Đã hoàn thành", "Tổ chức thành công với 120 gian hàng", task_code=None), "obstacles": None},
]
D13_META = {"as_of": "2025-11-15", "reporter": "Sở Khoa học và Công nghệ tỉnh Quảng Trị"}


def build_d13(path: Path):
    import openpyxl
    from openpyxl.styles import Alignment
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    ws.append(["ĐƠN VỊ BÁO CÁO: SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH QUẢNG TRỊ"])
    ws.append(["BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH SỐ 156/KH-UBND NGÀY 21/7/2025 CỦA UBND TỈNH"])
    ws.append(["(Số liệu tính đến ngày 15/11/2025)"])
    ws.append([])
    ws.append(["STT", "Tên nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Kết quả thực hiện", "Tình trạng", "Khó khăn, vướng mắc"])
    for g, gname in D13_GROUPS:
        ws.append([g, gname])
        ws.merge_cells(start_row=ws.max_row, start_column=2, end_row=ws.max_row, end_column=7)
        for r in D13_ROWS:
            if r["group"] != g:
                continue
            name = r["name"]
            # the person typed Alt+Enter in long cells
            cut = name.find(" ", len(name) // 2)
            ws.append([r["code"], name[:cut] + "\n" + name[cut + 1:], r["lead"], r["deadline"],
                       r["result_to_date"], r["status"], r["obstacles"]])
            for c in ws[ws.max_row]:
                c.alignment = Alignment(wrap_text=True)
    wb.save(path)


# ============================================================================================
# 14  OCR of a ward party committee prose plan: no diacritics at all, page furniture; targets
#     in sentences under "Den nam 2030" / "Den nam 2035". The raw text is the OCR; the truth of
#     the restored text is the accented original.

def strip_accents(s: str) -> str:
    import unicodedata
    s = s.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


D14_ACCENTED_TARGETS = [
    ("2030", "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến đạt trên 80%.", ">", 80),
    ("2030", "Ít nhất 90% hộ gia đình có kết nối Internet băng rộng cáp quang.", ">=", 90),
    ("2030", "100% cán bộ, công chức phường được bồi dưỡng kỹ năng số.", "=", 100),
    ("2030", "Hoàn thành số hóa dữ liệu hộ tịch của phường.", "done", None),
    ("2035", "Tỷ lệ người dân trưởng thành sử dụng dịch vụ công trực tuyến đạt ít nhất 90%.", ">=", 90),
    ("2035", "Xây dựng phường thông minh, các dịch vụ đô thị được quản lý trên nền tảng số.", "done", None),
]
D14_TARGETS = [{"milestone": m, "text": strip_accents(t), "text_restored": t, "op": op, "value": v}
               for m, t, op, v in D14_ACCENTED_TARGETS]


def text_d14():
    acc = ["ĐẢNG BỘ TỈNH KHÁNH HÒA", "ĐẢNG ỦY PHƯỜNG NHA TRANG", "ĐẢNG CỘNG SẢN VIỆT NAM",
           "Nha Trang, ngày 20 tháng 8 năm 2025", "", "KẾ HOẠCH",
           "thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị", "",
           "I. MỤC TIÊU", "1. Mục tiêu chung",
           "Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là động lực chính để xây dựng phường văn minh, hiện đại.",
           "2. Mục tiêu cụ thể", "a) Đến năm 2030"]
    acc += ["- " + t for m, t, _, _ in D14_ACCENTED_TARGETS if m == "2030"]
    acc += ["", "2", "", "b) Đến năm 2035"]  # a page number from the scan
    acc += ["- " + t for m, t, _, _ in D14_ACCENTED_TARGETS if m == "2035"]
    acc += ["", "II. NHIỆM VỤ, GIẢI PHÁP", "1. Nâng cao nhận thức của cán bộ, đảng viên và Nhân dân.", "",
            "T/M ĐẢNG ỦY", "BÍ THƯ", ""]
    return strip_accents("\n".join(acc))


# ============================================================================================
# Registry


@dataclass
class Doc:
    key: str  # file stem
    ext: str
    kind: str  # layout kind (the figure is printed per kind)
    make: object  # callable(path) or callable() -> str
    expected: dict
    binary: bool = True
    needs: str | None = None  # "soffice"


def _tasks(groups, rows):
    return {"groups": [{"code": g, "name": n} for g, n in groups], "rows": strip_private(rows),
            "flag_deadline": [r["code"] for r in rows if r["_flag_deadline"]]}


def _inds(milestones, rows):
    out = []
    for r in rows:
        rr = strip_private(r)
        rr["targets"] = {m: r["targets"].get(m) for m in milestones}
        out.append(rr)
    return {"milestones": [int(m) for m in milestones], "rows": out}


def docs() -> list[Doc]:
    return [
        Doc("01_bo_nnmt_kehoach", "docx", "ministry task table (DOCX)", build_d01,
            {"kind": "plan", "document": D01_META, "tasks": _tasks(D01_GROUPS, D01_TASKS)}),
        Doc("02_tinh_dongthap_chitieu", "xlsx", "indicator table, one target column under sections (XLSX)", build_d02,
            {"kind": "plan", "indicators": _inds(["2030", "2045"], D02_ROWS)}),
        Doc("03_tinh_thainguyen_lotrinh", "docx", "indicator table, annual year columns (DOCX)", build_d03,
            {"kind": "plan", "indicators": _inds(Y, D03_ROWS)}),
        Doc("04_tinhuy_nghean_ctr", "txt", "party committee prose plan (text)", lambda: D04_TEXT,
            {"kind": "plan", "document": D04_META, "targets": D04_TARGETS, "duties": D04_DUTIES}, binary=False),
        Doc("05_cuc_cds_baocao", "docx", "progress report, status column (DOCX)", build_d05,
            {"kind": "report", "report": {**D05_META, "groups": [{"code": g, "name": n} for g, n in D05_GROUPS],
                                          "rows": strip_private(D05_ROWS)},
             "match": {"plan": "01_bo_nnmt_kehoach", "task_codes": [r["_task"] for r in D05_ROWS]}}),
        Doc("06_tinh_quangtri_kehoach", "pdf", "task table spanning pages (PDF)", build_d06,
            {"kind": "plan", "document": D06_META, "tasks": _tasks(D06_GROUPS, D06_TASKS)}, needs="soffice"),
        Doc("07_xa_lucngan_kehoach", "md", "task table, Markdown pipe table", text_d07,
            {"kind": "plan", "document": D07_META, "tasks": _tasks(D07_GROUPS, D07_TASKS)}, binary=False),
        Doc("08_dangbo_haichau_chitieu", "txt", "indicator table, tab-separated paste", text_d08,
            {"kind": "plan", "indicators": _inds(M8, D08_ROWS)}, binary=False),
        Doc("09_danguy_tunghia_pdftext", "txt", "task table, text copied out of a PDF", text_d09,
            {"kind": "plan", "document": D09_META, "tasks": _tasks(D09_GROUPS, D09_TASKS)}, binary=False),
        Doc("10_huyen_krongpac_kehoach", "docx", "task table, agencies that no longer exist (DOCX)", build_d10,
            {"kind": "plan", "document": D10_META, "tasks": _tasks(D10_GROUPS, D10_TASKS),
             # printed name → the organisation that took over its duties (info: depends on the registry)
             "old_agencies": {"Sở Thông tin và Truyền thông": "Sở Khoa học và Công nghệ",
                              "Sở Kế hoạch và Đầu tư": "Sở Tài chính",
                              "Bộ Kế hoạch và Đầu tư": "Bộ Tài chính",
                              "Sở Nông nghiệp và Phát triển nông thôn": "Sở Nông nghiệp và Môi trường"}}),
        Doc("11_danang_web", "txt", "web page copy, noise around the opening, tab-separated table", text_d11,
            {"kind": "plan", "document": D11_META, "tasks": _tasks(D11_GROUPS, D11_TASKS)}, binary=False),
        Doc("12_syt_lamdong_web", "html", "web page saved as HTML, noise around the opening", text_d12,
            {"kind": "plan", "document": D12_META, "tasks": _tasks(D12_GROUPS, D12_TASKS)}, binary=False),
        Doc("13_skhcn_quangtri_baocao", "xlsx", "progress report with status and obstacles (XLSX)", build_d13,
            {"kind": "report", "report": {**D13_META, "groups": [{"code": g, "name": n} for g, n in D13_GROUPS],
                                          "rows": strip_private(D13_ROWS)},
             "match": {"plan": "06_tinh_quangtri_kehoach", "task_codes": [r["_task"] for r in D13_ROWS]}}),
        Doc("14_danguy_nhatrang_ocr", "txt", "party prose plan, OCR without diacritics (text)", text_d14,
            {"kind": "plan", "targets": D14_TARGETS}, binary=False),
    ]


def expected() -> dict[str, dict]:
    return {d.key: {"file": f"{d.key}.{d.ext}", "layout": d.kind, **d.expected} for d in docs()}


def build(outdir: Path, *, only=None) -> dict[str, Path]:
    """Write every document into outdir; returns key → path. Documents that need LibreOffice
    are left out when soffice is absent."""
    import shutil
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for d in docs():
        if only and d.key not in only:
            continue
        if d.needs == "soffice" and not shutil.which("soffice"):
            continue
        p = outdir / f"{d.key}.{d.ext}"
        if d.binary:
            d.make(p)
        else:
            p.write_text(d.make(), encoding="utf-8")
        paths[d.key] = p
    return paths


def write_expected(dest: Path = HERE / "expected"):
    dest.mkdir(exist_ok=True)
    for key, exp in expected().items():
        (dest / f"{key}.json").write_text(json.dumps(exp, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_expected()
    files = HERE / "files"
    build(files, only=[d.key for d in docs() if not d.binary])
    if len(sys.argv) > 1:
        print(build(Path(sys.argv[1])))
