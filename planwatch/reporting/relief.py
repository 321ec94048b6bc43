""""Không thuộc phạm vi": a unit asks to be relieved of a task assigned to it that is not its
own (a commune given the Lý Sơn pilot model by "các địa phương"), with a reason; the plan's
standing agency accepts or refuses.

- Until accepted the task counts as it is (nothing else changes while a request waits).
- Accepted: the unit's assignments of the task end (plans.lifecycle.assignment_end) on the day
  before `relief_effective_from` (the first period it has not sent), so the unit stops being expected to report on the task
  everywhere: its report form, reporting.selectors.expected_units (and so every period page and
  the consolidated table) and monitoring (TaskState rows only count while the assignment holds;
  the receivers refresh them in the same transaction). Lines of the task are taken out of the
  unit's still-editable reports from that day; sent and accepted reports keep theirs (history).
- Every step is a service with a required actor, one transaction, a row lock, a ReportEvent on
  the report the request came from, and a notification (notifications.notify)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from planwatch.orgs.access import is_admin, roles_over, scopes_for
from planwatch.orgs.models import Organisation, Role
from planwatch.plans.models import Assignment, Task

from .access import EDIT_ROLES, REVIEW_ROLES, can_manage_plan
from .models import Evidence, ReliefRequest, ReliefStatus, ReportEvent, ReportStatus, TaskProgress, UnitReport
from .selectors import EVENT_ACTIONS
from .services import NotAllowed, ReportingError, WorkflowError, _record_revision

MIN_REASON = 10  # characters: "không phải" is not a reason

# The report's history ("Lịch sử") names these events in words (selectors.report_history).
RELIEF_EVENT_ACTIONS = {
    "relief_requested": "Đề nghị nhiệm vụ không thuộc phạm vi",
    "relief_accepted": "Chấp nhận nhiệm vụ không thuộc phạm vi",
    "relief_refused": "Không chấp nhận đề nghị không thuộc phạm vi",
}
EVENT_ACTIONS.update(RELIEF_EVENT_ACTIONS)


def _url(name: str, *args) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _notify(**kwargs) -> None:
    from planwatch.notifications.services import notify

    notify(**kwargs)


def open_assignments_of(task: Task, org: Organisation, today: date | None = None) -> QuerySet[Assignment]:
    """The unit's assignments of the task that still hold (or will): what a relief ends."""
    today = today or timezone.localdate()
    return Assignment.objects.filter(task=task, org=org).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))


def deciders(plan) -> list:
    """Who decides a request on a task of `plan`: the standing agency, i.e. the supervisors
    whose scope holds the plan's owner (reporting.access.can_manage_plan)."""
    from django.contrib.auth import get_user_model

    from planwatch.orgs.models import Membership

    owner_path = plan.owner.path
    ids = {
        m.user_id
        for m in Membership.objects.filter(role=Role.SUPERVISOR).select_related("scope")
        if owner_path.startswith(m.scope.path)
    }
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def relief_pending(user) -> QuerySet[ReliefRequest]:
    """Pending requests `user` may decide: on tasks of plans whose owner lies in a subtree the
    user supervises (admins: all). Oldest first."""
    qs = ReliefRequest.objects.filter(status=ReliefStatus.PENDING).select_related(
        "task__plan__document", "task__plan__owner", "org", "requested_by", "report__period"
    ).order_by("requested_at", "pk")  # fmt: skip
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_admin(user):
        return qs
    paths = {s.scope_path for s in scopes_for(user) if s.role in REVIEW_ROLES}
    if not paths:
        return qs.none()
    cond = Q()
    for p in paths:
        cond |= Q(task__plan__owner__path__startswith=p)
    return qs.filter(cond)


def relief_by_task(org, task_ids) -> dict[int, ReliefRequest]:
    """task id → the unit's (an Organisation or its id) latest request on it (any status), for
    the report page."""
    out: dict[int, ReliefRequest] = {}
    for r in ReliefRequest.objects.filter(org=org, task_id__in=list(task_ids)).select_related("decided_by").order_by(
        "requested_at", "pk"
    ):
        out[r.task_id] = r
    return out


def can_request(user, org: Organisation) -> bool:
    return bool(roles_over(user, org) & EDIT_ROLES)


def can_decide(user, request: ReliefRequest) -> bool:
    return can_manage_plan(user, request.task.plan)


def _event(report: UnitReport | None, *, action: str, by, comment: str) -> None:
    if report is None:
        return
    ReportEvent.objects.create(
        report=report, action=action, from_status=report.status, to_status=report.status, actor=by,
        at=timezone.now(), comment=comment,
    )


@transaction.atomic
def relief_request(*, org: Organisation, task: Task, by, reason: str, report: UnitReport | None = None) -> ReliefRequest:
    """The unit asks to be relieved of `task`. Refused when the user may not write for the
    unit, the unit holds no current assignment of the task, a request already waits, or the
    reason is empty or too short."""
    if not can_request(by, org):
        raise NotAllowed(f"Bạn không có quyền đề nghị thay cho {org.name}")
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise ReportingError("Cần nêu lý do nhiệm vụ không thuộc phạm vi của đơn vị (ít nhất một câu ngắn).")
    if not open_assignments_of(task, org).exists():
        raise NotAllowed(f"Nhiệm vụ {task.code} không còn giao cho {org.name}")
    if report is not None and (report.org_id != org.pk or not report.task_lines.filter(task=task).exists()):
        raise NotAllowed("Nhiệm vụ không thuộc báo cáo này")
    # Serialise requests of one unit on one task (the partial unique constraint is the backstop).
    list(Assignment.objects.select_for_update(of=("self",)).filter(task=task, org=org))
    if ReliefRequest.objects.filter(task=task, org=org, status=ReliefStatus.PENDING).exists():
        raise WorkflowError(f"Đề nghị về nhiệm vụ {task.code} đã gửi và đang chờ cơ quan thường trực quyết định.")
    req = ReliefRequest.objects.create(
        task=task, org=org, report=report, reason=reason, requested_by=by, requested_at=timezone.now(),
    )
    _event(report, action="relief_requested", by=by, comment=f"Nhiệm vụ {task.code}: {reason}")
    _notify(
        users=deciders(task.plan), kind="relief_requested",
        title=f"{org.name} đề nghị nhiệm vụ {task.code} không thuộc phạm vi",
        body=f"Nhiệm vụ: {task.name[:300]}\nLý do: {reason}", url=_url("relief_list"), actor=by,
        key=f"relief-{req.pk}-requested",
    )
    return req


def relief_effective_from(task: Task, org: Organisation, today: date | None = None) -> date:
    """From which day an accepted request relieves the unit: the start of the first period of
    the plan (started by today, during the assignment) whose report the unit has not sent —
    so the task leaves every report it still has to write, overdue ones included — or today
    when every period is sent. Never before the assignment began (a unit that never sent a
    report on the plan never had to report on the task), never after today (from today on the
    task no longer counts for the unit on any page). Reports already sent keep their line."""
    today = today or timezone.localdate()
    starts = [a.valid_from for a in open_assignments_of(task, org, today)]
    began = min(starts) if starts and all(starts) else None
    sent = set(
        UnitReport.objects.filter(
            org=org, period__plan=task.plan, status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
        ).values_list("period_id", flat=True)
    )
    effective = today
    for pk, start, end in task.plan.periods.filter(start__lte=today).order_by("start", "pk").values_list("pk", "start", "end"):
        if began is not None and end < began:
            continue
        if pk not in sent:
            effective = start
            break
    if began is not None:
        effective = max(effective, began)
    return min(effective, today)


@transaction.atomic
def relief_accept(*, request: ReliefRequest, by, comment: str = "") -> ReliefRequest:
    locked = ReliefRequest.objects.select_for_update(of=("self",)).select_related("task__plan__owner", "org", "report").get(
        pk=request.pk
    )
    if not can_decide(by, locked):
        raise NotAllowed("Chỉ cơ quan thường trực của kế hoạch mới quyết định đề nghị này")
    if locked.status != ReliefStatus.PENDING:
        raise WorkflowError(f"Đề nghị đã được quyết định ({locked.get_status_display()})")
    task, org = locked.task, locked.org
    today = timezone.localdate()
    effective = relief_effective_from(task, org, today)
    relieved_reports: set[int] = set()
    why = f"Không thuộc phạm vi của {org.name} (cơ quan thường trực chấp nhận ngày {today:%d/%m/%Y}): {locked.reason}"
    from planwatch.plans.lifecycle import assignment_end

    for a in open_assignments_of(task, org, today).order_by("pk"):
        assignment_end(assignment=a, last_day=effective - timedelta(days=1), actor=by, reason=why)
    # The task leaves the unit's reports still being written for periods in which it no longer
    # holds the task (the same "assignment during the period" rule as the report form); sent
    # and accepted reports keep their line (history).
    from .selectors import assignment_during

    for r in (
        UnitReport.objects.select_for_update(of=("self",)).select_related("period")
        .filter(org=org, period__plan=task.plan, period__end__gte=effective,
                status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED])
        .order_by("pk")
    ):  # fmt: skip
        if Assignment.objects.filter(task=task, org=org).filter(assignment_during(r.period.start, r.period.end)).exists():
            continue
        deleted, _ = TaskProgress.objects.filter(report=r, task=task).delete()
        if not deleted:
            continue
        Evidence.all_objects.filter(report=r, task=task).update(task=None)  # kept, as evidence of the whole report
        r.version += 1  # an open form of the report can no longer save the removed line
        r.updated_by = by
        r.save(update_fields=["version", "updated_by", "updated_at"])
        _record_revision(r, by)
        _event(r, action="relief_accepted", by=by, comment=f"Nhiệm vụ {task.code} không thuộc phạm vi của đơn vị: bỏ khỏi báo cáo")
        relieved_reports.add(r.pk)
    locked.status = ReliefStatus.ACCEPTED
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.decision_comment = (comment or "").strip()
    locked.effective_from = effective
    locked.save()
    if locked.report_id and locked.report_id not in relieved_reports:
        _event(locked.report, action="relief_accepted", by=by, comment=f"Nhiệm vụ {task.code}: chấp nhận không thuộc phạm vi")
    _notify(
        users=_unit_users(org), kind="relief_accepted",
        title=f"Nhiệm vụ {task.code} được chấp nhận không thuộc phạm vi của {org.name}",
        body=f"Từ ngày {effective:%d/%m/%Y} đơn vị không phải báo cáo nhiệm vụ này."
        + (f"\nÝ kiến: {locked.decision_comment}" if locked.decision_comment else ""),
        url=_url("relief_detail", locked.pk), actor=by, key=f"relief-{locked.pk}-decided",
    )
    return locked


@transaction.atomic
def relief_refuse(*, request: ReliefRequest, by, comment: str) -> ReliefRequest:
    locked = ReliefRequest.objects.select_for_update(of=("self",)).select_related("task__plan__owner", "org", "report").get(
        pk=request.pk
    )
    if not can_decide(by, locked):
        raise NotAllowed("Chỉ cơ quan thường trực của kế hoạch mới quyết định đề nghị này")
    if locked.status != ReliefStatus.PENDING:
        raise WorkflowError(f"Đề nghị đã được quyết định ({locked.get_status_display()})")
    comment = (comment or "").strip()
    if not comment:
        raise ReportingError("Cần ghi lý do không chấp nhận để đơn vị biết")
    locked.status = ReliefStatus.REFUSED
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.decision_comment = comment
    locked.save()
    _event(locked.report, action="relief_refused", by=by, comment=f"Nhiệm vụ {locked.task.code}: {comment}")
    _notify(
        users=_unit_users(locked.org), kind="relief_refused",
        title=f"Đề nghị nhiệm vụ {locked.task.code} không thuộc phạm vi của {locked.org.name} không được chấp nhận",
        body=f"Ý kiến: {comment}\nĐơn vị tiếp tục báo cáo nhiệm vụ này.", url=_url("relief_detail", locked.pk),
        actor=by, key=f"relief-{locked.pk}-decided",
    )
    return locked


def _unit_users(org: Organisation) -> list:
    from planwatch.notifications.services import users_of

    return list(users_of(org, roles=[Role.REPORTER, Role.APPROVER]))
