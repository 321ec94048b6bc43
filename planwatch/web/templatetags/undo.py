"""Buttons that take an action back, for pages owned by other areas:
{% load undo %}{% report_undo_buttons report %} / {% period_withdraw_button period %}."""

from django import template

from planwatch.reporting import services
from planwatch.reporting.access import can_manage_plan

register = template.Library()


@register.inclusion_tag("web/undo/_report_buttons.html", takes_context=True)
def report_undo_buttons(context, report):
    user = context["request"].user
    return {
        "report": report,
        "withdraw": services.can_withdraw_submit(user, report),
        "unaccept": services.can_undo_accept(user, report),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("web/undo/_period_button.html", takes_context=True)
def period_withdraw_button(context, period):
    user = context["request"].user
    manage = can_manage_plan(user, period.plan)
    return {
        "period": period,
        "manage": manage,
        "problem": services.period_withdraw_problem(period) if manage else None,
        "csrf_token": context.get("csrf_token"),
    }
