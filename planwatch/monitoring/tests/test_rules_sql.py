"""The SQL mirrors of the status rules agree with the rules themselves, row by row, over one
table of cases: the same rows are judged by status.task_status() in Python and by
status.task_status_sql() in the database (through selectors.with_status, which the dashboards
use), on boundary days, for plans whose reports are due on the 5th, 10th, 15th and 31st, for
units that have ended, for work done late and last year's completions."""

from datetime import date
from itertools import product

import pytest

from planwatch.lib.deadlines import parse_deadline
from planwatch.monitoring import selectors as S
from planwatch.monitoring.models import TaskState
from planwatch.monitoring.status import TaskStatus, reporting_cutoff, task_status
from planwatch.orgs.models import Organisation
from planwatch.plans.models import Plan, Task
from planwatch.reporting.periods import due_after

DEADLINES = [
    "31/10/2025", "Tháng 9/2025", "Quý IV/2025", "Năm 2025", "Thường xuyên", "Hằng năm",
    "2025 và những năm tiếp theo", "Từ năm 2027 trở đi", None, "Khi có yêu cầu",
]  # fmt: skip
PROGRESS = [
    (None, None), ("not_started", None), ("in_progress", None),
    ("done", date(2025, 10, 31)),  # on the deadline day itself
    ("done", date(2025, 11, 1)),  # the day after: done late
    ("done", None),  # done, the report does not say when
    ("done", date(2024, 12, 20)),  # last year's round of a yearly task
]  # fmt: skip
PERIOD_ENDS = [None, date(2025, 9, 30), date(2025, 10, 31), date(2026, 1, 31)]
DUE_DAYS = [5, 10, 15, 31]
UNIT_LAST_DAYS = [None, date(2025, 10, 31)]  # a unit ended by a reorganisation on 31/10/2025
TODAYS = [
    date(2025, 10, 31), date(2025, 11, 1),  # a deadline day and the day after
    date(2025, 11, 5), date(2025, 11, 6), date(2025, 11, 15), date(2025, 11, 16),  # due days 5 and 15
    date(2025, 12, 1), date(2025, 12, 31), date(2026, 1, 1), date(2026, 2, 1), date(2028, 2, 29),
]  # fmt: skip


@pytest.fixture
def table(demo):
    """One TaskState row per case: (deadline × unit end × plan due day) on the units axis,
    (progress × period of the latest accepted report) on the tasks axis."""
    TaskState.objects.all().delete()  # rolled back after the test
    plans = {}
    for day in DUE_DAYS:
        plan = Plan.objects.get(pk=demo.plan.pk)
        plan.pk, plan.code, plan.reporting_due_day = None, f"rules-sql-{day}", day
        plan.save()
        plans[day] = plan
    units = [(d, last, day) for d, last, day in product(DEADLINES, UNIT_LAST_DAYS, DUE_DAYS)]
    lines = list(product(PROGRESS, PERIOD_ENDS))
    orgs = list(Organisation.objects.order_by("pk")[: len(units)])
    tasks = list(Task.objects.order_by("pk")[: len(lines)])
    assert len(orgs) == len(units) and len(tasks) == len(lines)
    rows, cases = [], {}
    for org, (raw, last_day, due_day) in zip(orgs, units):
        spec = parse_deadline(raw).value
        for task, ((progress, done_on), period_end) in zip(tasks, lines):
            rows.append(TaskState(
                task=task, org=org, plan=plans[due_day], org_path=org.path, org_valid_to=last_day,
                deadline_kind=spec.kind.value, deadline_due=spec.due, progress=progress or "",
                completed_on=done_on, period_end=period_end,
            ))  # fmt: skip
            cases[(task.pk, org.pk)] = (spec, progress, done_on, period_end, due_day, last_day)
    TaskState.objects.bulk_create(rows)
    return cases


@pytest.mark.parametrize("today", TODAYS, ids=str)
def test_the_sql_task_status_is_the_python_rule_on_every_row(table, today):
    sql = {(s.task_id, s.org_id): s.status for s in S.with_status(TaskState.objects.all(), today)}
    seen_statuses = set()
    for key, (spec, progress, done_on, period_end, due_day, last_day) in table.items():
        # "unit still exists on the day": the rule of orgs.models, in Python
        if not Organisation(valid_to=last_day).is_active_during(today, today):
            assert key not in sql, "an ended unit must stop counting the day after its last day"
            continue
        expected = task_status(
            spec, progress, done_on, today,
            reported_this_period=bool(period_end and period_end >= reporting_cutoff(today, due_day)),
        )  # fmt: skip
        seen_statuses.add(expected)
        assert sql[key] == expected.value, (spec.raw, progress, done_on, period_end, due_day, today)
    assert len(sql) == sum(
        1 for *_, last in table.values() if Organisation(valid_to=last).is_active_during(today, today)
    )


def test_the_table_reaches_every_status(table):
    reached = set()
    for today in TODAYS:
        reached |= {s.status for s in S.with_status(TaskState.objects.all(), today)}
    assert reached == {s.value for s in TaskStatus}


@pytest.mark.parametrize("due_day, expected", [(15, TaskStatus.REPORTED), (10, TaskStatus.NOT_REPORTED), (5, TaskStatus.NOT_REPORTED)])
def test_a_recurring_task_counts_as_reported_by_its_own_plans_due_day(table, due_day, expected):
    """On 12/11/2025 a unit whose latest accepted report covers September: where reports are
    due on the 15th, October's report is not due yet, so the unit is up to date; where they
    are due on the 5th or 10th, October's report is overdue. (Before, every plan was judged
    by a fixed 10th.)"""
    today = date(2025, 11, 12)
    key = next(
        k for k, (spec, progress, _, end, day, last) in table.items()
        if spec.raw == "Thường xuyên" and progress is None and end == date(2025, 9, 30) and day == due_day and last is None
    )  # fmt: skip
    state = S.with_status(TaskState.objects.filter(task_id=key[0], org_id=key[1]), today).get()
    assert state.status == expected.value


@pytest.mark.parametrize("due_day", [1, 5, 10, 15, 28, 29, 30, 31])
def test_the_cutoff_is_the_last_month_whose_report_was_due_before_today(due_day):
    """reporting_cutoff(today, due_day) against the definition spelled out with
    periods.due_after (clamped to short months), every day from 2027 to the end of 2028."""
    from datetime import timedelta

    day = date(2027, 1, 1)
    while day <= date(2028, 12, 31):
        month_end = day.replace(day=1) - timedelta(days=1)
        while not due_after(month_end, due_day) < day:
            month_end = month_end.replace(day=1) - timedelta(days=1)
        assert reporting_cutoff(day, due_day) == month_end, (day, due_day)
        day += timedelta(days=1)


def test_units_expected_to_report_are_the_same_in_monitoring_and_reporting(demo):
    """monitoring.selectors.expected_pairs (the roll-up form used by the overview) and
    reporting.selectors.expected_units (the period status page) name the same units."""
    from planwatch.monitoring.services import ensure_fresh
    from planwatch.reporting.selectors import expected_units

    ensure_fresh()
    compared = 0
    for today in (date(2025, 7, 1), date(2025, 11, 20), date(2026, 6, 30)):
        pairs = S.expected_pairs(demo.province, today)
        for plan in Plan.objects.filter(monitored=True):
            from_monitoring = {org for org, plan_id in pairs if plan_id == plan.pk}
            from_reporting = set(expected_units(plan, demo.province, on=today).values_list("pk", flat=True))
            assert from_monitoring == from_reporting, (plan.code, today)
            compared += len(from_reporting)
    assert compared > 100
