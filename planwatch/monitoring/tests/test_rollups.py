"""Roll-up tables: the incremental path (receiver of report_status_changed) must leave exactly
what a rebuild from scratch computes, and the SQL statuses must agree with status.py."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from planwatch.monitoring import selectors as S
from planwatch.monitoring.models import IndicatorPoint, TaskState
from planwatch.monitoring.rollup import UnitFigure, combine
from planwatch.monitoring.services import ensure_fresh, rebuild_rollups
from planwatch.monitoring.tests.rollup_check import assert_sql_statuses_match_rules
from planwatch.plans.models import Assignment
from planwatch.reporting.models import IndicatorValue, ReportStatus, TaskProgress, UnitReport
from planwatch.reporting.services import report_accept, report_return


def snapshot():
    states = sorted(
        TaskState.objects.values_list("task_id", "org_id", "progress", "completed_on", "period_end", "report_id", "rating", "is_lead")
    )
    points = sorted(IndicatorPoint.objects.values_list("indicator_id", "period_id", "value", "numerator", "denominator", "contributors"))
    return states, points


def _submitted_report(demo, org):
    period = demo.plan.periods.order_by("-end").first()
    UnitReport.objects.filter(period=period, org=org).delete()
    report = UnitReport.objects.create(period=period, org=org, status=ReportStatus.SUBMITTED)
    task_ids = list(Assignment.objects.filter(task__plan=demo.plan, org=org).values_list("task_id", flat=True).distinct())
    TaskProgress.objects.bulk_create(
        [TaskProgress(report=report, task_id=t, status="done", completed_on=period.end - timedelta(days=3)) for t in task_ids]
    )
    ind = demo.plan.indicators.filter(is_group=False, responsible=org, aggregation="ratio").first()
    if ind is not None:
        IndicatorValue.objects.create(report=report, indicator=ind, numerator=D(7), denominator=D(8))
    return report, task_ids


def test_accepting_a_report_updates_the_rollups_exactly_like_a_rebuild(demo):
    ensure_fresh()
    report, task_ids = _submitted_report(demo, demo.skhcn)
    assert task_ids
    before = snapshot()
    report_accept(report=report, by=demo.supervisor)
    after = snapshot()
    assert after != before
    state = TaskState.objects.get(task_id=task_ids[0], org=demo.skhcn)
    assert state.progress == "done" and state.report_id == report.pk
    rebuild_rollups()
    assert snapshot() == after


def test_returning_an_accepted_report_takes_it_out_again(demo):
    ensure_fresh()
    original = snapshot()
    report, task_ids = _submitted_report(demo, demo.skhcn)
    original = snapshot()  # the new report is only submitted: nothing counted yet
    report_accept(report=report, by=demo.supervisor)
    report.refresh_from_db()
    report_return(report=report, by=demo.supervisor, comment="Bổ sung số liệu")
    assert snapshot() == original
    rebuild_rollups()
    assert snapshot() == original


def test_data_written_around_the_services_is_picked_up_at_the_next_read(demo):
    ensure_fresh()
    report, task_ids = _submitted_report(demo, demo.thientin)
    UnitReport.objects.filter(pk=report.pk).update(status=ReportStatus.ACCEPTED)  # a bulk load, no signal
    assert ensure_fresh() is True
    assert TaskState.objects.filter(org=demo.thientin, report_id=report.pk).count() == len(task_ids)
    assert ensure_fresh() is False


@pytest.mark.parametrize("today", [date(2025, 9, 30), date(2025, 10, 1), date(2025, 12, 31), date(2026, 1, 5), date(2026, 3, 11)])
def test_sql_statuses_agree_with_status_py_row_by_row(demo, today):
    ensure_fresh()
    assert assert_sql_statuses_match_rules(TaskState.objects.all(), today) > 0


def test_counts_by_child_add_up_to_the_total(demo):
    ensure_fresh()
    today = date(2025, 11, 20)
    total = S.task_counts(demo.province, today)
    by_child = S.task_counts_by_child(demo.province, today)
    summed = {}
    for counts in by_child.values():
        for k, n in counts.items():
            summed[k] = summed.get(k, 0) + n
    live = TaskState.objects.filter(S.active_on(today), org_path__startswith=demo.province.path)  # ended units left out
    assert summed == total and sum(total.values()) == live.count()


@pytest.mark.parametrize(
    "aggregation, figures, responsible, expected",
    [
        ("sum", [UnitFigure(1, D(3)), UnitFigure(2, D(4)), UnitFigure(3, None)], [], (D(7), 2)),
        # ratios from numerators and denominators, never the mean of percentages (50% and 100% → 60%)
        ("ratio", [UnitFigure(1, D(50), D(4), D(8)), UnitFigure(2, D(100), D(2), D(2))], [], (D("60.00"), 2)),
        ("ratio", [UnitFigure(1, D(50))], [], (None, 0)),
        # ranks and qualitative figures are never added: the responsible unit's figure
        ("none", [UnitFigure(1, D(30)), UnitFigure(2, D(12))], [2, 1], (D(12), 1)),
        ("responsible", [UnitFigure(1, D(30)), UnitFigure(2, None, D(1), D(4))], [2], (D("25.00"), 1)),
        ("responsible", [UnitFigure(1, D(30)), UnitFigure(2, D(12))], [], (None, 0)),
        ("responsible", [UnitFigure(1, D(30))], [], (D(30), 1)),
    ],
)
def test_aggregation_rules(aggregation, figures, responsible, expected):
    c = combine(aggregation, figures, responsible)
    assert (c.value, c.contributors) == expected


def test_the_consolidated_table_and_the_dashboard_give_one_figure_per_indicator(demo):
    """One aggregation rule (reporting.aggregation) behind the supervisor's consolidated table
    and the leaders' dashboards: for every period, the province's accepted-only figure of each
    indicator equals the plan-level roll-up point."""
    from planwatch.reporting.consolidation import consolidate

    ensure_fresh()
    periods = list(demo.plan.periods.filter(reports__status=ReportStatus.ACCEPTED).distinct().order_by("end"))
    assert periods
    compared = 0
    for period in periods:
        points = {p.indicator_id: p for p in IndicatorPoint.objects.filter(period=period)}
        for row in consolidate(period, demo.province, accepted_only=True).indicators:
            point = points.get(row.indicator.pk)
            assert (row.value, row.contributors) == ((point.value, point.contributors) if point else (None, 0)), (
                period.label, row.indicator.code, row.rule_label,
            )
            compared += point is not None
    assert compared > 0
