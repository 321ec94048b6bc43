"""The whole reporting flow in a real headless Chromium (Debian's package): officer fills
and saves (autosave too) → approver submits → supervisor returns with a comment → officer
fixes and resubmits → supervisor accepts → the consolidated view shows the new text."""

import pytest

from conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, base, username):
    page.context.clear_cookies()
    login(page, base, username)


def test_the_full_reporting_flow(live_demo, page):
    from planwatch.reporting.models import ReportStatus, UnitReport
    from planwatch.reporting.selectors import current_period

    base = live_demo.url
    period = current_period(live_demo.plan)

    # Officer: opens this period's report from the menu, types, autosave and save.
    _as(page, base, "canbo.thientin")
    page.click("header >> text=Báo cáo")
    page.locator("#my-reports tr", has_text=period.label).locator("a.button").click()
    page.wait_for_url("**/bao-cao/*/")
    assert "Xã Thiện Tín" in page.locator("#report-title").inner_text()
    report = UnitReport.objects.get(period=period, org=live_demo.thientin)
    row = page.locator("#progress-table tr[data-code]").first
    code = row.get_attribute("data-code")
    row.locator("textarea[name$=_result_to_date]").fill("Đã tổ chức 3 lớp Bình dân học vụ số")
    page.wait_for_selector("#autosave-ok")
    row.locator("textarea[name$=_expected_next]").fill("Mở rộng tới 12 thôn")
    page.click("#save-draft")
    page.wait_for_selector(".messages >> text=Đã lưu bản nháp")

    # Approver submits.
    _as(page, base, "chutich.thientin")
    page.goto(f"{base}/bao-cao/{report.pk}/")
    page.click("#btn-submit")
    assert page.locator("#report-status").inner_text() == "đã gửi"

    # Supervisor finds it in the period's status list and returns it with a comment.
    _as(page, base, "thuongtruc.skhcn")
    page.goto(f"{base}/ky-bao-cao/{period.pk}/")
    page.locator(f"#unit-status tr[data-org='{live_demo.thientin.pk}'] a").click()
    page.fill("#return-comment", "Đề nghị ghi rõ số người tham gia")
    page.click("#btn-return")
    assert page.locator("#report-status").inner_text() == "bị trả lại"

    # Officer reads the comment, fixes and saves; approver resubmits.
    _as(page, base, "canbo.thientin")
    page.goto(f"{base}/bao-cao/{report.pk}/")
    assert "Đề nghị ghi rõ số người tham gia" in page.locator("#events").inner_text()
    page.locator(f"#progress-table tr[data-code='{code}'] textarea[name$=_result_to_date]").fill(
        "Đã tổ chức 3 lớp Bình dân học vụ số cho 120 người"
    )
    page.locator(f"#progress-table tr[data-code='{code}'] select[name$=_status]").select_option("in_progress")
    page.click("#save-draft")
    page.wait_for_selector(".messages >> text=Đã lưu bản nháp")
    _as(page, base, "chutich.thientin")
    page.goto(f"{base}/bao-cao/{report.pk}/")
    page.click("#btn-submit")
    assert page.locator("#report-status").inner_text() == "đã gửi"

    # Supervisor accepts and opens the consolidated view.
    _as(page, base, "thuongtruc.skhcn")
    page.goto(f"{base}/bao-cao/{report.pk}/")
    page.click("#btn-accept")
    assert page.locator("#report-status").inner_text() == "đã tiếp nhận"
    page.goto(f"{base}/ky-bao-cao/{period.pk}/")
    page.click("text=Xem báo cáo tổng hợp")
    cell = page.locator(f"#consolidated tr[data-code='{code}']")
    text = cell.inner_text()
    assert "Xã Thiện Tín: Đã tổ chức 3 lớp Bình dân học vụ số cho 120 người" in text
    assert "xã đã hoàn thành" in text
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
