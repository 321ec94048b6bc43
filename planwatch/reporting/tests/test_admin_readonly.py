"""History cannot be forged in the admin: what a unit reported and the trail of who sent,
returned and accepted it are shown there, never written."""

import pytest
from django.urls import reverse

from planwatch.reporting.models import IndicatorValue, ReportEvent, ReportRevision, TaskProgress, UnitReport
from planwatch.reporting.services import report_submit


@pytest.fixture
def admin_client(client, demo):
    assert demo.admin.is_superuser
    client.force_login(demo.admin)
    return client


@pytest.fixture
def accepted(demo):
    report = UnitReport.objects.filter(status="accepted").exclude(task_lines=None).order_by("pk").first()
    assert report is not None
    return report


def test_changing_a_line_of_an_accepted_report_is_refused_and_nothing_changes(admin_client, accepted):
    line = accepted.task_lines.order_by("pk").first()
    before = (line.status, line.result_to_date)
    resp = admin_client.post(reverse("admin:reporting_taskprogress_change", args=[line.pk]), {
        "report": accepted.pk, "task": line.task_id, "status": "done", "completed_on": "01/01/2026",
        "result_to_date": "Đã sửa trong trang quản trị", "expected_next": "", "obstacles": "",
        "rating": "green", "rating_explanation": "",
    })
    assert resp.status_code == 403
    line.refresh_from_db()
    assert (line.status, line.result_to_date) == before
    # Nor through the report's own admin page, nor its status.
    resp = admin_client.post(reverse("admin:reporting_unitreport_change", args=[accepted.pk]), {"status": "draft"})
    assert resp.status_code == 403
    accepted.refresh_from_db()
    assert accepted.status == "accepted"


def test_an_indicator_value_of_a_sent_report_cannot_be_changed_or_deleted(admin_client, demo):
    value = IndicatorValue.objects.filter(report__status__in=["submitted", "accepted"]).order_by("pk").first()
    assert value is not None
    url = reverse("admin:reporting_indicatorvalue_change", args=[value.pk])
    assert admin_client.post(url, {"report": value.report_id, "indicator": value.indicator_id, "value": "999"}).status_code == 403
    assert admin_client.post(reverse("admin:reporting_indicatorvalue_delete", args=[value.pk]), {"post": "yes"}).status_code == 403
    assert IndicatorValue.objects.filter(pk=value.pk, value=value.value).exists()


def test_deleting_a_report_event_is_refused_one_by_one_and_in_bulk(admin_client, accepted):
    event = accepted.events.order_by("pk").first()
    resp = admin_client.post(reverse("admin:reporting_reportevent_delete", args=[event.pk]), {"post": "yes"})
    assert resp.status_code == 403
    admin_client.post(reverse("admin:reporting_reportevent_changelist"), {
        "action": "delete_selected", "_selected_action": [event.pk], "post": "yes",
    })
    assert ReportEvent.objects.filter(pk=event.pk).exists()


def test_events_and_revisions_cannot_be_added_or_overwritten(admin_client, demo, report):
    assert admin_client.get(reverse("admin:reporting_reportevent_add")).status_code == 403
    report_submit(report=report, by=demo.approver)
    revision = ReportRevision.objects.filter(report=report).exclude(data={}).order_by("-version").first()
    resp = admin_client.post(reverse("admin:reporting_reportrevision_change", args=[revision.pk]), {
        "report": revision.report_id, "version": revision.version, "data": "{}", "at_0": "01/01/2026", "at_1": "00:00",
    })
    assert resp.status_code == 403
    revision.refresh_from_db()
    assert revision.data != {}


def test_the_admin_still_shows_a_report_with_its_lines_and_events(admin_client, accepted):
    resp = admin_client.get(reverse("admin:reporting_unitreport_change", args=[accepted.pk]))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "tiến độ nhiệm vụ" in html.lower() and "nhật ký báo cáo" in html.lower()
    assert TaskProgress.objects.filter(report=accepted).exists()


def test_a_period_with_reports_keeps_its_dates_and_cannot_be_deleted(admin_client, accepted):
    period = accepted.period
    start, end = period.start, period.end
    url = reverse("admin:reporting_reportingperiod_change", args=[period.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="end"' not in page and 'name="due_date"' in page
    admin_client.post(url, {"label": period.label, "due_date": period.due_date.isoformat()})
    period.refresh_from_db()
    assert (period.start, period.end) == (start, end)
    resp = admin_client.post(reverse("admin:reporting_reportingperiod_delete", args=[period.pk]), {"post": "yes"})
    assert resp.status_code == 403
    assert type(period).objects.filter(pk=period.pk).exists()
