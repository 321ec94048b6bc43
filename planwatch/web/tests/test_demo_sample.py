"""The demo's labelled sample history is complete enough to show every supervisor view: the
outbox holds the reminders of the latest period already due (marked as sample, never sent),
the period page says when each silent unit was last reminded, and report histories name who
acted. The loader stays idempotent."""

import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from planwatch.reporting.demo import (
    SAMPLE_REMINDER_MARK,
    SAMPLE_REMINDER_NOTE,
    load_demo_reports,
    load_sample_reminders,
)
from planwatch.reporting.models import OutboxMessage, ReportEvent, ReportingPeriod, ReportStatus, UnitReport


def _latest_due_sample(demo) -> ReportingPeriod:
    return (
        ReportingPeriod.objects.filter(plan=demo.plan, is_sample=True, due_date__lt=timezone.localdate())
        .order_by("-due_date").first()
    )


def _rows(html: str) -> dict[str, list[str]]:
    """The period page's unit table: org id → its cells as text."""
    table = html[html.index('id="unit-status"'):]
    table = table[:table.index("</table>")]
    out = {}
    for org, row in re.findall(r'<tr data-org="(\d+)">(.*?)</tr>', table, re.S):
        out[org] = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
    return out


def test_the_outbox_shows_the_sample_reminders(client, demo):
    period = _latest_due_sample(demo)
    client.force_login(demo.supervisor)
    html = client.get(reverse("outbox")).content.decode()
    subject = f"{SAMPLE_REMINDER_MARK}Nhắc nộp báo cáo {period.label.lower()} – "
    assert html.count(subject) >= 3
    assert "Chưa có thư." not in html
    assert SAMPLE_REMINDER_NOTE in html  # in the "Đã gửi" column: not e-mailed
    first_round = (period.due_date + timedelta(days=1)).strftime("%d/%m/%Y") + " 08:00"
    assert first_round in html
    assert f"Hạn nộp: {period.due_date:%d/%m/%Y}." in html  # the reminder's body


def test_the_period_page_says_when_silent_units_were_last_reminded(client, demo):
    period = _latest_due_sample(demo)
    client.force_login(demo.supervisor)
    rows = _rows(client.get(reverse("period_detail", args=[period.pk])).content.decode())
    reports = {r.org_id: r for r in UnitReport.objects.filter(period=period)}
    second_round = (period.due_date + timedelta(days=5)).strftime("%d/%m/%Y") + " 08:00"
    first_round = (period.due_date + timedelta(days=1)).strftime("%d/%m/%Y") + " 08:00"
    silent = [org for org in rows if int(org) not in reports or not reports[int(org)].submitted_at]
    on_time = [org for org in rows if int(org) in reports and reports[int(org)].is_late is False]
    assert silent and on_time
    for org in silent:  # never sent: reminded twice, the last time five days after the due date
        assert rows[org][-1] == second_round, rows[org]
    for org in on_time:  # sent by the due date: never reminded
        assert rows[org][-1] == ""
    late = [org for org in rows if int(org) in reports and reports[int(org)].is_late]
    assert any(rows[org][-1] == first_round for org in late)  # sent late, after the first reminder


def test_a_sample_reports_history_names_who_acted(client, demo):
    report = (
        UnitReport.objects.filter(is_sample=True, org=demo.skhcn, status=ReportStatus.ACCEPTED)
        .order_by("-period__end").first()
    )
    client.force_login(demo.dept_reporter)
    html = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    events = html[html.index('id="events"'):]
    events = events[:events.index("</table>")]
    rows = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", events, re.S)
    ]
    # "Người thực hiện", the third column: the officer opened it, the head sent it, the
    # standing agency accepted it.
    assert [cells[2] for cells in rows if cells] == ["Lê Minh Tuấn", "Phạm Quốc Bảo", "Võ Thị Hạnh"]


def test_a_commune_with_demo_accounts_has_named_sample_events(demo):
    events = ReportEvent.objects.filter(report__is_sample=True, report__org=demo.thientin)
    assert events.exists()
    assert set(events.filter(action="created").values_list("actor__username", flat=True)) == {"canbo.thientin"}
    assert set(events.filter(action="submitted").values_list("actor__username", flat=True)) == {"chutich.thientin"}
    assert set(
        events.filter(action__in=["returned", "accepted"]).values_list("actor__username", flat=True)
    ) <= {"thuongtruc.skhcn"}


def test_loading_again_adds_nothing_and_completes_an_older_load(demo, django_assert_max_num_queries):
    counts = lambda: (OutboxMessage.objects.count(), ReportEvent.objects.count(), UnitReport.objects.count())  # noqa: E731
    before = counts()
    # A database loaded before the sample named anyone: its events have no actor.
    ReportEvent.objects.filter(report__is_sample=True, report__org=demo.skhcn).update(actor=None)
    with django_assert_max_num_queries(40):  # a handful of checks and UPDATEs, not a reload
        load_demo_reports()
    assert counts() == before
    named = ReportEvent.objects.filter(report__is_sample=True, report__org=demo.skhcn, action="submitted")
    assert set(named.values_list("actor__username", flat=True)) == {"giamdoc.skhcn"}


def test_sample_reminders_are_never_e_mailed(demo):
    OutboxMessage.objects.filter(subject__startswith=SAMPLE_REMINDER_MARK).delete()
    made = load_sample_reminders()
    assert made >= 3 and mail.outbox == []
    msgs = OutboxMessage.objects.filter(subject__startswith=SAMPLE_REMINDER_MARK)
    assert msgs.count() == made
    assert not msgs.filter(sent_at__isnull=False).exists() and not msgs.exclude(error=SAMPLE_REMINDER_NOTE).exists()
    assert load_sample_reminders() == 0
