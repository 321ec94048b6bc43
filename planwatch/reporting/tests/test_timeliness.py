"""On time or late is decided by the local (Asia/Ho_Chi_Minh) calendar day of sending against
the period's due date: a report sent at 23:30 on the due date is on time, one sent at 00:10
the next day is late — although both instants fall on the due date in UTC. Checked where
people see it (the report, the period's status page) and in the monitoring aggregate."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from planwatch.monitoring.selectors import reporting_summary
from planwatch.orgs.models import Role
from planwatch.orgs.services import grant
from planwatch.reporting.services import report_open, report_submit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = date(2031, 4, 10)  # the period of March 2031 (reporting conftest) is due by the 10th of April

CASES = [
    # sent at (local time),             late?  badge
    (datetime(2031, 4, 9, 16, 0, tzinfo=VN), False, "đúng hạn"),
    (datetime(2031, 4, 10, 0, 5, tzinfo=VN), False, "đúng hạn"),  # 17:05 UTC on the 9th
    (datetime(2031, 4, 10, 23, 30, tzinfo=VN), False, "đúng hạn"),  # 16:30 UTC: still the 10th everywhere
    (datetime(2031, 4, 10, 23, 59, 59, tzinfo=VN), False, "đúng hạn"),
    (datetime(2031, 4, 11, 0, 10, tzinfo=VN), True, "trễ hạn"),  # 17:10 UTC on the 10th: late all the same
    (datetime(2031, 4, 14, 9, 0, tzinfo=VN), True, "trễ hạn"),
]


def _send_at(report, approver, when):
    with time_machine.travel(when, tick=False):
        return report_submit(report=report, by=approver)


def _unit_row(html: str, org_pk: int) -> str:
    start = html.index(f'<tr data-org="{org_pk}">')
    return html[start:html.index("</tr>", start)]


def test_the_period_is_due_on_the_tenth(period):
    assert period.due_date == DUE


@pytest.mark.parametrize("when,late,badge", CASES)
def test_a_report_sent_on_the_due_day_is_on_time_until_local_midnight(client, demo, period, report, when, late, badge):
    sent = _send_at(report, demo.approver, when)
    assert sent.is_late is late

    client.force_login(demo.supervisor)
    row = _unit_row(client.get(reverse("period_detail", args=[period.pk])).content.decode(), demo.thientin.pk)
    assert when.strftime("%d/%m/%Y %H:%M") in row  # "Gửi lúc" in local time
    assert f">{badge}</span>" in row

    client.force_login(demo.reporter)
    page = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    assert f"gửi lúc {when:%d/%m/%Y %H:%M}" in page and f">{badge}</span>" in page


@pytest.mark.parametrize("when,late,badge", CASES)
def test_monitoring_counts_the_due_day_the_same_way(demo, period, report, when, late, badge):
    # Thiện Tín also reports on its own commune plan (whose latest period it has not sent):
    # what sending this report changes is compared, not the totals.
    before = reporting_summary(demo.thientin, today=DUE + timedelta(days=7)).counts
    _send_at(report, demo.approver, when)
    counts = reporting_summary(demo.thientin, today=DUE + timedelta(days=7)).counts
    assert counts.get("expected") == before.get("expected")
    change = tuple(counts.get(k, 0) - before.get(k, 0) for k in ("on_time", "late", "missing"))
    assert change == ((0, 1, -1) if late else (1, 0, -1))


def test_the_late_filter_of_the_period_page_follows_the_local_day(client, demo, period, report, sibling):
    # Thiện Tín sends at 23:30 on the due date; the sibling commune's head ten minutes after midnight.
    head = get_user_model().objects.create_user("chutich.xalancan")
    grant(head, org=sibling, role=Role.APPROVER)
    other = report_open(period=period, org=sibling)
    _send_at(report, demo.approver, datetime(2031, 4, 10, 23, 30, tzinfo=VN))
    _send_at(other, head, datetime(2031, 4, 11, 0, 10, tzinfo=VN))

    client.force_login(demo.supervisor)
    html = client.get(reverse("period_detail", args=[period.pk]) + "?loc=tre-han").content.decode()
    assert f'<tr data-org="{sibling.pk}">' in html and f'<tr data-org="{demo.thientin.pk}">' not in html
