"""Second held-out set: documents built at test time from the specs below, with their expected
draft rows (written before running the importer). `build_all(dir) -> [(path, expected)]`."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).parent


def _docx_table(doc, rows, header_rows=1):
    t = doc.add_table(rows=0, cols=len(rows[0]))
    t.style = "Table Grid"
    for r in rows:
        cells = t.add_row().cells
        for i, v in enumerate(r):
            cells[i].text = v
    return t


# 1. Ministry action plan, DOCX -> PDF
BKHCN_HEAD = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Sản phẩm"]
BKHCN_ROWS = [
    ["A.", "HOÀN THIỆN THỂ CHẾ, CHÍNH SÁCH", "", "", "", ""],
    ["1", "Xây dựng Nghị định quy định chi tiết Luật Khoa học, công nghệ và đổi mới sáng tạo", "Vụ Pháp chế", "Vụ Kế hoạch - Tài chính", "Quý IV/2025", "Nghị định của Chính phủ"],
    ["2", "Sửa đổi Thông tư hướng dẫn quản lý nhiệm vụ khoa học và công nghệ cấp quốc gia", "Vụ Khoa học xã hội, nhân văn và tự nhiên", "Vụ Pháp chế", "Tháng 12/2025", "Thông tư"],
    ["B.", "PHÁT TRIỂN HẠ TẦNG SỐ", "", "", "", ""],
    ["3", "Xây dựng Cơ sở dữ liệu quốc gia về khoa học và công nghệ", "Cục Thông tin, Thống kê", "Cục Chuyển đổi số quốc gia", "2026", "Cơ sở dữ liệu được vận hành"],
    ["4", "Triển khai nền tảng kết nối cung - cầu công nghệ", "Cục Phát triển thị trường và doanh nghiệp khoa học và công nghệ", "Các sở khoa học và công nghệ", "2025-2026", "Nền tảng số"],
]
BKHCN_EXPECT = {
    "kind": "plan",
    "task_groups": [{"code": "A", "name": "HOÀN THIỆN THỂ CHẾ, CHÍNH SÁCH"}, {"code": "B", "name": "PHÁT TRIỂN HẠ TẦNG SỐ"}],
    "tasks": [
        {"code": "1", "group": "A", "name": BKHCN_ROWS[1][1], "lead": ["Vụ Pháp chế"], "coordinating": ["Vụ Kế hoạch - Tài chính"], "deadline": "Quý IV/2025", "result": "Nghị định của Chính phủ"},
        {"code": "2", "group": "A", "name": BKHCN_ROWS[2][1], "lead": ["Vụ Khoa học xã hội, nhân văn và tự nhiên"], "coordinating": ["Vụ Pháp chế"], "deadline": "Tháng 12/2025", "result": "Thông tư"},
        {"code": "3", "group": "B", "name": BKHCN_ROWS[4][1], "lead": ["Cục Thông tin, Thống kê"], "coordinating": ["Cục Chuyển đổi số quốc gia"], "deadline": "2026", "result": "Cơ sở dữ liệu được vận hành"},
        {"code": "4", "group": "B", "name": BKHCN_ROWS[5][1], "lead": ["Cục Phát triển thị trường và doanh nghiệp khoa học và công nghệ"], "coordinating": ["Các sở khoa học và công nghệ"], "deadline": "2025-2026", "result": "Nền tảng số"},
    ],
}


def _bkhcn_docx():
    import docx
    d = docx.Document()
    d.add_paragraph("BỘ KHOA HỌC VÀ CÔNG NGHỆ")
    d.add_paragraph("Số: 1234/QĐ-BKHCN")
    d.add_paragraph("Hà Nội, ngày 15 tháng 8 năm 2025")
    d.add_paragraph("KẾ HOẠCH HÀNH ĐỘNG")
    d.add_paragraph("Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia")
    d.add_paragraph("(Kèm theo Quyết định số 1234/QĐ-BKHCN ngày 15/8/2025 của Bộ trưởng Bộ Khoa học và Công nghệ)")
    _docx_table(d, [BKHCN_HEAD] + BKHCN_ROWS)
    buf = io.BytesIO(); d.save(buf); return buf.getvalue()


def _to_pdf(docx_bytes: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.docx"; src.write_bytes(docx_bytes)
        p = subprocess.Popen(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                              "--convert-to", "pdf", "--outdir", tmp, str(src)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            p.wait(timeout=120)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL); p.wait()
            raise
        return (Path(tmp) / "in.pdf").read_bytes()


# 2. City plan, indicator table with "2025: ≥ 50%; 2030: ≥ 80%" cells (DOCX)
CITY_HEAD = ["TT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu", "Cơ quan chủ trì"]
CITY_ROWS = [
    ["1", "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình", "%", "2025: ≥ 50%; 2030: ≥ 80%", "Sở Khoa học và Công nghệ"],
    ["2", "Tỷ trọng kinh tế số trong GRDP", "%", "2025: 20%; 2030: 30%", "Sở Tài chính"],
    ["3", "Số doanh nghiệp khởi nghiệp sáng tạo", "Doanh nghiệp", "2025: 300; 2030: 1.000", "Sở Khoa học và Công nghệ"],
]
CITY_EXPECT = {
    "kind": "plan",
    "indicators": [
        {"code": "1", "name": CITY_ROWS[0][1], "unit": "%", "targets": {"2025": "≥ 50%", "2030": "≥ 80%"}, "agency": "Sở Khoa học và Công nghệ"},
        {"code": "2", "name": CITY_ROWS[1][1], "unit": "%", "targets": {"2025": "20%", "2030": "30%"}, "agency": "Sở Tài chính"},
        {"code": "3", "name": CITY_ROWS[2][1], "unit": "Doanh nghiệp", "targets": {"2025": "300", "2030": "1.000"}, "agency": "Sở Khoa học và Công nghệ"},
    ],
}


def _city_docx():
    import docx
    d = docx.Document()
    d.add_paragraph("ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG")
    d.add_paragraph("Số: 215/KH-UBND")
    d.add_paragraph("Hải Phòng, ngày 02 tháng 7 năm 2025")
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số thành phố Hải Phòng đến năm 2030")
    d.add_paragraph("Phụ lục I. CÁC CHỈ TIÊU CHỦ YẾU")
    _docx_table(d, [CITY_HEAD] + CITY_ROWS)
    buf = io.BytesIO(); d.save(buf); return buf.getvalue()


# 3. Commune plan DOCX: indicator table (TT, Chỉ tiêu, Năm 2026) + task table (Nội dung, Đơn vị thực hiện, Thời gian)
COMMUNE_IND = [
    ["TT", "Chỉ tiêu", "Năm 2026"],
    ["1", "Tỷ lệ hộ gia đình có kết nối Internet cáp quang (%)", "≥ 90%"],
    ["2", "Tỷ lệ người dân trưởng thành có điện thoại thông minh (%)", "≥ 85%"],
    ["3", "Số thôn có tổ công nghệ số cộng đồng", "12"],
]
COMMUNE_TASK = [
    ["TT", "Nội dung", "Đơn vị thực hiện", "Thời gian"],
    ["1", "Tuyên truyền, phổ biến kỹ năng số cho người dân", "Văn phòng HĐND và UBND xã", "Thường xuyên"],
    ["2", "Rà soát, số hóa hồ sơ hộ tịch", "Phòng Văn hóa - Xã hội", "Quý II/2026"],
    ["3", "Hỗ trợ hộ kinh doanh mở tài khoản thanh toán điện tử", "Phòng Kinh tế, Đoàn Thanh niên xã", "Tháng 6/2026"],
]
COMMUNE_EXPECT = {
    "kind": "plan",
    "indicators": [
        {"code": "1", "name": "Tỷ lệ hộ gia đình có kết nối Internet cáp quang", "unit": "%", "targets": {"2026": "≥ 90%"}},
        {"code": "2", "name": "Tỷ lệ người dân trưởng thành có điện thoại thông minh", "unit": "%", "targets": {"2026": "≥ 85%"}},
        {"code": "3", "name": "Số thôn có tổ công nghệ số cộng đồng", "targets": {"2026": "12"}},
    ],
    "tasks": [
        {"code": "1", "name": COMMUNE_TASK[1][1], "lead": ["Văn phòng HĐND và UBND xã"], "deadline": "Thường xuyên"},
        {"code": "2", "name": COMMUNE_TASK[2][1], "lead": ["Phòng Văn hóa - Xã hội"], "deadline": "Quý II/2026"},
        {"code": "3", "name": COMMUNE_TASK[3][1], "lead": ["Phòng Kinh tế", "Đoàn Thanh niên xã"], "deadline": "Tháng 6/2026"},
    ],
}


def _commune_docx():
    import docx
    d = docx.Document()
    d.add_paragraph("ỦY BAN NHÂN DÂN XÃ TÂN LẬP")
    d.add_paragraph("Số: 08/KH-UBND")
    d.add_paragraph("Tân Lập, ngày 20 tháng 12 năm 2025")
    d.add_paragraph("KẾ HOẠCH Chuyển đổi số xã Tân Lập năm 2026")
    d.add_paragraph("I. CHỈ TIÊU")
    _docx_table(d, COMMUNE_IND)
    d.add_paragraph("II. NHIỆM VỤ")
    _docx_table(d, COMMUNE_TASK)
    buf = io.BytesIO(); d.save(buf); return buf.getvalue()


# 4. Quarterly progress report XLSX
Q_HEAD = ["STT", "Nhiệm vụ được giao", "Kết quả thực hiện quý III/2025", "Đánh giá (Hoàn thành/Chưa hoàn thành)", "Khó khăn, vướng mắc", "Đề xuất, kiến nghị"]
Q_ROWS = [
    ["1", "Triển khai hệ thống quản lý văn bản và điều hành liên thông 4 cấp", "Đã kết nối 100% đơn vị trực thuộc", "Hoàn thành", "", ""],
    ["2", "Số hóa kết quả giải quyết thủ tục hành chính còn hiệu lực", "Đã số hóa 65% hồ sơ", "Chưa hoàn thành", "Thiếu nhân lực, máy quét", "Bổ sung kinh phí mua máy quét"],
    ["3", "Đào tạo kỹ năng số cho công chức", "Tổ chức 02 lớp cho 120 lượt công chức", "Hoàn thành", "", ""],
]
Q_EXPECT = {
    "kind": "report",
    "report_rows": [
        {"code": "1", "name": Q_ROWS[0][1], "result_to_date": Q_ROWS[0][2], "status": "Hoàn thành", "obstacles": None},
        {"code": "2", "name": Q_ROWS[1][1], "result_to_date": Q_ROWS[1][2], "status": "Chưa hoàn thành", "obstacles": "Thiếu nhân lực, máy quét"},
        {"code": "3", "name": Q_ROWS[2][1], "result_to_date": Q_ROWS[2][2], "status": "Hoàn thành", "obstacles": None},
    ],
}


def _q_xlsx():
    import openpyxl
    wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Bao cao"
    ws.append(["SỞ NỘI VỤ TỈNH NGHỆ AN"])
    ws.append(["BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ CHUYỂN ĐỔI SỐ QUÝ III NĂM 2025"])
    ws.append([])
    ws.append(Q_HEAD)
    for r in Q_ROWS:
        ws.append([v or None for v in r])
    buf = io.BytesIO(); wb.save(buf); return buf.getvalue()


# 5. Progress report DOCX narrative + table, renumbered, two rows merging tasks
R5_HEAD = ["TT", "Nhiệm vụ", "Đơn vị chủ trì", "Kết quả thực hiện", "Tình trạng"]
R5_ROWS = [
    ["I", "Nhóm nhiệm vụ về thể chế", "", "", ""],
    ["1", "Ban hành quy chế quản lý, vận hành Trung tâm giám sát điều hành thông minh", "Sở Khoa học và Công nghệ", "Đã ban hành Quyết định số 45/QĐ-UBND ngày 10/3/2025", "Hoàn thành"],
    ["2", "Xây dựng kế hoạch phát triển đô thị thông minh; rà soát quy hoạch hạ tầng viễn thông thụ động", "Sở Xây dựng", "Đang lấy ý kiến các sở, ngành", "Đang thực hiện"],
    ["II", "Nhóm nhiệm vụ về hạ tầng", "", "", ""],
    ["3", "Phủ sóng di động 4G, 5G tại các thôn, bản vùng sâu; nâng cấp mạng truyền số liệu chuyên dùng", "Viettel tỉnh, VNPT tỉnh", "Đã phủ sóng 98% thôn, bản", "Đang thực hiện"],
]
R5_EXPECT = {
    "kind": "report",
    "report_rows": [
        {"code": "1", "group": "I", "name": R5_ROWS[1][1], "lead": "Sở Khoa học và Công nghệ", "result_to_date": R5_ROWS[1][3], "status": "Hoàn thành"},
        {"code": "2", "group": "I", "name": R5_ROWS[2][1], "lead": "Sở Xây dựng", "result_to_date": R5_ROWS[2][3], "status": "Đang thực hiện"},
        {"code": "3", "group": "II", "name": R5_ROWS[4][1], "lead": "Viettel tỉnh, VNPT tỉnh", "result_to_date": R5_ROWS[4][3], "status": "Đang thực hiện"},
    ],
}


def _r5_docx():
    import docx
    d = docx.Document()
    d.add_paragraph("UBND TỈNH LÀO CAI")
    d.add_paragraph("SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    d.add_paragraph("Số: 312/BC-SKHCN")
    d.add_paragraph("Lào Cai, ngày 30 tháng 6 năm 2025")
    d.add_paragraph("BÁO CÁO Kết quả thực hiện Kế hoạch số 88/KH-UBND 6 tháng đầu năm 2025")
    d.add_paragraph("I. TÌNH HÌNH CHUNG")
    d.add_paragraph("Trong 6 tháng đầu năm, các nhiệm vụ được triển khai đồng bộ, cơ bản đáp ứng tiến độ đề ra.")
    d.add_paragraph("II. KẾT QUẢ CỤ THỂ (chi tiết tại bảng dưới đây)")
    _docx_table(d, [R5_HEAD] + R5_ROWS)
    d.add_paragraph("III. KIẾN NGHỊ, ĐỀ XUẤT")
    d.add_paragraph("Đề nghị UBND tỉnh bố trí kinh phí cho các nhiệm vụ chuyển tiếp.")
    buf = io.BytesIO(); d.save(buf); return buf.getvalue()


# 6. Party programme as plain text (committed as .txt, see party_programme.txt)
PARTY_EXPECT = {
    "kind": "plan",
    "targets": [
        {"milestone": "2030", "op": ">=", "value": 80, "unit": "%"},
        {"milestone": "2030", "op": "=", "value": 100, "unit": "%"},
        {"milestone": "2030", "op": ">=", "value": 3, "unit": "sản phẩm"},  # unit as in seed-data ("01 doanh nghiệp" -> "doanh nghiệp")
    ],
    "duties": [
        {"body": "Ban Tuyên giáo và Dân vận Tỉnh ủy", "deadline": "thường xuyên"},
        {"body": "Ban cán sự đảng UBND tỉnh", "deadline": "năm 2026"},
        {"body": "Ban Tổ chức Tỉnh ủy", "deadline": "quý IV/2025"},
    ],
}

# 7. Web portal copy with " | " separators (web_portal.txt)
WEB_EXPECT = {
    "kind": "plan",
    "tasks": [
        {"code": "1", "group": "I", "name": "Xây dựng kho dữ liệu dùng chung của tỉnh", "lead": ["Sở Khoa học và Công nghệ"], "coordinating": ["Các sở, ban, ngành"], "deadline": "Năm 2025", "result": "Kho dữ liệu dùng chung"},
        {"code": "2", "group": "I", "name": "Triển khai chữ ký số cho cán bộ cấp xã", "lead": ["Văn phòng UBND tỉnh"], "coordinating": ["UBND các xã, phường"], "deadline": "Tháng 9/2025", "result": "Chữ ký số được cấp"},
        {"code": "3", "group": "II", "name": "Tổ chức cuộc thi ý tưởng khởi nghiệp sáng tạo", "lead": ["Tỉnh đoàn"], "coordinating": ["Sở Khoa học và Công nghệ"], "deadline": "Hằng năm", "result": "Cuộc thi được tổ chức"},
    ],
}

# 8. OCR without diacritics (ocr_tasks.txt), one cell per line
OCR_EXPECT = {
    "kind": "plan",
    "tasks": [
        {"code": "1", "name": "Xay dung he thong thong tin bao cao cua tinh", "lead": ["So Tai chinh"], "deadline": "Quy III/2025"},
        {"code": "2", "name": "Nang cap Cong dich vu cong cua tinh", "lead": ["Van phong UBND tinh"], "deadline": "Nam 2026"},
        {"code": "3", "name": "Dao tao ky nang so cho can bo cap xa", "lead": ["So Noi vu"], "deadline": "Thuong xuyen"},
    ],
}

# 9. XLSX with two sheets and merged header cells
X9_EXPECT = {
    "kind": "plan",
    "indicators": [
        {"code": "1", "name": "Tỷ lệ dân số trưởng thành có danh tính số", "unit": "%", "targets": {"2025": "≥ 70", "2030": "≥ 95"}, "agency": "Công an tỉnh"},
        {"code": "2", "name": "Tỷ lệ chi cho nghiên cứu và phát triển so với GRDP", "unit": "%", "targets": {"2025": "1", "2030": "2"}, "agency": "Sở Khoa học và Công nghệ"},
    ],
    "tasks": [
        {"code": "1", "name": "Xây dựng đề án phát triển nguồn nhân lực số", "lead": ["Sở Nội vụ"], "coordinating": ["Sở Giáo dục và Đào tạo"], "deadline": "Quý I/2026", "result": "Đề án"},
        {"code": "2", "name": "Thành lập Quỹ phát triển khoa học và công nghệ tỉnh", "lead": ["Sở Khoa học và Công nghệ"], "coordinating": ["Sở Tài chính"], "deadline": "2026", "result": "Quyết định thành lập"},
    ],
}


def _x9_xlsx():
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active; ws.title = "Chi tieu"
    ws.append(["PHỤ LỤC I: CHỈ TIÊU PHÁT TRIỂN"])
    ws.append(["TT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu", None, "Cơ quan chủ trì"])
    ws.append([None, None, None, "Năm 2025", "Năm 2030", None])
    ws.merge_cells("D2:E2"); ws.merge_cells("A2:A3"); ws.merge_cells("B2:B3"); ws.merge_cells("C2:C3"); ws.merge_cells("F2:F3")
    ws.append(["1", "Tỷ lệ dân số trưởng thành có danh tính số", "%", "≥ 70", "≥ 95", "Công an tỉnh"])
    ws.append(["2", "Tỷ lệ chi cho nghiên cứu và phát triển so với GRDP", "%", "1", "2", "Sở Khoa học và Công nghệ"])
    ws2 = wb.create_sheet("Nhiem vu")
    ws2.append(["PHỤ LỤC II: NHIỆM VỤ"])
    ws2.append(["STT", "Nhiệm vụ", "Cơ quan thực hiện", None, "Thời gian hoàn thành", "Sản phẩm"])
    ws2.append([None, None, "Chủ trì", "Phối hợp", None, None])
    ws2.merge_cells("C2:D2"); ws2.merge_cells("A2:A3"); ws2.merge_cells("B2:B3"); ws2.merge_cells("E2:E3"); ws2.merge_cells("F2:F3")
    ws2.append(["1", "Xây dựng đề án phát triển nguồn nhân lực số", "Sở Nội vụ", "Sở Giáo dục và Đào tạo", "Quý I/2026", "Đề án"])
    ws2.append(["2", "Thành lập Quỹ phát triển khoa học và công nghệ tỉnh", "Sở Khoa học và Công nghệ", "Sở Tài chính", "2026", "Quyết định thành lập"])
    buf = io.BytesIO(); wb.save(buf); return buf.getvalue()


# 10. DOCX with the task table inside a layout table (1x1 outer), plus a nested table in a cell
L10_EXPECT = {
    "kind": "plan",
    "tasks": [
        {"code": "1", "name": "Triển khai bệnh án điện tử tại bệnh viện tuyến tỉnh", "lead": ["Sở Y tế"], "coordinating": ["Bảo hiểm xã hội tỉnh"], "deadline": "Tháng 12/2025"},
        {"code": "2", "name": "Kết nối liên thông đơn thuốc điện tử", "lead": ["Sở Y tế"], "coordinating": ["Các cơ sở khám bệnh, chữa bệnh"], "deadline": "Năm 2026"},
        {"code": "3", "name": "Triển khai sổ sức khỏe điện tử cho người dân", "lead": ["Sở Y tế"], "coordinating": ["Công an tỉnh"], "deadline": "2025-2027"},
    ],
}
L10_ROWS = [
    ["TT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn"],
    ["1", "Triển khai bệnh án điện tử tại bệnh viện tuyến tỉnh", "Sở Y tế", "Bảo hiểm xã hội tỉnh", "Tháng 12/2025"],
    ["2", "Kết nối liên thông đơn thuốc điện tử", "Sở Y tế", "Các cơ sở khám bệnh, chữa bệnh", "Năm 2026"],
    ["3", "Triển khai sổ sức khỏe điện tử cho người dân", "Sở Y tế", "Công an tỉnh", "2025-2027"],
]


def _l10_docx():
    import docx
    d = docx.Document()
    head = d.add_table(rows=1, cols=2)  # layout table for the letterhead
    head.cell(0, 0).text = "UBND TỈNH ĐỒNG THÁP\nSỞ Y TẾ\nSố: 77/KH-SYT"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nĐồng Tháp, ngày 05 tháng 9 năm 2025"
    d.add_paragraph("KẾ HOẠCH Chuyển đổi số ngành y tế giai đoạn 2025-2027")
    outer = d.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.paragraphs[0].text = "Phụ lục: DANH MỤC NHIỆM VỤ"
    inner = cell.add_table(rows=0, cols=5)
    inner.style = "Table Grid"
    for r in L10_ROWS:
        cs = inner.add_row().cells
        for i, v in enumerate(r):
            cs[i].text = v
    buf = io.BytesIO(); d.save(buf); return buf.getvalue()


SPECS = [
    ("01_bkhcn_plan.pdf", lambda: _to_pdf(_bkhcn_docx()), BKHCN_EXPECT),
    ("02_city_indicators.docx", _city_docx, CITY_EXPECT),
    ("03_commune_plan.docx", _commune_docx, COMMUNE_EXPECT),
    ("04_quarter_report.xlsx", _q_xlsx, Q_EXPECT),
    ("05_report_renumbered.docx", _r5_docx, R5_EXPECT),
    ("06_party_programme.txt", lambda: (HERE / "party_programme.txt").read_bytes(), PARTY_EXPECT),
    ("07_web_portal.txt", lambda: (HERE / "web_portal.txt").read_bytes(), WEB_EXPECT),
    ("08_ocr_tasks.txt", lambda: (HERE / "ocr_tasks.txt").read_bytes(), OCR_EXPECT),
    ("09_two_sheets.xlsx", _x9_xlsx, X9_EXPECT),
    ("10_nested_table.docx", _l10_docx, L10_EXPECT),
]


def build_all(out: Path | None = None):
    """[(filename, bytes, expected)]; writes the files and expected JSON into `out` if given."""
    items = []
    for name, make, exp in SPECS:
        data = make()
        items.append((name, data, exp))
        if out:
            out.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)
            (out / (name + ".expected.json")).write_text(json.dumps(exp, ensure_ascii=False, indent=1))
    return items


if __name__ == "__main__":
    import sys
    build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else None)


# 11. Province plan DOCX: "Mục tiêu đến năm 2030" column + "Lộ trình" column, agency merged down
P11_ROWS = [
    ["TT", "Chỉ tiêu", "Đơn vị tính", "Mục tiêu đến năm 2030", "Lộ trình", "Cơ quan chủ trì"],
    ["1", "Tỷ lệ doanh nghiệp nhỏ và vừa sử dụng nền tảng số", "%", "≥ 80", "Năm 2026: 50%; năm 2028: 65%", "Sở Công Thương"],
    ["2", "Tỷ lệ thanh toán không dùng tiền mặt", "%", "≥ 80", "Tăng bình quân 10%/năm", ""],
    ["3", "Số sáng chế được cấp văn bằng bảo hộ", "Sáng chế", "15", "Mỗi năm ít nhất 02", "Sở Khoa học và Công nghệ"],
]
P11_EXPECT = {
    "kind": "plan",
    "indicators": [
        {"code": "1", "name": P11_ROWS[1][1], "unit": "%", "targets": {"2030": "≥ 80"}, "agency": "Sở Công Thương"},
        {"code": "2", "name": P11_ROWS[2][1], "unit": "%", "targets": {"2030": "≥ 80"}},
        {"code": "3", "name": P11_ROWS[3][1], "unit": "Sáng chế", "targets": {"2030": "15"}, "agency": "Sở Khoa học và Công nghệ"},
    ],
}


def _p11_docx():
    import docx
    d = docx.Document()
    d.add_paragraph("ỦY BAN NHÂN DÂN TỈNH THANH HÓA")
    d.add_paragraph("Số: 199/KH-UBND")
    d.add_paragraph("KẾ HOẠCH Thực hiện chuyển đổi số tỉnh Thanh Hóa giai đoạn 2026-2030")
    d.add_paragraph("Phụ lục I: CHỈ TIÊU CHỦ YẾU")
    _docx_table(d, P11_ROWS)
    buf = io.BytesIO(); d.save(buf); return buf.getvalue()


# 12. Ministry plan DOCX with groups "I.", tasks "1", sub-tasks "1.1", "1.2" and items "a)", "b)"
M12_ROWS = [
    ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Sản phẩm"],
    ["I.", "NHIỆM VỤ VỀ THỂ CHẾ", "", "", "", ""],
    ["1", "Hoàn thiện khung pháp lý về dữ liệu", "", "", "", ""],
    ["1.1", "Xây dựng Thông tư quy định về quản lý dữ liệu ngành", "Cục Chuyển đổi số quốc gia", "Vụ Pháp chế", "Tháng 10/2025", "Thông tư"],
    ["1.2", "Ban hành danh mục dữ liệu mở của Bộ", "Trung tâm Thông tin", "Các đơn vị thuộc Bộ", "Quý I/2026", "Quyết định"],
    ["2", "Rà soát thủ tục hành chính thuộc phạm vi quản lý của Bộ", "Văn phòng Bộ", "Các đơn vị thuộc Bộ", "Hằng năm", "Báo cáo rà soát"],
    ["II.", "NHIỆM VỤ VỀ NHÂN LỰC", "", "", "", ""],
    ["3", "Đào tạo, bồi dưỡng kỹ năng số", "", "", "", ""],
    ["a)", "Bồi dưỡng kỹ năng số cho công chức các vụ, cục", "Vụ Tổ chức cán bộ", "Trường Đào tạo cán bộ", "Năm 2026", "Lớp bồi dưỡng"],
    ["b)", "Tổ chức diễn tập an toàn thông tin", "Cục An toàn thông tin", "Các đơn vị thuộc Bộ", "Quý III hằng năm", "Báo cáo diễn tập"],
]
M12_EXPECT = {
    "kind": "plan",
    "task_groups": [{"code": "I", "name": "NHIỆM VỤ VỀ THỂ CHẾ"}, {"code": "II", "name": "NHIỆM VỤ VỀ NHÂN LỰC"}],
    "tasks": [
        {"code": "1.1", "group": "I", "parent": "1", "name": M12_ROWS[3][1], "lead": ["Cục Chuyển đổi số quốc gia"], "coordinating": ["Vụ Pháp chế"], "deadline": "Tháng 10/2025", "result": "Thông tư"},
        {"code": "1.2", "group": "I", "parent": "1", "name": M12_ROWS[4][1], "lead": ["Trung tâm Thông tin"], "coordinating": ["Các đơn vị thuộc Bộ"], "deadline": "Quý I/2026", "result": "Quyết định"},
        {"code": "2", "group": "I", "name": M12_ROWS[5][1], "lead": ["Văn phòng Bộ"], "coordinating": ["Các đơn vị thuộc Bộ"], "deadline": "Hằng năm", "result": "Báo cáo rà soát"},
        {"group": "II", "parent": "3", "name": M12_ROWS[8][1], "lead": ["Vụ Tổ chức cán bộ"], "coordinating": ["Trường Đào tạo cán bộ"], "deadline": "Năm 2026", "result": "Lớp bồi dưỡng"},
        {"group": "II", "parent": "3", "name": M12_ROWS[9][1], "lead": ["Cục An toàn thông tin"], "coordinating": ["Các đơn vị thuộc Bộ"], "deadline": "Quý III hằng năm", "result": "Báo cáo diễn tập"},
    ],
}


def _m12_docx():
    import docx
    d = docx.Document()
    d.add_paragraph("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG")
    d.add_paragraph("Số: 2101/QĐ-BNNMT")
    d.add_paragraph("KẾ HOẠCH HÀNH ĐỘNG chuyển đổi số của Bộ Nông nghiệp và Môi trường năm 2026")
    _docx_table(d, M12_ROWS)
    buf = io.BytesIO(); d.save(buf); return buf.getvalue()


# 13. Report DOCX: lead cell merged vertically over two rows, one continuation row with empty TT
R13_ROWS = [
    ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Kết quả đạt được", "Mức độ hoàn thành"],
    ["1", "Xây dựng bản đồ số du lịch", "Sở Văn hóa, Thể thao và Du lịch", "Đã đưa vào vận hành", "Hoàn thành"],
    ["2", "Số hóa di sản văn hóa cấp tỉnh", "", "Đã số hóa 12/30 di tích", "Đang triển khai"],
    ["3", "Triển khai vé điện tử tại các điểm tham quan", "Trung tâm Bảo tồn di sản", "Chưa triển khai", "Chưa hoàn thành"],
]
R13_EXPECT = {
    "kind": "report",
    "report_rows": [
        {"code": "1", "name": R13_ROWS[1][1], "lead": "Sở Văn hóa, Thể thao và Du lịch", "result_to_date": "Đã đưa vào vận hành", "status": "Hoàn thành"},
        {"code": "2", "name": R13_ROWS[2][1], "lead": "Sở Văn hóa, Thể thao và Du lịch", "result_to_date": "Đã số hóa 12/30 di tích", "status": "Đang triển khai"},
        {"code": "3", "name": R13_ROWS[3][1], "lead": "Trung tâm Bảo tồn di sản", "result_to_date": "Chưa triển khai", "status": "Chưa hoàn thành"},
    ],
}


def _r13_docx():
    import docx
    d = docx.Document()
    d.add_paragraph("UBND TỈNH QUẢNG NINH")
    d.add_paragraph("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH")
    d.add_paragraph("BÁO CÁO Tiến độ thực hiện nhiệm vụ chuyển đổi số năm 2025")
    t = _docx_table(d, R13_ROWS)
    a, b = t.cell(1, 2), t.cell(2, 2)
    m = a.merge(b)
    m.text = "Sở Văn hóa, Thể thao và Du lịch"
    buf = io.BytesIO(); d.save(buf); return buf.getvalue()


SPECS += [
    ("11_province_lotrinh.docx", _p11_docx, P11_EXPECT),
    ("12_ministry_subtasks.docx", _m12_docx, M12_EXPECT),
    ("13_report_merged_lead.docx", _r13_docx, R13_EXPECT),
]
