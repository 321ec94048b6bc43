"""Maintenance of the roll-up tables (models.py).

Write side only: no page view calls anything here.

- The receivers (receivers.py) refresh the rows a write touches inside that write's
  transaction: refresh_unit() (report transitions), refresh_tasks() (a task's deadline, group,
  retirement), refresh_pairs() (an assignment added, removed, moved, re-dated), orgs_moved()
  (a unit's path or last day), refresh_indicators() / reassess() (indicators and targets),
  refresh_plan() (a batch of plan writes announced by plans.signals.plan_changed).
- rebuild_rollups(): the repair. Recomputes everything from the base tables and writes only
  the difference, by UPSERT on the natural keys plus a delete of the rows no longer wanted, so
  pages keep reading the old rows meanwhile; one at a time (an advisory lock on PostgreSQL, a
  cache lock elsewhere); a second caller returns None at once. Run by the command
  `rebuild_rollups` and by the background job tasks.repair_rollups when the drift
  fingerprint says a write went around every receiver (a raw bulk load).
- ensure_assessed(): the new day's re-assessment of indicators (scheduler, 00:05)."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from planwatch.orgs.models import Organisation
from planwatch.plans.models import Aggregation, Assignment, AssignmentRole, Indicator, Plan
from planwatch.reporting.models import IndicatorValue, ReportStatus, TaskProgress, UnitReport

from .models import IndicatorPoint, IndicatorState, RollupStamp, TaskState
from .rollup import UnitFigure, combine
from .status import RULES_VERSION

log = logging.getLogger(__name__)

STAMP_KEY = "rollups"
BATCH = 2000
# pg_try_advisory_xact_lock key of the repair rebuild (any constant unique to this use).
REBUILD_LOCK_ID = 57_2025_08
REBUILD_LOCK_CACHE_KEY = "planwatch:monitoring:rebuild-lock"
REASSESS_REQUESTED_KEY = "planwatch:monitoring:reassess-requested:{day}"


# ----------------------------------------------------------------------------- drift fingerprint

# Counts and sums over the rows whose arrival or departure the receivers follow: accepted
# reports, assignments (ids, and where they point: an assignment moved in place changes the
# sums of org_id / task_id), indicators. Sums of ids, not MAX, so that each write's effect is
# a known delta (see _advance_stamp).
_FP_SQL = (
    "SELECT a.n, a.s, b.n, b.s, b.o, b.t, c.n, c.s FROM "
    "(SELECT COUNT(id) AS n, SUM(id) AS s FROM {report} WHERE status = %s) a, "
    "(SELECT COUNT(id) AS n, SUM(id) AS s, SUM(org_id) AS o, SUM(task_id) AS t FROM {assignment}) b, "
    "(SELECT COUNT(id) AS n, SUM(id) AS s FROM {indicator}) c"
)
FP_ZERO = (0,) * 8


def _fp_values() -> tuple[int, ...]:
    sql = _FP_SQL.format(
        report=UnitReport._meta.db_table, assignment=Assignment._meta.db_table, indicator=Indicator._meta.db_table
    )
    with connection.cursor() as cur:
        cur.execute(sql, [ReportStatus.ACCEPTED.value])
        return tuple(int(v or 0) for v in cur.fetchone())


def _fmt(v: tuple[int, ...]) -> str:
    return "r{}:{}|a{}:{}:{}:{}|i{}:{}".format(*v)


def _fingerprint() -> str:
    return _fmt(_fp_values())


def _stamp() -> str | None:
    return RollupStamp.objects.filter(key=STAMP_KEY).values_list("fingerprint", flat=True).first()


def _set_stamp(fp: str) -> None:
    RollupStamp.objects.update_or_create(key=STAMP_KEY, defaults={"fingerprint": fp})


def _advance_stamp(delta: tuple[int, ...]) -> None:
    """A receiver followed a write whose effect on the fingerprint is `delta`: when the stamp
    was current just before it, it is current again now. Otherwise some earlier write went
    around the receivers; the stamp stays behind and the repair job rebuilds."""
    now = _fp_values()
    current = _fmt(now)
    before = _fmt(tuple(n - d for n, d in zip(now, delta)))
    stamp = _stamp()
    if stamp == before and before != current:
        _set_stamp(current)


def stamp_current() -> None:
    """The roll-ups were just made exact for everything written since they last were."""
    _set_stamp(_fingerprint())


def drifted() -> bool:
    """Did data change behind the receivers' back since the roll-ups were last known exact?"""
    return _stamp() != _fingerprint()


def assignment_delta(sign: int, pk: int, org_id: int, task_id: int) -> tuple[int, ...]:
    return (0, 0, sign, sign * pk, sign * org_id, sign * task_id, 0, 0)


def report_delta(sign: int, pk: int) -> tuple[int, ...]:
    return (sign, sign * pk, 0, 0, 0, 0, 0, 0)


def indicator_delta(sign: int, pk: int) -> tuple[int, ...]:
    return (0, 0, 0, 0, 0, 0, sign, sign * pk)


# ----------------------------------------------------------------------------- upsert by key


def _sync(model, wanted: Iterable, scope: models.QuerySet, unique: list[str], fields: list[str]) -> tuple[int, int]:
    """Make the rows of `scope` equal `wanted`: insert or update (UPSERT on `unique`) the
    rows that differ, delete those of `scope` no longer wanted. Rows that did not change are
    not written. Returns (written, deleted)."""
    meta = model._meta
    u_att = [meta.get_field(f).attname for f in unique]
    f_att = [meta.get_field(f).attname for f in fields]
    nu = len(u_att)
    existing: dict[tuple, tuple[int, tuple]] = {}
    for row in scope.values_list("id", *u_att, *f_att).iterator(chunk_size=BATCH):
        existing[tuple(row[1 : 1 + nu])] = (row[0], tuple(row[1 + nu :]))
    keep = set()
    changed = []
    for obj in wanted:
        key = tuple(getattr(obj, a) for a in u_att)
        keep.add(key)
        cur = existing.get(key)
        if cur is None or cur[1] != tuple(getattr(obj, a) for a in f_att):
            changed.append(obj)
    stale = [pk for key, (pk, _) in existing.items() if key not in keep]
    for start in range(0, len(stale), BATCH):
        model.objects.filter(pk__in=stale[start : start + BATCH]).delete()
    if changed:
        model.objects.bulk_create(changed, batch_size=BATCH, update_conflicts=True, unique_fields=unique, update_fields=fields)
    return len(changed), len(stale)


# ----------------------------------------------------------------------------- task states

_TS_FIELDS = [
    "plan", "group", "org_path", "org_valid_to", "task_retired_on", "valid_from", "valid_to", "is_lead",
    "deadline_kind", "deadline_due", "progress", "completed_on", "period_end", "report_id", "rating",
]  # fmt: skip
_ASG_FIELDS = (
    "task_id", "org_id", "role", "task__plan_id", "task__group_id", "task__deadline_kind", "task__deadline_due",
    "org__path", "org__valid_to", "task__retired_on", "valid_from", "valid_to", "transferred_from__org_id",
)  # fmt: skip


def _latest_lines(org_ids=None, plan_ids=None, task_ids=None) -> dict[tuple[int, int], tuple]:
    """(task_id, org_id) → the progress line of the latest accepted report mentioning the task."""
    qs = TaskProgress.objects.filter(report__status=ReportStatus.ACCEPTED)
    if org_ids is not None:
        qs = qs.filter(report__org_id__in=list(org_ids))
    if plan_ids is not None:
        qs = qs.filter(task__plan_id__in=list(plan_ids))
    if task_ids is not None:
        qs = qs.filter(task_id__in=list(task_ids))
    rows = qs.order_by("report__period__end", "report__period_id", "report_id").values_list(
        "task_id", "report__org_id", "status", "completed_on", "report__period__end", "report_id", "rating"
    )
    latest: dict[tuple[int, int], tuple] = {}
    for task_id, org_id, *rest in rows.iterator(chunk_size=BATCH):
        latest[(task_id, org_id)] = tuple(rest)  # later rows overwrite earlier ones
    return latest


def _widest(a, b, pick):
    """Union of two validity bounds (None = open, which wins)."""
    return None if a is None or b is None else pick(a, b)


_NO_LINE = ("", None, None, None, "")


def _states(assignments, lines) -> list[TaskState]:
    """One row per (task, unit). A unit holding both a lead and a coordinating assignment of
    the task counts once, as lead if either is, over the union of their validities. A unit
    that took the task over from an ended one (Assignment.transferred_from) and has not
    reported on it yet carries its predecessor's latest line: what the old unit finished is
    not owed again, and what it left half-done shows as such."""
    states: dict[tuple[int, int], TaskState] = {}
    for task_id, org_id, role, plan_id, group_id, kind, due, path, org_to, retired, v_from, v_to, pred in assignments:
        key = (task_id, org_id)
        s = states.get(key)
        if s is not None:
            s.is_lead = s.is_lead or role == AssignmentRole.LEAD
            s.valid_from = _widest(s.valid_from, v_from, min)
            s.valid_to = _widest(s.valid_to, v_to, max)
            continue
        line = lines.get(key) or (lines.get((task_id, pred)) if pred else None) or _NO_LINE
        progress, completed_on, period_end, report_id, rating = line
        states[key] = TaskState(
            task_id=task_id, org_id=org_id, plan_id=plan_id, group_id=group_id, org_path=path, org_valid_to=org_to,
            task_retired_on=retired, valid_from=v_from, valid_to=v_to,
            is_lead=role == AssignmentRole.LEAD, deadline_kind=kind or "", deadline_due=due,
            progress=progress or "", completed_on=completed_on, period_end=period_end,
            report_id=report_id, rating=rating or "",
        )  # fmt: skip
    return list(states.values())


def _refresh_states(asg_q: Q, state_q: Q, *, org_ids=None, plan_ids=None, task_ids=None) -> None:
    assignments = list(Assignment.objects.filter(asg_q, task__plan__monitored=True).order_by("id").values_list(*_ASG_FIELDS))
    if org_ids is not None:  # the lines of the units they took tasks over from, too
        org_ids = set(org_ids) | {row[-1] for row in assignments if row[-1]}
    states = _states(assignments, _latest_lines(org_ids, plan_ids, task_ids))
    _sync(TaskState, states, TaskState.objects.filter(state_q), ["task", "org"], _TS_FIELDS)


def refresh_unit(org: Organisation, plan: Plan) -> None:
    """One unit's rows of one plan (a report of that unit on that plan changed state)."""
    _refresh_states(Q(org=org, task__plan=plan), Q(org=org, plan=plan) | Q(org=org, task__plan=plan),
                    org_ids=[org.pk], plan_ids=[plan.pk])  # fmt: skip


def refresh_tasks(task_ids: Iterable[int]) -> None:
    """Every row of these tasks (deadline, group, plan or retirement changed)."""
    ids = list(task_ids)
    if ids:
        _refresh_states(Q(task_id__in=ids), Q(task_id__in=ids), task_ids=ids)


def refresh_pairs(pairs: Iterable[tuple[int, int]]) -> None:
    """The rows of these (task, unit) pairs (an assignment added, removed, moved, re-dated)."""
    pairs = {p for p in pairs if p[0] and p[1]}
    if not pairs:
        return
    q = Q()
    for task_id, org_id in pairs:
        q |= Q(task_id=task_id, org_id=org_id)
    _refresh_states(q, q, org_ids={o for _, o in pairs}, task_ids={t for t, _ in pairs})


def orgs_moved(org_ids: Iterable[int], *, known: dict[int, tuple[str, object]] | None = None, paths_changed: bool = True) -> None:
    """The path or the last day of these units changed: copy them into their roll-up rows
    (org_path / org_valid_to of TaskState, owner_path of the indicators of plans they own),
    and recombine the indicators whose order of responsible units may have changed.
    `known`: {org id: (path, valid_to)} for a unit whose new values are not in its row yet
    (Organisation.save() writes the path after post_save). `paths_changed`=False: only the
    last days changed (nothing to recombine)."""
    ids = set(org_ids) | set(known or {})
    if not ids:
        return
    known = known or {}
    others = [i for i in ids if i not in known]
    if others:
        org = Organisation.objects.filter(pk=OuterRef("org_id"))
        TaskState.objects.filter(org_id__in=others).update(
            org_path=Subquery(org.values("path")[:1]), org_valid_to=Subquery(org.values("valid_to")[:1])
        )
    for pk, (path, valid_to) in known.items():
        TaskState.objects.filter(org_id=pk).update(org_path=path, org_valid_to=valid_to)
    paths = dict(Organisation.objects.filter(pk__in=others).values_list("pk", "path"))
    paths.update({pk: path for pk, (path, _) in known.items()})
    for plan_id, owner_id in Plan.objects.filter(owner_id__in=ids).values_list("pk", "owner_id"):
        IndicatorPoint.objects.filter(plan_id=plan_id).update(owner_path=paths[owner_id])
        IndicatorState.objects.filter(plan_id=plan_id).update(owner_path=paths[owner_id])
    if not paths_changed:
        return
    # "none" / "responsible" indicators take the figure of their first responsible unit by
    # path: a move can change which one that is.
    through = Indicator.responsible.through.objects
    shared = (
        through.filter(organisation_id__in=ids, indicator__aggregation__in=[Aggregation.NONE, Aggregation.RESPONSIBLE])
        .values_list("indicator_id", flat=True).distinct()
    )  # fmt: skip
    multi = list(
        through.filter(indicator_id__in=list(shared)).values("indicator_id").annotate(n=models.Count("id"))
        .filter(n__gt=1).values_list("indicator_id", flat=True)
    )  # fmt: skip
    if multi:
        refresh_indicators(multi)


# ----------------------------------------------------------------------------- indicator points

_IP_FIELDS = ["plan", "owner_path", "period_end", "value", "numerator", "denominator", "contributors"]
_IS_FIELDS = ["plan", "owner_path", "status", "milestone_year", "reason", "assessed_on", "rules", "retired_on"]


def _responsible_map(indicator_ids: Iterable[int] | None = None) -> dict[int, list[int]]:
    through = Indicator.responsible.through.objects.all()
    if indicator_ids is not None:
        through = through.filter(indicator_id__in=list(indicator_ids))
    out: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for ind_id, org_id, path in through.values_list("indicator_id", "organisation_id", "organisation__path"):
        out[ind_id].append((path, org_id))
    return {k: [o for _, o in sorted(v)] for k, v in out.items()}


def _indicator_meta(qs) -> dict[int, tuple]:
    return {
        i: (p, a, o)
        for i, p, a, o in qs.filter(is_group=False).values_list("id", "plan_id", "aggregation", "plan__owner__path")
    }


def _points(values, indicators: dict[int, tuple], responsible) -> list[IndicatorPoint]:
    grouped: dict[tuple[int, int], list[UnitFigure]] = defaultdict(list)
    ends: dict[int, object] = {}
    for ind_id, period_id, end, org_id, value, num, den in values:
        if ind_id not in indicators:
            continue
        ends[period_id] = end
        grouped[(ind_id, period_id)].append(UnitFigure(org_id, value, num, den))
    points = []
    for (ind_id, period_id), figures in grouped.items():
        plan_id, aggregation, owner_path = indicators[ind_id]
        c = combine(aggregation, figures, responsible.get(ind_id, []))
        points.append(
            IndicatorPoint(
                indicator_id=ind_id, plan_id=plan_id, period_id=period_id, owner_path=owner_path,
                period_end=ends[period_id], value=c.value, numerator=c.numerator,
                denominator=c.denominator, contributors=c.contributors,
            )
        )  # fmt: skip
    return points


def _values_qs():
    return IndicatorValue.objects.filter(report__status=ReportStatus.ACCEPTED, indicator__is_group=False).values_list(
        "indicator_id", "report__period_id", "report__period__end", "report__org_id", "value", "numerator", "denominator"
    )


def refresh_points(period, indicator_ids: list[int]) -> None:
    """The points of these indicators in one period (a report of that period changed state)."""
    if not indicator_ids:
        return
    indicators = _indicator_meta(Indicator.objects.filter(pk__in=indicator_ids))
    values = _values_qs().filter(report__period=period, indicator_id__in=indicator_ids)
    _sync(IndicatorPoint, _points(values, indicators, _responsible_map(indicator_ids)),
          IndicatorPoint.objects.filter(period=period, indicator_id__in=indicator_ids), ["indicator", "period"], _IP_FIELDS)  # fmt: skip


# ----------------------------------------------------------------------------- indicator states


def _assessed_rows(indicators: list[Indicator], today, points: list[IndicatorPoint] | None = None) -> list[IndicatorState]:
    """IndicatorState rows for these indicators as of `today`, over the stored points (or
    over `points` when given: the rebuild assesses what it is about to store)."""
    from .selectors import assess

    rows = []
    for start in range(0, len(indicators), BATCH):
        for a in assess(indicators[start : start + BATCH], today, points=points):
            ind = a.indicator
            rows.append(IndicatorState(
                indicator_id=ind.pk, plan_id=ind.plan_id, owner_path=ind.plan.owner.path,
                status=a.assessment.status.value, milestone_year=a.assessment.milestone_year,
                reason=a.assessment.reason, assessed_on=today, rules=RULES_VERSION, retired_on=ind.retired_on,
            ))  # fmt: skip
    return rows


def reassess(indicator_ids: Iterable[int] | None, today=None) -> int:
    """(Re)write IndicatorState for these indicators (all when None) as of `today` (default:
    the local date), and drop the states of indicators that no longer need one (group rows)."""
    today = today or timezone.localdate()
    qs = Indicator.objects.filter(is_group=False).select_related("plan__owner")
    scope = IndicatorState.objects.all()
    if indicator_ids is not None:
        ids = list(indicator_ids)
        qs, scope = qs.filter(pk__in=ids), scope.filter(indicator_id__in=ids)
    rows = _assessed_rows(list(qs), today)
    _sync(IndicatorState, rows, scope, ["indicator"], _IS_FIELDS)
    return len(rows)


def assess_indicators(today, indicator_ids: Iterable[int] | None = None) -> int:
    return reassess(indicator_ids, today)


def stale_states(today) -> models.QuerySet[IndicatorState]:
    """States not assessed as of `today` (a new day) or assessed with other rules (a new release)."""
    return IndicatorState.objects.filter(
        ~models.Q(assessed_on=today) | models.Q(assessed_on=None) | ~models.Q(rules=RULES_VERSION)
    )


def ensure_assessed(today) -> int:
    """Re-assess the indicators not assessed as of `today`. Run by the scheduler after
    midnight (tasks.refresh_for_today) and by the background thread a page starts when it
    finds stale rows (schedule_reassessment); never by a page itself."""
    ids = list(stale_states(today).values_list("indicator_id", flat=True))
    if not ids:
        return 0
    return reassess(ids, today)


def refresh_indicators(indicator_ids: Iterable[int], today=None) -> None:
    """Recompute these indicators' points in every period and re-assess them (their
    aggregation, responsible units, plan or retirement changed)."""
    ids = list(indicator_ids)
    if not ids:
        return
    indicators = _indicator_meta(Indicator.objects.filter(pk__in=ids))
    values = _values_qs().filter(indicator_id__in=list(indicators))
    _sync(IndicatorPoint, _points(values, indicators, _responsible_map(ids)),
          IndicatorPoint.objects.filter(indicator_id__in=ids), ["indicator", "period"], _IP_FIELDS)  # fmt: skip
    reassess(ids, today)


def indicators_recombined(indicator_ids: Iterable[int]) -> None:
    refresh_indicators(indicator_ids)


def indicators_edited(indicator_ids: Iterable[int]) -> None:
    """A target, baseline or direction changed: re-assess these now, in the same transaction."""
    reassess(list(indicator_ids))


def refresh_plan(plan_id: int) -> None:
    """Every roll-up row of one plan (a batch of plan writes, plans.signals.plan_changed):
    its (task, unit) rows, its indicators' points and assessments. Other plans' rows are not
    touched."""
    _refresh_states(Q(task__plan_id=plan_id), Q(plan_id=plan_id) | Q(task__plan_id=plan_id), plan_ids=[plan_id])
    ids = list(Indicator.objects.filter(plan_id=plan_id).values_list("pk", flat=True))
    # Rows of indicators that moved to another plan or were deleted are dropped with the scope.
    ids += list(IndicatorState.objects.filter(plan_id=plan_id).exclude(indicator_id__in=ids).values_list("indicator_id", flat=True))
    refresh_indicators(ids)


# ----------------------------------------------------------------------------- entry points


def on_report_changed(report: UnitReport) -> None:
    """Called inside the transaction of a report transition."""
    plan = report.period.plan
    refresh_unit(report.org, plan)
    # Units that took tasks over from this one read its lines while they have none of their own.
    refresh_pairs(Assignment.objects.filter(transferred_from__org=report.org, task__plan=plan).values_list("task_id", "org_id"))
    ids = list(report.indicator_values.values_list("indicator_id", flat=True))
    refresh_points(report.period, ids)
    reassess(ids)
    sign = 1 if report.status == ReportStatus.ACCEPTED else -1
    _advance_stamp(report_delta(sign, report.pk))


def compute_rollups(today=None, plan_ids: Iterable[int] | None = None) -> tuple[list[TaskState], list[IndicatorPoint], list[IndicatorState]]:
    """Every roll-up row as the base tables say it should be (unsaved instances): what
    rebuild_rollups() writes, and what tests compare the incremental rows with. `plan_ids`
    limits the same computation to the rows of some plans (tests of a small world)."""
    today = today or timezone.localdate()
    plans = None if plan_ids is None else list(plan_ids)
    assignments = Assignment.objects.filter(task__plan__monitored=True)
    indicators_qs = Indicator.objects.all()
    values = _values_qs()
    if plans is not None:
        assignments = assignments.filter(task__plan_id__in=plans)
        indicators_qs = indicators_qs.filter(plan_id__in=plans)
        values = values.filter(indicator__plan_id__in=plans)
    assignments = assignments.order_by("id").values_list(*_ASG_FIELDS)
    states = _states(assignments.iterator(chunk_size=BATCH), _latest_lines(plan_ids=plans))
    indicators = _indicator_meta(indicators_qs)
    ind_ids = None if plans is None else list(indicators)
    points = _points(values.iterator(chunk_size=BATCH), indicators, _responsible_map(ind_ids))
    # Assessed over the points just computed (not the stored ones, which may be the stale
    # rows being repaired).
    assessed = _assessed_rows(list(indicators_qs.filter(is_group=False).select_related("plan__owner")), today, points)
    return states, points, assessed


@contextmanager
def _rebuild_lock():
    """One repair at a time. PostgreSQL: a transaction-level advisory lock (released at
    commit or rollback, even if the worker dies). Other databases: a cache entry (SQLite
    serialises writers anyway; the lock keeps a second rebuild from queueing behind it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_xact_lock(%s)", [REBUILD_LOCK_ID])
            got = bool(cur.fetchone()[0])
        yield got
        return
    got = cache.add(REBUILD_LOCK_CACHE_KEY, 1, timeout=3600)
    try:
        yield got
    finally:
        if got:
            cache.delete(REBUILD_LOCK_CACHE_KEY)


def rebuild_rollups(stdout=None, today=None) -> dict[str, int] | None:
    """Recompute every roll-up row from the base tables and write the difference (UPSERT,
    then delete what is no longer wanted), in one transaction, under the rebuild lock.
    Returns the counts, or None when another rebuild holds the lock (it does the same work)."""
    with transaction.atomic(), _rebuild_lock() as got:
        if not got:
            if stdout:
                stdout.write("Một lần tính lại khác đang chạy: bỏ qua.")
            return None
        fp = _fingerprint()
        states, points, assessed = compute_rollups(today)
        w_states = _sync(TaskState, states, TaskState.objects.all(), ["task", "org"], _TS_FIELDS)
        w_points = _sync(IndicatorPoint, points, IndicatorPoint.objects.all(), ["indicator", "period"], _IP_FIELDS)
        _sync(IndicatorState, assessed, IndicatorState.objects.all(), ["indicator"], _IS_FIELDS)
        n_assessed = len(assessed)
        _set_stamp(fp)
        if connection.vendor == "postgresql" and (sum(w_states) + sum(w_points)) > 1000:
            # Fresh statistics, or the planner guesses a few dozen rows and sorts instead of hashing.
            with connection.cursor() as cur:
                for model in (TaskState, IndicatorPoint, IndicatorState):
                    cur.execute(f"ANALYZE {model._meta.db_table}")
    counts = {"task_states": len(states), "indicator_points": len(points), "indicators": n_assessed,
              "written": w_states[0] + w_points[0], "deleted": w_states[1] + w_points[1]}  # fmt: skip
    if stdout:
        stdout.write(f"Đã tính lại: {counts['task_states']} dòng nhiệm vụ–đơn vị, {counts['indicator_points']} điểm chỉ tiêu")
    return counts


def repair_if_drifted(today=None) -> bool:
    """The background repair (tasks.repair_rollups, every few minutes): rebuild when a write
    went around every receiver. True if it rebuilt."""
    if not drifted():
        return False
    return rebuild_rollups(today=today) is not None


def ensure_fresh(today=None) -> bool:
    """For jobs, commands and tests (never a page view): repair drift, then bring the
    indicator assessments to `today`. True if it rebuilt."""
    rebuilt = repair_if_drifted(today)
    ensure_assessed(today or timezone.localdate())
    return rebuilt


# ----------------------------------------------------------------------------- background re-assessment

_reassessing = threading.Lock()


def schedule_reassessment(today) -> None:
    """A page found indicator states assessed on another day (no scheduler ran at midnight:
    the embedded default has no beat). It answers from an in-memory assessment and asks for
    the stored rows to be brought up to date in the background: a thread in the embedded
    default (like the document exports), the Celery task with a broker. At most one thread
    at a time per process; after the request's transaction commits."""
    mode = getattr(settings, "PLANWATCH_MONITORING_BACKGROUND", None)
    if mode == "off":
        return
    # Once per day and 10 minutes across processes: pages keep answering from memory until
    # the stored rows are current; they must not queue one job each.
    if not cache.add(REASSESS_REQUESTED_KEY.format(day=today.isoformat()), 1, timeout=600):
        return
    if mode == "thread" or (mode is None and settings.CELERY_TASK_ALWAYS_EAGER):
        if _reassessing.locked():
            return
        transaction.on_commit(lambda: threading.Thread(target=_reassess_in_thread, args=(today,),
                                                       name="monitoring-reassess", daemon=True).start())  # fmt: skip
        return
    from .tasks import refresh_for_today

    transaction.on_commit(lambda: refresh_for_today.delay())


def _reassess_in_thread(today) -> None:
    from django.db import close_old_connections

    if not _reassessing.acquire(blocking=False):
        return
    close_old_connections()
    try:
        repair_if_drifted(today)  # the embedded default's only chance to repair (no beat)
        with transaction.atomic():
            ensure_assessed(today)
    except Exception:  # a background job must never take the server down; the next page retries
        log.exception("Background re-assessment of indicators failed")
    finally:
        _reassessing.release()
        connection.close()
