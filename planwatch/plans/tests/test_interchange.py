import copy
import json

import pytest
from django.core.management import call_command

from planwatch.plans.interchange import InterchangeError, export_plan, import_plan
from planwatch.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["qn-327-2025", "sontinh-kh-2025", "thientin-kh-2025"])
def test_a_round_trip_reproduces_the_plan_exactly(demo, code):
    plan = Plan.objects.get(code=code)
    before = export_plan(plan)
    import_plan(json.loads(json.dumps(before)), replace=True)
    assert export_plan(Plan.objects.get(code=code)) == before


def test_importing_under_a_new_code_creates_an_identical_copy(demo):
    data = export_plan(demo.plan)
    data["plan"]["code"] = "qn-327-copy"
    copy_ = import_plan(copy.deepcopy(data))
    again = export_plan(copy_)
    assert again["indicators"] == data["indicators"]
    assert again["tasks"] == data["tasks"]
    assert copy_.tasks.count() == 23


def test_an_existing_plan_is_not_overwritten_without_replace(demo):
    with pytest.raises(InterchangeError, match="đã có"):
        import_plan(export_plan(demo.plan))


def test_a_broken_document_changes_nothing(demo):
    data = export_plan(demo.plan)
    before = export_plan(demo.plan)
    data["indicators"][3]["name"] = "ĐÃ SỬA"
    data["tasks"][5]["assignments"].append({"org": "khong-co", "role": "lead", "source_text": ""})
    with pytest.raises(InterchangeError, match="khong-co"):
        import_plan(data, replace=True)
    assert export_plan(Plan.objects.get(code="qn-327-2025")) == before


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d.pop("format"), "định dạng"),
        (lambda d: d.update(version=99), "Phiên bản"),
        (lambda d: d["tasks"].append(dict(d["tasks"][0])), "bị lặp"),
        (lambda d: d["indicators"][1].update(parent="999"), "999"),
        (lambda d: d["tasks"][0].update(group="IX"), "IX"),
    ],
)
def test_it_explains_what_is_wrong_in_vietnamese(demo, mutate, message):
    data = export_plan(demo.plan)
    mutate(data)
    with pytest.raises(InterchangeError, match=message):
        import_plan(data, replace=True)


def test_the_commands_export_and_import_a_plan(demo, tmp_path, capsys):
    out = tmp_path / "plan.json"
    call_command("export_plan", "qn-327-2025", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "planwatch-plan" and len(data["tasks"]) == 23
    data["plan"]["code"] = "qn-327-cmd"
    out.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("import_plan", str(out))
    assert "23 nhiệm vụ" in capsys.readouterr().out
    assert export_plan(Plan.objects.get(code="qn-327-cmd"))["tasks"] == export_plan(demo.plan)["tasks"]


def test_the_import_command_rejects_a_file_that_is_not_json(demo, tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    with pytest.raises(CommandError, match="không phải JSON"):
        call_command("import_plan", str(bad))
