"""The large tables of the monitoring overview (units × statuses, units × task groups of each
plan) and the small labels they share with the monitoring pages.

A province has ~120 units: as Django template loops these tables were most of the page's
time (thousands of variable nodes). Built here with format_html (every value escaped), they
render in a few milliseconds."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


def _int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@register.filter
def plan_label(plan) -> str:
    """How people name a plan: its document number ("327/QĐ-UBND"); a plan whose document
    carries no number is named by its issuer, a plan without a document by its name. Never
    the internal code (sontinh-kh-2025). Needs plan.document (select_related)."""
    if plan is None:
        return ""
    doc = plan.document
    if doc is not None and doc.number:
        return doc.number
    if doc is not None and doc.issuer_name:
        return f"Kế hoạch chưa ghi số của {doc.issuer_name.replace('Ủy ban nhân dân', 'UBND')}"
    name = plan.name
    return name if len(name) <= 70 else name[:69].rsplit(" ", 1)[0] + "…"


_GROUP_PREFIX = re.compile(r"^\s*nhóm\s+(các\s+)?nhiệm\s+vụ\s*(về)?\s*", re.IGNORECASE)


@register.filter
def group_short(name: str, limit: int = 42) -> str:
    """A short visible label for a task group: its words without "Nhóm các nhiệm vụ về" and the
    quotes, first clause, cut at a word ("Nâng cao nhận thức, đột phá về đổi mới tư duy…")."""
    text = _GROUP_PREFIX.sub("", name or "").strip().strip("“”\"'").strip()
    text = text.split(";")[0].strip()
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;: ") + "…"


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


# The heat scale: the share of delay in a cell by the ranking's weights (ranking.heat_penalty):
# an assignment overdue or (recurring) not reported counts 1, one finished late ½.
HEAT_SCALE = [
    ("h0", "0%"),
    ("h1", "dưới 15%"),
    ("h2", "15% – dưới 30%"),
    ("h3", "30% – dưới 50%"),
    ("h4", "từ 50%"),
]


def heat_class(bad: int, total: int) -> str:
    """Class of a heat cell. Judged on the exact share (14,6% is still "dưới 15%"); a cell with
    any bad assignment is never the "0%" green, however large the total."""
    if not total:
        return "hnone"
    if not bad:
        return "h0"
    share = bad / total
    return "h1" if share < 0.15 else "h2" if share < 0.30 else "h3" if share < 0.50 else "h4"


def heat_text(bad: int, total: int) -> str:
    if not bad:
        return "0%"
    pct = 100 * bad / total
    # Floored, so that the number agrees with the colour (14,6% reads "14%", under 15%).
    return "<1%" if pct < 1 else f"{int(pct)}%"


@register.simple_tag
def heat_legend():
    items = "".join(f'<span class="heat-key"><span class="swatch {c}"></span>{escape(label)}</span>' for c, label in HEAT_SCALE)
    return mark_safe(
        f'<div class="heat-legend small" id="heat-legend">{items}'
        '<span class="heat-key"><span class="swatch hnone"></span>không giao nhiệm vụ</span>'
        '<span class="heat-key">Mức chậm của ô: nhiệm vụ quá hạn hoặc chưa báo cáo tính 1, hoàn thành quá hạn tính ½, '
        'trên số lượt giao.</span></div>'
    )


@register.simple_tag
def heat_tables(heat_plans, tasks_url):
    """One table per plan: the units below that carry its tasks × the plan's task groups."""
    base = escape(tasks_url)
    out = []
    for hp in heat_plans:
        plan = hp["plan"]
        label = plan_label(plan)
        head = []
        for g in hp["groups"]:
            if g is None:
                head.append('<th title="Nhiệm vụ không thuộc nhóm nào">(không nhóm)</th>')
            else:
                head.append(format_html(
                    '<th class="group" title="{}. {}"><span class="code">{}</span> <span class="small">{}</span></th>',
                    g.code, g.name, g.code, group_short(g.name),
                ))  # fmt: skip
        out.append(format_html(
            '<details class="heat-plan" data-plan="{}"{}><summary><strong>{}</strong> <span class="small muted">{}</span></summary>',
            plan.pk, mark_safe(" open") if hp["open"] else "", label, plan.name,
        ))  # fmt: skip
        out.append(f'<table class="grid heat" data-plan="{plan.pk}">\n<tr><th>Đơn vị</th>{"".join(head)}</tr>')
        for r in hp["rows"]:
            org = r["org"]
            cells = []
            for c in r["cells"]:
                # Coloured by the weighted delay (overdue 1, finished late ½); the title counts them.
                pen, out_of = c.get("pen", c["bad"]), c.get("out_of", c["total"])
                cls = heat_class(pen, out_of)
                link = ""
                if c["total"]:
                    group = c["group"]
                    q = f"nhom={group.pk}" if group is not None else f"ke_hoach={plan.pk}&amp;nhom=0"
                    link = (f'<a href="{base}?don_vi={org.pk}&amp;{q}" data-pen="{pen}/{out_of}" '
                            f'title="{c["bad"]}/{c["total"]} lượt giao">{heat_text(pen, out_of)}</a>')  # fmt: skip
                cells.append(f'<td class="cell {cls}">{link}</td>')
            out.append(f'<tr data-org="{org.pk}"><td>{escape(org.short_name or org.name)}</td>\n{"".join(cells)}</tr>')
        out.append("</table></details>")
    return mark_safe("\n".join(out))
