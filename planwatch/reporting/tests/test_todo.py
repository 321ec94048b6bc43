"""“Việc cần làm” selectors (reporting.todo) and the bulk acceptance service: what each
person is shown to do, and that accepting many reports goes through the one-report rule."""

from datetime import timedelta

import pytest
from django.utils import timezone

from planwatch.reporting import todo
from planwatch.reporting.models import PeriodKind, ReportEvent, ReportStatus, UnitReport
from planwatch.reporting.selectors import expected_units
from planwatch.reporting.services import (
    period_open,
    report_accept_many,
    report_open,
    report_return,
    report_send_back,
    report_submit,
)


def adhoc(demo, *, end_days_ago: int, due_in: int, label: str, plan=None):
    """An ad hoc period of the province plan ending `end_days_ago` days before today and due
    `due_in` days from today (negative: overdue)."""
    today = timezone.localdate()
    end = today - timedelta(days=end_days_ago)
    return period_open(plan=plan or demo.plan, kind=PeriodKind.AD_HOC, year=end.year, start=end - timedelta(days=20),
                       end=end, due_date=today + timedelta(days=due_in), label=label)  # fmt: skip


@pytest.fixture
def overdue(demo):
    return adhoc(demo, end_days_ago=30, due_in=-5, label="Báo cáo đột xuất quá hạn")


@pytest.fixture
def current(demo):
    return adhoc(demo, end_days_ago=0, due_in=10, label="Báo cáo đột xuất đang mở")


def _periods(items):
    return [i.period.pk for i in items]


def test_an_officer_has_every_started_period_without_a_sent_report_to_write(demo, overdue, current):
    today = timezone.localdate()
    got = todo.todo_for(demo.reporter, today=today)
    write = {i.period.pk: i for i in got["to_write"]}
    assert overdue.pk in write and current.pk in write
    assert write[overdue.pk].overdue and write[overdue.pk].days_late == 5 and write[overdue.pk].report is None
    assert not write[current.pk].overdue and write[current.pk].days_left == 10
    # The same reading from the rules themselves: every started period of a plan the commune
    # reports on, the commune expected then, its report missing, a draft or returned.
    from planwatch.reporting.models import ReportingPeriod

    expected = set()
    for p in ReportingPeriod.objects.filter(start__lte=today):
        if not expected_units(p.plan, period=p).filter(pk=demo.thientin.pk).exists():
            continue
        r = UnitReport.objects.filter(period=p, org=demo.thientin).first()
        if r is None or r.status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
            expected.add(p.pk)
    assert set(write) | set(_periods(got["returned"])) == expected
    # Overdue first, the oldest first.
    flags = [i.overdue for i in got["to_write"]]
    assert flags == sorted(flags, reverse=True)
    late_dues = [i.period.due_date for i in got["to_write"] if i.overdue]
    assert late_dues == sorted(late_dues)


def test_a_period_not_yet_started_or_already_sent_is_not_to_do(demo, current):
    future = adhoc(demo, end_days_ago=-40, due_in=50, label="Kỳ chưa bắt đầu")
    r = report_submit(report=report_open(period=current, org=demo.thientin, by=demo.reporter), by=demo.approver)
    got = todo.todo_for(demo.reporter)
    shown = _periods(got["to_write"]) + _periods(got["returned"]) + _periods(got["to_approve"])
    assert future.pk not in shown and current.pk not in shown
    assert r.status == ReportStatus.SUBMITTED


def test_a_returned_report_shows_the_reason_to_the_officer_and_the_head(demo, current):
    r = report_submit(report=report_open(period=current, org=demo.thientin, by=demo.reporter), by=demo.approver)
    report_return(report=r, by=demo.supervisor, comment="Bổ sung số người tham gia lớp học")
    for user in (demo.reporter, demo.approver):
        got = todo.todo_for(user)
        item = next(i for i in got["returned"] if i.period.pk == current.pk)
        assert item.note.kind == "returned" and item.note.comment == "Bổ sung số người tham gia lớp học"
        assert item.note.actor_name == "Võ Thị Hạnh" and item.note.who == "Cơ quan thường trực trả lại"
        assert current.pk not in _periods(got["to_write"]) + _periods(got["to_approve"])
    # Sent again: nothing returned any more, and the report has no note.
    r = report_submit(report=r, by=demo.approver)
    assert current.pk not in _periods(todo.todo_for(demo.reporter)["returned"])
    assert todo.return_note(r) is None


def test_a_draft_sent_back_by_the_head_shows_the_head_s_comment(demo, current):
    r = report_open(period=current, org=demo.thientin, by=demo.reporter)
    report_send_back(report=r, by=demo.approver, comment="Ghi rõ kết quả tháng này")
    item = next(i for i in todo.todo_for(demo.reporter)["returned"] if i.period.pk == current.pk)
    assert item.note.kind == "sent_back" and item.note.comment == "Ghi rõ kết quả tháng này"
    assert item.note.who == "Lãnh đạo đơn vị chuyển lại" and item.report.status == ReportStatus.DRAFT
    # For the head it waits to be checked again, not to be "fixed".
    head = todo.todo_for(demo.approver)
    assert r.pk in [i.report.pk for i in head["to_approve"]] and current.pk not in _periods(head["returned"])


def test_the_head_of_unit_has_the_drafts_to_check_and_send(demo, current):
    r = report_open(period=current, org=demo.thientin, by=demo.reporter)
    head = todo.todo_for(demo.approver)
    assert r.pk in [i.report.pk for i in head["to_approve"]]
    assert current.pk not in _periods(head["to_write"])
    officer = todo.todo_for(demo.reporter)
    assert current.pk in _periods(officer["to_write"]) and officer["to_approve"] == []


def test_the_standing_agency_has_the_queue_counted_by_plan_period_and_kind(demo, current):
    for org in (demo.thientin, demo.skhcn):
        report_submit(report=report_open(period=current, org=org), by=demo.admin)
    waiting = UnitReport.objects.filter(status=ReportStatus.SUBMITTED, org__path__startswith=demo.province.path)
    got = todo.todo_for(demo.supervisor)
    counts = got["to_accept"]
    assert counts.total == waiting.count() >= 2
    assert sum(n for _, n in counts.periods) == sum(n for _, _, n in counts.kinds) == sum(n for _, n in counts.plans) == counts.total
    assert dict((p.pk, n) for p, n in counts.periods)[current.pk] == 2
    # Faceted: the kinds of units counted within the chosen period.
    kinds = {k: n for k, _, n in todo.queue_counts(demo.supervisor, period=current.pk).kinds}
    assert kinds == {demo.thientin.kind: 1, demo.skhcn.kind: 1}
    only = todo.accept_queue(demo.supervisor, period=current.pk, kind=demo.thientin.kind)
    assert [r.org_id for r in only] == [demo.thientin.pk]
    # A unit's officer and a leader accept nothing.
    assert todo.todo_for(demo.reporter)["to_accept"] is None
    assert todo.todo_for(demo.leader)["to_accept"] is None
    assert not todo.accept_queue(demo.reporter).exists()


def test_accepting_many_accepts_each_through_the_one_report_rule(demo, current, sibling):
    sent = [report_submit(report=report_open(period=current, org=o), by=demo.admin) for o in (demo.thientin, sibling)]
    draft = report_open(period=current, org=demo.skhcn)
    result = report_accept_many(reports=sent + [draft], by=demo.supervisor, comment="Đủ nội dung")
    assert sorted(r.pk for r in result.accepted) == sorted(r.pk for r in sent)
    assert [(r.pk, "“nháp”" in why) for r, why in result.refused] == [(draft.pk, True)]
    for r in sent:
        r.refresh_from_db()
        assert r.status == ReportStatus.ACCEPTED and r.accepted_by == demo.supervisor
        ev = ReportEvent.objects.filter(report=r).order_by("-at", "-pk").first()
        assert (ev.action, ev.actor, ev.comment) == ("accepted", demo.supervisor, "Đủ nội dung")
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_someone_who_may_not_accept_accepts_nothing(demo, current):
    sent = report_submit(report=report_open(period=current, org=demo.thientin), by=demo.admin)
    result = report_accept_many(reports=[sent], by=demo.reporter)
    assert result.accepted == [] and len(result.refused) == 1
    sent.refresh_from_db()
    assert sent.status == ReportStatus.SUBMITTED
