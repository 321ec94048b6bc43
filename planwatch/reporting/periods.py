"""Reporting periods as pure calendar arithmetic (no database): bounds, Vietnamese labels
and due dates. A report is due on the plan's own `reporting_due_day` of the month after the
period (the 10th when the plan says nothing): due_date_for(plan, period_end) is the one rule."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from planwatch.plans.models import ReportingSchedule

from .models import PeriodKind

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
SCHEDULE_KIND = {
    ReportingSchedule.MONTHLY: PeriodKind.MONTH,
    ReportingSchedule.QUARTERLY: PeriodKind.QUARTER,
    ReportingSchedule.HALF_YEARLY: PeriodKind.HALF,
    ReportingSchedule.YEARLY: PeriodKind.YEAR,
}
DEFAULT_DUE_DAY = 10  # "hạn báo cáo: ngày 10 tháng sau" unless the plan says otherwise

PERIODS_PER_YEAR = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2, PeriodKind.YEAR: 1}


@dataclass(frozen=True)
class PeriodSpec:
    kind: str
    year: int
    number: int
    label: str
    start: date
    end: date
    due_date: date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def bounds(kind: str, year: int, number: int) -> tuple[date, date]:
    if kind == PeriodKind.MONTH:
        if not 1 <= number <= 12:
            raise ValueError(f"month out of range: {number}")
        return date(year, number, 1), _month_end(year, number)
    if kind == PeriodKind.QUARTER:
        if not 1 <= number <= 4:
            raise ValueError(f"quarter out of range: {number}")
        first = 3 * (number - 1) + 1
        return date(year, first, 1), _month_end(year, first + 2)
    if kind == PeriodKind.HALF:
        if number not in (1, 2):
            raise ValueError(f"half out of range: {number}")
        return (date(year, 1, 1), date(year, 6, 30)) if number == 1 else (date(year, 7, 1), date(year, 12, 31))
    if kind == PeriodKind.YEAR:
        return date(year, 1, 1), date(year, 12, 31)
    raise ValueError(f"no calendar bounds for period kind {kind!r}")


def label_for(kind: str, year: int, number: int, *, end: date | None = None) -> str:
    if kind == PeriodKind.MONTH:
        return f"Tháng {number}/{year}"
    if kind == PeriodKind.QUARTER:
        return f"Quý {ROMAN[number]}/{year}"
    if kind == PeriodKind.HALF:
        return f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
    if kind == PeriodKind.YEAR:
        return f"Năm {year}"
    return f"Báo cáo đến ngày {end.day}/{end.month}/{end.year}" if end else "Báo cáo đột xuất"


def due_day_of(plan) -> int:
    """The day of the following month on which the plan's reports are due: its own
    `reporting_due_day` (1..31), or DEFAULT_DUE_DAY when none is recorded."""
    return effective_due_day(getattr(plan, "reporting_due_day", None))


def effective_due_day(day: int | None) -> int:
    """A stored `reporting_due_day` as the rule reads it (for rows read without the plan)."""
    return min(int(day), 31) if day else DEFAULT_DUE_DAY


def due_date_for(plan, period_end: date) -> date:
    """THE due date of a report on `plan` for the period ending `period_end`: the plan's due
    day of the following month, clamped to that month's length (31 → 28/2)."""
    return due_after(period_end, due_day_of(plan))


def due_after(end: date, due_day: int = DEFAULT_DUE_DAY) -> date:
    """The due_day of the month after `end`, clamped to that month's length (31 → 28/2)."""
    year, month = (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(max(due_day, 1), last))


def spec_for(kind: str, year: int, number: int, *, due_day: int = DEFAULT_DUE_DAY) -> PeriodSpec:
    start, end = bounds(kind, year, number)
    return PeriodSpec(kind, year, number, label_for(kind, year, number), start, end, due_after(end, due_day))


def schedule_specs(schedule: str, year: int, *, due_day: int = DEFAULT_DUE_DAY) -> list[PeriodSpec]:
    """Every period of `year` for a plan's reporting schedule; ad hoc plans have none."""
    kind = SCHEDULE_KIND.get(schedule)
    if kind is None:
        return []
    return [spec_for(kind, year, n, due_day=due_day) for n in range(1, PERIODS_PER_YEAR[kind] + 1)]


def containing(kind: str, day: date) -> tuple[int, int]:
    """(year, number) of the period of `kind` that contains `day`."""
    if kind == PeriodKind.MONTH:
        return day.year, day.month
    if kind == PeriodKind.QUARTER:
        return day.year, (day.month - 1) // 3 + 1
    if kind == PeriodKind.HALF:
        return day.year, 1 if day.month <= 6 else 2
    return day.year, 1
