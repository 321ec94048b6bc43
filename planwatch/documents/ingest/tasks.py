"""Task tables ("DANH MỤC CÁC NHIỆM VỤ"): groups, tasks, agencies, results and deadlines.

Two kinds of input:
- Table blocks (DOCX, XLSX, PDF tables, Markdown): columns are mapped by their heading's role
  (never by position), rows by the code in the TT cell.
- Plain text copied out of a PDF, one Paragraph per visual line: the cells of one row follow each
  other line by line, column after column, sometimes several short cells on one line, the header
  repeated on every page and a row that runs over a page break continuing after that header.
  `_text_rows` rebuilds the cells from what a cell of each column looks like (agency names open
  with a head word, a deadline is the last thing of a row and reads as a deadline, a result opens
  with a capital after the agencies).

Cells keep their text as printed (whitespace collapsed); doubts become flags, never guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from planwatch.lib.agencies import collective_kind, split_agency_list, starts_agency_name
from planwatch.lib.deadlines import DeadlineKind, parse_deadline
from planwatch.lib.text import collapse_ws, nfc, strip_accents

from .model import Flag, Paragraph, Place, SourceDoc, Table

# --- column roles ----------------------------------------------------------------------------

# Matched in this order on the accent-free, lower-case heading; the first that matches wins.
# Report columns ("kết quả đến ngày", "dự kiến", "vướng mắc", "tình hình thực hiện") come first
# so that their words ("kết quả", "thực hiện") do not read as a plan's columns.
ROLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern))
    for role, pattern in (
        ("code", r"^(?:s?tt|so tt|so thu tu|stt\.?|tt\.)$"),
        ("budget", r"kinh phi|nguon von|du toan|von dau tu"),
        ("obstacles", r"vuong mac|kho khan|kien nghi|de xuat"),
        ("expected_next", r"du kien"),
        ("result_to_date", r"ket qua\s*\(?\s*(?:den|tinh den|dat duoc|thuc hien)|ket qua dat duoc"
         r"|ket qua thuc hien|ket qua trien khai|da thuc hien"),
        ("status", r"tinh hinh thuc hien|tinh trang|trang thai|muc do hoan thanh|danh gia"),
        ("note", r"^ghi chu"),
        ("coordinating", r"p\w{1,3}i\s*h[o0]p"),
        ("lead", r"chu\s*tri|don vi thuc hien|co quan thuc hien|don vi chiu trach nhiem|trach nhiem thuc hien"
                 r"|co quan, don vi thuc hien"),
        ("result", r"ket qua|san pham|hinh thuc (?:van ban|san pham)"),
        ("deadline", r"t\w{1,3}i gian|thoi han|tien do|hoan thanh"),
        ("name", r"ten|nhiem vu|noi dung|de an|hoat dong|cong viec"),
    )
)


def header_role(text: str) -> str | None:
    """The role of one column heading ("Cơ quan chủ trì" → "lead"), None when unknown."""
    key = _key(text)
    if not key:
        return None
    for role, pattern in ROLE_PATTERNS:
        if pattern.search(key):
            return role
    return None


def header_roles(cells: list[str]) -> list[str | None]:
    """Roles of a header row; a role found twice keeps its first column (the other gets None)."""
    roles: list[str | None] = []
    seen: set[str] = set()
    for text in cells:
        role = header_role(text)
        if role in seen:
            role = None
        if role:
            seen.add(role)
        roles.append(role)
    return roles


def _key(text: str) -> str:
    return collapse_ws(strip_accents((text or "").casefold()).replace("\n", " "))


# --- codes -----------------------------------------------------------------------------------

_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}
_ROMAN_RE = re.compile(r"^(?P<r>[IVXL]{1,6})\s*[.:)]?$")
_NUMBER_RE = re.compile(r"^(?P<n>\d{1,3})\s*[.)]?$")
_PAREN_RE = re.compile(r"^\((?P<n>\d{1,2}|[a-zđ])\)$")
_DOTTED_RE = re.compile(r"^(?P<p>\d{1,3})\.(?P<n>\d{1,2})\.?$")
_LETTER_RE = re.compile(r"^(?P<n>[a-zđ])\s*[).]$")
_GROUP_LETTER_RE = re.compile(r"^(?P<n>[A-H])\s*[.)]$")


def roman_value(text: str) -> int | None:
    s = text.strip().rstrip(".:)").lower()
    if not s or any(c not in _ROMAN_VALUES for c in s):
        return None
    total, prev = 0, 0
    for c in reversed(s):
        v = _ROMAN_VALUES[c]
        total += -v if v < prev else v
        prev = max(prev, v)
    return total


@dataclass(frozen=True)
class Code:
    kind: str  # "group", "task", "sub", "none"
    code: str | None
    printed: str
    number: int | None = None


def classify_code(printed: str | None, parent: str | None = None) -> Code:
    p = collapse_ws(printed or "")
    if not p:
        return Code("none", None, p)
    if m := _ROMAN_RE.match(p):
        return Code("group", m["r"], p, roman_value(m["r"]))
    if m := _GROUP_LETTER_RE.match(p):
        return Code("group", m["n"], p, ord(m["n"]) - 64)
    if re.fullmatch(r"\d{1,3}\.0", p):
        p = p[:-2]  # a spreadsheet's number cell read as a float
    if m := _NUMBER_RE.match(p):
        return Code("task", str(int(m["n"])), p, int(m["n"]))
    if m := _DOTTED_RE.match(p):
        return Code("sub", f"{int(m['p'])}.{int(m['n'])}", p, int(m["n"]))
    if m := _PAREN_RE.match(p):
        n = m["n"]
        return Code("sub", f"{parent or ''}({n})", p, int(n) if n.isdigit() else None)
    if m := _LETTER_RE.match(p):
        return Code("sub", f"{parent or ''}{m['n']})", p)
    return Code("none", None, p)


# --- cells -----------------------------------------------------------------------------------

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹*"
_FOOTNOTE_RE = re.compile(rf"(?:\[\d{{1,2}}\]|\(\*+\)|[{_SUPERSCRIPTS}]+)(?=[\s.,;:]|$)")
# A superscript printed as plain text glued to the end of a word: "cấp Bộ(1)", "cấp Bộ1" (after
# a letter with a diacritic only, so "IPv6", "CT1" and "4.0" keep their digits), "tỉnh*".
_GLUED_FOOTNOTE_RE = re.compile(
    r"(?<=[^\W\d_])(?:\(\d{1,2}\)|\(\*+\)|\*{1,3})(?=[\s.,;:]|$)"
)
_GLUED_DIGIT_RE = re.compile(r"(?<![\w])([^\W\d_]*[À-ỹĐđ][^\W\d_]*)(\d{1,2})(?=[\s.,;:]|$)")


# A line broken right after the hyphen or slash of a document number ("QĐ-⏎UBND",
# "1552/⏎BTTTT") is one word; "kinh tế -⏎xã hội" (spaced) stays two.
_WRAPPED_NUMBER = re.compile(r"(?<=[A-ZĐ0-9])([-/])[ \t]*\n\s*(?=[A-ZĐ0-9])")


def cell_text(text: str | None) -> str:
    """A cell's text as read: line breaks joined with a space, whitespace collapsed, except a
    document number wrapped at its hyphen or slash."""
    return collapse_ws(_WRAPPED_NUMBER.sub(r"\1", text or ""))


def clean_cell(text: str | None) -> tuple[str | None, list[str]]:
    """Whitespace collapsed, footnote markers taken out; returns (text or None, markers)."""
    if text is None:
        return None, []
    markers = _FOOTNOTE_RE.findall(text)
    cleaned = _FOOTNOTE_RE.sub("", text) if markers else text
    glued = _GLUED_FOOTNOTE_RE.findall(cleaned) + [m[2] for m in _GLUED_DIGIT_RE.finditer(cleaned)]
    if glued:
        markers += glued
        cleaned = _GLUED_DIGIT_RE.sub(r"\1", _GLUED_FOOTNOTE_RE.sub("", cleaned))
    cleaned = collapse_ws(cleaned)
    return (cleaned or None), markers


def check_deadline(raw: str | None, place: Place, flags: list[dict]) -> None:
    """Flag a blank deadline or one whose form is not known (kept raw, never guessed)."""
    if raw is None or not raw.strip():
        flags.append(Flag("deadline", "Ô thời hạn để trống", place).to_dict())
        return
    result = parse_deadline(raw)
    if result.value.kind is DeadlineKind.UNKNOWN:
        reason = result.warnings[0] if result.warnings else f"Không hiểu thời hạn “{raw}”"
        flag = Flag("deadline", reason, place).to_dict()
        if hint := deadline_hint(raw):
            # Shown to the reviewer only: the cell keeps what was printed.
            flag["reason"] += f"; có thể là “{hint}”"
            flag["suggestion"] = hint
        flags.append(flag)


_DEADLINE_ACCENTS = {
    "thuong": "thường", "xuyen": "xuyên", "thang": "tháng", "hang": "hằng", "nam": "năm", "quy": "quý",
    "truoc": "trước", "ngay": "ngày", "nhung": "những", "tiep": "tiếp", "va": "và", "cac": "các", "tu": "từ",
    "den": "đến", "dau": "đầu", "cuoi": "cuối", "dinh": "định", "ky": "kỳ", "giai": "giai", "doan": "đoạn",
}  # fmt: skip


def deadline_hint(raw: str) -> str | None:
    """What a misread deadline most likely says ("Thubng xuyen" → "Thường xuyên"), when its
    words, read leniently, make a known form; None otherwise. Never used as the value."""
    words = raw.split()
    normed = [_norm_deadline_word(w) if not re.search(r"\d", w) else w.strip(".,;") for w in words]
    for i in range(len(normed) - 1):
        if normed[i + 1] == "xuyen":
            normed[i] = "thuong"
    if normed == [_fold(w) for w in words] and strip_accents(raw) != raw:
        return None  # nothing was misread: the form itself is unknown
    text = " ".join(_DEADLINE_ACCENTS.get(w, w) for w in normed)
    if parse_deadline(text).value.kind in (DeadlineKind.UNKNOWN, DeadlineKind.BLANK):
        return None
    return text[:1].upper() + text[1:]


def agencies(raw: str | None, field_name: str, place: Place, flags: list[dict]) -> list[str]:
    items = split_agency_list(raw)
    for item in items:
        if len(item) > 160:
            flags.append(Flag(field_name, f"Tên cơ quan quá dài, có thể đã lẫn nội dung ô khác: “{item[:60]}…”", place).to_dict())
    return items


# --- building rows from cells -------------------------------------------------------------------

_CELL_ROLES = ("name", "lead", "coordinating", "result", "deadline")


@dataclass
class _Item:
    """One table row as cells by role, before groups, continuations and checks."""

    code: str | None
    cells: dict[str, str | None]
    place: Place
    merged: set[str] = field(default_factory=set)
    footnotes: list[tuple[str, str]] = field(default_factory=list)  # (role of the cell, footnote)
    continuation: bool = False  # rows rebuilt from text after a page break
    unnumbered: bool = False  # the table has no TT column: every full row is a task
    places: dict[str, Place] = field(default_factory=dict)  # each cell's place, by role
    columns: frozenset[str] | None = None  # the roles the table has a column for (None: unknown)


def _group_name(item: _Item) -> str | None:
    texts = [item.cells.get(r) for r in ("name", *_CELL_ROLES[1:]) if item.cells.get(r)]
    return texts[0] if texts else None


def _looks_like_group_heading(item: _Item) -> bool:
    """An unnumbered row that is only a heading: "Nhóm nhiệm vụ …" across the merged row."""
    filled = [t for t in item.cells.values() if t]
    if not filled:
        return False
    if len(filled) >= 3 and len(set(filled)) == 1:
        return True  # one text merged across the whole row
    name = _group_name(item) or ""
    alone = len(set(filled)) == 1 or item.merged >= {r for r, t in item.cells.items() if t} - {"name"}
    return alone and name[:1].isupper() and bool(re.match(r"^(?:nh\w{1,3}m|linh vuc|phan)\b", _key(name)))


def _spans_row(item: _Item) -> bool:
    """A numbered row whose one text fills every cell after TT (a merged heading row, or the same
    text repeated in each cell as a spreadsheet or DOCX reader gives a merge) with nothing else:
    a group heading numbered 1, 2 rather than a task."""
    filled = [t for t in item.cells.values() if t]
    others = set(item.cells) - {"name"}
    if len(filled) == 1 and item.cells.get("name") and len(others) >= 2 and item.merged >= others:
        return True  # the name cell merged over the others, which read blank
    if len(filled) < 2 or len(set(filled)) != 1:
        return False
    return len(filled) >= 3 or item.merged >= {r for r, t in item.cells.items() if t} - {"name"}


def _numbered_group_rows(items: list[_Item]) -> set[int]:
    """Rows numbered like tasks that head groups: a row with only a name whose next numbered row
    has the same number ("1 | Chuyển đổi số" then "1 | Triển khai …") or starts again at 1 ("2 |
    Thu hút đầu tư" then "1 | …"), when no cell tells a task (its cells read blank, not merged)."""
    out: set[int] = set()
    coded = [(k, classify_code(it.code)) for k, it in enumerate(items)]
    coded = [(k, c) for k, c in coded if c.kind != "none"]
    for n, (k, c) in enumerate(coded):
        item = items[k]
        if c.kind != "task" or item.continuation or len(item.cells) < 3:
            continue
        if not item.cells.get("name") or any(t for r, t in item.cells.items() if r != "name"):
            continue
        nxt = coded[n + 1][1] if n + 1 < len(coded) else None
        prev = coded[n - 1][1] if n else None
        if nxt is None or nxt.kind != "task":
            continue  # a parent task before its sub-items, or the last row
        # The number again (a task 1 under the group 1; a group 2 after the task 2) or a restart.
        if nxt.number == c.number or (nxt.number == 1 and (c.number or 0) > 1) or (
                prev is not None and prev.kind == "task" and prev.number == c.number and k - 1 not in out):
            out.add(k)
    return out


def build(items: list[_Item]) -> dict:
    groups: list[dict] = []
    rows: list[dict] = []
    flags: list[dict] = []
    group: str | None = None
    group_agencies: dict[str, str] = {}  # agencies printed once in the group's row, by role
    group_place: Place | None = None
    last_task: dict | None = None
    raw_cells: list[dict[str, str | None]] = []  # per row, the cells before splitting agencies

    heads = _numbered_group_rows(items)
    for k, item in enumerate(items):
        parent = last_task["code"] if last_task and last_task["parent"] is None else (last_task or {}).get("parent")
        code = classify_code(item.code, parent)
        if code.kind == "task" and not item.continuation and (_spans_row(item) or k in heads):
            code = Code("group", code.code, code.printed, code.number)
        if code.kind == "group" or (code.kind == "none" and not item.continuation and _looks_like_group_heading(item)):
            gname = _group_name(item)
            printed = code.printed or None
            gcode = code.code
            if code.kind != "group":
                # "II. Nhóm nhiệm vụ …" in one cell merged across the row: the code opens the text.
                m = re.match(r"^(?P<c>[IVXL]{1,6}|[A-H])\s*[.):]\s+(?P<rest>.+)$", gname or "")
                if m:
                    printed, gcode, gname = m["c"] + (gname or "")[len(m["c"])], m["c"], m["rest"]
                    printed = collapse_ws(printed)
                else:
                    printed, gcode = None, f"G{len(groups) + 1}"
            gname, group_agencies = group_assignment(gname)
            for role in _AGENCY_ROLES:
                # The group's row with its own agency cell ("I | Nhóm … | Sở Nội vụ | | |").
                text = item.cells.get(role)
                if (role not in group_agencies and text and role not in item.merged
                        and text not in (item.cells.get("name"), gname) and starts_agency_name(text)):
                    group_agencies[role] = text
            grp = {"code": gcode, "code_printed": printed, "name": gname, "place": item.place.to_dict()}
            for role, text in group_agencies.items():
                grp[role] = split_agency_list(text)
            groups.append(grp)
            group, group_place = gcode, item.place
            continue
        if code.kind == "none" and item.unnumbered and item.cells.get("name") and any(
                item.cells.get(r) for r in _CELL_ROLES[1:]):
            code = Code("task", str(sum(1 for r in rows if r["parent"] is None) + 1), "")
        if code.kind == "none":
            if last_task is None:
                if any(item.cells.values()):
                    flags.append(Flag("name", "Dòng không có số thứ tự trước nhiệm vụ đầu tiên: bỏ qua", item.place).to_dict())
                continue
            cells = raw_cells[-1]
            for role in _CELL_ROLES:
                text = item.cells.get(role)
                if not text or role in item.merged:
                    continue
                cells[role] = collapse_ws(f"{cells[role]} {text}") if cells.get(role) else text
            rows[-1]["_footnotes"].extend(item.footnotes)
            continue
        # The printed code stays as printed, also when numbering starts again in each group
        # ("1" of group "II"): the group keeps rows apart; the interchange makes codes unique.
        row = {
            "code": code.code, "code_printed": code.printed or None, "group": group,
            "parent": parent if code.kind == "sub" else None,
            "place": item.place.to_dict(), "_place": item.place, "_footnotes": list(item.footnotes),
            "_places": item.places, "_columns": item.columns, "_group_agencies": group_agencies,
            "_group_place": group_place,
        }
        if code.kind == "sub" and code.code and "." in code.code and "(" not in code.code:
            row["parent"] = code.code.rsplit(".", 1)[0]  # "1.2" belongs to "1" whatever came before
        rows.append(row)
        raw_cells.append({r: item.cells.get(r) for r in _CELL_ROLES})
        if code.kind == "task":
            last_task = row
        elif last_task is None:
            last_task = row

    out_rows = []
    parent_agencies: dict[tuple, tuple[dict[str, str], Place]] = {}
    for row, cells in zip(rows, raw_cells):
        place = row.pop("_place")
        places = row.pop("_places")
        columns = row.pop("_columns")
        from_group = row.pop("_group_agencies")
        group_place = row.pop("_group_place")
        footnotes = row.pop("_footnotes")
        row_flags: list[dict] = []

        def at(role: str) -> Place:
            return places.get(role, place)

        texts = {}
        for role in _CELL_ROLES:
            text, markers = clean_cell(cells.get(role))
            texts[role] = text
            footnotes.extend((role, m) for m in markers)
        is_parent = bool(texts["name"]) and not any(texts[r] for r in _CELL_ROLES[1:])
        source, source_place, where = from_group, group_place, "dòng nhóm"
        if is_parent:
            # A parent task naming the lead of its sub-items once: "1. … (Sở Y tế chủ trì)".
            name, found = group_assignment(texts["name"])
            if found:
                texts["name"] = name
                parent_agencies[(row["group"], row["code"])] = (found, place)
        elif row["parent"] is not None and (row["group"], row["parent"]) in parent_agencies:
            source, source_place = parent_agencies[(row["group"], row["parent"])]
            where = "dòng nhiệm vụ cha"
        if not is_parent:
            for role in _AGENCY_ROLES:
                if not texts[role] and source.get(role):
                    # Printed once in the group's (or parent task's) row: "(Sở Nội vụ chủ trì)".
                    texts[role] = source[role]
                    row[f"{role}_from_group"] = True
                    label = "Cơ quan chủ trì" if role == "lead" else "Cơ quan phối hợp"
                    row_flags.append(Flag(role, f"{label} lấy từ {where}: “{source[role]}”",
                                          source_place or at(role), "info").to_dict())
        row["name"] = texts["name"]
        if not row["name"]:
            row_flags.append(Flag("name", "Ô tên nhiệm vụ để trống", at("name")).to_dict())
        row["lead"] = agencies(texts["lead"], "lead", at("lead"), row_flags)
        row["coordinating"] = agencies(texts["coordinating"], "coordinating", at("coordinating"), row_flags)
        if texts["coordinating"] and not row["coordinating"]:
            row["coordinating_printed"] = texts["coordinating"]
        if texts["lead"] and not row["lead"]:
            row["lead_printed"] = texts["lead"]
        row["result"] = texts["result"]
        row["deadline"] = texts["deadline"]
        if not is_parent:
            if not row["lead"]:
                row_flags.append(Flag("lead", "Không ghi cơ quan chủ trì", at("lead")).to_dict())
            if not row["result"] and (columns is None or "result" in columns):
                row_flags.append(Flag("result", "Ô kết quả (sản phẩm) để trống", at("result")).to_dict())
            if not row["deadline"] and columns is not None and "deadline" not in columns:
                row_flags.append(Flag("deadline", "Không ghi thời hạn (bảng không có cột thời hạn)", place).to_dict())
            else:
                check_deadline(row["deadline"], at("deadline"), row_flags)
        for role in _CELL_ROLES:
            if role != "name" and texts[role] and collective_kind(texts[role]) is None and len(texts[role]) > 400:
                row_flags.append(Flag(role, "Ô rất dài: có thể đã gộp nhầm nhiều ô", at(role)).to_dict())
        by_role: dict[str, list[str]] = {}
        for role, note in footnotes:
            by_role.setdefault(role, [])
            if note not in by_role[role]:
                by_role[role].append(note)
        for role, notes in by_role.items():
            row_flags.append(Flag(role, "Có chú thích: " + "; ".join(notes), at(role), "info").to_dict())
        row["flags"] = row_flags
        out_rows.append(row)
    return {"groups": groups, "rows": out_rows, "flags": flags}


def interchange_codes(rows: list[dict]) -> list[str]:
    """A code per draft task row for the interchange, where codes are unique in the plan. The
    printed codes stay, except in a group whose numbering starts again ("1", "2" under group II
    after "1", "2" under group I): every row of such a group gets the group's code before its
    own ("II.1", "II.2", "II.3"), not only the rows that happen to clash."""
    seen: set[str] = set()
    restarted: set[str] = set()
    by_group: dict[str, set[str]] = {}
    for r in rows:
        group = str(r.get("group") or "")
        code = str(r.get("code") or "").strip()
        if not code:
            continue
        if group and code in seen and code not in by_group.get(group, set()):
            restarted.add(group)
        by_group.setdefault(group, set()).add(code)
        seen.add(code)
    out = []
    for r in rows:
        group = str(r.get("group") or "")
        code = str(r.get("code") or "").strip()
        out.append(f"{group}.{code}" if code and group in restarted else code)
    return out


# --- agencies printed once in a group's row --------------------------------------------------

_LEAD_WORDS = r"ch[uủ]\s*tr[iì]"
_COORD_WORDS = r"ph[oố]i\s*h[oợ]p"
_OFFICE = r"(?:(?:cơ quan|co quan|đơn vị|don vi)\s+)?"
# "Sở Nội vụ chủ trì", "do Sở Nội vụ chủ trì thực hiện", "Sở Nội vụ chủ trì, Sở Tài chính phối hợp"
_AGENCY_FIRST = re.compile(
    rf"^(?:(?:giao|do|giao cho)\s+)?(?P<lead>.+?)\s+{_LEAD_WORDS}(?:\s+(?:thực hiện|thuc hien|triển khai|trien khai))?"
    rf"(?:\s*[,;]\s*(?:(?:và|va)\s+)?(?P<coord>.+?)\s+{_COORD_WORDS}(?:\s+(?:thực hiện|thuc hien))?)?$",
    re.IGNORECASE,
)
# "Cơ quan chủ trì: Sở Nội vụ", "Chủ trì: Sở Nội vụ; phối hợp: Sở Tài chính"
_LABEL_FIRST = re.compile(
    rf"^{_OFFICE}{_LEAD_WORDS}\s*:\s*(?P<lead>.+?)(?:\s*[;,.]\s*{_OFFICE}{_COORD_WORDS}\s*:\s*(?P<coord>.+?))?$",
    re.IGNORECASE,
)


def _assignment_clause(text: str) -> dict[str, str] | None:
    """The agencies a clause names ("Sở Nội vụ chủ trì" → {"lead": "Sở Nội vụ"}), None when it
    does not name a lead agency."""
    text = collapse_ws(text).strip(" .;:")
    m = _LABEL_FIRST.match(text) or _AGENCY_FIRST.match(text)
    if not m:
        return None
    out = {}
    for role, key in (("lead", "lead"), ("coordinating", "coord")):
        value = collapse_ws(m[key] or "").strip(" ,;.:")
        if value and starts_agency_name(value) and len(value) <= 200:
            out[role] = value
    return out if "lead" in out else None


def group_assignment(name: str | None) -> tuple[str | None, dict[str, str]]:
    """A group heading without the agencies printed in it, and those agencies by role:
    "Nhóm nhiệm vụ … (Sở Nội vụ chủ trì)", "Nhóm nhiệm vụ … - Sở Nội vụ chủ trì",
    "Nhóm nhiệm vụ … Cơ quan chủ trì: Sở Nội vụ" → ("Nhóm nhiệm vụ …", {"lead": "Sở Nội vụ"})."""
    if not name:
        return name, {}
    text = collapse_ws(name)
    candidates = []
    if m := re.search(r"\(([^()]+)\)\s*[.;:]?$", text):  # a closing parenthesis
        candidates.append((m.start(), m[1]))
    for m in re.finditer(r"\s[-–—]\s+", text):  # after a spaced dash
        candidates.append((m.start(), text[m.end():]))
    if m := re.search(rf"(?:^|[\s,;.(])(?={_OFFICE}{_LEAD_WORDS}\s*:)", text, re.IGNORECASE):  # "Chủ trì: …"
        candidates.append((m.start(), text[m.end():].rstrip(")")))
    for start, clause in sorted(candidates, key=lambda c: -c[0]):
        found = _assignment_clause(clause)
        rest = text[:start].rstrip(" -–—,;:(.")
        if found and rest:
            return rest, found
    return text, {}


# --- Table blocks ------------------------------------------------------------------------------

_NEEDED = {"name"}
_ANY_OF = {"lead", "coordinating", "result", "deadline"}


def _indicator_heading(cells: list[str]) -> bool:
    """An indicator table's heading ("Chỉ tiêu", "Đơn vị tính", one column per year), which
    may also name a lead and a coordinating agency."""
    keys = [_key(c) for c in cells]
    years = sum(bool(re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", k)) for k in keys)
    return years >= 2 or any(re.search(r"\bchi tieu\b|^don vi tinh$|^dvt$", k) for k in keys)


def find_header(table: Table, *, required=_NEEDED, any_of=_ANY_OF, min_any=2,
                indicator_heading_ok: bool = False) -> tuple[int, list[str | None]] | None:
    """(index of the last header row, roles by column) when one of the first rows is a heading
    row with `required` and at least `min_any` of `any_of`; a heading spread over two rows
    (merged "Cơ quan thực hiện" above "Chủ trì | Phối hợp") is read as one. An indicator table's
    heading gives None unless `indicator_heading_ok` (a table holding both kinds of rows)."""
    for i, row in enumerate(table.rows[:6]):
        texts = [c.text for c in row]
        if _indicator_heading(texts) and not indicator_heading_ok:
            return None
        roles = header_roles(texts)
        if i + 1 < len(table.rows):
            below = [c.text for c in table.rows[i + 1]]
            if len(below) == len(texts) and not classify_code(below[0]).code:
                merged = header_roles([f"{a} {b}" if a != b else a for a, b in zip(texts, below)])
                lower = header_roles(below)
                if sum(r is not None for r in lower) >= 2 and sum(r is not None for r in merged) >= sum(r is not None for r in roles):
                    roles = [lo or m for lo, m in zip(lower, merged)]
                    if required <= set(roles) and len(any_of & set(roles)) >= min_any:
                        return i + 1, roles
        if required <= set(roles) and len(any_of & set(roles)) >= min_any:
            return i, roles
    return None


_BULLET_LINE = re.compile(r"(^|\n)\s*[-+•–]\s+")
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$|^\(?[A-Za-z]\)?$")


def _is_column_number_row(cells: list[str]) -> bool:
    texts = [collapse_ws(t) for t in cells if collapse_ws(t)]
    return len(texts) >= 3 and all(_COLUMN_NUMBERS.match(t) for t in texts) and len(set(texts)) == len(texts)


def table_items(table: Table, roles: list[str | None], start: int, only: set[int] | None = None) -> list[_Item]:
    """The rows of a table from `start` (only those in `only` when given) as items."""
    items: list[_Item] = []
    header = [r for r in roles]
    columns = frozenset(r for r in roles if r)
    for r, row in enumerate(table.rows[start:], start=start):
        if only is not None and r not in only:
            continue
        texts = [c.text for c in row]
        if header_roles(texts) == header or _is_column_number_row(texts):
            continue  # the heading repeated on a new page, or the "(1) (2) (3)" row
        cells: dict[str, str | None] = {}
        merged: set[str] = set()
        footnotes: list[tuple[str, str]] = []
        places: dict[str, Place] = {}
        code = None
        for role, cell in zip(roles, row):
            # A footnote on the TT cell or a column of no known role is the task's (its name).
            footnotes.extend((role if role in _CELL_ROLES else "name", f) for f in cell.footnotes)
            if role:
                places.setdefault(role, cell.place)
            if role == "code":
                code = cell.text
            elif role:
                text = cell.text
                if role in ("lead", "coordinating"):
                    # One agency per bulleted line: "- Sở Nội vụ⏎- Sở Tài chính".
                    text = _BULLET_LINE.sub(r"\1; ", text)
                cells[role] = cell_text(text).strip("; ") or None
                if cell.merged:
                    merged.add(role)
        place = row[0].place if row else Place(table=table.place.table, row=r + 1)
        if code and classify_code(code).kind == "none" and not cells.get("name"):
            # The TT cell holds the whole heading or row ("II. Nhóm nhiệm vụ …" with no merge).
            if m := re.match(r"^(\d{1,3}[.)]?|[IVXL]{1,6}[.)]?|[A-H][.)])\s+(\S.*)$", collapse_ws(code)):
                code, cells["name"] = m[1], m[2]
        if code is None and "code" not in roles and cells.get("name"):
            # No TT column: a leading number in the name cell is the code.
            m = re.match(r"^(\d{1,3}[.)]?|[IVX]{1,5}\.)\s+(.*)$", cells["name"])
            if m:
                code, cells["name"] = m[1], m[2]
        items.append(_Item(code=code, cells=cells, place=place, merged=merged, footnotes=footnotes,
                           unnumbered="code" not in roles and code is None, places=places, columns=columns))
    return items


# --- one table holding indicators and tasks ("A. CHỈ TIÊU" / "B. NHIỆM VỤ") ----------------------

# A section row: an optional "Phần"/"Mục", an optional letter or number, then what the section
# holds ("CHỈ TIÊU …", "CÁC NHIỆM VỤ, GIẢI PHÁP …"); accent-free, lower case.
_SECTION_RE = re.compile(
    r"^(?:(?:phan|muc)\s+)?(?:(?P<code>[a-h]|[ivx]{1,4}|\d{1,2})(?:\s*[.:)\-–]\s*|\s+))?(?:cac\s+)?"
    r"(?:(?P<ind>(?:muc tieu,?\s+)?chi tieu)|(?P<task>nhiem vu|giai phap|de an|du an|cong viec|hoat dong))\b"
)


def section_kind(cells: list[str]) -> str | None:
    """"indicators" or "tasks" for a table row that heads a section of a table holding both
    ("A. CHỈ TIÊU", "B. NHIỆM VỤ", "Phần II: Các nhiệm vụ"): one text merged across the row, or
    a code and a text with the other cells blank. None for any other row."""
    texts = [collapse_ws(c) for c in cells]
    filled = list(dict.fromkeys(t for t in texts if t))
    if not filled or len(filled) > 2 or len(filled) == len(texts) and len(texts) > 2:
        return None
    if len(filled) == 2:
        if texts.index(filled[0]) != 0 and classify_code(filled[0]).kind == "none":
            return None
        text = " ".join(filled)
    else:
        text = filled[0]
    if len(text) > 120:
        return None
    m = _SECTION_RE.match(_key(text))
    if not m:
        return None
    if m["code"] and m["code"].isdigit() and not _mostly_upper(text):
        return None  # "1. Nhiệm vụ …" is a row, not a section
    return "indicators" if m["ind"] else "tasks"


def _task_section_rows(kinds: list[str | None], state: str | None) -> tuple[set[int], int | None, str | None]:
    """Given each row's section kind and the section a previous page of the table ended in:
    the indexes of the rows under a task section, the index of the first task section row and
    the section the table ends in."""
    rows: set[int] = set()
    first = None
    for i, kind in enumerate(kinds):
        if kind == "indicators":
            state = kind
            continue
        if kind == "tasks" and state != "tasks":
            state = kind  # a later task section row inside the section is a group's row
            first = i if first is None else first
            continue
        if state == "tasks":
            rows.add(i)
    return rows, first, state


def _section_items(table: Table, kinds: list[str | None], roles: list[str | None] | None,
                   state: str | None) -> tuple[list[_Item], list[str | None] | None, str | None]:
    """The task rows of a table holding both indicators and tasks (or a page of one), read by
    the table's heading, a heading of its own right under the task section row, or else
    `roles` (the previous page's); also the roles read by and the section the table ends in."""
    rows, first, state = _task_section_rows(kinds, state)
    found = find_header(table, indicator_heading_ok=True)
    if found is not None:
        roles = found[1]
    if first is not None and first + 1 < len(table.rows):
        # "B. NHIỆM VỤ" followed by a heading for its own columns.
        sub = Table(table.rows[first + 1 : first + 3], table.place)
        own = find_header(sub, indicator_heading_ok=True)
        if own is not None and own[0] <= 1:
            roles = own[1]
            rows -= set(range(first + 1, first + 2 + own[0]))
    if roles is None or not rows:
        return [], roles, state
    return table_items(table, roles, 0, only=rows), roles, state


# --- plain text (one Paragraph per visual line) ---------------------------------------------------

_HEADER_VOCAB = (
    "tt", "stt", "ten", "nhiem", "vu", "co", "quan", "chu", "tri", "phoi", "hop", "ket", "qua", "san",
    "pham", "thoi", "gian", "han", "hoan", "thanh", "don", "vi", "noi", "dung", "thuc", "hien",
    "ghi", "yeu", "cau", "du", "kien", "trach", "nhiem", "tien", "do",
    "cong", "viec", "giao", "muc", "tieu", "giai", "phap", "chinh",
    # progress reports' headings
    "den", "ngay", "thang", "vuong", "mac", "nghi", "tinh", "hinh", "dat", "duoc", "trang", "thai", "kho", "khan",
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _is_header_word(word: str) -> bool:
    w = strip_accents(word.casefold())
    if w in _HEADER_VOCAB:
        return True
    if len(w) <= 2:
        return w in {"tt", "vu", "co", "do", "vi", "du"} or not w.isalpha()
    best = process.extractOne(w, _HEADER_VOCAB, scorer=fuzz.ratio)
    return bool(best and best[1] >= 66)


def _header_like(line: str) -> bool:
    words = _WORD.findall(line)
    if not words:
        return False
    good = sum(_is_header_word(w) for w in words)
    # Half the words exactly a heading's (OCR misreads the rest): a body line of common words
    # ("được ban hành bảo đảm hoạt động") that only looks like heading words is not a heading.
    exact = sum(strip_accents(w.casefold()) in _HEADER_VOCAB for w in words)
    return good >= max(1, int(len(words) * 0.8 + 0.5)) and exact * 2 >= len(words)


def _header_start(line: str) -> bool:
    """The first line of a task table heading: "TT Tên nhiệm vụ …" (OCR-tolerant)."""
    key = _key(line)
    return bool(re.match(r"^(?:s?tt\b.*)?t[ea]n\s*nhi\w{1,3}\s*(?:vu)?\b|^s?tt\s+(?:noi dung|nhiem vu)", key)) and _header_like(line)


_END_RE = re.compile(r"^(?:ghi chu\s*:|noi nhan|phu luc\b|tm\.|kt\.|danh muc\b)")


def _noise(line: str) -> bool:
    """OCR noise lines: no word of three letters ("rs. ^ ^ a • a X 7 7 7 r *", "? r r")."""
    s = line.strip()
    if not s:
        return True
    if s in {"-", "–", "—"} or classify_code(s).kind != "none" or re.search(r"\d{2}", s):
        return False
    # Noise is mostly symbols and lone letters; a cell's short line ("Sở Y tế, Sở", "tế") is
    # letters and words of two letters or more.
    chars = [c for c in s if not c.isspace()]
    letters = sum(c.isalnum() or c in ".,;:()-–/%&'\"“”…" for c in chars)
    return letters < 0.75 * len(chars) or not any(len(w) >= 2 for w in _WORD.findall(s))


def _mostly_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


@dataclass
class _Line:
    text: str
    place: Place
    after_header: bool = False  # first line after a heading repeated on a new page
    cell_lines: bool = False  # the heading had each cell on lines of its own: every cell opens a line


def _text_tables(blocks: list[Paragraph], *, report: bool = False) -> list[tuple[list[str | None], list[_Line]]]:
    """Find each task table (or, with `report`, each progress-report table) in running text:
    its column roles (from the heading) and its lines."""
    lines = [(b.text, b.place) for b in blocks]
    tables = []
    i = 0
    while i < len(lines):
        if not _header_at(lines, i):
            i += 1
            continue
        header, j = _read_header(lines, i)
        cell_lines = j - i >= 4 and _key(lines[i][0]) in _TT_ALONE
        roles = _roles_in_order(header)
        is_report = bool(REPORT_ROLES & set(roles))
        if is_report != report or "name" not in roles or (not report and len(_ANY_OF & set(roles)) < 2):
            i += 1
            continue
        body: list[_Line] = []
        mark = False
        while j < len(lines):
            text, place = lines[j]
            key = _key(text)
            if _END_RE.match(key) and (not key.startswith(("phu luc", "danh muc")) or _mostly_upper(text)):
                break
            if _signature_line(text):
                break
            if _header_at(lines, j):
                _, j = _read_header(lines, j)
                mark = True
                continue
            if text.strip() and not _noise(text):
                body.append(_Line(collapse_ws(text), place, mark, cell_lines))
                mark = False
            j += 1
        tables.append((roles, body))
        i = j
    return tables


_TT_ALONE = {"tt", "stt", "so tt", "tt.", "stt."}
# A signature block after the table: "T/M ĐẢNG ỦY", "TM. UBND", "KT. GIÁM ĐỐC", "BÍ THƯ".
_SIGNATURE_RE = re.compile(
    r"^(?:t/m|tm|k/t|kt|q\.|tl|tuq)\.?\s+\S"
    r"|^(?:pho |q\. )?(?:bi thu|chu tich|giam doc|cuc truong|vu truong|truong ban|truong phong|thu truong|bo truong"
    r"|chanh van phong|tong giam doc|vien truong|hieu truong|nguoi lap bieu|nguoi ky)$"
)


def _signature_line(text: str) -> bool:
    s = collapse_ws(text)
    return _mostly_upper(s) and len(s) <= 60 and bool(_SIGNATURE_RE.match(_key(s)))


def _header_at(lines, i: int) -> bool:
    """A task table's heading opens at line i: "TT Tên nhiệm vụ …" on one line, or "TT" alone on
    its line with the name column's heading on the next (each heading cell on lines of its own)."""
    if _header_start(lines[i][0]):
        return True
    if _key(lines[i][0]) not in _TT_ALONE:
        return False
    k = i + 1
    while k < len(lines) and not lines[k][0].strip():
        k += 1
    return k < len(lines) and _header_start(f"{collapse_ws(lines[i][0])} {lines[k][0]}")


def _read_header(lines, i: int) -> tuple[str, int]:
    parts = [lines[i][0]]
    j = i + 1
    while j < len(lines) and j - i < 16:
        text = lines[j][0]
        if not text.strip() or _noise(text) and not classify_code(text.strip()).code:
            j += 1
            continue
        if classify_code(text.strip()).kind != "none" or not _header_like(text):
            break
        parts.append(text)
        j += 1
    return collapse_ws(" ".join(parts)), j


def _roles_in_order(header: str) -> list[str | None]:
    """Column roles in the order their words appear in a heading printed as running text."""
    key = _key(header)
    found = []
    # Most specific first; a match is blanked out so "kết quả" inside "Dự kiến kết quả đến
    # tháng 6/2025" is not read again as a result column.
    for role, pattern in (
        ("code", r"\bs?tt\b"),
        ("name", r"t[ea]n\s*nhi\w{1,3}(?:\s*vu)?|noi dung(?: nhiem vu| cong viec)?|nhiem vu"),
        ("lead", r"(?:co quan |don vi )?chu\s*tri"),
        ("coordinating", r"(?:co\S? quan |don vi )?p\w{1,3}i\s*h[o0]p"),
        ("budget", r"(?:du kien |nguon )?kinh phi(?: thuc hien)?|nguon von"),
        ("expected_next", r"du kien(?: ket qua)?(?: (?:den|trong) (?:het )?(?:thang|quy|nam|ngay)[\s\d/ivx]*)?"),
        ("result_to_date", r"ket qua\s*\(?\s*(?:tinh )?den\s*(?:het )?(?:ngay|thang|quy|nam)?[\s\d/ivx]*\)?"
                           r"|ket qua (?:dat duoc|thuc hien|trien khai)"),
        ("obstacles", r"(?:kho khan, )?vuong mac(?:, kien nghi)?|kien nghi|de xuat"),
        ("status", r"tinh hinh thuc hien|trang thai|muc do hoan thanh"),
        ("result", r"ket qua(?: yeu cau)?(?: \(?san pham\)?)?|san pham"),
        ("deadline", r"t\w{1,3}i\s*(?:gian|han)(?: \(?thoi han\)?)?(?: hoan thanh)?|tien do"),
    ):
        if m := re.search(pattern, key):
            found.append((m.start(), role))
            key = key[: m.start()] + " " * (m.end() - m.start()) + key[m.end() :]
    return [role for _, role in sorted(found)]


REPORT_ROLES = {"result_to_date", "expected_next", "obstacles", "status"}


# Agency head words (accent-free, lower case). A capitalised one opens an agency cell.
_HEADS = tuple(sorted({
    "so", "phong", "ban", "bao", "dai", "cong an", "van phong", "vp", "ngan hang", "nhnn", "ubnd",
    "uy ban", "bo", "cuc", "chi cuc", "tong cuc", "trung tam", "kho bac", "bao hiem", "bhxh",
    "thanh tra", "vien", "truong", "hoi", "lien doan", "lien hiep", "tinh doan", "huyen doan", "doan",
    "dia phuong", "dja phuong", "cac so", "cac phong", "cac ban", "cac bo", "cac dia phuong",
    "cac dja phuong", "cac co quan", "cac don vi", "cac xa", "cac huyen", "cac nganh", "cac truong",
    "co quan", "don vi", "tinh uy", "huyen uy", "dang uy", "mat tran", "mttq", "quy", "chi nhanh",
    "hdnd", "ban chi huy", "bo chi huy", "chu tich", "ubmttq", "tinh doan", "lien minh", "cong ty",
    "vien thong", "buu dien", "toa an", "hiep hoi", "cac doanh nghiep", "cac to chuc", "cac hoi", "cac cong ty",
    "cac tinh", "cac thanh pho", "cac ngan hang", "cuc thue", "thanh uy", "thi uy",
}, key=len, reverse=True))  # fmt: skip
# Heads that need a name after them ("Văn phòng" → "Văn phòng UBND tỉnh").
_NAMED_HEADS = {"so", "phong", "ban", "bao", "dai", "van phong", "vp", "ngan hang", "uy ban", "bo", "cuc", "chi cuc",
                "tong cuc", "trung tam", "kho bac", "bao hiem", "thanh tra", "vien", "truong", "hoi", "lien doan",
                "lien hiep", "doan", "chi nhanh", "quy", "ban chi huy", "bo chi huy", "co quan", "don vi"}  # fmt: skip
_NOT_HEADS = ("bao cao", "ban hanh", "bo sung", "bo tri", "so hoa", "so luong", "so lieu", "hoi nhap",
              "truong hop", "dai hoi", "co quan tam", "quy dinh", "quy trinh", "quy hoach", "doan ket",
              "phong trao", "phong chong", "cuc bo", "vien chuc", "don vi tinh", "truong trinh",
              "so huu", "hoi nghi", "hoi thao", "phong ngua", "bo may", "bo tieu chi", "bo chi so", "quy dat",
              "so sanh", "bao dam", "bao ve", "bao tri", "truong ca", "dai dien", "doan tham", "quy che")  # fmt: skip
# Words after which a capitalised head still belongs to the sentence ("của UBND tỉnh", "và Sở …").
_TIE_WORDS = {"cua", "va", "cho", "voi", "theo", "tai", "tu", "cac", "thuoc", "den", "do", "la", "giua",
              "tren", "duoi", "trong", "ngoai", "ca", "nhu", "hoac", "cung", "nhung", "mot", "moi"}  # fmt: skip
_SEPARATOR_END = (",", ";", "&", "-", "và", "va", "Và", "(")
_TIE_WORDS_VI = {"của", "và", "cho", "với", "theo", "tại", "từ", "các", "thuộc", "đến", "do", "là", "giữa", "trên",
                 "dưới", "trong", "ngoài", "cả", "như", "hoặc", "cùng", "những", "một", "mỗi"}  # fmt: skip


def _is_tie(word: str) -> bool:
    """A word that ties what follows to the sentence ("của", "và", "tại"). With diacritics it is
    compared as printed ("tử", "tư" are not "từ"); OCR text without them, accent-free."""
    core = word.strip(".,;:()“”\"'")
    if strip_accents(core) != core:
        return nfc(core.casefold()) in _TIE_WORDS_VI
    return _fold(core) in _TIE_WORDS


def _fold(word: str) -> str:
    return strip_accents(word.casefold()).strip(".,;:()“”\"'")


# One-word heads whose accent-free form is shared with common words: with diacritics printed,
# only this spelling is the head.
_HEAD_AS_PRINTED = {"so": "sở", "bo": "bộ", "phong": "phòng", "cuc": "cục", "vien": "viện", "truong": "trường",
                    "hoi": "hội", "doan": "đoàn", "bao": "báo", "dai": "đài", "quy": "quỹ"}  # fmt: skip


def _head_at(words: list[str], i: int) -> str | None:
    """The agency head word that opens at words[i], if it is capitalised."""
    w = words[i].strip("“\"'(")
    if not w or not (w[0].isupper()):
        return None
    folded = " ".join(_fold(x) for x in words[i : i + 3])
    for neg in _NOT_HEADS:
        if folded == neg or folded.startswith(neg + " "):
            return None
    for h in _HEADS:
        if folded == h or folded.startswith(h + " ") or (folded.startswith(h) and len(h.split()) == 1 and _fold(words[i]) == h):
            printed = nfc(w.casefold()).strip(".,;:)")
            if h in _HEAD_AS_PRINTED and strip_accents(printed) != printed and printed != _HEAD_AS_PRINTED[h]:
                return None  # "Số người …" is not "Sở", "Trưởng" is not "Trường"
            return h
    return None


def _capitalised(word: str) -> bool:
    w = word.strip("“\"'(")
    return bool(w) and w[0].isupper()


def _lower_start(word: str) -> bool:
    w = word.strip("“\"'(")
    return bool(w) and w[0].islower()


_DEADLINE_VOCAB = ("thang", "thuong", "xuyen", "hang", "nam", "quy", "truoc", "ngay", "nhung", "tiep",
                   "theo", "dinh", "ky", "tu", "den", "va", "cac", "dau", "cuoi", "tro", "di", "moi", "giai",
                   "doan", "hoan", "thanh", "nhiem", "ky", "lien", "tuc")  # fmt: skip


def _is_abbreviation(word: str) -> bool:
    """"HĐND&UBND", "KKT", "PTTH", "KCN": all capitals (a name's part, not a new cell)."""
    core = word.strip("“\"'(.,;:)")
    letters = [c for c in core if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _norm_deadline_word(word: str) -> str:
    w = _fold(word)
    if not w or not w.isalpha() or w in _DEADLINE_VOCAB:
        return w or word
    best = process.extractOne(w, _DEADLINE_VOCAB, scorer=fuzz.ratio)
    if best and best[1] >= 60 and best[0][0] == w[0]:
        return best[0]
    return w


def _deadline_like(words: list[str]) -> bool:
    if not words:
        return False
    normed = [_norm_deadline_word(w) if not re.search(r"\d", w) else w.strip(".,;") for w in words]
    for i in range(len(normed) - 1):
        if normed[i + 1] == "xuyen":
            normed[i] = "thuong"  # OCR: "Thirbng xuyen", "Tlnrong xuyen"
    text = " ".join(normed)
    return parse_deadline(text).value.kind not in (DeadlineKind.UNKNOWN, DeadlineKind.BLANK)


def _split_deadline(words: list[str], starts: set[int]) -> int:
    """Index where the deadline at the end of a row starts (len(words) when there is none)."""
    n = len(words)
    best = n
    for k in range(max(0, n - 8), n):
        if _deadline_like(words[k:]):
            # The deadline opens a cell: a capital, a digit or a new line.
            if k in starts or _capitalised(words[k]) or words[k][0].isdigit():
                best = k
                break
    return best


def _name_end(words: list[str], starts: set[int], line_end_period: set[int], limit: int, start: int = 0) -> int:
    """Where the name cell ends: at the first capitalised agency head not tied to the sentence,
    or at a capitalised line start after a line that ends a sentence."""
    for i in range(start + 1, limit):
        prev = _fold(words[i - 1])
        ends_sentence = words[i - 1].endswith((".", ":"))
        if not ends_sentence and (_is_tie(words[i - 1]) or words[i - 1].endswith(_SEPARATOR_END)):
            continue
        if _head_at(words, i):
            return i
        if i in starts and i in line_end_period and _capitalised(words[i]):
            return i
    return limit


# What follows a head word in the names of departments and offices (accent-free): a name that
# is complete here ends its cell before a capitalised word ("Sở Công Thương | Quyết định …"),
# one that is a prefix goes on across a line break ("Sở Văn hóa, Thể ⏎ thao …").
_DEPARTMENTS = (
    "cong thuong", "tai chinh", "noi vu", "tu phap", "y te", "xay dung", "khoa hoc va cong nghe",
    "giao duc va dao tao", "nong nghiep va moi truong", "nong nghiep va phat trien nong thon",
    "tai nguyen va moi truong", "van hoa the thao va du lich", "van hoa va the thao",
    "van hoa khoa hoc va thong tin", "ngoai vu", "dan toc va ton giao", "dan toc",
    "lao dong thuong binh va xa hoi", "ke hoach va dau tu", "thong tin va truyen thong",
    "giao thong van tai", "kinh te", "kinh te ha tang", "kinh te ha tang va do thi",
    "quan ly do thi", "van hoa thong tin", "van hoa va thong tin", "giao duc", "thanh tra", "cong an",
    "phat thanh truyen hinh", "quan su", "bien phong", "thue", "thong ke", "kho bac nha nuoc",
)  # fmt: skip
# After a dash these go on with the name ("Tài chính - Kế hoạch", "Phát thanh - Truyền hình").
_DASH_GOES_ON = ("ke hoach", "thuong binh", "truyen hinh", "ha tang", "do thi", "xa hoi", "the thao", "du lich",
                 "thong tin", "truyen thong", "dan toc", "ton giao", "moi truong", "hanh chinh", "tong hop")  # fmt: skip


def _name_key(words: list[str]) -> str:
    """The accent-free key of an agency's words without its head ("Sở Công Thương" → "cong thuong")."""
    key = " ".join(k for k in (_fold(w) for w in words) if k and k not in {"-", "–", "&"})
    for h in _HEADS:
        if key == h or key.startswith(h + " "):
            return key[len(h) :].strip()
    return key


def _complete(words: list[str]) -> bool:
    key = _name_key(words)
    return key in _DEPARTMENTS or collective_kind(" ".join(words)) is not None


def _department_prefix(words: list[str]) -> bool:
    key = _name_key(words)
    return bool(key) and any(d == key or d.startswith(key + " ") for d in _DEPARTMENTS)


def _agency_end(words: list[str], i: int, limit: int) -> int:
    """Where the agency cell opening at words[i] ends: before a capitalised word that follows a
    lower-case word with no separator (a new cell), unless tied ("và Công nghệ") or still
    spelling a department's name; after a complete name at any capital; at a deadline."""
    j = i + 1
    while j < limit:
        prev, word = words[j - 1], words[j]
        if word in {"-", "–"}:
            nxt = " ".join(_fold(w) for w in words[j + 1 : j + 3])
            if any(nxt == d or nxt.startswith(d + " ") for d in _DASH_GOES_ON):
                j += 2
                continue
            return j
        if word[:1].isdigit() and _deadline_prefix(words, j, limit) > j:
            return j
        if " ".join(_fold(w) for w in words[i:j]) in _NAMED_HEADS:
            j += 1  # "Văn phòng" | "UBND tỉnh": a bare head takes the name after it
            continue
        if _is_abbreviation(word) and not prev.endswith(".") and not _head_at(words, j):
            j += 1
            continue
        if _capitalised(word) and not prev.endswith(_SEPARATOR_END) and not _is_tie(prev):
            if _name_key(words[i:j]) and _department_prefix(words[i : j + 1]) and not _head_at(words, j):
                j += 1
                continue
            prev_core = prev.strip("“\"'(.,;:")
            prev_is_lower = bool(prev_core) and prev_core[0].islower()
            if _head_at(words, j) or prev_is_lower or prev.endswith(".") or _complete(words[i:j]):
                return j
        j += 1
    return limit


_AGENCY_ROLES = ("lead", "coordinating")
_DASHES = {"-", "–", "—"}


def _deadline_prefix(words: list[str], pos: int, end: int) -> int:
    """End of the longest deadline opening at words[pos] (pos when none does)."""
    for m in range(min(8, end - pos), 0, -1):
        if _deadline_like(words[pos : pos + m]):
            return pos + m
    return pos


def _deadline_start(words: list[str], starts: set[int], pos: int, end: int) -> int:
    """The first place after pos where a deadline opens (a new line, a capital or a digit)."""
    for k in range(pos + 1, end):
        if (k in starts or _capitalised(words[k]) or words[k][:1].isdigit()) and _deadline_prefix(words, k, end) > k:
            return k
    return end


def _sentence_end(starts: set[int], periods: set[int], words: list[str], pos: int, end: int) -> int:
    for k in range(pos + 1, end):
        if k in starts and k in periods and _capitalised(words[k]):
            return k
    return end


# Words after which a capital opens a name, not a new cell: "của ⏎ Chính phủ", "tỉnh ⏎ Quảng Ngãi".
_NAME_BEFORE = {"ve", "so", "vao", "ngay", "nam", "thang", "nguoi", "tinh", "huyen", "xa", "phuong", "pho", "quyet",
                "nghi", "ke", "de", "chuong", "hoach", "dinh", "an"}  # fmt: skip


def _capital_line_start(words: list[str], starts: set[int], pos: int, end: int) -> int:
    """The first line after pos that opens with a capital not tied to the line before (a new
    cell of free text: "… của Chính phủ ⏎ Ban hành kế hoạch …"); end when there is none."""
    line_starts = sorted(k for k in starts if pos <= k < end)
    lengths: list[int] = []  # lengths of this cell's lines so far
    for a, b in zip([pos, *line_starts], [*line_starts, end]):
        if b <= a:
            continue
        k = b
        lengths.append(len(" ".join(words[a:b])))
        if k >= end or not _capitalised(words[k]) or _is_abbreviation(words[k]):
            continue
        prev = words[k - 1]
        if _is_tie(prev) or _fold(prev) in _NAME_BEFORE or prev.endswith((",", ";", "-", "–", "/")):
            continue
        # A cell's lines run to its width; the line before a new cell is its last, mostly shorter.
        if len(lengths) >= 2 and lengths[-1] > 0.8 * max(lengths[:-1]):
            continue
        return k
    return end


def _free_split(words: list[str], starts: set[int], pos: int, limit: int) -> int:
    """Where the second of two free texts opens, before `limit`: after the last sentence end,
    else at the last capitalised line start, else at the last capital after a lower-case word."""
    for k in range(limit - 1, pos, -1):
        if words[k - 1].endswith(".") and not words[k - 1].endswith("...") and _capitalised(words[k]):
            return k
    for k in range(limit - 1, pos, -1):
        if k in starts and _capitalised(words[k]) and not _is_tie(words[k - 1]):
            return k
    for k in range(limit - 1, pos, -1):
        if _capitalised(words[k]) and _lower_start(words[k - 1]) and not _is_tie(words[k - 1]):
            return k
    return limit


def _split_cells(words: list[str], starts: set[int], periods: set[int], roles: list[str]) -> dict[str, str | None]:
    """Cut one row's words into its cells, column after column in heading order: each cell
    ends where the next column's kind of cell can open (an agency head, a deadline, a sentence)."""
    cells: dict[str, str | None] = {r: None for r in roles}
    n = len(words)
    end = n
    order = list(roles)
    if order and order[-1] == "deadline":
        # The last cell of a row is the surest: read it first, from the end.
        end = _split_deadline(words, starts)
        if end < n:
            cells["deadline"] = " ".join(words[end:])
        order = order[:-1]
    last_agency = max((i for i, r in enumerate(order) if r in _AGENCY_ROLES), default=-1)
    pos = 0
    for idx, role in enumerate(order):
        if pos >= end:
            break
        nxt = order[idx + 1] if idx + 1 < len(order) else None
        prev = order[idx - 1] if idx else None
        if role in _AGENCY_ROLES:
            if words[pos] in _DASHES:
                cells[role] = words[pos]
                pos += 1
                continue
            if prev is not None and prev != "name" and not _head_at(words, pos):
                continue  # what follows is not an agency: this cell is blank
            stop = _agency_end(words, pos, end)
            if idx == last_agency:
                # The last agency cell may hold several names run together.
                while stop < end and _head_at(words, stop) and not words[stop - 1].endswith("."):
                    stop = _agency_end(words, stop, end)
            if nxt == "deadline":
                stop = min(stop, _deadline_start(words, starts, pos, end))
            if nxt is None:
                stop = end
        elif role == "deadline":
            stop = end if nxt is None else _deadline_prefix(words, pos, end)
        elif nxt is None:
            stop = end
        elif nxt in ("result", "name") and any(r in _AGENCY_ROLES for r in order[idx + 1 :]):
            # Two free texts before the agencies: cut them apart before the first agency.
            head = _name_end(words, starts, periods, end, pos)
            stop = _free_split(words, starts, pos, head)
        elif nxt in _AGENCY_ROLES:
            stop = _name_end(words, starts, periods, end, pos)
        elif nxt == "deadline":
            stop = _deadline_start(words, starts, pos, end)
        else:
            stop = _sentence_end(starts, periods, words, pos, end)
            if stop == end:
                stop = _capital_line_start(words, starts, pos, end)
        cells[role] = " ".join(words[pos:stop]) or None
        pos = stop
    if pos < end:
        filled = [r for r in order if cells.get(r)] or order[:1] or ["name"]
        cells[filled[-1]] = collapse_ws(f"{cells.get(filled[-1]) or ''} {' '.join(words[pos:end])}")
    return cells


_LINE_FREE_ROLES = ("name", "result", "note", "budget")
# Words at a line's end after which a capitalised line is a place's name going on ("thôn ⏎ Phú Mỹ").
_PLACE_BEFORE = {"tinh", "huyen", "xa", "phuong", "thon", "quan", "pho", "to", "ban", "ap", "lang", "nam"}


def _opens_agency(text: str) -> bool:
    words = text.split()
    if not words or not _capitalised(words[0]):
        return False
    folded = " ".join(_fold(w) for w in words[:3])
    if any(folded == neg or folded.startswith(neg + " ") for neg in _NOT_HEADS):
        return False
    if starts_agency_name(text):
        return True
    # The lib's heads are accented; the table's own heads also read OCR text without diacritics.
    return strip_accents(text) == text and _head_at(words, 0) is not None




def _tied_to_next(line: str) -> bool:
    last = line.split()[-1] if line.split() else ""
    if line.rstrip().endswith((",", ";", "&", "-", "–", "/", "(")):
        return True
    return _is_tie(last)


def _place_goes_on(prev: str, line: str) -> bool:
    """A short line in title case that finishes a name: a place after "tỉnh", "thôn" (“thôn ⏎
    Phú Mỹ”) or a proper name going on (“Viettel ⏎ Quảng Ngãi”)."""
    words, before = line.split(), prev.split()
    if not before or not words or not words[0][:1].isalpha() or len(words) > 4:
        return False
    last = before[-1].strip(",;.")
    return ((_fold(last) in _PLACE_BEFORE or _capitalised(last))
            and all(_capitalised(w) or not w[:1].isalpha() for w in words) and not _opens_agency(line))


def _deadline_lines(lines: list[str], k: int, end: int) -> int:
    """How many lines (2 or 1) from lines[k] read as one deadline ("Quý III/" ⏎ "2025"), else 0."""
    for size in (2, 1):
        if k + size <= end and _deadline_like(" ".join(lines[k : k + size]).split()):
            return size
    return 0


def _line_cells(lines: list[str], roles: list[str]) -> dict[str, str | None] | None:
    """Cells of a row whose every cell opens a line of its own (text copied out of a PDF whose
    heading cells stand on lines of their own): the deadline is the last lines that read as one,
    an agency cell is the lines from one opening with an agency head (going on over lines that
    open in lower case, follow a comma or finish a place's name), a free-text cell runs to the
    next line opening an agency. None when the columns' order is one this cannot cut."""
    if not set(roles) <= {"name", "lead", "coordinating", "result", "deadline"}:
        return None  # a report's columns or a budget: cut by words instead
    cells: dict[str, str | None] = {r: None for r in roles}
    order = list(roles)
    n = len(lines)
    if order and order[-1] == "deadline":
        for k in (2, 1):
            if n - k >= 1 and _deadline_like(" ".join(lines[n - k :]).split()):
                cells["deadline"] = collapse_ws(" ".join(lines[n - k :]))
                n -= k
                break
        order = order[:-1]
    for a, b in zip(order, order[1:]):
        if a in _LINE_FREE_ROLES and b in _LINE_FREE_ROLES:
            return None
    pos = 0
    for idx, role in enumerate(order):
        if pos >= n:
            break
        nxt_roles = order[idx + 1 :]
        if role in _AGENCY_ROLES:
            if lines[pos].strip() in _DASHES:
                cells[role] = lines[pos].strip()
                pos += 1
                continue
            if not _opens_agency(lines[pos]):
                continue  # a blank agency cell: the line belongs to the next column
            last_agency = not any(r in _AGENCY_ROLES for r in nxt_roles)
            stop = pos + 1
            while stop < n:
                line, prev = lines[stop], lines[stop - 1]
                if not nxt_roles:
                    stop = n
                    break
                if line.strip() in _DASHES:
                    break  # the next agency cell, printed blank
                if _lower_start(line) or _tied_to_next(prev) or _place_goes_on(prev, line):
                    stop += 1
                elif last_agency and _opens_agency(line) and nxt_roles != ["deadline"]:
                    stop += 1
                else:
                    break
        elif role == "deadline":
            size = _deadline_lines(lines, pos, n)
            if not size:
                continue  # no deadline here: a blank cell
            stop = pos + size
        elif not nxt_roles:
            stop = n
        elif nxt_roles[0] == "deadline":
            stop = next((k for k in range(pos + 1, n) if _deadline_lines(lines, k, n)), n)
        elif any(r in _AGENCY_ROLES for r in nxt_roles[:1]):
            stop = pos + 1
            while stop < n and not (lines[stop].strip() in _DASHES or _opens_agency(lines[stop])
                                    and not _tied_to_next(lines[stop - 1])):
                stop += 1
            if stop >= n:
                # No agency printed after it: cut before the last capitalised line start.
                stop = next((k for k in range(n - 1, pos, -1) if _capitalised(lines[k].split()[0])
                             and not _tied_to_next(lines[k - 1])), n)
        else:
            stop = n
        cells[role] = collapse_ws(" ".join(lines[pos:stop])) or None
        pos = stop
    if pos < n:
        filled = [r for r in order if cells.get(r)] or order[:1] or ["name"]
        cells[filled[-1]] = collapse_ws(f"{cells.get(filled[-1]) or ''} {' '.join(lines[pos:n])}")
    return cells


def _words_of(lines: list[_Line]) -> tuple[list[str], set[int], set[int]]:
    """Words of some lines, the indexes that open a line, and those that open a line after a
    line ending a sentence."""
    words: list[str] = []
    starts: set[int] = set()
    periods: set[int] = set()
    prev_end = ""
    for line in lines:
        ws = line.text.split()
        if not ws:
            continue
        if words and re.search(r"[A-ZĐ0-9][-/]$", words[-1]) and re.match(r"[A-ZĐ0-9]", ws[0]):
            words[-1] += ws.pop(0)  # "QĐ-" ⏎ "UBND": a document number wrapped at its hyphen
            if not ws:
                continue
        starts.add(len(words))
        if prev_end.endswith((".", ":")) and not prev_end.endswith("..."):
            periods.add(len(words))
        words.extend(ws)
        prev_end = ws[-1]
    return words, starts, periods


_UNCODED_GROUP = re.compile(r"^nh\w{1,3}m (?:cac )?nhi\w{1,3}m vu\b")
_LEAD_CODE = re.compile(r"^(?P<code>\d{1,3}\.\d{1,2}\.?|\d{1,3}[.)]?|[IVX]{1,5}\.?|\(\d{1,2}\))(?:\s+(?P<rest>.*))?$")


def _text_items(roles: list[str | None], body: list[_Line]) -> list[_Item]:
    """Cut the lines of a text table into rows at their TT codes, then each row into cells."""
    cell_roles = [r for r in roles if r and r != "code"]
    chunks: list[tuple[str | None, Place, list[_Line], bool, bool]] = []
    last_task, last_group, last_sub = 0, 0, 0
    current: list[_Line] = []
    code: str | None = None
    place = body[0].place if body else Place()
    continuation = False
    heading = False  # the chunk is a group heading

    def flush():
        if code is not None or current:
            chunks.append((code, place, list(current), continuation, heading or (
                code is not None and classify_code(code).kind == "group")))

    for line in body:
        in_group = heading or (code is not None and classify_code(code).kind == "group")
        if _UNCODED_GROUP.match(_key(line.text)) and line.text[:1].isupper() and not (in_group and not current):
            # "Nhóm nhiệm vụ …" printed without a number: a group of its own.
            flush()
            code, place, current, continuation, heading = None, line.place, [line], False, True
            continue
        m = _LEAD_CODE.match(line.text)
        new_code = None
        if m:
            c = classify_code(m["code"])
            rest = m["rest"] or ""
            if c.kind == "group" and c.number and last_group < c.number <= last_group + 2 and (not rest or _capitalised(rest) or rest[0] in "“\""):
                new_code = c
            elif c.kind == "task" and c.number and (c.number == last_task + 1 or c.number == 1 and last_group and not rest[:1].isdigit()):
                if not rest or _capitalised(rest):
                    new_code = c
            elif c.kind == "sub" and c.number == last_sub + 1 and last_task and (
                    "." not in (c.code or "") or c.code.split(".")[0] == str(last_task)):
                new_code = c
        if new_code is None and line.after_header and code is not None:
            # A row running over a page break continues after the repeated heading.
            flush()
            code, place, current, continuation, heading = None, line.place, [line], True, False
            continue
        if new_code is None:
            current.append(line)
            continue
        flush()
        code, place, continuation, heading = m["code"], line.place, False, False
        current = [_Line(m["rest"], line.place)] if m["rest"] else []
        if new_code.kind == "group":
            last_group = new_code.number or last_group
        elif new_code.kind == "task":
            last_task, last_sub = new_code.number or last_task, 0
        else:
            last_sub = new_code.number or last_sub
    flush()

    items: list[_Item] = []
    previous: dict[str, str | None] | None = None
    for code, place, lines, cont, is_group in chunks:
        if is_group:
            items.append(_Item(code=code, cells={"name": collapse_ws(" ".join(l.text for l in lines)) or None}, place=place))
            continue
        if cont and previous is not None:
            cells = _continuation_cells(lines, cell_roles, previous)
            items.append(_Item(code=None, cells=cells, place=place, continuation=True, columns=frozenset(cell_roles)))
            continue
        cells = None
        if lines and lines[0].cell_lines:
            cells = _line_cells(_joined_lines(lines), cell_roles)
        if cells is None:
            words, starts, periods = _words_of(lines)
            cells = _split_cells(words, starts, periods, cell_roles)
        previous = dict(cells)
        items.append(_Item(code=code, cells=cells, place=place, columns=frozenset(cell_roles)))
    return items


def _joined_lines(lines: list[_Line]) -> list[str]:
    """Line texts, a document number wrapped at its hyphen or slash joined ("QĐ-" ⏎ "UBND")."""
    out: list[str] = []
    for line in lines:
        text = collapse_ws(line.text)
        if not text:
            continue
        if out and re.search(r"[A-ZĐ0-9][-/]$", out[-1]) and re.match(r"[A-ZĐ0-9]", text):
            out[-1] += text
        else:
            out.append(text)
    return out


def _unfinished(role: str, text: str | None) -> bool:
    if not text:
        return False
    if role in ("lead", "coordinating"):
        return text.rstrip().endswith((",", ";", "&", " và", " va"))
    return not text.rstrip().endswith((".", "”", ")", '"')) and not _deadline_like(text.split())


def _continuation_cells(lines: list[_Line], roles: list[str], previous: dict[str, str | None]) -> dict[str, str | None]:
    """Lines that continue a row after a page break: one piece per cell that was left
    unfinished, cut where a line ends a sentence."""
    pieces: list[list[str]] = [[]]
    for line in lines:
        pieces[-1].append(line.text)
        if line.text.rstrip().endswith(".") and not line.text.rstrip().endswith("..."):
            pieces.append([])
    pieces = [p for p in pieces if p]
    open_roles = [r for r in roles if r != "deadline" and _unfinished(r, previous.get(r))] or roles[:1]
    cells: dict[str, str | None] = {r: None for r in roles}
    for role, piece in zip(open_roles, pieces):
        cells[role] = collapse_ws(" ".join(piece))
    if len(pieces) > len(open_roles):
        last = open_roles[-1]
        cells[last] = collapse_ws(" ".join([cells[last] or ""] + [" ".join(p) for p in pieces[len(open_roles):]]))
    for role, text in cells.items():
        if text:
            previous[role] = f"{previous.get(role) or ''} {text}"
    return cells


# --- entry point ---------------------------------------------------------------------------------


def parse(doc: SourceDoc) -> dict | None:
    """Groups and task rows of every task table in the document, None when it has none."""
    items: list[_Item] = []
    flags: list[dict] = []
    last_roles: list[str | None] | None = None
    section: str | None = None  # the section the last table holding indicators and tasks ended in
    for block in doc.blocks:
        if not isinstance(block, Table) or not block.rows:
            continue
        same_width = last_roles is not None and len(last_roles) == len(block.rows[0])
        kinds = [section_kind([c.text for c in row]) for row in block.rows]
        found = find_header(block)
        # A page of a table holding indicators and tasks ("A. CHỈ TIÊU" / "B. NHIỆM VỤ"): the
        # table itself has an indicator section row (and a task one, or an indicator heading),
        # or it goes on from such a table (no heading of its own, or its task section opens).
        carried = section if (found is None and same_width) or ("tasks" in kinds and section == "indicators") else None
        # A plain task table going on over a page whose group row reads "III. CÁC CHỈ TIÊU …"
        # stays a task table.
        goes_on = found is None and same_width and section is None and not any(
            _indicator_heading([c.text for c in row]) and len({c.text for c in row if c.text.strip()}) >= 3
            for row in block.rows[:3])
        if "indicators" in kinds and ("tasks" in kinds or found is None and not goes_on) or carried:
            found_items, roles, section = _section_items(block, kinds, last_roles if same_width else None, carried)
            last_roles = roles if section == "tasks" or roles is not None and len(roles) == len(block.rows[0]) else None
            items.extend(found_items)  # only the rows under the task section
            continue
        section = None
        if found is not None and REPORT_ROLES & set(found[1]):
            last_roles = None  # a progress report's table (reports.parse reads it)
            continue
        if found is not None:
            idx, roles = found
            last_roles = roles
            items.extend(table_items(block, roles, idx + 1))
        elif last_roles is not None and len(block.rows[0]) == len(last_roles):
            # The same table continued on the next page without its heading.
            items.extend(table_items(block, last_roles, 0))
    if not items:
        paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
        for roles, body in _text_tables(paragraphs):
            items.extend(_text_items(roles, body))
            flags.append(Flag("table", "Bảng nhiệm vụ dựng lại từ văn bản thuần (mỗi dòng một dòng in): cần soát lại ranh giới các ô",
                              body[0].place if body else Place(), "info").to_dict())
    if not items:
        return None
    out = build(items)
    if not out["rows"]:
        return None
    out["flags"] = flags + out["flags"]
    return out
