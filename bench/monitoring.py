"""Benchmark of the monitoring overview at national scale (not a timed test).

    createdb -h 127.0.0.1 -U postgres planwatch_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/planwatch_bench
    uv run python manage.py migrate && uv run python manage.py load_demo
    uv run python manage.py generate_national
    uv run python bench/monitoring.py [--repeat 30] [--new-day]

Measures, in one run: the overview page for one province and for the nation through the
Django test client (p50/p95 over repeated requests) and, from the base tables (assignments,
tasks, the latest accepted progress line, periods, reports), the bare SQL that computes the
numbers the page shows:
  - "task totals": the status counts alone (the headline row of the page);
  - "page numbers": the status counts per unit below × task group (the unit table, the heat
    map and the totals), the timeliness of the latest due period and the units silent for two
    periods (the reporting row), and the two task warning lists (overdue; due within 30 days
    with no progress), grouped by task: units and earliest deadline per task.
Each bare result is checked equal to what the page's selectors return before timing. The
ratio page / bare SQL is printed against both; indicator statuses (a least-squares projection
per indicator, not expressible as one aggregate) are not in either bare figure.

Then, at the nation root, the reporting tab ("Báo cáo": the provinces with the sums of their
units, and the first page of the units list) and the ranking tab ("Xếp hạng thi đua": the
provinces, and the first page of the communes' table, every commune scored and ranked), each
beside the bare SQL of the same numbers: for the reporting tab, the per-province sums of
reports on time / late / missing over the last 12 due periods, computed from the base tables
(assignments, indicator responsibilities, periods, reports) and checked equal to what the page
shows; for the ranking, the SQL function the ranking module provides for its numbers
(ranking.ranking_numbers_sql or the first of RANKING_SQL_NAMES found)."""

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
from planwatch.reporting.periods import DEFAULT_DUE_DAY  # noqa: E402

# An assignment counts on the day while its task is not retired and the day is inside its
# validity (selectors.counts_on; the unit's last day is checked on o.valid_to).
LIVE = (
    "(t0.retired_on IS NULL OR t0.retired_on > %(today)s) AND (a.valid_from IS NULL OR a.valid_from <= %(today)s)"
    " AND (a.valid_to IS NULL OR a.valid_to >= %(today)s)"
)
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
  JOIN plans_task t0 ON t0.id = a.task_id
  WHERE o.path LIKE %(prefix)s AND (o.valid_to IS NULL OR o.valid_to >= %(today)s) AND {live}
), rows AS (
  SELECT t.deadline_kind AS kind, l.progress, l.completed_on, l.period_end, {extra_cols}
    CASE WHEN t.deadline_kind = 'yearly' THEN %(year_end)s::date
         WHEN t.deadline_kind = 'from_year' THEN GREATEST(t.deadline_due, %(year_end)s::date)
         ELSE t.deadline_due END AS due
  FROM asg JOIN plans_task t ON t.id = asg.task_id {extra_join}
  LEFT JOIN latest l ON l.task_id = asg.task_id AND l.org_id = asg.org_id
), st AS (
  SELECT {extra_keys} CASE
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
SELECT {extra_keys} status, count(*) FROM st GROUP BY {extra_keys} status
"""
TOTALS_SQL = BARE_SQL.format(extra_cols="", extra_join="", extra_keys="", live=LIVE)
# Everything the page shows about tasks, in one statement over the base tables: the status
# counts per child unit of the root (its own path for units assigned directly, as
# selectors.child_bucket() computes it) × task group — the unit table, the heat map and the
# totals — and the two warning lists grouped by task (overdue; due within 30 days with no
# progress): per task, how many units and the earliest deadline. The per-assignment statuses
# are computed once (a CTE used twice is materialised).
_ALL = BARE_SQL.replace(
    "SELECT DISTINCT a.task_id, a.org_id FROM", "SELECT DISTINCT a.task_id, a.org_id, o.path FROM"
).replace("SELECT {extra_keys} status, count(*) FROM st GROUP BY {extra_keys} status", "{final}")
PAGE_TASKS_SQL = _ALL.format(
    live=LIVE,
    extra_cols="asg.task_id, asg.org_id, asg.path, t.position, t.group_id, t.plan_id, "
    "SUBSTRING(asg.path, 1, STRPOS(SUBSTRING(asg.path, %(n)s + 1), '/') + %(n)s) AS child,",
    extra_join="", extra_keys="task_id, org_id, path, position, due, progress, group_id, plan_id, child,",
    final="""SELECT 'count' AS k, child, plan_id, group_id, status, count(*) AS n, NULL::date AS due
FROM st GROUP BY child, plan_id, group_id, status
UNION ALL
SELECT 'warn', NULL, task_id, NULL, status, count(*), min(due) FROM st
WHERE status = 'overdue' OR (status = 'due_soon' AND (progress IS NULL OR progress = 'not_started'))
GROUP BY task_id, status""",
)
REPORTING_SQL = """
WITH exp AS (
  SELECT a.org_id, t0.plan_id FROM plans_assignment a
  JOIN plans_task t0 ON t0.id = a.task_id JOIN orgs_organisation o ON o.id = a.org_id
  WHERE o.path LIKE %(prefix)s AND (o.valid_to IS NULL OR o.valid_to >= %(today)s) AND {live}
  UNION
  SELECT r.organisation_id, i.plan_id FROM plans_indicator_responsible r
  JOIN plans_indicator i ON i.id = r.indicator_id JOIN orgs_organisation o ON o.id = r.organisation_id
  WHERE o.path LIKE %(prefix)s AND NOT i.is_group AND (o.valid_to IS NULL OR o.valid_to >= %(today)s)
), per AS (
  SELECT id, plan_id, due_date, ROW_NUMBER() OVER (PARTITION BY plan_id ORDER BY "end" DESC, id DESC) AS rn
  FROM reporting_reportingperiod WHERE due_date < %(today)s AND kind <> 'ad_hoc'
), pair AS (
  SELECT exp.org_id,
    MAX(CASE WHEN per.rn = 1 AND r.id IS NOT NULL THEN
        CASE WHEN (r.submitted_at AT TIME ZONE %(tz)s)::date <= per.due_date THEN 2 ELSE 1 END ELSE 0 END) AS last_state,
    COUNT(r.id) AS n_sub, COUNT(DISTINCT per.id) AS n_per
  FROM exp JOIN per ON per.plan_id = exp.plan_id AND per.rn <= 2
  LEFT JOIN reporting_unitreport r ON r.org_id = exp.org_id AND r.period_id = per.id
       AND r.status <> 'returned' AND r.submitted_at IS NOT NULL
  GROUP BY exp.org_id, exp.plan_id
)
SELECT 'state' AS k, last_state, COUNT(*) FROM pair GROUP BY last_state
UNION ALL
SELECT 'silent', 0, COUNT(DISTINCT org_id) FROM pair WHERE n_per = 2 AND n_sub = 0
""".replace("{live}", LIVE)
STATES = {0: "missing", 1: "late", 2: "on_time"}


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
    ap.add_argument("--new-day", action="store_true",
                    help="also time the first requests of a new day before any scheduler ran (stale assessments "
                         "assessed in memory, nothing written; rolled back)")
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
        "year_start": date(today.year, 1, 1), "cutoff": S.reporting_cutoff(today, DEFAULT_DUE_DAY),  # the demo's and the synthetic nation's plans: due on the 10th
    }  # fmt: skip
    n_states = S.states_under(nation).count()
    print(f"PostgreSQL {connection.pg_version} · {Organisation.objects.filter(path__startswith=nation.path).count()} tổ chức · "
          f"{n_states} dòng nhiệm vụ–đơn vị · ngày {today:%d/%m/%Y} · {args.repeat} lần đo mỗi mục")  # fmt: skip
    for label, org in (("Tỉnh " + province.name, province), ("Toàn quốc", nation)):
        url = f"/giam-sat/don-vi/{org.pk}/"
        resp = client.get(url)
        assert resp.status_code == 200, resp.status_code
        p = {**params, "prefix": org.path + "%", "n": len(org.path), "tz": settings.TIME_ZONE}

        def totals(p=p):
            with connection.cursor() as cur:
                cur.execute(TOTALS_SQL, p)
                return dict(cur.fetchall())

        def page_numbers(p=p):
            with connection.cursor() as cur:
                cur.execute(PAGE_TASKS_SQL, p)
                tasks = cur.fetchall()
                cur.execute(REPORTING_SQL, p)
                rep = cur.fetchall()
            return tasks, rep

        rollup = lambda org=org: S.task_counts(org, today)  # noqa: E731
        # The same numbers from both sides, checked before anything is timed.
        assert totals() == rollup(), (totals(), rollup())
        rows, rep = page_numbers()
        tasks = [(child, group, status, n) for k, child, plan, group, status, n, _ in rows if k == "count"]
        heat = {(child, plan, group, status): n for k, child, plan, group, status, n, _ in rows if k == "count"}
        page_heat = {(c, p, g, st): n for (c, p, g), counts in S.heatmap(org, today).items() for st, n in counts.items()}
        assert heat == page_heat
        warn = {(t, st): (n, due) for k, _, t, _, st, n, due in rows if k == "warn"}
        page_warn = {}
        for key, (shown, n_tasks, n_rows) in S.task_warnings(org, today, limit=10**6).items():
            page_warn.update({(w.task_id, w.status): (w.units, w.due) for w in shown})
        assert warn == page_warn
        by_child: dict[str, dict[str, int]] = {}
        for child, _group, status, n in tasks:
            by_child.setdefault(child, {}).setdefault(status, 0)
            by_child[child][status] += n
        assert by_child == {k: dict(v) for k, v in S.task_counts_by_child(org, today).items()}
        summary = S.reporting_summary(org, today)
        rep_counts = {STATES[s]: n for k, s, n in rep if k == "state"}
        rep_counts["expected"] = sum(rep_counts.values())
        assert rep_counts == summary.counts, (rep_counts, summary.counts)
        assert [n for k, _, n in rep if k == "silent"] == [len(summary.silent)]

        page = timed(lambda: client.get(url), args.repeat)
        sql = timed(totals, args.repeat)
        psql = timed(page_numbers, args.repeat)
        rsql = timed(rollup, args.repeat)
        print(f"\n{label} ({url})")
        print(f"  trang tổng quan (Django test client):      p50 {statistics.median(page):7.1f} ms   p95 {pct(page, 95):7.1f} ms")
        print(f"  SQL thuần, bảng gốc – tổng theo trạng thái: p50 {statistics.median(sql):7.1f} ms   p95 {pct(sql, 95):7.1f} ms")
        print(f"  SQL thuần, bảng gốc – số liệu của trang:    p50 {statistics.median(psql):7.1f} ms   p95 {pct(psql, 95):7.1f} ms")
        print(f"  tổng theo trạng thái trên bảng tổng hợp:    p50 {statistics.median(rsql):7.1f} ms   p95 {pct(rsql, 95):7.1f} ms")
        print(f"  tỷ lệ trang / SQL số liệu của trang (p95):  {pct(page, 95) / pct(psql, 95):.2f}")
        print(f"  tỷ lệ trang / SQL tổng theo trạng thái (p95): {pct(page, 95) / pct(sql, 95):.2f}")
        print(f"  số đếm: {dict(sorted(totals().items()))}; báo cáo kỳ gần nhất: {summary.counts}, "
              f"{len(summary.silent)} đơn vị 2 kỳ liền không báo cáo")
    nation_tabs(client, nation, today, params, args.repeat)
    if args.new_day:
        new_day(client, today, (("Tỉnh " + province.name, province), ("Toàn quốc", nation)), max(3, args.repeat // 5))


# Per child of the root (the nation's provinces): units expected, reports on time / late /
# missing over the last 12 due periods of each plan, units with no report in the two latest,
# and the latest due period's timeliness — from the base tables. selectors.reporting_by_child
# must give the same numbers (it reads the expected pairs from the roll-up table).
REPORTING_TAB_SQL = """
WITH exp AS (
  SELECT a.org_id, t0.plan_id FROM plans_assignment a
  JOIN plans_task t0 ON t0.id = a.task_id JOIN plans_plan pl ON pl.id = t0.plan_id JOIN orgs_organisation o ON o.id = a.org_id
  WHERE pl.monitored AND o.path LIKE %(prefix)s AND (o.valid_to IS NULL OR o.valid_to >= %(today)s) AND {live}
  UNION
  SELECT r.organisation_id, i.plan_id FROM plans_indicator_responsible r
  JOIN plans_indicator i ON i.id = r.indicator_id JOIN orgs_organisation o ON o.id = r.organisation_id
  WHERE o.path LIKE %(prefix)s AND NOT i.is_group AND (o.valid_to IS NULL OR o.valid_to >= %(today)s)
    AND (o.valid_from IS NULL OR o.valid_from <= %(today)s) AND (i.retired_on IS NULL OR i.retired_on > %(today)s)
), per AS (
  SELECT id, plan_id, due_date, ROW_NUMBER() OVER (PARTITION BY plan_id ORDER BY "end" DESC, id DESC) AS rn
  FROM reporting_reportingperiod WHERE due_date < %(today)s AND kind <> 'ad_hoc'
), pair AS (
  SELECT exp.org_id,
    SUM(CASE WHEN r.id IS NOT NULL AND (r.submitted_at AT TIME ZONE %(tz)s)::date <= per.due_date THEN 1 ELSE 0 END) AS on_time,
    SUM(CASE WHEN r.id IS NOT NULL AND (r.submitted_at AT TIME ZONE %(tz)s)::date > per.due_date THEN 1 ELSE 0 END) AS late,
    SUM(CASE WHEN per.id IS NOT NULL AND r.id IS NULL THEN 1 ELSE 0 END) AS missing,
    COALESCE(MIN(per.rn) FILTER (WHERE r.id IS NOT NULL) - 1, COUNT(per.id)) AS run,
    MAX(CASE WHEN per.rn = 1 AND r.id IS NOT NULL AND (r.submitted_at AT TIME ZONE %(tz)s)::date <= per.due_date THEN 1 ELSE 0 END) AS l_on,
    MAX(CASE WHEN per.rn = 1 AND r.id IS NOT NULL AND (r.submitted_at AT TIME ZONE %(tz)s)::date > per.due_date THEN 1 ELSE 0 END) AS l_late,
    MAX(CASE WHEN per.rn = 1 AND r.id IS NULL THEN 1 ELSE 0 END) AS l_miss
  FROM exp LEFT JOIN per ON per.plan_id = exp.plan_id AND per.rn <= 12
  LEFT JOIN reporting_unitreport r ON r.org_id = exp.org_id AND r.period_id = per.id
       AND r.status <> 'returned' AND r.submitted_at IS NOT NULL
  GROUP BY exp.org_id, exp.plan_id
), unit AS (
  SELECT org_id, SUM(on_time) on_time, SUM(late) late, SUM(missing) missing, MAX(run) run,
         MAX(l_on) l_on, MAX(l_late) l_late, MAX(l_miss) l_miss FROM pair GROUP BY org_id
)
SELECT SUBSTRING(o.path, 1, STRPOS(SUBSTRING(o.path, %(n)s + 1), '/') + %(n)s) AS child, COUNT(*),
  SUM(on_time), SUM(late), SUM(missing), SUM(CASE WHEN run >= 2 THEN 1 ELSE 0 END), SUM(l_on), SUM(l_late), SUM(l_miss)
FROM unit JOIN orgs_organisation o ON o.id = unit.org_id GROUP BY 1
""".replace("{live}", LIVE)
# Names under which the ranking module may offer the bare SQL of the ranking's numbers.
RANKING_SQL_NAMES = ("ranking_numbers_sql", "bare_sql", "ranking_sql", "rank_numbers_sql", "scores_sql")


def _line(label, values):
    return f"  {label:<52} p50 {statistics.median(values):7.1f} ms   p95 {pct(values, 95):7.1f} ms"


def nation_tabs(client, nation, today, params, repeat):
    """The reporting and ranking tabs at the nation root, each beside its bare SQL."""
    from planwatch.monitoring import ranking

    p = {**params, "prefix": nation.path + "%", "n": len(nation.path), "tz": settings.TIME_ZONE}

    def bare_reporting():
        with connection.cursor() as cur:
            cur.execute(REPORTING_TAB_SQL, p)
            return {r[0]: tuple(int(x) for x in r[1:]) for r in cur.fetchall()}

    assert bare_reporting() == {k: tuple(v[1:]) for k, v in S.reporting_by_child(nation, today).items()}
    rep_url = f"/giam-sat/don-vi/{nation.pk}/bao-cao/"
    for url in (rep_url, rep_url + "?xem=don-vi", f"/giam-sat/don-vi/{nation.pk}/xep-hang/"):
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.status_code)
    rep_page = timed(lambda: client.get(rep_url), repeat)
    size = len(client.get(rep_url).content)
    units_page = timed(lambda: client.get(rep_url + "?xem=don-vi"), repeat)
    units_size = len(client.get(rep_url + "?xem=don-vi").content)
    rep_sql = timed(bare_reporting, repeat)
    rank_url = f"/giam-sat/don-vi/{nation.pk}/xep-hang/"
    rank_page = timed(lambda: client.get(rank_url), repeat)
    rank_size = len(client.get(rank_url).content)
    units_rank_url = rank_url + "?loai=xa-phuong"  # the largest kind table, first page (all its units scored and ranked)
    units_rank = timed(lambda: client.get(units_rank_url), repeat)
    print(f"\nToàn quốc – các trang ở gốc cả nước ({repeat} lần đo mỗi mục)")
    print(_line(f"trang Báo cáo (các tỉnh, {size / 1024:.0f} KiB)", rep_page))
    print(_line(f"trang Báo cáo, từng đơn vị trang 1 ({units_size / 1024:.0f} KiB)", units_page))
    print(_line("SQL thuần, bảng gốc – số liệu trang Báo cáo", rep_sql))
    print(f"  tỷ lệ trang Báo cáo / SQL thuần (p95): {pct(rep_page, 95) / pct(rep_sql, 95):.2f}")
    print(_line(f"trang Xếp hạng thi đua ({rank_size / 1024:.0f} KiB)", rank_page))
    print(_line("trang Xếp hạng, bảng xã, phường trang 1", units_rank))
    fn = next((getattr(ranking, n) for n in RANKING_SQL_NAMES if callable(getattr(ranking, n, None))), None)
    if fn is None:
        print("  SQL thuần của xếp hạng: mô-đun ranking chưa có hàm SQL thuần (" + ", ".join(RANKING_SQL_NAMES) + ")")
        return
    months = ranking.ranking_months(nation, today)
    month = months[0] if months else None

    def bare_ranking():
        return fn(nation, month, today)

    if hasattr(ranking, "ranking_counts"):  # the same numbers from both sides, before timing
        assert bare_ranking() == ranking.ranking_counts(nation, month, today)
    rank_sql = timed(bare_ranking, repeat)
    print(_line(f"SQL thuần – số liệu xếp hạng (ranking.{fn.__name__})", rank_sql))
    print(f"  tỷ lệ trang Xếp hạng / SQL thuần (p95): {pct(rank_page, 95) / pct(rank_sql, 95):.2f}")


class _Rollback(Exception):
    pass


def new_day(client, today, roots, repeat):
    """Every stored assessment dated yesterday, no scheduler: the page assesses them in memory
    (no write, no rebuild); the background thread that would store them is switched off."""
    from django.db import transaction

    from planwatch.monitoring.models import IndicatorState

    settings.PLANWATCH_MONITORING_BACKGROUND = "off"
    for label, org in roots:
        url = f"/giam-sat/don-vi/{org.pk}/"
        try:
            with transaction.atomic():
                IndicatorState.objects.update(assessed_on=today - timedelta(days=1))
                page = timed(lambda: client.get(url), repeat)
                raise _Rollback
        except _Rollback:
            pass
        print(f"\n{label}, ngày mới chưa đánh giá lại (chưa có lịch chạy): p50 {statistics.median(page):7.1f} ms   "
              f"p95 {pct(page, 95):7.1f} ms")

if __name__ == "__main__":
    main()
