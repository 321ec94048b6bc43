"""Offline Excel pages through real URLs: who may download and upload, the preview of a file
with a wrong cell, of a correct file, the apply, a stale apply refused (409), a tampered
apply refused (403)."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from planwatch.reporting import offline_xlsx as X
from planwatch.reporting.models import ReportEvent, UnitReport
from planwatch.reporting.services import ReportData, period_open, report_open, report_save_draft
from planwatch.reporting.models import PeriodKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def report(demo):
    period = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=3)
    return report_open(period=period, org=demo.skhcn, by=demo.dept_reporter)


def downloaded(client, report):
    r = client.get(reverse("offline_download", args=[report.pk]))
    assert r.status_code == 200
    return load_workbook(io.BytesIO(r.content))


def upload(client, report, wb, name="da-dien.xlsx"):
    buf = io.BytesIO()
    wb.save(buf)
    f = SimpleUploadedFile(name, buf.getvalue(), content_type=XLSX)
    return client.post(reverse("offline_upload", args=[report.pk]), {"file": f})


def first_task_row(wb):
    ws = wb[X.TASK_SHEET]
    return next(r for r in range(X.FIRST_ROW, ws.max_row + 1) if ws[f"A{r}"].value)


@pytest.mark.parametrize("who,code", [
    ("dept_reporter", 200), ("dept_approver", 200), ("supervisor", 200), ("leader", 200),
    ("reporter", 404), ("other_dept_reporter", 404),
])
def test_who_may_download(client, demo, report, who, code):
    client.force_login(getattr(demo, who))
    r = client.get(reverse("offline_download", args=[report.pk]))
    assert r.status_code == code
    if code == 200:
        assert r["Content-Type"] == XLSX
        assert re.search(r'filename="bao-cao-thang-3-?2031-so-khoa-hoc-va-cong-nghe\.xlsx"', r["Content-Disposition"]), r["Content-Disposition"]


@pytest.mark.parametrize("who,code", [
    ("dept_reporter", 200), ("dept_approver", 200), ("supervisor", 403), ("leader", 403), ("other_dept_reporter", 404),
])
def test_only_the_units_people_may_upload(client, demo, report, who, code):
    client.force_login(getattr(demo, who))
    assert client.get(reverse("offline_upload", args=[report.pk])).status_code == code


def test_a_file_with_a_wrong_cell_shows_the_cell_and_applies_nothing(client, demo, report):
    client.force_login(demo.dept_reporter)
    wb = downloaded(client, report)
    row = first_task_row(wb)
    wb[X.TASK_SHEET][f"E{row}"] = "hôm qua"
    r = upload(client, report, wb)
    assert r.status_code == 422
    html = r.content.decode()
    assert f"Ô E{row} (Nhiệm vụ): Ngày không hợp lệ" in html
    assert 'id="btn-apply"' not in html
    assert UnitReport.objects.get(pk=report.pk).version == report.version


def test_a_correct_file_is_previewed_and_applied(client, demo, report):
    client.force_login(demo.dept_reporter)
    wb = downloaded(client, report)
    row = first_task_row(wb)
    wb[X.TASK_SHEET][f"H{row}"] = "Cần thêm 2 cán bộ"
    r = upload(client, report, wb)
    assert r.status_code == 200
    html = r.content.decode()
    assert f"H{row}" in html and "Cần thêm 2 cán bộ" in html and "Những gì sẽ thay đổi (1 ô)" in html
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    r = client.post(reverse("offline_apply", args=[report.pk]), {"token": token}, follow=True)
    assert r.redirect_chain[-1][0] == reverse("report_detail", args=[report.pk])
    assert "Đã áp dụng 1 ô thay đổi từ tệp “da-dien.xlsx”" in r.content.decode()
    fresh = UnitReport.objects.get(pk=report.pk)
    assert fresh.version == report.version + 1
    code = wb[X.TASK_SHEET][f"A{row}"].value
    assert fresh.task_lines.get(task__code=code).obstacles == "Cần thêm 2 cán bộ"
    assert ReportEvent.objects.filter(report=report, action="xlsx_uploaded", actor=demo.dept_reporter).count() == 1
    # Applying the same preview twice is a stale apply: refused, nothing written twice.
    r = client.post(reverse("offline_apply", args=[report.pk]), {"token": token})
    assert r.status_code == 409
    assert "Chưa áp dụng tệp “da-dien.xlsx”" in r.content.decode()
    assert UnitReport.objects.get(pk=report.pk).version == report.version + 1


def test_a_file_made_before_someone_elses_save_is_refused_with_what_they_changed(client, demo, report):
    client.force_login(demo.dept_reporter)
    wb = downloaded(client, report)
    lines = list(report.task_lines.select_related("task").order_by("task__position"))
    report_save_draft(report=report, by=demo.dept_approver, expected_version=report.version,
                      data=ReportData(tasks={lines[-1].task_id: {"expected_next": "Hoàn thành trong quý tới"}}))
    row = first_task_row(wb)
    wb[X.TASK_SHEET][f"G{row}"] = "Điền ngoại tuyến"
    r = upload(client, report, wb)
    html = r.content.decode()
    assert 'id="stale"' in html and 'id="btn-apply"' not in html
    assert "Hoàn thành trong quý tới" in html  # the other person's change
    assert "Điền ngoại tuyến" in html  # the user's own, still in view


def test_a_tampered_apply_is_refused(client, demo, report):
    client.force_login(demo.dept_reporter)
    r = client.post(reverse("offline_apply", args=[report.pk]), {"token": "x:y:z"})
    assert r.status_code == 403


def test_the_report_page_links_are_offered_by_the_include(client, demo, report):
    from django.template.loader import render_to_string

    report.caps = {"read", "edit"}
    html = render_to_string("web/offline/_links.html", {"report": report})
    assert reverse("offline_download", args=[report.pk]) in html and reverse("offline_upload", args=[report.pk]) in html
    report.caps = {"read"}
    html = render_to_string("web/offline/_links.html", {"report": report})
    assert reverse("offline_upload", args=[report.pk]) not in html
