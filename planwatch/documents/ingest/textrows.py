"""Helpers for rebuilding table rows from text copied out of a PDF (one visual line per line).

Such text has no cells: a row of an indicator or task table comes out as a code line, the
name's lines, a line of values, then the lines of a narrow agency column, with page numbers,
table rules ("-----") and OCR specks in between. These helpers recognise the KINDS of line
(codes, values, agency starts, noise) on accent-free keys, so the same code reads OCR text
without diacritics. They never look at a particular document's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planwatch.lib import agencies
from planwatch.lib.text import collapse_ws, search_key, strip_accents

# --- codes -----------------------------------------------------------------------------------

_ROMAN = re.compile(r"^(?=[IVXLC]+$)M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_CODE = re.compile(r"^(?P<code>\d{1,3}(?:\.\d{1,3}){0,3}|[IVXLC]{1,6})(?P<dot>[.)]?)(?=\s|$)")
# "7.1 1": a code split by the OCR, only when nothing else is on the line.
_SPLIT_CODE = re.compile(r"^(?P<a>\d{1,3}(?:\.\d{1,3})+)\s+(?P<b>\d{1,2})$")
# An agency line the OCR ran into the next code: "Công nghệ7.10".
_GLUED_CODE = re.compile(r"^(?P<text>.*[^\W\d_])(?P<code>\d{1,3}(?:\.\d{1,3})+)$")


def is_roman(token: str) -> bool:
    return bool(token) and bool(_ROMAN.match(token))


def roman_value(token: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for a, b in zip(token, token[1:] + " "):
        v = values[a]
        total += -v if b != " " and values.get(b, 0) > v else v
    return total


@dataclass(frozen=True)
class CodeMatch:
    code: str  # normalised ("7.11")
    printed: str  # as printed ("7.1 1")
    rest: str  # text after the code on the same line
    dotted: bool  # printed with a trailing "." or ")" ("1." — numbered prose, not a table code)


# OCR reads the digit 1 as "l" or "I" inside a dotted code: "l.2", "7.I".
# ("I.1" stays: a roman group's item.)
_OCR_ONE_CODE = re.compile(r"^(?=[\dlI.]*\d)[\dl]{1,3}(?:\.[\dlI]{1,3})+(?=\s|$)")


def match_code(line: str) -> CodeMatch | None:
    """A code at the start of a line: "1", "1.1", "10.2", "II", with the rest of the line."""
    text = collapse_ws(line)
    if (m := _OCR_ONE_CODE.match(text)) and not re.fullmatch(r"[\d.]+", m[0]):
        return CodeMatch(m[0].replace("l", "1").replace("I", "1"), m[0], text[m.end() :].strip(), False)
    if m := _SPLIT_CODE.match(text):
        return CodeMatch(m["a"] + m["b"], text, "", False)
    m = _CODE.match(text)
    if not m:
        return None
    code = m["code"]
    if code[0].isalpha() and not is_roman(code):
        return None
    return CodeMatch(code, code, text[m.end() :].strip(), bool(m["dot"]))


def split_glued_code(line: str) -> tuple[str, str] | None:
    """("Công nghệ", "7.10") for "Công nghệ7.10"; None when no code ends the line."""
    m = _GLUED_CODE.match(collapse_ws(line))
    if not m or not re.search(r"[^\W\d_]", m["text"]):
        return None
    return m["text"].strip(), m["code"]


def code_parts(code: str) -> list[str]:
    return code.split(".")


def code_prefix(code: str) -> str | None:
    parts = code_parts(code)
    return ".".join(parts[:-1]) if len(parts) > 1 else None


# --- values ----------------------------------------------------------------------------------

SIGN = r"(?:>=|<=|=>|=<|[≥≤><=⩾⩽])"
NUM = r"\d+(?:[.,]\d+)*"
_SIGN_ONLY = re.compile(rf"^{SIGN}$")
_VALUE_WORD = re.compile(
    rf"^(?:{SIGN}?{NUM}%?|{NUM}%?[-–]{NUM}%?|[Xx]|[-–—])$"
)
_NUMBER_WORD = re.compile(rf"^{NUM}%?$")
_DASHES = {"-", "–", "—"}


@dataclass
class Token:
    text: str  # as printed, whitespace collapsed
    start: int  # index of its first word
    end: int  # index after its last word
    note_open: bool = False  # an opened "(" not yet closed


def value_tokens(words: list[str]) -> list[Token | None]:
    """For each word index, the value token starting there (or None). A sign printed apart
    ("≥ 80") joins the number after it; a "(" right after a value opens a note that runs to
    the matching ")" — possibly past the line's end (note_open)."""
    out: list[Token | None] = [None] * len(words)
    i = 0
    while i < len(words):
        w = words[i]
        tok: Token | None = None
        if _SIGN_ONLY.match(w) and i + 1 < len(words) and _NUMBER_WORD.match(words[i + 1]):
            tok = Token(f"{w} {words[i + 1]}", i, i + 2)
        elif _VALUE_WORD.match(w) and not (w == "x"):
            tok = Token(w, i, i + 1)
        if tok is None:
            i += 1
            continue
        if tok.end < len(words) and words[tok.end] == "%" and tok.text[-1].isdigit():
            tok = Token(f"{tok.text} %", tok.start, tok.end + 1)  # "80 %"
        # A note in brackets after a number: "100 (Các hệ thống ... minh.)".
        if tok.end < len(words) and words[tok.end].startswith("(") and tok.text not in _DASHES:
            depth, j = 0, tok.end
            parts = []
            while j < len(words):
                depth += words[j].count("(") - words[j].count(")")
                parts.append(words[j])
                j += 1
                if depth <= 0:
                    break
            tok = Token(tok.text + " " + " ".join(parts), tok.start, j, note_open=depth > 0)
        out[tok.start] = tok
        i = tok.end
    return out


@dataclass
class ValueSplit:
    prefix: str
    values: list[Token]
    suffix: str


def split_values(text: str, *, min_run: int = 2, allow_single: bool = True, loose: bool = False) -> ValueSplit | None:
    """Split a line into [prefix][run of values][suffix]. The run is the last one of at least
    `min_run` values, or a single value that carries a sign, an X or a note, or ends the line
    after a unit ("%"); with `loose` (a table of one target column) any lone number that ends
    the line or comes before a capitalised agency. Lone dashes inside a name ("kinh tế - xã
    hội") never count."""
    words = collapse_ws(text).split(" ") if collapse_ws(text) else []
    toks = value_tokens(words)
    runs: list[list[Token]] = []
    i = 0
    while i < len(words):
        t = toks[i]
        if t is None:
            i += 1
            continue
        run = []
        while i < len(words) and toks[i] is not None:
            run.append(toks[i])
            i = toks[i].end
        runs.append(run)
    best: list[Token] | None = None
    for run in runs:
        if len(run) >= max(min_run, 2):
            best = run
        elif allow_single and len(run) == 1 and run[0].text not in _DASHES:
            t = run[0]
            before = words[t.start - 1] if t.start else ""
            at_end = t.end == len(words)
            strong = bool(re.match(SIGN, t.text)) or t.text == "X" or "(" in t.text
            after = words[t.end] if t.end < len(words) else ""
            if strong or (at_end and (before.endswith("%") or t.start == 0)):
                best = run
            elif loose and t.start > 0 and (at_end or after[:1].isupper()):
                best = run  # one target column: "… Doanh nghiệp 1.000 Sở Tài chính"
    if best is None:
        return None
    prefix = " ".join(words[: best[0].start])
    suffix = " ".join(words[best[-1].end :])
    return ValueSplit(prefix, best, suffix)


_SPACE_AFTER_SIGN = re.compile(rf"^({SIGN})\s*")


def normalise_target(raw: str) -> str:
    """Whitespace collapsed, exactly one space after a leading comparison sign."""
    text = collapse_ws(raw)
    return _SPACE_AFTER_SIGN.sub(lambda m: m[1] + " ", text, count=1)


def merge_split_numbers(values: list[str], columns: int) -> list[str]:
    """OCR splits "100" into "1 00": while there are more values than columns, join a bare
    number with a following one that starts with 0."""
    out = list(values)
    i = 0
    while len(out) > columns and i < len(out) - 2:  # "30 - 40" printed with spaces: one range
        if re.fullmatch(rf"{NUM}%?", out[i]) and out[i + 1] in _DASHES and re.fullmatch(rf"{NUM}%?", out[i + 2]):
            out[i : i + 3] = [f"{out[i]} {out[i + 1]} {out[i + 2]}"]
        else:
            i += 1
    i = 0
    while len(out) > columns and i < len(out) - 1:
        if re.fullmatch(r"\d+", out[i]) and re.match(r"0\d", out[i + 1]):
            out[i : i + 2] = [out[i] + " " + out[i + 1]]
        else:
            i += 1
    return out


# --- noise -----------------------------------------------------------------------------------

def is_noise(line: str) -> bool:
    """Table rules ("-----"), specks ("?", "' r", "•"), a lone comparison sign."""
    text = collapse_ws(line)
    if not text:
        return True
    if re.search(r"[-—–_]{3,}", text):
        return True
    letters = sum(1 for c in text if c.isalpha())
    digits = sum(1 for c in text if c.isdigit())
    if letters == 0 and digits == 0:
        return text not in _DASHES and not text.startswith("%") and not re.fullmatch(r"[-–—](?:\s+[-–—])+", text)
    if digits == 0 and letters <= 1 and re.search(r"[^\w\s]", text):
        return not all(_VALUE_WORD.match(w) and w != "x" for w in text.split(" "))
    return False


def is_bare_number(line: str) -> bool:
    return bool(re.fullmatch(r"\d{1,4}", collapse_ws(line)))


# --- agencies --------------------------------------------------------------------------------

# Words that open an agency name (accent-free). Short, ambiguous heads ("sở" = "số" without
# accents, "ban", "cục") need a capitalised word or an abbreviation after them.
_OCR_SO = r"s[odbaơờở]"  # "Sở" as OCR prints it without accents: So, Sd, Sb, Sa
_HEAD_NEEDS_NAME = (
    _OCR_SO, "ban", "bo", "cuc", "tong cuc", "chi cuc", "phong", "vien", "hoi", "doan", "quy",
    "trung tam", "truong", "ngan hang", "bao", "dai", "khoi", "kho bac", "thanh tra",
    "benh vien", "hoc vien", "dai hoc", "lien doan", "lien hiep", "uy ban", "cong ty",
    "van phong", "bao hiem", "mat tran", "toa an", "vien kiem sat", "chi nhanh",
)  # fmt: skip
_HEAD_ALONE = (
    r"ubnd", r"hdnd", r"vp", r"bql", r"nhnn", r"bhxh", r"mttq", r"cong an", r"bo chi huy",
    r"tinh uy", r"huyen uy", r"thanh uy", r"dang uy", r"tinh doan", r"huyen doan",
)  # fmt: skip
_CAC_NOUNS = (
    _OCR_SO, "phong", "ban", "bo", "nganh", "dia phuong", "don vi", "co quan", "truong", "xa",
    "phuong", "huyen", "tinh", "thanh pho", "hoi", "vien", "trung tam", "doanh nghiep",
    "to chuc", "uy ban", "ubnd", "chi cuc", "cuc",
)  # fmt: skip
# The heads planwatch.lib.agencies splits agency lists on (one list for the project), accent-free.
_HEAD_NEEDS_NAME += tuple(
    re.escape(k) for k in (strip_accents(h) for h in getattr(agencies, "_HEADS", ())) if k not in _HEAD_NEEDS_NAME
)
_HEAD_RE = re.compile(r"^(?:" + "|".join(sorted(_HEAD_NEEDS_NAME, key=len, reverse=True)) + r")\b")
_ALONE_RE = re.compile(r"^(?:" + "|".join(_HEAD_ALONE) + r")\b")
_CAC_RE = re.compile(r"^cac (?:" + "|".join(sorted(_CAC_NOUNS, key=len, reverse=True)) + r")\b")
# Accented words that look like agency heads without accents but are not: "Số lượng", "Bảo đảm".
_NOT_HEAD_ACCENTED = re.compile(r"^(?:số|sổ|bộ phận|bảo|bán|bàn|bản|hội nhập|đại|quỹ đạo)\b", re.I)


def _is_name_word(word: str) -> bool:
    """A word that continues an agency name: capitalised, or an abbreviation ("KH&CN", "UBND")."""
    w = word.lstrip("(“\"'")
    return bool(w) and w[0].isupper()


def starts_agency(line: str) -> bool:
    """Whether a line opens an agency name: "Sở Y tế", "Sd Khoa hoc va", "Phòng Nội vụ",
    "Văn phòng UBND tỉnh", "Chi cục Thống kê", "UBND huyện", "Các phòng, ban ngành",
    "Công an tỉnh". Works on OCR text without accents."""
    text = collapse_ws(line)
    if not text or not text[0].isupper():
        return False
    if _NOT_HEAD_ACCENTED.match(text) and text != strip_accents(text):
        return False
    key = search_key(text)
    if _CAC_RE.match(key):
        return True
    if _ALONE_RE.match(key):
        return True
    m = _HEAD_RE.match(key)
    if not m:
        return False
    head_words = len(m.group(0).split(" "))
    words = text.split(" ")
    if len(words) <= head_words:
        return False
    return _is_name_word(words[head_words])


_DANGLING = re.compile(r"(?:\b(?:và|va|với|voi|của|cua|các|cac)|[,&:;\-–])$", re.I)


def dangles(text: str) -> bool:
    """Whether an agency text so far ends where its name must go on ("Sở Khoa học và")."""
    return bool(_DANGLING.search(collapse_ws(text)))


_LOCALITY = re.compile(r"^(?:tinh|huyen|xa|phuong|thi xa|thi tran|thanh pho|quan|tp)\.?$")


def is_locality_tail(line: str) -> bool:
    """A lone "tỉnh"/"huyện"/"thành phố" that ends an agency cell on its own line."""
    return bool(_LOCALITY.match(search_key(line)))


def has_diacritics(text: str) -> bool:
    """Whether a text carries Vietnamese accents at all (an OCR copy often has none): the one
    rule of lib.diacritics (a set lookup per letter, fast on a 60-page document)."""
    from planwatch.lib.diacritics import has_diacritics as _has

    return _has(text)
