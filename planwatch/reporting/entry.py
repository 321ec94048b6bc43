"""What the report page shows beside each indicator while a value is typed: the milestone
target that applies to the period and the unit's previous value for the same indicator.
Read-only; the one place the report page (and anything else) asks for them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .models import IndicatorValue, ReportingPeriod, UnitReport


@dataclass
class EntryHint:
    target_raw: str = ""  # the target cell as printed ("≥ 70", "30-40", "X")
    target_year: int | None = None
    previous: Decimal | None = None  # the unit's value in its latest earlier report
    previous_label: str = ""  # that report's period ("Tháng 10/2026")


def entry_hints(report: UnitReport) -> dict[int, EntryHint]:
    """indicator id → EntryHint for every indicator of the report (two queries).

    The target is the first milestone at or after the period's year (the one the period
    works towards); the previous value is the latest earlier period's report of the same
    unit holding a value for that indicator (whatever its status: it is what was written)."""
    period: ReportingPeriod = report.period
    values = list(report.indicator_values.select_related("indicator").prefetch_related("indicator__targets"))
    hints: dict[int, EntryHint] = {}
    for iv in values:
        hint = EntryHint()
        targets = sorted(
            (t for t in iv.indicator.targets.all() if (t.raw or "").strip() and (t.raw or "").strip() != "-"),
            key=lambda t: t.year,
        )
        ahead = [t for t in targets if t.year >= period.end.year]
        chosen = ahead[0] if ahead else (targets[-1] if targets else None)
        if chosen:
            hint.target_raw, hint.target_year = chosen.raw.strip(), chosen.year
        hints[iv.indicator_id] = hint
    earlier = (
        IndicatorValue.objects.filter(
            report__org_id=report.org_id, report__period__plan_id=period.plan_id,
            report__period__end__lt=period.end, indicator_id__in=list(hints), value__isnull=False,
        )
        .select_related("report__period")
        .order_by("indicator_id", "-report__period__end", "-report_id")
    )
    for iv in earlier:
        hint = hints[iv.indicator_id]
        if hint.previous is None:
            hint.previous, hint.previous_label = iv.value, iv.report.period.label
    return hints
