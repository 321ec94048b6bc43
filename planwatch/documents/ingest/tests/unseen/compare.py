"""Compare an importer draft with the held-out truth (expected/*.json), field by field.

Used by bench/import_unseen.py (prints) and test_unseen.py (floors). Texts are compared after
planwatch.lib.text.nfc (Unicode NFC, whitespace collapsed, one tone placement) and exactly one
space after a comparison sign; nothing else is forgiven (case, punctuation, a footnote marker
left in a name all count). An empty cell is None on both sides ("" = None).
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from planwatch.lib.deadlines import parse_deadline
from planwatch.lib.targets import parse_target
from planwatch.lib.text import nfc

HERE = Path(__file__).resolve().parent
EXPECTED_DIR = HERE / "expected"


def load_expected() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXPECTED_DIR.glob("*.json"))}


def norm(v):
    if v is None:
        return None
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return str(v)
    s = nfc(str(v))
    s = re.sub(r"(≥|≤|>=|<=|>|<|=)\s*", r"\1 ", s).strip()
    return s or None


def num(v):
    if v is None:
        return None
    try:
        from decimal import Decimal
        return Decimal(str(v).replace(",", ".")).normalize()
    except Exception:
        return str(v)


@dataclass
class Table:
    doc: str
    section: str
    compared: int = 0
    exact: int = 0
    diffs: list = field(default_factory=list)  # (row, field, expected, got)
    missing: list = field(default_factory=list)  # expected rows not found
    extra: list = field(default_factory=list)  # got rows not expected

    @property
    def pct(self):
        return 100.0 * self.exact / self.compared if self.compared else 0.0


@dataclass
class Result:
    doc: str
    layout: str
    crashed: str | None = None
    kind_expected: str | None = None
    kind_got: str | None = None
    tables: list = field(default_factory=list)
    meaning: list = field(default_factory=list)  # (doc, row, field, expected raw, got raw, exp meaning, got meaning)
    meaning_compared: int = 0
    unknown_forms: list = field(default_factory=list)  # expected raw cells the lib parses to UNKNOWN/None
    flags_missing: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    restored_words: int = 0  # words of expected *_restored texts
    restored_ok: int = 0
    restored_diffs: list = field(default_factory=list)

    @property
    def rows_compared(self):
        return sum(t.compared for t in self.tables)

    @property
    def rows_exact(self):
        return sum(t.exact for t in self.tables)


def deadline_meaning(raw):
    if raw in (None, ""):
        return ("blank",)
    r = parse_deadline(raw).value
    if r is None:
        return None
    return (getattr(r.kind, "value", r.kind), r.due and r.due.isoformat())


def target_meaning(raw):
    if raw in (None, ""):
        return ("blank",)
    r = parse_target(raw).value
    if r is None:
        return None
    return (getattr(r.kind, "value", r.kind), r.op, num(r.value), num(r.value_max))


def _align(exp_rows, got_rows, key="code"):
    """Pair each expected row with a got row: same code (first unused), else same position among
    unused rows whose name is close. Returns list of (exp, got|None) and the unused got rows."""
    used = set()
    pairs = []
    for e in exp_rows:
        j = next((i for i, g in enumerate(got_rows) if i not in used and norm(g.get(key)) == norm(e.get(key))
                  and (e.get("group") is None or norm(g.get("group")) in (norm(e.get("group")), None))), None)
        if j is None:
            best, bj = 0.0, None
            for i, g in enumerate(got_rows):
                if i in used:
                    continue
                s = difflib.SequenceMatcher(None, norm(e.get("name")) or "", norm(g.get("name")) or "").ratio()
                if s > best:
                    best, bj = s, i
            j = bj if best >= 0.6 else None
        if j is not None:
            used.add(j)
        pairs.append((e, got_rows[j] if j is not None else None))
    return pairs, [g for i, g in enumerate(got_rows) if i not in used]


def _cmp_rows(res: Result, section, exp_rows, got_rows, fields, *, key="code", meaning=None):
    t = Table(res.doc, section)
    pairs, extra = _align(exp_rows, got_rows, key)
    t.extra = [(g.get(key), (norm(g.get("name")) or "")[:80]) for g in extra]
    for e, g in pairs:
        t.compared += 1
        label = e.get(key)
        if g is None:
            t.missing.append((label, (e.get("name") or "")[:80]))
            continue
        ok = True
        for f in fields:
            ev, gv = e.get(f), g.get(f)
            if f == "targets":
                for m, raw in ev.items():
                    graw = (gv or {}).get(m, (gv or {}).get(int(m)) if m.isdigit() else None)
                    if norm(raw) != norm(graw):
                        ok = False
                        t.diffs.append((label, f"targets.{m}", raw, graw))
                    if raw is not None or graw is not None:
                        res.meaning_compared += 1
                        me, mg = target_meaning(raw), target_meaning(graw)
                        if me is None or me[0] in ("unknown",):
                            res.unknown_forms.append((section, label, f"targets.{m}", raw, me))
                        if me != mg:
                            res.meaning.append((section, label, f"targets.{m}", raw, graw, me, mg))
                continue
            if f in ("lead", "coordinating") and isinstance(ev, list):
                gl = gv if isinstance(gv, list) else ([gv] if gv else [])
                if norm(ev) != norm(gl):
                    ok = False
                    t.diffs.append((label, f, ev, gl))
                continue
            if f in ("agency_inferred", "is_group"):
                if bool(ev) != bool(gv):
                    ok = False
                    t.diffs.append((label, f, ev, gv))
                continue
            if norm(ev) != norm(gv):
                ok = False
                t.diffs.append((label, f, ev, gv))
            if f == "deadline" and meaning:
                res.meaning_compared += 1
                me, mg = deadline_meaning(ev), deadline_meaning(gv)
                if me is None or me[0] == "unknown":
                    res.unknown_forms.append((section, label, f, ev, me))
                if me != mg:
                    res.meaning.append((section, label, f, ev, gv, me, mg))
        if ok:
            t.exact += 1
    res.tables.append(t)
    return pairs


def _has_flag(row, field_name):
    return any(fl.get("field", "").split(".")[0] == field_name for fl in row.get("flags") or [])


def _list(x):
    return x if isinstance(x, list) else []


def compare(key: str, exp: dict, draft: dict, *, plans: dict | None = None) -> Result:
    res = Result(key, exp.get("layout", ""), kind_expected=exp.get("kind"), kind_got=draft.get("kind"))
    if exp.get("document"):
        ed, gd = exp["document"], draft.get("document") or {}
        t = Table(key, "document")
        for f in ("number", "date", "issuer"):
            t.compared += 1
            if norm(ed.get(f)) == norm(gd.get(f)) or (f == "issuer" and norm(ed[f]).lower() == (norm(gd.get(f)) or "").lower()):
                t.exact += 1
            else:
                t.diffs.append(("-", f, ed.get(f), gd.get(f)))
        t.compared += 1
        gk = (norm(gd.get("kind")) or "").lower()
        if gk and (gk == ed["kind"].lower() or ed["kind"].lower().startswith(gk) or gk in ed["kind"].lower()
                   or {"kh": "kế hoạch", "ctr": "chương trình hành động", "ctr/tu": "chương trình hành động"}.get(gk) == ed["kind"].lower()):
            t.exact += 1
        else:
            t.diffs.append(("-", "kind", ed["kind"], gd.get("kind")))
        for f in ("implements", "replaces"):
            t.compared += 1
            got = {norm(x.get("number") if isinstance(x, dict) else x) for x in _list(gd.get(f))}
            want = {norm(x) for x in ed.get(f, [])}
            allowed = want | {norm(x) for x in ed.get("basis", [])}
            if want <= got and got <= allowed:
                t.exact += 1
            else:
                t.diffs.append(("-", f, sorted(want), sorted(x or "" for x in got)))
        res.tables.append(t)
    if exp.get("tasks"):
        gt = draft.get("tasks") or {}
        et = exp["tasks"]
        g = Table(key, "task groups")
        gpairs, gextra = _align(et["groups"], _list(gt.get("groups")))
        for e, r in gpairs:
            g.compared += 1
            if r is None:
                g.missing.append((e["code"], e["name"]))
            elif norm(r.get("name")) == norm(e["name"]) and norm(r.get("code")) == norm(e["code"]):
                g.exact += 1
            else:
                g.diffs.append((e["code"], "name", e["name"], r.get("name")))
        g.extra = [(r.get("code"), r.get("name")) for r in gextra]
        res.tables.append(g)
        pairs = _cmp_rows(res, "task rows", et["rows"], _list(gt.get("rows")),
                          ["code", "group", "name", "lead", "coordinating", "result", "deadline"], meaning=True)
        for e, r in pairs:
            if r is None or _has_flag(r, "deadline"):
                continue
            me = deadline_meaning(e["deadline"])
            if e["code"] in et.get("flag_deadline", []) or me is None or me[0] == "unknown":
                # a form the parser does not know must be flagged, never guessed
                res.flags_missing.append(("task rows", e["code"], "deadline", e["deadline"]))
    if exp.get("indicators"):
        gi = draft.get("indicators") or {}
        ei = exp["indicators"]
        if [int(m) for m in _list(gi.get("milestones"))] != ei["milestones"]:
            res.notes.append(f"milestones: expected {ei['milestones']}, got {gi.get('milestones')}")
        _cmp_rows(res, "indicator rows", ei["rows"], _list(gi.get("rows")),
                  ["code", "parent", "name", "unit", "targets", "agency", "agency_inferred", "is_group"])
    if exp.get("targets"):
        gtg = draft.get("targets") or {}
        got = _list(gtg.get("targets") if isinstance(gtg, dict) else gtg)
        t = Table(key, "milestone targets")
        used = set()
        for i, e in enumerate(exp["targets"]):
            t.compared += 1
            best, bj = 0.0, None
            for j, r in enumerate(got):
                if j in used:
                    continue
                s = difflib.SequenceMatcher(None, norm(e["text"]), norm(r.get("text")) or "").ratio()
                if s > best:
                    best, bj = s, j
            if bj is None or best < 0.6:
                t.missing.append((i + 1, e["text"][:80]))
                continue
            used.add(bj)
            r = got[bj]
            ok = True
            if norm(str(r.get("milestone"))) != norm(e["milestone"]):
                ok = False
                t.diffs.append((i + 1, "milestone", e["milestone"], r.get("milestone")))
            if norm(r.get("text")) != norm(e["text"]):
                ok = False
                t.diffs.append((i + 1, "text", e["text"], r.get("text")))
            if e.get("op") is not None:
                if r.get("op") != e["op"] or num(r.get("value")) != num(e.get("value")) or \
                        num(r.get("value_max")) != num(e.get("value_max")):
                    ok = False
                    t.diffs.append((i + 1, "op/value", (e["op"], e.get("value"), e.get("value_max")),
                                    (r.get("op"), r.get("value"), r.get("value_max"))))
            if e.get("text_restored"):
                # diacritics restored on an OCR text: word accuracy, and a diff per target
                ew = norm(e["text_restored"]).split()
                gw = (norm(r.get("text_restored")) or "").split()
                res.restored_words += len(ew)
                res.restored_ok += sum(1 for a, b in zip(ew, gw) if a == b) if len(ew) == len(gw) else \
                    sum(bl.size for bl in difflib.SequenceMatcher(None, ew, gw).get_matching_blocks())
                if norm(r.get("text_restored")) != norm(e["text_restored"]):
                    res.restored_diffs.append((i + 1, e["text_restored"], r.get("text_restored")))
            if ok:
                t.exact += 1
        t.extra = [(j + 1, (r.get("text") or "")[:80]) for j, r in enumerate(got) if j not in used]
        res.tables.append(t)
    if exp.get("duties"):
        got = _list(draft.get("duties"))
        t = Table(key, "duties")
        used = set()
        for i, e in enumerate(exp["duties"]):
            t.compared += 1
            j = next((j for j, r in enumerate(got) if j not in used and norm(r.get("text")) == norm(e["text"])), None)
            if j is None:
                j = next((j for j, r in enumerate(got) if j not in used and norm(e["text"]) in (norm(r.get("text")) or "")), None)
            if j is None:
                t.missing.append((i + 1, f"{e['body']}: {e['text'][:70]}"))
                continue
            used.add(j)
            r = got[j]
            ok = norm(r.get("text")) == norm(e["text"]) and norm(r.get("body")) == norm(e["body"])
            if not ok:
                t.diffs.append((i + 1, "body/text", (e["body"], e["text"]), (r.get("body"), r.get("text"))))
            else:
                t.exact += 1
        t.extra = [(j + 1, f"{r.get('body')}: {(r.get('text') or '')[:70]}") for j, r in enumerate(got) if j not in used]
        res.tables.append(t)
    if exp.get("report"):
        gr = draft.get("report") or {}
        er = exp["report"]
        t = Table(key, "report data")
        t.compared = 2
        if gr.get("as_of") == er["as_of"]:
            t.exact += 1
        else:
            t.diffs.append(("-", "as_of", er["as_of"], gr.get("as_of")))
        if (norm(gr.get("reporter")) or "").lower() == norm(er["reporter"]).lower():
            t.exact += 1
        else:
            t.diffs.append(("-", "reporter", er["reporter"], gr.get("reporter")))
        res.tables.append(t)
        rows = _list(gr.get("rows"))
        _cmp_rows(res, "report rows", er["rows"], rows,
                  ["code", "group", "name", "lead", "required_result", "deadline", "result_to_date",
                   "expected_next", "obstacles", "status"], meaning=True)
        if exp.get("match") and plans is not None:
            plan = plans.get(exp["match"]["plan"]) or {}
            tasks = [{"code": r["code"], "name": r["name"], "lead": r["lead"], "deadline": r["deadline"]}
                     for r in plan.get("tasks", {}).get("rows", [])]
            t = Table(key, "report → plan match")
            try:
                from planwatch.documents.ingest import reports
                got_rows = [r for r in rows if not r.get("is_parent_row")]
                m = reports.match_rows(got_rows, tasks)
                by_row = {x["row"]: x.get("task_code") for x in m}
                exp_rows = er["rows"]
                pairs, _ = _align(exp_rows, got_rows)
                for (e, g), want in zip(pairs, exp["match"]["task_codes"]):
                    t.compared += 1
                    gotc = by_row.get(got_rows.index(g)) if g is not None else "(row missing)"
                    if gotc == want:
                        t.exact += 1
                    else:
                        t.diffs.append((e["code"], "task_code", want, gotc))
            except Exception as exc:  # noqa: BLE001
                res.notes.append(f"match_rows failed: {exc!r}")
            res.tables.append(t)
    return res


def summarize(results: list[Result]) -> dict:
    by_kind: dict[str, list] = {}
    for r in results:
        by_kind.setdefault(r.layout, []).append(r)
    return {k: (sum(x.rows_compared for x in v), sum(x.rows_exact for x in v)) for k, v in by_kind.items()}
