"""“Việc cần làm” pages: the standing agency's queue of sent reports waiting for acceptance
(counts, filters by plan / period / kind of unit, bulk acceptance with confirmation). The
home page itself is web.views.core.home; the sections come from reporting.todo."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from planwatch.orgs.models import OrgKind
from planwatch.reporting import services, todo

QUEUE_PAGE_SIZE = 100
# ?ke_hoach=<plan id>&ky=<period id>&loai=<kind of unit>
FILTER_PARAMS = {"ke_hoach": "plan", "ky": "period", "loai": "kind"}


def _filters(data) -> dict:
    """The queue's filters from GET (or the POSTed copy of them); anything malformed is ignored."""
    out = {}
    for param, key in FILTER_PARAMS.items():
        raw = (data.get(param) or "").strip()
        if not raw:
            continue
        if key == "kind":
            if raw in OrgKind.values:
                out[key] = raw
        elif raw.isdigit():
            out[key] = int(raw)
    return out


def _query(filters: dict) -> str:
    back = {param: filters[key] for param, key in FILTER_PARAMS.items() if key in filters}
    return f"?{urlencode(back)}" if back else ""


@login_required
def accept_queue(request):
    if todo.review_scope(request.user) is None:
        raise PermissionDenied("Chỉ cơ quan thường trực mới tiếp nhận báo cáo")
    if request.method == "POST":
        return _accept_selected(request)
    filters = _filters(request.GET)
    qs = todo.accept_queue(request.user, **filters)
    page = Paginator(qs, QUEUE_PAGE_SIZE).get_page(request.GET.get("trang"))
    counts = todo.queue_counts(request.user, **filters)
    return render(request, "web/todo/queue.html", {
        "page": page, "counts": counts, "filters": filters, "query": _query(filters),
        "kinds": OrgKind.choices, "any_filter": bool(filters),
    })  # fmt: skip


def _accept_selected(request):
    filters = _filters(request.POST)
    back = reverse("accept_queue") + _query(filters)
    ids = {int(x) for x in request.POST.getlist("bao_cao") if x.isdigit()}
    if not ids:
        messages.error(request, "Chưa chọn báo cáo nào để tiếp nhận.")
        return redirect(back)
    # Only what is still in the user's queue: another person may have acted meanwhile, and an
    # id outside the user's scope is simply not there.
    reports = list(todo.accept_queue(request.user).filter(pk__in=ids))
    result = services.report_accept_many(reports=reports, by=request.user, comment=request.POST.get("y_kien", ""))
    if result.accepted:
        messages.success(request, f"Đã tiếp nhận {len(result.accepted)} báo cáo.")
    gone = len(ids) - len(reports)
    if gone:
        messages.error(request, f"{gone} báo cáo đã chọn không còn chờ tiếp nhận (đã được xử lý hoặc rút lại), nên không tiếp nhận.")
    for report, reason in result.refused:
        messages.error(request, f"{report.org.name} – {report.period.label}: {reason}")
    return redirect(back)
