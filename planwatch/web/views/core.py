from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from planwatch.orgs.access import home_org, scopes_for
from planwatch.plans.models import Plan


@login_required
def home(request):
    org = home_org(request.user)
    plans = Plan.objects.select_related("owner", "document").order_by("owner__depth", "code")
    return render(request, "web/home.html", {"org": org, "scopes": scopes_for(request.user), "plans": plans})


def root_redirect(request):
    return redirect("home")
