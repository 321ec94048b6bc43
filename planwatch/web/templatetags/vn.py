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


_NOTE_FIELDS = {
    "name": "tên", "targets": "chỉ tiêu các mốc", "agency": "cơ quan", "unit": "đơn vị tính",
    "lead": "cơ quan chủ trì", "coordinating": "cơ quan phối hợp", "result": "kết quả yêu cầu",
    "deadline": "thời hạn", "code": "số thứ tự", "date": "ngày ban hành", "implements": "văn bản được thực hiện",
    "issuer": "cơ quan ban hành", "number": "số, ký hiệu", "title": "trích yếu", "replaces": "văn bản bị thay thế",
}  # fmt: skip


@register.filter
def note_label(key: str) -> str:
    """Vietnamese label of a transcription note key ("targets_ocr" → "Bản OCR – chỉ tiêu các mốc")."""
    key = str(key)
    if key == "note":
        return "Ghi chú"
    for suffix, label in (("_ocr", "Bản OCR – {}"), ("_note", "Ghi chú về {}")):
        if key.endswith(suffix):
            field = key[: -len(suffix)]
            return label.format(_NOTE_FIELDS.get(field, field.replace("_", " ")))
    return key.replace("_", " ")
