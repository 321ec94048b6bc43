"""Vietnamese display filters: numbers 1.000,5, dates dd/mm/yyyy, status words."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone

from planwatch.lib.numbers import format_vn_number

register = template.Library()


@register.filter
def vnnum(value, decimals=None):
    if value is None or value == "":
        return ""
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value
    return format_vn_number(d, None if decimals in (None, "") else int(decimals))


@register.filter
def vndate(value):
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None
