import pytest

from planwatch.reporting.models import PeriodKind
from planwatch.reporting.services import period_open, report_open


@pytest.fixture
def period(demo):
    # Far from the sample history, so that the tests own every report in it.
    return period_open(plan=demo.plan, kind=PeriodKind.MONTH, year=2031, number=3)


@pytest.fixture
def report(demo, period):
    return report_open(period=period, org=demo.thientin, by=demo.reporter)
