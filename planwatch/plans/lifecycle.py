"""What happens to a plan's assignments when the organisation that holds them ends.

The orgs app sends `org_ended` (it never imports plans); plans.receivers connects it to
transfer_open_assignments below, inside the same transaction as the reorganisation.

Rule: every OPEN assignment of the ended unit (valid_to empty, or on/after the effective date)
ends on the unit's last day (effective - 1 day) and passes, with the same role and printed
phrase, to each successor from the effective date, linked to it by `transferred_from`. A task
retired on or before the effective date is not passed on (it no longer counts). Whether the
ended unit had already COMPLETED the task is a reporting fact, and plans does not read
reporting: every open assignment passes, and monitoring judges completion (a successor does
not owe again what its predecessor reported done). When a successor already holds the task in
that role, the old assignment just ends (the constraint allows one per task, unit and role).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q

from planwatch.orgs.models import Organisation

from .models import Assignment, Plan
from .signals import batch_writes, plan_changed


@dataclass
class TransferResult:
    ended: list[Assignment] = field(default_factory=list)
    created: list[Assignment] = field(default_factory=list)
    already_held: list[Assignment] = field(default_factory=list)  # successors' existing assignments


def open_assignments(org: Organisation, effective: date):
    return Assignment.objects.filter(org=org).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=effective))


@transaction.atomic
def transfer_open_assignments(
    *, predecessor: Organisation, successors: list[Organisation], effective: date, actor, reason: str = ""
) -> TransferResult:
    """Ends the open assignments of `predecessor` on the day before `effective` and gives each
    successor the same task and role from `effective` (see the module's rule). Idempotent:
    a second run finds nothing open."""
    last_day = effective - timedelta(days=1)
    why = reason or f"Chuyển giao nhiệm vụ của “{predecessor.name}” từ {effective:%d/%m/%Y}"
    result = TransferResult()
    plan_ids: set[int] = set()
    with batch_writes():
        for old in open_assignments(predecessor, effective).select_related("task").select_for_update().order_by("pk"):
            task = old.task
            plan_ids.add(task.plan_id)
            old.valid_to = last_day
            old._change_reason = why
            old.save(update_fields=["valid_to"])
            result.ended.append(old)
            if task.retired_on is not None and task.retired_on <= effective:
                continue
            for s in successors:
                held = Assignment.objects.filter(task=task, org=s, role=old.role).first()
                if held is not None:
                    if held.valid_to is not None and held.valid_to < effective:
                        # The successor held it once and gave it up: it holds it again (one row
                        # per task, unit and role; the gap between is not kept).
                        held.valid_to = None
                        held._change_reason = why
                        held.save(update_fields=["valid_to"])
                    result.already_held.append(held)
                    continue
                new = Assignment(
                    task=task, org=s, role=old.role, source_text=old.source_text,
                    valid_from=effective, transferred_from=old,
                )
                new._change_reason = why
                new.save()
                result.created.append(new)
        for plan in Plan.objects.filter(pk__in=plan_ids).order_by("pk"):
            plan_changed.send(sender=Plan, plan=plan, actor=actor)
    return result


def pass_on_recorded_successions(*, actor, on: date | None = None) -> list[TransferResult]:
    """For data recorded before these rules (e.g. the demo's loader writes the reform's
    successions before any plan exists): passes the still-open assignments of every ended unit
    that has successors, from the succession's effective date (optionally only those
    effective on or before `on`)."""
    from planwatch.orgs.models import OrgSuccession

    out = []
    groups: dict[tuple[int, date], list[Organisation]] = {}
    preds: dict[int, Organisation] = {}
    rows = OrgSuccession.objects.select_related("predecessor", "successor").order_by("predecessor__path", "successor__name")
    if on is not None:
        rows = rows.filter(effective__lte=on)
    for row in rows:
        preds[row.predecessor_id] = row.predecessor
        groups.setdefault((row.predecessor_id, row.effective), []).append(row.successor)
    for (pred_id, effective), successors in groups.items():
        pred = preds[pred_id]
        units = [pred] + list(
            pred.subtree().exclude(pk=pred.pk).filter(valid_to=effective - timedelta(days=1)).order_by("path")
        )
        for unit in units:
            out.append(transfer_open_assignments(predecessor=unit, successors=successors, effective=effective, actor=actor))
    return out


@transaction.atomic
def assignment_end(*, assignment: Assignment, last_day: date, actor, reason: str) -> Assignment:
    """Ends one assignment on `last_day` (inclusive; a day before it began means it never held),
    with the reason in its history. The monitoring receivers refresh the unit's task rows in this
    transaction. Used by reporting when the standing agency accepts a unit's "Không thuộc phạm
    vi" request. An assignment already ended on or before `last_day` is left as it is."""
    locked = Assignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
    if locked.valid_to is not None and locked.valid_to <= last_day:
        return locked
    locked.valid_to = last_day
    locked._change_reason = reason
    locked._history_user = actor
    locked.save(update_fields=["valid_to"])
    return locked
