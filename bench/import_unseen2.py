"""Second held-out import measurement (planwatch/documents/ingest/tests/unseen2/build.py):
10 documents of kinds the importer was not built on, compared field by field with the truth
written before the importer was run. Only the fields stated in the truth are compared.

    uv run python bench/import_unseen2.py [--only 01,05] [--short]
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

LAYOUT = {
    "01": "ministry plan PDF (from DOCX), groups A./B.",
    "02": "city indicators, milestones in one cell",
    "03": "commune DOCX: 3-col indicators + 3-col tasks",
    "04": "quarterly report XLSX with status column",
    "05": "report DOCX narrative + table, merged tasks",
    "06": "party programme text: sentence targets + (Giao … chủ trì)",
    "07": "web portal copy, ' | ' rows",
    "08": "OCR without diacritics, one cell per line",
    "09": "XLSX two sheets, merged headers",
    "10": "DOCX task table nested in a layout table",
    "11": "province indicators: Mục tiêu đến 2030 + Lộ trình",
    "12": "ministry DOCX: groups I., sub-tasks 1.1 and a)",
    "13": "report DOCX, lead merged over two rows",
}


def compare2(key: str, exp: dict, draft: dict):
    """Result (unseen/compare.py) comparing only the fields present in each expected row."""
    from planwatch.documents.ingest.tests.unseen.compare import (
        Result, Table, _align, _list, deadline_meaning, norm, target_meaning)
    import difflib
    res = Result(key, LAYOUT[key[:2]], kind_expected=exp.get("kind"), kind_got=draft.get("kind"))

    def rows(section, exp_rows, got_rows):
        t = Table(key, section)
        pairs, extra = _align(exp_rows, got_rows)
        t.extra = [(g.get("code"), (norm(g.get("name")) or "")[:80]) for g in extra]
        for e, g in pairs:
            t.compared += 1
            if g is None:
                t.missing.append((e.get("code"), (e.get("name") or "")[:80]))
                continue
            ok = True
            for f, ev in e.items():
                gv = g.get(f)
                if f == "targets":
                    for m, raw in ev.items():
                        graw = (gv or {}).get(m, (gv or {}).get(int(m)) if gv else None)
                        if norm(raw) != norm(graw):
                            ok = False
                            t.diffs.append((e.get("code"), f"targets.{m}", raw, graw))
                        res.meaning_compared += 1
                        if target_meaning(raw) != target_meaning(graw):
                            res.meaning.append((section, e.get("code"), f"targets.{m}", raw, graw,
                                                target_meaning(raw), target_meaning(graw)))
                    continue
                if f in ("lead", "coordinating") and isinstance(ev, list):
                    gv = gv if isinstance(gv, list) else ([gv] if gv else [])
                if norm(ev) != norm(gv):
                    ok = False
                    t.diffs.append((e.get("code"), f, ev, gv))
                if f == "deadline":
                    res.meaning_compared += 1
                    if deadline_meaning(ev) != deadline_meaning(gv):
                        res.meaning.append((section, e.get("code"), f, ev, gv, deadline_meaning(ev), deadline_meaning(gv)))
            t.exact += ok
        res.tables.append(t)

    if exp.get("task_groups"):
        got = _list((draft.get("tasks") or {}).get("groups"))
        rows("task groups", exp["task_groups"], got)
    if exp.get("tasks"):
        rows("task rows", exp["tasks"], _list((draft.get("tasks") or {}).get("rows")))
    if exp.get("indicators"):
        rows("indicator rows", exp["indicators"], _list((draft.get("indicators") or {}).get("rows")))
    if exp.get("report_rows"):
        got = [r for r in _list((draft.get("report") or {}).get("rows")) if not r.get("is_parent_row")]
        rows("report rows", exp["report_rows"], got)
    if exp.get("targets"):
        tg = draft.get("targets") or {}
        got = _list(tg.get("targets") if isinstance(tg, dict) else tg)
        t = Table(key, "milestone targets")
        for i, e in enumerate(exp["targets"]):
            t.compared += 1
            if i >= len(got):
                t.missing.append((i + 1, str(e)))
                continue
            g = got[i]
            bad = [(f, v, g.get(f)) for f, v in e.items() if norm(v) != norm(g.get(f)) and
                   not (f == "value" and v is not None and g.get(f) is not None and float(v) == float(g.get(f)))]
            for f, v, gv in bad:
                t.diffs.append((i + 1, f, v, gv))
            t.exact += not bad
        t.extra = [(j + 1, (r.get("text") or "")[:80]) for j, r in enumerate(got) if j >= len(exp["targets"])]
        res.tables.append(t)
    if exp.get("duties"):
        got = _list(draft.get("duties"))
        t = Table(key, "duties")
        used = set()
        for i, e in enumerate(exp["duties"]):
            t.compared += 1
            j = next((j for j, r in enumerate(got) if j not in used and norm(r.get("body")) == norm(e["body"])), None)
            if j is None:
                t.missing.append((i + 1, e["body"]))
                continue
            used.add(j)
            bad = [(f, v, got[j].get(f)) for f, v in e.items() if norm(v) != norm(got[j].get(f))]
            for f, v, gv in bad:
                t.diffs.append((i + 1, f, v, gv))
            t.exact += not bad
        t.extra = [(j + 1, f"{r.get('body')}: {(r.get('text') or '')[:70]}") for j, r in enumerate(got) if j not in used]
        res.tables.append(t)
    return res


def run(only=None):
    import django
    django.setup()
    sys.path.insert(0, str(ROOT / "bench"))
    from import_unseen import ensure_db
    note = ensure_db()
    if note:
        print(note)
    from planwatch.documents.ingest.pipeline import draft_from_file
    from planwatch.documents.ingest.tests.unseen2.build import build_all
    results, drafts = [], {}
    for name, data, exp in build_all():
        if only and not any(name.startswith(o) for o in only):
            continue
        try:
            draft = draft_from_file(data, name)
        except Exception as exc:  # noqa: BLE001
            r = compare2(name, exp, {})
            r.crashed = f"{type(exc).__name__}: {exc}"
            r.notes.append(traceback.format_exc(limit=3))
            results.append(r)
            continue
        drafts[name] = draft
        results.append(compare2(name, exp, draft))
    return results, drafts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--short", action="store_true")
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    results, _ = run([x for x in a.only.split(",") if x])
    from import_unseen import show
    show(results, a.short)


if __name__ == "__main__":
    main()
