"""Keeps the roll-ups exact: every report transition refreshes them in its own transaction."""

from django.dispatch import receiver

from planwatch.reporting.signals import report_status_changed

from . import services


@receiver(report_status_changed, dispatch_uid="monitoring.rollups")
def update_rollups(sender, report, actor=None, action=None, **kwargs):
    services.on_report_changed(report)
