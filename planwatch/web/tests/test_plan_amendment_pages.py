"""Uploading a new version of an existing plan shows the difference first and applies it
only on confirmation, with the amending document or a reason and an effective date."""

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planwatch.plans.interchange import export_plan
from planwatch.plans.models import PlanAmendment, Task
from planwatch.reporting.models import TaskProgress

pytestmark = pytest.mark.django_db


def _upload(client, data, name="plan.json"):
    body = data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()
    return client.post(reverse("plan_import_json"), {"file": SimpleUploadedFile(name, body, "application/json")})


def _amended(demo):
    data = export_plan(demo.plan)
    data["tasks"] = [t for t in data["tasks"] if t["code"] != "1"]
    six = next(t for t in data["tasks"] if t["code"] == "6")
    six["deadline_raw"], six["deadline"] = "Quý IV/2025", None
    return data


def _confirm(client, r, **fields):
    html = r.content.decode()
    token = html.split('name="token" value="')[1].split('"')[0]
    fingerprint = html.split('name="fingerprint" value="')[1].split('"')[0]
    return client.post(reverse("plan_import_confirm"), {"token": token, "fingerprint": fingerprint, **fields})


@pytest.fixture
def supervisor(client, demo):
    client.force_login(demo.supervisor)
    return client


def test_a_new_version_shows_the_difference_and_changes_nothing_yet(supervisor, demo):
    r = _upload(supervisor, _amended(demo))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Bãi bỏ" in html and "Sửa" in html
    assert "thời hạn hoàn thành" in html and "Tháng 9/2025" in html and "Quý IV/2025" in html
    assert 'name="ngay_hieu_luc"' in html and 'name="so_van_ban"' in html
    assert Task.objects.get(plan=demo.plan, code="1").retired_on is None
    assert not PlanAmendment.objects.exists()


def test_confirming_applies_the_amendment_and_keeps_the_reports(supervisor, demo):
    lines = TaskProgress.objects.count()
    r = _upload(supervisor, _amended(demo))
    r = _confirm(supervisor, r, so_van_ban="88/QĐ-UBND", ngay_van_ban="20/02/2026", ngay_hieu_luc="01/03/2026")
    assert r.status_code == 302 and r["Location"] == reverse("plan_detail", args=[demo.plan.pk])
    assert TaskProgress.objects.count() == lines
    task = Task.objects.get(plan=demo.plan, code="1")
    assert task.retired_on == date(2026, 3, 1)
    a = PlanAmendment.objects.get(plan=demo.plan)
    assert a.document.number == "88/QĐ-UBND" and a.document.date == date(2026, 2, 20) and a.applied_by == demo.supervisor

    html = supervisor.get(reverse("plan_detail", args=[demo.plan.pk])).content.decode()
    assert "đã bãi bỏ từ 01/03/2026" in html
    assert "đã bãi bỏ từ 01/03/2026" in supervisor.get(reverse("task_detail", args=[task.pk])).content.decode()


def test_confirming_needs_a_document_or_a_reason_and_a_valid_date(supervisor, demo):
    r = _upload(supervisor, _amended(demo))
    r2 = _confirm(supervisor, r, ngay_hieu_luc="31/02/2026")
    assert r2.status_code == 400
    html = r2.content.decode()
    assert "Ngày hiệu lực không hợp lệ" in html and "Cần số văn bản điều chỉnh" in html
    assert Task.objects.get(plan=demo.plan, code="1").retired_on is None
    r3 = _confirm(supervisor, r, ly_do="Rà soát giữa kỳ", ngay_hieu_luc="01/03/2026")
    assert r3.status_code == 302
    assert PlanAmendment.objects.get(plan=demo.plan).reason == "Rà soát giữa kỳ"


def test_a_stale_preview_is_refused(supervisor, demo):
    r = _upload(supervisor, _amended(demo))
    t = Task.objects.get(plan=demo.plan, code="2")
    t.name = "Sửa trong lúc xem trước"
    t.save()
    r = _confirm(supervisor, r, ly_do="x", ngay_hieu_luc="01/03/2026")
    assert r.status_code == 302
    html = supervisor.get(r["Location"]).content.decode()
    assert "Kế hoạch đã thay đổi sau khi xem trước" in html
    assert Task.objects.get(plan=demo.plan, code="1").retired_on is None


def test_a_preview_is_applied_once(supervisor, demo):
    r = _upload(supervisor, _amended(demo))
    _confirm(supervisor, r, ly_do="x", ngay_hieu_luc="01/03/2026")
    again = _confirm(supervisor, r, ly_do="x", ngay_hieu_luc="01/03/2026")
    assert "đã hết hạn hoặc đã được áp dụng" in supervisor.get(again["Location"]).content.decode()
    assert PlanAmendment.objects.count() == 1


@pytest.mark.parametrize("body, message", [
    (b"[" * 100_000 + b"]" * 100_000, "lồng nhau quá sâu"),
    ("NAN", "NaN"),
    ("OWNER", "plan.owner"),
])
def test_a_malformed_file_gives_the_import_error_not_a_500(supervisor, demo, body, message):
    if body == "NAN":
        data = export_plan(demo.plan)
        data["plan"]["code"] = "qn-moi"
        next(i for i in data["indicators"] if i["targets"])["targets"][0]["spec"]["value"] = "NaN"
        body = json.dumps(data).encode()
    elif body == "OWNER":
        data = export_plan(demo.plan)
        data["plan"]["owner"] = ["qn"]
        body = json.dumps(data).encode()
    r = _upload(supervisor, body)
    assert r.status_code == 302
    html = supervisor.get(r["Location"]).content.decode()
    assert "Không nhập được" in html and message in html


def test_only_importers_may_confirm(client, demo):
    client.force_login(demo.reporter)
    assert client.post(reverse("plan_import_confirm"), {"token": "x"}).status_code == 404
