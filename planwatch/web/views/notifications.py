"""Thông báo: the signed-in person's notifications (list, open = mark read + go, mark read).
Only one's own notifications are ever shown or changed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from planwatch.lib.text import user_full_name
from planwatch.notifications.models import Notification
from planwatch.notifications.services import mark_read

PER_PAGE = 20


def _safe_next(request, url: str, default: str = "notification_list"):
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(url)
    return redirect(default)


@login_required
def notification_list(request):
    mine = Notification.objects.filter(user=request.user)
    only_unread = request.GET.get("loc") == "chua-doc"
    shown = (mine.filter(read_at__isnull=True) if only_unread else mine).select_related("actor", "org")
    try:
        number = max(1, int(request.GET.get("trang") or 1))
    except ValueError:
        number = 1
    page = Paginator(shown, PER_PAGE).get_page(number)
    for n in page.object_list:
        n.actor_name = user_full_name(n.actor) if n.actor else ""
    return render(request, "web/notifications/list.html", {
        "page": page, "only_unread": only_unread, "total": mine.count(),
        "unread": mine.filter(read_at__isnull=True).count(),
    })


@login_required
def notification_open(request, pk: int):
    """Follow a notification's link, marking it read on the way."""
    n = get_object_or_404(Notification, pk=pk, user=request.user)
    mark_read(user=request.user, ids=[n.pk])
    return _safe_next(request, n.url)


@login_required
@require_POST
def notification_mark_read(request):
    ids = [i for i in request.POST.getlist("id") if i.isdigit()]
    mark_read(user=request.user, ids=ids or None)
    return _safe_next(request, request.POST.get("next", ""))
