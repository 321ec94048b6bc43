"""Import jobs end to end: upload → background job → draft → corrections → preview → apply;
a second version goes through the amendment path; bad files and refused applies write
nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planwatch.documents.ingest import services as S
from planwatch.documents.ingest.errors import DocumentError
from planwatch.documents.ingest.pipeline import section_rows
from planwatch.documents.models import ImportJob, ImportStatus
from planwatch.plans.models import Plan, PlanAmendment, Task

from .test_pipeline import INDICATORS, TASKS, plan_docx

CODE = "88-kh-ubnd-2025"


@pytest.fixture
def inline(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.PLANWATCH_IMPORTS_INLINE = True
    settings.MEDIA_ROOT = tmp_path

    def upload(data: bytes, name: str = "ke-hoach.docx", actor=None, plan=None) -> ImportJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = S.job_create(SimpleUploadedFile(name, data), actor, plan)
        job.refresh_from_db()
        return job

    return upload


def _index(job, section, code):
    return next(i for i, r in enumerate(section_rows(job.draft, section)) if r.get("code") == code)


def _apply_first_version(demo, inline) -> Plan:
    job = inline(plan_docx(), actor=demo.supervisor)
    S.draft_choose_org(job, section="indicators", row=_index(job, "indicators", "3"), field="agency",
                       text="Trung tâm Sáng tạo Vũ Trụ Xanh", org_codes=["qn-skhcn"])
    S.draft_apply(job, demo.supervisor)
    return Plan.objects.get(code=CODE)


def test_upload_correct_choose_apply(demo, inline):
    from planwatch.orgs.models import OrgAlias

    job = inline(plan_docx(), actor=demo.supervisor)
    assert job.status == ImportStatus.DONE, job.error
    assert job.progress == 100 and job.kind == "plan"
    assert job.size > 0 and len(job.sha256) == 64 and job.file.name.startswith("imports/")

    # Correct a target cell and the name of a task.
    S.draft_correct_cell(job, section="indicators", row=_index(job, "indicators", "2"), field="targets.2030", value="≥ 95")
    S.draft_correct_cell(job, section="tasks", row=_index(job, "tasks", "2"), field="name",
                         value="Tổ chức tập huấn kỹ năng số cho cán bộ, công chức, viên chức")
    # Choose the organisation of an agency the system did not know, and learn the name.
    row3 = _index(job, "indicators", "3")
    S.draft_choose_org(job, section="indicators", row=row3, field="agency",
                       text="Trung tâm Sáng tạo Vũ Trụ Xanh", org_codes=["qn-skhcn"], learn=True)
    assert OrgAlias.objects.filter(org__code="qn-skhcn", alias="Trung tâm Sáng tạo Vũ Trụ Xanh").exists()
    # The draft as read is kept; the corrections live beside it.
    job.refresh_from_db()
    assert section_rows(job.draft, "indicators")[row3]["orgs"]["agency"][0]["chosen"] == []

    pv = S.draft_preview(job)
    assert pv.errors == [] and pv.can_apply
    assert not pv.diff.exists and {r.action for r in pv.diff.rows} == {"added"}
    assert not any(f["section"] == "indicators" and f["row"] == row3 and f["field"] == "agency" for f in pv.flags)

    job = S.draft_apply(job, demo.supervisor)
    assert job.is_applied and job.result_plan.code == CODE
    plan = Plan.objects.get(code=CODE)
    assert plan.owner.code == "qn-ubnd" and plan.parent.code == "qn-327-2025"
    assert plan.standing_agency.code == "qn-skhcn" and plan.reporting_schedule == "quarterly"
    assert plan.document.number == "88/KH-UBND"
    ind2 = plan.indicators.get(code="2")
    assert ind2.targets.get(year=2030).raw == "≥ 95"
    assert ind2.targets.get(year=2025).raw == "80"
    assert list(plan.indicators.get(code="3").responsible.values_list("code", flat=True)) == ["qn-skhcn"]
    assert plan.indicators.get(code="1").aligned_to.code == "1.1"
    assert plan.tasks.get(code="2").name.endswith("công chức, viên chức")
    t3 = plan.tasks.get(code="3")  # printed "Sở Thông tin và Truyền thông", merged into Sở KH&CN
    assert [(a.org.code, a.role) for a in t3.assignments.all()] == [("qn-skhcn", "lead")]
    assert plan.task_groups.count() == 2

    # Applied once: a second apply is refused.
    with pytest.raises(S.ImportProblem):
        S.draft_apply(job, demo.supervisor)


def test_a_second_version_is_an_amendment_and_keeps_tasks_with_reports(demo, inline):
    from planwatch.reporting.services import period_open, report_open

    plan = _apply_first_version(demo, inline)
    period = period_open(plan=plan, kind="month", year=2025, number=9)
    report = report_open(period=period, org=demo.skhcn)
    assert report.task_lines.filter(task__code="1").exists()  # task 1 now has report history

    # Version 2: task 1 dropped, task 2's deadline changed, indicator 3 dropped (Sở KH&CN's
    # report has a line for it too).
    tasks = [r if r[0] != "2" else [*r[:5], "Quý II/2026"] for r in TASKS if r[0] != "1"]
    job = inline(plan_docx(tasks=tasks, indicators=INDICATORS[:2]), actor=demo.supervisor)
    assert job.draft["plan"]["exists"] and job.draft["plan"]["code"] == CODE
    pv = S.draft_preview(job)
    assert pv.errors == [] and pv.diff.exists
    actions = {(r.kind, r.code): r.action for r in pv.diff.rows}
    assert actions[("task", "1")] == "retired"
    assert actions[("task", "2")] == "changed"
    assert actions[("indicator", "3")] == "retired"

    S.draft_apply(job, demo.supervisor, effective=date(2025, 10, 1), reason="Điều chỉnh thử nghiệm",
                  expected_fingerprint=pv.fingerprint)
    t1 = Task.objects.get(plan=plan, code="1")
    assert t1.retired_on == date(2025, 10, 1)  # kept with its reports, not deleted
    assert plan.indicators.get(code="3").retired_on == date(2025, 10, 1)
    assert plan.tasks.get(code="2").deadline_raw == "Quý II/2026"
    amendment = PlanAmendment.objects.get(plan=plan)
    assert amendment.reason == "Điều chỉnh thử nghiệm" and amendment.effective == date(2025, 10, 1)


def test_the_same_version_uploaded_again_changes_nothing(demo, inline):
    _apply_first_version(demo, inline)
    job = inline(plan_docx(), actor=demo.supervisor)
    assert job.draft["plan"]["exists"]
    # The name the person chose last time was not learnt: choose it again.
    S.draft_choose_org(job, section="indicators", row=_index(job, "indicators", "3"), field="agency",
                       text="Trung tâm Sáng tạo Vũ Trụ Xanh", org_codes=["qn-skhcn"])
    pv = S.draft_preview(job)
    assert pv.errors == [] and pv.diff.exists and pv.diff.is_empty, [r.code for r in pv.diff.rows]


def test_a_stale_preview_is_refused_and_nothing_is_written(demo, inline):
    plan = _apply_first_version(demo, inline)
    job = inline(plan_docx(tasks=TASKS[:3]), actor=demo.supervisor)
    pv = S.draft_preview(job)
    with pytest.raises(S.ImportProblem) as e:
        S.draft_apply(job, demo.supervisor, effective=date(2025, 10, 1), reason="x", expected_fingerprint="0" * 64)
    assert "đã thay đổi sau khi xem trước" in e.value.message
    assert pv.fingerprint and plan.tasks.count() == 3
    job.refresh_from_db()
    assert not job.is_applied


def test_an_invalid_correction_stops_the_apply_and_writes_nothing(demo, inline):
    job = inline(plan_docx(), actor=demo.supervisor)
    S.draft_correct_cell(job, section="plan", row=None, field="code", value="mã có dấu")
    pv = S.draft_preview(job)
    assert pv.errors and "Mã kế hoạch" in pv.errors[0]
    before = Plan.objects.count()
    with pytest.raises(S.ImportProblem) as e:
        S.draft_apply(job, demo.supervisor)
    assert "Mã kế hoạch" in e.value.message
    assert Plan.objects.count() == before
    with pytest.raises(S.ImportProblem):
        S.draft_correct_cell(job, section="tasks", row=999, field="name", value="x")
    with pytest.raises(S.ImportProblem):
        S.draft_correct_cell(job, section="tasks", row=0, field="password", value="x")


def test_a_bad_file_fails_the_job_and_writes_nothing(demo, inline):
    plans, tasks = Plan.objects.count(), Task.objects.count()
    job = inline(b"PK\x03\x04 this is not really a Word file", name="hong.docx", actor=demo.supervisor)
    assert job.status == ImportStatus.FAILED
    assert job.error_code and job.error  # a Vietnamese message from the reader
    assert job.draft is None and job.progress == 100
    with pytest.raises(S.ImportProblem):
        S.draft_preview(job)
    assert (Plan.objects.count(), Task.objects.count()) == (plans, tasks)


def test_a_file_over_the_limit_is_refused_before_anything_is_stored(demo, inline, settings):
    settings.PLANWATCH_IMPORT_MAX_BYTES = 1000
    with pytest.raises(DocumentError) as e:
        inline(plan_docx(), actor=demo.supervisor)
    assert e.value.code == "too_large" and "quá lớn" in e.value.message
    assert not ImportJob.objects.exists()


def report_docx(tasks) -> bytes:
    """A Word progress table in the seed-002 layout: two rows for `tasks` (one done, one in
    progress) and one row that is no task of the plan."""
    from io import BytesIO

    from docx import Document

    d = Document()
    for text in ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "BÁO CÁO", "Tình hình thực hiện Kế hoạch ban hành kèm theo Quyết định số 327/QĐ-UBND",
                 "CƠ QUAN THỰC HIỆN: SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH QUẢNG NGÃI"):
        d.add_paragraph(text)
    head = ["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Kết quả yêu cầu", "Thời hạn hoàn thành",
            "Kết quả (đến ngày 15/3/2026)", "Dự kiến kết quả đến tháng 4/2026", "Vướng mắc, kiến nghị"]
    t = d.add_table(rows=1, cols=len(head))
    for c, h in zip(t.rows[0].cells, head):
        c.text = h
    rows = [[m.code, m.name, "Sở Khoa học và Công nghệ", m.result or "", m.deadline_raw or "",
             "Đã hoàn thành, ban hành văn bản" if n == 0 else "Đang triển khai thực hiện", "Tiếp tục", ""]
            for n, m in enumerate(tasks)]
    rows.append(["99", "Tổ chức hội thi sáng tạo robot cho thiếu nhi toàn tỉnh", "Sở Khoa học và Công nghệ", "", "2026",
                 "Đang chuẩn bị", "", ""])
    for r in rows:
        for c, v in zip(t.add_row().cells, r):
            c.text = v
    out = BytesIO()
    d.save(out)
    return out.getvalue()


def _skhcn_tasks(demo):
    mine = list(demo.plan.tasks.filter(assignments__org=demo.skhcn, assignments__role="lead", retired_on=None)
                .distinct().order_by("position")[:2])
    assert len(mine) == 2
    return mine


def test_a_progress_report_becomes_the_units_report_for_the_period(demo, inline):
    """A Word progress table of plan 327's tasks led by Sở KH&CN: the rows matched to its
    tasks become its report lines for the month containing the 'as of' day; a row that
    matches nothing is listed, not dropped."""
    plan = demo.plan
    mine = _skhcn_tasks(demo)
    job = inline(report_docx(mine), name="bao-cao.docx", actor=demo.supervisor, plan=plan)
    assert job.status == ImportStatus.DONE, job.error
    assert job.kind == "report"
    pv = S.draft_preview(job)
    assert pv.errors == [], pv.errors
    assert {m["task_code"] for m in pv.report["matched"]} == {m.code for m in mine}
    assert [u["name"] for u in pv.report["unmatched"]] == ["Tổ chức hội thi sáng tạo robot cho thiếu nhi toàn tỉnh"]

    job = S.draft_apply(job, demo.supervisor)
    report = job.result_report
    assert report.org == demo.skhcn and report.period.start <= date(2026, 3, 15) <= report.period.end
    lines = {tl.task.code: tl for tl in report.task_lines.select_related("task")}
    assert lines[mine[0].code].status == "done"
    assert lines[mine[1].code].result_to_date == "Đang triển khai thực hiện"
    assert lines[mine[1].code].status == "in_progress"
    assert "robot" in job.result_note  # the unmatched row is listed
    assert report.events.filter(action="imported").exists()


def test_a_report_finds_its_plan_and_the_person_can_change_it(demo, inline):
    mine = _skhcn_tasks(demo)
    job = inline(report_docx(mine), name="bao-cao.docx", actor=demo.supervisor)
    assert job.kind == "report"
    ctx = job.draft["report_context"]
    assert ctx["plan"] == "qn-327-2025"  # the decision the report cites
    assert ctx["org"]["code"] == "qn-skhcn"
    S.draft_correct_cell(job, section="report", row=None, field="plan", value="qn-327-2025")
    with pytest.raises(S.ImportProblem):
        S.draft_correct_cell(job, section="report", row=None, field="plan", value="khong-co")
    # The unmatched row is matched by hand to a task of the unit.
    robot = next(i for i, r in enumerate(section_rows(job.draft, "report")) if "robot" in r["name"])
    other = demo.plan.tasks.filter(assignments__org=demo.skhcn, retired_on=None).exclude(
        code__in=[m.code for m in mine]).order_by("position").first()
    S.draft_choose_alignment(job, section="report", row=robot, target={"code": other.code})
    pv = S.draft_preview(job)
    assert other.code in {m["task_code"] for m in pv.report["matched"]}
    assert pv.report["unmatched"] == []


def test_choosing_another_upper_plan_ranks_the_suggestions_again(demo, inline):
    job = inline(plan_docx(), actor=demo.supervisor)
    S.draft_correct_cell(job, section="plan", row=None, field="parent", value=None)
    pv = S.draft_preview(job)
    assert all(r["aligned_to"] is None for r in pv.interchange["indicators"])
    assert pv.interchange["plan"]["parent"] is None
    S.draft_correct_cell(job, section="plan", row=None, field="parent", value="qn-327-2025")
    pv = S.draft_preview(job)
    ind1 = next(r for r in pv.interchange["indicators"] if r["code"] == "1")
    assert ind1["aligned_to"] == {"plan": "qn-327-2025", "code": "1.1"}
    # A choice made row by row wins over the suggestion.
    S.draft_choose_alignment(job, section="indicators", row=_index(job, "indicators", "1"),
                             target={"plan": "qn-327-2025", "code": "1.2"})
    pv = S.draft_preview(job)
    assert next(r for r in pv.interchange["indicators"] if r["code"] == "1")["aligned_to"]["code"] == "1.2"
    with pytest.raises(S.ImportProblem):
        S.draft_correct_cell(job, section="plan", row=None, field="parent", value="khong-co")


def test_who_may_upload_and_apply(demo, inline):
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    nobody = get_user_model().objects.create_user("khach", password="x")
    with pytest.raises(PermissionDenied):
        inline(plan_docx(), actor=nobody)
    # A commune officer may upload (its own reports) but not bring a plan in.
    job = inline(plan_docx(), actor=demo.reporter)
    assert job.status == ImportStatus.DONE
    with pytest.raises(S.ImportProblem) as e:
        S.draft_apply(job, demo.reporter)
    assert e.value.code == "forbidden"
    assert not Plan.objects.filter(code=CODE).exists()


def test_old_import_jobs_are_cleaned_up_with_their_files(demo, inline, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    job = inline(plan_docx(), actor=demo.supervisor)
    path = job.file.path
    with django_capture_on_commit_callbacks(execute=True):
        assert S.cleanup_imports(days=30) == 0
        assert S.cleanup_imports(days=30, now=timezone.now() + timedelta(days=31)) == 1
    assert not ImportJob.objects.filter(pk=job.pk).exists()
    import os

    assert not os.path.exists(path)


def amendment_docx(rows, number="1245/QĐ-UBND", amended="88/KH-UBND") -> bytes:
    """A decision amending a plan, its changes in an Điều 1 table."""
    import io

    from docx import Document

    d = Document()
    for text in ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", f"Số: {number}", "Quảng Ngãi, ngày 10 tháng 11 năm 2025",
                 "QUYẾT ĐỊNH", f"Về việc điều chỉnh, bổ sung Kế hoạch số {amended} ngày 15/8/2025 của UBND tỉnh",
                 "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "QUYẾT ĐỊNH:",
                 f"Điều 1. Điều chỉnh một số nội dung tại Kế hoạch số {amended} như sau:"):
        d.add_paragraph(text)
    t = d.add_table(rows=1, cols=4)
    for c, h in zip(t.rows[0].cells, ["TT", "Nội dung điều chỉnh", "Đã ban hành", "Điều chỉnh thành"]):
        c.text = h
    for n, row in enumerate(rows, 1):
        for c, v in zip(t.add_row().cells, [str(n), *row]):
            c.text = v
    for text in ("Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Phước Hiền"):
        d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_an_amendment_decision_changes_the_plan_it_names(demo, inline):
    from planwatch.plans.models import TaskTerm

    plan = _apply_first_version(demo, inline)
    job = inline(amendment_docx([("Thời gian hoàn thành nhiệm vụ số 1", "Quý IV/2025", "Quý II/2026"),
                                 ("Nội dung khác của Kế hoạch", "A", "B")]), name="qd-dieu-chinh.docx",
                 actor=demo.supervisor)
    assert job.status == ImportStatus.DONE, job.error
    assert job.kind == "amendment"
    am = job.draft["amendment"]
    assert am["plan"]["code"] == CODE and am["amends"]["number"] == "88/KH-UBND"
    assert [(c["target"], c["field"], c["new"]) for c in am["changes"]] == [
        ("1", "deadline", "Quý II/2026"), (None, None, "B")]
    assert not any(f["field"] == "old" for f in am["changes"][0]["flags"])  # "Đã ban hành" is the plan's deadline
    # The unrecognised row blocks the apply, with a message naming it.
    pv = S.draft_preview(job)
    assert not pv.can_apply and "dòng 2" in pv.errors[0]
    with pytest.raises(S.ImportProblem):
        S.draft_apply(job, demo.supervisor)
    # Corrected on the review page: it now names task 2's result.
    for field, value in (("target", "2"), ("field", "result")):
        S.draft_correct_cell(job, section="changes", row=1, field=field, value=value)
    pv = S.draft_preview(job)
    assert pv.errors == [] and pv.can_apply
    S.draft_apply(job, demo.supervisor, expected_fingerprint=pv.fingerprint)
    t1 = plan.tasks.get(code="1")
    assert t1.deadline_raw == "Quý II/2026"
    assert TaskTerm.objects.filter(task=t1, deadline_raw="Quý IV/2025").exists()
    assert plan.tasks.get(code="2").result == "B"
    amendment = PlanAmendment.objects.get(plan=plan)
    assert amendment.document.number == "1245/QĐ-UBND" and amendment.effective == date(2025, 11, 10)


def test_an_amendment_of_a_plan_not_in_the_system_is_flagged_not_refused(demo, inline):
    job = inline(amendment_docx([("Thời gian hoàn thành nhiệm vụ số 1", "Quý IV/2025", "Quý II/2026")], amended="9/KH-UBND"),
                 name="qd.docx", actor=demo.supervisor)
    assert job.status == ImportStatus.DONE and job.kind == "amendment"
    assert any(f["field"] == "plan" and "9/KH-UBND" in f["reason"] for f in job.draft["flags"])
    pv = S.draft_preview(job)
    assert not pv.can_apply and "9/KH-UBND" in pv.errors[0]


def test_the_review_page_shows_the_amended_plan_and_its_change_rows(demo, inline, client):
    _apply_first_version(demo, inline)
    job = inline(amendment_docx([("Thời gian hoàn thành nhiệm vụ số 1", "Quý III/2025", "Quý II/2026")]),
                 name="qd.docx", actor=demo.supervisor)
    assert any(f["field"] == "old" and "Quý IV/2025" in f["reason"] for f in job.draft["flags"])
    client.force_login(demo.supervisor)
    page = client.get(f"/nhap-van-ban/{job.pk}/").content.decode()
    # The amended plan is named as people know it (its name), never by its internal code.
    assert 'id="draft-changes"' in page and "Quý II/2026" in page and Plan.objects.get(code=CODE).name in page
    assert CODE not in page
    r = client.post(f"/nhap-van-ban/{job.pk}/sua-o/", {"section": "changes", "row": "0", "field": "new", "value": "Quý III/2026"},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "Quý III/2026" in r.content.decode()
    page = client.get(f"/nhap-van-ban/{job.pk}/ap-dung/").content.decode()
    assert 'value="1245/QĐ-UBND"' in page and 'value="10/11/2025"' in page
    r = client.post(f"/nhap-van-ban/{job.pk}/ap-dung/", {"so_van_ban": "1245/QĐ-UBND", "ngay_van_ban": "10/11/2025",
                                                         "ngay_hieu_luc": "10/11/2025", "ly_do": ""})
    assert r.status_code == 302
    t1 = Plan.objects.get(code=CODE).tasks.get(code="1")
    assert t1.deadline_raw == "Quý III/2026"
    assert PlanAmendment.objects.get(plan__code=CODE).document.kind == "Quyết định"
