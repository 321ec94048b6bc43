"""Any period reportable, late marked: reporting.periods.reportable_periods(org) lists every
period that has started, of every plan the unit takes part in, in which it is expected and
has not sent its report (overdue first); periods.is_late(report) is THE late ("nộp muộn", shown "trễ hạn") rule.
Expected values are computed from the demo and timezone.localdate(), never a fixed day."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from planwatch.reporting import periods as P
from planwatch.reporting.models import PeriodKind, ReportingPeriod, ReportStatus, UnitReport
from planwatch.reporting.selectors import expected_units
from planwatch.reporting.services import period_open, report_open, report_return, report_submit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


def _expected_open(org, today):
    """The rule written out: started periods, unit expected, report not sent."""
    out = set()
    for p in ReportingPeriod.objects.filter(start__lte=today):
        r = UnitReport.objects.filter(period=p, org=org).first()
        if r is not None and r.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
            continue
        if expected_units(p.plan, period=p).filter(pk=org.pk).exists():
            out.add(p.pk)
    return out


def test_every_started_unsent_period_of_every_plan_of_the_unit_is_listed(demo):
    today = timezone.localdate()
    rows = P.reportable_periods(demo.thientin)
    assert {r.period.pk for r in rows} == _expected_open(demo.thientin, today)
    # The commune's own plan is reportable too (the demo opens its periods).
    assert any(r.plan == demo.commune_plan for r in rows)
    assert any(r.plan == demo.plan for r in rows)
    for r in rows:
        assert r.period.start <= today
        assert r.status in ("missing", "draft", "returned")


def test_overdue_periods_come_first_oldest_first(demo):
    rows = P.reportable_periods(demo.thientin)
    flags = [r.overdue for r in rows]
    assert flags == sorted(flags, reverse=True)
    overdue = [r.period.due_date for r in rows if r.overdue]
    assert overdue == sorted(overdue)
    for r in rows:
        assert r.overdue == (timezone.localdate() > r.period.due_date)
        assert r.days_overdue == max(0, (timezone.localdate() - r.period.due_date).days)


def test_an_ad_hoc_period_and_a_missed_old_period_are_reportable_and_a_future_one_is_not(demo):
    today = timezone.localdate()
    adhoc = period_open(plan=demo.plan, kind=PeriodKind.AD_HOC, year=today.year, end=today - timedelta(days=40),
                        start=today - timedelta(days=70), label="Báo cáo chuyên đề")  # fmt: skip
    future = period_open(plan=demo.plan, kind=PeriodKind.AD_HOC, year=today.year + 1, start=today + timedelta(days=5),
                         end=today + timedelta(days=30))  # fmt: skip
    rows = {r.period.pk: r for r in P.reportable_periods(demo.thientin)}
    assert adhoc.pk in rows and rows[adhoc.pk].status == "missing" and rows[adhoc.pk].status_label == "chưa lập"
    assert future.pk not in rows


def test_a_sent_period_leaves_the_list_and_a_returned_one_comes_back(demo):
    today = timezone.localdate()
    period = period_open(plan=demo.plan, kind=PeriodKind.AD_HOC, year=today.year, end=today - timedelta(days=3),
                         start=today - timedelta(days=33))  # fmt: skip
    report = report_open(period=period, org=demo.thientin, by=demo.reporter)
    assert period.pk in {r.period.pk for r in P.reportable_periods(demo.thientin)}
    report_submit(report=report, by=demo.approver)
    assert period.pk not in {r.period.pk for r in P.reportable_periods(demo.thientin)}
    report_return(report=report, by=demo.supervisor, comment="Bổ sung số liệu")
    row = next(r for r in P.reportable_periods(demo.thientin) if r.period.pk == period.pk)
    assert row.status == "returned" and row.status_label == "bị trả lại"


def test_a_unit_with_no_part_in_a_plan_does_not_get_its_periods(demo):
    rows = P.reportable_periods(demo.syt)
    assert all(r.plan != demo.commune_plan for r in rows)


def test_late_is_sent_after_the_due_day_in_local_time(demo):
    period = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=5)
    report = report_open(period=period, org=demo.thientin, by=demo.reporter)
    due = period.due_date
    assert not P.is_late(report, due)  # not sent, due day not passed
    assert P.is_late(report, due + timedelta(days=1))  # not sent, due day passed: it can only be late
    assert P.late_label(report, due + timedelta(days=1)) == "quá hạn"
    with time_machine.travel(_at(due, 23, 30), tick=False):
        report_submit(report=report, by=demo.approver)
    report.refresh_from_db()
    assert not P.is_late(report, due + timedelta(days=30))
    assert P.late_label(report, due + timedelta(days=30)) == ""
    with time_machine.travel(_at(due + timedelta(days=1), 8), tick=False):
        report_return(report=report, by=demo.supervisor, comment="Bổ sung")
    report.refresh_from_db()
    assert P.is_late(report, due + timedelta(days=1))  # returned: not sent any more, and past due
    with time_machine.travel(_at(due + timedelta(days=1), 0, 10), tick=False):
        report_submit(report=report, by=demo.approver)
    report.refresh_from_db()
    assert P.is_late(report) and P.late_label(report) == "trễ hạn"
    assert report.is_late is True  # the model's reading agrees


def test_the_rule_follows_the_plans_due_day(demo):
    demo.plan.reporting_due_day = 5
    demo.plan.save(update_fields=["reporting_due_day"])
    period = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=7)
    assert period.due_date.day == 5
    report = report_open(period=period, org=demo.thientin, by=demo.reporter)
    with time_machine.travel(_at(period.due_date + timedelta(days=1), 9), tick=False):
        report_submit(report=report, by=demo.approver)
    report.refresh_from_db()
    assert P.is_late(report)
