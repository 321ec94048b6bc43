"""Template context shared by every page: which header links the signed-in user is offered
and how the user is named. The decisions live in the apps' access helpers; templates only
read the flags."""

from __future__ import annotations

from planwatch.lib.text import user_full_name
from planwatch.orgs.access import has_oversight


def vn_full_name(user) -> str:
    """The user's name in Vietnamese order, family name first ("Nguyễn Thị Lan"), unlike
    Django's get_full_name() ("Lan Nguyễn Thị"); the username when no name is recorded.
    The rule is lib.text.vn_full_name, used by e-mails, histories and documents too."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return user_full_name(user)


def nav(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    # The monitoring pages answer 404 to people without oversight: do not offer the link.
    return {"nav": {"monitoring": has_oversight(user), "user_name": vn_full_name(user)}}
