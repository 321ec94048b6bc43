"""Export pages: request an export, watch its progress, download the file; scope checks."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db.models import Count
from django.urls import reverse
from openpyxl import load_workbook

from planwatch.documents.models import ExportJob, ExportStatus
from planwatch.reporting.models import ReportingPeriod


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.PLANWATCH_EXPORTS_INLINE = True


@pytest.fixture
def period(demo):
    return (
        ReportingPeriod.objects.filter(plan=demo.plan, is_sample=True).annotate(n=Count("reports"))
        .filter(n__gte=50).order_by("-end").first()
    )


def _login(client, user, demo):
    assert client.login(username=user.username, password=demo.password)


def test_the_page_offers_periods_and_the_users_organisations(client, demo, period):
    _login(client, demo.supervisor, demo)
    resp = client.get(reverse("export_home"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Xuất báo cáo kết quả thực hiện kế hoạch" in html
    assert f'value="{demo.province.pk}"' in html
    assert f'value="{period.pk}"' in html


def test_an_export_goes_from_request_to_download(client, demo, period, django_capture_on_commit_callbacks):
    _login(client, demo.supervisor, demo)
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(reverse("export_home"), {
            "period": period.pk, "org": demo.province.pk, "fmt": "xlsx", "report_date": "10/11/2026",
        })
    job = ExportJob.objects.get(created_by=demo.supervisor)
    assert resp.status_code == 302 and resp["Location"] == reverse("export_job", args=[job.pk])
    page = client.get(resp["Location"]).content.decode()
    assert 'id="download"' in page
    status = client.get(reverse("export_job_status", args=[job.pk])).content.decode()
    assert 'data-status="done"' in status and "hx-trigger" not in status
    download = client.get(reverse("export_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    wb = load_workbook(BytesIO(b"".join(download.streaming_content)))
    assert wb.sheetnames == ["Nhiệm vụ", "Chỉ tiêu"]


def test_a_running_job_is_polled_every_second(client, demo, period):
    job = ExportJob.objects.create(period=period, org=demo.province, fmt="docx", report_date=period.due_date,
                                   created_by=demo.supervisor, status=ExportStatus.RUNNING, progress=50,
                                   message="Đang tạo văn bản Word")
    _login(client, demo.supervisor, demo)
    html = client.get(reverse("export_job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and "50% – Đang tạo văn bản Word" in html


def test_a_commune_officer_cannot_export_or_download_the_province(client, demo, period, django_capture_on_commit_callbacks):
    _login(client, demo.reporter, demo)
    resp = client.post(reverse("export_home"), {"period": period.pk, "org": demo.province.pk, "fmt": "docx"})
    assert resp.status_code == 200 and not ExportJob.objects.exists()
    job = ExportJob.objects.create(period=period, org=demo.province, fmt="docx", report_date=period.due_date,
                                   created_by=demo.supervisor, status=ExportStatus.DONE)
    assert client.get(reverse("export_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("export_job", args=[job.pk])).status_code == 404


def test_a_wrong_date_is_explained(client, demo, period):
    _login(client, demo.supervisor, demo)
    resp = client.post(reverse("export_home"), {
        "period": period.pk, "org": demo.province.pk, "fmt": "docx", "report_date": "31/02/2026",
    })
    assert "Ngày không hợp lệ" in resp.content.decode()


def test_anonymous_users_are_sent_to_login(client):
    assert client.get(reverse("export_home")).status_code == 302


def test_the_default_template_can_be_downloaded(client, demo):
    _login(client, demo.supervisor, demo)
    resp = client.get(reverse("export_default_template"))
    assert resp.status_code == 200 and resp.content[:2] == b"PK"


def test_the_nav_links_to_exports(client, demo):
    _login(client, demo.supervisor, demo)
    assert reverse("export_home") in client.get(reverse("home")).content.decode()


def test_a_job_whose_worker_died_shows_as_failed_with_a_retry_link(client, demo, period):
    from datetime import timedelta

    from django.utils import timezone

    job = ExportJob.objects.create(period=period, org=demo.province, fmt="pdf", report_date=period.due_date,
                                   created_by=demo.supervisor, status=ExportStatus.RUNNING, progress=70,
                                   message="Đang chuyển sang PDF (LibreOffice)",
                                   started_at=timezone.now() - timedelta(minutes=20))
    _login(client, demo.supervisor, demo)
    html = client.get(reverse("export_job_status", args=[job.pk])).content.decode()
    assert 'data-status="failed"' in html and "hx-trigger" not in html  # polling stops
    assert "Quá trình tạo tệp bị gián đoạn (quá 15 phút chưa xong" in html
    assert f'href="{reverse("export_home")}?ky={period.pk}&amp;don_vi={demo.province.pk}">Thử lại</a>' in html


def test_the_list_of_recent_exports_fails_dead_jobs(client, demo, period):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    dead = ExportJob.objects.create(period=period, org=demo.province, fmt="docx", report_date=period.due_date,
                                    created_by=demo.supervisor, status=ExportStatus.RUNNING,
                                    started_at=now - timedelta(minutes=16))
    alive = ExportJob.objects.create(period=period, org=demo.province, fmt="xlsx", report_date=period.due_date,
                                     created_by=demo.supervisor, status=ExportStatus.RUNNING,
                                     started_at=now - timedelta(minutes=1))
    _login(client, demo.supervisor, demo)
    html = client.get(reverse("export_home")).content.decode()
    table = html[html.index('id="recent-exports"'):]
    assert table.count("<td>lỗi</td>") == 1 and table.count("<td>đang tạo</td>") == 1
    dead.refresh_from_db(); alive.refresh_from_db()
    assert (dead.status, alive.status) == (ExportStatus.FAILED, ExportStatus.RUNNING)


def test_a_job_never_picked_up_shows_as_failed_with_a_retry_link(client, demo, period):
    from datetime import timedelta

    from django.utils import timezone

    job = ExportJob.objects.create(period=period, org=demo.province, fmt="docx", report_date=period.due_date,
                                   created_by=demo.supervisor, message="Đang chờ xử lý")
    assert job.status == ExportStatus.QUEUED
    _login(client, demo.supervisor, demo)
    html = client.get(reverse("export_job_status", args=[job.pk])).content.decode()
    assert 'data-status="queued"' in html and 'hx-trigger="every 1s"' in html  # a fresh request waits
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    html = client.get(reverse("export_job", args=[job.pk])).content.decode()
    assert 'data-status="failed"' in html and "hx-trigger" not in html
    assert "Yêu cầu tạo tệp chưa được xử lý sau 15 phút" in html
    assert f'href="{reverse("export_home")}?ky={period.pk}&amp;don_vi={demo.province.pk}">Thử lại</a>' in html
