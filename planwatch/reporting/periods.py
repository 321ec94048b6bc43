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


# ---------------------------------------------------------------------------------------------
# Late and overdue: THE late ("nộp muộn") rule of a report (reporting.rules.report_timeliness
# decides on a day: the due day itself is on time, a returned report counts as not sent). The
# word shown is the one every page already uses for a late report, "trễ hạn".

LATE_LABEL = "trễ hạn"  # sent after the due day (rules.ReportTimeliness.LATE.label)
OVERDUE_LABEL = "quá hạn"  # not sent, the due day has passed: whenever it is sent, it is late


def sent_on(report) -> date | None:
    """The local day the report was sent, or None while it is not sent (missing, a draft, or
    returned to the unit: a returned report counts as not sent until it is sent again)."""
    from django.utils import timezone

    from .models import ReportStatus

    if report is None or not report.submitted_at or report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        return None
    return timezone.localdate(report.submitted_at)


def is_overdue(period, today: date | None = None) -> bool:
    """The period's due day has passed (local calendar day): what is not sent by now is late."""
    from django.utils import timezone

    return (today or timezone.localdate()) > period.due_date


def is_late(report, today: date | None = None) -> bool:
    """THE late ("nộp muộn") rule: a report is late when it was sent after its period's due day, or when
    it is still not sent (draft, returned) and the due day has passed. Sent on the due day
    itself, even at 23:30, is on time; at 00:10 the next day it is late (local time)."""
    from django.utils import timezone

    from .rules import ReportTimeliness, report_timeliness

    today = today or timezone.localdate()
    return report_timeliness(report.period.due_date, sent_on(report), today) in (
        ReportTimeliness.LATE, ReportTimeliness.MISSING,
    )  # fmt: skip


def late_label(report, today: date | None = None) -> str:
    """"trễ hạn" (sent late), "quá hạn" (not sent, past the due day) or "" (on time or not due)."""
    if not is_late(report, today):
        return ""
    return LATE_LABEL if sent_on(report) else OVERDUE_LABEL


def days_overdue(period, today: date | None = None) -> int:
    from django.utils import timezone

    return max(0, ((today or timezone.localdate()) - period.due_date).days)


@dataclass
class ReportablePeriod:
    """A period a unit must still report on: started, the unit expected in it (it holds a task
    or answers for an indicator of the plan then), and its report not sent (none yet, a draft,
    or returned). Open it with the URL named "report_current" (period pk)."""

    period: object  # ReportingPeriod
    report: object | None  # UnitReport
    today: date

    @property
    def plan(self):
        return self.period.plan

    @property
    def status(self) -> str:
        return self.report.status if self.report else "missing"

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else "chưa lập"

    @property
    def overdue(self) -> bool:
        return is_overdue(self.period, self.today)

    @property
    def days_overdue(self) -> int:
        return days_overdue(self.period, self.today)

    @property
    def due_date(self) -> date:
        return self.period.due_date


def reportable_periods(org, today: date | None = None) -> list[ReportablePeriod]:
    """Every period the unit can open, fill and send now: every period that has started, of
    every plan the unit takes part in, in which the unit is expected (selectors.expected_units,
    the one rule) and whose report is not sent. Overdue first (oldest due day first), then the
    open ones by due day. Ad hoc periods included."""
    from django.utils import timezone

    from .models import ReportingPeriod, ReportStatus, UnitReport
    from .selectors import expected_units, plans_of_unit

    today = today or timezone.localdate()
    periods = list(
        ReportingPeriod.objects.filter(plan__in=plans_of_unit(org).values("pk"), start__lte=today)
        .select_related("plan__owner", "plan__document", "plan__standing_agency")
        .order_by("due_date", "end", "pk")
    )
    reports = {
        r.period_id: r
        for r in UnitReport.objects.filter(org=org, period__in=[p.pk for p in periods]).select_related("period")
    }
    sent = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
    out = []
    for p in periods:
        r = reports.get(p.pk)
        if r is not None and r.status in sent:
            continue
        if not expected_units(p.plan, period=p).filter(pk=org.pk).exists():
            continue
        out.append(ReportablePeriod(p, r, today))
    out.sort(key=lambda x: (not x.overdue, x.period.due_date, x.period.end, x.period.pk))
    return out


def relief_pending(user):
    """Pending "Không thuộc phạm vi" requests `user` may decide (reporting.relief)."""
    from .relief import relief_pending as rule

    return rule(user)
