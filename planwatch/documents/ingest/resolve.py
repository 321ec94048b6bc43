"""Agency cells → ranked organisation suggestions; draft rows → ranked upper-level rows.

Agencies: orgs.services.AgencyResolver first (exact name, alias learnt from earlier
corrections, name without the locality, collective phrases fanned out), then rapidfuzz on
agency_core_key over every organisation of the issuer's trees, active AND ended. A unit that
no longer exists (ministries merged in March 2025, districts ended on 1/7/2025) is proposed
with its successors and a flag naming the end date and the successors.

Alignment: each indicator / task row of a lower plan gets the parent plan's rows ranked by
rapidfuzz token_set_ratio on accent-free keys; the best one is chosen only when it is clearly
the same row (and names carrying numbers carry the same numbers: "5G" is not "6G")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process

from planwatch.lib.agencies import agency_core_key, agency_key, split_agency_list
from planwatch.lib.text import search_key

SUGGESTIONS = 5
# Suggestion scores (0–100). A name found by the resolver is certain; a fuzzy one is a guess.
FUZZY_SUGGEST_MIN = 60
FUZZY_CHOOSE_MIN = 92
ALIGN_CHOOSE_MIN = 88
ALIGN_SUGGEST_MIN = 45
_DIGITS = re.compile(r"\d+")
LOCALITY_ROOT_KINDS = ("province", "district", "commune", "ward", "special_zone")


def _fmt(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def org_ref(org) -> dict:
    return {"code": org.code, "name": org.name}


def ended_flag(org, successors: list) -> str:
    names = ", ".join(s.name for s in successors) or "chưa ghi nhận đơn vị kế thừa"
    return f"Cơ quan “{org.name}” đã kết thúc hoạt động từ {_fmt(org.valid_to)}; kế thừa: {names}"


# ---------------------------------------------------------------- roots


def locality_root(org):
    """The province, former district or commune whose tree an organisation belongs to (a
    people's committee or party committee stands for its locality)."""
    from planwatch.orgs.models import Organisation

    chain = list(org.ancestors()) if org.path else [org]
    for o in reversed(chain):
        if o.kind in LOCALITY_ROOT_KINDS:
            return o
    roots = [o for o in chain if o.depth == 0]
    return roots[0] if roots else Organisation.objects.filter(depth=0).order_by("path").first()


def find_org(name: str | None, *, on: date | None = None):
    """One organisation for a printed name (issuer, reporter) searched over every tree:
    exact key, alias, key without locality, then a close fuzzy match. None when unsure."""
    from planwatch.orgs.models import Organisation, OrgAlias

    if not name or not name.strip():
        return None
    key, core = agency_key(name), agency_core_key(name)
    orgs = list(Organisation.objects.all())
    by_key: dict[str, list] = {}
    for o in orgs:
        for k in {agency_key(o.name), agency_key(o.short_name) if o.short_name else ""} - {""}:
            by_key.setdefault(k, []).append(o)
    by_id = {o.pk: o for o in orgs}
    for a in OrgAlias.objects.all():
        if a.org_id in by_id:
            by_key.setdefault(a.key, []).append(by_id[a.org_id])
    for k in (key, core):
        found = by_key.get(k)
        if found:
            return _best_of(found, on)
    cores = {}
    for k, os_ in by_key.items():
        cores.setdefault(_strip_locality(k), os_)
    best = process.extractOne(core, list(cores), scorer=fuzz.ratio)
    if best and best[1] >= FUZZY_CHOOSE_MIN:
        return _best_of(cores[best[0]], on)
    # "Ban Thường vụ Đảng ủy xã Thiện Tín", "HĐND huyện X": a body of a locality the tree does
    # not list stands for the locality itself (the longest locality name found in the text).
    found = [(len(k), o) for o in orgs if o.kind in LOCALITY_ROOT_KINDS
             for k in {agency_key(o.name)} if len(k.split()) >= 2 and f" {k} " in f" {key} "]
    if found:
        return _best_of([o for n, o in found if n == max(n for n, _ in found)], on)
    return None


def _strip_locality(key: str) -> str:
    return re.sub(r"\s+(tinh|huyen|xa|phuong|thanh pho|thi xa)(\s+.*)?$", "", key)


def _best_of(orgs: list, on: date | None):
    # Prefer a unit active on the day, then the shallowest (a province's body over a namesake).
    return sorted(orgs, key=lambda o: (not o.is_active(on), o.depth))[0]


# ---------------------------------------------------------------- suggestions for agency cells


@dataclass
class _Entry:
    org: object
    key: str


class OrgSuggester:
    """Ranked organisation suggestions for the agency names of one document.

    `root`: the issuer's locality (a province, a former district, a commune); `on`: the
    document's date (an organisation ended before that day is replaced by its successors in
    the default choice; one ended since is kept, with its successors suggested and flagged)."""

    def __init__(self, root, *, on: date | None = None, today: date | None = None):
        from planwatch.orgs.models import Organisation, OrgSuccession
        from planwatch.orgs.services import AgencyResolver

        self.root = root
        self.on = on
        self.today = today or date.today()
        self.resolver = AgencyResolver(root, on=on) if root is not None else None
        roots = list(root.ancestors()) if root is not None else []
        q = Organisation.objects.none()
        for r in roots:
            q = q | r.subtree()
        if root is None:
            q = Organisation.objects.all()
        self.orgs = {o.pk: o for o in q}
        self.entries: list[_Entry] = []
        for o in self.orgs.values():
            for k in {agency_core_key(o.name), agency_core_key(o.short_name) if o.short_name else ""} - {""}:
                self.entries.append(_Entry(o, k))
        from planwatch.orgs.models import OrgAlias

        for a in OrgAlias.objects.filter(org_id__in=list(self.orgs)):
            self.entries.append(_Entry(self.orgs[a.org_id], agency_core_key(a.alias)))
        self.keys = [e.key for e in self.entries]
        self.successors: dict[int, list] = {}
        for s in OrgSuccession.objects.select_related("successor").order_by("successor__name"):
            self.successors.setdefault(s.predecessor_id, []).append(s.successor)

    # -- one organisation as a suggestion
    def candidate(self, org, score: float, method: str) -> dict:
        ended = org.valid_to is not None and org.valid_to < self.today
        return {
            "code": org.code, "name": org.name, "score": round(float(score), 1), "method": method,
            "ended_on": org.valid_to.isoformat() if ended else None,
            "successors": [org_ref(s) for s in self.successors.get(org.pk, [])] if ended else [],
        }

    def _final(self, org, seen: set) -> list:
        """An ended unit's live successors, following chains (A → B → C)."""
        out = []
        for s in self.successors.get(org.pk, []):
            if s.pk in seen:
                continue
            seen.add(s.pk)
            if s.valid_to is not None and s.valid_to < self.today:
                out += self._final(s, seen)
            else:
                out.append(s)
        return out

    def suggest(self, text: str, *, limit: int = SUGGESTIONS) -> list[dict]:
        """Ranked suggestions for one printed name (best first), no name twice."""
        out: dict[str, dict] = {}
        if self.resolver is not None:
            res = self.resolver.resolve_name(text)
            if res.orgs and res.method != "collective":
                for o in res.orgs:
                    out[o.code] = self.candidate(o, 100 if res.method != "fuzzy" else 95, res.method)
        key = agency_core_key(text)
        if key and self.keys:
            for _k, score, i in process.extract(key, self.keys, scorer=fuzz.token_sort_ratio, limit=limit * 3):
                if score < FUZZY_SUGGEST_MIN:
                    break
                o = self.entries[i].org
                if o.code not in out:
                    out[o.code] = self.candidate(o, min(score, 94), "fuzzy")
        ranked = sorted(out.values(), key=lambda c: -c["score"])[:limit]
        # An ended unit brings its successors right after it.
        final: list[dict] = []
        for c in ranked:
            final.append(c)
            if c["ended_on"]:
                for s in self._final(self._by_code(c["code"]), set()):
                    if all(x["code"] != s.code for x in final + ranked):
                        final.append(self.candidate(s, c["score"], "successor"))
        return final

    def _by_code(self, code: str):
        return next(o for o in self.orgs.values() if o.code == code)

    def choice(self, text: str) -> dict:
        """choice_uncached, remembered per printed name (a name repeats on many rows)."""
        memo = self.__dict__.setdefault("_memo", {})
        if text not in memo:
            memo[text] = self.choice_uncached(text)
        # Shallow: callers replace "chosen" rather than change it (the draft is copied to JSON).
        return {**memo[text], "chosen": list(memo[text]["chosen"])}

    def choice_uncached(self, text: str) -> dict:
        """One agency name of a cell: {"text", "method", "chosen": [codes], "candidates",
        "flags": [Vietnamese reasons]}. A collective phrase ("các sở, ban, ngành", "UBND các
        xã") is fanned out to its units; an unresolved name chooses nothing and is flagged."""
        flags: list[str] = []
        if self.resolver is not None:
            res = self.resolver.resolve_name(text)
        else:
            res = None
        if res is not None and res.method == "collective":
            chosen = [o.code for o in res.orgs]
            return {"text": text, "method": "collective", "chosen": chosen,
                    "candidates": [self.candidate(o, 100, "collective") for o in res.orgs[:50]],
                    "flags": [f"Cụm “{text}” được hiểu là {len(chosen)} đơn vị"] if chosen else
                    [f"Cụm “{text}” không ứng với đơn vị nào đang hoạt động"]}
        candidates = self.suggest(text)
        if not (res is not None and res.orgs) and not any(
                c["ended_on"] and c["score"] >= FUZZY_CHOOSE_MIN for c in candidates):
            # A body the tree does not hold that ended in the 2025 restructuring (the tree's own
            # ended unit, when it has one, keeps the behaviour below).
            if (reformed := self.reformed(text, candidates)) is not None:
                return reformed
        chosen: list[str] = []
        method = "unresolved"
        if res is not None and res.orgs:
            method = res.method
            org = res.orgs[0]
        elif candidates and candidates[0]["score"] >= FUZZY_CHOOSE_MIN:
            method = "fuzzy"
            org = self._by_code(candidates[0]["code"])
        else:
            org = None
        if org is not None:
            ended = org.valid_to is not None and org.valid_to < self.today
            if ended:
                succ = self._final(org, set())
                flags.append(ended_flag(org, succ))
                if self.on is not None and org.valid_to < self.on and succ:
                    # Already gone on the document's date: the work is the successors'.
                    chosen = [s.code for s in succ]
                else:
                    chosen = [org.code]
            else:
                chosen = [org.code]
            if method == "fuzzy":
                flags.extend(self._guess_flags(text, org, candidates))
        else:
            flags.append(f"Không xác định được cơ quan “{text}”: chọn đơn vị trong danh sách gợi ý")
        return {"text": text, "method": method, "chosen": chosen, "candidates": candidates, "flags": flags}

    def _guess_flags(self, text: str, org, candidates: list[dict]) -> list[str]:
        """The flag of a name matched by the suggester. The same name (accents aside) is not an
        approximate match: it needs confirming only when the body may be another one of that
        name (no issuer's tree to look in, the body outside it, or several bodies so named)."""
        key = search_key(text)
        if key != search_key(org.name):
            return [f"“{text}” được đoán là “{org.name}” (gần đúng): cần kiểm tra"]
        namesakes = [c for c in candidates if search_key(c["name"]) == key]
        inside = self.root is not None and any(a.contains(org) for a in self.root.ancestors())
        if inside and len(namesakes) <= 1:
            return []
        parent = org.parent.name if org.parent_id else None
        where = f" thuộc {parent}" if parent else ""
        return [f"“{text}”: trùng tên, cần xác nhận đơn vị (gợi ý “{org.name}”{where})"]

    # -- bodies ended in the 2025 restructuring (documents.ingest.reform)
    def _named(self, name: str, province: str | None = None) -> list:
        """Live organisations of the suggester's trees carrying `name` (or an alias of it);
        with `province`, only those of that province."""
        from .reform import same_province

        key = agency_core_key(name)
        found = {e.org.pk: e.org for e in self.entries if e.key == key}
        live = [o for o in found.values() if o.valid_to is None or o.valid_to >= self.today]
        if province:
            live = [o for o in live if any(a.kind == "province" and same_province(a.name, province)
                                           for a in o.ancestors())]
        return sorted(live, key=lambda o: (o.depth, o.name))

    def reformed(self, text: str, candidates: list[dict]) -> dict | None:
        """A merged ministry or department ("Sở Kế hoạch và Đầu tư" → "Sở Tài chính") or a
        district's body ("Phòng … huyện X" → the communes now covering it) resolved to its
        successors in the tree, with a flag; None when `text` names no such body."""
        from . import reform

        former = reform.former_body(text)
        district = None if former else reform.former_district(text)
        if former is None and district is None:
            return None
        if former is not None:
            succ = self._named(former.successor)
            sure = self.root is not None and len(succ) == 1
            flags = [reform.merged_flag(text, former, bool(succ), guessed=bool(succ) and self.root is None)]
        else:
            kind, name = district
            province = next((o for o in (self.root.ancestors() if self.root is not None else [])
                             if o.kind == "province"), None)
            communes = reform.district_communes(kind, name, province.name if province else None)
            if not communes and province is not None:
                communes = reform.district_communes(kind, name)  # another province's district
            succ = [o for n, p in communes for o in self._named(n, p)[:1]]
            sure = self.root is not None and bool(succ) and reform.is_district_government(text)
            flags = [reform.district_flag(text, kind, name, [n for n, _p in communes], bool(succ), sure)]
        if succ and not sure and former is not None:
            flags[0] += "" if "cần kiểm tra" in flags[0] else ": cần kiểm tra"
        ranked = [self.candidate(o, 100 if sure else 90, "successor") for o in succ[:50]]
        ranked += [c for c in candidates if all(c["code"] != r["code"] for r in ranked)]
        chosen = [o.code for o in succ] if sure or (former is not None and len(succ) == 1) else []
        return {"text": text, "method": "reform" if chosen else "unresolved", "chosen": chosen,
                "candidates": ranked[: max(SUGGESTIONS, len(succ))], "flags": flags}

    def cell(self, value) -> list[dict]:
        """A printed agency cell (text or list of names) → one choice per name."""
        parts = tuple(str(p) for p in ([value] if isinstance(value, str) else (value or [])) if p and str(p).strip())
        split = self.__dict__.setdefault("_split", {})
        if parts not in split:
            names: list[str] = []
            for part in parts:
                names.extend(split_agency_list(part) or [part.strip()])
            split[parts] = names
        return [self.choice(n) for n in split[parts]]


# ---------------------------------------------------------------- upper-level alignment


def upper_rows(plan) -> dict[str, list[dict]]:
    """The parent plan's live indicators and tasks as {"indicators": [...], "tasks": [...]},
    each {"plan", "code", "name", "key"}."""
    if plan is None:
        return {"indicators": [], "tasks": []}
    inds = [{"plan": plan.code, "code": i.code, "name": i.name, "key": search_key(i.name)}
            for i in plan.indicators.filter(is_group=False, retired_on=None).order_by("position")]
    tasks = [{"plan": plan.code, "code": t.code, "name": t.name, "key": search_key(t.name)}
             for t in plan.tasks.filter(retired_on=None).order_by("position")]
    return {"indicators": inds, "tasks": tasks}


_KEYS: dict[int, tuple[list, list[str]]] = {}


def _keys_of(uppers: list[dict]) -> list[str]:
    """The keys of a list of upper rows, built once per list (a draft aligns hundreds of rows
    against the same list)."""
    found = _KEYS.get(id(uppers))
    if found is None or found[0] is not uppers:
        if len(_KEYS) > 8:
            _KEYS.clear()
        found = _KEYS[id(uppers)] = (uppers, [u["key"] for u in uppers])
    return found[1]


def align(name: str, uppers: list[dict], *, limit: int = SUGGESTIONS, min_choose: int = ALIGN_CHOOSE_MIN) -> dict:
    """{"chosen": {"plan", "code"} | None, "candidates": [{"plan", "code", "name", "score"}],
    "flags": [...]}: ranked by token_set_ratio on accent-free names; chosen only when the best
    is at least `min_choose`, clearly ahead of the next, and carries the same numbers."""
    if not uppers or not name:
        return {"chosen": None, "candidates": [], "flags": []}
    key = search_key(name)
    keys = _keys_of(uppers)
    # token_set alone rates any subset 100: the score is its mean with token_sort, taken over
    # the best token_set matches (rapidfuzz's C loop) rather than every upper row.
    near = process.extract(key, keys, scorer=fuzz.token_set_ratio, limit=max(limit * 4, 20))
    scored = [((s + fuzz.token_sort_ratio(key, keys[i])) / 2, uppers[i]) for _k, s, i in near]
    scored.sort(key=lambda x: -x[0])
    candidates = [{"plan": u["plan"], "code": u["code"], "name": u["name"], "score": round(s, 1)}
                  for s, u in scored[:limit] if s >= ALIGN_SUGGEST_MIN]
    chosen, flags = None, []
    if candidates:
        best = scored[0]
        same_numbers = set(_DIGITS.findall(key)) == set(_DIGITS.findall(best[1]["key"]))
        ahead = len(scored) < 2 or best[0] - scored[1][0] >= 3
        if best[0] >= min_choose and same_numbers and ahead:
            chosen = {"plan": best[1]["plan"], "code": best[1]["code"]}
            if best[0] < 97:
                flags.append(f"Đối chiếu tự động với “{best[1]['code']}” của kế hoạch cấp trên "
                             f"(độ tương đồng {best[0]:.0f}%): cần kiểm tra")
        elif best[0] >= min_choose:
            flags.append(f"Có thể ứng với “{best[1]['code']}” của kế hoạch cấp trên "
                         f"(độ tương đồng {best[0]:.0f}%) nhưng chưa chắc: chọn trong danh sách gợi ý")
    return {"chosen": chosen, "candidates": candidates, "flags": flags}
