"""Timeliness: the rule (reporting.rules.report_timeliness, over the local day a report was
sent) and its SQL mirror (rules.sent_on_time_sql, used by monitoring's one-statement summary)
judge the same rows the same way, and UnitReport.is_late says the same. Boundary instants:
the due day at 00:05 and 23:30 local time (the previous day, and the due day, in UTC), the
day after at 00:10 (still the due day in UTC), a week late, a day early."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone

from planwatch.orgs.models import Organisation
from planwatch.reporting.models import ReportStatus, UnitReport
from planwatch.reporting.rules import ReportTimeliness, report_timeliness, sent_on_time_sql

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SENT = [
    datetime(2031, 4, 9, 16, 0, tzinfo=VN),
    datetime(2031, 4, 10, 0, 5, tzinfo=VN),
    datetime(2031, 4, 10, 23, 30, tzinfo=VN),
    datetime(2031, 4, 10, 23, 59, 59, tzinfo=VN),
    datetime(2031, 4, 11, 0, 10, tzinfo=VN),
    datetime(2031, 4, 17, 9, 0, tzinfo=VN),
]


def test_sql_timeliness_is_the_python_rule_on_every_row(demo, period):
    assert period.due_date.isoformat() == "2031-04-10"
    orgs = list(Organisation.objects.exclude(pk__in=period.reports.values("org_id")).order_by("pk")[: len(SENT)])
    reports = [
        UnitReport.objects.create(period=period, org=org, status=ReportStatus.SUBMITTED, submitted_at=at)
        for org, at in zip(orgs, SENT)
    ]
    condition, params = sent_on_time_sql("r.submitted_at", "p.due_date")
    sql = (
        f"SELECT r.id, CASE WHEN {condition} THEN 'on_time' ELSE 'late' END "
        f"FROM {UnitReport._meta.db_table} r JOIN {period._meta.db_table} p ON p.id = r.period_id WHERE r.period_id = %(period)s"
    )
    params["period"] = period.pk
    with connection.cursor() as cur:
        cur.execute(sql, params)
        from_sql = dict(cur.fetchall())
    expected_words = []
    for r in reports:
        r.refresh_from_db()
        rule = report_timeliness(period.due_date, timezone.localdate(r.submitted_at), period.due_date)
        assert from_sql[r.pk] == rule.value, r.submitted_at
        assert r.is_late is (rule is ReportTimeliness.LATE)
        expected_words.append(rule.value)
    assert expected_words == ["on_time", "on_time", "on_time", "on_time", "late", "late"]


def test_the_consolidated_table_expects_the_units_the_period_page_expects(demo):
    """Expected units: reporting.selectors.expected_units is the rule (assigned a task of the
    plan or responsible for one of its indicators, and existing during the period); the
    consolidated table computes the same set in memory from the rows it already loaded."""
    from planwatch.reporting.consolidation import consolidate
    from planwatch.reporting.selectors import expected_units

    compared = 0
    for plan in (demo.plan, demo.district_plan, demo.commune_plan):
        for period in plan.periods.order_by("end")[:: max(1, plan.periods.count() // 4)]:
            for root in (demo.province, demo.sontinh):
                cons = consolidate(period, root)
                assert [o.pk for o in cons.expected_orgs] == list(
                    expected_units(plan, root, period=period).values_list("pk", flat=True)
                ), (plan.code, period.label, root.name)
                compared += len(cons.expected_orgs)
    assert compared > 0
