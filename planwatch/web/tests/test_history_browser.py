"""The "Lịch sử thay đổi" pages in a real headless Chromium, desktop and phone: they show the
recorded changes and pass axe-core's WCAG 2.1 A/AA rules."""

from pathlib import Path

import pytest

from conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-4.11.0.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"desktop": {"width": 1400, "height": 900}, "phone": {"width": 390, "height": 844}}


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]


def _changes(demo):
    """A task edit with its reason, an organisation rename and a report sent back to the unit."""
    from planwatch.audit.records import acting_as
    from planwatch.lib.deadlines import parse_deadline
    from planwatch.plans.models import Indicator, Task
    from planwatch.reporting.models import PeriodKind
    from planwatch.reporting.services import period_open, report_open, report_return, report_submit

    task = Task.objects.filter(plan=demo.plan).order_by("position").first()
    with acting_as(demo.supervisor, "Quyết định 999/QĐ-UBND điều chỉnh Kế hoạch 327"):
        task.deadline_raw = "Tháng 12/2026"
        task.deadline_spec = parse_deadline("Tháng 12/2026").value.to_dict()
        task.save()
        ind = Indicator.objects.filter(plan=demo.plan, is_group=False).order_by("position").first()
        ind.responsible.add(demo.syt)
        org = demo.thientin
        org.note = "Ghi chú mới về đơn vị"
        org.save()
    period = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=3)
    report = report_submit(report=report_open(period=period, org=org, by=demo.reporter), by=demo.approver)
    report_return(report=report, by=demo.supervisor, comment="Bổ sung số liệu")
    return {
        "plan": f"/ke-hoach/{demo.plan.pk}/lich-su/",
        "task": f"/nhiem-vu/{task.pk}/lich-su/",
        "indicator": f"/chi-tieu/{ind.pk}/lich-su/",
        "org": f"/to-chuc/{org.pk}/lich-su/",
    }


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_history_pages_show_the_changes_and_pass_axe(live_demo, browser, device):
    urls = _changes(live_demo)
    ctx = browser.new_context(locale="vi-VN", viewport=VIEWPORTS[device])
    page = ctx.new_page()
    page.set_default_timeout(15000)
    try:
        login(page, live_demo.url, "thuongtruc.skhcn")
        problems = {}
        for what, url in urls.items():
            page.goto(live_demo.url + url)
            assert page.locator("#history > li").count() >= 1, what
            found = axe_violations(page)
            if found:
                problems[what] = found
        assert problems == {}
        page.goto(live_demo.url + urls["org"])
        text = page.locator("#history").inner_text()
        assert "Trả lại báo cáo: Bổ sung số liệu" in text and "Ghi chú mới về đơn vị" in text
        # No sideways scrolling of the page on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[device]["width"]
    finally:
        ctx.close()
