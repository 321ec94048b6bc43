"""Celery application. In the embedded default (no PLANWATCH_REDIS_URL) tasks run
eagerly in-process, so the same task code runs with or without a broker."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("planwatch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
