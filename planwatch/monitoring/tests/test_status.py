"""Boundary tables for the status rules (no database)."""

from datetime import date
from decimal import Decimal as D

import pytest

from planwatch.lib.deadlines import parse_deadline
from planwatch.lib.targets import parse_target
from planwatch.monitoring.status import (
    IndicatorStatus as I,
    Observation,
    ReportTimeliness as RT,
    TaskStatus as T,
    assess_indicator,
    missed_periods_in_a_row,
    rating_explanation_error,
    report_timeliness,
    task_status,
)


def dl(raw):
    return parse_deadline(raw).value


# (deadline text, progress, completed_on, today, reported_this_period, expected)
TASK_CASES = [
    # the deadline day itself is on time; the day after is overdue
    ("31/10/2025", "in_progress", None, date(2025, 10, 31), False, T.DUE_SOON),
    ("31/10/2025", "in_progress", None, date(2025, 11, 1), False, T.OVERDUE),
    ("31/10/2025", "not_started", None, date(2025, 11, 1), False, T.OVERDUE),
    ("31/10/2025", None, None, date(2025, 11, 1), False, T.OVERDUE),
    # end-of-month deadlines: "Tháng 9/2025" is due on 30/9, "Tháng 2/2024" on 29/2
    ("Tháng 9/2025", "in_progress", None, date(2025, 9, 30), False, T.DUE_SOON),
    ("Tháng 9/2025", "in_progress", None, date(2025, 10, 1), False, T.OVERDUE),
    ("Tháng 2/2024", "in_progress", None, date(2024, 2, 29), False, T.DUE_SOON),
    ("Tháng 2/2024", "in_progress", None, date(2024, 3, 1), False, T.OVERDUE),
    ("Quý III/2025", "in_progress", None, date(2025, 9, 30), False, T.DUE_SOON),
    ("Năm 2025", "in_progress", None, date(2025, 12, 31), False, T.DUE_SOON),
    ("Năm 2025", "in_progress", None, date(2026, 1, 1), False, T.OVERDUE),
    # due soon: 30 days before is soon, 31 days before is not
    ("31/10/2025", "in_progress", None, date(2025, 10, 1), False, T.DUE_SOON),
    ("31/10/2025", "in_progress", None, date(2025, 9, 30), False, T.IN_PROGRESS),
    ("31/10/2025", "not_started", None, date(2025, 9, 30), False, T.NOT_STARTED),
    ("31/10/2025", None, None, date(2025, 9, 30), False, T.NOT_STARTED),
    ("31/10/2025", "not_started", None, date(2025, 10, 1), False, T.DUE_SOON),
    # done on the deadline day is on time, the day after is late
    ("31/10/2025", "done", date(2025, 10, 31), date(2025, 12, 1), False, T.DONE_ON_TIME),
    ("31/10/2025", "done", date(2025, 11, 1), date(2025, 12, 1), False, T.DONE_LATE),
    ("31/10/2025", "done", date(2025, 3, 1), date(2025, 4, 1), False, T.DONE_ON_TIME),
    ("31/10/2025", "done", None, date(2026, 4, 1), False, T.DONE_ON_TIME),
    # recurring ("Thường xuyên"): reported this period or not, never overdue or done
    ("Thường xuyên", "in_progress", None, date(2025, 10, 5), True, T.REPORTED),
    ("Thường xuyên", None, None, date(2025, 10, 5), False, T.NOT_REPORTED),
    ("Thường xuyên", "done", date(2025, 1, 1), date(2030, 10, 5), False, T.NOT_REPORTED),
    # yearly ("Hằng năm"): due 31/12 of each year; last year's completion does not count
    ("Hằng năm", "in_progress", None, date(2025, 6, 1), False, T.IN_PROGRESS),
    ("Hằng năm", "in_progress", None, date(2025, 12, 1), False, T.DUE_SOON),
    ("Hằng năm", "done", date(2025, 11, 2), date(2025, 12, 1), False, T.DONE_ON_TIME),
    ("Hằng năm", "done", date(2025, 11, 2), date(2026, 2, 1), False, T.NOT_STARTED),
    ("Hằng năm", "done", date(2025, 11, 2), date(2026, 12, 15), False, T.DUE_SOON),
    ("2025 và những năm tiếp theo", "in_progress", None, date(2027, 12, 31), False, T.DUE_SOON),
    ("2025 và những năm tiếp theo", "done", date(2026, 5, 1), date(2027, 2, 1), False, T.NOT_STARTED),
    # no usable deadline: never overdue
    ("", "in_progress", None, date(2030, 1, 1), False, T.IN_PROGRESS),
    ("khi có chỉ đạo", "not_started", None, date(2030, 1, 1), False, T.NOT_STARTED),
    ("khi có chỉ đạo", "done", None, date(2030, 1, 1), False, T.DONE_ON_TIME),
]


@pytest.mark.parametrize("raw, progress, completed_on, today, reported, expected", TASK_CASES)
def test_task_status_table(raw, progress, completed_on, today, reported, expected):
    got = task_status(dl(raw), progress, completed_on, today, reported_this_period=reported)
    assert got is expected


def test_due_soon_window_is_configurable():
    assert task_status(dl("31/10/2025"), "in_progress", None, date(2025, 10, 20), due_soon_days=7) is T.IN_PROGRESS
    assert task_status(dl("31/10/2025"), "in_progress", None, date(2025, 10, 24), due_soon_days=7) is T.DUE_SOON


def test_labels_are_the_vietnamese_words_of_the_design():
    assert T.OVERDUE.label == "quá hạn"
    assert T.DONE_ON_TIME.label == "hoàn thành đúng hạn"
    assert T.NOT_REPORTED.label == "chưa báo cáo"
    assert I.BEHIND.label == "chậm (có nguy cơ không đạt)"
    assert I.NO_DATA.label == "chưa có số liệu"
    assert T("overdue") is T.OVERDUE and T.OVERDUE == "overdue"


def tg(**by_year):
    return {int(y[1:]): parse_target(raw).value for y, raw in by_year.items()}


def monthly(year, values, first_month=1):
    import calendar

    out = []
    for i, v in enumerate(values):
        m = first_month + i
        out.append(Observation(date(year, m, calendar.monthrange(year, m)[1]), D(str(v))))
    return out


def test_the_example_of_the_issue_reads_as_written():
    a = assess_indicator(
        name="Tỷ lệ hồ sơ TTHC xử lý trực tuyến",
        unit="%",
        direction="higher",
        targets=tg(y2025="≥ 70", y2030="≥ 90"),
        observations=monthly(2025, [55, 56.5, 58], first_month=7),
        today=date(2025, 10, 12),
    )
    assert a.status is I.BEHIND
    assert a.milestone_year == 2025
    assert a.projected == D("62.5")
    assert a.slope_per_month == D("1.5")
    assert a.latest == Observation(date(2025, 9, 30), D("58"))
    assert a.reason == (
        "Tỷ lệ hồ sơ TTHC xử lý trực tuyến: 58% (tháng 9/2025), xu hướng +1,5 điểm/tháng "
        "→ dự kiến 62,5% cuối năm 2025 < mục tiêu ≥ 70%"
    )


# (direction, targets, monthly values Jul–Sep 2025, expected status)
INDICATOR_CASES = [
    # ≥ vs >: reaching the number meets "≥" but not ">"
    ("higher", dict(y2025="≥ 70"), [60, 65, 70], I.ACHIEVED),
    ("higher", dict(y2025="> 70"), [60, 65, 70], I.ON_TRACK),  # trend +5/month carries it past
    ("higher", dict(y2025="> 70"), [70, 70, 70], I.BEHIND),  # flat at exactly 70 never passes
    ("higher", dict(y2025="≥ 70"), [70, 70, 69], I.BEHIND),
    ("higher", dict(y2025="≥ 70"), [64, 65, 66], I.BEHIND),  # 66 + 1×3 = 69 < 70
    ("higher", dict(y2025="≥ 70"), [63, 65, 67], I.ON_TRACK),  # 67 + 2×3 = 73
    # bare number: floor when higher is better, ceiling when lower is better
    ("higher", dict(y2025="100"), [100, 100, 100], I.ACHIEVED),
    ("lower", dict(y2025="10"), [12, 11, 10], I.ACHIEVED),
    # ranks: lower is better, the comparison turns around
    ("lower", dict(y2025="≤ 30"), [40, 38, 36], I.ON_TRACK),  # 36 − 2×3 = 30 exactly
    ("lower", dict(y2025="≤ 30"), [45, 42, 40], I.BEHIND),
    ("lower", dict(y2025="≤ 30"), [30, 29, 28], I.ACHIEVED),
    ("lower", dict(y2025="< 30"), [30, 30, 30], I.BEHIND),  # flat at 30 never goes under
    # ranges
    ("higher", dict(y2025="30-40"), [20, 25, 35], I.ACHIEVED),
    ("higher", dict(y2025="30-40"), [24, 26, 28], I.ON_TRACK),  # reaches the band by December
    ("higher", dict(y2025="30-40"), [10, 11, 12], I.BEHIND),
    ("higher", dict(y2025="30-40"), [41, 45, 50], I.ACHIEVED),  # beyond the band is not a shortfall
    ("lower", dict(y2025="30-40"), [50, 45, 41], I.ON_TRACK),  # a rank falling into the band by December
    ("lower", dict(y2025="30-40"), [25, 20, 15], I.ACHIEVED),  # a rank better than the band
    # "-" and blank: no target; the next real milestone is assessed instead
    ("higher", dict(y2025="-"), [1, 2, 3], I.NO_TARGET),
    ("higher", dict(y2025="-", y2030="≥ 50"), [1, 2, 3], I.ON_TRACK),
    ("higher", dict(y2025="", y2030="≥ 500"), [1, 2, 3], I.BEHIND),
    ("higher", {}, [1, 2, 3], I.NO_TARGET),
    # "X": done by the milestone
    ("higher", dict(y2025="X"), [0, 0, 1], I.ACHIEVED),
    ("higher", dict(y2025="X"), [0, 0, 0], I.BEHIND),
    ("higher", dict(y2026="X"), [0, 0, 0], I.ON_TRACK),
    # missing data
    ("higher", dict(y2025="≥ 70"), [], I.NO_DATA),
    ("higher", dict(y2025="X"), [], I.NO_DATA),
    # text targets cannot be assessed automatically
    ("higher", dict(y2025="Nâng cao chất lượng"), [1, 2, 3], I.NO_TARGET),
]


@pytest.mark.parametrize("direction, targets, values, expected", INDICATOR_CASES)
def test_indicator_status_table(direction, targets, values, expected):
    a = assess_indicator(
        name="Chỉ tiêu",
        unit="%" if direction == "higher" else "",
        direction=direction,
        targets=tg(**targets),
        observations=monthly(2025, values, first_month=7),
        today=date(2025, 10, 12),
    )
    assert a.status is expected, a.reason
    assert a.reason


def test_a_rank_reads_the_other_way_round():
    a = assess_indicator(
        name="Xếp hạng chỉ số DTI", unit="", direction="lower", targets=tg(y2025="≤ 30"),
        observations=monthly(2025, [45, 42, 40], first_month=7), today=date(2025, 10, 12),
    )  # fmt: skip
    assert a.status is I.BEHIND
    assert a.projected == D("32.5")
    assert a.reason.endswith("→ dự kiến hạng 33/34 cuối năm 2025 > mục tiêu ≤ 30")
    assert "xu hướng −2,5 bậc/tháng" in a.reason


def test_a_rank_is_never_projected_below_1_or_below_the_last_place():
    # A province falling 6 places a month would "reach" 50th of 34: it stops at the last place.
    kw = dict(name="Xếp hạng về an toàn thông tin mạng", unit="Thứ bậc", direction="lower", targets=tg(y2030="< 25"))
    a = assess_indicator(observations=monthly(2026, [20, 26, 32], first_month=7), today=date(2026, 10, 12), **kw)
    assert a.projected == D(34) and a.status is I.BEHIND
    assert "dự kiến hạng 34/34 cuối năm 2030" in a.reason and "102" not in a.reason
    # Climbing 10 places a month does not give a rank of minus something: first place at best.
    a = assess_indicator(observations=monthly(2026, [33, 31, 29], first_month=7), today=date(2026, 10, 12), **kw)
    assert a.projected == D(1) and a.status is I.ON_TRACK
    assert "dự kiến hạng 1/34" in a.reason


def test_the_number_ranked_comes_from_the_name_or_the_provinces_of_the_day():
    from planwatch.monitoring.status import ranked_among, value_bounds

    assert ranked_among("Chỉ số đổi mới sáng tạo tỉnh", "Thứ bậc", date(2026, 1, 1)) == 34
    assert ranked_among("Chỉ số PCI", "Thứ bậc", date(2024, 12, 31)) == 63
    assert ranked_among("Xếp hạng PAPI trên 63 tỉnh, thành phố", "", date(2026, 1, 1)) == 63
    assert ranked_among("Xếp hạng chuyển đổi số cấp huyện (DTI)", "", date(2026, 1, 1)) is None
    assert ranked_among("Tỷ lệ hồ sơ trực tuyến", "%") is None
    assert value_bounds("Xếp hạng chuyển đổi số cấp huyện (DTI)", "") == (D(1), None)
    assert value_bounds("Tỷ lệ dân số có tài khoản", "% dân số") == (D(0), D(100))
    assert value_bounds("Tốc độ tăng trưởng kinh tế số", "%") == (None, None)
    assert value_bounds("Số doanh nghiệp công nghệ số", "Doanh nghiệp") == (D(0), None)


def test_percentages_and_counts_are_not_projected_below_0():
    a = assess_indicator(
        name="A", unit="%", direction="higher", targets=tg(y2030="≥ 70"),
        observations=monthly(2026, [30, 20, 10], first_month=7), today=date(2026, 10, 12),
    )  # fmt: skip
    assert a.projected == D(0) and "dự kiến 0% cuối năm 2030" in a.reason
    a = assess_indicator(
        name="Số dự án", unit="dự án", direction="higher", targets=tg(y2030="≥ 70"),
        observations=monthly(2026, [30, 20, 10], first_month=7), today=date(2026, 10, 12),
    )  # fmt: skip
    assert a.projected == D(0)


def test_a_passed_milestone_gets_a_verdict_while_the_next_one_is_judged():
    targets = tg(y2025="≥ 60", y2030="≥ 80")
    kw = dict(name="Tỷ lệ A", unit="%", direction="higher", targets=targets, today=date(2026, 11, 20))
    missed = assess_indicator(observations=monthly(2025, [50, 57], first_month=11) + monthly(2026, [70], first_month=9), **kw)
    assert missed.milestone_year == 2030
    assert [(v.year, v.status, v.value.value) for v in missed.verdicts] == [(2025, I.MISSED, D(57))]
    assert missed.verdicts[0].label == "không đạt"
    assert "mốc năm 2025: không đạt (57% < mục tiêu ≥ 60%)" in missed.reason
    met = assess_indicator(observations=monthly(2025, [61], first_month=12), **kw)
    assert met.verdicts[0].status is I.ACHIEVED and "mốc năm 2025: đạt (61%, mục tiêu ≥ 60%)" in met.reason
    # No value dated in 2025: that milestone cannot be judged, and says so.
    none = assess_indicator(observations=monthly(2026, [70], first_month=9), **kw)
    assert none.verdicts[0].status is I.NO_DATA and "mốc năm 2025: chưa có số liệu" in none.reason
    # A rank milestone is met from below.
    rank = assess_indicator(name="Xếp hạng DTI", unit="Thứ bậc", direction="lower", targets=tg(y2025="< 30", y2030="< 25"),
                            observations=monthly(2025, [28], first_month=12), today=date(2026, 11, 20))  # fmt: skip
    assert rank.verdicts[0].status is I.ACHIEVED


def test_stale_data_counts_as_no_data_but_keeps_the_latest_value():
    obs = monthly(2025, [50, 60], first_month=1)  # last value 28/2/2025
    a = assess_indicator(name="A", unit="%", direction="higher", targets=tg(y2025="≥ 70"), observations=obs, today=date(2025, 6, 28))
    assert a.status is I.BEHIND or a.status is I.ON_TRACK  # 120 days after 28/2 is 28/6: still fresh
    a = assess_indicator(name="A", unit="%", direction="higher", targets=tg(y2025="≥ 70"), observations=obs, today=date(2025, 6, 29))
    assert a.status is I.NO_DATA
    assert a.latest == Observation(date(2025, 2, 28), D(60))
    assert "đã cũ" in a.reason


def test_one_value_and_a_baseline_give_a_trend():
    a = assess_indicator(
        name="A", unit="%", direction="higher", targets=tg(y2025="≥ 70"),
        observations=[Observation(date(2025, 6, 30), D(40))], baseline=Observation(date(2024, 12, 31), D(34)),
        today=date(2025, 7, 15),
    )  # fmt: skip
    assert a.slope_per_month == D(1)
    assert a.projected == D(46)
    assert a.status is I.BEHIND


def test_one_value_without_baseline_is_behind_for_want_of_a_trend():
    a = assess_indicator(
        name="A", unit="%", direction="higher", targets=tg(y2025="≥ 70"),
        observations=[Observation(date(2025, 6, 30), D(40))], today=date(2025, 7, 15),
    )  # fmt: skip
    assert a.status is I.BEHIND and a.projected is None and "chưa đủ số liệu" in a.reason


def test_past_milestones_are_achieved_or_missed():
    kw = dict(name="A", unit="%", direction="higher", targets=tg(y2025="≥ 70"), today=date(2026, 1, 20))
    assert assess_indicator(observations=monthly(2025, [70], first_month=12), **kw).status is I.ACHIEVED
    assert assess_indicator(observations=monthly(2025, [69], first_month=12), **kw).status is I.MISSED
    kw["targets"] = tg(y2025="X")
    assert assess_indicator(observations=monthly(2025, [0], first_month=12), **kw).status is I.MISSED


def test_percentages_are_not_projected_past_100():
    a = assess_indicator(
        name="A", unit="%", direction="higher", targets=tg(y2030="= 100 (toàn bộ)"),
        observations=monthly(2025, [80, 90, 99], first_month=7), today=date(2025, 10, 1),
    )  # fmt: skip
    assert a.projected == D(100) and a.status is I.ON_TRACK


def test_future_observations_are_ignored():
    a = assess_indicator(
        name="A", unit="%", direction="higher", targets=tg(y2025="≥ 70"),
        observations=monthly(2025, [10, 80], first_month=9), today=date(2025, 10, 12),
    )  # fmt: skip
    assert a.latest.value == D(10)


@pytest.mark.parametrize(
    "rating, explanation, ok",
    [("red", "", False), ("amber", "   ", False), ("red", "Thiếu kinh phí", True), ("amber", None, False),
     ("green", "", True), ("", "", True), (None, None, True)],
)  # fmt: skip
def test_red_or_amber_needs_an_explanation(rating, explanation, ok):
    assert (rating_explanation_error(rating, explanation) is None) is ok


@pytest.mark.parametrize(
    "due, submitted, today, expected",
    [
        (date(2025, 10, 10), date(2025, 10, 10), date(2025, 10, 20), RT.ON_TIME),
        (date(2025, 10, 10), date(2025, 10, 11), date(2025, 10, 20), RT.LATE),
        (date(2025, 10, 10), None, date(2025, 10, 10), RT.PENDING),
        (date(2025, 10, 10), None, date(2025, 10, 11), RT.MISSING),
    ],
)
def test_report_timeliness(due, submitted, today, expected):
    assert report_timeliness(due, submitted, today) is expected


@pytest.mark.parametrize(
    "flags, expected", [([], 0), ([True], 0), ([False], 1), ([True, False, False], 2), ([False, True, False], 1)]
)
def test_missed_periods_in_a_row(flags, expected):
    assert missed_periods_in_a_row(flags) == expected


def test_reasons_read_as_a_sentence():
    """Units after numbers in lower case (acronyms kept); no ".:" after a name ending in "."."""
    from planwatch.lib.targets import parse_target
    from planwatch.monitoring.status import Observation, assess_indicator

    a = assess_indicator(
        name="Số người tham gia học tập số.", unit="Người", direction="higher",
        targets={2026: parse_target("≥ 500").value}, observations=[Observation(date(2026, 10, 31), D(120))],
        today=date(2026, 11, 20),
    )
    assert a.reason.startswith("Số người tham gia học tập số: 120 người (tháng 10/2026)")
    assert "Người" not in a.reason.split(":", 1)[1]
    b = assess_indicator(
        name="Hồ sơ TTHC trực tuyến", unit="TTHC", direction="higher",
        targets={2026: parse_target("≥ 500").value}, observations=[Observation(date(2026, 10, 31), D(600))],
        today=date(2026, 11, 20),
    )
    assert "600 TTHC" in b.reason


def test_the_trajectory_runs_from_the_start_through_each_later_numeric_target():
    from planwatch.monitoring.status import Observation, trajectory

    targets = {y: parse_target(raw).value for y, raw in {2025: "≥ 8", 2030: "-", 2035: "30-40", 2040: "X"}.items()}
    start = Observation(date(2025, 10, 31), D(5))
    assert trajectory(targets, "higher", start) == [start, Observation(date(2025, 12, 31), D(8)), Observation(date(2035, 12, 31), D(30))]
    assert trajectory(targets, "lower", start)[-1] == Observation(date(2035, 12, 31), D(40))
    assert trajectory(targets, "higher", None) == []
    assert trajectory({2025: parse_target("-").value}, "higher", start) == []


# ---------------------------------------------------------------------------------------------
# One rule for "target met" (issue 8: "30-40" and 41 were met on the dashboard, not on the plan)


@pytest.mark.parametrize("raw", ["≥ 8", "> 8", "≤ 30", "< 30", "100", "30-40", "40-30", "X", "-", "abc"])
@pytest.mark.parametrize("direction", ["higher", "lower"])
@pytest.mark.parametrize("value", ["0", "8", "29", "30", "35", "40", "41", "100", "101"])
def test_meets_is_the_targets_own_rule(raw, direction, value):
    from planwatch.monitoring.status import meets

    spec = parse_target(raw).value
    assert meets(spec, direction, D(value)) is spec.satisfied_by(D(value), direction)


def test_a_range_is_met_by_doing_better_than_the_band_in_both_places():
    from planwatch.monitoring.status import meets

    spec = parse_target("30-40").value
    assert spec.satisfied_by(D(41)) is True and meets(spec, "higher", D(41)) is True
    assert spec.satisfied_by(D(41), "lower") is False and meets(spec, "lower", D(41)) is False


# ---------------------------------------------------------------------------------------------
# A bad stored value never raises (legacy rows written before specs were checked)


def test_assessing_an_indicator_whose_stored_target_holds_nan_gives_no_data_with_a_note():
    from planwatch.lib.targets import TargetSpec

    spec = TargetSpec.from_stored({"kind": "compare", "raw": "≥ NaN", "op": ">=", "value": "NaN"})
    a = assess_indicator(
        name="Tỷ lệ", unit="%", direction="higher", targets={2025: spec},
        observations=monthly(2025, [60, 65, 70], first_month=7), today=date(2025, 10, 12),
    )  # fmt: skip
    assert a.status is I.NO_DATA
    assert a.reason == "Tỷ lệ: chỉ tiêu năm 2025 lưu không hợp lệ (“≥ NaN”), chưa đánh giá được; cần sửa dữ liệu kế hoạch"


def test_a_target_built_with_a_nan_value_or_a_nan_observation_never_raises():
    from planwatch.lib.targets import TargetKind, TargetSpec
    from planwatch.monitoring.status import trajectory

    nan_target = TargetSpec(TargetKind.COMPARE, "≥ 70", op=">=", value=D("NaN"))
    a = assess_indicator(
        name="Tỷ lệ", unit="%", direction="higher", targets={2025: nan_target},
        observations=monthly(2025, [60, 65, 70], first_month=7), today=date(2025, 10, 12),
    )  # fmt: skip
    assert a.status is I.NO_DATA
    good = tg(y2025="≥ 70")
    obs = [Observation(date(2025, 8, 31), D("NaN")), Observation(date(2025, 9, 30), D(71))]
    a = assess_indicator(name="Tỷ lệ", unit="%", direction="higher", targets=good, observations=obs, today=date(2025, 10, 12))
    assert a.status is I.ACHIEVED and a.latest.value == 71
    assert trajectory({2025: nan_target}, "higher", Observation(date(2024, 12, 31), D(50))) == []
