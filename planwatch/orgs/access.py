"""Scope checks for organisations. Every view that takes an organisation from the URL or
a form goes through get_org_for_user(); querysets of organisations come from
visible_orgs()."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Membership, Organisation, Role


@dataclass(frozen=True)
class Scope:
    org_id: int
    org_path: str
    scope_path: str
    role: str


def scopes_for(user) -> list[Scope]:
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_planwatch_scopes", None)
    if cached is None:
        cached = [
            Scope(m.org_id, m.org.path, m.scope.path, m.role)
            for m in Membership.objects.select_related("org", "scope").filter(user=user)
        ]
        user._planwatch_scopes = cached
    return cached


def is_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or any(s.role == Role.ADMIN for s in scopes_for(user))))


# Roles that watch a subtree (dashboards, warnings, rankings) rather than report for a unit.
OVERSIGHT_ROLES = (Role.SUPERVISOR, Role.LEADER)


def has_oversight(user) -> bool:
    """Whether the user watches some subtree: a supervisor or leader membership, or an admin.
    Decides who is offered the monitoring pages (the "Giám sát" link)."""
    return is_admin(user) or any(s.role in OVERSIGHT_ROLES for s in scopes_for(user))


def roles_over(user, org: Organisation) -> set[str]:
    """Roles the user holds over `org` (its scope contains org)."""
    if is_admin(user):
        return set(Role.values)
    return {s.role for s in scopes_for(user) if org.path.startswith(s.scope_path)}


def visible_orgs(user) -> QuerySet[Organisation]:
    if is_admin(user):
        return Organisation.objects.all()
    scopes = scopes_for(user)
    if not scopes:
        return Organisation.objects.none()
    q = Q()
    for s in scopes:
        q |= Q(path__startswith=s.scope_path)
    return Organisation.objects.filter(q)


def get_org_for_user(user, pk: int, *, write: bool = False) -> Organisation:
    """Organisations, like plans, are public facts: any signed-in user may read one (its
    reports are guarded by the reporting access helpers). Changing an organisation needs a
    supervisor or admin role over it: 403 otherwise."""
    if not user.is_authenticated:
        raise Http404("Không tìm thấy tổ chức")
    try:
        org = Organisation.objects.get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy tổ chức") from None
    if write and not roles_over(user, org) & {Role.SUPERVISOR, Role.ADMIN}:
        raise PermissionDenied("Bạn không có quyền sửa thông tin tổ chức này")
    return org


def home_org(user) -> Organisation | None:
    """The organisation a user acts for first (their own unit)."""
    scopes = scopes_for(user)
    if not scopes:
        return None
    return Organisation.objects.filter(pk=scopes[0].org_id).first()
