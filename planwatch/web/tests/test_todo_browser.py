"""“Việc cần làm” in a real headless Chromium at 1440×900 and 390×844: the officer's home
page lists the returned report with its reason and the overdue periods; the standing agency
filters its acceptance queue and bulk-accepts after confirming; every page passes axe-core's
WCAG 2.1 A/AA rules and does not scroll sideways on a phone."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

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
    """axe at 1440×900 and 390×844, and no sideways scrolling of the page on the phone."""
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        found = axe_violations(page)
        if name == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > size["width"]:
                found.append(f"trang rộng {width}px")
        if found:
            problems[f"{what} ({name})"] = found
    page.set_viewport_size(DESKTOP)


def _as(page, base, username):
    page.context.clear_cookies()
    login(page, base, username)


def test_the_home_page_and_the_acceptance_queue(live_demo, browser):
    from planwatch.reporting.models import PeriodKind, ReportStatus, UnitReport
    from planwatch.reporting.services import period_open, report_open, report_return, report_submit

    demo = live_demo
    today = timezone.localdate()
    overdue = period_open(plan=demo.plan, kind=PeriodKind.AD_HOC, year=today.year, start=today - timedelta(days=50),
                          end=today - timedelta(days=30), due_date=today - timedelta(days=3), label="Báo cáo đột xuất về Bình dân học vụ số")  # fmt: skip
    back = report_submit(report=report_open(period=overdue, org=demo.thientin), by=demo.approver)
    report_return(report=back, by=demo.supervisor, comment="Đề nghị ghi rõ số người đã tham gia")
    ctx = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    page = ctx.new_page()
    page.set_default_timeout(15000)
    problems: dict = {}
    try:
        # The officer: the returned report on top, with its reason, then the reports to write.
        _as(page, demo.url, "canbo.thientin")
        item = page.locator(f"#todo-returned li[data-report='{back.pk}']")
        assert "Đề nghị ghi rõ số người đã tham gia" in item.inner_text()
        assert "quá hạn 3 ngày" in item.inner_text()
        check_both_viewports(page, "Việc cần làm (cán bộ)", problems)
        item.locator("a.button").click()
        page.wait_for_url(f"**/bao-cao/{back.pk}/")

        # The leader: the warnings of the province.
        _as(page, demo.url, "lanhdao.tinh")
        assert page.locator("#todo-warnings").is_visible()
        check_both_viewports(page, "Việc cần làm (lãnh đạo)", problems)

        # The standing agency: the count on the home page, the queue, a filter, bulk accept.
        _as(page, demo.url, "thuongtruc.skhcn")
        waiting = UnitReport.objects.filter(status=ReportStatus.SUBMITTED).count()
        assert page.locator("#todo-accept-count").inner_text() == f"{waiting:,}".replace(",", ".")
        check_both_viewports(page, "Việc cần làm (cơ quan thường trực)", problems)
        page.click("#open-queue")
        page.wait_for_url("**/tiep-nhan/")
        assert page.locator("#queue-table tbody tr").count() == min(waiting, 100)
        check_both_viewports(page, "Báo cáo chờ tiếp nhận", problems)
        page.select_option("#f-kind", "commune")
        page.click("#btn-filter")
        page.wait_for_url("**loai=commune**")
        communes = UnitReport.objects.filter(status=ReportStatus.SUBMITTED, org__kind="commune").count()
        assert communes >= 2
        rows = page.locator("#queue-table tbody tr")
        assert rows.count() == min(communes, 100)
        assert page.locator("#btn-accept-selected").is_disabled()
        # Pick two by hand, then all of the page.
        rows.nth(0).locator("input.pick").check()
        rows.nth(1).locator("input.pick").check()
        assert page.locator("#picked-count").inner_text() == "Đã chọn 2 báo cáo."
        page.check("#select-all")
        n = rows.count()
        assert page.locator("#picked-count").inner_text() == f"Đã chọn {n} báo cáo."
        chosen = [int(x) for x in rows.evaluate_all("rs => rs.map(r => r.dataset.report)")]
        page.click("#btn-accept-selected")
        dialog = page.locator("dialog#pw-confirm")
        assert f"Tiếp nhận {n} báo cáo đã chọn?" in dialog.inner_text()
        check_both_viewports(page, "Xác nhận tiếp nhận", problems)
        dialog.locator("button.pw-confirm-ok").click()
        page.wait_for_selector(f".messages >> text=Đã tiếp nhận {n} báo cáo.")
        assert UnitReport.objects.filter(pk__in=chosen, status=ReportStatus.ACCEPTED).count() == n
        assert "loai=commune" in page.url
        assert UnitReport.objects.filter(status=ReportStatus.SUBMITTED).count() == waiting - n
    finally:
        ctx.close()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
