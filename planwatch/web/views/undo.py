"""Undo ("Hoàn tác") of one-click and destructive actions: thin views over the reporting
undo services, and `offer_undo`, which other views call to put a "Hoàn tác" button in the
success message of the action they just did."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from planwatch.reporting import services
from planwatch.reporting.access import get_period_for_user, get_report_for_user
from planwatch.reporting.models import Evidence


def offer_undo(request, text: str, url: str, *, label: str = "Hoàn tác", level: int = messages.SUCCESS) -> None:
    """A message saying what was done, with a button that posts to `url` to take it back.
    (The message is safe HTML; Django's message storage keeps it safe across the redirect.)"""
    html = format_html(
        '{} <form method="post" action="{}" class="pw-undo">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="secondary">{}</button></form>',
        text, url, get_token(request), label,
    )
    messages.add_message(request, level, html)


def offer_evidence_undo(request, evidence: Evidence) -> None:
    offer_undo(
        request,
        f"Đã xóa minh chứng “{evidence.original_name}”. Có thể hoàn tác trong {services.UNDO_MINUTES} phút.",
        reverse("evidence_restore", args=[evidence.pk]),
    )


def offer_submit_undo(request, report) -> None:
    offer_undo(
        request, "Đã gửi báo cáo tới cơ quan thường trực. Có thể rút lại khi cơ quan thường trực chưa xử lý.",
        reverse("report_withdraw_submit", args=[report.pk]), label="Hoàn tác (rút lại)",
    )


def offer_accept_undo(request, report) -> None:
    offer_undo(request, "Đã tiếp nhận báo cáo.", reverse("report_accept_undo", args=[report.pk]), label="Hoàn tác")


def offer_period_undo(request, period) -> None:
    offer_undo(
        request,
        f"Đã mở kỳ “{period.label}”, hạn nộp {period.due_date:%d/%m/%Y}. Mở nhầm? Có thể rút lại khi chưa đơn vị nào nhập số liệu.",
        reverse("period_withdraw", args=[period.pk]), label="Hoàn tác (rút lại kỳ)",
    )


@login_required
@require_POST
def evidence_restore(request, pk: int):
    try:
        ev = Evidence.all_objects.get(pk=pk)
    except (Evidence.DoesNotExist, ValueError):
        raise Http404("Không tìm thấy tệp minh chứng") from None
    report = get_report_for_user(request.user, ev.report_id, write=True)
    try:
        services.evidence_restore(evidence=ev, by=request.user)
    except services.ReportingError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, f"Đã khôi phục minh chứng “{ev.original_name}”.")
    return redirect("report_detail", pk=report.pk)


@login_required
@require_POST
def report_withdraw_submit(request, pk: int):
    report = get_report_for_user(request.user, pk)
    try:
        services.report_withdraw_submit(report=report, by=request.user)
    except services.ReportingError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "Đã rút lại báo cáo: báo cáo trở lại để đơn vị sửa và gửi lại.")
    return redirect("report_detail", pk=report.pk)


@login_required
@require_POST
def report_accept_undo(request, pk: int):
    report = get_report_for_user(request.user, pk)
    try:
        services.report_accept_undo(report=report, by=request.user)
    except services.ReportingError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "Đã hủy tiếp nhận: báo cáo trở lại trạng thái “đã gửi”, chờ cơ quan thường trực xử lý.")
    return redirect("report_detail", pk=report.pk)


@login_required
@require_POST
def period_withdraw(request, pk: int):
    period = get_period_for_user(request.user, pk, manage=True)
    plan_pk = period.plan_id
    try:
        label = services.period_withdraw(period=period, by=request.user, reason=request.POST.get("reason", ""))
    except services.ReportingError as e:
        messages.error(request, str(e))
        return redirect("period_detail", pk=period.pk)
    messages.success(request, f"Đã rút lại kỳ “{label}”.")
    return redirect("period_list", plan_pk=plan_pk)
