"""{% load vi %}: keep English off the pages. `{{ text|vi_only }}` is the text, or "" when it
is English (notes transcribed in English stay in the data and the admin, not on pages)."""

from django import template

from planwatch.lib.english import looks_english

register = template.Library()


@register.filter
def vi_only(value):
    if isinstance(value, str) and looks_english(value):
        return ""
    return value


@register.filter
def vi_notes(notes):
    """The (key, value) pairs of a notes dict whose text is not English (lists keep their
    non-English items)."""
    out = []
    for k, v in (notes or {}).items():
        if isinstance(v, list):
            v = [x for x in v if not (isinstance(x, str) and looks_english(x))]
            if v:
                out.append((k, "; ".join(str(x) for x in v)))
        elif isinstance(v, str):
            if v.strip() and not looks_english(v):
                out.append((k, v))
        elif v not in (None, "", {}):
            out.append((k, v))
    return out


@register.filter
def report_of(label: str) -> str:
    """"báo cáo tháng 11/2026" for a period label, without doubling a label that already
    says it ("Báo cáo đến ngày 10/5/2025" → "báo cáo đến ngày 10/5/2025", never
    "báo cáo báo cáo…")."""
    label = str(label or "")
    if label.lower().startswith("báo cáo"):
        return label[:1].lower() + label[1:]
    return f"báo cáo {label[:1].lower()}{label[1:]}"
