"""Every change is recorded (who, when, before, after, why) and shown in Vietnamese on the
"Lịch sử thay đổi" pages; the initial demo load writes none."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from simple_history.middleware import HistoryRequestMiddleware

from planwatch.audit.records import acting_as, history_paused
from planwatch.lib.deadlines import parse_deadline
from planwatch.lib.targets import parse_target
from planwatch.orgs.models import Organisation
from planwatch.plans.models import Assignment, Indicator, IndicatorTarget, Task
from planwatch.reporting.models import UnitReport
from planwatch.reporting.services import report_open, report_return, report_submit

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
WHEN = datetime(2026, 11, 20, 9, 5, tzinfo=HCM)


def vn_name(user):
    return f"{user.last_name} {user.first_name}".strip() or user.username


def last(model, pk):
    return model.history.filter(id=pk).order_by("-history_id").first()


def page_text(client, user, url):
    client.force_login(user)
    resp = client.get(url)
    assert resp.status_code == 200
    return resp.content.decode()


def test_the_demo_load_writes_no_history(demo):
    assert Task.history.count() == 0
    assert Organisation.history.count() == 0
    assert UnitReport.history.count() == 0


def test_a_task_edit_records_who_when_before_after_and_why_and_the_pages_show_it(demo, client):
    task = Task.objects.filter(plan=demo.plan).exclude(deadline_raw="").order_by("position").first()
    old_raw = task.deadline_raw
    with time_machine.travel(WHEN, tick=False):
        task.deadline_raw = "Tháng 12/2026"
        task.deadline_spec = parse_deadline("Tháng 12/2026").value.to_dict()
        task._history_user = demo.supervisor
        task._change_reason = "Quyết định 999/QĐ-UBND điều chỉnh Kế hoạch 327"
        task.save()

    row = last(Task, task.pk)
    assert row.history_type == "~"
    assert row.history_user == demo.supervisor
    assert row.history_change_reason == "Quyết định 999/QĐ-UBND điều chỉnh Kế hoạch 327"

    html = page_text(client, demo.reporter, reverse("task_history", args=[task.pk]))
    assert "20/11/2026 09:05" in html
    assert vn_name(demo.supervisor) in html
    assert ">Sửa<" in html
    assert "Thời gian hoàn thành (như bản in)" in html
    assert old_raw in html and "Tháng 12/2026" in html
    assert "Quyết định 999/QĐ-UBND điều chỉnh Kế hoạch 327" in html
    # The parsed spec follows the printed text: shown once, as printed, never as JSON.
    assert '"kind"' not in html and "Thời hạn đã phân tích" not in html

    # The plan's page gathers the changes of its tasks.
    plan_html = page_text(client, demo.reporter, reverse("plan_history", args=[demo.plan.pk]))
    assert f"Nhiệm vụ {task.code}." in plan_html and "Tháng 12/2026" in plan_html


def test_an_organisation_rename_is_recorded_with_the_actor_and_reason(demo, client):
    org = demo.skhcn
    old = org.name
    with time_machine.travel(WHEN, tick=False), acting_as(demo.admin, "Sáp nhập theo Nghị quyết 60/NQ-TW"):
        org.name = "Sở Khoa học, Công nghệ và Đổi mới sáng tạo"
        org.save()

    row = last(Organisation, org.pk)
    assert (row.history_user, row.history_change_reason) == (demo.admin, "Sáp nhập theo Nghị quyết 60/NQ-TW")
    html = page_text(client, demo.leader, reverse("org_history", args=[org.pk]))
    assert "Tên" in html and old in html and "Sở Khoa học, Công nghệ và Đổi mới sáng tạo" in html
    assert "Sáp nhập theo Nghị quyết 60/NQ-TW" in html
    assert vn_name(demo.admin) in html


def test_a_report_transition_records_the_actor_and_comment_and_the_unit_page_shows_it(demo, period, client):
    with time_machine.travel(WHEN, tick=False):
        report = report_open(period=period, org=demo.thientin, by=demo.reporter)
        report = report_submit(report=report, by=demo.approver)
        report_return(report=report, by=demo.supervisor, comment="Bổ sung số liệu chỉ tiêu 1.1")

    rows = list(UnitReport.history.filter(id=report.pk).order_by("history_id"))
    assert [r.status for r in rows[-2:]] == ["submitted", "returned"]
    assert rows[-2].history_user == demo.approver and rows[-2].history_change_reason == "Gửi báo cáo"
    assert rows[-1].history_user == demo.supervisor
    assert rows[-1].history_change_reason == "Trả lại báo cáo: Bổ sung số liệu chỉ tiêu 1.1"

    html = page_text(client, demo.supervisor, reverse("org_history", args=[demo.thientin.pk]))
    assert "Trạng thái" in html and "đã gửi" in html and "bị trả lại" in html
    assert "Trả lại báo cáo: Bổ sung số liệu chỉ tiêu 1.1" in html
    assert vn_name(demo.supervisor) in html and vn_name(demo.approver) in html
    assert "Người gửi" in html and "submitted" not in html.lower()

    # Another unit's officer may open the commune's page, but not its reports' history.
    other = page_text(client, demo.other_dept_reporter, reverse("org_history", args=[demo.thientin.pk]))
    assert "Bổ sung số liệu chỉ tiêu 1.1" not in other and "bị trả lại" not in other


def test_the_signed_in_user_of_a_request_is_named_without_the_code_saying_so(demo):
    task = Task.objects.filter(plan=demo.plan).order_by("position").first()

    def view(request):
        task.result = "Kết quả yêu cầu mới"
        task.save()
        return HttpResponse("ok")

    request = RequestFactory().post("/")
    request.user = demo.supervisor
    HistoryRequestMiddleware(view)(request)
    assert last(Task, task.pk).history_user == demo.supervisor


def test_a_target_edit_shows_the_printed_text_and_a_responsible_unit_change_names_the_units(demo, client):
    target = IndicatorTarget.objects.filter(indicator__plan=demo.plan, raw="> 70").select_related("indicator").first()
    assert target is not None
    target.raw = "≥ 95%"
    target.spec = parse_target("≥ 95%").value.to_dict()
    target.save()
    ind = target.indicator
    ind.responsible.add(demo.syt)

    html = page_text(client, demo.reporter, reverse("indicator_history", args=[ind.pk]))
    assert "Chỉ tiêu (như bản in)" in html and "&gt; 70" in html and "≥ 95%" in html
    assert "Ý nghĩa đã phân tích" not in html
    assert "Cơ quan chủ trì" in html and demo.syt.name in html


def test_a_deleted_assignment_is_shown_as_removed_on_the_task_page(demo, client):
    a = Assignment.objects.filter(task__plan=demo.plan).select_related("task", "org").first()
    task, org_name = a.task, a.org.name
    a.delete()
    html = page_text(client, demo.reporter, reverse("task_history", args=[task.pk]))
    assert ">Xóa<" in html and org_name in html


def test_history_can_be_paused_for_a_bulk_load(demo):
    ind = Indicator.objects.filter(plan=demo.plan).first()
    with history_paused():
        ind.unit = "%"
        ind.save()
    assert not Indicator.history.filter(id=ind.pk).exists()


def test_a_page_with_no_recorded_change_says_so(demo, client):
    html = page_text(client, demo.reporter, reverse("plan_history", args=[demo.commune_plan.pk]))
    assert "Chưa có thay đổi nào được ghi lại." in html


def test_the_history_pages_need_a_sign_in_and_answer_404_for_unknown_objects(demo, client):
    url = reverse("plan_history", args=[demo.plan.pk])
    assert client.get(url).status_code == 302
    client.force_login(demo.reporter)
    assert client.get(reverse("task_history", args=[999999])).status_code == 404
    assert client.get(reverse("org_history", args=[999999])).status_code == 404


@pytest.mark.parametrize("name", ["plan_detail", "task_detail", "indicator_detail", "org_detail"])
def test_each_object_page_links_to_its_history(demo, client, name):
    pk = {
        "plan_detail": demo.plan.pk,
        "task_detail": Task.objects.filter(plan=demo.plan).first().pk,
        "indicator_detail": Indicator.objects.filter(plan=demo.plan).first().pk,
        "org_detail": demo.skhcn.pk,
    }[name]
    html = page_text(client, demo.reporter, reverse(name, args=[pk]))
    assert f'href="{reverse(name.replace("_detail", "_history"), args=[pk])}"' in html
    assert "Lịch sử thay đổi" in html


def test_clearing_a_units_indicators_from_the_unit_side_is_recorded_on_each_indicator(demo):
    indicator = demo.plan.indicators.filter(is_group=False, responsible=demo.skhcn).first()
    before = indicator.history.count()
    demo.skhcn.indicators.clear()
    assert indicator.history.count() > before
    assert demo.skhcn.pk not in set(indicator.history.latest("history_id").responsible.values_list("organisation_id", flat=True))
