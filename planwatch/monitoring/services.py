"""Maintenance of the roll-up tables (models.py).

- refresh_unit(): recompute one unit's rows for one plan and the indicator points its report
  touches; called by receivers.py inside the transaction of every report transition.
- rebuild_rollups(): recompute everything from the reports (command `rebuild_rollups`).
- ensure_fresh(): the read-side guard. Data written around the services (bulk loads, plan
  re-imports) changes a fingerprint, and the next read rebuilds first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone
from django.db import models

from planwatch.orgs.models import Organisation
from planwatch.plans.models import Assignment, AssignmentRole, Indicator, Plan
from planwatch.reporting.models import IndicatorValue, ReportingPeriod, ReportStatus, TaskProgress, UnitReport

from .models import IndicatorPoint, IndicatorState, RollupStamp, TaskState
from .rollup import UnitFigure, combine
from .status import RULES_VERSION

STAMP_KEY = "rollups"
BATCH = 2000


# ----------------------------------------------------------------------------- fingerprint


def _fingerprint(accepted_delta: tuple[int, int] = (0, 0)) -> str:
    # One round trip of three aggregates: this runs before every dashboard read.
    sql = (
        "SELECT a.n, a.s, b.n, b.m, b.s, c.n FROM "
        f"(SELECT COUNT(id) AS n, SUM(id) AS s FROM {UnitReport._meta.db_table} WHERE status = %s) a, "
        f"(SELECT COUNT(id) AS n, MAX(id) AS m, SUM(id) AS s FROM {Assignment._meta.db_table}) b, "
        f"(SELECT COUNT(id) AS n FROM {Indicator._meta.db_table}) c"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [ReportStatus.ACCEPTED.value])
        rn, rs, an, am, as_, i = cur.fetchone()
    n = (rn or 0) + accepted_delta[0]
    s = (rs or 0) + accepted_delta[1]
    return f"r{n}:{s}|a{an}:{am}:{as_}|i{i}"


def _stamp() -> str | None:
    return RollupStamp.objects.filter(key=STAMP_KEY).values_list("fingerprint", flat=True).first()


def _set_stamp(fp: str) -> None:
    RollupStamp.objects.update_or_create(key=STAMP_KEY, defaults={"fingerprint": fp})


def ensure_fresh(today=None) -> bool:
    """Rebuild when the data changed behind the services' back, and re-assess indicators last
    assessed on another day. Returns True if it rebuilt."""
    if _stamp() != _fingerprint():
        rebuild_rollups(today=today)
        return True
    ensure_assessed(today or timezone.localdate())
    return False


# ----------------------------------------------------------------------------- task states


def _latest_lines(org_ids: Iterable[int] | None, plan_ids: Iterable[int] | None) -> dict[tuple[int, int], tuple]:
    """(task_id, org_id) → the progress line of the latest accepted report mentioning the task."""
    qs = TaskProgress.objects.filter(report__status=ReportStatus.ACCEPTED)
    if org_ids is not None:
        qs = qs.filter(report__org_id__in=list(org_ids))
    if plan_ids is not None:
        qs = qs.filter(task__plan_id__in=list(plan_ids))
    rows = qs.order_by("report__period__end", "report__period_id", "report_id").values_list(
        "task_id", "report__org_id", "status", "completed_on", "report__period__end", "report_id", "rating"
    )
    latest: dict[tuple[int, int], tuple] = {}
    for task_id, org_id, *rest in rows.iterator(chunk_size=BATCH):
        latest[(task_id, org_id)] = tuple(rest)  # later rows overwrite earlier ones
    return latest


def _states(assignments, lines) -> list[TaskState]:
    states: dict[tuple[int, int], TaskState] = {}
    for task_id, org_id, role, plan_id, group_id, kind, due, path, valid_to in assignments:
        key = (task_id, org_id)
        if key in states:
            states[key].is_lead = states[key].is_lead or role == AssignmentRole.LEAD
            continue
        progress, completed_on, period_end, report_id, rating = lines.get(key, ("", None, None, None, ""))
        states[key] = TaskState(
            task_id=task_id, org_id=org_id, plan_id=plan_id, group_id=group_id, org_path=path, org_valid_to=valid_to,
            is_lead=role == AssignmentRole.LEAD, deadline_kind=kind or "", deadline_due=due,
            progress=progress or "", completed_on=completed_on, period_end=period_end,
            report_id=report_id, rating=rating or "",
        )  # fmt: skip
    return list(states.values())


_ASG_FIELDS = (
    "task_id", "org_id", "role", "task__plan_id", "task__group_id", "task__deadline_kind", "task__deadline_due",
    "org__path", "org__valid_to",
)  # fmt: skip


def refresh_unit(org: Organisation, plan: Plan) -> None:
    assignments = Assignment.objects.filter(org=org, task__plan=plan, task__plan__monitored=True).values_list(*_ASG_FIELDS)
    lines = _latest_lines([org.pk], [plan.pk])
    TaskState.objects.filter(org=org, plan=plan).delete()
    TaskState.objects.bulk_create(_states(assignments, lines), batch_size=BATCH)


# ----------------------------------------------------------------------------- indicator points


def _responsible_map(indicator_ids: Iterable[int] | None = None) -> dict[int, list[int]]:
    through = Indicator.responsible.through.objects.all()
    if indicator_ids is not None:
        through = through.filter(indicator_id__in=list(indicator_ids))
    out: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for ind_id, org_id, path in through.values_list("indicator_id", "organisation_id", "organisation__path"):
        out[ind_id].append((path, org_id))
    return {k: [o for _, o in sorted(v)] for k, v in out.items()}


def _points(values, indicators: dict[int, tuple], periods: dict[int, object], responsible) -> list[IndicatorPoint]:
    grouped: dict[tuple[int, int], list[UnitFigure]] = defaultdict(list)
    for ind_id, period_id, org_id, value, num, den in values:
        grouped[(ind_id, period_id)].append(UnitFigure(org_id, value, num, den))
    points = []
    for (ind_id, period_id), figures in grouped.items():
        plan_id, aggregation, owner_path = indicators[ind_id]
        c = combine(aggregation, figures, responsible.get(ind_id, []))
        points.append(
            IndicatorPoint(
                indicator_id=ind_id, plan_id=plan_id, period_id=period_id, owner_path=owner_path,
                period_end=periods[period_id], value=c.value, numerator=c.numerator,
                denominator=c.denominator, contributors=c.contributors,
            )
        )  # fmt: skip
    return points


def _values_qs():
    return IndicatorValue.objects.filter(report__status=ReportStatus.ACCEPTED, indicator__is_group=False).values_list(
        "indicator_id", "report__period_id", "report__org_id", "value", "numerator", "denominator"
    )


def refresh_points(period: ReportingPeriod, indicator_ids: list[int]) -> None:
    if not indicator_ids:
        return
    indicators = {
        i: (p, a, o)
        for i, p, a, o in Indicator.objects.filter(pk__in=indicator_ids, is_group=False).values_list(
            "id", "plan_id", "aggregation", "plan__owner__path"
        )
    }
    values = _values_qs().filter(report__period=period, indicator_id__in=indicator_ids)
    IndicatorPoint.objects.filter(period=period, indicator_id__in=indicator_ids).delete()
    IndicatorPoint.objects.bulk_create(
        _points(values, indicators, {period.pk: period.end}, _responsible_map(indicator_ids)), batch_size=BATCH
    )


# ----------------------------------------------------------------------------- indicator states


def assess_indicators(today, indicator_ids: Iterable[int] | None = None) -> int:
    """(Re)write IndicatorState for these indicators (all when None) as of `today`."""
    from .selectors import assess

    qs = Indicator.objects.filter(is_group=False).select_related("plan__owner")
    if indicator_ids is not None:
        qs = qs.filter(pk__in=list(indicator_ids))
    n = 0
    indicators = list(qs)
    for start in range(0, len(indicators), BATCH):
        rows = [
            IndicatorState(
                indicator_id=a.indicator.pk, plan_id=a.indicator.plan_id, owner_path=a.indicator.plan.owner.path,
                status=a.assessment.status.value, milestone_year=a.assessment.milestone_year,
                reason=a.assessment.reason, assessed_on=today, rules=RULES_VERSION,
            )
            for a in assess(indicators[start : start + BATCH], today)
        ]  # fmt: skip
        IndicatorState.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["indicator"],
            update_fields=["plan", "owner_path", "status", "milestone_year", "reason", "assessed_on", "rules"],
        )  # fmt: skip
        n += len(rows)
    return n


def ensure_assessed(today) -> int:
    """Re-assess the indicators not assessed as of `today` (a new day, an edited target) or
    assessed with other rules (a new release)."""
    stale = IndicatorState.objects.filter(
        ~models.Q(assessed_on=today) | models.Q(assessed_on=None) | ~models.Q(rules=RULES_VERSION)
    )
    if not stale.exists():
        return 0
    return assess_indicators(today, list(stale.values_list("indicator_id", flat=True)))


def indicators_recombined(indicator_ids: Iterable[int]) -> None:
    """The responsible units of these indicators changed (their plan-level value may take the
    responsible unit's figure): recompute their points in every period and re-assess them."""
    ids = list(indicator_ids)
    indicators = {
        i: (p, a, o)
        for i, p, a, o in Indicator.objects.filter(pk__in=ids, is_group=False).values_list(
            "id", "plan_id", "aggregation", "plan__owner__path"
        )
    }
    IndicatorPoint.objects.filter(indicator_id__in=ids).delete()
    periods = dict(ReportingPeriod.objects.filter(plan_id__in={p for p, _, _ in indicators.values()}).values_list("id", "end"))
    values = _values_qs().filter(indicator_id__in=list(indicators))
    IndicatorPoint.objects.bulk_create(_points(values, indicators, periods, _responsible_map(ids)), batch_size=BATCH)
    indicators_edited(ids)


def indicators_edited(indicator_ids: Iterable[int]) -> None:
    """A target, baseline or direction changed: the next read re-assesses these."""
    IndicatorState.objects.filter(indicator_id__in=list(indicator_ids)).update(assessed_on=None)


# ----------------------------------------------------------------------------- entry points


def on_report_changed(report: UnitReport) -> None:
    """Called inside the transaction of a report transition."""
    pk = report.pk
    now_accepted = report.status == ReportStatus.ACCEPTED
    # The fingerprint before this transition: the report either joined or left the accepted set
    # (or neither). If the stamp matches none of them, something else changed too: rebuild.
    current = _fingerprint()
    candidates = {current, _fingerprint((-1, -pk)) if now_accepted else _fingerprint((1, pk))}
    if _stamp() not in candidates:
        rebuild_rollups()
        return
    plan = report.period.plan
    refresh_unit(report.org, plan)
    ids = list(report.indicator_values.values_list("indicator_id", flat=True))
    refresh_points(report.period, ids)
    assess_indicators(timezone.localdate(), ids)
    _set_stamp(current)


@transaction.atomic
def rebuild_rollups(stdout=None, today=None) -> dict[str, int]:
    TaskState.objects.all().delete()
    IndicatorPoint.objects.all().delete()
    IndicatorState.objects.all().delete()
    lines = _latest_lines(None, None)
    assignments = Assignment.objects.filter(task__plan__monitored=True).order_by("id").values_list(*_ASG_FIELDS)
    states = _states(assignments.iterator(chunk_size=BATCH), lines)
    TaskState.objects.bulk_create(states, batch_size=BATCH)
    indicators = {
        i: (p, a, o)
        for i, p, a, o in Indicator.objects.filter(is_group=False).values_list(
            "id", "plan_id", "aggregation", "plan__owner__path"
        )
    }
    periods = dict(ReportingPeriod.objects.values_list("id", "end"))
    points = _points(_values_qs().iterator(chunk_size=BATCH), indicators, periods, _responsible_map())
    IndicatorPoint.objects.bulk_create(points, batch_size=BATCH)
    n_assessed = assess_indicators(today or timezone.localdate())
    _set_stamp(_fingerprint())
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner guesses a few dozen rows and sorts instead of hashing.
        with connection.cursor() as cur:
            for model in (TaskState, IndicatorPoint, IndicatorState):
                cur.execute(f"ANALYZE {model._meta.db_table}")
    counts = {"task_states": len(states), "indicator_points": len(points), "indicators": n_assessed}
    if stdout:
        stdout.write(f"Đã tính lại: {counts['task_states']} dòng nhiệm vụ–đơn vị, {counts['indicator_points']} điểm chỉ tiêu")
    return counts
