"""Periods and scope: the "Báo cáo" page (every open or overdue period of every plan a unit
reports on, its sent reports with on time / nộp muộn), a plan's periods (open from the
schedule, ad hoc), a period's status page, and "Không thuộc phạm vi" requests (the unit asks,
the standing agency decides). Thin views: access helper → form → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from planwatch.orgs.access import is_admin, scopes_for
from planwatch.orgs.models import Organisation, Role
from planwatch.plans.access import get_plan_for_user
from planwatch.plans.models import Plan
from planwatch.reporting import periods as P
from planwatch.reporting import relief as R
from planwatch.reporting import services
from planwatch.reporting.access import can_manage_plan, get_period_for_user, get_report_for_user, oversight_root
from planwatch.reporting.forms import AdHocPeriodForm
from planwatch.reporting.models import PeriodKind, ReliefRequest, ReliefStatus, ReportStatus, UnitReport
from planwatch.reporting.selectors import expected_units, period_status, status_counts

STATUS_BADGE = {"draft": "", "submitted": "blue", "returned": "red", "accepted": "green", "missing": "amber"}
RELIEF_BADGE = {"pending": "amber", "accepted": "green", "refused": "red"}
HISTORY_LIMIT = 24


def _units(user) -> list[Organisation]:
    """The units the user writes reports for (reporter/approver memberships), in order."""
    ids = []
    for s in scopes_for(user):
        if s.role in (Role.REPORTER, Role.APPROVER) and s.org_id not in ids:
            ids.append(s.org_id)
    orgs = Organisation.objects.in_bulk(ids)
    return [orgs[i] for i in ids if i in orgs]


def _include_ready(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


@login_required
def my_reports(request):
    today = timezone.localdate()
    sections = []
    for unit in _units(request.user):
        sent = (
            UnitReport.objects.filter(org=unit, status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
            .select_related("period__plan__document")
            .order_by("-period__end", "-pk")[:HISTORY_LIMIT]
        )
        sections.append({
            "unit": unit,
            "todo": P.reportable_periods(unit, today),
            "sent": [(r, P.late_label(r, today)) for r in sent],
            "relief": ReliefRequest.objects.filter(org=unit).select_related("task").order_by("-requested_at")[:10],
        })  # fmt: skip
    managed = [
        p for p in Plan.objects.select_related("owner", "document").annotate(n_periods=Count("periods")).order_by("owner__depth", "name")
        if can_manage_plan(request.user, p)
    ]  # fmt: skip
    pending = R.relief_pending(request.user).count() if managed else 0
    return render(request, "web/reporting/my_reports.html", {
        "sections": sections, "managed": managed, "relief_pending": pending, "today": today, "badge": STATUS_BADGE,
    })  # fmt: skip


# ------------------------------------------------------------------ periods of a plan


@login_required
def period_list(request, plan_pk: int):
    plan = get_plan_for_user(request.user, plan_pk)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("nam") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 1945), 2100)
    opened = {(p.kind, p.year, p.number): p for p in plan.periods.all()}
    schedule = [(s, opened.get((s.kind, s.year, s.number))) for s in services.periods_from_schedule(plan, year=year)]
    can_manage = can_manage_plan(request.user, plan)
    page = Paginator(plan.periods.order_by("-end", "-pk"), 24).get_page(request.GET.get("trang"))
    return render(request, "web/reporting/period_list.html", {
        "plan": plan, "year": year, "years": range(today.year - 2, today.year + 3), "schedule": schedule,
        "periods": page, "can_manage": can_manage, "adhoc_form": AdHocPeriodForm(), "today": today,
        # How many units a new period asks for a report (said in the confirmation before opening).
        "n_expected": expected_units(plan).count() if can_manage else 0,
    })  # fmt: skip


@login_required
@require_POST
def period_open(request, plan_pk: int):
    plan = get_plan_for_user(request.user, plan_pk)
    if not can_manage_plan(request.user, plan):
        raise PermissionDenied("Chỉ cơ quan thường trực mới được mở kỳ báo cáo")
    try:
        if request.POST.get("kind") == PeriodKind.AD_HOC:
            form = AdHocPeriodForm(request.POST)
            if not form.is_valid():
                for field, errs in form.errors.items():
                    messages.error(request, f"{form.fields[field].label if field in form.fields else 'Kỳ đột xuất'}: {' '.join(errs)}")
                return redirect("period_list", plan_pk=plan.pk)
            c = form.cleaned_data
            p = services.period_open(plan=plan, kind=PeriodKind.AD_HOC, year=c["end"].year, by=request.user,
                                     start=c["start"], end=c["end"], due_date=c["due_date"], label=c["label"])  # fmt: skip
        else:
            kind, year, number = request.POST["kind"], int(request.POST["year"]), int(request.POST["number"])
            if kind not in PeriodKind.values:
                raise ValueError(kind)
            p = services.period_open(plan=plan, kind=kind, year=year, number=number, by=request.user)
    except (KeyError, ValueError):
        messages.error(request, "Kỳ báo cáo không hợp lệ.")
        return redirect("period_list", plan_pk=plan.pk)
    except services.ReportingError as e:
        messages.error(request, str(e))
        return redirect("period_list", plan_pk=plan.pk)
    from planwatch.web.views.undo import offer_period_undo

    offer_period_undo(request, p)  # "Đã mở kỳ …" with a Hoàn tác button while no unit has written
    return redirect("period_detail", pk=p.pk)


def _root_or_403(request, period):
    root = oversight_root(request.user, period.plan)
    if root is None:
        raise PermissionDenied("Chỉ cơ quan thường trực và lãnh đạo xem được tình hình báo cáo của các đơn vị")
    return root


@login_required
def period_detail(request, pk: int):
    period = get_period_for_user(request.user, pk)
    root = _root_or_403(request, period)
    today = timezone.localdate()
    rows = period_status(period, root)
    flt = request.GET.get("loc", "")
    shown = rows
    if flt == "chua-gui":
        shown = [r for r in rows if not r.submitted or r.status == ReportStatus.RETURNED]
    elif flt == "tre-han":
        shown = [r for r in rows if r.late]
    for r in shown:
        r.late_word = P.late_label(r.report, today) if r.report else (P.OVERDUE_LABEL if P.is_overdue(period, today) else "")
    return render(request, "web/reporting/period_detail.html", {
        "period": period, "root": root, "rows": shown, "counts": status_counts(rows, period.due_date), "flt": flt,
        "can_manage": can_manage_plan(request.user, period.plan), "badge": STATUS_BADGE,
        "is_sample": period.is_sample, "overdue": P.is_overdue(period, today), "days_overdue": P.days_overdue(period, today),
        "withdraw_include": "web/reporting/_period_withdraw.html" if _include_ready("web/reporting/_period_withdraw.html") else "",
        "relief_pending": R.relief_pending(request.user).filter(task__plan=period.plan).count(),
    })  # fmt: skip


# ------------------------------------------------------------------ "Không thuộc phạm vi"


@login_required
def relief_new(request, report_pk: int, task_pk: int):
    """The unit's request for one task of its report: the reason, then sent to the standing agency."""
    report = get_report_for_user(request.user, report_pk)
    line = report.task_lines.select_related("task__plan", "task__group").filter(task_id=task_pk).first()
    if line is None:
        raise Http404("Nhiệm vụ không thuộc báo cáo này")
    if not R.can_request(request.user, report.org):
        raise PermissionDenied("Chỉ cán bộ, lãnh đạo của đơn vị mới đề nghị được")
    task = line.task
    earlier = ReliefRequest.objects.filter(org=report.org, task=task).select_related("requested_by", "decided_by")
    pending = next((r for r in earlier if r.status == ReliefStatus.PENDING), None)
    error, reason = "", ""
    if request.method == "POST" and pending is None:
        reason = request.POST.get("reason", "")
        try:
            R.relief_request(org=report.org, task=task, by=request.user, reason=reason, report=report)
        except services.ReportingError as e:
            error = str(e)
        else:
            messages.success(
                request,
                f"Đã gửi đề nghị nhiệm vụ {task.code} không thuộc phạm vi của đơn vị tới cơ quan thường trực. "
                "Trong khi chờ quyết định, nhiệm vụ vẫn tính như cũ.",
            )
            return redirect("report_detail", pk=report.pk)
    return render(request, "web/reporting/relief_new.html", {
        "report": report, "task": task, "earlier": earlier, "pending": pending, "error": error, "reason": reason,
        "badge": RELIEF_BADGE, "min_reason": R.MIN_REASON,
    }, status=422 if error else 200)  # fmt: skip


def _visible_requests(user):
    """Requests the user may see: those they may decide, and their own units' requests."""
    qs = ReliefRequest.objects.select_related("task__plan__document", "org", "requested_by", "decided_by", "report__period")
    if is_admin(user):
        return qs
    paths = {s.scope_path for s in scopes_for(user) if s.role == Role.SUPERVISOR}
    cond = Q(org_id__in=[u.pk for u in _units(user)])
    for p in paths:
        cond |= Q(task__plan__owner__path__startswith=p)
    return qs.filter(cond)


@login_required
def relief_list(request):
    visible = _visible_requests(request.user)
    pending = list(R.relief_pending(request.user))
    deciding = bool(pending) or is_admin(request.user) or any(s.role == Role.SUPERVISOR for s in scopes_for(request.user))
    if not deciding and not _units(request.user):
        raise PermissionDenied("Trang này dành cho cơ quan thường trực và các đơn vị báo cáo")
    own_pending = [] if deciding else list(visible.filter(status=ReliefStatus.PENDING).order_by("requested_at"))
    decided = Paginator(visible.exclude(status=ReliefStatus.PENDING).order_by("-decided_at", "-pk"), 20).get_page(
        request.GET.get("trang")
    )
    return render(request, "web/reporting/relief_list.html", {
        "pending": pending, "own_pending": own_pending, "decided": decided, "deciding": deciding, "badge": RELIEF_BADGE,
    })  # fmt: skip


def _get_request_for_user(user, pk) -> ReliefRequest:
    try:
        return _visible_requests(user).get(pk=pk)
    except (ReliefRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy đề nghị") from None


@login_required
def relief_detail(request, pk: int):
    req = _get_request_for_user(request.user, pk)
    return render(request, "web/reporting/relief_detail.html", {
        "r": req, "can_decide": req.status == ReliefStatus.PENDING and R.can_decide(request.user, req),
        "badge": RELIEF_BADGE,
    })  # fmt: skip


@login_required
@require_POST
def relief_decide(request, pk: int):
    req = _get_request_for_user(request.user, pk)
    if not R.can_decide(request.user, req):
        raise PermissionDenied("Chỉ cơ quan thường trực của kế hoạch mới quyết định đề nghị này")
    decision, comment = request.POST.get("decision"), request.POST.get("comment", "")
    try:
        if decision == "accept":
            done = R.relief_accept(request=req, by=request.user, comment=comment)
            messages.success(
                request,
                f"Đã chấp nhận: {done.org.name} không phải báo cáo nhiệm vụ {done.task.code} từ ngày "
                f"{done.effective_from:%d/%m/%Y}.",
            )
        elif decision == "refuse":
            done = R.relief_refuse(request=req, by=request.user, comment=comment)
            messages.success(request, f"Đã không chấp nhận đề nghị của {done.org.name}; đơn vị tiếp tục báo cáo nhiệm vụ {done.task.code}.")
        else:
            raise Http404
    except services.ReportingError as e:
        messages.error(request, str(e))
        return redirect("relief_detail", pk=req.pk)
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(nxt)
    return redirect("relief_list")
