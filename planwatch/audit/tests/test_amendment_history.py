"""The acceptance scenario of issue 8 seen from the history pages: a re-import of the province
plan with one task removed, one renamed and one deadline changed shows, on the plan's and the
task's "Lịch sử thay đổi", the change, who made it and the amending document."""

import html
import re

import pytest

from planwatch.plans.models import Task
from planwatch.plans.services import plan_apply_amendment
from planwatch.plans.tests.test_amendments import AMENDING, EFFECTIVE, _amended_province_plan

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    body = response.content.decode()
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_the_history_pages_show_the_amendment_its_document_and_the_changed_deadline(demo, client):
    plan_apply_amendment(data=_amended_province_plan(demo), document=AMENDING, effective=EFFECTIVE, actor=demo.supervisor)
    client.force_login(demo.leader)

    plan_page = _text(client.get(f"/ke-hoach/{demo.plan.pk}/lich-su/"))
    assert "88/QĐ-UBND" in plan_page
    assert "Võ Thị Hạnh" in plan_page  # the supervisor who applied it, family name first
    assert "01/03/2026" in plan_page  # the retirement date of task 1 and task 12

    six = Task.objects.get(plan=demo.plan, code="6")
    task_page = _text(client.get(f"/nhiem-vu/{six.pk}/lich-su/"))
    assert "Tháng 9/2025" in task_page and "Quý IV/2025" in task_page
    assert "Điều chỉnh theo 88/QĐ-UBND" in task_page

    one = Task.objects.get(plan=demo.plan, code="1")
    retired_page = _text(client.get(f"/nhiem-vu/{one.pk}/lich-su/"))
    assert "01/03/2026" in retired_page and "Điều chỉnh theo 88/QĐ-UBND" in retired_page
