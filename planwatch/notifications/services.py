"""Notifications: the one way to tell people something.

`notify(users=…, kind=…, title=…)` writes one in-app Notification per person (a non-empty
`key` makes it idempotent per person) and queues an e-mail through the existing outbox
(reporting.OutboxMessage → reporting.tasks.deliver_outbox) for each of them who has an
address; the e-mail carries the absolute deep link (settings.PLANWATCH_BASE_URL + url).
E-mails are queued on commit, so nobody is mailed about something rolled back.

The app depends only on orgs and auth; the outbox model is imported lazily (reporting
calls notify, so a module-level import would be circular)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


@dataclass
class Delivery:
    """What one call to notify did: who was told in the application, which addresses an
    e-mail was queued to, and who could not be e-mailed (no address)."""

    in_app: list = field(default_factory=list)  # users given a new notification
    emails: list[str] = field(default_factory=list)  # addresses an e-mail was queued to
    without_email: list = field(default_factory=list)  # users notified in-app only
    outbox_ids: list[int] = field(default_factory=list)


def absolute_url(url: str) -> str:
    """A deep link for e-mails: the path made absolute with PLANWATCH_BASE_URL."""
    if not url:
        return ""
    if url.startswith(("http://", "https://")):
        return url
    base = (getattr(settings, "PLANWATCH_BASE_URL", "") or DEFAULT_BASE_URL).rstrip("/")
    return f"{base}/{url.lstrip('/')}"


def email_body(body: str, url: str) -> str:
    link = absolute_url(url)
    text = (body or "").rstrip()
    if link:
        text = (text + "\n\n" if text else "") + f"Xem trên planwatch: {link}"
    return text + "\n"


def _unique_users(users: Iterable) -> list:
    seen: set[int] = set()
    out = []
    for u in users:
        if u is None or u.pk in seen or not getattr(u, "is_active", True):
            continue
        seen.add(u.pk)
        out.append(u)
    return out


def deliver_notifications(
    *, users, kind: str, title: str, body: str = "", url: str = "", actor=None, key: str = "",
    org=None, outbox: dict | None = None, email: bool = True,
) -> Delivery:
    """notify() with the detail: see Delivery. `outbox` adds fields to the queued
    OutboxMessage rows (org, period, report) so the outbox page can show what they are about;
    `org` is the unit the notification is about; `email=False` tells in the application only."""
    from planwatch.reporting.models import OutboxMessage

    title = (title or "").strip()[:255]
    key = (key or "")[:200]
    url = (url or "")[:500]
    people = _unique_users(users)
    result = Delivery()
    if not people:
        return result
    with transaction.atomic():
        if key:
            already = set(
                Notification.objects.filter(user_id__in=[u.pk for u in people], key=key).values_list("user_id", flat=True)
            )
            people = [u for u in people if u.pk not in already]
        for u in people:
            # One savepoint per row: a concurrent notify with the same key loses quietly.
            try:
                with transaction.atomic():
                    Notification.objects.create(
                        user=u, kind=kind, title=title, body=body, url=url, actor=actor, key=key, org=org
                    )
            except IntegrityError:
                if key and Notification.objects.filter(user=u, key=key).exists():
                    continue
                raise
            result.in_app.append(u)
        if email:
            text = email_body(body, url)
            for u in result.in_app:
                addr = (u.email or "").strip()
                if "@" not in addr:
                    result.without_email.append(u)
                    continue
                msg = OutboxMessage.objects.create(
                    to=addr[:255], subject=title, body=text, kind=kind[:32], **(outbox or {})
                )
                result.emails.append(addr)
                result.outbox_ids.append(msg.pk)
        ids = list(result.outbox_ids)
        if ids:
            transaction.on_commit(lambda: _deliver_later(ids))
    return result


def _deliver_later(ids: list[int]) -> None:
    from planwatch.reporting.tasks import deliver_outbox

    for pk in ids:
        deliver_outbox.delay(pk)


def notify(*, users, kind: str, title: str, body: str = "", url: str = "", actor=None, key: str = "") -> int:
    """One in-app notification per user (a user who already has one with the same non-empty
    `key` is skipped) and an e-mail queued for each of them with an address. Returns the
    number of users notified in the application."""
    return len(
        deliver_notifications(users=users, kind=kind, title=title, body=body, url=url, actor=actor, key=key).in_app
    )


def users_of(org, roles=None):
    """Active users with a membership in `org` (optionally only with one of `roles`)."""
    User = get_user_model()
    cond = {"memberships__org": org}
    if roles:
        cond["memberships__role__in"] = list(roles)
    return User.objects.filter(is_active=True, **cond).distinct().order_by("pk")


# ---------------------------------------------------------------- reading
def unread_count(user) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (the given ones, or all). Only the user's own rows
    are touched; returns how many changed."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=[int(i) for i in ids])
    return qs.update(read_at=timezone.now())


def mark_unread(*, user, ids: Iterable[int]) -> int:
    return Notification.objects.filter(user=user, pk__in=[int(i) for i in ids]).update(read_at=None)
