"""Any period and "Không thuộc phạm vi" in a real headless Chromium, desktop and phone: the
commune officer opens an overdue period from the "Báo cáo" page, asks that the Lý Sơn pilot
task be taken off its list, the standing agency accepts after the confirmation dialog, and the
task is gone from the report. Every page passes axe-core's WCAG 2.1 A/AA rules and none
scrolls sideways on a phone."""

import pytest

from conftest import login
from planwatch.web.tests.test_history_browser import VIEWPORTS, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Mô hình điểm triển khai tại đặc khu Lý Sơn, xã không có phần việc nào."


def _no_sideways_scroll(page, device):
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[device]["width"] + 1


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_unit_opens_an_overdue_period_and_is_relieved_of_a_task_not_its_own(live_demo, browser, device):
    from planwatch.plans.models import Task
    from planwatch.reporting import periods as P
    from planwatch.reporting.models import ReliefRequest, ReliefStatus, UnitReport

    from planwatch.reporting.selectors import current_period

    # The commune's own plan always leaves last month to the demo accounts: overdue.
    overdue = next(r for r in P.reportable_periods(live_demo.thientin) if r.overdue and r.plan == live_demo.commune_plan)
    now = current_period(live_demo.plan)
    lyson = Task.objects.get(plan=live_demo.plan, code="19")
    ctx = browser.new_context(locale="vi-VN", viewport=VIEWPORTS[device])
    page = ctx.new_page()
    page.set_default_timeout(15000)
    problems = {}
    try:
        login(page, live_demo.url, "canbo.thientin")
        page.goto(live_demo.url + "/bao-cao/")
        row = page.locator(f'#reportable tr[data-period="{overdue.period.pk}"]')
        assert "quá hạn" in row.inner_text() and overdue.period.label in row.inner_text()
        problems["Báo cáo"] = axe_violations(page)
        _no_sideways_scroll(page, device)
        row.get_by_role("link").click()
        page.wait_for_url("**/bao-cao/*/")
        opened = UnitReport.objects.get(period=overdue.period, org=live_demo.thientin)
        assert page.url.endswith(f"/bao-cao/{opened.pk}/")
        assert opened.indicator_values.count() == live_demo.commune_plan.indicators.filter(is_group=False).count()

        # This month's report of plan 327 holds the Lý Sơn pilot task, given to "Địa phương".
        page.goto(live_demo.url + "/bao-cao/")
        page.locator(f'#reportable tr[data-period="{now.pk}"]').get_by_role("link").click()
        page.wait_for_url("**/bao-cao/*/")
        report = UnitReport.objects.get(period=now, org=live_demo.thientin)
        assert report.task_lines.filter(task=lyson).exists()

        page.goto(f"{live_demo.url}/pham-vi/de-nghi/{report.pk}/{lyson.pk}/")
        problems["Đề nghị"] = axe_violations(page)
        _no_sideways_scroll(page, device)
        page.fill("#id_reason", REASON)
        page.click("#relief-submit")
        page.wait_for_url(f"**/bao-cao/{report.pk}/")
        assert "Trong khi chờ quyết định, nhiệm vụ vẫn tính như cũ" in page.content()
        req = ReliefRequest.objects.get(org=live_demo.thientin, task=lyson)

        ctx.clear_cookies()
        login(page, live_demo.url, "thuongtruc.skhcn")
        page.goto(live_demo.url + "/pham-vi/")
        pending = page.locator(f'#relief-pending tr[data-relief="{req.pk}"]')
        assert REASON in pending.inner_text()
        problems["Quyết định"] = axe_violations(page)
        _no_sideways_scroll(page, device)
        pending.locator("button.relief-accept").click()
        dialog = page.locator("dialog#pw-confirm")
        dialog.wait_for(state="visible")
        assert "Chấp nhận: Xã Thiện Tín không phải báo cáo nhiệm vụ 19 nữa" in dialog.inner_text()
        problems["Hộp xác nhận"] = axe_violations(page)
        dialog.locator("button.pw-confirm-ok").click()
        page.wait_for_selector(".messages li.success")
        assert "Đã chấp nhận: Xã Thiện Tín không phải báo cáo nhiệm vụ 19" in page.locator(".messages").inner_text()
        req.refresh_from_db()
        assert req.status == ReliefStatus.ACCEPTED
        assert not report.task_lines.filter(task=lyson).exists()
        page.goto(f"{live_demo.url}/pham-vi/{req.pk}/")
        assert "đã chấp nhận" in page.locator("#relief-status").inner_text()
        problems["Chi tiết"] = axe_violations(page)
    finally:
        ctx.close()
    assert {k: v for k, v in problems.items() if v} == {}
