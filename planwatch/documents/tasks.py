"""Background jobs: thin and idempotent (load by id, call a service, safe to retry)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="documents.run_export", acks_late=True)
def run_export(job_id: int) -> str:
    from .services import export_run

    return export_run(job_id).status


@shared_task(name="documents.housekeeping")
def housekeeping(days: int = 30) -> dict:
    """Run by beat: fail export jobs that will never finish, delete finished ones older than
    `days` days with their files."""
    from .services import cleanup_exports, fail_stale_jobs

    failed = fail_stale_jobs()
    removed = cleanup_exports(days=days)
    return {"failed": failed, "removed": len(removed.removed), "files": removed.files}


@shared_task(name="documents.run_import", acks_late=True)
def run_import(job_id: int) -> str:
    """Read an uploaded document into a draft (documents.ingest.services.job_run)."""
    from .ingest.services import job_run

    return job_run(job_id).status


@shared_task(name="documents.import_housekeeping")
def import_housekeeping(days: int = 90) -> int:
    """Run nightly by beat (documents-import-housekeeping): fail import jobs lost by their worker, delete finished ones
    older than `days` days with their files."""
    from .ingest.services import cleanup_imports

    return cleanup_imports(days=days)
