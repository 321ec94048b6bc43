"""Agency names as printed in plans: abbreviations, lists in one cell, collective phrases.

"Sở KH&CN", "Sở Khoa học và Công nghệ" and the diacritic-free OCR "So Khoa hoc va Cong nghe" are
one agency; "Các sở, ban ngành, địa phương" is every department and locality under the issuer.
"""

from __future__ import annotations

import re
import unicodedata

from .text import collapse_ws, nfc, strip_accents

# Keys are accent-free, lower case, with no spaces around "&", "," and "-" (see _fold_for_key).
_ABBREVIATIONS = {
    "kh&cn": "khoa hoc va cong nghe", "khcn": "khoa hoc va cong nghe",
    "kh&dt": "ke hoach va dau tu", "khdt": "ke hoach va dau tu",
    "tt&tt": "thong tin va truyen thong", "tttt": "thong tin va truyen thong",
    "gd&dt": "giao duc va dao tao", "gddt": "giao duc va dao tao",
    "vh,tt&dl": "van hoa the thao va du lich", "vhtt&dl": "van hoa the thao va du lich",
    "vhttdl": "van hoa the thao va du lich",
    "nn&mt": "nong nghiep va moi truong", "nnmt": "nong nghiep va moi truong",
    "nn&ptnt": "nong nghiep va phat trien nong thon", "nnptnt": "nong nghiep va phat trien nong thon",
    "ldtb&xh": "lao dong thuong binh va xa hoi", "ld-tb&xh": "lao dong thuong binh va xa hoi",
    "ldtbxh": "lao dong thuong binh va xa hoi",
    "tn&mt": "tai nguyen va moi truong", "tnmt": "tai nguyen va moi truong",
    "gtvt": "giao thong van tai", "tc-kh": "tai chinh ke hoach", "tckh": "tai chinh ke hoach",
    "ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "dbqh": "dai bieu quoc hoi",
    "ptth": "phat thanh truyen hinh", "kkt": "khu kinh te", "kcn": "khu cong nghiep",
    "vp": "van phong", "bql": "ban quan ly", "nhnn": "ngan hang nha nuoc",
    "bhxh": "bao hiem xa hoi", "mttq": "mat tran to quoc", "cntt": "cong nghe thong tin",
    "tp": "thanh pho", "tw": "trung uong", "thpt": "trung hoc pho thong",
}  # fmt: skip
ABBREVIATIONS = _ABBREVIATIONS  # short forms of agency names (accent-free, lower case) → long form
# Longest first so "kh&cn" wins over a shorter key at the same place; bounded by non-letters so
# "vp" never matches inside a word.
_ABBREVIATION_RE = re.compile(
    r"(?<![a-z0-9])("
    + "|".join(re.escape(k) for k in sorted(_ABBREVIATIONS, key=len, reverse=True))
    + r")(?![a-z0-9])"
)
_PUNCTUATION = re.compile(r"[^\w\s]|_")
CORE_SUFFIXES = ("tinh quang ngai", "tinh")


def _fold_for_key(name: str) -> str:
    folded = strip_accents(nfc(name).casefold())
    # "KH & CN", "TC - KH", "VH, TT&DL" are the same abbreviations as "KH&CN", "TC-KH", "VH,TT&DL".
    return re.sub(r"\s*([&,\-])\s*", r"\1", folded)


def agency_key(name: str) -> str:
    """Accent-free key that is equal for every way of writing one agency name."""
    folded = _fold_for_key(name)
    expanded = _ABBREVIATION_RE.sub(lambda m: " " + _ABBREVIATIONS[m[1]] + " ", folded)
    expanded = expanded.replace("&", " va ")
    return collapse_ws(_PUNCTUATION.sub(" ", expanded))


def agency_core_key(name: str, *, suffixes: tuple[str, ...] = CORE_SUFFIXES) -> str:
    """agency_key without the issuer's locality: "Sở KH&CN tỉnh Quảng Ngãi" → "so khoa hoc va cong nghe".

    Kept apart from agency_key because "Công an tỉnh" and "Công an huyện" differ in general;
    only a caller that knows the issuer's level may drop it.
    """
    key = agency_key(name)
    for suffix in suffixes:
        if key.endswith(" " + suffix):
            key = key[: -len(suffix) - 1]
    return key


# Words that open an agency name. A "," or " và " starts a new agency only when followed by one
# of these, because names themselves contain both ("Sở Văn hóa, Thể thao và Du lịch").
_HEADS = (
    "sở", "ban", "báo", "đài", "công an", "văn phòng", "vp", "phòng", "chi cục", "ngân hàng",
    "nhnn", "ủy ban", "ubnd", "trường", "bộ", "cục", "tổng cục", "trung tâm", "hội", "liên hiệp",
    "liên đoàn", "liên minh", "đảng ủy", "tỉnh ủy", "huyện ủy", "tỉnh đoàn", "đoàn", "viện",
    "học viện", "bệnh viện", "đại học", "bảo hiểm", "bhxh", "kho bạc", "quỹ", "thanh tra",
    "mặt trận", "mttq", "tòa án", "chi nhánh", "công ty", "bql", "hđnd",
    # ministries' departments, zones, enterprises and party/mass bodies that partner in plans
    "vụ", "khu công nghệ cao", "khu công nghiệp", "khu kinh tế", "ban quản lý", "tập đoàn",
    "tổng công ty", "hợp tác xã", "viettel", "vnpt", "mobifone", "evn", "điện lực", "bưu điện",
    "chi đoàn", "chi bộ", "chi hội", "thành đoàn", "huyện đoàn", "hội đồng",
    "bộ chỉ huy", "ban chỉ huy", "tòa soạn", "tạp chí", "cổng thông tin",
)  # fmt: skip
# Heads that are a whole name on their own.
_SELF_NAMED = frozenset({
    "tỉnh đoàn", "huyện đoàn", "thành đoàn", "tỉnh ủy", "huyện ủy", "đảng ủy", "viettel", "vnpt",
    "mobifone", "evn", "bưu điện", "mttq", "ubnd", "hđnd", "bhxh", "nhnn", "công an",
})  # fmt: skip
# Head words that open a common noun rather than a name: ", ban ngành" is part of a collective.
_NOT_HEADS = ("ban ngành", "bộ ngành", "bộ phận", "phòng ban", "đoàn thể", "hội nhập", "sở ngành")
# "Các" opens an agency only before an organisational noun: "và các địa phương" is a new entry,
# "Ban Quản lý KKT Dung Quất và các KCN tỉnh" is one name.
_CAC_NOUNS = (
    "sở", "phòng", "ban", "bộ", "ngành", "địa phương", "đơn vị", "cơ quan", "trường", "xã",
    "phường", "huyện", "tỉnh", "thành phố", "hội", "viện", "trung tâm", "doanh nghiệp", "tổ chức",
    "ủy ban", "ubnd", "thôn", "tổ dân phố", "khu dân cư", "khu phố", "bản", "ấp", "buôn", "làng",
    "thị trấn", "chi bộ", "chi hội", "hợp tác xã", "đoàn thể", "cơ sở",
)  # fmt: skip
# " - " separates too, only before a head word: "Phòng Tài chính - Kế hoạch" is one name.
_SEPARATOR = re.compile(r"(\s*[;,]\s*|\s+(?:và|va|VÀ|VA|Và|Va)\s+|\s+[-–]\s+)")
_LISTED_UNDER = re.compile(
    r"(?P<cac>các|cac)\s+(?P<head>sở|so|phòng|phong|ban|bộ|bo)\s*:\s*(?P<items>.+)", re.I
)
_EMPTY = {"", "-", "–", "—"}


def _word_prefix(text: str, words: tuple[str, ...]) -> str | None:
    for w in sorted(words, key=len, reverse=True):
        if text == w or text.startswith(w + " "):
            return w
    return None


def _starts_agency(piece: str, *, accentless: bool) -> bool:
    """Whether a piece after a separator opens a new agency name."""
    folded = unicodedata.normalize("NFC", nfc(piece).casefold())
    heads, not_heads, cac_nouns, cac = _HEADS, _NOT_HEADS, _CAC_NOUNS, "các"
    if accentless:
        # Diacritic-free OCR: compare without accents (then "so" also reads "số"; we cannot tell).
        folded = strip_accents(folded)
        heads, not_heads, cac_nouns, cac = (
            tuple(strip_accents(w) for w in ws) for ws in (_HEADS, _NOT_HEADS, _CAC_NOUNS, ("các",))
        )
        cac = cac[0]
    if folded.startswith(cac + " "):
        return _word_prefix(folded[len(cac) + 1 :], cac_nouns) is not None
    head = _word_prefix(folded, heads)
    if head is not None and folded == head and folded in (
            {strip_accents(w) for w in _SELF_NAMED} if accentless else _SELF_NAMED):
        return True  # "…, Tỉnh đoàn": a body whose head is its whole name
    if head is None or folded == head:  # a bare "Phòng" is the start of "Phòng, ban ngành"
        return False
    return _word_prefix(folded, not_heads) is None


def starts_agency_name(text: str) -> bool:
    """Whether a text opens with an agency's name ("Sở …", "Các chi bộ", "Viettel …", not "Số
    sản phẩm" nor "Ban hành"): the test used between the pieces of an agency cell."""
    text = unicodedata.normalize("NFC", collapse_ws(text or ""))
    return bool(text) and _starts_agency(text, accentless=strip_accents(text) == text)


def _glued(previous: str, piece: str) -> bool:
    """"Văn phòng HĐND và UBND huyện" is one office although "UBND" opens names."""
    prev, cur = agency_key(previous), agency_key(piece)
    return prev.startswith("van phong ") and prev.endswith("hoi dong nhan dan") and cur.startswith(
        "uy ban nhan dan"
    )


def _clean(entry: str) -> str:
    # OCR leaves a full stop after the last agency of a cell ("Công an tỉnh.").
    return collapse_ws(entry).strip(" ,;:.")


def _split_listed_under(match: re.Match[str], *, accentless: bool) -> list[str]:
    """"Các sở: Y tế, Tài chính" → ["Sở Y tế", "Sở Tài chính"].

    Only "," and ";" separate here: "Giáo dục và Đào tạo" is one department.
    """
    head = match["head"].capitalize()
    items = [_clean(i) for i in re.split(r"[;,]", match["items"])]
    return [i if _starts_agency(i, accentless=accentless) else f"{head} {i}" for i in items if i]


# The fields that department names list, some of them with commas ("Sở Văn hóa, Thể thao và Du
# lịch", "Phòng Văn hoá, Khoa học và Thông tin", "Báo và Phát thanh, Truyền hình"): a capitalised
# piece after a comma that opens with one of these goes on with the name before it.
_FIELDS = (
    "văn hóa", "văn hoá", "thể thao", "du lịch", "khoa học", "công nghệ", "thông tin", "truyền thông",
    "truyền hình", "phát thanh", "giáo dục", "đào tạo", "lao động", "thương binh", "xã hội", "y tế",
    "dân số", "gia đình", "kế hoạch", "đầu tư", "tài chính", "tài nguyên", "môi trường", "nông nghiệp",
    "phát triển", "nông thôn", "kinh tế", "hạ tầng", "đô thị", "xây dựng", "giao thông", "vận tải",
    "công thương", "thương mại", "dịch vụ", "nội vụ", "tư pháp", "dân tộc", "tôn giáo", "quốc phòng",
    "an ninh", "trật tự", "thi đua", "khen thưởng", "tuyên giáo", "dân vận", "tổ chức", "kiểm tra",
    "nghiên cứu", "ứng dụng", "đổi mới", "sáng tạo", "chuyển đổi số", "thể dục", "ngoại vụ",
    "thủy sản", "lâm nghiệp", "thủy lợi", "năng lượng", "quy hoạch", "kiến trúc", "nhà ở", "việc làm",
)  # fmt: skip


def _opens_field(piece: str) -> bool:
    folded = strip_accents(nfc(piece).casefold())
    return any(folded == f or folded.startswith(f + " ") for f in {strip_accents(x) for x in _FIELDS})


def _is_initialism(word: str) -> bool:
    """"VNPT", "FPT", "MTTQ": capitals only (not "TT&DL", the tail of "VH, TT&DL")."""
    core = word.strip("“\"'(.,;:)")
    return len(core) >= 2 and "&" not in core and core.isalpha() and core.isupper()


def _has_head(text: str, *, accentless: bool) -> bool:
    return _starts_agency(text, accentless=accentless) or _starts_agency(
        re.sub(r"^(?:các|cac)\s+", "", text, flags=re.I), accentless=accentless)


def _new_proper_name(previous: str, piece: str, *, accentless: bool) -> bool:
    """A capitalised piece after a comma that is an organisation of its own although it opens
    with no head word: an initialism ("…, VNPT Quảng Trị"), or a proper name after another
    proper name ("Viettel Quảng Trị, VNPT Quảng Trị"). A piece that opens with a field word
    ("Thể thao và Du lịch") continues the name before it; so does any piece after a name with a
    head ("UBND huyện Sơn Tịnh, Tư Nghĩa")."""
    words = piece.split()
    if not words or not words[0][:1].isupper() or _opens_field(piece):
        return False
    if _is_initialism(words[0]) and len(words[0].strip("“\"'(")) >= 3:
        return True
    prev_words = previous.split()
    return (
        len(words) >= 2 and len(prev_words) >= 2
        and prev_words[0][:1].isupper() and not _has_head(previous, accentless=accentless)
        and not _opens_field(previous) and sum(w[:1].isupper() for w in words) >= 2
    )


def _split_piece(piece: str, *, accentless: bool) -> list[str]:
    if listed := _LISTED_UNDER.fullmatch(piece):
        return _split_listed_under(listed, accentless=accentless)
    parts = _SEPARATOR.split(piece)
    entries = [parts[0]]
    for separator, part in zip(parts[1::2], parts[2::2]):
        new = _starts_agency(part, accentless=accentless) or (
            separator.strip() == "," and _new_proper_name(entries[-1], part, accentless=accentless))
        if new and not _glued(entries[-1], part):
            entries.append(part)
        else:
            entries[-1] += separator + part
    return [e for e in (_clean(e) for e in entries) if e]


# Heads that open a second agency printed straight after a first one with no separator at all
# ("Sở Nội vụ Sở Tài chính"). Only capitalised, and never party-committee qualifiers that end
# names ("Ban Tuyên giáo Tỉnh ủy"), nor after words that tie it to the name before ("thuộc Sở").
_RUN_ON_HEADS = (
    "Sở", "Phòng", "Ban", "Báo", "Đài", "Công an", "Văn phòng", "VP", "Ngân hàng", "NHNN", "UBND",
    "Ủy ban", "Uỷ ban", "Bộ", "Cục", "Chi cục", "Tổng cục", "Trung tâm", "Kho bạc", "Bảo hiểm",
    "BHXH", "Thanh tra", "Viện", "Trường", "Hội", "Liên đoàn", "Tỉnh đoàn", "Huyện đoàn",
    "Bộ Chỉ huy", "Ban Chỉ huy", "Chi nhánh", "Quỹ", "Đoàn", "Vụ",
)  # fmt: skip
_RUN_ON_NOT_AFTER = {"và", "va", "các", "cac", "của", "cua", "thuộc", "thuoc", "với", "voi", "cho", "tại", "tai"}
_RUN_ON_NOT_HEADS = ("Bộ đội", "Bo doi", "Ban hành", "Ban hanh", "Hội nhập", "Hoi nhap", "Bộ phận")


def _run_on_heads(accentless: bool) -> tuple[str, ...]:
    heads = _RUN_ON_HEADS
    if accentless:
        heads = tuple({strip_accents(h) for h in heads})
    return tuple(sorted(heads, key=len, reverse=True))


def _split_run_on(entry: str, *, accentless: bool) -> list[str]:
    """"Sở Nội vụ Sở Tài chính" → ["Sở Nội vụ", "Sở Tài chính"]: a capitalised head word in the
    middle of an entry opens a second agency when the first already has a name after its head."""
    if collective_kind(entry) is not None:
        return [entry]
    heads = _run_on_heads(accentless)
    words = entry.split(" ")
    out: list[list[str]] = [[]]
    i = 0
    while i < len(words):
        rest = " ".join(words[i:])
        head = next(
            (h for h in heads if (rest == h or rest.startswith(h + " ")) and not any(
                rest == n or rest.startswith(n + " ") for n in _RUN_ON_NOT_HEADS)), None,
        )
        current = out[-1]
        if (
            head is not None
            and len(current) >= 2
            and current[-1].casefold() not in _RUN_ON_NOT_AFTER
            and not current[-1].endswith(("&", "-", ","))
            and not _is_bare_head(" ".join(current), accentless=accentless)
            and len(rest.split(" ")) > len(head.split(" "))
        ):
            out.append([])
        out[-1].append(words[i])
        i += 1
    return [" ".join(ws) for ws in out if ws]


def _is_bare_head(text: str, *, accentless: bool) -> bool:
    """"Hội", "Văn phòng", "Ủy ban": a head word with nothing after it yet."""
    folded = nfc(text).casefold()
    heads = _HEADS
    if accentless:
        folded, heads = strip_accents(folded), tuple(strip_accents(h) for h in _HEADS)
    return folded in heads


def split_agency_list(raw: str | None) -> list[str]:
    """Split a printed agency cell into agency names, keeping collective phrases whole.

    ";" always separates; "," and " và " separate only before a word that opens an agency name;
    two names run together with no separator ("Sở Nội vụ Sở Tài chính") are split at the second
    capitalised head word.
    Names are returned as printed (whitespace collapsed), except for "Các sở: ..." lists whose
    items get their head word back.
    """
    if raw is None:
        return []
    text = unicodedata.normalize("NFC", collapse_ws(str(raw)))
    if text in _EMPTY:
        return []
    accentless = strip_accents(text) == text
    result: list[str] = []
    for piece in re.split(r"\s*;\s*", text):
        if _clean(piece) not in _EMPTY:
            for entry in _split_piece(piece, accentless=accentless):
                result.extend(_split_run_on(entry, accentless=accentless))
    return result


# Collective phrases, matched on agency_key (accent-free, punctuation gone, abbreviations expanded).
_QUALIFIER = r"(?: (?:co )?lien quan| chu tri| tren dia ban)?"
_UNITS = r"(?:so|bo|phong|co quan|don vi)"
_COLLECTIVES = (
    (
        "departments_and_localities",
        re.compile(
            rf"(?:cac )?{_UNITS}(?: ban)?(?: nganh)?(?: don vi)?(?: va)?(?: cac)? dia phuong{_QUALIFIER}"
        ),
    ),
    ("departments", re.compile(rf"(?:cac )?{_UNITS}(?: ban nganh| nganh| ban| don vi){_QUALIFIER}")),
    ("departments", re.compile(rf"cac (?:co quan|don vi){_QUALIFIER}")),
    (
        "localities",
        re.compile(
            r"(?:cac )?dia phuong(?: chu tri)?"
            r"|(?:uy ban nhan dan )?cac (?:xa|phuong|thi tran|huyen|thi xa|thanh pho)"
            r"(?: (?:xa|phuong|thi tran|huyen|thi xa|thanh pho))*"
            r"|uy ban nhan dan cap (?:xa|huyen)"
        ),
    ),
)


def collective_kind(name: str) -> str | None:
    """"departments_and_localities", "departments", "localities" for collective phrases, else None.

    "có liên quan" variants map to "departments" too: which ones are concerned is decided later.
    """
    key = agency_key(name)
    for kind, pattern in _COLLECTIVES:
        if pattern.fullmatch(key):
            return kind
    return None


def is_collective(name: str) -> bool:
    return collective_kind(name) is not None

