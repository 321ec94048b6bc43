"""The "Báo cáo" page, a plan's periods and "Không thuộc phạm vi" through real URLs, as the
demo people: every open or overdue period can be opened and sent, late reports are marked,
the commune plan has periods, a unit asks to be relieved of a task and the standing agency
decides. Expected rows come from the rule (periods.reportable_periods) and the demo, never a
fixed day."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from planwatch.plans.models import Task
from planwatch.reporting import periods as P
from planwatch.reporting.models import ReliefRequest, ReliefStatus, ReportStatus, UnitReport
from planwatch.reporting.selectors import current_period
from planwatch.reporting.services import report_open, report_submit

REASON = "Mô hình điểm triển khai tại đặc khu Lý Sơn, xã không có phần việc nào."


def _row(html: str, attr: str, pk: int) -> str:
    start = html.index(f'<tr {attr}="{pk}"')
    return html[start:html.index("</tr>", start)]


def test_the_unit_sees_every_period_it_must_still_report_overdue_first(client, demo):
    client.force_login(demo.reporter)
    html = client.get(reverse("my_reports")).content.decode()
    rows = P.reportable_periods(demo.thientin)
    assert rows, "the demo leaves Thiện Tín periods to report"
    shown = [int(pk) for pk in re.findall(r'<tr data-period="(\d+)"', html)]
    assert shown == [r.period.pk for r in rows]
    for r in rows:
        row = _row(html, "data-period", r.period.pk)
        assert reverse("report_current", args=[r.period.pk]) in row
        assert ("quá hạn" in row) == r.overdue
        assert r.period.label in row and r.status_label in row
    # The commune's own plan is among them, and nothing reads "Mở báo cáo báo cáo".
    assert any(r.plan == demo.commune_plan for r in rows)
    assert "báo cáo báo cáo" not in html.lower()


def test_an_overdue_period_opens_and_sends_and_is_then_marked_late(client, demo):
    today = timezone.localdate()
    overdue = next(r for r in P.reportable_periods(demo.thientin) if r.overdue and r.plan == demo.commune_plan)
    client.force_login(demo.reporter)
    resp = client.get(reverse("report_current", args=[overdue.period.pk]))
    report = UnitReport.objects.get(period=overdue.period, org=demo.thientin)
    assert resp.status_code == 302 and resp["Location"] == reverse("report_detail", args=[report.pk])
    assert report.indicator_values.count() == demo.commune_plan.indicators.filter(is_group=False).count()
    report_submit(report=report, by=demo.approver)
    html = client.get(reverse("my_reports")).content.decode()
    assert f'data-period="{overdue.period.pk}"' not in html
    row = _row(html, "data-report", report.pk)
    assert "trễ hạn" in row and today.strftime("%d/%m/%Y") in row


def test_the_department_reminded_about_the_current_month_can_open_it(client, demo):
    period = current_period(demo.plan)
    rows = {r.period.pk: r for r in P.reportable_periods(demo.syt)}
    sent = UnitReport.objects.filter(period=period, org=demo.syt, status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
    assert (period.pk in rows) == (not sent.exists())
    client.force_login(demo.other_dept_reporter)
    html = client.get(reverse("my_reports")).content.decode()
    if period.pk in rows:
        assert reverse("report_current", args=[period.pk]) in html


def test_the_commune_plan_has_its_schedule_and_periods(client, demo):
    client.force_login(demo.supervisor)
    html = client.get(reverse("period_list", args=[demo.commune_plan.pk])).content.decode()
    assert "hằng tháng" in html
    opened = demo.commune_plan.periods.count()
    assert opened >= 2 and html.count("Đã mở – xem tình hình") >= 1
    # Opening a period asks first, saying how many units it concerns.
    assert 'data-confirm="Mở kỳ' in html and "đơn vị sẽ phải báo cáo kỳ này" in html
    # The commune plan's indicators now have values: its periods' consolidated table shows them.
    accepted = UnitReport.objects.filter(period__plan=demo.commune_plan, status=ReportStatus.ACCEPTED)
    assert accepted.exists() and all(r.indicator_values.exclude(value=None).exists() for r in accepted)


def test_the_period_page_marks_late_and_overdue(client, demo):
    period = current_period(demo.commune_plan)
    previous = demo.commune_plan.periods.filter(end__lt=period.start).order_by("-end").first()
    client.force_login(demo.supervisor)
    html = client.get(reverse("period_detail", args=[previous.pk])).content.decode()
    if P.is_overdue(previous):
        assert "đã quá hạn" in html
        assert "quá hạn" in _row(html, "data-org", demo.thientin.pk)


# ------------------------------------------------------------------ Không thuộc phạm vi


@pytest.fixture
def lyson(demo):
    return Task.objects.get(plan=demo.plan, code="19")


@pytest.fixture
def now_report(demo):
    return report_open(period=current_period(demo.plan), org=demo.thientin, by=demo.reporter)


def test_the_line_include_offers_the_request_and_then_shows_it_pending(demo, lyson, now_report, rf):
    from django.template.loader import render_to_string

    line = now_report.task_lines.get(task=lyson)
    html = render_to_string("web/reporting/_relief_button.html", {"line": line, "caps": {"read", "edit"}})
    assert reverse("relief_new", args=[now_report.pk, lyson.pk]) in html and "<form" not in html
    assert "Không thuộc phạm vi?" in html
    assert "Không thuộc phạm vi?" not in render_to_string("web/reporting/_relief_button.html", {"line": line, "caps": {"read"}})
    from planwatch.reporting.relief import relief_request

    req = relief_request(org=demo.thientin, task=lyson, by=demo.reporter, reason=REASON, report=now_report)
    html = render_to_string("web/reporting/_relief_button.html", {"line": line, "caps": {"read", "edit"}})
    assert "chờ quyết định" in html and reverse("relief_detail", args=[req.pk]) in html


def test_a_unit_asks_and_the_standing_agency_accepts_through_the_pages(client, demo, lyson, now_report):
    url = reverse("relief_new", args=[now_report.pk, lyson.pk])
    client.force_login(demo.reporter)
    page = client.get(url)
    assert page.status_code == 200 and "Trong khi chờ quyết định, nhiệm vụ vẫn tính như cũ" in page.content.decode()
    refused = client.post(url, {"reason": "sai"})
    assert refused.status_code == 422 and "Cần nêu lý do" in refused.content.decode()
    assert not ReliefRequest.objects.exists()
    resp = client.post(url, {"reason": REASON})
    assert resp.status_code == 302 and resp["Location"] == reverse("report_detail", args=[now_report.pk])
    req = ReliefRequest.objects.get(org=demo.thientin, task=lyson)
    # The commune's head cannot decide; the standing agency sees it in its queue and accepts.
    client.force_login(demo.approver)
    assert client.post(reverse("relief_decide", args=[req.pk]), {"decision": "accept"}).status_code == 403
    client.force_login(demo.supervisor)
    html = client.get(reverse("relief_list")).content.decode()
    row = _row(html, "data-relief", req.pk)
    assert demo.thientin.name in row and REASON in row and "data-confirm=" in row
    assert f"chờ quyết định: 1" in client.get(reverse("my_reports")).content.decode().lower()
    resp = client.post(reverse("relief_decide", args=[req.pk]), {"decision": "accept", "next": reverse("relief_list")}, follow=True)
    assert "Đã chấp nhận: Xã Thiện Tín không phải báo cáo nhiệm vụ 19" in resp.content.decode()
    req.refresh_from_db()
    assert req.status == ReliefStatus.ACCEPTED
    assert not now_report.task_lines.filter(task=lyson).exists()
    # The unit reads the decision.
    client.force_login(demo.reporter)
    detail = client.get(reverse("relief_detail", args=[req.pk])).content.decode()
    assert "đã chấp nhận" in detail and "không phải báo cáo nhiệm vụ này từ ngày" in detail


def test_refusing_needs_a_reason_and_outsiders_see_nothing(client, demo, lyson, now_report):
    from planwatch.reporting.relief import relief_request

    req = relief_request(org=demo.thientin, task=lyson, by=demo.reporter, reason=REASON, report=now_report)
    client.force_login(demo.supervisor)
    resp = client.post(reverse("relief_decide", args=[req.pk]), {"decision": "refuse", "comment": ""}, follow=True)
    assert "Cần ghi lý do không chấp nhận" in resp.content.decode()
    req.refresh_from_db()
    assert req.status == ReliefStatus.PENDING
    # Another department's officer: not its report, not its request.
    client.force_login(demo.other_dept_reporter)
    assert client.get(reverse("relief_new", args=[now_report.pk, lyson.pk])).status_code == 404
    assert client.get(reverse("relief_detail", args=[req.pk])).status_code == 404
    assert client.post(reverse("relief_decide", args=[req.pk]), {"decision": "accept"}).status_code == 404
    # A leader reads the report but does not write for the unit.
    client.force_login(demo.leader)
    assert client.get(reverse("relief_new", args=[now_report.pk, lyson.pk])).status_code == 403
