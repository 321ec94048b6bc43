"""Read-side queries for plans (used by the web UI, the API and exports)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet

from planwatch.lib.agencies import agency_core_key, agency_key
from planwatch.lib.deadlines import DeadlineKind, DeadlineSpec
from planwatch.lib.text import nfc, search_key
from planwatch.orgs.models import Organisation
from planwatch.orgs.ordering import kind_then_name_key, sort_name, sorted_by_kind_then_name

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


def plan_agencies(plan: Plan) -> list[Organisation]:
    """Organisations that lead/coordinate a task or are responsible for an indicator, by kind
    and then in Vietnamese alphabetical order (orgs.ordering)."""
    ids = set(Assignment.objects.filter(task__plan=plan).values_list("org_id", flat=True))
    ids |= set(Indicator.responsible.through.objects.filter(indicator__plan=plan).values_list("organisation_id", flat=True))
    return sorted_by_kind_then_name(Organisation.objects.filter(pk__in=ids))


def assignments_of(org: Organisation) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(org=org)
        .select_related("task__plan", "task__group")
        .order_by("task__plan__code", "task__position", "role")
    )


# --- Search ---------------------------------------------------------------------------------------
# Accent-insensitive ("chuyen doi so" finds "chuyển đổi số"), on whole words, ranked:
#   0 the whole text is the query (an organisation's name, short name or alias, with or without
#     "Xã"/"Phường", abbreviations such as "Sở KH&CN" expanded as the AgencyResolver does);
#   1 the query occurs as a phrase (its words together, in order);
#   2 every word of the query occurs as a whole word, anywhere;
#   3 every word opens a word ("chuyen do" → "chuyển đổi"): only when nothing matched better, so
#     "cong an" does not list every "công nghệ … an toàn".
# Within a rank, text that also matches the query's own diacritics comes first.
EXACT, PHRASE, ALL_WORDS, PREFIXES = 0, 1, 2, 3
_WORD = re.compile(r"\w+")
CANDIDATE_CAP = 5000
_DIVIDERS = {
    ALL_WORDS: "Có đủ các từ nhưng không liền nhau:",
    PREFIXES: "Không có từ nào khớp trọn; các kết quả có từ bắt đầu bằng những gì đã gõ:",
}


def _words(key: str) -> list[str]:
    return _WORD.findall(key)


def _has_run(words: list[str], run: list[str]) -> bool:
    n = len(run)
    return any(words[i : i + n] == run for i in range(len(words) - n + 1))


def _tier(query_words: list[str], text_words: list[str]) -> int | None:
    if not query_words:
        return None
    if text_words == query_words:
        return EXACT
    if _has_run(text_words, query_words):
        return PHRASE
    present = set(text_words)
    if all(w in present for w in query_words):
        return ALL_WORDS
    if all(any(t.startswith(w) for t in text_words) for w in query_words):
        return PREFIXES
    return None


@dataclass
class _Query:
    raw: str
    words: list[str]  # accent-free
    accented: list[str]  # as typed (NFC, case-folded), to prefer exact diacritics
    agency_variants: list[list[str]]  # agency_key / agency_core_key words ("Sở KH&CN" expanded)

    @classmethod
    def parse(cls, raw: str) -> "_Query":
        variants = [_words(agency_key(raw)), _words(agency_core_key(raw))]
        return cls(raw, _words(search_key(raw)), _WORD.findall(nfc(raw).casefold()), [v for v in variants if v])

    def rank(self, texts: list[str], *, agency: bool = False) -> tuple[int, int] | None:
        """(tier, 0 if the diacritics as typed match too) of the best of `texts`, or None."""
        best: tuple[int, int] | None = None
        for text in texts:
            if not text:
                continue
            variants = [self.words] + (self.agency_variants if agency else [])
            keys = [_words(search_key(text))] + ([_words(agency_key(text)), _words(agency_core_key(text))] if agency else [])
            tiers = [t for q in variants for k in keys if (t := _tier(q, k)) is not None]
            if not tiers:
                continue
            tier = min(tiers)
            accent_miss = 0 if self.accented != self.words and _tier(self.accented, _WORD.findall(nfc(text).casefold())) in (
                EXACT, PHRASE) else 1
            cand = (tier, accent_miss)
            best = cand if best is None or cand < best else best
        return best


@dataclass
class SearchResults:
    query: str
    plans: list
    indicators: list
    tasks: list
    orgs: list
    totals: dict = field(default_factory=dict)  # matches per category before the limit

    @property
    def total(self) -> int:
        return sum(self.totals.values()) if self.totals else (
            len(self.plans) + len(self.indicators) + len(self.tasks) + len(self.orgs))


def _org_texts(o: Organisation) -> list[str]:
    return [o.name, o.short_name, sort_name(o.name)] + [a.alias for a in o.aliases.all()]


def search(query: str, *, limit: int = 50) -> SearchResults:
    """Plans, indicators, tasks and organisations matching `query`, best first (see above)."""
    q = _Query.parse(query)
    if not q.words:
        return SearchResults(query, [], [], [], [])

    def contains_all(field_name: str, words: list[str]) -> Q:
        cond = Q()
        for w in words:
            cond &= Q(**{f"{field_name}__contains": w})
        return cond

    org_filter = contains_all("search_key", q.words)
    for v in q.agency_variants:
        org_filter |= contains_all("search_key", v) | contains_all("aliases__key", v)
    found = {
        "plans": ([(p, q.rank([p.name])) for p in Plan.objects.select_related("owner", "document")], lambda p: p.code),
        "indicators": (
            [(i, q.rank([i.name])) for i in Indicator.objects.filter(contains_all("search_key", q.words), is_group=False)
             .select_related("plan__document").order_by("plan__owner__depth", "plan__code", "position")[:CANDIDATE_CAP]],
            None,
        ),
        "tasks": (
            [(t, q.rank([t.name])) for t in Task.objects.filter(contains_all("search_key", q.words))
             .select_related("plan__document", "group").order_by("plan__owner__depth", "plan__code", "position")[:CANDIDATE_CAP]],
            None,
        ),
        "orgs": (
            [(o, q.rank(_org_texts(o), agency=True))
             for o in Organisation.objects.filter(org_filter).distinct().prefetch_related("aliases")[:CANDIDATE_CAP]],
            lambda o: (not o.is_active(), kind_then_name_key(o)),
        ),
    }
    matched = {k: [(obj, r) for obj, r in rows if r is not None] for k, (rows, _) in found.items()}
    # Words that only open other words are a fallback for a query typed in part.
    if any(r[0] < PREFIXES for rows in matched.values() for _, r in rows):
        matched = {k: [(obj, r) for obj, r in rows if r[0] < PREFIXES] for k, rows in matched.items()}
    out: dict[str, list] = {}
    for k, rows in matched.items():
        natural = found[k][1]
        order = {id(obj): n for n, (obj, _) in enumerate(rows)}
        rows.sort(key=lambda x: (x[1], natural(x[0]) if natural else order[id(x[0])]))
        previous = None
        for obj, r in rows:
            obj.search_tier = r[0]
            obj.search_divider = _DIVIDERS.get(r[0], "") if r[0] != previous and r[0] >= ALL_WORDS else ""
            previous = r[0]
        out[k] = [obj for obj, _ in rows]
    return SearchResults(
        query, out["plans"][:limit], out["indicators"][:limit], out["tasks"][:limit], out["orgs"][:limit],
        totals={k: len(v) for k, v in out.items()},
    )


# --- the deadline and lead that governed a given day -----------------------------------


@dataclass(frozen=True)
class TaskTermView:
    """The deadline and lead of a task as they stood on one day (from a TaskTerm kept by an
    amendment, or the task's own values when no earlier term covers that day)."""

    task_id: int
    deadline_raw: str
    deadline_spec: dict
    deadline_due: date | None
    lead_text: list
    valid_from: date | None
    valid_to: date | None  # None: still in force
    current: bool

    @property
    def deadline(self) -> DeadlineSpec:
        return DeadlineSpec.from_stored(self.deadline_spec)


def task_terms_as_of(task_ids, day: date) -> dict[int, TaskTermView]:
    """For each task id: its deadline and lead in force on `day`. Two queries whatever the
    number of tasks; a report on an old period is judged by that period's deadline."""
    from .models import TaskTerm

    ids = list(task_ids)
    out: dict[int, TaskTermView] = {}
    terms = (
        TaskTerm.objects.filter(task_id__in=ids, valid_to__gte=day)
        .filter(Q(valid_from=None) | Q(valid_from__lte=day))
        .order_by("task_id", "valid_to")
    )
    for t in terms:
        out.setdefault(t.task_id, TaskTermView(
            t.task_id, t.deadline_raw, t.deadline_spec, t.deadline_due, list(t.lead_text or []),
            t.valid_from, t.valid_to, False,
        ))
    missing = [i for i in ids if i not in out]
    if missing:
        last_end = {}
        for task_id, valid_to in TaskTerm.objects.filter(task_id__in=missing).values_list("task_id", "valid_to"):
            last_end[task_id] = max(valid_to, last_end.get(task_id, valid_to))
        for t in Task.objects.filter(pk__in=missing).only("pk", "deadline_raw", "deadline_spec", "deadline_due", "lead_text"):
            start = last_end[t.pk] + timedelta(days=1) if t.pk in last_end else None
            out[t.pk] = TaskTermView(t.pk, t.deadline_raw, t.deadline_spec, t.deadline_due, list(t.lead_text or []),
                                     start, None, True)
    return out


def deadline_as_of(task: Task, day: date) -> DeadlineSpec:
    """The deadline that governed `day` for this task."""
    term = task_terms_as_of([task.pk], day).get(task.pk)
    return term.deadline if term is not None else task.deadline
