"""“Nhập văn bản” end to end in a real headless Chromium: a Word plan is uploaded, read by a
background thread (the progress is polled), reviewed (a doubtful cell corrected, an agency
chosen and learnt), applied, and shown on the plan page; an amended version then shows the
diff before it is applied. The upload and review pages pass axe-core's WCAG 2.1 A/AA rules on
a desktop and on a phone."""

from pathlib import Path

import pytest

from conftest import login
from planwatch.web.templatetags.monitoring_tables import plan_label
from planwatch.web.tests.test_ingest_views import DOC_NUMBER, DOCX_TYPE, plan_docx

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
    """axe at 1440×900 and at 390×844, and no sideways scrolling of the page on the phone."""
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        found = axe_violations(page)
        if found:
            problems[f"{what} ({name})"] = found
        if name == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > size["width"]:
                problems[f"{what} ({name})"] = [f"trang rộng {width}px"]
    page.set_viewport_size(DESKTOP)


def upload(page, base_url: str, data: bytes, name: str, plan_label: str | None = None) -> None:
    page.click("header nav >> text=Nhập văn bản")
    page.wait_for_url("**/nhap-van-ban/")
    page.set_input_files("input[name=file]", files=[{"name": name, "mimeType": DOCX_TYPE, "buffer": data}])
    if plan_label:
        page.select_option("select[name=plan]", label=plan_label)
    page.click("#btn-upload")
    page.wait_for_url("**/nhap-van-ban/*/")
    # The reading runs in a background thread; the progress fragment reloads the page when done.
    page.wait_for_selector("#draft-tasks", timeout=60000)


def test_a_word_plan_is_uploaded_reviewed_corrected_applied_and_then_amended(live_demo, browser, settings, tmp_path):
    from planwatch.plans.models import Plan

    settings.MEDIA_ROOT = tmp_path / "files"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PLANWATCH_IMPORTS_INLINE = False  # the real thing: a background thread
    ctx = browser.new_context(locale="vi-VN", viewport=DESKTOP)
    page = ctx.new_page()
    page.set_default_timeout(20000)
    problems: dict = {}
    try:
        login(page, live_demo.url, "thuongtruc.skhcn")
        page.click("header nav >> text=Nhập văn bản")
        check_both_viewports(page, "upload", problems)

        upload(page, live_demo.url, plan_docx(), "ke-hoach-210.docx")
        assert "DANH MỤC CÁC CHỈ TIÊU CỤ THỂ" in page.locator("#source-text").inner_text()
        assert page.locator("#open-flags").get_attribute("data-count") == "2"
        deadline = page.locator("#task-1-deadline")
        assert "flagged" in deadline.get_attribute("class")
        assert "Quý “V” không hợp lệ" in deadline.inner_text() and "bảng 2, dòng 4" in deadline.inner_text()
        check_both_viewports(page, "review", problems)
        # A row's text found in the original text pane.
        page.locator("#task-1 button.find-source").click()
        assert page.locator("#source-text mark").inner_text() == "Xây dựng cơ sở dữ liệu về đội"

        # Correct the doubtful deadline in place (htmx re-renders the row and the flag count).
        deadline.locator("a.edit-link").click()
        assert not deadline.locator("a.edit-link").is_visible()  # the form takes its place
        page.fill("#task-1-deadline-v", "Quý IV/2026")
        deadline.locator("button[type=submit]").click()
        page.wait_for_function("document.querySelector('#open-flags').dataset.count === '1'")
        assert page.locator("#task-1-deadline .value").inner_text() == "Quý IV/2026"
        # htmx settles a swapped element with the old one's attributes for ~20 ms (its CSS
        # transitions): wait for the new row's own classes, and fail if the flag stays.
        page.wait_for_function("!document.querySelector('#task-1-deadline').classList.contains('flagged')")

        # Choose the organisation for the lead printed as "Sở Nội vụ tỉnh QN", and learn the name.
        form = page.locator("#task-1-lead-org0-form")
        page.select_option("#task-1-lead-org0", "qn-snv")
        form.locator("input[name=learn]").check()
        form.locator("button[type=submit]").click()
        page.wait_for_function("document.querySelector('#open-flags').dataset.count === '0'")
        assert page.locator("#task-1-lead-org0").input_value() == "qn-snv"

        # Apply: a confirmation first, then the plan page.
        page.click("#btn-apply")
        assert "Xác nhận tạo kế hoạch" in page.locator("#btn-confirm").inner_text()
        page.click("#btn-confirm")
        page.wait_for_url("**/ke-hoach/*/")
        plan = Plan.objects.get(document__number=DOC_NUMBER)
        assert page.url.endswith(f"/ke-hoach/{plan.pk}/")
        row = page.locator("#task-table tbody tr", has_text="Xây dựng cơ sở dữ liệu về đội ngũ nhân lực")
        assert "Quý IV/2026" in row.inner_text()
        assert "Sở Nội vụ" in page.locator("select[name=don_vi]").inner_text()
        page.select_option("select[name=don_vi]", label="Sở Nội vụ")
        page.wait_for_url("**don_vi=*")
        assert page.locator("#task-table tbody tr[data-code]").count() == 1

        # An amended version of the same plan: the learnt name needs no choice; the diff first.
        amended = plan_docx(deadline="Quý IV/2026", target_2030="≥ 30", extra_task=True)
        upload(page, live_demo.url, amended, "ke-hoach-210-dieu-chinh.docx", plan_label=f"{plan_label(plan)} – {plan.name[:110]}")
        assert page.locator("#open-flags").get_attribute("data-count") == "0"
        page.click("#btn-apply")
        diff = page.locator("#plan-diff")
        assert "Thêm" in diff.inner_text() and "Sửa" in diff.inner_text()
        assert "≥ 25" in diff.inner_text() and "≥ 30" in diff.inner_text()
        check_both_viewports(page, "diff", problems)
        page.fill("#ly_do", "Bổ sung nhiệm vụ đánh giá trình độ công nghệ")
        page.fill("#ngay_hieu_luc", "01/12/2026")
        page.click("#btn-confirm")
        page.wait_for_url(f"**/ke-hoach/{plan.pk}/")
        assert "Đã áp dụng điều chỉnh" in page.locator(".messages").inner_text()
        assert page.locator("#task-table tbody tr", has_text="Tổ chức đánh giá trình độ công nghệ").count() == 1
        assert problems == {}
    finally:
        ctx.close()
