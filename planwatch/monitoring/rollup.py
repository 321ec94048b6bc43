"""Re-export: the aggregation rule lives in reporting.aggregation (one rule for the
consolidated table, the roll-ups and the exports)."""

from planwatch.reporting.aggregation import Combined, UnitFigure, combine, ratio  # noqa: F401
