"""Background jobs of monitoring: thin, idempotent, safe to retry."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="monitoring.refresh_for_today")
def refresh_for_today() -> int:
    """Run just after midnight (beat): re-assess every indicator for the new day, so that the
    first leader to open a dashboard does not wait for it. Returns how many were re-assessed
    (0 when a reader already did it)."""
    from django.utils import timezone

    from .models import IndicatorState
    from .services import ensure_fresh

    today = timezone.localdate()
    stale = IndicatorState.objects.exclude(assessed_on=today).count()
    ensure_fresh(today)
    return stale
