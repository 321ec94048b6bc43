"""Who is told what about reporting (reporting.notices through notifications.notify):
workflow events reach the right people in the application and by e-mail with a deep link;
reminders count a unit as reminded only when someone was actually told and say which units
could not be reached; "deadline approaching" goes once per period and unit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from planwatch.notifications.models import Notification
from planwatch.reporting.models import OutboxMessage, PeriodKind
from planwatch.reporting.notices import notify_deadlines, reminder_summary
from planwatch.reporting.selectors import period_status
from planwatch.reporting.services import (
    period_open,
    report_accept,
    report_return,
    report_send_back,
    report_submit,
    send_reminders,
)


def _notes(user, **kw):
    return list(Notification.objects.filter(user=user, **kw).order_by("pk"))


def test_each_workflow_event_tells_the_people_who_act_next(demo, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_send_back(report=report, by=demo.approver, comment="Bổ sung số liệu chỉ tiêu 3")
    back = _notes(demo.reporter, kind="sent_back")
    assert len(back) == 1 and "được chuyển lại" in back[0].title and "Bổ sung số liệu chỉ tiêu 3" in back[0].body
    assert back[0].url == f"/bao-cao/{report.pk}/" and back[0].actor == demo.approver
    assert not _notes(demo.approver, kind="sent_back")  # the one who acted is not told

    with django_capture_on_commit_callbacks(execute=True):
        report = report_submit(report=report, by=demo.approver)
    assert [n.title for n in _notes(demo.supervisor, kind="submitted")] == [
        f"{demo.thientin.name} đã gửi báo cáo {report.period.label[:1].lower()}{report.period.label[1:]}"
    ]
    assert _notes(demo.reporter, kind="submitted")  # the officer sees that the head sent it…
    assert not OutboxMessage.objects.filter(report=report, kind="submitted", to=demo.reporter.email).exists()  # …without an e-mail

    with django_capture_on_commit_callbacks(execute=True):
        report = report_return(report=report, by=demo.supervisor, comment="Thiếu minh chứng nhiệm vụ 2")
    for person in (demo.reporter, demo.approver):
        (n,) = _notes(person, kind="returned")
        assert "bị trả lại" in n.title and "Lý do: Thiếu minh chứng nhiệm vụ 2" in n.body
    mail = OutboxMessage.objects.get(report=report, kind="returned", to=demo.reporter.email)
    assert f"http://127.0.0.1:8000/bao-cao/{report.pk}/" in mail.body and mail.sent_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        report = report_accept(report=report_submit(report=report, by=demo.approver), by=demo.supervisor)
    assert len(_notes(demo.approver, kind="accepted")) == 1
    assert not _notes(demo.other_dept_reporter)  # another unit hears nothing


def test_reminders_say_who_was_reached_and_only_those_count_as_reminded(demo, report, django_capture_on_commit_callbacks):
    period = report.period
    with django_capture_on_commit_callbacks(execute=True):
        done = send_reminders(period, demo.supervisor)
    assert demo.thientin in done.reminded
    (n,) = _notes(demo.reporter, kind="reminder")
    assert n.url == f"/bao-cao/ky/{period.pk}/cua-toi/" and n.org == demo.thientin
    assert "canbo.thientin@demo.planwatch.local" in done.emails
    assert done.people == Notification.objects.filter(kind="reminder", key__startswith=f"reminder:{period.pk}:").count()
    # Units with nobody to tell are listed, not counted, and not marked reminded.
    assert done.unreachable and not set(done.unreachable) & set(done.reminded)
    assert not OutboxMessage.objects.filter(period=period, kind="reminder").exclude(to__contains="@").exists()
    rows = {r.org.pk: r for r in period_status(period, demo.province)}
    assert rows[demo.thientin.pk].last_reminder is not None
    assert all(rows[o.pk].last_reminder is None for o in done.unreachable)

    text = done.summary()
    assert text.startswith(f"Đã nhắc {len(done.reminded)} đơn vị: thông báo trong ứng dụng tới {done.people} người, "
                           f"thư điện tử xếp gửi tới {len(done.emails)} địa chỉ.")
    assert f"Chưa nhắc được {len(done.unreachable)} đơn vị" in text and done.unreachable[0].name in text
    # Same day again: nobody is told twice.
    again = send_reminders(period, demo.supervisor)
    assert not again and again.already == len(done.reminded) and len(_notes(demo.reporter, kind="reminder")) == 1


def test_a_unit_reachable_only_in_the_application_is_named():
    d = {"reminded": ["Xã A", "Sở B"], "people": 3, "emails": ["x@y.vn"], "without_email": ["Xã A"], "unreachable": [], "already": 0}
    assert reminder_summary(d) == (
        "Đã nhắc 2 đơn vị: thông báo trong ứng dụng tới 3 người, thư điện tử xếp gửi tới 1 địa chỉ. "
        "Chỉ nhận thông báo trong ứng dụng (chưa có địa chỉ thư): Xã A."
    )
    assert reminder_summary({**d, "reminded": [], "without_email": [], "people": 0, "emails": []}) == "Không có đơn vị nào cần nhắc thêm hôm nay."


@pytest.fixture
def due_soon(demo):
    today = timezone.localdate()
    return period_open(
        plan=demo.plan, kind=PeriodKind.AD_HOC, year=today.year, start=today - timedelta(days=20),
        end=today - timedelta(days=1), due_date=today + timedelta(days=2), label="Báo cáo nhanh chuyển đổi số",
    )


def test_deadline_approaching_tells_units_that_have_not_sent_once(demo, due_soon, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_deadlines()
    (n,) = _notes(demo.reporter, kind="deadline", key=f"deadline:{due_soon.pk}:{demo.thientin.pk}")
    assert n.title == f"Sắp đến hạn nộp báo cáo nhanh chuyển đổi số (còn 2 ngày, hạn {due_soon.due_date:%d/%m/%Y})"
    assert n.url == f"/bao-cao/ky/{due_soon.pk}/cua-toi/"
    assert OutboxMessage.objects.filter(period=due_soon, kind="deadline", to=demo.reporter.email).exists()
    # The daily job runs again (or the command): nobody is told twice.
    call_command("notify_deadlines", verbosity=0)
    assert len(_notes(demo.reporter, kind="deadline", key__startswith=f"deadline:{due_soon.pk}:")) == 1


def test_no_deadline_notice_outside_the_window(demo, due_soon):
    notify_deadlines(due_soon.due_date - timedelta(days=4))
    notify_deadlines(due_soon.due_date + timedelta(days=1))
    assert not Notification.objects.filter(key__startswith=f"deadline:{due_soon.pk}:").exists()
