"""Progress reports: a unit's table of the plan's tasks with what it has done by a date.

Columns are mapped by their heading's role (tasks.header_role), never by position, so a report
with a status column ("Tình hình thực hiện"), without an obstacles column, or with its columns
in another order reads the same. Each row is then matched to the plan's task by text
(`match_rows`), because units renumber tasks, and a plan's deadline or lead may have changed
since the report's copy was made.
"""

from __future__ import annotations

import re
from datetime import date

from rapidfuzz import fuzz, process

from planwatch.lib.agencies import ABBREVIATIONS as _AGENCY_SHORT_FORMS
from planwatch.lib.agencies import agency_key, starts_agency_name
from planwatch.lib.deadlines import parse_deadline
from planwatch.lib.text import collapse_ws, search_key, strip_accents

from . import metadata as _metadata
from . import tasks as task_tables
from .columns import header_key, is_total_label
from .model import Cell, Flag, Paragraph, Place, SourceDoc, Table

_REPORT_ROLES = {"result_to_date", "status", "expected_next", "obstacles"}
_FIELDS = ("name", "lead", "required_result", "deadline", "result_to_date", "expected_next", "obstacles", "status")


def report_roles(cells: list[str]) -> list[str | None]:
    """Heading roles for a report: a plan's "Kết quả"/"Sản phẩm" is the required result; a
    plain "Kết quả" beside a required-result column is what was done to date."""
    roles = [task_tables.header_role(c) for c in cells]
    keys = [search_key(c or "") for c in cells]
    has_required = any(r == "result" and re.search(r"yeu cau|san pham|dau ra", k) for r, k in zip(roles, keys))
    out: list[str | None] = []
    for role, key in zip(roles, keys):
        if role == "result":
            if re.search(r"yeu cau|san pham|dau ra", key) or not has_required and "result_to_date" in roles:
                role = "required_result"
            elif has_required or re.search(r"\d{1,2}/\d{1,2}/\d{4}", key):
                role = "result_to_date"
            else:
                role = "required_result"
        out.append(role)
    if "lead" not in out:
        # "Đơn vị" / "Cơ quan, đơn vị" / "Địa phương" alone: in a report (one unit's or the
        # consolidation of several units') it names the unit doing the row's task.
        names = out.count("name")
        for i, (role, key) in enumerate(zip(out, keys)):
            if (role is None or role == "name" and names > 1) and _UNIT_COLUMN.match(header_key(key)):
                out[i] = "lead"
                break
    if out.count("deadline") > 1:
        # "Thời hạn" beside "Tiến độ thực hiện": in a report the second is how far it has got.
        for i, (role, key) in enumerate(zip(out, keys)):
            if role == "deadline" and "tien do" in key and "status" not in out:
                out[i] = "status"
    seen: set[str] = set()
    for i, role in enumerate(out):  # a role found twice keeps its first column
        if role in seen:
            out[i] = None
        elif role:
            seen.add(role)
    return out


_UNIT_COLUMN = re.compile(
    r"^(?:ten )?(?:co quan,? )?(?:don vi|dia phuong|co quan)(?:,? (?:don vi|dia phuong))?"
    r"(?: (?:bao cao|thuc hien|chu tri|phu trach))?$"
    r"|^(?:cac )?so,? (?:ban,? )?nganh(?:,? (?:dia phuong|don vi))?$")


def _find_header(table: Table) -> tuple[int, list[str | None]] | None:
    for i, row in enumerate(table.rows[:6]):
        texts = [c.text for c in row]
        roles = report_roles(texts)
        if i + 1 < len(table.rows):
            below = [c.text for c in table.rows[i + 1]]
            if len(below) == len(texts) and not task_tables.classify_code(below[0]).code:
                lower = report_roles(below)
                merged = report_roles([f"{a} {b}" if a != b else a for a, b in zip(texts, below)])
                combined = [lo or m for lo, m in zip(lower, merged)] if sum(r is not None for r in lower) >= 2 else merged
                # A heading over two rows ("Kết quả thực hiện" spanning "Đến ngày …" | "Dự kiến …").
                if ("name" in combined and _REPORT_ROLES & set(combined)
                        and sum(r is not None for r in combined) > sum(r is not None for r in roles)):
                    return i + 1, combined
        if "name" in roles and _REPORT_ROLES & set(roles):
            return i, roles
    return None


_DATE_RE = re.compile(r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")


_PERIOD_RE = re.compile(
    r"(?:0?6|9) thang (?:dau|cuoi) nam \d{4}|quy (?:[ivx]+|\d)\s*(?:/|nam)\s*\d{4}|thang \d{1,2}\s*(?:/|nam)\s*\d{4}"
)


_AS_OF_RE = re.compile(
    r"(?:tinh |so lieu )?den (?:het )?(?:ngay )?(?P<d>\d{1,2})\s*(?:/|-|thang)\s*(?P<m>\d{1,2})\s*(?:/|-|nam)\s*(?P<y>\d{4})"
    r"|tinh den (?:het )?(?P<period>(?:0?6|9) thang (?:dau|cuoi) nam \d{4}|quy (?:[ivx]+|\d)\s*(?:/|nam)\s*\d{4}"
    r"|thang \d{1,2}\s*(?:/|nam)\s*\d{4})"
)


def _as_of_phrase(text: str) -> str | None:
    """The date in "tính đến ngày 30/9/2025", "đến hết ngày 30 tháng 9 năm 2025", "tính đến hết
    quý III/2025" (not any other date of the line, such as a cited plan's)."""
    m = _AS_OF_RE.search(search_key(text or ""))
    if not m:
        return None
    if m["period"]:
        spec = parse_deadline(m["period"]).value
        return spec.due.isoformat() if spec.due else None
    try:
        return date(int(m["y"]), int(m["m"]), int(m["d"])).isoformat()
    except ValueError:
        return None


def _iso(text: str) -> str | None:
    """The date a report's figures stand at: a printed date ("đến ngày 10/5/2025"), else the
    end of a printed period ("6 tháng đầu năm 2025" → 2025-06-30, "quý III/2025")."""
    m = _DATE_RE.search(text or "")
    if m:
        try:
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            return None
    if p := _PERIOD_RE.search(search_key(text or "")):
        spec = parse_deadline(p[0]).value
        if spec.due is not None:
            return spec.due.isoformat()
    return None


_REPORTER_RE = re.compile(
    r"^\s*(?:cơ quan|đơn vị|co quan|don vi)(?:\s+(?:thực hiện|báo cáo|thuc hien|bao cao))?\s*:\s*(?P<unit>.+)$", re.I
)
_LOCALITIES = ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "xã", "phường", "quận")
_UNIT_HEADS = ("ban quản lý", "văn phòng", "trung tâm", "chi cục", "tổng cục", "ngân hàng", "kho bạc", "bảo hiểm",
               "ủy ban", "uỷ ban", "công an", "liên đoàn", "sở", "ban", "phòng", "bộ", "cục", "viện", "trường",
               "báo", "đài", "hội", "đoàn")  # fmt: skip
_SHORT_FORMS = {"ubnd", "hdnd", "kkt", "kcn", "ptth", "cntt", "dbqh", "mttq", "bhxh", "tw", "tp", "nhnn", "thpt", "thcs",
                "ttdt", "ttcn", "bql", "vp", "tt", "khcn"}  # fmt: skip


def _is_short_form(word: str) -> bool:
    core = strip_accents(word.strip(",.;:()")).lower()
    return bool(core) and ("&" in core or core in _SHORT_FORMS or core in _AGENCY_SHORT_FORMS)


def _at(words: list[str], i: int, phrases: tuple[str, ...]) -> str | None:
    for p in phrases:
        parts = p.split(" ")
        if [w.strip(",") for w in words[i : i + len(parts)]] == parts:
            return p
    return None


def unit_case(name: str) -> str:
    """"SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH QUẢNG NGÃI" → "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi":
    a unit printed in capitals, written as names are (capital on the head and the first word of
    each part, short forms kept in capitals, the place after tỉnh/huyện/xã capitalised). Text
    not in capitals is kept."""
    letters = [c for c in name if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return collapse_ws(name)
    printed = collapse_ws(name).split(" ")
    words = [w.lower() for w in printed]
    out: list[str] = []
    cap_next, proper, place = True, False, False
    i = 0
    while i < len(words):
        w = words[i]
        if _is_short_form(w):
            out.append(printed[i])
            cap_next, proper = True, True
            i += 1
            continue
        if out and (loc := _at(words, i, _LOCALITIES)):
            n = len(loc.split(" "))
            out.extend(words[i : i + n])
            cap_next = proper = place = True
            i += n
            continue
        if not out and (head := _at(words, i, _UNIT_HEADS)):
            n = len(head.split(" "))
            first = words[i : i + n]
            first[0] = first[0].capitalize()
            if head == "ban quản lý":
                first[1] = first[1].capitalize()
            out.extend(first)
            cap_next = True
            i += n
            continue
        if w in {"và", "-", "–", "các", "của", "trực", "thuộc"}:
            out.append(w)
            cap_next, proper = w in {"và", "-", "–"}, False
            i += 1
            continue
        out.append(w.capitalize() if cap_next or proper or place else w)
        cap_next = w.endswith(",")
        if cap_next:
            proper = False
        i += 1
    return " ".join(out)


# "Cục Chuyển đổi số báo cáo …", "…, Sở Khoa học và Công nghệ xin báo cáo …" in the opening.
_HEAD_ALT = "|".join(re.escape(h) for h in sorted(
    (*_UNIT_HEADS, "ubnd", "đảng ủy", "đảng uỷ", "tỉnh ủy", "huyện ủy", "vụ", "học viện", "bệnh viện"), key=len, reverse=True))
_REPORTS_RE = re.compile(
    rf"(?:^|[,;:]\s*)(?P<unit>(?:{_HEAD_ALT})\s[^,;:.]{{1,90}}?)\s+(?:xin\s+|trân trọng\s+|kính\s+)?báo cáo\b", re.I)
# Lines of a heading block that are not the issuing unit.
_NOT_UNIT = re.compile(r"^(?:cong hoa|doc lap|dang cong san|so\s*:|so\s+\d|v/v|\W*$|bao cao|ke hoach|phu luc)")


def _reporting_sentence(paragraphs: list[Paragraph]) -> str | None:
    for p in paragraphs[:40]:
        text = collapse_ws(p.text)
        m = _REPORTS_RE.search(text)
        if m and m["unit"][:1].isupper():
            return m["unit"].strip()
    return None


def _header_unit(lines: list[str]) -> str | None:
    """The issuing unit of a heading block: its last line in capitals ("BỘ NÔNG NGHIỆP VÀ MÔI
    TRƯỜNG" ⏎ "CỤC CHUYỂN ĐỔI SỐ" → the Cục), skipping the national motto, "*" and "Số: …"."""
    unit = None
    for line in lines:
        text = collapse_ws(line).strip(" *")
        key = search_key(text)
        if not text or _NOT_UNIT.match(key):
            if unit is not None and re.match(r"so\s*:|so\s+\d|cong hoa|doc lap|dang cong san", key):
                break
            continue
        letters = [c for c in text if c.isalpha()]
        if len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
            if starts_agency_name(unit_case(text)) or key.startswith(("dang bo", "chi bo")):
                unit = text
        elif unit is not None:
            break
    return unit_case(unit) if unit else None


# The lines after "BÁO CÁO" that are no longer its title.
_TITLE_END = re.compile(r"^\W*(?:[ivx]+\.\s|\d+\.\s|kinh gui|can cu|thuc hien|theo |phu luc|danh muc|stt\b|tt\b|so\s*:)")


def _report_title(paragraphs: list[Paragraph]) -> str | None:
    """The "BÁO CÁO …" line and the title lines that follow it ("BÁO CÁO" ⏎ "Tình hình thực
    hiện Kế hoạch số …" ⏎ "(số liệu tính đến ngày …)"), as printed."""
    texts = [collapse_ws(p.text) for p in paragraphs[:60]]
    for i, text in enumerate(texts):
        if not re.match(r"BÁO CÁO\b|BAO CAO\b", text):
            continue
        parts = [text]
        for t in texts[i + 1 : i + 5]:
            key = search_key(t)
            if not t or _TITLE_END.match(key) or _REPORTER_RE.match(t) or re.search(r"ngay \d{1,2} thang \d{1,2} nam", key):
                break
            if len(parts) > 1 and parts[-1].endswith((".", ")")) or len(t) > 300:
                break
            parts.append(t)
        return collapse_ws(" ".join(parts))
    return None


def _title_and_reporter(paragraphs: list[Paragraph]) -> tuple[str | None, str | None, str | None]:
    title = reporter = printed = None
    for p in paragraphs:
        text = collapse_ws(p.text)
        if not text:
            continue
        if m := _REPORTER_RE.match(text):
            printed = text
            reporter = unit_case(m["unit"].strip(" .;"))
            continue
        letters = [c for c in text if c.isalpha()]
        if len(letters) >= 15 and sum(c.isupper() for c in letters) >= 0.7 * len(letters):
            title = text
    return _report_title(paragraphs) or title, reporter, printed


_STATUS_KINDS = (
    ("done", r"^(?:da )?hoan thanh|^da thuc hien xong|^xong$|^hoan tat"),
    ("late", r"qua han|cham tien do|tre han|cham so voi"),
    ("in_progress", r"^dang |^tiep tuc|^da trien khai|^da thuc hien|^dang$"),
    ("not_started", r"^chua "),
)


def status_kind(text: str | None) -> str | None:
    """"Đã hoàn thành" → "done", "Đang thực hiện" → "in_progress", "Chưa thực hiện" →
    "not_started", "Quá hạn" → "late"; None when blank or not a known phrasing."""
    if not text:
        return None
    key = search_key(text)
    for kind, pattern in _STATUS_KINDS:
        if re.search(pattern, key):
            return kind
    return None


def _rows_from_table(table: Table, roles: list[str | None], start: int, state: dict) -> list[dict]:
    rows: list[dict] = []
    for r, row in enumerate(table.rows[start:], start=start):
        texts = [c.text for c in row]
        if report_roles(texts) == roles or task_tables._is_column_number_row(texts):
            continue
        filled = [collapse_ws(t) for t in texts if collapse_ws(t)]
        code_cell = next((collapse_ws(c.text) for role, c in zip(roles, row) if role == "code"), "")
        if filled and not task_tables.classify_code(code_cell).code and is_total_label(filled[0]):
            # "Tổng cộng" / "Cộng": the table's total, not a task (nor a continuation of the row above).
            first = row[0].place
            place = Place(page=first.page, table=first.table, row=first.row)
            state.setdefault("flags", []).append(
                Flag("rows", f"Bỏ qua dòng tổng “{filled[0]}” (không phải nhiệm vụ)", place, "info").to_dict())
            continue
        cells: dict[str, str | None] = {}
        code_printed = None
        footnotes: list[str] = []
        for role, cell in zip(roles, row):
            footnotes.extend(cell.footnotes)
            if role == "code":
                code_printed = collapse_ws(cell.text) or None
            elif role and role != "note":
                key = "required_result" if role == "result" else role
                cells[key] = task_tables.cell_text(cell.text) or None
        place = row[0].place if row else Place(table=table.place.table, row=r + 1)
        if "code" not in roles and cells.get("name"):
            # No TT column: a leading number in the name cell is the code.
            if m := re.match(r"^(\d{1,3}[.)]?|\(\d{1,2}\)|[IVX]{1,5}\.)\s+(.*)$", cells["name"]):
                code_printed, cells["name"] = m[1], m[2]
        code = task_tables.classify_code(code_printed, state.get("parent"))
        filled = [t for t in cells.values() if t]
        only_name = bool(cells.get("name")) and not any(cells.get(f) for f in _FIELDS if f != "name")
        heading = code.kind == "none" and filled and (
            (len(filled) >= 3 and len(set(filled)) == 1)  # one text merged across the row
            or only_name and (state.get("last") is None or re.match(
                r"^(?:nh\w{1,3}m|linh vuc|phan)\b", search_key(cells["name"])) and cells["name"][:1].isupper()))
        if code.kind == "none" and not heading and "code" not in roles and cells.get("name") and not only_name:
            state["auto"] = state.get("auto", 0) + 1  # no TT column: every full row is a task
            code = task_tables.Code("task", str(state["auto"]), "")
            code_printed = None
        if code.kind == "group" or heading:
            if code.kind != "group":
                text = cells.get("name") or filled[0]
                m = re.match(r"^(?P<c>[IVXL]{1,6}|[A-H])\s*[.):]\s+(?P<rest>.+)$", text)
                if m:
                    code = task_tables.Code("group", m["c"], m["c"])
                    code_printed = collapse_ws(text[: len(text) - len(m["rest"])])
                    cells["name"] = m["rest"]
                else:
                    code = task_tables.Code("group", f"G{len(state['groups']) + 1}", "")
            state["groups"].append({"code": code.code, "code_printed": code_printed, "name": cells.get("name") or next(
                (v for v in cells.values() if v), None), "place": place.to_dict()})
            state["group"] = code.code
            continue
        if code.kind == "none":
            last = state.get("last")
            if last is None or not any(cells.values()):
                continue
            for f in _FIELDS:  # a row with an empty TT cell continues the row above
                if cells.get(f):
                    last[f] = collapse_ws(f"{last[f]} {cells[f]}") if last.get(f) else cells[f]
            continue
        parent = None
        if code.kind == "sub":
            parent = state.get("parent")
            if code.code and "." in code.code and "(" not in code.code:
                parent = code.code.rsplit(".", 1)[0]
        out = {"code": code.code, "code_printed": code_printed, "group": state.get("group"), "parent": parent,
               "is_parent_row": False, "place": place.to_dict(), "_place": place, "_footnotes": footnotes}
        out.update({f: cells.get(f) for f in _FIELDS})
        if code.kind == "task":
            state["parent"] = code.code
            state["parent_row"] = out
        elif code.kind == "sub" and state.get("parent_row") is not None:
            state["parent_row"]["is_parent_row"] = not any(state["parent_row"].get(f) for f in _FIELDS if f != "name")
        state["last"] = out
        rows.append(out)
    return rows


def _finish(row: dict) -> dict:
    place = row.pop("_place")
    footnotes = row.pop("_footnotes")
    flags: list[dict] = []
    for f in _FIELDS:
        text, markers = task_tables.clean_cell(row.get(f))
        row[f] = text
        footnotes.extend(markers)
    if not row["is_parent_row"]:
        if not row["name"]:
            flags.append(Flag("name", "Ô tên nhiệm vụ để trống", place).to_dict())
        if row["deadline"] is not None:
            task_tables.check_deadline(row["deadline"], place, flags)
        if row["status"] is not None:
            row["status_kind"] = status_kind(row["status"])
            if row["status_kind"] is None:
                flags.append(Flag("status", f"Không hiểu tình hình thực hiện “{row['status']}”", place).to_dict())
        if not row["result_to_date"] and not row["status"] and not row["expected_next"]:
            flags.append(Flag("result_to_date", "Đơn vị chưa báo cáo kết quả cho nhiệm vụ này", place, "info").to_dict())
    if footnotes:
        flags.append(Flag("name", "Có chú thích: " + "; ".join(dict.fromkeys(footnotes)), place, "info").to_dict())
    row["flags"] = flags
    return row


def _text_report(doc: SourceDoc, state: dict, flags: list[dict]):
    """A report table copied out of a PDF, one Paragraph per visual line: rows rebuilt as for
    task tables (tasks._text_items), then read like a table. Cells after the deadline have no
    marks of their own, so the rebuilt rows are flagged for review."""
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    rows: list[dict] = []
    columns_printed: list[str] = []
    as_of = None
    before: list[Paragraph] = []
    for roles, body in task_tables._text_tables(paragraphs, report=True):
        if not body:
            continue
        cell_roles = [r for r in roles if r and r != "code"]
        items = task_tables._text_items(roles, body)
        table = Table([[Cell(item.code or "", item.place)] + [Cell(item.cells.get(r) or "", item.place) for r in cell_roles]
                       for item in items], Place())
        rows.extend(_rows_from_table(table, ["code", *cell_roles], 0, state))
        if not before:
            first = body[0].place.line or 0
            before = [p for p in paragraphs if (p.place.line or 0) < first]
            heading = _heading_lines(paragraphs, before)
            as_of = next((d for d in (_iso(t) for t in heading) if d), None)
            columns_printed = heading
        flags.append(Flag("table", "Bảng báo cáo dựng lại từ văn bản thuần (mỗi dòng một dòng in): cần soát lại "
                          "ranh giới các ô, nhất là các ô sau thời hạn", body[0].place, "warning").to_dict())
    return rows, columns_printed, as_of, before


def _heading_lines(paragraphs: list[Paragraph], before: list[Paragraph]) -> list[str]:
    """The lines of the last table heading before the body (for the date in "Kết quả (đến ngày …)")."""
    for k in range(len(before) - 1, -1, -1):
        if task_tables._header_start(before[k].text):
            return [collapse_ws(p.text) for p in before[k:] if collapse_ws(p.text)]
    return []


def parse(doc: SourceDoc) -> dict | None:
    """The report table(s) of a document, None when it has no table with a report's columns."""
    state: dict = {"groups": [], "group": None, "parent": None, "last": None}
    rows: list[dict] = []
    columns_printed: list[str] | None = None
    as_of = None
    before: list[Paragraph] = []
    last_roles = None
    flags: list[dict] = []
    seen_table = False
    header_tables = []  # layout tables before the report's (the heading block)
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if not seen_table:
                before.append(block)
            continue
        if not block.rows:
            continue
        found = _find_header(block)
        if found is None and not seen_table:
            header_tables.append(block)
        if found is not None:
            idx, roles = found
            if columns_printed is None:
                columns_printed = [collapse_ws(c.text) for c in block.rows[idx] if collapse_ws(c.text)]
                if idx > 0:
                    columns_printed = [collapse_ws(" ".join(dict.fromkeys(
                        collapse_ws(block.rows[i][j].text) for i in range(idx + 1) if collapse_ws(block.rows[i][j].text))))
                        for j in range(len(block.rows[idx]))]
                for j, role in enumerate(roles):
                    if role == "result_to_date" and as_of is None:
                        heading = " ".join(block.rows[k][j].text for k in range(idx + 1) if j < len(block.rows[k]))
                        as_of = _iso(heading)
            last_roles = roles
            seen_table = True
            rows.extend(_rows_from_table(block, roles, idx + 1, state))
        elif last_roles is not None and len(block.rows[0]) == len(last_roles):
            rows.extend(_rows_from_table(block, last_roles, 0, state))
    flags.extend(state.pop("flags", []))
    if not rows:
        rows, columns_printed, as_of, before = _text_report(doc, state, flags)
    if not rows:
        return None
    title, reporter, reporter_printed = _title_and_reporter(before)
    if reporter is None and (unit := _reporting_sentence(before)):
        reporter = reporter_printed = unit
    if reporter is None:
        head_lines = [line for t in header_tables[:1] for line in (t.rows[0][0].text.split("\n") if t.rows and t.rows[0] else [])]
        if not head_lines:
            head_lines = [p.text for p in before[:12]]
        if unit := _header_unit(head_lines):
            reporter, reporter_printed = unit, unit
    if as_of is None:
        # "(số liệu tính đến ngày 30/9/2025)" beats any other date on its line (the cited plan's).
        as_of = next((d for d in (_as_of_phrase(p.text) for p in before) if d), None)
    if as_of is None:
        for p in before:
            key = search_key(p.text)
            if re.search(r"(?:tinh )?den ngay|tinh den", key):
                as_of = _iso(p.text)
                if as_of:
                    break
    meta = _metadata.parse(doc)
    if as_of is None and meta.get("date"):
        # No "tính đến ngày …": the figures stand at the date the report was signed.
        as_of = meta["date"]
        flags.append(Flag("as_of", "Không thấy “tính đến ngày …”: lấy ngày số liệu theo ngày ban hành báo cáo", Place(), "info").to_dict())
    if reporter and (issuer := meta.get("issuer")) and len(issuer) > len(reporter) \
            and search_key(issuer).startswith(search_key(reporter) + " "):
        reporter = issuer  # "Sở Khoa học và Công nghệ" → "Sở Khoa học và Công nghệ tỉnh Lào Cai" (the header's)
    if as_of is None:
        flags.append(Flag("as_of", "Không tìm thấy ngày số liệu của báo cáo (“đến ngày …”)", Place()).to_dict())
    if reporter is None:
        flags.append(Flag("reporter", "Không tìm thấy đơn vị báo cáo (“Cơ quan thực hiện: …”)", Place()).to_dict())
    return {
        "title": title, "reporter": reporter, "reporter_printed": reporter_printed, "as_of": as_of,
        "columns_printed": columns_printed or [], "groups": state["groups"],
        "rows": [_finish(r) for r in rows], "flags": flags,
    }


# --- matching report rows to the plan's tasks ---------------------------------------------------

def _text_key(text: str | None) -> str:
    key = re.sub(r"[^\w\s]", " ", strip_accents((text or "").casefold()))
    return collapse_ws(key)


def _name_score(a: str, b: str) -> float:
    """Name similarity 0–100. token_set lets a longer copy ("… hạ tầng 5G, 6G, IoT") match its
    shorter source, only for names long enough that a shared subset means something."""
    if not a or not b:
        return 0.0
    score = fuzz.token_sort_ratio(a, b)
    if min(len(a), len(b)) > 25:
        score = max(score, 0.95 * fuzz.token_set_ratio(a, b))
    return float(score)


def _sorted_tokens(key: str) -> str:
    return " ".join(sorted(key.split()))


def _shortlist(key: str, sorted_task_keys: list[str]) -> set[int]:
    """The tasks whose names come nearest. ratio on pre-sorted tokens equals token_sort_ratio
    and runs in rapidfuzz's C++ loop without re-tokenising every task (a plan may hold
    thousands); the exact score is then computed for these only."""
    if not key:
        return set()
    found = process.extract(_sorted_tokens(key), sorted_task_keys, scorer=fuzz.ratio, limit=_SHORTLIST)
    return {j for _, _, j in found}


def _score(row: dict, task: dict, name: float) -> float:
    """0–100: the name carries the match; required result and lead add weak evidence."""
    score = name
    result_a = _text_key(row.get("required_result"))
    result_b = _text_key(task.get("result"))
    if result_a and result_b:
        r = fuzz.token_sort_ratio(result_a, result_b)
        score = 0.85 * score + 0.15 * r if name else 0.6 * r
    lead_a = row.get("lead")
    lead_b = task.get("lead")
    if isinstance(lead_b, list):
        lead_b = ", ".join(lead_b)
    if lead_a and lead_b and fuzz.token_set_ratio(agency_key(lead_a), agency_key(lead_b)) >= 90:
        score = min(100.0, score + 2.0)
    return round(float(score), 1)


_SHORTLIST = 16


MATCH_THRESHOLD = 70.0


def match_rows(report_rows: list[dict], plan_tasks: list[dict], *, threshold: float = MATCH_THRESHOLD,
               candidates: int = 3) -> list[dict]:
    """Match each report row to one plan task by text; numbering, deadline and lead may differ.

    Each plan task is used at most once: pairs are taken greedily by best score. A row left
    without a task (score under `threshold`, or its task taken by a better row) keeps its
    best candidates so the review screen can offer them. Parent rows without cells of their own
    are matched like any row."""
    if not plan_tasks:
        return [{"row": i, "task_code": None, "score": 0.0, "candidates": []} for i in range(len(report_rows))]
    task_keys = [_text_key(t.get("name")) for t in plan_tasks]
    sorted_keys = [_sorted_tokens(k) for k in task_keys]
    scores: list[dict[int, float]] = []
    for row in report_rows:
        key = _text_key(row.get("name"))
        scores.append({j: _score(row, plan_tasks[j], _name_score(key, task_keys[j])) for j in _shortlist(key, sorted_keys)})
    pairs = sorted(
        ((s, i, j) for i, row_scores in enumerate(scores) for j, s in row_scores.items() if s >= threshold),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    chosen: dict[int, tuple[int, float]] = {}
    used: set[int] = set()
    for s, i, j in pairs:
        if i in chosen or j in used:
            continue
        chosen[i] = (j, s)
        used.add(j)
    out = []
    for i, row_scores in enumerate(scores):
        ranked = sorted(row_scores, key=lambda j: (-row_scores[j], j))[:candidates]
        j, s = chosen.get(i, (None, 0.0))
        out.append({
            "row": i,
            "task_code": plan_tasks[j].get("code") if j is not None else None,
            "score": s if j is not None else (row_scores[ranked[0]] if ranked else 0.0),
            "candidates": [(plan_tasks[k].get("code"), row_scores[k]) for k in ranked],
        })
    return out
