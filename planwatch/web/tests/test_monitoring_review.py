"""What a leader sees on the monitoring pages after the review: one heat map per plan with a
graded scale, warnings grouped by task, a ranking with shared ranks and its notation
explained, paged lists, plans named by their document number, the worst units in the chart,
and a home page that sends leaders to the monitoring pages."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from planwatch.monitoring import selectors as S
from planwatch.monitoring.services import ensure_fresh
from planwatch.web.templatetags.monitoring_tables import heat_class, heat_text

PLAN_CODES = ("qn-327-2025", "sontinh-kh-2025", "nqcp71-qn", "thientin-kh-2025")
BAD = {"quá hạn", "hoàn thành quá hạn", "chưa báo cáo"}


@pytest.fixture
def today(db):
    day = timezone.localdate()
    ensure_fresh(day)
    return day


@pytest.fixture
def leader_client(client, demo):
    client.force_login(demo.leader)
    return client


def _get(client, url) -> str:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.content.decode()


def _card(html: str, id_: str) -> str:
    start = html.index(f'id="{id_}"')
    return html[start:html.index("</div>", start)]


def _list_total(html: str) -> int:
    m = re.search(r'id="task-filters">([\d.]+) lượt giao', html)
    return int(m.group(1).replace(".", ""))


def _list_rows(html: str) -> list[tuple[int, int, str]]:
    """(task, unit, status label) of each row of the task list."""
    table = html.split('id="task-list"')[1].split("</table>")[0]
    out = []
    for row in re.findall(r'<tr data-task="(\d+)">(.*?)</tr>', table, re.S):
        task, body = row
        org = re.search(r'/giam-sat/don-vi/(\d+)/"', body).group(1)
        status = re.search(r'<span class="badge [^"]*">([^<]+)</span>', body).group(1)
        out.append((int(task), int(org), status))
    return out


# ----------------------------------------------------------------------------- 1. heat maps


def test_one_heat_map_per_plan_titled_by_its_document_number_with_that_plans_groups(leader_client, demo, today):
    from planwatch.plans.models import TaskGroup

    html = _get(leader_client, f"/giam-sat/don-vi/{demo.province.pk}/")
    heat = html.split('id="heatmap"')[1]
    shown = [int(p) for p in re.findall(r'<details class="heat-plan" data-plan="(\d+)"', heat)]
    states = S.with_status(S.states_under(demo.province), today)
    assert len(shown) == len(set(shown))
    assert set(shown) == set(states.values_list("plan_id", flat=True))
    assert len(shown) >= 2  # the province plan and the Sơn Tịnh plan (71/NQ-CP is kept for its reports only)
    assert "<summary><strong>327/QĐ-UBND</strong>" in heat
    for code in PLAN_CODES:
        assert code not in html
    for plan_id in shown:
        block = heat.split(f'<details class="heat-plan" data-plan="{plan_id}"')[1].split("</details>")[0]
        group_ids = set(states.filter(plan_id=plan_id).values_list("group_id", flat=True))
        groups = list(TaskGroup.objects.filter(pk__in=group_ids).order_by("position", "code"))
        # the columns are this plan's groups, each named in full in its tooltip
        titles = re.findall(r'<th class="group" title="([^"]*)">', block)
        assert titles == [escape(f"{g.code}. {g.name}") for g in groups]
        for g in groups:
            assert f'<span class="code">{g.code}</span>' in block
        linked = {int(x) for x in re.findall(r"nhom=(\d+)", block)}
        assert linked <= {g.pk for g in groups}


def test_a_heat_cell_says_what_its_list_shows(leader_client, demo, today):
    html = _get(leader_client, f"/giam-sat/don-vi/{demo.province.pk}/")
    block = html.split(f'<details class="heat-plan" data-plan="{demo.plan.pk}"')[1].split("</details>")[0]
    cells = re.findall(
        r'<td class="cell (h\w+)"><a href="([^"]+)" data-pen="(\d+)/(\d+)" title="(\d+)/(\d+) lượt giao">([^<]+)</a>', block
    )
    assert cells
    cls, href, pen, out_of, bad, total, text = next(c for c in cells if c[4] != "0")
    page = _get(leader_client, href.replace("&amp;", "&"))
    rows = _list_rows(page)
    assert _list_total(page) == len(rows) == int(total)
    assert sum(s in BAD for _, _, s in rows) == int(bad)
    # the colour weighs an overdue (or unreported) assignment 1 and one finished late ½
    late = sum(s == "hoàn thành quá hạn" for _, _, s in rows)
    assert int(pen) == 2 * (int(bad) - late) + late and int(out_of) == 2 * int(total)
    assert cls == heat_class(int(pen), int(out_of)) and text == heat_text(int(pen), int(out_of))
    # the list is that plan's group only, named with its plan
    assert "(327/QĐ-UBND)" in page.split('id="task-filters"')[1].split("</p>")[0]
    assert {t for t, _, _ in rows} <= set(demo.plan.tasks.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "bad,total,cls,text",
    [
        (0, 0, "hnone", None), (0, 12, "h0", "0%"), (1, 1000, "h1", "<1%"), (146, 1000, "h1", "14%"),
        (15, 100, "h2", "15%"), (29, 100, "h2", "29%"), (30, 100, "h3", "30%"), (49, 100, "h3", "49%"),
        (50, 100, "h4", "50%"), (3, 3, "h4", "100%"),
    ],
)  # fmt: skip
def test_the_heat_scale_is_graded(bad, total, cls, text):
    assert heat_class(bad, total) == cls
    if text:
        assert heat_text(bad, total) == text


def test_the_heat_map_has_a_legend_and_30_percent_is_not_100_percent(leader_client, demo, today):
    html = _get(leader_client, f"/giam-sat/don-vi/{demo.province.pk}/")
    legend = _card(html, "heat-legend")
    for label in ("0%", "dưới 15%", "15% – dưới 30%", "30% – dưới 50%", "từ 50%", "không giao nhiệm vụ"):
        assert label in legend
    cells = re.findall(r'<td class="cell (h\w+)"><a [^>]*data-pen="(\d+)/(\d+)"', html)
    seen = set()
    for cls, pen, out_of in cells:
        assert cls == heat_class(int(pen), int(out_of))
        seen.add(cls)
    assert len(seen) >= 3  # not one pink for everything from 30% to 100%


def test_heat_map_rows_of_units_with_the_same_tasks_differ(leader_client, demo, today):
    """The communes carry the same fanned-out tasks and as many late ones; which are overdue
    and which were finished late differs, and the rows show it (92 identical rows before)."""
    html = _get(leader_client, f"/giam-sat/don-vi/{demo.province.pk}/")
    block = html.split(f'<details class="heat-plan" data-plan="{demo.plan.pk}"')[1].split("</details>")[0]
    rows = re.findall(r"<tr data-org=\"\d+\">(.*?)</tr>", block, re.S)
    patterns = [tuple(re.findall(r'<td class="cell (h\w+)"><a [^>]*>([^<]+)</a>', r)) for r in rows]
    assert len(rows) > 50
    most = max(patterns.count(p) for p in set(patterns))
    assert most <= len(rows) // 3, f"{most} of {len(rows)} rows alike"


# ----------------------------------------------------------------------------- 2. warnings


def test_overdue_warnings_are_grouped_by_task_with_their_units(leader_client, demo, today):
    rows = list(S.task_list(demo.province, today, status="overdue"))
    assert rows, "the demo has overdue assignments"
    by_task = Counter(r.task_id for r in rows)
    first_units: dict[int, list[str]] = {}
    for r in sorted(rows, key=lambda r: (r.org_path, r.org_id)):
        first_units.setdefault(r.task_id, []).append(r.org.name)
    html = _get(leader_client, f"/giam-sat/don-vi/{demo.province.pk}/")
    card = _card(html, "warn-overdue")
    assert f"{len(rows)} lượt giao</a> của {len(by_task)} nhiệm vụ" in card
    items = re.findall(r'<li data-task="(\d+)">(.*?)</li>', card, re.S)
    ids = [int(t) for t, _ in items]
    assert len(ids) == len(set(ids)) == min(10, len(by_task))  # each task once
    assert [by_task[t] for t in ids] == sorted((by_task[t] for t in ids), reverse=True)  # widest first
    assert min(by_task[t] for t in ids) >= max((n for t, n in by_task.items() if t not in ids), default=0)
    for t, text in items:
        t = int(t)
        assert f"quá hạn ở <strong>{by_task[t]} đơn vị</strong>" in text
        assert f"trang_thai=overdue&amp;nhiem_vu={t}" in text
        for name in first_units[t][:3]:
            assert name in text
        if by_task[t] > 3:
            assert f"và {by_task[t] - 3} đơn vị khác" in text
    # the link opens exactly those assignments
    t = ids[0]
    page = _get(leader_client, f"/giam-sat/don-vi/{demo.province.pk}/nhiem-vu/?trang_thai=overdue&nhiem_vu={t}")
    listed = _list_rows(page)
    assert _list_total(page) == len(listed) == by_task[t]
    assert {x[0] for x in listed} == {t} and {x[2] for x in listed} == {"quá hạn"}
    if len(by_task) > 10:
        assert f"Xem cả {len(by_task) - 10} nhiệm vụ quá hạn khác" in card


def test_due_soon_without_progress_is_grouped_by_task(leader_client, demo, today):
    from planwatch.monitoring.models import TaskState

    task = demo.plan.tasks.exclude(deadline_spec__kind="recurring").order_by("position").first()
    states = TaskState.objects.filter(task=task, org_path__startswith=demo.province.path)
    n = states.update(deadline_kind="month", deadline_due=today + timedelta(days=10), progress="")
    assert n >= 1
    html = _get(leader_client, f"/giam-sat/don-vi/{demo.province.pk}/")
    card = _card(html, "warn-soon")
    soon = list(S.task_list(demo.province, today, status="due_soon", no_progress=True))
    assert f"{len(soon)} lượt giao</a> của {len({s.task_id for s in soon})} nhiệm vụ" in card
    item = re.search(rf'<li data-task="{task.pk}">(.*?)</li>', card, re.S).group(1)
    units = sum(1 for s in soon if s.task_id == task.pk)
    assert f"sắp đến hạn mà chưa báo cáo tiến độ ở <strong>{units} đơn vị</strong>" in item
    assert f"(hạn {(today + timedelta(days=10)):%d/%m/%Y})" in item
    assert f"trang_thai=due_soon&amp;chua_bao_cao=1&amp;nhiem_vu={task.pk}" in item
    assert card.count(f'data-task="{task.pk}"') == 1


# ----------------------------------------------------------------------------- 3. ranking


def test_equal_scores_share_a_rank():
    from decimal import Decimal

    from planwatch.monitoring.ranking import RankRow, Score, assign_ranks

    rows = [RankRow(i, Score(None, None, None, None, Decimal(t), "green"), None, (0, 0))
            for i, t in enumerate(["90", "80", "75", "75", "75", "60", "60", "10"])]  # fmt: skip
    assert [r.rank for r in assign_ranks(rows)] == [1, 2, 3, 3, 3, 6, 6, 8]


def test_the_ranking_page_ranks_real_units_with_shared_ranks_and_explains_its_notation(leader_client, demo, today):
    from planwatch.monitoring import ranking
    from planwatch.orgs.models import Organisation, OrgKind
    from planwatch.reporting.models import ReportingPeriod

    groups = list(Organisation.objects.filter(kind=OrgKind.GROUP, path__startswith=demo.province.path))
    expected = S.reporting_by_unit(demo.province, today)
    assert any(g.pk in expected for g in groups), "the demo has a collective that owes reports"
    html = _get(leader_client, f"/giam-sat/don-vi/{demo.province.pk}/xep-hang/")
    communes_html = _get(leader_client, f"/giam-sat/don-vi/{demo.province.pk}/xep-hang/?loai=xa-phuong")
    any_tie = False
    for page in (html, communes_html):  # departments first, then communes: one table each
        table = page.split('id="ranking"')[1].split("</table>")[0]
        for g in groups:
            assert g.name not in table and f'data-org="{g.pk}"' not in table
        rows = re.findall(r'<td class="num rank">(\d+)(.*?)</td>.*?<td class="num"><strong>([\d,]+)</strong>', table, re.S)
        assert len(rows) > 10
        scores = [s for _, _, s in rows]
        for i, (rank, note, s) in enumerate(rows):
            higher = sum(1 for x in scores if float(x.replace(",", ".")) > float(s.replace(",", ".")))
            assert int(rank) == higher + 1
            assert ("đồng hạng" in note) == (scores.count(s) > 1)
        any_tie = any_tie or any(scores.count(s) > 1 for s in scores)
    assert any_tie  # the demo's communes have a few exact ties
    assert demo.skhcn.name in html.split('id="ranking"')[1] and demo.thientin.name not in html.split('id="ranking"')[1]
    page2 = _get(leader_client, f"/giam-sat/don-vi/{demo.province.pk}/xep-hang/?loai=xa-phuong&trang=2")
    assert demo.thientin.name in communes_html.split('id="ranking"')[1] + page2.split('id="ranking"')[1]
    # the notation and the period window in words
    assert "(đúng hạn/trễ hạn/không gửi)" in html and "ví dụ (5/1/0) là 5 kỳ đúng hạn, 1 kỳ trễ hạn, 0 kỳ không gửi" in html
    month = ranking.ranking_months(demo.province, today)[0]
    on = ranking.judged_on(demo.province, month, today)
    plans = S.states_under(demo.province).values("plan_id")
    due = max(ReportingPeriod.objects.filter(plan_id=p, due_date__lt=on).exclude(kind="ad_hoc").count()
              for p in set(plans.values_list("plan_id", flat=True)))  # fmt: skip
    assert f"xét tối đa 12 kỳ gần nhất đã đến hạn (hiện có {min(due, 12)} kỳ)" in html
    assert "(12 kỳ gần nhất đã đến hạn)" not in html


# ----------------------------------------------------------------------------- 4. lists and charts


def test_the_task_list_is_paged_and_keeps_its_filters(leader_client, demo, today):
    total = S.task_list(demo.province, today).count()
    assert total > 200
    base = f"/giam-sat/don-vi/{demo.province.pk}/nhiem-vu/?don_vi={demo.province.pk}"
    html = _get(leader_client, base)
    assert _list_total(html) == total
    assert f"Hiển thị 1–100 trong {total:,} lượt giao".replace(",", ".") in html
    pages = -(-total // 100)
    assert f"Trang 1 / {pages}" in html and "Trang sau ›" in html and "Trang trước" not in html
    seen = []
    for n in range(1, pages + 1):
        page = _get(leader_client, f"{base}&trang={n}")
        if n > 1:
            assert "‹ Trang trước" in page
        if n < pages:
            nxt = re.search(r'<a href="\?([^"]+)" rel="next">Trang sau ›</a>', page).group(1).replace("&amp;", "&")
            assert f"don_vi={demo.province.pk}" in nxt and f"trang={n + 1}" in nxt
        seen += [(t, o) for t, o, _ in _list_rows(page)]
    assert len(seen) == len(set(seen)) == total
    # a page past the end shows the last page, not an error
    assert "Trang " + str(pages) + " / " in _get(leader_client, f"{base}&trang=999")


def test_plans_are_named_by_document_number_not_internal_code(leader_client, demo, today):
    pages = [
        f"/giam-sat/don-vi/{demo.province.pk}/",
        f"/giam-sat/don-vi/{demo.province.pk}/nhiem-vu/?ke_hoach={demo.district_plan.pk}",
        f"/giam-sat/don-vi/{demo.province.pk}/nhiem-vu/?trang_thai=overdue",
        f"/giam-sat/don-vi/{demo.province.pk}/chi-tieu/",
    ]
    s = S.with_status(S.states_under(demo.province).filter(plan=demo.district_plan), today).first()
    pages.append(f"/giam-sat/don-vi/{s.org_id}/nhiem-vu/{s.task_id}/")
    for url in pages:
        html = _get(leader_client, url)
        for code in PLAN_CODES:
            assert code not in html, (url, code)
    district = _get(leader_client, pages[1])
    assert "Kế hoạch chưa ghi số của UBND huyện Sơn Tịnh" in district.split('id="task-list"')[1]
    assert "<td class=\"small\" title=\"" in _get(leader_client, pages[3])  # the plan column carries the full name
    assert "327/QĐ-UBND" in _get(leader_client, pages[3]).split('id="indicator-list"')[1]


def test_the_bar_chart_draws_the_units_with_most_overdue_and_says_so(leader_client, demo, today):
    by_child = S.task_counts_by_child(demo.province, today)
    html = _get(leader_client, f"/giam-sat/don-vi/{demo.province.pk}/")
    data = json.loads(re.search(r'<script id="monitoring-chart" type="application/json">(.*?)</script>', html, re.S).group(1))
    names = data["children"]["names"]
    n_units = html.split('id="children"')[1].split("</table>")[0].count("<tr data-org=")
    assert n_units > 40 and len(names) == 40
    caption = _card(html, "chart-children-caption")
    assert f"40 đơn vị có nhiều lượt quá hạn nhất (trong tổng số {n_units} đơn vị); xem bảng dưới cho tất cả." in caption
    overdue = data["children"]["series"][[s["key"] for s in data["children"]["series"]].index("overdue")]["data"]
    assert overdue == sorted(overdue, reverse=True)
    all_overdue = sorted((c.get("overdue", 0) for c in by_child.values()), reverse=True)
    assert overdue == all_overdue[:40]  # the 40 worst, not the first 40 by name


def test_the_overview_costs_no_more_queries_than_before(leader_client, demo, today, django_assert_max_num_queries):
    leader_client.get(f"/giam-sat/don-vi/{demo.province.pk}/")  # warm: session, first assessment of the day
    # As many as before the review (a heat map by group code, two warning lists of 20 rows): the
    # heat maps per plan and the grouped warnings take one aggregate, one query for the groups
    # with their plans, one aggregate of the warnings and one for the first units of each.
    with django_assert_max_num_queries(16):
        leader_client.get(f"/giam-sat/don-vi/{demo.province.pk}/")


# ----------------------------------------------------------------------------- 5. home page


def test_the_home_page_offers_each_role_what_it_can_use(client, demo):
    def actions(user):
        client.force_login(user)
        return _get(client, reverse("home")).split('id="home-actions"')[1].split("</p>")[0]

    leader = actions(demo.leader)
    assert 'href="/giam-sat/"' in leader and "Giám sát thực hiện" in leader
    assert "Báo cáo kỳ này của đơn vị" not in leader
    reporter = actions(demo.reporter)
    assert "Báo cáo kỳ này của đơn vị" in reporter and "/giam-sat/" not in reporter
    supervisor = actions(demo.supervisor)
    assert 'href="/giam-sat/"' in supervisor and "Kỳ báo cáo, nhắc nhở, tiếp nhận báo cáo" in supervisor
    assert "Báo cáo kỳ này của đơn vị" not in supervisor
