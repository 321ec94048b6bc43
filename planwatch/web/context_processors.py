"""Template context shared by every page: which header links the signed-in user is offered.
The decisions live in the apps' access helpers; templates only read the flags."""

from __future__ import annotations

from planwatch.orgs.access import has_oversight


def nav(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    # The monitoring pages answer 404 to people without oversight: do not offer the link.
    return {"nav": {"monitoring": has_oversight(user)}}
