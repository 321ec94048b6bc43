"""The month walked end to end in a real headless Chromium, as the demo people would (issue 10,
"Done when"):

1. the standing agency reminds the units that have not sent an overdue period, after confirming;
2. the reminder arrives as a notification for Thiện Tín's officer (the bell, the list);
3. the officer, on a phone (390×844), opens that overdue period from "Việc cần làm" and fills it;
4. the connection is lost in the middle of typing: the page says so and keeps the text; the
   officer closes the page, comes back online and gets the text back ("Khôi phục"), saved;
5. the head of unit (desktop, 1440×900) sends the report back with a comment;
6. the officer sees the reason on top of the home page and of the report, fixes it; the head
   sends it again;
7. the standing agency bulk-accepts it from its queue, after confirming.

The report page with its returned banner passes axe-core's WCAG 2.1 A/AA rules at both sizes."""

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


def _context(browser, viewport, **kw):
    ctx = browser.new_context(locale="vi-VN", viewport=viewport, **kw)
    page = ctx.new_page()
    page.set_default_timeout(15000)
    return ctx, page


def _press(page, locator) -> None:
    """Click a button; when its form asks first (data-confirm, confirm.js), answer yes."""
    asks = locator.evaluate("b => !!(b.getAttribute('data-confirm') || (b.form && b.form.getAttribute('data-confirm')))")
    locator.click()
    if asks:
        page.locator("dialog.pw-confirm[open] .pw-confirm-ok").click()


@pytest.fixture
def jobs_in_process(settings):
    """Background jobs (reminders, e-mails) run in the request, as in the embedded default,
    also when the suite runs with Redis (no worker runs during the tests)."""
    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def _overdue_period(demo):
    """An overdue period of plan 327 that Thiện Tín has not reported on. It is opened here (an
    ad hoc period that ended a month ago, due five days ago) so that the walk does not depend on
    which months the demo leaves unreported after a reload."""
    from datetime import timedelta

    from django.utils import timezone

    from planwatch.reporting.models import PeriodKind
    from planwatch.reporting.services import period_open
    from planwatch.reporting.todo import todo_for

    today = timezone.localdate()
    end = today - timedelta(days=30)
    period = period_open(plan=demo.plan, kind=PeriodKind.AD_HOC, year=end.year, start=end - timedelta(days=20), end=end,
                         due_date=today - timedelta(days=5), label="Báo cáo đột xuất về chuyển đổi số")  # fmt: skip
    assert any(i.period == period and i.overdue and i.report is None for i in todo_for(demo.reporter)["to_write"])
    return period


def test_the_month_walk(live_demo, browser, jobs_in_process):
    from planwatch.notifications.models import Notification
    from planwatch.reporting.models import ReportStatus, UnitReport

    demo = live_demo
    base = demo.url
    period = _overdue_period(demo)
    problems: dict = {}

    # 1. The standing agency reminds the units that have not sent the overdue period.
    ctx, page = _context(browser, DESKTOP)
    try:
        login(page, base, "thuongtruc.skhcn")
        page.goto(f"{base}/ky-bao-cao/{period.pk}/")
        _press(page, page.locator("#btn-remind"))
        page.locator(".messages li").first.wait_for()
        assert page.locator(".messages li").first.inner_text().startswith("Đã nhắc ")
    finally:
        ctx.close()
    assert Notification.objects.filter(user=demo.reporter, kind="reminder").exists()

    # 2–3. The officer, on a phone: the bell, the reminder, then the overdue period from "Việc cần làm".
    ctx, page = _context(browser, PHONE, is_mobile=True, has_touch=True)
    try:
        login(page, base, "canbo.thientin")
        assert page.locator("#bell-count").is_visible()
        page.locator("#nav-bell").click()
        page.wait_for_url("**/thong-bao/")
        reminder = page.locator("#notif-list li").filter(has_text="Nhắc nộp").first
        assert period.label.lower() in reminder.inner_text().lower()
        page.goto(f"{base}/")
        item = page.locator(f"#todo-write li[data-period='{period.pk}']")
        assert "quá hạn" in item.inner_text() and "chưa lập" in item.inner_text()
        item.locator("a.button").click()
        page.wait_for_url("**/bao-cao/*/")
        report = UnitReport.objects.get(period=period, org=demo.thientin)
        assert page.url.endswith(f"/bao-cao/{report.pk}/")
        lines = list(report.task_lines.order_by("task__position").values_list("task_id", flat=True))
        a, b = lines[0], lines[1 if len(lines) > 1 else 0]
        cell_a = page.locator(f"#dong-{a} [name=t{a}_result_to_date]")
        cell_a.fill("Đã tổ chức 3 lớp Bình dân học vụ số tại thôn Phú Thọ")
        page.wait_for_selector("#autosave-ok")
        page.wait_for_function("!document.querySelector('.cell-pending')")
        assert report.task_lines.get(task_id=a).result_to_date == "Đã tổ chức 3 lớp Bình dân học vụ số tại thôn Phú Thọ"

        # 4. The connection drops in the middle of typing: the page says so and keeps the text.
        ctx.set_offline(True)
        cell_b = page.locator(f"#dong-{b} [name=t{b}_obstacles]")
        cell_b.scroll_into_view_if_needed()
        cell_b.click()
        cell_b.type("Thiếu máy tính cho điểm hỗ trợ")
        page.wait_for_selector("#autosave-offline")
        assert report.task_lines.get(task_id=b).obstacles != "Thiếu máy tính cho điểm hỗ trợ"
        page.close()  # the officer gives up and closes the page, still offline
        ctx.set_offline(False)
        page = ctx.new_page()
        page.set_default_timeout(15000)
        page.goto(f"{base}/bao-cao/{report.pk}/")
        page.wait_for_selector("#restore:not([hidden])")
        assert "Thiếu máy tính cho điểm hỗ trợ" in page.locator("#restore-list").inner_text()
        page.click("#restore-yes")
        assert page.locator(f"#dong-{b} [name=t{b}_obstacles]").input_value() == "Thiếu máy tính cho điểm hỗ trợ"
        page.wait_for_function("!document.querySelector('.cell-pending')")
        assert report.task_lines.get(task_id=b).obstacles == "Thiếu máy tính cho điểm hỗ trợ"
    finally:
        ctx.close()

    # 5. The head of unit, at a desk: from "Việc cần làm" to the draft, sent back with a comment.
    ctx, page = _context(browser, DESKTOP)
    try:
        login(page, base, "chutich.thientin")
        page.locator(f"#todo-approve li[data-report='{report.pk}'] a.button").click()
        page.wait_for_url(f"**/bao-cao/{report.pk}/")
        send_back = page.locator("form[action$='/chuyen-lai/']")
        send_back.locator("textarea[name=comment]").fill("Đề nghị ghi rõ số người đã tham gia lớp học")
        _press(page, send_back.locator("button"))
        page.wait_for_selector(".messages >> text=Đã chuyển báo cáo lại cho cán bộ")
    finally:
        ctx.close()

    # 6. The officer, on the phone: the reason on the home page and on top of the report.
    ctx, page = _context(browser, PHONE, is_mobile=True, has_touch=True)
    try:
        login(page, base, "canbo.thientin")
        item = page.locator(f"#todo-returned li[data-report='{report.pk}']")
        assert "Đề nghị ghi rõ số người đã tham gia lớp học" in item.inner_text()
        item.locator("a.button").click()
        page.wait_for_url(f"**/bao-cao/{report.pk}/")
        banner = page.locator("#returned-banner")
        assert "Đề nghị ghi rõ số người đã tham gia lớp học" in banner.inner_text()
        assert "Trần Văn Hùng" in banner.inner_text()
        top = banner.bounding_box()["y"]
        assert top < page.locator(f"#dong-{a}").bounding_box()["y"]  # above the first task
        for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            found = axe_violations(page)
            if found:
                problems[f"báo cáo bị chuyển lại ({name})"] = found
        page.set_viewport_size(PHONE)
        cell_a = page.locator(f"#dong-{a} [name=t{a}_result_to_date]")
        cell_a.fill("Đã tổ chức 3 lớp Bình dân học vụ số tại thôn Phú Thọ cho 120 người")
        page.wait_for_function("!document.querySelector('.cell-pending')")
        assert report.task_lines.get(task_id=a).result_to_date.endswith("cho 120 người")
    finally:
        ctx.close()

    # The head sends it again.
    ctx, page = _context(browser, DESKTOP)
    try:
        login(page, base, "chutich.thientin")
        page.locator(f"#todo-approve li[data-report='{report.pk}'] a.button").click()
        page.wait_for_url(f"**/bao-cao/{report.pk}/")
        _press(page, page.locator("#btn-submit"))
        page.wait_for_function("document.querySelector('#report-status').textContent.trim() === 'đã gửi'")
        report.refresh_from_db()
        assert report.status == ReportStatus.SUBMITTED
        # Nothing left for the unit on this period.
        page.goto(f"{base}/")
        assert page.locator(f"li[data-period='{period.pk}']").count() == 0
    finally:
        ctx.close()

    # 7. The standing agency: from "Việc cần làm" to the period's queue, bulk accept after confirming.
    ctx, page = _context(browser, DESKTOP)
    try:
        login(page, base, "thuongtruc.skhcn")
        page.locator("#todo-accept a", has_text=f"Tiếp nhận báo cáo {period.label.lower()}").click()
        page.wait_for_url(f"**/tiep-nhan/?ky={period.pk}")
        row = page.locator(f"#queue-table tr[data-report='{report.pk}']")
        assert "Xã Thiện Tín" in row.inner_text() and "trễ hạn" in row.inner_text()
        waiting = list(UnitReport.objects.filter(period=period, status=ReportStatus.SUBMITTED).values_list("pk", flat=True))
        page.check("#select-all")
        page.click("#btn-accept-selected")
        assert f"Tiếp nhận {len(waiting)} báo cáo đã chọn?" in page.locator("dialog#pw-confirm").inner_text()
        page.click("dialog#pw-confirm .pw-confirm-ok")
        page.wait_for_selector(f".messages >> text=Đã tiếp nhận {len(waiting)} báo cáo.")
        assert page.locator(f"#queue-table tr[data-report='{report.pk}']").count() == 0
        report.refresh_from_db()
        assert report.status == ReportStatus.ACCEPTED and report.accepted_by == demo.supervisor
    finally:
        ctx.close()
    assert problems == {}, "\n".join(f"{k}: {v}" for k, v in problems.items())
