"""Text normalisation for Vietnamese: one Unicode form, one tone-mark convention, accent-free keys."""

from __future__ import annotations

import re
import unicodedata

# \s covers newlines, tabs, NBSP and the other Unicode spaces that PDF/DOCX extraction produces.
_WHITESPACE = re.compile(r"\s+")
# Invisible characters copied from Word/PDF that are not \s but still break equality.
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")

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


def collapse_ws(s: str) -> str:
    """Collapse every run of whitespace (newlines, NBSP included) to one space and strip."""
    return _WHITESPACE.sub(" ", _INVISIBLE.sub("", s)).strip()


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


def strip_accents(s: str) -> str:
    """Drop every diacritic; đ/Đ are letters of their own in Unicode, so map them by hand."""
    s = s.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", s)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", bare)


def search_key(s: str) -> str:
    """Accent- and case-insensitive key: search_key("Chuyển đổi SỐ") == search_key("chuyen doi so").

    Casefold runs before stripping because casefolding can itself add marks ("İ" → "i̇").
    """
    return collapse_ws(strip_accents(nfc(s).casefold()))
