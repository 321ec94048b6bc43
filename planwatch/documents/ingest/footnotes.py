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
from .model import Paragraph, Place, SourceDoc, Table

_SEPARATOR = re.compile(r"^(?:\s{10,}|\s*[_─—–-]{5,}\s*)$")
# "4 (1) …", "2" alone (its text on the next line), "17Kế hoạch …" (the mark fused with the text).
_ENTRY = re.compile(r"^(?P<n>\d{1,3})(?:\s+(?P<text>\S.*)|(?P<fused>[^\W\d_“\"(].*))?\s*$")
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_QUOTES = "“”\"'‘’«»"


_ENDS = (".", ";", "!", "?", ")", "”", '"')


def _footnote_areas(lines: list[Line]) -> tuple[list[dict], set[int]]:
    """Footnote bodies at the bottom of pages, and the indexes of the lines they use.

    An area starts after a separator line, or at a line "N …" (N the next footnote number)
    after a blank line when the body since the last area carries the mark N fused to a word
    (the separator is often lost when text is copied out of a PDF)."""
    notes: list[dict] = []
    used: set[int] = set()
    last = 0
    body_since: list[str] = []
    # Lines left on each line's page (PDF): footnotes sit in the last lines of a page.
    left: list[int] = [0] * len(lines)
    for k in range(len(lines) - 2, -1, -1):
        page = lines[k].place.page
        left[k] = left[k + 1] + 1 if page is not None and lines[k + 1].place.page == page else 0

    def near_page_end(k: int) -> bool:
        return lines[k].place.page is not None and left[k] <= 25

    # A footnote cut by its page end whose rest was not drawn first on the next page: some
    # PDF writers draw the run-over part after that page's own footnotes.
    pending: dict | None = None
    i = 0
    while i < len(lines):
        raw = lines[i].text
        text = collapse_ws(raw)
        m = _ENTRY.match(text) if text and not raw[:1].isspace() else None
        starts = bool(raw) and _SEPARATOR.match(raw) is not None
        # (An excerpt may start its numbering anywhere: the first note only needs its mark.)
        if not starts and m and (int(m["n"]) == last + 1 or last == 0) and (i == 0 or not collapse_ws(lines[i - 1].text) or near_page_end(i)):
            starts = _anchor(collapse_ws(" ".join(body_since[-80:])), m["n"], 0) is not None
        if not starts:
            if text:
                body_since.append(text)
            i += 1
            continue
        j = i if m and not _SEPARATOR.match(raw) else i + 1
        current: dict | None = None
        blanks = 0
        area: list[int] = [i]
        page = lines[i].place.page
        ran_over = False
        while j < len(lines):
            raw = lines[j].text
            text = collapse_ws(raw)
            if page is not None and lines[j].place.page != page:
                # Footnotes end with their page, unless one runs over: its text stops mid-sentence
                # and the next page goes on in lower case.
                if not (current and text and not current["text"].endswith((".", ";", "!", "?", ")"))
                        and text[:1].islower()):
                    if current and not current["text"].endswith(_ENDS):
                        pending = current
                    break
                page, ran_over = lines[j].place.page, True
            elif ran_over and current and current["text"].endswith((".", "!", "?")):
                break  # the run-over part ends with its sentence
            if not text:
                blanks += 1
                if blanks >= 2:
                    break
                j += 1
                continue
            blanks = 0
            e = _ENTRY.match(text)
            # Numbering runs on through the document (or starts again at 1 on a page).
            n = int(e["n"]) if e else 0
            first_ok = current is None and (n == 1 or (n > last and _anchor(collapse_ws(" ".join(body_since[-80:])), e["n"], 0)))
            if e and not raw[:1].isspace() and (n == last + 1 or first_ok):
                current = {"marker": e["n"], "text": e["text"] or e["fused"] or "", "place": lines[j].place, "lines": [j]}
                notes.append(current)
                last = int(e["n"])
                area.append(j)
                j += 1
                continue
            if (pending is not None and current is not None and current is not pending
                    and lines[j].place.page is not None and lines[j].place.page == (pending["place"].page or 0) + 1
                    and current["text"].endswith(_ENDS) and text[:1].islower()):
                # The rest of last page's unfinished footnote, drawn after this page's own notes.
                current, pending = pending, None
                current["text"] = collapse_ws(current["text"] + " " + text)
                current["lines"].append(j)
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
            body_since = []
        elif text := collapse_ws(lines[i].text):
            body_since.append(text)
        i = max(j, i + 1)
    return notes, used


def _anchor(body: str, marker: str, start: int, stop: int | None = None) -> tuple[int, int] | None:
    """(position of the mark, end of the word it is fused to) in `body[start:stop]`."""
    stop = len(body) if stop is None else stop
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
        m = re.compile(p).search(body, start, stop)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), m.end())
    return best


def _sentence_before(body: str, pos: int) -> str:
    """The sentence that ends at the mark: from the last sentence break (". ", "; ", ": ", a
    bullet) to `pos`."""
    head = body[max(0, pos - 3000) : pos]
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
        # DOCX: real footnotes; the paragraph (or cell) citing one lists its text.
        known = {n["marker"] for n in notes}
        citing: dict[str, tuple[str, Place]] = {}
        for block in doc.blocks:
            if isinstance(block, Paragraph):
                for t in block.footnotes:
                    citing.setdefault(t, (block.text, block.place))
            elif isinstance(block, Table):
                for row in block.rows:
                    for cell in row:
                        for t in cell.footnotes:
                            citing.setdefault(t, (cell.text, cell.place))
        for marker, text in doc.footnotes.items():
            if str(marker) in known:
                continue
            note = {"marker": str(marker), "text": collapse_ws(text), "place": Place(), "lines": []}
            if text in citing:
                cited, place = citing[text]
                cited = collapse_ws(cited).rstrip(" .;,")
                note["anchor_text"] = _sentence_before(cited, len(cited))
                note["anchor_place"] = place
            notes.append(note)
    if not notes:
        return []
    # The body without the footnote areas, one string, with where each line starts.
    parts: list[str] = []
    offset_at: dict[int, int] = {}  # line index → length of the body before it
    size = 0
    for i, ln in enumerate(lines):
        offset_at[i] = size
        if i not in used and (t := collapse_ws(ln.text.translate(_SUPERSCRIPT))):
            parts.append(t)
            size += len(t) + 1
    body = " ".join(parts)
    out: list[dict] = []
    pos = removed = 0
    for note in notes:
        # The mark stands before its footnote (on the same page): search up to the note's place.
        stop = offset_at.get(note["lines"][0], len(body)) - removed if note["lines"] else None
        hit = None if "anchor_text" in note else _anchor(body, note["marker"], pos, stop)
        anchor_text = note.get("anchor_text")
        if hit is not None:
            anchor_text = _sentence_before(body, hit[0])
            body = body[: hit[0]] + body[hit[1] :]  # drop the mark: later sentences read clean
            removed += hit[1] - hit[0]
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
