"""manage.py import_document: summary, --dry-run --json (an interchange document that
validates, with its warnings), --apply, and a bad file's Vietnamese message with a non-zero
exit code."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from planwatch.documents.models import ImportJob
from planwatch.plans.models import Plan

from .test_pipeline import plan_docx


def test_dry_run_json_is_an_interchange_document_that_validates(demo, tmp_path):
    from planwatch.plans.interchange import normalize

    src = tmp_path / "ke-hoach.docx"
    src.write_bytes(plan_docx())
    out = tmp_path / "draft.json"
    stdout = StringIO()
    plans = Plan.objects.count()
    call_command("import_document", str(src), "--dry-run", "--json", str(out), stdout=stdout)
    text = stdout.getvalue()
    assert "loại: kế hoạch" in text
    assert "3 chỉ tiêu, 2 nhóm nhiệm vụ, 3 nhiệm vụ" in text
    assert "Không xác định được cơ quan “Trung tâm Sáng tạo Vũ Trụ Xanh”" in text  # a flag with its place
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "planwatch-plan" and data["plan"]["code"] == "88-kh-ubnd-2025"
    doc = normalize(data)  # the warnings beside it do not stop a script from checking it
    assert [r["code"] for r in doc["indicators"]] == ["1", "2", "3"]
    assert any(w["field"] == "agency" and w["where"] for w in data["warnings"])
    assert Plan.objects.count() == plans and not ImportJob.objects.exists()  # a dry run writes nothing


def test_apply_writes_the_plan(demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    src = tmp_path / "ke-hoach.docx"
    src.write_bytes(plan_docx())
    stdout = StringIO()
    call_command("import_document", str(src), "--apply", stdout=stdout)
    assert "Đã nhập kế hoạch 88-kh-ubnd-2025" in stdout.getvalue()
    plan = Plan.objects.get(code="88-kh-ubnd-2025")
    assert plan.tasks.count() == 3
    assert ImportJob.objects.get().result_plan == plan


def test_a_bad_file_gives_its_message_and_a_non_zero_exit(demo, tmp_path):
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"PK\x03\x04 not a Word file")
    with pytest.raises(CommandError) as e:
        call_command("import_document", str(bad), "--dry-run", stdout=StringIO())
    assert e.value.returncode != 0
    assert str(e.value)  # the reader's Vietnamese message
    empty = tmp_path / "thu.txt"
    empty.write_text("Kính gửi các sở, ban, ngành.\nĐề nghị gửi báo cáo đúng hạn.\n", encoding="utf-8")
    with pytest.raises(CommandError) as e:
        call_command("import_document", str(empty), "--dry-run", stdout=StringIO())
    assert "Không tìm thấy bảng chỉ tiêu" in str(e.value)
    assert not ImportJob.objects.exists()
