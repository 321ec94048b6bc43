"""The bell: the signed-in user's unread notifications (one COUNT query per page)."""

from django import template

from planwatch.notifications.services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    return unread_count(getattr(request, "user", None))
