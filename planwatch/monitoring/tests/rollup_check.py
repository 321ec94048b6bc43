"""Test helper: the incremental roll-ups must equal a full rebuild.

    from planwatch.monitoring.tests.rollup_check import assert_rollups_match_rebuild

    ...edits through services, the admin or Model.save()...
    assert_rollups_match_rebuild(today)

It snapshots TaskState, IndicatorPoint and IndicatorState as sorted tuples and compares them
with the rows a full rebuild computes (services.compute_rollups, the very computation
rebuild_rollups() writes), naming the first differing rows. Nothing is left written. `today` (default: the local date, so
the day time_machine travelled to) is the day indicators are assessed for."""

from __future__ import annotations

from django.db import transaction

from planwatch.monitoring import services
from planwatch.monitoring.models import IndicatorPoint, IndicatorState, TaskState


def _attnames(model, fields):
    return [model._meta.get_field(f).attname for f in fields]


_TABLES = (
    ("TaskState", TaskState, ["task", "org"], services._TS_FIELDS),
    ("IndicatorPoint", IndicatorPoint, ["indicator", "period"], services._IP_FIELDS),
    ("IndicatorState", IndicatorState, ["indicator"], services._IS_FIELDS),
)


def rollup_rows(plan_ids=None) -> dict[str, list[tuple]]:
    """Every stored roll-up row (of these plans) as a tuple of its key and stored fields (row
    ids left out)."""
    return {
        name: sorted(
            (model.objects.all() if plan_ids is None else model.objects.filter(plan_id__in=plan_ids)).values_list(
                *_attnames(model, key + fields)
            )
        )
        for name, model, key, fields in _TABLES
    }


def rebuilt_rows(today=None, plan_ids=None) -> dict[str, list[tuple]]:
    """The rows a full rebuild would store (services.compute_rollups, the rebuild's own
    computation), as rollup_rows() gives them; nothing is written."""
    computed = dict(zip([t[0] for t in _TABLES], services.compute_rollups(today, plan_ids)))
    out = {}
    for name, model, key, fields in _TABLES:
        att = _attnames(model, key + fields)
        out[name] = sorted(tuple(getattr(obj, a) for a in att) for obj in computed[name])
    return out


class _Rollback(Exception):
    pass


def rollup_differences(today=None, limit: int = 5, plan_ids=None) -> dict[str, dict[str, list[tuple]]]:
    """{table: {"only_incremental": [...], "only_rebuild": [...]}} for tables that differ.
    The stored assessments made on another day are first brought to `today` as the midnight
    job would (services.ensure_assessed: rows already assessed today are left as they are, so
    a missed re-assessment still shows), inside a savepoint rolled back at the end."""
    from django.utils import timezone

    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            services.ensure_assessed(today)
            incremental = rollup_rows(plan_ids)
            raise _Rollback
    except _Rollback:
        pass
    rebuilt = rebuilt_rows(today, plan_ids)
    diff: dict[str, dict[str, list[tuple]]] = {}
    for table, rows in incremental.items():
        a, b = set(rows), set(rebuilt[table])
        if a != b:
            diff[table] = {"only_incremental": sorted(a - b)[:limit], "only_rebuild": sorted(b - a)[:limit]}
    return diff


def assert_rollups_match_rebuild(today=None, plan_ids=None) -> None:
    """~0.1 s on the Quảng Ngãi demo (SQLite); a few ms for the rows of one small plan."""
    diff = rollup_differences(today, plan_ids=plan_ids)
    assert not diff, f"incremental roll-ups differ from a full rebuild: {diff}"


def assert_sql_statuses_match_rules(states, day) -> int:
    """The SQL statuses (selectors.with_status) of these TaskState rows equal the pure rules:
    which rows count (selectors.counts_on) and each row's status (status.task_status).
    Returns how many rows were compared."""
    from planwatch.lib.deadlines import DeadlineSpec
    from planwatch.monitoring import selectors as S
    from planwatch.monitoring.status import task_status

    rows = list(S.with_status(states.select_related("task", "plan"), day))
    counted = {
        s.pk for s in states
        if S.counts_on(day, org_valid_to=s.org_valid_to, task_retired_on=s.task_retired_on,
                       valid_from=s.valid_from, valid_to=s.valid_to)
    }  # fmt: skip
    assert {s.pk for s in rows} == counted
    for s in rows:
        cutoff = S.reporting_cutoff(day, s.plan.reporting_due_day)
        expected = task_status(
            DeadlineSpec.from_dict(s.task.deadline_spec), s.progress or None, s.completed_on, day,
            reported_this_period=bool(s.period_end and s.period_end >= cutoff),
        )  # fmt: skip
        assert s.status == expected.value, (s.task.deadline_raw, s.progress, s.completed_on, s.period_end, day)
    return len(rows)
