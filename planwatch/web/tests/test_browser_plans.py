"""The plan pages in a real headless Chromium (Debian's package)."""

import pytest

from conftest import login
from planwatch.web.tests.test_history_browser import axe_violations

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
    # Ended units are history: hidden from the tree until asked for.
    assert page.locator("text=Huyện Sơn Tịnh").count() == 0
    page.check("#show-ended")
    page.click("#org-filters button[type=submit]")
    for size in ({"width": 1440, "height": 900}, {"width": 390, "height": 844}):
        page.set_viewport_size(size)
        assert axe_violations(page) == [], size
    page.set_viewport_size({"width": 1440, "height": 900})
    page.click("text=Huyện Sơn Tịnh")
    assert "đã kết thúc ngày 30/06/2025" in page.content()
    assert page.locator("#successors a").count() == 4


def _column_of(page, year: str) -> int:
    headers = page.locator("#indicator-table thead th").all_inner_texts()
    return headers.index(year)


def test_the_commune_plan_fits_the_screen_with_targets_under_their_years(live_demo, page):
    from planwatch.plans.models import Indicator

    tfp = Indicator.objects.get(plan=live_demo.commune_plan, name="Đóng góp của TFP vào tăng trưởng kinh tế ở mức cao")
    six_g = Indicator.objects.get(plan=live_demo.commune_plan, name="Tỷ lệ phủ sóng 6G trên địa bàn")
    login(page, live_demo.url, "canbo.thientin")
    page.goto(f"{live_demo.url}/ke-hoach/{live_demo.commune_plan.pk}/")
    # No sideways scrolling at 1400 px (it was 1592 px with cells shifted into the wrong years).
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400

    cells = page.locator(f"#indicator-table tr[data-code='{tfp.code}'] td")
    assert "TFP" in cells.nth(_column_of(page, "2045")).inner_text()
    assert cells.nth(_column_of(page, "2025")).inner_text().strip() == ""
    assert "Xã Thiện Tín" in cells.nth(_column_of(page, "Cơ quan chủ trì theo dõi")).inner_text()

    cells = page.locator(f"#indicator-table tr[data-code='{six_g.code}'] td")
    assert cells.nth(_column_of(page, "2030")).inner_text().strip() == ""
    assert "50%" in cells.nth(_column_of(page, "2035")).inner_text()

    # The district plan too.
    page.goto(f"{live_demo.url}/ke-hoach/{live_demo.district_plan.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    cells = page.locator("#indicator-table tr[data-code='1.1'] td")
    assert cells.nth(_column_of(page, "2040")).inner_text().startswith("≥ 04")
    assert cells.nth(_column_of(page, "2045")).inner_text().strip() == ""


def test_the_admin_indicator_page_fits_the_screen(live_demo, page):
    from planwatch.plans.models import Indicator

    ind = Indicator.objects.get(plan=live_demo.plan, code="7.11")
    page.goto(f"{live_demo.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", live_demo.password)
    page.click("input[type=submit]")
    page.wait_for_url(lambda u: "/login/" not in u)
    page.goto(f"{live_demo.url}/admin/plans/indicator/{ind.pk}/change/")
    assert "Mục tiêu theo mốc" in page.content()
    # Was 2121 px: three 40-column textareas per milestone row.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    assert page.locator("#targets-group tbody tr.form-row.has_original").count() == 5
