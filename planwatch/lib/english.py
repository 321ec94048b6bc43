"""Is a piece of interface text English? One rule for the pages (notes transcribed in English
are not shown to people) and for the crawl test that keeps English off every page.

Words are those of an English interface or note, chosen so that none is also a Vietnamese
syllable written without tone marks ("to", "in", "no", "con", "tin", "the"… are left out;
"true" is an OCR misreading of "trực" in raw OCR text, so one such word alone is not enough)."""

from __future__ import annotations

import re

ENGLISH_WORDS = frozenset("""
and of with from for this that not see are was were has have should would which there their into than only
also very likely probably stands copies printed reads read typo sic kept treated taken placed blank null
merged cell cells row rows column columns page pages table sheet transcribed transcriber original source
missing unknown lower higher confidence filled down above below between after before directly under
submit submitted save saved cancel delete deleted edit search login logout password username report reports
period periods status draft returned accepted upload download next previous home settings dashboard none
true false object error warning loading back total indicator indicators task tasks target targets value
values name date file files export import notes note unit units plan plans deadline progress done pending
created updated user admin yes show hide more less view details open close closed new add remove filter sort
month quarter year week today yesterday ago minutes hours days
""".split())

_WORD = re.compile(r"[A-Za-z]+")


def english_words(text: str) -> set[str]:
    """The English interface words in `text` (as written)."""
    return {w for w in _WORD.findall(text or "") if w.lower() in ENGLISH_WORDS}


def looks_english(text: str) -> bool:
    """Two different English words, or a text that is one English word on its own
    ("None", "Submit")."""
    words = {w.lower() for w in english_words(text)}
    if len(words) >= 2:
        return True
    stripped = (text or "").strip().strip(".:!?()[]").strip()
    return bool(words) and stripped.lower() in words
