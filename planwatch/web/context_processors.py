"""Template context shared by every page: which header links the signed-in user is offered
and how the user is named. The decisions live in the apps' access helpers; templates only
read the flags."""

from __future__ import annotations

from planwatch.lib.text import user_full_name
from planwatch.orgs.access import has_oversight, scopes_for
from planwatch.plans.access import IMPORT_ROLES, can_import_plans


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
    # "Nhập văn bản" (403 for others); the role test first spares most pages a query.
    ingest = bool(getattr(user, "is_superuser", False) or any(s.role in IMPORT_ROLES for s in scopes_for(user)))
    ingest = ingest and can_import_plans(user)
    return {"nav": {"monitoring": has_oversight(user), "ingest": ingest, "user_name": vn_full_name(user)}}
