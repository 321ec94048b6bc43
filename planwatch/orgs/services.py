"""Organisation services: agency-name resolution, fan-out of collective phrases, and
loading the organisation tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from rapidfuzz import fuzz, process

from planwatch.lib.agencies import agency_core_key, agency_key, collective_kind, split_agency_list
from planwatch.lib.result import Result

from .models import (
    DEPARTMENT_KINDS,
    LOCALITY_KINDS,
    Organisation,
    OrgAlias,
    OrgChange,
    OrgChangeKind,
    OrgKind,
    OrgSuccession,
)
from .signals import org_ended

# Below this rapidfuzz score a name is reported as unresolved rather than guessed.
FUZZY_MIN_SCORE = 92


@dataclass
class Resolution:
    text: str
    orgs: list[Organisation] = field(default_factory=list)
    collective: str | None = None
    method: str = ""  # "alias", "name", "core", "fuzzy", "collective", "unresolved"


class AgencyResolver:
    """Resolves printed agency names to organisations of one root (a province or a former
    district), falling back to the root's ancestors ("Sở Công Thương" written in a district
    plan is the province's department). Loads every name once; resolve() is then cheap."""

    def __init__(self, root: Organisation, *, on: date | None = None):
        self.root = root
        self.on = on
        roots = list(root.ancestors()) or [root]
        # Nearest root first so a district's "Công an" beats the province's.
        self.search_roots = sorted(roots, key=lambda o: -o.depth)
        self._index: list[dict[str, list[Organisation]]] = []
        for r in self.search_roots:
            idx: dict[str, list[Organisation]] = {}
            orgs = {o.pk: o for o in r.subtree()}
            # Units of a deeper search root (e.g. a district's offices, reached from the
            # province) are only matched from that deeper root.
            for alias in OrgAlias.objects.filter(org_id__in=orgs.keys()):
                idx.setdefault(alias.key, []).append(orgs[alias.org_id])
            for o in orgs.values():
                for k in {agency_key(o.name), agency_key(o.short_name) if o.short_name else ""}:
                    if k:
                        idx.setdefault(k, []).append(o)
            self._index.append({k: _dedupe(v) for k, v in idx.items()})

    def _lookup(self, key: str) -> list[Organisation]:
        for idx in self._index:
            found = idx.get(key)
            if found:
                return _prefer_active(found, self.on)
        return []

    def resolve_name(self, name: str) -> Resolution:
        res = Resolution(text=name)
        kind = collective_kind(name)
        if kind:
            res.collective = kind
            res.orgs = fan_out(kind, self.root, on=self.on)
            res.method = "collective"
            return res
        for method, key in (("name", agency_key(name)), ("core", agency_core_key(name))):
            found = self._lookup(key)
            if found:
                res.orgs, res.method = found[:1], method
                return res
        choices = {k: k for idx in self._index for k in idx}
        best = process.extractOne(agency_core_key(name), choices, scorer=fuzz.ratio)
        if best and best[1] >= FUZZY_MIN_SCORE:
            res.orgs, res.method = self._lookup(best[0])[:1], "fuzzy"
            return res
        res.method = "unresolved"
        return res

    def resolve_cell(self, cell: str | list[str] | None) -> Result[list[Resolution]]:
        """A printed cell (or an already split list) to resolutions; unresolved names become
        warnings with the text kept."""
        names: list[str] = []
        for part in [cell] if isinstance(cell, str) else (cell or []):
            names.extend(split_agency_list(part) if part else [])
        resolutions = [self.resolve_name(n) for n in names]
        warnings = tuple(
            f"Không xác định được cơ quan “{r.text}”: giữ nguyên văn bản, cần gán thủ công"
            for r in resolutions
            if r.method == "unresolved"
        )
        return Result(resolutions, warnings)


def _dedupe(orgs: list[Organisation]) -> list[Organisation]:
    seen: dict[int, Organisation] = {}
    for o in orgs:
        seen.setdefault(o.pk, o)
    return list(seen.values())


def _prefer_active(orgs: list[Organisation], on: date | None) -> list[Organisation]:
    if on is None:
        return orgs
    return sorted(orgs, key=lambda o: not o.is_active(on))


def fan_out(kind: str, root: Organisation, *, on: date | None = None) -> list[Organisation]:
    """Every organisation a collective phrase designates under `root`: departments and
    agencies, localities, or both; only those active on `on` (default: today)."""
    kinds: list[str] = []
    if kind in ("departments", "departments_and_localities"):
        kinds += list(DEPARTMENT_KINDS) + [OrgKind.DISTRICT_OFFICE]
    if kind in ("localities", "departments_and_localities"):
        kinds += list(LOCALITY_KINDS)
    on = on or date.today()
    orgs = root.subtree().filter(kind__in=kinds).exclude(pk=root.pk).order_by("path")
    found = [o for o in orgs if o.is_active(on)]
    if root.kind == OrgKind.DISTRICT and kind != "departments":
        # A former district's localities are the communes that succeeded it.
        found += [s.successor for s in root.successions.select_related("successor").order_by("successor__name")]
    return found


def add_alias(org: Organisation, alias: str, source: str = "") -> OrgAlias:
    obj, _ = OrgAlias.objects.get_or_create(org=org, key=agency_key(alias), defaults={"alias": alias, "source": source})
    return obj


def record_succession(
    predecessor: Organisation, successors: list[Organisation], *, effective: date, source: str, actor,
    detail: str = "",
) -> None:
    """End `predecessor` the day before `effective` and link its successors: the same as
    org_end (kept for its callers); `source` is the reason (the deciding document)."""
    org_end(org=predecessor, effective=effective, successors=successors, actor=actor, reason=source, detail=detail)


def grant(user, *, org: Organisation, role: str, scope: Organisation | None = None):
    from .models import Membership

    m, _ = Membership.objects.get_or_create(user=user, org=org, scope=scope or org, role=role)
    return m


# --- Reorganisation: rename, move, end, merge, split ------------------------------------------
#
# Each service is atomic, takes a keyword-only effective date, an actor (the user) and a
# reason (typed text or the deciding document's reference, e.g. "Nghị quyết 1656/NQ-UBTVQH15"),
# leaves an OrgChange record and sets `_change_reason` on every row it saves (read by the
# history library when installed). Bad input raises ValidationError with a Vietnamese message
# naming the field, before anything is written.
#
# Dates: Organisation.valid_to is the unit's LAST day (as in the demo: the district ended by
# the 1/7/2025 reform has valid_to 30/6/2025). `effective` is the first day of the new state,
# so org_end(effective=1/7/2025) stores valid_to=30/6/2025 and the successors carry the
# duties from 1/7/2025.
#
# Memberships of an ended unit are kept (its officers' reports on earlier periods stay
# readable and attributable); ending a unit does not change what they grant.


def _fmt(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def _require(actor, reason: str) -> str:
    if actor is None or not getattr(actor, "pk", None):
        raise ValidationError({"actor": "Thiếu người thực hiện thay đổi"})
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise ValidationError({"reason": "Lý do thay đổi: bắt buộc (nhập lý do hoặc số hiệu văn bản quyết định)"})
    return reason


def _require_date(effective, field: str = "effective") -> date:
    if not isinstance(effective, date):
        raise ValidationError({field: "Ngày hiệu lực: bắt buộc, dạng ngày (dd/mm/yyyy)"})
    return effective


def _snapshot(org: Organisation) -> dict:
    return {
        "name": org.name,
        "short_name": org.short_name,
        "parent": org.parent_id,
        "parent_name": org.parent.name if org.parent_id else "",
        "path": org.path,
        "valid_from": org.valid_from.isoformat() if org.valid_from else None,
        "valid_to": org.valid_to.isoformat() if org.valid_to else None,
    }


def _record(org, kind, *, effective, actor, reason, before, related=()) -> OrgChange:
    org.refresh_from_db()
    change = OrgChange.objects.create(
        org=org, kind=kind, effective=effective, actor=actor, reason=reason, before=before, after=_snapshot(org)
    )
    if related:
        change.related.set(related)
    return change


def _save(org: Organisation, reason: str) -> None:
    org._change_reason = reason
    org.save()


def _check_active_on(org: Organisation, day: date, field: str, role: str) -> None:
    if not org.is_active(day):
        raise ValidationError({field: f"{role} “{org.name}” không hoạt động vào ngày {_fmt(day)}"})


def check_move(org: Organisation, new_parent: Organisation | None) -> None:
    """Refuses a move that would break the tree: under itself or one of its descendants."""
    if new_parent is None:
        return
    if org.pk and (new_parent.pk == org.pk or new_parent.path.startswith(org.path)):
        raise ValidationError(
            {"parent": f"Cấp trên: không thể chuyển “{org.name}” vào chính nó hoặc đơn vị cấp dưới “{new_parent.name}” của nó"}
        )


@transaction.atomic
def org_create(*, org: Organisation, effective: date, actor, reason: str) -> Organisation:
    """A new unit, existing from `effective` (its valid_from unless set earlier)."""
    reason = _require(actor, reason)
    effective = _require_date(effective)
    if org.valid_from is None:
        org.valid_from = effective
    if not (org.name or "").strip():
        raise ValidationError({"name": "Tên: bắt buộc"})
    if org.parent_id:
        _check_active_on(org.parent, effective, "parent", "Đơn vị cấp trên")
    _save(org, reason)
    _record(org, OrgChangeKind.CREATE, effective=effective, actor=actor, reason=reason, before={})
    return org


@transaction.atomic
def org_rename(
    *, org: Organisation, name: str, short_name: str | None = None, effective: date, actor, reason: str
) -> Organisation:
    """Renames a unit from `effective`. The old name (and short name) stay as aliases so that
    documents written before still resolve to it. `short_name=None` keeps the short name."""
    reason = _require(actor, reason)
    effective = _require_date(effective)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Tên mới: bắt buộc"})
    given, org = org, Organisation.objects.select_for_update().get(pk=org.pk)
    new_short = org.short_name if short_name is None else short_name.strip()
    if name == org.name and new_short == org.short_name:
        raise ValidationError({"name": f"Tên mới trùng với tên hiện tại “{org.name}”"})
    before = _snapshot(org)
    source = f"tên cũ, dùng đến {_fmt(effective - timedelta(days=1))}"
    for old in {org.name, org.short_name} - {"", name, new_short}:
        add_alias(org, old, source)
    org.name, org.short_name = name, new_short
    _save(org, reason)
    _record(org, OrgChangeKind.RENAME, effective=effective, actor=actor, reason=reason, before=before)
    given.refresh_from_db()
    return given


@transaction.atomic
def org_move(*, org: Organisation, new_parent: Organisation | None, effective: date, actor, reason: str) -> Organisation:
    """Places a unit (with its whole subtree) under another parent from `effective`."""
    reason = _require(actor, reason)
    effective = _require_date(effective)
    given, org = org, Organisation.objects.select_for_update().get(pk=org.pk)
    if new_parent is not None:
        new_parent = Organisation.objects.get(pk=new_parent.pk)
    if (new_parent.pk if new_parent else None) == org.parent_id:
        raise ValidationError({"parent": f"“{org.name}” đã thuộc đơn vị cấp trên này"})
    check_move(org, new_parent)
    if new_parent is not None:
        _check_active_on(new_parent, effective, "parent", "Đơn vị cấp trên mới")
    before = _snapshot(org)
    org.parent = new_parent
    _save(org, reason)
    _record(org, OrgChangeKind.MOVE, effective=effective, actor=actor, reason=reason, before=before)
    given.refresh_from_db()
    if new_parent is not None:
        new_parent.refresh_from_db()
    return given


def _end(
    org: Organisation, *, effective: date, successors: list[Organisation], actor, reason: str,
    kind: str = OrgChangeKind.END, detail: str = "",
) -> list[Organisation]:
    """Ends `org` and its still-active descendants on the day before `effective`, links the
    successors, records the change and sends `org_ended` for each unit ended (the plans app
    passes their open assignments to the successors). Returns the units ended."""
    given, org = org, Organisation.objects.select_for_update().get(pk=org.pk)
    last_day = effective - timedelta(days=1)
    if org.valid_from and org.valid_from > last_day:
        raise ValidationError(
            {"effective": f"Ngày hiệu lực {_fmt(effective)}: “{org.name}” chỉ bắt đầu hoạt động từ {_fmt(org.valid_from)}"}
        )
    if org.valid_to and org.valid_to < last_day:
        raise ValidationError({"effective": f"“{org.name}” đã kết thúc hoạt động từ {_fmt(org.valid_to)}"})
    for s in successors:
        if s.pk is None:
            raise ValidationError({"successors": "Đơn vị kế thừa chưa được lưu"})
        s.refresh_from_db()
        if s.path.startswith(org.path):
            raise ValidationError(
                {"successors": f"Đơn vị kế thừa “{s.name}” không thể là “{org.name}” hay đơn vị cấp dưới của nó"}
            )
        _check_active_on(s, effective, "successors", "Đơn vị kế thừa")
    before = _snapshot(org)
    org.valid_to = last_day
    _save(org, reason)
    for s in successors:
        OrgSuccession.objects.update_or_create(
            predecessor=org, successor=s, defaults={"effective": effective, "source": reason, "detail": detail}
        )
    _record(org, kind, effective=effective, actor=actor, reason=reason, before=before, related=successors)
    ended = [org]
    # A unit does not outlive its parent: descendants still active end with it.
    for child in (
        org.subtree().exclude(pk=org.pk).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=last_day)).select_for_update().order_by("path")
    ):
        child_before = _snapshot(child)
        child.valid_to = last_day
        _save(child, reason)
        _record(child, OrgChangeKind.END, effective=effective, actor=actor, reason=reason, before=child_before)
        ended.append(child)
    # Descendants that ended with it on the same day (now or earlier, as the reform's
    # district offices did) pass their duties to the same successors.
    ended += list(org.subtree().exclude(pk__in=[o.pk for o in ended]).filter(valid_to=last_day).order_by("path"))
    for unit in ended:
        org_ended.send(sender=Organisation, org=unit, successors=list(successors), effective=effective, actor=actor)
    given.refresh_from_db()
    return ended


@transaction.atomic
def org_end(
    *, org: Organisation, effective: date, successors: list[Organisation] | tuple = (), actor, reason: str,
    detail: str = "",
) -> list[Organisation]:
    """Ends a unit from `effective` (its last day is the day before): its descendants still
    active end with it; its open assignments pass to `successors` from `effective`. Running it
    again for a unit already ended on that day (e.g. recorded by the loader) only adds the
    successors and passes what is still open."""
    reason = _require(actor, reason)
    effective = _require_date(effective)
    return _end(org, effective=effective, successors=list(successors), actor=actor, reason=reason, detail=detail)


def _materialise(unit: Organisation, *, parent: Organisation | None, effective: date, actor, reason: str) -> Organisation:
    """An unsaved Organisation (a new unit) is created; a saved one is used as it is."""
    if unit.pk is None:
        if unit.parent_id is None and parent is not None:
            unit.parent = parent
        return org_create(org=unit, effective=effective, actor=actor, reason=reason)
    return unit


@transaction.atomic
def org_merge(
    *, orgs: list[Organisation], into: Organisation, effective: date, actor, reason: str
) -> Organisation:
    """Merges `orgs` into `into` from `effective`: an existing unit (sáp nhập) or a new one,
    given unsaved (hợp nhất; created under the first unit's parent unless it names one).
    Every merged unit ends the day before; its open assignments pass to `into`."""
    reason = _require(actor, reason)
    effective = _require_date(effective)
    orgs = list(orgs)
    if not orgs:
        raise ValidationError({"orgs": "Chọn ít nhất một đơn vị được hợp nhất"})
    if into.pk is not None and any(o.pk == into.pk for o in orgs):
        raise ValidationError({"into": f"Đơn vị nhận “{into.name}” không thể đồng thời là đơn vị được hợp nhất"})
    into = _materialise(into, parent=orgs[0].parent, effective=effective, actor=actor, reason=reason)
    for o in orgs:
        _end(o, effective=effective, successors=[into], actor=actor, reason=reason, kind=OrgChangeKind.MERGE)
    return into


@transaction.atomic
def org_split(
    *, org: Organisation, into: list[Organisation], effective: date, actor, reason: str
) -> list[Organisation]:
    """Splits a unit into several from `effective` (existing units or new, unsaved ones,
    created under the split unit's parent). The unit ends the day before; each of its open
    assignments passes to every part (the supervisor then narrows them by task)."""
    reason = _require(actor, reason)
    effective = _require_date(effective)
    into = list(into)
    if len(into) < 2:
        raise ValidationError({"into": "Chia tách: cần ít nhất hai đơn vị mới"})
    parts = [_materialise(u, parent=org.parent, effective=effective, actor=actor, reason=reason) for u in into]
    _end(org, effective=effective, successors=parts, actor=actor, reason=reason, kind=OrgChangeKind.SPLIT)
    return parts
