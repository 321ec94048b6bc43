"""Held-out import accuracy: documents of kinds the importer was not built on (another
ministry's plan, another province's indicator tables, a party committee's prose plan, a
department's report with a status column, PDF/Markdown/TSV/PDF-copied text, web-page noise,
agencies that no longer exist), built by planwatch/documents/ingest/tests/unseen/build.py and
compared field by field with the truth in .../unseen/expected/*.json.

    uv run python bench/import_unseen.py [--only 01,05] [--dir OUT] [--short]

Each file goes through planwatch.documents.ingest.pipeline.draft_from_file(data, filename).
Printed: per document and per kind, rows compared / rows exact / %, every difference, target
and deadline cells whose meaning (lib.targets.parse_target / lib.deadlines.parse_deadline)
differs between the truth and the draft, expected forms the libs do not know, and unflagged
cells that should have been flagged. A measurement, not a test (test_unseen.py holds floors).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from planwatch.documents.ingest.tests.unseen import build as B  # noqa: E402
from planwatch.documents.ingest.tests.unseen.compare import compare, load_expected, summarize  # noqa: E402


def ensure_db() -> str | None:
    """The pipeline reads organisations. When the configured database has no tables, use a
    migrated SQLite file of this script's own under var/ (made once, reused) with the shipped
    organisation fixture loaded, and say so."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    conn = connections["default"]
    try:
        if "orgs_organisation" in conn.introspection.table_names():
            return None
    except Exception:  # noqa: BLE001
        pass
    path = Path(settings.VAR_DIR) / "bench_unseen.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    conn.close()
    conn.settings_dict["ENGINE"] = "django.db.backends.sqlite3"
    conn.settings_dict["NAME"] = str(path)
    call_command("migrate", verbosity=0, interactive=False)
    from planwatch.orgs.models import Organisation
    if not Organisation.objects.exists():
        from planwatch.orgs.loaders import load_quangngai
        load_quangngai()
    n = Organisation.objects.count()
    return f"the configured database has no tables: using {path} (migrated, {n} organisations: load_quangngai)"


def old_agency_report(key, old: dict, draft: dict):
    """Information, not counted: how each agency that no longer exists was resolved (the
    suggestions depend on the organisation registry loaded)."""
    print(f"-- {key}: agencies that no longer exist")
    seen = set()
    for row in (draft.get("tasks") or {}).get("rows") or []:
        for fld, choices in (row.get("orgs") or {}).items():
            for ch in choices:
                name = ch.get("text")
                if name not in old or name in seen:
                    continue
                seen.add(name)
                cands = [c.get("name") for c in ch.get("candidates") or []]
                succ = [s.get("name") for c in ch.get("candidates") or [] for s in c.get("successors") or []]
                flags = [f for f in ch.get("flags") or []] + [f["reason"] for f in row.get("flags") or []
                                                              if name in f.get("reason", "")]
                ok = old[name] in cands[:3] + succ
                print(f"   {name!r}: chosen {ch.get('chosen')} ({ch.get('method')}); successor "
                      f"{old[name]!r} {'offered' if ok else 'NOT offered'}; doubt shown: {bool(flags)}")
                for f in flags[:2]:
                    print(f"      {f}")
    for name in old:
        if name not in seen:
            print(f"   {name!r}: not found in any agency cell")


def run(outdir: Path, only=None):
    note = ensure_db()
    if note:
        print(note)
    expected = load_expected()
    keys = [k for k in expected if not only or any(k.startswith(o) for o in only)]
    paths = B.build(outdir, only=keys)
    from planwatch.documents.ingest.pipeline import draft_from_file
    results, drafts = [], {}
    for key in keys:
        exp = expected[key]
        if key not in paths:
            print(f"== {key}: not built (LibreOffice absent)")
            continue
        p = paths[key]
        try:
            draft = draft_from_file(p.read_bytes(), p.name)
        except Exception as exc:  # noqa: BLE001
            r = compare(key, exp, {})
            r.crashed = f"{type(exc).__name__}: {exc}"
            r.notes.append(traceback.format_exc(limit=3))
            results.append(r)
            continue
        drafts[key] = draft
        if exp.get("old_agencies"):
            old_agency_report(key, exp["old_agencies"], draft)
        results.append(compare(key, exp, draft, plans=expected))
    return results, drafts


def show(results, short=False):
    for r in results:
        print(f"\n== {r.doc}  [{r.layout}]")
        if r.crashed:
            print(f"   CRASH / refused: {r.crashed}")
        if r.kind_expected != r.kind_got:
            print(f"   kind: expected {r.kind_expected!r}, got {r.kind_got!r}")
        for t in r.tables:
            print(f"   {t.section:<22} {t.exact:>3}/{t.compared:<3} exact ({t.pct:5.1f}%)")
            if short:
                continue
            for row, f, e, g in t.diffs:
                print(f"      row {row} {f}:\n         expected {e!r}\n         got      {g!r}")
            for row, name in t.missing:
                print(f"      row {row} MISSING: {name}")
            for row, name in t.extra:
                print(f"      EXTRA row {row}: {name}")
        for sec, row, f, e, g, me, mg in r.meaning:
            print(f"   meaning differs: {sec} row {row} {f}: {e!r} → {me} ; got {g!r} → {mg}")
        for sec, row, f, e, me in r.unknown_forms:
            print(f"   lib does not know the form: {sec} row {row} {f}: {e!r} → {me}")
        for sec, row, f, e in r.flags_missing:
            print(f"   NOT FLAGGED: {sec} row {row} {f}: {e!r}")
        if r.restored_words:
            print(f"   diacritics restored: {r.restored_ok}/{r.restored_words} words "
                  f"({100.0 * r.restored_ok / r.restored_words:.1f}%)")
            if not short:
                for row, e, g in r.restored_diffs:
                    print(f"      target {row} restored:\n         expected {e!r}\n         got      {g!r}")
        for n in r.notes:
            print(f"   note: {n}")
    print("\n== per kind (rows exact / compared)")
    tot_c = tot_e = 0
    for kind, (c, e) in summarize(results).items():
        tot_c += c
        tot_e += e
        print(f"   {kind:<66} {e:>3}/{c:<3} {100.0 * e / c if c else 0:5.1f}%")
    print(f"   {'ALL':<66} {tot_e:>3}/{tot_c:<3} {100.0 * tot_e / tot_c if tot_c else 0:5.1f}%")
    mc = sum(r.meaning_compared for r in results)
    md = sum(len(r.meaning) for r in results)
    print(f"   target/deadline cells with the same meaning: {mc - md}/{mc}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--dir")
    ap.add_argument("--short", action="store_true")
    a = ap.parse_args()
    only = [x for x in a.only.split(",") if x]
    if a.dir:
        out = Path(a.dir)
        results, _ = run(out, only)
    else:
        with tempfile.TemporaryDirectory(prefix="unseen_") as d:
            results, _ = run(Path(d), only)
    show(results, a.short)


if __name__ == "__main__":
    main()
