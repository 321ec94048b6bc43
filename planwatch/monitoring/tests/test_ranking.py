from decimal import Decimal as D

from planwatch.monitoring.ranking import score


def test_a_unit_with_everything_on_time_is_green():
    s = score(task_statuses={"in_progress": 3, "done_on_time": 1}, on_time=12, late=0, missing=0, ind_met=2, ind_total=2)
    assert s.total == D(100) and s.rag == "green"


def test_late_reports_count_half_and_overdue_tasks_count_against():
    s = score(task_statuses={"overdue": 1, "in_progress": 1}, on_time=6, late=6, missing=0, ind_met=0, ind_total=0)
    # tasks 0,5 × 40 + reporting 0,75 × 40 = 50 of 80 → 62,5
    assert s.total == D("62.5") and s.rag == "amber"


def test_a_silent_unit_is_red():
    s = score(task_statuses={"not_reported": 2, "overdue": 1}, on_time=0, late=0, missing=12, ind_met=0, ind_total=3)
    assert s.total == D(0) and s.rag == "red"
