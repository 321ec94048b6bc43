from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from planwatch.orgs.access import has_oversight, home_org, is_admin, scopes_for
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


def home_actions(user, scopes) -> dict[str, bool]:
    """What the home page offers: the unit's report to people who report for a unit
    (reporter, approver); the monitoring pages to leaders, supervisors and admins, who report
    for no unit (the report page would be empty for them); periods and reminders to those
    who run the reporting (supervisors, admins)."""
    roles = {s.role for s in scopes}
    return {
        "report": bool(roles & {Role.REPORTER, Role.APPROVER}),
        "monitor": has_oversight(user),
        "periods": bool(roles & {Role.SUPERVISOR, Role.ADMIN}) or is_admin(user),
    }


@login_required
def home(request):
    org = home_org(request.user)
    scopes = scopes_for(request.user)
    plans = Plan.objects.select_related("owner", "document").order_by("owner__depth", "code")
    return render(request, "web/home.html", {"org": org, "scopes": scopes, "roles": role_labels(scopes), "plans": plans,
                                             "actions": home_actions(request.user, scopes)})  # fmt: skip


def root_redirect(request):
    return redirect("home")
