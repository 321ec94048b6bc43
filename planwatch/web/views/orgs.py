from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from planwatch.orgs.access import get_org_for_user
from planwatch.orgs.models import Organisation
from planwatch.orgs.ordering import grouped_by_kind, name_key, sorted_by_kind_then_name, sorted_by_name
from planwatch.plans.selectors import assignments_of


@login_required
def org_tree(request):
    # Units that have ended (the former district, merged communes) are history: hidden unless asked.
    show_ended = request.GET.get("ket-thuc") == "1"
    orgs = list(Organisation.objects.order_by("path"))
    ended = sum(1 for o in orgs if o.valid_to)
    if not show_ended:
        orgs = [o for o in orgs if not o.valid_to]
    roots = [o for o in orgs if not any(o.path.startswith(p.path) and p.pk != o.pk for p in orgs)]
    by_parent: dict = {}
    for o in orgs:
        by_parent.setdefault(o.parent_id, []).append(o)
    # Each kind in a fixed order, its units in Vietnamese alphabetical order of the name
    # without "Xã"/"Phường"/"Đặc khu" (the commune list starts at A, not at "Xã Tịnh Khê").
    sections = [(root, grouped_by_kind(by_parent.get(root.pk, []))) for root in sorted_by_name(roots)]
    return render(request, "web/org_tree.html", {"sections": sections, "by_parent": by_parent,
                                                  "show_ended": show_ended, "ended_count": ended})


@login_required
def org_detail(request, pk: int):
    org = get_org_for_user(request.user, pk)
    assignments = list(assignments_of(org))
    by_plan: dict = {}
    for a in assignments:
        by_plan.setdefault(a.task.plan, []).append(a)
    return render(request, "web/org_detail.html", {
        "org": org,
        "ancestors": [a for a in org.ancestors() if a.pk != org.pk],
        "children": sorted_by_kind_then_name(org.children.all()),
        "aliases": org.aliases.order_by("alias"),
        "successors": sorted(org.successions.select_related("successor"), key=lambda s: name_key(s.successor)),
        "predecessors": sorted(org.predecessions.select_related("predecessor"), key=lambda s: name_key(s.predecessor)),
        "by_plan": by_plan,
        "assignment_count": len(assignments),
        "indicators": org.indicators.select_related("plan").order_by("plan__code", "position"),
    })
