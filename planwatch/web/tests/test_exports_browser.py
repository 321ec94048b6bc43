"""Export in a real headless Chromium: the job runs in a background thread of the server
(the embedded default), the page polls its progress and then offers the file."""

import pytest
from django.db.models import Count

from conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_supervisor_exports_the_province_report_and_downloads_it(live_demo, page, settings, tmp_path):
    from planwatch.reporting.models import ReportingPeriod

    settings.MEDIA_ROOT = tmp_path / "files"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PLANWATCH_EXPORTS_INLINE = False  # the real thing: a background thread
    period = (
        ReportingPeriod.objects.filter(plan__code="qn-327-2025", is_sample=True).annotate(n=Count("reports"))
        .filter(n__gte=50).order_by("-end").first()
    )
    login(page, live_demo.url, "thuongtruc.skhcn")
    page.click("text=Xuất báo cáo")
    page.select_option("select[name=period]", str(period.pk))
    page.select_option("select[name=org]", str(live_demo.province.pk))
    page.select_option("select[name=fmt]", "xlsx")
    page.click("#btn-export")
    page.wait_for_url("**/xuat-bao-cao/*/")
    page.wait_for_selector("#download", timeout=30000)
    with page.expect_download() as dl:
        page.click("#download")
    assert dl.value.suggested_filename.endswith(".xlsx")
    from openpyxl import load_workbook

    with open(dl.value.path(), "rb") as fh:
        assert load_workbook(fh).sheetnames == ["Nhiệm vụ", "Chỉ tiêu"]
