"""Readable at scale, in a real Chromium at 1440×900 and 390×844: the consolidated table folds
each task's units and finds a unit by typing without accents; the monitoring reporting tab
finds units as one types (htmx); the indicator list's "Trang sau" shows the next page. Every
page passes axe-core's WCAG 2.1 A/AA rules."""

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


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_supervisor_finds_a_unit_in_the_consolidated_table_and_the_lists_at_scale(live_demo, browser, device):
    from planwatch.reporting.models import ReportingPeriod

    demo = live_demo
    period = ReportingPeriod.objects.filter(plan=demo.plan, reports__isnull=False).order_by("-end").first()
    ctx = browser.new_context(locale="vi-VN", viewport=VIEWPORTS[device])
    page = ctx.new_page()
    page.set_default_timeout(15000)
    problems = {}
    try:
        login(page, demo.url, "thuongtruc.skhcn")
        page.goto(f"{demo.url}/ky-bao-cao/{period.pk}/tong-hop/")
        rows = page.locator("#consolidated tbody tr[data-code]")
        total = rows.count()
        assert total > 5
        # Units folded: a task carried by many units shows its summary, not its units.
        many = page.locator("#consolidated tbody tr[data-code]:has(details.units)").first
        assert "đơn vị đã báo cáo" in many.inner_text()
        first_unit = many.locator("li[data-org]").first
        assert not first_unit.is_visible()
        many.locator("details.units > summary").click()
        assert first_unit.is_visible()
        found = axe_violations(page)
        if found:
            problems["consolidated"] = found
        # Typing without accents keeps the tasks Xã Thiện Tín carries, its line opened.
        page.fill("#con-q", "thien tin")
        visible = page.locator("#consolidated tbody tr[data-code]:visible")
        assert 0 < visible.count() < total
        tt = page.locator(f'#consolidated li[data-org="{demo.thientin.pk}"]:visible')
        assert tt.count() >= 1
        assert "khớp với “thien tin”" in page.locator("#con-shown").inner_text()
        assert page.locator("#consolidated li[data-org]:visible").count() == tt.count() + page.locator(
            "#consolidated tbody tr[data-code]:visible ul.single li[data-org]:visible").count() - page.locator(
            f'#consolidated ul.single li[data-org="{demo.thientin.pk}"]:visible').count()
        page.fill("#con-q", "")
        assert page.locator("#consolidated tbody tr[data-code]:visible").count() == total

        login(page, demo.url, "lanhdao.tinh")
        page.goto(f"{demo.url}/giam-sat/don-vi/{demo.province.pk}/")
        n_children = page.locator("#children tr[data-org]").count()
        page.fill("#children-q", "tinh khe")
        left = page.locator("#children tr[data-org]:visible td:first-child").all_inner_texts()
        assert left and all("Tịnh Khê" in t for t in left) and len(left) < n_children
        assert f"/ {n_children} đơn vị" in page.locator("#children-q-count").inner_text()
        page.goto(f"{demo.url}/giam-sat/don-vi/{demo.province.pk}/bao-cao/")
        assert page.locator("#reporting-list tr[data-org]").count() > 20
        page.fill("#unit-q", "tinh khe")
        page.wait_for_url(lambda u: "q=tinh" in u)
        page.wait_for_function("document.querySelectorAll('#reporting-list tr[data-org]').length <= 3")
        names = page.locator("#reporting-list tr[data-org] td:first-child").all_inner_texts()
        assert names and all("Tịnh Khê" in n for n in names)
        found = axe_violations(page)
        if found:
            problems["reporting"] = found

        page.goto(f"{demo.url}/giam-sat/don-vi/{demo.province.pk}/chi-tieu/")
        first_ids = page.locator("#indicator-list tr[data-indicator]").evaluate_all("rs => rs.map(r => r.dataset.indicator)")
        if page.locator("#pager a[rel=next]").count():
            page.click("#pager a[rel=next]")
            page.wait_for_url(lambda u: "trang=2" in u)
            assert "Trang 2 /" in page.locator("#pager .current").inner_text()
            second = page.locator("#indicator-list tr[data-indicator]").evaluate_all("rs => rs.map(r => r.dataset.indicator)")
            assert second and not set(second) & set(first_ids)
        found = axe_violations(page)
        if found:
            problems["indicators"] = found
        assert problems == {}
    finally:
        ctx.close()
