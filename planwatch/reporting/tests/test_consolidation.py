import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planwatch.plans.models import Aggregation, Plan
from planwatch.reporting.consolidation import consolidate
from planwatch.reporting.demo import FIXTURE, SEED_PERIOD_LABEL
from planwatch.reporting.models import IndicatorValue, ReportingPeriod, ReportStatus
from planwatch.reporting.services import ReportData, report_accept, report_open, report_save_draft, report_submit


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


def test_seed_tasks_are_linked_to_the_matching_province_task(demo):
    t = Plan.objects.get(code="nqcp71-qn").tasks.get(code="16")
    assert t.derived_from is not None and t.derived_from.plan == demo.plan


def _fresh(demo, year=2032, number=1):
    from planwatch.reporting.models import PeriodKind
    from planwatch.reporting.services import period_open

    return period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=year, number=number)


def test_counts_and_summary_by_unit_kind(demo):
    period = _fresh(demo)
    task = demo.plan.tasks.get(code="3")
    communes = [a.org for a in task.assignments.select_related("org").filter(org__kind="commune").order_by("org__path")[:2]]
    for org in communes:
        r = report_open(period=period, org=org)
        report_save_draft(report=r, by=demo.admin, data=ReportData(tasks={task.pk: {"status": "done", "completed_on": period.start, "result_to_date": "Xong"}}), expected_version=r.version)
    row = next(r for r in consolidate(period, demo.province).task_rows if r.task.code == "3")
    assert row.done == 2 and row.reported == 2 and row.assigned == 116
    assert row.summary == "0/20 sở, ngành đã hoàn thành; 2/96 xã đã hoàn thành"
    assert row.result_to_date == "\n".join(f"{o.name}: Xong" for o in communes)


def test_accepted_only_leaves_out_reports_not_yet_accepted(demo):
    period = _fresh(demo, number=2)
    r = report_open(period=period, org=demo.thientin)
    task_id = r.task_lines.first().task_id
    report_save_draft(report=r, by=demo.reporter, data=ReportData(tasks={task_id: {"result_to_date": "Nháp"}}), expected_version=r.version)
    con = consolidate(period, demo.province, accepted_only=True)
    line = next(ln for row in con.task_rows for ln in row.lines if ln.org == demo.thientin and row.task.pk == task_id)
    assert line.report is None and line.status is None
    assert con.report_counts["draft"] == 1
    assert con.report_counts["missing"] == con.units_expected - 1


def _values(demo, period, ind, per_org):
    for org, fields in per_org.items():
        r = report_open(period=period, org=org)
        IndicatorValue.objects.update_or_create(report=r, indicator=ind, defaults=fields)


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
