"""Consolidation of a subtree's unit reports for one period into one table, with the
columns of the progress report units send today (seed 002): TT, tên nhiệm vụ, cơ quan chủ
trì, kết quả yêu cầu, thời hạn, kết quả đến ngày, dự kiến kỳ tới, vướng mắc – kiến nghị.

Which reports count: by default those sent to the standing agency (đã gửi) or accepted
(đã tiếp nhận); drafts and returned reports never count. `accepted_only=True` restricts to
accepted reports. `accepted_only=False`, passed explicitly, keeps its old meaning for the
callers that ask for it (every report, drafts included).

Read-only and query-bounded: a fixed handful of queries whatever the number of units
(tasks + assignments, groups, reports + lines + values, indicators + responsible)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from planwatch.orgs.models import DEPARTMENT_KINDS, LOCALITY_KINDS, Organisation, OrgKind, active_during
from planwatch.plans.models import Aggregation, Assignment, Indicator, IndicatorKind, Task, TaskGroup

from .aggregation import UnitFigure, combine
from .models import IndicatorValue, ProgressStatus, ReportingPeriod, ReportStatus, TaskProgress, UnitReport
from .selectors import assignment_during


# Reports whose content is consolidated unless the caller says otherwise.
SENT_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def counted_statuses(accepted_only: bool | None) -> tuple[str, ...]:
    """The report statuses consolidated: None (the default) → đã gửi and đã tiếp nhận;
    True → đã tiếp nhận only; False (explicit, for callers that always passed it) → every report."""
    if accepted_only is None:
        return tuple(SENT_STATUSES)
    if accepted_only:
        return (ReportStatus.ACCEPTED,)
    return tuple(ReportStatus.values)


def counted_note(statuses: tuple[str, ...], n: int) -> str:
    """Which reports the figures come from, in words for the page."""
    words = " và ".join(f"“{ReportStatus(s).label}”" for s in statuses)
    left_out = [f"“{ReportStatus(s).label}”" for s in ReportStatus.values if s not in statuses]
    text = f"Số liệu và nội dung tổng hợp từ {n} báo cáo {words}"
    if left_out:
        text += "; không tính báo cáo " + ", ".join(left_out)
    return text + "."


@dataclass
class UnitLine:
    """One assigned unit's line for a task in a period."""

    org: Organisation
    report: UnitReport | None  # None = no counted report of the unit in this period
    status: str | None  # ProgressStatus value, None = not reported (or its report does not count)
    completed_on: date | None
    result_to_date: str
    expected_next: str
    obstacles: str
    report_status: str | None = None  # the unit's report status, counted or not; None = no report

    @property
    def status_label(self) -> str:
        """The unit's status word for the task, or why it has none."""
        if self.status:
            return ProgressStatus(self.status).label
        if self.report is not None:
            return "chưa báo cáo nhiệm vụ này"
        if self.report_status is None:
            return "chưa lập báo cáo"
        return f"chưa tính (báo cáo {ReportStatus(self.report_status).label})"


@dataclass
class TaskRow:
    task: Task
    lead_text: str
    lines: list[UnitLine]
    assigned: int
    reported: int
    done: int
    in_progress: int
    not_started: int
    summary: str
    result_to_date: str
    expected_next: str
    obstacles: str


@dataclass
class IndicatorRow:
    indicator: Indicator
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    contributors: int
    rule_label: str

    @property
    def is_ratio(self) -> bool:
        """A percentage or ratio (shown with two decimals), not a count."""
        ind = self.indicator
        return (
            ind.kind == IndicatorKind.RATIO
            or ind.aggregation == Aggregation.RATIO
            or (ind.unit or "").strip().startswith("%")
        )


@dataclass
class Consolidation:
    period: ReportingPeriod
    root: Organisation
    groups: list[tuple[TaskGroup | None, list[TaskRow]]]
    indicators: list[IndicatorRow]
    report_counts: dict[str, int]
    units_expected: int
    expected_orgs: list[Organisation] = field(default_factory=list)
    counted_statuses: tuple[str, ...] = SENT_STATUSES
    counted_reports: int = 0

    @property
    def counted_note(self) -> str:
        return counted_note(self.counted_statuses, self.counted_reports)

    @property
    def task_rows(self) -> list[TaskRow]:
        return [r for _, rows in self.groups for r in rows]


def kind_word(org: Organisation) -> str:
    """The word people count units by in a summary ("72/96 xã", "10/20 sở, ngành")."""
    if org.kind in LOCALITY_KINDS:
        return "xã"
    if org.kind in DEPARTMENT_KINDS or org.kind == OrgKind.DISTRICT_OFFICE:
        return "sở, ngành"
    return "cơ quan"


_KIND_ORDER = {"sở, ngành": 0, "xã": 1, "cơ quan": 2}


def _summary(lines: list[UnitLine]) -> str:
    total: Counter[str] = Counter()
    done: Counter[str] = Counter()
    for ln in lines:
        w = kind_word(ln.org)
        total[w] += 1
        if ln.status == ProgressStatus.DONE:
            done[w] += 1
    parts = [f"{done[w]}/{total[w]} {w} đã hoàn thành" for w in sorted(total, key=lambda w: _KIND_ORDER[w])]
    return "; ".join(parts)


def _joined(lines: list[UnitLine], attr: str) -> str:
    """A single unit's text as is; several units' texts as "Tên đơn vị: text" lines."""
    texts = [(ln.org, getattr(ln, attr)) for ln in lines if getattr(ln, attr)]
    if len(lines) == 1 and texts:
        return texts[0][1]
    return "\n".join(f"{org.name}: {text}" for org, text in texts)


def indicator_row(ind: Indicator, values: list[tuple[Organisation, IndicatorValue]]) -> IndicatorRow:
    """One indicator's consolidated figure from its units' values, by the indicator's own
    aggregation rule (also used by documents for the trend over earlier periods)."""
    agg = ind.aggregation
    responsible = sorted(ind.responsible.all(), key=lambda o: o.path)
    figures = [UnitFigure(o.pk, v.value, v.numerator, v.denominator) for o, v in values]
    c = combine(agg, figures, [o.pk for o in responsible])
    if agg == Aggregation.SUM:
        return IndicatorRow(ind, c.value, None, None, c.contributors, f"Cộng số liệu của {c.contributors} đơn vị")
    if agg == Aggregation.RATIO:
        if not c.contributors:
            return IndicatorRow(ind, None, None, None, 0, "Tỷ lệ = tổng tử số / tổng mẫu số × 100 (chưa có số liệu)")
        return IndicatorRow(
            ind, c.value, c.numerator, c.denominator, c.contributors,
            f"Tỷ lệ = tổng tử số / tổng mẫu số × 100 của {c.contributors} đơn vị",
        )  # fmt: skip
    # RESPONSIBLE and NONE: the figure of the responsible agency (or of the only unit that
    # reported when none is recorded), never added up.
    prefix = "Lấy số liệu của cơ quan chủ trì" if agg == Aggregation.RESPONSIBLE else "Không cộng dồn: lấy số liệu của cơ quan chủ trì"
    if c.source_org_id is None:
        return IndicatorRow(ind, None, None, None, 0, f"{prefix} (chưa có số liệu)")
    org = next(o for o, _ in values if o.pk == c.source_org_id)
    return IndicatorRow(ind, c.value, c.numerator, c.denominator, 1, f"{prefix} ({org.short_name or org.name})")


def consolidate(period: ReportingPeriod, root: Organisation, *, accepted_only: bool | None = None) -> Consolidation:
    """The consolidated table of `period` for `root`'s subtree. Counted reports: see
    counted_statuses() (default: đã gửi and đã tiếp nhận)."""
    plan = period.plan
    counted = counted_statuses(accepted_only)
    in_tree = {"org__path__startswith": root.path}

    tasks = list(
        Task.objects.filter(plan=plan)
        .select_related("group")
        .prefetch_related(
            Prefetch(
                "assignments",
                # The unit exists during the period and the assignment holds then (an ended one,
                # e.g. accepted "Không thuộc phạm vi", does not): selectors.expected_units' rule.
                queryset=Assignment.objects.filter(**in_tree).filter(active_during(period.start, period.end, "org__"))
                .filter(assignment_during(period.start, period.end))
                .select_related("org").order_by("org__path"),
                to_attr="tree_assignments",
            )
        )
        .order_by("position")
    )
    groups = list(TaskGroup.objects.filter(plan=plan).order_by("position"))
    indicators = list(
        Indicator.objects.filter(plan=plan, is_group=False).prefetch_related("responsible").order_by("position")
    )

    reports = list(
        UnitReport.objects.filter(period=period, **in_tree)
        .select_related("org")
        .prefetch_related(
            Prefetch("task_lines", queryset=TaskProgress.objects.all()),
            Prefetch("indicator_values", queryset=IndicatorValue.objects.all()),
        )
    )
    report_counts: dict[str, int] = {s: 0 for s in ReportStatus.values}
    for r in reports:
        report_counts[r.status] += 1
    used = [r for r in reports if r.status in counted]
    report_by_org = {r.org_id: r for r in used}
    status_by_org = {r.org_id: r.status for r in reports}
    line_by_key: dict[tuple[int, int], TaskProgress] = {}
    values_by_ind: dict[int, list[tuple[Organisation, IndicatorValue]]] = {}
    for r in used:
        for tl in r.task_lines.all():
            line_by_key[(r.org_id, tl.task_id)] = tl
        for iv in r.indicator_values.all():
            values_by_ind.setdefault(iv.indicator_id, []).append((r.org, iv))

    expected: dict[int, Organisation] = {}
    rows_by_group: dict[int | None, list[TaskRow]] = {}
    for task in tasks:
        seen: set[int] = set()
        lines: list[UnitLine] = []
        for a in task.tree_assignments:
            if a.org_id in seen:
                continue
            seen.add(a.org_id)
            expected[a.org_id] = a.org
            tl = line_by_key.get((a.org_id, task.pk))
            report = report_by_org.get(a.org_id)
            lines.append(
                UnitLine(
                    org=a.org,
                    report=report,
                    status=tl.status if tl else None,
                    completed_on=tl.completed_on if tl else None,
                    result_to_date=tl.result_to_date if tl else "",
                    expected_next=tl.expected_next if tl else "",
                    obstacles=tl.obstacles if tl else "",
                    report_status=status_by_org.get(a.org_id),
                )
            )
        statuses = Counter(ln.status for ln in lines)
        rows_by_group.setdefault(task.group_id, []).append(
            TaskRow(
                task=task,
                lead_text="; ".join(task.lead_text or []),
                lines=lines,
                assigned=len(lines),
                reported=sum(1 for ln in lines if ln.status),
                done=statuses[ProgressStatus.DONE],
                in_progress=statuses[ProgressStatus.IN_PROGRESS],
                not_started=statuses[ProgressStatus.NOT_STARTED],
                summary=_summary(lines),
                result_to_date=_joined(lines, "result_to_date"),
                expected_next=_joined(lines, "expected_next"),
                obstacles=_joined(lines, "obstacles"),
            )
        )

    for ind in indicators:
        for org in ind.responsible.all():
            if org.path.startswith(root.path) and org.is_active_during(period.start, period.end):
                expected.setdefault(org.pk, org)

    grouped: list[tuple[TaskGroup | None, list[TaskRow]]] = [
        (g, rows_by_group[g.pk]) for g in groups if g.pk in rows_by_group
    ]
    if None in rows_by_group:
        grouped.append((None, rows_by_group[None]))

    reported_orgs = {r.org_id for r in reports}
    report_counts["missing"] = sum(1 for pk in expected if pk not in reported_orgs)
    return Consolidation(
        period=period,
        root=root,
        groups=grouped,
        indicators=[indicator_row(i, values_by_ind.get(i.pk, [])) for i in indicators],
        report_counts=report_counts,
        units_expected=len(expected),
        expected_orgs=sorted(expected.values(), key=lambda o: o.path),
        counted_statuses=counted,
        counted_reports=len(used),
    )
