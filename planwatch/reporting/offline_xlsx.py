"""Offline Excel round trip of a unit's period report.

download: `build_workbook(report)` writes the report as an XLSX a unit can fill without a
connection: a sheet of its tasks, a sheet of its indicators (targets and the previous
period's value beside the cells to fill), a sheet of the general remarks, and a hidden sheet
holding the report id and the version the file was made from.

upload: `read_workbook(report, file)` reads a filled file back (parse → map → validate,
never writing): every cell is checked by the same rules as the web form (reporting.forms
ReportForm, so one rule per concept) and every problem names its cell ("Ô E7 (Nhiệm vụ): …").
The result lists what would change, compared with the report as it is now.

apply: `offline_apply(...)` writes the changes as ONE save through `report_save_draft` with
the version the file was downloaded at: if anyone saved the report since, the save is refused
(VersionConflict) and nothing is written; the file stays with the user, and the refusal lists
what they changed and what the other person changed."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from planwatch.lib.numbers import format_vn_number
from planwatch.lib.text import search_key, strip_accents

from .models import IndicatorValue, ProgressStatus, Rating, ReportEvent, ReportRevision, TaskProgress, UnitReport
from .selectors import previous_report
from .services import FIELD_LABELS, TASK_FIELDS, ReportData, ReportingError, _str, is_ratio, report_save_draft, snapshot

FORMAT_VERSION = 1
META_SHEET = "planwatch"
TASK_SHEET = "Nhiệm vụ"
IND_SHEET = "Chỉ tiêu"
GENERAL_SHEET = "Chung"
HEADER_ROW = 6
FIRST_ROW = 7  # the first task / indicator: "Ô E7" is the first task's completion date

# (column letter, form field or None for a read-only column, header)
TASK_COLUMNS = [
    ("A", None, "Mã (không sửa)"),
    ("B", None, "Nhiệm vụ"),
    ("C", None, "Thời hạn"),
    ("D", "status", "Tình hình"),
    ("E", "completed_on", "Ngày hoàn thành (dd/mm/yyyy)"),
    ("F", "result_to_date", "Kết quả đến thời điểm báo cáo"),
    ("G", "expected_next", "Dự kiến kết quả kỳ tới"),
    ("H", "obstacles", "Vướng mắc, kiến nghị"),
    ("I", "rating", "Tự đánh giá (xanh, vàng, đỏ)"),
    ("J", "rating_explanation", "Giải trình (bắt buộc khi vàng, đỏ)"),
]
IND_COLUMNS = [
    ("A", None, "Mã (không sửa)"),
    ("B", None, "Chỉ tiêu"),
    ("C", None, "Đơn vị tính"),
    ("D", None, "Mục tiêu"),
    ("E", None, "Kỳ trước"),
    ("F", "value", "Giá trị"),
    ("G", "numerator", "Tử số (chỉ tiêu tỷ lệ)"),
    ("H", "denominator", "Mẫu số (chỉ tiêu tỷ lệ)"),
    ("I", "note", "Ghi chú"),
]
GENERAL_ROWS = [(FIRST_ROW, "general_obstacles"), (FIRST_ROW + 1, "general_recommendations")]
TASK_COL = {f: c for c, f, _ in TASK_COLUMNS if f}
IND_COL = {f: c for c, f, _ in IND_COLUMNS if f}

STATUS_WORDS = {search_key(label): code for code, label in ProgressStatus.choices}
RATING_WORDS = {search_key(label): code for code, label in Rating.choices}
_FORMULA_START = ("=", "+", "-", "@")
MAX_UNZIPPED = 60 * 1024 * 1024


class OfflineFileError(ReportingError):
    """The upload is not a readable report file of this report (one message, nothing read)."""


@dataclass
class CellProblem:
    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        return f"Ô {self.cell} ({self.sheet}): {self.message}"


@dataclass
class CellChange:
    sheet: str
    cell: str
    label: str
    before: str
    after: str
    key: str = ""  # the snapshot key ("t12.status", "i3.value", "general_obstacles")
    saved_form: str = ""  # the file's value written as a ReportRevision snapshot writes it


@dataclass
class OfflineRead:
    """What an uploaded file says, checked against the report (nothing written)."""

    report: UnitReport
    file_version: int
    problems: list[CellProblem] = field(default_factory=list)
    changes: list[CellChange] = field(default_factory=list)
    data: ReportData | None = None  # only the changed fields, ready for report_save_draft
    notes: list[str] = field(default_factory=list)  # harmless things worth saying
    # When the report was saved after the file was made: the cells the file's author changed
    # and the cells someone else changed since (labels), so nothing is lost from view.
    others_changes: list[Any] = field(default_factory=list)

    @property
    def saved_by(self) -> str:
        """Who saved the report last, family name first."""
        from planwatch.lib.text import user_full_name

        return user_full_name(self.report.updated_by)

    @property
    def stale(self) -> bool:
        return self.file_version != self.report.version

    @property
    def can_apply(self) -> bool:
        return not self.problems and not self.stale and bool(self.changes) and self.report.is_editable


# ------------------------------------------------------------------ download


def _text_cell(ws, ref: str, value: str) -> None:
    """User text stays text: a result beginning with "=" must never become a formula."""
    cell = ws[ref]
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _targets_text(ind) -> str:
    return "; ".join(f"{t.year}: {t.raw}" for t in ind.targets.all() if t.raw)


def _value_text(iv: IndicatorValue | None) -> str:
    if iv is None:
        return ""
    if iv.numerator is not None and iv.denominator is not None:
        v = f"{format_vn_number(iv.numerator)}/{format_vn_number(iv.denominator)}"
        return f"{format_vn_number(iv.value)} ({v})" if iv.value is not None else v
    return format_vn_number(iv.value) if iv.value is not None else ""


def file_name(report: UnitReport) -> str:
    from django.utils.text import slugify

    return f"bao-cao-{slugify(strip_accents(report.period.label))}-{slugify(strip_accents(report.org.name))}.xlsx"


def build_workbook(report: UnitReport) -> bytes:
    """The report as an XLSX to fill offline (see the module docstring for its layout)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    report = UnitReport.objects.select_related("period__plan", "org").get(pk=report.pk)
    lines = list(report.task_lines.select_related("task__group").order_by("task__position"))
    values = list(
        report.indicator_values.select_related("indicator").prefetch_related("indicator__targets").order_by("indicator__position")
    )
    prev = previous_report(report.period, report.org)
    prev_values = {iv.indicator_id: iv for iv in prev.indicator_values.all()} if prev else {}

    wb = Workbook()
    grey = PatternFill("solid", fgColor="E8EAED")
    group_fill = PatternFill("solid", fgColor="D2E3FC")
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    now = timezone.localtime()

    def head(ws, columns, what):
        ws["A1"] = f"{what} – {report.period.label}"
        ws["A1"].font = Font(bold=True, size=13)
        ws["A2"] = f"Đơn vị: {report.org.name}"
        ws["A3"] = (
            f"Hạn nộp: {report.period.due_date:%d/%m/%Y}. Tệp tải về lúc {now:%H:%M} ngày {now:%d/%m/%Y} "
            f"(phiên bản {report.version} của báo cáo)."
        )
        ws["A4"] = (
            "Điền các cột nền trắng; không sửa cột Mã và các cột nền xám. Số viết kiểu Việt Nam (1.000,5), "
            "ngày viết dd/mm/yyyy. Xong thì vào trang báo cáo, chọn “Tải lên tệp Excel đã điền”."
        )
        for col, f, label in columns:
            c = ws[f"{col}{HEADER_ROW}"]
            c.value = label
            c.font = bold
            c.alignment = wrap
            c.fill = grey if f is None else PatternFill()
        ws.freeze_panes = f"C{FIRST_ROW}"

    # Tasks
    ws = wb.active
    ws.title = TASK_SHEET
    head(ws, TASK_COLUMNS, "Tiến độ thực hiện nhiệm vụ")
    for col, width in zip("ABCDEFGHIJ", (8, 50, 16, 18, 14, 45, 35, 30, 12, 30)):
        ws.column_dimensions[col].width = width
    status_dv = DataValidation(type="list", formula1='"' + ",".join(ProgressStatus.labels) + '"', allow_blank=False)
    rating_dv = DataValidation(type="list", formula1='"' + ",".join(Rating.labels) + '"', allow_blank=True)
    status_dv.error = "Chọn một trong: " + ", ".join(ProgressStatus.labels)
    rating_dv.error = "Chọn xanh, vàng hoặc đỏ (hoặc để trống)"
    ws.add_data_validation(status_dv)
    ws.add_data_validation(rating_dv)
    row = FIRST_ROW
    group = object()
    for tl in lines:
        if tl.task.group_id and tl.task.group != group:
            group = tl.task.group
            _text_cell(ws, f"B{row}", f"{group.code}. {group.name}")
            for col in "ABCDEFGHIJ":
                ws[f"{col}{row}"].fill = group_fill
            ws[f"B{row}"].font = bold
            row += 1
        t = tl.task
        _text_cell(ws, f"A{row}", t.code)
        _text_cell(ws, f"B{row}", t.name)
        _text_cell(ws, f"C{row}", t.deadline_raw)
        for col in "ABC":
            ws[f"{col}{row}"].fill = grey
        ws[f"D{row}"] = tl.get_status_display()
        if tl.completed_on:
            ws[f"E{row}"] = tl.completed_on
            ws[f"E{row}"].number_format = "DD/MM/YYYY"
        _text_cell(ws, f"F{row}", tl.result_to_date)
        _text_cell(ws, f"G{row}", tl.expected_next)
        _text_cell(ws, f"H{row}", tl.obstacles)
        ws[f"I{row}"] = tl.get_rating_display() if tl.rating else None
        _text_cell(ws, f"J{row}", tl.rating_explanation)
        for col in "ABCDEFGHIJ":
            ws[f"{col}{row}"].alignment = wrap
        status_dv.add(f"D{row}")
        rating_dv.add(f"I{row}")
        row += 1

    # Indicators
    ws = wb.create_sheet(IND_SHEET)
    head(ws, IND_COLUMNS, "Số liệu chỉ tiêu")
    for col, width in zip("ABCDEFGHI", (8, 55, 14, 26, 18, 14, 14, 14, 30)):
        ws.column_dimensions[col].width = width
    for row, iv in enumerate(values, start=FIRST_ROW):
        ind = iv.indicator
        _text_cell(ws, f"A{row}", ind.code)
        _text_cell(ws, f"B{row}", ind.name)
        _text_cell(ws, f"C{row}", ind.unit)
        _text_cell(ws, f"D{row}", _targets_text(ind))
        _text_cell(ws, f"E{row}", _value_text(prev_values.get(ind.pk)))
        for col in "ABCDE":
            ws[f"{col}{row}"].fill = grey
            ws[f"{col}{row}"].alignment = wrap
        for f in ("value", "numerator", "denominator"):
            v = getattr(iv, f)
            cell = ws[f"{IND_COL[f]}{row}"]
            cell.value = v
            cell.number_format = "#,##0.####"
            if not is_ratio(ind) and f != "value":
                cell.fill = grey  # only ratio indicators have a numerator and a denominator
        if is_ratio(ind):
            ws[f"F{row}"].fill = grey  # computed from the two counts when both are given
        _text_cell(ws, f"I{row}", iv.note)
        ws[f"I{row}"].alignment = wrap

    # General remarks
    ws = wb.create_sheet(GENERAL_SHEET)
    head(ws, [("A", None, "Mục"), ("B", "text", "Nội dung")], "Khó khăn, kiến nghị chung")
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 100
    for row, f in GENERAL_ROWS:
        ws[f"A{row}"] = FIELD_LABELS[f][:1].upper() + FIELD_LABELS[f][1:]
        ws[f"A{row}"].fill = grey
        _text_cell(ws, f"B{row}", getattr(report, f))
        ws[f"B{row}"].alignment = wrap

    # Which report and which version the file was made from.
    meta = wb.create_sheet(META_SHEET)
    for i, (k, v) in enumerate(
        (("report", report.pk), ("version", report.version), ("period", report.period_id), ("org", report.org_id),
         ("format", FORMAT_VERSION)),
        start=1,
    ):
        meta[f"A{i}"], meta[f"B{i}"] = k, v
    meta.sheet_state = "veryHidden"

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ upload


def _open(upload) -> Any:
    from openpyxl import load_workbook

    limit = settings.PLANWATCH_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise OfflineFileError(f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB")
    upload.seek(0)
    raw = upload.read()
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            names = z.namelist()
            # A small file that unpacks to gigabytes (zip bomb) is refused before reading.
            if sum(i.file_size for i in z.infolist()) > MAX_UNZIPPED:
                raise OfflineFileError("Tệp giải nén ra quá lớn: không đọc")
    except zipfile.BadZipFile:
        raise OfflineFileError("Tệp không phải tệp Excel (.xlsx). Hãy tải lên đúng tệp đã tải về từ trang báo cáo.") from None
    if "xl/workbook.xml" not in names:
        raise OfflineFileError("Tệp không phải tệp Excel (.xlsx). Hãy tải lên đúng tệp đã tải về từ trang báo cáo.")
    try:
        # The values as last calculated, and the cells as typed: a formula whose value was
        # never calculated (the file was not saved by a spreadsheet program) reads as empty
        # and must be named, not taken for an emptied cell.
        return load_workbook(io.BytesIO(raw), data_only=True), load_workbook(io.BytesIO(raw), data_only=False)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise OfflineFileError("Không đọc được tệp Excel (tệp hỏng hoặc được lưu sai định dạng).") from None


def _meta(wb) -> dict[str, int]:
    if META_SHEET not in wb.sheetnames:
        raise OfflineFileError(
            "Tệp không phải tệp báo cáo tải về từ planwatch (thiếu phần thông tin ẩn của báo cáo). "
            "Hãy tải tệp về từ trang báo cáo, điền rồi tải lên lại."
        )
    ws = wb[META_SHEET]
    out = {}
    for row in ws.iter_rows(min_row=1, max_row=10, max_col=2, values_only=True):
        if row[0] and row[1] is not None:
            try:
                out[str(row[0])] = int(row[1])
            except (TypeError, ValueError):
                pass
    if "report" not in out or "version" not in out:
        raise OfflineFileError("Phần thông tin ẩn của tệp bị hỏng: không biết tệp thuộc báo cáo nào.")
    return out


def _as_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, bool):
        return "Có" if v else "Không"
    if isinstance(v, (int, float, Decimal)):
        return _number_text(v)
    return str(v)


def _number_text(v) -> str:
    """A number cell as the Vietnamese text the form reads. The XML holds the shortest text of
    the number; repr(float) gives it back exactly (never a binary artefact like 0.1000000001)."""
    try:
        d = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    except InvalidOperation:
        return str(v)
    if not d.is_finite():
        return str(v)
    return format_vn_number(d)


def _number_cell(v) -> str:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, (int, float, Decimal)):
        return _number_text(v)
    return "" if v is None else str(v)


def _word(v, words: dict[str, str]) -> str:
    """A status or rating word typed any way ("Hoàn thành", "hoan thanh") → its code; an
    unknown word is passed on as typed so that the form names it invalid."""
    text = _as_text(v).strip()
    return words.get(search_key(text), text) if text else ""


def _rows_by_code(ws, known: set[str], sheet: str, editable: list[str], problems: list[CellProblem]) -> dict[str, int]:
    """The row of each report line in a sheet, found by its code in column A (so sorting the
    rows in Excel does no harm)."""
    found: dict[str, int] = {}
    for row in range(FIRST_ROW, ws.max_row + 1):
        code = _as_text(ws[f"A{row}"].value).strip()
        if not code:
            if any(ws[f"{c}{row}"].value not in (None, "") for c in editable):
                problems.append(CellProblem(sheet, f"A{row}", "Dòng có nội dung nhưng thiếu mã; không biết thuộc dòng nào của báo cáo."))
            continue
        if code not in known:
            problems.append(CellProblem(sheet, f"A{row}", f"Mã “{code}” không có trong báo cáo này."))
        elif code in found:
            problems.append(CellProblem(sheet, f"A{row}", f"Mã “{code}” xuất hiện hai lần (dòng {found[code]} và dòng {row})."))
        else:
            found[code] = row
    return found


def _same(before, after) -> bool:
    """Equal as people see it: empty text and None alike, surrounding spaces ignored, 5 = 5,00."""
    def norm(v):
        if isinstance(v, str):
            v = v.strip().replace("\r\n", "\n")
        return None if v is None or v == "" else v

    return norm(before) == norm(after)


def read_workbook(report: UnitReport, upload) -> OfflineRead:
    """Read and check an uploaded file against `report` (raises OfflineFileError when the file
    is not a report file of this report; cell problems are returned, never raised)."""
    from .forms import ReportForm

    wb, typed = _open(upload)
    meta = _meta(wb)
    report = UnitReport.objects.select_related("period__plan", "org", "updated_by").get(pk=report.pk)
    if meta["report"] != report.pk:
        other = UnitReport.objects.filter(pk=meta["report"]).select_related("period", "org").first()
        where = f" ({other.period.label} – {other.org.name})" if other else ""
        raise OfflineFileError(f"Tệp này là của một báo cáo khác{where}, không phải {report.period.label} – {report.org.name}.")
    for name in (TASK_SHEET, IND_SHEET):
        if name not in wb.sheetnames:
            raise OfflineFileError(f"Tệp thiếu trang tính “{name}”: hãy tải lại tệp từ trang báo cáo.")

    lines = list(report.task_lines.select_related("task").order_by("task__position"))
    values = list(report.indicator_values.select_related("indicator").order_by("indicator__position"))
    result = OfflineRead(report=report, file_version=meta["version"])
    problems = result.problems

    def cell(ws, ref):
        v = ws[ref].value
        if v is None and typed[ws.title][ref].data_type == "f":
            problems.append(CellProblem(ws.title, ref, "Ô có công thức chưa được tính: nhập giá trị, hoặc mở tệp bằng Excel rồi lưu lại."))
        return v

    base = ReportForm(report, lines, values)
    data = {name: (base.initial.get(name) or "") for name in base.fields}
    data["version"] = str(report.version)
    where: dict[str, tuple[str, str]] = {}  # form field → (sheet, cell)

    ws = wb[TASK_SHEET]
    by_code = {tl.task.code: tl for tl in lines}
    rows = _rows_by_code(ws, set(by_code), TASK_SHEET, [c for c, f, _ in TASK_COLUMNS if f], problems)
    for code, tl in by_code.items():
        row = rows.get(code)
        if row is None:
            result.notes.append(f"Nhiệm vụ {code} không có trong tệp: giữ nguyên như trên hệ thống.")
            continue
        p = f"t{tl.task_id}_"
        for f in TASK_FIELDS:
            ref = f"{TASK_COL[f]}{row}"
            where[p + f] = (TASK_SHEET, ref)
            v = cell(ws, ref)
            if f == "status":
                data[p + f] = _word(v, STATUS_WORDS)
            elif f == "rating":
                data[p + f] = _word(v, RATING_WORDS)
            else:
                data[p + f] = _as_text(v)

    ws = wb[IND_SHEET]
    by_code_i = {iv.indicator.code: iv for iv in values}
    rows = _rows_by_code(ws, set(by_code_i), IND_SHEET, [c for c, f, _ in IND_COLUMNS if f], problems)
    for code, iv in by_code_i.items():
        row = rows.get(code)
        if row is None:
            result.notes.append(f"Chỉ tiêu {code} không có trong tệp: giữ nguyên như trên hệ thống.")
            continue
        p = f"i{iv.indicator_id}_"
        for f in ("value", "numerator", "denominator", "note"):
            ref = f"{IND_COL[f]}{row}"
            if p + f not in base.fields:
                if ws[ref].value not in (None, ""):
                    problems.append(CellProblem(IND_SHEET, ref, f"Chỉ tiêu {code} không nhập tử số, mẫu số: để trống ô này."))
                continue
            where[p + f] = (IND_SHEET, ref)
            v = cell(ws, ref)
            data[p + f] = _as_text(v) if f == "note" else _number_cell(v)

    if GENERAL_SHEET in wb.sheetnames:
        ws = wb[GENERAL_SHEET]
        for row, f in GENERAL_ROWS:
            where[f] = (GENERAL_SHEET, f"B{row}")
            data[f] = _as_text(cell(ws, f"B{row}"))

    form = ReportForm(report, lines, values, data)
    if not form.is_valid():
        for key, errs in form.errors.items():
            sheet, ref = where.get(key, ("", ""))
            for msg in errs:
                if key.endswith("_status") and msg.startswith("Tình hình không hợp lệ"):
                    msg = f"Tình hình “{data[key]}” không hợp lệ: chọn " + ", ".join(ProgressStatus.labels) + "."
                elif key.endswith("_rating") and msg.startswith("Mức tự đánh giá không hợp lệ"):
                    msg = f"Mức tự đánh giá “{data[key]}” không hợp lệ: chọn xanh, vàng hoặc đỏ (hoặc để trống)."
                problems.append(CellProblem(sheet, ref, msg))
    if problems:
        problems.sort(key=lambda p: (p.sheet != TASK_SHEET, p.sheet, _cell_order(p.cell)))
        return result

    # What changes, compared with the report as saved now (only those fields are written).
    new = form.report_data()
    changed = ReportData()
    for tl in lines:
        fields = new.tasks[tl.task_id]
        for f in TASK_FIELDS:
            after = fields.get(f)
            if f == "completed_on" and fields.get("status") != ProgressStatus.DONE:
                after = None  # the service drops it too
            before = getattr(tl, f)
            if not _same(before, after):
                changed.tasks.setdefault(tl.task_id, {})[f] = after
                sheet, ref = where[f"t{tl.task_id}_{f}"]
                result.changes.append(CellChange(
                    sheet, ref, f"Nhiệm vụ {tl.task.code}: {FIELD_LABELS[f]}",
                    _show(tl, f, before), _show(tl, f, after), f"t{tl.task_id}.{f}",
                    _show(tl, f, after) if f == "rating" else _str(after),
                ))
    for iv in values:
        fields = new.indicators[iv.indicator_id]
        for f in ("value", "numerator", "denominator", "note"):
            after, before = fields.get(f), getattr(iv, f)
            if not _same(before, after):
                changed.indicators.setdefault(iv.indicator_id, {})[f] = after
                p = f"i{iv.indicator_id}_{f}"
                sheet, ref = where.get(p) or where.get(f"i{iv.indicator_id}_numerator", (IND_SHEET, ""))
                result.changes.append(CellChange(
                    sheet, ref, f"Chỉ tiêu {iv.indicator.code}: {FIELD_LABELS[f]}", _show(None, f, before), _show(None, f, after),
                    f"i{iv.indicator_id}.{f}", _str(after),
                ))
    for _, f in GENERAL_ROWS:
        if f not in where:
            continue
        after, before = new.general.get(f) or "", getattr(report, f)
        if not _same(before, after):
            changed.general[f] = after
            sheet, ref = where[f]
            result.changes.append(CellChange(sheet, ref, FIELD_LABELS[f][:1].upper() + FIELD_LABELS[f][1:], before, after, f, after))
    result.data = changed
    if result.stale:
        result.others_changes = _others_changes(report, result.file_version)
        base = ReportRevision.objects.filter(report=report, version=result.file_version).values_list("data", flat=True).first()
        if base is not None:
            # Only the cells the file's author edited (a cell someone else changed since the
            # download holds the old value in the file: that is not the author's edit).
            result.changes = [c for c in result.changes if not _same(base.get(c.key, ""), c.saved_form)]
    return result


def _others_changes(report: UnitReport, since_version: int):
    """What was saved after the file's version (label, then, now), from the saved revisions."""
    from .services import _diff

    fresh = UnitReport.objects.prefetch_related("task_lines", "indicator_values").get(pk=report.pk)
    if not ReportRevision.objects.filter(report=report, version=since_version).exists():
        return []
    return _diff(report, since_version, snapshot(fresh))


def _cell_order(ref: str) -> tuple[int, str]:
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = "".join(ch for ch in ref if ch.isdigit())
    return (int(digits or 0), letters)


def _show(line: TaskProgress | None, f: str, v) -> str:
    if v is None or v == "":
        return ""
    if f == "status":
        return ProgressStatus(v).label if v in ProgressStatus.values else str(v)
    if f == "rating":
        return Rating(v).label if v in Rating.values else str(v)
    if isinstance(v, date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, Decimal):
        return format_vn_number(v)
    return str(v)


# ------------------------------------------------------------------ apply


def data_to_json(data: ReportData) -> dict:
    def enc(v):
        if isinstance(v, Decimal):
            return {"d": str(v)}
        if isinstance(v, date):
            return {"t": v.isoformat()}
        return v

    return {
        "tasks": {str(k): {f: enc(v) for f, v in d.items()} for k, d in data.tasks.items()},
        "indicators": {str(k): {f: enc(v) for f, v in d.items()} for k, d in data.indicators.items()},
        "general": dict(data.general),
    }


def data_from_json(obj: dict) -> ReportData:
    def dec(v):
        if isinstance(v, dict) and "d" in v:
            return Decimal(v["d"])
        if isinstance(v, dict) and "t" in v:
            return date.fromisoformat(v["t"])
        return v

    return ReportData(
        tasks={int(k): {f: dec(v) for f, v in d.items()} for k, d in obj.get("tasks", {}).items()},
        indicators={int(k): {f: dec(v) for f, v in d.items()} for k, d in obj.get("indicators", {}).items()},
        general=dict(obj.get("general", {})),
    )


def count_changes(data: ReportData) -> int:
    return sum(len(d) for d in data.tasks.values()) + sum(len(d) for d in data.indicators.values()) + len(data.general)


@transaction.atomic
def offline_apply(*, report: UnitReport, by, data: ReportData, expected_version: int, file_name: str = "") -> UnitReport:
    """Write the changes read from an uploaded file as one version-checked save, with an audit
    event naming the file. Raises VersionConflict (nothing written) when the report was saved
    after `expected_version`, ReportingError when there is nothing to apply or a rule refuses."""
    n = count_changes(data)
    if n == 0:
        raise ReportingError("Tệp không có thay đổi nào so với báo cáo: không có gì để áp dụng.")
    saved = report_save_draft(report=report, by=by, data=data, expected_version=expected_version)
    ReportEvent.objects.create(
        report=saved, action="xlsx_uploaded", from_status=saved.status, to_status=saved.status,
        actor=by, at=timezone.now(), comment=f"{file_name or 'tệp Excel'}: {n} ô thay đổi"[:1000],
    )
    return saved
