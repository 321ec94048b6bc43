"""Notifications in a real headless Chromium at 1440×900 and 390×844: the standing agency
reminds the units that have not sent (after confirming) and is told honestly who was reached;
the officer sees the bell's unread count, opens the list, follows the reminder to the report,
and the count goes down; a returned report arrives with its reason. Every page passes
axe-core's WCAG 2.1 A/AA rules and does not scroll sideways on a phone."""

from pathlib import Path

import pytest

from conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-4.11.0.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def axe_violations(page) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in result["violations"]]


def check_both_viewports(page, what: str, problems: dict) -> None:
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        found = axe_violations(page)
        if name == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > size["width"]:
                found.append(f"trang rộng {width}px")
            if not page.locator("#nav-bell").is_visible():
                found.append("không thấy chuông thông báo")
        if found:
            problems[f"{what} ({name})"] = found
    page.set_viewport_size(DESKTOP)


def _as(page, base, username):
    page.context.clear_cookies()
    login(page, base, username)


def test_the_reminder_arrives_as_a_notification_and_is_read(live_demo, browser):
    from planwatch.reporting.models import PeriodKind
    from planwatch.reporting.services import period_open, report_open, report_return, report_submit

    demo = live_demo
    period = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=3)
    earlier = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=2)
    back = report_submit(report=report_open(period=earlier, org=demo.thientin), by=demo.approver)
    report_return(report=back, by=demo.supervisor, comment="Đề nghị bổ sung minh chứng nhiệm vụ 5")

    ctx = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    page = ctx.new_page()
    page.set_default_timeout(15000)
    problems: dict = {}
    try:
        # The standing agency reminds, confirms, and reads who was and was not reached.
        _as(page, demo.url, "thuongtruc.skhcn")
        page.goto(f"{demo.url}/ky-bao-cao/{period.pk}/")
        page.click("#btn-remind")
        if page.locator("dialog.pw-confirm[open]").count():
            page.click("dialog.pw-confirm[open] .pw-confirm-ok")
        message = page.locator(".messages li").first
        message.wait_for()
        text = message.inner_text()
        assert text.startswith("Đã nhắc ") and "thông báo trong ứng dụng tới" in text and "Chưa nhắc được" in text

        # The officer: three unread on the bell (the head sent the report, it was returned, the reminder).
        _as(page, demo.url, "canbo.thientin")
        bell = page.locator("#nav-bell")
        assert bell.get_attribute("aria-label") == "Thông báo: 3 chưa đọc"
        assert page.locator("#bell-count").inner_text() == "3"
        check_both_viewports(page, "Trang chủ với chuông", problems)
        bell.click()
        page.wait_for_url("**/thong-bao/")
        items = page.locator("#notif-list li")
        assert items.count() == 3
        returned = items.filter(has_text="bị trả lại")
        assert "Đề nghị bổ sung minh chứng nhiệm vụ 5" in returned.inner_text() and "Mới" in returned.inner_text()
        check_both_viewports(page, "Thông báo", problems)

        # Follow the reminder: it opens the unit's report of that period and is read.
        items.filter(has_text="Nhắc nộp").locator("a.notif-title").click()
        page.wait_for_url("**/bao-cao/*/")
        assert "Tháng 3/2031" in page.content()
        assert page.locator("#bell-count").inner_text() == "2"

        # Mark the rest read on the phone.
        page.set_viewport_size(PHONE)
        page.locator("#nav-bell").click()
        page.wait_for_url("**/thong-bao/")
        page.click("#mark-all-read")
        page.wait_for_url("**/thong-bao/")
        assert page.locator("#nav-bell").get_attribute("aria-label") == "Thông báo: không có thông báo mới"
        assert page.locator("#bell-count").count() == 0
        assert page.locator("#notif-list .badge.blue").count() == 0
        check_both_viewports(page, "Thông báo (đã đọc hết)", problems)
    finally:
        ctx.close()
    assert not problems, problems
