"""What the file says equals what the system holds.

The province's report on the demo period is built as an export builds it (services.build_export)
and opened as a reader would open it: python-docx, openpyxl, the PDF's text (pdfplumber). Its
task table (each unit's reported result to date and obstacles, the status word) and indicator
table (the latest value written the Vietnamese way, the status word) are compared cell by
cell with what db_truth reads from the database itself, not with the ReportData that built
the file."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from planwatch.documents import pdf, xlsx_report
from planwatch.documents.services import build_export

from . import db_truth as truth
from .conftest import open_docx, table_rows

# The export button is pressed well after the period's due date: the report still describes
# the period as it stood on its due date.
LATER = timedelta(days=45)

COUNTED = pytest.mark.parametrize(
    "accepted_only, statuses", [(False, truth.SENT), (True, truth.ACCEPTED)], ids=["sent", "accepted-only"],
)


@pytest.fixture
def made_on(sample_period):
    return sample_period.due_date + LATER


@pytest.fixture
def as_of(sample_period, made_on):
    return truth.as_of_for(sample_period, made_on)


def _docx_tables(blob: bytes):
    doc = open_docx(blob)
    return table_rows(doc.tables[2]), table_rows(doc.tables[3])


def test_the_truth_of_accepted_reports_equals_the_monitoring_rollup(demo, sample_period):
    """db_truth's own reading of the indicator values agrees with monitoring's IndicatorPoint
    (kept by the report transitions), so the tests below compare files with the system's figures."""
    figures = truth.indicator_figures([sample_period], demo.province, truth.ACCEPTED)
    points = truth.indicator_points(sample_period)
    assert points
    for ind_id, value in points.items():
        assert figures.get((sample_period.pk, ind_id)) == value, ind_id
    assert {i for (_, i) in figures} <= set(points)


@COUNTED
def test_the_docx_task_table_equals_the_database(demo, sample_period, made_on, as_of, accepted_only, statuses):
    blob = build_export(sample_period, demo.province, "docx", today=made_on, accepted_only=accepted_only)
    rows, _ = _docx_tables(blob)
    tasks = truth.task_truth(sample_period, demo.province, statuses, as_of)
    task_rows = [r for r in rows[1:] if r[1] != r[2]]  # group headings span the row
    assert [r[0] for r in task_rows] == list(tasks)
    with_results = with_obstacles = 0
    for r in task_rows:
        t = tasks[r[0]]
        assert r[1] == t.name
        assert r[5] == t.result_to_date, t.code
        assert r[6] == t.expected_next, t.code
        assert r[7] == t.obstacles, t.code
        assert r[8] == t.status_cell, t.code
        with_results += bool(t.result_to_date)
        with_obstacles += bool(t.obstacles)
    assert with_results >= 15 and with_obstacles >= 5  # the comparison is not of empty cells
    assert f"(đến ngày {as_of:%d/%m/%Y})" in rows[0][5]


@COUNTED
def test_the_docx_indicator_table_equals_the_database(demo, sample_period, made_on, as_of, accepted_only, statuses):
    blob = build_export(sample_period, demo.province, "docx", today=made_on, accepted_only=accepted_only)
    _, rows = _docx_tables(blob)
    inds = truth.indicator_truth(sample_period, demo.province, statuses, as_of)
    checked = set()
    for r in rows[1:]:
        if r[0] not in inds or r[1] != inds[r[0]].name:
            assert set(r[2:]) == {""}, r  # a group row: code and name only
            continue
        i = inds[r[0]]
        assert (r[-2], r[-1]) == (i.value_text, i.status_label), i.code
        checked.add(i.code)
    assert checked == set(inds)
    values = [i.value_text for i in inds.values() if i.value is not None]
    # Decimals written with a comma (the demo has no figure reaching thousands; vn() writes
    # their dots and is checked in test_vietnamese_numbers below).
    assert len(values) >= 40 and any("," in v for v in values) and not any("." in v for v in values)


@COUNTED
def test_the_xlsx_tables_equal_the_database_with_numbers_as_numbers(
    demo, sample_period, made_on, as_of, accepted_only, statuses,
):
    blob = build_export(sample_period, demo.province, "xlsx", today=made_on, accepted_only=accepted_only)
    wb = load_workbook(BytesIO(blob))
    tasks = truth.task_truth(sample_period, demo.province, statuses, as_of)
    seen = []
    for row in wb[xlsx_report.TASK_SHEET].iter_rows(min_row=2, values_only=True):
        if row[2] is None and row[0] not in tasks:
            continue  # group heading
        t = tasks[row[0]]
        seen.append(t.code)
        assert row[1] == t.name
        assert (row[5] or "", row[6] or "", row[7] or "") == (t.result_to_date, t.expected_next, t.obstacles), t.code
        assert row[8] == t.status_label, t.code
        assert list(row[9:14]) == [t.assigned, t.reported, t.done, t.in_progress, t.not_started], t.code
        assert all(type(n) is int for n in row[9:14])
    assert seen == list(tasks)

    inds = truth.indicator_truth(sample_period, demo.province, statuses, as_of)
    ws = wb[xlsx_report.INDICATOR_SHEET]
    n_cols = ws.max_column
    value_col, status_col = n_cols - 2, n_cols - 1  # then "Nhận xét"
    numbers = 0
    for r in range(2, ws.max_row + 1):
        code, name = ws.cell(r, 1).value, ws.cell(r, 2).value
        if code not in inds or name != inds[code].name:
            continue
        i = inds.pop(code)
        cell = ws.cell(r, value_col)
        if i.value is None:
            assert cell.value is None, code
        else:
            assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool), code
            assert Decimal(str(cell.value)) == i.value, code
            integral = i.value == i.value.to_integral_value()
            assert cell.number_format == (xlsx_report.INT_FORMAT if integral else xlsx_report.DEC_FORMAT), code
            numbers += 1
        assert ws.cell(r, status_col).value == i.status_label, code
    assert not inds, f"indicators missing from the sheet: {sorted(inds)}"
    assert numbers >= 40


def test_vietnamese_numbers():
    assert [truth.vn(Decimal(x)) for x in ("1234567.50", "28.0000", "0.5", "-1000", "45.25")] == [
        "1.234.567,5", "28", "0,5", "-1.000", "45,25",
    ]


def _squash(s: str) -> str:
    return "".join(s.split())


@pytest.mark.skipif(pdf.soffice_path() is None, reason="LibreOffice is not installed (./test installs it)")
def test_the_pdf_tables_equal_the_database_for_a_sample_of_rows(demo, sample_period, made_on, as_of):
    import pdfplumber

    blob = build_export(sample_period, demo.province, "pdf", today=made_on)
    rows = []
    with pdfplumber.open(BytesIO(blob)) as doc:
        for page in doc.pages:
            for table in page.extract_tables():
                rows += [[_squash(c or "") for c in row] for row in table]
    by_code: dict[str, list[list[str]]] = {}
    for r in rows:
        if r and r[0]:
            by_code.setdefault(r[0], []).append(r)

    # Tasks: the rows printed whole on one page (long rows may break across pages).
    tasks = truth.task_truth(sample_period, demo.province, truth.SENT, as_of)
    whole = 0
    for t in tasks.values():
        want = [_squash(x) for x in (t.name, t.result_to_date, t.obstacles, t.status_cell)]
        first = [r for r in by_code.get(t.code, []) if len(r) == 9 and r[1] and want[0].startswith(r[1])]
        assert first, t.code
        got = [first[0][i] for i in (1, 5, 7, 8)]
        if got == want:
            whole += 1
        else:
            # The row breaks across pages: this part of each cell is the start of its text.
            assert all(w.startswith(g) for g, w in zip(got, want)), (t.code, got, want)
    assert whole >= len(tasks) // 2, f"only {whole} of {len(tasks)} task rows found whole in the PDF"

    # Indicators: every row (they never break across pages).
    inds = truth.indicator_truth(sample_period, demo.province, truth.SENT, as_of)
    for i in inds.values():
        assert any(
            r[1] == _squash(i.name) and r[-2] == _squash(i.value_text) and r[-1] == _squash(i.status_label)
            for r in by_code.get(i.code, [])
        ), (i.code, i.value_text, i.status_label)
