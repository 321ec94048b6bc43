from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planwatch.lib.dates import format_vn_date, parse_vn_date


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("30/09/2025", date(2025, 9, 30)),
        ("1/7/2025", date(2025, 7, 1)),
        ("01-07-2025", date(2025, 7, 1)),
        ("10.5.2025", date(2025, 5, 10)),
        ("2025-09-30", date(2025, 9, 30)),
        ("31/02/2025", None),
        ("09/30/2025", None),
        ("hôm qua", None),
        ("", None),
        (None, None),
    ],
)
def test_it_reads_day_month_year_the_vietnamese_way(raw, expected):
    assert parse_vn_date(raw) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_formatting_then_parsing_a_date_returns_it(d):
    assert parse_vn_date(format_vn_date(d)) == d
