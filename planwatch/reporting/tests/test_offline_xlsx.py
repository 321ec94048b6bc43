"""The offline Excel round trip on real XLSX files (written by the service, opened and filled
with openpyxl as a user's spreadsheet program would, read back): a wrong cell is named and
nothing is saved, a stale file is refused without losing anyone's work, a correct file is
applied as one version-checked save."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from planwatch.plans.models import IndicatorKind
from planwatch.reporting import offline_xlsx as X
from planwatch.reporting.models import ProgressStatus, ReportEvent, ReportRevision, UnitReport
from planwatch.reporting.selectors import previous_report
from planwatch.reporting.services import ReportData, ReportingError, VersionConflict, report_open, report_save_draft


@pytest.fixture
def skhcn_report(demo, period):
    # Sở KH&CN: tasks and indicators (counts and percentages), a previous report to prefill from.
    return report_open(period=period, org=demo.skhcn, by=demo.dept_reporter)


def workbook(report):
    return load_workbook(io.BytesIO(X.build_workbook(report)))


def as_upload(wb, name="bao-cao.xlsx"):
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def row_of(ws, code):
    for row in range(X.FIRST_ROW, ws.max_row + 1):
        if ws[f"A{row}"].value == code:
            return row
    raise AssertionError(f"{code} not in {ws.title}")


def lines_of(report):
    return list(report.task_lines.select_related("task").order_by("task__position"))


def values_of(report):
    return list(report.indicator_values.select_related("indicator").order_by("indicator__position"))


def test_the_file_holds_the_units_tasks_indicators_targets_previous_values_and_a_hidden_version(skhcn_report, demo):
    report = skhcn_report
    wb = workbook(report)
    assert wb.sheetnames == [X.TASK_SHEET, X.IND_SHEET, X.GENERAL_SHEET, X.META_SHEET]
    meta = wb[X.META_SHEET]
    assert meta.sheet_state == "veryHidden"
    assert (meta["B1"].value, meta["B2"].value) == (report.pk, report.version)

    tasks = wb[X.TASK_SHEET]
    assert demo.skhcn.name in tasks["A2"].value and report.period.label in tasks["A1"].value
    codes = [tasks[f"A{r}"].value for r in range(X.FIRST_ROW, tasks.max_row + 1) if tasks[f"A{r}"].value]
    assert codes == [tl.task.code for tl in lines_of(report)]
    first = lines_of(report)[0]
    r = row_of(tasks, first.task.code)
    assert tasks[f"B{r}"].value == first.task.name
    assert tasks[f"D{r}"].value == first.get_status_display()

    inds = wb[X.IND_SHEET]
    values = values_of(report)
    assert [inds[f"A{r}"].value for r in range(X.FIRST_ROW, X.FIRST_ROW + len(values))] == [iv.indicator.code for iv in values]
    prev = {iv.indicator_id: iv for iv in previous_report(report.period, report.org).indicator_values.all()}
    with_target = next(iv for iv in values if iv.indicator.targets.exclude(raw=None).exclude(raw="").exists())
    r = row_of(inds, with_target.indicator.code)
    t = with_target.indicator.targets.exclude(raw=None).exclude(raw="").order_by("year").first()
    assert f"{t.year}: {t.raw}" in inds[f"D{r}"].value
    count = next(iv for iv in values if iv.indicator.kind == IndicatorKind.COUNT and prev.get(iv.indicator_id) and prev[iv.indicator_id].value is not None)
    r = row_of(inds, count.indicator.code)
    assert inds[f"E{r}"].value == X.format_vn_number(prev[count.indicator_id].value)  # "Kỳ trước"
    assert Decimal(str(inds[f"F{r}"].value)) == count.value  # a real number cell, prefilled


def test_an_untouched_file_changes_nothing(skhcn_report):
    read = X.read_workbook(skhcn_report, as_upload(workbook(skhcn_report)))
    assert read.problems == [] and read.changes == [] and not read.stale and not read.can_apply


def test_wrong_cells_are_named_and_nothing_is_saved(skhcn_report, demo):
    report = skhcn_report
    version = report.version
    before = X.snapshot(UnitReport.objects.get(pk=report.pk))
    wb = workbook(report)
    tasks, inds = wb[X.TASK_SHEET], wb[X.IND_SHEET]
    lines = lines_of(report)
    r0, r1, r2 = (row_of(tasks, tl.task.code) for tl in lines[:3])
    tasks[f"D{r0}"] = "xong rồi"  # not a status word
    tasks[f"D{r1}"] = "Hoàn thành"
    tasks[f"E{r1}"] = "31/02/2026"  # no such day
    tasks[f"I{r2}"] = "đỏ"  # red without an explanation
    tasks[f"J{r2}"] = None
    tasks[f"F{r2}"] = "Kết quả mới: hợp lệ, nhưng dòng này có ô sai nên không được lưu"
    count = next(iv for iv in values_of(report) if iv.indicator.kind == IndicatorKind.COUNT)
    rc = row_of(inds, count.indicator.code)
    inds[f"F{rc}"] = "1,000.5"  # written the English way: ambiguous
    ratio = next(iv for iv in values_of(report) if iv.indicator.kind == IndicatorKind.RATIO and (iv.indicator.unit or "").startswith("%"))
    rr = row_of(inds, ratio.indicator.code)
    inds[f"G{rr}"], inds[f"H{rr}"] = 50, 40  # more than 100 %

    read = X.read_workbook(report, as_upload(wb))
    problems = [str(p) for p in read.problems]
    assert any(p.startswith(f"Ô D{r0} (Nhiệm vụ): Tình hình “xong rồi” không hợp lệ") for p in problems), problems
    assert any(p.startswith(f"Ô E{r1} (Nhiệm vụ): Ngày không hợp lệ") for p in problems), problems
    assert f"Ô J{r2} (Nhiệm vụ): Nhiệm vụ tự đánh giá mức đỏ phải có giải trình lý do." in problems
    assert any(p.startswith(f"Ô F{rc} (Chỉ tiêu): ") for p in problems), problems
    assert f"Ô G{rr} (Chỉ tiêu): Tử số không được lớn hơn mẫu số" in problems
    assert len(problems) == 5
    assert not read.can_apply and read.data is None
    fresh = UnitReport.objects.get(pk=report.pk)
    assert fresh.version == version and X.snapshot(fresh) == before


def test_a_stale_file_is_refused_and_neither_persons_work_is_lost(skhcn_report, demo):
    report = skhcn_report
    wb = workbook(report)  # downloaded at this version
    file_version = report.version
    lines = lines_of(report)
    # Meanwhile the head of unit saves another cell on the web page.
    report_save_draft(report=report, by=demo.dept_approver, expected_version=file_version,
                      data=ReportData(tasks={lines[1].task_id: {"obstacles": "Thiếu kinh phí (lãnh đạo ghi)"}}))
    tasks = wb[X.TASK_SHEET]
    r = row_of(tasks, lines[0].task.code)
    tasks[f"F{r}"] = "Đã tổ chức 3 hội thảo (cán bộ điền ngoại tuyến)"

    read = X.read_workbook(report, as_upload(wb))
    assert read.stale and not read.can_apply and read.problems == []
    assert read.file_version == file_version and read.report.version == file_version + 1
    # What the other person saved since the download is listed, and so is what the file holds.
    assert [(c.label, c.after) for c in read.others_changes] == [
        (f"Nhiệm vụ {lines[1].task.code}: vướng mắc, kiến nghị", "Thiếu kinh phí (lãnh đạo ghi)")
    ]
    # The file's own edits, still in view: not the old value the file holds in the other's cell.
    assert [(c.cell, c.after) for c in read.changes] == [(f"F{r}", "Đã tổ chức 3 hội thảo (cán bộ điền ngoại tuyến)")]

    # Applying with the file's version (e.g. a preview made before the other save) is refused.
    data = ReportData(tasks={lines[0].task_id: {"result_to_date": "Đã tổ chức 3 hội thảo (cán bộ điền ngoại tuyến)"}})
    with pytest.raises(VersionConflict) as e:
        X.offline_apply(report=report, by=demo.dept_reporter, data=data, expected_version=file_version, file_name="a.xlsx")
    assert "không ghi đè" in str(e.value)
    fresh = UnitReport.objects.get(pk=report.pk)
    assert fresh.version == file_version + 1
    kept = {tl.task_id: tl for tl in fresh.task_lines.all()}
    assert kept[lines[1].task_id].obstacles == "Thiếu kinh phí (lãnh đạo ghi)"
    assert kept[lines[0].task_id].result_to_date == lines[0].result_to_date
    assert not ReportEvent.objects.filter(report=report, action="xlsx_uploaded").exists()


def test_a_correct_file_is_previewed_then_applied_as_one_save(skhcn_report, demo):
    report = skhcn_report
    version = report.version
    today = timezone.localdate()
    wb = workbook(report)
    tasks, inds, general = wb[X.TASK_SHEET], wb[X.IND_SHEET], wb[X.GENERAL_SHEET]
    lines = lines_of(report)
    done = next(tl for tl in lines if tl.status != ProgressStatus.DONE)
    r = row_of(tasks, done.task.code)
    tasks[f"D{r}"] = "hoan thanh"  # typed without diacritics
    tasks[f"E{r}"] = today  # a real date cell
    tasks[f"F{r}"] = "=Đã ban hành kế hoạch"  # looks like a formula: typed as text ('=… in Excel)
    tasks[f"F{r}"].data_type = "s"
    tasks[f"I{r}"] = "Vàng"
    tasks[f"J{r}"] = "Chậm 2 tuần do chờ góp ý"
    values = values_of(report)
    count = next(iv for iv in values if iv.indicator.kind == IndicatorKind.COUNT)
    rc = row_of(inds, count.indicator.code)
    inds[f"F{rc}"] = "1.234,5"  # text typed the Vietnamese way
    ratio = next(iv for iv in values if iv.indicator.kind == IndicatorKind.RATIO and (iv.indicator.unit or "").startswith("%"))
    rr = row_of(inds, ratio.indicator.code)
    inds[f"G{rr}"], inds[f"H{rr}"] = 30, 40  # number cells: the percentage follows
    general[f"B{X.FIRST_ROW}"] = "Thiếu cán bộ chuyên trách"

    read = X.read_workbook(report, as_upload(wb))
    assert read.problems == [] and not read.stale and read.can_apply
    shown = {(c.sheet, c.cell): (c.label, c.before, c.after) for c in read.changes}
    assert shown[("Nhiệm vụ", f"D{r}")] == (f"Nhiệm vụ {done.task.code}: tình hình", done.get_status_display(), "hoàn thành")
    assert shown[("Nhiệm vụ", f"E{r}")][2] == today.strftime("%d/%m/%Y")
    assert shown[("Chỉ tiêu", f"F{rc}")][2] == "1.234,5"
    assert shown[("Chỉ tiêu", f"G{rr}")][2] == "30"
    assert shown[("Chung", f"B{X.FIRST_ROW}")][2] == "Thiếu cán bộ chuyên trách"
    n = X.count_changes(read.data)
    assert n == len(read.changes)

    saved = X.offline_apply(report=report, by=demo.dept_reporter, data=read.data, expected_version=read.file_version, file_name="bao-cao.xlsx")
    assert saved.version == version + 1  # one save
    assert ReportRevision.objects.filter(report=report, version__gt=version).count() == 1
    tl = report.task_lines.get(task=done.task)
    assert (tl.status, tl.completed_on, tl.result_to_date, tl.rating) == (ProgressStatus.DONE, today, "=Đã ban hành kế hoạch", "amber")
    assert report.indicator_values.get(indicator=count.indicator).value == Decimal("1234.5")
    iv = report.indicator_values.get(indicator=ratio.indicator)
    assert (iv.numerator, iv.denominator, iv.value) == (Decimal(30), Decimal(40), Decimal("75"))
    assert UnitReport.objects.get(pk=report.pk).general_obstacles == "Thiếu cán bộ chuyên trách"
    ev = ReportEvent.objects.get(report=report, action="xlsx_uploaded")
    assert ev.actor == demo.dept_reporter and ev.comment == f"bao-cao.xlsx: {n} ô thay đổi"

    # The next download carries the new version and the text that looked like a formula as text.
    again = workbook(saved)
    assert again[X.META_SHEET]["B2"].value == version + 1
    cell = again[X.TASK_SHEET][f"F{r}"]
    assert cell.value == "=Đã ban hành kế hoạch" and cell.data_type == "s"


def test_files_that_are_not_this_reports_file_are_refused_with_one_message(skhcn_report, demo, period):
    other = report_open(period=period, org=demo.syt)
    with pytest.raises(X.OfflineFileError, match="của một báo cáo khác"):
        X.read_workbook(skhcn_report, as_upload(workbook(other)))
    with pytest.raises(X.OfflineFileError, match="không phải tệp Excel"):
        X.read_workbook(skhcn_report, SimpleUploadedFile("a.xlsx", b"%PDF-1.4 not a spreadsheet"))
    wb = workbook(skhcn_report)
    del wb[X.META_SHEET]
    with pytest.raises(X.OfflineFileError, match="không phải tệp báo cáo tải về từ planwatch"):
        X.read_workbook(skhcn_report, as_upload(wb))


def test_a_formula_never_calculated_is_named_not_taken_for_an_emptied_cell(skhcn_report):
    wb = workbook(skhcn_report)
    inds = wb[X.IND_SHEET]
    inds[f"F{X.FIRST_ROW}"] = "=SUM(G7:H7)"  # saved by a program that does not calculate
    read = X.read_workbook(skhcn_report, as_upload(wb))
    assert [str(p) for p in read.problems] == [
        f"Ô F{X.FIRST_ROW} (Chỉ tiêu): Ô có công thức chưa được tính: nhập giá trị, hoặc mở tệp bằng Excel rồi lưu lại."
    ]


def test_nothing_to_apply_is_refused(skhcn_report, demo):
    with pytest.raises(ReportingError, match="không có thay đổi"):
        X.offline_apply(report=skhcn_report, by=demo.dept_reporter, data=ReportData(), expected_version=skhcn_report.version)
