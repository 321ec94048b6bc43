"""The two large tables of the monitoring overview (units × statuses, units × task groups).

A province has ~120 units: as Django template loops these tables were most of the page's
time (thousands of variable nodes). Built here with format_html (every value escaped), they
render in a few milliseconds. The markup is the same the template produced."""

from __future__ import annotations

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


def _int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@register.simple_tag
def children_table(child_rows, task_rows, tasks_url):
    head = "".join(f'<th class="small">{escape(s["label"])}</th>' for s in task_rows)
    out = [f'<table class="grid" id="children">\n<tr><th>Đơn vị</th><th>Tổng</th>{head}</tr>']
    base = escape(tasks_url)
    keys = [s["key"] for s in task_rows]
    for r in child_rows:
        org = r["org"]
        pk = org.pk
        if r["self"]:
            name = format_html('{} <span class="small muted">(giao trực tiếp)</span>', org.name)
        else:
            name = format_html('<a href="{}">{}</a>', r["url"], org.name)
        cells = []
        counts = r["counts"]
        for key in keys:
            n = counts.get(key)
            if n:
                cells.append(f'<td class="num"><a href="{base}?don_vi={pk}&amp;trang_thai={key}">{_int(n)}</a></td>')
            else:
                cells.append('<td class="num"><span class="muted">0</span></td>')
        out.append(
            f'<tr data-org="{pk}">\n<td>{name}</td>\n'
            f'<td class="num"><a href="{base}?don_vi={pk}">{_int(r["total"])}</a></td>\n{"".join(cells)}\n</tr>'
        )
    out.append("</table>")
    return mark_safe("\n".join(out))


def _heat_colour(pct):
    if pct is None:
        return "#fff"
    if pct == 0:
        return "#e6f4ea"
    return "#fef3e0" if pct < 30 else "#fce8e6"


@register.simple_tag
def heat_table(heat_rows, groups, tasks_url):
    head = "".join(format_html('<th title="{}">{}</th>', name, code or "(không nhóm)") for code, name in groups)
    out = [f'<table class="grid heat" id="heatmap">\n<tr><th>Đơn vị</th>{head}</tr>']
    base = escape(tasks_url)
    for r in heat_rows:
        org = r["org"]
        cells = []
        for c in r["cells"]:
            link = ""
            if c["total"]:
                link = (f'<a href="{base}?don_vi={org.pk}&amp;nhom={escape(c["group"])}" '
                        f'title="{c["bad"]}/{c["total"]}">{c["pct"]}%</a>')  # fmt: skip
            cells.append(f'<td class="cell" style="background:{_heat_colour(c["pct"])}">{link}</td>')
        out.append(f'<tr><td>{escape(org.short_name or org.name)}</td>\n{"".join(cells)}</tr>')
    out.append("</table>")
    return mark_safe("\n".join(out))
