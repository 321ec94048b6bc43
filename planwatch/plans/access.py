"""Plans are public documents: every signed-in user may read every plan. Changing a
plan needs a supervisor (or admin) role over the plan's owner."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from planwatch.orgs.access import roles_over
from planwatch.orgs.models import Role

from .models import Plan


def get_plan_for_user(user, pk: int, *, write: bool = False) -> Plan:
    if not user.is_authenticated:
        raise Http404("Không tìm thấy kế hoạch")
    try:
        plan = Plan.objects.select_related("owner", "document", "parent", "standing_agency").get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy kế hoạch") from None
    if write and not roles_over(user, plan.owner) & {Role.SUPERVISOR, Role.ADMIN}:
        raise PermissionDenied("Bạn không có quyền sửa kế hoạch này")
    return plan


IMPORT_ROLES = {Role.SUPERVISOR, Role.ADMIN, Role.IMPORTER}


def can_import_plans(user) -> bool:
    """Importing creates or amends plans of any unit: superusers, and supervisors, admins or
    importers over a whole root of the tree (a province). Used by the web upload ("Nhập văn
    bản", the JSON import), the API and the import commands."""
    from planwatch.orgs.models import Organisation

    return bool(user.is_authenticated and (user.is_superuser or any(
        roles_over(user, o) & IMPORT_ROLES for o in Organisation.objects.filter(parent=None)
    )))
