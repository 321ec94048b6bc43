"""Done when: a leader logs in, sees the overview, drills down to a unit and an overdue task,
and opens an indicator chart."""

import pytest

from conftest import login

pytestmark = pytest.mark.browser


def test_a_leader_drills_down_from_the_overview_to_an_overdue_task_and_an_indicator_chart(live_demo, page):
    login(page, live_demo.url, "lanhdao.tinh")
    page.goto(f"{live_demo.url}/giam-sat/")
    page.wait_for_selector("h1:has-text('Giám sát thực hiện')")
    page.wait_for_selector("#chart-tasks svg")
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


LEGEND_JS = """(id) => {
  const box = document.getElementById(id).getBoundingClientRect();
  return Array.from(document.querySelectorAll('#' + id + ' svg text')).map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, inside: r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1};
  });
}"""


@pytest.mark.parametrize("width", [1366, 520])
def test_the_status_charts_name_every_status_in_full(live_demo, page, width):
    """The pie legends wrap instead of scrolling: every status word is drawn whole ("chưa
    triển khai", not "chưa…") inside the chart, on a wide screen and a narrow one."""
    import json

    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_demo.url, "lanhdao.tinh")
    page.goto(f"{live_demo.url}/giam-sat/")
    page.wait_for_selector("#chart-tasks svg text")
    data = json.loads(page.inner_text("#monitoring-chart"))
    for chart, key in (("chart-tasks", "tasks"), ("chart-indicators", "indicators")):
        texts = page.evaluate(LEGEND_JS, chart)
        drawn = {t["text"]: t["inside"] for t in texts}
        for item in data[key]:
            assert item["name"] in drawn, (chart, item["name"], sorted(drawn))
            assert drawn[item["name"]], (chart, item["name"], "drawn outside the chart")
        assert not any(t["text"].endswith("…") for t in texts)


def test_a_leader_goes_from_the_home_page_to_the_monitoring_pages(live_demo, page):
    login(page, live_demo.url, "lanhdao.tinh")
    page.goto(f"{live_demo.url}/")
    assert page.locator("#my-current-report").count() == 0
    page.click("#home-monitoring")
    page.wait_for_selector("h1:has-text('Giám sát thực hiện')")
    # the heat maps: one per plan, titled by the document number, with the legend of the scale
    assert page.locator("#heatmap details.heat-plan summary strong", has_text="327/QĐ-UBND").count() == 1
    assert page.locator("#heat-legend .heat-key .swatch").count() == 6
