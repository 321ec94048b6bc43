"""The consolidated table of a period, readable at the scale of a province: one row per task
(grouped by task group as in the unit's Word table) with the summary in view and the units
folded away (<details>), each task's units ordered by kind then Vietnamese alphabetical order,
a search over tasks and units (consolidated.js; the server filters too with ?q=, scripts off),
units that had ended by the period's last day hidden unless asked for."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape
from django.utils.safestring import mark_safe

from planwatch.lib.text import search_key
from planwatch.orgs.ordering import unit_sort_key
from planwatch.reporting.access import get_period_for_user, oversight_root
from planwatch.reporting.consolidation import consolidate
from planwatch.reporting.models import ReportStatus

STATUS_BADGE = {"draft": "", "submitted": "blue", "returned": "red", "accepted": "green", "missing": "amber"}
PROGRESS_BADGE = {"done": "green", "in_progress": "blue", "not_started": "amber"}


def _ended(org, period) -> bool:
    """The unit no longer existed on the period's last day (ended by a reorganisation)."""
    return org.valid_to is not None and org.valid_to < period.end


def _unit_item(ln, named: bool) -> str:
    out = [f'<li data-org="{ln.org.pk}">']
    if named:
        out.append(f"<strong>{escape(ln.org.name)}</strong>: ")
    out.append(f'<span class="badge {PROGRESS_BADGE.get(ln.status, "")}">{escape(ln.status_label)}</span>')
    if ln.completed_on:
        out.append(f" {ln.completed_on:%d/%m/%Y}")
    for label, text in (("", ln.result_to_date), ("Dự kiến kỳ tới: ", ln.expected_next if named else ""),
                        ("Vướng mắc, kiến nghị: ", ln.obstacles if named else "")):  # fmt: skip
        if text:
            lead = f'<span class="muted">{escape(label)}</span>' if label else ""
            out.append(f'<div class="cell">{lead}{linebreaksbr(text, autoescape=True)}</div>')
    out.append("</li>")
    return "".join(out)


def _unit_lines_html(row, lines, hidden: int) -> str:
    """A task's units: one unit's line as is; several units folded in a <details> whose summary
    says how many reported, listed by kind (Sở, ngành first, then communes) and name. Built in
    Python (a province task has over a hundred units; the template language is slower)."""
    if row.assigned <= 1 and lines:
        return mark_safe('<ul class="unit-lines single">' + _unit_item(lines[0], False) + "</ul>")
    parts = [f'<details class="units"><summary>Từng đơn vị ({len(lines)})</summary><ul class="unit-lines">']
    kind = None
    for ln in lines:
        if ln.org.kind != kind:
            kind = ln.org.kind
            parts.append(f'<li class="kind">{escape(ln.org.get_kind_display())}</li>')
        parts.append(_unit_item(ln, True))
    parts.append("</ul></details>")
    if hidden:
        parts.append(f'<p class="small muted">{hidden} đơn vị đã kết thúc hoạt động trước ngày cuối kỳ không hiện.</p>')
    return mark_safe("".join(parts))  # every piece of text above is escaped


@login_required
def period_consolidated(request, pk: int):
    period = get_period_for_user(request.user, pk)
    root = oversight_root(request.user, period.plan)
    if root is None:
        raise PermissionDenied("Chỉ cơ quan thường trực và lãnh đạo xem được tình hình báo cáo của các đơn vị")
    accepted_only = request.GET.get("chi_tiep_nhan") == "1"
    show_ended = request.GET.get("ket_thuc") == "1"
    q = (request.GET.get("q") or "").strip()[:100]
    key = search_key(q) if q else ""
    # Unticked: the default rule (reports sent or accepted; never drafts or returned ones).
    con = consolidate(period, root, accepted_only=True if accepted_only else None)
    groups, n_ended, shown_tasks = [], 0, 0
    for g, rows in con.groups:
        kept = []
        for row in rows:
            lines = sorted(row.lines, key=lambda ln: unit_sort_key(ln.org.kind, ln.org.name))
            ended = [ln for ln in lines if _ended(ln.org, period)]
            n_ended += len(ended)
            if not show_ended:
                lines = [ln for ln in lines if not _ended(ln.org, period)]
            # A task is found by its code, name, lead and, when one unit carries it, that unit's name.
            only = row.lines[0].org.name if row.assigned == 1 and row.lines else ""
            row.search = search_key(f"{row.task.code} {row.task.name} {row.lead_text} {only}")
            if key and key not in row.search:
                lines = [ln for ln in lines if key in search_key(ln.org.name)]
                if not lines:
                    continue
            row.lines_html = _unit_lines_html(row, lines, 0 if show_ended else len(ended))
            kept.append(row)
        shown_tasks += len(kept)
        if kept:
            groups.append((g, kept))
    return render(request, "web/reporting/consolidated.html", {
        "period": period, "con": con, "groups": groups, "accepted_only": accepted_only, "badge": STATUS_BADGE,
        "status_words": {**dict(ReportStatus.choices), "missing": "chưa lập"}, "q": q, "show_ended": show_ended,
        "n_ended": n_ended, "shown_tasks": shown_tasks, "n_tasks": len(con.task_rows),
        "columns": period.plan.notes.get("columns_printed") if isinstance(period.plan.notes, dict) else None,
    })  # fmt: skip
