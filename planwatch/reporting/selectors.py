"""Read-side queries for reporting (used by the UI, services, monitoring and exports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from planwatch.lib.text import user_full_name
from planwatch.orgs.models import Organisation, OrgKind, active_during
from planwatch.plans.models import Assignment, Indicator, Plan, Task

from .models import ReportEvent, ReportingPeriod, ReportStatus, UnitReport


def expected_units(plan: Plan, root: Organisation | None = None, *, period=None, on: date | None = None) -> QuerySet[Organisation]:
    """Units that must report on `plan`: existing during `period` (or on the day `on`, default
    today) and, during it, holding an assignment of a task not yet retired or answering for an
    indicator not yet retired (monitoring.selectors.expected_pairs is the same rule on a day)."""
    if period is not None:
        start, end = period.start, period.end
    else:
        start = end = on or timezone.localdate()
    qs = Organisation.objects.filter(
        Q(assignments__task__plan=plan) & assignment_during(start, end, "assignments__")
        | Q(indicators__plan=plan, indicators__is_group=False)
        & (Q(indicators__retired_on__isnull=True) | Q(indicators__retired_on__gt=start))
    ).filter(active_during(start, end))
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    return Organisation.objects.filter(pk__in=qs.values("pk")).order_by("path")


def assignment_during(start: date, end: date, prefix: str = "") -> Q:
    """Assignments that hold for at least part of [start, end] (valid_from..valid_to, both days
    included) of a task not retired by `start`. `prefix`: the path from another model, e.g.
    "assignments__" from Organisation."""
    return (
        (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": end}))
        & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": start}))
        & (Q(**{f"{prefix}task__retired_on__isnull": True}) | Q(**{f"{prefix}task__retired_on__gt": start}))
    )


def tasks_of_unit(plan: Plan, org: Organisation, period=None) -> list[Task]:
    """The unit's tasks of the plan (during `period` when given: assignments that hold then, of
    tasks not retired by its start)."""
    asg = Assignment.objects.filter(task__plan=plan, org=org)
    if period is not None:
        asg = asg.filter(assignment_during(period.start, period.end))
    return list(Task.objects.filter(pk__in=asg.values("task_id")).select_related("group").order_by("position"))


def indicators_of_unit(plan: Plan, org: Organisation, period=None) -> list[Indicator]:
    qs = plan.indicators.filter(is_group=False, responsible=org)
    if period is not None:
        qs = qs.filter(Q(retired_on__isnull=True) | Q(retired_on__gt=period.start))
    return list(qs.order_by("position"))


def plans_of_unit(org: Organisation) -> QuerySet[Plan]:
    return Plan.objects.filter(
        Q(tasks__assignments__org=org) | Q(indicators__responsible=org)
    ).distinct().order_by("owner__depth", "code")


def current_period(plan: Plan, *, today: date | None = None) -> ReportingPeriod | None:
    """The latest opened period that has started (the one units are working on)."""
    today = today or timezone.localdate()
    return plan.periods.filter(start__lte=today).order_by("-end", "-pk").first()


@dataclass
class UnitStatusRow:
    org: Organisation
    report: UnitReport | None
    last_reminder: datetime | None

    @property
    def status(self) -> str:
        return self.report.status if self.report else "missing"

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else "chưa lập báo cáo"

    @property
    def submitted(self) -> bool:
        return bool(self.report and self.report.submitted_at)

    @property
    def late(self) -> bool | None:
        return self.report.is_late if self.report else None


_KIND_ORDER = {k: i for i, k in enumerate(OrgKind.values)}


def unit_sort_key(org: Organisation) -> tuple:
    """Units by kind (departments together, communes together, wards together) then by name."""
    return (_KIND_ORDER.get(org.kind, len(_KIND_ORDER)), org.search_key or org.name, org.name)


def period_status(period: ReportingPeriod, root: Organisation) -> list[UnitStatusRow]:
    """Every expected unit of the subtree with its report (or none) and last reminder,
    sorted by unit kind then name."""
    orgs = sorted(expected_units(period.plan, root, period=period), key=unit_sort_key)
    reports = {
        r.org_id: r
        for r in UnitReport.objects.filter(period=period, org__path__startswith=root.path).select_related("period")
    }
    from .notices import last_reminders  # really told: a notification or an e-mail to an address

    reminders: dict[int, datetime] = last_reminders(period)
    return [UnitStatusRow(o, reports.get(o.pk), reminders.get(o.pk)) for o in orgs]


def status_counts(rows: list[UnitStatusRow], due_date: date) -> dict[str, int]:
    counts = {"expected": len(rows), "on_time": 0, "late": 0, "not_submitted": 0, "accepted": 0, "returned": 0}
    for r in rows:
        if r.submitted and r.report.status != ReportStatus.RETURNED:
            counts["late" if r.late else "on_time"] += 1
        else:
            counts["not_submitted"] += 1
        if r.report and r.report.status == ReportStatus.ACCEPTED:
            counts["accepted"] += 1
        if r.report and r.report.status == ReportStatus.RETURNED:
            counts["returned"] += 1
    return counts


def previous_report(report_period: ReportingPeriod, org: Organisation) -> UnitReport | None:
    return (
        UnitReport.objects.filter(period__plan=report_period.plan, org=org, period__end__lt=report_period.end)
        .order_by("-period__end", "-pk")
        .first()
    )


# What each recorded action is called in the report's history.
EVENT_ACTIONS = {
    "created": "Lập báo cáo",
    "submitted": "Gửi báo cáo",
    "returned": "Trả lại báo cáo",
    "accepted": "Tiếp nhận báo cáo",
    "sent_back": "Chuyển lại cho cán bộ",
    "evidence_added": "Thêm minh chứng",
    "evidence_deleted": "Xóa minh chứng",
    "evidence_restored": "Khôi phục minh chứng đã xóa",
    "submit_withdrawn": "Rút lại báo cáo đã gửi",
    "accept_undone": "Hủy tiếp nhận báo cáo",
    "imported": "Nhập từ văn bản",
    "xlsx_uploaded": "Tải lên tệp Excel đã điền",
}


def _status_word(status: str) -> str:
    return ReportStatus(status).label if status in ReportStatus.values else status


@dataclass
class HistoryRow:
    event: ReportEvent
    action_label: str  # "Gửi báo cáo"
    status_change: str  # "nháp → đã gửi"; the status alone when the report was created; "" if unchanged
    actor_name: str  # "Trần Văn Hùng" (family name first), "" when the system acted


def report_history(report: UnitReport) -> list[HistoryRow]:
    """The report's audit trail in words people use: action, status change, who."""
    rows = []
    for e in report.events.select_related("actor").order_by("at", "pk"):
        if e.from_status and e.to_status and e.from_status != e.to_status:
            change = f"{_status_word(e.from_status)} → {_status_word(e.to_status)}"
        elif not e.from_status and e.to_status:
            change = _status_word(e.to_status)
        else:
            change = ""
        actor = user_full_name(e.actor)
        rows.append(HistoryRow(e, EVENT_ACTIONS.get(e.action, e.action), change, actor))
    return rows
