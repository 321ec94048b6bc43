"""A report on period P describes the situation as of P, whenever it is made.

Statuses are judged on the day the report describes (the period's due date once it is over,
the report's date while the period runs), indicator values are those reported up to that day,
and reports accepted later, for later periods, change nothing in it."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.db.models import Count

from planwatch.documents import report_data as rd
from planwatch.reporting import services as reporting
from planwatch.reporting.models import IndicatorValue, ProgressStatus, ReportingPeriod, ReportStatus, TaskProgress

from . import db_truth as truth


@pytest.fixture
def first_period(demo):
    """The earliest month of the sample history (Tháng 5/2026 when the demo is loaded in
    November 2026), with accepted reports."""
    period = (
        ReportingPeriod.objects.filter(plan=demo.plan, is_sample=True)
        .annotate(n=Count("reports")).filter(n__gte=50).order_by("end").first()
    )
    assert period is not None
    assert period.reports.filter(status=ReportStatus.ACCEPTED).count() >= 50
    return period


def _judged(data: rd.ReportData) -> tuple:
    """Everything the report says about the period, without its date line."""
    return (
        data.as_of, data.task_lines, data.indicator_lines, data.task_counts, data.assignment_counts,
        data.indicator_counts, data.task_summary, data.assignment_summary, data.indicator_summary,
        data.reporting_summary, data.obstacles, data.recommendations, data.task_headers, data.indicator_headers,
    )


@pytest.mark.parametrize(
    "made, on", [
        (date(2026, 6, 5), date(2026, 6, 5)),  # after the period, before its due date
        (date(2026, 6, 10), date(2026, 6, 10)),  # on the due date
        (date(2026, 11, 26), date(2026, 6, 10)),  # months later: as of the due date
        (date(2026, 5, 20), date(2026, 5, 20)),  # the period is running: as of the report's day
        (date(2026, 4, 20), date(2026, 5, 1)),  # before the period: as of its first day
    ],
)
def test_the_day_a_report_describes(made, on):
    may = SimpleNamespace(start=date(2026, 5, 1), end=date(2026, 5, 31), due_date=date(2026, 6, 10))
    assert rd.report_as_of(may, made) == on


@pytest.mark.parametrize("accepted_only, statuses", [(True, truth.ACCEPTED), (False, truth.SENT)])
def test_an_earlier_period_exported_months_later_shows_that_periods_values_and_statuses(
    demo, first_period, accepted_only, statuses,
):
    made_on = first_period.due_date + timedelta(days=170)  # beyond the 120 days after which a value is "old"
    data = rd.build_report_data(first_period, demo.province, today=made_on, accepted_only=accepted_only)
    assert data.as_of == first_period.due_date
    # Decree 30/2020/NĐ-CP writes months 1 and 2 with a leading zero ("tháng 02").
    month = f"{made_on.month:02d}" if made_on.month < 3 else str(made_on.month)
    assert data.letterhead.date_line.endswith(f"tháng {month} năm {made_on.year}")

    inds = truth.indicator_truth(first_period, demo.province, statuses, first_period.due_date)
    with_value = [i for i in data.indicators if i.value is not None]
    assert len(with_value) >= 40
    assert all(i.status != "no_data" for i in with_value)
    no_data = {c.key: c.count for c in data.indicator_counts}.get("no_data", 0)
    assert no_data == len(data.indicators) - len(with_value)
    assert f"Chưa có số liệu: {len(data.indicators)}" not in data.indicator_summary
    for line in data.indicators:
        assert (line.value, line.status_label) == (inds[line.tt].value, inds[line.tt].status_label), line.tt
    if accepted_only:  # the figures are monitoring's figures of that period
        points = truth.indicator_points(first_period)
        assert {i.indicator_id: i.value for i in with_value} == {k: v for k, v in points.items() if v is not None}

    tasks = truth.task_truth(first_period, demo.province, statuses, first_period.due_date)
    assert [(t.tt, t.status_label) for t in data.tasks] == [(c, t.status_label) for c, t in tasks.items()]
    assert f"Đến ngày {first_period.due_date:%d/%m/%Y}:" in data.task_summary

    # The same report made on the due date says the same things.
    on_time = rd.build_report_data(first_period, demo.province, today=first_period.due_date, accepted_only=accepted_only)
    assert _judged(on_time) == _judged(data)


def test_a_running_period_is_judged_on_the_report_day_with_its_values_so_far(demo, sample_period):
    made_on = sample_period.start + timedelta(days=19)
    data = rd.build_report_data(sample_period, demo.province, today=made_on)
    assert data.as_of == made_on
    inds = truth.indicator_truth(sample_period, demo.province, truth.SENT, made_on)
    assert sum(1 for i in data.indicators if i.value is not None) >= 40
    for line in data.indicators:
        assert (line.value, line.status_label) == (inds[line.tt].value, inds[line.tt].status_label), line.tt
    tasks = truth.task_truth(sample_period, demo.province, truth.SENT, made_on)
    assert [t.status_label for t in data.tasks] == [t.status_label for t in tasks.values()]


def test_reports_accepted_later_for_later_periods_do_not_change_an_earlier_periods_report(
    demo, first_period, sample_period, django_capture_on_commit_callbacks,
):
    made_on = sample_period.due_date + timedelta(days=30)
    before = {flag: rd.build_report_data(first_period, demo.province, today=made_on, accepted_only=flag)
              for flag in (True, False)}
    later_before = rd.build_report_data(sample_period, demo.province, today=made_on, accepted_only=True)
    points_before = truth.indicator_points(first_period)

    # Later reports say very different things, then the standing agency accepts them.
    waiting = list(sample_period.reports.filter(status=ReportStatus.SUBMITTED))
    assert len(waiting) >= 10
    TaskProgress.objects.filter(report__in=waiting).update(
        status=ProgressStatus.DONE, completed_on=sample_period.end, result_to_date="Đã hoàn thành (báo cáo muộn)",
    )
    IndicatorValue.objects.filter(report__in=waiting, value__isnull=False).update(value=987654)
    IndicatorValue.objects.filter(report__in=waiting, denominator__isnull=False).update(numerator=1, denominator=1)
    with django_capture_on_commit_callbacks(execute=True):
        for r in waiting:
            reporting.report_accept(report=r, by=demo.supervisor)

    later_after = rd.build_report_data(sample_period, demo.province, today=made_on, accepted_only=True)
    assert later_after.indicator_lines != later_before.indicator_lines  # the later period did change
    for flag in (True, False):
        after = rd.build_report_data(first_period, demo.province, today=made_on, accepted_only=flag)
        assert _judged(after) == _judged(before[flag])
    assert truth.indicator_points(first_period) == points_before


def test_a_report_on_a_period_before_an_amendment_prints_and_judges_that_periods_deadline(demo, first_period):
    """An amendment moved task 6's deadline after the period: the report on the period still
    shows the deadline that governed it."""
    from planwatch.plans.interchange import export_plan
    from planwatch.plans.services import plan_apply_amendment

    data = export_plan(demo.plan)
    t6 = next(t for t in data["tasks"] if t["code"] == "6")
    printed = t6["deadline_raw"]
    t6["deadline_raw"], _ = "Quý IV/2027", t6.pop("deadline", None)
    plan_apply_amendment(data=data, effective=first_period.due_date + timedelta(days=30), actor=demo.supervisor,
                         document={"number": "77/QĐ-UBND", "date": "2026-01-05"})
    before = rd.build_report_data(first_period, demo.province, today=first_period.due_date)
    (line,) = [t for t in before.task_lines if t.kind == "task" and t.tt == "6"]
    assert line.deadline == printed
    later = demo.plan.periods.filter(start__gt=first_period.due_date + timedelta(days=30)).order_by("start").first()
    if later is not None:
        after = rd.build_report_data(later, demo.province, today=later.due_date)
        (line,) = [t for t in after.task_lines if t.kind == "task" and t.tt == "6"]
        assert line.deadline == "Quý IV/2027"
