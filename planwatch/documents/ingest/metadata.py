"""Document data: number, date, issuer, kind, title, signer, and the documents it implements and
replaces.

Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP layout, and the party's own
layout) open with a header block: the issuing body in capitals ("ỦY BAN NHÂN DÂN / TỈNH QUẢNG
NGÃI", "ĐẢNG BỘ TỈNH … / ĐẢNG ỦY XÃ …"), "Số: 327/QĐ-UBND", "Quảng Ngãi, ngày 26 tháng 5 năm
2025", then the kind in capitals ("KẾ HOẠCH", "QUYẾT ĐỊNH") and the title, then an opening
sentence citing what it implements ("Thực hiện …", "Căn cứ …"). They end with a signature block
("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Lê Văn Thảo").

Everything is matched on an accent-free, lower-case fold of the same length as the text, so
diacritic-free OCR ("So: …/QD-UBND", "ngay … thang 5 nam 2025") reads like the original and
values are sliced from the printed text. Lines that match nothing (web-page menus, breadcrumbs,
cookie notices) are simply passed over. A value that is blank or garbled in print is None with
a flag, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from planwatch.lib.text import collapse_ws

from .model import Flag, Paragraph, Place, SourceDoc, Table

# --- text helpers shared by prose.py and footnotes.py -------------------------------------------


@dataclass(frozen=True)
class Line:
    text: str
    place: Place
    in_table: bool = False


# Markdown emphasis and heading marks a pasted or converted document may carry ("# ỦY BAN …",
# "**Số: 88/KH-UBND**", "## KẾ HOẠCH"): not part of the text.
_MARKUP = re.compile(r"^\s{0,3}#{1,6}\s+|\*\*")


def _unmark(text: str) -> str:
    return _MARKUP.sub("", text) if ("#" in text or "**" in text) else text


def doc_lines(doc: SourceDoc, *, tables: bool = False) -> list[Line]:
    """Every line of the running text in order (a paragraph with line breaks gives several
    lines). With `tables`, table cells come too, row by row (DOCX headers are tables)."""
    out: list[Line] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            for part in (block.text or "").split("\n"):
                out.append(Line(_unmark(part), block.place))
        elif tables and isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    for part in (cell.text or "").split("\n"):
                        out.append(Line(_unmark(part), cell.place, True))
    return out


class _FoldTable(dict):
    """str.translate table filled on first use of each character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in "đĐ":
            value = "d"
        else:
            base = unicodedata.normalize("NFD", ch)[0].lower()
            value = base if len(base) == 1 else ch
        self[code] = value
        return value


_FOLD = _FoldTable()


def fold(s: str) -> str:
    """Lower case without diacritics, one character for one (so spans map back to `s`)."""
    return s.translate(_FOLD)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def is_upper_line(text: str, ratio: float = 0.8) -> bool:
    """A line printed in capitals (OCR may lower a letter or two: "TiNH QUANG NGAI")."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= ratio


# --- vocabularies --------------------------------------------------------------------------------

# Accent-free kind phrase → canonical kind. Longer phrases first when matching.
KINDS = {
    "ke hoach": "Kế hoạch", "quyet dinh": "Quyết định", "bao cao": "Báo cáo",
    "nghi quyet": "Nghị quyết", "chuong trinh": "Chương trình", "cong van": "Công văn",
    "chi thi": "Chỉ thị", "thong bao": "Thông báo", "huong dan": "Hướng dẫn",
    "to trinh": "Tờ trình", "de an": "Đề án", "ket luan": "Kết luận", "thong tu": "Thông tư",
    "thong tu lien tich": "Thông tư liên tịch", "nghi dinh": "Nghị định", "luat": "Luật",
    "phap lenh": "Pháp lệnh", "quy che": "Quy chế", "quy dinh": "Quy định",
    "chien luoc": "Chiến lược", "cong dien": "Công điện", "phu luc": "Phụ lục",
    "van ban": "Văn bản", "quy hoach": "Quy hoạch", "du an": "Dự án",
}  # fmt: skip
# Codes inside document numbers ("327/QĐ-UBND", "359-KH/TU") → kind.
CODE_KINDS = {
    "nq": "Nghị quyết", "qd": "Quyết định", "kh": "Kế hoạch", "ct": "Chỉ thị",
    "tt": "Thông tư", "ttlt": "Thông tư liên tịch", "nd": "Nghị định", "kl": "Kết luận",
    "hd": "Hướng dẫn", "tb": "Thông báo", "ttr": "Tờ trình", "bc": "Báo cáo",
    "ctr": "Chương trình", "ctrhd": "Chương trình", "cd": "Công điện", "qc": "Quy chế",
    "da": "Đề án", "ql": "Quy định", "qdi": "Quy định",
}  # fmt: skip
_KIND_WORDS = "|".join(sorted((re.escape(k) for k in KINDS), key=len, reverse=True))
# Lines of the header that are not the issuer.
_NOT_ISSUER = re.compile(r"cong hoa xa hoi|doc lap|dang cong san viet nam|^\W*$")
# How an issuing body's name starts (accent-free).
_ORG_START = re.compile(
    r"^(?:uy ban|ubnd|hoi dong|hdnd|dang bo|dang uy|dang doan|ban can su|tinh uy|huyen uy|"
    r"thanh uy|quan uy|thi uy|ban chap hanh|ban thuong vu|ban chi dao|ban |bo |so |"
    r"van phong|chinh phu|thu tuong|phong |cuc |tong cuc|trung uong|quoc hoi|mat tran|"
    r"chi bo|co quan|truong |vien |benh vien|cong an|bo chi huy|toa an|kho bac|ngan hang|"
    r"trung tam|doan |hoi |thanh doan|tinh doan|lien doan|bao hiem|thanh tra|chi cuc|"
    r"tap doan|tong cong ty|cong ty|dai hoc|hoc vien)"
)
_ISSUER_LABEL = re.compile(
    r"^\s*(?:co quan (?:thuc hien|bao cao|ban hanh|chu tri)|don vi(?: bao cao| thuc hien)?|"
    r"noi ban hanh|co quan)\s*:\s*"
)
# Words that open the body after the title.
_BODY_START = re.compile(
    r"^\W*(?:can cu|thuc hien|trien khai|de trien khai|theo de nghi|theo |kinh gui|xet |nham |"
    r"de |qua |dieu \d|i\.|1\. )"
)
_SIGN_PREFIX = re.compile(r"^\s*(?:t/m|tm|k/t|kt|tl|t/l|tuq|q|ktl)\s*[.:]?\s+\S", re.I)
_POSITION = re.compile(
    r"^\s*(?:(?:pho|q\.|quyen|ky thay) )?(?:chu tich|bi thu|giam doc|tong giam doc|bo truong|"
    r"thu truong|truong ban|chanh van phong|thu tuong|cuc truong|tong cuc truong|truong phong|"
    r"hieu truong|vien truong|chanh an|chanh thanh tra|truong|chu nhiem|tong bi thu|"
    r"chu tich nuoc|uy vien)\b"
)
_GEO = r"(?:tinh|huyen|xa|thanh pho|quan|phuong|thi xa|thi tran)"


def _flag(field: str, reason: str, place: Place, severity: str = "warning") -> dict:
    return Flag(field, reason, place, severity).to_dict()  # type: ignore[arg-type]


# --- numbers, dates ------------------------------------------------------------------------------

# A document number as printed: "327/QĐ-UBND", "12-KH/TU", "39/2021/QĐ-UBND", "02-KH/BCĐTW".
_NUMBER_FOLDED = re.compile(
    r"(?<![\w/.])\d{1,5}(?:/\d{4})?(?:-\s?|/)[a-z][a-z0-9&]*(?:[-/][a-z0-9&]+)*"
)
_VALID_NUMBER = re.compile(
    r"\d{1,5}(?:/\d{4})?[-/][A-ZĐa-zđ][A-ZĐa-zđ0-9&]*(?:[-/][A-ZĐa-zđ0-9&]+)*"
)
_LEADING_NUMBER = re.compile(
    r"\s*(?P<num>\d{1,5}(?:/\d{4})?[-/][A-ZĐa-zđ][A-ZĐa-zđ0-9&]*(?:[-/][A-ZĐa-zđ0-9&]+)*)(?=$|\s|[*,;—–)])"
)
# "Số: 327/QĐ-UBND", "Số 12-KH/TU", "Số      -KH/ĐU" (not "SỞ NỘI VỤ", "Số lượng …")
_HEADER_NUMBER = re.compile(r"^\W*so\s*(?::|\.|(?=\s*[\d/-]))\s*(?P<rest>.*)$")
_DATE_WORDS = re.compile(
    r"ngay\s*(?P<d>[^\s]{0,6}?)\s*thang\s*(?P<m>[^\s]{0,4}?)\s*nam\s*(?P<y>\d{4})"
)
# "Hà Nội, ngày 26/5/2025" (the place, then the date in figures)
_DATE_SLASH = re.compile(r"^[^,\d]{2,40},\s*ngay\s*(?P<d>[^\s/]{0,6}?)\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})(?!\d)")


def _iso(d: int, m: int, y: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def kind_of_number(number: str | None) -> str | None:
    if not number:
        return None
    for part in re.split(r"[-/]", fold(number)):
        if part in CODE_KINDS:
            return CODE_KINDS[part]
    return None


def _read_number(rest: str, place: Place, flags: list[dict]) -> tuple[str | None, str]:
    """The number after "Số:" (the rest of the header line); blank or garbled → None + flag."""
    # A whole number first, whatever follows it on the line ("156/KH-UBND Quảng Trị, ngày …",
    # "88/KH-UBND — Lục Ngạn, ngày …").
    if lead := _LEADING_NUMBER.match(rest):
        return lead["num"], lead["num"]
    # The line may go on with the place and date ("So: 35.^/QD-UBND QuangNgai, ngay …").
    printed = re.split(r"\s{3,}(?=\S*[A-Za-zÀ-ỹ])(?![-/])|\s+(?=\S+,\s*ng[aà]y)", rest.strip())[0].strip()
    compact = re.sub(r"\s+", "", printed)
    if _VALID_NUMBER.fullmatch(compact):
        return compact, printed
    if re.fullmatch(r"[-/.…]*[-/][A-ZĐa-zđ][\wĐđ&/-]*", compact or "-"):
        flags.append(_flag("number", f"Số văn bản để trống khi in (“{collapse_ws(printed) or 'Số'}”)", place))
    else:
        flags.append(_flag("number", f"Số văn bản không đọc được (“{collapse_ws(printed)}”): cần nhập tay", place))
    return None, printed


def _read_date(line: Line, m: re.Match, flags: list[dict]) -> tuple[str | None, dict]:
    d_raw, m_raw, y = m["d"], m["m"], int(m["y"])
    info: dict = {"date_printed": collapse_ws(line.text)}
    month = int(m_raw) if m_raw.isdigit() else None
    if month is not None and 1 <= month <= 12:
        info["date_month"] = f"{y:04d}-{month:02d}"
    if not d_raw:
        note = f"tháng {month}/{y}" if month else f"năm {y}"
        flags.append(_flag("date", f"Ngày ban hành để trống khi in ({note})", line.place))
        info["date_note"] = f"Ngày để trống; {note}"
        return None, info
    if not d_raw.isdigit() or month is None:
        flags.append(_flag("date", f"Ngày ban hành không đọc được (“{collapse_ws(line.text)}”): cần nhập tay", line.place))
        info["date_note"] = "Ngày không đọc được" + (f"; tháng {month}/{y}" if month else "")
        return None, info
    iso = _iso(int(d_raw), month, y)
    if iso is None:
        flags.append(_flag("date", f"Ngày {d_raw}/{m_raw}/{y} không có thật: cần nhập tay", line.place))
    return iso, info


# --- citations ------------------------------------------------------------------------------------

_CIT_DATE = re.compile(
    r"\s*,?\s*(?:ban hanh\s+)?ngay\s*(?P<d>\d{1,2})\s*(?:/|-|thang)\s*(?P<m>\d{1,2})\s*(?:/|-|nam)\s*(?P<y>\d{4})"
)
_CIT_ISSUER = re.compile(
    r"\s*,?\s*(?:cua|do)\s+(?P<issuer>.+?)(?=\s+(?:ve|th\S{0,3}c\s?hien|trien khai|quy dinh|ban hanh|huong dan|"
    rf"phe duyet|sua doi|tai|theo|va\s+(?:{_KIND_WORDS})\b)\b|\s*[,;()“”\".:]|\s*$)"
)
_CIT_TITLE_START = re.compile(
    r"\s*,?\s*(?P<title>(?:ve|th\S{0,3}c\s?hien|trien khai|quy dinh|ban hanh|huong dan|phe duyet|sua doi)\b)"
)
# Connectors allowed between two citations of the same list ("…, Kế hoạch số …", "… và Nghị quyết
# số …"); any other word means the second one is cited inside the first one's title.
_CONNECTOR_WORDS = {"va", "so", "hanh", "dong", "cung", "voi", "cac", "tai", "theo", "tu", "trung", "uong"}
_KIND_TOKENS = {w for k in KINDS for w in k.split()}


@dataclass
class Citation:
    start: int
    end: int
    number: str
    kind: str | None
    date: str | None
    issuer_name: str | None
    title: str | None

    def to_dict(self) -> dict:
        return {"number": self.number, "kind": self.kind, "date": self.date,
                "issuer_name": self.issuer_name, "title": self.title}


def _title_end(text: str, folded: str, start: int) -> int:
    """Where a cited document's title stops: ";", "(", a sentence end, or ", <kind> số"."""
    m = re.compile(rf";|\(|\.\s|\.$|:\s|,\s*(?:{_KIND_WORDS})\s+(?:so\b|\d)|$").search(folded, start)
    return m.start() if m else len(text)


def find_citations(text: str) -> list[Citation]:
    """Every numbered document cited in `text` ("Quyết định số 327/QĐ-UBND ngày 26/5/2025 của
    UBND tỉnh … về việc …"), in order."""
    folded = fold(text)
    out: list[Citation] = []
    for m in _NUMBER_FOLDED.finditer(folded):
        number = re.sub(r"\s+", "", text[m.start() : m.end()])
        before = folded[max(0, m.start() - 40) : m.start()]
        km = re.search(rf"(?P<kind>{_KIND_WORDS})(?:\s+\w+){{0,2}}?\s*(?:so\s*:?\s*)?$", before)
        start = m.start() - (len(before) - km.start()) if km else m.start()
        kind = KINDS.get(re.sub(r"\s+", " ", km["kind"])) if km else None
        kind = kind or kind_of_number(number)
        if kind is None and not km and not re.search(r"\bso\s*:?\s*$", before):
            continue  # "2021-2030" style runs that are not document numbers
        pos = m.end()
        cdate = None
        if dm := _CIT_DATE.match(folded, pos):
            cdate = _iso(int(dm["d"]), int(dm["m"]), int(dm["y"]))
            pos = dm.end()
        issuer = None
        if im := _CIT_ISSUER.match(folded, pos):
            issuer = collapse_ws(text[im.start("issuer") : im.end("issuer")]) or None
            pos = im.end()
        title = None
        if tm := _CIT_TITLE_START.match(folded, pos):
            end = _title_end(text, folded, tm.start("title"))
            title = collapse_ws(text[tm.start("title") : end]).rstrip(" ,.") or None
        out.append(Citation(start, pos, number, kind, cdate, issuer, title))
    return out


def _prepare(text: str) -> str:
    """Join "02-\\nKH/BCĐTW" split numbers, turn "(sau đây viết tắt là …)" into a list boundary
    and blank out other brackets (nested citations live there), keeping the length."""
    text = re.sub(r"(\d-)\s+(?=[A-ZĐ]{1,6}/)", lambda m: m.group(1) + "\x00" * (len(m.group()) - len(m.group(1))), text)
    text = text.replace("\x00", "")

    def bracket(m: re.Match) -> str:
        inner = fold(m.group())
        if re.search(r"viet tat|goi tat|sau day", inner):
            return ";" + " " * (len(m.group()) - 1)
        return " " * len(m.group())

    for _ in range(2):  # nested brackets: inner first
        text = re.sub(r"\([^()]*\)", bracket, text)
    return text


def top_level_citations(text: str, trigger: str = r"thuc hien|trien khai|can cu|theo") -> list[Citation]:
    """The documents a sentence such as "Thực hiện A …, B …; C … thực hiện D" names at its own
    level (A, B, C), not those cited inside their titles (D)."""
    text = _prepare(text)
    folded = fold(text)
    t = re.search(rf"\b(?:{trigger})\b", folded)
    if t is None:
        return []
    cits = [c for c in find_citations(text) if c.start >= t.start()]
    out: list[Citation] = []
    nested = False
    prev_end = t.end()
    for c in cits:
        gap = folded[prev_end : c.start]
        if not out:
            words = re.findall(r"[a-z]+", gap)
            known = _KIND_TOKENS | _CONNECTOR_WORDS | {"thuc", "hien", "trien", "khai", "can", "cu"}
            # The first document must follow the trigger word (OCR may garble its kind word).
            if len(words) > 6 or (any(w not in known for w in words) and not (len(words) <= 4 and words[-1:] == ["so"])):
                break
            out.append(c)
        elif ";" in gap:
            nested = False
            out.append(c)
        elif not nested:
            words = re.findall(r"[a-z]+", gap)
            if all(w in _KIND_TOKENS | _CONNECTOR_WORDS for w in words):
                out.append(c)
            else:
                nested = True
        prev_end = c.end
    return out


# --- the parser -----------------------------------------------------------------------------------


# Words a title printed in capitals keeps as printed: roman numerals, codes, short forms.
_KEEP_CASE = re.compile(r"^\W*(?:[IVX]{1,4}|UBND|HĐND|MTTQ|CNTT|KH&CN|KHCN|ĐMST|CĐS|KTXH|TW|\S*\d\S*|\S*/\S*)\W*$")


def _sentence_case(s: str) -> str:
    s = collapse_ws(s)
    if not s:
        return s
    out = s[:1].upper() + s[1:].lower()
    words = s.split(" ")
    low = out.split(" ")
    return " ".join(w if i and _KEEP_CASE.match(w) else lw for i, (w, lw) in enumerate(zip(words, low)))


def _join_title(kind_line: str, rest: list[str]) -> str:
    head = kind_line.rstrip(" :")
    if is_upper_line(head):
        head = _sentence_case(head)
    sub = collapse_ws(" ".join(rest))
    if sub and not is_upper_line(sub):
        words = sub.split(" ")
        if len(words) > 1 and words[0][:1].isupper() and words[0][1:].islower() and not words[1][:1].isupper():
            sub = words[0].lower() + sub[len(words[0]) :]
    return collapse_ws(f"{head} {sub}") if sub else head


def _find_kind(lines: list[Line]) -> tuple[int, str, str] | None:
    """(line index, canonical kind, rest of the line after the kind) of the kind line."""
    strict = _find_kind_line(lines)
    for i, line in enumerate(lines[: min(60, strict[0] if strict else 60)]):
        # The kind in capitals with the title on the same line: "BÁO CÁO Tiến độ thực hiện …",
        # "KẾ HOẠCH HÀNH ĐỘNG chuyển đổi số …", "BÁO CÁO KẾT QUẢ … QUÝ III NĂM 2025".
        text = collapse_ws(line.text)
        f = fold(text)
        m = re.match(rf"(?P<kind>{_KIND_WORDS})\b\s+(?P<rest>\S.*)$", f)
        if not m or not text[: m.end("kind")].isupper() or m["kind"] in ("van ban", "du an", "luat"):
            continue
        if len(m["rest"].split()) < 2 or re.match(r"(?:so|ngay)\b", m["rest"]) or text.endswith(("…", "...")):
            continue
        return i, KINDS[m["kind"]], text
    return strict


def _find_kind_line(lines: list[Line]) -> tuple[int, str, str] | None:
    """A line in capitals that is the kind, alone or followed by ":" / " -"."""
    for i, line in enumerate(lines[:150]):
        text = collapse_ws(line.text)
        if not text or not is_upper_line(text):
            continue
        f = fold(text).rstrip(" :")
        m = re.match(rf"(?P<kind>{_KIND_WORDS})\b(?P<rest>.*)$", f)
        if not m:
            continue
        rest = m["rest"]
        kind = KINDS[m["kind"]]
        if rest.startswith(":") or rest.startswith(" -") or rest.startswith(" –"):
            return i, kind, text
        if len(text.split()) <= 6 and not re.search(r"\d", rest):
            return i, kind, text
    return None


def _signature(lines: list[Line]) -> tuple[str | None, str | None, Place | None]:
    """(signer's name, the block above it, place) from the last signature block."""
    best: tuple[str | None, str | None, Place | None] = (None, None, None)
    i = 0
    while i < len(lines):
        text = collapse_ws(lines[i].text)
        if text and is_upper_line(text) and (_SIGN_PREFIX.match(text) or (_POSITION.match(fold(text)) and len(text.split()) <= 6)):
            block = [text]
            j = i + 1
            name = None
            place = lines[i].place
            while j < len(lines) and j <= i + 14:
                t = collapse_ws(lines[j].text)
                j += 1
                if not t or re.fullmatch(r"[\W_]*|\(?\s*(?:đã ký|da ky|ký|ky|đã ký và đóng dấu)\s*\)?", t, re.I):
                    continue
                if (_POSITION.match(fold(t)) or _SIGN_PREFIX.match(t)) and is_upper_line(t):
                    block.append(t)
                    continue
                words = t.split(" ")
                if 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words) and not re.search(r"[\d:;,.()]", t):
                    if not is_upper_line(t) or not _ORG_START.match(fold(t)):
                        name, place = t, lines[j - 1].place
                break
            if name or best[1] is None:
                best = (name, " / ".join(block), place)
            i = j
            continue
        i += 1
    return best


# --- the issuer completed from the body above it --------------------------------------------------

_AGENCY_NAMES = Path(__file__).resolve().parents[2] / "lib" / "data" / "agencies_vi.txt"
# The locality a header's upper body names: "UBND TỈNH LÂM ĐỒNG", "ĐẢNG BỘ TỈNH NGHỆ AN".
_UPPER_LOCALITY = re.compile(
    r"^(?:uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd|dang bo|dang uy|tinh uy|thanh uy|huyen uy)\s+"
    r"(?P<geo>tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran|dac khu)\s+(?P<name>\S.*)$"
)
# A party committee named by its level only: "TỈNH ỦY", "BAN THƯỜNG VỤ HUYỆN ỦY", "ĐẢNG ỦY".
_PARTY_LEVEL = re.compile(r"^(?:(?:ban thuong vu|ban chap hanh)\s+)?(?P<level>tinh|thanh|huyen|quan|thi|dang) uy$")
_PARTY_GEO = {"tinh": ("tinh",), "thanh": ("thanh pho",), "huyen": ("huyen",), "quan": ("quan",),
              "thi": ("thi xa",), "dang": ("xa", "phuong", "thi tran", "dac khu", "huyen", "tinh", "thanh pho", "quan")}
# A name that already says its locality ("… TỈNH QUẢNG NGÃI", "… XÃ NAM ĐÀN"; "xã hội" is none).
_HAS_LOCALITY = re.compile(
    r"(?:^|\s)(?:tỉnh|thành phố|huyện|quận|thị xã|xã(?! hội\b)|phường|thị trấn|đặc khu|trung ương|việt nam)"
    r"(?:\s+\S+){0,4}\s*$"
)
_HAS_LOCALITY_FOLDED = re.compile(
    r"(?:^|\s)(?:tinh|thanh pho|huyen|thi xa|xa(?! hoi\b)|thi tran|dac khu|trung uong|viet nam)(?:\s+\S+){0,4}\s*$"
)


def _has_locality(text: str) -> bool:
    low = _nfc(collapse_ws(text)).lower()
    return bool(_HAS_LOCALITY.search(low) if fold(low) != low else _HAS_LOCALITY_FOLDED.search(low))


# Bodies that belong to a locality (departments, offices, the party's boards).
_LOCAL_BODY = re.compile(
    r"^(?:so|ban|phong|van phong|chi cuc|cuc|trung tam|thanh tra|cong an|bo chi huy|uy ban kiem tra|"
    r"uy ban mat tran|mat tran|hoi|lien doan|tinh doan|thanh doan|huyen doan|doan|kho bac|bao hiem|"
    r"truong|benh vien|dai|bao)\b"
)
_HEAD_WORDS = ("van phong", "chi cuc", "trung tam", "thanh tra", "cong an", "uy ban", "so", "ban", "phong", "cuc")


@lru_cache(maxsize=1)
def _known_names() -> dict[str, str]:
    """Accent-free name → the name as properly written, from the shipped list of bodies."""
    out: dict[str, str] = {}
    try:
        text = _AGENCY_NAMES.read_text(encoding="utf-8")
    except OSError:
        return out
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.setdefault(fold(line), line)
    return out


def _title_words(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split())


def name_case(printed: str) -> str:
    """A body's name printed in capitals, written as a name ("SỞ Y TẾ" → "Sở Y tế", "SỞ KHOA
    HỌC VÀ CÔNG NGHỆ" → "Sở Khoa học và Công nghệ"); a name not in capitals is kept."""
    printed = _nfc(collapse_ws(printed))
    if not is_upper_line(printed):
        return printed
    words = printed.split(" ")
    folded = fold(printed)
    known = _known_names()
    for n in range(len(words), 0, -1):
        head = " ".join(words[:n])
        if (name := known.get(fold(head))) and len(name.split(" ")) == n:
            rest = " ".join(words[n:])
            return f"{name} {_geo_case(rest)}".strip()
    for hw in _HEAD_WORDS:
        if folded == hw or folded.startswith(hw + " "):
            n = len(hw.split(" "))
            head = _title_words(" ".join(words[:n])).replace(" Ban", " ban")
            rest = words[n:]
            body = " ".join([rest[0][:1].upper() + rest[0][1:].lower()] + [w.lower() for w in rest[1:]]) if rest else ""
            return f"{head} {body}".strip()
    return printed[:1] + printed[1:].lower()


def _geo_case(rest: str) -> str:
    """"TỈNH LÂM ĐỒNG" → "tỉnh Lâm Đồng"."""
    if not rest:
        return ""
    m = re.match(r"(?P<geo>tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran|dac khu)\s+", fold(rest))
    if not m:
        return _title_words(rest)
    return rest[: m.end()].lower() + _title_words(rest[m.end() :])


def complete_issuer(lower: str, upper: str) -> str | None:
    """The issuer of a two-body header completed with the locality of the body above it:
    "UBND TỈNH LÂM ĐỒNG" / "SỞ Y TẾ" → "Sở Y tế tỉnh Lâm Đồng"; "ĐẢNG BỘ TỈNH NGHỆ AN" /
    "TỈNH ỦY" → "Tỉnh ủy Nghệ An". None when there is nothing to add."""
    up = _UPPER_LOCALITY.match(fold(collapse_ws(upper)))
    if not up:
        return None
    upper = collapse_ws(upper)
    geo_printed = upper[up.start("geo") : up.end("geo")].lower()
    place = _title_words(upper[up.start("name") :]) if is_upper_line(upper) else upper[up.start("name") :]
    lf = fold(collapse_ws(lower))
    if pm := _PARTY_LEVEL.match(lf):
        if up["geo"] not in _PARTY_GEO[pm["level"]]:
            return None
        if pm["level"] == "dang":
            return f"{name_case(lower)} {geo_printed} {place}"
        return f"{name_case(lower)} {place}"
    if (bm := re.search(r"\b(?P<level>tinh|thanh|huyen|quan|thi) uy$", lf)) and _LOCAL_BODY.match(lf):
        # "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY" under "ĐẢNG BỘ TỈNH NGHỆ AN": the committee's board
        return f"{name_case(lower)} {place}" if up["geo"] in _PARTY_GEO[bm["level"]] else None
    if _has_locality(lower) or not _LOCAL_BODY.match(lf):
        return None
    return f"{name_case(lower)} {geo_printed} {place}"


_BARE_LOCAL_BODY = re.compile(
    r"^(?P<body>uy ban nhan dan|ubnd|hoi dong nhan dan|hdnd|dang uy|ban thuong vu dang uy|ban chap hanh dang bo)"
    r"\s+(?P<geo>tinh|thanh pho|huyen|quan|thi xa|xa|phuong|thi tran|dac khu)$"
)
_EXPANDED = {"ubnd": "Ủy ban nhân dân", "hdnd": "Hội đồng nhân dân"}


def locality_named(issuer: str, texts: list[str]) -> tuple[str, str] | None:
    """A bare "UBND huyện" completed with the locality of that level the document names
    ("… đưa huyện Sơn Tịnh phát triển …"): (the full name, the phrase read). Only when one
    name of that level is named far more often than any other."""
    m = _BARE_LOCAL_BODY.match(fold(collapse_ws(issuer)))
    if not m:
        return None
    counts: dict[str, int] = {}
    phrase: dict[str, str] = {}
    geo_re = re.compile(rf"(?<![\w]){m['geo']}\s+")
    for text in texts:
        folded = fold(text)
        for g in geo_re.finditer(folded):
            if not text[g.start() : g.start() + 1].islower():
                continue  # "Huyện …" opening a heading is not the running text's "huyện X"
            words = re.match(r"(?:[A-ZĐ][^\W\d_]*(?:\s+|$)){1,4}", text[g.end() :])
            if not words:
                continue
            name = words.group().strip()
            if len(name) < 2 or is_upper_line(name) and len(name.split()) == 1 and len(name) <= 4:
                continue  # "xã NTM" and other abbreviations
            counts[name] = counts.get(name, 0) + 1
            phrase.setdefault(name, collapse_ws(text[g.start() : g.end() + len(words.group())]))
    if not counts:
        return None
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    name = ranked[0][0]
    body = issuer.strip().split(" ")
    head_words = len(m["body"].split(" "))
    head = _EXPANDED.get(m["body"], name_case(" ".join(body[:head_words])))
    geo = " ".join(collapse_ws(issuer).split(" ")[head_words:]).lower()
    return f"{head} {geo} {name}", phrase[name]


def _body_issuer(opening: str) -> str | None:
    """"…; UBND huyện ban hành Kế hoạch …" → "UBND huyện"."""
    folded = fold(opening)
    found = None
    for m in re.finditer(r"(?:^|[;,:]\s*|\)\s*)(?P<who>[^;,:()]{3,80}?)\s+(?:ban hanh|xay dung|bao cao nhu sau|bao cao ket qua|kinh bao cao|trien khai ke hoach|bao cao tinh hinh)\b", folded):
        who = collapse_ws(opening[m.start("who") : m.end("who")])
        if who[:1].isupper() and not re.search(r"\d", who) and not _BODY_START.match(fold(who)) and _ORG_START.match(fold(who)):
            found = who
    return found


_AMEND = re.compile(
    r"\b(?:dieu chinh|sua doi|bo sung)(?:\s*,\s*(?:bo sung|sua doi|dieu chinh))*"
    r"(?:\s+(?:(?:mot so|cac)\s+)?(?:noi dung|nhiem vu|chi tieu|dieu|diem)[^.;:]{0,40}?)?"
    r"(?:\s+(?:cua|tai|trong|thuoc|kem theo|vao))*\s+(?=(?:ke hoach|quyet dinh|chuong trinh|de an|nghi quyet|phu luc|danh muc)\b)"
)


def parse(doc: SourceDoc) -> dict:
    """Document data as printed (see the module doc). Never raises on odd text."""
    flags: list[dict] = []
    lines = [ln for ln in doc_lines(doc, tables=True) if collapse_ws(ln.text)]
    paragraphs = [ln for ln in lines if not ln.in_table]

    kind_hit = _find_kind(lines)
    kind = kind_hit[1] if kind_hit else None
    # The header region: up to the first body sentence after the title (OCR may put the issuer
    # after the title).
    body_at = None
    start = (kind_hit[0] + 1) if kind_hit else 0
    for i in range(start, min(len(lines), start + 60)):
        if i > start and _BODY_START.match(fold(collapse_ws(lines[i].text))):
            body_at = i
            break
    header_end = body_at if body_at is not None else min(len(lines), 40)

    # Title: the kind line and what follows it, up to the body, a separator or a header line.
    title = None
    title_last: Line | None = None
    opening_extra = ""
    if kind_hit:
        i0, _, kind_line = kind_hit
        title_last = lines[i0]
        rest: list[str] = []
        words = kind_line.split(" ")
        if not is_upper_line(kind_line) and len(words) > 2:
            # "KẾ HOẠCH HÀNH ĐỘNG chuyển đổi số …": the words in capitals are the kind line.
            k = next(j for j, w in enumerate(words + ["x"]) if not (w.isupper() or not any(c.isalpha() for c in w)))
            kind_line, rest = " ".join(words[:k]), [" ".join(words[k:])]
        for ln in lines[i0 + 1 : i0 + 12]:
            t = collapse_ws(ln.text)
            f = fold(t)
            if re.fullmatch(r"[-–—_*=.\s]+", t) or (rest and _BODY_START.match(f)) or re.match(r"[ivx]+\.\s", f):
                break
            if ln.in_table and (not lines[i0].in_table or ln.place.table != lines[i0].place.table
                                or ln.place.row != title_last.place.row and re.fullmatch(r"s?tt|so tt|\d+|[ivx]+\.?", f)):
                break  # the table after the title ("STT | Nhiệm vụ | …")
            if re.match(r"\W*(?:phu luc|danh muc)\b", f) and not re.match(r"\W*phu luc", fold(kind_line)):
                break  # "Phụ lục I. CÁC CHỈ TIÊU CHỦ YẾU" after a title
            if (_ORG_START.match(f) and is_upper_line(t)) or _HEADER_NUMBER.match(f) and "/" in f:
                break
            if _NOT_ISSUER.search(f) or _DATE_WORDS.search(f):
                break
            # A paragraph that runs the title into the opening ("… quốc gia Thực hiện Quyết định …").
            if cut := re.search(r"\s(?=(?:Thực hiện|Thuc hien|Căn cứ|Can cu|Theo đề nghị|Theo de nghi)\s)", t[1:]):
                rest.append(t[: cut.start() + 1])
                title_last, opening_extra = ln, t[cut.end() + 1 :]
                break
            rest.append(t)
            title_last = ln
            if t.endswith((".", ":")) and not t.endswith("..."):
                break
        if ":" in kind_line and not rest:
            title = collapse_ws(kind_line)
        else:
            title = _join_title(kind_line, rest)
    else:
        for ln in lines[:60]:
            f = fold(collapse_ws(ln.text))
            if f.startswith("v/v") or f.startswith("ve viec"):
                title, kind = collapse_ws(ln.text), kind or "Công văn"
                break

    # Issuer: capital lines of the header naming a body.
    issuers: list[list[str]] = []
    label_issuer = None
    prev_org = False
    for ln in lines[:header_end]:
        t = collapse_ws(ln.text)
        f = fold(t)
        if lab := _ISSUER_LABEL.match(f):
            label_issuer = label_issuer or t[lab.end() :].strip() or None
            prev_org = False
            continue
        if not is_upper_line(t) or _NOT_ISSUER.search(f) or (kind_hit and ln is lines[kind_hit[0]]) or _HEADER_NUMBER.match(f) or _DATE_WORDS.search(f):
            prev_org = False
            continue
        if re.match(rf"(?:{_KIND_WORDS})\b", f) and not _ORG_START.match(f):
            prev_org = False
            continue
        if _POSITION.match(f):
            prev_org = False  # "BỘ TRƯỞNG BỘ …", "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH": the authority line
            continue
        if _ORG_START.match(f) and len(t) <= 80:
            issuers.append([t])
            prev_org = True
        elif prev_org and (re.match(rf"{_GEO}\b", f) or len(t.split()) <= 4) and not re.search(r"\d", t):
            issuers[-1].append(t)
        else:
            prev_org = False
    issuer_header = " / ".join(" ".join(parts) for parts in issuers) or None
    issuer = " ".join(issuers[-1]) if issuers else label_issuer
    if len(issuers) >= 2 and (whole := complete_issuer(issuer, " ".join(issuers[-2]))):
        issuer = whole  # "UBND TỈNH LÂM ĐỒNG" / "SỞ Y TẾ" → "Sở Y tế tỉnh Lâm Đồng"

    # Number and date from the header lines.
    number = number_printed = None
    doc_date = None
    date_info: dict = {}
    head_lines = lines[: max(header_end, 12)]
    for k, ln in enumerate(head_lines):
        t = collapse_ws(ln.text)
        f = fold(t)
        if re.search(r"ngay\b.*\bthang\b.*\bnam\s*$", f) and k + 1 < len(head_lines) \
                and re.match(r"\s*\d{4}\b", head_lines[k + 1].text):
            # "Quảng Trị, ngày 21 tháng 7 năm" / "2025": the year wrapped to the next line (PDF).
            ln = Line(f"{t} {collapse_ws(head_lines[k + 1].text)}", ln.place, ln.in_table)
            t = collapse_ws(ln.text)
            f = fold(t)
        if number_printed is None and (nm := _HEADER_NUMBER.match(f)) and re.search(r"[/-]", nm["rest"][:30]):
            number, number_printed = _read_number(t[nm.start("rest") :], ln.place, flags)
        if not date_info and (dm := _DATE_WORDS.search(f) or _DATE_SLASH.match(f)) and not re.match(r"\W*(?:can cu|thuc hien|theo)", f):
            doc_date, date_info = _read_date(ln, dm, flags)
    attached_to: dict | None = None
    if number_printed is None or not date_info:
        # No header: the appendices say "(Kèm theo Kế hoạch số …/KH-UBND ngày …/6/2025 …)".
        for ln in lines:
            f = fold(collapse_ws(ln.text))
            km = re.search(rf"kem theo\s+(?P<kind>{_KIND_WORDS})\s+so\s*(?P<num>.*?)\s*ngay\s*(?P<d>\S*?)\s*/\s*(?P<m>\d{{1,2}})\s*/\s*(?P<y>\d{{4}})", f)
            if not km or (kind and kind != "Phụ lục" and KINDS.get(km["kind"]) != kind):
                continue
            t = collapse_ws(ln.text)
            if number_printed is None:
                number, number_printed = _read_number(t[km.start("num") : km.end("num")] or "-", ln.place, flags)
                attached_to = {"kind": KINDS.get(km["kind"]), "number": number, "printed": t}
                flags.append(_flag("number", f"Số và ngày văn bản lấy từ dòng “Kèm theo” (“{t}”): cần kiểm tra",
                                   ln.place, "info"))
            if not date_info:
                date_info = {"date_printed": t}
                m_ = int(km["m"])
                if km["d"].isdigit() and 1 <= m_ <= 12:
                    doc_date = _iso(int(km["d"]), m_, int(km["y"]))
                if doc_date is None:
                    flags.append(_flag("date", f"Ngày ban hành không in rõ (“{t}”)", ln.place))
            break
    if number_printed is None and kind not in (None, "Phụ lục"):
        flags.append(_flag("number", "Không thấy số văn bản trong phần đầu văn bản", Place(), "info"))
    if not date_info and kind not in (None, "Phụ lục"):
        flags.append(_flag("date", "Không thấy ngày ban hành trong phần đầu văn bản", Place(), "info"))

    # Body text before the distribution list ("Nơi nhận") for citations.
    body: list[str] = []
    after_title = 0
    for ln in paragraphs:
        if re.match(r"\W*noi nhan\b", fold(ln.text)):
            break
        body.append(collapse_ws(ln.text))
        if ln is title_last:
            after_title = len(body)
            if opening_extra:
                body.append(collapse_ws(opening_extra))
    opening = ""
    opening_start = None
    for i, t in enumerate(body[:150]):
        if i >= after_title and re.match(r"\W*(?:thuc hien|de trien khai|trien khai thuc hien|theo de nghi|can cu)\b", fold(t)):
            opening_start = i
            break
    if opening_start is not None:
        chunk = []
        for t in body[opening_start : opening_start + 40]:
            f = fold(t)
            if chunk and re.match(r"\W*(?:[ivx]+\.|\d+\.|dieu \d|quyet dinh\s*:|muc dich|a\))", f):
                break
            chunk.append(t)
            if re.search(r"\b(?:nhu sau|ban hanh (?:ke hoach|chuong trinh|quyet dinh)[^.;:]{0,80}):\s*$", f):
                break  # "… ban hành Kế hoạch như sau:": what follows is the plan itself
        opening = " ".join(chunk)

    implements: list[dict] = []
    seen: set[str] = set()

    def add(cits: list[Citation], into: list[dict]) -> None:
        for c in cits:
            key = fold(c.number)
            if key not in seen and (number is None or key != fold(number)):
                seen.add(key)
                into.append(c.to_dict())

    # Sentences "Thực hiện …" (several may follow, "Căn cứ" lines are the legal basis).
    legal_basis: list[dict] = []
    if opening:
        parts = re.split(r"(?:(?<=^)|(?<=[.;:,]\s)|(?<=[.;:,]))\s*(?=(?:Căn cứ|Can cu|CĂN CỨ|Thực hiện|Thuc hien|Theo đề nghị|Theo de nghi)\b)", opening)
        for part in parts:
            if re.match(r"\W*can cu", fold(part)):
                for c in top_level_citations(part, r"can cu"):
                    legal_basis.append(c.to_dict())
            else:
                add(top_level_citations(part, r"thuc hien|trien khai"), implements)
    if title:
        add(top_level_citations(title, r"thuc hien|trien khai|theo"), implements)
    if not implements and legal_basis:
        for c in legal_basis:
            if c["kind"] not in ("Luật", "Nghị định", "Thông tư") and fold(c["number"]) not in seen:
                seen.add(fold(c["number"]))
                implements.append(c)

    replaces: list[dict] = []
    replace_seen: set[str] = set()
    texts = ([title] if title else []) + [" ".join(body)]
    for t in texts:
        for sentence in re.split(r"(?<=[.;])\s+(?=[A-ZĐ-])", t):
            f = fold(sentence)
            m = re.search(r"thay the\b", f)
            if not m:
                continue
            if not (re.search(r"\bnay\b.*thay the", f) or t is title or re.search(r"\(\s*thay the", f)):
                continue
            for c in find_citations(sentence[m.end() :])[:1]:
                if fold(c.number) not in replace_seen:
                    replace_seen.add(fold(c.number))
                    replaces.append(c.to_dict())

    # "Về việc điều chỉnh, bổ sung Kế hoạch số 45/KH-UBND …", "Sửa đổi, bổ sung một số nội dung
    # của Quyết định số …": the amended document (title first, else the first article).
    amends: list[dict] = []
    amend_texts = ([title] if title else []) + [t for t in body if re.match(r"\W*dieu 1\b", fold(t))][:1]
    for t in amend_texts:
        f = fold(t)
        if m := _AMEND.search(f):
            for c in find_citations(t[m.end() :])[:1]:
                if number is None or fold(c.number) != fold(number):
                    amends.append(c.to_dict())
            if amends:
                break

    # "Kế hoạch này thay thế Kế hoạch số …": the replaced (or amended) document is not also implemented.
    replaced = {fold(c["number"]) for c in replaces + amends}
    implements = [c for c in implements if fold(c["number"]) not in replaced]

    if kind is None and number:
        kind = kind_of_number(number)  # "45/KH-UBND" is a Kế hoạch even when no kind line is printed
    if kind == "Phụ lục":
        # An appendix on its own (a spreadsheet, a converted annex) is read as the document it is
        # attached to: "(Kèm theo Kế hoạch số 215/KH-UBND …)", else the kind of its number.
        attached = None
        for ln in lines[:80]:
            if km := re.search(rf"kem theo\s+(?P<kind>{_KIND_WORDS})\b", fold(collapse_ws(ln.text))):
                attached = KINDS[km["kind"]] if KINDS[km["kind"]] not in ("Phụ lục", "Văn bản") else None
                if attached:
                    break
        attached = attached or kind_of_number(number)
        if attached:
            kind = attached
            flags.append(_flag("kind", f"Tệp là phụ lục: lấy loại văn bản theo văn bản được kèm theo (“{attached}”)", Place(), "info"))
        else:
            flags.append(_flag("kind", "Tệp chỉ là phụ lục, không nêu văn bản được kèm theo: cần chọn loại văn bản (Kế hoạch, Báo cáo…)", Place()))
    if kind is None:
        flags.append(_flag("kind", "Không nhận ra loại văn bản (Kế hoạch, Quyết định, Báo cáo…)", Place(), "info"))

    signer, signer_block, signer_place = _signature(paragraphs)
    issuer_body = _body_issuer(opening) if opening else None
    if issuer_body and issuer and fold(issuer) in fold(issuer_body):
        issuer = issuer_body  # "Ban Thường vụ Đảng ủy xã X" is more precise than "ĐẢNG ỦY XÃ X"
    if issuer is None and issuer_body:
        issuer = issuer_body
        flags.append(_flag("issuer", f"Không thấy cơ quan ban hành ở đầu văn bản; lấy theo câu mở đầu (“{issuer_body}”)", Place(), "info"))
    if issuer is not None and (named := locality_named(issuer, [ln.text for ln in paragraphs])):
        flags.append(_flag("issuer", f"Cơ quan ban hành in là “{issuer}”; tên địa phương lấy theo nội dung văn bản "
                                     f"(“{named[1]}”): cần kiểm tra", Place(), "info"))
        issuer = named[0]
    if issuer is None:
        flags.append(_flag("issuer", "Không xác định được cơ quan ban hành", Place()))

    result = {
        "number": number,
        "number_printed": collapse_ws(number_printed) if number_printed is not None else None,
        "date": doc_date,
        **date_info,
        "issuer": issuer,
        "issuer_header": issuer_header,
        "kind": kind,
        "title": title,
        "signer": signer,
        "signer_block": signer_block,
        "implements": implements,
        "replaces": replaces,
        "amends": amends,
        "legal_basis": legal_basis,
        "flags": flags,
    }
    if attached_to:
        result["attached_to"] = {**attached_to, "date": doc_date}
    if signer_place is not None and signer:
        result["signer_place"] = signer_place.to_dict()
    return result
