"""notify(): one notification per person, idempotent by key, e-mail through the outbox with
an absolute deep link; users_of(); mark_read touches only one's own rows."""

from __future__ import annotations

import pytest
from django.test import override_settings

from planwatch.notifications.models import Notification
from planwatch.notifications.services import mark_read, notify, unread_count, users_of
from planwatch.orgs.models import Role
from planwatch.reporting.models import OutboxMessage


@pytest.fixture
def people(demo):
    demo.reporter.email = "canbo.thientin@example.vn"
    demo.reporter.save(update_fields=["email"])
    demo.approver.email = ""
    demo.approver.save(update_fields=["email"])
    return demo


@override_settings(PLANWATCH_BASE_URL="https://planwatch.quangngai.gov.vn/")
def test_notify_creates_one_per_person_and_mails_those_with_an_address(people, django_capture_on_commit_callbacks):
    d = people
    before = OutboxMessage.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        n = notify(
            users=[d.reporter, d.approver, d.reporter], kind="returned", title="Báo cáo bị trả lại",
            body="Lý do: thiếu số liệu", url="/bao-cao/1/", actor=d.supervisor, key="t-1",
        )
    assert n == 2
    assert Notification.objects.filter(key="t-1").count() == 2
    note = Notification.objects.get(user=d.reporter, key="t-1")
    assert (note.title, note.actor, note.read_at) == ("Báo cáo bị trả lại", d.supervisor, None)
    mails = list(OutboxMessage.objects.order_by("pk")[before:])
    assert [m.to for m in mails] == ["canbo.thientin@example.vn"]
    assert "https://planwatch.quangngai.gov.vn/bao-cao/1/" in mails[0].body
    assert "Lý do: thiếu số liệu" in mails[0].body
    assert mails[0].sent_at is not None  # delivered by the eager job after commit

    # The same key again: nobody is told twice, no second e-mail.
    assert notify(users=[d.reporter, d.approver], kind="returned", title="x", key="t-1") == 0
    assert OutboxMessage.objects.count() == before + 1
    # No key: always a new notification.
    assert notify(users=[d.approver], kind="info", title="Một") == 1
    assert notify(users=[d.approver], kind="info", title="Một") == 1
    assert unread_count(d.approver) == 3


def test_users_of_an_org_with_roles(demo):
    assert set(users_of(demo.thientin)) >= {demo.reporter, demo.approver}
    assert list(users_of(demo.thientin, roles=[Role.APPROVER])) == [demo.approver]
    assert demo.reporter not in users_of(demo.skhcn)


def test_mark_read_only_touches_ones_own(demo):
    notify(users=[demo.reporter, demo.approver], kind="info", title="Họp giao ban")
    mine = Notification.objects.get(user=demo.reporter, title="Họp giao ban")
    theirs = Notification.objects.get(user=demo.approver, title="Họp giao ban")
    assert mark_read(user=demo.reporter, ids=[theirs.pk]) == 0
    assert mark_read(user=demo.reporter, ids=[mine.pk]) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert unread_count(demo.reporter) == 0
