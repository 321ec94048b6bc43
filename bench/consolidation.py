"""Time consolidate() and the consolidated view for the whole province with all demo data.

    uv run python manage.py migrate && uv run python manage.py load_demo
    uv run python bench/consolidation.py [--runs 30]

Prints p50/p95 (ms) and the number of queries of one run. Not a test."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from planwatch.orgs.models import Organisation  # noqa: E402
from planwatch.reporting.consolidation import consolidate  # noqa: E402
from planwatch.reporting.models import ReportingPeriod, TaskProgress, UnitReport  # noqa: E402


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    args = ap.parse_args()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    province = Organisation.objects.get(code="qn")
    # The busiest period: the most reports in it.
    period = max(ReportingPeriod.objects.filter(plan__code="qn-327-2025"), key=lambda p: p.reports.count())
    n_reports = UnitReport.objects.filter(period=period).count()
    n_lines = TaskProgress.objects.filter(report__period=period).count()
    print(f"database: {connection.vendor}; period: {period.label}; reports: {n_reports}; task lines: {n_lines}")

    with CaptureQueriesContext(connection) as ctx:
        con = consolidate(period, province)
    print(f"consolidate(): {len(ctx.captured_queries)} queries; {con.units_expected} units expected; "
          f"{sum(len(r.lines) for r in con.task_rows)} unit lines")

    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        consolidate(period, province)
        times.append((time.perf_counter() - t) * 1000)
    print(f"consolidate(): p50 {statistics.median(times):.1f} ms, p95 {pct(times, 95):.1f} ms over {args.runs} runs")

    client = Client()
    client.force_login(__import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model().objects.get(username="thuongtruc.skhcn"))
    url = reverse("period_consolidated", args=[period.pk])
    client.get(url)  # warm templates
    times = []
    size = 0
    for _ in range(args.runs):
        t = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        size = len(r.content)
        assert r.status_code == 200
    print(f"GET {url} (supervisor, whole province): p50 {statistics.median(times):.1f} ms, "
          f"p95 {pct(times, 95):.1f} ms over {args.runs} runs; page {size // 1024} KiB")


if __name__ == "__main__":
    main()
