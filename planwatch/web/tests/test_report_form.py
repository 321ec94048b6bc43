"""The report page's cell-by-cell autosave and what it shows beside each cell, through the
real URLs (no browser): an invalid cell is named and held back while the rest saves; only
the changed cells are posted and the others keep what is stored; a stale version saves
nothing; a typed value that disagrees with its counts is refused, never replaced; the
indicator rows show the milestone target and the previous value; evidence is added to and
removed from a task row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from planwatch.lib.numbers import format_vn_number, ratio_percent
from planwatch.reporting.entry import entry_hints
from planwatch.reporting.models import Evidence, IndicatorValue, PeriodKind
from planwatch.reporting.services import UNDO_MINUTES, ReportData, period_open, report_open, report_save_draft

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def own(demo):
    # A period far from the sample history, so the test owns every report in it.
    period = period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=3)
    return report_open(period=period, org=demo.thientin, by=demo.reporter)


def _autosave(client, report, cells: dict, version=None):
    data = {"version": report.version if version is None else version, **cells}
    r = client.post(reverse("report_autosave", args=[report.pk]), data, **JSON)
    assert r.status_code == 200
    return r.json()


def test_an_invalid_cell_is_named_and_the_rest_still_saves(client, demo, own):
    first, second = own.task_lines.select_related("task").order_by("task__position")[:2]
    a, b = f"t{first.task_id}_", f"t{second.task_id}_"
    client.force_login(demo.reporter)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    out = _autosave(client, own, {
        a + "status": "done", a + "completed_on": "31/02/2026",  # no such day
        b + "result_to_date": "Đã khảo sát 3 thôn",
        b + "completed_on": "",
        "general_obstacles": "Thiếu máy tính",
    })
    assert set(out["errors"]) == {a + "completed_on"}
    assert "Ngày không hợp lệ" in out["errors"][a + "completed_on"]
    assert a + "status" in out["held"] and a + "status" not in out["saved"]  # partners held back together
    assert b + "result_to_date" in out["saved"] and "general_obstacles" in out["saved"]
    assert out["version"] == own.version + 1
    assert "Các ô chưa hợp lệ chưa được lưu" in out["html"] and "Đã tự lưu" in out["html"]
    first.refresh_from_db(), second.refresh_from_db(), own.refresh_from_db()
    assert second.result_to_date == "Đã khảo sát 3 thôn" and own.general_obstacles == "Thiếu máy tính"
    assert first.status != "done" and first.completed_on is None

    # The same cell corrected later saves on its own.
    out = _autosave(client, own, {a + "status": "done", a + "completed_on": f"{tomorrow:%d/%m/%Y}"})
    assert "không được ở tương lai" in out["errors"][a + "completed_on"]
    today = timezone.localdate()
    out = _autosave(client, own, {a + "status": "done", a + "completed_on": f"{today:%d/%m/%Y}"}, version=out["version"])
    assert out["errors"] == {} and set(out["saved"]) == {a + "status", a + "completed_on"}
    first.refresh_from_db()
    assert (first.status, first.completed_on) == ("done", today)


def test_cells_not_posted_keep_what_is_stored(client, demo, own):
    lines = list(own.task_lines.select_related("task").order_by("task__position"))
    report_save_draft(report=own, by=demo.reporter, expected_version=own.version, data=ReportData(
        tasks={ln.task_id: {"result_to_date": f"Kết quả {ln.task.code}", "rating": "amber", "rating_explanation": "Chậm"} for ln in lines},
        general={"general_recommendations": "Đề xuất cũ"},
    ))
    own.refresh_from_db()
    client.force_login(demo.reporter)
    p = f"t{lines[1].task_id}_"
    out = _autosave(client, own, {p + "expected_next": "Hoàn thành trong quý"})
    assert out["saved"] == [p + "expected_next"]
    own.refresh_from_db()
    for ln in own.task_lines.select_related("task"):
        assert ln.result_to_date == f"Kết quả {ln.task.code}" and ln.rating == "amber"
    assert own.general_recommendations == "Đề xuất cũ"
    assert own.task_lines.get(task_id=lines[1].task_id).expected_next == "Hoàn thành trong quý"


def test_a_stale_version_saves_nothing_and_says_who_saved(client, demo, own):
    line = own.task_lines.order_by("task__position").first()
    p = f"t{line.task_id}_"
    report_save_draft(report=own, by=demo.approver, expected_version=own.version,
                      data=ReportData(tasks={line.task_id: {"result_to_date": "Bản của chủ tịch"}}))
    client.force_login(demo.reporter)
    out = _autosave(client, own, {p + "result_to_date": "Bản của cán bộ"}, version=own.version)
    assert out["conflict"] and "Trần Văn Hùng" in out["conflict"]["message"]
    assert out["saved"] == [] and 'id="autosave-stopped"' in out["html"]
    line.refresh_from_db()
    assert line.result_to_date == "Bản của chủ tịch"


def _ratio_line(demo):
    from planwatch.reporting.selectors import current_period

    report = report_open(period=current_period(demo.plan), org=demo.skhcn, by=demo.dept_reporter)
    iv = report.indicator_values.select_related("indicator").filter(indicator__kind="ratio", indicator__unit__startswith="%").order_by("indicator__position").first()
    return report, iv


def test_a_typed_value_that_disagrees_with_its_counts_is_refused_not_replaced(client, demo):
    report, iv = _ratio_line(demo)
    p = f"i{iv.indicator_id}_"
    client.force_login(demo.dept_reporter)
    out = _autosave(client, report, {p + "numerator": "55", p + "denominator": "100", p + "value": "99"})
    assert p + "value" in out["errors"]
    assert "Giá trị 99 khác tỷ lệ tính từ tử số và mẫu số (55)" in out["errors"][p + "value"]
    assert out["saved"] == []
    iv.refresh_from_db()
    assert iv.value != 99  # nothing of that row was stored
    # The counts alone give the value (what report.js shows as typed).
    out = _autosave(client, report, {p + "numerator": "1.234", p + "denominator": "2.000"}, version=out["version"])
    assert out["errors"] == {} and p + "value" in out["saved"]
    iv.refresh_from_db()
    assert (iv.numerator, iv.denominator, iv.value) == (1234, 2000, ratio_percent(1234, 2000))


def test_indicator_rows_show_target_and_previous_value(client, demo):
    report, iv = _ratio_line(demo)
    hints = entry_hints(report)
    hint = hints[iv.indicator_id]
    # Expected straight from the tables: the first milestone at or after the period's year,
    # and the latest earlier report of the unit holding a value.
    year = report.period.end.year
    targets = [t for t in iv.indicator.targets.order_by("year") if (t.raw or "").strip() not in ("", "-")]
    ahead = [t for t in targets if t.year >= year]
    chosen = ahead[0] if ahead else (targets[-1] if targets else None)
    assert hint.target_raw == (chosen.raw.strip() if chosen else "")
    prev = (IndicatorValue.objects.filter(report__org=demo.skhcn, report__period__plan=demo.plan, indicator=iv.indicator,
                                          report__period__end__lt=report.period.end, value__isnull=False)
            .order_by("-report__period__end").select_related("report__period").first())
    assert hint.previous == (prev.value if prev else None)
    client.force_login(demo.dept_reporter)
    html = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    row = html[html.index(f'data-indicator="{iv.indicator_id}"'):]
    row = row[:row.index("</tr>")]
    if chosen:
        assert f"{escape(chosen.raw.strip())} <span" in row and f"(năm {chosen.year})" in row
    if prev:
        assert format_vn_number(prev.value) in row and prev.report.period.label in row
    assert f'id="ratio-{iv.indicator_id}"' in row  # the ratio as typed (report.js)


def test_evidence_is_added_to_and_removed_from_its_task_row(client, demo, own, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    line = own.task_lines.select_related("task").order_by("task__position").last()
    client.force_login(demo.reporter)
    url = reverse("report_detail", args=[own.pk])
    html = client.get(url).content.decode()
    assert f'id="ev-up-{line.task_id}"' in html and f'form="ev-up-{line.task_id}"' in html
    r = client.post(reverse("evidence_upload", args=[own.pk]), {"file": SimpleUploadedFile("bien-ban.pdf", PDF), "task": line.task_id})
    assert r.status_code == 302 and r["Location"].endswith(f"#dong-{line.task_id}")
    ev = Evidence.objects.get(report=own)
    assert ev.task_id == line.task_id
    html = client.get(url).content.decode()
    row = html[html.index(f'id="dong-{line.task_id}"'):]
    row = row[:row.index("</tr>")]
    assert "bien-ban.pdf" in row and f'form="ev-del-{ev.pk}"' in row
    assert f'id="ev-del-{ev.pk}"' in html and f'data-confirm="Xóa minh chứng “bien-ban.pdf”? Có thể hoàn tác trong {UNDO_MINUTES} phút."' in html
    r = client.post(reverse("evidence_delete", args=[ev.pk]), follow=True)
    assert "Đã xóa minh chứng “bien-ban.pdf”" in r.content.decode()
    assert not Evidence.objects.filter(pk=ev.pk).exists()


def test_the_autosave_json_is_refused_outside_scope(client, demo, own):
    line = own.task_lines.order_by("task__position").first()
    client.force_login(demo.other_dept_reporter)
    r = client.post(reverse("report_autosave", args=[own.pk]), {"version": own.version, f"t{line.task_id}_obstacles": "x"}, **JSON)
    assert r.status_code == 404
    client.force_login(demo.supervisor)
    r = client.post(reverse("report_autosave", args=[own.pk]), {"version": own.version, f"t{line.task_id}_obstacles": "x"}, **JSON)
    assert r.status_code == 403
    line.refresh_from_db()
    assert line.obstacles != "x"
