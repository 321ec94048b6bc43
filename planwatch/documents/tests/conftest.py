"""Fixtures: a sample-history period of plan 327 with reports from most of the ~116 units,
the province's report data for it, and the seed-002 period (Sở KH&CN's accepted report)."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.db.models import Count

from planwatch.reporting.models import ReportingPeriod

from .. import report_data as rd


@pytest.fixture
def sample_period(demo):
    period = (
        ReportingPeriod.objects.filter(plan=demo.plan, is_sample=True)
        .annotate(n=Count("reports"))
        .filter(n__gte=50)
        .order_by("-end")
        .select_related("plan__owner", "plan__standing_agency")
        .first()
    )
    assert period is not None, "the demo's sample history is missing"
    return period


@pytest.fixture
def report_day(sample_period):
    return sample_period.due_date


@pytest.fixture
def province_data(demo, sample_period, report_day):
    return rd.build_report_data(sample_period, demo.province, today=report_day)


@pytest.fixture
def seed_period(db):
    return ReportingPeriod.objects.select_related("plan").get(plan__code="nqcp71-qn")


def open_docx(blob: bytes):
    from docx import Document

    return Document(BytesIO(blob))


def table_rows(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


__all__ = ["date", "timedelta"]
