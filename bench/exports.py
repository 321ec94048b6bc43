"""Time building the province's consolidated report files for the demo period
(≈100 units × 23 tasks): DOCX (report data + template + appendix tables) and XLSX
(report data + two sheets), end to end as an export job does it. Not a test.

    uv run python manage.py migrate && uv run python manage.py load_demo
    uv run python bench/exports.py [--runs 5] [--pdf]

Targets: DOCX ≤ 3 s, XLSX ≤ 1 s."""

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
from django.test.utils import CaptureQueriesContext  # noqa: E402

from planwatch.documents.report_data import build_report_data  # noqa: E402
from planwatch.documents.selectors import demo_period  # noqa: E402
from planwatch.documents.services import build_export  # noqa: E402
from planwatch.orgs.models import Organisation  # noqa: E402
from planwatch.reporting.models import TaskProgress, UnitReport  # noqa: E402


def timed(fn, runs: int) -> tuple[float, float, object]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), max(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pdf", action="store_true", help="also time the LibreOffice conversion (once)")
    args = ap.parse_args()
    period = demo_period()
    if period is None:
        sys.exit("No demo period with reports: run load_demo first")
    root = Organisation.objects.get(code="qn")
    today = period.due_date
    reports = UnitReport.objects.filter(period=period).count()
    lines = TaskProgress.objects.filter(report__period=period).count()
    print(f"{period.plan.code} – {period.label}: {reports} unit reports, {lines} task progress lines, "
          f"{connection.vendor}")
    with CaptureQueriesContext(connection) as q:
        data = build_report_data(period, root, today=today)
    print(f"report data: {len(data.tasks)} tasks × {sum(t.assigned for t in data.tasks)} assignments, "
          f"{len(data.indicators)} indicators, {len(q)} queries")
    for fmt, target in (("docx", 3.0), ("xlsx", 1.0)):
        med, worst, blob = timed(lambda f=fmt: build_export(period, root, f, today=today), args.runs)
        verdict = "OK" if worst <= target else "OVER TARGET"
        print(f"{fmt.upper()}: median {med:.2f} s, max {worst:.2f} s over {args.runs} runs "
              f"({len(blob) // 1024} KiB); target ≤ {target:.0f} s: {verdict}")
    med, _, _ = timed(lambda: build_report_data(period, root, today=today), args.runs)
    print(f"  of which report data (consolidation + statuses + indicator trend): median {med:.2f} s")
    if args.pdf:
        med, _, blob = timed(lambda: build_export(period, root, "pdf", today=today), 1)
        print(f"PDF (DOCX + LibreOffice): {med:.2f} s ({len(blob) // 1024} KiB)")


if __name__ == "__main__":
    main()
