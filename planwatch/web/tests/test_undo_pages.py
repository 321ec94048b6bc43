"""Undo through the pages: the success message of a one-click action carries a "Hoàn tác"
button that takes it back; the undo buttons on the report and period pages; who may use them."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planwatch.reporting.models import Evidence, PeriodKind, ReportingPeriod, ReportStatus
from planwatch.reporting.services import (
    ReportData,
    evidence_add,
    period_open,
    report_accept,
    report_open,
    report_save_draft,
    report_submit,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def period(demo):
    return period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=3)


@pytest.fixture
def report(demo, period):
    r = report_open(period=period, org=demo.thientin, by=demo.reporter)
    data = ReportData(tasks={tl.task_id: {"status": "in_progress", "result_to_date": "Đang triển khai"} for tl in r.task_lines.all()})
    return report_save_draft(report=r, by=demo.reporter, data=data, expected_version=r.version)


def _as(client, user):
    client.force_login(user)
    return client


def _undo_action(html: str) -> str:
    """The action URL of the "Hoàn tác" form inside the success message."""
    m = re.search(r'<form method="post" action="([^"]+)" class="pw-undo">.*?Hoàn tác', html, re.S)
    assert m, "no Hoàn tác button in the message"
    return m.group(1)


def test_deleting_evidence_offers_undo_which_puts_the_file_back(client, demo, report):
    ev = evidence_add(report=report, by=demo.reporter, upload=SimpleUploadedFile("bien-ban-hop.pdf", PDF))
    c = _as(client, demo.reporter)
    page = c.post(reverse("evidence_delete", args=[ev.pk]), follow=True).content.decode()
    assert "Đã xóa minh chứng “bien-ban-hop.pdf”" in page
    assert f'href="{reverse("evidence_download", args=[ev.pk])}"' not in page
    page = c.post(_undo_action(page), follow=True).content.decode()
    assert "Đã khôi phục minh chứng “bien-ban-hop.pdf”" in page
    assert f'href="{reverse("evidence_download", args=[ev.pk])}"' in page
    assert Evidence.objects.filter(pk=ev.pk).exists()


def test_another_unit_cannot_restore_deleted_evidence(client, demo, report):
    ev = evidence_add(report=report, by=demo.reporter, upload=SimpleUploadedFile("a.pdf", PDF))
    _as(client, demo.reporter).post(reverse("evidence_delete", args=[ev.pk]))
    r = _as(client, demo.other_dept_reporter).post(reverse("evidence_restore", args=[ev.pk]))
    assert r.status_code == 404
    assert not Evidence.objects.filter(pk=ev.pk).exists()


def test_sending_offers_undo_and_the_report_page_a_withdraw_button(client, demo, report):
    c = _as(client, demo.approver)
    page = c.post(reverse("report_action", args=[report.pk, "gui"]), follow=True).content.decode()
    assert "Đã gửi báo cáo tới cơ quan thường trực" in page
    url = _undo_action(page)
    assert url == reverse("report_withdraw_submit", args=[report.pk])
    page = c.post(url, follow=True).content.decode()
    assert "Đã rút lại báo cáo" in page
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_the_officer_is_not_offered_to_withdraw_and_cannot(client, demo, report):
    report_submit(report=report, by=demo.approver)
    r = _as(client, demo.reporter).post(reverse("report_withdraw_submit", args=[report.pk]), follow=True)
    assert "Bạn không có quyền" in r.content.decode() or r.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_accepting_offers_undo_for_the_standing_agency(client, demo, report):
    report_submit(report=report, by=demo.approver)
    c = _as(client, demo.supervisor)
    page = c.post(reverse("report_action", args=[report.pk, "tiep-nhan"]), follow=True).content.decode()
    page = c.post(_undo_action(page), follow=True).content.decode()
    assert "Đã hủy tiếp nhận" in page
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_the_undo_include_shows_only_what_the_person_may_undo(rf, demo, report):
    from django.template.loader import render_to_string

    def render(user, r):
        req = rf.get("/")
        req.user = user
        return render_to_string("web/undo/_report_undo.html", {"report": r}, request=req)

    r = report_submit(report=report, by=demo.approver)
    assert "Rút lại báo cáo đã gửi" in render(demo.approver, r)
    assert 'data-confirm="Rút lại báo cáo đã gửi?' in render(demo.approver, r)
    assert render(demo.reporter, r).strip() == ""
    assert render(demo.supervisor, r).strip() == ""
    r = report_accept(report=r, by=demo.supervisor)
    assert "Hủy tiếp nhận" in render(demo.supervisor, r)
    assert render(demo.approver, r).strip() == ""


def test_a_period_opened_by_mistake_is_withdrawn_from_its_button(client, demo):
    c = _as(client, demo.supervisor)
    period = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2033, number=5, by=demo.supervisor)
    page = c.post(reverse("period_withdraw", args=[period.pk]), follow=True).content.decode()
    assert f"Đã rút lại kỳ “{period.label}”" in page
    assert not ReportingPeriod.objects.filter(pk=period.pk).exists()


def test_the_period_withdraw_include_explains_when_it_is_too_late(rf, demo, period, report):
    from django.template.loader import render_to_string

    req = rf.get("/")
    req.user = demo.supervisor
    html = render_to_string("web/reporting/_period_withdraw.html", {"period": period}, request=req)
    assert "không rút lại được" in html and "<form" not in html
    fresh = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2033, number=6)
    html = render_to_string("web/reporting/_period_withdraw.html", {"period": fresh}, request=req)
    assert "Rút lại kỳ mở nhầm" in html and "data-confirm=" in html
    req.user = demo.reporter
    assert render_to_string("web/reporting/_period_withdraw.html", {"period": fresh}, request=req).strip() == ""


def test_only_the_standing_agency_withdraws_a_period_through_the_page(client, demo):
    fresh = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2033, number=7)
    r = _as(client, demo.approver).post(reverse("period_withdraw", args=[fresh.pk]))
    assert r.status_code == 403
    assert ReportingPeriod.objects.filter(pk=fresh.pk).exists()
