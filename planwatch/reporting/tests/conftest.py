"""Shared reporting fixtures: the current period of plan 327 (a fresh one, not the sample
history) and Thiện Tín's report in it."""

from datetime import date

import pytest

from planwatch.reporting.models import PeriodKind
from planwatch.reporting.services import period_open, report_open


@pytest.fixture
def period(demo):
    # A period far from the sample history so that tests own every report in it.
    return period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=3)


@pytest.fixture
def report(demo, period):
    return report_open(period=period, org=demo.thientin, by=demo.reporter)


@pytest.fixture
def sibling(demo):
    from planwatch.orgs.models import Organisation

    return Organisation.objects.filter(parent=demo.thientin.parent, kind="commune").exclude(pk=demo.thientin.pk).order_by("path").first()


def form_data(report, **overrides):
    """POST data of the report form as the page would send it, with overrides."""
    from planwatch.reporting.forms import ReportForm

    lines = list(report.task_lines.select_related("task"))
    values = list(report.indicator_values.select_related("indicator"))
    form = ReportForm(report, lines, values)
    data = {name: (form.initial.get(name) or "") for name in form.fields}
    data["version"] = report.version
    data.update(overrides)
    return data
