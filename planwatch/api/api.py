"""REST API v1 (OpenAPI at /api/v1/docs). Session or basic authentication; the same
access helpers and services as the web UI. Separate output schemas per endpoint."""

from __future__ import annotations

from django.contrib.auth import authenticate
from ninja import NinjaAPI, Schema
from ninja.security import HttpBasicAuth, SessionAuth

from planwatch.orgs.models import Organisation
from planwatch.plans.access import get_plan_for_user
from planwatch.plans.interchange import export_plan
from planwatch.plans.models import Plan


class BasicAuth(HttpBasicAuth):
    def authenticate(self, request, username, password):
        user = authenticate(request, username=username, password=password)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(title="planwatch API", version="1", urls_namespace="api-v1", auth=[SessionAuth(), BasicAuth()])


class PlanOut(Schema):
    id: int
    code: str
    name: str
    document_number: str | None
    owner: str
    parent: str | None
    indicators: int
    tasks: int


class OrgOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent: str | None
    valid_from: str | None
    valid_to: str | None
    successors: list[str]


@api.get("/plans", response=list[PlanOut], summary="Danh sách kế hoạch")
def list_plans(request):
    out = []
    for p in Plan.objects.select_related("owner", "document", "parent").order_by("code"):
        out.append(PlanOut(
            id=p.pk, code=p.code, name=p.name, document_number=p.document.number if p.document else None,
            owner=p.owner.code, parent=p.parent.code if p.parent_id else None,
            indicators=p.indicators.filter(is_group=False).count(), tasks=p.tasks.count(),
        ))
    return out


@api.get("/plans/{code}", summary="Một kế hoạch theo định dạng trao đổi planwatch-plan")
def get_plan(request, code: str):
    plan = Plan.objects.filter(code=code).only("pk").first()
    if plan is None:
        from django.http import Http404

        raise Http404("Không tìm thấy kế hoạch")
    return export_plan(get_plan_for_user(request.user, plan.pk))


@api.get("/orgs/{code}", response=OrgOut, summary="Một tổ chức")
def get_org(request, code: str):
    from django.shortcuts import get_object_or_404

    o = get_object_or_404(Organisation.objects.select_related("parent"), code=code)
    return OrgOut(
        id=o.pk, code=o.code, name=o.name, kind=o.kind, parent=o.parent.code if o.parent_id else None,
        valid_from=o.valid_from.isoformat() if o.valid_from else None,
        valid_to=o.valid_to.isoformat() if o.valid_to else None,
        successors=[s.successor.code for s in o.successions.select_related("successor")],
    )
