"""Signals of the orgs app, for the apps above it (orgs imports none of them).

Both are sent INSIDE the writing transaction, so a receiver's writes commit or roll back
with the change that caused them."""

from django.dispatch import Signal

org_tree_changed = Signal()  # kwargs: org_ids (list[int]), sent inside the transaction

# sender=Organisation; kwargs: org (the unit that ended), successors (list[Organisation], may be
# empty), effective (date: the successors' first day; the unit's last day is the day before),
# actor (the user). Sent inside the transaction, once for the unit and once for each
# descendant that ended with it (those pass their duties to the same successors).
org_ended = Signal()
