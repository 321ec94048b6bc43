"""Reporting pages through real URLs: scope (reporter/approver/supervisor/outsider ×
read/write × own/sibling/parent unit), crafted fields, form errors, the concurrent-edit
refusal, autosave, evidence download and the consolidated view."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planwatch.orgs.models import Organisation
from planwatch.reporting.models import PeriodKind, ReportStatus
from planwatch.reporting.services import period_open, report_open, report_submit
from planwatch.reporting.tests.conftest import form_data

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def period(demo):
    return period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=3)


@pytest.fixture
def reports(demo, period):
    sibling = Organisation.objects.filter(parent=demo.thientin.parent, kind="commune").exclude(pk=demo.thientin.pk).order_by("path").first()
    return {
        "own": report_open(period=period, org=demo.thientin),
        "sibling": report_open(period=period, org=sibling),
        "department": report_open(period=period, org=demo.skhcn),
        "parent": report_open(period=period, org=demo.province),
    }


def _as(client, user):
    client.force_login(user)
    return client


# reporter/approver see only their own unit; the supervisor (Sở KH&CN, scope the province)
# reads every unit's report but edits none; an outsider (Sở Y tế officer) sees none.
READ = [
    ("reporter", "own", 200), ("reporter", "sibling", 404), ("reporter", "department", 404), ("reporter", "parent", 404),
    ("approver", "own", 200), ("approver", "sibling", 404), ("approver", "parent", 404),
    ("supervisor", "own", 200), ("supervisor", "sibling", 200), ("supervisor", "department", 200), ("supervisor", "parent", 200),
    ("leader", "own", 200), ("other_dept_reporter", "own", 404), ("other_dept_reporter", "department", 404),
]


@pytest.mark.parametrize("who,which,code", READ)
def test_read_scope(client, demo, reports, who, which, code):
    r = _as(client, getattr(demo, who)).get(reverse("report_detail", args=[reports[which].pk]))
    assert r.status_code == code


WRITE = [
    ("reporter", "own", 302), ("approver", "own", 302), ("reporter", "sibling", 404), ("approver", "parent", 404),
    ("supervisor", "own", 403), ("supervisor", "sibling", 403), ("leader", "own", 403), ("other_dept_reporter", "own", 404),
    ("dept_reporter", "department", 302), ("dept_reporter", "own", 404),
]


@pytest.mark.parametrize("who,which,code", WRITE)
def test_write_scope(client, demo, reports, who, which, code):
    report = reports[which]
    r = _as(client, getattr(demo, who)).post(reverse("report_detail", args=[report.pk]), form_data(report))
    assert r.status_code == code


def test_the_officer_sees_the_report_with_its_tasks(client, demo, reports):
    r = _as(client, demo.reporter).get(reverse("report_detail", args=[reports["own"].pk]))
    html = r.content.decode()
    assert "Báo cáo tháng 3/2031 – Xã Thiện Tín" in html and 'id="report-form"' in html


def test_a_field_naming_another_units_task_is_refused(client, demo, reports):
    own = reports["own"]
    foreign = reports["department"].task_lines.exclude(task__in=own.task_lines.values("task")).first()
    data = form_data(own, **{f"t{foreign.task_id}_result_to_date": "chen vao"})
    assert _as(client, demo.reporter).post(reverse("report_detail", args=[own.pk]), data).status_code == 403
    assert _as(client, demo.reporter).post(reverse("report_autosave", args=[own.pk]), data).status_code == 403
    foreign.refresh_from_db()
    assert foreign.result_to_date != "chen vao"


def test_a_crafted_indicator_field_is_refused(client, demo, reports):
    own = reports["own"]
    ind = demo.plan.indicators.filter(is_group=False).first()
    data = form_data(own, **{f"i{ind.pk}_value": "5"})
    assert _as(client, demo.reporter).post(reverse("report_detail", args=[own.pk]), data).status_code == 403


def test_every_invalid_field_gets_a_vietnamese_message_at_once(client, demo, reports):
    dept = reports["department"]
    lines = list(dept.task_lines.order_by("task__position")[:2])
    ratio = dept.indicator_values.filter(indicator__kind="ratio", indicator__unit="%").first()
    count = dept.indicator_values.filter(indicator__kind="count").first()
    data = form_data(dept, **{
        f"t{lines[0].task_id}_status": "done", f"t{lines[0].task_id}_completed_on": "01/01/2099",
        f"t{lines[1].task_id}_status": "done", f"t{lines[1].task_id}_completed_on": "",
        f"i{ratio.indicator_id}_numerator": "120", f"i{ratio.indicator_id}_denominator": "100",
        f"i{count.indicator_id}_value": "1.5",
    })
    r = _as(client, demo.dept_reporter).post(reverse("report_detail", args=[dept.pk]), data)
    html = r.content.decode()
    assert r.status_code == 422
    for msg in ("Ngày hoàn thành không được ở tương lai", "Nhiệm vụ đã hoàn thành cần ghi ngày hoàn thành",
                "Tử số không được lớn hơn mẫu số", "dấu “.” ngăn cách hàng nghìn"):
        assert msg in html


def test_numbers_are_saved_and_shown_the_vietnamese_way(client, demo, reports):
    from decimal import Decimal

    dept = reports["department"]
    ratio = dept.indicator_values.filter(indicator__kind="ratio", indicator__unit="%").first()
    count = dept.indicator_values.filter(indicator__kind="count").first()
    data = form_data(dept, **{
        f"i{ratio.indicator_id}_numerator": "1.234", f"i{ratio.indicator_id}_denominator": "2.000",
        f"i{count.indicator_id}_value": "1.000,5",
    })
    assert _as(client, demo.dept_reporter).post(reverse("report_detail", args=[dept.pk]), data).status_code == 302
    ratio.refresh_from_db(); count.refresh_from_db()
    assert (ratio.numerator, ratio.denominator, ratio.value, count.value) == (Decimal(1234), Decimal(2000), Decimal("61.70"), Decimal("1000.5"))
    html = client.get(reverse("report_detail", args=[dept.pk])).content.decode()
    assert 'value="1.000,5"' in html and 'value="61,7"' in html


def test_reopening_a_done_task_drops_its_completion_date(client, demo, reports):
    own = reports["own"]
    line = own.task_lines.order_by("task__position").first()
    p = f"t{line.task_id}_"
    done = form_data(own, **{p + "status": "done", p + "completed_on": "02/05/2025"})
    assert _as(client, demo.reporter).post(reverse("report_detail", args=[own.pk]), done).status_code == 302
    own.refresh_from_db()
    again = form_data(own, **{p + "status": "in_progress"})
    assert again[p + "completed_on"] == "02/05/2025"  # the page still shows the old date
    assert client.post(reverse("report_detail", args=[own.pk]), again).status_code == 302
    line.refresh_from_db()
    assert (line.status, line.completed_on) == ("in_progress", None)


def test_a_stale_save_is_refused_with_what_changed_and_keeps_the_typed_text(client, demo, reports):
    own = reports["own"]
    line = own.task_lines.order_by("task__position").first()
    stale = form_data(own, **{f"t{line.task_id}_result_to_date": "Cán bộ gõ"})
    first = form_data(own, **{f"t{line.task_id}_result_to_date": "Chủ tịch gõ"})
    assert _as(client, demo.approver).post(reverse("report_detail", args=[own.pk]), first).status_code == 302
    r = _as(client, demo.reporter).post(reverse("report_detail", args=[own.pk]), stale)
    html = r.content.decode()
    assert r.status_code == 409
    assert "Trần Văn Hùng đã lưu báo cáo này" in html and "Chủ tịch gõ" in html and "Cán bộ gõ" in html
    line.refresh_from_db()
    assert line.result_to_date == "Chủ tịch gõ"


def test_autosave_answers_the_new_version(client, demo, reports):
    own = reports["own"]
    r = _as(client, demo.reporter).post(reverse("report_autosave", args=[own.pk]), form_data(own), HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "Đã tự lưu" in html and f'value="{own.version + 1}"' in html and "hx-swap-oob" in html
    r = client.post(reverse("report_autosave", args=[own.pk]), form_data(own))  # old version again
    assert "Chưa lưu" in r.content.decode()


def test_workflow_buttons_follow_the_role(client, demo, reports):
    own = reports["own"]
    assert _as(client, demo.reporter).post(reverse("report_action", args=[own.pk, "gui"])).status_code == 403
    assert _as(client, demo.approver).post(reverse("report_action", args=[own.pk, "gui"])).status_code == 302
    own.refresh_from_db()
    assert own.status == ReportStatus.SUBMITTED
    assert _as(client, demo.approver).post(reverse("report_action", args=[own.pk, "tiep-nhan"])).status_code == 403
    assert _as(client, demo.other_dept_reporter).post(reverse("report_action", args=[own.pk, "tiep-nhan"])).status_code == 404
    r = _as(client, demo.supervisor).post(reverse("report_action", args=[own.pk, "tra-lai"]), {"comment": ""}, follow=True)
    assert "Cần ghi lý do" in r.content.decode()
    _as(client, demo.supervisor).post(reverse("report_action", args=[own.pk, "tra-lai"]), {"comment": "Bổ sung"})
    own.refresh_from_db()
    assert own.status == ReportStatus.RETURNED


def test_evidence_is_downloadable_only_in_scope(client, demo, reports, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    own = reports["own"]
    _as(client, demo.reporter).post(reverse("evidence_upload", args=[own.pk]), {"file": SimpleUploadedFile("bien-ban.pdf", PDF)})
    ev = own.evidence.get()
    assert client.get(reverse("evidence_download", args=[ev.pk])).status_code == 200
    assert _as(client, demo.supervisor).get(reverse("evidence_download", args=[ev.pk])).status_code == 200
    assert _as(client, demo.other_dept_reporter).get(reverse("evidence_download", args=[ev.pk])).status_code == 404
    assert str(tmp_path) in ev.file.path and "static" not in ev.file.path


def test_an_upload_for_another_units_task_is_refused(client, demo, reports, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    own = reports["own"]
    foreign = reports["department"].task_lines.exclude(task__in=own.task_lines.values("task")).first()
    r = _as(client, demo.reporter).post(reverse("evidence_upload", args=[own.pk]), {"file": SimpleUploadedFile("a.pdf", PDF), "task": foreign.task_id})
    assert r.status_code == 403


def test_the_supervisor_sees_who_has_sent_and_reminds_the_rest(client, demo, reports):
    report_submit(report=reports["own"], by=demo.approver)
    period = reports["own"].period
    r = _as(client, demo.supervisor).get(reverse("period_detail", args=[period.pk]))
    assert r.status_code == 200 and "đúng hạn" in r.content.decode()
    r = client.post(reverse("period_remind", args=[period.pk]), follow=True)
    assert "thư nhắc" in r.content.decode()
    assert _as(client, demo.reporter).post(reverse("period_remind", args=[period.pk])).status_code == 403
    assert client.get(reverse("period_detail", args=[period.pk])).status_code == 403


def test_the_supervisor_opens_a_period_from_the_schedule(client, demo):
    r = _as(client, demo.supervisor).get(reverse("period_list", args=[demo.plan.pk]) + "?nam=2033")
    assert "Tháng 12/2033" in r.content.decode()
    r = client.post(reverse("period_open", args=[demo.plan.pk]), {"kind": "month", "year": 2033, "number": 12})
    assert r.status_code == 302
    assert demo.plan.periods.get(year=2033, number=12).due_date.isoformat() == "2034-01-10"
    assert _as(client, demo.reporter).post(reverse("period_open", args=[demo.plan.pk]), {"kind": "month", "year": 2033, "number": 11}).status_code == 403


def test_the_consolidated_view_of_the_seed_report_prints_the_table(client, demo):
    from planwatch.reporting.models import ReportingPeriod

    period = ReportingPeriod.objects.get(plan__code="nqcp71-qn")
    r = _as(client, demo.supervisor).get(reverse("period_consolidated", args=[period.pk]))
    html = r.content.decode()
    assert r.status_code == 200
    assert "Đã dự thảo Kế hoạch phát đông phong trào “Bình dân học vụ số”" in html
    assert _as(client, demo.reporter).get(reverse("period_consolidated", args=[period.pk])).status_code == 403


def test_the_sample_history_is_labelled(client, demo):
    from planwatch.reporting.models import ReportingPeriod

    period = ReportingPeriod.objects.filter(plan=demo.plan, is_sample=True).order_by("-end")[1]
    html = _as(client, demo.supervisor).get(reverse("period_detail", args=[period.pk])).content.decode()
    assert "Dữ liệu mẫu minh họa" in html and "trễ hạn" in html


def _row(html: str, code: str) -> str:
    """The HTML of one task line of the progress table."""
    start = html.index(f'<tr data-code="{code}">')
    return html[start:html.index("</tr>", start)]


def test_a_red_self_rating_needs_an_explanation_shown_beside_the_field(client, demo, reports):
    own = reports["own"]
    line = own.task_lines.select_related("task").order_by("task__position").first()
    before = (line.rating, line.result_to_date)
    p = f"t{line.task_id}_"
    url = reverse("report_detail", args=[own.pk])
    data = form_data(own, **{p + "rating": "red", p + "rating_explanation": "", p + "result_to_date": "Đã khảo sát 3 thôn"})
    r = _as(client, demo.reporter).post(url, data)
    assert r.status_code == 422
    row = _row(r.content.decode(), line.task.code)
    # The message sits in the task's own row, and what was typed is still there.
    assert "Nhiệm vụ tự đánh giá mức đỏ phải có giải trình lý do." in row
    assert '<option value="red" selected>đỏ</option>' in row and "Đã khảo sát 3 thôn" in row
    line.refresh_from_db()
    assert (line.rating, line.result_to_date) == before

    data[p + "rating_explanation"] = "Chưa được cấp kinh phí"
    assert client.post(url, data).status_code == 302
    line.refresh_from_db()
    assert (line.rating, line.rating_explanation, line.result_to_date) == ("red", "Chưa được cấp kinh phí", "Đã khảo sát 3 thôn")
    row = _row(client.get(url).content.decode(), line.task.code)
    assert '<option value="red" selected>đỏ</option>' in row and "Chưa được cấp kinh phí" in row


def test_an_amber_rating_without_explanation_is_not_autosaved(client, demo, reports):
    own = reports["own"]
    line = own.task_lines.order_by("task__position").first()
    p = f"t{line.task_id}_"
    data = form_data(own, **{p + "rating": "amber", p + "rating_explanation": ""})
    html = _as(client, demo.reporter).post(reverse("report_autosave", args=[own.pk]), data).content.decode()
    assert "Nhiệm vụ tự đánh giá mức vàng phải có giải trình lý do." in html
    line.refresh_from_db()
    assert line.rating == ""


def test_the_submitted_report_shows_the_rating_and_its_explanation(client, demo, reports):
    own = reports["own"]
    line = own.task_lines.select_related("task").order_by("task__position").first()
    p = f"t{line.task_id}_"
    url = reverse("report_detail", args=[own.pk])
    data = form_data(own, **{p + "rating": "amber", p + "rating_explanation": "Chậm do thiếu nhân lực"})
    assert _as(client, demo.reporter).post(url, data).status_code == 302
    own.refresh_from_db()
    report_submit(report=own, by=demo.approver)
    row = _row(_as(client, demo.supervisor).get(url).content.decode(), line.task.code)
    assert '<span class="badge amber">vàng</span>' in row and "Chậm do thiếu nhân lực" in row
