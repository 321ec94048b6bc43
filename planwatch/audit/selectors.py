"""Historical rows turned into lines a person reads: when, who, what (Thêm / Sửa / Xóa), which
fields changed from what to what (with the fields' Vietnamese names, dates dd/mm/yyyy, numbers
1.000,5, the printed text of deadlines and targets) and why.

A page asks for the changes of a set of "sources" (a tracked model and a filter on its
historical rows), e.g. a plan's page: the plan, and every indicator, target, task group, task
and assignment that belongs or belonged to it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Iterable

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from planwatch.lib.deadlines import DeadlineSpec
from planwatch.lib.numbers import format_vn_number
from planwatch.lib.targets import TargetSpec
from planwatch.orgs.models import Membership, OrgAlias, Organisation, OrgSuccession
from planwatch.plans.models import PlanAmendment, TaskTerm, Assignment, Indicator, IndicatorTarget, Plan, SourceDocument, Task, TaskGroup
from planwatch.reporting.models import IndicatorValue, TaskProgress, UnitReport

from .records import BASELINE

ACTIONS = {"+": "Thêm", "~": "Sửa", "-": "Xóa"}
EMPTY = "(trống)"
DEFAULT_LIMIT = 300

# Columns that follow from others or only count versions: never shown as a change.
HIDDEN = {"id", "search_key", "path", "depth", "position", "key", "version", "created_at", "updated_at",
          "updated_by", "deadline_kind", "deadline_due"}

# A parsed meaning is shown only when its printed text did not change with it (then the
# printed text tells the change); otherwise the meaning in words.
PARSED = {
    (Task, "deadline_spec"): ("deadline_raw", DeadlineSpec),
    (IndicatorTarget, "spec"): ("raw", TargetSpec),
}


# Vietnamese names for columns declared without one (the reporting workflow's own columns).
LABELS = {
    "period": "kỳ báo cáo", "org": "đơn vị", "report": "báo cáo", "task": "nhiệm vụ", "indicator": "chỉ tiêu",
    "submitted_at": "gửi lúc", "submitted_by": "người gửi", "accepted_at": "tiếp nhận lúc",
    "accepted_by": "người tiếp nhận",
}


def _label(f: models.Field) -> str:
    name = str(f.verbose_name)
    if name == f.name.replace("_", " "):  # Django's default: no Vietnamese name was given
        return LABELS.get(f.name, name)
    return name


@dataclass(frozen=True)
class Source:
    model: type[models.Model]
    filter: dict[str, Any]


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    at: datetime
    user: Any  # the User, or None when the system acted
    action: str  # "Thêm" | "Sửa" | "Xóa"
    subject: str  # "Nhiệm vụ 3. Xây dựng …"
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""
    sort_key: tuple = ()

    @property
    def at_text(self) -> str:
        return timezone.localtime(self.at).strftime("%d/%m/%Y %H:%M")


@dataclass
class History:
    entries: list[Entry]
    total: int
    limit: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.entries)


def _short(text: str | None, n: int = 80) -> str:
    text = (text or "").strip()
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


class _Labels:
    """Names of related rows, loaded in one query per model; a row deleted since is named
    from its last historical row."""

    SELECT = {UnitReport: ("period", "org"), Assignment: ("task", "org"), Membership: ("user", "scope"),
              TaskProgress: ("task",), IndicatorValue: ("indicator",)}

    def __init__(self, user_name: Callable[[Any], str]):
        self.user_name = user_name
        self.User = get_user_model()
        self.wanted: dict[type, set] = {}
        self.names: dict[tuple[type, Any], str] = {}

    def want(self, model: type, pk) -> None:
        if pk is not None:
            self.wanted.setdefault(model, set()).add(pk)

    def load(self) -> None:
        for model, pks in self.wanted.items():
            missing = {pk for pk in pks if (model, pk) not in self.names}
            if not missing:
                continue
            qs = model._default_manager.filter(pk__in=missing)
            if model in self.SELECT:
                qs = qs.select_related(*self.SELECT[model])
            for obj in qs:
                self.names[(model, obj.pk)] = self._name(obj)
            left = missing - {pk for (m, pk) in self.names if m is model}
            history = getattr(model, "history", None)
            if left and history is not None:
                for rec in history.filter(id__in=left).order_by("id", "history_id"):
                    self.names[(model, rec.id)] = self._name(rec.instance, deleted=True)
        self.wanted.clear()

    def _name(self, obj, deleted: bool = False) -> str:
        if isinstance(obj, self.User):
            name = self.user_name(obj)
        elif isinstance(obj, (Task, Indicator, TaskGroup)):
            name = f"{obj.code}. {_short(obj.name, 60)}"
        elif isinstance(obj, Plan):
            name = obj.code
        elif isinstance(obj, UnitReport) and not deleted:
            name = f"{obj.period.label} – {obj.org.name}"
        elif isinstance(obj, (UnitReport, Assignment, Membership, TaskProgress, IndicatorValue)):
            name = f"#{obj.pk}"
        else:
            name = _short(str(obj))
        return f"{name} (đã xóa)" if deleted else name

    def of(self, model: type, pk) -> str:
        if pk is None:
            return EMPTY
        return self.names.get((model, pk), f"#{pk}")


def _subject(rec, model: type, L: _Labels) -> str:
    if model is SourceDocument:
        return f"Văn bản {rec.number or _short(rec.title, 60)}"
    if model is Plan:
        return f"Kế hoạch {rec.code}"
    if model is Indicator:
        return f"Chỉ tiêu {rec.code}. {_short(rec.name, 60)}"
    if model is IndicatorTarget:
        return f"Mục tiêu năm {rec.year} của chỉ tiêu {L.of(Indicator, rec.indicator_id)}"
    if model is TaskGroup:
        return f"Nhóm nhiệm vụ {rec.code}. {_short(rec.name, 60)}"
    if model is Task:
        return f"Nhiệm vụ {rec.code}. {_short(rec.name, 60)}"
    if model is Assignment:
        role = dict(Assignment._meta.get_field("role").choices).get(rec.role, rec.role)
        return f"Giao nhiệm vụ {L.of(Task, rec.task_id)} cho {L.of(Organisation, rec.org_id)} ({role.lower()})"
    if model is Organisation:
        return f"Tổ chức {rec.name}"
    if model is OrgAlias:
        return f"Tên gọi khác “{rec.alias}” của {L.of(Organisation, rec.org_id)}"
    if model is OrgSuccession:
        return f"Kế thừa: {L.of(Organisation, rec.predecessor_id)} → {L.of(Organisation, rec.successor_id)}"
    if model is Membership:
        role = dict(Membership._meta.get_field("role").choices).get(rec.role, rec.role)
        return f"Phân quyền {L.of(L.User, rec.user_id)}: {role} – {L.of(Organisation, rec.scope_id)}"
    if model is UnitReport:
        return f"Báo cáo {L.of(UnitReport, rec.id)}"
    if model is TaskProgress:
        return f"Tiến độ nhiệm vụ {L.of(Task, rec.task_id)} – báo cáo {L.of(UnitReport, rec.report_id)}"
    if model is IndicatorValue:
        return f"Số liệu chỉ tiêu {L.of(Indicator, rec.indicator_id)} – báo cáo {L.of(UnitReport, rec.report_id)}"
    return f"{model._meta.verbose_name.capitalize()} #{rec.id}"


def _json_text(value) -> str:
    if value in (None, "", [], {}):
        return EMPTY
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return "; ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _text(f: models.Field, value, L: _Labels) -> str:
    if isinstance(f, models.ForeignKey):
        return L.of(f.related_model, value)
    if value is None or value == "":
        return EMPTY
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return "Có" if value else "Không"
    if isinstance(f, models.DateTimeField) and isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(f, models.DateField) and isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format_vn_number(value)
    if isinstance(f, models.JSONField):
        return _json_text(value)
    return str(value)


def _meaning(spec_class, value) -> str:
    if not value:
        return EMPTY
    try:
        return spec_class.from_dict(value).describe_vi()
    except (KeyError, TypeError, ValueError, AttributeError):
        return _json_text(value)


def _fields(model: type) -> list[models.Field]:
    history_model = model.history.model
    tracked = {f.name for f in history_model.tracked_fields}
    return [f for f in model._meta.fields if f.name in tracked and f.name not in HIDDEN]


def _changes(model: type, fields: list[models.Field], old, new, L: _Labels) -> list[FieldChange]:
    out: list[FieldChange] = []
    for f in fields:
        before, after = getattr(old, f.attname), getattr(new, f.attname)
        if before == after:
            continue
        parsed = PARSED.get((model, f.name))
        if parsed is not None:
            raw_name, spec_class = parsed
            if getattr(old, raw_name) != getattr(new, raw_name):
                continue  # the printed text's change says it
            out.append(FieldChange(_label(f), _meaning(spec_class, before), _meaning(spec_class, after)))
            continue
        out.append(FieldChange(_label(f), _text(f, before, L), _text(f, after, L)))
    return out


def _m2m_sets(model: type, records: list) -> dict[str, dict[int, frozenset]]:
    """For each m2m field tracked on `model`: history_id → the set of related ids then."""
    out: dict[str, dict[int, frozenset]] = {}
    history_model = model.history.model
    for m2m_field in getattr(history_model, "_history_m2m_fields", []):
        through_history = getattr(history_model, m2m_field.name).model
        target = m2m_field.m2m_reverse_field_name()
        sets: dict[int, set] = {r.history_id: set() for r in records}
        rows = through_history.objects.filter(history_id__in=list(sets)).values_list("history_id", f"{target}_id")
        for hid, pk in rows:
            sets[hid].add(pk)
        out[m2m_field.name] = {k: frozenset(v) for k, v in sets.items()}
    return out


def changes_for(sources: Iterable[Source], *, user_name: Callable[[Any], str], limit: int = DEFAULT_LIMIT) -> History:
    """The changes recorded for `sources`, newest first (at most `limit`)."""
    L = _Labels(user_name)
    pending: list[tuple] = []  # (model, fields, prev, rec, m2m)
    for src in sources:
        model = src.model
        fields = _fields(model)
        records = list(
            model.history.filter(**src.filter).select_related("history_user").order_by("id", "history_id")
        )
        m2m = _m2m_sets(model, records) if records else {}
        for name, sets in m2m.items():
            related = model._meta.get_field(name).related_model
            for pks in sets.values():
                for pk in pks:
                    L.want(related, pk)
        prev = None
        for rec in records:
            p = prev if prev is not None and prev.id == rec.id else None
            pending.append((model, fields, p, rec, m2m))
            for f in fields:
                if isinstance(f, models.ForeignKey):
                    L.want(f.related_model, getattr(rec, f.attname))
            if model is UnitReport:
                L.want(UnitReport, rec.id)
            if model is Membership:
                L.want(L.User, rec.user_id)
            prev = rec
    L.load()

    entries: list[Entry] = []
    seen: set = set()
    for model, fields, prev, rec, m2m in pending:
        key = (model._meta.label, rec.history_id)
        if key in seen:  # two sources may reach the same row (an org as predecessor and successor)
            continue
        seen.add(key)
        action = ACTIONS.get(rec.history_type, rec.history_type)
        changes: list[FieldChange] = []
        if rec.history_type == "~" and prev is not None:
            changes = _changes(model, fields, prev, rec, L)
            for name, sets in m2m.items():
                before, after = sets.get(prev.history_id, frozenset()), sets.get(rec.history_id, frozenset())
                if before != after:
                    label = str(model._meta.get_field(name).verbose_name)
                    related = model._meta.get_field(name).related_model
                    changes.append(FieldChange(
                        label,
                        ", ".join(sorted(L.of(related, pk) for pk in before)) or EMPTY,
                        ", ".join(sorted(L.of(related, pk) for pk in after)) or EMPTY,
                    ))
        if rec.history_change_reason == BASELINE:
            continue  # only the "before" of the next row
        reason = rec.history_change_reason or ""
        if rec.history_type == "~" and prev is not None and not changes:
            continue  # saved unchanged (an amendment re-saves every row), or only a derived column moved
        entries.append(Entry(
            at=rec.history_date,
            user=rec.history_user,
            action=action,
            subject=_subject(rec, model, L),
            changes=changes,
            reason=reason,
            sort_key=(rec.history_date, model._meta.label, rec.history_id),
        ))
    entries.sort(key=lambda e: e.sort_key, reverse=True)
    return History(entries=entries[:limit], total=len(entries), limit=limit)


# ---------------------------------------------------------------- what each page shows


def _ids(model: type, **filters) -> list:
    """Ids of rows that match now or ever matched (deleted rows keep their history)."""
    live = set(model._default_manager.filter(**filters).values_list("pk", flat=True))
    past = set(model.history.filter(**filters).values_list("id", flat=True))
    return sorted(live | past)


def plan_sources(plan: Plan) -> list[Source]:
    task_ids = _ids(Task, plan_id=plan.pk)
    indicator_ids = _ids(Indicator, plan_id=plan.pk)
    sources = [
        Source(Plan, {"id": plan.pk}),
        Source(Indicator, {"plan_id": plan.pk}),
        Source(IndicatorTarget, {"indicator_id__in": indicator_ids}),
        Source(TaskGroup, {"plan_id": plan.pk}),
        Source(Task, {"plan_id": plan.pk}),
        Source(Assignment, {"task_id__in": task_ids}),
    ]
    if plan.document_id:
        sources.append(Source(SourceDocument, {"id": plan.document_id}))
    return sources + [Source(m, {k: plan.pk}) for m, k in EXTRA_PLAN_SOURCES]


def task_sources(task: Task) -> list[Source]:
    return [Source(Task, {"id": task.pk}), Source(Assignment, {"task_id": task.pk})] + [
        Source(m, {k: task.pk}) for m, k in EXTRA_TASK_SOURCES
    ]


def indicator_sources(indicator: Indicator) -> list[Source]:
    return [Source(Indicator, {"id": indicator.pk}), Source(IndicatorTarget, {"indicator_id": indicator.pk})]


def org_sources(org: Organisation, *, memberships: bool, reports: bool) -> list[Source]:
    """An organisation's own changes, its aliases, successions, the assignments given to it;
    its users' roles and its reports only for those who may see them."""
    sources = [
        Source(Organisation, {"id": org.pk}),
        Source(OrgAlias, {"org_id": org.pk}),
        Source(OrgSuccession, {"predecessor_id": org.pk}),
        Source(OrgSuccession, {"successor_id": org.pk}),
        Source(Assignment, {"org_id": org.pk}),
    ]
    if memberships:
        sources += [Source(Membership, {"org_id": org.pk}), Source(Membership, {"scope_id": org.pk})]
    if reports:
        report_ids = _ids(UnitReport, org_id=org.pk)
        sources += [
            Source(UnitReport, {"org_id": org.pk}),
            Source(TaskProgress, {"report_id__in": report_ids}),
            Source(IndicatorValue, {"report_id__in": report_ids}),
        ]
    return sources


# Models added by later changes (e.g. plan amendments, task terms) join the pages here:
# (model, the historical column holding the plan's / task's id).
EXTRA_PLAN_SOURCES: list[tuple[type, str]] = [(PlanAmendment, "plan_id")]
EXTRA_TASK_SOURCES: list[tuple[type, str]] = [(TaskTerm, "task_id")]
