from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from planwatch.orgs.access import home_org, scopes_for
from planwatch.orgs.models import Role
from planwatch.plans.models import Plan


def role_labels(scopes) -> list[str]:
    """The Vietnamese names of the user's roles ("Cán bộ báo cáo", "Cơ quan thường trực"…),
    each once, in membership order."""
    labels: list[str] = []
    for s in scopes:
        label = Role(s.role).label if s.role in Role.values else s.role
        if label not in labels:
            labels.append(label)
    return labels


@login_required
def home(request):
    org = home_org(request.user)
    scopes = scopes_for(request.user)
    plans = Plan.objects.select_related("owner", "document").order_by("owner__depth", "code")
    return render(request, "web/home.html", {"org": org, "scopes": scopes, "roles": role_labels(scopes), "plans": plans})


def root_redirect(request):
    return redirect("home")
