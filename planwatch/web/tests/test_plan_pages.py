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


# --- The indicator table puts each target under its own year ---------------------------------

import re  # noqa: E402

from planwatch.lib.text import vn_sort_key  # noqa: E402
from planwatch.orgs.ordering import sort_name  # noqa: E402


def _header_years(html: str) -> list[str]:
    head = re.search(r'<table class="grid" id="indicator-table">\s*<thead>(.*?)</thead>', html, re.S)[1]
    return re.findall(r'<th class="year">(\d{4})</th>', head)


def _row_cells(html: str, code: str) -> list[tuple[str, str]]:
    """(data-year, visible text of the printed target) of one indicator row."""
    row = re.search(rf'<tr data-code="{re.escape(code)}">(.*?)</tr>', html, re.S)[1]
    cells = re.findall(r'<td class="num target-cell" data-year="(\d{4})"[^>]*>(.*?)</td>', row, re.S)
    out = []
    for year, inner in cells:
        summary = re.search(r"<summary>(.*?)(?:<span|</summary>)", inner, re.S)
        out.append((year, summary[1].strip() if summary else ""))
    return out


def _row_cell_count(html: str, code: str) -> int:
    row = re.search(rf'<tr data-code="{re.escape(code)}">(.*?)</tr>', html, re.S)[1]
    return len(re.findall(r"<td[ >]", row))


def test_the_commune_plan_prints_each_target_under_its_milestone_year(client_as, demo):
    html = client_as(demo.reporter).get(reverse("plan_detail", args=[demo.commune_plan.pk])).content.decode()
    assert _header_years(html) == ["2025", "2030", "2035", "2040", "2045"]
    rows = {i.name: i.code for i in demo.commune_plan.indicators.all()}

    # A 2045-only target (the TFP bullet) sits under 2045, the four cells before it are empty.
    tfp = _row_cells(html, rows["Đóng góp của TFP vào tăng trưởng kinh tế ở mức cao"])
    assert [y for y, _ in tfp] == ["2025", "2030", "2035", "2040", "2045"]
    assert [text for _, text in tfp[:4]] == ["", "", "", ""]
    assert tfp[4][1].startswith("Đóng góp của năng suất nhân tố tổng hợp (TFP)")

    # 6G: nothing in 2025 and 2030, then 50%, 80%, 100%.
    six_g = dict(_row_cells(html, rows["Tỷ lệ phủ sóng 6G trên địa bàn"]))
    assert six_g["2025"] == six_g["2030"] == ""
    assert "50%" in six_g["2035"] and "80%" in six_g["2040"] and "100%" in six_g["2045"]

    # 5G: 2025 and 2030 only.
    five_g = dict(_row_cells(html, rows["Tỷ lệ phủ sóng 5G trên địa bàn"]))
    assert "≥ 40%" in five_g["2025"] and "100%" in five_g["2030"] and five_g["2045"] == ""

    # Every row has exactly the header's columns, so the agency never lands in a year column.
    for code in rows.values():
        assert _row_cell_count(html, code) == 3 + 5 + 1, code


def test_the_district_plan_prints_each_target_under_its_milestone_year(client_as, demo):
    html = client_as(demo.leader).get(reverse("plan_detail", args=[demo.district_plan.pk])).content.decode()
    assert _header_years(html) == ["2025", "2030", "2035", "2040", "2045"]
    # Row 1.1 prints four values, read as 2025–2040 (the 2045 cell blank).
    assert _row_cells(html, "1.1") == [("2025", "≥ 01"), ("2030", "≥ 02"), ("2035", "≥ 03"), ("2040", "≥ 04"), ("2045", "")]
    # Row 2.6 prints a single X, in 2045.
    assert [t for _, t in _row_cells(html, "2.6")] == ["", "", "", "", "X"]
    for i in demo.district_plan.indicators.filter(is_group=False):
        assert _row_cell_count(html, i.code) == 9, i.code


def test_the_commune_plan_says_what_kind_of_document_it_is_in_vietnamese(client_as, demo):
    html = client_as(demo.reporter).get(reverse("plan_detail", args=[demo.commune_plan.pk])).content.decode()
    assert "Kế hoạch hành động số" in html
    assert "party committee" not in html
    # The commune plan has no appendix: its targets are the bullets of section II.2.
    assert "Phụ lục I" not in html and "Chỉ tiêu (79)" in html


def test_a_row_linked_by_judgement_shows_the_doubt(client_as, demo):
    row = demo.commune_plan.indicators.get(name="Chỉ số chuyển đổi số cấp xã")
    html = client_as(demo.reporter).get(reverse("plan_detail", args=[demo.commune_plan.pk])).content.decode()
    assert "↑ chỉ tiêu 3.1 của 327/QĐ-UBND" in html
    assert f'title="{row.notes["alignment_doubt"]}">⚑' in html
    detail = client_as(demo.reporter).get(reverse("indicator_detail", args=[row.pk])).content.decode()
    assert row.notes["alignment_doubt"] in detail
    # Transcription keys are labelled in Vietnamese.
    assert "Lĩnh vực (mục tiêu cụ thể)" in detail and "<strong>area</strong>" not in detail


# --- The import form is for those who may import ---------------------------------------------


def test_a_commune_reporter_does_not_see_the_import_form(client_as, demo):
    html = client_as(demo.reporter).get(reverse("plan_list")).content.decode()
    assert "Nhập kế hoạch từ JSON" not in html
    assert reverse("plan_import_json") not in html
    assert "docs/interchange.md" not in html


def test_the_province_supervisor_sees_the_import_form_with_the_format_in_words(client_as, demo):
    html = client_as(demo.supervisor).get(reverse("plan_list")).content.decode()
    assert "Nhập kế hoạch từ JSON" in html and reverse("plan_import_json") in html
    assert "Xuất JSON" in html and "docs/interchange.md" not in html


# --- Vietnamese alphabetical order ------------------------------------------------------------


def test_the_agency_filter_lists_units_by_kind_in_vietnamese_order(client_as, demo):
    html = client_as(demo.leader).get(reverse("plan_detail", args=[demo.plan.pk])).content.decode()
    select = re.search(r'<select name="don_vi".*?</select>', html, re.S)[0]
    groups = dict(re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S))
    assert {"Sở, ban, ngành", "Xã", "Phường"} <= set(groups)
    for label, body in groups.items():
        names = re.findall(r"<option [^>]*>([^<]+)</option>", body)
        assert names == sorted(names, key=lambda n: vn_sort_key(sort_name(n))), label
    communes = re.findall(r"<option [^>]*>([^<]+)</option>", groups["Xã"])
    assert communes[0] == "Xã An Phú"
    # "Xã Đ…" sit between D and E, not after "Xã Xốp".
    first_d_stroke = next(n for n, c in enumerate(communes) if c.startswith("Xã Đ"))
    assert communes[first_d_stroke - 1].startswith(("Xã D", "Xã C")) and not communes[-1].startswith("Xã Đ")


def test_the_units_of_a_task_are_listed_in_vietnamese_order(client_as, demo):
    task = max(demo.plan.tasks.all(), key=lambda t: t.assignments.count())
    html = client_as(demo.leader).get(reverse("task_detail", args=[task.pk])).content.decode()
    leads, coordinating = html.split('id="leads"')[1].split('id="coordinating"')
    seen = 0
    for part in (leads, coordinating):
        names = re.findall(r'<a href="/to-chuc/\d+/"[^>]*>([^<]+)</a>', part)
        communes = [n for n in names if n.startswith("Xã ")]
        assert communes == sorted(communes, key=lambda n: vn_sort_key(sort_name(n)))
        departments = [n for n in names if n.startswith("Sở ")]
        assert departments == sorted(departments, key=vn_sort_key)
        seen += len(communes)
    assert seen > 50
