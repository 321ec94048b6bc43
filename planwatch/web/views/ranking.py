"""Ranking (thi đua) of the units under a monitored unit for a chosen period: one table per
kind of unit (departments, communes…) and, where provinces lie below, the provinces; paged;
the scoring method on the page. The numbers: planwatch.monitoring.ranking."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from planwatch.monitoring import ranking
from planwatch.web.views.monitoring import _base, _org_in_scope, parse_iso_date

PAGE_SIZE = 50


@login_required
def ranking_view(request, pk: int):
    org = _org_in_scope(request.user, pk)
    ctx = _base(request, org)
    today = ctx["today"]
    with ranking.no_jit():  # PostgreSQL's JIT costs seconds on these short aggregates at the nation root
        months = ranking.ranking_months(org, today)
        chosen = parse_iso_date(request.GET.get("ky") or "")
        month = chosen if chosen in months else (months[0] if months else None)
        result = ranking.build_ranking(org, month, today) if month else None
        periods = ranking.periods_counted(org, month, today, on=result.on) if month else None
    tabs = []
    if result is not None:
        if result.provinces:
            tabs.append((ranking.PROVINCES[0], ranking.PROVINCES[1], len(result.provinces)))
        for key, label, _kinds in ranking.KIND_GROUPS:
            if n := result.groups.count(key):  # counted, not scored: only the table shown is scored
                tabs.append((key, label, n))
    keys = [t[0] for t in tabs]
    kind = request.GET.get("loai")
    if kind not in keys:
        kind = keys[0] if keys else None
    if kind == ranking.PROVINCES[0]:
        rows = result.provinces
    else:
        rows = result.groups.get(kind, []) if result and kind else []
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    shared = Counter(r.rank for r in rows)
    keep = {"ky": f"{month:%Y-%m-%d}" if month else "", "loai": kind or ""}
    ctx.update(
        rows=list(page.object_list), page=page, total=len(rows), months=months, month=month, tabs=tabs, kind=kind,
        kind_label=dict((t[0], t[1]) for t in tabs).get(kind, ""), provinces=kind == ranking.PROVINCES[0],
        method=ranking.method_vi(periods), weights=ranking.WEIGHTS, tied={k for k, n in shared.items() if n > 1},
        keep="&".join(f"{k}={v}" for k, v in keep.items() if v), judged_on=result.on if result else None,
    )  # fmt: skip
    return render(request, "web/monitoring/ranking.html", ctx)
