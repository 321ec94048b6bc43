"""REST API v1 (OpenAPI at /api/v1/docs). Session or basic authentication; the same
access helpers and services as the web UI. Separate output schemas per endpoint."""

from __future__ import annotations

from django.contrib.auth import authenticate
from ninja import NinjaAPI, Schema, Status
from ninja.security import HttpBasicAuth, SessionAuth

from planwatch.orgs.models import Organisation
from planwatch.plans.access import can_import_plans, get_plan_for_user
from planwatch.plans.interchange import InterchangeError, export_plan, import_plan, load_json
from planwatch.plans.models import Plan
from planwatch.plans.services import plan_apply_amendment, plan_diff


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


# Declared before /plans/{code} so that these paths are not read as a plan code.
class ImportError400(Schema):
    detail: str


def _import_body(request):
    if not can_import_plans(request.user):
        from django.http import Http404

        raise Http404("Không tìm thấy")
    return load_json(request.body)


@api.post("/plans/diff", summary="So sánh một tệp kế hoạch với kế hoạch cùng mã (không thay đổi gì)",
          response={200: dict, 400: ImportError400})
def diff_plan(request):
    """Body: a plan in the planwatch-plan format. Returns the rows added, changed field by
    field and retired, and the `fingerprint` to pass to /plans/import."""
    try:
        diff = plan_diff(_import_body(request))
    except InterchangeError as e:
        return Status(400, {"detail": str(e)})
    return Status(200, {**diff.to_dict(), "exists": diff.exists, "fingerprint": diff.fingerprint})


@api.post("/plans/import", summary="Nhập kế hoạch mới, hoặc áp dụng điều chỉnh cho kế hoạch đã có",
          response={200: dict, 400: ImportError400})
def import_plan_api(request, effective: str | None = None, document: str | None = None, reason: str = "",
                    fingerprint: str | None = None):
    """Body: a plan in the planwatch-plan format. For an existing plan code this is an
    amendment: `effective` (YYYY-MM-DD), `document` (number of the amending decision) or
    `reason`, and the `fingerprint` returned by /plans/diff are required."""
    from datetime import date

    try:
        data = _import_body(request)
        diff = plan_diff(data)
        if not diff.exists:
            plan = import_plan(data, actor=request.user)
            return Status(200, {"plan": plan.code, "created": True, "amendment": None})
        if not fingerprint:
            raise InterchangeError("Cần “fingerprint” lấy từ /plans/diff để áp dụng điều chỉnh")
        try:
            day = date.fromisoformat(effective or "")
        except ValueError:
            raise InterchangeError("Cần ngày hiệu lực “effective” dạng YYYY-MM-DD") from None
        amendment = plan_apply_amendment(
            data=data, effective=day, document={"number": document} if document else None, reason=reason,
            actor=request.user, expected_fingerprint=fingerprint,
        )
    except InterchangeError as e:
        return Status(400, {"detail": str(e)})
    return Status(200, {"plan": diff.plan_code, "created": False, "amendment": amendment.pk if amendment else None})


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
