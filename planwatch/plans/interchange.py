"""The planwatch plan interchange format (JSON), version 1.

export_plan(plan) -> dict and import_plan(dict) -> Plan are inverses: importing an
exported plan and exporting it again gives the same document. Organisations are named by
their stable `code` (with the name beside it, for people); other plans and indicators by
plan code + row code. Documented in docs/interchange.md.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from planwatch.lib.deadlines import DeadlineSpec, parse_deadline
from planwatch.lib.targets import TargetSpec, parse_target
from planwatch.orgs.models import Organisation

from .models import (
    Assignment,
    Indicator,
    IndicatorTarget,
    Plan,
    SourceDocument,
    Task,
    TaskGroup,
)

FORMAT = "planwatch-plan"
VERSION = 1


class InterchangeError(ValueError):
    """Raised with a Vietnamese message naming the offending field."""


def _org_ref(org: Organisation | None) -> dict | None:
    return {"code": org.code, "name": org.name} if org else None


def _doc_ref(doc: SourceDocument) -> dict:
    return {
        "number": doc.number,
        "kind": doc.kind,
        "date": doc.date.isoformat() if doc.date else None,
        "issuer_name": doc.issuer_name,
        "title": doc.title,
    }


def _dec(v: Decimal | None) -> str | None:
    return None if v is None else format(v.normalize(), "f")


def export_plan(plan: Plan) -> dict[str, Any]:
    doc = plan.document
    indicators = list(
        plan.indicators.select_related("parent", "aligned_to__plan").prefetch_related("targets", "responsible").order_by("position")
    )
    tasks = list(
        plan.tasks.select_related("group", "derived_from__plan").prefetch_related("assignments__org").order_by("position")
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "plan": {
            "code": plan.code,
            "name": plan.name,
            "owner": _org_ref(plan.owner),
            "parent": plan.parent.code if plan.parent_id else None,
            "standing_agency": _org_ref(plan.standing_agency),
            "milestone_years": list(plan.milestone_years),
            "reporting_schedule": plan.reporting_schedule,
            "reporting_due_day": plan.reporting_due_day,
            "monitored": plan.monitored,
            "notes": plan.notes,
        },
        "document": None
        if doc is None
        else {
            **_doc_ref(doc),
            "issuer": _org_ref(doc.issuer),
            "implements": [_doc_ref(d) for d in doc.implements.order_by("number")],
            "replaces": [_doc_ref(d) for d in doc.replaces.order_by("number")],
            "notes": doc.notes,
        },
        "indicators": [
            {
                "code": i.code,
                "parent": i.parent.code if i.parent_id else None,
                "position": i.position,
                "is_group": i.is_group,
                "name": i.name,
                "unit": i.unit,
                "kind": i.kind,
                "direction": i.direction,
                "aggregation": i.aggregation,
                "agency_text": i.agency_text,
                "agency_inferred": i.agency_inferred,
                "responsible": sorted(o.code for o in i.responsible.all()),
                "aligned_to": {"plan": i.aligned_to.plan.code, "code": i.aligned_to.code} if i.aligned_to_id else None,
                "alignment_note": i.alignment_note,
                "baseline_value": _dec(i.baseline_value),
                "baseline_year": i.baseline_year,
                "notes": i.notes,
                "targets": [
                    {"year": t.year, "raw": t.raw, "spec": t.spec, "note": t.note}
                    for t in sorted(i.targets.all(), key=lambda t: t.year)
                ],
            }
            for i in indicators
        ],
        "task_groups": [{"code": g.code, "name": g.name, "position": g.position} for g in plan.task_groups.order_by("position")],
        "tasks": [
            {
                "code": t.code,
                "group": t.group.code if t.group_id else None,
                "position": t.position,
                "name": t.name,
                "lead_text": t.lead_text,
                "coordinating_text": t.coordinating_text,
                "result": t.result,
                "deadline_raw": t.deadline_raw,
                "deadline": t.deadline_spec,
                "derived_from": {"plan": t.derived_from.plan.code, "code": t.derived_from.code} if t.derived_from_id else None,
                "notes": t.notes,
                "assignments": sorted(
                    ({"org": a.org.code, "role": a.role, "source_text": a.source_text} for a in t.assignments.all()),
                    key=lambda a: (a["role"], a["org"]),
                ),
            }
            for t in tasks
        ],
    }


# --- import ---------------------------------------------------------------------------


def _require(d: dict, key: str, where: str):
    if key not in d:
        raise InterchangeError(f"Thiếu trường “{key}” tại {where}")
    return d[key]


def _org(ref: dict | str | None, where: str, cache: dict[str, Organisation]) -> Organisation | None:
    if ref is None:
        return None
    code = ref["code"] if isinstance(ref, dict) else ref
    if code not in cache:
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            raise InterchangeError(f"Không có tổ chức mã “{code}” (tại {where})")
        cache[code] = org
    return cache[code]


def _date(v: str | None, where: str) -> date | None:
    if not v:
        return None
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise InterchangeError(f"Ngày không hợp lệ “{v}” tại {where} (cần dạng YYYY-MM-DD)") from None


def _upsert_doc_ref(ref: dict) -> SourceDocument:
    number = ref.get("number") or ""
    doc = SourceDocument.objects.filter(number=number).first() if number else None
    if doc is None:
        doc = SourceDocument(number=number)
    for field in ("kind", "issuer_name", "title"):
        if ref.get(field):
            setattr(doc, field, ref[field])
    if ref.get("date"):
        doc.date = _date(ref["date"], f"văn bản {number}")
    doc.save()
    return doc


def _target_spec(t: dict, where: str) -> dict:
    if t.get("spec"):
        try:
            return TargetSpec.from_dict(t["spec"]).to_dict()
        except (KeyError, ValueError, TypeError) as e:
            raise InterchangeError(f"Chỉ tiêu đã phân tích không hợp lệ tại {where}: {e}") from None
    return parse_target(t.get("raw")).value.to_dict()


def _deadline_spec(t: dict, where: str) -> dict:
    if t.get("deadline"):
        try:
            return DeadlineSpec.from_dict(t["deadline"]).to_dict()
        except (KeyError, ValueError, TypeError) as e:
            raise InterchangeError(f"Thời hạn đã phân tích không hợp lệ tại {where}: {e}") from None
    return parse_deadline(t.get("deadline_raw") or None).value.to_dict()


@transaction.atomic
def import_plan(data: dict[str, Any], *, replace: bool = False) -> Plan:
    """Create (or, with replace=True, update in place by codes) the plan described by
    `data`. All or nothing: any error rolls the whole import back."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InterchangeError("Tệp không phải định dạng kế hoạch planwatch (thiếu \"format\": \"planwatch-plan\")")
    if data.get("version") != VERSION:
        raise InterchangeError(f"Phiên bản định dạng {data.get('version')!r} chưa được hỗ trợ (cần {VERSION})")
    orgs: dict[str, Organisation] = {}
    p = _require(data, "plan", "gốc")
    code = _require(p, "code", "plan")
    plan = Plan.objects.filter(code=code).first()
    if plan and not replace:
        raise InterchangeError(f"Kế hoạch mã “{code}” đã có; dùng tùy chọn thay thế để cập nhật")
    plan = plan or Plan(code=code)

    d = data.get("document")
    doc = None
    if d:
        doc = _upsert_doc_ref(d)
        doc.issuer = _org(d.get("issuer"), "document.issuer", orgs)
        doc.notes = d.get("notes") or {}
        doc.save()
        doc.implements.set([_upsert_doc_ref(r) for r in d.get("implements", [])])
        doc.replaces.set([_upsert_doc_ref(r) for r in d.get("replaces", [])])

    plan.name = _require(p, "name", "plan")
    plan.document = doc
    plan.owner = _org(_require(p, "owner", "plan"), "plan.owner", orgs)
    parent_code = p.get("parent")
    plan.parent = Plan.objects.filter(code=parent_code).first() if parent_code else None
    if parent_code and plan.parent is None:
        raise InterchangeError(f"Chưa có kế hoạch cấp trên mã “{parent_code}”: nhập kế hoạch đó trước")
    plan.standing_agency = _org(p.get("standing_agency"), "plan.standing_agency", orgs)
    plan.milestone_years = p.get("milestone_years") or []
    plan.reporting_schedule = p.get("reporting_schedule") or "monthly"
    plan.reporting_due_day = p.get("reporting_due_day") or 10
    plan.monitored = p.get("monitored", True) is not False
    plan.notes = p.get("notes") or {}
    plan.save()

    # Indicators: two passes so that parents may appear in any order.
    existing = {i.code: i for i in plan.indicators.all()}
    seen: set[str] = set()
    rows = data.get("indicators", [])
    by_code: dict[str, Indicator] = {}
    for n, r in enumerate(rows):
        where = f"chỉ tiêu dòng {n + 1}"
        c = str(_require(r, "code", where))
        if c in seen:
            raise InterchangeError(f"Mã chỉ tiêu “{c}” bị lặp ({where})")
        seen.add(c)
        ind = existing.get(c) or Indicator(plan=plan, code=c)
        ind.position = r.get("position", n)
        ind.is_group = bool(r.get("is_group"))
        ind.name = _require(r, "name", where)
        for f in ("unit", "kind", "direction", "aggregation", "agency_text", "alignment_note"):
            if r.get(f) is not None:
                setattr(ind, f, r[f])
        ind.agency_inferred = bool(r.get("agency_inferred"))
        ind.baseline_value = Decimal(r["baseline_value"]) if r.get("baseline_value") is not None else None
        ind.baseline_year = r.get("baseline_year")
        ind.notes = r.get("notes") or {}
        ind.parent = None
        ind.save()
        by_code[c] = ind
    for r in rows:
        ind = by_code[str(r["code"])]
        if r.get("parent"):
            parent = by_code.get(str(r["parent"]))
            if parent is None:
                raise InterchangeError(f"Chỉ tiêu “{r['code']}” trỏ tới chỉ tiêu cha “{r['parent']}” không có")
            ind.parent = parent
        align = r.get("aligned_to")
        ind.aligned_to = None
        if align:
            ind.aligned_to = Indicator.objects.filter(plan__code=align["plan"], code=align["code"]).first()
            if ind.aligned_to is None:
                raise InterchangeError(f"Chỉ tiêu “{r['code']}”: không tìm thấy chỉ tiêu cấp trên {align['plan']}/{align['code']}")
        ind.save()
        ind.responsible.set([_org(c, f"chỉ tiêu {r['code']}.responsible", orgs) for c in r.get("responsible", [])])
        IndicatorTarget.objects.filter(indicator=ind).exclude(year__in=[t["year"] for t in r.get("targets", [])]).delete()
        for t in r.get("targets", []):
            where = f"chỉ tiêu {r['code']} mốc {t.get('year')}"
            IndicatorTarget.objects.update_or_create(
                indicator=ind, year=int(_require(t, "year", where)),
                defaults={"raw": t.get("raw"), "spec": _target_spec(t, where), "note": t.get("note") or ""},
            )
    plan.indicators.exclude(code__in=seen).delete()

    groups: dict[str, TaskGroup] = {}
    for n, g in enumerate(data.get("task_groups", [])):
        where = f"nhóm nhiệm vụ {n + 1}"
        grp, _ = TaskGroup.objects.update_or_create(
            plan=plan, code=_require(g, "code", where),
            defaults={"name": _require(g, "name", where), "position": g.get("position", n)},
        )
        groups[grp.code] = grp
    plan.task_groups.exclude(code__in=groups).delete()

    task_codes: set[str] = set()
    for n, t in enumerate(data.get("tasks", [])):
        where = f"nhiệm vụ dòng {n + 1}"
        c = str(_require(t, "code", where))
        if c in task_codes:
            raise InterchangeError(f"Mã nhiệm vụ “{c}” bị lặp ({where})")
        task_codes.add(c)
        task = Task.objects.filter(plan=plan, code=c).first() or Task(plan=plan, code=c)
        g = t.get("group")
        if g and g not in groups:
            raise InterchangeError(f"Nhiệm vụ “{c}” thuộc nhóm “{g}” không có trong danh sách nhóm")
        task.group = groups.get(g) if g else None
        task.position = t.get("position", n)
        task.name = _require(t, "name", where)
        task.lead_text = t.get("lead_text") or []
        task.coordinating_text = t.get("coordinating_text") or []
        task.result = t.get("result") or ""
        task.deadline_raw = t.get("deadline_raw") or ""
        task.deadline_spec = _deadline_spec(t, where)
        task.notes = t.get("notes") or {}
        df = t.get("derived_from")
        task.derived_from = Task.objects.filter(plan__code=df["plan"], code=df["code"]).first() if df else None
        task.save()
        wanted = set()
        for a in t.get("assignments", []):
            org = _org(_require(a, "org", where), f"{where}.assignments", orgs)
            role = a.get("role", "lead")
            if role not in ("lead", "coordinating"):
                raise InterchangeError(f"Vai trò “{role}” không hợp lệ tại {where} (cần lead hoặc coordinating)")
            Assignment.objects.update_or_create(task=task, org=org, role=role, defaults={"source_text": a.get("source_text") or ""})
            wanted.add((org.pk, role))
        for a in task.assignments.all():
            if (a.org_id, a.role) not in wanted:
                a.delete()
    plan.tasks.exclude(code__in=task_codes).delete()
    return plan
