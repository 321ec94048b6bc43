"""Every deadline and target-cell form real plans print, as the document importer meets them."""

from datetime import date
from decimal import Decimal

import pytest

from planwatch.lib.deadlines import DeadlineKind, DeadlineSpec, parse_deadline
from planwatch.lib.targets import MULTIPLE_TARGETS, TargetKind, parse_target, split_targets

K = DeadlineKind


@pytest.mark.parametrize(
    "raw, kind, due, year",
    [
        ("2026", K.YEAR, date(2026, 12, 31), 2026),
        ("Năm 2026", K.YEAR, date(2026, 12, 31), 2026),
        ("Nam 2026", K.YEAR, date(2026, 12, 31), 2026),
        ("Trong năm 2025", K.YEAR, date(2025, 12, 31), 2025),
        ("Cuối năm 2025", K.YEAR, date(2025, 12, 31), 2025),
        ("9/2025", K.MONTH, date(2025, 9, 30), 2025),
        ("09/2025", K.MONTH, date(2025, 9, 30), 2025),
        ("Tháng 9/2025", K.MONTH, date(2025, 9, 30), 2025),
        ("Tháng 09/2025", K.MONTH, date(2025, 9, 30), 2025),
        ("tháng 9 năm 2025", K.MONTH, date(2025, 9, 30), 2025),
        ("Thang 9/2025", K.MONTH, date(2025, 9, 30), 2025),
        ("Trong tháng 12/2025", K.MONTH, date(2025, 12, 31), 2025),
        ("Quý III/2025", K.QUARTER, date(2025, 9, 30), 2025),
        ("Quý 3 năm 2025", K.QUARTER, date(2025, 9, 30), 2025),
        ("Quý IV/2025", K.QUARTER, date(2025, 12, 31), 2025),
        ("Quy IV/2025", K.QUARTER, date(2025, 12, 31), 2025),
        ("6 tháng đầu năm 2026", K.HALF, date(2026, 6, 30), 2026),
        ("06 tháng cuối năm 2026", K.HALF, date(2026, 12, 31), 2026),
        ("31/12/2025", K.DATE, date(2025, 12, 31), 2025),
        ("Trước ngày 30/6/2025", K.DATE, date(2025, 6, 30), 2025),
        ("2025 và những năm tiếp theo", K.FROM_YEAR, date(2025, 12, 31), 2025),
        ("Đến năm 2027", K.YEAR, date(2027, 12, 31), 2027),
        ("Đến hết năm 2027", K.YEAR, date(2027, 12, 31), 2027),
        ("Trước 30/6/2026", K.DATE, date(2026, 6, 30), 2026),
        ("Chậm nhất ngày 15/9/2026", K.DATE, date(2026, 9, 15), 2026),
        ("Đến tháng 6/2026", K.MONTH, date(2026, 6, 30), 2026),
    ],
)
def test_it_reads_the_dated_forms_of_real_plans(raw, kind, due, year):
    result = parse_deadline(raw)
    assert result.ok, result.warnings
    assert (result.value.kind, result.value.due, result.value.year, result.value.raw) == (kind, due, year, raw)


@pytest.mark.parametrize(
    "raw, first, last",
    [("2025-2030", 2025, 2030), ("Giai đoạn 2026 - 2030", 2026, 2030), ("2025 - 2026", 2025, 2026),
     ("Giai đoạn 2026–2030", 2026, 2030), ("Năm 2025-2026", 2025, 2026), ("Từ năm 2025 đến năm 2027", 2025, 2027),
     ("Giai doan 2026 - 2030", 2026, 2030)],
)  # fmt: skip
def test_a_year_range_is_due_at_the_end_of_its_last_year(raw, first, last):
    spec = parse_deadline(raw).value
    assert (spec.kind, spec.year, spec.year_end, spec.due) == (K.RANGE, first, last, date(last, 12, 31))
    assert DeadlineSpec.from_dict(spec.to_dict()) == spec
    assert spec.describe_vi() == f"Giai đoạn {first}–{last} (hạn 31/12/{last})"


def test_a_range_whose_last_year_is_not_after_its_first_is_flagged_not_guessed():
    result = parse_deadline("2030-2025")
    assert result.value.kind is K.UNKNOWN and result.warnings


@pytest.mark.parametrize(
    "raw, kind",
    [("Thường xuyên", K.RECURRING), ("Thuong xuyen", K.RECURRING), ("Hằng quý", K.RECURRING),
     ("Hàng tháng", K.RECURRING), ("Định kỳ hằng tháng", K.RECURRING), ("Trước ngày 10 hằng tháng", K.RECURRING),
     ("Hằng năm", K.YEARLY), ("Hàng năm", K.YEARLY), ("Định kỳ hằng năm", K.YEARLY), ("Hang nam", K.YEARLY)],
)  # fmt: skip
def test_it_reads_recurring_and_yearly_phrasings(raw, kind):
    result = parse_deadline(raw)
    assert result.ok and result.value.kind is kind and result.value.due is None


@pytest.mark.parametrize(
    "raw, month, quarter, due_2026",
    [("Tháng 11 hằng năm", 11, None, date(2026, 11, 30)), ("Quý I hằng năm", None, 1, date(2026, 3, 31)),
     ("Trong tháng 6 hàng năm", 6, None, date(2026, 6, 30)), ("Quy III hang nam", None, 3, date(2026, 9, 30)),
     ("Trước ngày 15/12 hằng năm", 12, None, date(2026, 12, 31))],
)  # fmt: skip
def test_a_period_within_every_year_is_yearly_and_falls_due_in_that_period(raw, month, quarter, due_2026):
    result = parse_deadline(raw)
    spec = result.value
    assert result.ok and spec.kind is K.YEARLY and spec.due is None
    assert (spec.month, spec.quarter, spec.due_in_year(2026)) == (month, quarter, due_2026)
    assert DeadlineSpec.from_dict(spec.to_dict()) == spec
    assert "hằng năm" in spec.describe_vi()


@pytest.mark.parametrize("raw", ["Tháng 13 hằng năm", "Quý V hằng năm", "Theo tiến độ dự án"])
def test_a_yearly_period_that_cannot_be_is_flagged(raw):
    result = parse_deadline(raw)
    assert result.value.kind is K.UNKNOWN and result.warnings


@pytest.mark.parametrize("raw", ["Thing 4/2025", "Tháng 13/2025", "13/2025", "Khi có yêu cầu", "Quý III, IV/2025", "Sau khi Trung ương ban hành"])
def test_an_unknown_form_is_flagged_in_vietnamese_never_guessed(raw):
    result = parse_deadline(raw)
    assert result.value.kind is K.UNKNOWN and result.value.due is None and result.value.raw == raw
    assert result.warnings and all("thời hạn" in w or "Tháng" in w for w in result.warnings)


def test_a_range_passes_the_interchange_validation_and_counts_as_due_at_its_end():
    from planwatch.monitoring.status import task_due
    from planwatch.plans.validation import deadline_spec

    parsed = deadline_spec(None, "Giai đoạn 2026 - 2030", "tasks[0]")
    assert (parsed["kind"], parsed["due"], parsed["year"]) == ("range", "2030-12-31", 2026)
    assert deadline_spec(parsed, "Giai đoạn 2026 - 2030", "tasks[0]") == parsed
    assert task_due(DeadlineSpec.from_dict(parsed), date(2027, 5, 1)) == date(2030, 12, 31)


# --- target cells -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, kind, op, value, value_max, note",
    [
        ("≥ 01", TargetKind.COMPARE, ">=", "1", None, None),
        ("ít nhất 02", TargetKind.COMPARE, ">=", "2", None, None),
        ("≥ 80% và ≤ 90%", TargetKind.RANGE, None, "80", "90", None),
        ("≤ 90% và ≥ 80%", TargetKind.RANGE, None, "80", "90", None),
        ("≥ 5 (trong đó ≥ 2 xã)", TargetKind.COMPARE, ">=", "5", None, "trong đó ≥ 2 xã"),
        ("≥ 70% số xã", TargetKind.COMPARE, ">=", "70", None, "số xã"),
        ("> 1.000 doanh nghiệp", TargetKind.COMPARE, ">", "1000", None, "doanh nghiệp"),
        ("1.000,5", TargetKind.COMPARE, "=", "1000.5", None, None),
        ("≥ 1,0", TargetKind.COMPARE, ">=", "1.0", None, None),
        ("80% - 90%", TargetKind.RANGE, None, "80", "90", None),
    ],
)
def test_it_reads_the_target_cells_of_real_plans(raw, kind, op, value, value_max, note):
    result = parse_target(raw)
    spec = result.value
    assert spec.raw == raw and spec.kind is kind and spec.op == op and spec.note == note
    assert spec.value == Decimal(value)
    assert spec.value_max == (Decimal(value_max) if value_max else None)


def test_milestone_values_run_together_are_not_one_target():
    result = parse_target("≥ 01 ≥ 02 ≥ 03 ≥ 04")
    assert result.value.kind is TargetKind.TEXT and MULTIPLE_TARGETS in result.value.flags
    assert result.warnings and "4 chỉ tiêu" in result.warnings[0]
    assert split_targets("≥ 01 ≥ 02 ≥ 03 ≥ 04") == ["≥ 01", "≥ 02", "≥ 03", "≥ 04"]
    assert split_targets("≥10 ≥25") == ["≥ 10", "≥ 25"]
    assert split_targets("≥ 5 (trong đó ≥ 2 xã)") == ["≥ 5 (trong đó ≥ 2 xã)"]
    assert split_targets("≥ 80% và ≤ 90%") == ["≥ 80% và ≤ 90%"]


@pytest.mark.parametrize("raw", ["Tăng dần qua các năm", "2 lần so với năm 2020", "≥ 5 và ≥ 6"])
def test_free_text_stays_text_with_a_warning(raw):
    result = parse_target(raw)
    assert result.value.kind is TargetKind.TEXT and result.value.raw == raw and result.warnings


def test_a_band_with_strict_signs_is_read_with_a_warning():
    result = parse_target("> 5 và < 10")
    assert (result.value.kind, result.value.value, result.value.value_max) == (TargetKind.RANGE, 5, 10)
    assert result.warnings
