"""Background jobs: thin and idempotent (load by id, call a service, safe to retry)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="documents.run_export", acks_late=True)
def run_export(job_id: int) -> str:
    from .services import export_run

    return export_run(job_id).status
