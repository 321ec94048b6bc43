"""The "Lịch sử thay đổi" pages of a plan, a task, an indicator and an organisation. Who may
see the object's page may see its history; an organisation's user roles and reports are
shown only to those the access rules let see them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from planwatch.audit.selectors import changes_for, indicator_sources, org_sources, plan_sources, task_sources
from planwatch.orgs.access import get_org_for_user, roles_over
from planwatch.orgs.models import Role
from planwatch.plans.access import get_plan_for_user
from planwatch.plans.models import Indicator, Task
from planwatch.reporting.access import READ_ROLES
from planwatch.lib.text import user_full_name as _name


def _render(request, *, title: str, crumbs: list[tuple[str, str]], back: str, sources, note: str = ""):
    history = changes_for(sources, user_name=_name)
    for e in history.entries:
        e.who = _name(e.user) or "Hệ thống"
    return render(request, "web/history/history.html", {
        "title": title, "crumbs": crumbs, "back": back, "history": history, "note": note,
    })


def _plan_label(plan) -> str:
    """How the breadcrumbs name a plan: its document number, never its internal code."""
    from planwatch.web.templatetags.monitoring_tables import plan_label

    return plan_label(plan)


@login_required
def plan_history(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    number = _plan_label(plan)
    return _render(
        request, title=f"Lịch sử thay đổi – {number}",
        crumbs=[(reverse("plan_list"), "Kế hoạch"), (reverse("plan_detail", args=[plan.pk]), number)],
        back=reverse("plan_detail", args=[plan.pk]), sources=plan_sources(plan),
        note="Gồm thay đổi của kế hoạch, văn bản, chỉ tiêu, mục tiêu theo mốc, nhóm nhiệm vụ, nhiệm vụ và giao nhiệm vụ.",
    )


@login_required
def task_history(request, pk: int):
    task = get_object_or_404(Task.objects.select_related("plan__document"), pk=pk)
    plan = get_plan_for_user(request.user, task.plan_id)
    number = _plan_label(plan)
    return _render(
        request, title=f"Lịch sử thay đổi – Nhiệm vụ {task.code}",
        crumbs=[(reverse("plan_list"), "Kế hoạch"), (reverse("plan_detail", args=[plan.pk]), number), (reverse("task_detail", args=[task.pk]), f"Nhiệm vụ {task.code}")],
        back=reverse("task_detail", args=[task.pk]), sources=task_sources(task),
        note="Gồm thay đổi của nhiệm vụ và các đơn vị được giao.",
    )


@login_required
def indicator_history(request, pk: int):
    ind = get_object_or_404(Indicator.objects.select_related("plan__document"), pk=pk)
    plan = get_plan_for_user(request.user, ind.plan_id)
    number = _plan_label(plan)
    return _render(
        request, title=f"Lịch sử thay đổi – Chỉ tiêu {ind.code}",
        crumbs=[(reverse("plan_list"), "Kế hoạch"), (reverse("plan_detail", args=[plan.pk]), number), (reverse("indicator_detail", args=[ind.pk]), f"Chỉ tiêu {ind.code}")],
        back=reverse("indicator_detail", args=[ind.pk]), sources=indicator_sources(ind),
        note="Gồm thay đổi của chỉ tiêu, cơ quan chủ trì và mục tiêu theo mốc.",
    )


@login_required
def org_history(request, pk: int):
    org = get_org_for_user(request.user, pk)
    roles = roles_over(request.user, org)
    memberships = bool(roles & {Role.SUPERVISOR, Role.ADMIN})
    reports = bool(roles & READ_ROLES)
    parts = ["tổ chức", "tên gọi khác", "kế thừa", "nhiệm vụ được giao"]
    if memberships:
        parts.append("phân quyền người dùng")
    if reports:
        parts.append("báo cáo của đơn vị")
    return _render(
        request, title=f"Lịch sử thay đổi – {org.name}",
        crumbs=[(reverse("org_tree"), "Tổ chức"), (reverse("org_detail", args=[org.pk]), org.name)],
        back=reverse("org_detail", args=[org.pk]), sources=org_sources(org, memberships=memberships, reports=reports),
        note="Gồm thay đổi của " + ", ".join(parts) + ".",
    )
