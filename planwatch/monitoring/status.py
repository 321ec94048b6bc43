"""Status of task assignments and indicators: pure functions over plain values (no ORM).

Everything a dashboard, a warning, a ranking or an export says about "how are we doing" is
decided here, so that all of them agree and the boundaries are tested in one place.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from planwatch.lib.deadlines import DeadlineKind, DeadlineSpec
from planwatch.lib.numbers import format_vn_number, is_finite_number
from planwatch.lib.targets import TargetKind, TargetSpec

# ---------------------------------------------------------------------------------------------
# Tasks



# Bump when the assessment rules change (wording, thresholds): stored assessments made with
# another version are redone at the next read, so the dashboard never mixes two rule sets.
RULES_VERSION = "2026-12-01.1"


class TaskStatus(str, Enum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    REPORTED = "reported"
    NOT_REPORTED = "not_reported"

    @property
    def label(self) -> str:
        return _TASK_LABELS[self]

    @property
    def is_done(self) -> bool:
        return self in (TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE)


_TASK_LABELS = {
    TaskStatus.NOT_STARTED: "chưa triển khai",
    TaskStatus.IN_PROGRESS: "đang thực hiện (trong hạn)",
    TaskStatus.DUE_SOON: "sắp đến hạn",
    TaskStatus.OVERDUE: "quá hạn",
    TaskStatus.DONE_ON_TIME: "hoàn thành đúng hạn",
    TaskStatus.DONE_LATE: "hoàn thành quá hạn",
    TaskStatus.REPORTED: "đã báo cáo kỳ này",
    TaskStatus.NOT_REPORTED: "chưa báo cáo",
}

# Progress words of reporting.models.ProgressStatus (kept as plain strings: no import of reporting).
PROGRESS_NOT_STARTED = "not_started"
PROGRESS_IN_PROGRESS = "in_progress"
PROGRESS_DONE = "done"

_YEARLY_KINDS = (DeadlineKind.YEARLY, DeadlineKind.FROM_YEAR)
DUE_SOON_DAYS = 30


def reporting_cutoff(today: date, due_day: int) -> date:
    """End of the latest month whose report was due before `today` for a plan whose reports
    are due on `due_day` of the following month (reporting.periods.due_day_of(plan)): a
    recurring task counts as reported "this period" when the unit's latest accepted report
    covers that month or later. `today.day > due_day` is the same as `today` being after
    periods.due_after(previous month end, due_day): clamping (31 → 28/2) never moves it."""
    first = today.replace(day=1)
    prev_end = first - timedelta(days=1)
    if today.day > due_day:
        return prev_end
    return prev_end.replace(day=1) - timedelta(days=1)


def task_due(deadline: DeadlineSpec, today: date) -> date | None:
    """The due date that counts today: yearly tasks fall due on 31/12 of the current year."""
    if deadline.kind in _YEARLY_KINDS:
        return deadline.due_in_year(today.year)
    return deadline.due


def task_status(
    deadline: DeadlineSpec,
    progress: str | None,
    completed_on: date | None,
    today: date,
    *,
    reported_this_period: bool = False,
    due_soon_days: int = DUE_SOON_DAYS,
) -> TaskStatus:
    """Status of one assignment of a task, from the unit's latest accepted progress line.

    - Recurring ("Thường xuyên") tasks are never finished: they are reported, or not, each period.
    - Yearly ("Hằng năm", "2025 và những năm tiếp theo") tasks are due on 31/12 of each year; a
      completion dated in an earlier year does not count for this year.
    - The deadline day itself is still on time; overdue starts the day after.
    - "Done" without a completion date counts as on time: the report does not say when, and a
      lateness we cannot show must not be charged to the unit.
    - "Due soon" (within `due_soon_days`, the deadline day included) wins over not started / in
      progress, so that it is seen; warnings add "no progress reported" where it applies.
    """
    if deadline.kind is DeadlineKind.RECURRING:
        return TaskStatus.REPORTED if reported_this_period else TaskStatus.NOT_REPORTED

    due = task_due(deadline, today)
    done = progress == PROGRESS_DONE
    if done and deadline.kind in _YEARLY_KINDS and completed_on is not None and completed_on.year < today.year:
        done = False  # last year's completion; this year's round is still open

    if done:
        if due is None or completed_on is None or completed_on <= due:
            return TaskStatus.DONE_ON_TIME
        return TaskStatus.DONE_LATE

    if due is not None:
        if today > due:
            return TaskStatus.OVERDUE
        if (due - today).days <= due_soon_days:
            return TaskStatus.DUE_SOON
    if progress == PROGRESS_IN_PROGRESS:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


def task_status_sql(today: date, *, due_soon_days: int = DUE_SOON_DAYS):
    """SQL mirror of task_status() over the TaskState roll-up: (due_eff, status) expressions
    to annotate in that order. `status` is a TaskStatus value. The recurring tasks' "this
    period" uses reporting_cutoff() with each plan's own due day (a subquery on the plans, no
    join). Checked row by row against task_status() in monitoring/tests/test_rules_sql.py."""
    from django.db.models import Case, CharField, F, Q, Value, When

    from planwatch.plans.models import Plan
    from planwatch.reporting.periods import DEFAULT_DUE_DAY

    year_end, year_start = date(today.year, 12, 31), date(today.year, 1, 1)
    soon = today + timedelta(days=due_soon_days)
    yearly = Q(deadline_kind__in=[k.value for k in _YEARLY_KINDS])
    due_eff = Case(
        When(deadline_kind=DeadlineKind.YEARLY.value, then=Value(year_end)),
        When(deadline_kind=DeadlineKind.FROM_YEAR.value, deadline_due__gt=year_end, then=F("deadline_due")),
        When(deadline_kind=DeadlineKind.FROM_YEAR.value, then=Value(year_end)),
        default=F("deadline_due"),
    )
    # Before a plan's due day, last month's report is not yet due: the cutoff is one month
    # earlier for those plans (reporting_cutoff); a subquery on the plans, no join.
    last_month_end = reporting_cutoff(today, 0)  # cutoff once last month's report is due
    month_before_end = reporting_cutoff(today, 31)  # cutoff while it is not yet due
    not_yet_due = Q(reporting_due_day__gte=today.day)
    if today.day <= DEFAULT_DUE_DAY:
        not_yet_due |= Q(reporting_due_day__isnull=True) | Q(reporting_due_day=0)
    reported = Q(period_end__gte=last_month_end) | (
        Q(period_end__gte=month_before_end) & Q(plan_id__in=Plan.objects.filter(not_yet_due).values("id"))
    )
    done = Q(progress=PROGRESS_DONE) & ~(yearly & Q(completed_on__lt=year_start))
    S = TaskStatus
    recurring = DeadlineKind.RECURRING.value
    status = Case(
        When(Q(deadline_kind=recurring) & reported, then=Value(S.REPORTED.value)),
        When(deadline_kind=recurring, then=Value(S.NOT_REPORTED.value)),
        When(done & (Q(due_eff=None) | Q(completed_on=None) | Q(completed_on__lte=F("due_eff"))), then=Value(S.DONE_ON_TIME.value)),
        When(done, then=Value(S.DONE_LATE.value)),
        When(due_eff__lt=today, then=Value(S.OVERDUE.value)),
        When(due_eff__lte=soon, then=Value(S.DUE_SOON.value)),
        When(progress=PROGRESS_IN_PROGRESS, then=Value(S.IN_PROGRESS.value)),
        default=Value(S.NOT_STARTED.value),
        output_field=CharField(),
    )
    return due_eff, status


# ---------------------------------------------------------------------------------------------
# Self-rating of a progress line (red / amber / green scorecard)

# The rule belongs to reporting (which enforces it); re-exported for the scorecard.
from planwatch.reporting.rules import RATINGS_NEEDING_EXPLANATION, rating_explanation_error  # noqa: E402,F401


# ---------------------------------------------------------------------------------------------
# Reports: timeliness


# The rule belongs to reporting (UnitReport.is_late uses it too); re-exported here.
from planwatch.reporting.rules import ReportTimeliness, report_timeliness  # noqa: E402,F401


def missed_periods_in_a_row(reported: list[bool]) -> int:
    """`reported`: one flag per period whose due date has passed, oldest first. How many of the
    most recent ones in a row have no report ("units that have not reported for two periods")."""
    count = 0
    for flag in reversed(reported):
        if flag:
            break
        count += 1
    return count


# ---------------------------------------------------------------------------------------------
# Indicators


class IndicatorStatus(str, Enum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    MISSED = "missed"
    NO_DATA = "no_data"
    NO_TARGET = "no_target"

    @property
    def label(self) -> str:
        return _INDICATOR_LABELS[self]


_INDICATOR_LABELS = {
    IndicatorStatus.ACHIEVED: "đạt",
    IndicatorStatus.ON_TRACK: "đúng lộ trình",
    IndicatorStatus.BEHIND: "chậm (có nguy cơ không đạt)",
    IndicatorStatus.MISSED: "không đạt",
    IndicatorStatus.NO_DATA: "chưa có số liệu",
    IndicatorStatus.NO_TARGET: "không đặt chỉ tiêu",
}


@dataclass(frozen=True)
class Observation:
    on: date  # end of the period the value describes
    value: Decimal


@dataclass(frozen=True)
class IndicatorAssessment:
    status: IndicatorStatus
    milestone_year: int | None
    target: TargetSpec | None
    latest: Observation | None
    projected: Decimal | None
    slope_per_month: Decimal | None
    reason: str
    # The verdict of every milestone already passed (oldest first): đạt / không đạt / chưa có số liệu.
    verdicts: tuple[MilestoneVerdict, ...] = ()


@dataclass(frozen=True)
class MilestoneVerdict:
    """A milestone whose year is over, judged on the value that describes that year: the
    latest observation dated inside it (a value of an earlier year does not speak for it)."""

    year: int
    target: TargetSpec
    value: Observation | None
    status: IndicatorStatus  # ACHIEVED, MISSED or NO_DATA

    @property
    def label(self) -> str:
        return self.status.label


_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}
_ASSESSABLE = (TargetKind.COMPARE, TargetKind.RANGE, TargetKind.DONE, TargetKind.TEXT)


def _month_index(d: date) -> Decimal:
    """Months since year 0, with the day as a fraction: a value at the end of September sits
    3 months before the end of December, as people count it."""
    days = calendar.monthrange(d.year, d.month)[1]
    return Decimal(d.year * 12 + d.month - 1) + Decimal(d.day) / Decimal(days)


def _fmt(value: Decimal, decimals: int = 2) -> str:
    q = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format_vn_number(q.normalize() if q == q.to_integral() else q)


def _unit_word(unit: str) -> str:
    """A unit as it reads after a number ("64 người", "+1 dự án/tháng"): the table's
    capitalised "Người", "Thứ bậc" go lower case; acronyms and symbols ("TTHC", "% GRDP") stay."""
    unit = unit.strip()
    first = unit.split(" ", 1)[0].split("/", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return unit[0].lower() + unit[1:]
    return unit


def _with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    if unit.strip() == "%":
        return text if text.endswith("%") else f"{text}%"
    return f"{text} {_unit_word(unit)}"


def _slope_unit(unit: str) -> str:
    if unit.strip() == "%":
        return "điểm"
    return _unit_word(unit) or "đơn vị"


def _month_label(d: date) -> str:
    return f"tháng {d.month}/{d.year}"


def _target_text(spec: TargetSpec, unit: str) -> str:
    if spec.kind is TargetKind.RANGE and spec.value is not None and spec.value_max is not None:
        return _with_unit(f"{_fmt(spec.value)}–{_fmt(spec.value_max)}", unit)
    if spec.kind is TargetKind.COMPARE and spec.value is not None:
        sign = _SYMBOL.get(spec.op or "=", "")
        return _with_unit(f"{sign} {_fmt(spec.value)}" if spec.op != "=" else _fmt(spec.value), unit)
    return spec.raw or ""


def effective_op(spec: TargetSpec, direction: str) -> str | None:
    """See TargetSpec.effective_op (the rule lives beside the target in lib)."""
    return spec.effective_op(direction)


def meets(spec: TargetSpec, direction: str, value: Decimal) -> bool | None:
    """Whether `value` satisfies the target: TargetSpec.satisfied_by, the one rule."""
    return spec.satisfied_by(value, direction)


def _shortfall_sign(spec: TargetSpec, direction: str, value: Decimal) -> str:
    """The sign that reads "does not meet" in a sentence: "62,5% < mục tiêu ≥ 70%"."""
    if spec.kind is TargetKind.RANGE:
        return ">" if direction == "lower" else "<"
    op = effective_op(spec, direction) or ">="
    if op in (">=", ">"):
        return "<" if op == ">=" else "≤"
    return ">" if op == "<=" else "≥"


def _trend(points: list[Observation]) -> Decimal | None:
    """Least-squares slope per month over the points; None with fewer than two distinct dates."""
    if len(points) < 2:
        return None
    # Floats here (a dashboard assesses thousands of indicators); the slope is rounded to
    # 4 decimals, far below the precision of any reported figure, before anyone sees it.
    xs = [float(_month_index(p.on)) for p in points]
    ys = [float(p.value) for p in points]
    n = len(points)
    mx = sum(xs) / n
    my = sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx < 1e-12:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    return Decimal(repr(round(sxy / sxx, 6)))


def _readable(spec: TargetSpec) -> bool:
    """A target the rules can use: not flagged invalid, and its numbers (if any) finite."""
    if spec.is_invalid:
        return False
    return all(v is None or is_finite_number(v) for v in (spec.value, spec.value_max))


def _next_milestone(targets: dict[int, TargetSpec], today: date) -> tuple[int, TargetSpec] | None:
    """The first milestone not yet over that carries a target; "-" and blank milestones are
    skipped (the plan sets nothing there) so the warning looks at the next real one."""
    for year in sorted(targets):
        if year >= today.year and targets[year].kind in _ASSESSABLE:
            return year, targets[year]
    return None


def _last_milestone(targets: dict[int, TargetSpec]) -> tuple[int, TargetSpec] | None:
    for year in sorted(targets, reverse=True):
        if targets[year].kind in _ASSESSABLE:
            return year, targets[year]
    return None



# ---------------------------------------------------------------------------------------------
# What a value can be: a projection never leaves it


# Ranks in a province's plan are national rankings of provinces (PCI, DTI, PII, …): 34
# provinces and cities since 1/7/2025 (Resolution 202/2025/QH15), 63 before.
PROVINCES_SINCE_2025 = 34
PROVINCES_BEFORE_2025 = 63
_RANK_UNITS = {"thứ bậc", "thứ hạng", "hạng", "bậc", "xếp hạng", "thứ"}
_RANKED_AMONG = re.compile(r"(?:/|trên|trong số|trong|của)\s*(\d{1,4})\s*(?:tỉnh|địa phương|đơn vị|xã|huyện|sở|bộ|quốc gia|nước)")
_SIGNED = ("tăng trưởng", "tốc độ tăng", "mức tăng", "chênh lệch", "thay đổi", "tăng bình quân", "giảm bình quân")


def is_rank(name: str, unit: str) -> bool:
    """A rank ("Thứ bậc", "Xếp hạng …"): 1 is the best and nothing is below 1."""
    u = (unit or "").strip().lower()
    return u in _RANK_UNITS or name.strip().lower().startswith(("xếp hạng", "thứ hạng"))


def ranked_among(name: str, unit: str, on: date | None = None) -> int | None:
    """How many are ranked, when it is known: a number the indicator names ("… trên 34 tỉnh",
    "hạng …/63 địa phương"); else, for a rank of a province (no "cấp huyện/xã" in the name),
    the number of provinces on that day; None for ranks of districts or communes."""
    if not is_rank(name, unit):
        return None
    low = name.lower()
    m = _RANKED_AMONG.search(low)
    if m and int(m.group(1)) >= 1:
        return int(m.group(1))
    if "cấp huyện" in low or "cấp xã" in low or "cấp cơ sở" in low:
        return None
    if on is not None and on < date(2025, 7, 1):
        return PROVINCES_BEFORE_2025
    return PROVINCES_SINCE_2025


def value_bounds(name: str, unit: str, on: date | None = None) -> tuple[Decimal | None, Decimal | None]:
    """The range a value of this indicator can take: a rank 1…number ranked (if known), a
    percentage 0…100 (a growth rate excepted: it may be negative or above 100), a count or
    amount at least 0 (changes and growth rates excepted)."""
    u = (unit or "").strip().lower()
    low = name.lower()
    signed = any(w in low for w in _SIGNED)
    if is_rank(name, unit):
        among = ranked_among(name, unit, on)
        return Decimal(1), (Decimal(among) if among else None)
    if signed:
        return None, None
    if u.startswith("%"):
        return Decimal(0), Decimal(100)
    return Decimal(0), None


def bounded(value: Decimal, bounds: tuple[Decimal | None, Decimal | None]) -> Decimal:
    low, high = bounds
    if low is not None and value < low:
        return low
    if high is not None and value > high:
        return high
    return value


def milestone_verdicts(
    targets: dict[int, TargetSpec], direction: str, observations: list[Observation], today: date
) -> tuple[MilestoneVerdict, ...]:
    """Verdicts of the milestones whose year is over (31/12 before `today`): đạt when the
    year's latest value satisfies the target (TargetSpec.satisfied_by, "X" by a positive
    value), không đạt when it does not, chưa có số liệu when no value is dated in that year.
    Targets without a number or a "done" meaning (text, "-") get no verdict."""
    obs = sorted((o for o in observations if is_finite_number(o.value)), key=lambda o: o.on)
    out = []
    for year in sorted(targets):
        spec = targets[year]
        if date(year, 12, 31) >= today or spec.kind not in (TargetKind.COMPARE, TargetKind.RANGE, TargetKind.DONE):
            continue
        if not _readable(spec):
            continue
        in_year = [o for o in obs if o.on.year == year]
        if not in_year:
            out.append(MilestoneVerdict(year, spec, None, IndicatorStatus.NO_DATA))
            continue
        last = in_year[-1]
        if spec.kind is TargetKind.DONE:
            ok = last.value > 0
        else:
            ok = meets(spec, direction, last.value)
            if ok is None:
                continue
        out.append(MilestoneVerdict(year, spec, last, IndicatorStatus.ACHIEVED if ok else IndicatorStatus.MISSED))
    return tuple(out)


def verdict_text(v: MilestoneVerdict, unit: str, direction: str) -> str:
    """ "mốc năm 2025: không đạt (57% < mục tiêu ≥ 60%)" """
    target = _target_text(v.target, unit)
    if v.value is None:
        return f"mốc năm {v.year}: chưa có số liệu để đánh giá (mục tiêu {target})"
    if v.target.kind is TargetKind.DONE:
        return f"mốc năm {v.year}: {'đạt (đã hoàn thành)' if v.status is IndicatorStatus.ACHIEVED else 'không đạt (chưa hoàn thành)'}"
    shown = _with_unit(_fmt(v.value.value), unit)
    if v.status is IndicatorStatus.ACHIEVED:
        return f"mốc năm {v.year}: đạt ({shown}, mục tiêu {target})"
    sign = _shortfall_sign(v.target, direction, v.value.value)
    return f"mốc năm {v.year}: không đạt ({shown} {sign} mục tiêu {target})"


def assess_indicator(
    *,
    name: str,
    unit: str,
    direction: str,
    targets: dict[int, TargetSpec],
    observations: list[Observation],
    today: date,
    baseline: Observation | None = None,
    stale_after_days: int = 120,
) -> IndicatorAssessment:
    """Where an indicator stands against its next milestone, with the reason in words.

    The trend is the least-squares slope of the observations (the baseline joins them when
    there is only one); the projection extends it from the latest value to 31/12 of the
    milestone year. For lower-is-better indicators (ranks) every comparison turns around.
    """
    unit = unit or ""
    name = name.strip().rstrip(".;:,").rstrip()  # "…kinh doanh.: 71%" reads "…kinh doanh: 71%"
    # A legacy row holding NaN or an infinity must never raise on a page: such values are
    # left out here and bad targets are reported below as "chưa có số liệu" with a note.
    obs = sorted((o for o in observations if o.on <= today and is_finite_number(o.value)), key=lambda o: o.on)
    if baseline is not None and not is_finite_number(baseline.value):
        baseline = None
    latest = obs[-1] if obs else None

    verdicts = milestone_verdicts(targets, direction, obs, today)

    def result(status, year=None, spec=None, projected=None, slope=None, reason=""):
        # The latest milestone already passed gets its verdict in words, unless it is the
        # milestone judged here (every milestone over: its status is the verdict).
        last = verdicts[-1] if verdicts else None
        if last is not None and last.year != year:
            reason = f"{reason}; {verdict_text(last, unit, direction)}"
        return IndicatorAssessment(status, year, spec, latest, projected, slope, reason, verdicts)

    milestone = _next_milestone(targets, today)
    past = False
    if milestone is None:
        milestone = _last_milestone(targets)
        past = milestone is not None
    if milestone is None:
        return result(IndicatorStatus.NO_TARGET, reason=f"{name}: không đặt chỉ tiêu cho các mốc còn lại")
    year, spec = milestone
    if not _readable(spec):
        return result(
            IndicatorStatus.NO_DATA, year, spec,
            reason=f"{name}: chỉ tiêu năm {year} lưu không hợp lệ (“{spec.raw or ''}”), chưa đánh giá được; cần sửa dữ liệu kế hoạch",
        )  # fmt: skip
    target_text = _target_text(spec, unit)
    milestone_end = date(year, 12, 31)

    if spec.kind is TargetKind.TEXT:
        return result(
            IndicatorStatus.NO_TARGET, year, spec,
            reason=f"{name}: chỉ tiêu năm {year} ghi bằng chữ (“{spec.raw}”), cần đánh giá trực tiếp",
        )  # fmt: skip

    if latest is None:
        return result(IndicatorStatus.NO_DATA, year, spec, reason=f"{name}: chưa có số liệu (mục tiêu năm {year}: {target_text})")
    latest_text = f"{_with_unit(_fmt(latest.value), unit)} ({_month_label(latest.on)})"
    if (today - latest.on).days > stale_after_days:
        return result(
            IndicatorStatus.NO_DATA, year, spec,
            reason=f"{name}: số liệu gần nhất {latest_text} đã cũ, chưa có số liệu mới (mục tiêu năm {year}: {target_text})",
        )  # fmt: skip

    if spec.kind is TargetKind.DONE:
        # "X": a qualitative milestone; a positive value reports it done.
        if latest.value > 0:
            return result(IndicatorStatus.ACHIEVED, year, spec, reason=f"{name}: đã hoàn thành ({_month_label(latest.on)})")
        if past or today > milestone_end:
            return result(IndicatorStatus.MISSED, year, spec, reason=f"{name}: chưa hoàn thành, hạn cuối năm {year} đã qua")
        status = IndicatorStatus.BEHIND if year == today.year else IndicatorStatus.ON_TRACK
        return result(status, year, spec, reason=f"{name}: chưa hoàn thành ({_month_label(latest.on)}), phải hoàn thành trong năm {year}")

    if meets(spec, direction, latest.value):
        return result(IndicatorStatus.ACHIEVED, year, spec, reason=f"{name}: {latest_text} đạt mục tiêu năm {year} {target_text}")
    if past:
        sign = _shortfall_sign(spec, direction, latest.value)
        return result(
            IndicatorStatus.MISSED, year, spec,
            reason=f"{name}: {latest_text} {sign} mục tiêu năm {year} {target_text}, mốc đã qua",
        )  # fmt: skip

    points = obs[-13:]  # about a year of monthly values: older ones describe another pace
    if len(points) == 1 and baseline is not None and baseline.on < latest.on:
        points = [baseline, latest]
    slope = _trend(points)
    if slope is None:
        sign = _shortfall_sign(spec, direction, latest.value)
        return result(
            IndicatorStatus.BEHIND, year, spec,
            reason=f"{name}: {latest_text} {sign} mục tiêu năm {year} {target_text}, chưa đủ số liệu để tính xu hướng",
        )  # fmt: skip
    months = _month_index(milestone_end) - _month_index(latest.on)
    # Bounded by what the value can be: a rank between 1 and the number ranked, a percentage
    # in 0–100, a count not below 0 (a straight line would carry it anywhere).
    projected = bounded(latest.value + slope * months, value_bounds(name, unit, milestone_end))
    slope_q = slope.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    projected_q = projected.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    sign_slope = "+" if slope_q >= 0 else "−"
    trend_text = f"xu hướng {sign_slope}{_fmt(abs(slope_q))} {'bậc' if is_rank(name, unit) else _slope_unit(unit)}/tháng"
    projected_text = f"dự kiến {_with_unit(_fmt(projected_q), unit)} cuối năm {year}"
    if is_rank(name, unit):
        among = ranked_among(name, unit, milestone_end)
        rank_q = projected_q.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        projected_text = f"dự kiến hạng {_fmt(rank_q)}{f'/{among}' if among else ''} cuối năm {year}"
    if meets(spec, direction, projected):
        return result(
            IndicatorStatus.ON_TRACK, year, spec, projected_q, slope_q,
            f"{name}: {latest_text}, {trend_text} → {projected_text}, đạt mục tiêu {target_text}",
        )  # fmt: skip
    sign = _shortfall_sign(spec, direction, projected)
    return result(
        IndicatorStatus.BEHIND, year, spec, projected_q, slope_q,
        f"{name}: {latest_text}, {trend_text} → {projected_text} {sign} mục tiêu {target_text}",
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Trajectory: the path the plan asks for


def trajectory(targets: dict[int, TargetSpec], direction: str, start: Observation | None) -> list[Observation]:
    """The path from the starting point (the baseline, or the first reported value when the
    plan records no baseline) through the numeric target of each later milestone, at 31/12
    of its year: the line a value must stay on (above, or below for a rank) to reach the
    milestones. A range counts by the end that must be reached ("30-40": 30, or 40 for a
    rank). Empty without a starting point or a numeric target after it."""
    if start is None or not is_finite_number(start.value):
        return []
    path = [start]
    for year in sorted(targets):
        spec = targets[year]
        on = date(year, 12, 31)
        if on <= start.on or spec.value is None or not _readable(spec):
            continue
        if spec.kind is TargetKind.RANGE and spec.value_max is not None:
            low, high = sorted((spec.value, spec.value_max))
            path.append(Observation(on, high if direction == "lower" else low))
        elif spec.kind is TargetKind.COMPARE:
            path.append(Observation(on, spec.value))
    return path if len(path) > 1 else []
