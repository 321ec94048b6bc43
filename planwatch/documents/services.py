"""Exports: building a report file, export jobs with progress, report templates.

A job runs in a Celery worker when there is a broker; in the embedded default (eager
Celery, no broker) it runs in a background thread of the web process so that the page can
poll its progress instead of waiting on one long request."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import close_old_connections, connection, transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from planwatch.lib.numbers import format_vn_number
from planwatch.lib.text import strip_accents
from planwatch.orgs.access import roles_over
from planwatch.orgs.models import Organisation, Role
from planwatch.reporting.models import ReportingPeriod

from .default_template import default_template_bytes
from .docx_report import TemplateProblem, check_template, render_docx
from .models import ExportFormat, ExportJob, ExportStatus, ReportTemplate
from .pdf import PdfError, docx_to_pdf
from .report_data import build_report_data
from .samples import sample_report_data
from .xlsx_report import render_xlsx

log = logging.getLogger(__name__)

EXPORT_ROLES = {Role.REPORTER, Role.APPROVER, Role.SUPERVISOR, Role.LEADER, Role.ADMIN}
TEMPLATE_MAX_BYTES = 5 * 1024 * 1024
Progress = Callable[[int, str], None]
# A job still "running" after this long lost its worker (a PDF gives up after 2 minutes); a
# job still "queued" after this long was never picked up (no worker, or the message was lost).
STALE_AFTER = timedelta(minutes=15)
STALE_ERROR = (
    "Quá trình tạo tệp bị gián đoạn (quá 15 phút chưa xong, có thể máy chủ xử lý đã dừng). "
    "Vui lòng bấm “Thử lại” để tạo lại tệp."
)
QUEUED_STALE_ERROR = (
    "Yêu cầu tạo tệp chưa được xử lý sau 15 phút (máy chủ xử lý có thể đang quá tải hoặc đã dừng). "
    "Vui lòng bấm “Thử lại” để gửi lại yêu cầu."
)
FAILED_MESSAGE = "Không tạo được tệp"


class ExportError(Exception):
    """A problem the user can act on; the message is shown as is."""


def can_export(user, org: Organisation) -> bool:
    return bool(roles_over(user, org) & EXPORT_ROLES)


# ---------------------------------------------------------------- templates


def active_template() -> ReportTemplate | None:
    return ReportTemplate.objects.filter(is_active=True).first()


def template_bytes(template: ReportTemplate | None) -> bytes:
    if template is None:
        return default_template_bytes()
    with template.file.open("rb") as fh:
        return fh.read()


def template_validate(blob: bytes) -> None:
    """Raise TemplateProblem unless `blob` renders the sample report."""
    if len(blob) > TEMPLATE_MAX_BYTES:
        raise TemplateProblem(f"Mẫu báo cáo quá lớn: tối đa {TEMPLATE_MAX_BYTES // (1024 * 1024)} MB.")
    check_template(blob, sample_report_data())


def template_activate(*, template: ReportTemplate) -> ReportTemplate:
    with transaction.atomic():
        ReportTemplate.objects.select_for_update().filter(is_active=True).exclude(pk=template.pk).update(is_active=False)
        template.is_active = True
        template.save(update_fields=["is_active"])
    return template


# ---------------------------------------------------------------- building one file


def _slug(text: str) -> str:
    ascii_ = strip_accents(text).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_).split())[:60]


def export_filename(period: ReportingPeriod, org: Organisation, fmt: str) -> str:
    return f"bao-cao-{_slug(org.short_name or org.name)}-{_slug(period.label)}.{fmt}"


def build_export(
    period: ReportingPeriod, org: Organisation, fmt: str, *, today: date, accepted_only: bool = False,
    template: bytes | None = None, progress: Progress | None = None,
) -> bytes:
    step = progress or (lambda pct, msg: None)
    step(10, "Đang tổng hợp số liệu của các đơn vị")
    data = build_report_data(period, org, today=today, accepted_only=accepted_only)
    if fmt == ExportFormat.XLSX:
        step(60, "Đang tạo bảng tính")
        return render_xlsx(data)
    step(50, "Đang tạo văn bản Word")
    docx = render_docx(data, template)
    if fmt == ExportFormat.DOCX:
        return docx
    step(70, "Đang chuyển sang PDF (LibreOffice)")
    return docx_to_pdf(docx)


# ---------------------------------------------------------------- jobs


def export_request(
    *, period: ReportingPeriod, org: Organisation, fmt: str, by, report_date: date | None = None,
    accepted_only: bool = False,
) -> ExportJob:
    if fmt not in ExportFormat.values:
        raise ExportError("Định dạng tệp không hợp lệ")
    if not can_export(by, org):
        raise PermissionDenied("Bạn không có quyền xuất báo cáo của đơn vị này")
    job = ExportJob.objects.create(
        period=period, org=org, fmt=fmt, created_by=by, accepted_only=accepted_only,
        report_date=report_date or timezone.localdate(), template=active_template(),
        filename=export_filename(period, org, fmt), message="Đang chờ xử lý",
    )
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(job_id: int) -> None:
    if getattr(settings, "PLANWATCH_EXPORTS_INLINE", False):
        export_run(job_id)  # tests: run now, in this thread and transaction
    elif settings.CELERY_TASK_ALWAYS_EAGER:
        threading.Thread(target=_run_in_thread, args=(job_id,), name=f"export-{job_id}", daemon=True).start()
    else:
        from .tasks import run_export

        run_export.delay(job_id)


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        export_run(job_id)
    finally:
        connection.close()


def _update_running(job_id: int, **fields) -> bool:
    """Write `fields` only while the job is still running; False when it no longer is."""
    return bool(ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(**fields))


def export_run(job_id: int) -> ExportJob:
    """Build the job's file. Idempotent: a finished job is left alone, and a retry of a job
    that died half-way simply builds the file again.

    Finished states are final, and the first one written wins. A worker that was only slow
    and ends after fail_stale_jobs() marked its job failed does not turn it into "done": the
    user has seen the failure with its "Thử lại" link (and may well have retried, making a new
    job); a job flipping to done later, or its message being overwritten by a late progress
    step, would contradict what they saw. The late worker's file is deleted and the job stays
    failed with the stale message; the log says so. Every write after the start is therefore
    conditional on the job still being "running" (one UPDATE … WHERE status = 'running', so
    it cannot interleave with fail_stale_jobs' own UPDATE)."""
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(of=("self",))
            .select_related("period__plan", "org", "template")
            .get(pk=job_id)
        )
        if job.is_finished:
            return job
        job.status, job.started_at, job.progress, job.message = ExportStatus.RUNNING, timezone.now(), 5, "Bắt đầu"
        job.save(update_fields=["status", "started_at", "progress", "message"])

    started = time.monotonic()

    def progress(pct: int, message: str) -> None:
        _update_running(job_id, progress=pct, message=message)

    saved_name = ""
    try:
        blob = build_export(
            job.period, job.org, job.fmt, today=job.report_date, accepted_only=job.accepted_only,
            template=template_bytes(job.template) if job.fmt != ExportFormat.XLSX else None, progress=progress,
        )
        progress(90, "Đang lưu tệp")
        job.file.save(job.filename, ContentFile(blob), save=False)
        saved_name = job.file.name
        job.status, job.progress, job.message = ExportStatus.DONE, 100, "Đã tạo xong"
    except (TemplateProblem, PdfError, ExportError) as e:
        job.status, job.error, job.message = ExportStatus.FAILED, str(e), FAILED_MESSAGE
    except Exception as e:  # noqa: BLE001 - the job must end in a state the page can show
        log.exception("export job %s failed", job_id)
        job.status, job.error, job.message = (
            ExportStatus.FAILED, f"Lỗi không mong đợi khi tạo tệp ({e.__class__.__name__}). Vui lòng thử lại.",
            FAILED_MESSAGE,
        )
    job.finished_at = timezone.now()
    job.seconds = round(time.monotonic() - started, 3)
    finished = _update_running(
        job_id, file=job.file.name or "", status=job.status, progress=job.progress, message=job.message,
        error=job.error, finished_at=job.finished_at, seconds=job.seconds,
    )
    if not finished:
        ended_as = job.status
        if saved_name:
            job.file.storage.delete(saved_name)
        job.refresh_from_db()
        log.warning(
            "export job %s ended as %s after it had been marked %s (%s); the job stays %s%s",
            job_id, ended_as, job.status, job.error or job.message, job.status,
            ", its late file was deleted" if saved_name else "",
        )
    return job


# ---------------------------------------------------------------- dead jobs and old files


def fail_stale_jobs(jobs: QuerySet[ExportJob] | None = None, *, now: datetime | None = None) -> int:
    """Mark as failed the jobs (of `jobs`, default all) that will never finish on their own:
    still "running" STALE_AFTER after they started (their worker died), or still "queued"
    STALE_AFTER after they were requested (no worker ever picked them up). The page would
    otherwise poll for ever; the user sees the reason and the "Thử lại" link instead. Returns
    how many were marked. A failed job stays failed (see export_run): a late delivery of the
    queued task does not start it, a slow worker that ends later does not overwrite it."""
    now = now or timezone.now()
    qs = ExportJob.objects.all() if jobs is None else jobs
    cutoff = now - STALE_AFTER
    running = qs.filter(status=ExportStatus.RUNNING, started_at__lt=cutoff).update(
        status=ExportStatus.FAILED, error=STALE_ERROR, message=FAILED_MESSAGE, finished_at=now,
    )
    queued = qs.filter(status=ExportStatus.QUEUED, created_at__lt=cutoff).update(
        status=ExportStatus.FAILED, error=QUEUED_STALE_ERROR, message=FAILED_MESSAGE, finished_at=now,
    )
    return running + queued


def job_checked(job: ExportJob, *, now: datetime | None = None) -> ExportJob:
    """The job as a page should show it: a dead "running" or forgotten "queued" job is failed first."""
    if not job.is_finished and fail_stale_jobs(ExportJob.objects.filter(pk=job.pk), now=now):
        job.refresh_from_db()
    return job


@dataclass
class CleanupResult:
    days: int
    removed: list[str] = field(default_factory=list)  # one Vietnamese line per deleted job
    files: int = 0
    bytes: int = 0


def cleanup_exports(*, days: int = 30, now: datetime | None = None) -> CleanupResult:
    """Delete finished export jobs (done or failed) that finished more than `days` days ago,
    with their files. Rows go in one transaction; files are removed after it commits (a
    leftover file is harmless, a row pointing at a missing file is not)."""
    if days < 1:
        raise ExportError("Số ngày phải là số nguyên dương")
    now = now or timezone.now()
    fail_stale_jobs(now=now)
    result = CleanupResult(days=days)
    with transaction.atomic():
        old = list(
            ExportJob.objects.select_for_update(of=("self",))
            .annotate(ended=Coalesce("finished_at", "created_at"))
            .filter(status__in=[ExportStatus.DONE, ExportStatus.FAILED], ended__lt=now - timedelta(days=days))
            .select_related("period", "org")
            .order_by("ended", "pk")
        )
        files = []
        for job in old:
            what = "không có tệp"
            if job.file and job.file.storage.exists(job.file.name):
                size = job.file.storage.size(job.file.name)
                files.append((job.file.storage, job.file.name))
                result.files += 1
                result.bytes += size
                what = f"tệp {job.filename}, {format_vn_number(size)} byte"
            ended = timezone.localtime(job.ended).strftime("%d/%m/%Y")
            result.removed.append(
                f"{job.org.name} – {job.period.label} ({job.get_fmt_display()}, "
                f"{job.get_status_display()} {ended}): {what}"
            )
        ExportJob.objects.filter(pk__in=[j.pk for j in old]).delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return result
