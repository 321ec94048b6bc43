"""Keeps the roll-ups exact: every write that feeds them refreshes the rows it touches in its
own transaction, whoever makes it (services, admin, a plain Model.save()).

- report transitions (reporting.signals.report_status_changed);
- Task: deadline, group, plan, retirement; Plan: monitored, owner;
- Assignment: added, removed, moved to another task or unit in place, validity changed;
- Organisation: path or last day changed (orgs.signals.org_tree_changed, sent by
  Organisation.save() with every unit of a moved subtree);
- Indicator, IndicatorTarget, the responsible units of an indicator: points recombined and
  the indicator re-assessed at once.

While plans.signals.in_batch() is true (a plan import or amendment), the per-row receivers do
nothing: the service sends plans.signals.plan_changed once at the end and that plan's rows are
refreshed in one go. Bulk writes that send no signal at all (queryset.update, bulk_create)
leave the drift fingerprint behind; the background repair job catches them."""

from contextvars import ContextVar

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from planwatch.orgs.signals import org_tree_changed
from planwatch.plans.models import Assignment, Indicator, IndicatorTarget, Plan, Task
from planwatch.plans.signals import batch_started, in_batch, plan_changed
from planwatch.reporting.signals import report_status_changed

from . import services

_OLD = "_monitoring_old"


def _old(sender, instance, fields):
    """The row's stored values of `fields` before this save (None for a new row)."""
    if instance.pk is None or instance._state.adding:
        return None
    return sender.objects.filter(pk=instance.pk).values_list(*fields).first()


# ----------------------------------------------------------------------------- reports


@receiver(report_status_changed, dispatch_uid="monitoring.rollups")
def update_rollups(sender, report, actor=None, action=None, **kwargs):
    services.on_report_changed(report)


# ----------------------------------------------------------------------------- plans and tasks

_PLAN_FIELDS = ("monitored", "owner_id")
_TASK_FIELDS = ("plan_id", "group_id", "deadline_kind", "deadline_due", "retired_on")


# Were the roll-ups known exact when the current batch of plan writes started? Then, once
# plan_changed has refreshed what the batch wrote, they are exact again: the drift stamp
# follows, and the repair job does not rebuild everything after each import or amendment.
_exact_at_batch_start: ContextVar[bool] = ContextVar("monitoring_exact_at_batch_start", default=False)


@receiver(batch_started, dispatch_uid="monitoring.batch_started")
def remember_whether_exact(sender, **kwargs):
    _exact_at_batch_start.set(not services.drifted())


@receiver(plan_changed, dispatch_uid="monitoring.plan_changed")
def plan_rows_changed(sender, plan, actor=None, **kwargs):
    services.refresh_plan(plan.pk)
    if in_batch() and _exact_at_batch_start.get():
        services.stamp_current()


@receiver(pre_save, sender=Plan, dispatch_uid="monitoring.plan_pre_save")
def plan_before_save(sender, instance, raw=False, **kwargs):
    if not raw and not in_batch():
        setattr(instance, _OLD, _old(sender, instance, _PLAN_FIELDS))


@receiver(post_save, sender=Plan, dispatch_uid="monitoring.plan_saved")
def plan_saved(sender, instance, created=False, raw=False, **kwargs):
    old = getattr(instance, _OLD, None)
    if raw or in_batch() or created or old is None:
        return
    if old != tuple(getattr(instance, f) for f in _PLAN_FIELDS):
        services.refresh_plan(instance.pk)


@receiver(pre_save, sender=Task, dispatch_uid="monitoring.task_pre_save")
def task_before_save(sender, instance, raw=False, **kwargs):
    if not raw and not in_batch():
        setattr(instance, _OLD, _old(sender, instance, _TASK_FIELDS))


@receiver(post_save, sender=Task, dispatch_uid="monitoring.task_saved")
def task_saved(sender, instance, created=False, raw=False, **kwargs):
    old = getattr(instance, _OLD, None)
    if raw or in_batch() or created or old is None:
        return  # a new task has no assignment yet
    if old != tuple(getattr(instance, f) for f in _TASK_FIELDS):
        services.refresh_tasks([instance.pk])


# ----------------------------------------------------------------------------- assignments


@receiver(pre_save, sender=Assignment, dispatch_uid="monitoring.assignment_pre_save")
def assignment_before_save(sender, instance, raw=False, **kwargs):
    if not raw and not in_batch():
        setattr(instance, _OLD, _old(sender, instance, ("task_id", "org_id")))


@receiver(post_save, sender=Assignment, dispatch_uid="monitoring.assignment_saved")
def assignment_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or in_batch():
        return
    old = getattr(instance, _OLD, None)
    pairs = {(instance.task_id, instance.org_id)} | _taken_over(instance)
    if old is not None:
        pairs.add(old)
    services.refresh_pairs(pairs)
    if created or old is None:
        services._advance_stamp(services.assignment_delta(1, instance.pk, instance.org_id, instance.task_id))
    elif old != (instance.task_id, instance.org_id):
        services._advance_stamp((0, 0, 0, 0, instance.org_id - old[1], instance.task_id - old[0], 0, 0))


def _taken_over(assignment) -> set[tuple[int, int]]:
    """(task, unit) rows of the units that took this assignment over: they read its unit's
    lines while they have none of their own."""
    return set(Assignment.objects.filter(transferred_from_id=assignment.pk).values_list("task_id", "org_id"))


@receiver(pre_delete, sender=Assignment, dispatch_uid="monitoring.assignment_pre_delete")
def assignment_before_delete(sender, instance, **kwargs):
    if not in_batch():  # the successors' link is cleared (SET_NULL) before post_delete
        instance._monitoring_taken_over = _taken_over(instance)


@receiver(post_delete, sender=Assignment, dispatch_uid="monitoring.assignment_deleted")
def assignment_deleted(sender, instance, **kwargs):
    if in_batch():
        return
    services.refresh_pairs({(instance.task_id, instance.org_id)} | getattr(instance, "_monitoring_taken_over", set()))
    services._advance_stamp(services.assignment_delta(-1, instance.pk, instance.org_id, instance.task_id))


# ----------------------------------------------------------------------------- organisations


@receiver(org_tree_changed, dispatch_uid="monitoring.org_tree_changed")
def org_tree_rows_changed(sender, org_ids=None, **kwargs):
    """Organisation.save() sends it (after rewriting the subtree's paths in one UPDATE) for a
    move, with every unit of the moved subtree, or for a change of validity."""
    services.orgs_moved(org_ids or [])


# ----------------------------------------------------------------------------- indicators


@receiver(post_save, sender=IndicatorTarget, dispatch_uid="monitoring.target_saved")
@receiver(post_delete, sender=IndicatorTarget, dispatch_uid="monitoring.target_deleted")
def target_edited(sender, instance, raw=False, **kwargs):
    if raw or in_batch():
        return
    if instance.indicator_id not in _deleting:  # not a cascade of the indicator's own delete
        services.indicators_edited([instance.indicator_id])


# Indicators being deleted: the cascade deletes their targets first, which must not
# re-assess (and so re-insert a state row for) an indicator about to disappear.
_deleting: set[int] = set()


@receiver(pre_delete, sender=Indicator, dispatch_uid="monitoring.indicator_pre_delete")
def indicator_before_delete(sender, instance, **kwargs):
    _deleting.add(instance.pk)


@receiver(post_save, sender=Indicator, dispatch_uid="monitoring.indicator_saved")
def indicator_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or in_batch():
        return
    services.refresh_indicators([instance.pk])
    if created:
        services._advance_stamp(services.indicator_delta(1, instance.pk))


@receiver(post_delete, sender=Indicator, dispatch_uid="monitoring.indicator_deleted")
def indicator_deleted(sender, instance, **kwargs):
    _deleting.discard(instance.pk)
    if not in_batch():
        services._advance_stamp(services.indicator_delta(-1, instance.pk))


@receiver(m2m_changed, sender=Indicator.responsible.through, dispatch_uid="monitoring.responsible_changed")
def responsible_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    if in_batch():
        return
    if reverse and action == "pre_clear":  # organisation.indicators.clear(): remember which
        instance._monitoring_cleared = list(Indicator.objects.filter(responsible=instance).values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # organisation.indicators.add(...): pk_set holds indicator ids
        ids = list(pk_set or []) if action != "post_clear" else getattr(instance, "_monitoring_cleared", [])
    else:
        ids = [instance.pk]
    services.refresh_indicators(ids)
