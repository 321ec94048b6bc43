"""The offline Excel round trip in a real headless Chromium: from the report page the officer
opens the upload page, downloads the report's file there, fills it (openpyxl stands in for the spreadsheet program), uploads
it with a wrong cell (named, nothing applied), corrects it, sees what will change and applies
it. The upload, problems and preview pages pass axe-core's WCAG 2.1 A/AA rules at 1440×900
and 390×844 without sideways scrolling on the phone."""

import io

import pytest
from openpyxl import load_workbook

from conftest import login
from planwatch.web.tests.test_ingest_browser import DESKTOP, check_both_viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(wb) -> dict:
    buf = io.BytesIO()
    wb.save(buf)
    return {"name": "bao-cao-da-dien.xlsx", "mimeType": XLSX, "buffer": buf.getvalue()}


def test_an_officer_fills_the_report_offline_and_uploads_it(live_demo, browser):
    from planwatch.reporting import offline_xlsx as X
    from planwatch.reporting.models import PeriodKind, UnitReport
    from planwatch.reporting.services import period_open, report_open

    period = period_open(plan=live_demo.plan, kind=PeriodKind.MONTH, year=2031, number=3)
    report = report_open(period=period, org=live_demo.skhcn, by=live_demo.dept_reporter)
    version = report.version
    ctx = browser.new_context(locale="vi-VN", viewport=DESKTOP, accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(20000)
    problems: dict = {}
    try:
        login(page, live_demo.url, "canbo.skhcn")
        page.goto(f"{live_demo.url}/bao-cao/{report.pk}/")
        page.click("#offline-links >> text=Tải lên tệp Excel đã điền")
        page.wait_for_url(f"**/bao-cao-excel/{report.pk}/tai-len/")
        assert "Tải lên tệp Excel đã điền" in page.locator("h1").inner_text()
        check_both_viewports(page, "upload", problems)

        with page.expect_download() as dl:
            page.click("#offline-download")
        assert dl.value.suggested_filename.endswith(".xlsx")
        with open(dl.value.path(), "rb") as fh:
            wb = load_workbook(fh)
        ws = wb[X.TASK_SHEET]
        rows = [r for r in range(X.FIRST_ROW, ws.max_row + 1) if ws[f"A{r}"].value]
        first, second = rows[0], rows[1]
        ws[f"F{first}"] = "Đã tổ chức hội thảo chuyển đổi số cho 120 doanh nghiệp"
        ws[f"D{second}"] = "Hoàn thành"
        ws[f"E{second}"] = "31/02/2026"

        # A wrong cell: named, nothing applied, the form is offered again.
        page.set_input_files("#id_file", files=[_file(wb)])
        page.click("#btn-upload")
        box = page.locator("#cell-problems")
        assert f"Ô E{second} (Nhiệm vụ): Ngày không hợp lệ" in box.inner_text()
        assert page.locator("#btn-apply").count() == 0
        check_both_viewports(page, "problems", problems)

        # Corrected: the preview lists the changed cells, then one save.
        ws[f"D{second}"] = None
        ws[f"D{second}"] = "đang thực hiện"
        ws[f"E{second}"] = None
        page.set_input_files("#id_file", files=[_file(wb)])
        page.click("#btn-upload")
        table = page.locator("#changes")
        assert f"F{first}" in table.inner_text() and "120 doanh nghiệp" in table.inner_text()
        check_both_viewports(page, "preview", problems)
        page.click("#btn-apply")
        page.wait_for_url(f"**/bao-cao/{report.pk}/")
        assert "Đã áp dụng" in page.locator(".messages").inner_text()
        assert "120 doanh nghiệp" in page.content()
        assert UnitReport.objects.get(pk=report.pk).version == version + 1
    finally:
        ctx.close()
    assert problems == {}
