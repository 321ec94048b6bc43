"""Footnotes of narrative reports: their bodies, the sentence each hangs on, and the items they
enumerate ("(1) “…”; (2) …; (3) …").

A DOCX reader hands us `doc.footnotes` (marker → text). Text copied out of a PDF has no such
structure: the footnotes of a page sit at its bottom, after a separator line (a run of spaces or
of underscores), one per line starting with its number ("4 (1) “Xây dựng …”"), possibly wrapped
over several lines, and the body resumes after them. Their marks in the body are fused with the
preceding word by the extraction ("KH&CN5", "57-NQ/TW3;", and even "năm 20254." for the mark 4
after the year 2025).
"""

from __future__ import annotations

import re

from planwatch.lib.text import collapse_ws

from .metadata import Line, doc_lines
from .model import Place, SourceDoc

_SEPARATOR = re.compile(r"^(?:\s{10,}|\s*[_─—–-]{5,}\s*)$")
# "4 (1) …", "2" alone (its text on the next line), "17Kế hoạch …" (the mark fused with the text).
_ENTRY = re.compile(r"^(?P<n>\d{1,3})(?:\s+(?P<text>\S.*)|(?P<fused>[^\W\d_“\"(].*))?\s*$")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_QUOTES = "“”\"'‘’«»"


def _footnote_areas(lines: list[Line]) -> tuple[list[dict], set[int]]:
    """Footnote bodies found after separator lines, and the indexes of the lines they use."""
    notes: list[dict] = []
    used: set[int] = set()
    last = 0
    i = 0
    while i < len(lines):
        if not (_SEPARATOR.match(lines[i].text) and lines[i].text):
            i += 1
            continue
        j = i + 1
        current: dict | None = None
        blanks = 0
        area: list[int] = [i]
        while j < len(lines):
            raw = lines[j].text
            text = collapse_ws(raw)
            if not text:
                blanks += 1
                if blanks >= 2:
                    break
                j += 1
                continue
            blanks = 0
            m = _ENTRY.match(text)
            # Numbering runs on through the document (or starts again at 1 on a page).
            if m and not raw[:1].isspace() and (int(m["n"]) == last + 1 or (int(m["n"]) == 1 and current is None)):
                current = {"marker": m["n"], "text": m["text"] or m["fused"] or "", "place": lines[j].place, "lines": [j]}
                notes.append(current)
                last = int(m["n"])
                area.append(j)
                j += 1
                continue
            if current is None or raw[:1].isspace() or _ENTRY.fullmatch(text) or _SEPARATOR.match(raw):
                break  # the body resumes (or a page number): the area ends
            current["text"] = collapse_ws(current["text"] + " " + text)
            current["lines"].append(j)
            area.append(j)
            j += 1
        if current is not None:
            used.update(area)
        i = max(j, i + 1)
    return notes, used


def _anchor(body: str, marker: str, start: int) -> tuple[int, int] | None:
    """(position of the mark, end of the word it is fused to) in `body`, searching from `start`."""
    n = re.escape(marker)
    end = r"(?=[\s.,;:)”\"'’]|$)"
    patterns = [
        rf"(?<=[^\W\d_]){n}{end}",  # "KH&CN5", "đổi mới4"
        rf"(?<=[)”\"’.,;:/]){n}{end}",  # "(cũ)”6", "57-NQ/TW3"
        rf"(?<=\b(?:19|20)\d\d){n}{end}",  # "năm 20254." (the year 2025, then the mark 4)
        rf"\[{n}\]",
    ]
    best = None
    for p in patterns:
        m = re.compile(p).search(body, start)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.end())
    return best


def _sentence_before(body: str, pos: int) -> str:
    """The sentence that ends at the mark: from the last sentence break (". ", "; ", ": ", a
    bullet) to `pos`."""
    head = body[:pos]
    cut = 0
    for m in re.finditer(r"[.;:!?]\s+(?=\S)|(?:^|\s)[-+•]\s+(?=\S)", head):
        cut = m.end()
    return re.sub(r"^[-+•]\s+", "", collapse_ws(head[cut:])).strip(" ,;")


def split_items(text: str) -> tuple[str, list[dict]]:
    """"Kiểm tra …: (1) A; (2) “B”." → ("Kiểm tra …:", [items]). Only a run (1), (2), (3)… in
    order counts; "(Willd)" or "(cũ)" inside an item does not split it."""
    marks = []
    pos = 0
    k = 1
    while True:
        m = re.compile(rf"\(\s*{k}\s*\)|(?<![\w(]){k}\)").search(text, pos)
        if m is None:
            break
        marks.append(m)
        pos = m.end()
        k += 1
    if len(marks) < 2:
        return text, []
    items = []
    for idx, m in enumerate(marks):
        end = marks[idx + 1].start() if idx + 1 < len(marks) else len(text)
        printed = text[m.end() : end].strip()
        title = printed.rstrip(" ;.,")
        if title[:1] in _QUOTES and title[-1:] in _QUOTES:
            title = title[1:-1].strip()
        elif title[:1] in _QUOTES and title.count(title[0]) == 1 and "”" not in title[1:]:
            title = title[1:].strip()
        items.append({"n": idx + 1, "marker": collapse_ws(m.group()).replace(" ", ""), "title": title,
                      "text_as_printed": printed})
    return text[: marks[0].start()].strip(), items


def parse(doc: SourceDoc) -> list[dict]:
    """Every footnote with the sentence it hangs on and its enumerated items, in order."""
    lines = doc_lines(doc)
    notes, used = _footnote_areas(lines)
    if doc.footnotes:
        known = {n["marker"] for n in notes}
        for marker, text in doc.footnotes.items():
            if str(marker) not in known:
                notes.append({"marker": str(marker), "text": collapse_ws(text), "place": Place(), "lines": []})
    if not notes:
        return []
    # The body without the footnote areas, one string, with where each line starts.
    parts: list[str] = []
    for i, ln in enumerate(lines):
        if i not in used:
            parts.append(ln.text.translate(_SUPERSCRIPT).strip())
    body = collapse_ws(" ".join(p for p in parts if p))
    out: list[dict] = []
    pos = 0
    for note in notes:
        hit = _anchor(body, note["marker"], pos)
        anchor_text = None
        if hit is not None:
            anchor_text = _sentence_before(body, hit[0])
            body = body[: hit[0]] + body[hit[1] :]  # drop the mark: later sentences read clean
            pos = hit[0]
        intro, items = split_items(note["text"])
        out.append({
            "marker": note["marker"],
            "anchor_text": anchor_text,
            "text": note["text"],
            "intro": intro if items else None,
            "items": items,
            "place": note["place"].to_dict(),
        })
    return out
