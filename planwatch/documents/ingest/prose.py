"""Prose plans: milestone targets written as sentences, and the duties of each responsible body.

Targets (`parse_targets`): a section "Mục tiêu cụ thể" (or "Chỉ tiêu cụ thể", "Các chỉ tiêu chủ
yếu") holds milestone headings ("Đến hết năm 2025", "Đến năm 2030:", "Giai đoạn 2026-2030",
numbered however the drafter liked), area sub-headings ("a) Phát triển hạ tầng", possibly with
an inline bullet after a colon), and bullets ("- …", "+ …", "•") wrapped over several lines, or a
paragraph printed without a dash. Each bullet becomes one row: its first figure is the target
(≥ / "ít nhất" → ">=", "đạt X" or a bare figure → "=", "80% - 90%" → range), further figures
are `additional_targets`, a checkable outcome without a figure ("Có …", "Thành lập …") is
"done", and a bullet that only states a direction ("Đẩy mạnh …", "Tiếp tục …") is skipped with
its reason.

Duties (`parse_duties`): the "Tổ chức thực hiện" section, where each numbered heading names a
body ("1. Sở Khoa học và Công nghệ:", "3. Trách nhiệm UBND xã") followed by its bullets, or is
itself one sentence ("2. Các phòng, ban ngành … có trách nhiệm …"). Periodic duties keep the
deadline phrase as printed ("trước ngày 10 hằng tháng", "định kỳ hằng năm").
"""

from __future__ import annotations

import re
from decimal import Decimal

from planwatch.lib.deadlines import DeadlineKind, parse_deadline
from planwatch.lib.numbers import parse_vn_number
from planwatch.lib.text import collapse_ws

from .metadata import _ORG_START, Line, doc_lines, fold
from .model import Flag, Place, SourceDoc

# --- structure -------------------------------------------------------------------------------------

_SECTION = re.compile(
    r"^\W*(?:(?:[ivx]+|\d+(?:\.\d+)*|[a-z])[.)]\s*)*"
    r"(?:cac |nhung |mot so )?(?:muc tieu|chi tieu)(?:,?\s*(?:va\s+)?(?:cac\s+)?(?:muc tieu|chi tieu))?"
    r"\s+(?:cu the|chu yeu)\b(?P<rest>.*)$"
)
_SECTION_YEAR = re.compile(r"\b(?:den|toi|vao)\s+(?:het\s+|cuoi\s+)?nam\s+(?P<year>\d{4})\b")
_ROMAN_HEADING = re.compile(r"^\s*[IVX]+\s*[.)]\s+\S")
_NUM_HEADING = re.compile(r"^\s*(?P<num>\d+(?:\.\d+)*)\s*[.)]\s+\S")
_MILESTONE = re.compile(
    r"^\W*(?:\d+(?:\.\d+)*\.?\s*|[a-z]\)\s*)?"
    r"(?:(?:(?:cac\s+)?(?:muc tieu|chi tieu)(?:\s+(?:cu the|chu yeu))?|tam nhin|dinh huong)\s+)?(?:phan dau\s+)?"
    r"(?:(?:den|toi|vao)\s+(?:het\s+|cuoi\s+)?(?:nam\s+)?|giai doan\s+(?:tu\s+)?(?:nam\s+)?(?P<from>\d{4})\s*(?:-|–|—|den)\s*(?:nam\s+)?|nam\s+)"
    r"(?P<year>\d{4})\b\s*(?P<sep>[:.,]?)\s*(?P<rest>.*)$"
)
_AREA = re.compile(r"^\s*(?P<mark>[a-zđ])\s*\)\s*(?P<text>\S.*)$")
_BULLET = re.compile(r"^\s*(?:[-–—•●▪◦∙+*]|\(\d{1,2}\)|\d{1,2}\)|\d{1,2}\.(?=\s))\s*(?P<text>.*)$")
_PAGE_NUMBER = re.compile(r"^\s*(?:trang\s*)?\d{1,3}\s*$", re.I)

# --- figures ---------------------------------------------------------------------------------------

_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_FIGURE = re.compile(
    rf"(?<![\w/.,])(?P<sign>≥|⩾|>=|≤|⩽|<=|>|<)?\s*(?P<num>{_NUMBER})(?:\s*(?P<pct>%))?"
    rf"(?:\s*(?:-|–|—|đến|den)\s*(?P<num2>{_NUMBER})\s*(?P<pct2>%))?(?![\w/]|[.,]\d)"
)
_SIGN_OPS = {"≥": ">=", "⩾": ">=", ">=": ">=", "≤": "<=", "⩽": "<=", "<=": "<=", ">": ">", "<": "<"}
# Words printed just before a figure (accent-free), longest first.
_WORD_OPS = [
    ("khong it hon", ">="), ("khong thap hon", ">="), ("khong duoi", ">="), ("it nhat", ">="),
    ("toi thieu", ">="), ("khong vuot qua", "<="), ("khong qua", "<="), ("toi da", "<="),
    ("khong cao hon", "<="), ("dat tren", ">"), ("dat tu", ">="), ("dat", "="), ("bang", "="),
]  # fmt: skip
_PCT_ONLY_WORDS = [("tren", ">"), ("hon", ">"), ("duoi", "<")]
# How a bullet may open before a bare figure counts as its target ("Có 100% …", "Mỗi năm ≥ 01").
_OPENERS = re.compile(
    r"^(?:(?:moi nam|hang nam|hang nam|hang quy|moi quy|phan dau|tu nay den \w+ \d{4}|den \w+ \d{4})\s*,?\s*)*(?:co\s+)?$"
)
_AFTER_GE = re.compile(r"^\s*%?\s*(?:tro len|tro len tren)\b")
_AFTER_LE = re.compile(r"^\s*%?\s*(?:tro xuong)\b")
# Nouns that name what is counted ("≥ 8 cán bộ", "01 doanh nghiệp").
_COUNTED = [
    "can bo", "cong chuc", "vien chuc", "nguoi lao dong", "doanh nghiep", "du an", "nhiem vu",
    "de tai", "san pham", "mo hinh", "sang kien", "cong trinh", "hop tac xa", "to chuc", "don vi",
    "nguoi", "ho", "xa", "thon", "truong", "co so", "km", "ha", "tan", "ty dong", "trieu dong",
    "lao dong", "hoc sinh", "sinh vien", "giai phap", "bai bao", "sang che", "bang sang che",
    "chuong trinh", "hoi thao", "lop", "luot", "diem", "cua hang", "cho", "phong", "thiet bi",
    "tram", "ban", "lang", "khu", "vung", "cum", "giai thuong", "chi so", "giong", "nen tang",
    "ung dung", "he thong", "co so du lieu", "dich vu", "thu tuc", "tac gia", "nha khoa hoc",
    "chuyen gia", "thanh vien", "hoi vien", "dang vien", "doan vien", "tri thuc", "ky su",
]  # fmt: skip
_COUNTED_ALT = "|".join(sorted(_COUNTED, key=len, reverse=True))
_COUNTED_RE = re.compile(rf"^(?P<phrase>(?:{_COUNTED_ALT})(?:\s*(?:,|va)\s*(?:{_COUNTED_ALT}))*)\b")
_DIRECTION_VERBS = (
    "day manh", "phat huy", "tiep tuc", "duy tri", "tang cuong", "khuyen khich", "chu trong",
    "quan tam", "uu tien", "nang cao",
)  # fmt: skip


def _number(text: str) -> Decimal | None:
    return parse_vn_number(text).value


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value() and value.as_tuple().exponent >= 0:
        return int(value)
    return float(value)


def _op_before(folded_before: str, pct: bool) -> str | None:
    tail = folded_before.rstrip()
    for words, op in _WORD_OPS:
        if re.search(rf"(?:^|\s){words}$", tail):
            return op
    if pct:
        for words, op in _PCT_ONLY_WORDS:
            if re.search(rf"(?:^|\s){words}$", tail):
                return op
    return None


def _unit_after(text: str, folded: str, pos: int) -> str | None:
    m = _COUNTED_RE.match(folded[pos:].lstrip())
    if not m:
        return None
    start = pos + (len(folded[pos:]) - len(folded[pos:].lstrip()))
    return collapse_ws(text[start : start + m.end("phrase")])


def find_targets(text: str) -> list[dict]:
    """The target figures of one sentence, in order: {"op", "value", "value_max", "unit", "raw"}.
    A figure counts when a sign or a sign word stands before it ("≥ 40%", "ít nhất 01",
    "đạt 1%"), when it is a share ("70% cán bộ") or a band ("80% - 90%"), or when it opens the
    sentence ("Mỗi năm ≥ 01 dự án", "Có 100% …"); dates, codes, "5G", "mức 2" or "trên 01 Gb/s"
    are not targets."""
    folded = fold(text)
    out: list[dict] = []
    for m in _FIGURE.finditer(text):
        sign, pct = m["sign"], bool(m["pct"] or m["pct2"])
        before = folded[: m.start()]
        after = folded[m.end() :]
        if m["num2"] is not None:
            low, high = _number(m["num"]), _number(m["num2"])
            if low is None or high is None:
                continue
            out.append({"op": "range", "value": low, "value_max": high, "unit": "%" if pct else None,
                        "raw": collapse_ws(m.group())})
            continue
        value = _number(m["num"])
        if value is None:
            continue
        op = _SIGN_OPS.get(sign) if sign else _op_before(before, pct)
        if op is None and pct:
            op = "="
        if op is None and _OPENERS.match(collapse_ws(before)) and re.match(r"\s+[^\W\d_]", after):
            op = "="  # "01 doanh nghiệp …" opening the bullet
        if op is None:
            continue
        if op == "=" and _AFTER_GE.match(after):
            op = ">="
        elif op == "=" and _AFTER_LE.match(after):
            op = "<="
        unit = "%" if pct else _unit_after(text, folded, m.end())
        raw = collapse_ws(text[m.start() : m.end()])
        out.append({"op": op, "value": value, "value_max": None, "unit": unit, "raw": raw})
    return out


def _target_raw(t: dict) -> str:
    """The cell text the interchange format expects: "≥ 40%", "80% - 90%", "100%"."""
    def num(v: Decimal) -> str:
        return format(v, "f").replace(".", ",")

    pct = "%" if t.get("unit") == "%" else ""
    if t["op"] == "range":
        return f"{num(t['value'])}{pct} - {num(t['value_max'])}{pct}"
    sign = {">=": "≥ ", ">": "> ", "<=": "≤ ", "<": "< ", "=": ""}[t["op"]]
    return f"{sign}{num(t['value'])}{pct}"


def _public(t: dict) -> dict:
    return {"op": t["op"], "value": _json_number(t["value"]), "value_max": _json_number(t["value_max"]),
            "unit": t["unit"], "raw": t["raw"], "target": _target_raw(t)}


# --- items -------------------------------------------------------------------------------------------


def _section(lines: list[Line], start_re: re.Pattern, stop_milestones: bool = True) -> tuple[int, int] | None:
    for i, ln in enumerate(lines):
        if start_re.match(fold(collapse_ws(ln.text))):
            head = _NUM_HEADING.match(ln.text)
            depth = head["num"].count(".") + 1 if head else 0
            own = tuple(int(x) for x in head["num"].split(".")) if head else ()
            roman = bool(_ROMAN_HEADING.match(ln.text))
            for j in range(i + 1, len(lines)):
                t = lines[j].text
                f = fold(collapse_ws(t))
                if _ROMAN_HEADING.match(t) and not _MILESTONE.match(f):
                    return i, j
                if re.match(r"\W*(?:noi nhan|phu luc)\b|\W*(?:dieu|chuong|phan) [ivx\d]+\s*[.:]", f):
                    return i, j
                h = _NUM_HEADING.match(t)
                if h and not roman and depth and h["num"].count(".") + 1 <= depth and not (stop_milestones and _MILESTONE.match(f)):
                    number = tuple(int(x) for x in h["num"].split("."))
                    if number[:-1] == own[: len(number) - 1] and number[-1] > own[len(number) - 1]:
                        return i, j  # the next heading of the same or a higher level
            return i, len(lines)
    return None


def _milestone_section(lines: list[Line]) -> tuple[int, int] | None:
    for i, ln in enumerate(lines):
        text = collapse_ws(ln.text)
        m = _MILESTONE.match(fold(text)) if text else None
        if not m or (m["rest"] and m["sep"] != ":"):
            continue
        following = [collapse_ws(x.text) for x in lines[i + 1 : i + 8] if collapse_ws(x.text)]
        if not any((_BULLET.match(t) or _AREA.match(t)) and find_targets(t) for t in following[:4]):
            continue
        for j in range(i + 1, len(lines)):
            if _ROMAN_HEADING.match(lines[j].text) or re.match(r"\W*(?:noi nhan|phu luc)\b", fold(lines[j].text)):
                return i - 1, j
        return i - 1, len(lines)
    return None


def _items(lines: list[Line], first_milestone: tuple[str, str] | None = None) -> tuple[dict[str, str], list[dict]]:
    """Milestone headings and the items (bullets/paragraphs) under them, text joined."""
    milestones: dict[str, str] = {}
    items: list[dict] = []
    milestone = area = None
    if first_milestone:
        milestone = first_milestone[0]
        milestones[milestone] = first_milestone[1]
    milestone_marker: str | None = None  # "-" when milestones are printed as "- Đến năm 2030:"
    current: dict | None = None
    after_heading = True

    def start(text: str, place: Place) -> None:
        nonlocal current
        current = {"milestone": milestone, "area": area, "text": text.strip(), "place": place}
        items.append(current)

    for ln in lines:
        raw = ln.text.rstrip()
        text = collapse_ws(raw)
        if not text or _PAGE_NUMBER.match(text) or re.fullmatch(r"[-–—_*=.]{3,}", text):
            continue
        f = fold(text)
        bullet = _BULLET.match(raw)
        # "- Đến năm 2030:" / "Đến hết năm 2025" / "Đến năm 2030, 100% xã …" (heading + inline item)
        m = _MILESTONE.match(f)
        if m:
            rest = text[m.start("rest") :].strip() if m["rest"] else ""
            marker = raw.strip()[:1] if bullet else None
            if bullet and rest and m["sep"] == "," and marker != milestone_marker:
                # "- Đến năm 2027, có 50% …": an item with its own milestone; the heading stays.
                start(rest, ln.place)
                current["milestone"] = m["year"]
                after_heading = False
                continue
            if not rest or m["sep"] in (":", ","):
                milestone, milestone_marker = m["year"], marker
                milestones.setdefault(milestone, text if not rest else text[: m.start("rest")].rstrip(" :,"))
                area, current, after_heading = None, None, True
                if rest:
                    start(rest, ln.place)
                    after_heading = False
                continue
        am = _AREA.match(text) if not bullet else None
        if am and find_targets(am["text"].partition(":")[0]):
            # "a) 100% cơ quan … sử dụng …", "b) Tỷ lệ … đạt tối thiểu 80%.": lettered items are targets
            start(am["text"], ln.place)
            after_heading = False
            continue
        if (m := am):
            body = m["text"]
            name, _, inline = body.partition(":")
            area = name.strip().rstrip(".") or None
            current, after_heading = None, True
            if inline.strip():
                start(inline, ln.place)
                after_heading = False
            continue
        if bullet and current is not None and not after_heading and raw.lstrip()[:1] in "-–" \
                and bullet["text"][:1].islower() and not current["text"].endswith((".", ";", ":", "!", "?")):
            # "kinh tế\n- xã hội": a dash wrapped to the start of a line, not a new bullet
            current["text"] = collapse_ws(current["text"] + " " + text)
            continue
        if b := bullet:
            start(b["text"], ln.place)
            after_heading = False
            continue
        if current is None or after_heading:
            start(text, ln.place)
            after_heading = False
            continue
        prev = current["text"]
        if prev.endswith((".", ";", "!", "?")) and text[:1].isupper() and not prev.endswith("..."):
            start(text, ln.place)  # a new paragraph printed without a dash
        else:
            current["text"] = collapse_ws(prev + " " + text)
    return milestones, items


def _classify(item: dict) -> tuple[str, dict | None, str | None]:
    """("target", row fields, None) or ("skip", None, reason)."""
    text = item["text"]
    figures = find_targets(text)
    if figures:
        first, rest = figures[0], figures[1:]
        return "target", {**_public(first), "additional_targets": [_public(t) for t in rest]}, None
    f = fold(text)
    for verb in _DIRECTION_VERBS:
        if f.startswith(verb):
            printed = text[: len(verb)]
            return "skip", None, f"Câu định hướng (“{printed} …”), không nêu chỉ tiêu kiểm đếm được"
    return "target", {"op": "done", "value": None, "value_max": None, "unit": None, "raw": None,
                      "target": "X", "additional_targets": []}, None


def parse_targets(doc: SourceDoc) -> dict | None:
    """Milestone targets written in sentences, or None when the document has no such section."""
    lines = [ln for ln in doc_lines(doc)]
    span = _section(lines, _SECTION)
    first_milestone = None
    if span is not None:
        # "2. Mục tiêu cụ thể đến năm 2030": the heading itself names the milestone.
        if m := _SECTION_YEAR.search(fold(collapse_ws(lines[span[0]].text))):
            first_milestone = (m["year"], collapse_ws(lines[span[0]].text))
    else:
        # No such heading: start at the first milestone heading ("Đến năm 2030:") that is
        # followed by a bullet with a figure, and run to the next top-level heading.
        span = _milestone_section(lines)
        if span is None:
            return None
    milestones, items = _items(lines[span[0] + 1 : span[1]], first_milestone)
    if not items:
        return None
    targets: list[dict] = []
    skipped: list[dict] = []
    for n, item in enumerate(items, 1):
        kind, fields, reason = _classify(item)
        if kind == "skip":
            skipped.append({"n": n, "milestone": item["milestone"], "area": item["area"], "text": item["text"],
                            "reason": reason, "place": item["place"].to_dict()})
            continue
        flags = []
        if fields["op"] == "done":
            flags.append(Flag("op", "Mục tiêu không có số liệu: hiểu là phải đạt/hoàn thành trước mốc", item["place"], "info").to_dict())
        if fields["additional_targets"]:
            extra = ", ".join(t["raw"] for t in fields["additional_targets"])
            flags.append(Flag("additional_targets", f"Câu có nhiều chỉ tiêu; chỉ tiêu kèm theo: {extra}", item["place"], "info").to_dict())
        if fields["op"] in (">", "<") and item["text"].isascii():
            meant = "≥" if fields["op"] == ">" else "≤"
            flags.append(Flag("op", f"Dấu “{fields['op']}” trong bản không dấu (OCR) có thể là “{meant}”: giữ như bản in",
                              item["place"]).to_dict())
        if item["milestone"] is None:
            flags.append(Flag("milestone", "Không thấy mốc thời gian (“Đến năm …”) cho mục tiêu này", item["place"]).to_dict())
        targets.append({"n": n, "milestone": item["milestone"], "area": item["area"], "text": item["text"],
                        **fields, "place": item["place"].to_dict(), "flags": flags})
    return {"milestones": milestones, "targets": targets, "skipped": skipped}


# --- duties ------------------------------------------------------------------------------------------

_DUTY_SECTION = re.compile(
    r"^\W*(?:(?:[ivx]+|\d+|[a-z])[.)]\s*|(?:dieu|phan|muc|chuong) [ivx\d]+\s*[.:]?\s*)?"
    r"(?:to chuc thuc hien|trach nhiem thuc hien|phan cong (?:trach nhiem|nhiem vu|thuc hien))\b"
)
_VERB_MARKERS = re.compile(
    r"\s(?:co trach nhiem|chiu trach nhiem|chu tri|phoi hop|tap trung|theo chuc nang|to chuc|thuc hien|"
    r"xay dung|tham muu|chu dong|khan truong|trien khai|can cu|huong dan|kiem tra|bao dam|dam bao|"
    r"bo tri|theo doi|nghien cuu|lam dau moi|giup|la co quan)\b"
)
_ADVERBIAL = re.compile(r"^(?:tren co so|trong qua trinh|de |nham |can cu|theo )[^,]*,\s*")
_DEADLINE_PHRASES = [
    r"truoc ngay \d{1,2} (?:hang|hang) (?:thang|quy|nam)",
    r"truoc ngay \d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?(?: (?:hang|hang) nam)?",
    r"(?:hoan thanh )?(?:truoc|trong) (?:thang \d{1,2}\s*/\s*\d{4}|quy [ivx\d]+\s*/\s*\d{4}|nam \d{4})",
    r"dinh ky (?:hang|hang) (?:thang|quy|nam)",
    r"dinh ky (?:\d{1,2} thang(?:,\s*)?)+(?:(?:va |, )?\d+ nam)?",
    r"(?:hang|hang) (?:thang|quy|nam)",
    r"thuong xuyen",
]


def _deadline_phrase(text: str) -> str | None:
    folded = fold(text)
    for pattern in _DEADLINE_PHRASES:
        if m := re.search(rf"\b{pattern}\b", folded):
            return collapse_ws(text[m.start() : m.end()])
    return None


_SUBJECT_START = re.compile(r"(?:cac|thu truong|chu tich|giam doc|lanh dao|ubnd|uy ban|ban |phong |so |bo )")


def _verb_at(text: str, folded: str, start: int) -> re.Match | None:
    """The first verb after `start` printed in lower case: in "Ủy ban Kiểm tra Tỉnh ủy" the
    capital "Kiểm tra" is part of the name, in "… kiểm tra, giám sát" it is the duty."""
    for m in _VERB_MARKERS.finditer(folded, start):
        if not text[m.start() + 1 : m.start() + 2].isupper():
            return m
    return None


# A heading that is only a body's name: "1. Ban Tuyên giáo và Dân vận Tỉnh ủy", "4. UBND các xã,
# phường", "2. Đối với các sở, ban, ngành".
_COLLECTIVE_START = re.compile(
    r"(?:cac|nhung)\s+(?:so|ban|bo|nganh|co quan|don vi|dia phuong|phong|xa|phuong|huyen|to chuc|hoi|"
    r"doan|chi bo|dang uy|uy ban|ubnd|truong|doanh nghiep|thanh vien)\b"
)


def _name_heading(text: str) -> str | None:
    name = collapse_ws(text).rstrip(" .:;")
    f = fold(name)
    if not name or len(name.split()) > 16 or re.search(r"[.;:!?()]", name):
        return None
    if not (_ORG_START.match(f) or _COLLECTIVE_START.match(f)) or re.match(r"ban hanh\b", f):
        return None  # "Ban hành chính sách …" is a verb, not a "Ban"
    if _verb_at(name, f, 0) or re.search(r"\s(?:co|la|se|duoc|can|phai|va cac nhiem vu)\s", f):
        return None
    return name


def _subject(text: str) -> str | None:
    """The body a duty sentence is about: "Giao Phòng Văn hoá … chủ trì, …" → "Phòng Văn hoá …";
    "Trong quá trình …, các phòng, ban ngành chủ động …" → "các phòng, ban ngành"."""
    f = fold(text)
    starts = [0] + [m.end() for m in re.finditer(r"[,;]\s*", f)]
    for st in starts:
        g = re.match(r"(?:giao|de nghi|yeu cau)\s+", f[st:])
        st2 = st + (g.end() if g else 0)
        if not (_ORG_START.match(f[st2:]) or _SUBJECT_START.match(f[st2:])):
            continue
        if not (text[st2 : st2 + 1].isupper() or re.match(r"(?:cac|nhung) ", f[st2:])):
            continue  # "bổ sung …" is not "Bộ …"
        m = _verb_at(text, f, st2)
        if m and 2 <= m.start() - st2 <= 150:
            who = collapse_ws(text[st2 : m.start()]).rstrip(" ,")
            return who or None
    return None


def _body_of(heading: str) -> tuple[str | None, str, bool]:
    """(body, inline duty text, is_sentence): "3. Trách nhiệm của UBND xã:" → ("UBND xã", "",
    False); "5. Phòng Tài chính chủ trì, …" → ("Phòng Tài chính", the sentence, True)."""
    text = re.sub(r"^\s*(?:\d+(?:\.\d+)*|[a-zđ])\s*[.)]\s*", "", heading).strip()
    f = fold(text)
    if m := re.match(r"(?:trach nhiem|nhiem vu)(?: cu the)?(?: cua)?\s+(?P<who>[^:]+?)\s*(?::\s*(?P<inline>.*))?$", f):
        inline = text[m.start("inline") :].strip() if m["inline"] else ""
        return collapse_ws(text[m.start("who") : m.end("who")]).rstrip(" :.") or None, inline, False
    if dv := re.match(r"doi voi\s+", f):
        text, f = text[dv.end() :], f[dv.end() :]  # "2. Đối với các sở, ban, ngành:"
    head, sep, inline = text.partition(":")
    if sep and len(head) < 120 and (_ORG_START.match(fold(head).strip()) or _SUBJECT_START.match(fold(head).strip())):
        return collapse_ws(head).rstrip(" .") or None, inline.strip(), False
    if name := _name_heading(text):
        return name, "", False
    return _subject(text), text, True


# The closing sentences of a document, after its duties.
_CLOSING = re.compile(
    r"\W*(?:tren day la|(?:ke hoach|chuong trinh(?: hanh dong)?|quyet dinh|nghi quyet|chi thi|huong dan|de an|"
    r"ket luan|quy che|quy dinh|cong van|thong bao)\s+nay\s+(?:duoc|co hieu luc|thay the|phai|se))\b"
)


def _is_name_block(block: dict) -> bool:
    """A heading block that only names a body ("1. Sở Nội vụ", "- Sở Tài chính:")."""
    if not block["heading"]:
        return False
    text = re.sub(r"^\s*(?:\d+(?:\.\d+)*|[a-zđ])\s*[.)]\s*", "", block["text"]).strip()
    return bool(_name_heading(text))


def parse_duties(doc: SourceDoc) -> list[dict]:
    """Duties of each responsible body: the items of the tasks section that name their lead
    (`parse_task_duties`, with "coordinating" when named), then the "Tổ chức thực hiện" section
    (empty when none)."""
    lines = doc_lines(doc)
    task_duties, _ = parse_task_duties(doc, lines)
    span = _section(lines, _DUTY_SECTION, stop_milestones=False)
    blocks: list[dict] = []
    for ln in lines[span[0] + 1 : span[1]] if span else []:
        raw = ln.text.rstrip()
        text = collapse_ws(raw)
        if not text or _PAGE_NUMBER.match(text):
            continue
        if re.match(r"\W*(?:noi nhan|tm\.|t/m|kt\.)", fold(text)):
            break
        if not _NUM_HEADING.match(raw) and not _BULLET.match(raw) and _CLOSING.match(fold(text)):
            break  # "Chương trình hành động này được phổ biến …", "Trên đây là Kế hoạch …"
        if _NUM_HEADING.match(raw) or (_AREA.match(text) and not _BULLET.match(raw)):
            blocks.append({"heading": True, "text": text, "place": ln.place})
        elif b := _BULLET.match(raw):
            # "- Sở Tài chính:" over its "+ …" duties: a bullet that only names a body heads them.
            named = not b["text"].rstrip().endswith((".", ";")) and _name_heading(b["text"])
            blocks.append({"heading": bool(named), "text": b["text"].strip(), "place": ln.place})
        elif blocks and (_is_name_block(blocks[-1]) or (
                blocks[-1]["text"].endswith((".", ";", "!", "?")) and text[:1].isupper() and not blocks[-1]["heading"])):
            # a paragraph under "1. Sở …" (or the next paragraph of its duties): a duty of its own
            blocks.append({"heading": False, "text": text, "place": ln.place})
        elif blocks:
            blocks[-1]["text"] = collapse_ws(blocks[-1]["text"] + " " + text)
    out: list[dict] = []
    body: str | None = None
    for block in blocks:
        text, place = block["text"], block["place"]
        if block["heading"]:
            who, inline, sentence = _body_of(text)
            body = who
            if inline and who:
                out.append({"body": who, "text": collapse_ws(inline), "deadline": None, "place": place.to_dict(), "flags": []})
            continue
        who = body
        head, sep, _ = text.partition(":")
        if sep and len(head) < 120 and (_ORG_START.match(fold(head).strip()) or _SUBJECT_START.match(fold(head).strip())):
            who = collapse_ws(head)
        if who and text:
            out.append({"body": who, "text": collapse_ws(text), "deadline": None, "place": place.to_dict(), "flags": []})
    for row in out:
        row["deadline"] = _deadline_phrase(row["text"])
    out = task_duties + out
    for row in out:
        phrase = row["deadline"]
        row["deadline_kind"] = None
        if phrase:
            spec = parse_deadline(re.sub(r"^(?:hoàn thành|hoan thanh)\s+", "", phrase, flags=re.I)).value
            row["deadline_kind"] = spec.kind.value if spec.kind is not DeadlineKind.UNKNOWN else None
    return out


# --- tasks written in the "Nhiệm vụ, giải pháp" section ------------------------------------------
#
# Party programmes and some plans list their tasks as numbered sentences, each naming its lead
# body and time in brackets at the end: "1. Tăng cường … (Giao Ban Tuyên giáo và Dân vận Tỉnh ủy
# chủ trì; thời gian: thường xuyên).", "(Sở Tài chính chủ trì, phối hợp với các sở, ngành; hoàn
# thành trong quý IV/2025)", "(Cơ quan chủ trì: Sở Nội vụ; Thời gian: năm 2026)"; or open with the
# body: "Ban Tổ chức Tỉnh ủy chủ trì rà soát …", "- Ban Tổ chức Tỉnh ủy: Rà soát …".

_TASK_SECTION = re.compile(
    r"^\W*(?:(?:[ivx]+|\d+)\s*[.)]\s*|(?:phan|muc|chuong) [ivx\d]+\s*[.:]?\s*)"
    r"(?:cac |nhung |mot so )?(?:nhom )?(?:noi dung,?\s+(?:cac\s+)?)?(?:nhiem vu|giai phap|noi dung (?:thuc hien|trong tam|chu yeu))\b"
)
_LEAD_LABEL = re.compile(r"^(?:co quan|don vi|ban|so|bo|nganh)?\s*(?:chu tri|thuc hien|dau moi)\s*:\s*")
_COORD_LABEL = re.compile(r"^(?:co quan|don vi)?\s*phoi hop(?: thuc hien)?\s*:\s*")
_TIME_LABEL = re.compile(r"^(?:thoi gian(?: thuc hien| hoan thanh)?|thoi han(?: hoan thanh)?|tien do(?: thuc hien)?|hoan thanh)\s*:\s*")
_TIME_WORDS = re.compile(r"^(?:hoan thanh\s+)?(?:trong\s+|truoc\s+|vao\s+)?(?=(?:nam|quy|thang|ngay|giai doan|thuong xuyen|hang|hang|dinh ky|\d))")
_CHU_TRI = re.compile(r"\s+chu tri\b\s*,?\s*(?:(?:va\s+)?phoi hop voi\s+(?P<coord>.*))?$")


def _bracket_parts(inner: str) -> dict | None:
    """{"lead", "coordinating", "deadline"} of a bracket "(Giao X chủ trì, phối hợp với Y;
    thời gian: Z)", or None when it names no lead body."""
    lead: str | None = None
    coord: list[str] = []
    deadline: str | None = None
    for part in re.split(r"\s*;\s*", inner.strip(" .;")):
        part = part.strip(" .,")
        if not part:
            continue
        f = fold(part)
        if m := _LEAD_LABEL.match(f):
            lead = part[m.end():].strip(" .,") or lead
        elif m := _COORD_LABEL.match(f):
            coord = [part[m.end():].strip(" .,")] if part[m.end():].strip(" .,") else coord
        elif m := _TIME_LABEL.match(f):
            deadline = part[m.end():].strip(" .,") or deadline
        elif (m := _CHU_TRI.search(f)) and lead is None:
            g = re.match(r"(?:giao|de nghi|yeu cau)\s+", f)
            who = part[g.end() if g else 0 : m.start()].strip(" ,")
            if who:
                lead = who
            if m["coord"]:
                c = part[m.start("coord"):].strip(" .,")
                coord = [c] if c else coord
        elif deadline is None and (m := _TIME_WORDS.match(f)) and len(part) < 60:
            deadline = part[m.end():].strip(" .,") or None
    if not lead:
        return None
    if lead and (m := re.match(r"(?:giao|de nghi|yeu cau)\s+", fold(lead))):
        lead = lead[m.end():]
    return {"lead": collapse_ws(lead), "coordinating": [collapse_ws(c) for c in coord], "deadline": deadline and collapse_ws(deadline)}


def _task_items(lines: list[Line]) -> list[dict]:
    """Numbered or bulleted items of a section, wrapped lines joined: [{"text", "place"}]."""
    items: list[dict] = []
    under: str | None = None  # the body named by the heading the items stand under
    for ln in lines:
        raw = ln.text.rstrip()
        text = collapse_ws(raw)
        if not text or _PAGE_NUMBER.match(text):
            continue
        if re.match(r"\W*(?:noi nhan|tm\.|t/m|kt\.)", fold(text)):
            break  # the signature block
        head = re.match(r"^\s*(?:\d+(?:\.\d+)*\s*[.)]|[a-zđ]\s*\)|[-–—•●▪◦∙+*])\s*(?=\S)", raw)
        body = collapse_ws(raw[head.end():]) if head else text
        fb = fold(body)
        open_bracket = bool(items) and items[-1]["text"].count("(") > items[-1]["text"].count(")")
        if items and not open_bracket and not re.match(r"^\s*\d", raw) and (
                _LEAD_LABEL.match(fb) or _COORD_LABEL.match(fb) or _TIME_LABEL.match(fb)):
            # "- Cơ quan chủ trì: …", "Thời gian thực hiện: …" under the item they describe
            items[-1]["labels"] = "; ".join(filter(None, [items[-1].get("labels"), body]))
            continue
        if head:
            numbered = bool(re.match(r"^\s*\d", raw))
            name = _name_heading(body) if not body.rstrip().endswith((".", ";")) else None
            if numbered or name:
                under = name if name else (None if numbered else under)
            if name:
                # "1. Sở Khoa học và Công nghệ" over its duties (paragraphs or bullets)
                items.append({"text": body, "place": ln.place, "heading": name})
                continue
            items.append({"text": body, "place": ln.place, "under": under})
        elif items and not items[-1].get("heading") and (
                open_bracket or not items[-1]["text"].endswith((".", ";", ":")) or text[:1].islower()):
            items[-1]["text"] = collapse_ws(items[-1]["text"] + " " + text)
        else:
            items.append({"text": text, "place": ln.place, "paragraph": True, "under": under})
    return items


def _task_duty(item: dict) -> dict | None:
    """One item as a duty with its lead, or None when it names no lead body."""
    text = item["text"]
    f = fold(text)
    if item.get("heading"):
        return None
    duty = _own_task_duty(item, text, f)
    if duty is None and (body := item.get("under")):
        # a paragraph under "1. Sở …": a duty of that body whatever verb it starts with
        duty = {"body": body, "text": text, "coordinating": [], "deadline": _deadline_phrase(text),
                "place": item["place"].to_dict(), "flags": []}
        if c := re.match(r"chu tri\s*,?\s*(?:va\s+)?phoi hop voi\s+", f):
            v = _verb_at(text, f, c.end())
            if v and 2 <= v.start() - c.end() <= 120 and not re.search(r"[.;:]", text[c.end() : v.start()]):
                duty["coordinating"] = [collapse_ws(text[c.end() : v.start()]).rstrip(" ,")]
    return duty


def _own_task_duty(item: dict, text: str, f: str) -> dict | None:
    """An item naming its own lead body (brackets, labels, subject), else None."""
    if item.get("labels") and (parts := _bracket_parts(item["labels"])):
        # the item's own lines "Cơ quan chủ trì: …", "Thời gian: …"
        return {"body": parts["lead"], "text": text.rstrip(" .;,:"), "coordinating": parts["coordinating"],
                "deadline": parts["deadline"], "place": item["place"].to_dict(), "flags": []}
    # "(… chủ trì; thời gian: …)" closing the item
    if (m := re.search(r"\((?P<inner>[^()]*)\)\s*[.;]?\s*$", text)) and re.search(
            r"\bchu tri\b", fold(m["inner"])):
        parts = _bracket_parts(m["inner"])
        if parts:
            name = text[: m.start()].rstrip(" .;,:")
            return {"body": parts["lead"], "text": name, "coordinating": parts["coordinating"],
                    "deadline": parts["deadline"], "place": item["place"].to_dict(), "flags": []}
    # "Ban Tổ chức Tỉnh ủy: Rà soát …"
    head, sep, rest = text.partition(":")
    if sep and rest.strip() and len(head) < 120 and _name_heading(head):
        return {"body": collapse_ws(head), "text": rest.strip(), "coordinating": [],
                "deadline": _deadline_phrase(rest), "place": item["place"].to_dict(), "flags": []}
    # "Ban Tổ chức Tỉnh ủy chủ trì rà soát …", "Giao Sở Nội vụ chủ trì, phối hợp với …"
    g = re.match(r"(?:giao|de nghi|yeu cau)\s+", f)
    st = g.end() if g else 0
    if _ORG_START.match(f[st:]) and text[st : st + 1].isupper():
        m = re.search(r"\s(?:chu tri|la co quan dau moi)\b", f[st:])
        if m and 2 <= m.start() <= 150 and not re.search(r"[.;:]", text[st : st + m.start()]):
            who = collapse_ws(text[st : st + m.start()]).rstrip(" ,")
            coord: list[str] = []
            if c := re.match(r"\s*chu tri\s*,?\s*(?:va\s+)?phoi hop voi\s+", f[st + m.start() :]):
                c0 = st + m.start() + c.end()
                v = _verb_at(text, f, c0)
                if v and 2 <= v.start() - c0 <= 120 and not re.search(r"[.;:]", text[c0 : v.start()]):
                    coord = [collapse_ws(text[c0 : v.start()]).rstrip(" ,")]
            deadline = None
            if t := re.search(r"[;,(]\s*(?:thoi gian(?: thuc hien| hoan thanh)?|thoi han(?: hoan thanh)?)\s*:\s*", f):
                deadline = text[t.end() :].split(";")[0].strip(" .;)") or None
            return {"body": who, "text": text, "coordinating": coord, "deadline": deadline or _deadline_phrase(text),
                    "place": item["place"].to_dict(), "flags": []}
    return None


def _task_section_span(lines: list[Line]) -> tuple[int, int] | None:
    for i, ln in enumerate(lines):
        f = fold(collapse_ws(ln.text))
        if _TASK_SECTION.match(f) and not _DUTY_SECTION.match(f) and len(f) < 160:
            span = _section(lines[i:], _TASK_SECTION, stop_milestones=False)
            if span:
                return i + span[0], i + span[1]
    return None


def parse_task_duties(doc: SourceDoc, lines: list[Line] | None = None) -> tuple[list[dict], int]:
    """Duties read from the tasks section ("II. NHIỆM VỤ, GIẢI PHÁP"): each item that names its
    lead body. Returns (duties, number of items in the section)."""
    lines = lines if lines is not None else doc_lines(doc)
    span = _task_section_span(lines)
    if span is None:
        return [], 0
    items = [it for it in _task_items(lines[span[0] + 1 : span[1]])]
    out = [d for it in items if (d := _task_duty(it))]
    return out, len(items)


def task_section_flags(doc: SourceDoc) -> list[dict]:
    """A flag when the document has a tasks section whose items name no lead body in a way the
    importer knows (its tasks must then be entered by hand): never silently nothing."""
    lines = doc_lines(doc)
    span = _task_section_span(lines)
    if span is None:
        return []
    found, n = parse_task_duties(doc, lines)
    if found or not n:
        return []
    heading = collapse_ws(lines[span[0]].text)
    return [Flag("tasks", f"Mục “{heading}” có {n} nội dung nhưng không đọc được nhiệm vụ nào kèm cơ quan chủ trì: "
                          "cần kiểm tra và nhập nhiệm vụ bằng tay", lines[span[0]].place).to_dict()]


# --- changes of an amendment decision ------------------------------------------------------------
#
# "Quyết định về việc điều chỉnh, bổ sung Kế hoạch số …" lists its changes in a table
# "TT | Nội dung điều chỉnh | Đã ban hành (nội dung cũ) | Điều chỉnh thành (nội dung mới)" or in
# items "Điều chỉnh thời gian hoàn thành nhiệm vụ số 5 từ Tháng 6/2025 thành Tháng 9/2025".

_CHANGE_WHAT = re.compile(r"noi dung (?:dieu chinh|sua doi|thay doi|bo sung)|^noi dung$|^chi tieu$|^nhiem vu$|^muc$")
_CHANGE_OLD = re.compile(r"da ban hanh|noi dung cu|(?:quy dinh|ghi) (?:cu|tai ke hoach)|hien hanh|truoc (?:khi )?dieu chinh|^cu$")
_CHANGE_NEW = re.compile(r"dieu chinh thanh|sua doi thanh|sua thanh|noi dung moi|sau (?:khi )?dieu chinh|nay (?:dieu chinh|sua)|^moi$")
_CHANGE_FIELDS = [
    ("deadline", r"thoi gian|thoi han|tien do|moc hoan thanh"),
    ("lead", r"(?:co quan|don vi) chu tri|\bchu tri\b"),
    ("coordinating", r"(?:co quan|don vi) phoi hop|\bphoi hop\b"),
    ("result", r"ket qua|san pham"),
    ("target", r"(?:gia tri|muc) chi tieu|chi tieu (?:nam|den nam|giai doan)|muc tieu (?:nam|den nam)"),
    ("name", r"ten (?:nhiem vu|chi tieu)|noi dung (?:nhiem vu|chi tieu)"),
]
_CHANGE_TARGET = re.compile(r"\b(?P<what>nhiem vu|chi tieu)\s+(?:so\s+|thu\s+)?(?P<code>(?:[ivx]+\.)?\d+(?:\.\d+)*[a-z]?)\b")
_CHANGE_SENTENCE = re.compile(
    r"(?:dieu chinh|sua doi|thay doi)\s+(?P<what>.+?)\s*:?\s+tu\s+(?P<old>.+?)\s+(?:thanh|sang|len|xuong)\s*:?\s+(?P<new>.+?)\s*[.;]?$")
# "Sửa đổi tên nhiệm vụ số 3 thành: “…”": the new content only
_CHANGE_TO = re.compile(
    r"(?:dieu chinh|sua doi|thay doi)\s+(?P<what>[^:]+?(?:nhiem vu|chi tieu)\s+(?:so\s+)?[ivx\d][^\s:]*)\s*(?:thanh|la)\s*:?\s+(?P<new>.+?)\s*[.;]?$")


def _change_row(what: str, old: str, new: str, place: Place) -> dict:
    what, old, new = collapse_ws(what), collapse_ws(old).strip(" “”\"'"), collapse_ws(new).strip(" “”\"'.;")
    f = fold(what)
    field = next((name for name, pattern in _CHANGE_FIELDS if re.search(pattern, f)), None)
    tm = _CHANGE_TARGET.search(f)
    target = what[tm.start("code") : tm.end("code")].upper() if tm else None
    target_kind = ("task" if tm["what"] == "nhiem vu" else "indicator") if tm else None
    if field == "target" and target_kind is None:
        target_kind = "indicator"
    if field is None and tm and target_kind == "indicator" and re.search(r"\d", new):
        field = "target"
    year = None
    if field == "target" and (y := re.search(r"\b(20\d\d)\b", f)):
        year = y[1]
    flags = []
    if field is None or target is None:
        flags.append(Flag("field", "Chưa nhận ra nội dung điều chỉnh (nhiệm vụ/chỉ tiêu số mấy, trường nào): "
                                   "cần chọn lại trước khi áp dụng", place).to_dict())
    return {"what": what, "target": target, "target_kind": target_kind, "field": field, "year": year,
            "old": old or None, "new": new or None, "place": place.to_dict(), "flags": flags}


def _change_columns(header: list[str]) -> tuple[int, int, int] | None:
    folded = [fold(collapse_ws(h)).strip(" :()") for h in header]
    old = next((i for i, h in enumerate(folded) if _CHANGE_OLD.search(h)), None)
    new = next((i for i, h in enumerate(folded) if _CHANGE_NEW.search(h) and i != old), None)
    if old is None or new is None:
        return None
    what = next((i for i, h in enumerate(folded) if _CHANGE_WHAT.search(h) and i not in (old, new)), None)
    if what is None:
        what = next((i for i, h in enumerate(folded) if i not in (old, new) and not re.fullmatch(r"s?tt|so tt|stt", h)), None)
    return (what, old, new) if what is not None else None


def parse_changes(doc: SourceDoc) -> list[dict]:
    """Changes listed by an amendment: [{"what", "target" (task/indicator code or None),
    "target_kind", "field" (deadline|lead|coordinating|result|name|target|None), "year",
    "old", "new", "place", "flags"}]; [] when none."""
    from .model import Table

    out: list[dict] = []
    for block in doc.blocks:
        if not isinstance(block, Table) or not block.rows:
            continue
        for h, header in enumerate(block.rows[:3]):
            cols = _change_columns([c.text for c in header])
            if cols is None:
                continue
            for row in block.rows[h + 1 :]:
                cells = [c.text for c in row]
                if len(cells) <= max(cols):
                    continue
                what, old, new = (cells[i] for i in cols)
                if not collapse_ws(what) or re.fullmatch(r"\(?\d+\)?", collapse_ws(what)) and not collapse_ws(new):
                    continue  # "(1) | (2) | (3)" numbering rows
                out.append(_change_row(what, old, new, row[cols[0]].place))
            break
    if out:
        return out
    lines = doc_lines(doc)
    header_cols = None
    for ln in lines:
        text = collapse_ws(ln.text)
        raw = ln.text
        # a table copied as text: "TT | Nội dung điều chỉnh | Đã ban hành | Điều chỉnh thành"
        sep = "\t" if "\t" in raw else (" | " if " | " in raw else None)
        if sep:
            cells = [c.strip() for c in raw.strip().strip("|").split(sep.strip() if sep == " | " else sep)]
            if header_cols is None:
                header_cols = _change_columns(cells)
                if header_cols:
                    continue
            elif len(cells) > max(header_cols) and collapse_ws(cells[header_cols[0]]):
                out.append(_change_row(*(cells[i] for i in header_cols), ln.place))
                continue
        body = re.sub(r"^\s*(?:\d+(?:\.\d+)*\s*[.)]|[a-zđ]\s*\)|[-–—•●▪◦∙+*])\s*", "", text)
        f = fold(body)
        if m := _CHANGE_SENTENCE.match(f):
            out.append(_change_row(body[m.start("what") : m.end("what")], body[m.start("old") : m.end("old")],
                                   body[m.start("new") : m.end("new")], ln.place))
        elif m := _CHANGE_TO.match(f):
            out.append(_change_row(body[m.start("what") : m.end("what")], "", body[m.start("new") : m.end("new")], ln.place))
    return out
