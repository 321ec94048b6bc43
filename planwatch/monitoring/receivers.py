"""Keeps the roll-ups exact: every report transition refreshes them in its own transaction."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from planwatch.plans.models import Indicator, IndicatorTarget

from planwatch.reporting.signals import report_status_changed

from . import services


@receiver(report_status_changed, dispatch_uid="monitoring.rollups")
def update_rollups(sender, report, actor=None, action=None, **kwargs):
    services.on_report_changed(report)


@receiver(post_save, sender=IndicatorTarget, dispatch_uid="monitoring.target_saved")
@receiver(post_delete, sender=IndicatorTarget, dispatch_uid="monitoring.target_deleted")
def target_edited(sender, instance, **kwargs):
    services.indicators_edited([instance.indicator_id])


@receiver(post_save, sender=Indicator, dispatch_uid="monitoring.indicator_saved")
def indicator_edited(sender, instance, created=False, **kwargs):
    if not created:  # a new indicator changes the fingerprint: the next read rebuilds
        services.indicators_edited([instance.pk])


@receiver(m2m_changed, sender=Indicator.responsible.through, dispatch_uid="monitoring.responsible_changed")
def responsible_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # organisation.indicators.add(...): pk_set holds indicator ids (None on clear)
        ids = list(pk_set) if pk_set else list(Indicator.objects.filter(responsible=instance).values_list("pk", flat=True))
        if action == "post_clear":
            services.rebuild_rollups()
            return
    else:
        ids = [instance.pk]
    services.indicators_recombined(ids)
