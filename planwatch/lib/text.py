"""Text normalisation for Vietnamese: one Unicode form, one tone-mark convention, accent-free keys."""

from __future__ import annotations

import functools
import re
import unicodedata

# Vietnamese tone marks as NFD combining characters: grave, acute, tilde, hook above, dot below.
_TONES = "\u0300\u0301\u0303\u0309\u0323"
# A tone mark on the second vowel of oa/oe/uy that ends the word ("hoá", "khoẻ", "thuỷ").
# Anything after it that is a letter or another combining mark means a final consonant or a
# different vowel ("hoàn", "hoặc", "khuỷu"), where the tone rightly stays on the second vowel.
# "qu" is an onset, not a vowel, so "quý" keeps its tone on the y.
_NEW_STYLE_TONE = re.compile(
    rf"(?<![qQ])([oO])([aAeE])([{_TONES}])(?![\w\u0300-\u036f])"
    rf"|(?<![qQ])([uU])([yY])([{_TONES}])(?![\w\u0300-\u036f])"
)


# Invisible characters copied from Word/PDF that are not whitespace but still break equality.
_INVISIBLE_TABLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff"))


def collapse_ws(s: str) -> str:
    """Collapse every run of whitespace (newlines, NBSP included) to one space and strip.

    str.split() splits on exactly the characters that the regex class for whitespace matches
    (str.isspace), at C speed."""
    if not s.isascii():
        s = s.translate(_INVISIBLE_TABLE)
    return " ".join(s.split())


def _old_style_tone(match: re.Match[str]) -> str:
    first, second, tone = (g for g in match.groups() if g is not None)
    return first + tone + second


def normalize_tone_placement(s: str) -> str:
    """Move the tone of open oa/oe/uy syllables to the first vowel: "hoá" → "hóa", "thuỷ" → "thủy".

    The seed documents use this "traditional" placement; mixing both makes equal words compare
    unequal, so we pick the one the documents already use.
    """
    decomposed = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFC", _NEW_STYLE_TONE.sub(_old_style_tone, decomposed))


def nfc(s: str) -> str:
    """NFC, whitespace collapsed, traditional tone placement: the one form we store and compare."""
    return normalize_tone_placement(collapse_ws(unicodedata.normalize("NFC", s)))


def _strip_slow(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", s)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", bare)


@functools.cache
def _strip_table() -> dict[int, str | None]:
    """Every BMP character that strip_accents changes, mapped to what it becomes (combining
    marks to nothing): one str.translate instead of a decomposition per call."""
    table: dict[int, str | None] = {}
    for code in range(0x80, 0x10000):
        ch = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        if unicodedata.category(ch) == "Mn":
            table[code] = None
            continue
        bare = _strip_slow(ch)
        if bare != ch:
            table[code] = bare
    return table


@functools.lru_cache(maxsize=65536)
def strip_accents(s: str) -> str:
    """Drop every diacritic; đ/Đ are letters of their own in Unicode, so map them by hand.

    Called for every cell and line the importer reads, hence the table and the cache; the
    result is that of NFD → drop every Mn → NFC (tested against it)."""
    if s.isascii():
        return s
    out = s.translate(_strip_table())
    return out if out.isascii() else unicodedata.normalize("NFC", out)


def search_key(s: str) -> str:
    """Accent- and case-insensitive key: search_key("Chuyển đổi SỐ") == search_key("chuyen doi so").

    Casefold runs before stripping because casefolding can itself add marks ("İ" → "i̇").
    """
    return collapse_ws(strip_accents(nfc(s).casefold()))


# --- Vietnamese alphabetical order -------------------------------------------------------------
# The alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y. f, j, w, z (loan
# words, names of ethnic-minority places such as "Đăk Rơ Wa") sit where the Latin alphabet has them.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {c: i for i, c in enumerate(_ALPHABET)}
# Vowel modifiers (breve, circumflex, horn) make a new letter; tone marks do not.
_MODIFIED = {
    ("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư",
}  # fmt: skip
# Dictionary order of the tones: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Primary weights: separators first, then digits, then letters, then anything else by code point.
_SPACE, _DIGIT0, _LETTER0, _OTHER0 = 0, 10, 100, 1000


def vn_sort_key(s: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], str]:
    """Key for sorting Vietnamese text alphabetically: sorted(names, key=vn_sort_key).

    Primary: the base letters in the Vietnamese alphabet (d < đ < e, o < ô < ơ), case-blind,
    spaces before everything so "An Phú" < "Anh"; secondary: the tones (ngang, huyền, hỏi, ngã,
    sắc, nặng); tertiary: lower case before upper case; last, the text itself so that the
    order is total. Python's default order puts "Đ…" after "Z…"; this does not.
    """
    text = unicodedata.normalize("NFD", nfc(s))
    primary: list[int] = []
    tones: list[int] = []
    cases: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        i += 1
        marks = ""
        while i < len(text) and unicodedata.combining(text[i]):
            marks += text[i]
            i += 1
        low = ch.lower()
        tone = 0
        for m in marks:
            if m in _TONE_RANK:
                tone = _TONE_RANK[m]
            elif (low, m) in _MODIFIED:
                low = _MODIFIED[(low, m)]
        if low in _LETTER_RANK:
            weight = _LETTER0 + _LETTER_RANK[low]
        elif ch.isspace():
            weight = _SPACE
        elif ch.isdigit():
            weight = _DIGIT0 + unicodedata.digit(ch, 0)
        else:
            weight = _OTHER0 + ord(low)
        primary.append(weight)
        tones.append(tone)
        cases.append(1 if ch.isupper() else 0)
    return tuple(primary), tuple(tones), tuple(cases), s


def vn_full_name(family: str | None, given: str | None, fallback: str = "") -> str:
    """A person's name in Vietnamese order, family name first ("Nguyễn Thị" + "Lan" →
    "Nguyễn Thị Lan"), unlike Django's get_full_name() ("Lan Nguyễn Thị"); `fallback` (the
    username) when no name is recorded. The one rule for every page, e-mail and document."""
    name = collapse_ws(" ".join(p for p in (family or "", given or "") if p))
    return name or fallback


def user_full_name(user) -> str:
    """vn_full_name of a Django user (last_name is the family name); "" for no user."""
    if user is None:
        return ""
    return vn_full_name(getattr(user, "last_name", ""), getattr(user, "first_name", ""), user.get_username())
