"""The reason a report was returned is shown wherever the report is listed: the unit's
"Báo cáo" page and the standing agency's period page — not only at the bottom of its history.
Opening a period offers "Hoàn tác" in its message."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from planwatch.reporting.models import PeriodKind, ReportingPeriod
from planwatch.reporting.services import period_open, report_open, report_return, report_submit

REASON = "Thiếu số liệu nhiệm vụ 5, đề nghị bổ sung"


def _returned(demo):
    today = timezone.localdate()
    end = today - timedelta(days=3)
    period = period_open(plan=demo.plan, kind=PeriodKind.AD_HOC, year=end.year, start=end - timedelta(days=20),
                         end=end, due_date=today + timedelta(days=7), label="Báo cáo đột xuất thử trả lại")  # fmt: skip
    report = report_open(period=period, org=demo.thientin, by=demo.reporter)
    report_submit(report=report, by=demo.approver)
    report_return(report=report, by=demo.supervisor, comment=REASON)
    return period, report


def test_the_unit_sees_the_reason_in_its_report_list(client, demo):
    period, report = _returned(demo)
    client.force_login(demo.reporter)
    html = client.get(reverse("my_reports")).content.decode()
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Báo cáo đột xuất thử trả lại(?:(?!</tr>).)*</tr>", html, re.S)
    assert row and REASON in row.group(0)


def test_the_standing_agency_sees_the_reason_on_the_period_page(client, demo):
    period, report = _returned(demo)
    client.force_login(demo.supervisor)
    html = client.get(reverse("period_detail", args=[period.pk])).content.decode()
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*Xã Thiện Tín(?:(?!</tr>).)*</tr>", html, re.S)
    assert row and REASON in row.group(0)


def test_opening_a_period_offers_to_take_it_back(client, demo):
    client.force_login(demo.supervisor)
    before = set(ReportingPeriod.objects.filter(plan=demo.plan).values_list("pk", flat=True))
    today = timezone.localdate()
    r = client.post(reverse("period_open", args=[demo.plan.pk]), {"kind": "ad_hoc", "label": "Kỳ mở nhầm",
                    "start": (today - timedelta(days=10)).strftime("%d/%m/%Y"), "end": today.strftime("%d/%m/%Y"),
                    "due_date": (today + timedelta(days=5)).strftime("%d/%m/%Y"), "year": today.year}, follow=True)  # fmt: skip
    new = set(ReportingPeriod.objects.filter(plan=demo.plan).values_list("pk", flat=True)) - before
    assert len(new) == 1, r.content.decode()[:3000]
    html = r.content.decode()
    assert "Đã mở kỳ" in html and "Hoàn tác" in html
    assert reverse("period_withdraw", args=[new.pop()]) in html
