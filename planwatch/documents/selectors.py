"""Read-side helpers for exports."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from planwatch.reporting.models import ReportingPeriod


def demo_period(plan_code: str = "qn-327-2025") -> ReportingPeriod | None:
    """The latest period of the plan in which most units have reported (the demo's
    "current" consolidated report)."""
    qs = (
        ReportingPeriod.objects.filter(plan__code=plan_code)
        .annotate(n=Count("reports"))
        .filter(n__gte=10)
        .select_related("plan__owner", "plan__standing_agency")
        .order_by("-end")
    )
    return qs.filter(end__lt=timezone.localdate()).first() or qs.first()
