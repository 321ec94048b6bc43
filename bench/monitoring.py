"""Benchmark of the monitoring overview at national scale (not a timed test).

    createdb -h 127.0.0.1 -U postgres planwatch_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/planwatch_bench
    uv run python manage.py migrate && uv run python manage.py load_demo
    uv run python manage.py generate_national
    uv run python bench/monitoring.py [--repeat 30]

Measures, in one run: the overview page for one province and for the nation through the
Django test client (p50/p95 over repeated requests), the bare SQL aggregate that computes the
same task-status numbers from the base tables (assignments + the latest accepted progress
line), the same aggregate over the roll-up table, and prints the ratios."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from planwatch.monitoring import selectors as S  # noqa: E402
from planwatch.orgs.models import Organisation  # noqa: E402

BARE_SQL = """
WITH latest AS (
  SELECT DISTINCT ON (tp.task_id, r.org_id) tp.task_id, r.org_id, tp.status AS progress, tp.completed_on, p."end" AS period_end
  FROM reporting_taskprogress tp
  JOIN reporting_unitreport r ON r.id = tp.report_id
  JOIN reporting_reportingperiod p ON p.id = r.period_id
  JOIN orgs_organisation o ON o.id = r.org_id
  WHERE r.status = 'accepted' AND o.path LIKE %(prefix)s
  ORDER BY tp.task_id, r.org_id, p."end" DESC, r.id DESC
), asg AS (
  SELECT DISTINCT a.task_id, a.org_id FROM plans_assignment a JOIN orgs_organisation o ON o.id = a.org_id
  WHERE o.path LIKE %(prefix)s
), rows AS (
  SELECT t.deadline_kind AS kind, l.progress, l.completed_on, l.period_end,
    CASE WHEN t.deadline_kind = 'yearly' THEN %(year_end)s::date
         WHEN t.deadline_kind = 'from_year' THEN GREATEST(t.deadline_due, %(year_end)s::date)
         ELSE t.deadline_due END AS due
  FROM asg JOIN plans_task t ON t.id = asg.task_id
  LEFT JOIN latest l ON l.task_id = asg.task_id AND l.org_id = asg.org_id
), st AS (
  SELECT CASE
    WHEN kind = 'recurring' AND period_end >= %(cutoff)s THEN 'reported'
    WHEN kind = 'recurring' THEN 'not_reported'
    WHEN progress = 'done' AND NOT (kind IN ('yearly','from_year') AND completed_on < %(year_start)s)
         AND (due IS NULL OR completed_on IS NULL OR completed_on <= due) THEN 'done_on_time'
    WHEN progress = 'done' AND NOT (kind IN ('yearly','from_year') AND completed_on < %(year_start)s) THEN 'done_late'
    WHEN due < %(today)s THEN 'overdue'
    WHEN due <= %(soon)s THEN 'due_soon'
    WHEN progress = 'in_progress' THEN 'in_progress'
    ELSE 'not_started' END AS status
  FROM rows
)
SELECT status, count(*) FROM st GROUP BY status
"""


def pct(values, q):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q / 100 * (len(values) - 1))))
    return values[k]


def timed(fn, repeat):
    fn()  # warm-up
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--province", default="nat-51", help="code of the province to measure")
    args = ap.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL (see the docstring)")
    settings.ALLOWED_HOSTS = ["*"]
    nation = Organisation.objects.get(code="nat-vn")
    province = Organisation.objects.get(code=args.province)
    user = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.get(username="admin")
    client = Client()
    client.force_login(user)
    today = timezone.localdate()
    params = {
        "today": today, "soon": today + timedelta(days=S.DUE_SOON_DAYS), "year_end": date(today.year, 12, 31),
        "year_start": date(today.year, 1, 1), "cutoff": S.reporting_cutoff(today),
    }  # fmt: skip
    n_states = S.states_under(nation).count()
    print(f"PostgreSQL {connection.pg_version} · {Organisation.objects.filter(path__startswith=nation.path).count()} tổ chức · "
          f"{n_states} dòng nhiệm vụ–đơn vị · ngày {today:%d/%m/%Y} · {args.repeat} lần đo mỗi mục")  # fmt: skip
    for label, org in (("Tỉnh " + province.name, province), ("Toàn quốc", nation)):
        url = f"/giam-sat/don-vi/{org.pk}/"
        resp = client.get(url)
        assert resp.status_code == 200, resp.status_code

        def bare(org=org):
            with connection.cursor() as cur:
                cur.execute(BARE_SQL, {**params, "prefix": org.path + "%"})
                return dict(cur.fetchall())

        rollup = lambda org=org: S.task_counts(org, today)  # noqa: E731
        assert bare() == rollup(), (bare(), rollup())  # the same numbers, from both sides
        page = timed(lambda: client.get(url), args.repeat)
        sql = timed(bare, args.repeat)
        rsql = timed(rollup, args.repeat)
        print(f"\n{label} ({url})")
        print(f"  trang tổng quan (Django test client): p50 {statistics.median(page):7.1f} ms   p95 {pct(page, 95):7.1f} ms")
        print(f"  SQL thuần trên bảng gốc:               p50 {statistics.median(sql):7.1f} ms   p95 {pct(sql, 95):7.1f} ms")
        print(f"  cùng phép đếm trên bảng tổng hợp:      p50 {statistics.median(rsql):7.1f} ms   p95 {pct(rsql, 95):7.1f} ms")
        print(f"  tỷ lệ trang / SQL thuần (p95):         {pct(page, 95) / pct(sql, 95):.2f}")
        print(f"  số đếm: {dict(sorted(bare().items()))}")


if __name__ == "__main__":
    main()
