import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from planwatch.lib.dates import parse_vn_date
from planwatch.orgs.access import roles_over
from planwatch.orgs.models import Role
from planwatch.orgs.ordering import grouped_by_kind, kind_then_name_key, sorted_by_name
from planwatch.plans.access import can_import_plans, get_plan_for_user
from planwatch.lib.dates import format_vn_date
from planwatch.plans.interchange import InterchangeError, export_plan, import_plan, load_json
from planwatch.plans.services import plan_apply_amendment, plan_diff
from planwatch.plans.models import Indicator, Plan, Task
from planwatch.plans.selectors import TaskFilter, grouped_tasks, indicators_for, plan_agencies, tasks_for

MAX_IMPORT_BYTES = 10 * 1024 * 1024


@login_required
def plan_list(request):
    plans = Plan.objects.select_related("owner", "document", "parent").order_by("owner__depth", "code")
    return render(request, "web/plan_list.html", {"plans": plans, "can_import": can_import_plans(request.user)})


def _int(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


@login_required
def plan_detail(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    agencies = list(plan_agencies(plan))
    agency = None
    agency_id = _int(request.GET.get("don_vi"))
    if agency_id:
        agency = next((a for a in agencies if a.pk == agency_id), None)
    errors = []
    due_before = None
    if request.GET.get("han"):
        due_before = parse_vn_date(request.GET["han"])
        if due_before is None:
            errors.append("Ngày hạn không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 30/09/2025.")
    f = TaskFilter(
        agency=agency,
        due_before=due_before,
        due_year=_int(request.GET.get("nam")),
        recurring=request.GET.get("thuong_xuyen") == "1",
    )
    tasks = list(tasks_for(plan, f))
    indicators = list(indicators_for(plan, agency=agency))
    years = list(plan.milestone_years)
    for i in indicators:
        # One cell per milestone year of the plan, empty where the row has no target for it:
        # a commune row with only a 2045 target must not slide under 2025.
        by_year = {t.year: t for t in i.targets.all()}
        i.cells = [(y, by_year.get(y)) for y in years]
        i.off_milestone = [t for y, t in sorted(by_year.items()) if y not in years]
        i.responsible_sorted = sorted_by_name(i.responsible.all())
    ctx = {
        "plan": plan,
        "document": plan.document,
        "implements": plan.document.implements.all() if plan.document else [],
        "replaces": plan.document.replaces.all() if plan.document else [],
        "children": plan.children.select_related("owner"),
        "agencies": agencies,
        "agency_groups": grouped_by_kind(agencies),
        "agency": agency,
        "filter": f,
        "filter_errors": errors,
        "indicators": indicators,
        "indicator_count": sum(1 for i in indicators if not i.is_group),
        "groups": grouped_tasks(plan, tasks),
        "task_count": len(tasks),
        # The province and district plans print their tables as Phụ lục I/II; the commune
        # plan states its targets as bullets of section II.2, with no appendix.
        "has_appendices": plan.task_groups.exists() or plan.tasks.exists(),
        "years": years,
        "due_years": sorted({t.deadline_due.year for t in plan.tasks.exclude(deadline_due=None)}),
        "can_edit": bool(roles_over(request.user, plan.owner) & {Role.SUPERVISOR, Role.ADMIN}),
    }
    return render(request, "web/plan_detail.html", ctx)


@login_required
def plan_export_json(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    body = json.dumps(export_plan(plan), ensure_ascii=False, indent=2)
    resp = HttpResponse(body, content_type="application/json; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{plan.code}.json"'
    return resp


_PREVIEW_KEY = "plan_import_preview:"


@login_required
@require_POST
def plan_import_json(request):
    """Upload a plan file. A new plan code is imported at once; a file for an existing plan
    shows the difference first (Thêm / Sửa / Bãi bỏ) and is applied only on confirmation."""
    if not can_import_plans(request.user):
        raise Http404
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Chưa chọn tệp JSON để nhập.")
        return redirect("plan_list")
    if upload.size > MAX_IMPORT_BYTES:
        messages.error(request, "Tệp quá lớn (tối đa 10 MB).")
        return redirect("plan_list")
    raw = upload.read()
    try:
        data = load_json(raw)
        diff = plan_diff(data)
        if not diff.exists:
            plan = import_plan(data, actor=request.user)
            messages.success(request, f"Đã nhập kế hoạch {plan.code}.")
            return redirect("plan_detail", pk=plan.pk)
    except InterchangeError as e:
        messages.error(request, f"Không nhập được: {e}. Không có gì thay đổi.")
        return redirect("plan_list")
    # The uploaded content waits server-side (in the session) under a token until confirmed.
    token = hashlib.sha256(raw).hexdigest()[:32]
    request.session[_PREVIEW_KEY + token] = raw.decode("utf-8-sig")
    return _preview(request, diff, token, {"ngay_hieu_luc": format_vn_date(timezone.localdate())})


def _preview(request, diff, token, form, errors=(), status=200):
    plan = Plan.objects.get(code=diff.plan_code)
    return render(request, "web/plan_import_preview.html", {
        "plan": plan, "diff": diff, "token": token, "form": form, "errors": list(errors),
    }, status=status)


@login_required
@require_POST
def plan_import_confirm(request):
    """Apply a previewed amendment: the amending document (number, date) or a reason, and the
    effective date. Refused when the plan changed after the preview was made."""
    if not can_import_plans(request.user):
        raise Http404
    token = request.POST.get("token", "")
    text = request.session.get(_PREVIEW_KEY + token)
    if text is None:
        messages.error(request, "Bảng so sánh đã hết hạn hoặc đã được áp dụng; hãy tải tệp lên lại.")
        return redirect("plan_list")
    form = {k: request.POST.get(k, "").strip() for k in ("so_van_ban", "ngay_van_ban", "ly_do", "ngay_hieu_luc")}
    try:
        data = load_json(text)
        diff = plan_diff(data)
    except InterchangeError as e:
        messages.error(request, f"Không nhập được: {e}. Không có gì thay đổi.")
        return redirect("plan_list")
    errors = []
    effective = parse_vn_date(form["ngay_hieu_luc"])
    if effective is None:
        errors.append("Ngày hiệu lực không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 01/03/2026.")
    doc_date = None
    if form["ngay_van_ban"]:
        doc_date = parse_vn_date(form["ngay_van_ban"])
        if doc_date is None:
            errors.append("Ngày văn bản điều chỉnh không hợp lệ; nhập theo dạng ngày/tháng/năm.")
    if not form["so_van_ban"] and not form["ly_do"]:
        errors.append("Cần số văn bản điều chỉnh (quyết định điều chỉnh, bổ sung) hoặc lý do điều chỉnh.")
    if errors:
        return _preview(request, diff, token, form, errors, status=400)
    document = {"number": form["so_van_ban"], "date": doc_date.isoformat() if doc_date else None} if form["so_van_ban"] else None
    try:
        amendment = plan_apply_amendment(
            data=data, effective=effective, document=document, reason=form["ly_do"], actor=request.user,
            expected_fingerprint=request.POST.get("fingerprint", ""),
        )
    except InterchangeError as e:
        messages.error(request, f"Không áp dụng được: {e}.")
        return redirect("plan_list")
    request.session.pop(_PREVIEW_KEY + token, None)
    plan = Plan.objects.get(code=diff.plan_code)
    if amendment is None:
        messages.success(request, f"Kế hoạch {plan.code} không có thay đổi nào.")
    else:
        messages.success(request, f"Đã áp dụng điều chỉnh kế hoạch {plan.code} từ ngày {format_vn_date(effective)}.")
    return redirect("plan_detail", pk=plan.pk)


@login_required
def indicator_detail(request, pk: int):
    ind = get_object_or_404(Indicator.objects.select_related("plan", "parent", "aligned_to__plan"), pk=pk)
    get_plan_for_user(request.user, ind.plan_id)
    return render(request, "web/indicator_detail.html", {
        "indicator": ind,
        "targets": ind.targets.order_by("year"),
        "aligned_from": ind.aligned_from.select_related("plan"),
        "responsible": sorted_by_name(ind.responsible.all()),
    })


@login_required
def task_detail(request, pk: int):
    task = get_object_or_404(Task.objects.select_related("plan", "group", "derived_from__plan"), pk=pk)
    get_plan_for_user(request.user, task.plan_id)
    assignments = sorted(task.assignments.select_related("org"), key=lambda a: kind_then_name_key(a.org))
    return render(request, "web/task_detail.html", {
        "task": task,
        "leads": [a for a in assignments if a.role == "lead"],
        "coordinating": [a for a in assignments if a.role == "coordinating"],
        "derived": task.derived_tasks.select_related("plan"),
    })
