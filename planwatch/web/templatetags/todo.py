"""Tags for “Việc cần làm” pieces shown on other pages: why a report came back (the banner at
the top of the report page, a line in report lists) and the way back to the report's period."""

from __future__ import annotations

from django import template
from django.urls import reverse

from planwatch.reporting.access import oversight_root
from planwatch.reporting.todo import return_note

register = template.Library()


@register.simple_tag
def report_return_note(report):
    """{% report_return_note report as note %}: the ReturnNote of a report given back to its
    unit (returned by the standing agency or sent back by the head of unit), else None."""
    if report is None or getattr(report, "pk", None) is None:
        return None
    return return_note(report)


@register.simple_tag(takes_context=True)
def report_period_link(context, report):
    """{% report_period_link report as link %}: (url, text) back to the report's period —
    the period's status page for people who watch the units (standing agency, leaders),
    the unit's report list for the unit's own people."""
    request = context.get("request")
    user = getattr(request, "user", None)
    period = report.period
    if user is not None and oversight_root(user, period.plan) is not None:
        return reverse("period_detail", args=[period.pk]), f"{period.label} – tình hình gửi báo cáo của các đơn vị"
    return reverse("my_reports"), f"Các kỳ báo cáo của {report.org.name}"


@register.inclusion_tag("web/todo/_return_reason.html")
def returned_reason(report):
    """A short line for report lists: “Bị trả lại: <reason>” (or sent back by the head)."""
    note = report_return_note(report)
    return {"note": note, "report": report}
