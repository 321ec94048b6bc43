"""Combining unit figures into one figure for a plan: pure, no ORM. The one rule used by the
consolidated table (reporting.consolidation), the dashboards' roll-ups (monitoring) and the
exported reports (documents).

Counts add up; ratios are recomputed from the summed numerators and denominators (never an
average of percentages); ranks, indices and qualitative figures are never added: the figure
of the responsible unit is taken."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from planwatch.lib.numbers import ratio_percent

RATIO_QUANT = Decimal("0.01")


@dataclass(frozen=True)
class UnitFigure:
    org_id: int
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass(frozen=True)
class Combined:
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    contributors: int
    source_org_id: int | None = None  # whose figure was taken (rules that do not add up)


def ratio(num: Decimal, den: Decimal) -> Decimal | None:
    """The percentage from a numerator and a denominator: lib.numbers.ratio_percent."""
    return ratio_percent(num, den, RATIO_QUANT)


def combine(aggregation: str, figures: list[UnitFigure], responsible_ids: list[int]) -> Combined:
    """`responsible_ids` in order of precedence (the lead agency first)."""
    if aggregation == "sum":
        vals = [f.value for f in figures if f.value is not None]
        return Combined(sum(vals, Decimal(0)) if vals else None, None, None, len(vals))
    if aggregation == "ratio":
        pairs = [(f.numerator, f.denominator) for f in figures if f.numerator is not None and f.denominator]
        if not pairs:
            return Combined(None, None, None, 0)
        num = sum((p[0] for p in pairs), Decimal(0))
        den = sum((p[1] for p in pairs), Decimal(0))
        return Combined(ratio(num, den), num, den, len(pairs))
    by_org = {f.org_id: f for f in figures}
    # A single reporting unit stands for the plan when no responsible agency is recorded.
    order = responsible_ids or ([figures[0].org_id] if len(figures) == 1 else [])
    for org_id in order:
        f = by_org.get(org_id)
        if f is None:
            continue
        value = f.value
        if value is None and f.numerator is not None and f.denominator:
            value = ratio(f.numerator, f.denominator)
        if value is not None:
            return Combined(value, f.numerator, f.denominator, 1, org_id)
    return Combined(None, None, None, 0)
