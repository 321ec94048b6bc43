"""The overview reads stored indicator assessments and one SQL aggregate for reporting
timeliness: both must give exactly what the plain-Python rules in status.py give."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal as D

import pytest
import time_machine
from django.utils import timezone

from planwatch.monitoring import selectors as S
from planwatch.monitoring.models import IndicatorState, TaskState
from planwatch.monitoring.services import ensure_fresh
from planwatch.monitoring.status import report_timeliness
from planwatch.plans.models import IndicatorTarget
from planwatch.reporting.models import IndicatorValue, ReportingPeriod, ReportStatus, UnitReport
from planwatch.reporting.services import report_accept


def reference_summary(root, today):
    """status.py's rules applied pair by pair, the slow obvious way."""
    from planwatch.plans.models import Plan
    from planwatch.reporting.selectors import expected_units

    # The reporting side's definition: assigned a task or responsible for an indicator.
    expected = {(o.pk, plan.pk) for plan in Plan.objects.all() for o in expected_units(plan, root)}
    counts, silent = {}, set()
    for org_id, plan_id in expected:
        periods = list(
            ReportingPeriod.objects.filter(plan_id=plan_id, due_date__lt=today).exclude(kind="ad_hoc").order_by("-end", "-id")[:2]
        )
        if not periods:
            continue
        sent = {}
        for p in periods:
            r = UnitReport.objects.filter(period=p, org_id=org_id).exclude(status=ReportStatus.RETURNED).first()
            sent[p.pk] = timezone.localdate(r.submitted_at) if r and r.submitted_at else None
        t = report_timeliness(periods[0].due_date, sent[periods[0].pk], today)
        counts[t.value] = counts.get(t.value, 0) + 1
        counts["expected"] = counts.get("expected", 0) + 1
        if len(periods) == 2 and not any(sent.values()):
            silent.add(org_id)
    return counts, silent


@pytest.mark.parametrize("today", [date(2025, 6, 5), date(2025, 6, 11), date(2025, 11, 20), date(2026, 3, 11)])
def test_reporting_summary_agrees_with_the_rules_pair_by_pair(demo, today):
    ensure_fresh(today)
    for root in (demo.province, demo.thientin.parent, demo.skhcn):
        got = S.reporting_summary(root, today)
        counts, silent = reference_summary(root, today)
        assert got.counts == counts, root
        assert {o.pk for o, _ in got.silent} == silent, root


def test_a_report_sent_late_in_the_evening_of_the_due_day_is_on_time(demo):
    """Timezone boundary: 23:30 in Hà Nội on the due date is 16:30 UTC, still on time; 00:10
    the next morning is late."""
    today = timezone.localdate()
    ensure_fresh(today)
    period = ReportingPeriod.objects.filter(plan=demo.plan, due_date__lt=today).exclude(kind="ad_hoc").order_by("-end").first()
    assert period is not None, "the demo has due periods of the provincial plan"
    before = S.reporting_summary(demo.thientin, today).counts
    report, _ = UnitReport.objects.update_or_create(period=period, org=demo.thientin, defaults={"status": ReportStatus.SUBMITTED})
    evening = timezone.make_aware(datetime.combine(period.due_date, time(23, 30)))
    UnitReport.objects.filter(pk=report.pk).update(submitted_at=evening)
    assert S.reporting_summary(demo.thientin, today).counts.get("on_time", 0) >= 1
    UnitReport.objects.filter(pk=report.pk).update(submitted_at=evening + timedelta(minutes=40))
    after = S.reporting_summary(demo.thientin, today).counts
    assert after.get("late", 0) >= 1 and after.get("on_time", 0) == 0
    assert after["expected"] == before["expected"]


def test_stored_assessments_equal_a_fresh_assessment(demo):
    today = date(2025, 11, 20)
    ensure_fresh(today)
    fresh = {a.indicator.pk: a.assessment for a in S.assess(list(S.indicators_under(demo.province)), today)}
    stored = {s.indicator_id: s for s in S.indicator_states_under(demo.province)}
    assert fresh and set(fresh) == set(stored)
    for pk, a in fresh.items():
        assert (stored[pk].status, stored[pk].reason, stored[pk].assessed_on) == (a.status.value, a.reason, today)


def test_an_accepted_value_moves_the_indicator_count_at_once(demo):
    """A report accepted a second ago is counted: its indicator is re-assessed in the same
    transaction."""
    today = timezone.localdate()
    ensure_fresh(today)
    ind = demo.plan.indicators.filter(is_group=False, responsible=demo.skhcn, aggregation="ratio").first()
    period = demo.plan.periods.filter(end__lt=today).exclude(kind="ad_hoc").order_by("-end").first()
    UnitReport.objects.filter(period=period, org=demo.skhcn).delete()
    report = UnitReport.objects.create(period=period, org=demo.skhcn, status=ReportStatus.SUBMITTED)
    IndicatorValue.objects.create(report=report, indicator=ind, numerator=D(999), denominator=D(1000))
    before = IndicatorState.objects.get(indicator=ind).reason
    report_accept(report=report, by=demo.supervisor)
    state = IndicatorState.objects.get(indicator=ind)
    fresh = S.assess([ind], today)[0].assessment
    assert (state.status, state.reason) == (fresh.status.value, fresh.reason)
    assert state.reason != before  # the plan-level ratio now includes 999/1000


def test_an_edited_target_is_reassessed_in_the_same_transaction(demo):
    """Editing a target (admin or service) re-assesses its indicator at once: no page has to
    notice it later."""
    today = date(2025, 11, 20)
    with time_machine.travel(datetime(2025, 11, 20, 10, tzinfo=timezone.get_default_timezone()), tick=False):
        ensure_fresh(today)
        target = IndicatorTarget.objects.filter(indicator__plan=demo.plan, year=2025, spec__kind="compare").first()
        ind = target.indicator
        before = IndicatorState.objects.get(indicator=ind).reason
        target.spec = {**target.spec, "value": "100000"}
        target.save()
        state = IndicatorState.objects.get(indicator=ind)
        fresh = S.assess([ind], today)[0].assessment
        assert (state.status, state.reason, state.assessed_on) == (fresh.status.value, fresh.reason, today)
        assert state.reason != before


def test_a_new_day_reassesses_everything_once(demo):
    ensure_fresh(date(2025, 11, 20))
    with time_machine.travel(date(2025, 11, 21)):
        assert IndicatorState.objects.exclude(assessed_on=date(2025, 11, 20)).count() == 0
        ensure_fresh(date(2025, 11, 21))
        assert set(IndicatorState.objects.values_list("assessed_on", flat=True)) == {date(2025, 11, 21)}


def test_a_department_sees_the_indicators_it_answers_for(demo, client):
    """Sở KH&CN owns no plan but answers for many province indicators: its overview counts them."""
    from planwatch.plans.models import Indicator

    today = timezone.localdate()
    ensure_fresh(today)
    own = Indicator.objects.filter(responsible=demo.skhcn, is_group=False).distinct().count()
    assert own > 0
    assert sum(S.indicator_state_counts(demo.skhcn).values()) == own
    client.force_login(demo.leader)
    html = client.get(f"/giam-sat/don-vi/{demo.skhcn.pk}/").content.decode()
    assert f"Chỉ tiêu tại mốc tới ({own} chỉ tiêu)" in html


def test_changing_who_answers_for_an_indicator_recombines_its_values(demo):
    """A "responsible" indicator takes the responsible unit's figure: moving the responsibility
    changes the plan-level points at once, exactly as a rebuild computes them."""
    from planwatch.monitoring.models import IndicatorPoint
    from planwatch.monitoring.services import rebuild_rollups

    ensure_fresh(timezone.localdate())
    candidates = demo.plan.indicators.filter(is_group=False, aggregation="responsible")
    ind = next((i for i in candidates if IndicatorPoint.objects.filter(indicator=i, contributors__gt=0).exists()), None)
    assert ind is not None, "the demo plan has an indicator aggregated by its responsible unit, with values"

    def snapshot():
        return sorted(IndicatorPoint.objects.filter(indicator=ind).values_list("period_id", "value", "contributors"))

    before = snapshot()
    ind.responsible.set([demo.thientin])  # a unit that reports no figure for it
    after = snapshot()
    rebuild_rollups()
    assert snapshot() == after
    assert after != before


def test_units_ended_by_the_reform_stop_counting_the_day_after(demo):
    """Huyện Sơn Tịnh ended on 30/6/2025: its assignments count on that day, not after; its
    successor communes carry the tasks. The ranking and the expected reports leave it out."""
    from planwatch.monitoring.ranking import rank_units, ranking_months
    from planwatch.orgs.models import Organisation

    ended = Organisation.objects.filter(valid_to__isnull=False, path__startswith=demo.province.path)
    ended_ids = set(ended.values_list("pk", flat=True))
    assert TaskState.objects.filter(org_id__in=ended_ids).exists(), "the demo assigns tasks to units that ended"
    last_day = date(2025, 6, 30)
    ensure_fresh(last_day)
    on_last_day = {s.org_id for s in S.with_status(S.states_under(demo.province), last_day)}
    day_after = {s.org_id for s in S.with_status(S.states_under(demo.province), last_day + timedelta(days=1))}
    assert on_last_day & ended_ids and not (day_after & ended_ids)
    today = timezone.localdate()
    ensure_fresh(today)
    assert not {o for o in S.reporting_summary(demo.province, today).latest} & ended_ids
    months = ranking_months(demo.province, today)
    assert not {r.org.pk for r in rank_units(demo.province, months[0], today)} & ended_ids
    total = sum(S.task_counts(demo.province, today).values())
    assert total == S.states_under(demo.province).exclude(org_id__in=ended.filter(valid_to__lt=today)).count()


def test_an_ended_unit_is_not_expected_to_report(demo):
    from planwatch.orgs.models import Organisation
    from planwatch.reporting.selectors import expected_units

    sontinh = Organisation.objects.get(code="qn-sontinh")
    plan = demo.plan
    period = plan.periods.filter(start__gt=date(2025, 7, 1)).order_by("start").first()
    before = plan.periods.filter(end__lte=date(2025, 6, 30)).order_by("-end").first()
    ended = set(Organisation.objects.filter(valid_to__isnull=False).values_list("pk", flat=True))
    assert not set(expected_units(plan, period=period).values_list("pk", flat=True)) & ended
    if before is not None and sontinh.assignments.filter(task__plan=plan).exists():
        assert sontinh in expected_units(plan, period=before)


def test_assessments_made_with_older_rules_are_redone_at_the_next_read(demo):
    from planwatch.monitoring.status import RULES_VERSION

    today = timezone.localdate()
    ensure_fresh(today)
    IndicatorState.objects.update(rules="old", status="behind")  # as a previous release left them
    ensure_fresh(today)
    assert set(IndicatorState.objects.values_list("rules", flat=True)) == {RULES_VERSION}
    fresh = {a.indicator.pk: a.assessment.status.value for a in S.assess(list(S.indicators_under(demo.province)), today)}
    stored = dict(IndicatorState.objects.filter(indicator_id__in=fresh).values_list("indicator_id", "status"))
    assert stored == fresh


def test_a_task_list_kept_for_its_reports_only_is_not_counted_twice(demo, client):
    """The Government programme 71/NQ-CP that Sở KH&CN reported on (seed 002) overlaps plan
    327: the dashboards count plan 327 only."""
    from planwatch.plans.models import Plan

    seed = Plan.objects.get(code="nqcp71-qn")
    assert seed.monitored is False
    ensure_fresh(timezone.localdate())
    assert not TaskState.objects.filter(plan=seed).exists()
    expected = TaskState.objects.filter(org=demo.skhcn).values_list("plan__code", flat=True).distinct()
    assert "nqcp71-qn" not in set(expected) and "qn-327-2025" in set(expected)
