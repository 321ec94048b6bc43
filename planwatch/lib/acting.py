"""Who acts and why, for the changes made inside a block of code.

A service that writes many rows (a plan amendment, a reorganisation) names its actor and
reason once with `acting_as(user, reason)`; the change history (planwatch.audit) reads them
for every row saved inside. Lives here, framework-free, so that any app can name its actor
without depending on the audit app."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_actor: ContextVar[tuple[Any, str] | None] = ContextVar("acting_as", default=None)


@contextmanager
def acting_as(user=None, reason: str = ""):
    """Name the actor and the reason of every change made inside. An instance's own
    `_history_user` / `_change_reason` still win; an inner block that names no user keeps
    the outer block's user."""
    outer = _actor.get()
    if user is None and outer is not None:
        user = outer[0]
    token = _actor.set((user, reason or (outer[1] if outer else "")))
    try:
        yield
    finally:
        _actor.reset(token)


def current() -> tuple[Any, str] | None:
    """(user, reason) named by the innermost acting_as(), or None."""
    return _actor.get()
