"""The bell and the Thông báo page through real URLs: the count of unread notifications in
the header, the list (newest first, unread marked "Mới"), opening one marks it read and goes
to its page, "Đánh dấu tất cả đã đọc", nobody sees or touches another person's notifications;
the standing agency's reminder message is honest."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from planwatch.notifications.models import Notification
from planwatch.notifications.services import notify
from planwatch.reporting.models import PeriodKind
from planwatch.reporting.services import period_open, report_open


def _bell(html: str) -> str:
    m = re.search(r'<a href="/thong-bao/"[^>]*id="nav-bell"[^>]*aria-label="([^"]*)"', html)
    assert m, "the bell is in the header"
    return m.group(1)


def test_the_bell_counts_unread_and_the_list_marks_read(client, demo):
    notify(users=[demo.reporter], kind="info", title="Họp giao ban tháng", body="Thứ Hai, 8 giờ")
    notify(users=[demo.reporter], kind="returned", title="Báo cáo bị trả lại", url=reverse("my_reports"), actor=demo.supervisor)
    client.force_login(demo.reporter)
    home = client.get(reverse("home")).content.decode()
    assert _bell(home) == "Thông báo: 2 chưa đọc" and 'id="bell-count">2<' in home

    page = client.get(reverse("notification_list")).content.decode()
    assert page.index("Báo cáo bị trả lại") < page.index("Họp giao ban tháng")  # newest first
    assert page.count(">Mới<") == 2 and "Bị trả lại" in page and "Thứ Hai, 8 giờ" in page

    returned = Notification.objects.get(user=demo.reporter, title="Báo cáo bị trả lại")
    r = client.get(reverse("notification_open", args=[returned.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("my_reports")
    assert _bell(client.get(reverse("home")).content.decode()) == "Thông báo: 1 chưa đọc"
    unread = client.get(reverse("notification_list") + "?loc=chua-doc").content.decode()
    assert "Họp giao ban tháng" in unread and "Báo cáo bị trả lại" not in unread

    r = client.post(reverse("notification_mark_read"), {"next": reverse("notification_list")}, follow=True)
    html = r.content.decode()
    assert _bell(html) == "Thông báo: không có thông báo mới" and ">Mới<" not in html and "đã đọc" in html


def test_nobody_sees_or_touches_another_persons_notifications(client, demo):
    notify(users=[demo.approver], kind="info", title="Riêng của lãnh đạo", url="https://example.com/")
    theirs = Notification.objects.get(user=demo.approver)
    client.force_login(demo.reporter)
    assert "Riêng của lãnh đạo" not in client.get(reverse("notification_list")).content.decode()
    assert client.get(reverse("notification_open", args=[theirs.pk])).status_code == 404
    client.post(reverse("notification_mark_read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # Its own owner is never sent off-site by a stored link.
    client.force_login(demo.approver)
    assert client.get(reverse("notification_open", args=[theirs.pk]))["Location"] == reverse("notification_list")


def test_the_list_is_paged(client, demo):
    for i in range(25):
        notify(users=[demo.reporter], kind="info", title=f"Tin số {i + 1:02d}")
    client.force_login(demo.reporter)
    first = client.get(reverse("notification_list")).content.decode()
    second = client.get(reverse("notification_list") + "?trang=2").content.decode()
    assert "Tin số 25" in first and "Tin số 05" not in first and "Trang 1/2" in first
    assert "Tin số 05" in second and "Tin số 25" not in second


@pytest.mark.django_db
def test_the_login_page_has_no_bell(client):
    assert 'id="nav-bell"' not in client.get(reverse("login")).content.decode()


def test_the_reminder_message_says_who_was_reached(client, demo):
    period = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=3)
    report_open(period=period, org=demo.thientin)
    client.force_login(demo.supervisor)
    r = client.post(reverse("period_remind", args=[period.pk]), follow=True)
    html = r.content.decode()
    assert re.search(r"Đã nhắc \d+ đơn vị: thông báo trong ứng dụng tới \d+ người, thư điện tử xếp gửi tới \d+ địa chỉ\.", html)
    assert "Chưa nhắc được" in html
    assert Notification.objects.filter(user=demo.reporter, kind="reminder").count() == 1
    client.force_login(demo.reporter)
    assert _bell(client.get(reverse("home")).content.decode()) == "Thông báo: 1 chưa đọc"
