"""Third held-out import measurement (planwatch/documents/ingest/tests/unseen3/): 10 documents
of kinds the importer was not built on (percent-formatted XLSX, Word automatic numbering,
amendment decision, prose PDF, mixed indicator/task appendix, lead per group row, consolidated
multi-unit report, OCR indicator text, text-box heading + split table, ward plan bullets),
compared field by field with the truth written before the importer was run
(unseen3/expected.json). Only the fields stated in the truth are compared.

    uv run python bench/import_unseen3.py [--only 01,05] [--short]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

EXPECTED = ROOT / "planwatch/documents/ingest/tests/unseen3/expected.json"

LAYOUT = {
    "01": "XLSX indicators: 0.8 shown 80%, int years, hidden col, total row",
    "02": "DOCX tasks: Word auto-numbered TT, bold merged groups, Ghi chú",
    "03": "amendment decision DOCX (Đã ban hành | Điều chỉnh thành)",
    "04": "prose plan PDF: sentence targets, duties per body",
    "05": "one appendix table: A. CHỈ TIÊU / B. NHIỆM VỤ",
    "06": "lead once per group row '(Sở … chủ trì)'",
    "07": "consolidated report XLSX, column Đơn vị, status",
    "08": "OCR text without diacritics, year columns",
    "09": "DOCX text-box heading, table split by page break",
    "10": "ward plan text, '- Phấn đấu đến năm 2030:' bullets",
}


def load_expected() -> dict:
    return {k: v for k, v in json.loads(EXPECTED.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def _document_table(key, exp_doc: dict, draft: dict):
    """One row per document-data field stated in the truth."""
    from planwatch.documents.ingest.tests.unseen.compare import Table, norm
    meta = draft.get("document") or {}
    t = Table(key, "document data")
    for f, ev in exp_doc.items():
        t.compared += 1
        if f == "doc_kind":
            gv = meta.get("kind")
            ok = (norm(gv) or "").lower() == norm(ev).lower()
        elif f in ("implements", "amends"):
            refs = [r for k in ("implements", "replaces", "amends") for r in (meta.get(k) or [])]
            nums = [norm((r or {}).get("number")) if isinstance(r, dict) else norm(r) for r in refs]
            want = ev if isinstance(ev, list) else [ev]
            gv = {k: [(r or {}).get("number") if isinstance(r, dict) else r for r in (meta.get(k) or [])]
                  for k in ("implements", "replaces", "amends")}
            ok = all(norm(w) in nums for w in want)
        else:
            gv = meta.get(f)
            ok = norm(gv) == norm(ev)
        if ok:
            t.exact += 1
        else:
            t.diffs.append(("doc", f, ev, gv))
    return t


def _duties_table(key, exp_duties, draft):
    from planwatch.documents.ingest.tests.unseen.compare import Table, _list, norm
    got = _list(draft.get("duties"))
    t = Table(key, "duties")
    used = set()
    for i, e in enumerate(exp_duties):
        t.compared += 1
        cands = [j for j, r in enumerate(got) if j not in used and norm(r.get("body")) == norm(e["body"])]
        if "deadline_contains" in e:
            cands = [j for j in cands if e["deadline_contains"] in (got[j].get("deadline") or "")] or cands
        if not cands:
            t.missing.append((i + 1, e["body"]))
            continue
        j = cands[0]
        used.add(j)
        ok = True
        if "deadline_contains" in e and e["deadline_contains"] not in (got[j].get("deadline") or ""):
            ok = False
            t.diffs.append((i + 1, "deadline", f"…{e['deadline_contains']}…", got[j].get("deadline")))
        t.exact += ok
    t.extra = [(j + 1, f"{r.get('body')}: {(r.get('text') or '')[:70]}") for j, r in enumerate(got) if j not in used]
    return t


def compare3(key: str, exp: dict, draft: dict):
    from import_unseen2 import compare2
    from planwatch.documents.ingest.tests.unseen.compare import Table, norm
    e2 = {k: v for k, v in exp.items() if k not in ("duties", "groups", "document", "milestones", "report")}
    if exp.get("groups"):
        e2["task_groups"] = exp["groups"]
    res = compare2(key, e2, draft)
    res.layout = LAYOUT[key[:2]]
    if exp.get("document"):
        res.tables.insert(0, _document_table(key, exp["document"], draft))
    if exp.get("duties"):
        res.tables.append(_duties_table(key, exp["duties"], draft))
    if exp.get("milestones"):
        t = Table(key, "milestones")
        t.compared = 1
        got = [int(m) for m in ((draft.get("indicators") or {}).get("milestones") or []) if str(m).isdigit()]
        if got == exp["milestones"]:
            t.exact = 1
        else:
            t.diffs.append(("-", "milestones", exp["milestones"], (draft.get("indicators") or {}).get("milestones")))
        res.tables.append(t)
    if exp.get("report"):
        rep = draft.get("report") or {}
        t = Table(key, "report header")
        for f, ev in exp["report"].items():
            t.compared += 1
            if norm(rep.get(f)) == norm(ev):
                t.exact += 1
            else:
                t.diffs.append(("hdr", f, ev, rep.get(f)))
        res.tables.append(t)
    return res


def run(only=None, outdir: Path | None = None):
    import django
    django.setup()
    from import_unseen import ensure_db
    note = ensure_db()
    if note:
        print(note)
    from planwatch.documents.ingest.pipeline import draft_from_file
    from planwatch.documents.ingest.tests.unseen3.build import build_all
    exp_all = load_expected()
    outdir = outdir or Path(tempfile.mkdtemp(prefix="unseen3_"))
    files = build_all(outdir)
    results, drafts = [], {}
    for name in sorted(files):
        if only and not any(name.startswith(o) for o in only):
            continue
        exp = exp_all[name]
        try:
            draft = draft_from_file(files[name].read_bytes(), name)
        except Exception as exc:  # noqa: BLE001
            r = compare3(name, exp, {})
            r.crashed = f"{type(exc).__name__}: {exc}"
            r.notes.append(traceback.format_exc(limit=3))
            results.append(r)
            continue
        drafts[name] = draft
        results.append(compare3(name, exp, draft))
    return results, drafts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--short", action="store_true")
    a = ap.parse_args()
    results, _ = run([x for x in a.only.split(",") if x])
    from import_unseen import show
    show(results, a.short)
    print("\n== per section (rows exact / compared)")
    per: dict[str, list[int]] = {}
    for r in results:
        for t in r.tables:
            c = per.setdefault(t.section, [0, 0])
            c[0] += t.exact
            c[1] += t.compared
    for s, (e, c) in per.items():
        print(f"   {s:<22} {e:>3}/{c:<3}")


if __name__ == "__main__":
    main()
