"""The whole reporting flow in a real headless Chromium (Debian's package): officer fills
and saves (autosave too) → approver submits → supervisor returns with a comment → officer
fixes and resubmits → supervisor accepts → the consolidated view shows the new text."""

import re

import pytest
from django.utils import timezone

from conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, base, username):
    page.context.clear_cookies()
    login(page, base, username)


def _confirmed(page, selector):
    """Press a workflow button and answer yes to the confirmation it asks (confirm.js)."""
    page.click(selector)
    with page.expect_navigation():
        page.locator("dialog.pw-confirm[open] .pw-confirm-ok").click()


def test_the_full_reporting_flow(live_demo, page):
    from planwatch.reporting.models import ReportStatus, UnitReport
    from planwatch.reporting.selectors import current_period

    base = live_demo.url
    period = current_period(live_demo.plan)
    today = timezone.localdate()

    # Officer: opens this period's report from the menu, types, autosave and save.
    _as(page, base, "canbo.thientin")
    page.click("header >> text=Báo cáo")
    page.locator(f"#reportable tr[data-period='{period.pk}'] a.button").click()
    page.wait_for_url("**/bao-cao/*/")
    assert "Xã Thiện Tín" in page.locator("#report-title").inner_text()
    report = UnitReport.objects.get(period=period, org=live_demo.thientin)
    row = page.locator("#progress-table tr[data-code]").first
    code = row.get_attribute("data-code")
    row.locator("textarea[name$=_result_to_date]").fill("Đã tổ chức 3 lớp Bình dân học vụ số")
    page.wait_for_selector("#autosave-ok")
    row.locator("textarea[name$=_expected_next]").fill("Mở rộng tới 12 thôn")
    page.click("#save-draft")
    page.wait_for_selector(".messages >> text=Đã lưu bản nháp")

    # Approver submits.
    _as(page, base, "chutich.thientin")
    page.goto(f"{base}/bao-cao/{report.pk}/")
    _confirmed(page, "#btn-submit")
    assert page.locator("#report-status").inner_text() == "đã gửi"

    # Supervisor finds it in the period's status list and returns it with a comment.
    _as(page, base, "thuongtruc.skhcn")
    page.goto(f"{base}/ky-bao-cao/{period.pk}/")
    page.locator(f"#unit-status tr[data-org='{live_demo.thientin.pk}'] a").click()
    page.fill("#return-comment", "Đề nghị ghi rõ số người tham gia")
    page.click("#btn-return")
    assert page.locator("#report-status").inner_text() == "bị trả lại"

    # Officer reads the comment, fixes and saves; approver resubmits.
    _as(page, base, "canbo.thientin")
    page.goto(f"{base}/bao-cao/{report.pk}/")
    assert "Đề nghị ghi rõ số người tham gia" in page.locator("#events").inner_text()
    page.locator(f"#progress-table tr[data-code='{code}'] textarea[name$=_result_to_date]").fill(
        "Đã tổ chức 3 lớp Bình dân học vụ số cho 120 người"
    )
    page.locator(f"#progress-table tr[data-code='{code}'] select[name$=_status]").select_option("done")
    page.locator(f"#progress-table tr[data-code='{code}'] input[name$=_completed_on]").fill(f"{today:%d/%m/%Y}")
    page.click("#save-draft")
    page.wait_for_selector(".messages >> text=Đã lưu bản nháp")
    _as(page, base, "chutich.thientin")
    page.goto(f"{base}/bao-cao/{report.pk}/")
    _confirmed(page, "#btn-submit")
    assert page.locator("#report-status").inner_text() == "đã gửi"

    # Supervisor reads the consolidated count of accepted reports for that task (the sent
    # report is not in it yet), accepts, and reads it again: one more commune has finished.
    _as(page, base, "thuongtruc.skhcn")
    page.goto(f"{base}/ky-bao-cao/{period.pk}/")
    page.click("text=Xem báo cáo tổng hợp")
    # Unticked, reports sent count: Thiện Tín's is among them already.
    assert _communes_done(page, code) == _communes_done_in_db(live_demo, period, code, accepted=False)
    page.check("input[name=chi_tiep_nhan]")
    page.wait_for_url("**chi_tiep_nhan=1")
    before = _communes_done(page, code)
    assert before == _communes_done_in_db(live_demo, period, code, accepted=True)
    page.goto(f"{base}/bao-cao/{report.pk}/")
    _confirmed(page, "#btn-accept")
    assert page.locator("#report-status").inner_text() == "đã tiếp nhận"
    page.goto(f"{base}/ky-bao-cao/{period.pk}/")
    page.click("text=Xem báo cáo tổng hợp")
    page.check("input[name=chi_tiep_nhan]")
    page.wait_for_url("**chi_tiep_nhan=1")
    after = _communes_done(page, code)
    assert after == _communes_done_in_db(live_demo, period, code, accepted=True)
    done, total = before.split(" ")[0].split("/")
    assert after == f"{int(done) + 1}/{total} xã đã hoàn thành"
    folded = page.locator(f"#consolidated tr[data-code='{code}'] details.units > summary")
    if folded.count():
        folded.first.click()  # the task's units are folded: the supervisor opens them
    unit = page.locator(f"#consolidated tr[data-code='{code}'] li[data-org='{live_demo.thientin.pk}']").inner_text()
    assert unit.startswith("Xã Thiện Tín: hoàn thành")
    assert "Đã tổ chức 3 lớp Bình dân học vụ số cho 120 người" in unit
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def _communes_done(page, code) -> str:
    """The count line of one task on the consolidated page, e.g. "72/96 xã đã hoàn thành"."""
    summary = page.locator(f"#consolidated tr[data-code='{code}'] .summary").inner_text()
    return re.search(r"\d+/\d+ xã đã hoàn thành", summary).group(0)


def _communes_done_in_db(demo, period, code, *, accepted: bool) -> str:
    """The same line counted straight from the tables: communes, wards and the special zone
    assigned the task, and those whose counted report says it is done."""
    from planwatch.orgs.models import LOCALITY_KINDS
    from planwatch.plans.models import Assignment
    from planwatch.reporting.models import TaskProgress

    statuses = ["accepted"] if accepted else ["submitted", "accepted"]
    localities = {"org__kind__in": LOCALITY_KINDS, "org__path__startswith": demo.province.path}
    assigned = Assignment.objects.filter(task__plan=period.plan, task__code=code, **localities).values("org").distinct().count()
    done = TaskProgress.objects.filter(
        report__period=period, report__status__in=statuses, task__code=code, task__plan=period.plan, status="done",
        report__org__kind__in=LOCALITY_KINDS, report__org__path__startswith=demo.province.path,
    ).count()
    return f"{done}/{assigned} xã đã hoàn thành"


def test_a_refused_autosave_stops_and_a_knowing_save_keeps_what_was_typed(live_demo, page):
    from planwatch.reporting.models import UnitReport
    from planwatch.reporting.selectors import current_period
    from planwatch.reporting.services import ReportData, report_save_draft

    base = live_demo.url
    period = current_period(live_demo.plan)
    _as(page, base, "canbo.thientin")
    page.goto(f"{base}/bao-cao/ky/{period.pk}/cua-toi/")
    page.wait_for_url("**/bao-cao/*/")
    report = UnitReport.objects.get(period=period, org=live_demo.thientin)
    line = report.task_lines.select_related("task").order_by("task__position").first()
    box = page.locator(f"#progress-table tr[data-code='{line.task.code}'] textarea[name$=_result_to_date]")

    # Meanwhile the head of unit saves the same draft from another machine.
    report_save_draft(
        report=report, by=live_demo.approver, expected_version=report.version,
        data=ReportData(tasks={line.task_id: {"result_to_date": "Bản của chủ tịch"}}),
    )
    autosaves = []
    page.on("request", lambda r: autosaves.append(r.url) if r.url.endswith("/tu-luu/") else None)
    box.fill("Bản của cán bộ")
    page.wait_for_selector("#autosave-stopped")
    assert "Trần Văn Hùng đã lưu báo cáo này" in page.locator("#autosave-status").inner_text()
    assert len(autosaves) == 1
    box.fill("Bản của cán bộ, sửa thêm")
    page.wait_for_timeout(2500)  # longer than autosave's 1,5 s delay
    assert len(autosaves) == 1  # no retry with the old version

    # "Lưu nháp": refused once, showing the other change and keeping the officer's text…
    page.click("#save-draft")
    page.wait_for_selector("#conflict")
    assert "Bản của chủ tịch" in page.locator("#conflict").inner_text()
    assert box.input_value() == "Bản của cán bộ, sửa thêm"
    line.refresh_from_db()
    assert line.result_to_date == "Bản của chủ tịch"
    # …and pressing it again, knowingly, saves it.
    page.click("#save-draft")
    page.wait_for_selector(".messages >> text=Đã lưu bản nháp")
    line.refresh_from_db()
    assert line.result_to_date == "Bản của cán bộ, sửa thêm"
    assert box.input_value() == "Bản của cán bộ, sửa thêm"
