"""The reporting workflow names its actor and comment in the ReportEvent it writes; the
history row of the same transition gets them too (reporting knows nothing of this app)."""

from __future__ import annotations

from django.dispatch import receiver

from planwatch.reporting.models import UnitReport
from planwatch.reporting.selectors import EVENT_ACTIONS
from planwatch.reporting.signals import report_status_changed


@receiver(report_status_changed, dispatch_uid="audit_report_transition")
def name_the_transition(sender, report, actor=None, action="", **kwargs):
    history = UnitReport.history.filter(id=report.pk).order_by("-history_id").first()
    if history is None:
        return
    event = report.events.filter(action=action).order_by("-at", "-pk").first()
    reason = EVENT_ACTIONS.get(action, action)
    if event is not None and event.comment:
        reason = f"{reason}: {event.comment}"
    updates = {} if history.history_change_reason else {"history_change_reason": reason}
    if history.history_user_id is None and actor is not None and getattr(actor, "pk", None):
        updates["history_user"] = actor
    if updates:
        type(history).objects.filter(pk=history.pk).update(**updates)
