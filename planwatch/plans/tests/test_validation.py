"""Bad data is refused at the door: every value of an interchange document is checked by one
layer (plans.validation), with a Vietnamese message naming the field; never a 500, never a
half-written plan."""

import json
from datetime import date

import pytest

from planwatch.plans.interchange import InterchangeError, export_plan, import_plan, load_json
from planwatch.plans.models import Plan

pytestmark = pytest.mark.django_db


def _copy(demo, code="qn-327-thu"):
    data = json.loads(json.dumps(export_plan(demo.plan)))
    data["plan"]["code"] = code
    return data


def _first_target(data):
    return next(i for i in data["indicators"] if i["targets"])["targets"][0]


def _a_dated_task(data):
    return next(t for t in data["tasks"] if t["deadline"]["due"])


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: _first_target(d)["spec"].update(kind="compare", op=">=", value="NaN"), "spec.value phải là số hữu hạn"),
        (lambda d: _first_target(d)["spec"].update(kind="range", value="1", value_max="Infinity"), "spec.value_max"),
        (lambda d: _first_target(d)["spec"].update(kind="compare", op=">=", value="1e400000"), "spec.value"),
        (lambda d: _first_target(d)["spec"].update(kind="nonsense"), "spec.kind"),
        (lambda d: _first_target(d).update(year="abc"), "trường “year”"),
        (lambda d: _first_target(d).update(year=1800), "1945–2100"),
        (lambda d: d["plan"].update(owner=["qn-ubnd"]), "plan.owner phải là tham chiếu tổ chức"),
        (lambda d: d["plan"].update(owner={"name": "UBND"}), "plan.owner"),
        (lambda d: d["plan"].update(code=["a"]), "Mã kế hoạch tại plan.code phải là chuỗi"),
        (lambda d: d["plan"].update(milestone_years=[2025, "abc"]), "plan.milestone_years"),
        (lambda d: d["plan"].update(reporting_due_day="mười"), "plan.reporting_due_day"),
        (lambda d: d["plan"].update(monitored="có"), "plan.monitored"),
        (lambda d: d["indicators"][1].update(baseline_value="abc"), "baseline_value"),
        (lambda d: d["indicators"][1].update(baseline_value="NaN"), "baseline_value"),
        (lambda d: d["indicators"][1].update(baseline_year="abc"), "baseline_year"),
        (lambda d: d["indicators"][1].update(code=["1"]), "phải là chuỗi"),
        (lambda d: d["indicators"][1].update(kind="many"), "trường “kind”"),
        (lambda d: d["indicators"][1].update(responsible="qn-skhcn"), "responsible"),
        (lambda d: _a_dated_task(d)["deadline"].update(due=5), "deadline.due"),
        (lambda d: _a_dated_task(d)["deadline"].update(due="30/09/2025"), "deadline.due"),
        (lambda d: _a_dated_task(d)["deadline"].update(due=None), "cần ngày “due”"),
        (lambda d: _a_dated_task(d)["deadline"].update(month=13), "deadline.month"),
        (lambda d: _a_dated_task(d).update(deadline=[1]), "deadline"),
        (lambda d: d["tasks"][0].update(code={"a": 1}), "phải là chuỗi"),
        (lambda d: d["tasks"][0].update(lead_text="Sở KH&CN"), "lead_text"),
        (lambda d: d["tasks"][0].update(assignments=[["qn-skhcn"]]), "đơn vị được giao 1"),
        (lambda d: d["tasks"][0].update(notes={"x": float("nan")}), "NaN"),
        (lambda d: d.update(tasks={"1": {}}), "tasks phải là một danh sách"),
        (lambda d: d["document"].update(date="hôm qua"), "document.date"),
    ],
)
def test_a_bad_value_is_refused_with_the_field_named_and_nothing_written(demo, mutate, message):
    data = _copy(demo)
    mutate(data)
    with pytest.raises(InterchangeError, match=message):
        import_plan(data)
    assert not Plan.objects.filter(code="qn-327-thu").exists()


def test_a_nan_target_does_not_reach_a_replaced_plan(demo):
    data = export_plan(demo.plan)
    before = json.loads(json.dumps(data))
    _first_target(data)["spec"] = {"kind": "compare", "raw": "NaN", "op": ">=", "value": "NaN"}
    with pytest.raises(InterchangeError, match="hữu hạn"):
        import_plan(data, replace=True)
    assert export_plan(Plan.objects.get(code="qn-327-2025")) == before


def test_a_list_given_as_plan_code_is_not_stored_as_its_text(demo):
    data = _copy(demo)
    data["plan"]["code"] = ["a"]
    with pytest.raises(InterchangeError):
        import_plan(data)
    assert not Plan.objects.filter(code="['a']").exists()


def test_whole_numbers_given_as_row_codes_are_read_as_text(demo):
    data = _copy(demo)
    data["tasks"][0]["code"] = 1
    assert import_plan(data).tasks.filter(code="1").exists()


def test_a_file_nested_100000_deep_gives_the_import_error_not_a_recursion_error():
    with pytest.raises(InterchangeError, match="lồng nhau quá sâu"):
        load_json("[" * 100_000 + "]" * 100_000)
    deep = {"format": "planwatch-plan"}
    node = deep
    for _ in range(100_000):
        node["x"] = {}
        node = node["x"]
    with pytest.raises(InterchangeError, match="lồng nhau quá sâu"):
        import_plan(deep)


@pytest.mark.parametrize("text, message", [
    ('{"a": NaN}', "NaN"),
    ('{"a": -Infinity}', "Infinity"),
    (b"\xff\xfe{}", "UTF-8"),
    ("{oops", "không phải JSON"),
])
def test_reading_a_file_refuses_what_json_would_let_through(text, message):
    with pytest.raises(InterchangeError, match=message):
        load_json(text)


def test_a_file_larger_than_the_limit_is_refused():
    with pytest.raises(InterchangeError, match="quá lớn"):
        load_json(b" " * (10 * 1024 * 1024 + 1))


def test_a_corrected_file_repairs_a_target_stored_as_nan_before_the_checks_existed(demo):
    from planwatch.plans.interchange import export_plan
    from planwatch.plans.models import IndicatorTarget
    from planwatch.plans.services import plan_apply_amendment, plan_diff

    clean = export_plan(demo.plan)
    target = IndicatorTarget.objects.filter(indicator__plan=demo.plan, spec__has_key="value").first()
    IndicatorTarget.objects.filter(pk=target.pk).update(spec={**target.spec, "value": "NaN"})  # a legacy row

    diff = plan_diff(clean)  # describing the stored row must not fail
    assert any(r.code == target.indicator.code and r.action == "changed" for r in diff.rows)
    plan_apply_amendment(data=clean, effective=date(2026, 11, 1), actor=demo.supervisor, reason="Sửa số liệu hỏng")
    target.refresh_from_db()
    assert target.spec["value"] != "NaN"
