from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from planwatch.orgs.access import get_org_for_user
from planwatch.orgs.models import Organisation, OrgKind
from planwatch.plans.selectors import assignments_of


@login_required
def org_tree(request):
    orgs = list(Organisation.objects.order_by("path"))
    roots = [o for o in orgs if not any(o.path.startswith(p.path) and p.pk != o.pk for p in orgs)]
    by_parent: dict = {}
    for o in orgs:
        by_parent.setdefault(o.parent_id, []).append(o)
    sections = []
    for root in roots:
        children = by_parent.get(root.pk, [])
        order = [OrgKind.PEOPLES_COMMITTEE, OrgKind.PARTY_COMMITTEE, OrgKind.DEPARTMENT, OrgKind.AGENCY, OrgKind.GROUP,
                 OrgKind.DISTRICT, OrgKind.WARD, OrgKind.COMMUNE, OrgKind.SPECIAL_ZONE]
        kinds = []
        for k in order:
            members = [c for c in children if c.kind == k]
            if members:
                kinds.append((OrgKind(k).label, members))
        sections.append((root, kinds))
    return render(request, "web/org_tree.html", {"sections": sections, "by_parent": by_parent})


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
        "children": org.children.order_by("kind", "name"),
        "aliases": org.aliases.order_by("alias"),
        "successors": org.successions.select_related("successor"),
        "predecessors": org.predecessions.select_related("predecessor"),
        "by_plan": by_plan,
        "assignment_count": len(assignments),
        "indicators": org.indicators.select_related("plan").order_by("plan__code", "position"),
    })
