"""Done when: a leader logs in, sees the overview, drills down to a unit and an overdue task,
and opens an indicator chart."""

import pytest

from conftest import login

pytestmark = pytest.mark.browser


def test_a_leader_drills_down_from_the_overview_to_an_overdue_task_and_an_indicator_chart(live_demo, page):
    login(page, live_demo.url, "lanhdao.tinh")
    page.goto(f"{live_demo.url}/giam-sat/")
    page.wait_for_selector("h1:has-text('Giám sát thực hiện')")
    page.wait_for_selector("#chart-tasks canvas")
    # a unit with overdue tasks
    page.click("#children tr:has(a[href*='trang_thai=overdue']) td:first-child a")
    page.wait_for_selector("#crumbs a:has-text('Quảng Ngãi')")
    unit_title = page.inner_text("h1")
    assert "Giám sát thực hiện" in unit_title
    page.click("#task-kpis [data-status=overdue] a")
    page.wait_for_selector("#task-list")
    assert "quá hạn" in page.inner_text("#task-list")
    page.click("#task-list td:first-child a >> nth=0")
    page.wait_for_url("**/giam-sat/don-vi/*/nhiem-vu/*/")
    assert page.inner_text("#task-unit-status") == "quá hạn"
    assert page.locator("#crumbs a", has_text=unit_title.split("–")[-1].strip()).count() == 1
    # back up the breadcrumb to the province, then to an indicator behind its milestone
    page.click("#crumbs a:has-text('Quảng Ngãi')")
    page.click("#indicator-kpis a >> nth=0")
    page.wait_for_selector("#indicator-list")
    page.click("#indicator-list a[href^='/chi-tieu/'] >> nth=0")
    page.wait_for_selector("#indicator-chart canvas")
    page.wait_for_selector("#indicator-chain tr >> nth=1")
    assert page.inner_text("#indicator-status") != ""


def test_hostile_names_in_the_indicator_chain_stay_text(live_demo, page):
    """Names drawn by the chart script (chain table, tooltips) are escaped, not run."""
    from planwatch.plans.models import Indicator

    child = Indicator.objects.filter(aligned_to__isnull=False, aligned_to__plan=live_demo.plan).select_related("aligned_to").first()
    assert child is not None, "the demo aligns commune/district indicators to the province's"
    hostile = '<img src=x onerror="window.__pw_xss=1">Chỉ tiêu lạ'
    Indicator.objects.filter(pk=child.pk).update(name=hostile)
    login(page, live_demo.url, "lanhdao.tinh")
    page.goto(f"{live_demo.url}/chi-tieu/{child.aligned_to_id}/")
    page.wait_for_selector("#indicator-chain tr >> nth=1")
    assert hostile in page.inner_text("#indicator-chain")
    assert page.evaluate("window.__pw_xss") is None
    assert page.locator("#indicator-chain img").count() == 0
