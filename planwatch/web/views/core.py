from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from planwatch.orgs.access import has_oversight, home_org, is_admin, scopes_for
from planwatch.orgs.models import Role
from planwatch.plans.models import Plan
from planwatch.reporting.access import oversight_root
from planwatch.reporting.todo import todo_for


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


def scope_warnings(user, today) -> dict | None:
    """For people who watch a subtree (leaders, the standing agency, admins): the warnings of
    their scope in a few numbers, each linked to the monitoring list behind it. Two aggregates
    over the roll-up tables (the same numbers as the monitoring overview)."""
    root = oversight_root(user)
    if root is None:
        return None
    from planwatch.monitoring import selectors as S

    tasks = S.task_counts(root, today)
    inds = S.indicator_state_counts(root, today)
    tasks_url = reverse("monitoring_tasks", args=[root.pk])
    inds_url = reverse("monitoring_indicators", args=[root.pk])
    rows = [
        ("overdue", "nhiệm vụ – đơn vị quá hạn", tasks.get("overdue", 0), f"{tasks_url}?trang_thai=overdue", "red"),
        ("not_reported", "nhiệm vụ thường xuyên chưa báo cáo kỳ này", tasks.get("not_reported", 0), f"{tasks_url}?trang_thai=not_reported", "red"),
        ("due_soon", "nhiệm vụ – đơn vị sắp đến hạn", tasks.get("due_soon", 0), f"{tasks_url}?trang_thai=due_soon", "amber"),
        ("missed", "chỉ tiêu không đạt", inds.get("missed", 0), f"{inds_url}?trang_thai=missed", "red"),
        ("behind", "chỉ tiêu chậm (có nguy cơ không đạt)", inds.get("behind", 0), f"{inds_url}?trang_thai=behind", "amber"),
    ]  # fmt: skip
    return {"root": root, "rows": [dict(zip(("key", "label", "n", "url", "colour"), r)) for r in rows if r[2]],
            "overview": reverse("monitoring_overview", args=[root.pk])}  # fmt: skip


def _relief_url(relief) -> str:
    """The decision page of a "Không thuộc phạm vi" request ("" while that area is not wired)."""
    try:
        return reverse("relief_detail", args=[relief.pk])
    except NoReverseMatch:
        return ""


@login_required
def home(request):
    """“Việc cần làm”: everyone's home page (reports to write, returned, to check and send,
    to accept, relief requests to decide, warnings of the scope), then the plans."""
    org = home_org(request.user)
    scopes = scopes_for(request.user)
    plans = Plan.objects.select_related("owner", "document").order_by("owner__depth", "code")
    today = timezone.localdate()
    todo = todo_for(request.user, today=today)
    todo["relief_items"] = [(r, _relief_url(r)) for r in (todo["relief"] or [])[:20]]
    return render(request, "web/home.html", {"org": org, "scopes": scopes, "roles": role_labels(scopes), "plans": plans,
                                             "actions": home_actions(request.user, scopes), "todo": todo,
                                             "warnings": scope_warnings(request.user, today)})  # fmt: skip


def root_redirect(request):
    return redirect("home")
