"""Small ReportData objects built in code, for renderer rules that need no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from planwatch.documents.report_data import IndicatorLine, Letterhead, ReportData, StatusCount, TaskLine, date_line


def letterhead(**kw) -> Letterhead:
    base = dict(
        parent_body="UBND TỈNH QUẢNG NGÃI",
        issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        issuer_name="Sở Khoa học và Công nghệ",
        abbreviation="SKHCN",
        number="Số:         /BC-SKHCN",
        place="Quảng Ngãi",
        date_line=date_line("Quảng Ngãi", date(2025, 5, 10)),
        signer_authority="KT. GIÁM ĐỐC",
        signer_title="PHÓ GIÁM ĐỐC",
        signer_name="Phạm Quốc Bảo",
        recipients=("- UBND tỉnh (b/c);", "- Lưu: VT, SKHCN."),
    )
    base.update(kw)
    return Letterhead(**base)


def task(tt="1", **kw) -> TaskLine:
    base = dict(
        kind="task", tt=tt, name=f"Nhiệm vụ {tt}", lead="Sở KH&CN", result_required="Kế hoạch",
        deadline="Tháng 9/2025", result_to_date="Đã dự thảo", expected_next="Ban hành",
        obstacles="", status="in_progress", status_label="đang thực hiện (trong hạn)",
        assigned=1, reported=1, done=0, in_progress=1, not_started=0, task_id=None,
    )
    base.update(kw)
    return TaskLine(**base)


def indicator(tt="1.1", **kw) -> IndicatorLine:
    base = dict(
        kind="indicator", tt=tt, name=f"Chỉ tiêu {tt}", unit="%", targets=("> 10", "> 25"),
        agency="Sở KH&CN", value=Decimal("1000.5"), value_text="1.000,5", status="achieved",
        status_label="đạt", reason="Đã đạt", rule="", indicator_id=None,
    )
    base.update(kw)
    return IndicatorLine(**base)


def report_data(tasks=None, indicators=None, **kw) -> ReportData:
    tasks = tasks if tasks is not None else [TaskLine(kind="group", tt="I", name="Nhóm I"), task("1"), task("2")]
    indicators = indicators if indicators is not None else [
        IndicatorLine(kind="group", tt="1", name="Nhóm chỉ tiêu", targets=("", "")), indicator("1.1"),
    ]
    base = dict(
        plan_name="Kế hoạch hành động thử", period_label="Tháng 4/2025",
        period_start=date(2025, 4, 1), period_end=date(2025, 4, 30), as_of=date(2025, 5, 10),
        org_name="Sở Khoa học và Công nghệ", is_consolidated=False, letterhead=letterhead(),
        title="BÁO CÁO", subject="Kết quả thực hiện kế hoạch thử (kỳ tháng 4/2025)",
        intro="Mở đầu.", reporting_summary="Tình hình báo cáo.", task_summary="Nhiệm vụ.",
        assignment_summary="Theo đơn vị.", indicator_summary="Chỉ tiêu.",
        obstacles=("Thiếu kinh phí.",), recommendations=("Bổ sung kinh phí.",), closing="Kết.",
        task_headers=("TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Kết quả yêu cầu", "Thời hạn hoàn thành",
                      "Kết quả (đến ngày 10/05/2025)", "Dự kiến kết quả đến tháng 5/2025",
                      "Vướng mắc, kiến nghị", "Tình trạng"),
        task_lines=tuple(tasks), milestone_years=(2025, 2030),
        indicator_headers=("STT", "Tên chỉ tiêu", "Đơn vị tính", "2025", "2030", "Cơ quan chủ trì",
                           "Giá trị mới nhất (kỳ tháng 4/2025)", "Tình trạng"),
        indicator_lines=tuple(indicators),
        task_counts=(StatusCount("in_progress", "đang thực hiện (trong hạn)", 2),),
        assignment_counts=(StatusCount("in_progress", "đang thực hiện (trong hạn)", 2),),
        indicator_counts=(StatusCount("achieved", "đạt", 1),),
    )
    base.update(kw)
    return ReportData(**base)


__all__ = ["indicator", "letterhead", "replace", "report_data", "task"]
