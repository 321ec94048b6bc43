"""Unit ranking (thi đua): the scoring method and the ranking of a period.

The score is decided here and shown on the ranking page as written here (method_vi). Units are
ranked against units of their own kind (departments with departments, communes with communes;
at the nation root the provinces, each scored on the pooled numbers of its units).

The page's numbers come from the roll-up tables in a few aggregate statements
(ranking_counts); ranking_counts_bare_sql computes the same numbers from the base tables
(assignments, tasks, progress lines of accepted reports, periods, reports) for the benchmark
and for the test that compares the two."""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from planwatch.lib.numbers import ratio_percent

from .status import TaskStatus

# Points of each part (thang 100). A part with nothing to judge is left out and the others
# are scaled up to 100 (a unit that answers for no indicator is judged on the other three).
WEIGHTS = {"completion": 35, "overdue": 15, "reporting": 30, "indicators": 20}
GREEN_FROM, AMBER_FROM = 80, 60
LEAD_WEIGHT, COORDINATING_WEIGHT = 2, 1  # a task the unit leads counts twice one it helps with
MAX_PERIODS = 12  # reporting timeliness is judged over at most this many due periods per plan

# Credit of an assignment that is due, in halves: done on time (or a recurring task reported
# this period) 2, done late 1, overdue or not reported 0. Assignments not due yet earn no
# credit and lose none; they only weigh in the overdue part.
DUE_CREDIT = {
    TaskStatus.DONE_ON_TIME.value: 2, TaskStatus.REPORTED.value: 2, TaskStatus.DONE_LATE.value: 1,
    TaskStatus.OVERDUE.value: 0, TaskStatus.NOT_REPORTED.value: 0,
}  # fmt: skip
OVERDUE = {TaskStatus.OVERDUE.value, TaskStatus.NOT_REPORTED.value}

# The kinds of unit ranked together (?loai= on the page), in the page's order.
KIND_GROUPS = [
    ("so-nganh", "Sở, ban, ngành", ("department", "agency", "peoples_committee", "party_committee")),
    ("xa-phuong", "Xã, phường, đặc khu", ("commune", "ward", "special_zone")),
    ("khac", "Đơn vị khác", ("district", "district_office", "province")),
]
PROVINCES = ("tinh", "Tỉnh, thành phố")


def kind_group(kind: str) -> str:
    for key, _label, kinds in KIND_GROUPS:
        if kind in kinds:
            return key
    return "khac"


def method_vi(periods: int | None = None) -> list[str]:
    """The scoring method in words, as shown on the ranking page; `periods`: how many due
    periods there are so far (fewer than MAX_PERIODS early in a plan's life)."""
    window = f"tối đa {MAX_PERIODS} kỳ gần nhất đã đến hạn"
    if periods is not None:
        window += f" (hiện có {periods} kỳ)"
    w = WEIGHTS
    return [
        f"Hoàn thành nhiệm vụ đúng hạn ({w['completion']} điểm): trong các nhiệm vụ đã đến hạn tại ngày đánh giá, "
        "hoàn thành đúng hạn (nhiệm vụ thường xuyên: báo cáo của kỳ đã được tiếp nhận) được đủ điểm, hoàn thành quá hạn "
        "được nửa điểm, quá hạn chưa hoàn thành hoặc chưa báo cáo không có điểm. Nhiệm vụ tính là hoàn thành từ ngày "
        "hoàn thành ghi trong báo cáo đã tiếp nhận. Nhiệm vụ đơn vị chủ trì tính gấp "
        f"{LEAD_WEIGHT} lần nhiệm vụ phối hợp.",
        f"Không để quá hạn ({w['overdue']} điểm): trừ theo tỷ lệ nhiệm vụ đang quá hạn (hoặc nhiệm vụ thường xuyên "
        "chưa báo cáo) trên tất cả nhiệm vụ được giao, kể cả nhiệm vụ chưa đến hạn; chủ trì tính gấp đôi.",
        f"Báo cáo đúng hạn ({w['reporting']} điểm): tỷ lệ kỳ báo cáo gửi đúng hạn, xét {window}; "
        "gửi trễ tính nửa điểm, không gửi không có điểm.",
        f"Đạt chỉ tiêu ({w['indicators']} điểm): tỷ lệ chỉ tiêu đơn vị chủ trì có số liệu (đến hết kỳ) đạt mục tiêu mốc tới.",
        "Phần nào đơn vị không có gì để đánh giá (ví dụ không chủ trì chỉ tiêu nào) thì không tính, các phần còn lại "
        "quy đổi về thang 100.",
        f"Xếp loại: xanh từ {GREEN_FROM} điểm, vàng từ {AMBER_FROM} đến dưới {GREEN_FROM}, đỏ dưới {AMBER_FROM}.",
        "Xếp hạng riêng theo loại đơn vị (sở, ban, ngành; xã, phường, đặc khu); ở cấp cả nước xếp hạng các tỉnh, "
        "thành phố theo số liệu cộng gộp của các đơn vị trong tỉnh. Đơn vị bằng điểm nhau được xếp đồng hạng "
        "(ví dụ 1, 2, 3, 3, 3, 6); các nhóm đơn vị ghi chung trong kế hoạch (như “Các Trường Đại học, cơ sở nghiên "
        "cứu trên địa bàn tỉnh”) không phải đơn vị báo cáo nên không xếp hạng.",
    ]


METHOD_VI = method_vi()


# ----------------------------------------------------------------------------- the numbers


@dataclass
class RankCounts:
    """The numbers of one unit (or of a province, summed) for a period's ranking. Task
    figures are weighted (lead 2, coordinating 1), credits in halves: integers, so that the
    roll-up path and the bare SQL compare exactly."""

    due_w: int = 0  # weight of the assignments already due (or recurring)
    credit_h: int = 0  # their credit, in halves (DUE_CREDIT × weight)
    all_w: int = 0  # weight of all assignments counted on the day
    overdue_w: int = 0  # weight of those overdue or (recurring) not reported
    on_time: int = 0  # due report periods sent on time / late / not sent
    late: int = 0
    missing: int = 0

    def add(self, other: RankCounts) -> None:
        for f in ("due_w", "credit_h", "all_w", "overdue_w", "on_time", "late", "missing"):
            setattr(self, f, getattr(self, f) + getattr(other, f))

    def as_tuple(self) -> tuple[int, ...]:
        return (self.due_w, self.credit_h, self.all_w, self.overdue_w, self.on_time, self.late, self.missing)


@dataclass(frozen=True)
class Score:
    completion: Decimal | None  # shares 0..1, None = nothing to judge
    overdue: Decimal | None
    reporting: Decimal | None
    indicators: Decimal | None
    total: Decimal
    rag: str  # "green" | "amber" | "red"


def score(c: RankCounts, ind_met: int = 0, ind_total: int = 0) -> Score:
    """The score of one unit (or province) from its numbers: see method_vi."""
    parts = {
        "completion": (Decimal(c.credit_h) / (2 * c.due_w)) if c.due_w else None,
        "overdue": (1 - Decimal(c.overdue_w) / c.all_w) if c.all_w else None,
        "reporting": ((Decimal(c.on_time) + Decimal(c.late) / 2) / (c.on_time + c.late + c.missing))
        if (c.on_time + c.late + c.missing) else None,
        "indicators": (Decimal(ind_met) / ind_total) if ind_total else None,
    }  # fmt: skip
    weight = sum(WEIGHTS[k] for k, v in parts.items() if v is not None)
    got = sum((WEIGHTS[k] * v for k, v in parts.items() if v is not None), Decimal(0))
    total = (got * 100 / weight).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if weight else Decimal(0)
    rag = "green" if total >= GREEN_FROM else "amber" if total >= AMBER_FROM else "red"
    return Score(parts["completion"], parts["overdue"], parts["reporting"], parts["indicators"], total, rag)


def _weight(is_lead) -> int:
    return LEAD_WEIGHT if is_lead else COORDINATING_WEIGHT


def _count_status(c: RankCounts, status: str, is_lead, n: int = 1) -> None:
    w = _weight(is_lead) * n
    c.all_w += w
    if status in DUE_CREDIT:
        c.due_w += w
        c.credit_h += DUE_CREDIT[status] * w
    if status in OVERDUE:
        c.overdue_w += w


@contextmanager
def no_jit():
    """PostgreSQL's JIT compiles these aggregates for seconds (their cost estimate is high,
    their run short: 2,1 s of compiling for 0,2 s of work at the nation root); switched off for
    the statements inside (SET LOCAL: until the end of the enclosing transaction)."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SET LOCAL jit = off")
        yield


@contextmanager
def _no_gc():
    """The cyclic garbage collector paused while tens of thousands of short-lived rows are read
    (they hold no cycles; the collector ran ~100 ms per nation-root ranking for nothing);
    restored after, as it was."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# ----------------------------------------------------------------------------- periods


def _plans_under(root):
    """The plans with a task × unit row under `root` (as a subquery). Under a top root (the
    nation: nearly every row) one EXISTS per plan, stopping at the first row found, instead of
    a DISTINCT over ~50.000 rows in each of the page's small period queries; under a subtree
    the DISTINCT over its own rows (path index), cheaper there."""
    from django.db.models import Exists, OuterRef

    from planwatch.plans.models import Plan

    from .selectors import states_under

    if getattr(root, "depth", 1) == 0:
        return Plan.objects.filter(Exists(states_under(root).filter(plan_id=OuterRef("pk")))).values("id")
    return states_under(root).values("plan_id").distinct()


def ranking_months(root, today) -> list:
    """Month ends of the due periods of the plans with units in the subtree, newest first:
    the periods a ranking can be drawn up for (a period is ranked once its report is due)."""
    from planwatch.reporting.models import ReportingPeriod

    return list(
        ReportingPeriod.objects.filter(plan_id__in=_plans_under(root), due_date__lt=today).exclude(kind="ad_hoc")
        .order_by("-end").values_list("end", flat=True).distinct()[:24]
    )  # fmt: skip


def judged_on(root, month_end, today):
    """The day a period's ranking is judged: the day after its report was due (or today)."""
    from planwatch.reporting.models import ReportingPeriod

    due = (
        ReportingPeriod.objects.filter(plan_id__in=_plans_under(root), end=month_end).exclude(kind="ad_hoc")
        .order_by("-due_date").values_list("due_date", flat=True).first()
    )  # fmt: skip
    return min(today, (due or month_end) + timedelta(days=1))


def periods_counted(root, month_end, today, on=None) -> int:
    """How many due periods the reporting score of that ranking looks at: per plan the due
    periods so far, at most MAX_PERIODS; the largest over the plans of the subtree. `on`: the
    judgement day if known already (judged_on)."""
    from django.db.models import Count

    from planwatch.reporting.models import ReportingPeriod

    on = on or judged_on(root, month_end, today)
    per_plan = (
        ReportingPeriod.objects.filter(plan_id__in=_plans_under(root), due_date__lt=on).exclude(kind="ad_hoc")
        .values("plan_id").annotate(n=Count("id")).order_by().values_list("n", flat=True)
    )  # fmt: skip
    return min(MAX_PERIODS, max(per_plan, default=0))


# ----------------------------------------------------------------------------- page path (roll-ups)


def _cutoffs(on):
    """status.reporting_cutoff on the judgement day: (once last month's report is due, while
    it is not yet due), and the plans whose due day is not yet reached (the second applies)."""
    from django.db.models import Q

    from planwatch.plans.models import Plan
    from planwatch.reporting.periods import DEFAULT_DUE_DAY

    from .status import reporting_cutoff

    not_yet_due = Q(reporting_due_day__gte=on.day)
    if on.day <= DEFAULT_DUE_DAY:
        not_yet_due |= Q(reporting_due_day__isnull=True) | Q(reporting_due_day=0)
    return reporting_cutoff(on, 0), reporting_cutoff(on, 31), Plan.objects.filter(not_yet_due).values("id")


def _task_counts(root, month_end, on) -> dict[int, RankCounts]:
    """Per unit: weighted task numbers on the judgement day `on`, in one aggregate over the
    roll-up table (TaskState: the latest accepted line of each assignment):
    - a task counts as done when its completion date is on or before `on` (a completion
      reported later but dated by then is the truth of that day; a line without a date counts
      if its report is of the period ranked or earlier) - status.task_status otherwise;
    - a recurring task is reported when the unit's accepted report on its plan for a period
      from the cutoff (status.reporting_cutoff) up to the period ranked exists."""
    from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When

    from planwatch.lib.deadlines import DeadlineKind
    from planwatch.reporting.models import ReportStatus, UnitReport

    from .models import TaskState
    from .selectors import active_on
    from .status import _YEARLY_KINDS, PROGRESS_DONE

    last_month, month_before, late_plans = _cutoffs(on)
    year_end, year_start = date(on.year, 12, 31), date(on.year, 1, 1)
    reported = Exists(
        UnitReport.objects.filter(
            org_id=OuterRef("org_id"), period__plan_id=OuterRef("plan_id"), status=ReportStatus.ACCEPTED,
            period__end__lte=month_end,
        ).exclude(period__kind="ad_hoc")
        .filter(Q(period__end__gte=last_month) | Q(period__end__gte=month_before, period__plan_id__in=late_plans))
    )  # fmt: skip
    due_eff = Case(
        When(deadline_kind=DeadlineKind.YEARLY.value, then=Value(year_end)),
        When(deadline_kind=DeadlineKind.FROM_YEAR.value, deadline_due__gt=year_end, then=F("deadline_due")),
        When(deadline_kind=DeadlineKind.FROM_YEAR.value, then=Value(year_end)),
        default=F("deadline_due"),
    )
    yearly = Q(deadline_kind__in=[k.value for k in _YEARLY_KINDS])
    done = (
        Q(progress=PROGRESS_DONE)
        & (Q(completed_on__lte=on) | Q(completed_on__isnull=True, period_end__lte=month_end))
        & ~(yearly & Q(completed_on__lt=year_start))
    )
    S = TaskStatus
    recurring = DeadlineKind.RECURRING.value
    status = Case(
        When(Q(deadline_kind=recurring) & Q(reported=True), then=Value(S.REPORTED.value)),
        When(deadline_kind=recurring, then=Value(S.NOT_REPORTED.value)),
        When(done & (Q(due_eff=None) | Q(completed_on=None) | Q(completed_on__lte=F("due_eff"))), then=Value(S.DONE_ON_TIME.value)),
        When(done, then=Value(S.DONE_LATE.value)),
        When(due_eff__lt=on, then=Value(S.OVERDUE.value)),
        default=Value("later"),
        output_field=CharField(),
    )
    from django.db import connection

    qs = (
        TaskState.objects.filter(active_on(on), org_path__startswith=root.path)
        .annotate(reported=reported, due_eff=due_eff).annotate(status=status)
        .values_list("org_id", "is_lead", "status").order_by()
    )  # fmt: skip
    # Summed per unit in one aggregate (one row per unit, not one per unit × role × status:
    # ~30.000 at the nation root), by the same weights and credits as _count_status.
    inner, params = qs.query.sql_with_params()
    w = f"(CASE WHEN x.is_lead THEN {LEAD_WEIGHT} ELSE {COORDINATING_WEIGHT} END)"
    due = ", ".join(f"'{s}'" for s in DUE_CREDIT)
    credit = " ".join(f"WHEN '{s}' THEN {v}" for s, v in DUE_CREDIT.items())
    over = ", ".join(f"'{s}'" for s in sorted(OVERDUE))
    # MATERIALIZED: each row's status worked out once (inlined, PostgreSQL would repeat the
    # CASE and its subquery in each of the four sums).
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    sql = (
        f"WITH x AS {materialized}({inner})"
        f" SELECT x.org_id, SUM({w}), SUM(CASE WHEN x.status IN ({due}) THEN {w} ELSE 0 END),"
        f" SUM((CASE x.status {credit} ELSE 0 END) * {w}),"
        f" SUM(CASE WHEN x.status IN ({over}) THEN {w} ELSE 0 END)"
        f" FROM x GROUP BY x.org_id"
    )
    out: dict[int, RankCounts] = {}
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for org_id, all_w, due_w, credit_h, overdue_w in cur.fetchall():
            out[org_id] = RankCounts(due_w=int(due_w or 0), credit_h=int(credit_h or 0), all_w=int(all_w or 0),
                                     overdue_w=int(overdue_w or 0))  # fmt: skip
    return out


_UNIT_COUNTS_FINAL = """SELECT u.org_id, o.name, o.kind, o.path, u.on_time, u.late, u.missing
FROM unit u JOIN {organisation} o ON o.id = u.org_id"""


def _reporting_counts(root, on) -> tuple[dict[int, RankCounts], dict[int, tuple]]:
    """Per unit expected to report: periods on time / late / missing over the last
    MAX_PERIODS due periods (selectors.reporting_rows, one SQL statement), and (name, kind,
    path) of each unit."""
    from . import selectors as S

    counts: dict[int, RankCounts] = {}
    orgs: dict[int, tuple] = {}
    if hasattr(S, "_by_unit_sql"):  # reporting_rows' statement, only the columns used here
        from django.db import connection

        sql, params = S._by_unit_sql(root, on, MAX_PERIODS, _UNIT_COUNTS_FINAL)
        with connection.cursor() as cur:
            cur.execute(sql, params)
            for org_id, name, kind, path, on_time, late, missing in cur.fetchall():
                counts[org_id] = RankCounts(on_time=int(on_time), late=int(late), missing=int(missing))
                orgs[org_id] = (name, kind, path)
    elif hasattr(S, "reporting_rows"):  # pragma: no cover
        for r in S.reporting_rows(root, on, MAX_PERIODS):
            counts[r.org_id] = RankCounts(on_time=r.on_time, late=r.late, missing=r.missing)
            orgs[r.org_id] = (r.name, r.kind, r.path)
    else:  # pragma: no cover - the Python form, before the SQL one existed
        for org_id, u in S.reporting_by_unit(root, on, MAX_PERIODS).items():
            counts[org_id] = RankCounts(on_time=u.on_time, late=u.late, missing=u.missing)
            orgs[org_id] = (u.org.name, u.org.kind, u.org.path)
    return counts, orgs


def ranking_counts(root, month_end, today) -> dict[int, RankCounts]:
    """The ranking's numbers per unit expected to report under `root` (collectives included;
    the page leaves them out), from the roll-up tables. See ranking_counts_bare_sql."""
    on = judged_on(root, month_end, today)
    with no_jit():
        return _counts_and_orgs(root, month_end, on)[0]


def _counts_and_orgs(root, month_end, on):
    reporting, orgs = _reporting_counts(root, on)
    tasks = _task_counts(root, month_end, on)
    out: dict[int, RankCounts] = {}
    for org_id, rc in reporting.items():
        c = RankCounts(on_time=rc.on_time, late=rc.late, missing=rc.missing)
        if org_id in tasks:
            t = tasks[org_id]
            c.due_w, c.credit_h, c.all_w, c.overdue_w = t.due_w, t.credit_h, t.all_w, t.overdue_w
        out[org_id] = c
    return out, orgs


_LATEST_VALUES_SQL = """
SELECT org_id, indicator_id, value, numerator, denominator FROM (
  SELECT r.org_id, iv.indicator_id, iv.value, iv.numerator, iv.denominator,
    ROW_NUMBER() OVER (PARTITION BY r.org_id, iv.indicator_id ORDER BY pe."end" DESC, r.id DESC) AS rn
  FROM {value} iv
  JOIN {report} r ON r.id = iv.report_id
  JOIN {period} pe ON pe.id = r.period_id
  JOIN {organisation} o ON o.id = r.org_id
  JOIN {indicator} i ON i.id = iv.indicator_id
  WHERE r.status = 'accepted' AND o.path LIKE %(prefix)s AND NOT i.is_group AND pe."end" <= %(month_end)s
    AND (iv.value IS NOT NULL OR (iv.numerator IS NOT NULL AND iv.denominator IS NOT NULL AND iv.denominator <> 0))
) x WHERE rn = 1
"""


def indicator_counts(root, month_end, on) -> dict[int, tuple[int, int]]:
    """Per unit: (indicators whose latest accepted value up to the period meets the next
    milestone, indicators judged)."""
    import json

    from django.db.models import TextField
    from django.db.models.functions import Cast

    from planwatch.lib.targets import TargetSpec
    from planwatch.plans.models import Indicator, IndicatorTarget
    from planwatch.reporting.models import IndicatorValue

    from .status import meets

    from django.db import connection

    from planwatch.orgs.models import Organisation
    from planwatch.reporting.models import ReportingPeriod, UnitReport

    # The latest usable value of each (unit, indicator) up to the period, in SQL (a window per
    # pair): a value, or a numerator with a non-zero denominator.
    sql = _LATEST_VALUES_SQL.format(
        value=IndicatorValue._meta.db_table, report=UnitReport._meta.db_table, period=ReportingPeriod._meta.db_table,
        organisation=Organisation._meta.db_table, indicator=Indicator._meta.db_table,
    )  # fmt: skip
    latest: dict[tuple[int, int], Decimal] = {}
    with connection.cursor() as cur:
        cur.execute(sql, {"prefix": root.path + "%", "month_end": month_end})
        for org_id, ind_id, value, num, den in cur.fetchall():
            if value is None and num is not None and den:
                value = ratio_percent(Decimal(num), Decimal(den))
            if value is not None:
                latest[(org_id, ind_id)] = Decimal(value)
    ind_ids = {i for _, i in latest}
    # The next milestone with a numeric target (year ≥ the judgement day's): only those rows are
    # read and parsed (TargetSpec.from_stored, once per distinct spec).
    targets: dict[int, dict[int, TargetSpec]] = defaultdict(dict)
    parsed: dict[str, TargetSpec | None] = {}
    # The spec as text: replicated plans repeat the same few targets, each decoded once.
    # Thousands of ids (the nation root) are not sent as an IN list (costly to build and to
    # parse): all next-year targets are read and the others skipped here.
    many = len(ind_ids) > 200
    tq = IndicatorTarget.objects.filter(year__gte=on.year)
    if not many:
        tq = tq.filter(indicator_id__in=ind_ids)
    for ind_id, year, text in tq.annotate(spec_text=Cast("spec", TextField())).values_list("indicator_id", "year", "spec_text"):
        if ind_id not in ind_ids:
            continue
        if text not in parsed:
            try:
                spec = json.loads(text) if text else None
            except ValueError:
                spec = None
            parsed[text] = TargetSpec.from_stored(spec) if spec else None
        if parsed[text] is not None:
            targets[ind_id][year] = parsed[text]
    direction = dict((Indicator.objects.all() if many else Indicator.objects.filter(pk__in=ind_ids)).values_list("id", "direction"))
    out: dict[int, list[int]] = {}
    for (org_id, ind_id), value in latest.items():
        years = [y for y in sorted(targets.get(ind_id, {})) if targets[ind_id][y].is_numeric]
        if not years:
            continue
        ok = meets(targets[ind_id][years[0]], direction[ind_id], value)
        if ok is None:
            continue
        got = out.setdefault(org_id, [0, 0])
        got[1] += 1
        got[0] += bool(ok)
    return {k: (v[0], v[1]) for k, v in out.items()}


# ----------------------------------------------------------------------------- bare SQL (base tables)

_BARE_TASKS_SQL = """
WITH asg AS (
  SELECT a.task_id, a.org_id, MAX(CASE WHEN a.role = 'lead' THEN 1 ELSE 0 END) AS lead,
         MIN(a.id) AS first_id
  FROM {assignment} a
  JOIN {task} t ON t.id = a.task_id
  JOIN {plan} p ON p.id = t.plan_id
  JOIN {organisation} o ON o.id = a.org_id
  WHERE p.monitored AND o.path LIKE %(prefix)s
    AND (o.valid_to IS NULL OR o.valid_to >= %(on)s)
    AND (t.retired_on IS NULL OR t.retired_on > %(on)s)
  GROUP BY a.task_id, a.org_id
  HAVING (MAX(CASE WHEN a.valid_to IS NULL THEN 1 ELSE 0 END) = 1 OR MAX(a.valid_to) >= %(on)s)
     AND (MAX(CASE WHEN a.valid_from IS NULL THEN 1 ELSE 0 END) = 1 OR MIN(a.valid_from) <= %(on)s)
), pred AS (
  SELECT asg.task_id, asg.org_id, f.org_id AS pred_org
  FROM asg JOIN {assignment} a1 ON a1.id = asg.first_id JOIN {assignment} f ON f.id = a1.transferred_from_id
), line AS (
  SELECT tp.task_id, r.org_id, tp.status AS progress, tp.completed_on, pe."end" AS period_end,
         ROW_NUMBER() OVER (PARTITION BY tp.task_id, r.org_id ORDER BY pe."end" DESC, pe.id DESC, r.id DESC) AS rn
  FROM {progress} tp
  JOIN {report} r ON r.id = tp.report_id
  JOIN {period} pe ON pe.id = r.period_id
  WHERE r.status = 'accepted'
    AND (r.org_id IN (SELECT org_id FROM asg) OR r.org_id IN (SELECT pred_org FROM pred))
), rows_ AS (
  SELECT asg.org_id, asg.lead, t.deadline_kind AS kind,
         EXISTS (SELECT 1 FROM {report} ur JOIN {period} up ON up.id = ur.period_id
                 WHERE ur.org_id = asg.org_id AND up.plan_id = t.plan_id AND ur.status = 'accepted'
                   AND up.kind <> 'ad_hoc' AND up."end" <= %(month_end)s
                   AND up."end" >= (CASE WHEN {not_yet_due} THEN %(month_before)s ELSE %(last_month)s END)) AS reported,
         COALESCE(l.progress, lp.progress) AS progress,
         CASE WHEN l.task_id IS NOT NULL THEN l.completed_on ELSE lp.completed_on END AS completed_on,
         CASE WHEN l.task_id IS NOT NULL THEN l.period_end ELSE lp.period_end END AS period_end,
         CASE WHEN t.deadline_kind = 'yearly' THEN %(year_end)s
              WHEN t.deadline_kind = 'from_year' AND t.deadline_due > %(year_end)s THEN t.deadline_due
              WHEN t.deadline_kind = 'from_year' THEN %(year_end)s
              ELSE t.deadline_due END AS due
  FROM asg
  JOIN {task} t ON t.id = asg.task_id
  JOIN {plan} p ON p.id = t.plan_id
  LEFT JOIN line l ON l.task_id = asg.task_id AND l.org_id = asg.org_id AND l.rn = 1
  LEFT JOIN pred ON pred.task_id = asg.task_id AND pred.org_id = asg.org_id
  LEFT JOIN line lp ON l.task_id IS NULL AND lp.task_id = asg.task_id AND lp.org_id = pred.pred_org AND lp.rn = 1
), st AS (
  SELECT org_id, lead, CASE
    WHEN kind = 'recurring' AND reported THEN 'reported'
    WHEN kind = 'recurring' THEN 'not_reported'
    WHEN {done} AND (due IS NULL OR completed_on IS NULL OR completed_on <= due) THEN 'done_on_time'
    WHEN {done} THEN 'done_late'
    WHEN due < %(on)s THEN 'overdue'
    ELSE 'later' END AS status
  FROM rows_
)
SELECT org_id,
  SUM(CASE WHEN lead = 1 THEN {lw} ELSE {cw} END) AS all_w,
  SUM(CASE WHEN status IN ('done_on_time', 'reported', 'done_late', 'overdue', 'not_reported')
           THEN (CASE WHEN lead = 1 THEN {lw} ELSE {cw} END) ELSE 0 END) AS due_w,
  SUM(CASE WHEN status IN ('done_on_time', 'reported') THEN 2 WHEN status = 'done_late' THEN 1 ELSE 0 END
      * (CASE WHEN lead = 1 THEN {lw} ELSE {cw} END)) AS credit_h,
  SUM(CASE WHEN status IN ('overdue', 'not_reported') THEN (CASE WHEN lead = 1 THEN {lw} ELSE {cw} END) ELSE 0 END) AS overdue_w
FROM st GROUP BY org_id
"""

_BARE_REPORTS_SQL = """
WITH exp AS (
  SELECT DISTINCT a.org_id, t.plan_id
  FROM {assignment} a
  JOIN {task} t ON t.id = a.task_id
  JOIN {plan} p ON p.id = t.plan_id
  JOIN {organisation} o ON o.id = a.org_id
  WHERE p.monitored AND o.path LIKE %(prefix)s
    AND (o.valid_to IS NULL OR o.valid_to >= %(on)s)
    AND (t.retired_on IS NULL OR t.retired_on > %(on)s)
    AND (a.valid_from IS NULL OR a.valid_from <= %(on)s) AND (a.valid_to IS NULL OR a.valid_to >= %(on)s)
  UNION
  SELECT r.organisation_id, i.plan_id FROM {responsible} r
  JOIN {indicator} i ON i.id = r.indicator_id JOIN {organisation} o ON o.id = r.organisation_id
  WHERE o.path LIKE %(prefix)s AND NOT i.is_group AND (o.valid_to IS NULL OR o.valid_to >= %(on)s)
    AND (o.valid_from IS NULL OR o.valid_from <= %(on)s) AND (i.retired_on IS NULL OR i.retired_on > %(on)s)
), per AS (
  SELECT id, plan_id, due_date, ROW_NUMBER() OVER (PARTITION BY plan_id ORDER BY "end" DESC, id DESC) AS rn
  FROM {period} WHERE due_date < %(on)s AND kind <> 'ad_hoc' AND plan_id IN (SELECT plan_id FROM exp)
), rep AS (
  SELECT org_id, period_id, submitted_at FROM {report}
  WHERE status <> 'returned' AND submitted_at IS NOT NULL AND period_id IN (SELECT id FROM per WHERE rn <= %(months)s)
)
SELECT exp.org_id,
  SUM(CASE WHEN rep.period_id IS NOT NULL AND {sent_on_time} THEN 1 ELSE 0 END),
  SUM(CASE WHEN rep.period_id IS NOT NULL AND NOT {sent_on_time} THEN 1 ELSE 0 END),
  SUM(CASE WHEN per.id IS NOT NULL AND rep.period_id IS NULL THEN 1 ELSE 0 END)
FROM exp LEFT JOIN per ON per.plan_id = exp.plan_id AND per.rn <= %(months)s
LEFT JOIN rep ON rep.org_id = exp.org_id AND rep.period_id = per.id
GROUP BY exp.org_id
"""


def ranking_counts_bare_sql(root, month_end: date, today: date) -> dict[int, RankCounts]:
    """The ranking's numbers per unit, from the base tables in two SQL statements: the
    weighted task figures (assignments valid on the judgement day, each judged from the
    unit's latest accepted progress line up to the period, or its predecessor's, by the SQL
    form of status.task_status) and the reports on time / late / missing over the last
    MAX_PERIODS due periods. The same numbers as ranking_counts (tested); for bench/monitoring.py.

        ranking_counts_bare_sql(root: Organisation, month_end: date, today: date) -> dict[int, RankCounts]
    """
    from django.conf import settings
    from django.db import connection

    from planwatch.orgs.models import Organisation
    from planwatch.plans.models import Assignment, Indicator, Plan, Task
    from planwatch.reporting.models import ReportingPeriod, TaskProgress, UnitReport
    from planwatch.reporting.periods import DEFAULT_DUE_DAY
    from planwatch.reporting.rules import sent_on_time_sql

    from .status import reporting_cutoff

    on = judged_on(root, month_end, today)
    tables = dict(
        assignment=Assignment._meta.db_table, task=Task._meta.db_table, plan=Plan._meta.db_table,
        organisation=Organisation._meta.db_table, progress=TaskProgress._meta.db_table,
        report=UnitReport._meta.db_table, period=ReportingPeriod._meta.db_table,
        responsible=Indicator.responsible.through._meta.db_table, indicator=Indicator._meta.db_table,
    )  # fmt: skip
    # status.task_status_sql's "reported this period": before a plan's due day, last month's
    # report is not due yet and the cutoff is one month earlier.
    not_yet_due = f"(p.reporting_due_day >= {on.day}" + (
        " OR p.reporting_due_day IS NULL OR p.reporting_due_day = 0)" if on.day <= DEFAULT_DUE_DAY else ")"
    )
    done = (
        "(progress = 'done' AND (completed_on <= %(on)s OR (completed_on IS NULL AND period_end <= %(month_end)s))"
        " AND NOT (kind IN ('yearly', 'from_year') AND completed_on < %(year_start)s))"
    )
    params = dict(
        prefix=root.path + "%", on=on, month_end=month_end, year_end=date(on.year, 12, 31), year_start=date(on.year, 1, 1),
        last_month=reporting_cutoff(on, 0), month_before=reporting_cutoff(on, 31), months=MAX_PERIODS,
    )  # fmt: skip
    out: dict[int, RankCounts] = {}
    with no_jit(), connection.cursor() as cur:
        cur.execute(_BARE_TASKS_SQL.format(**tables, not_yet_due=not_yet_due, done=done, lw=LEAD_WEIGHT, cw=COORDINATING_WEIGHT), params)
        tasks = {r[0]: tuple(int(x or 0) for x in r[1:]) for r in cur.fetchall()}
        sent_on_time, p2 = sent_on_time_sql("rep.submitted_at", "per.due_date")
        if connection.vendor == "postgresql":
            p2.setdefault("tz", settings.TIME_ZONE)
        cur.execute(_BARE_REPORTS_SQL.format(**tables, sent_on_time=sent_on_time), {**params, **p2})
        for org_id, on_time, late, missing in cur.fetchall():
            c = RankCounts(on_time=int(on_time or 0), late=int(late or 0), missing=int(missing or 0))
            if org_id in tasks:
                c.all_w, c.due_w, c.credit_h, c.overdue_w = tasks[org_id]
            out[org_id] = c
    return out


# The name bench/monitoring.py looks for first.
ranking_numbers_sql = ranking_counts_bare_sql


# ----------------------------------------------------------------------------- the ranking


@dataclass
class RankRow:
    org: object  # an Organisation-like: pk, name, kind, path (a province row: the province)
    score: Score
    counts: RankCounts
    ind: tuple[int, int]
    rank: int = 0
    units: int = 1  # units pooled (a province row)
    extra: dict = field(default_factory=dict)

    @property
    def reporting(self) -> RankCounts:  # on_time / late / missing, as the template reads them
        return self.counts


def is_ranked(org) -> bool:
    """Only real reporting units are ranked: a collective named in a plan ("Các Trường Đại
    học, cơ sở nghiên cứu trên địa bàn tỉnh", kind GROUP) is not one unit that answers."""
    kind = org.kind if hasattr(org, "kind") else org
    return kind != "group"


def assign_ranks(rows: list[RankRow]) -> list[RankRow]:
    """Standard competition ranking on the total (rows sorted best first): equal totals share
    a rank and the next rank skips as many places (1, 2, 3, 3, 3, 6)."""
    prev = None
    for i, r in enumerate(rows, 1):
        if prev is None or r.score.total != prev.score.total:
            r.rank = i
        else:
            r.rank = prev.rank
        prev = r
    return rows


@dataclass(frozen=True)
class UnitRef:
    """What a ranking row needs of a unit, without building Organisation objects (~4.000 at
    the nation root)."""

    pk: int
    name: str
    kind: str
    path: str
    short_name: str = ""


@dataclass
class Ranking:
    month: date | None
    on: date | None
    groups: dict[str, list[RankRow]]  # kind group key → ranked rows (all of them; the page pages)
    provinces: list[RankRow] | None  # at a root with provinces below: one row per province


@lru_cache(maxsize=16384)
def _tie_key(name: str):
    """Vietnamese alphabetical key of a unit's filing name (a pure function of the name,
    memoised: the costly part of ordering thousands of tied units)."""
    from planwatch.lib.text import vn_sort_key
    from planwatch.orgs.ordering import sort_name

    return vn_sort_key(sort_name(name))


def _sort_rank(rows: list[RankRow]) -> list[RankRow]:
    from planwatch.lib.text import strip_accents
    from planwatch.orgs.ordering import sort_name

    # Best first; equal totals in Vietnamese alphabetical order (the key is costly: only for ties).
    rows.sort(key=lambda r: -r.score.total)
    i = 0
    while i < len(rows):
        j = i + 1
        while j < len(rows) and rows[j].score.total == rows[i].score.total:
            j += 1
        if 1 < j - i <= 100:
            rows[i:j] = sorted(rows[i:j], key=lambda r: _tie_key(r.org.name))
        elif j - i > 100:  # hundreds of synthetic twins: the accent-free name (cheap, nearly the same order)
            rows[i:j] = sorted(rows[i:j], key=lambda r: (strip_accents(sort_name(r.org.name)).casefold(), r.org.name))
        i = j
    return assign_ranks(rows)


class _Groups(dict):
    """Kind group key → its rows, each group scored and ranked when first read: the page
    shows one table (at the nation root the provinces) and only counts the others' rows, so
    the ~4.000 units of the nation are not scored and sorted for nothing. Reading a group
    (groups[key], .get, .items(), .values()) always gives it scored and ranked."""

    def __init__(self):
        super().__init__()
        self._ready: set[str] = set()

    def _prepare(self, key):
        if key not in self._ready and dict.__contains__(self, key):
            rows = dict.__getitem__(self, key)
            for r in rows:
                r.score = score(r.counts, *r.ind)
            _sort_rank(rows)
            self._ready.add(key)

    def count(self, key) -> int:
        """How many rows a group has, without scoring it."""
        return len(dict.get(self, key, ()))

    def __getitem__(self, key):
        self._prepare(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def items(self):
        return [(k, self[k]) for k in self]

    def values(self):
        return [self[k] for k in self]


def build_ranking(root, month_end, today) -> Ranking:
    """See _build_ranking (the collector paused while it reads: _no_gc)."""
    with _no_gc():
        return _build_ranking(root, month_end, today)


def _build_ranking(root, month_end, today) -> Ranking:
    """The ranking of the units under `root` for the period ending `month_end`, judged the day
    after that period's report was due (or today, if earlier), per kind of unit; and, where
    provinces lie below the root, the provinces on the pooled numbers of their units."""
    from planwatch.orgs.models import Organisation

    on = judged_on(root, month_end, today)
    with no_jit():
        counts, orgs = _counts_and_orgs(root, month_end, on)
        inds = indicator_counts(root, month_end, on)
    groups = _Groups()
    for org_id, c in counts.items():
        name, kind, path = orgs[org_id]
        if not is_ranked(kind):
            continue
        met, judged = inds.get(org_id, (0, 0))
        ref = UnitRef(org_id, name, kind, path)
        groups.setdefault(kind_group(kind), []).append(RankRow(ref, None, c, (met, judged)))
    provinces = None
    below = Organisation.objects.filter(path__startswith=root.path, depth=root.depth + 1, kind="province")
    prov = {p.path: p for p in below.only("id", "name", "path", "kind", "short_name", "depth")}
    if prov:
        pooled: dict[str, RankRow] = {}
        for org_id, c in counts.items():
            name, kind, path = orgs[org_id]
            if not is_ranked(kind):
                continue
            head = path[: path.find("/", len(root.path)) + 1] if "/" in path[len(root.path):] else path
            p = prov.get(head)
            if p is None:
                continue
            row = pooled.get(head)
            if row is None:
                row = pooled[head] = RankRow(p, None, RankCounts(), (0, 0), units=0)
            rc = row.counts
            rc.due_w += c.due_w
            rc.credit_h += c.credit_h
            rc.all_w += c.all_w
            rc.overdue_w += c.overdue_w
            rc.on_time += c.on_time
            rc.late += c.late
            rc.missing += c.missing
            met, judged = inds.get(org_id, (0, 0))
            row.ind = (row.ind[0] + met, row.ind[1] + judged)
            row.units += 1
        provinces = list(pooled.values())
        for r in provinces:
            r.score = score(r.counts, *r.ind)
        _sort_rank(provinces)
    return Ranking(month_end, on, groups, provinces)


def rank_units(root, month_end, today) -> list[RankRow]:
    """Every ranked unit under `root` (all kinds, each ranked within its kind), best first."""
    r = build_ranking(root, month_end, today)
    rows = [row for key, _label, _k in KIND_GROUPS for row in r.groups.get(key, [])]
    return rows


# ----------------------------------------------------------------------------- heat map


def heat_penalty(counts: dict[str, int]) -> tuple[int, int]:
    """A heat-map cell by the ranking's own weights, in halves: (penalty, out of). An overdue
    or unreported assignment costs 2, one finished late 1 (the same halves as DUE_CREDIT),
    over 2 × the assignments in the cell; so a unit with five tasks overdue reads hotter than
    one with five finished late."""
    total = sum(counts.values())
    bad = sum(n * (2 - DUE_CREDIT[s]) for s, n in counts.items() if s in DUE_CREDIT)
    return bad, 2 * total
