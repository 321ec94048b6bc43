"""Reporting pages: a unit's report (edit, autosave, workflow, evidence), reminders and the
outbox (periods: views/periods.py; the consolidated table: views/consolidated.py). Thin views: access helper →
form → service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from planwatch.orgs.access import roles_over, scopes_for
from planwatch.orgs.models import Role
from planwatch.reporting import services
from planwatch.reporting.access import (
    TRANSITION_ROLES,
    get_evidence_for_user,
    get_period_for_user,
    get_report_for_user,
    get_reporting_unit_for_period,
    oversight_root,
)
from planwatch.reporting.forms import CommentForm, EvidenceForm, ReportForm, is_ratio
from planwatch.reporting.models import OutboxMessage, TaskProgress
from planwatch.reporting.selectors import report_history
from planwatch.reporting.notices import reminder_summary
from planwatch.reporting.tasks import send_reminders_task

STATUS_BADGE = {"draft": "", "submitted": "blue", "returned": "red", "accepted": "green", "missing": "amber"}
PROGRESS_BADGE = {"done": "green", "in_progress": "blue", "not_started": "amber"}


def _unit(request):
    """The unit the user reports for (first reporter/approver membership)."""
    for s in scopes_for(request.user):
        if s.role in (Role.REPORTER, Role.APPROVER):
            from planwatch.orgs.models import Organisation

            return Organisation.objects.get(pk=s.org_id)
    return None


@login_required
def report_current(request, period_pk: int):
    """Open (creating on first visit, prefilled) the user's unit report for a period."""
    period = get_period_for_user(request.user, period_pk)
    unit = get_reporting_unit_for_period(request.user, period)  # 404: the unit has no part in this plan
    report = services.report_open(period=period, org=unit, by=request.user)
    return redirect("report_detail", pk=report.pk)


def _lines(report):
    lines = list(report.task_lines.select_related("task__group").order_by("task__position"))
    values = list(report.indicator_values.select_related("indicator").order_by("indicator__position"))
    return lines, values


def _include_ready(name: str) -> bool:
    """An include another part of the team provides is placed once its template exists."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


REPORT_INCLUDES = {
    "returned_banner": "web/reporting/_returned_banner.html",
    "relief_button": "web/reporting/_relief_button.html",
    "offline_links": "web/offline/_links.html",
    "report_undo": "web/undo/_report_undo.html",
}


def _report_context(request, report, form, conflict=None):
    from planwatch.reporting.entry import entry_hints

    lines, values = form.lines, form.values
    evidence = list(report.evidence.select_related("task").order_by("uploaded_at"))
    hints = entry_hints(report)
    groups = []
    for tl in lines:
        g = tl.task.group
        if not groups or groups[-1][0] != g:
            groups.append((g, []))
        groups[-1][1].append((tl, form.task_fields(tl), [e for e in evidence if e.task_id == tl.task_id]))
    return {
        "report": report,
        "period": report.period,
        "form": form,
        "groups": groups,
        "values": [(iv, form.value_fields(iv), is_ratio(iv.indicator), hints.get(iv.indicator_id)) for iv in values],
        "includes": {k: name for k, name in REPORT_INCLUDES.items() if _include_ready(name)},
        "unsaved_page": form.is_bound,
        "undo_minutes": getattr(services, "UNDO_MINUTES", None),
        "caps": report.caps,
        "editable": "edit" in report.caps,
        "history": report_history(report),
        "evidence": [e for e in evidence if e.task_id is None],
        "comment_form": CommentForm(),
        "conflict": conflict,
        "upload_max_mb": __import__("django.conf").conf.settings.PLANWATCH_UPLOAD_MAX_BYTES // (1024 * 1024),
        "badge": STATUS_BADGE,
    }


def _bound_form(request, report):
    lines, values = _lines(report)
    form = ReportForm(report, lines, values, request.POST)
    if form.crafted_keys():
        # A field naming another unit's task or indicator: not a typo, refuse outright.
        raise PermissionDenied("Dữ liệu gửi lên có nhiệm vụ hoặc chỉ tiêu không thuộc báo cáo này")
    return form


@login_required
def report_detail(request, pk: int):
    report = get_report_for_user(request.user, pk, write=request.method == "POST")
    if request.method == "POST":
        form = _bound_form(request, report)
        if not form.is_valid():
            messages.error(request, f"Chưa lưu: có {len(form.errors)} ô chưa hợp lệ, xem thông báo màu đỏ ở từng ô.")
            return render(request, "web/reporting/report_detail.html", _report_context(request, report, form), status=422)
        try:
            services.report_save_draft(
                report=report, by=request.user, data=form.report_data(), expected_version=form.cleaned_data["version"]
            )
        except services.VersionConflict as e:
            form.keep_entries_at_version(e.current_version)
            return render(request, "web/reporting/report_detail.html", _report_context(request, report, form, conflict=e), status=409)
        except services.ReportingError as e:
            messages.error(request, str(e))
            return redirect("report_detail", pk=report.pk)
        messages.success(request, "Đã lưu bản nháp.")
        return redirect("report_detail", pk=report.pk)
    lines, values = _lines(report)
    return render(request, "web/reporting/report_detail.html", _report_context(request, report, ReportForm(report, lines, values)))


@login_required
@require_POST
def report_autosave(request, pk: int):
    """Save while typing, cell by cell: the posted cells are those the person changed; the
    valid ones are saved (version-checked), each invalid one is named with its Vietnamese
    message and held back with its partner cells. Answers JSON for report.js (Accept:
    application/json) or the status fragment (htmx, scripts off)."""
    from django.http import HttpResponse, JsonResponse
    from django.template.loader import render_to_string

    report = get_report_for_user(request.user, pk, write=True)
    lines, values = _lines(report)
    form = ReportForm(report, lines, values, request.POST, partial=True)
    if form.crafted_keys():
        raise PermissionDenied("Dữ liệu gửi lên có nhiệm vụ hoặc chỉ tiêu không thuộc báo cáo này")
    form.is_valid()
    errors = form.cell_errors()
    ctx = {"report": report, "errors": [f"{form.fields[k].label}: {v}" for k, v in errors.items()]}
    out = {"version": report.version, "saved": [], "errors": errors, "held": sorted(form.held_back()), "conflict": None}
    version = form.cleaned_data.get("version")
    if version is None:
        ctx["errors"] = ["Thiếu phiên bản của báo cáo; hãy tải lại trang."]
    else:
        try:
            saved = services.report_save_draft(
                report=report, by=request.user, data=form.partial_report_data(), expected_version=version
            )
        except services.VersionConflict as e:
            ctx["conflict"] = e
            out["conflict"] = {"message": str(e), "changes": [{"label": c.label, "after": c.after} for c in e.changes]}
        except services.ReportingError as e:
            ctx["errors"] = [*ctx["errors"], str(e)]
            out["errors"] = {**errors, "__all__": str(e)}
        else:
            ctx.update({"saved": saved, "at": timezone.localtime()})
            out.update({"version": saved.version, "saved": form.saved_cells()})
    as_json = "application/json" in request.headers.get("Accept", "")
    ctx["oob"] = not as_json  # htmx swaps the new version in; report.js sets it itself
    html = render_to_string("web/reporting/_autosave_status.html", ctx, request=request)
    if as_json:
        return JsonResponse({**out, "html": html})
    return HttpResponse(html)


ACTIONS = {
    "gui": ("submit", services.report_submit, "Đã gửi báo cáo tới cơ quan thường trực."),
    "chuyen-lai": ("send_back", services.report_send_back, "Đã chuyển báo cáo lại cho cán bộ."),
    "tra-lai": ("return", services.report_return, "Đã trả lại báo cáo cho đơn vị."),
    "tiep-nhan": ("accept", services.report_accept, "Đã tiếp nhận báo cáo."),
}


@login_required
@require_POST
def report_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    cap, fn, done = ACTIONS[action]
    report = get_report_for_user(request.user, pk)
    roles = roles_over(request.user, report.org)
    if not roles & TRANSITION_ROLES[cap]:
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này")
    form = CommentForm(request.POST)
    form.is_valid()
    kwargs = {"comment": form.cleaned_data.get("comment", "")} if cap in ("send_back", "return", "accept") else {}
    try:
        fn(report=report, by=request.user, **kwargs)
    except services.ReportingError as e:
        messages.error(request, str(e))
    else:
        from planwatch.web.views import undo

        if cap == "submit":
            undo.offer_submit_undo(request, report)
        elif cap == "accept":
            undo.offer_accept_undo(request, report)
        else:
            messages.success(request, done)
    return redirect("report_detail", pk=report.pk)


@login_required
@require_POST
def evidence_upload(request, pk: int):
    report = get_report_for_user(request.user, pk, write=True)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Chưa chọn tệp để tải lên.")
        return redirect("report_detail", pk=report.pk)
    task = None
    if form.cleaned_data.get("task"):
        line = TaskProgress.objects.filter(report=report, task_id=form.cleaned_data["task"]).select_related("task").first()
        if line is None:
            raise PermissionDenied("Nhiệm vụ không thuộc báo cáo này")
        task = line.task
    try:
        ev = services.evidence_add(report=report, by=request.user, upload=form.cleaned_data["file"], task=task)
    except services.ReportingError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"Đã tải lên “{ev.original_name}”" + (f" cho nhiệm vụ {task.code}." if task else "."))
    return _back_to_row(report.pk, task.pk if task else None)


def _back_to_row(report_pk: int, task_id: int | None):
    """The report page, scrolled back to the task row the evidence belongs to."""
    from django.urls import reverse

    return redirect(reverse("report_detail", args=[report_pk]) + (f"#dong-{task_id}" if task_id else "#evidence-list"))


@login_required
def evidence_download(request, pk: int):
    ev = get_evidence_for_user(request.user, pk)
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.original_name, content_type=ev.content_type)


@login_required
@require_POST
def evidence_delete(request, pk: int):
    ev = get_evidence_for_user(request.user, pk, write=True)
    report_pk, task_id = ev.report_id, ev.task_id
    try:
        services.evidence_delete(evidence=ev, by=request.user)
    except services.ReportingError as e:
        messages.error(request, str(e))
    else:
        from planwatch.web.views.undo import offer_evidence_undo

        offer_evidence_undo(request, ev)
    return _back_to_row(report_pk, task_id)


# ------------------------------------------------------------------ periods


def _root_or_403(request, period):
    root = oversight_root(request.user, period.plan)
    if root is None:
        raise PermissionDenied("Chỉ cơ quan thường trực và lãnh đạo xem được tình hình báo cáo của các đơn vị")
    return root


@login_required
@require_POST
def period_remind(request, pk: int):
    period = get_period_for_user(request.user, pk, manage=True)
    done = send_reminders_task.delay(period.pk, request.user.pk).get() if _eager() else None
    if done is None:
        send_reminders_task.delay(period.pk, request.user.pk)
        messages.success(request, "Đã xếp lịch gửi nhắc nhở; các đơn vị sẽ nhận thông báo trong ít phút.")
    else:
        (messages.warning if done["unreachable"] else messages.success)(request, reminder_summary(done))
    return redirect("period_detail", pk=period.pk)


def _eager() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False))


@login_required
def outbox(request):
    root = oversight_root(request.user)
    if root is None:
        unit = _unit(request)
        if unit is None:
            raise PermissionDenied
        qs = OutboxMessage.objects.filter(org=unit)
    else:
        qs = OutboxMessage.objects.filter(org__path__startswith=root.path)
    return render(request, "web/reporting/outbox.html", {"messages_out": qs.select_related("org", "period")[:300]})
