import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_as(client, demo):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def test_pages_need_a_login(client, demo):
    r = client.get(reverse("plan_detail", args=[demo.plan.pk]))
    assert r.status_code == 302 and "/dang-nhap/" in r["Location"]


def test_the_plan_list_shows_the_three_plans(client_as, demo):
    html = client_as(demo.reporter).get(reverse("plan_list")).content.decode()
    assert "327/QĐ-UBND" in html
    assert "Sơn Tịnh" in html and "Thiện Tín" in html


def test_the_plan_page_shows_document_data_indicators_and_grouped_tasks(client_as, demo):
    html = client_as(demo.leader).get(reverse("plan_detail", args=[demo.plan.pk])).content.decode()
    assert "327/QĐ-UBND" in html and "26/05/2025" in html
    for number in ("71/NQ-CP", "359-KH/TU", "57-NQ/TW", "51/KH-UBND"):
        assert number in html
    assert "Phụ lục I – Chỉ tiêu (64)" in html
    assert "Phụ lục II – Nhiệm vụ (23)" in html
    assert "Số lượng doanh nghiệp khoa học và công nghệ trên địa bàn" in html
    # Raw target as printed, its parsed meaning on expand, and the OCR flag.
    assert "<summary>&gt; 8" in html
    assert "Cao hơn 8" in html or "cao hơn 8" in html.lower()


def test_filtering_tasks_by_agency_keeps_only_that_agencys_tasks(client_as, demo):
    c = client_as(demo.leader)
    police = demo.province.children.get(code="qn-ca")
    r = c.get(reverse("plan_detail", args=[demo.plan.pk]), {"don_vi": police.pk})
    codes = [t.code for _, tasks in r.context["groups"] for t in tasks]
    expected = sorted(
        demo.plan.tasks.filter(assignments__org=police).distinct().values_list("code", flat=True), key=int
    )
    assert sorted(codes, key=int) == expected and codes
    # Indicators followed by the police are kept, with their group rows.
    ind_codes = [i.code for i in r.context["indicators"] if not i.is_group]
    assert ind_codes and all(i.responsible.filter(pk=police.pk).exists() for i in r.context["indicators"] if not i.is_group)


def test_filtering_recurring_tasks_shows_thuong_xuyen_and_hang_nam(client_as, demo):
    r = client_as(demo.leader).get(reverse("plan_detail", args=[demo.plan.pk]), {"thuong_xuyen": "1"})
    raws = {t.deadline_raw for _, tasks in r.context["groups"] for t in tasks}
    assert raws == {"Thường xuyên", "Hằng năm", "2025 và những năm tiếp theo"}


def test_filtering_by_deadline_keeps_tasks_due_by_that_day(client_as, demo):
    r = client_as(demo.leader).get(reverse("plan_detail", args=[demo.plan.pk]), {"han": "30/09/2025"})
    raws = {t.deadline_raw for _, tasks in r.context["groups"] for t in tasks}
    assert raws == {"Tháng 4/2025", "Tháng 5/2025", "Tháng 9/2025"}


def test_a_malformed_deadline_filter_gets_a_vietnamese_message(client_as, demo):
    r = client_as(demo.leader).get(reverse("plan_detail", args=[demo.plan.pk]), {"han": "31/02/2025"})
    assert r.status_code == 200 and "Ngày hạn không hợp lệ" in r.content.decode()


def test_search_ignores_accents(client_as, demo):
    r = client_as(demo.reporter).get(reverse("search"), {"q": "chuyen doi so"})
    res = r.context["results"]
    assert any("chuyển đổi số" in t.name for t in res.tasks)
    assert any("Chỉ số chuyển đổi số" in i.name for i in res.indicators)
    r2 = client_as(demo.reporter).get(reverse("search"), {"q": "Chuyển Đổi Số"})
    assert {t.pk for t in r2.context["results"].tasks} == {t.pk for t in res.tasks}


def test_the_organisation_page_lists_its_assignments(client_as, demo):
    html = client_as(demo.reporter).get(reverse("org_detail", args=[demo.thientin.pk])).content.decode()
    assert "Xã Thiện Tín" in html
    n = demo.thientin.assignments.filter(task__plan=demo.plan).count()
    assert n > 5 and f"Nhiệm vụ được giao ({demo.thientin.assignments.count()})" in html


def test_the_former_district_page_shows_it_ended_and_its_successors(client_as, demo):
    html = client_as(demo.leader).get(reverse("org_detail", args=[demo.sontinh.pk])).content.decode()
    assert "đã kết thúc ngày 30/06/2025" in html
    assert "Xã Ba Gia" in html and "Xã Trường Giang" in html


def test_the_plan_downloads_as_json_in_the_interchange_format(client_as, demo):
    r = client_as(demo.reporter).get(reverse("plan_export_json", args=[demo.plan.pk]))
    data = json.loads(r.content)
    assert data["format"] == "planwatch-plan" and len(data["tasks"]) == 23
    assert r["Content-Disposition"].endswith('qn-327-2025.json"')


def test_uploading_a_broken_json_keeps_everything_and_explains(client_as, demo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_as(demo.supervisor)
    r = c.post(reverse("plan_import_json"), {"file": SimpleUploadedFile("x.json", b"{oops", "application/json")}, follow=True)
    assert "không phải JSON" in r.content.decode()
    assert demo.plan.tasks.count() == 23


def test_a_reporter_cannot_import_plans(client_as, demo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = client_as(demo.reporter).post(reverse("plan_import_json"), {"file": SimpleUploadedFile("x.json", b"{}")})
    assert r.status_code == 404


def test_the_admin_lists_every_model(client_as, demo):
    c = client_as(demo.admin)
    for model in ("orgs/organisation", "orgs/membership", "plans/plan", "plans/indicator", "plans/task",
                  "plans/assignment", "plans/indicatortarget", "plans/sourcedocument"):
        assert c.get(f"/admin/{model}/").status_code == 200, model


def test_transcription_notes_are_labelled_in_vietnamese(client, demo):
    from planwatch.plans.models import Indicator

    ind = next(i for i in Indicator.objects.filter(plan=demo.plan) if "targets_ocr" in (i.notes or {}))
    client.force_login(demo.leader)
    html = client.get(f"/chi-tieu/{ind.pk}/").content.decode()
    assert "Bản OCR – chỉ tiêu các mốc" in html
    assert "<strong>targets_ocr</strong>" not in html
