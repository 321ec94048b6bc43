"""The five seeds as real DOCX and PDF files (made by seed_files.py from the transcriptions)
give the rows transcribed in ../shared/seed-data, and the DOCX and the PDF give the same draft.

The comparison is bench/import_accuracy.py's (same normalisation, same fields); the issue's bar
applies: at least 98 % of indicator rows, task rows, milestone targets and report rows exact,
and every target and deadline cell parsed to the same meaning."""

from __future__ import annotations

import importlib.util
import io
import re
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from . import seed_files as sf

pytestmark = pytest.mark.shared

ROOT = Path(__file__).resolve().parents[4]
KEYS = ["000", "001", "002", "003", "004"]
GATED = ("indicator rows", "task rows", "milestone targets", "report rows")


@pytest.fixture(scope="module")
def bench():
    name = "planwatch_bench_import_accuracy"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "import_accuracy.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


def _dirs(shared_dir: Path) -> dict:
    return {"seeds_dir": shared_dir / "seeds", "data_dir": shared_dir / "seed-data"}


def _needs_soffice(fmt: str) -> None:
    if fmt == "pdf" and not sf.soffice_available():
        pytest.skip("LibreOffice (soffice) is not installed here")


def _docx(shared_dir: Path, key: str):
    _name, blob = sf.seed_document(key, "docx", **_dirs(shared_dir))
    return Document(io.BytesIO(blob)), blob


def _tc_texts(table) -> list[list[tuple[str, str | None, int]]]:
    """Per row, each real cell: (text, vMerge value or None, gridSpan)."""
    out = []
    for tr in table._tbl.tr_lst:
        row = []
        for tc in tr.tc_lst:
            vm = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            v = None if vm is None else (vm.get(qn("w:val")) or "continue")
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            row.append((text, v, tc.grid_span))
        out.append(row)
    return out


# ---------------------------------------------------------------- the fixtures themselves


@pytest.mark.parametrize("key", ["000", "003"])
def test_plan_docx_holds_the_transcribed_tables(shared_dir, key):
    data = sf.load_data(key, shared_dir / "seed-data")
    doc, _ = _docx(shared_dir, key)
    indicators, tasks = doc.tables[-2], doc.tables[-1]
    rows = _tc_texts(indicators)
    # 2 header rows, "Kết quả" over the 5 milestone columns, then one row per transcribed row
    assert len(rows) == 2 + len(data["indicators"])
    assert [span for _t, _v, span in rows[0]] == [1, 1, 1, 5, 1]
    assert sf.strip_accents(rows[0][3][0]) == "Ket qua"
    rendered = sf.as_rendered(key, sf.load_data(key, shared_dir / "seed-data"))["indicators"]
    for r, cells in zip(rendered, rows[2:]):
        agency_text, vmerge, _ = cells[-1]
        if r["is_group"]:
            continue
        if r["agency_inferred"]:
            assert vmerge == "continue" and agency_text == "", r["code"]
        elif r["agency"] is not None:
            assert agency_text and vmerge in (None, "restart"), r["code"]
    # task table: header, one merged row per group, one row per task
    trows = _tc_texts(tasks)
    assert len(trows) == 1 + len(data["task_groups"]) + len(data["tasks"])
    group_rows = [r for r in trows[1:] if len(r) == 2]
    assert [r[1][2] for r in group_rows] == [5] * len(data["task_groups"])


def test_report_docx_has_the_eight_printed_columns(shared_dir):
    data = sf.load_data("002", shared_dir / "seed-data")
    doc, _ = _docx(shared_dir, "002")
    rows = _tc_texts(doc.tables[0])
    assert [t for t, _v, _s in rows[0]] == data["document"]["columns_printed"]
    assert len(rows) == 1 + len(data["task_groups"]) + len(data["rows"])


def test_annual_report_docx_has_footnote_4_as_a_real_footnote(shared_dir):
    data = sf.load_data("004", shared_dir / "seed-data")
    doc, blob = _docx(shared_dir, "004")
    parts = [p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/footnotes.xml"]
    assert len(parts) == 1
    xml = parts[0].blob.decode("utf-8")
    for item in data["footnote_4"]["items"]:
        assert item["marker"] in xml
    assert doc.element.body.find(".//" + qn("w:footnoteReference")) is not None


def test_pdf_text_layer_holds_every_row(shared_dir):
    """Every word of every task name is in the PDF's text layer (cells wrap, so lines of a row
    interleave with its neighbours' cells: words, not phrases)."""
    _needs_soffice("pdf")
    import pdfplumber

    from planwatch.lib.text import search_key

    for key, rows, field in (("000", "tasks", "name"), ("002", "rows", "name"), ("003", "tasks", "name_ocr")):
        data = sf.load_data(key, shared_dir / "seed-data")
        _name, pdf = sf.seed_document(key, "pdf", **_dirs(shared_dir))
        with pdfplumber.open(io.BytesIO(pdf)) as p:
            words = set(search_key(" ".join(page.extract_text() or "" for page in p.pages)).split())
        for r in data[rows]:
            missing = set(search_key(r[field]).split()) - words
            # a word broken at a hyphen or slash at a line end shows as its two halves
            missing = {w for w in missing if not all(h in words for h in re.split(r"[-/]", w) if h)}
            assert not missing, (key, r["code"], missing)


# ---------------------------------------------------------------- the importer on them


_DRAFTS: dict[tuple[str, str], tuple[dict | None, list[str]]] = {}


def _draft(bench, shared_dir, key, fmt):
    """The draft of one seed file (made once per test session: the same bytes, the same draft)."""
    if (key, fmt) not in _DRAFTS:
        name, blob = sf.seed_document(key, fmt, **_dirs(shared_dir))
        # The annual report (004) has no table: the pipeline may refuse it (no_table), as the issue
        # asks of such files; its footnote is then read by the parsers directly.
        draft, notes, _secs = bench.run_importer(blob, name, direct=False, fallback=key == "004")
        _DRAFTS[(key, fmt)] = (draft, notes)
    draft, notes = _DRAFTS[(key, fmt)]
    assert draft is not None, f"{key}.{fmt}: no draft ({'; '.join(notes)})"
    return draft


def _report(tables) -> str:
    lines = []
    for t in tables:
        if t.exact < t.rows:
            lines.append(f"[{t.seed}] {t.name}: {t.exact}/{t.rows}")
            lines += [f"  {k} {f}: expected {e!r} got {g!r}" for k, f, e, g in t.diffs[:40]]
    return "\n".join(lines)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("key", KEYS)
def test_seed_file_gives_the_transcribed_rows(shared_dir, bench, key, fmt):
    _needs_soffice(fmt)
    data = sf.as_rendered(key, sf.load_data(key, shared_dir / "seed-data"))
    tables = bench.compare_seed(key, data, _draft(bench, shared_dir, key, fmt))
    gated = [t for t in tables if t.name in GATED]
    meaning = [t for t in tables if t.name in bench.MEANING]
    low = [t for t in gated if t.pct < 98.0] + [t for t in meaning if t.exact < t.rows]
    if key == "004":
        low = [t for t in tables if t.exact < t.rows]
    assert not low, _report(low)


@pytest.mark.django_db
@pytest.mark.parametrize("key", KEYS)
def test_docx_and_pdf_give_the_same_draft(shared_dir, bench, key):
    _needs_soffice("pdf")
    docx = bench.project(_draft(bench, shared_dir, key, "docx"), loose=True)
    pdf = bench.project(_draft(bench, shared_dir, key, "pdf"), loose=True)
    for section in docx:
        if section == "footnotes":
            # The DOCX fixture makes only the transcribed footnote a real Word footnote (the
            # report's other notes stay body text there), while the PDF shows every note at its
            # page foot: each real footnote of the DOCX must be read the same from the PDF.
            assert all(items in pdf[section] for items in docx[section] if items), section
            continue
        assert docx[section] == pdf[section], section
