"""Monitoring pages through the test client: who may see what, and that numbers link to lists."""

import json

import pytest

from planwatch.monitoring.services import ensure_fresh


@pytest.fixture
def leader_client(client, demo):
    client.force_login(demo.leader)
    return client


def test_the_leader_is_sent_to_the_overview_of_their_province(leader_client, demo):
    r = leader_client.get("/giam-sat/")
    assert r.status_code == 302 and r.url == f"/giam-sat/don-vi/{demo.province.pk}/"


def test_the_overview_shows_counts_that_link_to_their_lists(leader_client, demo):
    r = leader_client.get(f"/giam-sat/don-vi/{demo.province.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    for key in ("overdue", "due_soon", "done_on_time", "done_late", "in_progress"):
        assert f"/giam-sat/don-vi/{demo.province.pk}/nhiem-vu/?trang_thai={key}" in html
    for key in ("achieved", "on_track", "behind", "missed", "no_data"):
        assert f"?trang_thai={key}" in html
    assert "Cảnh báo sớm" in html and 'id="heatmap"' in html


def test_a_list_behind_a_number_has_as_many_rows_as_the_number(leader_client, demo):
    from datetime import date

    from django.utils import timezone

    from planwatch.monitoring import selectors as S

    ensure_fresh()
    n = S.task_counts(demo.province, timezone.localdate()).get("overdue", 0)
    r = leader_client.get(f"/giam-sat/don-vi/{demo.province.pk}/nhiem-vu/?trang_thai=overdue")
    assert r.status_code == 200
    html = r.content.decode()
    assert f'id="task-filters">{n:,} lượt giao'.replace(",", ".") in html
    assert html.count("<tr data-task=") == min(n, 100)  # the first page; the others behind "Trang sau"


@pytest.mark.parametrize("suffix", ["", "nhiem-vu/", "chi-tieu/", "bao-cao/", "xep-hang/"])
def test_a_commune_reporter_cannot_see_the_province_dashboards(client, demo, suffix):
    client.force_login(demo.reporter)
    assert client.get(f"/giam-sat/don-vi/{demo.province.pk}/{suffix}").status_code == 404


def test_someone_without_oversight_gets_404_at_the_entry(client, demo):
    client.force_login(demo.other_dept_reporter)
    assert client.get("/giam-sat/").status_code == 404


def test_the_ranking_page_shows_its_scoring_method(leader_client, demo):
    html = leader_client.get(f"/giam-sat/don-vi/{demo.province.pk}/xep-hang/").content.decode()
    assert "Cách tính điểm" in html and "Xếp loại: xanh từ 80 điểm" in html


def test_indicator_data_carries_history_targets_and_chain(leader_client, demo):
    ind = demo.plan.indicators.filter(is_group=False, aggregation="ratio").first()
    r = leader_client.get(f"/giam-sat/chi-tieu/{ind.pk}/du-lieu.json")
    assert r.status_code == 200
    d = json.loads(r.content)
    assert {"history", "targets", "projection", "chain", "reason", "status_label", "trajectory"} <= set(d)
    if d["history"] and any(t["value"] is not None and t["year"] * 10000 + 1231 > int(d["history"][0]["on"].replace("-", "")) for t in d["targets"]):
        # no baseline recorded in the plan: the path starts at the first reported value
        assert d["trajectory"][0] == {"on": d["history"][0]["on"], "value": d["history"][0]["value"]}
        assert d["trajectory_from"] == "first" and len(d["trajectory"]) >= 2
    assert any(x["self"] for x in d["chain"])
    assert [t["year"] for t in d["targets"]] == sorted(t["year"] for t in d["targets"])
    page = leader_client.get(f"/chi-tieu/{ind.pk}/").content.decode()
    assert 'id="indicator-chart"' in page


def test_the_ranking_is_drawn_up_for_the_chosen_period(leader_client, demo):
    from django.utils import timezone

    from planwatch.monitoring.ranking import rank_units, ranking_months

    today = timezone.localdate()
    months = ranking_months(demo.province, today)
    assert len(months) >= 2
    latest, earlier = rank_units(demo.province, months[0], today), rank_units(demo.province, months[1], today)
    periods = lambda rows: sum(r.reporting.on_time + r.reporting.late + r.reporting.missing for r in rows)  # noqa: E731
    assert periods(earlier) < periods(latest)  # one period fewer is due at the earlier month
    html = leader_client.get(f"/giam-sat/don-vi/{demo.province.pk}/xep-hang/?ky={months[1]:%Y-%m-%d}").content.decode()
    assert f'<option value="{months[1]:%Y-%m-%d}" selected>Tháng {months[1].month}/{months[1].year}</option>' in html
    assert f"Xếp hạng kỳ tháng {months[1].month}/{months[1].year}" in html
    # A made-up period falls back to the latest one instead of failing.
    html = leader_client.get(f"/giam-sat/don-vi/{demo.province.pk}/xep-hang/?ky=2019-02-30").content.decode()
    assert f"Xếp hạng kỳ tháng {months[0].month}/{months[0].year}" in html


def test_each_reporting_number_links_to_its_units(leader_client, demo):
    """"gửi đúng hạn / trễ hạn / chưa gửi" on the overview each open the list of exactly those
    units, and the expected reports are those the reporting side expects (tasks or indicators)."""
    import re

    from django.utils import timezone

    from planwatch.monitoring import selectors as S
    from planwatch.monitoring.services import ensure_fresh
    from planwatch.reporting.selectors import expected_units

    today = timezone.localdate()
    ensure_fresh(today)
    summary = S.reporting_summary(demo.province, today)
    plans_due = {p.plan for p in S.due_periods(demo.province, today)}
    assert summary.counts["expected"] == sum(expected_units(plan, demo.province).count() for plan in plans_due)
    html = leader_client.get(f"/giam-sat/don-vi/{demo.province.pk}/").content.decode()
    for slug, state in (("dung-han", "on_time"), ("tre-han", "late"), ("chua-gui", "missing")):
        assert f"?loc={slug}" in html
        page = leader_client.get(f"/giam-sat/don-vi/{demo.province.pk}/bao-cao/?loc={slug}").content.decode()
        listed = set(map(int, re.findall(r'/giam-sat/don-vi/(\d+)/"', page.split('id="reporting-list"')[1])))
        assert listed == {o for o, states in summary.latest.items() if state in states}
        assert listed, slug


def test_a_task_as_one_unit_carries_it(leader_client, demo, client):
    from django.utils import timezone

    from planwatch.monitoring import selectors as S
    from planwatch.monitoring.services import ensure_fresh

    today = timezone.localdate()
    ensure_fresh(today)
    s = S.with_status(S.states_under(demo.province).exclude(progress=""), today).select_related("task", "org").first()
    html = leader_client.get(f"/giam-sat/don-vi/{s.org_id}/nhiem-vu/{s.task_id}/").content.decode()
    assert f"Nhiệm vụ {s.task.code} – {s.org.name}" in html
    assert s.status_label in html and 'id="task-unit-history"' in html
    assert f'/giam-sat/don-vi/{demo.province.pk}/"' in html  # the breadcrumb back to the province
    history = S.task_history(s.task_id, s.org_id)
    assert history.exists()
    assert history.first().report.period.label in html
    # a task the unit was not given, and a user without oversight: 404
    other = demo.plan.tasks.exclude(pk__in=S.states_under(s.org).values("task_id")).first()
    if other is not None:
        assert leader_client.get(f"/giam-sat/don-vi/{s.org_id}/nhiem-vu/{other.pk}/").status_code == 404
    client.force_login(demo.other_dept_reporter)
    assert client.get(f"/giam-sat/don-vi/{s.org_id}/nhiem-vu/{s.task_id}/").status_code == 404
