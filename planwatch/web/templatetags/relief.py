"""{% relief_for line as rr %}: the unit's latest "Không thuộc phạm vi" request on the task of a
report line (or None), read once per report for the whole page; and {% person user %}, a
person's name family first."""

from __future__ import annotations

from django import template

from planwatch.lib.text import user_full_name

register = template.Library()


@register.simple_tag(takes_context=True)
def relief_for(context, line):
    cache = context.render_context.setdefault("relief_by_report", {})
    if line.report_id not in cache:
        from planwatch.reporting.models import TaskProgress, UnitReport
        from planwatch.reporting.relief import relief_by_task

        org_id = UnitReport.objects.filter(pk=line.report_id).values_list("org_id", flat=True).first()
        tasks = TaskProgress.objects.filter(report_id=line.report_id).values_list("task_id", flat=True)
        cache[line.report_id] = relief_by_task(org_id, tasks)
    return cache[line.report_id].get(line.task_id)


@register.filter
def person(user) -> str:
    return user_full_name(user) if user else ""
