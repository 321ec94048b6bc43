from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planwatch.lib.deadlines import DeadlineKind, DeadlineSpec, parse_deadline
from planwatch.lib.text import collapse_ws

from .seed import load, requires_seed

K = DeadlineKind

# Every distinct deadline cell of the province, district and progress-report files, plus the
# diacritic-free OCR copies that are legible: (raw, kind, due).
SEED_DEADLINE_CELLS = [
    (None, K.BLANK, None),
    ("Thường xuyên", K.RECURRING, None),
    ("Hằng năm", K.YEARLY, None),
    ("2025 và những năm tiếp theo", K.FROM_YEAR, date(2025, 12, 31)),
    ("Tháng 3/2025", K.MONTH, date(2025, 3, 31)),
    ("Tháng 4/2025", K.MONTH, date(2025, 4, 30)),
    ("Tháng 5/2025", K.MONTH, date(2025, 5, 31)),
    ("Tháng 6/2025", K.MONTH, date(2025, 6, 30)),
    ("Tháng 9/2025", K.MONTH, date(2025, 9, 30)),
    ("Tháng 12/2025", K.MONTH, date(2025, 12, 31)),
    ("Tháng 6/2026", K.MONTH, date(2026, 6, 30)),
    ("Tháng 9/2026", K.MONTH, date(2026, 9, 30)),
    ("Tháng 6/2028", K.MONTH, date(2028, 6, 30)),
    ("Thang 12/2025", K.MONTH, date(2025, 12, 31)),
    ("Thang 5/2025", K.MONTH, date(2025, 5, 31)),
    ("Hang nam", K.YEARLY, None),
    ("2025 va nhung nam tiep theo", K.FROM_YEAR, date(2025, 12, 31)),
]


@pytest.mark.parametrize("raw, kind, due", SEED_DEADLINE_CELLS)
def test_it_reads_every_deadline_cell_printed_in_the_seed_documents(raw, kind, due):
    result = parse_deadline(raw)
    assert result.ok and (result.value.kind, result.value.due, result.value.raw) == (kind, due, raw)


@requires_seed
@pytest.mark.shared
def test_no_deadline_cell_of_the_seed_files_is_unknown():
    cells = [t["deadline"] for f in ("province_plan_327.json", "district_plan_sontinh.json") for t in load(f)["tasks"]]
    cells += [r["deadline"] for r in load("progress_report_skhcn.json")["rows"]]
    assert cells and {c for c in cells if parse_deadline(c).value.kind is K.UNKNOWN} == set()
    assert set(cells) <= {row[0] for row in SEED_DEADLINE_CELLS}


@pytest.mark.parametrize(
    "raw, kind, due, year, month, quarter",
    [
        ("Tháng 9/2025", K.MONTH, date(2025, 9, 30), 2025, 9, None),
        ("Tháng\n9/2025", K.MONTH, date(2025, 9, 30), 2025, 9, None),
        ("tháng 09/2025", K.MONTH, date(2025, 9, 30), 2025, 9, None),
        ("Thang 9/2025", K.MONTH, date(2025, 9, 30), 2025, 9, None),
        ("THÁNG 2/2024", K.MONTH, date(2024, 2, 29), 2024, 2, None),
        ("Tháng 9 năm 2025", K.MONTH, date(2025, 9, 30), 2025, 9, None),
        ("Quý III/2025", K.QUARTER, date(2025, 9, 30), 2025, None, 3),
        ("Quý 3/2025", K.QUARTER, date(2025, 9, 30), 2025, None, 3),
        ("Quy III/2025", K.QUARTER, date(2025, 9, 30), 2025, None, 3),
        ("Quý I/2026", K.QUARTER, date(2026, 3, 31), 2026, None, 1),
        ("Quý IV năm 2025", K.QUARTER, date(2025, 12, 31), 2025, None, 4),
        ("Năm 2026", K.YEAR, date(2026, 12, 31), 2026, None, None),
        ("2026", K.YEAR, date(2026, 12, 31), 2026, None, None),
        ("31/12/2025", K.DATE, date(2025, 12, 31), 2025, 12, None),
        ("Ngày 5/3/2025", K.DATE, date(2025, 3, 5), 2025, 3, None),
        ("Thường xuyên", K.RECURRING, None, None, None, None),
        ("Thuong xuyen", K.RECURRING, None, None, None, None),
        ("Hằng năm", K.YEARLY, None, None, None, None),
        ("Hàng năm", K.YEARLY, None, None, None, None),
        ("2025 và những năm tiếp theo", K.FROM_YEAR, date(2025, 12, 31), 2025, None, None),
        ("Năm 2025 và các năm tiếp theo", K.FROM_YEAR, date(2025, 12, 31), 2025, None, None),
    ],
)
def test_it_reads_deadline_forms(raw, kind, due, year, month, quarter):
    result = parse_deadline(raw)
    spec = result.value
    assert result.ok
    assert (spec.kind, spec.due, spec.year, spec.month, spec.quarter) == (kind, due, year, month, quarter)


@pytest.mark.parametrize("raw, half, due", [("6 tháng đầu năm 2025", 1, date(2025, 6, 30)), ("6 tháng cuối năm 2025", 2, date(2025, 12, 31))])
def test_it_reads_halves_of_a_year(raw, half, due):
    spec = parse_deadline(raw).value
    assert (spec.kind, spec.half, spec.due, spec.year) == (K.HALF, half, due, 2025)


@pytest.mark.parametrize(
    "raw, warning",
    [
        ("Tháng 13/2025", "Tháng 13 không hợp lệ trong thời hạn “Tháng 13/2025”"),
        ("Quý V/2025", "Quý “V” không hợp lệ trong thời hạn “Quý V/2025”"),
        ("31/02/2025", "Ngày 31/2/2025 không có thật trong thời hạn “31/02/2025”"),
        ("Năm 0000", "Năm 0 không hợp lệ trong thời hạn “Năm 0000”"),
        ("Thing 4/2025", "Không hiểu thời hạn “Thing 4/2025”: giữ nguyên văn bản"),
        ("Khi có chỉ đạo", "Không hiểu thời hạn “Khi có chỉ đạo”: giữ nguyên văn bản"),
    ],
)
def test_it_keeps_what_it_cannot_read_as_unknown_with_a_warning(raw, warning):
    result = parse_deadline(raw)
    assert (result.value.kind, result.value.raw, result.value.due) == (K.UNKNOWN, raw, None)
    assert result.warnings == (warning,)


@pytest.mark.parametrize("raw", [None, "", " \n"])
def test_it_reads_an_empty_cell_as_blank(raw):
    result = parse_deadline(raw)
    assert result.ok and result.value.kind is K.BLANK


@pytest.mark.parametrize(
    "raw, meaning",
    [
        ("Tháng 9/2025", "Hạn 30/09/2025"),
        ("Quý III/2025", "Hạn 30/09/2025"),
        ("Thường xuyên", "Thường xuyên (báo cáo mỗi kỳ)"),
        ("Hàng năm", "Hằng năm (trước 31/12 mỗi năm)"),
        ("2025 và những năm tiếp theo", "Từ 2025 và các năm tiếp theo"),
        (None, "Không ghi thời hạn"),
        ("Khi cần", "Thời hạn chưa rõ: “Khi cần”"),
    ],
)
def test_it_describes_deadlines_in_vietnamese(raw, meaning):
    assert parse_deadline(raw).value.describe_vi() == meaning


def test_a_yearly_deadline_falls_due_at_the_end_of_each_year():
    assert parse_deadline("Hằng năm").value.due_in_year(2027) == date(2027, 12, 31)


def test_a_from_year_deadline_falls_due_each_year_from_its_first_year():
    spec = parse_deadline("2025 và những năm tiếp theo").value
    assert spec.due_in_year(2026) == date(2026, 12, 31)
    assert spec.due_in_year(2024) == date(2025, 12, 31)


def test_a_dated_deadline_falls_due_on_its_own_date_whatever_the_year():
    assert parse_deadline("Tháng 9/2025").value.due_in_year(2030) == date(2025, 9, 30)


def test_a_recurring_deadline_has_no_single_due_date():
    assert parse_deadline("Thường xuyên").value.due_in_year(2025) is None


def test_it_serialises_dates_as_iso_strings():
    assert parse_deadline("Quý III/2025").value.to_dict() == {
        "kind": "quarter", "raw": "Quý III/2025", "due": "2025-09-30", "year": 2025, "month": None,
        "quarter": 3, "half": None,
    }  # fmt: skip


deadline_text = st.one_of(
    st.text(),
    st.builds(
        lambda word, n, year: f"{word} {n}/{year}",
        st.sampled_from(["Tháng", "Thang", "Quý", "Quy", "tháng"]),
        st.sampled_from(["0", "1", "03", "9", "12", "13", "I", "III", "IV", "V"]),
        st.integers(min_value=0, max_value=9999),
    ),
)


@given(deadline_text)
def test_parse_deadline_never_raises_keeps_raw_and_round_trips(raw):
    result = parse_deadline(raw)
    spec = result.value
    assert spec.raw == collapse_ws(raw)
    assert (spec.kind is K.UNKNOWN) == bool(result.warnings)
    assert DeadlineSpec.from_dict(spec.to_dict()) == spec


@pytest.mark.parametrize(
    "bad",
    [{"kind": "month", "raw": "Tháng 9/2025", "due": 5},
     {"kind": "year", "raw": "Năm 2025", "year": "abc"},
     {"kind": "year", "raw": "Năm 1800", "year": 1800, "due": "1800-12-31"},
     {"kind": "year", "raw": "Năm 2101", "year": 2101},
     {"kind": "year", "raw": "Năm 2025", "year": float("nan")},
     {"kind": "month", "raw": "Tháng 13/2025", "month": 13},
     {"kind": "month", "raw": "Tháng 9/2025", "due": "2025-02-30"},
     {"kind": "month", "raw": ["a"]},
     {"kind": "soon"},
     "Tháng 9/2025"],
)  # fmt: skip
def test_a_deadline_spec_that_does_not_read_is_refused_at_the_door(bad):
    with pytest.raises(ValueError):
        DeadlineSpec.from_dict(bad)


def test_a_good_deadline_spec_reads_back_and_a_legacy_bad_one_reads_as_unknown():
    spec = parse_deadline("Quý III/2025").value
    assert DeadlineSpec.from_dict(spec.to_dict()) == spec
    legacy = DeadlineSpec.from_stored({"kind": "month", "raw": "Tháng 9/2025", "due": 5})
    assert (legacy.kind, legacy.due, legacy.raw) == (DeadlineKind.UNKNOWN, None, "Tháng 9/2025")


@pytest.mark.parametrize("raw", ["Năm 1944", "Tháng 9/2101", "31/12/3000"])
def test_years_outside_1945_to_2100_are_not_read_as_deadlines(raw):
    result = parse_deadline(raw)
    assert result.value.kind is DeadlineKind.UNKNOWN and result.warnings
