"""Pure rules of reports that reporting enforces (forms, services, models) and monitoring
shows on its dashboards: the self-rating explanation and the timeliness of a report. No
database access; monitoring.status re-exports them. The SQL form of the timeliness rule
(used by monitoring's one-statement summary) is built here, beside it, and a table test
(reporting/tests/test_rules_sql.py) checks both over the same rows."""

from __future__ import annotations

from datetime import date
from enum import Enum

RATINGS_NEEDING_EXPLANATION = ("red", "amber")


def rating_explanation_error(rating: str | None, explanation: str | None) -> str | None:
    """A unit that marks its own task red or amber must say why. Returns the message to show
    beside the field, or None when the line is acceptable."""
    if rating in RATINGS_NEEDING_EXPLANATION and not (explanation or "").strip():
        word = "đỏ" if rating == "red" else "vàng"
        return f"Nhiệm vụ tự đánh giá mức {word} phải có giải trình lý do."
    return None


# ---------------------------------------------------------------------------------------------
# Timeliness of a report


class ReportTimeliness(str, Enum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"  # due date passed and nothing submitted
    PENDING = "pending"  # not submitted yet, still before the due date

    @property
    def label(self) -> str:
        return {
            ReportTimeliness.ON_TIME: "đúng hạn",
            ReportTimeliness.LATE: "trễ hạn",
            ReportTimeliness.MISSING: "chưa báo cáo (quá hạn)",
            ReportTimeliness.PENDING: "chưa đến hạn",
        }[self]


def report_timeliness(due_date: date, submitted_on: date | None, today: date) -> ReportTimeliness:
    """THE timeliness rule. `submitted_on` is the local calendar day the report was sent
    (timezone.localdate of submitted_at; a returned report counts as not sent). The due date
    itself is on time: sent at 23:30 on the due day is on time, at 00:10 the next day late."""
    if submitted_on is None:
        return ReportTimeliness.MISSING if today > due_date else ReportTimeliness.PENDING
    return ReportTimeliness.ON_TIME if submitted_on <= due_date else ReportTimeliness.LATE


def local_day_sql(column: str) -> tuple[str, dict]:
    """SQL for the local calendar day of a stored datetime (the day a report was sent, as the
    unit saw it: the SQL mirror of timezone.localdate). PostgreSQL converts by zone name;
    SQLite stores UTC text, shifted by the zone's offset (Asia/Ho_Chi_Minh has had a fixed
    +07:00 since 1975)."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    if connection.vendor == "postgresql":
        return f"({column} AT TIME ZONE %(tz)s)::date", {"tz": settings.TIME_ZONE}
    minutes = int(timezone.localtime().utcoffset().total_seconds() // 60)
    return f"date({column}, %(shift)s)", {"shift": f"{minutes:+d} minutes"}


def sent_on_time_sql(submitted_at: str, due_date: str) -> tuple[str, dict]:
    """SQL mirror of report_timeliness for a sent report: a condition that is true when the
    report stored in `submitted_at` (a datetime column) was sent on time for `due_date` (a
    date column), i.e. its local day is on or before the due day."""
    day, params = local_day_sql(submitted_at)
    return f"({day} <= {due_date})", params
