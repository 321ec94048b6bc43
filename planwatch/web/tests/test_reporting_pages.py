"""Reporting pages through real URLs: scope (reporter/approver/supervisor/outsider ×
read/write × own/sibling/parent unit), crafted fields, form errors, the concurrent-edit
refusal, autosave, evidence download and the consolidated view."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planwatch.orgs.models import Organisation
from planwatch.reporting.models import PeriodKind, ReportStatus
from planwatch.reporting.services import (
    ReportData,
    period_open,
    report_accept,
    report_open,
    report_return,
    report_save_draft,
    report_submit,
)
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
    assert "Trần Văn Hùng đã lưu báo cáo này" in html
    # The other person's change is listed; the form holds what this person typed.
    conflict = html[html.index('id="conflict"'):html.index('id="report-form"')]
    assert "Chủ tịch gõ" in conflict
    assert _row(html, line.task.code).count("Cán bộ gõ") == 1 and "Chủ tịch gõ" not in _row(html, line.task.code)
    # Autosave is paused on this page: only pressing "Lưu nháp" saves.
    form_tag = html[html.index('id="report-form"'):html.index(">", html.index('id="report-form"'))]
    assert "hx-post" not in form_tag and "Tự lưu tạm dừng" in html
    line.refresh_from_db()
    own.refresh_from_db()
    assert line.result_to_date == "Chủ tịch gõ"
    # The page carries the latest version: pressing "Lưu nháp" again knowingly saves the typed text.
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    assert int(version) == own.version
    again = client.post(reverse("report_detail", args=[own.pk]), {**stale, "version": version})
    assert again.status_code == 302
    line.refresh_from_db()
    assert line.result_to_date == "Cán bộ gõ"


def test_autosave_answers_the_new_version(client, demo, reports):
    own = reports["own"]
    r = _as(client, demo.reporter).post(reverse("report_autosave", args=[own.pk]), form_data(own), HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert "Đã tự lưu" in html and f'value="{own.version + 1}"' in html and "hx-swap-oob" in html
    r = client.post(reverse("report_autosave", args=[own.pk]), form_data(own))  # old version again
    html = r.content.decode()
    # Refused, said so, and autosave told to stop (no new version is handed back to retry with).
    assert "Chưa lưu" in html and 'id="autosave-stopped"' in html and "Đã dừng tự lưu" in html
    assert "hx-swap-oob" not in html


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
    assert "Đã nhắc" in r.content.decode()
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
    start = html.index(f'<tr data-code="{code}" ')
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


def test_the_history_names_actions_and_statuses_in_words(client, demo, reports):
    own = reports["own"]
    report_submit(report=own, by=demo.approver)
    report_return(report=own, by=demo.supervisor, comment="Bổ sung số liệu")
    html = _as(client, demo.reporter).get(reverse("report_detail", args=[own.pk])).content.decode()
    events = html[html.index('id="events"'):]
    events = events[:events.index("</table>")]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", events, re.S)]
    rows = [cells[i:i + 4] for i in range(0, len(cells), 4)]
    assert [r[1:] for r in rows] == [
        ["Lập báo cáo (nháp)", "—", ""],
        ["Gửi báo cáo (nháp → đã gửi)", "Trần Văn Hùng", ""],
        ["Trả lại báo cáo (đã gửi → bị trả lại)", demo.supervisor.last_name + " " + demo.supervisor.first_name, "Bổ sung số liệu"],
    ]
    for code in ("created", "submitted", "returned", "draft"):
        assert code not in events


def test_opening_a_report_for_a_plan_the_unit_has_no_part_in_is_404(client, demo):
    from planwatch.reporting.models import UnitReport

    foreign = period_open(plan=demo.district_plan, kind=PeriodKind.MONTH, year=2031, number=5)
    url = reverse("report_current", args=[foreign.pk])
    assert _as(client, demo.reporter).get(url).status_code == 404
    assert _as(client, demo.approver).get(url).status_code == 404
    assert not UnitReport.objects.filter(period=foreign).exists()
    own = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=5)
    r = _as(client, demo.reporter).get(reverse("report_current", args=[own.pk]))
    assert r.status_code == 302
    assert UnitReport.objects.get(period=own).org == demo.thientin
    assert _as(client, demo.supervisor).get(reverse("report_current", args=[own.pk])).status_code == 403


def _consolidated(client, demo, period, **params):
    r = _as(client, demo.supervisor).get(reverse("period_consolidated", args=[period.pk]), params)
    assert r.status_code == 200
    return r.content.decode()


def _task_row(html: str, code: str) -> str:
    start = html.index(f'<tr data-code="{code}">', html.index('id="consolidated"'))
    return html[start:html.index("</tr>", start)]


def _unit_item(row: str, org) -> str:
    start = row.index(f'<li data-org="{org.pk}">')
    return re.sub(r"<[^>]+>", " ", row[start:row.index("</li>", start)]).split()


def test_the_consolidated_view_lists_every_unit_with_its_status_and_counts_only_sent_reports(client, demo):
    from datetime import date

    from planwatch.plans.models import Assignment

    period = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=8)
    task = demo.plan.tasks.get(code="3")
    quiet, draft, accepted, absent = [
        a.org for a in task.assignments.select_related("org").filter(org__kind="commune").order_by("org__path")[:4]
    ]
    plans = {
        quiet: ({"status": "in_progress", "result_to_date": ""}, "submit"),
        draft: ({"status": "done", "completed_on": date(2025, 6, 2), "result_to_date": "Nháp chưa gửi"}, None),
        accepted: ({"status": "done", "completed_on": date(2025, 6, 2), "result_to_date": "Đã số hóa 100% hồ sơ"}, "accept"),
    }
    for org, (fields, then) in plans.items():
        r = report_open(period=period, org=org)
        r = report_save_draft(report=r, by=demo.admin, data=ReportData(tasks={task.pk: fields}), expected_version=r.version)
        if then:
            r = report_submit(report=r, by=demo.admin)
        if then == "accept":
            report_accept(report=r, by=demo.supervisor)

    html = _consolidated(client, demo, period)
    row = _task_row(html, "3")
    assigned = Assignment.objects.filter(task=task).values("org").distinct().count()
    assert row.count("<li data-org=") == assigned
    assert " ".join(_unit_item(row, quiet)) == f"{quiet.name} : đang thực hiện"
    assert " ".join(_unit_item(row, draft)) == f"{draft.name} : chưa tính (báo cáo nháp)"
    assert " ".join(_unit_item(row, accepted)) == f"{accepted.name} : hoàn thành 02/06/2025 Đã số hóa 100% hồ sơ"
    assert " ".join(_unit_item(row, absent)) == f"{absent.name} : chưa lập báo cáo"
    assert "Nháp chưa gửi" not in html
    assert "1/96 xã đã hoàn thành" in row and "(2/116 đơn vị đã báo cáo)" in row
    assert "từ 2 báo cáo “đã gửi” và “đã tiếp nhận”; không tính báo cáo “nháp”, “bị trả lại”." in html

    html = _consolidated(client, demo, period, chi_tiep_nhan="1")
    row = _task_row(html, "3")
    assert "1/96 xã đã hoàn thành" in row and "(1/116 đơn vị đã báo cáo)" in row
    assert " ".join(_unit_item(row, quiet)) == f"{quiet.name} : chưa tính (báo cáo đã gửi)"
    assert "từ 1 báo cáo “đã tiếp nhận”; không tính báo cáo “nháp”, “đã gửi”, “bị trả lại”." in html


def test_consolidated_counts_print_as_whole_numbers_and_ratios_with_two_decimals(client, demo):
    from planwatch.reporting.models import IndicatorValue

    period = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=9)
    count = demo.plan.indicators.get(code="1.1")  # Doanh nghiệp, summed
    ratio = demo.plan.indicators.get(code="3.5")  # %, from numerators and denominators
    for org, n, num, den in ((demo.skhcn, 1200, 10, 30), (demo.syt, 34, 1, 3)):
        r = report_open(period=period, org=org)
        IndicatorValue.objects.update_or_create(report=r, indicator=count, defaults={"value": Decimal(n)})
        IndicatorValue.objects.update_or_create(
            report=r, indicator=ratio, defaults={"numerator": Decimal(num), "denominator": Decimal(den)}
        )
        report_submit(report=r, by=demo.admin)
    html = _consolidated(client, demo, period)

    def value_cell(code):
        start = html.index(f'<tr data-code="{code}">', html.index('id="consolidated-indicators"'))
        return re.findall(r'<td class="num">(.*?)</td>', html[start:html.index("</tr>", start)])

    assert value_cell("1.1")[0] == "1.234"
    assert value_cell("3.5") == ["33,33", "11", "33"]


def test_period_pages_name_the_plan_by_its_document_number_and_group_units_by_kind(client, demo, period):
    from planwatch.lib.text import search_key
    from planwatch.orgs.models import OrgKind
    from planwatch.reporting.selectors import expected_units

    html = _as(client, demo.supervisor).get(reverse("period_detail", args=[period.pk])).content.decode()
    assert "Kỳ báo cáo 327/QĐ-UBND" in html and "qn-327-2025" not in html
    listing = client.get(reverse("period_list", args=[demo.plan.pk])).content.decode()
    assert "<title>Kỳ báo cáo – 327/QĐ-UBND" in listing and "qn-327-2025" not in listing

    shown = [int(pk) for pk in re.findall(r'<tr data-org="(\d+)">', html)]
    units = {o.pk: o for o in expected_units(demo.plan, demo.province)}
    assert sorted(shown) == sorted(units)
    kinds = [units[pk].kind for pk in shown]
    # Each kind in one block (departments together, communes together), in the kinds' order.
    blocks = [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k]
    assert len(blocks) == len(set(kinds))
    assert blocks == sorted(blocks, key=OrgKind.values.index)
    assert blocks.index(OrgKind.DEPARTMENT) < blocks.index(OrgKind.COMMUNE)
    communes = [units[pk].name for pk in shown if units[pk].kind == OrgKind.COMMUNE]
    assert communes == sorted(communes, key=search_key) and len(communes) > 50
    assert "<td colspan=\"5\">Xã</td>" in html


def test_a_leader_without_a_reporting_unit_is_told_where_to_look(client, demo):
    client.force_login(demo.leader)
    html = client.get(reverse("my_reports")).content.decode()
    assert 'id="no-reports"' in html and "Bạn không lập báo cáo cho đơn vị nào" in html
    assert reverse("monitoring_home") in html
