"""Test helper: the incremental roll-ups must equal a full rebuild.

    from planwatch.monitoring.tests.rollup_check import assert_rollups_match_rebuild

    ...edits through services, the admin or Model.save()...
    assert_rollups_match_rebuild(today)

It snapshots TaskState, IndicatorPoint and IndicatorState as sorted tuples, rebuilds from
scratch inside a savepoint that is rolled back (the database is left as it was), snapshots
again and compares, naming the first differing rows. `today` (default: the local date, so
the day time_machine travelled to) is the day indicators are assessed for."""

from __future__ import annotations

from django.db import transaction

from planwatch.monitoring import services
from planwatch.monitoring.models import IndicatorPoint, IndicatorState, TaskState


def _attnames(model, fields):
    return [model._meta.get_field(f).attname for f in fields]


def rollup_rows() -> dict[str, list[tuple]]:
    """Every roll-up row as a tuple of its key and stored fields (ids of the rows left out)."""
    return {
        "TaskState": sorted(TaskState.objects.values_list("task_id", "org_id", *_attnames(TaskState, services._TS_FIELDS))),
        "IndicatorPoint": sorted(
            IndicatorPoint.objects.values_list("indicator_id", "period_id", *_attnames(IndicatorPoint, services._IP_FIELDS))
        ),
        "IndicatorState": sorted(
            IndicatorState.objects.values_list("indicator_id", *_attnames(IndicatorState, services._IS_FIELDS))
        ),
    }


class _Rollback(Exception):
    pass


def rollup_differences(today=None, limit: int = 5) -> dict[str, dict[str, list[tuple]]]:
    """{table: {"only_incremental": [...], "only_rebuild": [...]}} for tables that differ.
    Inside a savepoint rolled back at the end: first the stored assessments made on another
    day are brought to `today` as the midnight job would (services.ensure_assessed: rows
    already assessed today are left as they are, so a missed re-assessment still shows), then
    the rows are compared with those of a full rebuild."""
    from django.utils import timezone

    today = today or timezone.localdate()
    diff: dict[str, dict[str, list[tuple]]] = {}
    try:
        with transaction.atomic():
            services.ensure_assessed(today)
            incremental = rollup_rows()
            assert services.rebuild_rollups(today=today) is not None, "another rebuild holds the lock"
            rebuilt = rollup_rows()
            raise _Rollback
    except _Rollback:
        pass
    for table, rows in incremental.items():
        a, b = set(rows), set(rebuilt[table])
        if a != b:
            diff[table] = {"only_incremental": sorted(a - b)[:limit], "only_rebuild": sorted(b - a)[:limit]}
    return diff


def assert_rollups_match_rebuild(today=None) -> None:
    diff = rollup_differences(today)
    assert not diff, f"incremental roll-ups differ from a full rebuild: {diff}"
