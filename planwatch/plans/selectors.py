"""Read-side queries for plans (used by the web UI, the API and exports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from planwatch.lib.deadlines import DeadlineKind
from planwatch.lib.text import search_key
from planwatch.orgs.models import Organisation

from .models import Assignment, Indicator, IndicatorTarget, Plan, Task, TaskGroup

RECURRING_KINDS = (DeadlineKind.RECURRING.value, DeadlineKind.YEARLY.value, DeadlineKind.FROM_YEAR.value)


def indicators_for(plan: Plan, *, agency: Organisation | None = None) -> QuerySet[Indicator]:
    qs = (
        plan.indicators.select_related("parent", "aligned_to__plan")
        .prefetch_related(Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")), "responsible")
        .order_by("position")
    )
    if agency is not None:
        # Keep the group rows of matching indicators so the table still reads as printed.
        ids = set(qs.filter(responsible=agency).values_list("pk", flat=True))
        parents = set(qs.filter(pk__in=ids).exclude(parent=None).values_list("parent_id", flat=True))
        qs = qs.filter(pk__in=ids | parents)
    return qs


@dataclass(frozen=True)
class TaskFilter:
    agency: Organisation | None = None
    due_before: date | None = None
    due_year: int | None = None
    recurring: bool = False


def tasks_for(plan: Plan, f: TaskFilter = TaskFilter()) -> QuerySet[Task]:
    qs = plan.tasks.select_related("group").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.select_related("org").order_by("role", "org__path"))
    ).order_by("position")
    if f.agency is not None:
        qs = qs.filter(assignments__org=f.agency).distinct()
    if f.recurring:
        qs = qs.filter(deadline_kind__in=RECURRING_KINDS)
    if f.due_before is not None:
        qs = qs.filter(deadline_due__lte=f.due_before)
    if f.due_year is not None:
        qs = qs.filter(deadline_due__year=f.due_year)
    return qs


def grouped_tasks(plan: Plan, tasks) -> list[tuple[TaskGroup | None, list[Task]]]:
    groups = list(plan.task_groups.order_by("position"))
    by_group: dict[int | None, list[Task]] = {}
    for t in tasks:
        by_group.setdefault(t.group_id, []).append(t)
    out = [(g, by_group[g.pk]) for g in groups if g.pk in by_group]
    if None in by_group:
        out.append((None, by_group[None]))
    return out


def plan_agencies(plan: Plan) -> QuerySet[Organisation]:
    """Organisations that lead/coordinate a task or are responsible for an indicator."""
    return Organisation.objects.filter(
        Q(assignments__task__plan=plan) | Q(indicators__plan=plan)
    ).distinct().order_by("kind", "name")


def assignments_of(org: Organisation) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(org=org)
        .select_related("task__plan", "task__group")
        .order_by("task__plan__code", "task__position", "role")
    )


@dataclass
class SearchResults:
    query: str
    plans: list
    indicators: list
    tasks: list
    orgs: list

    @property
    def total(self) -> int:
        return len(self.plans) + len(self.indicators) + len(self.tasks) + len(self.orgs)


def search(query: str, *, limit: int = 50) -> SearchResults:
    """Accent-insensitive search: "chuyen doi so" finds "chuyển đổi số". Every word must
    occur (in any order) in the accent-free key."""
    words = search_key(query).split()
    if not words:
        return SearchResults(query, [], [], [], [])

    def match(field: str) -> Q:
        q = Q()
        for w in words:
            q &= Q(**{f"{field}__contains": w})
        return q

    plans = [p for p in Plan.objects.select_related("owner") if all(w in search_key(p.name) for w in words)]
    return SearchResults(
        query,
        plans[:limit],
        list(Indicator.objects.filter(match("search_key"), is_group=False).select_related("plan")[:limit]),
        list(Task.objects.filter(match("search_key")).select_related("plan", "group")[:limit]),
        list(Organisation.objects.filter(match("search_key"))[:limit]),
    )
