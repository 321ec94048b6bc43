"""The XLSX opened with openpyxl: one sheet per table, frozen header, widths, wrapped text,
numbers as numbers, and every cell equal to ReportData and to the database."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from planwatch.documents import xlsx_report as xr
from planwatch.documents.sanitize import CUT_MARKER, XLSX_CELL_MAX
from planwatch.plans.models import Task

from . import factories as f


def _wb(blob: bytes):
    return load_workbook(BytesIO(blob))


def _values(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def _same(cell_value, expected) -> bool:
    if isinstance(expected, Decimal):
        return cell_value is not None and Decimal(str(cell_value)) == expected
    if expected in (None, ""):
        return cell_value in (None, "")
    return cell_value == expected


@pytest.fixture
def province_wb(province_data):
    return _wb(xr.render_xlsx(province_data))


def test_there_is_one_sheet_per_table_with_a_frozen_header_row(province_wb):
    assert province_wb.sheetnames == ["Nhiệm vụ", "Chỉ tiêu"]
    for ws in province_wb.worksheets:
        assert ws.freeze_panes == "C2"
        assert all(c.font.bold for c in ws[1])
        assert ws.column_dimensions["B"].width >= 40
        assert ws["B2"].alignment.wrap_text


def test_the_task_sheet_equals_report_data_cell_by_cell(province_data, province_wb):
    rows = _values(province_wb["Nhiệm vụ"])
    assert tuple(rows[0]) == xr.task_sheet_headers(province_data)
    assert len(rows) - 1 == len(province_data.task_lines)
    for got, line in zip(rows[1:], province_data.task_lines):
        want = xr.task_row_values(line)
        assert all(_same(g, w) for g, w in zip(got, want)), (got, want)
        if line.kind == "task":
            assert got[9:] == [line.assigned, line.reported, line.done, line.in_progress, line.not_started]


def test_the_task_sheet_equals_the_database(demo, province_wb):
    rows = [r for r in _values(province_wb["Nhiệm vụ"])[1:] if r[2] is not None]
    tasks = list(Task.objects.filter(plan=demo.plan).order_by("position"))
    assert [(r[0], r[1], r[3] or "", r[4]) for r in rows] == [(t.code, t.name, t.result, t.deadline_raw) for t in tasks]


def test_the_indicator_sheet_equals_report_data_with_numbers_as_numbers(province_data, province_wb):
    ws = province_wb["Chỉ tiêu"]
    rows = _values(ws)
    assert tuple(rows[0]) == xr.indicator_sheet_headers(province_data)
    value_col = len(province_data.indicator_headers) - 1  # 1-based column of "Giá trị mới nhất"
    numbers = 0
    for r, (got, line) in enumerate(zip(rows[1:], province_data.indicator_lines), start=2):
        want = xr.indicator_row_values(line)
        assert all(_same(g, w) for g, w in zip(got, want)), (got, want)
        if line.kind == "indicator" and line.value is not None:
            cell = ws.cell(row=r, column=value_col)
            assert isinstance(cell.value, (int, float))
            assert cell.number_format in (xr.INT_FORMAT, xr.DEC_FORMAT)
            numbers += 1
    assert numbers


def test_hostile_text_stays_text_and_the_file_is_valid():
    hostile = f.task(
        "1", name='=HYPERLINK("http://x","bấm")', lead="+1+1", result_required="-2", deadline="@SUM(A1)",
        result_to_date="trước\x00\x07sau", obstacles="z" * 40_000,
    )
    blob = xr.render_xlsx(f.report_data(tasks=[hostile]))
    ws = _wb(blob)["Nhiệm vụ"]
    row = [c for c in ws[2]]
    assert [c.value for c in row[1:5]] == ['=HYPERLINK("http://x","bấm")', "+1+1", "-2", "@SUM(A1)"]
    assert all(c.data_type == "s" for c in row[1:5])
    assert all(c.quotePrefix for c in row[1:5])
    assert row[5].value == "trướcsau"
    assert len(row[7].value) == XLSX_CELL_MAX and row[7].value.endswith(CUT_MARKER)
    sheet_xml = zipfile.ZipFile(BytesIO(blob)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_decimal_values_get_a_decimal_format_and_whole_numbers_none():
    data = f.report_data(indicators=[
        f.indicator("1.1", value=Decimal("1000.5")), f.indicator("1.2", value=Decimal("28.0000")),
    ])
    ws = _wb(xr.render_xlsx(data))["Chỉ tiêu"]
    col = len(data.indicator_headers) - 1
    assert ws.cell(row=2, column=col).value == 1000.5
    assert ws.cell(row=2, column=col).number_format == "#,##0.0#"
    assert ws.cell(row=3, column=col).value == 28
    assert ws.cell(row=3, column=col).number_format == "#,##0"
