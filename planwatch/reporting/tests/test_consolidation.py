import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planwatch.plans.models import Aggregation, Plan
from planwatch.reporting.consolidation import consolidate
from planwatch.reporting.demo import FIXTURE, SEED_PERIOD_LABEL
from planwatch.reporting.models import IndicatorValue, ReportingPeriod, ReportStatus
from planwatch.reporting.services import (
    ReportData,
    report_accept,
    report_open,
    report_return,
    report_save_draft,
    report_submit,
)


def _seed_consolidation(demo):
    period = ReportingPeriod.objects.get(plan__code="nqcp71-qn", label=SEED_PERIOD_LABEL)
    return period, consolidate(period, demo.province, accepted_only=True)


def _check_against(rows_json, con):
    rows = {r.task.code: r for r in con.task_rows}
    assert list(rows) == [r["code"] for r in rows_json]
    for printed in rows_json:
        row = rows[printed["code"]]
        assert row.task.name == (printed["name"] or ""), printed["code"]
        assert row.lead_text == (printed["lead"] or ""), printed["code"]
        assert row.task.result == (printed["required_result"] or ""), printed["code"]
        assert row.task.deadline_raw == (printed["deadline"] or ""), printed["code"]
        assert row.result_to_date == (printed["result_to_date"] or ""), printed["code"]
        assert row.expected_next == (printed["expected_next"] or ""), printed["code"]
        assert row.obstacles == (printed["obstacles"] or ""), printed["code"]


def test_the_seed_report_is_accepted_and_consolidates_cell_by_cell_as_printed(demo):
    period, con = _seed_consolidation(demo)
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert period.end.isoformat() == data["as_of"]
    report = period.reports.get()
    assert (report.org, report.status) == (demo.skhcn, ReportStatus.ACCEPTED)
    assert [g.code for g, _ in con.groups] == ["I", "II", "III", "V", "VI"]
    assert [g.name for g, _ in con.groups] == [g["name"] for g in data["task_groups"]]
    _check_against(data["rows"], con)


@pytest.mark.shared
def test_the_seed_report_matches_the_shared_transcription(demo, shared_dir):
    data = json.loads((shared_dir / "seed-data" / "progress_report_skhcn.json").read_text(encoding="utf-8"))
    _, con = _seed_consolidation(demo)
    _check_against(data["rows"], con)


def test_the_province_task_derives_from_the_matching_government_task(demo):
    """Plan 327 implements 71/NQ-CP: its task derives from the Government's, not the reverse."""
    seed = Plan.objects.get(code="nqcp71-qn")
    assert seed.document is not None and seed.document.number == "71/NQ-CP"
    t = seed.tasks.get(code="16")
    assert t.derived_from is None
    assert t.derived_tasks.filter(plan=demo.plan).exists()
    assert not demo.plan.tasks.filter(derived_from__plan=demo.plan).exists()


def _fresh(demo, year=2032, number=1):
    from planwatch.reporting.models import PeriodKind
    from planwatch.reporting.services import period_open

    return period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=year, number=number)


DONE_ON = date(2025, 6, 2)  # a completion date in the past, whatever day the tests run


def _done(demo, period, org, task, *, text="Xong", then=None):
    """`org` reports `task` done in `period`; then "submit", "return" or "accept" it (or
    leave the draft)."""
    r = report_open(period=period, org=org)
    r = report_save_draft(
        report=r, by=demo.admin, expected_version=r.version,
        data=ReportData(tasks={task.pk: {"status": "done", "completed_on": DONE_ON, "result_to_date": text}}),
    )
    if then in ("submit", "return", "accept"):
        r = report_submit(report=r, by=demo.admin)
    if then == "return":
        r = report_return(report=r, by=demo.supervisor, comment="Bổ sung số liệu")
    if then == "accept":
        r = report_accept(report=r, by=demo.supervisor)
    return r


def _communes(task, n):
    return [a.org for a in task.assignments.select_related("org").filter(org__kind="commune").order_by("org__path")[:n]]


def test_counts_and_summary_by_unit_kind(demo):
    period = _fresh(demo)
    task = demo.plan.tasks.get(code="3")
    communes = _communes(task, 2)
    for org in communes:
        _done(demo, period, org, task, then="submit")
    row = next(r for r in consolidate(period, demo.province).task_rows if r.task.code == "3")
    assert row.done == 2 and row.reported == 2 and row.assigned == 116
    assert row.summary == "0/20 sở, ngành đã hoàn thành; 2/96 xã đã hoàn thành"
    assert row.result_to_date == "\n".join(f"{o.name}: Xong" for o in communes)


def test_accepted_only_leaves_out_reports_not_yet_accepted(demo):
    period = _fresh(demo, number=2)
    r = report_open(period=period, org=demo.thientin)
    task_id = r.task_lines.first().task_id
    report_save_draft(report=r, by=demo.reporter, data=ReportData(tasks={task_id: {"result_to_date": "Nháp"}}), expected_version=r.version)
    for con in (consolidate(period, demo.province, accepted_only=True), consolidate(period, demo.province)):
        line = next(ln for row in con.task_rows for ln in row.lines if ln.org == demo.thientin and row.task.pk == task_id)
        assert line.report is None and line.status is None and line.result_to_date == ""
        assert line.status_label == "chưa tính (báo cáo nháp)"
    assert con.report_counts["draft"] == 1
    assert con.report_counts["missing"] == con.units_expected - 1


def test_by_default_sent_and_accepted_reports_count_never_drafts_or_returned_ones(demo):
    period = _fresh(demo, number=6)
    task = demo.plan.tasks.get(code="3")
    draft, sent, returned, accepted = _communes(task, 4)
    for org, then in ((draft, None), (sent, "submit"), (returned, "return"), (accepted, "accept")):
        _done(demo, period, org, task, text=f"Xong ở {org.name}", then=then)

    con = consolidate(period, demo.province)
    row = next(r for r in con.task_rows if r.task == task)
    assert (row.done, row.reported) == (2, 2)
    assert row.summary == "0/20 sở, ngành đã hoàn thành; 2/96 xã đã hoàn thành"
    assert row.result_to_date == f"{sent.name}: Xong ở {sent.name}\n{accepted.name}: Xong ở {accepted.name}"
    words = {ln.org: ln.status_label for ln in row.lines}
    assert (words[draft], words[sent], words[returned], words[accepted]) == (
        "chưa tính (báo cáo nháp)", "hoàn thành", "chưa tính (báo cáo bị trả lại)", "hoàn thành",
    )
    assert con.counted_note == (
        "Số liệu và nội dung tổng hợp từ 2 báo cáo “đã gửi” và “đã tiếp nhận”; "
        "không tính báo cáo “nháp”, “bị trả lại”."
    )

    con = consolidate(period, demo.province, accepted_only=True)
    row = next(r for r in con.task_rows if r.task == task)
    assert (row.done, row.summary) == (1, "0/20 sở, ngành đã hoàn thành; 1/96 xã đã hoàn thành")
    assert {ln.org: ln.status_label for ln in row.lines}[sent] == "chưa tính (báo cáo đã gửi)"
    assert con.counted_note == (
        "Số liệu và nội dung tổng hợp từ 1 báo cáo “đã tiếp nhận”; "
        "không tính báo cáo “nháp”, “đã gửi”, “bị trả lại”."
    )

    # Callers that pass accepted_only=False explicitly keep what it always meant: every report.
    row = next(r for r in consolidate(period, demo.province, accepted_only=False).task_rows if r.task == task)
    assert row.done == 4


def test_every_assigned_unit_has_a_line_with_its_status_even_without_text(demo):
    period = _fresh(demo, number=7)
    task = demo.plan.tasks.get(code="3")
    quiet, silent = _communes(task, 2)
    r = report_open(period=period, org=quiet)
    r = report_save_draft(report=r, by=demo.admin, expected_version=r.version,
                          data=ReportData(tasks={task.pk: {"status": "in_progress", "result_to_date": ""}}))
    report_submit(report=r, by=demo.admin)
    row = next(r for r in consolidate(period, demo.province).task_rows if r.task == task)
    assert len(row.lines) == row.assigned == task.assignments.values("org").distinct().count()
    by_org = {ln.org: ln for ln in row.lines}
    assert (by_org[quiet].status_label, by_org[quiet].result_to_date) == ("đang thực hiện", "")
    assert by_org[silent].status_label == "chưa lập báo cáo"
    assert quiet.name not in row.result_to_date  # no text: nothing to join, but the line is there


def _values(demo, period, ind, per_org):
    """Each unit's value for `ind`, in a report sent to the standing agency."""
    for org, fields in per_org.items():
        r = report_open(period=period, org=org)
        IndicatorValue.objects.update_or_create(report=r, indicator=ind, defaults=fields)
        report_submit(report=r, by=demo.admin)


def test_counts_add_up(demo):
    period = _fresh(demo, number=3)
    ind = demo.plan.indicators.get(code="1.1")
    assert ind.aggregation == Aggregation.SUM
    _values(demo, period, ind, {demo.skhcn: {"value": Decimal("12")}, demo.syt: {"value": Decimal("3.5")}})
    row = next(r for r in consolidate(period, demo.province).indicators if r.indicator == ind)
    assert (row.value, row.contributors) == (Decimal("15.5"), 2)


def test_ratios_roll_up_from_numerators_and_denominators_not_from_percentages(demo):
    period = _fresh(demo, number=4)
    ind = demo.plan.indicators.get(code="3.5")
    assert ind.aggregation == Aggregation.RATIO
    # 10% of 100 and 90% of 900: the province is 820/1000 = 82%, not the mean 50%.
    _values(demo, period, ind, {
        demo.skhcn: {"numerator": Decimal(10), "denominator": Decimal(100), "value": Decimal(10)},
        demo.syt: {"numerator": Decimal(810), "denominator": Decimal(900), "value": Decimal(90)},
    })
    row = next(r for r in consolidate(period, demo.province).indicators if r.indicator == ind)
    assert (row.value, row.numerator, row.denominator, row.contributors) == (Decimal("82.00"), 820, 1000, 2)


def test_a_figure_that_does_not_add_up_is_the_responsible_agencys(demo):
    period = _fresh(demo, number=5)
    ind = demo.plan.indicators.get(code="3.1")  # Chỉ số chuyển đổi số cấp tỉnh
    assert ind.aggregation == Aggregation.RESPONSIBLE
    _values(demo, period, ind, {demo.skhcn: {"value": Decimal("0.45")}, demo.syt: {"value": Decimal("0.99")}})
    row = next(r for r in consolidate(period, demo.province).indicators if r.indicator == ind)
    assert row.value == Decimal("0.45") and row.contributors == 1 and "cơ quan chủ trì" in row.rule_label


def test_consolidation_takes_a_handful_of_queries_for_the_whole_province(demo):
    period = ReportingPeriod.objects.filter(plan=demo.plan, is_sample=True).order_by("-end")[1]
    with CaptureQueriesContext(connection) as ctx:
        con = consolidate(period, demo.province)
    assert len(ctx.captured_queries) <= 12
    assert con.units_expected > 100 and sum(v for k, v in con.report_counts.items() if k != "missing") > 50


def test_indicator_row_is_the_public_rule_documents_use_for_one_figure(demo):
    from planwatch.reporting.consolidation import indicator_row

    ind = demo.plan.indicators.get(code="3.5")
    row = indicator_row(ind, [
        (demo.skhcn, IndicatorValue(numerator=Decimal(10), denominator=Decimal(100), value=Decimal(10))),
        (demo.syt, IndicatorValue(numerator=Decimal(810), denominator=Decimal(900), value=Decimal(90))),
    ])
    assert (row.value, row.contributors, row.rule_label) == (
        Decimal("82.00"), 2, "Tỷ lệ = tổng tử số / tổng mẫu số × 100 của 2 đơn vị",
    )
    assert indicator_row(ind, []).rule_label == "Tỷ lệ = tổng tử số / tổng mẫu số × 100 (chưa có số liệu)"
