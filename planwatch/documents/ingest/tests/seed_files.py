"""Test fixtures: the five seed documents as real DOCX files (python-docx) and PDF files
(LibreOffice), made from the team's transcriptions (../shared/seed-data) and the seeds' own text.

What a file holds, per seed:
- plans (000 district, 003 province): the body of the seed text up to its first table, lines
  re-flowed into paragraphs; "PHỤ LỤC I" with the indicator table (a 2-row header, "Kết quả"
  merged over the milestone-year columns; group rows; the agency cell merged vertically over the
  rows seed-data marks agency_inferred, across group rows where the transcription says so) and
  the legend; "PHỤ LỤC II" with the task table (group rows merged across the row). The OCR plan
  (003) is written as it was read: the *_ocr texts, labels without diacritics.
- progress report (002): its title lines and the 8-column table (group rows merged across).
- commune plan (001): the body up to "Mục tiêu cụ thể", then the milestone headings as printed,
  the area headings a), b), … and one "- " paragraph per bullet (targets and skipped bullets in
  their order n).
- annual report (004): the whole text as paragraphs, footnote 4 a real Word footnote (numbered
  from 4) on its sentence, holding the seven items (its copy at the page foot leaves the body).

A vertical merge puts its text in the first cell, so a value "filled up" from a row below (the
district's row 5.1) shows as printed on the first row of the merge: as_rendered() gives the
transcription as the DOCX shows it, for comparisons.

Used by test_seed_formats.py, bench/import_accuracy.py --format docx|pdf and bench/import_speed.py.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from planwatch.lib.text import collapse_ws, search_key, strip_accents

SEED_DATA = {
    "000": "district_plan_sontinh.json",
    "001": "commune_plan_thientin.json",
    "002": "progress_report_skhcn.json",
    "003": "province_plan_327.json",
    "004": "notes.json",
}
OCR_SEEDS = {"003"}
PDF_TIMEOUT = 180


# ---------------------------------------------------------------- loading


def load_data(key: str, data_dir: Path) -> dict:
    return json.loads((Path(data_dir) / SEED_DATA[key]).read_text(encoding="utf-8"))


def seed_text(key: str, seeds_dir: Path) -> str:
    hits = sorted(Path(seeds_dir).glob(f"{key}_*.txt"))
    if not hits:
        raise FileNotFoundError(f"no seed {key}_*.txt in {seeds_dir}")
    return hits[0].read_text(encoding="utf-8")


_NEW_PARA = re.compile(r"^(?:[-+•*]\s|[a-zđ]\)\s|[0-9]+(?:\.[0-9]+)*\.?\s|[IVX]+\.\s|Điều\s|Dieu\s)")


def reflow(lines: list[str]) -> list[str]:
    """Lines of text copied out of a PDF → paragraphs: a line joins the one before unless that one
    ended a sentence (. : ;), is a heading in capitals, or this one starts a bullet or number."""
    paras: list[str] = []
    for raw in lines:
        line = collapse_ws(raw)
        if not line:
            continue
        if paras:
            prev = paras[-1]
            caps = prev.upper() == prev and any(c.isalpha() for c in prev)
            if not (prev.endswith((".", ":", ";", "./.")) or caps or _NEW_PARA.match(line)
                    or (line.upper() == line and any(c.isalpha() for c in line))):
                paras[-1] = f"{prev} {line}"
                continue
        paras.append(line)
    return paras


def body_before(text: str, stop) -> list[str]:
    """The seed's lines before the first line for which stop(collapsed line) is true."""
    out = []
    for line in text.splitlines():
        if stop(collapse_ws(line)):
            break
        out.append(line)
    return out


# ---------------------------------------------------------------- DOCX building blocks


# A serif font with every Vietnamese glyph that Debian machines have (fonts-dejavu-core comes with
# fontconfig). Times New Roman is what the documents use, but here LibreOffice would substitute
# Liberation Serif 1.x, which lacks the Vietnamese letters, and fall back to another font for
# those letters only: a mix no real PDF has (Word embeds the one font).
FONT = "DejaVu Serif"


def new_document() -> Document:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    rpr.get_or_add_rFonts().set(qn("w:cs"), FONT)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin, sec.right_margin = Cm(3), Cm(2)
    sec.top_margin = sec.bottom_margin = Cm(2)
    return doc


def landscape_section(doc: Document, *, new: bool = True) -> None:
    """Landscape A4 for wide tables: a new section (new page), or the first one (new=False)."""
    sec = doc.add_section(WD_SECTION.NEW_PAGE) if new else doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21)
    sec.left_margin = sec.right_margin = Cm(1.5)
    sec.top_margin = sec.bottom_margin = Cm(1.5)


def add_paragraphs(doc: Document, paras: list[str], *, bold_caps: bool = True) -> None:
    for p in paras:
        para = doc.add_paragraph()
        run = para.add_run(p)
        if bold_caps and p.upper() == p and any(c.isalpha() for c in p):
            run.bold = True


def _set(cell, text: str | None, *, bold: bool = False, size: float = 11) -> None:
    cell.text = ""
    run = cell.paragraphs[0].add_run(text or "")
    run.font.size = Pt(size)
    run.bold = bold


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))


def _widths(table, cms: list[float]) -> None:
    """Column widths LibreOffice and Word both follow: the grid, and each cell by its span."""
    table.autofit = False
    for col, w in zip(table._tbl.tblGrid.gridCol_lst, cms):
        col.w = Cm(w)
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Cm(sum(cms[col:col + span]))
            col += span


def _label(s: str, ocr: bool) -> str:
    return strip_accents(s) if ocr else s


def agency_runs(rows: list[dict]) -> list[tuple[int, int, int]]:
    """(first, last, source) row indexes of each agency cell that covers several rows: an
    inferred agency joins the nearest printed row above with the same agency (else below)."""
    spans: dict[int, list[int]] = {}
    for i, r in enumerate(rows):
        if r.get("is_group") or not r.get("agency_inferred") or r.get("agency") is None:
            continue
        src = None
        for j in list(range(i - 1, -1, -1)) + list(range(i + 1, len(rows))):
            o = rows[j]
            if not o.get("agency_inferred") and not o.get("is_group") and o.get("agency") == r["agency"]:
                src = j
                break
        if src is not None:
            spans.setdefault(src, [src]).append(i)
    return sorted((min(v), max(v), s) for s, v in spans.items())


def add_indicator_table(doc: Document, rows: list[dict], *, ocr: bool = False) -> None:
    """The Phụ lục I table: STT | Tên chỉ tiêu | Đơn vị | Kết quả (one column per milestone) |
    Cơ quan chủ trì theo dõi, đánh giá."""
    years = sorted({y for r in rows for y in r["targets"]})
    ncols = 4 + len(years)
    table = doc.add_table(rows=2, cols=ncols)
    table.style = "Table Grid"
    head = ["STT", "Tên chỉ tiêu", "Đơn vị", "Kết quả"] + [""] * (len(years) - 1) + [
        "Cơ quan chủ trì theo dõi, đánh giá"]
    for c, h in enumerate(head):
        _set(table.cell(0, c), _label(h, ocr), bold=True, size=10)
    for k, y in enumerate(years):
        label = f"Đến hết năm {y}" if k == 0 else f"Đến năm {y}"
        _set(table.cell(1, 3 + k), _label(label, ocr), bold=True, size=10)
    for c in (0, 1, 2, ncols - 1):
        table.cell(0, c).merge(table.cell(1, c))
    table.cell(0, 3).merge(table.cell(0, 3 + len(years) - 1))
    _repeat_header(table.rows[0])
    _repeat_header(table.rows[1])
    agency_text = {}
    runs = agency_runs(rows)
    for first, _last, src in runs:
        agency_text[first] = rows[src].get("agency_ocr", rows[src]["agency"]) if ocr else rows[src]["agency"]
    covered = {i for first, last, _ in runs for i in range(first, last + 1)}
    for i, r in enumerate(rows):
        cells = table.add_row().cells
        name = r.get("name_ocr", r["name"]) if ocr else r["name"]
        unit = r.get("unit_ocr", r["unit"]) if ocr else r["unit"]
        _set(cells[0], r.get("code_printed", r["code"]), bold=r["is_group"])
        _set(cells[1], name, bold=r["is_group"])
        _set(cells[2], unit)
        for k, y in enumerate(years):
            _set(cells[3 + k], r["targets"].get(y))
        if i in agency_text:
            _set(cells[ncols - 1], agency_text[i])
        elif i not in covered and not r["is_group"]:
            _set(cells[ncols - 1], r.get("agency_ocr", r["agency"]) if ocr else r["agency"])
    for first, last, _src in runs:
        if last > first:
            table.cell(2 + first, ncols - 1).merge(table.cell(2 + last, ncols - 1))
    _widths(table, [1.5, 8.0, 2.0] + [1.9] * len(years) + [4.2])


def _agencies(values: list[str], printed: str | None) -> str:
    if printed is not None:
        return printed
    return ", ".join(values)


def add_task_table(doc: Document, groups: list[dict], tasks: list[dict], *, ocr: bool = False) -> None:
    """The Phụ lục II table: TT | Tên nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Kết quả |
    Thời gian hoàn thành; each group a row with its name merged across."""
    head = ["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Kết quả", "Thời gian hoàn thành"]
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for c, h in enumerate(head):
        _set(table.cell(0, c), _label(h, ocr), bold=True, size=10)
    _repeat_header(table.rows[0])
    by_code = {g["code"]: g for g in groups}
    current = None
    for t in tasks:
        if t["group"] != current and t["group"] in by_code:
            current = t["group"]
            g = by_code[current]
            row = table.add_row()
            _set(row.cells[0], g.get("code_printed", g["code"]), bold=True)
            _set(row.cells[1], g.get("name_ocr", g["name"]) if ocr else g["name"], bold=True)
            row.cells[1].merge(row.cells[len(head) - 1])
        cells = table.add_row().cells
        _set(cells[0], t.get("code_printed", t["code"]))
        if ocr:
            _set(cells[1], t["name_ocr"])
            _set(cells[2], t.get("lead_ocr"))
            _set(cells[3], t.get("coordinating_ocr"))
            _set(cells[4], t.get("result_ocr"))
            _set(cells[5], t.get("deadline_ocr"))
        else:
            _set(cells[1], t["name"])
            _set(cells[2], _agencies(t["lead"], t.get("lead_printed")))
            _set(cells[3], _agencies(t["coordinating"], t.get("coordinating_printed")))
            _set(cells[4], t.get("result"))
            _set(cells[5], t.get("deadline"))
    _widths(table, [1.5, 10.0, 3.5, 3.5, 3.8, 2.9])


def add_report_table(doc: Document, data: dict) -> None:
    cols = data["document"]["columns_printed"]
    fields = ["code_printed", "name", "lead", "required_result", "deadline", "result_to_date",
              "expected_next", "obstacles"]
    table = doc.add_table(rows=1, cols=len(cols))
    table.style = "Table Grid"
    for c, h in enumerate(cols):
        _set(table.cell(0, c), h, bold=True, size=10)
    _repeat_header(table.rows[0])
    by_code = {g["code"]: g for g in data["task_groups"]}
    current = None
    for r in data["rows"]:
        if r["group"] != current and r["group"] in by_code:
            current = r["group"]
            g = by_code[current]
            row = table.add_row()
            _set(row.cells[0], g.get("code_printed", g["code"]), bold=True, size=10)
            _set(row.cells[1], g["name"], bold=True, size=10)
            row.cells[1].merge(row.cells[len(cols) - 1])
        cells = table.add_row().cells
        for c, f in enumerate(fields):
            _set(cells[c], r.get(f), size=10)
    _widths(table, [1.2, 6.0, 2.5, 3.0, 2.0, 5.0, 4.0, 2.3])


def add_footnote(doc: Document, paragraph, note_id: int, text: str, *, first_number: int) -> None:
    """A real Word footnote on `paragraph` (its reference mark appended there), numbered from
    first_number in the section (w:numStart), in a footnotes part made for it."""
    ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {nsdecls("w")}>'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        '</w:r></w:p></w:footnote>'
        f'<w:footnote w:id="{note_id}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        '<w:footnoteRef/></w:r>'
        f'<w:r><w:rPr><w:sz w:val="20"/></w:rPr><w:t xml:space="preserve"> {escape(text)}</w:t></w:r>'
        '</w:p></w:footnote></w:footnotes>'
    )
    part = Part(PackURI("/word/footnotes.xml"), ct, xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)
    run = paragraph.add_run()
    run._r.append(parse_xml(
        f'<w:rPr {nsdecls("w")}><w:vertAlign w:val="superscript"/></w:rPr>'))
    run._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{note_id}"/>'))
    sect = doc.sections[-1]._sectPr
    sect.insert(0, parse_xml(
        f'<w:footnotePr {nsdecls("w")}><w:numStart w:val="{first_number}"/></w:footnotePr>'))


def to_bytes(doc: Document) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- the five seeds


def _first_table_line(data: dict, ocr: bool):
    first = data["indicators"][0]
    name = first.get("name_ocr", first["name"]) if ocr else first["name"]
    start = search_key(f"{first['code']} {' '.join(name.split()[:3])}")

    def stop(line: str) -> bool:
        key = search_key(line)
        return key.startswith("phu luc") or key.startswith(start)

    return stop


def plan_docx(key: str, data: dict, text: str) -> bytes:
    ocr = key in OCR_SEEDS
    doc = new_document()
    add_paragraphs(doc, reflow(body_before(text, _first_table_line(data, ocr))))
    landscape_section(doc)
    add_paragraphs(doc, [_label("PHỤ LỤC I", ocr), _label("DANH MỤC CÁC CHỈ TIÊU CỤ THỂ", ocr)])
    add_indicator_table(doc, data["indicators"], ocr=ocr)
    add_paragraphs(doc, [_label("Ghi chú: (-): Chưa thực hiện; (X): Thực hiện", ocr)])
    doc.add_page_break()
    add_paragraphs(doc, [_label("PHỤ LỤC II", ocr), _label("DANH MỤC CÁC NHIỆM VỤ CHỦ YẾU", ocr)])
    add_task_table(doc, data["task_groups"], data["tasks"], ocr=ocr)
    return to_bytes(doc)


def report_docx(data: dict) -> bytes:
    doc = new_document()
    landscape_section(doc, new=False)
    add_paragraphs(doc, [data["document"]["title"], data["document"]["reporting_agency_printed"]])
    add_report_table(doc, data)
    return to_bytes(doc)


def commune_docx(data: dict, text: str) -> bytes:
    headings = data["milestone_headings_printed"]
    first_heading = collapse_ws(headings[min(headings)])
    doc = new_document()
    add_paragraphs(doc, reflow(body_before(text, lambda line: line == first_heading)))
    items = sorted(data["targets"] + data["skipped_bullets"], key=lambda b: b["n"])
    letters = "abcdefghiklmn"
    for year in sorted(headings):
        add_paragraphs(doc, [headings[year]], bold_caps=False)
        doc.paragraphs[-1].runs[0].bold = True
        areas: list[str] = []
        for b in items:
            if b["milestone"] != year:
                continue
            if b["area"] not in areas:
                areas.append(b["area"])
                doc.add_paragraph().add_run(f"{letters[len(areas) - 1]}) {b['area']}").italic = True
            doc.add_paragraph(f"- {b['text']}")
    return to_bytes(doc)


def notes_docx(data: dict, text: str) -> bytes:
    """The whole report as paragraphs; footnote 4 as a real footnote on its sentence (its text,
    printed at the page foot in the seed text, leaves the body)."""
    fn = data["footnote_4"]
    anchor = collapse_ws(fn["anchor_text"])
    note_start = f"4 {fn['items'][0]['marker']}"
    body = " ".join(f"{i['marker']} {i['text_as_printed']}" for i in fn["items"])
    doc = new_document()
    placed = False
    for p in reflow(text.splitlines()):
        if p.startswith(note_start):
            continue
        at = p.find(anchor)
        if at < 0 or placed:
            doc.add_paragraph(p)
            continue
        end = at + len(anchor)
        rest = p[end:]
        rest = rest[1:] if rest[:1].isdigit() else rest  # the mark fused with the year ("20254")
        para = doc.add_paragraph(p[:end])
        add_footnote(doc, para, 4, body, first_number=4)
        para.add_run(rest)
        placed = True
    return to_bytes(doc)


def seed_docx(key: str, seeds_dir: Path, data_dir: Path) -> bytes:
    data = load_data(key, data_dir)
    if key in ("000", "003"):
        return plan_docx(key, data, seed_text(key, seeds_dir))
    if key == "002":
        return report_docx(data)
    if key == "001":
        return commune_docx(data, seed_text(key, seeds_dir))
    return notes_docx(data, seed_text(key, seeds_dir))


def as_rendered(key: str, data: dict) -> dict:
    """The transcription as the DOCX/PDF shows it (modified in place and returned): in a merged
    agency cell the first row carries the text, the rows below repeat it."""
    if key not in ("000", "003"):
        return data
    rows = data["indicators"]
    for first, last, _src in agency_runs(rows):
        for i in range(first, last + 1):
            if not rows[i]["is_group"]:
                rows[i]["agency_inferred"] = i != first
    return data


# ---------------------------------------------------------------- PDF


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_available() -> bool:
    return soffice_path() is not None


def docx_to_pdf(docx: bytes, *, timeout: int = PDF_TIMEOUT) -> bytes:
    """LibreOffice headless in a temporary folder with its own profile; on timeout the whole
    process group is killed."""
    soffice = soffice_path()
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: Debian package libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="planwatch-seedpdf-") as tmp:
        work = Path(tmp)
        (work / "doc.docx").write_bytes(docx)
        cmd = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
               "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(work),
               str(work / "doc.docx")]
        proc = subprocess.Popen(cmd, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RuntimeError(f"LibreOffice did not convert within {timeout} s") from None
        pdf = work / "doc.pdf"
        if proc.returncode != 0 or not pdf.exists():
            raise RuntimeError(f"LibreOffice failed ({proc.returncode}): {(err or out).decode(errors='replace')[-300:]}")
        return pdf.read_bytes()


def pdf_pages(pdf: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as p:
        return len(p.pages)


@functools.lru_cache(maxsize=None)
def _seed_bytes(key: str, fmt: str, seeds_dir: str, data_dir: str) -> bytes:
    docx = seed_docx(key, Path(seeds_dir), Path(data_dir))
    return docx if fmt == "docx" else docx_to_pdf(docx)


def seed_document(key: str, fmt: str, *, seeds_dir: Path, data_dir: Path) -> tuple[str, bytes]:
    """(file name, bytes) of seed `key` ("000".."004") as "docx" or "pdf" (cached per process)."""
    if fmt not in ("docx", "pdf"):
        raise ValueError(fmt)
    stem = SEED_DATA[key].rsplit(".", 1)[0]
    return f"{key}_{stem}.{fmt}", _seed_bytes(key, fmt, str(Path(seeds_dir).resolve()),
                                               str(Path(data_dir).resolve()))
