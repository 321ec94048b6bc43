"""A plan is amended the way it is in real life: a later document changes it, the change is
shown as a diff first and applied in one transaction, rows with report history are retired
(never deleted) and earlier deadlines and leads are kept for the periods they governed."""

import copy
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from planwatch.plans import signals
from planwatch.plans.interchange import InterchangeError, export_plan, import_plan
from planwatch.plans.models import Indicator, PlanAmendment, SourceDocument, Task, TaskTerm
from planwatch.plans.selectors import deadline_as_of, task_terms_as_of
from planwatch.plans.services import has_report_history, plan_apply_amendment, plan_diff, plan_fingerprint
from planwatch.reporting.models import IndicatorValue, TaskProgress

pytestmark = pytest.mark.django_db

EFFECTIVE = date(2026, 3, 1)
AMENDING = {"number": "88/QĐ-UBND", "date": "2026-02-20", "kind": "Quyết định điều chỉnh"}


def _task(data, code):
    return next(t for t in data["tasks"] if t["code"] == code)


def _amended_province_plan(demo):
    """The acceptance scenario: task 1 (with report lines) removed, task 12's code renamed to
    12a, task 6's deadline moved from Tháng 9/2025 to Quý IV/2025."""
    data = export_plan(demo.plan)
    data["tasks"] = [t for t in data["tasks"] if t["code"] != "1"]
    _task(data, "12")["code"] = "12a"
    t6 = _task(data, "6")
    t6["deadline_raw"] = "Quý IV/2025"
    t6.pop("deadline")
    return data


def test_the_diff_of_the_amended_province_plan_lists_exactly_the_changes(demo):
    diff = plan_diff(_amended_province_plan(demo))
    summary = sorted((r.kind, r.code, r.action) for r in diff.rows)
    assert summary == [("task", "1", "retired"), ("task", "12", "retired"), ("task", "12a", "added"), ("task", "6", "changed")]
    by_code = {r.code: r for r in diff.rows}
    assert "đổi mã thành “12a”" in by_code["12"].note and by_code["12a"].note == "đổi mã từ “12”"
    (change,) = by_code["6"].changes
    assert change.label == "thời hạn hoàn thành"
    assert change.before.startswith("Tháng 9/2025") and "30/09/2025" in change.before
    assert change.after.startswith("Quý IV/2025") and "31/12/2025" in change.after


def test_applying_the_amendment_keeps_every_report_line(demo):
    lines, values = TaskProgress.objects.count(), IndicatorValue.objects.count()
    task1_lines = TaskProgress.objects.filter(task__plan=demo.plan, task__code="1").count()
    assert task1_lines > 0

    amendment = plan_apply_amendment(
        data=_amended_province_plan(demo), document=AMENDING, effective=EFFECTIVE, actor=demo.supervisor,
    )

    assert (TaskProgress.objects.count(), IndicatorValue.objects.count()) == (lines, values)
    assert TaskProgress.objects.filter(task__plan=demo.plan, task__code="1").count() == task1_lines
    removed = Task.objects.get(plan=demo.plan, code="1")
    assert removed.retired_on == EFFECTIVE
    assert Task.objects.get(plan=demo.plan, code="12").retired_on == EFFECTIVE
    assert Task.objects.get(plan=demo.plan, code="12a").retired_on is None

    six = Task.objects.get(plan=demo.plan, code="6")
    assert six.deadline_due == date(2025, 12, 31)
    (term,) = TaskTerm.objects.filter(task=six)
    assert (term.deadline_raw, term.deadline_due, term.valid_from, term.valid_to) == (
        "Tháng 9/2025", date(2025, 9, 30), None, date(2026, 2, 28),
    )
    assert term.amendment == amendment

    assert amendment.document.number == "88/QĐ-UBND" and amendment.document.kind == "Quyết định điều chỉnh"
    assert amendment.effective == EFFECTIVE and amendment.applied_by == demo.supervisor
    assert {(r["code"], r["action"]) for r in amendment.diff["rows"]} == {("1", "retired"), ("12", "retired"), ("12a", "added"), ("6", "changed")}
    # The plan as it now stands no longer lists the retired rows.
    assert [t["code"] for t in export_plan(demo.plan)["tasks"]].count("1") == 0


def test_a_replace_import_goes_through_the_amendment_path(demo):
    lines = TaskProgress.objects.count()
    data = export_plan(demo.plan)
    data["tasks"] = [t for t in data["tasks"] if t["code"] != "1"]
    data["indicators"] = [i for i in data["indicators"] if i["code"] != "1.1"]
    assert IndicatorValue.objects.filter(indicator__plan=demo.plan, indicator__code="1.1").exists()
    values = IndicatorValue.objects.count()

    import_plan(data, replace=True, effective=EFFECTIVE, reason="Rà soát theo 71/NQ-CP cập nhật")

    assert TaskProgress.objects.count() == lines and IndicatorValue.objects.count() == values
    assert Task.objects.get(plan=demo.plan, code="1").retired_on == EFFECTIVE
    assert Indicator.objects.get(plan=demo.plan, code="1.1").retired_on == EFFECTIVE
    amendment = PlanAmendment.objects.get(plan=demo.plan)
    assert amendment.reason == "Rà soát theo 71/NQ-CP cập nhật" and amendment.document is None


def test_a_retired_row_that_comes_back_is_restored(demo):
    full = export_plan(demo.plan)
    without = copy.deepcopy(full)
    without["tasks"] = [t for t in without["tasks"] if t["code"] != "1"]
    plan_apply_amendment(data=without, reason="bỏ nhiệm vụ 1", effective=EFFECTIVE)
    diff = plan_diff(full)
    assert [(r.code, r.action, r.action_vi) for r in diff.rows] == [("1", "restored", "Khôi phục")]
    plan_apply_amendment(data=full, reason="khôi phục nhiệm vụ 1", effective=date(2026, 6, 1))
    assert Task.objects.get(plan=demo.plan, code="1").retired_on is None
    assert export_plan(demo.plan) == full


def test_a_row_without_report_history_is_deleted_not_retired(demo):
    data = export_plan(demo.plan)
    data["tasks"].append({**copy.deepcopy(_task(data, "23")), "code": "24", "name": "Nhiệm vụ bổ sung", "position": 99})
    plan_apply_amendment(data=data, reason="bổ sung", effective=EFFECTIVE)
    added = Task.objects.get(plan=demo.plan, code="24")
    assert not has_report_history(added)
    data["tasks"] = [t for t in data["tasks"] if t["code"] != "24"]
    (row,) = plan_diff(data).rows
    assert (row.code, row.action, row.action_vi) == ("24", "deleted", "Bãi bỏ")
    plan_apply_amendment(data=data, reason="bỏ", effective=EFFECTIVE)
    assert not Task.objects.filter(plan=demo.plan, code="24").exists()


def test_a_changed_lead_and_assignments_are_listed_field_by_field_and_kept_with_their_period(demo):
    data = export_plan(demo.plan)
    t = _task(data, "23")
    old_lead = list(t["lead_text"])
    t["lead_text"] = ["Sở Y tế"]
    t["assignments"] = [{"org": "qn-syt", "role": "lead", "source_text": "Sở Y tế"}]
    (row,) = plan_diff(data).rows
    labels = {c.label: c for c in row.changes}
    assert set(labels) == {"cơ quan chủ trì", "đơn vị được giao"}
    assert labels["cơ quan chủ trì"].after == "Sở Y tế"
    assert "qn-syt (chủ trì)" in labels["đơn vị được giao"].after

    plan_apply_amendment(data=data, reason="đổi cơ quan chủ trì", effective=EFFECTIVE)
    task = Task.objects.get(plan=demo.plan, code="23")
    before = task_terms_as_of([task.pk], date(2025, 10, 1))[task.pk]
    after = task_terms_as_of([task.pk], date(2026, 3, 1))[task.pk]
    assert before.lead_text == old_lead and not before.current
    assert after.lead_text == ["Sở Y tế"] and after.current and after.valid_from == EFFECTIVE
    # The unit that led before keeps its assignment for the days it held it.
    ended = task.assignments.exclude(valid_to=None)
    assert ended and all(a.valid_to == date(2026, 2, 28) for a in ended)
    new = task.assignments.get(org__code="qn-syt")
    assert (new.valid_from, new.valid_to) == (EFFECTIVE, None)


def test_a_report_on_an_old_period_is_judged_by_that_periods_deadline(demo):
    data = _amended_province_plan(demo)
    plan_apply_amendment(data=data, reason="gia hạn", effective=EFFECTIVE)
    six = Task.objects.get(plan=demo.plan, code="6")
    assert deadline_as_of(six, date(2025, 9, 30)).due == date(2025, 9, 30)
    assert deadline_as_of(six, date(2026, 2, 28)).due == date(2025, 9, 30)
    assert deadline_as_of(six, EFFECTIVE).due == date(2025, 12, 31)
    # A second amendment: the middle term runs from the first effective day to the day before the second.
    _task(data, "6").update(deadline_raw="Tháng 6/2026", deadline=None)
    plan_apply_amendment(data=data, reason="gia hạn lần 2", effective=date(2026, 5, 1))
    assert deadline_as_of(six, date(2026, 4, 30)).due == date(2025, 12, 31)
    assert deadline_as_of(six, date(2026, 5, 1)).due == date(2026, 6, 30)
    terms = task_terms_as_of([six.pk, Task.objects.get(plan=demo.plan, code="7").pk], date(2026, 4, 1))
    assert terms[six.pk].valid_from == EFFECTIVE and terms[six.pk].valid_to == date(2026, 4, 30)
    assert terms[Task.objects.get(plan=demo.plan, code="7").pk].current


def test_an_amendment_needs_a_document_or_a_reason(demo):
    with pytest.raises(InterchangeError, match="văn bản điều chỉnh"):
        plan_apply_amendment(data=_amended_province_plan(demo), effective=EFFECTIVE)
    assert Task.objects.get(plan=demo.plan, code="1").retired_on is None


def test_a_stale_preview_is_refused(demo):
    data = _amended_province_plan(demo)
    seen = plan_diff(data).fingerprint
    t = Task.objects.get(plan=demo.plan, code="2")
    t.name = "Đổi trong lúc xem trước"
    t.save()
    with pytest.raises(InterchangeError, match="đã thay đổi"):
        plan_apply_amendment(data=data, reason="x", effective=EFFECTIVE, expected_fingerprint=seen)
    assert Task.objects.get(plan=demo.plan, code="1").retired_on is None
    assert plan_fingerprint(demo.plan) != seen


def test_the_writes_are_batched_and_announced_once_inside_the_transaction(demo):
    from django.db import connection

    calls = []

    def receiver(sender, plan, actor, **kw):
        calls.append((plan.code, actor, signals.in_batch(), connection.in_atomic_block))

    signals.plan_changed.connect(receiver)
    try:
        plan_apply_amendment(data=_amended_province_plan(demo), reason="x", effective=EFFECTIVE, actor=demo.supervisor)
    finally:
        signals.plan_changed.disconnect(receiver)
    assert calls == [("qn-327-2025", demo.supervisor, True, True)]


def test_importing_the_son_tinh_plan_does_not_rewrite_the_province_document(demo):
    doc = SourceDocument.objects.get(number="327/QĐ-UBND")
    before = (doc.kind, doc.title, doc.date, doc.issuer_name)
    data = export_plan(demo.district_plan)
    cited = [r for r in data["document"]["implements"] if r["number"] == "327/QĐ-UBND"]
    assert cited, "the Sơn Tịnh plan cites 327/QĐ-UBND"
    cited[0].update(kind="Quyết định", title="Kế hoạch (trích)")
    import_plan(data, replace=True, effective=EFFECTIVE)
    doc.refresh_from_db()
    assert (doc.kind, doc.title, doc.date, doc.issuer_name) == before
    assert doc.kind == "Quyết định ban hành Kế hoạch hành động"


def test_a_cited_document_fills_only_empty_fields(demo):
    SourceDocument.objects.create(number="99/TB-X")
    data = export_plan(demo.district_plan)
    data["document"]["implements"].append({"number": "99/TB-X", "kind": "Thông báo", "date": "2025-01-02", "issuer_name": "", "title": "T"})
    import_plan(data, replace=True, effective=EFFECTIVE)
    d = SourceDocument.objects.get(number="99/TB-X")
    assert (d.kind, d.date, d.title) == ("Thông báo", date(2025, 1, 2), "T")


def test_a_plan_imported_before_the_plan_it_derives_from_keeps_its_links_until_that_plan_arrives(demo):
    from planwatch.plans.models import Plan

    upper = Plan.objects.get(code="nqcp71-qn")
    upper_data = export_plan(upper)
    data = export_plan(demo.plan)
    linked = {t["code"]: t["derived_from"] for t in data["tasks"] if t["derived_from"]}
    assert len(linked) == 21
    # A fresh database: neither plan exists yet, the provincial plan comes first.
    data["plan"]["code"], upper_data["plan"]["code"] = "qn-327-moi", "nqcp71-moi"
    for t in data["tasks"]:
        if t["derived_from"]:
            t["derived_from"]["plan"] = "nqcp71-moi"
    data["document"] = upper_data["document"] = None
    first = import_plan(data)
    assert export_plan(first)["tasks"] == data["tasks"], "the links wait, they are not dropped"
    assert first.tasks.exclude(derived_from=None).count() == 0
    import_plan(upper_data)
    assert first.tasks.exclude(derived_from=None).count() == 21
    assert first.pending_references.count() == 0
    t = first.tasks.get(code=next(iter(linked)))
    assert t.derived_from.plan.code == "nqcp71-moi" and t.derived_from.code == linked[t.code]["code"]


def test_a_link_to_a_missing_row_of_an_existing_plan_is_refused(demo):
    data = export_plan(demo.plan)
    next(t for t in data["tasks"] if t["derived_from"])["derived_from"]["code"] = "999"
    with pytest.raises(InterchangeError, match="nqcp71-qn/999"):
        import_plan(data, replace=True, effective=EFFECTIVE)


def test_the_import_command_shows_the_diff_and_needs_yes(demo, tmp_path, capsys):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(_amended_province_plan(demo), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="--yes"):
        call_command("import_plan", str(path), "--replace", "--effective", "01/03/2026", "--reason", "rà soát")
    out = capsys.readouterr().out
    assert "Bãi bỏ" in out and "Thêm" in out and "Sửa" in out and "Tháng 9/2025" in out
    assert Task.objects.get(plan=demo.plan, code="1").retired_on is None

    call_command("import_plan", str(path), "--replace", "--dry-run")
    assert Task.objects.get(plan=demo.plan, code="1").retired_on is None

    call_command("import_plan", str(path), "--replace", "--yes", "--effective", "01/03/2026",
                 "--document", "88/QĐ-UBND", "--document-date", "20/02/2026")
    assert Task.objects.get(plan=demo.plan, code="1").retired_on == EFFECTIVE
    assert PlanAmendment.objects.get(plan=demo.plan).document.number == "88/QĐ-UBND"
