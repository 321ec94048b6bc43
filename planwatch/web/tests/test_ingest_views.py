"""“Nhập văn bản”: who may upload, the reading job's progress, the review of a draft (flagged
cells with their reason and place, corrections, organisation and upper-level choices) and
applying it (a new plan, or the diff of an amended version first)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from planwatch.documents.models import ImportJob, ImportStatus
from planwatch.orgs.models import OrgAlias
from planwatch.plans.models import Plan, PlanAmendment, Task

pytestmark = pytest.mark.django_db

DOC_NUMBER = "210/KH-SKHCN"


def plan_docx(*, deadline="Quý V/2026", target_2030="≥ 25", extra_task=False, lead="Sở Nội vụ tỉnh QN") -> bytes:
    """A department's plan as Word prints it: the heading block, an indicator table (milestone
    columns, a group row, a target cell the parser cannot read) and a task table (group rows,
    an unknown deadline form, a lead agency written in a way no organisation is named)."""
    doc = Document()
    for line in [
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", f"Số: {DOC_NUMBER}",
        "Quảng Ngãi, ngày 15 tháng 10 năm 2026", "KẾ HOẠCH",
        "Triển khai chuyển đổi số trong ngành khoa học và công nghệ tỉnh Quảng Ngãi",
        "Thực hiện Quyết định số 327/QĐ-UBND ngày 26/5/2025 của UBND tỉnh Quảng Ngãi về việc ban hành Kế hoạch "
        "hành động thực hiện Nghị quyết số 71/NQ-CP; Sở Khoa học và Công nghệ ban hành Kế hoạch như sau:",
        "PHỤ LỤC I", "DANH MỤC CÁC CHỈ TIÊU CỤ THỂ",
    ]:
        doc.add_paragraph(line)
    _table(doc, [
        ["STT", "Tên chỉ tiêu", "Đơn vị tính", "Đến năm 2025", "Đến năm 2030", "Cơ quan chủ trì theo dõi, đánh giá"],
        ["1", "Trình độ, năng lực công nghệ, đổi mới sáng tạo của doanh nghiệp", "", "", "", ""],
        ["1.1", "Số lượng doanh nghiệp khoa học và công nghệ trên địa bàn", "Doanh nghiệp", "≥ 10", "≥ 20",
         "Sở Khoa học và Công nghệ"],
        ["1.2", "Tỷ lệ doanh nghiệp sử dụng kết quả nghiên cứu từ viện, trường trong sản xuất, kinh doanh", "%",
         "≥ 10", target_2030, "Sở Khoa học và Công nghệ"],
        ["2", "Tỷ lệ dân số trưởng thành có chữ ký số cá nhân", "%", "≥ 40", "≥ 80", "Công an tỉnh"],
    ])
    for line in ["PHỤ LỤC II", "DANH MỤC CÁC NHIỆM VỤ CHỦ YẾU"]:
        doc.add_paragraph(line)
    rows = [
        ["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian hoàn thành"],
        ["I.", "Nhóm nhiệm vụ về hoàn thiện thể chế", "", "", "", ""],
        ["1", "Rà soát, đề xuất sửa đổi các quy định về khoa học, công nghệ của tỉnh", "Sở Khoa học và Công nghệ",
         "Sở Tư pháp", "Báo cáo rà soát", "Tháng 12/2026"],
        ["2", "Xây dựng cơ sở dữ liệu về đội ngũ nhân lực khoa học và công nghệ của tỉnh", lead, "Sở Y tế",
         "Cơ sở dữ liệu", deadline],
        ["II.", "Nhóm nhiệm vụ về phát triển hạ tầng", "", "", "", ""],
        ["3", "Phát triển hạ tầng số phục vụ nghiên cứu khoa học", "Sở Khoa học và Công nghệ", "Sở Tài chính",
         "Hạ tầng số", "Thường xuyên"],
    ]
    if extra_task:
        rows.append(["4", "Tổ chức đánh giá trình độ công nghệ của doanh nghiệp trên địa bàn tỉnh",
                     "Sở Khoa học và Công nghệ", "", "Báo cáo đánh giá", "Năm 2027"])
    _table(doc, rows)
    doc.add_paragraph("GIÁM ĐỐC")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _table(doc, rows):
    t = doc.add_table(rows=0, cols=len(rows[0]))
    t.style = "Table Grid"
    for row in rows:
        for cell, text in zip(t.add_row().cells, row):
            cell.text = text


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def _inline_jobs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.PLANWATCH_IMPORTS_INLINE = True


@pytest.fixture
def supervisor(client, demo):
    client.force_login(demo.supervisor)
    return client


def _upload(client, django_capture_on_commit_callbacks, data: bytes, name="ke-hoach-210.docx", plan=None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {"file": SimpleUploadedFile(name, data, DOCX_TYPE)}
    if plan is not None:
        form["plan"] = str(plan.pk)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("ingest_upload"), form)
    assert r.status_code == 302, r.content.decode()[:2000]
    return ImportJob.objects.latest("pk"), r


def _post(client, name, job, htmx=True, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse(name, args=[job.pk]), data, headers=headers)


# ---------------------------------------------------------------- who


def test_a_unit_officer_gets_403_and_no_link(client, demo):
    client.force_login(demo.reporter)
    assert client.get(reverse("ingest_upload")).status_code == 403
    assert "Nhập văn bản" not in client.get(reverse("plan_list")).content.decode()


def test_the_standing_agency_sees_the_link_and_the_upload_form(supervisor):
    html = supervisor.get(reverse("plan_list")).content.decode()
    assert f'<a href="{reverse("ingest_upload")}">Nhập văn bản</a>' in html
    html = supervisor.get(reverse("ingest_upload")).content.decode()
    assert 'type="file"' in html and 'accept=".docx,.xlsx,.pdf,.txt,.md,.tsv"' in html
    assert "Kế hoạch hiện có" in html and "327/QĐ-UBND – Kế hoạch hành động" in html and "qn-327-2025 –" not in html


def test_an_importer_may_upload(client, demo):
    from django.contrib.auth import get_user_model

    from planwatch.orgs.models import Role
    from planwatch.orgs.services import grant

    user = get_user_model().objects.create_user("nhap.vanban", password="x")
    grant(user, org=demo.skhcn, role=Role.IMPORTER, scope=demo.province)
    client.force_login(user)
    assert client.get(reverse("ingest_upload")).status_code == 200


def test_another_persons_upload_is_not_found(supervisor, demo, client, django_capture_on_commit_callbacks):
    job, _ = _upload(supervisor, django_capture_on_commit_callbacks, plan_docx())
    from django.contrib.auth import get_user_model

    from planwatch.orgs.models import Role
    from planwatch.orgs.services import grant

    other = get_user_model().objects.create_user("nhap.khac", password="x")
    grant(other, org=demo.skhcn, role=Role.IMPORTER, scope=demo.province)
    client.force_login(other)
    assert client.get(reverse("ingest_job", args=[job.pk])).status_code == 404


# ---------------------------------------------------------------- reading


def test_a_file_that_cannot_be_read_shows_the_reason_and_a_way_to_upload_another(
        supervisor, django_capture_on_commit_callbacks):
    job, r = _upload(supervisor, django_capture_on_commit_callbacks, b"PK\x03\x04 not really a zip", name="hong.docx")
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.error
    html = supervisor.get(r["Location"]).content.decode()
    assert job.error in html and "Tải tệp khác" in html and 'role="alert"' in html
    assert not Plan.objects.filter(code__startswith="210-").exists()


def test_a_file_over_the_limit_is_refused_on_the_form(supervisor, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PLANWATCH_IMPORT_MAX_BYTES = 1000
    r = supervisor.post(reverse("ingest_upload"), {"file": SimpleUploadedFile("lon.docx", plan_docx(), DOCX_TYPE)})
    assert r.status_code == 200
    assert "quá lớn" in r.content.decode()
    assert not ImportJob.objects.exists()


def test_the_progress_page_polls_until_done_and_then_reloads(supervisor, demo, settings):
    from planwatch.documents.ingest.services import job_create, job_run

    job = job_create(plan_docx(), demo.supervisor, filename="ke-hoach.docx", run=False)
    html = supervisor.get(reverse("ingest_job", args=[job.pk])).content.decode()
    assert "<progress" in html and 'hx-trigger="every 1s"' in html
    assert 'http-equiv="refresh"' in html  # without JavaScript the page refreshes itself
    job_run(job.pk)
    r = supervisor.get(reverse("ingest_status", args=[job.pk]), headers={"HX-Request": "true"})
    assert r["HX-Refresh"] == "true"


def test_a_reading_whose_worker_died_ends_failed_instead_of_polling_for_ever(supervisor, demo):
    from datetime import timedelta

    from django.utils import timezone

    from planwatch.documents.ingest.services import job_create

    job = job_create(plan_docx(), demo.supervisor, filename="ke-hoach.docx", run=False)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=20))
    html = supervisor.get(reverse("ingest_job", args=[job.pk])).content.decode()
    assert "bị gián đoạn" in html and "Tải tệp khác" in html and "every 1s" not in html


# ---------------------------------------------------------------- review


def test_the_review_shows_the_text_beside_the_rows_and_every_flag_with_its_place(
        supervisor, django_capture_on_commit_callbacks):
    job, r = _upload(supervisor, django_capture_on_commit_callbacks, plan_docx())
    html = supervisor.get(r["Location"]).content.decode()
    assert 'id="source-text"' in html and "DANH MỤC CÁC CHỈ TIÊU CỤ THỂ" in html
    assert 'id="draft-indicators"' in html and 'id="draft-tasks"' in html
    # The unknown deadline form: highlighted, its reason and its place in the file.
    assert "Quý “V” không hợp lệ" in html and "bảng 2, dòng 4" in html
    assert 'class="dcell flagged" id="task-1-deadline"' in html
    # The lead no organisation is named like: ranked suggestions, "Sở Nội vụ" first.
    select = html.split('id="task-1-lead-org0"')[1].split("</select>")[0]
    assert select.index("Sở Nội vụ") < select.index("Không gắn tổ chức")
    assert "ghi nhớ tên gọi này" in html
    # Upper-level rows of the plan it implements (327/QĐ-UBND), ranked.
    assert 'id="ind-2-align"' in html and "qn-327-2025|1.1" in html
    assert 'data-count="2"' in html  # open flags: the deadline and the lead


def test_correcting_a_cell_re_renders_its_row_and_the_flag_count(supervisor, django_capture_on_commit_callbacks):
    job, _ = _upload(supervisor, django_capture_on_commit_callbacks, plan_docx())
    r = _post(supervisor, "ingest_cell", job, section="tasks", row="1", field="deadline", value="Quý IV/2026")
    html = r.content.decode()
    assert r.status_code == 200
    assert html.lstrip().startswith('<tr id="task-1"')
    assert "Quý IV/2026" in html and "đã sửa" in html and "Quý “V”" not in html.split("<template>")[0]
    assert 'hx-swap-oob="true"' in html and 'data-count="1"' in html
    job.refresh_from_db()
    assert job.corrections["cells"] == {"tasks:1:deadline": "Quý IV/2026"}


def test_a_refused_correction_is_shown_in_the_row(supervisor, django_capture_on_commit_callbacks):
    job, _ = _upload(supervisor, django_capture_on_commit_callbacks, plan_docx())
    r = _post(supervisor, "ingest_cell", job, section="tasks", row="1", field="nonsense", value="x")
    assert r.status_code == 200 and "Không sửa được trường" in r.content.decode()


def test_without_javascript_a_cell_opens_its_form_and_returns_to_the_row(supervisor, django_capture_on_commit_callbacks):
    job, _ = _upload(supervisor, django_capture_on_commit_callbacks, plan_docx())
    html = supervisor.get(reverse("ingest_job", args=[job.pk])).content.decode()
    assert 'href="?sua=ind-2-targets-2030#ind-2-targets-2030"' in html and 'id="ind-2-targets-2030-v"' not in html
    html = supervisor.get(reverse("ingest_job", args=[job.pk]) + "?sua=ind-2-targets-2030").content.decode()
    assert '<label for="ind-2-targets-2030-v">Mục tiêu 2030</label>' in html
    r = _post(supervisor, "ingest_cell", job, htmx=False, section="indicators", row="2", field="targets.2030", value="≥ 30")
    assert r.status_code == 302 and r["Location"].endswith(f"/nhap-van-ban/{job.pk}/#ind-2")


def test_choosing_an_organisation_can_teach_the_name(supervisor, demo, django_capture_on_commit_callbacks):
    job, _ = _upload(supervisor, django_capture_on_commit_callbacks, plan_docx())
    r = _post(supervisor, "ingest_org", job, section="tasks", row="1", field="lead", text="Sở Nội vụ tỉnh QN",
              org="qn-snv", learn="1")
    html = r.content.decode()
    assert '<option value="qn-snv" selected>' in html and 'data-count="1"' in html
    assert OrgAlias.objects.filter(org__code="qn-snv", alias="Sở Nội vụ tỉnh QN").exists()


def test_the_document_data_and_the_plan_header_are_corrected_in_place(supervisor, django_capture_on_commit_callbacks):
    job, r = _upload(supervisor, django_capture_on_commit_callbacks, plan_docx())
    html = supervisor.get(r["Location"]).content.decode()
    assert "210/KH-SKHCN" in html and "15/10/2026" in html  # number and date as read, dd/mm/yyyy
    assert "327/QĐ-UBND ngày 26/05/2025" in html  # the document it implements
    r = _post(supervisor, "ingest_cell", job, section="document", row="", field="date", value="20/10/2026")
    html = r.content.decode()
    assert html.lstrip().startswith('<div id="van-ban-body">') and "20/10/2026" in html
    r = _post(supervisor, "ingest_cell", job, section="plan", row="", field="name", value="Kế hoạch chuyển đổi số ngành KH&CN")
    assert "Kế hoạch chuyển đổi số ngành KH&amp;CN" in r.content.decode()
    r = _post(supervisor, "ingest_org", job, section="plan", row="", field="standing_agency", text="Cơ quan thường trực",
              org="qn-skhcn")
    assert '<option value="qn-skhcn" selected>' in r.content.decode().split('id="plan-standing"')[1]
    r = _post(supervisor, "ingest_cell", job, section="plan", row="", field="parent", value="")
    assert r["HX-Refresh"] == "true"  # the alignment suggestions of every row change
    html = supervisor.get(reverse("ingest_job", args=[job.pk])).content.decode()
    assert '<option value="" selected>— Không có (kế hoạch cấp cao nhất) —</option>' in html
    assert 'id="ind-2-align"' not in html
    r = _post(supervisor, "ingest_cell", job, section="plan", row="", field="reporting_schedule", value="quarterly")
    assert '<option value="quarterly" selected>Hằng quý</option>' in r.content.decode()


def test_choosing_the_upper_level_row(supervisor, django_capture_on_commit_callbacks):
    job, _ = _upload(supervisor, django_capture_on_commit_callbacks, plan_docx())
    r = _post(supervisor, "ingest_align", job, section="indicators", row="3", target="qn-327-2025|1.2")
    assert '<option value="qn-327-2025|1.2" selected>' in r.content.decode()
    r = _post(supervisor, "ingest_align", job, section="indicators", row="3", target="")
    assert '<option value="" selected>— Không đối chiếu —' in r.content.decode()


# ---------------------------------------------------------------- apply


def _prepare(client, job):
    _post(client, "ingest_cell", job, section="tasks", row="1", field="deadline", value="Quý IV/2026")
    _post(client, "ingest_org", job, section="tasks", row="1", field="lead", text="Sở Nội vụ tỉnh QN", org="qn-snv", learn="1")


def test_applying_a_new_plan_asks_for_confirmation_then_creates_it(supervisor, demo, django_capture_on_commit_callbacks):
    job, _ = _upload(supervisor, django_capture_on_commit_callbacks, plan_docx())
    _prepare(supervisor, job)
    html = supervisor.get(reverse("ingest_apply", args=[job.pk])).content.decode()
    assert "Xác nhận tạo kế hoạch" in html and "3 chỉ tiêu, 2 nhóm nhiệm vụ, 3 nhiệm vụ" in html
    assert not Plan.objects.filter(document__number=DOC_NUMBER).exists()
    r = supervisor.post(reverse("ingest_apply", args=[job.pk]), {"fingerprint": ""})
    plan = Plan.objects.get(document__number=DOC_NUMBER)
    assert r.status_code == 302 and r["Location"] == reverse("plan_detail", args=[plan.pk])
    task = Task.objects.get(plan=plan, name__startswith="Xây dựng cơ sở dữ liệu")
    assert task.deadline_raw == "Quý IV/2026"
    assert [a.org.code for a in task.assignments.filter(role="lead")] == ["qn-snv"]
    assert plan.parent.code == "qn-327-2025"
    # Applied once: the page now says so, and a second apply changes nothing.
    assert "Đã áp dụng" in supervisor.get(reverse("ingest_job", args=[job.pk])).content.decode()
    assert supervisor.post(reverse("ingest_apply", args=[job.pk])).status_code == 302
    assert Plan.objects.filter(document__number=DOC_NUMBER).count() == 1


def test_an_amended_version_shows_the_diff_and_needs_a_date_and_a_reason(
        supervisor, demo, django_capture_on_commit_callbacks):
    job, _ = _upload(supervisor, django_capture_on_commit_callbacks, plan_docx())
    _prepare(supervisor, job)
    supervisor.post(reverse("ingest_apply", args=[job.pk]))
    plan = Plan.objects.get(document__number=DOC_NUMBER)

    amended = plan_docx(deadline="Quý IV/2026", target_2030="≥ 30", extra_task=True)
    job2, r = _upload(supervisor, django_capture_on_commit_callbacks, amended, name="ke-hoach-210-dieu-chinh.docx", plan=plan)
    review = supervisor.get(r["Location"]).content.decode()
    assert "điều chỉnh" in review
    # The name learnt from the first upload is recognised by itself this time.
    assert "Không xác định được cơ quan “Sở Nội vụ tỉnh QN”" not in review
    html = supervisor.get(reverse("ingest_apply", args=[job2.pk])).content.decode()
    assert 'id="plan-diff"' in html and "Thêm 1" in html and "<strong>Sửa</strong>" in html
    assert "≥ 25" in html and "≥ 30" in html and 'name="ngay_hieu_luc"' in html
    r = supervisor.post(reverse("ingest_apply", args=[job2.pk]), {"ngay_hieu_luc": "01/12/2026"})
    assert r.status_code == 400 and "Cần số văn bản điều chỉnh" in r.content.decode()
    assert not PlanAmendment.objects.filter(plan=plan).exists()
    fingerprint = html.split('name="fingerprint" value="')[1].split('"')[0]
    r = supervisor.post(reverse("ingest_apply", args=[job2.pk]), {
        "ngay_hieu_luc": "01/12/2026", "ly_do": "Bổ sung nhiệm vụ đánh giá trình độ công nghệ", "fingerprint": fingerprint})
    assert r.status_code == 302 and r["Location"] == reverse("plan_detail", args=[plan.pk])
    amendment = PlanAmendment.objects.get(plan=plan)
    assert amendment.effective.isoformat() == "2026-12-01"
    assert plan.tasks.count() == 4


# ---------------------------------------------------------------- a unit's progress report


def report_docx(plan, as_of="25/10/2026") -> bytes:
    """Sở KH&CN's progress table on the province plan: three rows of its tasks (as the plan
    prints them) and one row the plan does not have."""
    doc = Document()
    doc.add_paragraph("BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH HÀNH ĐỘNG THỰC HIỆN NGHỊ QUYẾT SỐ 71/NQ-CP")
    doc.add_paragraph("CƠ QUAN THỰC HIỆN: SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH QUẢNG NGÃI")
    rows = [["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Kết quả yêu cầu", "Thời hạn hoàn thành",
             f"Kết quả (đến ngày {as_of})", "Dự kiến kết quả kỳ tới", "Vướng mắc, kiến nghị"]]
    for code, result in (("1", "Đã phát sóng 12 chuyên mục trên Đài tỉnh"), ("2", "Đã ban hành kế hoạch phát động"),
                         ("4", "Đã hoàn thành")):
        task = Task.objects.get(plan=plan, code=code)
        rows.append([code, task.name, "Sở Khoa học và Công nghệ", task.result, task.deadline_raw, result,
                     "Tiếp tục thực hiện", ""])
    rows.append(["9", "Tổ chức hội thi sáng tạo kỹ thuật tỉnh lần thứ X năm 2026", "Sở Khoa học và Công nghệ",
                 "Hội thi", "Năm 2026", "Đã phát động", "", ""])
    _table(doc, rows)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_a_progress_report_is_matched_to_the_plans_tasks_and_becomes_the_units_report(
        supervisor, demo, django_capture_on_commit_callbacks):
    from planwatch.reporting.models import TaskProgress

    from planwatch.reporting.models import ReportingPeriod

    # A month of the plan the department has not reported on yet (the demo reports most months).
    free = (ReportingPeriod.objects.filter(plan=demo.plan, kind="month").exclude(reports__org=demo.skhcn)
            .order_by("-end").first())
    as_of = free.end.strftime("%d/%m/%Y") if free else "10/12/2026"
    job, r = _upload(supervisor, django_capture_on_commit_callbacks, report_docx(demo.plan, as_of), name="bao-cao.docx",
                     plan=demo.plan)
    html = supervisor.get(r["Location"]).content.decode()
    assert 'id="draft-report"' in html and 'id="rep-3-match"' in html
    assert "Không khớp được dòng này với nhiệm vụ nào" in html
    assert '<option value="|1" selected>' in html.split('id="rep-0-match"')[1].split("</select>")[0]
    html = supervisor.get(reverse("ingest_apply", args=[job.pk])).content.decode()
    assert "Dòng được ghi (3)" in html and "Dòng chưa khớp, không ghi (1)" in html, html[html.index("<main>"):]
    r = supervisor.post(reverse("ingest_apply", args=[job.pk]))
    job.refresh_from_db()
    assert r.status_code == 302 and r["Location"] == reverse("report_detail", args=[job.result_report_id])
    line = TaskProgress.objects.get(report=job.result_report, task__code="1")
    assert line.result_to_date == "Đã phát sóng 12 chuyên mục trên Đài tỉnh"
