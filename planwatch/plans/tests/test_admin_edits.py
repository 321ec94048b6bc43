"""Edits in the admin go through the same checks as an import, and the printed text stays
the source of the parsed meaning ("> 70" → "≥ 95%" changes what the charts and statuses read)."""

import json
from datetime import date

import pytest

from planwatch.plans.admin import TaskForm
from planwatch.plans.models import IndicatorTarget, Task
from planwatch.plans.services import target_update, task_update

pytestmark = pytest.mark.django_db


def _a_target(demo):
    return IndicatorTarget.objects.filter(indicator__plan=demo.plan, spec__kind="compare").select_related("indicator").first()


def _admin(client, demo):
    client.force_login(demo.admin)
    return client


def _post_target(client, t, **changes):
    data = {"indicator": t.indicator_id, "year": t.year, "raw": t.raw or "", "spec": json.dumps(t.spec), "note": t.note}
    data.update(changes)
    return client.post(f"/admin/plans/indicatortarget/{t.pk}/change/", data)


def test_editing_the_printed_target_in_the_admin_changes_its_meaning(client, demo):
    t = _a_target(demo)
    r = _post_target(_admin(client, demo), t, raw="≥ 95%")
    assert r.status_code == 302, r.content.decode()[:2000]
    t.refresh_from_db()
    assert t.raw == "≥ 95%"
    assert (t.target.op, t.target.value) == (">=", 95)


def test_a_nan_meaning_typed_in_the_admin_is_refused_in_vietnamese(client, demo):
    t = _a_target(demo)
    spec = dict(t.spec, value="NaN")
    r = _post_target(_admin(client, demo), t, spec=json.dumps(spec))
    assert r.status_code == 200
    assert "phải là số hữu hạn" in r.content.decode()
    t.refresh_from_db()
    assert t.spec["value"] != "NaN"


def test_a_year_out_of_range_is_refused_in_the_admin(client, demo):
    t = _a_target(demo)
    r = _post_target(_admin(client, demo), t, year=3025)
    assert r.status_code == 200 and "1945–2100" in r.content.decode()


def test_saving_a_target_with_a_new_printed_text_reparses_it(demo):
    t = _a_target(demo)
    t.raw = "≥ 95%"
    t.save()
    t.refresh_from_db()
    assert t.target.value == 95 and t.target.op == ">="


def test_the_target_service_keeps_a_reviewed_meaning_given_with_the_text(demo):
    t = _a_target(demo)
    target_update(target=t, raw="> 70 (OCR)", spec={"kind": "compare", "raw": "> 70 (OCR)", "op": ">=", "value": "70"})
    t.refresh_from_db()
    assert t.target.op == ">=" and t.raw == "> 70 (OCR)"


def test_editing_only_the_printed_deadline_reparses_it(demo):
    task = Task.objects.get(plan=demo.plan, code="6")
    assert task.deadline_due == date(2025, 9, 30)
    task.deadline_raw = "Quý II/2026"
    task.save()
    task.refresh_from_db()
    assert (task.deadline_kind, task.deadline_due) == ("quarter", date(2026, 6, 30))


def test_the_task_admin_form_reparses_the_printed_deadline_and_refuses_a_bad_meaning(demo):
    from django.forms.models import model_to_dict

    task = Task.objects.get(plan=demo.plan, code="6")
    initial = model_to_dict(task)
    data = {k: (json.dumps(v) if isinstance(v, (dict, list)) else ("" if v is None else v)) for k, v in initial.items()}
    form = TaskForm(instance=task, initial=initial, data=dict(data, deadline_raw="Tháng 3/2026"))
    assert form.is_valid(), form.errors
    assert form.save().deadline_due == date(2026, 3, 31)

    task.refresh_from_db()
    bad = dict(task.deadline_spec, due=5)
    form = TaskForm(instance=task, initial=model_to_dict(task), data=dict(data, deadline_raw=task.deadline_raw, deadline_spec=json.dumps(bad)))
    assert not form.is_valid()
    assert "deadline.due" in str(form.errors["deadline_spec"])


def test_the_task_service_keeps_the_earlier_deadline_when_given_an_effective_day(demo):
    from planwatch.plans.selectors import deadline_as_of

    task = Task.objects.get(plan=demo.plan, code="6")
    task_update(task=task, deadline_raw="Tháng 12/2026", effective=date(2026, 4, 1))
    assert task.deadline_due == date(2026, 12, 31)
    assert deadline_as_of(task, date(2026, 3, 31)).due == date(2025, 9, 30)
    assert deadline_as_of(task, date(2026, 4, 1)).due == date(2026, 12, 31)
