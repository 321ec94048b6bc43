from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planwatch.lib.targets import OCR_STRICT_SIGN, TargetKind, TargetSpec, parse_target
from planwatch.lib.text import collapse_ws

from .seed import load, requires_seed

D = Decimal

# Every distinct target cell of province_plan_327.json and district_plan_sontinh.json, inlined so
# the test runs without ../shared: (raw, kind, op, value, value_max).
SEED_TARGET_CELLS = [
    (None, TargetKind.BLANK, None, None, None),
    ("-", TargetKind.NONE, None, None, None),
    ("X", TargetKind.DONE, None, None, None),
    ("30-40", TargetKind.RANGE, None, D(30), D(40)),
    ("35-45", TargetKind.RANGE, None, D(35), D(45)),
    ("100 (Các hệ thống đảng số, chính quyền số vận hành hoàn toàn thông minh.)", TargetKind.COMPARE, "=", D(100), None),
    ("1,0", TargetKind.COMPARE, "=", D("1.0"), None),
    *[(v, TargetKind.COMPARE, "=", D(v), None) for v in
      ["2", "3", "7", "10", "20", "30", "40", "45", "50", "55", "60", "70", "80", "85", "90", "95", "97", "99", "100"]],
    *[(f"< {v}", TargetKind.COMPARE, "<", D(v), None) for v in ["10", "15", "20", "25", "30"]],
    ("> 0,7", TargetKind.COMPARE, ">", D("0.7"), None),
    ("> 0,75", TargetKind.COMPARE, ">", D("0.75"), None),
    ("> 0,85", TargetKind.COMPARE, ">", D("0.85"), None),
    ("> 0,92", TargetKind.COMPARE, ">", D("0.92"), None),
    ("> 01", TargetKind.COMPARE, ">", D(1), None),
    ("> 1,0", TargetKind.COMPARE, ">", D("1.0"), None),
    ("> 1,5", TargetKind.COMPARE, ">", D("1.5"), None),
    ("> 2,5", TargetKind.COMPARE, ">", D("2.5"), None),
    ("> 1.000", TargetKind.COMPARE, ">", D(1000), None),
    *[(f"> {v}", TargetKind.COMPARE, ">", D(v), None) for v in
      ["1", "2", "3", "4", "5", "6", "7", "8", "10", "12", "14", "15", "20", "25", "30", "35", "40", "45",
       "50", "60", "70", "80", "85", "90", "95", "300", "400", "600", "800"]],
    ("≥ 01", TargetKind.COMPARE, ">=", D(1), None),
    ("≥ 02", TargetKind.COMPARE, ">=", D(2), None),
    ("≥ 03", TargetKind.COMPARE, ">=", D(3), None),
    ("≥ 04", TargetKind.COMPARE, ">=", D(4), None),
    ("≥ 05", TargetKind.COMPARE, ">=", D(5), None),
    ("≥ 1,0", TargetKind.COMPARE, ">=", D("1.0"), None),
    ("≥ 1,5", TargetKind.COMPARE, ">=", D("1.5"), None),
    ("≥ 2,5", TargetKind.COMPARE, ">=", D("2.5"), None),
    *[(f"≥ {v}", TargetKind.COMPARE, ">=", D(v), None) for v in
      ["2", "3", "5", "10", "15", "20", "25", "30", "35", "40", "45", "50", "60", "70", "80", "85", "90", "95"]],
]  # fmt: skip


@pytest.mark.parametrize("raw, kind, op, value, value_max", SEED_TARGET_CELLS)
def test_it_reads_every_target_cell_printed_in_the_seed_documents(raw, kind, op, value, value_max):
    spec = parse_target(raw).value
    assert (spec.kind, spec.op, spec.value, spec.value_max) == (kind, op, value, value_max)
    assert spec.raw == raw


@requires_seed
@pytest.mark.shared
def test_no_target_cell_of_the_seed_files_is_left_as_text():
    for name, ocr in (("province_plan_327.json", True), ("district_plan_sontinh.json", False)):
        for row in load(name)["indicators"]:
            for year, cell in row["targets"].items():
                spec = parse_target(cell, ocr=ocr).value
                assert spec.kind is not TargetKind.TEXT, (name, row["code"], year, cell)


@requires_seed
@pytest.mark.shared
def test_the_seed_target_cells_are_all_in_the_inlined_table():
    printed = {
        cell
        for name in ("province_plan_327.json", "district_plan_sontinh.json")
        for row in load(name)["indicators"]
        for cell in row["targets"].values()
    }
    assert printed <= {row[0] for row in SEED_TARGET_CELLS}


@pytest.mark.parametrize(
    "raw, op",
    [("≥ 8", ">="), (">= 8", ">="), ("≥8", ">="), ("⩾ 8", ">="), ("> 8", ">"), ("≤ 8", "<="), ("<=8", "<="),
     ("< 8", "<"), ("= 8", "="), ("8", "="), ("Ít nhất 8", ">="), ("Trên 8", ">"), ("không quá 8", "<="),
     ("Dưới 8", "<"), ("Đạt 8", "=")],
)  # fmt: skip
def test_it_reads_comparison_signs_with_or_without_spaces(raw, op):
    spec = parse_target(raw).value
    assert (spec.kind, spec.op, spec.value) == (TargetKind.COMPARE, op, 8)


@pytest.mark.parametrize("raw", ["x", "X", "Hoàn thành", "HOÀN THÀNH", "hoan thanh", "Thực hiện"])
def test_it_reads_a_cross_or_hoan_thanh_as_done(raw):
    assert parse_target(raw).value.kind is TargetKind.DONE


@pytest.mark.parametrize("raw", ["-", "–", "—", "Chưa thực hiện"])
def test_it_reads_a_dash_as_no_target(raw):
    assert parse_target(raw).value.kind is TargetKind.NONE


@pytest.mark.parametrize("raw", [None, "", "  \n "])
def test_it_reads_an_empty_cell_as_blank(raw):
    result = parse_target(raw)
    assert result.ok and result.value.kind is TargetKind.BLANK


@pytest.mark.parametrize("raw", ["30-40", "30 – 40", "80% - 90%", "30 — 40", "Từ 30 đến 40"])
def test_it_reads_ranges(raw):
    spec = parse_target(raw).value
    assert (spec.kind, spec.value, spec.value_max) in {(TargetKind.RANGE, 30, 40), (TargetKind.RANGE, 80, 90)}


def test_it_keeps_a_reversed_range_as_printed_but_warns():
    result = parse_target("40-30")
    assert (result.value.value, result.value.value_max) == (40, 30)
    assert "giá trị đầu lớn hơn giá trị cuối" in result.warnings[0]


def test_it_ignores_a_trailing_percent_sign():
    assert parse_target("≥ 40%").value.value == 40


def test_it_reads_a_number_with_a_note_in_parentheses():
    spec = parse_target("100 (Các hệ thống ... vận hành)").value
    assert (spec.kind, spec.op, spec.value, spec.note) == (TargetKind.COMPARE, "=", 100, "Các hệ thống ... vận hành")


def test_it_flags_a_strict_sign_read_by_ocr_but_keeps_it():
    result = parse_target("> 15", ocr=True)
    assert result.value.op == ">" and result.value.flags == (OCR_STRICT_SIGN,)
    assert result.warnings == ("Dấu “>” trong bản OCR có thể là “≥”: giữ như bản in",)


def test_it_suggests_less_or_equal_for_an_ocr_less_than():
    assert parse_target("< 30", ocr=True).warnings == ("Dấu “<” trong bản OCR có thể là “≤”: giữ như bản in",)


def test_it_does_not_flag_strict_signs_typed_by_people():
    result = parse_target("> 15")
    assert result.ok and result.value.flags == ()


def test_it_does_not_flag_non_strict_signs_from_ocr():
    assert parse_target("≥ 15", ocr=True).ok


@pytest.mark.parametrize("raw", ["Nâng cao năng lực", "X X", "≥ 1.5", "> > 3", "≥ Ít nhất 3", "100 (note"])
def test_it_keeps_anything_else_as_text_with_a_warning(raw):
    result = parse_target(raw)
    assert result.value.kind is TargetKind.TEXT and result.value.raw == raw
    assert result.warnings[-1] == f"Không hiểu chỉ tiêu “{raw}”: giữ nguyên văn bản"


def test_it_keeps_the_raw_text_with_whitespace_collapsed():
    assert parse_target("≥\n 80").value.raw == "≥ 80"


@pytest.mark.parametrize(
    "raw, meaning",
    [("≥ 8", "Không thấp hơn 8"), ("> 15", "Cao hơn 15"), ("≤ 30", "Không vượt quá 30"), ("< 30", "Thấp hơn 30"),
     ("= 100", "Bằng 100"), ("30-40", "Từ 30 đến 40"), ("X", "Phải hoàn thành"), ("-", "Không đặt chỉ tiêu"),
     ("≥ 1,0", "Không thấp hơn 1,0"), ("> 1.000", "Cao hơn 1.000"), ("100 (ghi chú)", "Bằng 100 (ghi chú)"),
     (None, "Để trống"), ("abc", "Chỉ tiêu ghi bằng chữ: “abc”")],
)  # fmt: skip
def test_it_describes_targets_in_vietnamese(raw, meaning):
    assert parse_target(raw).value.describe_vi() == meaning


@pytest.mark.parametrize(
    "raw, direction, actual, met",
    [("≥ 8", "higher", "8", True), ("> 8", "higher", "8", False), ("≤ 30", "higher", "30", True),
     ("< 30", "higher", "30", False), ("100", "higher", "100,0", True), ("100", "higher", "101", True),
     ("100", "higher", "99", False),
     # a bare number for a rank is a ceiling: 3rd place meets "đạt hạng 5"
     ("5", "lower", "3", True), ("5", "lower", "6", False),
     # "30-40": at least 30; doing better than the band is not a shortfall (issue 8)
     ("30-40", "higher", "35", True), ("30-40", "higher", "41", True), ("30-40", "higher", "29", False),
     ("30-40", "higher", "30", True), ("30-40", "lower", "41", False), ("30-40", "lower", "40", True),
     ("30-40", "lower", "12", True),
     ("X", "higher", "1", None), ("-", "higher", "1", None), ("abc", "higher", "1", None)],
)  # fmt: skip
def test_it_checks_a_figure_against_a_target_the_way_the_dashboard_does(raw, direction, actual, met):
    """One rule: TargetSpec.satisfied_by is what monitoring.status.meets calls (see
    monitoring/tests/test_status.py), so plan page, dashboard and ranking agree on "30-40" and 41."""
    from planwatch.lib.numbers import parse_vn_number

    assert parse_target(raw).value.satisfied_by(parse_vn_number(actual).value, direction) is met


def test_a_figure_that_is_not_a_finite_number_meets_nothing():
    spec = parse_target("≥ 8").value
    assert spec.satisfied_by(D("NaN")) is None
    assert spec.satisfied_by(D("Infinity")) is None


@pytest.mark.parametrize(
    "bad",
    [{"kind": "compare", "raw": "≥ NaN", "op": ">=", "value": "NaN"},
     {"kind": "compare", "raw": "≥ 8", "op": ">=", "value": float("nan")},
     {"kind": "compare", "raw": "≥ 8", "op": ">=", "value": "Infinity"},
     {"kind": "compare", "raw": "≥ 8", "op": ">=", "value": float("-inf")},
     {"kind": "range", "raw": "30-x", "value": "30", "value_max": "sNaN"},
     {"kind": "compare", "raw": "≥ 8", "op": ">=", "value": "abc"},
     {"kind": "compare", "raw": "≥ 8", "op": ">=", "value": [8]},
     {"kind": "compare", "raw": "≥ 8", "op": ">=", "value": True},
     {"kind": "compare", "raw": "≥ 8", "op": "≈", "value": "8"},
     {"kind": "compare", "raw": ["≥ 8"], "op": ">=", "value": "8"},
     {"kind": "nonsense", "raw": "≥ 8"},
     ["compare"]],
)  # fmt: skip
def test_a_spec_with_a_non_finite_or_malformed_value_is_refused_at_the_door(bad):
    with pytest.raises(ValueError):
        TargetSpec.from_dict(bad)


def test_a_legacy_stored_spec_with_nan_reads_as_flagged_text_never_raising():
    spec = TargetSpec.from_stored({"kind": "compare", "raw": "≥ NaN", "op": ">=", "value": "NaN"})
    assert spec.kind is TargetKind.TEXT and spec.is_invalid and spec.raw == "≥ NaN"
    assert spec.satisfied_by(D(8)) is None
    assert "không hợp lệ" in spec.describe_vi()
    assert TargetSpec.from_stored(parse_target("≥ 8").value.to_dict()) == parse_target("≥ 8").value


def test_it_serialises_decimals_as_strings():
    spec = parse_target("> 1.000", ocr=True).value
    assert spec.to_dict() == {
        "kind": "compare", "raw": "> 1.000", "op": ">", "value": "1000", "value_max": None,
        "note": None, "flags": ["ocr_strict_sign"],
    }  # fmt: skip


def test_it_reads_back_decimals_from_numbers_too():
    spec = TargetSpec.from_dict({"kind": "range", "raw": "0,5-1", "value": 0.5, "value_max": 1})
    assert (spec.value, spec.value_max, spec.flags) == (D("0.5"), D(1), ())


@given(st.text())
def test_parse_target_never_raises_and_always_keeps_the_raw_text(raw):
    result = parse_target(raw, ocr=True)
    assert result.value.raw == collapse_ws(raw)
    if result.value.kind is TargetKind.TEXT:
        assert result.warnings


targets_text = st.one_of(
    st.text(),
    st.builds(
        lambda sign, num, pct: f"{sign}{num}{pct}",
        st.sampled_from(["", "≥ ", ">", "< ", "≤", "= "]),
        st.sampled_from(["1.000", "0,5", "01", "12", "1,0", "2.500,75"]),
        st.sampled_from(["", "%", " %"]),
    ),
)


@given(targets_text, st.booleans())
def test_a_spec_survives_a_round_trip_through_a_dict(raw, ocr):
    spec = parse_target(raw, ocr=ocr).value
    assert TargetSpec.from_dict(spec.to_dict()) == spec
