"""Background jobs of monitoring: thin, idempotent, safe to retry."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="monitoring.refresh_for_today")
def refresh_for_today() -> int:
    """Run just after midnight (beat): re-assess every indicator for the new day (the next
    milestone and the projection move with the calendar). No rebuild: the roll-ups are kept
    exact by the writes. Returns how many were re-assessed (0 when already done)."""
    from django.db import transaction
    from django.utils import timezone

    from .services import ensure_assessed

    with transaction.atomic():
        return ensure_assessed(timezone.localdate())


@shared_task(name="monitoring.repair_rollups")
def repair_rollups() -> bool:
    """Every few minutes (beat): when the drift fingerprint says a write went around every
    receiver (a raw bulk load), rebuild the roll-ups by upsert under the rebuild lock while
    pages keep reading the old rows. Cheap when nothing drifted (one aggregate query).
    Returns True if it rebuilt."""
    from .services import repair_if_drifted

    return repair_if_drifted()
