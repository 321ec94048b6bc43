"""Header → column roles for Table blocks (indicator, task and report tables).

A table's header may take 1–3 rows, with a spanning cell ("Kết quả", "Mục tiêu") over year
columns ("Đến hết năm 2025", "Đến năm 2030"). `find_header` finds where the header ends and
`detect_columns` gives each column one role from ROLES.

ROLES is the one table to extend: (role, patterns) in priority order; a pattern is a regular
expression matched with re.search on the accent-free, lower-case header text of a column (all
header rows of that column joined top-down). The first role that matches wins, and a role can
hold several columns only when it is listed in MULTI_ROLES. Year columns are found apart: any
header holding a year (19xx/20xx) under no other role is a "year" column with its year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planwatch.lib.text import collapse_ws, search_key

# (role, patterns). Order matters: "co quan chu tri" must win over "chu tri" of a task table,
# "ten chi tieu" over a bare "chi tieu" target column.
ROLES: list[tuple[str, tuple[str, ...]]] = [
    ("code", (r"^(?:so )?(?:stt|tt)$", r"^so thu tu$", r"^ma(?: so| chi tieu)?$", r"^(?:stt|tt)\b")),
    ("name", (r"\bten chi tieu\b", r"^(?:cac )?chi tieu$", r"^noi dung(?: chi tieu)?$", r"\bten (?:nhom )?chi tieu\b",
              r"^(?:cac |nhom )?chi tieu(?: cu the| chu yeu| chinh)?$", r"^ten$")),
    ("unit", (r"^don vi(?: tinh| do)?$", r"^dvt$", r"^don vi tinh\b")),
    ("agency", (r"\bco quan\b.*\b(?:chu tri|theo doi|phu trach|thuc hien)\b",
                r"\bdon vi\b.*\b(?:chu tri|theo doi|phu trach|thuc hien)\b",
                r"^(?:chu tri|phu trach)(?: theo doi)?\b", r"\btheo doi,? danh gia\b")),
    ("note", (r"^ghi chu$",)),
    # Figures already reached ("Thực hiện năm 2020", "Ước đạt 2024", "Hiện trạng"): not targets.
    ("baseline", (r"^(?:uoc )?(?:thuc hien|uoc dat|uoc thuc hien|hien trang|hien nay|nam goc|so lieu co so|da dat)\b",
                  r"\b(?:thuc hien|uoc dat|hien trang) (?:nam|den|giai doan)\b")),
    # A single target column (the year comes from section rows such as "Đến năm 2030").
    ("target", (r"^(?:chi tieu|muc tieu|ket qua|ke hoach)(?: (?:ke hoach|phan dau|can dat duoc|can dat|dat duoc|dat ra|de ra|den))*$",
                r"^gia tri(?: chi tieu| muc tieu)?$", r"^chi tieu phan dau$")),
]  # fmt: skip
MULTI_ROLES = {"year", "target"}

YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# Rows that only number the columns: "(1) (2) (3)", "1 2 3 4", "A B C".
_NUMBERING_CELL = re.compile(r"^\(?(?:\d{1,2}|[a-z])\)?(?:\s*=.*)?$")


@dataclass
class Columns:
    """Column index per role; `years` maps a column index to its milestone year."""

    roles: dict[int, str] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)
    headers: dict[int, str] = field(default_factory=dict)  # joined header text as printed

    def first(self, role: str) -> int | None:
        cols = self.all(role)
        return cols[0] if cols else None

    def all(self, role: str) -> list[int]:
        return sorted(i for i, r in self.roles.items() if r == role)

    @property
    def milestones(self) -> list[int]:
        return [self.years[i] for i in sorted(self.years)]

    def has(self, *roles: str) -> bool:
        return all(r in self.roles.values() for r in roles)


def header_key(text: str) -> str:
    """Accent-free, lower-case, punctuation-light key of a header text."""
    key = search_key(text)
    key = re.sub(r"[():;*]", " ", key)
    return collapse_ws(key.strip(" ,."))


def roles_of(text: str, roles: list[tuple[str, tuple[str, ...]]] | None = None) -> list[str]:
    """Every role of ROLES whose patterns match a header text, in priority order."""
    key = header_key(text)
    if not key:
        return []
    return [role for role, patterns in roles or ROLES if any(re.search(p, key) for p in patterns)]


def role_of(text: str, roles: list[tuple[str, tuple[str, ...]]] | None = None) -> str | None:
    """The first role of ROLES whose pattern matches a header text, or None."""
    found = roles_of(text, roles)
    return found[0] if found else None


def year_of(text: str) -> int | None:
    years = YEAR_RE.findall(text)
    return int(years[-1]) if years else None


def is_numbering_row(cells: list[str]) -> bool:
    """A row under the header that only numbers the columns: "(1) (2) (3) ..."."""
    filled = [header_key(c) for c in cells if collapse_ws(c)]
    return len(filled) >= 2 and all(_NUMBERING_CELL.match(c) for c in filled)


def _joined(header_rows: list[list[str]], col: int) -> str:
    parts: list[str] = []
    for row in header_rows:
        if col < len(row):
            text = collapse_ws(row[col])
            if text and (not parts or parts[-1] != text):  # merged cells repeat their text
                parts.append(text)
    return " ".join(parts)


def detect_columns(
    header_rows: list[list[str]], roles: list[tuple[str, tuple[str, ...]]] | None = None
) -> Columns:
    """Roles of the columns of a table whose header is `header_rows` (texts, top to bottom).

    Each column is read by its deepest header cell first ("Đến năm 2030" under "Kết quả"), then
    by the whole joined text, so a spanning "Kết quả" does not hide the years below it.
    """
    width = max((len(r) for r in header_rows), default=0)
    cols = Columns()
    for j in range(width):
        joined = _joined(header_rows, j)
        cols.headers[j] = joined
        deepest = next((collapse_ws(r[j]) for r in reversed(header_rows) if j < len(r) and collapse_ws(r[j])), "")
        year = year_of(deepest) or year_of(joined)
        # The deepest cell speaks first: "2023" under "Lộ trình thực hiện / Giai đoạn 2021-2025"
        # is a year column whatever the spanning cells above say.
        candidates = roles_of(deepest, roles) if year_of(deepest) else (
            roles_of(deepest, roles) or roles_of(joined, roles))
        if year is not None:
            # "Chỉ tiêu đến năm 2030", "Kết quả / Đến năm 2030": a year column.
            candidates = [r for r in candidates if r not in ("target", "name")]
            kept = ("code", "unit", "agency", "baseline")
            candidates = candidates[:1] if candidates and candidates[0] in kept else ["year"]
        role = next((r for r in candidates if r in MULTI_ROLES or r not in cols.roles.values()), None)
        if role is None:
            continue
        cols.roles[j] = role
        if role == "year" and year is not None:
            cols.years[j] = year
    return cols


def looks_like_header(cells: list[str], roles: list[tuple[str, tuple[str, ...]]] | None = None) -> bool:
    """Whether a row reads as (part of) a header: two cells with a role, or a role and years."""
    hits = sum(1 for c in cells if collapse_ws(c) and (role_of(c, roles) or year_of(c)))
    filled = sum(1 for c in cells if collapse_ws(c))
    return hits >= 2 or (hits >= 1 and filled <= 2 and any(role_of(c, roles) for c in cells))


def find_header(
    rows: list[list[str]], roles: list[tuple[str, tuple[str, ...]]] | None = None, max_rows: int = 4
) -> tuple[int, Columns] | None:
    """(number of header rows including a numbering row, Columns) or None when the first rows
    do not read as a header. The header ends at the first row that does not look like one."""
    count = 0
    skipped = 0  # title rows spanning the whole table above the header
    for row in rows[:max_rows + 1]:
        if is_spanning_row(row):
            text = " ".join(row)
            if count == 0 and (not year_of(text) or _TITLE_WORDS.search(header_key(text))):
                skipped += 1
                count += 1
                continue
            break  # a section row ("Đến năm 2030") starts the body
        if looks_like_header(row, roles) or (count > skipped and _only_years_or_spans(row)):
            count += 1
        else:
            break
    if count == skipped:
        return None
    cols = detect_columns(rows[skipped:count], roles)
    if count < len(rows) and is_numbering_row(rows[count]):
        count += 1
    return count, cols


# A title row inside the table ("DANH MỤC CHỈ TIÊU ĐẾN NĂM 2030"), not a section row.
_TITLE_WORDS = re.compile(r"\b(?:danh muc|phu luc|bieu|bang|ke hoach|he thong chi tieu|cac chi tieu)\b")
_CODE_CELL = re.compile(r"^(?:[IVXLC]+|[A-Za-z]|\d{1,3}(?:\.\d{1,3})*)[.)]?$")


def spanning_text(cells: list[str]) -> str | None:
    """The one text of a row merged across the table ("Đến năm 2030"), a code cell before it
    allowed ("A | Mục tiêu đến năm 2030 | …"); None for an ordinary row."""
    filled = [collapse_ws(c) for c in cells if collapse_ws(c)]
    if filled and _CODE_CELL.match(filled[0]) and len(filled) > 1:
        filled = filled[1:]
    distinct = list(dict.fromkeys(filled))
    return distinct[0] if len(distinct) == 1 else None


def is_spanning_row(cells: list[str]) -> bool:
    """A row of a table 3+ columns wide holding one text (a title, a section, a group name)."""
    return len(cells) >= 3 and spanning_text(cells) is not None


def _only_years_or_spans(cells: list[str]) -> bool:
    """A lower header row: only years or short words ("năm", "2030"), no data."""
    filled = [collapse_ws(c) for c in cells if collapse_ws(c)]
    if not filled or not any(year_of(c) for c in filled):
        return False
    return all(year_of(c) or (len(c) <= 25 and not _CODE_CELL.match(c)) for c in filled)


# --- section rows of a table holding indicators and tasks ------------------------------------
# "A. CHỈ TIÊU" / "B. NHIỆM VỤ", "Phần I: Các chỉ tiêu" / "Phần II: Nhiệm vụ, giải pháp": one
# table with an indicator part and a task part. The code style ("letter", "roman", "phan",
# "arabic", "none") tells the section rows from the groups inside a part ("I. Chỉ tiêu kinh tế").
_SECTION_CODE = re.compile(
    r"^(?:(?P<phan>phan|muc)\s+(?:[ivxlc]+|\d{1,2}|thu (?:nhat|hai|ba|tu))|(?P<roman>[ivxl]{1,6})|(?P<letter>[a-h])|(?P<arabic>\d{1,2}))"
    r"\s*[.):\-–]?\s+(?P<rest>.+)$")
_TASK_SECTION = re.compile(
    r"^(?:cac |nhom |mot so |danh muc (?:cac )?)?(?:nhiem vu|giai phap)(?:,? (?:nhiem vu|giai phap))?"
    r"(?: (?:chu yeu|trong tam|trong diem|cu the|chinh|thuc hien|va giai phap))*$")
_INDICATOR_SECTION = re.compile(
    r"^(?:cac |nhom |he thong |mot so |danh muc (?:cac )?)?(?:(?:muc tieu|chi tieu) )?(?:chi tieu|muc tieu)"
    r"(?: (?:chu yeu|cu the|chinh|phat trien|can dat|phan dau))*(?: (?:den|toi|giai doan|nam) .{0,30})?$")


def section_of(text: str, code: str | None = None) -> tuple[str, str] | None:
    """("tasks"|"indicators", code style) when a row's text is the heading of a task part or an
    indicator part of a mixed table ("B. NHIỆM VỤ", "Phần I. CÁC CHỈ TIÊU"); None otherwise.
    `code` is the code printed in a separate code cell, if any."""
    key = header_key(text or "")
    if code:
        key = header_key(code).rstrip(".)") + ". " + key
    style = "none"
    if m := _SECTION_CODE.match(key):
        style = next(k for k in ("phan", "roman", "letter", "arabic") if m[k])
        key = m["rest"].strip(" .-–")
    key = key.replace(" va ", ", ").replace(",", "")
    key = collapse_ws(key)
    if _TASK_SECTION.match(key):
        return "tasks", style
    if _INDICATOR_SECTION.match(key):
        return "indicators", style
    return None


_TOTAL_ROW = re.compile(r"^(?:tong cong|tong so|tong|cong|cong chung|tong toan tinh)$")


def is_total_label(text: str) -> bool:
    """"Tổng cộng" / "Tổng" / "Cộng": the label of a table's total row, not an item."""
    return bool(_TOTAL_ROW.match(header_key(text or "")))
