"""ReportData → XLSX: one sheet per appendix table, header row frozen, readable widths,
wrapped text, numbers stored as numbers.

Number formats are written in the file's neutral notation ("#,##0.0#"); Excel and
LibreOffice show them with the reader's separators, so a Vietnamese-locale reader sees
1.000,5 while the cell still holds the number 1000.5 (sums and charts keep working)."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .report_data import IndicatorLine, ReportData, TaskLine
from .sanitize import looks_like_formula, xlsx_text

FONT = "Times New Roman"
INT_FORMAT = "#,##0"
DEC_FORMAT = "#,##0.0#"
_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEAD_FONT = Font(name=FONT, size=11, bold=True)
BODY_FONT = Font(name=FONT, size=11)
GROUP_FONT = Font(name=FONT, size=11, bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")
HEAD_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")

TASK_SHEET = "Nhiệm vụ"
INDICATOR_SHEET = "Chỉ tiêu"
TASK_COUNT_HEADERS = ("Số đơn vị được giao", "Số đơn vị đã báo cáo", "Hoàn thành", "Đang thực hiện", "Chưa triển khai")
TASK_WIDTHS = (6, 50, 22, 28, 14, 60, 45, 40, 20, 11, 11, 11, 11, 11)


def task_sheet_headers(data: ReportData) -> tuple[str, ...]:
    return data.task_headers + TASK_COUNT_HEADERS


def indicator_sheet_headers(data: ReportData) -> tuple[str, ...]:
    return data.indicator_headers + ("Nhận xét",)


def task_row_values(line: TaskLine) -> list:
    if line.kind == "group":
        return [line.tt, line.name]
    return [
        line.tt, line.name, line.lead, line.result_required, line.deadline, line.result_to_date,
        line.expected_next, line.obstacles, line.status_label,
        line.assigned, line.reported, line.done, line.in_progress, line.not_started,
    ]


def indicator_row_values(line: IndicatorLine) -> list:
    if line.kind == "group":
        return [line.tt, line.name]
    return [line.tt, line.name, line.unit, *line.targets, line.agency, line.value, line.status_label, line.reason]


def _put(ws, row: int, col: int, value, *, font=BODY_FONT, align=WRAP) -> None:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        cell.value = value
        integral = isinstance(value, int) or value == value.to_integral_value()
        cell.number_format = INT_FORMAT if integral else DEC_FORMAT
        cell.alignment = Alignment(vertical="top", horizontal="right")
    elif value is None:
        cell.alignment = align
    else:
        text = xlsx_text(value)
        cell.value = text
        # openpyxl turns any string starting with "=" into a formula; user text never is one.
        cell.data_type = "s"
        if looks_like_formula(text):
            cell.quotePrefix = True
        cell.alignment = align
    cell.font = font
    cell.border = BORDER


def _sheet(wb, title: str, headers, widths) -> object:
    ws = wb.create_sheet(title)
    for col, (h, w) in enumerate(zip(headers, widths), start=1):
        cell = ws.cell(row=1, column=col, value=h)
        cell.font = HEAD_FONT
        cell.fill = HEAD_FILL
        cell.alignment = HEAD_ALIGN
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.freeze_panes = "C2"  # header row and the TT / name columns stay in view
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def _fill(ws, rows: list[tuple[bool, list]], n_cols: int, centred: set[int]) -> None:
    for r, (is_group, values) in enumerate(rows, start=2):
        font = GROUP_FONT if is_group else BODY_FONT
        for c in range(1, n_cols + 1):
            value = values[c - 1] if c - 1 < len(values) else None
            _put(ws, r, c, value, font=font, align=WRAP_CENTER if c in centred else WRAP)
        if is_group:
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=n_cols)


def render_xlsx(data: ReportData) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = f"{data.subject}"
    wb.properties.creator = "planwatch"

    headers = task_sheet_headers(data)
    ws = _sheet(wb, TASK_SHEET, headers, TASK_WIDTHS)
    _fill(ws, [(t.kind == "group", task_row_values(t)) for t in data.task_lines], len(headers), {1, 5})

    headers = indicator_sheet_headers(data)
    n_years = len(data.milestone_years)
    widths = (6, 55, 14) + (10,) * n_years + (30, 16, 24, 50)
    ws = _sheet(wb, INDICATOR_SHEET, headers, widths)
    centred = {1, 3} | {4 + i for i in range(n_years)}
    _fill(ws, [(i.kind == "group", indicator_row_values(i)) for i in data.indicator_lines], len(headers), centred)

    out = BytesIO()
    wb.save(out)
    return out.getvalue()
