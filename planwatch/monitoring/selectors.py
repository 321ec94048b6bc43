"""Read side of monitoring: counts, lists, warnings, assessments for a subtree.

Task statuses are computed in SQL over TaskState with the same rules as status.task_status()
(tests check that both agree row by row), so that a national count is one aggregate query."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.db.models.functions import StrIndex, Substr

from planwatch.lib.deadlines import DeadlineKind
from planwatch.lib.targets import TargetSpec
from planwatch.orgs.models import Organisation, active_during
from planwatch.plans.models import Indicator, IndicatorTarget
from planwatch.reporting.models import ReportingPeriod, UnitReport

from .models import IndicatorPoint, IndicatorState, TaskState
from .status import RULES_VERSION, IndicatorAssessment, IndicatorStatus, Observation, TaskStatus, assess_indicator, trajectory

# The rules and their SQL mirrors live in status.py (task status, the recurring tasks'
# cutoff from each plan's due day) and reporting.rules (timeliness); re-exported here.
from .status import DUE_SOON_DAYS, reporting_cutoff, task_status_sql  # noqa: E402,F401


def with_status(qs: QuerySet[TaskState], today: date) -> QuerySet[TaskState]:
    """Annotate `due_eff` and `status` (a TaskStatus value): status.task_status_sql(), the
    SQL mirror of status.task_status()."""
    due_eff, status = task_status_sql(today)
    return qs.filter(active_on(today)).annotate(due_eff=due_eff).annotate(status=status)


def counts_on(day: date, *, org_valid_to: date | None, task_retired_on: date | None,
              valid_from: date | None, valid_to: date | None) -> bool:
    """Does a (task, unit) row count on `day`? The unit still exists (the reform ended
    districts and some agencies on 30/6/2025: their last day counts, the next does not), the
    task is not retired (it stops counting ON its retirement day) and the assignment holds
    (valid_from..valid_to, both days included; None = open). active_on() is the SQL form,
    _SUMMARY_SQL repeats it (tests compare all three row by row)."""
    return (
        (org_valid_to is None or org_valid_to >= day)
        and (task_retired_on is None or task_retired_on > day)
        and (valid_from is None or valid_from <= day)
        and (valid_to is None or valid_to >= day)
    )


def active_on(day: date) -> Q:
    """Query form of counts_on() over TaskState."""
    return (
        (Q(org_valid_to__isnull=True) | Q(org_valid_to__gte=day))
        & (Q(task_retired_on__isnull=True) | Q(task_retired_on__gt=day))
        & (Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    )


# The same rule inside raw SQL over TaskState (reporting_summary).
ACTIVE_ON_SQL = (
    "(org_valid_to IS NULL OR org_valid_to >= %(today)s) AND (task_retired_on IS NULL OR task_retired_on > %(today)s)"
    " AND (valid_from IS NULL OR valid_from <= %(today)s) AND (valid_to IS NULL OR valid_to >= %(today)s)"
)


def states_under(root: Organisation) -> QuerySet[TaskState]:
    return TaskState.objects.filter(org_path__startswith=root.path)


def child_bucket(root: Organisation):
    """SQL expression: the path of the child of `root` that a row's unit belongs to (or the
    root's own path for units assigned directly)."""
    n = len(root.path)
    rest = Substr("org_path", n + 1)
    return Substr("org_path", 1, StrIndex(rest, Value("/")) + n)


def task_counts(root: Organisation, today: date) -> dict[str, int]:
    rows = with_status(states_under(root), today).values("status").annotate(n=Count("id")).order_by()
    return {r["status"]: r["n"] for r in rows}


def task_counts_by_child(root: Organisation, today: date) -> dict[str, dict[str, int]]:
    qs = with_status(states_under(root), today).annotate(child=child_bucket(root))
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for r in qs.values("child", "status").annotate(n=Count("id")).order_by():
        out[r["child"]][r["status"]] = r["n"]
    return out


def heatmap(root: Organisation, today: date) -> dict[tuple[str, int, int | None], dict[str, int]]:
    """(child path, plan id, task group id) → status counts, in one aggregate over the roll-up
    table (no join). Task groups belong to one plan: group "I" of the province plan and group
    "I" of a district plan are different columns. The overview also takes its totals and its
    per-unit table from these rows."""
    qs = with_status(states_under(root), today).annotate(child=child_bucket(root))
    out: dict[tuple[str, int, int | None], dict[str, int]] = defaultdict(dict)
    for r in qs.values("child", "plan_id", "group_id", "status").annotate(n=Count("id")).order_by():
        out[(r["child"], r["plan_id"], r["group_id"])][r["status"]] = r["n"]
    return out


def task_list(root: Organisation, today: date, *, status: str | None = None, group: str | None = None,
              org_id: int | None = None, no_progress: bool = False, group_id: int | None = None,
              plan_id: int | None = None, task_id: int | None = None) -> QuerySet[TaskState]:  # fmt: skip
    """Assignments under `root` with their status, filtered. `group_id` 0 means "no group";
    `group` (a group code such as "II") matches that code in every plan."""
    qs = with_status(states_under(root), today)
    if status:
        qs = qs.filter(status=status)
    if group:
        qs = qs.filter(group__code=group)
    if group_id is not None:
        qs = qs.filter(group_id=group_id) if group_id else qs.filter(group_id__isnull=True)
    if plan_id:
        qs = qs.filter(plan_id=plan_id)
    if task_id:
        qs = qs.filter(task_id=task_id)
    if org_id:
        qs = qs.filter(org_id=org_id)
    if no_progress:
        qs = qs.filter(progress__in=["", "not_started"])
    return qs.select_related("task", "org", "group", "plan__document").order_by("due_eff", "org_path", "task__position", "task_id")


def task_history(task_id: int, org_id: int):
    """The unit's progress lines on the task from its accepted reports, newest period first."""
    from planwatch.reporting.models import ReportStatus, TaskProgress

    return (
        TaskProgress.objects.filter(task_id=task_id, report__org_id=org_id, report__status=ReportStatus.ACCEPTED)
        .select_related("report__period").order_by("-report__period__end", "-report_id")
    )  # fmt: skip


# ----------------------------------------------------------------------------- indicators


@dataclass
class AssessedIndicator:
    indicator: Indicator
    assessment: IndicatorAssessment
    points: list[Point]


class Point(NamedTuple):
    indicator_id: int
    period_end: date
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    contributors: int


def _targets(indicator_ids) -> dict[int, dict[int, TargetSpec]]:
    out: dict[int, dict[int, TargetSpec]] = defaultdict(dict)
    parsed: dict[tuple, TargetSpec] = {}  # replicated plans repeat the same few targets
    for ind_id, year, spec in IndicatorTarget.objects.filter(indicator_id__in=indicator_ids).values_list(
        "indicator_id", "year", "spec"
    ):
        if spec:
            try:
                key = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in spec.items())
                hash(key)
            except (AttributeError, TypeError):  # a legacy row that is not a plain spec
                key = ("unreadable", repr(spec))
            if key not in parsed:
                parsed[key] = TargetSpec.from_stored(spec)  # a legacy bad row never raises
            out[ind_id][year] = parsed[key]
    return out


def assess(indicators: list[Indicator], today: date, *, points: list[IndicatorPoint] | None = None) -> list[AssessedIndicator]:
    """Assess these indicators as of `today` over their stored IndicatorPoints (or over
    `points`, unsaved rows such as a rebuild computes)."""
    ids = [i.pk for i in indicators]
    targets = _targets(ids)
    if points is None:
        rows = IndicatorPoint.objects.filter(indicator_id__in=ids).order_by("period_end", "period_id").values_list(
            "indicator_id", "period_end", "value", "numerator", "denominator", "contributors"
        )
    else:
        wanted = set(ids)
        rows = sorted(
            ((p.indicator_id, p.period_end, p.value, p.numerator, p.denominator, p.contributors, p.period_id)
             for p in points if p.indicator_id in wanted),
            key=lambda r: (r[1], r[6]),
        )  # fmt: skip
    by_indicator: dict[int, list[Point]] = defaultdict(list)
    for row in rows:
        by_indicator[row[0]].append(Point(*row[:6]))
    points_of = by_indicator
    out = []
    for ind in indicators:
        pts = points_of.get(ind.pk, [])
        baseline = None
        if ind.baseline_value is not None and ind.baseline_year:
            baseline = Observation(date(ind.baseline_year, 12, 31), ind.baseline_value)
        a = assess_indicator(
            name=ind.name, unit=ind.unit, direction=ind.direction, targets=targets.get(ind.pk, {}),
            observations=[Observation(p.period_end, p.value) for p in pts if p.value is not None],
            today=today, baseline=baseline,
        )  # fmt: skip
        out.append(AssessedIndicator(ind, a, pts))
    return out


def indicator_live_on(day: date, prefix: str = "") -> Q:
    """Indicators still counted on `day`: not retired, or retired after it (an indicator
    stops counting ON its retirement day, like a task). `prefix`: "indicator__" from a state."""
    return Q(**{f"{prefix}retired_on__isnull": True}) | Q(**{f"{prefix}retired_on__gt": day})


def indicators_under(root: Organisation, today: date | None = None) -> QuerySet[Indicator]:
    """Indicators that concern the subtree (see indicator_states_under); with `today`, only
    those still counted that day."""
    qs = Indicator.objects.filter(
        Q(plan__owner__path__startswith=root.path) | Q(pk__in=_responsible_under(root)), is_group=False
    ).select_related("plan")
    return qs.filter(indicator_live_on(today)) if today else qs


def planned_path(a: AssessedIndicator, targets: dict[int, TargetSpec]) -> tuple[list[Observation], str]:
    """The path the plan asks for (status.trajectory) and where it starts: "baseline" when
    the plan records one, else "first" (the first reported value)."""
    ind = a.indicator
    if ind.baseline_value is not None and ind.baseline_year:
        return trajectory(targets, ind.direction, Observation(date(ind.baseline_year, 12, 31), ind.baseline_value)), "baseline"
    first = a.points[0] if a.points else None
    start = Observation(first.period_end, first.value) if first and first.value is not None else None
    return trajectory(targets, ind.direction, start), "first"


def _responsible_under(root: Organisation):
    return Indicator.responsible.through.objects.filter(organisation__path__startswith=root.path).values("indicator_id")


def indicator_states_under(root: Organisation, today: date | None = None) -> QuerySet[IndicatorState]:
    """Stored assessments of the indicators that concern the subtree: those of plans it owns
    and those a unit of it is responsible for (a department answers for province-plan
    indicators it does not own). With `today`, retired indicators are left out from their
    retirement day. The rows may have been assessed on an earlier day (see fresh_q)."""
    qs = IndicatorState.objects.filter(Q(owner_path__startswith=root.path) | Q(indicator_id__in=_responsible_under(root)))
    if today:
        qs = qs.filter(Q(retired_on__isnull=True) | Q(retired_on__gt=today))
    return qs


def fresh_q(today: date) -> Q:
    """States assessed as of `today` with the current rules (the scheduler re-assesses all of
    them just after midnight; the embedded default, which has no scheduler, catches up in a
    background thread)."""
    return Q(assessed_on=today, rules=RULES_VERSION)


def _assess_stale(states: list[IndicatorState], today: date) -> list[IndicatorState]:
    """Give stale states today's assessment, in memory only (a page never writes): the same
    rule as the stored rows (status.assess_indicator through assess()), and ask for the
    stored rows to catch up in the background."""
    from .services import schedule_reassessment

    if not states:
        return states
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=[s.indicator_id for s in states])}
    fresh = {a.indicator.pk: a.assessment for a in assess(list(indicators.values()), today)}
    for s in states:
        a = fresh.get(s.indicator_id)
        if a is not None:
            s.status, s.milestone_year, s.reason = a.status.value, a.milestone_year, a.reason
            s.assessed_on, s.rules = today, RULES_VERSION
    schedule_reassessment(today)
    return states


def _state_counts(root: Organisation, today: date | None) -> tuple[dict[str, int], int]:
    """(counts of stored statuses assessed as of today, number of rows assessed on another day)."""
    qs = indicator_states_under(root, today)
    counts: dict[str, int] = defaultdict(int)
    if today is None:
        for r in qs.values("status").annotate(n=Count("id")).order_by():
            counts[r["status"]] = r["n"]
        return counts, 0
    fresh = fresh_q(today)
    stale = 0
    for r in qs.values("status").annotate(n=Count("id", filter=fresh), s=Count("id", filter=~fresh)).order_by():
        if r["n"]:
            counts[r["status"]] += r["n"]
        stale += r["s"]
    return counts, stale


def indicator_state_counts(root: Organisation, today: date | None = None) -> dict[str, int]:
    """Indicators under the subtree by status. With `today`: retired ones left out, and rows
    not yet assessed for today counted by an in-memory assessment (one aggregate query when
    every row is current, as after the scheduler's midnight run)."""
    return indicator_summary(root, today, limit=0)[0]


def indicators_at_risk(root: Organisation, limit: int = 20, today: date | None = None) -> list[IndicatorState]:
    """Behind or missed, owners nearest the root first (the province's own plan before the
    communes'), then in plan order. With `today`: as indicator_state_counts()."""
    return indicator_summary(root, today, limit=limit)[1]


def indicator_summary(root: Organisation, today: date | None, limit: int = 20) -> tuple[dict[str, int], list[IndicatorState]]:
    """Both of the above for the overview: two queries when every stored row is current;
    when some were assessed on another day (no scheduler ran since midnight), those are
    assessed in memory for this request (nothing is written) and the stored rows are brought
    up to date in the background (services.schedule_reassessment)."""
    counts, n_stale = _state_counts(root, today)
    risky = [IndicatorStatus.BEHIND.value, IndicatorStatus.MISSED.value]
    qs = indicator_states_under(root, today).select_related("plan__owner", "indicator")
    order = ("owner_path", "plan_id", "indicator__position")
    rows: list[IndicatorState] = []
    if limit:
        rows = list((qs.filter(fresh_q(today)) if n_stale else qs).filter(status__in=risky).order_by(*order)[:limit])
    if n_stale:
        stale = _assess_stale(list(qs.exclude(fresh_q(today))), today)
        for st in stale:
            counts[st.status] += 1
        if limit:
            rows += [st for st in stale if st.status in risky]
            rows.sort(key=lambda st: (st.owner_path, st.plan_id, st.indicator.position))
    return dict(counts), rows[:limit]


def indicator_ids_with_status(root: Organisation, status: str, today: date) -> list[int]:
    """Indicators under the subtree whose assessment for `today` is `status`."""
    qs = indicator_states_under(root, today)
    ids = list(qs.filter(fresh_q(today), status=status).values_list("indicator_id", flat=True))
    stale = list(qs.exclude(fresh_q(today)))
    ids += [s.indicator_id for s in _assess_stale(stale, today) if s.status == status]
    return ids


def indicator_counts(assessed: list[AssessedIndicator]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for a in assessed:
        counts[a.assessment.status.value] += 1
    return counts


# ----------------------------------------------------------------------------- reporting


@dataclass
class UnitReporting:
    org: Organisation
    on_time: int
    late: int
    missing: int
    missed_in_a_row: int


def expected_pairs(root: Organisation, today: date) -> set[tuple[int, int]]:
    """(unit, plan) pairs in the subtree that owe a report each period: the unit still exists
    and is assigned a task of the plan or answers for one of its indicators
    (reporting.selectors.expected_units)."""
    pairs = set(states_under(root).filter(active_on(today)).values_list("org_id", "plan_id").distinct())
    pairs |= set(
        Indicator.responsible.through.objects.filter(organisation__path__startswith=root.path, indicator__is_group=False)
        .filter(active_during(today, today, "organisation__"))
        .filter(Q(indicator__retired_on__isnull=True) | Q(indicator__retired_on__gt=today))
        .values_list("organisation_id", "indicator__plan_id").distinct()
    )  # fmt: skip
    return pairs


def due_periods(root: Organisation, today: date, last: int = 12) -> list[ReportingPeriod]:
    """Periods (of plans with units in the subtree: holding a task or answering for an
    indicator, as expected_pairs) whose due date has passed, newest first."""
    plan_ids = {p for _, p in expected_pairs(root, today)} | set(states_under(root).values_list("plan_id", flat=True).distinct())
    return list(
        ReportingPeriod.objects.filter(plan_id__in=plan_ids, due_date__lt=today)
        .exclude(kind="ad_hoc")
        .order_by("-end")[: last * 64]
    )


def reporting_by_unit(root: Organisation, today: date, months: int = 12) -> dict[int, UnitReporting]:
    """For each unit expected to report (assigned a task) in the subtree: reports on time, late
    and missing over the last `months` due periods of its plans, and missed periods in a row."""
    from .status import ReportTimeliness, missed_periods_in_a_row, report_timeliness

    expected: dict[int, set[int]] = defaultdict(set)  # org → plans
    for org_id, plan_id in expected_pairs(root, today):
        expected[org_id].add(plan_id)
    periods_by_plan: dict[int, list] = defaultdict(list)
    for pid, plan_id, end, due in (
        ReportingPeriod.objects.filter(plan_id__in={p for s in expected.values() for p in s}, due_date__lt=today)
        .exclude(kind="ad_hoc").order_by("end").values_list("id", "plan_id", "end", "due_date")
    ):  # fmt: skip
        periods_by_plan[plan_id].append((pid, due))
    for plan_id in periods_by_plan:
        periods_by_plan[plan_id] = periods_by_plan[plan_id][-months:]
    period_ids = [p for lst in periods_by_plan.values() for p, _ in lst]
    submitted: dict[tuple[int, int], date | None] = {}
    from django.utils import timezone

    for org_id, period_id, sub_at, status in UnitReport.objects.filter(
        period_id__in=period_ids, org__path__startswith=root.path
    ).values_list("org_id", "period_id", "submitted_at", "status"):
        if sub_at and status != "returned":
            submitted[(org_id, period_id)] = timezone.localdate(sub_at)
    orgs = Organisation.objects.in_bulk(list(expected))
    out = {}
    for org_id, plans in expected.items():
        on_time = late = missing = run = 0
        for plan_id in sorted(plans):
            flags = []
            for period_id, due in periods_by_plan.get(plan_id, []):
                t = report_timeliness(due, submitted.get((org_id, period_id)), today)
                on_time += t is ReportTimeliness.ON_TIME
                late += t is ReportTimeliness.LATE
                missing += t is ReportTimeliness.MISSING
                flags.append(t is not ReportTimeliness.MISSING)
            # Periods missed in a row: per plan (each plan has its own calendar), the worst plan.
            run = max(run, missed_periods_in_a_row(flags))
        out[org_id] = UnitReporting(orgs[org_id], on_time, late, missing, run)
    return out


# The SQL mirror of reporting_by_unit() (one statement; the test compares them unit by unit),
# per unit or summed per child of the root. The expected pairs are _SUMMARY_SQL's.
_BY_UNIT_SQL = """
WITH exp AS (
  SELECT org_id, plan_id FROM {taskstate}
  WHERE org_path LIKE %(prefix)s AND {active}
  UNION
  SELECT r.organisation_id, i.plan_id FROM {responsible} r
  JOIN {indicator} i ON i.id = r.indicator_id JOIN {organisation} o ON o.id = r.organisation_id
  WHERE o.path LIKE %(prefix)s AND NOT i.is_group AND (o.valid_to IS NULL OR o.valid_to >= %(today)s)
    AND (o.valid_from IS NULL OR o.valid_from <= %(today)s) AND (i.retired_on IS NULL OR i.retired_on > %(today)s)
), per AS (
  SELECT id, plan_id, due_date, ROW_NUMBER() OVER (PARTITION BY plan_id ORDER BY "end" DESC, id DESC) AS rn
  FROM {period} WHERE due_date < %(today)s AND kind <> 'ad_hoc' AND plan_id IN (SELECT plan_id FROM exp)
), rep AS (
  -- the reports of those periods, each judged once (on time: 1, late: 0)
  SELECT r.org_id, r.period_id, CASE WHEN {sent_on_time} THEN 1 ELSE 0 END AS ok
  FROM {unitreport} r JOIN per p0 ON p0.id = r.period_id AND p0.rn <= %(months)s
  WHERE r.status <> 'returned' AND r.submitted_at IS NOT NULL
), pair AS (
  SELECT exp.org_id AS org_id,
    SUM(CASE WHEN rep.ok = 1 THEN 1 ELSE 0 END) AS on_time,
    SUM(CASE WHEN rep.ok = 0 THEN 1 ELSE 0 END) AS late,
    SUM(CASE WHEN per.id IS NOT NULL AND rep.period_id IS NULL THEN 1 ELSE 0 END) AS missing,
    COALESCE(MIN(CASE WHEN rep.period_id IS NOT NULL THEN per.rn END) - 1, COUNT(per.id)) AS run,
    MAX(CASE WHEN per.rn = 1 AND rep.ok = 1 THEN 1 ELSE 0 END) AS last_on_time,
    MAX(CASE WHEN per.rn = 1 AND rep.ok = 0 THEN 1 ELSE 0 END) AS last_late,
    MAX(CASE WHEN per.rn = 1 AND rep.period_id IS NULL THEN 1 ELSE 0 END) AS last_missing
  FROM exp LEFT JOIN per ON per.plan_id = exp.plan_id AND per.rn <= %(months)s
  LEFT JOIN rep ON rep.org_id = exp.org_id AND rep.period_id = per.id
  GROUP BY exp.org_id, exp.plan_id
), unit AS (
  SELECT org_id, SUM(on_time) AS on_time, SUM(late) AS late, SUM(missing) AS missing, MAX(run) AS run,
    MAX(last_on_time) AS last_on_time, MAX(last_late) AS last_late, MAX(last_missing) AS last_missing
  FROM pair GROUP BY org_id
)
{final}
"""
_BY_UNIT_FINAL = """SELECT u.org_id, o.name, o.kind, o.path, u.on_time, u.late, u.missing, u.run,
  u.last_on_time, u.last_late, u.last_missing
FROM unit u JOIN {organisation} o ON o.id = u.org_id"""
# Summed per child of the root (the root's own path for units directly under it: as child_bucket()).
_BY_CHILD_FINAL = """SELECT SUBSTR(o.path, 1, INSTR_CHILD) AS child, COUNT(*) AS units, SUM(u.on_time), SUM(u.late),
  SUM(u.missing), SUM(CASE WHEN u.run >= 2 THEN 1 ELSE 0 END), SUM(u.last_on_time), SUM(u.last_late), SUM(u.last_missing)
FROM unit u JOIN {organisation} o ON o.id = u.org_id
GROUP BY SUBSTR(o.path, 1, INSTR_CHILD)"""


class UnitReportingRow(NamedTuple):
    """One unit of reporting_rows(): the counts of reporting_by_unit() and the timeliness of
    its latest due period (per plan: any on time / late / missing)."""

    org_id: int
    name: str
    kind: str
    path: str
    on_time: int
    late: int
    missing: int
    missed_in_a_row: int
    last_on_time: bool
    last_late: bool
    last_missing: bool

    @property
    def kind_label(self) -> str:
        from planwatch.orgs.models import OrgKind

        return OrgKind(self.kind).label if self.kind in OrgKind.values else self.kind

    @property
    def latest(self) -> set[str]:
        return {k for k, v in (("on_time", self.last_on_time), ("late", self.last_late), ("missing", self.last_missing)) if v}


class ChildReporting(NamedTuple):
    """The units below one child of the root, summed: units expected, their reports on time /
    late / missing over the window, units silent two periods in a row, and how many units sent
    the latest due period's report on time / late / not at all."""

    path: str
    units: int
    on_time: int
    late: int
    missing: int
    silent: int
    last_on_time: int
    last_late: int
    last_missing: int


def _by_unit_sql(root: Organisation, today: date, months: int, final: str) -> tuple[str, dict]:
    from django.db import connection

    from planwatch.reporting.rules import sent_on_time_sql

    sent_on_time, params = sent_on_time_sql("r.submitted_at", "p0.due_date")
    tables = dict(
        taskstate=TaskState._meta.db_table, unitreport=UnitReport._meta.db_table, period=ReportingPeriod._meta.db_table,
        responsible=Indicator.responsible.through._meta.db_table, indicator=Indicator._meta.db_table,
        organisation=Organisation._meta.db_table,
    )  # fmt: skip
    n = len(root.path)
    # The end of the child's path segment: the first "/" after the root's own path.
    pos = f"STRPOS(SUBSTR(o.path, {n + 1}), '/')" if connection.vendor == "postgresql" else f"INSTR(SUBSTR(o.path, {n + 1}), '/')"
    final = final.format(**tables).replace("INSTR_CHILD", f"{pos} + {n}")
    sql = _BY_UNIT_SQL.format(**tables, sent_on_time=sent_on_time, active=ACTIVE_ON_SQL, final=final)
    params.update(prefix=root.path + "%", today=today, months=months)
    return sql, params


def reporting_rows(root: Organisation, today: date, months: int = 12) -> list[UnitReportingRow]:
    """reporting_by_unit() in one SQL statement, without building an Organisation per unit
    (the national root has ~4.000 units): for the reporting list, filtered and paged by the page."""
    from django.db import connection

    sql, params = _by_unit_sql(root, today, months, _BY_UNIT_FINAL)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [UnitReportingRow(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), int(r[6]), int(r[7]), bool(r[8]), bool(r[9]), bool(r[10]))
                for r in cur.fetchall()]  # fmt: skip


def reporting_by_child(root: Organisation, today: date, months: int = 12) -> dict[str, ChildReporting]:
    """reporting_rows() summed per child of the root, in SQL (the nation's provinces)."""
    from django.db import connection

    sql, params = _by_unit_sql(root, today, months, _BY_CHILD_FINAL)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return {r[0]: ChildReporting(r[0], *(int(x or 0) for x in r[1:])) for r in cur.fetchall()}


def month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


@dataclass
class ReportingSummary:
    counts: dict[str, int]  # timeliness of the latest due period: on_time, late, missing, expected
    silent: list[tuple[Organisation, int]]  # units with no report in the last two due periods
    latest: dict[int, set[str]]  # unit → timeliness of its reports for the latest due period (one per plan)


_SUMMARY_SQL = """
WITH exp AS (
  SELECT org_id, plan_id FROM {taskstate}
  WHERE org_path LIKE %(prefix)s AND {active}
  UNION
  SELECT r.organisation_id, i.plan_id FROM {responsible} r
  JOIN {indicator} i ON i.id = r.indicator_id JOIN {organisation} o ON o.id = r.organisation_id
  WHERE o.path LIKE %(prefix)s AND NOT i.is_group AND (o.valid_to IS NULL OR o.valid_to >= %(today)s)
    AND (o.valid_from IS NULL OR o.valid_from <= %(today)s) AND (i.retired_on IS NULL OR i.retired_on > %(today)s)
), per AS (
  SELECT id, plan_id, due_date, ROW_NUMBER() OVER (PARTITION BY plan_id ORDER BY "end" DESC, id DESC) AS rn
  FROM {period} WHERE due_date < %(today)s AND kind <> 'ad_hoc' AND plan_id IN (SELECT plan_id FROM exp)
), pair AS (
  SELECT exp.org_id AS org_id, exp.plan_id AS plan_id,
    MAX(CASE WHEN per.rn = 1 AND r.id IS NOT NULL THEN
          CASE WHEN {sent_on_time} THEN 2 ELSE 1 END ELSE 0 END) AS last_state,
    COUNT(r.id) AS n_sub, COUNT(DISTINCT per.id) AS n_per
  FROM exp JOIN per ON per.plan_id = exp.plan_id AND per.rn <= 2
  LEFT JOIN (
    -- only the reports of those periods (lets the planner use the period index, not a full scan)
    SELECT id, org_id, period_id, submitted_at FROM {unitreport}
    WHERE period_id IN (SELECT id FROM per WHERE rn <= 2) AND status <> 'returned' AND submitted_at IS NOT NULL
  ) r ON r.org_id = exp.org_id AND r.period_id = per.id
  GROUP BY exp.org_id, exp.plan_id
)
SELECT org_id, plan_id, last_state, n_sub, n_per FROM pair
"""


def reporting_summary(root: Organisation, today: date) -> ReportingSummary:
    """Latest due period's timeliness and the units silent for the last two periods: one
    query over the expected (unit, plan) pairs, whatever the size of the subtree.
    Mirrors status.report_timeliness(): a report sent on the due date itself (local time) is
    on time; a returned report does not count as sent."""
    from django.db import connection

    from planwatch.reporting.rules import sent_on_time_sql

    sent_on_time, params = sent_on_time_sql("r.submitted_at", "per.due_date")
    sql = _SUMMARY_SQL.format(
        taskstate=TaskState._meta.db_table, unitreport=UnitReport._meta.db_table, period=ReportingPeriod._meta.db_table,
        responsible=Indicator.responsible.through._meta.db_table, indicator=Indicator._meta.db_table,
        organisation=Organisation._meta.db_table, sent_on_time=sent_on_time, active=ACTIVE_ON_SQL,
    )  # fmt: skip
    params.update(prefix=root.path + "%", today=today)
    counts: dict[str, int] = defaultdict(int)
    silent_ids: dict[int, int] = {}
    latest: dict[int, set[str]] = defaultdict(set)
    labels = {0: "missing", 1: "late", 2: "on_time"}
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for org_id, plan_id, last_state, n_sub, n_per in cur.fetchall():
            counts[labels[last_state]] += 1
            latest[org_id].add(labels[last_state])
            counts["expected"] += 1
            if n_per == 2 and n_sub == 0:
                silent_ids[org_id] = 2
    orgs = Organisation.objects.in_bulk(list(silent_ids)) if silent_ids else {}
    silent = sorted(((orgs[i], n) for i, n in silent_ids.items()), key=lambda x: x[0].path)
    return ReportingSummary(dict(counts), silent, dict(latest))


# ----------------------------------------------------------------------------- warnings by task


class UnitRef(NamedTuple):
    pk: int
    name: str


@dataclass
class TaskWarning:
    """One task in a warning list: how many units are in that state, its due date, and the
    first few of those units (by place in the tree). `plan` is left for the caller to attach
    (the overview has the plans already)."""

    task_id: int
    status: str
    units: int
    due: date | None
    code: str
    name: str
    plan_id: int
    sample: list[UnitRef] | None = None
    plan: object = None

    def __post_init__(self):
        if self.sample is None:
            self.sample = []

    @property
    def others(self) -> int:
        """Units in that state beyond those named."""
        return self.units - len(self.sample)


def task_warnings(root: Organisation, today: date, *, limit: int = 10, sample: int = 3) -> dict[str, tuple[list[TaskWarning], int, int]]:
    """The two task warning lists of the overview, grouped by task: "overdue" and "soon_idle"
    (due within DUE_SOON_DAYS with no progress reported). For each: (the `limit` tasks shown,
    the number of tasks, the number of assignments). Overdue tasks come widest first (most
    units), then oldest deadline; soon-idle ones nearest deadline first.

    Two queries whatever the size of the subtree: one aggregate per task, then the units of
    the tasks shown (ids and names only; a task has at most the units of one plan's tree), of
    which the first `sample` of each are kept."""
    from django.db.models import Min

    idle = Q(status=TaskStatus.DUE_SOON.value, progress__in=["", "not_started"])
    base = with_status(states_under(root), today).filter(Q(status=TaskStatus.OVERDUE.value) | idle)
    rows = base.values("task_id", "status", "plan_id", "task__code", "task__name").annotate(n=Count("id"), due=Min("due_eff"))
    lists: dict[str, list[TaskWarning]] = {"overdue": [], "soon_idle": []}
    for r in rows.order_by():
        key = "overdue" if r["status"] == TaskStatus.OVERDUE.value else "soon_idle"
        lists[key].append(TaskWarning(r["task_id"], r["status"], r["n"], r["due"], r["task__code"], r["task__name"], r["plan_id"]))
    lists["overdue"].sort(key=lambda w: (-w.units, w.due or date.max, w.task_id))
    lists["soon_idle"].sort(key=lambda w: (w.due or date.max, -w.units, w.task_id))
    out = {k: (v[:limit], len(v), sum(w.units for w in v)) for k, v in lists.items()}
    shown = {(w.task_id, w.status): w for k in out for w in out[k][0]}
    if shown:
        units = (
            base.filter(task_id__in={t for t, _ in shown}).order_by("task_id", "org_path", "org_id")
            .values_list("task_id", "status", "org_id", "org__name")
        )  # fmt: skip
        for task_id, status, org_id, name in units:
            w = shown.get((task_id, status))
            if w is not None and len(w.sample) < sample:
                w.sample.append(UnitRef(org_id, name))
    return out
