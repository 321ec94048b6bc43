"""{% relief_for line as rr %}: the unit's latest "Không thuộc phạm vi" request on the task of a
report line (or None), read once per report for the whole page; and {% person user %}, a
person's name family first."""

from __future__ import annotations

from django import template

from planwatch.lib.text import user_full_name

register = template.Library()


@register.simple_tag(takes_context=True)
def relief_for(context, line):
    report = line.report
    cache = context.render_context.setdefault("relief_by_report", {})
    if report.pk not in cache:
        from planwatch.reporting.relief import relief_by_task

        cache[report.pk] = relief_by_task(report.org, report.task_lines.values_list("task_id", flat=True))
    return cache[report.pk].get(line.task_id)


@register.filter
def person(user) -> str:
    return user_full_name(user) if user else ""
