"""Organisation services: agency-name resolution, fan-out of collective phrases, and
loading the organisation tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from rapidfuzz import fuzz, process

from planwatch.lib.agencies import agency_core_key, agency_key, collective_kind, split_agency_list
from planwatch.lib.result import Result

from .models import DEPARTMENT_KINDS, LOCALITY_KINDS, Organisation, OrgAlias, OrgKind, OrgSuccession

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


@transaction.atomic
def record_succession(predecessor: Organisation, successors: list[Organisation], *, effective: date, source: str, detail: str = "") -> None:
    """End `predecessor` the day before `effective` and link its successors; the
    predecessor and its history stay in the tree."""
    from datetime import timedelta

    predecessor.valid_to = effective - timedelta(days=1)
    predecessor.save()
    for s in successors:
        OrgSuccession.objects.update_or_create(
            predecessor=predecessor, successor=s, defaults={"effective": effective, "source": source, "detail": detail}
        )


def grant(user, *, org: Organisation, role: str, scope: Organisation | None = None):
    from .models import Membership

    m, _ = Membership.objects.get_or_create(user=user, org=org, scope=scope or org, role=role)
    return m
