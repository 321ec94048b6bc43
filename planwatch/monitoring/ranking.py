"""Unit ranking (thi đua): the scoring method, pure. Shown on the ranking page as written here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from planwatch.lib.numbers import ratio_percent

from .status import TaskStatus

WEIGHTS = {"tasks": 40, "reporting": 40, "indicators": 20}
GREEN_FROM, AMBER_FROM = 80, 60
# Statuses that count against a unit: it let a deadline pass or skipped a recurring report.
BAD_TASK = {TaskStatus.OVERDUE.value, TaskStatus.DONE_LATE.value, TaskStatus.NOT_REPORTED.value}

MAX_PERIODS = 12  # reporting timeliness is judged over at most this many due periods per plan


def method_vi(periods: int | None = None) -> list[str]:
    """The scoring method in words, as shown on the ranking page; `periods`: how many due
    periods there are so far (fewer than MAX_PERIODS early in a plan's life)."""
    window = f"tối đa {MAX_PERIODS} kỳ gần nhất đã đến hạn"
    if periods is not None:
        window += f" (hiện có {periods} kỳ)"
    return [
        f"Nhiệm vụ đúng tiến độ ({WEIGHTS['tasks']} điểm): tỷ lệ nhiệm vụ được giao không quá hạn, không hoàn thành quá hạn "
        "và (với nhiệm vụ thường xuyên) đã báo cáo kỳ này.",
        f"Báo cáo đúng hạn ({WEIGHTS['reporting']} điểm): tỷ lệ kỳ báo cáo gửi đúng hạn, xét {window}; "
        "gửi trễ tính nửa điểm, không gửi không có điểm.",
        f"Đạt chỉ tiêu ({WEIGHTS['indicators']} điểm): tỷ lệ chỉ tiêu đơn vị chủ trì có số liệu mới nhất đạt mục tiêu mốc tới; "
        "đơn vị không chủ trì chỉ tiêu nào được tính theo hai tiêu chí trên (quy đổi thang 100).",
        f"Xếp loại: xanh từ {GREEN_FROM} điểm, vàng từ {AMBER_FROM} đến dưới {GREEN_FROM}, đỏ dưới {AMBER_FROM}.",
        "Đơn vị bằng điểm nhau được xếp đồng hạng (ví dụ 1, 2, 3, 3, 3, 6); các nhóm đơn vị ghi chung trong kế hoạch "
        "(như “Các Trường Đại học, cơ sở nghiên cứu trên địa bàn tỉnh”) không phải đơn vị báo cáo nên không xếp hạng.",
    ]


METHOD_VI = method_vi()


@dataclass(frozen=True)
class Score:
    tasks: Decimal | None  # shares 0..1, None = nothing to judge
    reporting: Decimal | None
    indicators: Decimal | None
    total: Decimal
    rag: str  # "green" | "amber" | "red"


def _share(good: Decimal, total: int) -> Decimal | None:
    return (good / total) if total else None


def score(*, task_statuses: dict[str, int], on_time: int, late: int, missing: int, ind_met: int, ind_total: int) -> Score:
    n_tasks = sum(task_statuses.values())
    bad = sum(n for s, n in task_statuses.items() if s in BAD_TASK)
    parts = {
        "tasks": _share(Decimal(n_tasks - bad), n_tasks),
        "reporting": _share(Decimal(on_time) + Decimal(late) / 2, on_time + late + missing),
        "indicators": _share(Decimal(ind_met), ind_total),
    }
    weight = sum(WEIGHTS[k] for k, v in parts.items() if v is not None)
    got = sum((WEIGHTS[k] * v for k, v in parts.items() if v is not None), Decimal(0))
    total = (got * 100 / weight).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if weight else Decimal(0)
    rag = "green" if total >= GREEN_FROM else "amber" if total >= AMBER_FROM else "red"
    return Score(parts["tasks"], parts["reporting"], parts["indicators"], total, rag)


# ----------------------------------------------------------------------------- ranking a period


@dataclass
class RankRow:
    org: object
    score: Score
    reporting: object  # selectors.UnitReporting
    tasks: dict[str, int]
    ind: tuple[int, int]
    rank: int = 0


def ranking_months(root, today) -> list:
    """Month ends of the due periods of the plans with units in the subtree, newest first:
    the periods a ranking can be drawn up for (a period is ranked once its report is due)."""
    from planwatch.reporting.models import ReportingPeriod

    from .selectors import states_under

    plans = states_under(root).values("plan_id").distinct()
    return list(
        ReportingPeriod.objects.filter(plan_id__in=plans, due_date__lt=today).exclude(kind="ad_hoc")
        .order_by("-end").values_list("end", flat=True).distinct()[:24]
    )  # fmt: skip


def _task_statuses_as_of(root, upto_end, on) -> dict[int, dict[str, int]]:
    """Per unit: status counts of its assignments judged on day `on` from the progress lines
    of its accepted reports for periods ending on or before `upto_end` (later reports are not
    part of that period's picture)."""
    from planwatch.lib.deadlines import DeadlineSpec
    from planwatch.reporting.models import ReportStatus, TaskProgress

    from .models import TaskState
    from .selectors import reporting_cutoff
    from .status import task_status

    latest: dict[tuple[int, int], tuple] = {}
    for task_id, org_id, progress, done_on, end in (
        TaskProgress.objects.filter(
            report__status=ReportStatus.ACCEPTED, report__org__path__startswith=root.path, report__period__end__lte=upto_end
        ).order_by("report__period__end", "report_id")
        .values_list("task_id", "report__org_id", "status", "completed_on", "report__period__end")
    ):  # fmt: skip
        latest[(task_id, org_id)] = (progress, done_on, end)
    from planwatch.reporting.periods import effective_due_day

    specs: dict[int, DeadlineSpec] = {}
    out: dict[int, dict[str, int]] = {}
    from .selectors import active_on

    for task_id, org_id, spec, due_day in TaskState.objects.filter(active_on(on), org_path__startswith=root.path).values_list(
        "task_id", "org_id", "task__deadline_spec", "plan__reporting_due_day"
    ):
        cutoff = reporting_cutoff(on, effective_due_day(due_day))
        if task_id not in specs:
            specs[task_id] = DeadlineSpec.from_stored(spec)
        progress, done_on, end = latest.get((task_id, org_id), (None, None, None))
        st = task_status(specs[task_id], progress or None, done_on, on, reported_this_period=bool(end and end >= cutoff))
        counts = out.setdefault(org_id, {})
        counts[st.value] = counts.get(st.value, 0) + 1
    return out


def _indicator_scores(root, upto_end, on) -> dict[int, tuple[int, int]]:
    """Per unit: (indicators whose latest accepted value up to the period meets the next
    milestone, indicators judged)."""
    from planwatch.plans.models import Indicator
    from planwatch.reporting.models import IndicatorValue

    from .selectors import _targets
    from .status import meets

    latest: dict[tuple[int, int], Decimal] = {}
    for org_id, ind_id, value, num, den in (
        IndicatorValue.objects.filter(
            report__status="accepted", report__org__path__startswith=root.path, indicator__is_group=False,
            report__period__end__lte=upto_end,
        ).order_by("report__period__end").values_list("report__org_id", "indicator_id", "value", "numerator", "denominator")
    ):  # fmt: skip
        if value is None and num is not None and den:
            value = ratio_percent(num, den)
        if value is not None:
            latest[(org_id, ind_id)] = value
    ind_ids = {i for _, i in latest}
    targets = _targets(ind_ids)
    direction = dict(Indicator.objects.filter(pk__in=ind_ids).values_list("id", "direction"))
    out: dict[int, list[int]] = {}
    for (org_id, ind_id), value in latest.items():
        years = [y for y in sorted(targets.get(ind_id, {})) if y >= on.year and targets[ind_id][y].is_numeric]
        if not years:
            continue
        ok = meets(targets[ind_id][years[0]], direction[ind_id], value)
        if ok is None:
            continue
        got = out.setdefault(org_id, [0, 0])
        got[1] += 1
        got[0] += bool(ok)
    return {k: (v[0], v[1]) for k, v in out.items()}


def judged_on(root, month_end, today):
    """The day a period's ranking is judged: the day after its report was due (or today)."""
    from datetime import timedelta

    from planwatch.reporting.models import ReportingPeriod

    from .selectors import states_under

    plans = states_under(root).values("plan_id").distinct()
    due = (
        ReportingPeriod.objects.filter(plan_id__in=plans, end=month_end).exclude(kind="ad_hoc")
        .order_by("-due_date").values_list("due_date", flat=True).first()
    )  # fmt: skip
    return min(today, (due or month_end) + timedelta(days=1))


def periods_counted(root, month_end, today) -> int:
    """How many due periods the reporting score of that ranking looks at: per plan the due
    periods so far, at most MAX_PERIODS; the largest over the plans of the subtree."""
    from django.db.models import Count

    from planwatch.reporting.models import ReportingPeriod

    from .selectors import states_under

    on = judged_on(root, month_end, today)
    plans = states_under(root).values("plan_id").distinct()
    per_plan = (
        ReportingPeriod.objects.filter(plan_id__in=plans, due_date__lt=on).exclude(kind="ad_hoc")
        .values("plan_id").annotate(n=Count("id")).order_by().values_list("n", flat=True)
    )  # fmt: skip
    return min(MAX_PERIODS, max(per_plan, default=0))


def is_ranked(org) -> bool:
    """Only real reporting units are ranked: a collective named in a plan ("Các Trường Đại
    học, cơ sở nghiên cứu trên địa bàn tỉnh", kind GROUP) is not one unit that answers."""
    from planwatch.orgs.models import OrgKind

    return org.kind != OrgKind.GROUP


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


def rank_units(root, month_end, today) -> list[RankRow]:
    """The ranking of the units under `root` for the period ending `month_end`, judged the day
    after that period's report was due (or today, if earlier): tasks from the reports up to the
    period, reporting timeliness over the last (at most MAX_PERIODS) due periods up to it,
    indicators likewise. Equal scores share a rank; collectives (kind GROUP) are not ranked."""
    from .selectors import reporting_by_unit

    on = judged_on(root, month_end, today)
    statuses = _task_statuses_as_of(root, month_end, on)
    reporting = reporting_by_unit(root, on)
    inds = _indicator_scores(root, month_end, on)
    rows = []
    for org_id, u in reporting.items():
        if not is_ranked(u.org):
            continue
        met, judged = inds.get(org_id, (0, 0))
        tasks = statuses.get(org_id, {})
        sc = score(task_statuses=tasks, on_time=u.on_time, late=u.late, missing=u.missing, ind_met=met, ind_total=judged)
        rows.append(RankRow(u.org, sc, u, tasks, (met, judged)))
    rows.sort(key=lambda r: (-r.score.total, r.org.name))
    return assign_ranks(rows)
