"""A small, complete ReportData used to check an uploaded template before it is saved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .report_data import IndicatorLine, Letterhead, ReportData, StatusCount, TaskLine, date_line


def sample_report_data() -> ReportData:
    lh = Letterhead(
        parent_body="UBND TỈNH QUẢNG NGÃI", issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        issuer_name="Sở Khoa học và Công nghệ", abbreviation="SKHCN", number="Số:         /BC-SKHCN",
        place="Quảng Ngãi", date_line=date_line("Quảng Ngãi", date(2025, 5, 10)),
        signer_authority="KT. GIÁM ĐỐC", signer_title="PHÓ GIÁM ĐỐC", signer_name="Nguyễn Văn A",
        recipients=("- UBND tỉnh (b/c);", "- Lưu: VT, SKHCN."),
    )
    task = TaskLine(
        kind="task", tt="1", name="Nhiệm vụ mẫu", lead="Sở KH&CN", result_required="Kế hoạch",
        deadline="Tháng 9/2025", result_to_date="Đã dự thảo", expected_next="Ban hành", obstacles="",
        status="in_progress", status_label="đang thực hiện (trong hạn)", assigned=1, reported=1, in_progress=1,
    )
    ind = IndicatorLine(
        kind="indicator", tt="1.1", name="Chỉ tiêu mẫu", unit="%", targets=("> 10",), agency="Sở KH&CN",
        value=Decimal("12.5"), value_text="12,5", status="achieved", status_label="đạt",
    )
    return ReportData(
        plan_name="Kế hoạch mẫu", period_label="Tháng 4/2025", period_start=date(2025, 4, 1),
        period_end=date(2025, 4, 30), as_of=date(2025, 5, 10), org_name="Tỉnh Quảng Ngãi", is_consolidated=True,
        letterhead=lh, title="BÁO CÁO", subject="Kết quả thực hiện kế hoạch mẫu (kỳ tháng 4/2025)",
        intro="Mở đầu.", reporting_summary="Báo cáo.", task_summary="Nhiệm vụ.", assignment_summary="Đơn vị.",
        indicator_summary="Chỉ tiêu.", obstacles=("Khó khăn.",), recommendations=("Kiến nghị.",), closing="Kết.",
        task_headers=("TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Kết quả yêu cầu", "Thời hạn hoàn thành",
                      "Kết quả", "Dự kiến", "Vướng mắc, kiến nghị", "Tình trạng"),
        task_lines=(TaskLine(kind="group", tt="I", name="Nhóm mẫu"), task), milestone_years=(2025,),
        indicator_headers=("STT", "Tên chỉ tiêu", "Đơn vị tính", "2025", "Cơ quan chủ trì", "Giá trị mới nhất",
                           "Tình trạng"),
        indicator_lines=(ind,), task_counts=(StatusCount("in_progress", "đang thực hiện (trong hạn)", 1),),
        assignment_counts=(), indicator_counts=(StatusCount("achieved", "đạt", 1),),
    )
