"""confirm.js and "Hoàn tác" in a real headless Chromium, desktop and phone: sending a report
asks first in an accessible dialog (Hủy keeps it a draft), the success message offers
"Hoàn tác", which takes the report back; the page with the open dialog passes axe."""

from pathlib import Path

import pytest

from conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-4.11.0.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in result["violations"]]


def _ready_report(demo):
    from planwatch.reporting.models import PeriodKind
    from planwatch.reporting.services import ReportData, period_open, report_open, report_save_draft

    period = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=3)
    r = report_open(period=period, org=demo.thientin, by=demo.reporter)
    data = ReportData(tasks={tl.task_id: {"status": "in_progress", "result_to_date": "Đang triển khai"} for tl in r.task_lines.all()})
    return report_save_draft(report=r, by=demo.reporter, data=data, expected_version=r.version)


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_sending_asks_first_and_can_be_taken_back(live_demo, browser, device):
    from planwatch.reporting.models import ReportStatus, UnitReport

    report = _ready_report(live_demo)
    ctx = browser.new_context(locale="vi-VN", viewport=VIEWPORTS[device])
    page = ctx.new_page()
    page.set_default_timeout(15000)
    try:
        login(page, live_demo.url, "chutich.thientin")
        page.goto(f"{live_demo.url}/bao-cao/{report.pk}/")
        page.click("#btn-submit")
        dialog = page.get_by_role("dialog", name="Xác nhận")
        assert dialog.is_visible()
        assert "Gửi báo cáo tháng 3/2031 của Xã Thiện Tín tới cơ quan thường trực?" in dialog.inner_text()
        # The safe choice has the focus; the page behind is inert while the question is open.
        assert page.evaluate("document.activeElement.textContent") == "Hủy"
        assert axe_violations(page) == []
        dialog.get_by_role("button", name="Hủy").click()
        assert not dialog.is_visible()
        assert UnitReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT

        page.click("#btn-submit")
        page.keyboard.press("Escape")  # Escape is "Hủy" too
        assert UnitReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT

        page.click("#btn-submit")
        with page.expect_navigation():
            dialog.get_by_role("button", name="Gửi báo cáo").click()
        message = page.locator(".messages li.success").first
        assert "Đã gửi báo cáo tới cơ quan thường trực" in message.inner_text()
        assert UnitReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
        assert axe_violations(page) == []

        with page.expect_navigation():
            message.get_by_role("button", name="Hoàn tác (rút lại)").click()
        assert "Đã rút lại báo cáo" in page.locator(".messages").inner_text()
        assert UnitReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT
        assert page.locator("#btn-submit").is_visible()
    finally:
        ctx.close()
