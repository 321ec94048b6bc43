"""The planwatch plan interchange format (JSON), version 1.

export_plan(plan) -> dict and import_plan(dict) -> Plan are inverses: importing an
exported plan and exporting it again gives the same document. Organisations are named by
their stable `code` (with the name beside it, for people); other plans and indicators by
plan code + row code. Documented in docs/interchange.md.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from planwatch.orgs.models import Organisation

from . import validation as v
from .models import AssignmentRole, PendingReference, Plan, ReportingSchedule, SourceDocument
from .models import Aggregation, Direction, IndicatorKind
from .validation import InterchangeError, load_json

__all__ = ["FORMAT", "VERSION", "InterchangeError", "export_plan", "import_plan", "load_json", "normalize"]

FORMAT = "planwatch-plan"
VERSION = 1




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


def _pending(plan: Plan, kind: str) -> dict[str, dict]:
    return {
        p.row_code: {"plan": p.target_plan, "code": p.target_code}
        for p in PendingReference.objects.filter(plan=plan, row_kind=kind)
    }


def export_plan(plan: Plan) -> dict[str, Any]:
    """The plan as it stands now: retired rows and ended assignments are history, not part of
    the current version; references still waiting for their plan travel as written."""
    doc = plan.document
    indicators = list(
        plan.indicators.filter(retired_on=None)
        .select_related("parent", "aligned_to__plan").prefetch_related("targets", "responsible").order_by("position")
    )
    tasks = list(
        plan.tasks.filter(retired_on=None)
        .select_related("group", "derived_from__plan").prefetch_related("assignments__org").order_by("position")
    )
    pending_align, pending_derived = _pending(plan, "indicator"), _pending(plan, "task")
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
        "indicators": [indicator_row(i, pending_align) for i in indicators],
        "task_groups": [{"code": g.code, "name": g.name, "position": g.position} for g in plan.task_groups.order_by("position")],
        "tasks": [task_row(t, pending_derived) for t in tasks],
    }


def indicator_row(i, pending_align: dict[str, dict] | None = None) -> dict[str, Any]:
    return {
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
        "aligned_to": {"plan": i.aligned_to.plan.code, "code": i.aligned_to.code} if i.aligned_to_id
        else (pending_align or {}).get(i.code),
        "alignment_note": i.alignment_note,
        "baseline_value": _dec(i.baseline_value),
        "baseline_year": i.baseline_year,
        "notes": i.notes,
        "targets": [
            {"year": t.year, "raw": t.raw, "spec": t.spec, "note": t.note}
            for t in sorted(i.targets.all(), key=lambda t: t.year)
        ],
    }


def task_row(t, pending_derived: dict[str, dict] | None = None) -> dict[str, Any]:
    return {
        "code": t.code,
        "group": t.group.code if t.group_id else None,
        "position": t.position,
        "name": t.name,
        "lead_text": t.lead_text,
        "coordinating_text": t.coordinating_text,
        "result": t.result,
        "deadline_raw": t.deadline_raw,
        "deadline": t.deadline_spec,
        "derived_from": {"plan": t.derived_from.plan.code, "code": t.derived_from.code} if t.derived_from_id
        else (pending_derived or {}).get(t.code),
        "notes": t.notes,
        "assignments": sorted(
            ({"org": a.org.code, "role": a.role, "source_text": a.source_text}
             for a in t.assignments.all() if a.valid_to is None),
            key=lambda a: (a["role"], a["org"]),
        ),
    }


# --- reading a document ----------------------------------------------------------------


class _Orgs:
    """Organisation look-ups by code, once each."""

    def __init__(self):
        self.cache: dict[str, Organisation] = {}

    def get(self, ref: Any, where: str) -> Organisation | None:
        c = v.org_code(ref, where)
        if c is None:
            return None
        if c not in self.cache:
            org = Organisation.objects.filter(code=c).first()
            if org is None:
                raise InterchangeError(f"Không có tổ chức mã “{c}” (tại {where})")
            self.cache[c] = org
        return self.cache[c]

    def ref(self, ref: Any, where: str) -> dict | None:
        return _org_ref(self.get(ref, where))


def _norm_doc_ref(r: Any, where: str) -> dict:
    r = v.obj(r, where)
    d = v.iso_date(r.get("date"), f"{where}.date")
    return {
        "number": v.text(r.get("number"), f"{where}.number", max_len=64),
        "kind": v.text(r.get("kind"), f"{where}.kind", max_len=120),
        "date": d.isoformat() if d else None,
        "issuer_name": v.text(r.get("issuer_name"), f"{where}.issuer_name", max_len=255),
        "title": v.text(r.get("title"), f"{where}.title"),
    }


def _norm_targets(rows: Any, where: str) -> list[dict]:
    out, years = [], set()
    for n, t in enumerate(v.items(rows, f"{where}.targets", max_items=200)):
        w = f"{where}, mốc {n + 1}"
        t = v.obj(t, w)
        y = v.year(v.require(t, "year", w), f"{w}, trường “year”", required=True)
        if y in years:
            raise InterchangeError(f"Mốc năm {y} bị lặp tại {where}")
        years.add(y)
        raw = v.optional_text(t.get("raw"), f"{w}, trường “raw”", max_len=2000)
        out.append({
            "year": y, "raw": raw, "spec": v.target_spec(t.get("spec"), raw, f"{where}, mốc {y}"),
            "note": v.text(t.get("note"), f"{w}, trường “note”"),
        })
    return sorted(out, key=lambda t: t["year"])


def normalize(data: Any) -> dict[str, Any]:
    """Check every value of an interchange document and return it in the exact shape
    export_plan writes (so that a document can be compared with a plan field by field).
    Reads organisations and plans; writes nothing. Raises InterchangeError."""
    v.check_structure(data)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InterchangeError('Tệp không phải định dạng kế hoạch planwatch (thiếu "format": "planwatch-plan")')
    if data.get("version") != VERSION:
        raise InterchangeError(f"Phiên bản định dạng {str(data.get('version'))[:20]!r} chưa được hỗ trợ (cần {VERSION})")
    orgs = _Orgs()
    p = v.obj(v.require(data, "plan", "gốc"), "plan")
    code = v.plan_code(v.require(p, "code", "plan"), "plan.code")
    parent = p.get("parent")
    if parent is not None:
        parent = v.plan_code(parent, "plan.parent")
        if parent == code:
            raise InterchangeError("plan.parent: kế hoạch không thể triển khai chính nó")
    plan = {
        "code": code,
        "name": v.text(v.require(p, "name", "plan"), "plan.name", required=True),
        "owner": orgs.ref(v.require(p, "owner", "plan"), "plan.owner"),
        "parent": parent,
        "standing_agency": orgs.ref(p.get("standing_agency"), "plan.standing_agency"),
        "milestone_years": [
            v.year(y, f"plan.milestone_years[{n + 1}]", required=True)
            for n, y in enumerate(v.items(p.get("milestone_years"), "plan.milestone_years", max_items=50))
        ],
        "reporting_schedule": v.choice(p.get("reporting_schedule"), "plan.reporting_schedule", ReportingSchedule.values, default="monthly"),
        "reporting_due_day": v.integer(p.get("reporting_due_day"), "plan.reporting_due_day", low=1, high=28) or 10,
        "monitored": v.boolean(p.get("monitored"), "plan.monitored", default=True),
        "notes": v.json_object(p.get("notes"), "plan.notes"),
    }
    if len(set(plan["milestone_years"])) != len(plan["milestone_years"]):
        raise InterchangeError("plan.milestone_years có năm bị lặp")

    document = None
    if data.get("document") is not None:
        d = v.obj(data["document"], "document")
        document = {
            **_norm_doc_ref(d, "document"),
            "issuer": orgs.ref(d.get("issuer"), "document.issuer"),
            "implements": [_norm_doc_ref(r, f"document.implements[{n + 1}]") for n, r in enumerate(v.items(d.get("implements"), "document.implements", max_items=100))],
            "replaces": [_norm_doc_ref(r, f"document.replaces[{n + 1}]") for n, r in enumerate(v.items(d.get("replaces"), "document.replaces", max_items=100))],
            "notes": v.json_object(d.get("notes"), "document.notes"),
        }

    indicators, seen = [], set()
    for n, r in enumerate(v.items(data.get("indicators"), "indicators")):
        where = f"chỉ tiêu dòng {n + 1}"
        r = v.obj(r, where)
        c = v.code(v.require(r, "code", where), where, max_len=32)
        if c in seen:
            raise InterchangeError(f"Mã chỉ tiêu “{c}” bị lặp ({where})")
        seen.add(c)
        where = f"chỉ tiêu “{c}”"
        parent_code = r.get("parent")
        indicators.append({
            "code": c,
            "parent": None if parent_code is None else v.code(parent_code, f"{where}, trường “parent”", max_len=32),
            "position": v.integer(r.get("position"), f"{where}, trường “position”", low=0, high=10**6) if r.get("position") is not None else n,
            "is_group": v.boolean(r.get("is_group"), f"{where}, trường “is_group”", default=False),
            "name": v.text(v.require(r, "name", where), f"{where}, trường “name”", required=True),
            "unit": v.text(r.get("unit"), f"{where}, trường “unit”", max_len=120),
            "kind": v.choice(r.get("kind"), f"{where}, trường “kind”", IndicatorKind.values, default=IndicatorKind.AMOUNT.value),
            "direction": v.choice(r.get("direction"), f"{where}, trường “direction”", Direction.values, default=Direction.HIGHER.value),
            "aggregation": v.choice(r.get("aggregation"), f"{where}, trường “aggregation”", Aggregation.values, default=Aggregation.RESPONSIBLE.value),
            "agency_text": v.text(r.get("agency_text"), f"{where}, trường “agency_text”", max_len=255),
            "agency_inferred": v.boolean(r.get("agency_inferred"), f"{where}, trường “agency_inferred”", default=False),
            "responsible": sorted({
                orgs.get(o, f"{where}, trường “responsible”").code
                for o in v.items(r.get("responsible"), f"{where}, trường “responsible”", max_items=500)
            }),
            "aligned_to": v.row_ref(r.get("aligned_to"), f"{where}, trường “aligned_to”"),
            "alignment_note": v.text(r.get("alignment_note"), f"{where}, trường “alignment_note”", max_len=255),
            "baseline_value": None,
            "baseline_year": v.year(r.get("baseline_year"), f"{where}, trường “baseline_year”"),
            "notes": v.json_object(r.get("notes"), f"{where}, trường “notes”"),
            "targets": _norm_targets(r.get("targets"), where),
        })
        base = v.baseline_decimal(r.get("baseline_value"), f"{where}, trường “baseline_value”")
        indicators[-1]["baseline_value"] = _dec(base)
    for r in indicators:
        if r["parent"] is not None and r["parent"] not in seen:
            raise InterchangeError(f"Chỉ tiêu “{r['code']}” trỏ tới chỉ tiêu cha “{r['parent']}” không có")
        if r["parent"] == r["code"]:
            raise InterchangeError(f"Chỉ tiêu “{r['code']}” không thể là cha của chính nó")
    indicators.sort(key=lambda r: r["position"])

    groups, group_codes = [], set()
    for n, g in enumerate(v.items(data.get("task_groups"), "task_groups")):
        where = f"nhóm nhiệm vụ {n + 1}"
        g = v.obj(g, where)
        c = v.code(v.require(g, "code", where), where)
        if c in group_codes:
            raise InterchangeError(f"Mã nhóm nhiệm vụ “{c}” bị lặp ({where})")
        group_codes.add(c)
        groups.append({
            "code": c, "name": v.text(v.require(g, "name", where), f"{where}, trường “name”", required=True),
            "position": v.integer(g.get("position"), f"{where}, trường “position”", low=0, high=10**6) if g.get("position") is not None else n,
        })
    groups.sort(key=lambda g: g["position"])

    tasks, task_codes = [], set()
    for n, t in enumerate(v.items(data.get("tasks"), "tasks")):
        where = f"nhiệm vụ dòng {n + 1}"
        t = v.obj(t, where)
        c = v.code(v.require(t, "code", where), where)
        if c in task_codes:
            raise InterchangeError(f"Mã nhiệm vụ “{c}” bị lặp ({where})")
        task_codes.add(c)
        where = f"nhiệm vụ “{c}”"
        g = t.get("group")
        if g is not None:
            g = v.code(g, f"{where}, trường “group”")
            if g not in group_codes:
                raise InterchangeError(f"Nhiệm vụ “{c}” thuộc nhóm “{g}” không có trong danh sách nhóm")
        raw = v.text(t.get("deadline_raw"), f"{where}, trường “deadline_raw”", max_len=255)
        assignments, wanted = [], set()
        for k, a in enumerate(v.items(t.get("assignments"), f"{where}, trường “assignments”", max_items=500)):
            aw = f"{where}, đơn vị được giao {k + 1}"
            a = v.obj(a, aw)
            org = orgs.get(v.require(a, "org", aw), f"{aw}, trường “org”")
            role = a.get("role", "lead")
            if role not in AssignmentRole.values:
                raise InterchangeError(f"Vai trò “{str(role)[:20]}” không hợp lệ tại {aw} (cần lead hoặc coordinating)")
            if (org.code, role) in wanted:
                raise InterchangeError(f"Đơn vị “{org.code}” được giao hai lần với cùng vai trò tại {where}")
            wanted.add((org.code, role))
            assignments.append({"org": org.code, "role": role, "source_text": v.text(a.get("source_text"), f"{aw}, trường “source_text”", max_len=255)})
        tasks.append({
            "code": c,
            "group": g,
            "position": v.integer(t.get("position"), f"{where}, trường “position”", low=0, high=10**6) if t.get("position") is not None else n,
            "name": v.text(v.require(t, "name", where), f"{where}, trường “name”", required=True),
            "lead_text": v.string_list(t.get("lead_text"), f"{where}, trường “lead_text”"),
            "coordinating_text": v.string_list(t.get("coordinating_text"), f"{where}, trường “coordinating_text”"),
            "result": v.text(t.get("result"), f"{where}, trường “result”"),
            "deadline_raw": raw,
            "deadline": v.deadline_spec(t.get("deadline"), raw, where),
            "derived_from": v.row_ref(t.get("derived_from"), f"{where}, trường “derived_from”"),
            "notes": v.json_object(t.get("notes"), f"{where}, trường “notes”"),
            "assignments": sorted(assignments, key=lambda a: (a["role"], a["org"])),
        })
    tasks.sort(key=lambda t: t["position"])
    return {"format": FORMAT, "version": VERSION, "plan": plan, "document": document,
            "indicators": indicators, "task_groups": groups, "tasks": tasks}


def import_plan(data: Any, *, replace: bool = False, actor=None, effective=None, document=None, reason: str = ""):
    """Create the plan described by `data`, or (replace=True) amend the existing plan of that
    code to it: the same reviewed-diff path as plans.services.plan_apply_amendment (rows with
    report history are retired, never deleted). All or nothing."""
    from .services import plan_import

    return plan_import(data=data, replace=replace, actor=actor, effective=effective, document=document, reason=reason)
