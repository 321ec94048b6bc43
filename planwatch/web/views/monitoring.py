"""Monitoring dashboards for leaders and supervisors: overview of a subtree, drill-down
lists behind every number, warnings, unit ranking, heat map and indicator history.

Every view goes through _org_in_scope(): leaders, supervisors and admins see their subtree;
anyone else gets 404. Reads only: the numbers come from planwatch.monitoring.selectors."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date

from planwatch.lib.numbers import format_vn_number
from planwatch.orgs.access import roles_over
from planwatch.orgs.models import Organisation, Role
from planwatch.plans.access import get_plan_for_user
from planwatch.plans.models import Indicator, Plan, Task, TaskGroup
from planwatch.monitoring import ranking, selectors as S
from planwatch.monitoring.status import IndicatorStatus, TaskStatus
from planwatch.reporting.access import oversight_root
from planwatch.web.templatetags.monitoring_tables import plan_label

# ?loc= on the reporting list: units by the timeliness of their latest due report.
LATEST_FILTERS = {"dung-han": ("on_time", "gửi đúng hạn"), "tre-han": ("late", "gửi trễ hạn"), "chua-gui": ("missing", "chưa gửi")}
WATCH_ROLES = {Role.LEADER, Role.SUPERVISOR, Role.ADMIN}
TASK_ORDER = [TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE, TaskStatus.IN_PROGRESS, TaskStatus.NOT_STARTED,
              TaskStatus.DUE_SOON, TaskStatus.OVERDUE, TaskStatus.REPORTED, TaskStatus.NOT_REPORTED]  # fmt: skip
TASK_COLOUR = {
    "done_on_time": "green", "done_late": "amber", "in_progress": "blue", "not_started": "",
    "due_soon": "amber", "overdue": "red", "reported": "green", "not_reported": "red",
}  # fmt: skip
IND_ORDER = [IndicatorStatus.ACHIEVED, IndicatorStatus.ON_TRACK, IndicatorStatus.BEHIND, IndicatorStatus.MISSED,
             IndicatorStatus.NO_DATA, IndicatorStatus.NO_TARGET]  # fmt: skip
IND_COLOUR = {"achieved": "green", "on_track": "blue", "behind": "amber", "missed": "red", "no_data": "", "no_target": ""}


def parse_iso_date(text: str):
    try:
        return parse_date(text)
    except ValueError:
        return None


def _today(request) -> date:
    return timezone.localdate()


def _org_in_scope(user, pk) -> Organisation:
    try:
        org = Organisation.objects.get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy đơn vị") from None
    if not roles_over(user, org) & WATCH_ROLES:
        raise Http404("Không tìm thấy đơn vị")
    return org


def _crumbs(org: Organisation, user) -> list[Organisation]:
    """Ancestors the user may watch, ending with org: the breadcrumb back up the tree."""
    return [a for a in org.ancestors() if roles_over(user, a) & WATCH_ROLES]


def _base(request, org):
    today = _today(request)  # pages only read: the roll-ups are kept current by the writes themselves
    return {"org": org, "crumbs": _crumbs(org, request.user), "today": today}


@login_required
def monitoring_home(request):
    root = oversight_root(request.user)
    if root is None:
        raise Http404("Bạn không có quyền xem trang giám sát")
    return redirect("monitoring_overview", pk=root.pk)


def _status_rows(counts: dict[str, int], order, colours) -> list[dict]:
    return [{"key": s.value, "label": s.label, "n": counts.get(s.value, 0), "colour": colours[s.value]} for s in order]


@login_required
def overview(request, pk: int):
    org = _org_in_scope(request.user, pk)
    ctx = _base(request, org)
    today = ctx["today"]
    # One aggregate (child × plan × group × status) gives the heat maps, the per-child table and the totals.
    heat = S.heatmap(org, today)
    counts: dict[str, int] = defaultdict(int)
    by_child: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (child, _plan, _group), c in heat.items():
        for k, n in c.items():
            counts[k] += n
            by_child[child][k] += n
    children = {o.path: o for o in Organisation.objects.filter(path__in=list(by_child))}
    child_rows = []
    overview_url = reverse("monitoring_overview", args=[0])  # one reverse, not one per unit
    from planwatch.orgs.ordering import unit_sort_key

    def child_order(kv):  # units assigned directly first, then by kind and Vietnamese alphabetical order
        o = children.get(kv[0])
        return (kv[0] != org.path, unit_sort_key(o.kind, o.name) if o else (99,))

    for path, c in sorted(by_child.items(), key=child_order):
        child = children.get(path)
        if child is None:
            continue
        total = sum(c.values())
        bad = c.get("overdue", 0) + c.get("not_reported", 0)
        child_rows.append({"org": child, "self": path == org.path, "counts": c, "total": total, "bad": bad,
                           "pct_bad": round(100 * bad / total) if total else 0,
                           "url": overview_url.replace("/0/", f"/{child.pk}/")})  # fmt: skip
    ind_counts, behind = S.indicator_summary(org, today, limit=20)
    summary = S.reporting_summary(org, today)
    reporting, silent = summary.counts, summary.silent
    warnings = {k: {"tasks": shown, "n_tasks": n_tasks, "n_rows": n_rows, "more": n_tasks - len(shown)}
                for k, (shown, n_tasks, n_rows) in S.task_warnings(org, today, limit=WARN_TASKS).items()}  # fmt: skip
    heat_plans = _heat_plans(heat, child_rows)
    plans = {hp["plan"].pk: hp["plan"] for hp in heat_plans}  # every plan with assignments in the subtree
    for w in warnings["overdue"]["tasks"] + warnings["soon_idle"]["tasks"]:
        w.plan = plans.get(w.plan_id)
    behind_total = ind_counts.get(IndicatorStatus.BEHIND.value, 0) + ind_counts.get(IndicatorStatus.MISSED.value, 0)
    # The bar chart: at most CHART_UNITS units, those with the most overdue assignments.
    worst = sorted(child_rows, key=lambda r: (-r["counts"].get("overdue", 0), -r["bad"], -r["total"], r["org"].name))
    shown = worst[:CHART_UNITS]
    chart = {
        "tasks": [{"name": r["label"], "value": r["n"], "key": r["key"]} for r in _status_rows(counts, TASK_ORDER, TASK_COLOUR) if r["n"]],
        "indicators": [{"name": r["label"], "value": r["n"], "key": r["key"]} for r in _status_rows(ind_counts, IND_ORDER, IND_COLOUR) if r["n"]],
        "children": {
            "names": [r["org"].short_name or r["org"].name for r in shown],
            "series": [{"key": s.value, "name": s.label, "data": [r["counts"].get(s.value, 0) for r in shown]} for s in TASK_ORDER],
        },
    }  # fmt: skip
    ctx.update(
        task_rows=_status_rows(counts, TASK_ORDER, TASK_COLOUR), task_total=sum(counts.values()),
        ind_rows=_status_rows(ind_counts, IND_ORDER, IND_COLOUR), ind_total=sum(ind_counts.values()),
        reporting=reporting, child_rows=child_rows, overdue=warnings["overdue"], soon_idle=warnings["soon_idle"],
        behind=behind, behind_total=behind_total, silent=silent[:30], silent_total=len(silent),
        overdue_total=counts.get("overdue", 0), heat_plans=heat_plans, chart=chart,
        chart_units=len(shown), chart_height=max(320, 30 * len(shown) + 100), chart_all=len(shown) == len(child_rows),
    )  # fmt: skip
    return render(request, "web/monitoring/overview.html", ctx)


WARN_TASKS = 10  # tasks listed in each task warning
CHART_UNITS = 40  # units drawn in the bar chart (the table below lists them all)
HEAT_OPEN = 4  # heat maps shown unfolded when there are at most this many plans


def _heat_plans(heat, child_rows) -> list[dict]:
    """One heat map per plan: the child units that carry its tasks × the plan's task groups
    (in the plan's order), each cell the counts of one (unit, group). One query for the groups
    with their plans; a plan whose tasks have no group at all costs one more."""
    group_ids = {g for _, _, g in heat if g is not None}
    plan_ids = {p for _, p, _ in heat}
    groups = {g.pk: g for g in TaskGroup.objects.filter(pk__in=group_ids).select_related("plan__document", "plan__owner")}
    plans = {g.plan_id: g.plan for g in groups.values()}
    if plan_ids - set(plans):
        plans.update(Plan.objects.select_related("document", "owner").in_bulk(list(plan_ids - set(plans))))
    cols: dict[int, set] = defaultdict(set)
    for _, p, g in heat:
        cols[p].add(g)
    ordered = sorted(plans.values(), key=lambda p: (p.owner.depth, p.owner.path, plan_label(p)))
    out = []
    for plan in ordered:
        gs = sorted((groups[g] for g in cols[plan.pk] if g is not None), key=lambda g: (g.position, g.code))
        if None in cols[plan.pk]:
            gs.append(None)
        rows = []
        for row in child_rows:
            path = row["org"].path
            cells = []
            for g in gs:
                c = heat.get((path, plan.pk, g.pk if g is not None else None), {})
                total = sum(c.values())
                bad = c.get("overdue", 0) + c.get("not_reported", 0) + c.get("done_late", 0)
                pen, out_of = ranking.heat_penalty(c)  # the colour: overdue weighs twice finished late
                cells.append({"group": g, "total": total, "bad": bad, "pen": pen, "out_of": out_of})
            if any(c["total"] for c in cells):
                rows.append({"org": row["org"], "cells": cells})
        out.append({"plan": plan, "groups": gs, "rows": rows})
    for i, hp in enumerate(out):
        hp["open"] = len(out) <= HEAT_OPEN or i == 0
    return out


TASK_PAGE_SIZE = 100


def _int_param(request, name) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


@login_required
def task_list(request, pk: int):
    org = _org_in_scope(request.user, pk)
    ctx = _base(request, org)
    status = request.GET.get("trang_thai") or None
    if status and status not in TaskStatus._value2member_map_:
        status = None
    unit = None
    if request.GET.get("don_vi"):
        unit = _org_in_scope(request.user, request.GET["don_vi"])
        if not unit.path.startswith(org.path):
            raise Http404
    # ?nhom=<id of a task group> (a group belongs to one plan); an old link's ?nhom=II is a code.
    group_code, group_id = None, None
    group_obj = plan_obj = task_obj = None
    raw_group = request.GET.get("nhom") or ""
    if raw_group.isdigit():
        group_id = int(raw_group)
        if group_id:
            group_obj = TaskGroup.objects.select_related("plan__document").filter(pk=group_id).first()
    elif raw_group:
        group_code = raw_group
    plan_id, task_id = _int_param(request, "ke_hoach"), _int_param(request, "nhiem_vu")
    if plan_id:
        plan_obj = Plan.objects.select_related("document").filter(pk=plan_id).first()
    if task_id:
        task_obj = Task.objects.select_related("plan__document").filter(pk=task_id).first()
    no_progress = request.GET.get("chua_bao_cao") == "1"
    qs = S.task_list(unit or org, ctx["today"], status=status, group=group_code, group_id=group_id, plan_id=plan_id,
                     task_id=task_id, no_progress=no_progress)  # fmt: skip
    page = Paginator(qs, TASK_PAGE_SIZE).get_page(request.GET.get("trang"))
    ctx.update(rows=list(page.object_list), page=page, total=page.paginator.count, keep=_keep(request),
               status=TaskStatus(status) if status else None, group=group_code, group_obj=group_obj,
               no_group=group_id == 0, plan_obj=plan_obj, task_obj=task_obj, unit=unit, no_progress=no_progress,
               filtered=bool(request.GET.keys() - {"trang"}), colours=TASK_COLOUR)  # fmt: skip
    return render(request, "web/monitoring/task_list.html", ctx)


@login_required
def task_unit(request, pk: int, task_pk: int):
    """One task as one unit carries it: status today, the latest accepted lines, the way back."""
    org = _org_in_scope(request.user, pk)
    ctx = _base(request, org)
    state = S.with_status(S.states_under(org).filter(org_id=org.pk, task_id=task_pk), ctx["today"])
    state = state.select_related("task__group", "task__plan__document", "org").first()
    if state is None:
        raise Http404("Đơn vị này không được giao nhiệm vụ này")
    ctx.update(s=state, task=state.task, history=list(S.task_history(task_pk, org.pk)[:24]), colours=TASK_COLOUR,
               sub=f"Nhiệm vụ {state.task.code}")  # fmt: skip
    return render(request, "web/monitoring/task_unit.html", ctx)


INDICATOR_PAGE_SIZE = 100
UNIT_PAGE_SIZE = 100
# Above this many organisations in the subtree, the reporting tab first shows the child units
# (the nation's provinces) with their sums; the units themselves are one click away, paged.
CHILDREN_FIRST_FROM = 300


def _keep(request) -> str:
    """The query string without the page number, for the pager's links."""
    keep = request.GET.copy()
    keep.pop("trang", None)
    return keep.urlencode()


@login_required
def indicator_list(request, pk: int):
    org = _org_in_scope(request.user, pk)
    ctx = _base(request, org)
    status = request.GET.get("trang_thai") or None
    qs = S.indicators_under(org, ctx["today"]).select_related("plan__document").order_by("plan__owner__path", "plan_id", "position", "pk")
    if status:
        # The assessment as of today picks the rows; only those shown are assessed again.
        qs = qs.filter(pk__in=S.indicator_ids_with_status(org, status, ctx["today"]))
    page = Paginator(qs, INDICATOR_PAGE_SIZE).get_page(request.GET.get("trang"))
    assessed = S.assess(list(page.object_list), ctx["today"])
    ctx.update(rows=assessed, page=page, total=page.paginator.count, keep=_keep(request), filtered=bool(request.GET.keys() - {"trang"}),
               status=IndicatorStatus(status) if status in IndicatorStatus._value2member_map_ else None,
               colours=IND_COLOUR)  # fmt: skip
    return render(request, "web/monitoring/indicator_list.html", ctx)


SORTS = {"": "theo loại đơn vị và tên", "khong-gui": "nhiều kỳ liền không gửi nhất trước"}


@login_required
def reporting_list(request, pk: int):
    """Units expected to report under `org` with their reports on time / late / missing over
    the last 12 due periods: one SQL statement (selectors.reporting_rows), then filtered,
    ordered (kind, then Vietnamese alphabetical order) and paged here. A large subtree (the
    nation) first shows its child units summed in SQL (selectors.reporting_by_child)."""
    from planwatch.lib.text import search_key
    from planwatch.orgs.ordering import unit_sort_key

    org = _org_in_scope(request.user, pk)
    ctx = _base(request, org)
    today = ctx["today"]
    only = request.GET.get("loc") or ""
    latest_filter = LATEST_FILTERS.get(only)
    q = (request.GET.get("q") or "").strip()[:100]
    sort = request.GET.get("sap_xep") or ""
    sort = sort if sort in SORTS else ""
    show_units = request.GET.get("xem") == "don-vi" or bool(only or q or sort)
    if not show_units:  # a small subtree lists its units at once; counting its organisations is one index scan
        show_units = Organisation.objects.filter(path__startswith=org.path).count() < CHILDREN_FIRST_FROM
    children = None
    if not show_units:
        # One statement: the units' figures summed per child in SQL (the nation: 34 provinces).
        sums = S.reporting_by_child(org, today)
        kids = {o.path: o for o in Organisation.objects.filter(path__in=list(sums)).only("pk", "name", "kind", "path")}
        children = [(kids[p], c) for p, c in sums.items() if p in kids]
        children.sort(key=lambda oc: (oc[0].path != org.path, unit_sort_key(oc[0].kind, oc[0].name)))
        ctx.update(children=children, show_units=False, total=sum(c.units for c in sums.values()), only=only, q=q, sort=sort,
                   sorts=SORTS, only_label=None)  # fmt: skip
        return render(request, "web/monitoring/reporting_list.html", ctx)
    rows = S.reporting_rows(org, today)
    if only == "hai-ky":
        rows = [u for u in rows if u.missed_in_a_row >= 2]
    elif latest_filter:
        rows = [u for u in rows if latest_filter[0] in u.latest]
    if q:
        key = search_key(q)
        rows = [u for u in rows if key in search_key(u.name)]
    if sort == "khong-gui":
        rows.sort(key=lambda u: (-u.missed_in_a_row, -u.missing, unit_sort_key(u.kind, u.name)))
    else:
        rows.sort(key=lambda u: unit_sort_key(u.kind, u.name))
    page = Paginator(rows, UNIT_PAGE_SIZE).get_page(request.GET.get("trang"))
    ctx.update(rows=list(page.object_list), page=page, total=len(rows), keep=_keep(request), only=only, q=q, sort=sort,
               sorts=SORTS, show_units=show_units, children=children,
               only_label=latest_filter[1] if latest_filter else None)  # fmt: skip
    return render(request, "web/monitoring/reporting_list.html", ctx)


def _num(v):
    return None if v is None else float(v)


@login_required
def indicator_data(request, pk: int):
    """Series for the indicator page chart: history, targets, baseline trajectory, projection,
    and the chain of aligned indicators above and below with their latest values."""
    try:
        ind = Indicator.objects.select_related("plan__owner", "aligned_to__plan__owner").get(pk=pk)
    except (Indicator.DoesNotExist, ValueError):
        raise Http404 from None
    get_plan_for_user(request.user, ind.plan_id)
    today = _today(request)
    chain = []
    up = ind.aligned_to
    while up is not None and len(chain) < 5:
        chain.insert(0, up)
        up = up.aligned_to
    below = list(Indicator.objects.filter(aligned_to=ind).select_related("plan__owner"))
    assessed = {a.indicator.pk: a for a in S.assess(chain + [ind] + below, today)}
    me = assessed[ind.pk]
    a = me.assessment
    history = [{"on": p.period_end.isoformat(), "value": _num(p.value), "num": _num(p.numerator), "den": _num(p.denominator),
                "contributors": p.contributors} for p in me.points]  # fmt: skip
    specs = S._targets([ind.pk]).get(ind.pk, {})
    targets = []
    for year, spec in sorted(specs.items()):
        targets.append({"year": year, "raw": spec.raw, "value": _num(spec.value), "max": _num(spec.value_max), "op": spec.op, "kind": spec.kind.value})
    baseline = None
    if ind.baseline_value is not None and ind.baseline_year:
        baseline = {"on": f"{ind.baseline_year}-12-31", "value": _num(ind.baseline_value)}
    path, path_from = S.planned_path(me, specs)
    path_json = [{"on": o.on.isoformat(), "value": _num(o.value)} for o in path]
    projection = None
    if a.projected is not None and a.latest is not None and a.milestone_year:
        projection = [{"on": a.latest.on.isoformat(), "value": _num(a.latest.value)},
                      {"on": f"{a.milestone_year}-12-31", "value": _num(a.projected)}]  # fmt: skip

    def level(x):
        aa = assessed[x.pk].assessment
        return {"id": x.pk, "code": x.code, "name": x.name, "owner": x.plan.owner.name, "unit": x.unit,
                "latest": _num(aa.latest.value) if aa.latest else None,
                "latest_text": format_vn_number(aa.latest.value.normalize()) if aa.latest else None,
                "on": aa.latest.on.isoformat() if aa.latest else None, "status": aa.status.value,
                "status_label": aa.status.label, "self": x.pk == ind.pk}  # fmt: skip

    return JsonResponse({
        "name": ind.name, "unit": ind.unit, "direction": ind.direction, "history": history, "targets": targets,
        "baseline": baseline, "trajectory": path_json, "trajectory_from": path_from,
        "projection": projection, "status": a.status.value, "status_label": a.status.label,
        "reason": a.reason, "chain": [level(x) for x in chain + [ind] + below],
    })  # fmt: skip
