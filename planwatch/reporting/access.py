"""Scope checks for reporting objects. Every view goes through one of these helpers.

- reporter, approver: their own unit only (their membership scope is the unit);
- supervisor: every unit in the subtree of its membership scope (read, return, accept);
- leader: reads the subtree; admin: everything.
Not visible → 404 (we do not confirm that another unit's report exists); visible but not
allowed to do this → 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from planwatch.orgs.access import OVERSIGHT_ROLES, is_admin, roles_over, scopes_for
from planwatch.orgs.models import Organisation, Role
from planwatch.plans.models import Plan

from .models import Evidence, ReportingPeriod, ReportStatus, UnitReport

EDIT_ROLES = {Role.REPORTER, Role.APPROVER, Role.ADMIN}
SUBMIT_ROLES = {Role.APPROVER, Role.ADMIN}
REVIEW_ROLES = {Role.SUPERVISOR, Role.ADMIN}
READ_ROLES = {Role.REPORTER, Role.APPROVER, Role.SUPERVISOR, Role.LEADER, Role.ADMIN}
# THE workflow role map: which roles may make each transition (services check it, views
# offer and guard the buttons with it, report_caps derives the capabilities from it).
TRANSITION_ROLES = {
    "submit": SUBMIT_ROLES,
    "send_back": SUBMIT_ROLES,
    "return": REVIEW_ROLES,
    "accept": REVIEW_ROLES,
}


def report_caps(user, report: UnitReport) -> set[str]:
    """What `user` may do with `report` now: read, edit, submit, send_back, return, accept."""
    roles = roles_over(user, report.org)
    caps: set[str] = set()
    if not roles & READ_ROLES:
        return caps
    caps.add("read")
    editable = report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
    if roles & EDIT_ROLES and editable:
        caps.add("edit")
    # Which transitions the report's status allows; who may make them is TRANSITION_ROLES.
    allowed_now = {
        ReportStatus.DRAFT: {"submit", "send_back"}, ReportStatus.RETURNED: {"submit", "send_back"},
        ReportStatus.SUBMITTED: {"return", "accept"}, ReportStatus.ACCEPTED: {"return"},
    }.get(report.status, set())  # fmt: skip
    caps |= {t for t in allowed_now if roles & TRANSITION_ROLES[t]}
    return caps


def get_report_for_user(user, pk, *, write: bool = False) -> UnitReport:
    """The report with `report.caps` set; 404 outside scope, 403 when `write` and the
    user may not edit it (wrong role or a submitted/accepted report)."""
    if not user.is_authenticated:
        raise Http404("Không tìm thấy báo cáo")
    try:
        report = UnitReport.objects.select_related("period__plan", "org").get(pk=pk)
    except (UnitReport.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy báo cáo") from None
    caps = report_caps(user, report)
    if "read" not in caps:
        raise Http404("Không tìm thấy báo cáo")
    if write and "edit" not in caps:
        raise PermissionDenied("Bạn không có quyền sửa báo cáo này")
    report.caps = caps
    return report


def can_report_for(user, org: Organisation) -> bool:
    return bool(roles_over(user, org) & EDIT_ROLES)


def get_reporting_unit_for_period(user, period: ReportingPeriod) -> Organisation:
    """The unit for which `user` opens a report in `period`: the first of the user's own units
    (reporter/approver memberships) that must report on the period's plan. 403 for people who
    report for no unit; 404 when none of their units has a part in the plan (a crafted URL
    must not create an empty report for a plan the unit has nothing to do with)."""
    from .selectors import expected_units

    unit_ids = [s.org_id for s in scopes_for(user) if s.role in (Role.REPORTER, Role.APPROVER)]
    if not unit_ids:
        raise PermissionDenied("Bạn không lập báo cáo cho đơn vị nào")
    expected = set(expected_units(period.plan, period=period).filter(pk__in=unit_ids).values_list("pk", flat=True))
    for pk in unit_ids:
        if pk in expected:
            org = Organisation.objects.get(pk=pk)
            if can_report_for(user, org):
                return org
    raise Http404("Đơn vị của bạn không phải báo cáo trong kỳ này")


def can_manage_plan(user, plan: Plan) -> bool:
    """Opening periods and reminding units: the plan owner's supervisors (the standing
    agency holds a supervisor membership scoped to the owner's tree)."""
    return bool(roles_over(user, plan.owner) & REVIEW_ROLES)


def get_period_for_user(user, pk, *, manage: bool = False) -> ReportingPeriod:
    """Periods are facts of public plans: any signed-in user may read one; managing it
    (reminders) needs the supervisor role over the plan's owner."""
    if not user.is_authenticated:
        raise Http404("Không tìm thấy kỳ báo cáo")
    try:
        period = ReportingPeriod.objects.select_related("plan__owner", "plan__standing_agency", "plan__document").get(pk=pk)
    except (ReportingPeriod.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy kỳ báo cáo") from None
    if manage and not can_manage_plan(user, period.plan):
        raise PermissionDenied("Bạn không có quyền quản lý kỳ báo cáo này")
    return period


def oversight_root(user, plan: Plan | None = None) -> Organisation | None:
    """The subtree a supervisor or leader watches (the widest one they hold); admins
    watch the plan owner's tree. None for people without oversight."""
    if is_admin(user):
        if plan is not None:
            root_path = plan.owner.path.split("/")[1]
            return Organisation.objects.filter(pk=int(root_path)).first()
        return Organisation.objects.filter(parent=None).order_by("path").first()
    scopes = [s for s in scopes_for(user) if s.role in OVERSIGHT_ROLES]
    if not scopes:
        return None
    widest = min(scopes, key=lambda s: s.scope_path.count("/"))
    return Organisation.objects.filter(path=widest.scope_path).first()


def get_evidence_for_user(user, pk, *, write: bool = False) -> Evidence:
    try:
        ev = Evidence.objects.select_related("report").get(pk=pk)
    except (Evidence.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy tệp minh chứng") from None
    ev.report = get_report_for_user(user, ev.report_id, write=write)
    return ev
