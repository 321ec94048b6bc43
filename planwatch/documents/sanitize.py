"""Making user-typed text safe to put in a generated file.

Three traps: characters XML 1.0 cannot carry (a NUL or BEL pasted from another system
makes Word refuse to open the file), spreadsheet formulas (a cell typed as
"=HYPERLINK(...)" must stay text, never run), and Excel's 32,767-character cell limit
(openpyxl writes longer cells but Excel then calls the file corrupt)."""

from __future__ import annotations

import re
import unicodedata

# XML 1.0 allows tab, LF, CR and everything from U+0020 except surrogates and U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
XLSX_CELL_MAX = 32_767
CUT_MARKER = "…(đã cắt)"
# A cell whose first character is one of these becomes a formula (or DDE) when someone
# edits it or saves the sheet as CSV. We keep the text exactly as typed, store it as a
# string and mark it with Excel's quote prefix (the invisible "'" a user would type).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value) -> str:
    """NFC text without XML-illegal control characters; CRLF and CR become LF."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("", text)


def cap(text: str, limit: int) -> str:
    """At most `limit` characters, with a visible marker when something was cut."""
    if len(text) <= limit:
        return text
    return text[: limit - len(CUT_MARKER)] + CUT_MARKER


def looks_like_formula(text: str) -> bool:
    return text.startswith(_FORMULA_START)


def xlsx_text(value) -> str:
    """Text for a spreadsheet cell: cleaned and within Excel's limit. The caller stores it
    as a string with the quote prefix when looks_like_formula() (see xlsx.py)."""
    return cap(clean_text(value), XLSX_CELL_MAX)
