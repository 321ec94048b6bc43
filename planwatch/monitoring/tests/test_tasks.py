"""Scheduled jobs: the beat schedule names real tasks, and each does its work when run."""

from datetime import date, timedelta

import time_machine
from django.conf import settings

from config.celery import app
from planwatch.monitoring.models import IndicatorState
from planwatch.monitoring.services import ensure_fresh
from planwatch.monitoring.tasks import refresh_for_today


def test_every_scheduled_job_is_a_registered_task():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_the_midnight_job_reassesses_every_indicator_for_the_new_day(demo):
    day = date(2026, 3, 1)
    ensure_fresh(day)
    with time_machine.travel(day + timedelta(days=1, minutes=5)):
        n = refresh_for_today.delay().get()
        assert n == IndicatorState.objects.count() > 0
        assert set(IndicatorState.objects.values_list("assessed_on", flat=True)) == {day + timedelta(days=1)}
        assert refresh_for_today.delay().get() == 0  # already done: nothing more
