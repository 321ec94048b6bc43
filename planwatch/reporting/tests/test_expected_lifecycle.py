"""Who must report follows the life of the plan: an assignment counts only while it holds, a
retired task or indicator stops asking for reports from its retirement, and reporting and
monitoring agree on it (one rule: assignment_during / counts_on)."""

from datetime import date

import pytest

from planwatch.monitoring.selectors import expected_pairs
from planwatch.orgs.models import Organisation, OrgKind
from planwatch.plans.models import Assignment
from planwatch.reporting.selectors import expected_units, indicators_of_unit, tasks_of_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(demo):
    return Organisation.objects.create(code="test-unit", name="Đơn vị kiểm thử", kind=OrgKind.AGENCY, parent=demo.province)


def _expected(demo, unit, day):
    in_reporting = unit in expected_units(demo.plan, demo.province, on=day)
    in_monitoring = (unit.pk, demo.plan.pk) in expected_pairs(demo.province, day)
    assert in_reporting == in_monitoring, day
    return in_reporting


def test_an_assignment_is_expected_to_report_only_while_it_holds(demo, unit):
    task = demo.plan.tasks.order_by("position").first()
    Assignment.objects.create(task=task, org=unit, role="lead", valid_from=date(2025, 7, 1), valid_to=date(2026, 6, 30))
    assert not _expected(demo, unit, date(2025, 6, 30))
    assert _expected(demo, unit, date(2025, 7, 1))
    assert _expected(demo, unit, date(2026, 6, 30))
    assert not _expected(demo, unit, date(2026, 7, 1))


def test_a_retired_task_stops_asking_for_reports_from_its_retirement(demo, unit):
    task = demo.plan.tasks.order_by("position").first()
    Assignment.objects.create(task=task, org=unit, role="lead")
    task.retired_on = date(2026, 3, 1)
    task.save(update_fields=["retired_on"])
    assert _expected(demo, unit, date(2026, 2, 28))
    assert not _expected(demo, unit, date(2026, 3, 1))


def test_a_reports_lines_follow_what_held_during_its_period(demo, unit):
    first, second = demo.plan.tasks.order_by("position")[:2]
    Assignment.objects.create(task=first, org=unit, role="lead", valid_to=date(2026, 4, 30))
    Assignment.objects.create(task=second, org=unit, role="lead", valid_from=date(2026, 5, 1))
    indicator = demo.plan.indicators.filter(is_group=False).first()
    indicator.responsible.add(unit)
    indicator.retired_on = date(2026, 5, 1)
    indicator.save(update_fields=["retired_on"])

    class April:
        start, end = date(2026, 4, 1), date(2026, 4, 30)

    class May:
        start, end = date(2026, 5, 1), date(2026, 5, 31)

    assert tasks_of_unit(demo.plan, unit, April) == [first]
    assert tasks_of_unit(demo.plan, unit, May) == [second]
    assert indicators_of_unit(demo.plan, unit, April) == [indicator]
    assert indicators_of_unit(demo.plan, unit, May) == []


def test_a_unit_answering_only_for_a_retired_indicator_is_no_longer_expected_in_the_overview(demo, unit):
    from django.utils import timezone

    from planwatch.monitoring.selectors import reporting_summary

    today = timezone.localdate()
    indicator = demo.plan.indicators.filter(is_group=False).first()
    indicator.responsible.add(unit)
    assert reporting_summary(unit, today).counts.get("expected") == 1
    assert (unit.pk, demo.plan.pk) in expected_pairs(unit, today)
    indicator.retired_on = today
    indicator.save(update_fields=["retired_on"])
    assert reporting_summary(unit, today).counts.get("expected", 0) == 0
    assert (unit.pk, demo.plan.pk) not in expected_pairs(unit, today)
