"""Export jobs and templates: request → run → file; failures end as readable job errors."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from docx import Document

from planwatch.documents import services
from planwatch.documents.default_template import default_template_bytes
from planwatch.documents.docx_report import TemplateProblem
from planwatch.documents.models import ExportJob, ExportStatus, ReportTemplate

from .conftest import open_docx


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.PLANWATCH_EXPORTS_INLINE = True


def _bad_template() -> bytes:
    doc = Document(BytesIO(default_template_bytes()))
    doc.add_paragraph("{{ ten_truong }}")
    buf = BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_a_supervisor_exports_the_province_docx(demo, sample_period, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(period=sample_period, org=demo.province, fmt="docx", by=demo.supervisor,
                                      report_date=sample_period.due_date)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    assert job.progress == 100
    assert job.filename.endswith(".docx")
    doc = open_docx(job.file.read())
    assert doc.tables[0].rows[0].cells[0].text.startswith("UBND TỈNH QUẢNG NGÃI")


def test_a_commune_reporter_cannot_export_the_province(demo, sample_period):
    with pytest.raises(PermissionDenied):
        services.export_request(period=sample_period, org=demo.province, fmt="docx", by=demo.reporter)


def test_a_commune_reporter_exports_their_commune(demo, sample_period, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(period=sample_period, org=demo.thientin, fmt="xlsx", by=demo.reporter)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error


def test_running_a_finished_job_again_changes_nothing(demo, sample_period, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(period=sample_period, org=demo.thientin, fmt="xlsx", by=demo.reporter)
    job.refresh_from_db()
    name = job.file.name
    again = services.export_run(job.pk)
    assert again.file.name == name and again.status == ExportStatus.DONE


def test_a_broken_active_template_fails_the_job_with_the_placeholder_named(demo, sample_period, django_capture_on_commit_callbacks):
    tpl = ReportTemplate(name="Mẫu hỏng", is_active=True)
    tpl.file.save("hong.docx", ContentFile(_bad_template()), save=True)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(period=sample_period, org=demo.thientin, fmt="docx", by=demo.reporter)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert "“{{ ten_truong }}”" in job.error


def test_an_uploaded_template_is_checked_before_it_is_used():
    with pytest.raises(TemplateProblem):
        services.template_validate(_bad_template())
    services.template_validate(default_template_bytes())


def test_activating_a_template_deactivates_the_others(db):
    a = ReportTemplate.objects.create(name="A", file="report_templates/a.docx", is_active=True)
    b = ReportTemplate.objects.create(name="B", file="report_templates/b.docx")
    services.template_activate(template=b)
    a.refresh_from_db()
    assert not a.is_active and services.active_template() == b


def test_with_a_broker_the_job_goes_to_celery(settings, monkeypatch, db):
    settings.PLANWATCH_EXPORTS_INLINE = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    from planwatch.documents import tasks

    monkeypatch.setattr(tasks.run_export, "delay", lambda job_id: sent.append(job_id))
    services.dispatch(42)
    assert sent == [42]


def test_unexpected_errors_end_the_job_as_failed(demo, sample_period, monkeypatch, django_capture_on_commit_callbacks):
    def boom(*a, **k):
        raise RuntimeError("x")

    monkeypatch.setattr(services, "build_report_data", boom)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_request(period=sample_period, org=demo.thientin, fmt="xlsx", by=demo.reporter)
    job = ExportJob.objects.get(pk=job.pk)
    assert job.status == ExportStatus.FAILED and "Lỗi không mong đợi" in job.error


# ---------------------------------------------------------------- dead jobs and old files


def _job(demo, period, *, status, started_ago=None, finished_ago=None, blob=None, fmt="docx"):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    job = ExportJob.objects.create(
        period=period, org=demo.province, fmt=fmt, report_date=period.due_date, created_by=demo.supervisor,
        status=status, filename=f"bao-cao-qn.{fmt}",
        started_at=now - started_ago if started_ago is not None else None,
        finished_at=now - finished_ago if finished_ago is not None else None,
    )
    if blob is not None:
        job.file.save(job.filename, ContentFile(blob))
    return job


def test_a_job_running_for_more_than_15_minutes_is_failed_so_it_can_be_retried(demo, sample_period):
    from datetime import timedelta

    dead = _job(demo, sample_period, status=ExportStatus.RUNNING, started_ago=timedelta(minutes=16))
    busy = _job(demo, sample_period, status=ExportStatus.RUNNING, started_ago=timedelta(minutes=14))
    assert services.fail_stale_jobs() == 1
    dead.refresh_from_db(); busy.refresh_from_db()
    assert dead.status == ExportStatus.FAILED and dead.finished_at is not None
    assert dead.error.startswith("Quá trình tạo tệp bị gián đoạn (quá 15 phút chưa xong")
    assert "Thử lại" in dead.error
    assert busy.status == ExportStatus.RUNNING


def test_a_job_failed_as_stale_is_not_started_again_by_a_late_delivery(demo, sample_period):
    from datetime import timedelta

    job = _job(demo, sample_period, status=ExportStatus.RUNNING, started_ago=timedelta(hours=1), fmt="xlsx")
    job = services.job_checked(job)
    assert job.status == ExportStatus.FAILED
    # "Thử lại" makes a new job; a late redelivery of the old task leaves it as the user saw it.
    assert services.export_run(job.pk).status == ExportStatus.FAILED


def test_cleanup_exports_deletes_old_finished_jobs_and_their_files(demo, sample_period, django_capture_on_commit_callbacks):
    from datetime import timedelta
    from io import StringIO

    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.utils import timezone

    old_done = _job(demo, sample_period, status=ExportStatus.DONE, finished_ago=timedelta(days=40), blob=b"x" * 1500)
    old_failed = _job(demo, sample_period, status=ExportStatus.FAILED, finished_ago=timedelta(days=31))
    recent = _job(demo, sample_period, status=ExportStatus.DONE, finished_ago=timedelta(days=10), blob=b"y" * 10)
    running = _job(demo, sample_period, status=ExportStatus.RUNNING, started_ago=timedelta(minutes=2))
    old_file = old_done.file.name
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("cleanup_exports", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines == [
        f"Đã xóa: Tỉnh Quảng Ngãi – {sample_period.label} (Word (DOCX), đã xong "
        f"{timezone.localtime(old_done.finished_at):%d/%m/%Y}): tệp bao-cao-qn.docx, 1.500 byte",
        f"Đã xóa: Tỉnh Quảng Ngãi – {sample_period.label} (Word (DOCX), lỗi "
        f"{timezone.localtime(old_failed.finished_at):%d/%m/%Y}): không có tệp",
        "Tổng cộng: đã xóa 2 lượt xuất báo cáo và 1 tệp (1.500 byte) cũ hơn 30 ngày.",
    ]
    assert set(ExportJob.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not default_storage.exists(old_file) and default_storage.exists(recent.file.name)

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("cleanup_exports", "--days", "5", stdout=out)
    assert "đã xóa 1 lượt xuất báo cáo và 1 tệp (10 byte) cũ hơn 5 ngày" in out.getvalue()
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [running.pk]


def test_cleanup_exports_says_when_there_is_nothing_to_remove_and_refuses_a_bad_number(demo):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("cleanup_exports", "--days", "30", stdout=out)
    assert out.getvalue().strip() == "Không có lượt xuất báo cáo nào kết thúc trước đây hơn 30 ngày."
    with pytest.raises(CommandError, match="Số ngày phải là số nguyên dương"):
        call_command("cleanup_exports", "--days", "0")


def test_a_job_queued_for_more_than_15_minutes_is_failed_with_a_retry_message(demo, sample_period):
    from datetime import timedelta

    from django.utils import timezone

    forgotten = _job(demo, sample_period, status=ExportStatus.QUEUED)
    waiting = _job(demo, sample_period, status=ExportStatus.QUEUED)
    now = timezone.now()
    ExportJob.objects.filter(pk=forgotten.pk).update(created_at=now - timedelta(minutes=16))
    ExportJob.objects.filter(pk=waiting.pk).update(created_at=now - timedelta(minutes=14))
    assert services.fail_stale_jobs(now=now) == 1
    forgotten.refresh_from_db(); waiting.refresh_from_db()
    assert forgotten.status == ExportStatus.FAILED and forgotten.finished_at == now
    assert forgotten.message == services.FAILED_MESSAGE
    assert forgotten.error == (
        "Yêu cầu tạo tệp chưa được xử lý sau 15 phút (máy chủ xử lý có thể đang quá tải hoặc đã dừng). "
        "Vui lòng bấm “Thử lại” để gửi lại yêu cầu."
    )
    assert waiting.status == ExportStatus.QUEUED
    # Viewed later, the waiting one is failed too; a late delivery of either does not start it.
    waiting = services.job_checked(waiting, now=now + timedelta(minutes=2))
    assert waiting.status == ExportStatus.FAILED and "chưa được xử lý sau 15 phút" in waiting.error
    assert services.export_run(forgotten.pk).status == ExportStatus.FAILED
    forgotten.refresh_from_db()
    assert forgotten.started_at is None and not forgotten.file


def _marked_failed_while_building(job_id: int) -> None:
    """What fail_stale_jobs does to a job whose worker looks dead (20 minutes without news)."""
    from datetime import timedelta

    from django.utils import timezone

    ExportJob.objects.filter(pk=job_id).update(started_at=timezone.now() - timedelta(minutes=20))
    assert services.fail_stale_jobs(ExportJob.objects.filter(pk=job_id)) == 1


def test_a_worker_finishing_after_its_job_was_failed_keeps_it_failed_and_discards_the_file(
    demo, sample_period, monkeypatch, settings, caplog,
):
    """Finished states are final: the user saw "failed" and the retry link; the late file is
    not attached to the job (nor left on disk), later progress steps do not rewrite the message."""
    job = _job(demo, sample_period, status=ExportStatus.QUEUED, fmt="xlsx")
    real_build = services.build_export

    def slow_build(*args, progress=None, **kwargs):
        blob = real_build(*args, progress=progress, **kwargs)
        _marked_failed_while_building(job.pk)
        progress(80, "Gần xong")  # a progress step after the failure changes nothing
        return blob

    monkeypatch.setattr(services, "build_export", slow_build)
    with caplog.at_level("WARNING", logger="planwatch.documents.services"):
        ended = services.export_run(job.pk)
    job.refresh_from_db()
    assert ended.status == job.status == ExportStatus.FAILED
    assert job.error == services.STALE_ERROR and job.message == services.FAILED_MESSAGE
    assert not job.file and job.progress != 100
    exports = settings.MEDIA_ROOT / "exports"
    assert not exports.exists() or not [p for p in exports.rglob("*") if p.is_file()]
    assert f"export job {job.pk} ended as done after it had been marked failed" in caplog.text


def test_a_worker_failing_after_its_job_was_failed_keeps_the_first_reason(demo, sample_period, monkeypatch):
    job = _job(demo, sample_period, status=ExportStatus.QUEUED, fmt="xlsx")

    def failing_build(*args, **kwargs):
        _marked_failed_while_building(job.pk)
        raise services.ExportError("Lỗi muộn")

    monkeypatch.setattr(services, "build_export", failing_build)
    services.export_run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.error == services.STALE_ERROR


def test_the_hourly_housekeeping_fails_stuck_jobs_and_removes_old_files(settings, tmp_path, demo, django_capture_on_commit_callbacks):
    """documents.housekeeping (beat, hourly) runs fail_stale_jobs and cleanup_exports."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from planwatch.documents.models import ExportJob, ExportStatus
    from planwatch.documents.tasks import housekeeping
    from planwatch.reporting.models import ReportingPeriod

    settings.MEDIA_ROOT = tmp_path
    period = ReportingPeriod.objects.filter(plan=demo.plan).order_by("-end").first()
    now = timezone.now()
    stuck = ExportJob.objects.create(period=period, org=demo.province, fmt="xlsx", created_by=demo.admin, report_date=now.date())
    ExportJob.objects.filter(pk=stuck.pk).update(status=ExportStatus.RUNNING, started_at=now - timedelta(hours=2))
    old = ExportJob.objects.create(period=period, org=demo.province, fmt="xlsx", created_by=demo.admin, report_date=now.date())
    old.file.save("old.xlsx", ContentFile(b"x"), save=False)
    ExportJob.objects.filter(pk=old.pk).update(file=old.file.name, status=ExportStatus.DONE, finished_at=now - timedelta(days=40))
    path = old.file.path
    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows are deleted
        result = housekeeping.delay().get()
    assert result["failed"] >= 1 and result["removed"] >= 1
    assert ExportJob.objects.get(pk=stuck.pk).status == ExportStatus.FAILED
    assert not ExportJob.objects.filter(pk=old.pk).exists()
    import os

    assert not os.path.exists(path)
