"""A leader reads the ranking (thi đua): departments and communes in tables of their own, the
method written on the page, the communes paged, a shared rank only where the scores are the
same; the heat map's legend says how a cell is graded. At 1440×900 and 390×844, every page
passes axe-core's WCAG 2.1 A/AA rules."""

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


def test_a_leader_reads_the_ranking_per_kind_of_unit_on_a_desk_and_a_phone(live_demo, browser):
    demo = live_demo
    problems = {}
    for device, viewport in VIEWPORTS.items():
        ctx = browser.new_context(locale="vi-VN", viewport=viewport)
        page = ctx.new_page()
        page.set_default_timeout(15000)
        try:
            login(page, demo.url, "lanhdao.tinh")
            page.goto(f"{demo.url}/giam-sat/don-vi/{demo.province.pk}/")
            page.click(".tabs a:has-text('Xếp hạng thi đua')")
            page.wait_for_selector("#ranking")
            assert "Cách tính điểm" in page.inner_text("#method")
            assert "Hoàn thành nhiệm vụ đúng hạn" in page.inner_text("#method")
            depts = page.locator("#ranking tr[data-org] td:nth-child(2)").all_inner_texts()
            assert demo.skhcn.name in depts and not any(n.startswith(("Xã ", "Phường ")) for n in depts)
            ranks = page.locator("#ranking td.rank").all_inner_texts()
            assert ranks[0].startswith("1") and not ranks[1].startswith("1")  # one unit first, not 21
            if found := axe_violations(page):
                problems[f"{device} sở"] = found
            page.click("#ranking-kinds a:has-text('Xã, phường, đặc khu')")
            page.wait_for_selector("#ranking[data-kind='xa-phuong']")
            names = page.locator("#ranking tr[data-org] td:nth-child(2)").all_inner_texts()
            assert names and all(n.startswith(("Xã ", "Phường ", "Đặc khu ")) for n in names)
            assert "Trang 1 / 2" in page.inner_text("#pager")
            page.click("#pager a[rel=next]")
            page.wait_for_url("**trang=2**")
            assert page.locator("#ranking tr[data-org]").count() > 0
            if found := axe_violations(page):
                problems[f"{device} xã"] = found
            # the heat map's legend on the overview says how a cell is graded
            page.goto(f"{demo.url}/giam-sat/don-vi/{demo.province.pk}/")
            assert "hoàn thành quá hạn tính ½" in page.inner_text("#heat-legend")
        finally:
            ctx.close()
    assert not problems, problems
