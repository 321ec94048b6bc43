from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planwatch.lib.numbers import finite_decimal, format_vn_number, parse_vn_number, ratio_percent


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("1.000", "1000"),
        ("1.000.000", "1000000"),
        ("1,0", "1.0"),
        ("0,5", "0.5"),
        ("01", "1"),
        ("1.000,5", "1000.5"),
        ("-3,25", "-3.25"),
        ("−3,25", "-3.25"),
        ("+4", "4"),
        ("0,5%", "0.5"),
        ("80 %", "80"),
        ("  12 ", "12"),
        ("12345,678", "12345.678"),
    ],
)
def test_it_reads_vietnamese_numbers(raw, expected):
    result = parse_vn_number(raw)
    assert result.ok and result.value == Decimal(expected)


def test_it_reads_a_thousands_dot_as_grouping():
    assert parse_vn_number("1.000").value == 1000


def test_it_reads_1_comma_000_as_one_because_the_comma_is_always_decimal():
    assert parse_vn_number("1,000").value == 1


def test_it_reads_a_comma_as_the_decimal_mark_and_keeps_the_printed_precision():
    assert str(parse_vn_number("1,0").value) == "1.0"


@pytest.mark.parametrize("raw", ["1.5", "1.50", "1,000.5", "0.500", "1.00.000"])
def test_it_refuses_to_guess_english_looking_numbers(raw):
    result = parse_vn_number(raw)
    assert result.value is None
    assert "không rõ nghĩa" in result.warnings[0] and f"“{raw}”" in result.warnings[0]


@pytest.mark.parametrize("raw", ["abc", "1..0", "1 000", ",5", "5,", "+-3", "½"])
def test_it_reports_unreadable_numbers(raw):
    result = parse_vn_number(raw)
    assert result.value is None and result.warnings == (f"Không đọc được số “{raw}”",)


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_it_reports_an_empty_cell(raw):
    assert parse_vn_number(raw) == parse_vn_number("") and parse_vn_number(raw).warnings == ("Ô số trống",)


@pytest.mark.parametrize(
    "value, decimals, expected",
    [
        (Decimal("1000.5"), None, "1.000,5"),
        (1000, None, "1.000"),
        (Decimal("0.5"), None, "0,5"),
        (Decimal("-3.25"), None, "-3,25"),
        (Decimal("1.500"), None, "1,5"),
        (Decimal("2.000"), None, "2"),
        (Decimal("1E+3"), None, "1.000"),
        (Decimal("-0"), None, "0"),
        (123456789, None, "123.456.789"),
        (Decimal("0.0000001"), None, "0,0000001"),
        (Decimal("1000.5"), 2, "1.000,50"),
        (Decimal("2.345"), 2, "2,35"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("-0.001"), 2, "0,00"),
        (7, 1, "7,0"),
    ],
)
def test_it_formats_numbers_the_vietnamese_way(value, decimals, expected):
    assert format_vn_number(value, decimals) == expected


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity")])
def test_it_refuses_to_format_non_finite_numbers(value):
    with pytest.raises(ValueError):
        format_vn_number(value)


def test_it_refuses_floats_because_they_are_already_inexact():
    with pytest.raises(TypeError):
        format_vn_number(0.1)  # type: ignore[arg-type]


@given(st.decimals(min_value=-(10**15), max_value=10**15, allow_nan=False, allow_infinity=False, places=6))
def test_formatting_then_parsing_gives_the_same_decimal(value):
    assert parse_vn_number(format_vn_number(value)).value == value


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_formatting_then_parsing_gives_the_same_integer(value):
    assert parse_vn_number(format_vn_number(value)).value == value


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=4),
    st.integers(min_value=0, max_value=6),
)
def test_formatting_with_fixed_decimals_round_trips_the_rounded_value(value, decimals):
    text = format_vn_number(value, decimals)
    parsed = parse_vn_number(text).value
    assert parsed is not None and abs(parsed - value) <= Decimal(1).scaleb(-decimals) / 2


@given(st.text())
def test_parsing_never_raises_and_always_explains_a_missing_value(raw):
    result = parse_vn_number(raw)
    assert (result.value is None) == bool(result.warnings)


@pytest.mark.parametrize("raw", ["NaN", "nan", "Infinity", "-Infinity", "inf", "sNaN", "1e999999999"])
def test_non_finite_numbers_are_an_error_result_never_a_value(raw):
    result = parse_vn_number(raw)
    assert result.value is None and result.warnings


@pytest.mark.parametrize("bad", ["NaN", float("nan"), float("inf"), "-Infinity", "abc", [1], True, None])
def test_stored_numbers_must_be_finite(bad):
    with pytest.raises(ValueError):
        finite_decimal(bad, "giá trị")


def test_stored_numbers_read_exactly():
    assert finite_decimal(0.1) == Decimal("0.1") and finite_decimal("12.50") == Decimal("12.50") and finite_decimal(3) == 3


@pytest.mark.parametrize(
    "num, den, percent",
    [(Decimal(7), Decimal(8), Decimal("87.50")), (Decimal(1), Decimal(3), Decimal("33.33")),
     (Decimal(2), Decimal(3), Decimal("66.67")), (Decimal(1), Decimal(200), Decimal("0.50")),
     (Decimal(1), Decimal(0), None), (None, Decimal(4), None), (Decimal(1), None, None)],
)  # fmt: skip
def test_a_percentage_comes_from_numerator_and_denominator(num, den, percent):
    assert ratio_percent(num, den) == percent
