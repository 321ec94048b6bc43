from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from planwatch.monitoring import ranking
from planwatch.monitoring.ranking import RankCounts, heat_penalty, score


def test_a_unit_with_everything_on_time_is_green():
    s = score(RankCounts(due_w=4, credit_h=8, all_w=6, overdue_w=0, on_time=12), ind_met=2, ind_total=2)
    assert s.total == D(100) and s.rag == "green"


def test_late_work_counts_half_and_overdue_work_counts_twice_against():
    # Two due assignments: one done late (1 of 2 halves), one overdue (0): completion 25%;
    # overdue: 1 of 2 assignments → 50%; reports 6 on time + 6 late → 75%.
    s = score(RankCounts(due_w=2, credit_h=1, all_w=2, overdue_w=1, on_time=6, late=6))
    # (0,25 × 35 + 0,5 × 15 + 0,75 × 30) / 80 = 38,75 / 80 → 48,4
    assert s.total == D("48.4") and s.rag == "red"


def test_a_silent_unit_is_red():
    s = score(RankCounts(due_w=3, credit_h=0, all_w=3, overdue_w=3, missing=12), ind_met=0, ind_total=3)
    assert s.total == D(0) and s.rag == "red"


def test_units_with_the_same_count_of_bad_tasks_are_told_apart():
    """The demo's 21 units that tied for first had 6 of 12 assignments "bad", some overdue and
    some finished late: finishing late is better than not finishing, and leading weighs more."""
    five_late_one_overdue = RankCounts(due_w=9, credit_h=2 * 3 + 5, all_w=12, overdue_w=1, on_time=5)
    one_late_five_overdue = RankCounts(due_w=9, credit_h=2 * 3 + 1, all_w=12, overdue_w=5, on_time=5)
    assert score(five_late_one_overdue).total > score(one_late_five_overdue).total


def test_a_heat_cell_weighs_overdue_above_late():
    assert heat_penalty({"overdue": 5, "done_on_time": 5}) == (10, 20)
    assert heat_penalty({"done_late": 5, "done_on_time": 5}) == (5, 20)
    assert heat_penalty({"in_progress": 3}) == (0, 6)


def test_the_roll_up_numbers_are_the_bare_sql_numbers_unit_by_unit(demo):
    """ranking_counts (roll-up tables) and ranking_counts_bare_sql (base tables) agree for
    every unit, for the latest period and an earlier one (whose later reports must be ignored)."""
    today = timezone.localdate()
    months = ranking.ranking_months(demo.province, today)
    assert len(months) >= 3
    for month in (months[0], months[2]):
        page = {k: v.as_tuple() for k, v in ranking.ranking_counts(demo.province, month, today).items()}
        bare = {k: v.as_tuple() for k, v in ranking.ranking_counts_bare_sql(demo.province, month, today).items()}
        assert page == bare
        assert sum(v[0] for v in page.values()) > 500  # real numbers, not two empty dicts


def test_rankings_are_per_kind_of_unit_and_separate_units(demo):
    today = timezone.localdate()
    month = ranking.ranking_months(demo.province, today)[0]
    r = ranking.build_ranking(demo.province, month, today)
    depts, communes = r.groups["so-nganh"], r.groups["xa-phuong"]
    assert {x.org.kind for x in depts} <= {"department", "agency", "peoples_committee", "party_committee"}
    assert {x.org.kind for x in communes} <= {"commune", "ward", "special_zone"}
    assert demo.skhcn.pk in {x.org.pk for x in depts} and demo.thientin.pk in {x.org.pk for x in communes}
    for rows in (depts, communes):
        assert [x.rank for x in rows] == sorted(x.rank for x in rows) and rows[0].rank == 1
        top = [x for x in rows if x.rank == 1]
        assert len(top) <= 2, [x.org.name for x in top]  # was 21 units tied for first
        biggest_tie = max(sum(1 for y in rows if y.rank == x.rank) for x in rows)
        assert biggest_tie <= max(4, len(rows) // 15)
        # a shared rank only where the numbers are the same
        for a, b in zip(rows, rows[1:]):
            if a.rank == b.rank:
                assert a.score.total == b.score.total
    # the province has no provinces below it
    assert r.provinces is None
    # the ranking is judged the day after the period's report was due
    assert r.on <= today and r.on > month


@pytest.mark.parametrize("kind", ["so-nganh", "xa-phuong"])
def test_ranks_never_skip_within_a_kind_table_more_than_the_ties(demo, kind):
    today = timezone.localdate()
    month = ranking.ranking_months(demo.province, today)[0]
    rows = ranking.build_ranking(demo.province, month, today).groups[kind]
    for i, x in enumerate(rows, 1):
        assert x.rank == 1 + sum(1 for y in rows if y.score.total > x.score.total)
    assert timedelta(0) < (today - month)
