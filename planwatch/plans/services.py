"""Write services of the plans app: importing a plan, amending it as a reviewed diff, and the
single-row edits the admin uses. Every value is checked by plans.validation first; every
bulk write runs in one transaction inside plans.signals.batch_writes() and ends with one
plans.signals.plan_changed inside that transaction.

Nothing with report history is deleted: a task or indicator missing from a new version is
retired from the amendment's effective date; an earlier deadline or lead of a task is kept
as a TaskTerm with the days it governed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from planwatch.lib.acting import acting_as
from planwatch.lib.deadlines import DeadlineSpec
from planwatch.lib.targets import TargetSpec
from planwatch.lib.text import search_key
from planwatch.orgs.models import Organisation

from . import validation as v
from .interchange import export_plan, indicator_row, normalize, task_row
from .models import (
    Assignment,
    Indicator,
    IndicatorTarget,
    PendingReference,
    Plan,
    PlanAmendment,
    SourceDocument,
    Task,
    TaskGroup,
    TaskTerm,
)
from .signals import batch_writes, plan_changed
from .validation import InterchangeError

# --- the diff ---------------------------------------------------------------------------

PLAN_FIELDS = [
    ("name", "tên kế hoạch"), ("owner", "cơ quan ban hành"), ("parent", "triển khai kế hoạch"),
    ("standing_agency", "cơ quan thường trực"), ("milestone_years", "các mốc"),
    ("reporting_schedule", "chu kỳ báo cáo"), ("reporting_due_day", "hạn báo cáo"),
    ("monitored", "theo dõi trên trang giám sát"), ("notes", "ghi chú"),
]
INDICATOR_FIELDS = [
    ("name", "tên chỉ tiêu"), ("parent", "thuộc dòng nhóm"), ("is_group", "dòng nhóm"), ("unit", "đơn vị tính"),
    ("kind", "loại"), ("direction", "chiều"), ("aggregation", "cách tổng hợp"),
    ("agency_text", "cơ quan chủ trì (như bản in)"), ("agency_inferred", "cơ quan suy ra từ ô gộp"),
    ("responsible", "cơ quan chủ trì"), ("aligned_to", "chỉ tiêu cấp trên"), ("alignment_note", "ghi chú đối chiếu"),
    ("baseline_value", "giá trị cơ sở"), ("baseline_year", "năm cơ sở"), ("notes", "ghi chú"),
]
GROUP_FIELDS = [("name", "tên nhóm")]
TASK_FIELDS = [
    ("name", "tên nhiệm vụ"), ("group", "nhóm nhiệm vụ"), ("lead_text", "cơ quan chủ trì"),
    ("coordinating_text", "cơ quan phối hợp"), ("result", "kết quả yêu cầu"), ("deadline", "thời hạn hoàn thành"),
    ("derived_from", "nhiệm vụ cấp trên"), ("notes", "ghi chú"), ("assignments", "đơn vị được giao"),
]
ACTION_VI = {"added": "Thêm", "changed": "Sửa", "retired": "Bãi bỏ", "deleted": "Bãi bỏ", "restored": "Khôi phục"}
KIND_VI = {"plan": "Kế hoạch", "indicator": "Chỉ tiêu", "task_group": "Nhóm nhiệm vụ", "task": "Nhiệm vụ"}


@dataclass
class FieldChange:
    field: str
    label: str
    before: str
    after: str


@dataclass
class RowChange:
    kind: str  # plan | indicator | task_group | task
    code: str
    name: str
    action: str  # added | changed | retired (kept, has report history) | deleted (no history) | restored
    changes: list[FieldChange] = field(default_factory=list)
    note: str = ""

    @property
    def action_vi(self) -> str:
        return ACTION_VI[self.action]

    @property
    def kind_vi(self) -> str:
        return KIND_VI[self.kind]


@dataclass
class PlanDiff:
    plan_code: str
    exists: bool
    fingerprint: str  # of the plan as it stood when the diff was made ("" for a new plan)
    rows: list[RowChange]
    document: dict = field(repr=False, default_factory=dict)  # the checked new version

    @property
    def added(self) -> list[RowChange]:
        return [r for r in self.rows if r.action == "added"]

    @property
    def changed(self) -> list[RowChange]:
        return [r for r in self.rows if r.action in ("changed", "restored")]

    @property
    def retired(self) -> list[RowChange]:
        return [r for r in self.rows if r.action in ("retired", "deleted")]

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def to_dict(self) -> dict[str, Any]:
        return {"plan": self.plan_code, "rows": [asdict(r) for r in self.rows]}


def plan_fingerprint(plan: Plan) -> str:
    """Changes whenever anything a diff compares changes (a stale preview is refused)."""
    state = {
        "export": export_plan(plan),
        "retired": sorted(
            [f"t:{c}:{d}" for c, d in plan.tasks.exclude(retired_on=None).values_list("code", "retired_on")]
            + [f"i:{c}:{d}" for c, d in plan.indicators.exclude(retired_on=None).values_list("code", "retired_on")]
        ),
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _show(value: Any, name: str = "") -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "(trống)"
    if name == "deadline":
        raw, spec = value
        # from_stored: the row being replaced may hold a legacy bad spec (the very thing the
        # new version repairs); describing it must not fail.
        described = DeadlineSpec.from_stored(spec).describe_vi() if spec else ""
        return f"{raw} ({described})" if raw else described
    if name == "target":
        if value.get("raw") is None and not value.get("spec"):
            return "(trống)"
        raw = value.get("raw")
        described = TargetSpec.from_stored(value["spec"]).describe_vi() if value.get("spec") else ""
        return f"{raw} ({described})" if raw else described
    if name == "assignments":
        role = {"lead": "chủ trì", "coordinating": "phối hợp"}
        return "; ".join(f"{a['org']} ({role.get(a['role'], a['role'])})" for a in value)
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, dict) and "code" in value and "name" in value:
        return value["name"]
    if isinstance(value, dict) and set(value) == {"plan", "code"}:
        return f"{value['plan']} / {value['code']}"
    if isinstance(value, list) and all(isinstance(x, (str, int)) for x in value):
        return "; ".join(str(x) for x in value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _field_changes(old: dict, new: dict, fields) -> list[FieldChange]:
    out = []
    for name, label in fields:
        if name == "deadline":
            before, after = (old["deadline_raw"], old["deadline"]), (new["deadline_raw"], new["deadline"])
            if before != after:
                out.append(FieldChange("deadline", label, _show(before, "deadline"), _show(after, "deadline")))
            continue
        if name in ("owner", "standing_agency"):
            same = (old[name] or {}).get("code") == (new[name] or {}).get("code")
        else:
            same = old[name] == new[name]
        if not same:
            out.append(FieldChange(name, label, _show(old[name], name), _show(new[name], name)))
    return out


def _target_changes(old: dict, new: dict) -> list[FieldChange]:
    before = {t["year"]: t for t in old["targets"]}
    after = {t["year"]: t for t in new["targets"]}
    out = []
    for y in sorted(set(before) | set(after)):
        b, a = before.get(y), after.get(y)
        if b is None or a is None or (b["raw"], b["spec"], b["note"]) != (a["raw"], a["spec"], a["note"]):
            out.append(FieldChange(
                f"target:{y}", f"mục tiêu {y}",
                _show(b, "target") if b else "(không có)", _show(a, "target") if a else "(không có)",
            ))
    return out


def has_report_history(row: Task | Indicator) -> bool:
    """Whether anything outside the plan's own tables refers to the row (report lines,
    indicator values, evidence …) or a row of another plan derives from it. Derived tables
    (monitoring roll-ups, related_name "+") do not count: they are rebuilt."""
    model = type(row)
    for rel in model._meta.related_objects:
        if rel.many_to_many or rel.related_model._meta.app_label == model._meta.app_label:
            continue
        if rel.related_model._base_manager.filter(**{rel.field.name: row.pk}).exists():
            return True
    if isinstance(row, Task):
        return row.derived_tasks.exclude(plan_id=row.plan_id).exists()
    return row.aligned_from.exclude(plan_id=row.plan_id).exists()


def _removals(kind: str, rows: list, new_codes: set[str]) -> list[RowChange]:
    out = []
    for row in rows:
        if row.code in new_codes or row.retired_on is not None:
            continue
        action = "retired" if has_report_history(row) else "deleted"
        note = "có báo cáo: giữ lại, thôi theo dõi" if action == "retired" else "chưa có báo cáo: xóa hẳn"
        out.append(RowChange(kind, row.code, row.name, action, note=note))
    return out


def plan_diff(data: Any) -> PlanDiff:
    """What importing `data` would change in the plan of the same code: rows added, changed
    field by field (deadline, lead, assignments, targets …), retired. Writes nothing."""
    doc = data if isinstance(data, dict) and data.get("_normalized") else normalize(data)
    code = doc["plan"]["code"]
    plan = Plan.objects.filter(code=code).first()
    if plan is None:
        rows = [RowChange("plan", code, doc["plan"]["name"], "added")]
        rows += [RowChange("indicator", r["code"], r["name"], "added") for r in doc["indicators"]]
        rows += [RowChange("task_group", r["code"], r["name"], "added") for r in doc["task_groups"]]
        rows += [RowChange("task", r["code"], r["name"], "added") for r in doc["tasks"]]
        return PlanDiff(code, False, "", rows, doc)

    current = export_plan(plan)
    rows: list[RowChange] = []
    plan_changes = _field_changes(current["plan"], doc["plan"], PLAN_FIELDS)
    old_doc, new_doc = current["document"] or {}, doc["document"] or {}
    if old_doc.get("number") != new_doc.get("number"):
        plan_changes.append(FieldChange("document", "văn bản", old_doc.get("number") or "(trống)", new_doc.get("number") or "(trống)"))
    if plan_changes:
        rows.append(RowChange("plan", code, doc["plan"]["name"], "changed", plan_changes))

    all_indicators = list(
        plan.indicators.select_related("parent", "aligned_to__plan").prefetch_related("targets", "responsible")
    )
    retired_ind = {i.code: i for i in all_indicators if i.retired_on is not None}
    live_ind = {r["code"]: r for r in current["indicators"]}
    for r in doc["indicators"]:
        if r["code"] in live_ind:
            old = live_ind[r["code"]]
            changes = _field_changes(old, r, INDICATOR_FIELDS) + _target_changes(old, r)
            if changes:
                rows.append(RowChange("indicator", r["code"], r["name"], "changed", changes))
        elif r["code"] in retired_ind:
            old = indicator_row(retired_ind[r["code"]])
            changes = _field_changes(old, r, INDICATOR_FIELDS) + _target_changes(old, r)
            rows.append(RowChange("indicator", r["code"], r["name"], "restored", changes,
                                  note=f"đã bãi bỏ từ {retired_ind[r['code']].retired_on:%d/%m/%Y}, nay có lại"))
        else:
            rows.append(RowChange("indicator", r["code"], r["name"], "added"))
    rows += _removals("indicator", all_indicators, {r["code"] for r in doc["indicators"]})

    old_groups = {g["code"]: g for g in current["task_groups"]}
    new_groups = {g["code"] for g in doc["task_groups"]}
    for g in doc["task_groups"]:
        if g["code"] not in old_groups:
            rows.append(RowChange("task_group", g["code"], g["name"], "added"))
        elif changes := _field_changes(old_groups[g["code"]], g, GROUP_FIELDS):
            rows.append(RowChange("task_group", g["code"], g["name"], "changed", changes))
    for c, g in old_groups.items():
        if c not in new_groups:
            rows.append(RowChange("task_group", c, g["name"], "deleted"))

    all_tasks = list(plan.tasks.select_related("group", "derived_from__plan").prefetch_related("assignments__org"))
    retired_tasks = {t.code: t for t in all_tasks if t.retired_on is not None}
    live_tasks = {r["code"]: r for r in current["tasks"]}
    for r in doc["tasks"]:
        if r["code"] in live_tasks:
            if changes := _field_changes(live_tasks[r["code"]], r, TASK_FIELDS):
                rows.append(RowChange("task", r["code"], r["name"], "changed", changes))
        elif r["code"] in retired_tasks:
            changes = _field_changes(task_row(retired_tasks[r["code"]]), r, TASK_FIELDS)
            rows.append(RowChange("task", r["code"], r["name"], "restored", changes,
                                  note=f"đã bãi bỏ từ {retired_tasks[r['code']].retired_on:%d/%m/%Y}, nay có lại"))
        else:
            rows.append(RowChange("task", r["code"], r["name"], "added"))
    rows += _removals("task", all_tasks, {r["code"] for r in doc["tasks"]})

    # A code that disappears while a row of the same name appears is a renamed code: the old
    # row is retired (its reports stay with it) and the new one starts fresh. Say so.
    for kind in ("indicator", "task"):
        gone = {search_key(r.name): r for r in rows if r.kind == kind and r.action in ("retired", "deleted")}
        for r in rows:
            if r.kind == kind and r.action == "added" and (old := gone.get(search_key(r.name))):
                r.note = f"đổi mã từ “{old.code}”"
                old.note = f"đổi mã thành “{r.code}”; " + old.note
    order = {"plan": 0, "indicator": 1, "task_group": 2, "task": 3}
    rows.sort(key=lambda r: order[r.kind])
    return PlanDiff(code, True, plan_fingerprint(plan), rows, doc)


# --- writing ----------------------------------------------------------------------------


def _fill_document(ref: dict, *, overwrite: bool) -> SourceDocument:
    """A document named by number. A cited document only gets its EMPTY fields filled: citing
    327/QĐ-UBND from the Sơn Tịnh plan must not rewrite the province's record of it."""
    number = ref.get("number") or ""
    doc = SourceDocument.objects.filter(number=number).first() if number else None
    if doc is None:
        doc = SourceDocument(number=number)
    for f in ("kind", "issuer_name", "title"):
        if ref.get(f) and (overwrite or not getattr(doc, f)):
            setattr(doc, f, ref[f])
    if ref.get("date") and (overwrite or doc.date is None):
        doc.date = v.iso_date(ref["date"], f"văn bản {number}")
    doc.save()
    return doc


def _write_document(d: dict | None, plan: Plan) -> SourceDocument | None:
    if d is None:
        return None
    existing = SourceDocument.objects.filter(number=d["number"]).first() if d["number"] else plan.document
    # The plan's own document is the plan's to update, unless another plan owns it.
    own = existing is None or not Plan.objects.filter(document=existing).exclude(pk=plan.pk).exists()
    if existing is not None and not d["number"]:
        doc = existing
    else:
        doc = _fill_document(d, overwrite=own)
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=[(d["issuer"] or {}).get("code")])}
    if own or doc.issuer_id is None:
        doc.issuer = orgs.get((d["issuer"] or {}).get("code"))
    if own or not doc.notes:
        doc.notes = d["notes"]
    if own and not d["number"]:
        for f in ("kind", "issuer_name", "title"):
            setattr(doc, f, d[f])
        doc.date = v.iso_date(d["date"], "document.date")
    doc.save()
    implements = [_fill_document(r, overwrite=False) for r in d["implements"]]
    replaces = [_fill_document(r, overwrite=False) for r in d["replaces"]]
    if own:
        doc.implements.set(implements)
        doc.replaces.set(replaces)
    else:
        doc.implements.add(*implements)
        doc.replaces.add(*replaces)
    return doc


def _resolve(kind: str, ref: dict | None, plan: Plan, row_code: str):
    """The row a cross-plan reference names; None (and a pending reference kept) while its plan
    has not been imported; an error when the plan exists but the row does not."""
    PendingReference.objects.filter(plan=plan, row_kind=kind, row_code=row_code).delete()
    if ref is None:
        return None
    model = Task if kind == "task" else Indicator
    if not Plan.objects.filter(code=ref["plan"]).exists():
        PendingReference.objects.create(plan=plan, row_kind=kind, row_code=row_code, target_plan=ref["plan"], target_code=ref["code"])
        return None
    target = model.objects.filter(plan__code=ref["plan"], code=ref["code"]).first()
    if target is None:
        what = "nhiệm vụ" if kind == "task" else "chỉ tiêu"
        raise InterchangeError(f"{what.capitalize()} “{row_code}”: không tìm thấy {what} cấp trên {ref['plan']}/{ref['code']}")
    return target


def resolve_pending_references(plan: Plan) -> int:
    """Link the rows of other plans that were waiting for `plan` (imported before it)."""
    done = 0
    for p in PendingReference.objects.filter(target_plan=plan.code).select_related("plan"):
        model = Task if p.row_kind == "task" else Indicator
        target = model.objects.filter(plan=plan, code=p.target_code).first()
        row = model.objects.filter(plan=p.plan, code=p.row_code).first()
        if target is None or row is None:
            continue
        if p.row_kind == "task":
            Task.objects.filter(pk=row.pk).update(derived_from=target)
        else:
            Indicator.objects.filter(pk=row.pk).update(aligned_to=target)
        p.delete()
        done += 1
    return done


def _delete_or_retire(rows: list, new_codes: set[str], effective: date | None) -> None:
    missing = [r for r in rows if r.code not in new_codes and r.retired_on is None]
    keep = {r.pk for r in missing if has_report_history(r)}
    if missing and isinstance(missing[0], Indicator):
        # Deleting a row cascades to its children: a parent of a kept row is kept too.
        parents = {r.pk: r.parent_id for r in rows}
        changed = True
        while changed:
            changed = False
            for r in rows:
                if (r.pk in keep or r.code in new_codes or r.retired_on is not None) and parents.get(r.pk):
                    pid = parents[r.pk]
                    if pid in {m.pk for m in missing} and pid not in keep:
                        keep.add(pid)
                        changed = True
    for r in missing:
        if r.pk in keep:
            r.retired_on = effective
            r.save(update_fields=["retired_on"])  # saved, not updated: the change history records it
        else:
            r.delete()


def _write(doc: dict, plan: Plan | None, *, effective: date | None, amendment: PlanAmendment | None) -> Plan:
    p = doc["plan"]
    orgs: dict[str, Organisation] = {}

    def org(code: str | None) -> Organisation | None:
        if code is None:
            return None
        if code not in orgs:
            orgs[code] = Organisation.objects.get(code=code)
        return orgs[code]

    plan = plan or Plan(code=p["code"])
    parent = None
    if p["parent"]:
        parent = Plan.objects.filter(code=p["parent"]).first()
        if parent is None:
            raise InterchangeError(f"Chưa có kế hoạch cấp trên mã “{p['parent']}”: nhập kế hoạch đó trước")
    plan.name = p["name"]
    plan.owner = org(p["owner"]["code"])
    plan.parent = parent
    plan.standing_agency = org((p["standing_agency"] or {}).get("code"))
    plan.milestone_years = p["milestone_years"]
    plan.reporting_schedule = p["reporting_schedule"]
    plan.reporting_due_day = p["reporting_due_day"]
    plan.monitored = p["monitored"]
    plan.notes = p["notes"]
    if plan.pk is None:
        plan.save()
    plan.document = _write_document(doc["document"], plan)
    plan.save()
    ending = effective - timedelta(days=1) if amendment is not None and effective else None

    # Indicators: two passes so that parents may appear in any order.
    existing = {i.code: i for i in plan.indicators.all()}
    by_code: dict[str, Indicator] = {}
    for r in doc["indicators"]:
        ind = existing.get(r["code"]) or Indicator(plan=plan, code=r["code"])
        for f in ("position", "is_group", "name", "unit", "kind", "direction", "aggregation", "agency_text",
                  "agency_inferred", "alignment_note", "baseline_year", "notes"):
            setattr(ind, f, r[f])
        ind.baseline_value = v.baseline_decimal(r["baseline_value"], "baseline_value")
        ind.retired_on = None
        if ind.pk is None:
            ind.save()
        by_code[r["code"]] = ind
    for r in doc["indicators"]:
        ind = by_code[r["code"]]
        ind.parent = by_code[r["parent"]] if r["parent"] else None
        ind.aligned_to = _resolve("indicator", r["aligned_to"], plan, r["code"])
        ind.save()
        ind.responsible.set([org(c) for c in r["responsible"]])
        targets = {t.year: t for t in ind.targets.all()}
        for y, t in targets.items():
            if y not in {x["year"] for x in r["targets"]}:
                t.delete()
        for t in r["targets"]:
            row = targets.get(t["year"]) or IndicatorTarget(indicator=ind, year=t["year"])
            row.raw, row.spec, row.note = t["raw"], t["spec"], t["note"]
            row.explicit_spec = True
            row.save()
    _delete_or_retire(list(plan.indicators.all()), set(by_code), effective)

    groups: dict[str, TaskGroup] = {g.code: g for g in plan.task_groups.all()}
    for g in doc["task_groups"]:
        grp = groups.get(g["code"]) or TaskGroup(plan=plan, code=g["code"])
        grp.name, grp.position = g["name"], g["position"]
        grp.save()
        groups[grp.code] = grp
    wanted_groups = {g["code"] for g in doc["task_groups"]}

    existing_tasks = {t.code: t for t in plan.tasks.prefetch_related("assignments")}
    seen: set[str] = set()
    for t in doc["tasks"]:
        task = existing_tasks.get(t["code"]) or Task(plan=plan, code=t["code"])
        was_live = task.pk is not None and task.retired_on is None
        before = (task.deadline_raw, task.deadline_spec, task.deadline_due, list(task.lead_text or []))
        task.group = groups[t["group"]] if t["group"] else None
        for f in ("position", "name", "lead_text", "coordinating_text", "result", "deadline_raw", "notes"):
            setattr(task, f, t[f])
        task.deadline_spec = t["deadline"]
        task.explicit_spec = True
        task.retired_on = None
        task.derived_from = _resolve("task", t["derived_from"], plan, t["code"])
        if amendment is not None and was_live and (before[0], before[1], before[3]) != (task.deadline_raw, task.deadline_spec, task.lead_text):
            _keep_term(task, before, ending, amendment)
        task.save()
        seen.add(task.code)
        current = {(a.org_id, a.role): a for a in (task.assignments.all() if was_live or task.pk else [])}
        wanted = set()
        for a in t["assignments"]:
            o = org(a["org"])
            key = (o.pk, a["role"])
            wanted.add(key)
            row = current.get(key)
            if amendment is not None and (row is None or row.valid_to is not None) and not o.is_active(effective):
                # An old file must not hand tasks back to a unit that has ended (they passed to
                # its successors): refused, nothing written.
                state = (f"đã kết thúc hoạt động từ {o.valid_to:%d/%m/%Y}" if o.valid_to
                         else f"chỉ bắt đầu hoạt động từ {o.valid_from:%d/%m/%Y}")
                raise InterchangeError(
                    f"Nhiệm vụ “{t['code']}”: không giao cho “{o.name}”, đơn vị {state} "
                    f"(ngày hiệu lực của điều chỉnh: {effective:%d/%m/%Y})"
                )
            if row is None:
                Assignment.objects.create(task=task, org=o, role=a["role"], source_text=a["source_text"],
                                          valid_from=effective if amendment is not None else None)
            elif row.source_text != a["source_text"] or row.valid_to is not None:
                row.source_text, row.valid_to = a["source_text"], None
                row.save()
        for key, row in current.items():
            if key in wanted or row.valid_to is not None:
                continue
            if ending is None or (row.valid_from is not None and row.valid_from > ending):
                row.delete()
            else:
                row.valid_to = ending
                row.save()
    _delete_or_retire(list(plan.tasks.all()), seen, effective)
    used = set(plan.tasks.exclude(group=None).values_list("group__code", flat=True))
    plan.task_groups.exclude(code__in=wanted_groups | used).delete()
    resolve_pending_references(plan)
    return plan


def _keep_term(task: Task, before: tuple, ending: date | None, amendment: PlanAmendment) -> None:
    """Keep the deadline and lead that governed the days up to the day before `effective`."""
    if ending is None:
        return
    last = TaskTerm.objects.filter(task=task).order_by("-valid_to").first()
    start = last.valid_to + timedelta(days=1) if last else None
    if start is not None and start > ending:
        return  # the earlier value governed no day (two amendments effective the same day)
    raw, spec, due, lead = before
    TaskTerm.objects.create(task=task, valid_from=start, valid_to=ending, deadline_raw=raw, deadline_spec=spec,
                            deadline_due=due, lead_text=lead, amendment=amendment)


def _amending_document(document: Any) -> SourceDocument | None:
    if document is None or isinstance(document, SourceDocument):
        return document
    d = v.obj(document, "văn bản điều chỉnh")
    number = v.text(d.get("number"), "số văn bản điều chỉnh", required=True, max_len=64)
    return _fill_document({
        "number": number.strip(),
        "kind": v.text(d.get("kind"), "loại văn bản điều chỉnh", max_len=120) or "Quyết định điều chỉnh",
        "date": (v.iso_date(d.get("date"), "ngày văn bản điều chỉnh") or None) and d.get("date"),
        "title": v.text(d.get("title"), "trích yếu văn bản điều chỉnh"),
        "issuer_name": v.text(d.get("issuer_name"), "cơ quan ban hành văn bản điều chỉnh", max_len=255),
    }, overwrite=False)


@transaction.atomic
def plan_apply_amendment(*, data: Any, effective: date, actor=None, document: Any = None, reason: str = "",
                         expected_fingerprint: str | None = None) -> PlanAmendment | None:
    """Apply a new version of an existing plan as one amendment, in one transaction: rows
    missing from it are retired from `effective` (deleted only when they have no report
    history), earlier deadlines and leads are kept as TaskTerms, and a PlanAmendment records
    the amending document (or the reason) and the diff. `expected_fingerprint` (from the
    preview) refuses a diff made on a plan that has changed since. Returns None when the new
    version changes nothing that a diff shows."""
    doc = normalize(data)
    if not isinstance(effective, date):
        raise InterchangeError("Cần ngày hiệu lực của điều chỉnh")
    if not v.MIN_YEAR <= effective.year <= v.MAX_YEAR:
        raise InterchangeError(f"Ngày hiệu lực {effective:%d/%m/%Y} ngoài khoảng năm {v.MIN_YEAR}–{v.MAX_YEAR}")
    reason = v.text(reason, "lý do điều chỉnh").strip()
    plan = Plan.objects.select_for_update().filter(code=doc["plan"]["code"]).first()
    if plan is None:
        raise InterchangeError(f"Chưa có kế hoạch mã “{doc['plan']['code']}” để điều chỉnh")
    amending = _amending_document(document)
    if amending is None and not reason:
        raise InterchangeError("Cần số văn bản điều chỉnh (quyết định điều chỉnh, bổ sung) hoặc lý do điều chỉnh")
    diff = plan_diff({**doc, "_normalized": True})
    if expected_fingerprint is not None and diff.fingerprint != expected_fingerprint:
        raise InterchangeError(
            "Kế hoạch đã thay đổi sau khi xem trước bảng so sánh; không có gì được áp dụng. Hãy tải tệp lên lại để xem bảng so sánh mới"
        )
    amendment = None
    why = " – ".join(x for x in (f"Điều chỉnh theo {amending}" if amending else "", reason) if x)
    with batch_writes(), acting_as(actor, why):
        if not diff.is_empty:
            amendment = PlanAmendment.objects.create(
                plan=plan, document=amending, reason=reason, effective=effective, applied_by=actor, diff=diff.to_dict(),
            )
        _write(doc, plan, effective=effective, amendment=amendment)
        plan_changed.send(sender=Plan, plan=plan, actor=actor)
    return amendment


@transaction.atomic
def plan_import(*, data: Any, replace: bool = False, actor=None, effective: date | None = None,
                document: Any = None, reason: str = "") -> Plan:
    """Create the plan `data` describes; with replace=True an existing plan of that code is
    amended through plan_apply_amendment (effective today unless given)."""
    doc = normalize(data)
    code = doc["plan"]["code"]
    if Plan.objects.filter(code=code).exists():
        if not replace:
            raise InterchangeError(f"Kế hoạch mã “{code}” đã có; dùng tùy chọn thay thế để cập nhật")
        plan_apply_amendment(
            data=doc, effective=effective or timezone.localdate(), actor=actor, document=document,
            reason=reason or ("" if document else "Nhập lại kế hoạch từ tệp (thay thế)"),
        )
        return Plan.objects.get(code=code)
    with batch_writes(), acting_as(actor, reason or "Nhập kế hoạch từ tệp"):
        plan = _write(doc, None, effective=None, amendment=None)
        plan_changed.send(sender=Plan, plan=plan, actor=actor)
    return plan


# --- single-row edits (admin, API) ------------------------------------------------------


@transaction.atomic
def target_update(*, target: IndicatorTarget, actor=None, raw: Any = ..., spec: Any = None, note: Any = ...,
                  year: Any = ...) -> IndicatorTarget:
    """Edit one milestone target. A new printed text re-derives the meaning unless a reviewed
    spec is given with it."""
    where = f"chỉ tiêu {target.indicator.code}"
    if year is not ...:
        target.year = v.year(year, f"{where}, mốc năm", required=True)
    if note is not ...:
        target.note = v.text(note, f"{where}, ghi chú")
    if raw is not ...:
        target.raw = v.optional_text(raw, f"{where}, chỉ tiêu (như bản in)", max_len=2000)
    target.spec = v.target_spec(spec, target.raw, f"{where}, mốc {target.year}")
    target.explicit_spec = True
    with acting_as(actor, "Sửa chỉ tiêu theo mốc"):
        target.save()
    return target


@transaction.atomic
def task_update(*, task: Task, actor=None, effective: date | None = None, amendment: PlanAmendment | None = None,
                **fields) -> Task:
    """Edit one task. A new printed deadline re-derives its meaning (unless `deadline` is
    given); with `effective`, the earlier deadline and lead are kept as a TaskTerm."""
    where = f"nhiệm vụ “{task.code}”"
    before = (task.deadline_raw, task.deadline_spec, task.deadline_due, list(task.lead_text or []))
    if "deadline_raw" in fields:
        task.deadline_raw = v.text(fields.pop("deadline_raw"), f"{where}, thời hạn (như bản in)", max_len=255)
        task.deadline_spec = v.deadline_spec(fields.pop("deadline", None), task.deadline_raw, where)
    elif "deadline" in fields:
        task.deadline_spec = v.deadline_spec(fields.pop("deadline"), task.deadline_raw, where)
    if "lead_text" in fields:
        task.lead_text = v.string_list(fields.pop("lead_text"), f"{where}, cơ quan chủ trì")
    for name in ("name", "result"):
        if name in fields:
            setattr(task, name, v.text(fields.pop(name), f"{where}, {name}", required=name == "name"))
    if fields:
        raise InterchangeError(f"Không sửa được trường {', '.join(fields)} của {where} bằng dịch vụ này")
    task.explicit_spec = True
    if effective is not None and (before[0], before[1], before[3]) != (task.deadline_raw, task.deadline_spec, task.lead_text):
        _keep_term(task, before, effective - timedelta(days=1), amendment)
    with acting_as(actor, f"Điều chỉnh theo {amendment.document}" if amendment and amendment.document_id else "Sửa nhiệm vụ"):
        task.save()
    return task


__all__ = [
    "FieldChange", "PlanDiff", "RowChange", "has_report_history", "plan_apply_amendment", "plan_diff",
    "diff_as_text", "plan_fingerprint", "plan_import", "resolve_pending_references", "target_update", "task_update",
]


def diff_as_text(diff: PlanDiff) -> str:
    """The diff for a terminal: one line per row, then its fields before → after."""
    if diff.is_empty:
        return f"Kế hoạch {diff.plan_code}: không có thay đổi."
    lines = [f"Kế hoạch {diff.plan_code}: thêm {len(diff.added)}, sửa {len(diff.changed)}, bãi bỏ {len(diff.retired)}"]
    for r in diff.rows:
        note = f" ({r.note})" if r.note else ""
        lines.append(f"  [{r.action_vi}] {r.kind_vi} {r.code}: {r.name[:80]}{note}")
        for c in r.changes:
            lines.append(f"      {c.label}: {c.before[:120]} → {c.after[:120]}")
    return "\n".join(lines)
