"""Template context shared by every page: which header links the signed-in user is offered
and how the user is named. The decisions live in the apps' access helpers; templates only
read the flags."""

from __future__ import annotations

from planwatch.orgs.access import has_oversight


def vn_full_name(user) -> str:
    """The user's name in Vietnamese order, family name first ("Nguyễn Thị Lan"), unlike
    Django's get_full_name() ("Lan Nguyễn Thị"); the username when no name is recorded.
    (reporting.services._user_name writes names into e-mails the same way.)"""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def nav(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    # The monitoring pages answer 404 to people without oversight: do not offer the link.
    return {"nav": {"monitoring": has_oversight(user), "user_name": vn_full_name(user)}}
