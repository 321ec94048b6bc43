"""Signals of the plans app, for the apps above it (monitoring keeps its roll-ups exact).

Row-level model signals (post_save/post_delete of Task, Assignment, IndicatorTarget …) fire
for every ORM write, the admin included. A service that writes many rows at once (plan import,
amendment) wraps them in `batch_writes()`: receivers then skip the per-row work and the
service sends `plan_changed` once, inside its transaction, when the rows are written."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

# sender=Plan, plan=<Plan>, actor=<User|None>; sent inside the writing transaction.
plan_changed = Signal()
# sender=None; sent when the outermost batch_writes() block starts, before its first write.
batch_started = Signal()

_batch: ContextVar[int] = ContextVar("plans_batch_writes", default=0)


@contextmanager
def batch_writes():
    if _batch.get() == 0:
        batch_started.send(sender=None)
    token = _batch.set(_batch.get() + 1)
    try:
        yield
    finally:
        _batch.reset(token)


def in_batch() -> bool:
    return _batch.get() > 0
