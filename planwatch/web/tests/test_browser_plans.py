"""The plan pages in a real headless Chromium (Debian's package)."""

import pytest

from conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_finds_the_plan_expands_a_target_and_filters_by_agency(live_demo, page):
    login(page, live_demo.url, "canbo.thientin")
    page.click("text=Kế hoạch")
    page.click("text=Kế hoạch hành động thực hiện Nghị quyết số 71/NQ-CP")
    assert page.locator("h2#chi-tieu").inner_text().startswith("Phụ lục I – Chỉ tiêu (64)")
    assert page.locator("#task-table tbody tr[data-code]").count() == 23

    # The raw cell is shown as printed; its meaning opens on click.
    cell = page.locator("#indicator-table tr[data-code='1.1'] td[data-year='2025'] details")
    assert cell.locator("summary").inner_text().startswith("> 8")
    cell.locator("summary").click()
    assert cell.locator(".meaning").is_visible()
    assert "OCR" in cell.locator(".meaning").inner_text()

    # Filter the tasks by an agency chosen from the list.
    page.select_option("select[name=don_vi]", label="Công an tỉnh")
    page.wait_for_url("**don_vi=*")
    rows = page.locator("#task-table tbody tr[data-code]")
    assert 0 < rows.count() < 23

    # Accent-free search from the header box.
    page.fill("header input[name=q]", "binh dan hoc vu so")
    page.keyboard.press("Enter")
    page.wait_for_url("**/tim-kiem/**")
    assert "kết quả" in page.locator("#result-count").inner_text()


def test_a_leader_opens_the_former_district_and_sees_its_successors(live_demo, page):
    login(page, live_demo.url, "lanhdao.tinh")
    page.click("text=Tổ chức")
    page.click("text=Huyện Sơn Tịnh")
    assert "đã kết thúc ngày 30/06/2025" in page.content()
    assert page.locator("#successors a").count() == 4
