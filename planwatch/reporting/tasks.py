"""Background jobs: thin and idempotent (load by id, call a service, safe to retry). In the
embedded default they run eagerly in-process (CELERY_TASK_ALWAYS_EAGER)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="reporting.deliver_outbox", autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def deliver_outbox(message_id: int) -> bool:
    from .services import deliver

    return deliver(message_id)


@shared_task(name="reporting.send_reminders")
def send_reminders_task(period_id: int, user_id: int) -> dict:
    """Reminders for one period on behalf of a supervisor; a second run the same day sends
    nothing more (send_reminders skips units already reminded today). Returns the account of
    what was done (ReminderResult.as_dict(): reminded units, people, e-mail addresses,
    units reachable only in the application, units not reachable)."""
    from django.contrib.auth import get_user_model

    from .models import ReportingPeriod
    from .services import send_reminders

    period = ReportingPeriod.objects.select_related("plan__owner").get(pk=period_id)
    user = get_user_model().objects.get(pk=user_id)
    return send_reminders(period, user).as_dict()


@shared_task(name="reporting.notify_deadlines")
def notify_deadlines_task() -> dict:
    """Daily (Celery beat): "Sắp đến hạn nộp báo cáo" to the units that have not sent a report
    due within PLANWATCH_DEADLINE_NOTICE_DAYS days. Once per period and unit, so a rerun or a
    retry tells nobody twice."""
    from dataclasses import asdict

    from .notices import notify_deadlines

    return asdict(notify_deadlines())
