"""What the system holds for a period, read straight from the database for the file tests.

Nothing here goes through planwatch.documents.report_data or reporting.consolidation: the
task and indicator tables are rebuilt from Assignment / TaskProgress / IndicatorValue (and
checked against monitoring's IndicatorPoint roll-up) with the rules of the report written out
once more, so that a file that says something else than the database fails the tests even
when the report's own code agrees with itself. Statuses are judged by the definitions in
monitoring.status (task_status, assess_indicator), on the day the report describes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from planwatch.monitoring.models import IndicatorPoint
from planwatch.monitoring.status import Observation, assess_indicator, task_status
from planwatch.orgs.models import Organisation
from planwatch.plans.models import Aggregation, Assignment, Indicator, IndicatorTarget, Task
from planwatch.reporting.models import IndicatorValue, ProgressStatus, ReportingPeriod, ReportStatus, TaskProgress

ACCEPTED = (ReportStatus.ACCEPTED,)
SENT = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)  # đã gửi + đã tiếp nhận; never drafts or returned
NAMES_SHOWN = 5  # a consolidated text names up to 5 units, else counts them
TREND_PERIODS = 5  # earlier periods feeding an indicator's trend


def vn(value: Decimal | int) -> str:
    """1234567.5 → "1.234.567,5": dots between thousands, a comma before decimals, no
    trailing zeros."""
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + ".".join(groups or ["0"]) + ("," + frac if frac else "")


def as_of_for(period: ReportingPeriod, report_date: date) -> date:
    """The day a report made on `report_date` describes (the due date once the period is over)."""
    return min(report_date, period.due_date) if report_date >= period.end else report_date


# ---------------------------------------------------------------- tasks


@dataclass
class TaskTruth:
    code: str
    name: str
    assigned: int
    reported: int
    done: int
    in_progress: int
    not_started: int
    result_to_date: str
    expected_next: str
    obstacles: str
    status_label: str

    @property
    def status_cell(self) -> str:  # the DOCX/PDF status column
        return f"{self.status_label}\n({self.done}/{self.assigned} đơn vị hoàn thành)"


def _label(org: Organisation) -> str:
    return org.short_name or org.name


def _cell(texts: list[tuple[Organisation, str]], assigned: int) -> str:
    """One assigned unit: its text as typed. Several: each distinct text once, most widely
    written first, with the units that wrote it (or how many when more than NAMES_SHOWN)."""
    if assigned == 1:
        return texts[0][1] if texts else ""
    by_text: dict[str, list[Organisation]] = defaultdict(list)
    for org, text in texts:
        if text.strip():
            by_text[text.strip()].append(org)
    parts = []
    for text, orgs in sorted(by_text.items(), key=lambda kv: (-len(kv[1]), min(o.path for o in kv[1]))):
        orgs.sort(key=lambda o: o.path)
        who = ", ".join(_label(o) for o in orgs) if len(orgs) <= NAMES_SHOWN else f"{vn(len(orgs))} đơn vị"
        parts.append(f"- {text} ({who})")
    return "\n".join(parts)


def task_truth(period: ReportingPeriod, root: Organisation, statuses, as_of: date) -> dict[str, TaskTruth]:
    """Per task code: the assigned units of the subtree, their lines in the counted reports
    of the period, the consolidated texts and the status word as of `as_of`."""
    orgs_of: dict[int, list[Organisation]] = defaultdict(list)
    for a in Assignment.objects.filter(task__plan=period.plan, org__path__startswith=root.path).select_related("org"):
        if a.org.valid_to is not None and a.org.valid_to < period.start:
            continue  # ended before the period (the 1/7/2025 reform): its successors carry the task
        if a.org not in orgs_of[a.task_id]:
            orgs_of[a.task_id].append(a.org)
    lines = {
        (tp.task_id, tp.report.org_id): tp
        for tp in TaskProgress.objects.filter(
            report__period=period, report__org__path__startswith=root.path, report__status__in=statuses,
        ).select_related("report")
    }
    out = {}
    for task in Task.objects.filter(plan=period.plan):
        orgs = sorted(orgs_of[task.pk], key=lambda o: o.path)
        mine = [(o, lines[(task.pk, o.pk)]) for o in orgs if (task.pk, o.pk) in lines]
        done = [tp for _, tp in mine if tp.status == ProgressStatus.DONE]
        in_progress = sum(1 for _, tp in mine if tp.status == ProgressStatus.IN_PROGRESS)
        if orgs and len(done) == len(orgs):
            progress = "done"
            dates = [tp.completed_on for tp in done if tp.completed_on]
            completed_on = max(dates) if dates else None
        else:
            progress, completed_on = ("in_progress" if done or in_progress else "not_started"), None
        status = task_status(
            task.deadline, progress, completed_on, as_of, reported_this_period=bool(orgs) and len(mine) == len(orgs),
        )
        out[task.code] = TaskTruth(
            code=task.code, name=task.name, assigned=len(orgs), reported=len(mine), done=len(done),
            in_progress=in_progress, not_started=sum(1 for _, tp in mine if tp.status == ProgressStatus.NOT_STARTED),
            result_to_date=_cell([(o, tp.result_to_date) for o, tp in mine], len(orgs)),
            expected_next=_cell([(o, tp.expected_next) for o, tp in mine], len(orgs)),
            obstacles=_cell([(o, tp.obstacles) for o, tp in mine], len(orgs)),
            status_label=status.label,
        )
    return out


# ---------------------------------------------------------------- indicators


@dataclass
class IndicatorTruth:
    code: str
    name: str
    value: Decimal | None
    status_label: str

    @property
    def value_text(self) -> str:
        return "" if self.value is None else vn(self.value)


def _ratio(num: Decimal, den: Decimal) -> Decimal:
    return (num / den * 100).quantize(Decimal("0.01"))


def _figure(ind: Indicator, responsible: list[Organisation], values: dict[int, IndicatorValue]) -> Decimal | None:
    """The subtree's figure: counts add up, ratios come from the summed numerators and
    denominators, anything else is the responsible agency's own figure."""
    if ind.aggregation == Aggregation.SUM:
        vals = [v.value for v in values.values() if v.value is not None]
        return sum(vals, Decimal(0)) if vals else None
    if ind.aggregation == Aggregation.RATIO:
        pairs = [(v.numerator, v.denominator) for v in values.values() if v.numerator is not None and v.denominator]
        if not pairs:
            return None
        return _ratio(sum((p[0] for p in pairs), Decimal(0)), sum((p[1] for p in pairs), Decimal(0)))
    # The responsible agencies in order; when none is recorded, the only unit that reported.
    order = [o.pk for o in responsible] or (list(values) if len(values) == 1 else [])
    for org_id in order:
        v = values.get(org_id)
        if v is None:
            continue
        value = v.value
        if value is None and v.numerator is not None and v.denominator:
            value = _ratio(v.numerator, v.denominator)
        if value is not None:
            return value
    return None


def indicator_figures(periods: list[ReportingPeriod], root: Organisation, statuses) -> dict[tuple[int, int], Decimal]:
    """(period id, indicator id) → the subtree's figure, for every period given."""
    inds = list(Indicator.objects.filter(plan=periods[0].plan, is_group=False).prefetch_related("responsible"))
    values: dict[tuple[int, int], dict[int, IndicatorValue]] = defaultdict(dict)
    for v in IndicatorValue.objects.filter(
        report__period__in=periods, report__org__path__startswith=root.path, report__status__in=statuses,
    ).select_related("report"):
        values[(v.report.period_id, v.indicator_id)][v.report.org_id] = v
    out = {}
    for p in periods:
        for ind in inds:
            responsible = sorted((o for o in ind.responsible.all()), key=lambda o: o.path)
            fig = _figure(ind, responsible, values.get((p.pk, ind.pk), {}))
            if fig is not None:
                out[(p.pk, ind.pk)] = fig
    return out


def indicator_points(period: ReportingPeriod) -> dict[int, Decimal | None]:
    """monitoring's roll-up of the accepted reports: indicator id → the plan's figure."""
    return {p.indicator_id: p.value for p in IndicatorPoint.objects.filter(period=period)}


def indicator_truth(period: ReportingPeriod, root: Organisation, statuses, as_of: date) -> dict[str, IndicatorTruth]:
    """Per indicator code: the period's figure and the status word as of `as_of`, with the
    trend over the figures of up to TREND_PERIODS earlier periods that had ended by then."""
    earlier = list(
        ReportingPeriod.objects.filter(plan=period.plan, end__lt=period.end, end__lte=as_of).order_by("-end")[:TREND_PERIODS]
    )
    figures = indicator_figures([period, *earlier], root, statuses)
    targets: dict[int, dict] = defaultdict(dict)
    for t in IndicatorTarget.objects.filter(indicator__plan=period.plan):
        targets[t.indicator_id][t.year] = t.target
    out = {}
    for ind in Indicator.objects.filter(plan=period.plan, is_group=False):
        value = figures.get((period.pk, ind.pk))
        obs = [Observation(p.end, figures[(p.pk, ind.pk)]) for p in earlier if (p.pk, ind.pk) in figures]
        if value is not None:
            obs.append(Observation(min(period.end, as_of), value))
        baseline = (
            Observation(date(ind.baseline_year, 12, 31), ind.baseline_value)
            if ind.baseline_value is not None and ind.baseline_year is not None else None
        )
        a = assess_indicator(
            name=ind.name, unit=ind.unit, direction=ind.direction, targets=targets.get(ind.pk, {}),
            observations=obs, today=as_of, baseline=baseline,
        )
        out[ind.code] = IndicatorTruth(code=ind.code, name=ind.name, value=value, status_label=a.status.label)
    return out
