"""A legacy bad row never takes a page down (issue 8: one target spec holding "NaN" made 17 of
21 pages answer 500 for everybody). Specs are refused at the door now (lib parsers); rows
written before that are read leniently: the indicator shows "chưa có số liệu" with a note."""

from datetime import date

import pytest
from django.urls import reverse

from planwatch.monitoring import selectors as S
from planwatch.monitoring.models import IndicatorState
from planwatch.monitoring.services import assess_indicators, ensure_fresh
from planwatch.monitoring.status import IndicatorStatus
from planwatch.plans.models import IndicatorTarget

NAN_SPEC = {"kind": "compare", "raw": "≥ NaN", "op": ">=", "value": "NaN", "value_max": None, "note": None, "flags": []}


@pytest.fixture
def poisoned(demo):
    """An indicator of plan 327 whose every stored target holds NaN (written around the
    services, as an old import did)."""
    target = IndicatorTarget.objects.filter(indicator__plan=demo.plan, spec__kind="compare").order_by("pk").first()
    IndicatorTarget.objects.filter(indicator=target.indicator).update(spec=NAN_SPEC, raw="≥ NaN")
    return target.indicator


def test_assessing_an_indicator_whose_stored_target_holds_nan_raises_nothing(poisoned):
    (a,) = S.assess([poisoned], date(2025, 10, 12))
    assert a.assessment.status is IndicatorStatus.NO_DATA
    assert "lưu không hợp lệ (“≥ NaN”)" in a.assessment.reason
    assert assess_indicators(date(2025, 10, 12), [poisoned.pk]) >= 1
    assert IndicatorState.objects.get(indicator=poisoned).status == IndicatorStatus.NO_DATA.value


def test_every_page_showing_the_indicator_still_answers(client, demo, poisoned):
    ensure_fresh()
    assess_indicators(date(2025, 10, 12), [poisoned.pk])
    client.force_login(demo.leader)
    urls = [
        reverse("plan_detail", args=[demo.plan.pk]),
        reverse("indicator_detail", args=[poisoned.pk]),
        reverse("monitoring_overview", args=[demo.province.pk]),
        reverse("monitoring_indicators", args=[demo.province.pk]),
        reverse("monitoring_ranking", args=[demo.province.pk]),
        reverse("monitoring_indicator_data", args=[poisoned.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("indicator_detail", args=[poisoned.pk])).content.decode()
    assert "Chỉ tiêu lưu không hợp lệ: “≥ NaN” (cần sửa dữ liệu)" in page
