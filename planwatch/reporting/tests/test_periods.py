from datetime import date

import pytest
import time_machine

from planwatch.plans.models import ReportingSchedule
from planwatch.reporting import periods as P
from planwatch.reporting.models import PeriodKind
from planwatch.reporting.selectors import current_period
from planwatch.reporting.services import NotAllowed, period_open, periods_from_schedule


def test_monthly_labels_bounds_and_due_dates():
    spec = P.spec_for(PeriodKind.MONTH, 2025, 5)
    assert (spec.label, spec.start, spec.end, spec.due_date) == ("Tháng 5/2025", date(2025, 5, 1), date(2025, 5, 31), date(2025, 6, 10))


def test_december_is_due_in_january_of_the_next_year():
    spec = P.spec_for(PeriodKind.MONTH, 2025, 12)
    assert spec.end == date(2025, 12, 31)
    assert spec.due_date == date(2026, 1, 10)


def test_february_ends_on_the_28th_or_29th():
    assert P.spec_for(PeriodKind.MONTH, 2026, 2).end == date(2026, 2, 28)
    assert P.spec_for(PeriodKind.MONTH, 2028, 2).end == date(2028, 2, 29)


def test_a_due_day_past_the_month_end_is_clamped():
    assert P.due_after(date(2026, 1, 31), 31) == date(2026, 2, 28)


@pytest.mark.parametrize(
    "kind,number,label,end,due",
    [
        (PeriodKind.QUARTER, 2, "Quý II/2025", date(2025, 6, 30), date(2025, 7, 10)),
        (PeriodKind.QUARTER, 4, "Quý IV/2025", date(2025, 12, 31), date(2026, 1, 10)),
        (PeriodKind.HALF, 1, "6 tháng đầu năm 2025", date(2025, 6, 30), date(2025, 7, 10)),
        (PeriodKind.HALF, 2, "6 tháng cuối năm 2025", date(2025, 12, 31), date(2026, 1, 10)),
        (PeriodKind.YEAR, 1, "Năm 2025", date(2025, 12, 31), date(2026, 1, 10)),
    ],
)
def test_quarter_half_and_year_periods(kind, number, label, end, due):
    spec = P.spec_for(kind, 2025, number)
    assert (spec.label, spec.end, spec.due_date) == (label, end, due)


@pytest.mark.parametrize(
    "schedule,count", [(ReportingSchedule.MONTHLY, 12), (ReportingSchedule.QUARTERLY, 4),
                       (ReportingSchedule.HALF_YEARLY, 2), (ReportingSchedule.YEARLY, 1), (ReportingSchedule.AD_HOC, 0)],
)
def test_the_schedule_gives_the_periods_of_a_year(demo, schedule, count):
    demo.plan.reporting_schedule = schedule
    assert len(periods_from_schedule(demo.plan, year=2027)) == count


def test_the_plan_due_day_is_used(demo):
    demo.plan.reporting_due_day = 5
    assert periods_from_schedule(demo.plan, year=2027)[0].due_date == date(2027, 2, 5)


def test_opening_a_period_twice_returns_the_same_period(demo):
    a = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2030, number=1, by=demo.supervisor)
    b = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2030, number=1, by=demo.supervisor)
    assert a.pk == b.pk and a.due_date == date(2030, 2, 10) and a.opened_by == demo.supervisor


def test_an_ad_hoc_period_is_labelled_by_its_end_date(demo):
    p = period_open(plan=demo.plan, kind=PeriodKind.AD_HOC, year=2025, end=date(2025, 5, 10), by=demo.supervisor)
    assert p.label == "Báo cáo đến ngày 10/5/2025" and p.due_date == date(2025, 6, 10)


def test_only_the_standing_agency_opens_periods(demo):
    with pytest.raises(NotAllowed):
        period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2030, number=2, by=demo.reporter)


@time_machine.travel(date(2031, 1, 1), tick=False)
def test_the_current_period_is_the_latest_that_has_started_frozen_clock(demo):
    dec = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2030, number=12)
    period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=2)  # not started yet
    assert current_period(demo.plan) == dec
    jan = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=1)
    assert current_period(demo.plan) == jan


@pytest.mark.parametrize(
    "due_day, period_end, due",
    [(5, date(2025, 10, 31), date(2025, 11, 5)), (15, date(2025, 10, 31), date(2025, 11, 15)),
     (15, date(2025, 12, 31), date(2026, 1, 15)), (31, date(2026, 1, 31), date(2026, 2, 28)),
     (30, date(2028, 1, 31), date(2028, 2, 29)), (0, date(2025, 10, 31), date(2025, 11, 10))],
)  # fmt: skip
def test_the_due_date_comes_from_the_plans_own_due_day(demo, due_day, period_end, due):
    demo.plan.reporting_due_day = due_day
    assert P.due_date_for(demo.plan, period_end) == due


@pytest.mark.parametrize("due_day", [5, 15])
def test_periods_opened_for_a_plan_are_due_on_its_own_day(demo, due_day):
    demo.plan.reporting_due_day = due_day
    demo.plan.save(update_fields=["reporting_due_day"])
    month = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2032, number=3)
    ad_hoc = period_open(plan=demo.plan, kind=PeriodKind.AD_HOC, year=2032, end=date(2032, 5, 20))
    assert month.due_date == date(2032, 4, due_day) and ad_hoc.due_date == date(2032, 6, due_day)
    assert {s.due_date.day for s in periods_from_schedule(demo.plan, year=2032)} == {due_day}
