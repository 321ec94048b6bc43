"""Readable at scale: monitoring lists paged (indicators: ?trang=2 is the next page), the
reporting tab computed in one SQL statement (the Python rule's numbers, unit by unit), its
units ordered by kind then Vietnamese alphabetical order with a search that ignores accents,
a large subtree shown first as its child units summed in SQL."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from django.utils import timezone

from planwatch.lib.text import search_key
from planwatch.monitoring import selectors as S
from planwatch.monitoring.services import ensure_fresh
from planwatch.orgs.models import Organisation
from planwatch.orgs.ordering import kind_then_name_key


@pytest.fixture
def today(db):
    day = timezone.localdate()
    ensure_fresh(day)
    return day


@pytest.fixture
def leader_client(client, demo):
    client.force_login(demo.leader)
    return client


def _ids(html: str, table: str, attr: str) -> list[int]:
    part = html.split(f'id="{table}"')[1].split("</table>")[0]
    return [int(x) for x in re.findall(rf'<tr data-{attr}="(\d+)"', part)]


def test_the_indicator_list_shows_the_next_page_on_trang_2(leader_client, demo, today, monkeypatch):
    from planwatch.web.views import monitoring as V

    total = S.indicators_under(demo.province, today).count()
    monkeypatch.setattr(V, "INDICATOR_PAGE_SIZE", max(5, total // 3))
    size = V.INDICATOR_PAGE_SIZE
    url = f"/giam-sat/don-vi/{demo.province.pk}/chi-tieu/"
    first = leader_client.get(url).content.decode()
    second = leader_client.get(url + "?trang=2").content.decode()
    one, two = _ids(first, "indicator-list", "indicator"), _ids(second, "indicator-list", "indicator")
    assert len(one) == size and two and not set(one) & set(two)
    assert f"{total:,}".replace(",", ".") + " chỉ tiêu" in first
    assert "?trang=2" in first and 'rel="next"' in first
    assert f"Hiển thị {size + 1}–" in second
    # every indicator on exactly one page
    seen = []
    for n in range(1, -(-total // size) + 1):
        seen += _ids(leader_client.get(f"{url}?trang={n}").content.decode(), "indicator-list", "indicator")
    assert sorted(seen) == sorted(S.indicators_under(demo.province, today).values_list("pk", flat=True))


def test_a_status_filter_is_kept_across_the_indicator_pages(leader_client, demo, today, monkeypatch):
    from planwatch.web.views import monitoring as V

    monkeypatch.setattr(V, "INDICATOR_PAGE_SIZE", 3)
    ids = S.indicator_ids_with_status(demo.province, "no_data", today)
    assert len(ids) > 3
    html = leader_client.get(f"/giam-sat/don-vi/{demo.province.pk}/chi-tieu/?trang_thai=no_data").content.decode()
    assert "trang_thai=no_data&amp;trang=2" in html
    page2 = leader_client.get(f"/giam-sat/don-vi/{demo.province.pk}/chi-tieu/?trang_thai=no_data&trang=2").content.decode()
    assert set(_ids(page2, "indicator-list", "indicator")) <= set(ids)


def test_the_sql_reporting_rows_are_the_python_rule_unit_by_unit(demo, today):
    for root in (demo.province, demo.thientin):
        rule = S.reporting_by_unit(root, today)
        rows = {r.org_id: r for r in S.reporting_rows(root, today)}
        assert set(rows) == set(rule) and rows
        for org_id, u in rule.items():
            r = rows[org_id]
            assert (r.on_time, r.late, r.missing, r.missed_in_a_row) == (u.on_time, u.late, u.missing, u.missed_in_a_row), u.org.name
        latest = S.reporting_summary(root, today).latest
        assert {o: r.latest for o, r in rows.items() if r.latest} == {o: s for o, s in latest.items()}


def test_the_child_sums_are_the_sums_of_their_units(demo, today):
    rows = S.reporting_rows(demo.province, today)
    want: dict[str, list[int]] = defaultdict(lambda: [0] * 8)
    n = len(demo.province.path)
    for r in rows:
        rest = r.path[n:]
        child = r.path[: n + rest.index("/") + 1] if "/" in rest else demo.province.path
        w = want[child]
        for i, v in enumerate((1, r.on_time, r.late, r.missing, r.missed_in_a_row >= 2, r.last_on_time, r.last_late, r.last_missing)):
            w[i] += int(v)
    got = {p: list(c[1:]) for p, c in S.reporting_by_child(demo.province, today).items()}
    assert got == dict(want)


def test_the_reporting_list_is_ordered_by_kind_then_name_paged_and_searchable(leader_client, demo, today, monkeypatch):
    from planwatch.web.views import monitoring as V

    monkeypatch.setattr(V, "UNIT_PAGE_SIZE", 40)
    url = f"/giam-sat/don-vi/{demo.province.pk}/bao-cao/"
    expected = S.reporting_by_unit(demo.province, today)
    shown = []
    for n in range(1, -(-len(expected) // 40) + 1):
        shown += _ids(leader_client.get(f"{url}?trang={n}").content.decode(), "reporting-list", "org")
    orgs = Organisation.objects.in_bulk(shown)
    assert sorted(shown) == sorted(expected)
    assert shown == [o.pk for o in sorted(orgs.values(), key=kind_then_name_key)]
    html = leader_client.get(url).content.decode()
    assert '<tr class="group"><td colspan="5">Sở</td></tr>' in html or '<tr class="group">' in html
    # accent-free type-ahead: "thien tin" finds Xã Thiện Tín and nothing without those words
    found = leader_client.get(url + "?q=thien+tin").content.decode()
    ids = _ids(found, "reporting-list", "org")
    assert demo.thientin.pk in ids
    assert all("thien tin" in search_key(orgs.get(i, Organisation.objects.get(pk=i)).name) for i in ids)
    assert "có tên chứa “thien tin”" in found
    # an htmx request gets the same page (the results block is picked out by hx-select)
    assert 'hx-select="#reporting-results"' in html


def test_a_large_subtree_first_shows_its_child_units_summed(leader_client, demo, today, monkeypatch):
    from planwatch.web.views import monitoring as V

    monkeypatch.setattr(V, "CHILDREN_FIRST_FROM", 5)
    url = f"/giam-sat/don-vi/{demo.province.pk}/bao-cao/"
    html = leader_client.get(url).content.decode()
    assert 'id="reporting-children"' in html and 'id="reporting-list"' not in html
    sums = S.reporting_by_child(demo.province, today)
    shown = _ids(html, "reporting-children", "org")
    assert len(shown) == len(sums)
    units = leader_client.get(url + "?xem=don-vi").content.decode()
    assert 'id="reporting-list"' in units and len(_ids(units, "reporting-list", "org")) == min(100, len(S.reporting_rows(demo.province, today)))


def test_the_silent_filter_lists_units_two_periods_without_a_report(leader_client, demo, today):
    html = leader_client.get(f"/giam-sat/don-vi/{demo.province.pk}/bao-cao/?loc=hai-ky").content.decode()
    listed = set(_ids(html, "reporting-list", "org"))
    assert listed == {o for o, u in S.reporting_by_unit(demo.province, today).items() if u.missed_in_a_row >= 2}


# ----------------------------------------------------------------------------- the consolidated table


def _consolidated(client, demo, period, **params):
    client.force_login(demo.supervisor)
    r = client.get(f"/ky-bao-cao/{period.pk}/tong-hop/", params)
    assert r.status_code == 200
    return r.content.decode()


def _sample_period(demo):
    from planwatch.reporting.models import ReportingPeriod

    return ReportingPeriod.objects.filter(plan=demo.plan, reports__isnull=False).order_by("-end").first()


def test_the_consolidated_table_folds_each_tasks_units_in_kind_then_name_order(client, demo):
    period = _sample_period(demo)
    html = _consolidated(client, demo, period)
    rows = re.findall(r'<tr data-code="[^"]+">(.*?)</tr>', html.split('id="consolidated"')[1].split("</table>")[0], re.S)
    folded = [r for r in rows if '<details class="units">' in r]
    assert folded, "tasks carried by several units fold them"
    for row in folded:
        assert "<details class=\"units\"><summary>Từng đơn vị (" in row
        ids = [int(x) for x in re.findall(r'<li data-org="(\d+)">', row)]
        orgs = Organisation.objects.in_bulk(ids)
        assert ids == [o.pk for o in sorted(orgs.values(), key=kind_then_name_key)]


def test_the_consolidated_table_is_searched_by_task_or_unit_without_accents(client, demo):
    period = _sample_period(demo)
    full = _consolidated(client, demo, period)
    n_all = full.split('id="consolidated"')[1].split("</table>")[0].count("<tr data-code=")
    html = _consolidated(client, demo, period, q="thien tin")
    table = html.split('id="consolidated"')[1].split("</table>")[0]
    assert 0 < table.count("<tr data-code=") < n_all
    named = re.findall(r'<li data-org="(\d+)"><strong>', table)
    assert named and set(map(int, named)) == {demo.thientin.pk}
    assert f"trong {n_all} nhiệm vụ khớp với “thien tin”" in html
    # a task found by its own words keeps all its units
    task = demo.plan.tasks.filter(assignments__org__kind="commune").distinct().order_by("position").first()
    words = " ".join(search_key(task.name).split()[:4])
    found = _consolidated(client, demo, period, q=words)
    assert f'<tr data-code="{task.code}">' in found
    nothing = _consolidated(client, demo, period, q="khong co gi nhu the nay")
    assert "Không có nhiệm vụ hoặc đơn vị nào khớp" in nothing


def test_units_ended_before_the_period_ends_are_hidden_unless_asked(client, demo):
    from datetime import timedelta

    from planwatch.plans.models import Assignment

    period = _sample_period(demo)
    a = Assignment.objects.filter(task__plan=demo.plan, org__kind="commune").select_related("org", "task").first()
    org = a.org
    Organisation.objects.filter(pk=org.pk).update(valid_to=period.end - timedelta(days=1))  # ended inside the period
    html = _consolidated(client, demo, period)
    row = html.split(f'<tr data-code="{a.task.code}">')[1].split("</tr>")[0]
    assert f'<li data-org="{org.pk}">' not in row
    assert "đã kết thúc hoạt động trước ngày cuối kỳ không hiện" in row
    assert "Hiện cả đơn vị đã kết thúc" in html
    shown = _consolidated(client, demo, period, ket_thuc="1")
    row = shown.split(f'<tr data-code="{a.task.code}">')[1].split("</tr>")[0]
    assert f'<li data-org="{org.pk}">' in row


def test_the_overview_lists_its_units_by_kind_then_name_with_a_search_box(leader_client, demo, today):
    html = leader_client.get(f"/giam-sat/don-vi/{demo.province.pk}/").content.decode()
    ids = _ids(html, "children", "org")
    orgs = Organisation.objects.in_bulk(ids)
    own = [i for i in ids if i == demo.province.pk]
    rest = [i for i in ids if i != demo.province.pk]
    assert ids[: len(own)] == own
    assert rest == [o.pk for o in sorted((orgs[i] for i in rest), key=kind_then_name_key)]
    assert 'data-filter-table="children"' in html
