"""Indicator tables ("DANH MỤC CÁC CHỈ TIÊU"): rows of code, name, unit, targets per milestone
year and the agency that follows them.

Two kinds of input:
- Table blocks (DOCX, XLSX, PDF with a text layer, markdown): the header gives the columns
  (columns.find_header), either one column per milestone year or one target column under
  section rows ("Đến năm 2030", "Tầm nhìn đến năm 2045") that switch the year for the rows below.
- Paragraph blocks of text copied out of a PDF, one visual line per line (possibly OCR without
  diacritics): rows are rebuilt from the kinds of line (textrows): code lines, name lines, a run
  of values, agency lines, with page numbers and table rules as noise.

Text fields hold the text as read (whitespace collapsed); target cells get exactly one space after
a comparison sign. Doubtful cells carry flags in Vietnamese.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from planwatch.lib.targets import TargetKind, parse_target
from planwatch.lib.text import collapse_ws, search_key

from . import columns as colmod
from . import textrows as tr
from .model import Cell, Flag, Paragraph, Place, SourceDoc, Table

_TITLE = re.compile(
    r"\bdanh muc (?:cac )?chi tieu\b|\bbang chi tieu\b|\bhe thong chi tieu\b"
    r"|^(?:phu luc [ivx\d]+\W*)?(?:cac )?chi tieu (?:chu yeu|cu the|phat trien)\b"
)
_HEADER_LINE = re.compile(r"^(?:stt|tt)\b|\bten chi tieu\b")
_END = re.compile(r"^(?:ghi chu\b|phu luc\b|danh muc (?:cac )?nhiem vu\b|noi nhan\b)")
_SECTION = re.compile(
    r"^(?:(?:[ivx]+|[a-z]|\d{1,2})[.)]\s+)?(?:(?:muc tieu|chi tieu|tam nhin|dinh huong|giai doan)[^0-9]{0,30})?"
    r"(?:den|toi|dat) (?:het )?(?:nam )?((?:19|20)\d\d)\b[^0-9]{0,20}$"
)
_TASK_HEADERS = re.compile(r"\b(?:phoi hop|thoi gian|thoi han|tien do|san pham|ket qua thuc hien|nhiem vu)\b")
AGENCY_LINE_MAX = 28  # a narrow agency column wraps at about this many characters

MSG_TEXT_TARGET = "Không đọc được chỉ tiêu, giữ nguyên văn bản: “{raw}”"
MSG_FEWER = "Dòng có {k} ô chỉ tiêu cho {n} cột năm: {how}, cần kiểm tra"
MSG_MORE = "Dòng có {k} ô chỉ tiêu, nhiều hơn {n} cột năm: giữ {n} ô đầu, cần kiểm tra"
MSG_FILLED = "Không ghi cơ quan chủ trì: lấy từ ô gộp phía trên (“{agency}”)"
MSG_FILLED_ACROSS = (
    "Không ghi cơ quan chủ trì: lấy “{agency}” từ dòng phía trên, qua dòng nhóm “{group}”; cần kiểm tra"
)
MSG_FILLED_OTHER_ITEM = (
    "Không ghi cơ quan chủ trì: lấy “{agency}” từ mục “{code}” phía trên (mục khác), đọc như ô gộp; cần kiểm tra"
)
MSG_PARENT = "Mã “{code}” không khớp mã nhóm: gắn vào nhóm “{parent}” ở ngay trên, cần kiểm tra"
MSG_CODE_INFERRED = "Không đọc được mã dòng nhóm: suy ra “{code}” từ mã các dòng con"
MSG_CODE_SPLIT = "Mã in là “{printed}”, đọc là “{code}”"
MSG_YEARS_GUESSED = (
    "Không thấy dòng tiêu đề có năm mốc: đoán các cột là {years} theo số ô chỉ tiêu và các năm nêu "
    "trong văn bản; cần kiểm tra"
)
MSG_YEARS_COUNT = "Tiêu đề bảng có {n} cột năm nhưng phần lớn các dòng có {k} ô chỉ tiêu: cần kiểm tra cột năm"
MSG_TOTAL_ROW = "Bỏ qua dòng tổng “{label}” (không phải chỉ tiêu)"
MSG_NO_TARGETS = "Dòng không có chỉ tiêu và không có dòng con"
MSG_HORIZON = (
    "Cột “{header}” không ghi năm: xếp chỉ tiêu “{raw}” vào năm {year} (mốc cuối của kế hoạch nêu trong "
    "tên văn bản); cần kiểm tra"
)
MSG_UNDATED = "Cột “{header}” không ghi năm và văn bản không nêu mốc năm: chỉ tiêu “{raw}” chưa có năm, cần nhập năm"


# --- shared row building -----------------------------------------------------------------------


def _norm_target(raw: str | None) -> str | None:
    if raw is None:
        return None
    text = tr.normalise_target(raw.replace("\n", " "))
    return text or None


def _target_flags(raw: str | None, year: int, place: Place, *, ocr: bool) -> list[Flag]:
    if raw is None:
        return []
    result = parse_target(raw, ocr=ocr)
    where = f"targets.{year}"
    if result.value.kind is TargetKind.TEXT:
        return [Flag(where, MSG_TEXT_TARGET.format(raw=raw), place)]
    return [Flag(where, w, place, "info") for w in result.warnings]


def _level(code: str | None) -> int:
    if not code:
        return 50
    if tr.is_roman(code):
        return 0
    if re.fullmatch(r"[A-Z]", code):
        return -1  # A, B, C: parts above the roman groups
    if re.fullmatch(r"\d+(?:\.\d+)*", code):
        return code.count(".") + 1
    return 40  # a), b), -, +: below whatever numbered row comes before


def _finish(rows: list[dict], milestones: list[int], *, ocr: bool) -> list[dict]:
    """Parents, group rows, agencies filled down, target flags: the same for both inputs."""
    codes = {r["code"] for r in rows if r["code"]}
    stack: list[dict] = []
    for r in rows:
        code = r["code"]
        lvl = _level(code)
        while stack and _level(stack[-1]["code"]) >= lvl:
            stack.pop()
        prefix = tr.code_prefix(code) if code and lvl < 40 else None
        if prefix and prefix in codes:
            r["parent"] = prefix
        elif stack:
            r["parent"] = stack[-1]["code"]
            if prefix:
                msg = MSG_PARENT.format(code=code, parent=r["parent"])
                r["flags"].append(Flag("parent", msg, _place(r)).to_dict())
        else:
            r["parent"] = None
        stack.append(r)
    parents = {r["parent"] for r in rows if r["parent"]}
    for r in rows:
        has_values = any(v is not None for v in r["targets"].values()) or bool(r.get("target_text"))
        printed_agency = r["agency"] and not r.get("_agency_merged")
        # A row without targets is a group row (a merged agency cell may run across it; an
        # agency printed on it goes to its children).
        if not has_values and not r["unit"] and (not printed_agency or r["code"] in parents):
            r["is_group"] = True
            if r["code"] not in parents:
                r["flags"].append(Flag("targets", MSG_NO_TARGETS, _place(r), "info").to_dict())
    # Agencies: a merged cell (or no agency printed) takes the nearest agency above.
    last: str | None = None
    crossed: str | None = None
    source: dict | None = None  # the row the agency was printed on

    def top(row: dict | None) -> str | None:
        code = (row or {}).get("code") or ""
        return code.split(".")[0] if re.fullmatch(r"\d+(?:\.\d+)*", code) else None

    for r in rows:
        if r["is_group"]:
            if r["agency"] and not r.get("_agency_merged"):
                last, crossed, source = r["agency"], None, r
            elif last is not None:
                crossed = r["name"] or r["code"]
            r["agency"], r["agency_inferred"] = None, False
            continue
        if r["agency"] and not r.get("_agency_merged"):
            last, crossed, source = r["agency"], None, r
            continue
        if r["agency"] and r.get("_agency_merged"):
            r["agency_inferred"] = True
            last = r["agency"]
        elif last is not None:
            r["agency"], r["agency_inferred"] = last, True
        else:
            continue
        if crossed:
            msg = MSG_FILLED_ACROSS.format(agency=r["agency"], group=crossed)
            r["flags"].append(Flag("agency", msg, _place(r)).to_dict())
        elif source is not None and top(source) != top(r) and not r.get("_agency_merged"):
            msg = MSG_FILLED_OTHER_ITEM.format(agency=r["agency"], code=source.get("code") or "")
            r["flags"].append(Flag("agency", msg, _place(r)).to_dict())
        else:
            r["flags"].append(Flag("agency", MSG_FILLED.format(agency=r["agency"]), _place(r), "info").to_dict())
    for r in rows:
        place = _place(r)
        for y in milestones:
            r["flags"].extend(f.to_dict() for f in _target_flags(r["targets"].get(str(y)), y, place, ocr=ocr))
        r.pop("_agency_merged", None)
    return rows


def _place(row: dict) -> Place:
    return Place(**row["place"])


def _row(code: str | None, printed: str | None, name: str, unit: str | None, targets: dict[str, str | None],
         agency: str | None, place: Place) -> dict:
    return {
        "code": code, "code_printed": printed, "parent": None, "name": name, "unit": unit or None,
        "is_group": False, "targets": targets, "agency": agency or None, "agency_inferred": False,
        "place": place.to_dict(), "flags": [],
    }  # fmt: skip


def _align(values: list[str], n: int, place: Place) -> tuple[list[str | None], list[Flag]]:
    """Values of one row to n year columns. Fewer X marks than columns go to the last years (a
    vision goal), other short rows fill from the left; both flagged."""
    values = tr.merge_split_numbers(values, n)
    if len(values) == n:
        return list(values), []
    if len(values) > n:
        return list(values[:n]), [Flag("targets", MSG_MORE.format(k=len(values), n=n), place)]
    if values and all(search_key(v) == "x" for v in values):
        how = "đã xếp dấu X vào các năm cuối"
        out: list[str | None] = [None] * (n - len(values)) + list(values)
    else:
        how = "đã xếp từ năm đầu"
        out = list(values) + [None] * (n - len(values))
    return out, [Flag("targets", MSG_FEWER.format(k=len(values), n=n, how=how), place)]


# --- Table blocks --------------------------------------------------------------------------------


_WRAP_AFTER_JOINER = re.compile(r"(?<=[^\s][/\-])[ \t]*\n\s*(?=\S)")


def cell_text(text: str) -> str:
    """A cell's text as read: its lines joined with a space, except after a "/" or "-" that
    ends a line inside a word ("TC-⏎KH" → "TC-KH", "Người/⏎vạn dân" → "Người/vạn dân")."""
    return collapse_ws(_WRAP_AFTER_JOINER.sub("", text))


def _join_split_rows(rows: list[list[Cell]], c_code: int | None, c_name: int | None) -> list[list[Cell]]:
    """A row cut by a page break goes on as a row with no code whose name (if any) starts in
    lower case: its cells are joined to the row above."""
    out: list[list[Cell]] = []
    for row in rows:
        texts = [collapse_ws(c.text) for c in row]
        code = texts[c_code] if c_code is not None and c_code < len(texts) else ""
        name = texts[c_name] if c_name is not None and c_name < len(texts) else ""
        letter = next((ch for ch in name if ch.isalpha()), "")
        own = [c for c in row if collapse_ws(c.text) and not c.merged]
        if out and not code and own and (not name or letter.islower()) and _section_year(texts) is None:
            prev = out[-1]
            joined = []
            for j, c in enumerate(prev):
                extra = row[j] if j < len(row) else None
                if extra is not None and collapse_ws(extra.text) and not extra.merged and collapse_ws(c.text):
                    joined.append(Cell(c.text + "\n" + extra.text, c.place, False, c.footnotes))
                elif extra is not None and collapse_ws(extra.text) and not collapse_ws(c.text):
                    joined.append(Cell(extra.text, c.place, extra.merged, extra.footnotes))
                else:
                    joined.append(c)
            out[-1] = joined
            continue
        out.append(list(row))
    return out


def _texts(row: list[Cell]) -> list[str]:
    return [c.text for c in row]


def _is_indicator_header(cols: colmod.Columns) -> bool:
    if not cols.has("name"):
        return False
    if any(_TASK_HEADERS.search(colmod.header_key(h)) for h in cols.headers.values()):
        if not cols.years and not cols.has("unit"):
            return False
    return bool(cols.years) or (cols.has("target") and (cols.has("unit") or cols.has("code")))


def _has_indicator_part(rows: list[list[Cell]], found: tuple[int, colmod.Columns]) -> bool:
    """A task-like header ("Cơ quan phối hợp", "Thời gian") over a table whose section rows open
    an indicator part and a task part ("A. CHỈ TIÊU" … "B. NHIỆM VỤ"), with a target column."""
    n_header, cols = found
    if not cols.has("name") or not (cols.years or cols.has("target")):
        return False
    kinds = set()
    for row in rows[n_header:]:
        text = colmod.spanning_text(_texts(row))
        if text and (sec := colmod.section_of(text)):
            kinds.add(sec[0])
    return kinds == {"indicators", "tasks"}


def _section_year(texts: list[str]) -> int | None:
    text = colmod.spanning_text(texts) if len(texts) > 1 else collapse_ws(texts[0]) if texts else None
    if not text:
        return None
    m = _SECTION.match(search_key(text))
    return int(m[1]) if m and len(text) <= 90 else None


_TABLE_CODE = re.compile(r"^\(?(?:[IVXLC]{1,6}|[a-zđA-Z]|\d{1,3}(?:\s?\.\s?\d{1,3}){0,3}(?:\s\d{1,2})?|[-+•*])[.)]?$")


def _code_of(text: str) -> tuple[str | None, str | None]:
    """(code, code as printed) of a code cell; (None, None) for an empty cell or a text that is
    not a code (a group's name written across the code column)."""
    printed = collapse_ws(text) or None
    if printed is None or not _TABLE_CODE.match(printed):
        return None, None
    code = re.sub(r"\s+", "", printed).rstrip(".)").lstrip("(") or printed
    return code, printed


# "2025: ≥ 50%", "Năm 2030: ≥ 80%", "Đến năm 2030: 1.000": a year label inside a target cell.
_CELL_YEAR = re.compile(
    r"(?:(?<=^)|(?<=[;,\n.]))\s*(?:(?:đến|tới|den|toi)\s+)?(?:(?:hết|het)\s+)?(?:(?:năm|nam)\s+)?"
    r"((?:19|20)\d\d)\s*(?:[:：]|\b(?:đạt|dat)\b)\s*",
    re.IGNORECASE,
)


_CELL_YEAR_AFTER = re.compile(
    r"^(.*?\d.*?)[\s,;(–-]*(?:(?:vào|trong|đến|tới|vao|den|toi)\s+)?(?:(?:hết|het)\s+)?(?:năm|nam)\s+"
    r"((?:19|20)\d\d)\)?\.?$",
    re.IGNORECASE,
)


def split_year_cell(raw: str, trailing: bool = True) -> list[tuple[int, str]]:
    """[(year, value)] of a target cell that labels its values with years ("2025: ≥ 50%; 2030:
    ≥ 80%", one "Năm 2030: …" per line, "năm 2025 đạt 50%, năm 2030 đạt 80%", "≥ 80% (năm 2030)");
    [] when no year labels the cell. `trailing`: read a year after the value too (a table with
    no section row giving the year)."""
    marks = list(_CELL_YEAR.finditer(raw))
    if not marks or raw[: marks[0].start()].strip():
        # one value with its year after it: "≥ 80% (năm 2030)", "Đạt 80% vào năm 2030"
        m = _CELL_YEAR_AFTER.match(collapse_ws(raw)) if trailing else None
        return [(int(m[2]), m[1])] if m else []
    out: list[tuple[int, str]] = []
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(raw)
        value = raw[m.end() : end].strip().rstrip(";,").strip()
        if value:
            out.append((int(m[1]), value))
    return out


_HORIZON_RANGE = re.compile(r"\bgiai doan\s+(?:(?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)\b")
_HORIZON_UNTIL = re.compile(r"\b(?:den|toi)\s+(?:het\s+)?nam\s+((?:19|20)\d\d)\b")
_HORIZON_YEAR = re.compile(r"\bnam\s+((?:19|20)\d\d)\b")
_NOT_TITLE = re.compile(r"\bngay\s+\d|\bthang\s+\d|^can cu\b|^so\s*:|/(?:qd|kh|nq|tb|ct|bc)\b|\d+/\d+/\d{4}")


def plan_horizon(doc: SourceDoc, before: int) -> int | None:
    """The end year of the plan named in the title and headings above block `before`:
    "giai đoạn 2026-2030" → 2030, "đến năm 2030" → 2030, else "năm 2025" of a title line.
    Dates ("ngày … tháng … năm 2025") and legal grounds ("Căn cứ …") are not read."""
    keys = [search_key(collapse_ws(b.text)) for b in doc.blocks[:before] if isinstance(b, Paragraph)][:40]
    keys = [k for k in keys if k and len(k) <= 250 and not _NOT_TITLE.search(k)]
    for pattern in (_HORIZON_RANGE, _HORIZON_UNTIL, _HORIZON_YEAR):
        for k in keys:
            if m := pattern.search(k):
                return int(m[1])
    return None


def _table_rows(table_rows: list[list[Cell]], cols: colmod.Columns,
                horizon: int | None = None, flags: list[Flag] | None = None) -> tuple[list[dict], list[int]]:
    year_cols = sorted(cols.years)
    target_cols = cols.all("target")
    single = not year_cols
    section_years: list[int] = []
    current_year: int | None = None
    rows: list[dict] = []
    by_key: dict[tuple[str | None, str], dict] = {}
    c_code, c_name, c_unit, c_agency = (cols.first(r) for r in ("code", "name", "unit", "agency"))

    def cell(row: list[Cell], j: int | None) -> Cell | None:
        return row[j] if j is not None and j < len(row) else None

    def text(row: list[Cell], j: int | None) -> str:
        c = cell(row, j)
        return cell_text(c.text) if c else ""

    def section(row: list[Cell]) -> tuple[str, str] | None:
        """The part a section row opens ("A. CHỈ TIÊU" / "B. NHIỆM VỤ"), None for other rows."""
        texts = _texts(row)
        spanning = colmod.spanning_text(texts)
        code_text = text(row, c_code)
        if spanning is None:
            filled = [k for k, t in enumerate(texts) if collapse_ws(t)]
            if not (set(filled) <= {c_code, c_name} and text(row, c_name)):
                return None
            spanning = text(row, c_name)
        elif code_text and collapse_ws(code_text) == collapse_ws(spanning):
            code_text = ""
        return colmod.section_of(spanning, code_text if _code_of(code_text)[0] else None)

    joined = _join_split_rows(table_rows, c_code, c_name)
    # A table holding an indicator part and a task part: only the indicator part is read, and
    # the section rows are not groups (tasks.parse reads the task part).
    sections = [section(row) for row in joined]
    task_styles = {s[1] for s in sections if s and s[0] == "tasks"}
    in_tasks = False
    for row, sec in zip(joined, sections):
        texts = _texts(row)
        if not any(collapse_ws(t) for t in texts):
            continue
        if sec and sec[1] in task_styles:
            in_tasks = sec[0] == "tasks"
            if not in_tasks and (year := _section_year(texts)) is not None:
                current_year = year  # "A. CHỈ TIÊU ĐẾN NĂM 2030"
                if year not in section_years:
                    section_years.append(year)
            continue
        if in_tasks:
            continue
        label = text(row, c_name) or colmod.spanning_text(texts) or ""
        if not _code_of(text(row, c_code))[0] and colmod.is_total_label(label):
            first = next((c for c in row if collapse_ws(c.text)), row[0])
            place = Place(page=first.place.page, table=first.place.table, row=first.place.row)
            if flags is not None:
                flags.append(Flag("rows", MSG_TOTAL_ROW.format(label=label), place, "info"))
            continue
        year = _section_year(texts)
        if year is not None:
            current_year = year
            if year not in section_years:
                section_years.append(year)
            continue
        if colmod.is_numbering_row(texts) or (colmod.looks_like_header(texts) and not text(row, c_code)):
            continue  # a header repeated on a new page
        code, printed = _code_of(text(row, c_code))
        name = text(row, c_name)
        if not name and not code and text(row, c_code):
            name = text(row, c_code)  # a group's name written in (or merged across) the code column
        spanning = colmod.spanning_text(texts)
        if spanning is not None and len(row) >= 3:
            # One text merged across the row: a group row named by it, nothing else in it.
            row = [Cell(row[k].text if k == c_code and code else (spanning if k == c_name else ""), row[k].place)
                   for k in range(len(row))]
            name = cell_text(spanning)
        first = next((c for c in row if collapse_ws(c.text)), row[0])
        place = Place(page=first.place.page, table=first.place.table, row=first.place.row)
        undated: list[Flag] = []
        if single:
            j_raw = next((j for j in target_cols if text(row, j)), None)
            raw = text(row, j_raw)
            labelled = split_year_cell(cell(row, j_raw).text, current_year is None) if j_raw is not None else []
            if labelled:
                # "2025: ≥ 50%; 2030: ≥ 80%" in one cell: a milestone each
                targets = {str(y): _norm_target(v) for y, v in labelled}
                section_years.extend(y for y, _ in labelled if y not in section_years)
            elif current_year is not None:
                targets = {str(current_year): _norm_target(raw)}
            elif raw and horizon is not None:
                # no year anywhere in header, cell or section rows: the plan's end year, flagged
                targets = {str(horizon): _norm_target(raw)}
                if horizon not in section_years:
                    section_years.append(horizon)
                msg = MSG_HORIZON.format(header=cols.headers.get(j_raw, ""), raw=raw, year=horizon)
                undated.append(Flag(f"targets.{horizon}", msg, cell(row, j_raw).place))
            else:
                targets = {}
                if raw:
                    msg = MSG_UNDATED.format(header=cols.headers.get(j_raw, ""), raw=raw)
                    undated.append(Flag("targets", msg, cell(row, j_raw).place))
        else:
            targets = {str(cols.years[j]): _norm_target(text(row, j)) for j in year_cols}
        agency_cell = cell(row, c_agency)
        agency = text(row, c_agency) or None
        unit = text(row, c_unit)
        if not unit and any(v is not None for v in targets.values()):
            name, unit = bracket_unit(name)  # "Tỷ lệ … (%)": no unit column, or its cell left empty
        r = _row(code, printed, name, unit, targets, agency, place)
        r["flags"].extend(f.to_dict() for f in undated)
        if undated and not targets:
            r["target_text"] = _norm_target(raw)  # kept as printed: no year to put it under
        if code and printed and " " in printed:
            msg = MSG_CODE_SPLIT.format(printed=printed, code=code)
            r["flags"].append(Flag("code", msg, place, "info").to_dict())
        r["_agency_merged"] = bool(agency_cell and agency_cell.merged and agency)
        key = (code, search_key(name))
        if single and key in by_key and code is not None:
            # The same indicator under a later "Đến năm …" section: one row, more targets.
            by_key[key]["targets"].update({k: v for k, v in targets.items() if v is not None})
            continue
        by_key[key] = r
        rows.append(r)
    milestones = sorted(section_years) if single else [cols.years[j] for j in year_cols]
    for r in rows:
        r["targets"] = {str(y): r["targets"].get(str(y)) for y in milestones}
    return rows, milestones


def _parse_tables(doc: SourceDoc, *, ocr: bool) -> dict | None:
    blocks = doc.blocks
    found_tables: list[tuple[list[dict], list[int]]] = []
    flags: list[Flag] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if not isinstance(b, Table) or not b.rows:
            i += 1
            continue
        found = colmod.find_header([_texts(r) for r in b.rows])
        table_flags: list[Flag] = []
        if not found or not (_is_indicator_header(found[1]) or _has_indicator_part(b.rows, found)):
            found = None if found else _infer_columns(b.rows, doc, i, table_flags)
            if not found:
                i += 1
                continue
        n_header, cols = found
        width = max(len(r) for r in b.rows)
        body = list(b.rows[n_header:])
        j = i + 1
        # Continuations: the next tables of the same width (a table cut by a page break),
        # with or without the header repeated; paragraphs in between are page numbers or
        # blank lines only.
        while j < len(blocks):
            nb = blocks[j]
            if isinstance(nb, Paragraph):
                if collapse_ws(nb.text) == "" or tr.is_bare_number(nb.text):
                    j += 1
                    continue
                break
            if not nb.rows or max(len(r) for r in nb.rows) != width:
                break
            again = colmod.find_header([_texts(r) for r in nb.rows])
            skip = again[0] if again and _is_indicator_header(again[1]) else 0
            body.extend(nb.rows[skip:])
            j += 1
        rows, milestones = _table_rows(body, cols, plan_horizon(doc, i), table_flags)
        if rows:
            found_tables.append((rows, milestones))
            flags.extend(table_flags)
        i = j
    if not found_tables:
        return None
    # Several indicator tables (one per area, or "Biểu 1", "Biểu 2"): one list of rows over the
    # union of their milestone years.
    milestones = sorted({y for _, ms in found_tables for y in ms})
    rows = []
    for part, _ in found_tables:
        for r in part:
            r["targets"] = {str(y): r["targets"].get(str(y)) for y in milestones}
        rows.extend(_finish(part, milestones, ocr=ocr))
    return {"milestones": milestones, "rows": rows, "flags": [f.to_dict() for f in flags]}


def _is_value_cell(text: str) -> bool:
    text = cell_text(text)
    if text in ("-", "–", "—", "X", "x"):
        return True
    vs = tr.split_values(text, loose=True) if text else None
    return bool(vs and not vs.prefix and not vs.suffix) or tr.is_bare_number(text)


def _infer_columns(
    rows: list[list[Cell]], doc: SourceDoc, index: int, flags: list[Flag]
) -> tuple[int, colmod.Columns] | None:
    """Columns of a table printed without its header (lost on an earlier page, or an image):
    a column of codes, the longest text column (names), the columns of value cells, a short
    text column between (units) and the text column after them (agencies). The years come from
    header lines printed above the table, else they are guessed and flagged."""
    width = max((len(r) for r in rows), default=0)
    if width < 3 or len(rows) < 3:
        return None
    texts = [[cell_text(r[j].text) if j < len(r) else "" for j in range(width)] for r in rows]

    def share(j: int, test) -> float:
        filled = [t[j] for t in texts if t[j]]
        return sum(1 for x in filled if test(x)) / len(filled) if filled else 0.0

    def filled(j: int) -> float:
        return sum(1 for t in texts if t[j]) / len(texts)

    code = next((j for j in range(width) if filled(j) > 0.5 and share(j, _TABLE_CODE.match) >= 0.8), None)
    values = [j for j in range(width) if j != code and filled(j) >= 0.3 and share(j, _is_value_cell) >= 0.8
              and share(j, colmod.YEAR_RE.fullmatch) < 0.5]  # a column of years is deadlines
    if not values or code is None or values != list(range(values[0], values[-1] + 1)):
        return None
    text_cols = [j for j in range(width) if j not in values and j != code and filled(j) > 0]
    left = [j for j in text_cols if j < values[0]]
    if not left:
        return None
    name = max(left, key=lambda j: sum(len(t[j]) for t in texts))
    cols = colmod.Columns()
    cols.roles[code], cols.roles[name] = "code", "name"
    unit = next((j for j in left if name < j < values[0]), None)
    if unit is not None:
        cols.roles[unit] = "unit"
    agency = next((j for j in text_cols if j > values[-1]), None)
    if agency is not None:
        cols.roles[agency] = "agency"
    above = []
    for b in reversed(doc.blocks[max(0, index - 30) : index]):
        if isinstance(b, Table):
            break
        if len(collapse_ws(b.text)) <= 40:  # header lines, not prose that names years
            above.insert(0, _Line(b.text, b.place))
    years = _years_in_header(above)[-len(values):]
    if len(years) != len(values):
        years = _guess_years(len(values), doc.text())
        msg = MSG_YEARS_GUESSED.format(years=", ".join(map(str, years)))
        flags.append(Flag("milestones", msg, doc.blocks[index].place))
    for j, y in zip(values, years):
        cols.roles[j] = "year"
        cols.years[j] = y
    return 0, cols


# --- text (one visual line per Paragraph) ---------------------------------------------------------


@dataclass
class _Line:
    text: str
    place: Place


@dataclass
class _TextRow:
    code: str | None
    printed: str | None
    place: Place
    pre: list[str] = field(default_factory=list)  # name (and unit) text before the values
    values: list[str] = field(default_factory=list)
    note_open: bool = False
    agency: list[str] = field(default_factory=list)
    agency_guessed: bool = False  # first agency line did not open like an agency name
    post: list[str] = field(default_factory=list)  # name text printed after the values
    trail: list[str] = field(default_factory=list)  # post lines since the last agency line
    year: int | None = None  # section year (single target column layout)
    flags: list[Flag] = field(default_factory=list)
    code_inferred: bool = False


def _lines(doc: SourceDoc) -> list[_Line]:
    out: list[_Line] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            for k, part in enumerate(b.text.split("\n")):
                place = b.place if k == 0 else Place(page=b.place.page, line=(b.place.line or 0) + k or None)
                out.append(_Line(part, place))
    return out


def _is_cap(word: str) -> bool:
    w = word.lstrip("(“\"'")
    return bool(w) and w[0].isalpha() and w[0].isupper()


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


_UNIT_WORDS = (
    "nguoi", "doanh nghiep", "san pham", "sang kien", "nhiem vu", "bai bao", "cong trinh", "to chuc", "du an",
    "trung tam", "don", "van bang", "thu bac", "thu hang", "chi so", "diem", "hoan thanh", "luot", "ho so", "xa",
    "co so", "ho", "km", "ha", "ty dong", "trieu dong", "nghin", "usd", "lan", "nam", "thang", "ngay", "cai",
    "chiec", "sang che", "giai phap", "mo hinh", "nen tang", "he thong", "ung dung", "dich vu", "thu tuc",
    "tai khoan", "truong", "lop", "hoc sinh", "sinh vien", "giuong", "bac si", "mbps", "gbps", "thue bao", "tram",
    "van ban", "de tai", "phong thi nghiem", "vuon uom", "quy", "hop tac xa", "thuong hieu", "nhan hieu", "giai",
    "kw", "mw", "tan", "m2", "m3", "lit", "bo", "cuoc", "khoa", "buoi", "chuong trinh", "ke hoach", "hoat dong",
    "don vi", "co quan", "chuyen gia", "nha khoa hoc", "can bo", "lao dong", "gio", "phut", "so", "ti dong",
)  # fmt: skip


def _known_unit(text: str) -> bool:
    key = search_key(text)
    return any(key == w or key.startswith(w + " ") or key.startswith(w + "/") for w in _UNIT_WORDS)


_BRACKET_UNIT = re.compile(r"^(?P<name>.*\S)\s*\((?P<unit>[^()]{1,30})\)\s*[.:;]?$", re.DOTALL)


def bracket_unit(name: str) -> tuple[str, str | None]:
    """(name, unit) of a name that ends with its unit in brackets, as printed when a table has no
    unit column: "Tỷ lệ … (%)", "Số doanh nghiệp … (doanh nghiệp)", "… (người/vạn dân)". A
    bracket that is not a unit (an acronym "(PCI)", a note "(lũy kế)", a year) stays in the name."""
    m = _BRACKET_UNIT.match(collapse_ws(name))
    if not m:
        return name, None
    unit = collapse_ws(m["unit"])
    key = search_key(unit)
    is_unit = (
        unit.startswith("%")
        or (_known_unit(unit) and len(key.split()) <= 4 and not re.search(r"[,;:]", unit)
            and not re.search(r"\d", re.sub(r"\b(?:m|km)[23]\b", "", key)))
        or re.fullmatch(r"[a-z]{1,10}(?: [a-z]{1,10})?/[a-z]{1,10}(?: [a-z]{1,10}){0,2}", key) is not None
    )
    if not is_unit or _is_acronym(unit) and not re.fullmatch(r"[A-Za-z]{1,4}\d?", unit):
        return name, None
    return m["name"].rstrip(" ,:-–"), unit


def split_unit(text: str) -> tuple[str, str | None]:
    """(name, unit) from the text printed before a row's values: a unit is a "%…" phrase, or a
    short capitalised phrase ending the text ("Doanh nghiệp", "Thứ bậc", "Người/vạn dân")."""
    words = collapse_ws(text).split(" ") if collapse_ws(text) else []
    for idx in range(len(words) - 1, -1, -1):
        if words[idx].startswith("%"):
            if idx >= len(words) - 5:
                return " ".join(words[:idx]), " ".join(words[idx:])
            break
    for k in (1, 2, 3):
        idx = len(words) - k
        if idx <= 0:
            break
        w = words[idx]
        if not _is_cap(w) or _is_acronym(w):
            continue
        cand = words[idx:]
        joined = " ".join(cand)
        if re.search(r"[()\d]", joined) or joined.endswith((".", ";", ":")) or words[idx - 1].endswith(("/", "-")):
            break
        # "… tỉnh Quảng Ngãi", "… với Trung Ương": two capitalised words are a proper name, not a
        # unit, unless they are a known unit ("Doanh Nghiệp").
        if _is_cap(words[idx - 1]) and not _is_acronym(words[idx - 1]):
            if _known_unit(" ".join(words[idx - 1 :])) and idx - 1 > 0:
                return " ".join(words[: idx - 1]), " ".join(words[idx - 1 :])
            break
        return " ".join(words[:idx]), joined
    return " ".join(words), None


class _TextParser:
    def __init__(self, lines: list[_Line], columns: int, single: bool):
        self.lines = lines
        self.n = columns
        self.single = single
        self.rows: list[_TextRow] = []
        self.row: _TextRow | None = None
        self.max_top = 0
        self.last_roman = 0
        self.uses_roman = False
        self.year: int | None = None
        self.after_values = False  # the previous content line held values

    # codes
    def _accept(self, cm: tr.CodeMatch, lone: bool) -> bool:
        code = cm.code
        if tr.is_roman(code):
            return tr.roman_value(code) == self.last_roman + 1 and (self.uses_roman or not self.rows)
        parts = code.split(".")
        top = int(parts[0])
        nxt = self.max_top + 1
        restart = self.uses_roman and top == 1 and self.row is not None and tr.is_roman(self.row.code or "")
        if len(parts) == 1:
            if cm.rest:
                vs = tr.split_values(cm.rest)
                if vs and not vs.prefix and not vs.suffix:
                    return False  # a line of values that starts with a number
                if not _is_cap(cm.rest) and not cm.rest[0].isdigit():
                    return False  # a name wrapped before a number: "… trong" / "5 năm liên tiếp"
            if restart:
                return True
            return top == nxt if lone else nxt <= top <= nxt + 2
        if self.max_top == 0:
            return top == 1
        return top in (self.max_top, nxt) and all(p != "0" and not (len(p) > 1 and p[0] == "0") for p in parts[1:])

    def _start(self, code: str, printed: str, place: Place) -> None:
        self._close()
        top_prefix = code.split(".")[0]
        # A group row whose code the OCR lost ("I la tang so" for "16 Hạ tầng số"): its text
        # hangs after the previous row; the children's prefix gives the code back.
        if "." in code and not tr.is_roman(code) and int(top_prefix) == self.max_top + 1 and self.rows:
            prev = self.rows[-1]
            orphan = prev.trail or (prev.agency if prev.agency_guessed else [])
            if orphan:
                group = _TextRow(top_prefix, None, place, pre=list(orphan), code_inferred=True)
                group.flags.append(Flag("code", MSG_CODE_INFERRED.format(code=top_prefix), place))
                if prev.trail:
                    prev.post = prev.post[: len(prev.post) - len(prev.trail)]
                    prev.trail = []
                else:
                    prev.agency, prev.agency_guessed = [], False
                self.rows.append(group)
        if tr.is_roman(code):
            self.uses_roman = True
            self.last_roman = tr.roman_value(code)
            self.max_top = 0
        else:
            self.max_top = max(self.max_top, int(top_prefix))
        self.row = _TextRow(code, printed, place, year=self.year)
        if printed != code:
            self.row.flags.append(Flag("code", MSG_CODE_SPLIT.format(printed=printed, code=code), place, "info"))
        self.after_values = False

    def _close(self) -> None:
        if self.row is not None:
            self.rows.append(self.row)
            self.row = None

    # content
    def _content(self, text: str) -> None:
        row = self.row
        text = collapse_ws(text)
        if row is None or not text:
            return
        if row.note_open:
            depth = 1
            for k, ch in enumerate(text):
                depth += (ch == "(") - (ch == ")")
                if depth == 0:
                    row.values[-1] += " " + text[: k + 1]
                    row.note_open = False
                    self._content(text[k + 1 :])
                    return
            row.values[-1] += " " + text
            return
        vs = tr.split_values(text, allow_single=True, loose=self.n == 1)
        full = len(row.values) >= self.n
        if vs and not (full and vs.prefix):
            if vs.prefix:
                (self._post(row, vs.prefix) if row.values else row.pre.append(vs.prefix))
            row.values.extend(t.text for t in vs.values)
            row.note_open = vs.values[-1].note_open
            if vs.suffix:
                self._agency(row, vs.suffix)
            self.after_values = len(vs.values) == 1 and not vs.prefix and not vs.suffix
            return
        self.after_values = False
        if not row.values:
            row.pre.append(text)
            return
        agency_text = " ".join(row.agency)
        if tr.starts_agency(text) and not row.post:
            self._agency(row, text)
        elif row.agency and tr.dangles(agency_text):
            # The line may hold the end of the name beside the end of the agency cell:
            # "liên thông với Trung ương. Công nghệ".
            m = re.match(r"^(.*[.;])\s+(\S.*)$", text)
            words = text.split(" ")
            cap = next((k for k in range(1, len(words)) if _is_cap(words[k])), None)
            if m and _is_cap(m[2]):
                self._post(row, m[1])
                self._agency(row, m[2])
            elif not _is_cap(text) and cap is not None and len(words) - cap <= 4 and cap >= 2:
                self._post(row, " ".join(words[:cap]))
                self._agency(row, " ".join(words[cap:]))
            else:
                self._agency(row, text)
        elif row.agency and tr.is_locality_tail(text):
            self._agency(row, text)
        elif not row.post and len(text) <= AGENCY_LINE_MAX and (row.agency or _is_cap(text)):
            if not row.agency:
                row.agency_guessed = True
            self._agency(row, text)
        else:
            self._post(row, text)

    @staticmethod
    def _agency(row: _TextRow, text: str) -> None:
        row.agency.append(text)
        row.trail = []

    @staticmethod
    def _post(row: _TextRow, text: str) -> None:
        row.post.append(text)
        row.trail.append(text)

    def run(self) -> list[_TextRow]:
        lines = self.lines
        for i, line in enumerate(lines):
            text = collapse_ws(line.text)
            if not text or tr.is_noise(text):
                continue
            if self.single and (year := _section_year([text])) is not None:
                self._close()
                self.year = year
                self.max_top = 0  # each section numbers its rows again
                continue
            if self.row is not None and self.row.note_open:
                self._content(text)
                continue
            glued = tr.split_glued_code(text)
            if glued and self.row is not None:
                cm = tr.match_code(glued[1])
                if cm and self._accept(cm, lone=True):
                    self._content(glued[0])
                    self._start(cm.code, cm.printed, line.place)
                    continue
            cm = tr.match_code(text)
            if cm and cm.rest and self._restarts(cm):
                break  # numbering starts again: another table (tasks) follows without a title
            if cm and self._accept(cm, lone=not cm.rest):
                self._start(cm.code, cm.printed, line.place)
                if cm.rest:
                    self._content(cm.rest)
                continue
            if tr.is_bare_number(text):
                row = self.row
                # One value per line (some PDF tools print each cell apart) when the lone
                # values around it make up exactly the row's columns; else a page number.
                goes_on = row is not None and (
                    not row.values or (self.after_values and re.search(r"\d", row.values[-1]))
                )
                if goes_on and len(row.values) < self.n <= (
                    len(row.values) + 1 + self._lone_values_ahead(i)
                ):
                    self._content(text)
                continue  # a page number
            self._content(text)
        self._close()
        return self.rows

    def _restarts(self, cm: tr.CodeMatch) -> bool:
        if self.max_top < 1 or self.uses_roman or self.row is None or not self.row.values:
            return False
        return cm.code in ("I", "1") and cm.dotted  # "I. Nhóm nhiệm vụ …", "1. Xây dựng …"

    def _lone_values_ahead(self, i: int) -> int:
        count = 0
        for line in self.lines[i + 1 :]:
            text = collapse_ws(line.text)
            if not text or tr.is_noise(text):
                continue
            vs = tr.split_values(text)
            if tr.is_bare_number(text) or (vs and not vs.prefix and not vs.suffix and len(vs.values) == 1):
                count += 1
                continue
            break
        return count


def _years_in_header(lines: list[_Line]) -> list[int]:
    years: list[int] = []
    for line in lines:
        key = search_key(line.text)
        if "kem theo" in key or re.search(r"\d+/\d+/\d{4}|/\d{4}\b", key):
            continue
        text = re.sub(r"\b(?:19|20)\d\d\s*[-–]\s*((?:19|20)\d\d)\b", r"\1", line.text)  # "2021-2025": its end
        for y in colmod.YEAR_RE.findall(text):
            if int(y) not in years:
                years.append(int(y))
    return years


def _guess_years(n: int, text: str) -> list[int]:
    """Milestone years for n columns when the header is missing: 5-year steps (or 1-year steps)
    from a year the document names, choosing the run that covers most of the years it names."""
    named = sorted({int(y) for y in colmod.YEAR_RE.findall(text) if 2000 <= int(y) <= 2100})
    if not named:
        return list(range(2025, 2025 + 5 * n, 5))
    best: tuple[int, int, list[int]] | None = None
    for step in (5, 1):
        for start in named:
            seq = list(range(start, start + step * n, step))
            score = sum(1 for y in named if y in seq)
            cand = (score, -start if step == 5 else -start - 10000, seq)
            if best is None or cand[:2] > best[:2]:
                best = cand
    return best[2] if best else list(range(named[0], named[0] + 5 * n, 5))


def _values_line(text: str, single: bool = False) -> bool:
    """A line holding a run of at least 2 values (1 in a table of one target column) that are
    not years ("2026 - 2030")."""
    vs = tr.split_values(text, min_run=2, loose=single)
    if not vs:
        return False
    values = [t.text for t in vs.values]
    if not vs.prefix and values[0] in ("-", "–") and len(values) > 1 and values[1] not in ("-", "–"):
        values = values[1:]  # "- 90% người sử dụng …": a bullet, not a cell
    if len(values) < (1 if single else 2) or (vs.suffix and not _is_cap(vs.suffix)):
        return False  # prose goes on after its figures in lower case
    return not any(colmod.YEAR_RE.fullmatch(v) for v in values)


def _find_regions(lines: list[_Line]) -> list[tuple[int, int]]:
    """(start, end) line ranges of indicator tables: after a title "DANH MỤC CÁC CHỈ TIÊU", or,
    with no title, around the first lines that hold runs of values."""
    keys = [search_key(l.text) for l in lines]
    starts = [i for i, k in enumerate(keys) if _TITLE.search(k) and len(k) < 160]
    if not starts:
        # A header line without a title: "STT Tên chỉ tiêu Đơn vị …".
        starts = [i for i, k in enumerate(keys) if re.search(r"\bten chi tieu\b", k) and len(k) < 160][:1]
    if not starts:
        dense = [i for i, l in enumerate(lines) if _values_line(l.text)]
        first = next((i for k, i in enumerate(dense) if k + 2 < len(dense) and dense[k + 2] - i <= 30), None)
        if first is None:
            return []
        start = first
        for back in range(first, max(-1, first - 20), -1):
            cm = tr.match_code(lines[back].text)
            if cm and cm.code in ("1", "I") and not cm.dotted:
                start = back
                break
        # A header printed above the first row (its title lost) still gives the milestone years.
        for back in range(start - 1, max(-1, start - 40), -1):
            if _HEADER_LINE.search(keys[back]):
                start = back
                break
        starts = [start]
    regions = []
    for s in starts:
        e = len(lines)
        for i in range(s + 1, len(lines)):
            if _END.match(keys[i]) and i > s + 3:
                e = i
                break
        regions.append((s, e))
    return regions


def _build_text_rows(trows: list[_TextRow], milestones: list[int], single: bool) -> list[dict]:
    rows: list[dict] = []
    n = 1 if single else len(milestones)
    for t in trows:
        if not t.values and not t.agency:
            # A group row with its agency printed under its name.
            k = next((k for k in range(1, len(t.pre)) if tr.starts_agency(t.pre[k])), None)
            if k is not None:
                t.pre, t.agency = t.pre[:k], t.pre[k:]
        pre = " ".join(t.pre)
        name, unit = split_unit(pre) if t.values else (collapse_ws(pre), None)
        if t.post:
            name = collapse_ws(name + " " + " ".join(t.post))
        if unit is None and t.values:
            name, unit = bracket_unit(name)
        values, flags = _align([_norm_target(v) or v for v in t.values], n, t.place) if t.values else ([], [])
        if single:
            targets = {str(t.year): values[0] if values else None} if t.year is not None else {}
        else:
            targets = {str(y): (values[k] if k < len(values) else None) for k, y in enumerate(milestones)}
        r = _row(t.code, t.printed, name, unit, targets, collapse_ws(" ".join(t.agency)) or None, t.place)
        if t.code_inferred:
            r["code_printed"] = None
        r["flags"] = [f.to_dict() for f in t.flags + flags]
        rows.append(r)
    if single:
        merged: dict[tuple, dict] = {}
        out = []
        for r in rows:
            key = (r["code"], search_key(r["name"]))
            if key in merged and r["code"]:
                merged[key]["targets"].update({k: v for k, v in r["targets"].items() if v is not None})
                continue
            merged[key] = r
            out.append(r)
        rows = out
        for r in rows:
            r["targets"] = {str(y): r["targets"].get(str(y)) for y in milestones}
    return rows


_TOTAL_LINE = re.compile(r"^(?P<label>tong cong|tong so|tong|cong)\s*:?\s*(?P<rest>[\d\s.,%]*)$")


def _indicator_part(region: list[_Line], flags: list[Flag]) -> list[_Line]:
    """The lines of a region without a task part ("B. NHIỆM VỤ" up to the next non-task section
    row of the same numbering), the section lines themselves and a total line ("Tổng cộng 20 40")."""
    sections = [colmod.section_of(l.text) if len(l.text) <= 90 else None for l in region]
    task_styles = {sec[1] for sec in sections if sec and sec[0] == "tasks"}
    out: list[_Line] = []
    in_tasks = False
    for line, sec in zip(region, sections):
        if sec and sec[1] in task_styles:
            in_tasks = sec[0] == "tasks"
            if not in_tasks and _section_year([line.text]) is not None:
                out.append(line)  # "A. CHỈ TIÊU ĐẾN NĂM 2030": the year of the rows below
            continue
        if in_tasks:
            continue
        if m := _TOTAL_LINE.match(search_key(line.text)):
            label = collapse_ws(line.text)[:len(m["label"])]
            flags.append(Flag("rows", MSG_TOTAL_ROW.format(label=label), line.place, "info"))
            continue
        out.append(line)
    return out


def _parse_text(doc: SourceDoc, *, ocr: bool) -> dict | None:
    lines = _lines(doc)
    for start, end in _find_regions(lines):
        flags: list[Flag] = []
        region = _indicator_part(lines[start:end], flags)
        section_years = []
        for l in region:
            if (y := _section_year([l.text])) is not None and y not in section_years:
                section_years.append(y)
        if sum(1 for l in region if _values_line(l.text, single=True)) < 2:
            continue  # a title mentioned in the body, no table under it
        first_code = next(
            (k for k, l in enumerate(region) if (cm := tr.match_code(l.text)) and cm.code in ("1", "I")), 0
        )
        header_years = _years_in_header(region[:first_code])
        single = bool(section_years) and len(header_years) <= 1
        if single:
            milestones = sorted(section_years)
            n = 1
        else:
            milestones = header_years
            n = len(milestones)
            if n == 0:
                counts = Counter(len(r.values) for r in _TextParser(region, 99, False).run() if r.values)
                n = counts.most_common(1)[0][0] if counts else 0
                if n == 0:
                    continue
                milestones = _guess_years(n, "\n".join(l.text for l in lines))
                years = ", ".join(map(str, milestones))
                flags.append(Flag("milestones", MSG_YEARS_GUESSED.format(years=years), region[0].place))
        trows = _TextParser(region, n, single).run()
        trows = [t for t in trows if t.code or t.pre]
        if not trows:
            continue
        counts = Counter(len(t.values) for t in trows if t.values)
        if counts and counts.most_common(1)[0][0] != n and not single:
            msg = MSG_YEARS_COUNT.format(n=n, k=counts.most_common(1)[0][0])
            flags.append(Flag("milestones", msg, region[0].place))
        rows = _build_text_rows(trows, milestones, single)
        return {"milestones": milestones, "rows": _finish(rows, milestones, ocr=ocr),
                "flags": [f.to_dict() for f in flags]}
    return None


def parse(doc: SourceDoc) -> dict | None:
    """The indicator table of a document, or None when it has none.

    {"milestones": [2025, 2030, ...], "rows": [{code, code_printed, parent, name, unit, is_group,
    targets: {"2025": raw|None, ...}, agency, agency_inferred, place, flags}], "flags": [...]}"""
    ocr = not tr.has_diacritics(doc.text())
    result = _parse_tables(doc, ocr=ocr)
    if result is None:
        result = _parse_text(doc, ocr=ocr)
    return result
