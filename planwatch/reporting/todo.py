"""“Việc cần làm”: what each person has to do in reporting, read in a few queries.

- a unit's people (reporter, approver): the reports to write for every open or overdue
  period, the reports returned to them with the reason (by the standing agency, or sent back
  by the head of unit), and for the head the drafts waiting to be checked and sent;
- the standing agency (supervisor, admin): the queue of sent reports waiting for acceptance
  (counts by plan, period and kind of unit; `accept_queue` filters it) and the pending
  "Không thuộc phạm vi" requests (reporting.periods.relief_pending, when present).

Leaders' warnings come from monitoring (which depends on reporting, not the reverse): the
home view adds them. Pure reads; every write stays in services.py."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from planwatch.lib.text import user_full_name
from planwatch.orgs.access import is_admin, roles_over, scopes_for
from planwatch.orgs.models import Organisation, OrgKind, Role

from .models import ReportEvent, ReportingPeriod, ReportStatus, UnitReport
from .selectors import expected_units, plans_of_unit

# Workflow transitions that leave a reason for the unit (the comment is required for both).
RETURN_ACTIONS = {"returned": "Cơ quan thường trực trả lại", "sent_back": "Lãnh đạo đơn vị chuyển lại"}
TRANSITIONS = {"submitted", "returned", "accepted", "sent_back"}


@dataclass
class ReturnNote:
    """Why a report came back to the unit: the latest transition was a return (status bị trả
    lại) or the head of unit sending the draft back to the officer."""

    kind: str  # "returned" | "sent_back"
    comment: str
    actor_name: str
    at: datetime

    @property
    def who(self) -> str:
        return RETURN_ACTIONS[self.kind]

    @property
    def title(self) -> str:
        return "Báo cáo bị trả lại" if self.kind == "returned" else "Báo cáo được chuyển lại để hoàn thiện"


def return_notes(reports) -> dict[int, ReturnNote]:
    """report id → ReturnNote for those of `reports` whose latest workflow transition gave
    them back to the unit (one query). A report sent again, accepted or withdrawn has none."""
    reports = [r for r in reports if r.status in (ReportStatus.RETURNED, ReportStatus.DRAFT)]
    if not reports:
        return {}
    status = {r.pk: r.status for r in reports}
    events = (
        ReportEvent.objects.filter(report_id__in=list(status))
        .filter(Q(action__in=TRANSITIONS) | (~Q(from_status=F("to_status")) & ~Q(from_status="")))
        .select_related("actor")
        .order_by("report_id", "at", "pk")
    )
    last: dict[int, ReportEvent] = {}
    for e in events:
        last[e.report_id] = e
    notes = {}
    for rid, e in last.items():
        if e.action == "returned" and status[rid] == ReportStatus.RETURNED or e.action == "sent_back":
            notes[rid] = ReturnNote(e.action, e.comment, user_full_name(e.actor), e.at)
    return notes


def return_note(report: UnitReport) -> ReturnNote | None:
    return return_notes([report]).get(report.pk)


# ------------------------------------------------------------------ a unit's reports


@dataclass
class ReportItem:
    """One report a unit has to act on: the period, the unit, its report (None: not opened
    yet), whether it is overdue, and why it came back (if it did)."""

    period: ReportingPeriod
    org: Organisation
    report: UnitReport | None
    today: date
    note: ReturnNote | None = None

    @property
    def overdue(self) -> bool:
        return self.period.due_date < self.today

    @property
    def days_late(self) -> int:
        return max(0, (self.today - self.period.due_date).days)

    @property
    def days_left(self) -> int:
        return max(0, (self.period.due_date - self.today).days)

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else "chưa lập"


def reporting_units(user) -> list[tuple[Organisation, set[str]]]:
    """The units the user reports for (reporter/approver memberships), with the roles held
    over each, in membership order."""
    ids: list[int] = []
    for s in scopes_for(user):
        if s.role in (Role.REPORTER, Role.APPROVER) and s.org_id not in ids:
            ids.append(s.org_id)
    orgs = Organisation.objects.in_bulk(ids)
    return [(orgs[i], roles_over(user, orgs[i])) for i in ids if i in orgs]


def reportable_periods(org: Organisation, today: date | None = None) -> list[ReportingPeriod]:
    """Every period the unit must report on that has started (open or overdue). PERIODS'
    `periods.reportable_periods` is the rule when it exists; this is the same reading
    (periods started, of the plans the unit takes part in, the unit expected then)."""
    try:
        from .periods import reportable_periods as rule
    except ImportError:
        rule = None
    if rule is not None:
        out = []
        for p in rule(org, today):
            p = getattr(p, "period", p)
            if isinstance(p, ReportingPeriod):
                out.append(p)
        return out
    today = today or timezone.localdate()
    periods = ReportingPeriod.objects.filter(plan__in=plans_of_unit(org).values("pk"), start__lte=today)
    return [
        p for p in periods.select_related("plan__document", "plan__owner")
        if expected_units(p.plan, period=p).filter(pk=org.pk).exists()
    ]  # fmt: skip


def unit_items(org: Organisation, today: date | None = None) -> list[ReportItem]:
    """The unit's reports still to be sent: one item per reportable period whose report is
    missing, a draft or returned, plus any returned report of another period; overdue first
    (the oldest first), then by due date."""
    today = today or timezone.localdate()
    periods = {p.pk: p for p in reportable_periods(org, today)}
    reports = {
        r.period_id: r
        for r in UnitReport.objects.filter(org=org)
        .filter(Q(period_id__in=list(periods)) | Q(status=ReportStatus.RETURNED))
        .select_related("period__plan__document", "period__plan__owner", "org")
    }
    for r in reports.values():
        periods.setdefault(r.period_id, r.period)
    notes = return_notes(list(reports.values()))
    items = []
    for pk, period in periods.items():
        r = reports.get(pk)
        if r is not None and r.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
            continue
        items.append(ReportItem(period, org, r, today, notes.get(r.pk) if r else None))
    items.sort(key=lambda i: (not i.overdue, i.period.due_date, i.period.end, i.period.plan.code))
    return items


# ------------------------------------------------------------------ the acceptance queue


def review_scope(user) -> Q | None:
    """Reports the user may accept, as a filter on UnitReport (the services check the same
    roles over the report's unit); None for people who accept nothing."""
    if is_admin(user):
        return Q()
    paths = [s.scope_path for s in scopes_for(user) if s.role == Role.SUPERVISOR]
    if not paths:
        return None
    q = Q()
    for p in paths:
        q |= Q(org__path__startswith=p)
    return q


def accept_queue(user, *, plan: int | None = None, period: int | None = None, kind: str | None = None) -> QuerySet[UnitReport]:
    """Sent reports waiting for the user's acceptance, oldest period first, then in the order
    they were sent (first come, first served). Empty for people who accept nothing."""
    scope = review_scope(user)
    if scope is None:
        return UnitReport.objects.none()
    qs = UnitReport.objects.filter(scope, status=ReportStatus.SUBMITTED)
    if plan:
        qs = qs.filter(period__plan_id=plan)
    if period:
        qs = qs.filter(period_id=period)
    if kind:
        qs = qs.filter(org__kind=kind)
    return qs.select_related("period__plan__document", "period__plan__owner", "org").order_by(
        "period__end", "period_id", "submitted_at", "pk"
    )


@dataclass
class QueueCounts:
    """How many reports wait, in total and by plan / period / kind of unit. Each dimension is
    counted with the other two filters applied, so every number is what choosing it gives."""

    total: int
    plans: list[tuple[object, int]] = field(default_factory=list)  # (Plan, n)
    periods: list[tuple[ReportingPeriod, int]] = field(default_factory=list)
    kinds: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, label, n)


def queue_counts(user, *, plan: int | None = None, period: int | None = None, kind: str | None = None) -> QueueCounts:
    from planwatch.plans.models import Plan

    total = accept_queue(user, plan=plan, period=period, kind=kind).count()
    by_plan = Counter(
        dict(accept_queue(user, period=period, kind=kind).order_by().values_list("period__plan").annotate(n=Count("pk")))
    )
    by_period = Counter(
        dict(accept_queue(user, plan=plan, kind=kind).order_by().values_list("period").annotate(n=Count("pk")))
    )
    by_kind = Counter(dict(accept_queue(user, plan=plan, period=period).order_by().values_list("org__kind").annotate(n=Count("pk"))))
    plans = Plan.objects.select_related("document", "owner").in_bulk(list(by_plan))
    periods = ReportingPeriod.objects.select_related("plan__document").in_bulk(list(by_period))
    labels = dict(OrgKind.choices)
    from planwatch.orgs.ordering import KIND_ORDER

    rank = {k.value: i for i, k in enumerate(KIND_ORDER)}
    return QueueCounts(
        total=total,
        plans=sorted(((plans[k], n) for k, n in by_plan.items() if k in plans), key=lambda x: (x[0].owner.depth, x[0].code)),
        periods=sorted(((periods[k], n) for k, n in by_period.items() if k in periods), key=lambda x: (x[0].end, x[0].pk)),
        kinds=sorted(((k, labels.get(k, k), n) for k, n in by_kind.items()), key=lambda x: rank.get(x[0], 99)),
    )


# ------------------------------------------------------------------ everything for one person


def relief_pending_for(user):
    """Pending "Không thuộc phạm vi" requests the user may decide (PERIODS' rule), or None
    while that rule does not exist."""
    try:
        from .periods import relief_pending
    except ImportError:
        return None
    return relief_pending(user)


def todo_for(user, *, today: date | None = None) -> dict:
    """The sections of the user's “Việc cần làm”:

    - "to_write": ReportItems to open or fill (missing or draft) of the user's units;
    - "returned": ReportItems given back to the unit, each with its ReturnNote;
    - "to_approve": drafts waiting for the head of unit to check and send (approvers; a draft
      the head sent back to the officer stays here for the head, with the head's comment);
    - "to_accept": QueueCounts of the acceptance queue (reviewers), else None;
    - "relief": pending relief requests (a queryset or list), else None;
    - "units": the user's reporting units; "total": the number of items to act on.
    """
    today = today or timezone.localdate()
    to_write: list[ReportItem] = []
    returned: list[ReportItem] = []
    to_approve: list[ReportItem] = []
    units = reporting_units(user)
    for org, roles in units:
        approver = Role.APPROVER in roles
        officer = Role.REPORTER in roles
        for item in unit_items(org, today):
            if approver and not officer and item.note is not None and item.note.kind == "sent_back":
                # The head sent it back to the officer: for the head it waits to be checked again.
                to_approve.append(item)
            elif item.note is not None or (item.report and item.report.status == ReportStatus.RETURNED):
                returned.append(item)
            elif approver and item.report is not None:
                to_approve.append(item)
            else:
                to_write.append(item)
    to_accept = queue_counts(user) if review_scope(user) is not None else None
    relief = relief_pending_for(user) if to_accept is not None else None
    relief_list = list(relief) if relief is not None else None
    total = len(to_write) + len(returned) + len(to_approve) + (to_accept.total if to_accept else 0) + len(relief_list or [])
    return {
        "units": [o for o, _ in units], "to_write": to_write, "returned": returned, "to_approve": to_approve,
        "to_accept": to_accept, "relief": relief_list, "total": total, "today": today,
    }  # fmt: skip
