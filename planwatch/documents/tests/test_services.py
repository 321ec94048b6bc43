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
