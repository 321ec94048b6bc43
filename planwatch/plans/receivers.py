"""Receivers of signals from apps below plans (connected in PlansConfig.ready)."""

from __future__ import annotations

from django.dispatch import receiver

from planwatch.orgs.models import Organisation
from planwatch.orgs.signals import org_ended

from .lifecycle import transfer_open_assignments


@receiver(org_ended, sender=Organisation, dispatch_uid="plans.pass_open_assignments")
def pass_open_assignments(sender, *, org, successors, effective, actor, **kwargs):
    """A unit ended: its open assignments pass to its successors from the effective date."""
    transfer_open_assignments(predecessor=org, successors=successors, effective=effective, actor=actor)
