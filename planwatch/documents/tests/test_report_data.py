"""ReportData against the database: every figure and text the renderers print."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from planwatch.documents import report_data as rd
from planwatch.plans.models import Aggregation, Assignment, Indicator, IndicatorTarget, Task
from planwatch.reporting.models import IndicatorValue, ProgressStatus, ReportStatus, TaskProgress

# What an export counts without "chỉ báo cáo đã tiếp nhận": reports sent or accepted, never
# drafts or returned ones (written out here, not taken from the code under test).
SENT = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


def test_the_date_line_follows_decree_30_leading_zeros():
    assert rd.date_line("Quảng Ngãi", date(2025, 5, 10)) == "Quảng Ngãi, ngày 10 tháng 5 năm 2025"
    assert rd.date_line("Quảng Ngãi", date(2025, 2, 3)) == "Quảng Ngãi, ngày 03 tháng 02 năm 2025"


def test_the_province_report_is_issued_by_the_standing_agency_under_the_provincial_committee(province_data):
    lh = province_data.letterhead
    assert lh.parent_body == "UBND TỈNH QUẢNG NGÃI"
    assert lh.issuing_body == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert lh.number.endswith("/BC-SKHCN")
    assert lh.place == "Quảng Ngãi"
    assert lh.signer_authority == "KT. GIÁM ĐỐC"
    assert lh.recipients[-1] == "- Lưu: VT, SKHCN."
    assert province_data.is_consolidated


def test_a_commune_report_is_issued_by_the_communes_peoples_committee(demo, sample_period, report_day):
    data = rd.build_report_data(sample_period, demo.thientin, today=report_day)
    assert data.letterhead.issuing_body == "ỦY BAN NHÂN DÂN XÃ THIỆN TÍN"
    assert data.letterhead.parent_body == ""
    assert data.letterhead.date_line.startswith("Thiện Tín, ngày ")
    assert data.letterhead.signer_authority == "TM. ỦY BAN NHÂN DÂN"


def test_every_task_of_the_plan_is_a_row_with_its_printed_text(demo, province_data):
    tasks = list(Task.objects.filter(plan=demo.plan).order_by("position"))
    rows = province_data.tasks
    assert [r.tt for r in rows] == [t.code for t in tasks]
    for row, t in zip(rows, tasks):
        assert row.name == t.name
        assert row.result_required == t.result
        assert row.deadline == t.deadline_raw


def test_unit_counts_and_texts_come_from_the_units_progress_lines(demo, sample_period, province_data):
    for row in province_data.tasks:
        orgs = {
            org_id
            for org_id, valid_to in Assignment.objects.filter(
                task_id=row.task_id, org__path__startswith=demo.province.path
            ).values_list("org_id", "org__valid_to")
            if valid_to is None or valid_to >= sample_period.start  # units ended by the reform are out
        }
        lines = TaskProgress.objects.filter(
            report__period=sample_period, task_id=row.task_id, report__org_id__in=orgs, report__status__in=SENT,
        )
        assert row.assigned == len(orgs)
        assert row.reported == lines.count()
        assert row.done == lines.filter(status=ProgressStatus.DONE).count()
        assert row.in_progress == lines.filter(status=ProgressStatus.IN_PROGRESS).count()
        for text in set(lines.exclude(result_to_date="").values_list("result_to_date", flat=True)):
            assert text.strip() in row.result_to_date
        for text in set(lines.exclude(obstacles="").values_list("obstacles", flat=True)):
            assert text.strip() in row.obstacles


def test_summed_indicators_equal_the_sum_of_the_units_values(demo, sample_period, province_data):
    summed = {i.pk for i in Indicator.objects.filter(plan=demo.plan, aggregation=Aggregation.SUM, is_group=False)}
    checked = 0
    for line in province_data.indicators:
        if line.indicator_id not in summed:
            continue
        total = IndicatorValue.objects.filter(
            report__period=sample_period, indicator_id=line.indicator_id,
            report__org__path__startswith=demo.province.path, report__status__in=SENT,
        ).aggregate(s=Sum("value"))["s"]
        assert line.value == total
        if total is not None:
            assert line.value_text == rd.vn_num(total)
            checked += 1
    assert checked


def test_indicator_targets_are_printed_as_in_the_plan(demo, province_data):
    years = tuple(demo.plan.milestone_years)
    for line in province_data.indicator_lines:
        raw = {
            t.year: t.raw or ""
            for t in IndicatorTarget.objects.filter(indicator__plan=demo.plan, indicator__code=line.tt)
        }
        assert line.targets == tuple(raw.get(y, "") for y in years)


def test_status_counts_add_up_to_the_rows(province_data):
    assert sum(c.count for c in province_data.task_counts) == len(province_data.tasks)
    assert sum(c.count for c in province_data.indicator_counts) == len(province_data.indicators)
    assert sum(c.count for c in province_data.assignment_counts) == sum(t.assigned for t in province_data.tasks)
    for c in province_data.task_counts:
        assert f"{c.label}: {c.count}" in province_data.task_summary


def test_numbers_in_sentences_are_written_the_vietnamese_way(province_data):
    n = sum(t.assigned for t in province_data.tasks)
    assert n >= 1000
    assert f"({rd.vn_num(n)} lượt giao nhiệm vụ)" in province_data.assignment_summary
    assert "." in rd.vn_num(n)
    assert rd.vn_num(Decimal("1000.50")) == "1.000,5"


def test_units_that_have_not_sent_a_report_are_named_in_a_recommendation(province_data):
    if province_data.missing_units:
        assert any("chưa gửi báo cáo" in r for r in province_data.recommendations)


def test_the_seed_unit_report_keeps_every_cell_as_typed(seed_period):
    from planwatch.orgs.models import Organisation

    skhcn = Organisation.objects.get(code="qn-skhcn")
    data = rd.build_report_data(seed_period, skhcn, today=date(2025, 5, 10))
    lines = {tp.task_id: tp for tp in TaskProgress.objects.filter(report__period=seed_period, report__org=skhcn)}
    assert data.tasks
    for row in data.tasks:
        tp = lines.get(row.task_id)
        assert row.result_to_date == (tp.result_to_date if tp else "")
        assert row.expected_next == (tp.expected_next if tp else "")
        assert row.obstacles == (tp.obstacles if tp else "")
    assert data.letterhead.issuing_body == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"


def test_the_indicator_trend_uses_the_same_figures_as_consolidating_each_earlier_period(demo, sample_period):
    from planwatch.reporting.consolidation import consolidate
    from planwatch.reporting.models import ReportingPeriod

    cons = consolidate(sample_period, demo.province, accepted_only=None)
    earlier = ReportingPeriod.objects.filter(plan=demo.plan, end__lt=sample_period.end).order_by("-end")[:rd.HISTORY_PERIODS]
    assert earlier
    for accepted_only, flag in ((False, None), (True, True)):
        history = rd._indicator_history(sample_period, demo.province, [r.indicator for r in cons.indicators], accepted_only)
        for p in earlier:
            for row in consolidate(p, demo.province, accepted_only=flag).indicators:
                got = {o.on: o.value for o in history.get(row.indicator.pk, [])}
                assert got.get(p.end) == row.value


def test_the_report_says_which_reports_its_figures_come_from(demo, sample_period, report_day):
    from planwatch.reporting.models import UnitReport

    in_province = UnitReport.objects.filter(period=sample_period, org__path__startswith=demo.province.path)
    sent = in_province.filter(status__in=SENT).count()
    accepted = in_province.filter(status=ReportStatus.ACCEPTED).count()
    assert 0 < accepted < sent
    data = rd.build_report_data(sample_period, demo.province, today=report_day)
    assert data.reporting_summary.endswith(
        f"Số liệu trong báo cáo này tổng hợp từ {rd.vn_num(sent)} báo cáo đã gửi (kể cả báo cáo đang xem xét); "
        "không tính báo cáo nháp và báo cáo bị trả lại."
    )
    data = rd.build_report_data(sample_period, demo.province, today=report_day, accepted_only=True)
    assert data.reporting_summary.endswith(
        f"Số liệu trong báo cáo này tổng hợp từ {rd.vn_num(accepted)} báo cáo đã được tiếp nhận."
    )
    # "Chưa gửi": units that have sent nothing; a report under review or returned was sent,
    # even when the figures count accepted reports only.
    expected = set(
        Assignment.objects.filter(task__plan=demo.plan, org__path__startswith=demo.province.path)
        .values_list("org_id", flat=True)
    ) | set(
        Indicator.objects.filter(plan=demo.plan, responsible__path__startswith=demo.province.path)
        .values_list("responsible", flat=True)
    )
    sent_any = set(in_province.exclude(status=ReportStatus.DRAFT).values_list("org_id", flat=True))
    from planwatch.orgs.models import Organisation

    missing = sorted(
        Organisation.objects.filter(pk__in=expected - sent_any)
        .exclude(valid_to__lt=sample_period.start)  # units ended by the reform owe nothing
        .values_list("name", flat=True)
    )
    assert missing and sorted(data.missing_units) == missing
    assert f"chưa gửi: {rd.vn_num(len(missing))}." in data.reporting_summary


def test_a_commune_report_is_headed_in_administrative_casing_and_covers_its_own_part(demo, sample_period, report_day):
    """"Ủy ban nhân dân xã Thiện Tín" (not "… Xã Thiện Tín"), and only the commune's tasks and
    indicators: not the province's 23 tasks and 64 indicators."""
    import io

    from docx import Document

    from planwatch.documents.docx_report import render_docx

    data = rd.build_report_data(sample_period, demo.thientin, today=report_day)
    assert data.letterhead.issuer_name == "Ủy ban nhân dân xã Thiện Tín"
    assert "Ủy ban nhân dân xã Thiện Tín báo cáo" in data.intro and "Xã Thiện Tín báo cáo" not in data.intro
    assigned = set(
        Assignment.objects.filter(task__plan=demo.plan, org__path__startswith=demo.thientin.path).values_list("task__code", flat=True)
    )
    rows = [t for t in data.task_lines if t.kind == "task"]
    assert rows and {t.tt for t in rows} == assigned
    assert len(rows) < Task.objects.filter(plan=demo.plan).count()
    assert data.task_summary.startswith(f"Ủy ban nhân dân xã Thiện Tín được giao {len(rows)} nhiệm vụ của Kế hoạch.")
    answerable = set(
        Indicator.responsible.through.objects.filter(indicator__plan=demo.plan, organisation__path__startswith=demo.thientin.path)
        .values_list("indicator__code", flat=True)
    )  # fmt: skip
    reported = set(
        IndicatorValue.objects.filter(report__period=sample_period, report__org=demo.thientin, report__status__in=SENT)
        .values_list("indicator__code", flat=True)
    )  # fmt: skip
    assert {i.tt for i in data.indicator_lines if i.kind == "indicator"} == answerable | reported
    assert "Kế hoạch có 64 chỉ tiêu" not in data.indicator_summary
    # every group heading left in the appendix heads one of the commune's tasks
    groups = [t for t in data.task_lines if t.kind == "group"]
    assert len(groups) <= len({t.tt.split(".")[0] for t in rows}) + 5
    text = "\n".join(p.text for p in Document(io.BytesIO(render_docx(data))).paragraphs)
    assert "Ủy ban nhân dân xã Thiện Tín" in text and "Ủy ban nhân dân Xã" not in text
    # the province's own report still covers the whole plan
    province = rd.build_report_data(sample_period, demo.province, today=report_day)
    assert len([t for t in province.task_lines if t.kind == "task"]) == Task.objects.filter(plan=demo.plan).count()


def test_the_committee_name_lowers_only_the_unit_word():
    from types import SimpleNamespace

    assert rd.committee_of(SimpleNamespace(name="Xã Thiện Tín")) == "Ủy ban nhân dân xã Thiện Tín"
    assert rd.committee_of(SimpleNamespace(name="Đặc khu Lý Sơn")) == "Ủy ban nhân dân đặc khu Lý Sơn"
    assert rd.committee_of(SimpleNamespace(name="Phường Cẩm Thành")) == "Ủy ban nhân dân phường Cẩm Thành"
    assert rd.committee_of(SimpleNamespace(name="Huyện Sơn Tịnh")) == "Ủy ban nhân dân huyện Sơn Tịnh"
