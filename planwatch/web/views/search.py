from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from planwatch.plans.selectors import search as run_search


@login_required
def search(request):
    q = request.GET.get("q", "")[:200]
    results = run_search(q) if q.strip() else None
    return render(request, "web/search.html", {"q": q, "results": results})
