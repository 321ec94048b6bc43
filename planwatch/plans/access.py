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
