"""Readers: an uploaded file's bytes become a SourceDoc (paragraphs and tables in order).

The format is decided by content (magic bytes, zip members), never by the file name, so a
renamed file is read as what it is or refused with a message saying what it really is. Every
refusal is a DocumentError (see safety.py); a file is never partly read without a warning.

- DOCX: read straight from the package XML (faster than python-docx's object layer and it
  also accepts .docm/.dotx and Strict OOXML). Paragraphs and tables in body order, automatic
  numbering rendered ("1.", "II.", "a)"), Symbol-font signs (≥, ≤) decoded, merged cells
  repeated on each grid position, header rows repeated by hand or by a split table dropped,
  footnotes attached to the cell/paragraph that cites them.
- XLSX (openpyxl): one table per visible sheet, merged ranges filled, numbers and dates
  printed the Vietnamese way.
- PDF with a text layer (pdfplumber): ruled tables per page (continued across pages), the
  rest as lines of running text.
- Plain text: lines as paragraphs; pipe tables, tab-separated rows and the "one cell per line,
  each cell starting with a tab" layout that Word produces when a table is copied as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import posixpath
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from . import safety
from .errors import DocumentError
from .model import Cell, Flag, Paragraph, Place, SourceDoc, Table

__all__ = ["decode_text", "read_document", "sniff"]

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------------------------
# Sniffing
# ---------------------------------------------------------------------------------------------

_OFFICE_EXT = {"docx", "docm", "dotx", "xlsx", "xlsm", "xltx", "pdf", "doc", "xls"}


def _ext(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def sniff(data: bytes, filename: str) -> str:
    """The document's real format: "docx", "xlsx", "pdf", "html", "text", "markdown" or "tsv".

    Cheap checks only (size, magic bytes, zip directory, text decoding); raises DocumentError
    for an empty, too large, encrypted, corrupt, bomb or unsupported file. read_document()
    does the full read.
    """
    safety.check_size(data, filename)
    fmt = _container(data, filename)
    if fmt != "text":
        return fmt
    html = _mht_html(data)
    text = html if html is not None else decode_text(data)
    if text is None:
        raise _not_text(filename)
    if html is not None or _looks_html(text, filename):
        return "html"
    lines = _split_lines(text)
    if not lines:
        raise _no_words(filename)
    return _text_layout(lines, filename)[0]


def _no_words(filename: str) -> DocumentError:
    return DocumentError("empty", f"Tệp “{filename}” không có nội dung chữ nào để đọc.")


def _container(data: bytes, filename: str) -> str:
    """"docx" / "xlsx" / "pdf" / "text" from the bytes; DocumentError otherwise."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(safety.ZIP_MAGICS):
        zf = safety.open_zip(data, filename)
        return _zip_kind(zf, filename)
    if data.startswith(safety.OLE_MAGIC):
        raise safety.check_ole(data, filename)
    what = safety.known_binary(data)
    if what:
        renamed = _ext(filename) in _OFFICE_EXT
        hint = (f"Tệp mang đuôi “.{_ext(filename)}” nhưng nội dung là {what} (có thể đã bị đổi "
                "tên). " if renamed else "")
        raise DocumentError(
            "unsupported",
            f"Tệp “{filename}” là {what}, không phải văn bản hệ thống đọc được. {hint}"
            + ("Nếu đây là ảnh chụp/quét văn bản, hãy nhận dạng ký tự (OCR) trước hoặc dùng bản "
               "Word/PDF có lớp văn bản." if what.startswith(safety._IMAGE_HINT) else
               "Hãy dùng tệp DOCX, XLSX, PDF có lớp văn bản hoặc văn bản thuần (TXT)."),
        )
    return "text"


def _zip_kind(zf, filename: str) -> str:
    names = set(zf.namelist())
    ctypes = ""
    if "[Content_Types].xml" in names:
        raw = safety.read_member(zf, "[Content_Types].xml", filename)
        ctypes = raw.decode("utf-8", "replace")
    if "wordprocessingml" in ctypes or "word/document.xml" in names:
        return "docx"
    if "spreadsheetml" in ctypes or "xl/workbook.xml" in names:
        return "xlsx"
    if "presentationml" in ctypes:
        raise safety.unsupported(filename, "bản trình chiếu PowerPoint (.pptx)")
    if "mimetype" in names:
        mime = safety.read_member(zf, "mimetype", filename)[:100].decode("ascii", "replace")
        if "opendocument.text" in mime:
            raise safety.unsupported(filename, "văn bản OpenDocument (.odt)",
                                     "Hãy mở bằng LibreOffice/Word và lưu thành .docx rồi tải lên.")
        if "opendocument.spreadsheet" in mime:
            raise safety.unsupported(filename, "bảng tính OpenDocument (.ods)",
                                     "Hãy mở bằng LibreOffice/Excel và lưu thành .xlsx rồi tải lên.")
    if _ext(filename) in _OFFICE_EXT:
        raise safety.corrupt(filename, "gói Office thiếu phần nội dung chính")
    raise safety.unsupported(filename, "tệp nén ZIP",
                             "Hãy giải nén và tải lên từng văn bản (DOCX, XLSX, PDF hoặc TXT).")


def _not_text(filename: str) -> DocumentError:
    if _ext(filename) in _OFFICE_EXT:
        return DocumentError(
            "corrupt",
            f"Tệp “{filename}” mang đuôi “.{_ext(filename)}” nhưng nội dung không phải tài liệu "
            "loại đó: tệp bị hỏng hoặc đã bị đổi tên. Hãy mở tệp gốc bằng Word/Excel, lưu lại "
            "rồi tải lên lần nữa.",
        )
    return DocumentError(
        "corrupt",
        f"Tệp “{filename}” không phải văn bản đọc được (nội dung nhị phân không rõ loại hoặc "
        "đã bị hỏng). Hãy dùng tệp DOCX, XLSX, PDF có lớp văn bản hoặc văn bản thuần (TXT).",
    )


def decode_text(data: bytes) -> str | None:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 (BOM, or the NUL pattern of
    ASCII-heavy text), else Windows-1258; None when the bytes are not text."""
    text: str | None
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", "replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", "replace")
    else:
        sample = data[:4096]
        zeros = sample.count(0)
        text = None
        if zeros > len(sample) // 4:
            odd = sample[1::2].count(0)
            text = data.decode("utf-16-le" if odd >= zeros - odd else "utf-16-be", "replace")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                # UTF-8 with a few damaged bytes (a file cut mid-character) stays UTF-8;
                # otherwise it is Vietnamese Windows text.
                lenient = data.decode("utf-8", "replace")
                if lenient.count("\ufffd") <= max(3, len(lenient) // 2000):
                    text = lenient
                else:
                    try:
                        text = data.decode("cp1258")
                    except UnicodeDecodeError:
                        return None
    sample_text = text[:20000]
    bad = sum(1 for ch in sample_text if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    if sample_text and bad > max(2, len(sample_text) // 100):
        return None
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def read_document(data: bytes, filename: str) -> SourceDoc:
    """Read an uploaded file into a SourceDoc; DocumentError when it cannot be read."""
    safety.check_size(data, filename)
    fmt = _container(data, filename)
    try:
        if fmt == "docx":
            return _DocxReader(data, filename).read()
        if fmt == "xlsx":
            return read_xlsx(data, filename)
        if fmt == "pdf":
            return read_pdf(data, filename)
        return _read_text_like(data, filename)
    except DocumentError:
        raise
    except (MemoryError, RecursionError):
        raise DocumentError("too_large", f"Tệp “{filename}” quá lớn hoặc quá phức tạp để đọc một lần. "
                                         "Hãy tách văn bản thành nhiều tệp rồi thử lại.") from None
    except Exception:  # a hostile or odd file must end as a clear refusal (logged: may be our bug)
        log.exception("reading %s (%s) failed", filename, fmt)
        raise safety.corrupt(filename, "nội dung có chỗ không đọc được") from None


def _read_text_like(data: bytes, filename: str) -> SourceDoc:
    html = _mht_html(data)
    text = html if html is not None else decode_text(data)
    if text is None:
        raise _not_text(filename)
    if html is not None or _looks_html(text, filename):
        return _HtmlReader(filename).read(text)
    return read_text(text, filename)


def _clean(text: str) -> str:
    """NFC, line breaks as "\n", no control characters other than tab and newline."""
    text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\v", "\n")
    return _CONTROL.sub("", text)


_CONTROL = re.compile("[\x00-\x08\x0c\x0e-\x1f\x7f\ufeff\ufffe\uffff]")
_WS = re.compile(r"\s+")


def _key(texts) -> tuple[str, ...]:
    return tuple(_WS.sub(" ", t).strip().casefold() for t in texts)


def _drop_repeated_header(rows: list, text_of) -> list:
    """Drop later copies of the table's leading rows (a header repeated by hand on each page,
    with its column-number row if any). `rows` are lists of cells; text_of(cell) → str."""
    if len(rows) < 3:
        return rows
    keys = [_key(text_of(c) for c in row) for row in rows]
    first = keys[0]
    if sum(1 for t in first if t) < 2:
        return rows
    out_idx: list[int] = []
    i = 0
    n = len(rows)
    while i < n:
        if i > 0 and keys[i] == first:
            m = 0
            while m < 6 and i + m < n and m < i and keys[i + m] == keys[m]:
                m += 1
            i += m
            continue
        out_idx.append(i)
        i += 1
    return [rows[i] for i in out_idx]


def _header_prefix(a: list, b: list, text_of) -> int:
    """How many leading rows of table b repeat the leading rows of table a."""
    m = 0
    while m < min(6, len(a), len(b) - 1):
        ka = _key(text_of(c) for c in a[m])
        if not any(ka) or ka != _key(text_of(c) for c in b[m]):
            break
        m += 1
    return m


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------

_W_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                              remove_comments=True, remove_pis=True)

# Symbol-font code points (Insert → Symbol in Word stores w:sym w:font="Symbol" w:char="F0B3").
_SYMBOL = {0xB3: "≥", 0xA3: "≤", 0xB9: "≠", 0xB1: "±", 0xB4: "×", 0xB8: "÷", 0xBB: "≈",
           0xB7: "•", 0xAE: "→", 0xAC: "←", 0xB0: "°", 0x3C: "<", 0x3E: ">", 0x3D: "=",
           0x2D: "−", 0x2B: "+", 0xD7: "·", 0xA5: "∞", 0x25: "%"}
_WINGDINGS = {0xFC: "✓", 0xFB: "✗", 0xFD: "☒", 0xFE: "☑", 0xA8: "□", 0x6F: "□", 0xA7: "▪",
              0xD8: "➢", 0x76: "❖", 0x9F: "•", 0x6C: "●", 0x6E: "■", 0x71: "❑", 0xE0: "→"}
_BULLET_PUA = {0xF0B7: "•", 0xF0A7: "▪", 0xF0D8: "➢", 0xF076: "❖", 0xF0FC: "✓", 0xF06E: "■",
               0xF0A8: "□", 0xF02D: "-", 0xF0E0: "→", 0xF06C: "●", 0xF071: "❑", 0xF0B2: "•"}


def _int(value, default: int = 0) -> int:
    """An XML attribute as an int ("2", "2.0"); `default` when absent or junk."""
    try:
        return int(float(value))
    except (TypeError, ValueError, OverflowError):
        return default


def _roman(n: int) -> str:
    vals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def _letters(n: int) -> str:
    if n <= 0 or n > 26 * 30:
        return str(n)
    # Word repeats the letter: a..z, aa..zz
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _fmt_number(n: int, fmt: str) -> str:
    if fmt in ("upperRoman",):
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalEnclosedParen",):
        return f"({n})"
    if fmt in ("decimalEnclosedCircle",) and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    legal: bool = False


class _Numbering:
    """Renders Word's automatic list labels ("1.", "II.", "a)", "1.2.") in document order."""

    def __init__(self, root, w: str):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if root is None:
            return
        W = f"{{{w}}}"
        for an in root.iter(W + "abstractNum"):
            levels: dict[int, _Level] = {}
            for lvl in an.iter(W + "lvl"):
                ilvl = _int(lvl.get(W + "ilvl"))
                level = _Level()
                for child in lvl:
                    tag = child.tag
                    val = child.get(W + "val")
                    if tag == W + "start" and val and val.lstrip("-").isdigit():
                        level.start = min(int(val), 100_000)
                    elif tag == W + "numFmt" and val:
                        level.fmt = val
                    elif tag == W + "lvlText":
                        level.text = val or ""
                    elif tag == W + "isLgl":
                        level.legal = val not in ("0", "false", "off")
                levels[ilvl] = level
            self.abstract[an.get(W + "abstractNumId", "")] = levels
        for num in root.iter(W + "num"):
            aid_el = num.find(W + "abstractNumId")
            if aid_el is None:
                continue
            overrides = {}
            for ov in num.iter(W + "lvlOverride"):
                so = ov.find(W + "startOverride")
                if so is not None and (so.get(W + "val") or "").isdigit():
                    overrides[_int(ov.get(W + "ilvl"))] = min(int(so.get(W + "val")), 100_000)
            self.nums[num.get(W + "numId", "")] = (aid_el.get(W + "val", ""), overrides)

    def label(self, num_id: str, ilvl: int) -> str:
        num = self.nums.get(num_id)
        if num is None:
            return ""
        aid, overrides = num
        levels = self.abstract.get(aid)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(aid, [None] * 10)
        if num_id not in self.started:
            self.started.add(num_id)
            for lv, start in overrides.items():
                if 0 <= lv < 10:
                    counters[lv] = start - 1
                    for deeper in range(lv + 1, 10):
                        counters[deeper] = None
        level = levels[ilvl]
        counters[ilvl] = level.start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = None
        if level.fmt == "none":
            return ""
        if level.fmt == "bullet":
            ch = level.text[:1]
            if ch and 0xF000 <= ord(ch) <= 0xF0FF:
                return _BULLET_PUA.get(ord(ch), "•")
            return ch or "•"

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, _Level())
            value = counters[k] if counters[k] is not None else lv.start
            fmt = "decimal" if (level.legal and k != ilvl) or lv.fmt == "bullet" else lv.fmt
            return _fmt_number(value, fmt)

        return re.sub(r"%([1-9])", sub, level.text)


@dataclass
class _Para:
    text: str
    notes: list[str]  # footnote markers
    style: str
    page: int | None


@dataclass
class _RawCell:
    text: str
    notes: list[str]
    merged: bool = False
    items: list = field(default_factory=list)  # the cell's own paragraphs/tables (for unwrapping)
    page: int | None = None  # the page its row starts on (Word's last layout), when known


@dataclass
class _RawTable:
    rows: list[list[_RawCell]]
    grid: tuple[int, ...]
    page: int | None
    nested: bool = False  # some cell holds a table


class _DocxReader:
    def __init__(self, data: bytes, filename: str):
        self.filename = filename
        self.zf = safety.open_zip(data, filename)
        self.names = set(self.zf.namelist())
        self.note_texts: dict[str, str] = {}  # footnote id → text
        self.note_markers: dict[str, str] = {}  # footnote id → printed marker
        self.footnotes: dict[str, str] = {}  # marker → text
        self.next_note = 0
        self.note_format = "decimal"
        self.page = 1
        self.track_pages = False
        self.in_note = False
        self.para_page: int | None = None
        self.para_has_text = False

    # -- package -------------------------------------------------------------------------------
    def _xml(self, name: str):
        raw = safety.read_member(self.zf, name, self.filename)
        try:
            return etree.fromstring(raw, _XML_PARSER)
        except etree.XMLSyntaxError:
            raise safety.corrupt(self.filename, f"phần “{name}” không phải XML hợp lệ") from None

    def _rels(self, part: str) -> dict[str, str]:
        """Relationship type suffix → target part name (internal targets only)."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        out: dict[str, str] = {}
        if rels_name not in self.names:
            return out
        root = self._xml(rels_name)
        for rel in root.iter(f"{{{_REL_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            out.setdefault(kind, name)
        return out

    def read(self) -> SourceDoc:
        main = self._rels("").get("officeDocument", "word/document.xml") if "_rels/.rels" in self.names \
            else "word/document.xml"
        if main not in self.names:
            main = "word/document.xml"
        raw = safety.read_member(self.zf, main, self.filename)
        self.track_pages = b"lastRenderedPageBreak" in raw
        try:
            root = etree.fromstring(raw, _XML_PARSER)
        except etree.XMLSyntaxError:
            raise safety.corrupt(self.filename, "nội dung chính không phải XML hợp lệ") from None
        w = etree.QName(root).namespace or _W_TRANSITIONAL
        self._names(w)
        rels = self._rels(main)
        self.styles = self._styles(rels.get("styles"))
        numbering_root = self._xml(rels["numbering"]) if rels.get("numbering") in self.names else None
        self.numbering = _Numbering(numbering_root, w)
        if rels.get("footnotes") in self.names:
            self._read_footnotes(self._xml(rels["footnotes"]))
            self._footnote_numbering(root, rels.get("settings"))
        body = root.find(self.BODY)
        if body is None:
            raise safety.corrupt(self.filename, "không có phần thân văn bản")
        self.box_paras = {p for box in root.iter(self.W + "txbxContent") for p in box.iterancestors(self.P)}
        try:
            items = self._container(body)
        except RecursionError:
            raise safety.corrupt(self.filename, "bảng lồng nhau quá sâu") from None
        items = _unwrap(items)
        items = _join_split_tables(items)
        doc = self._to_doc(items)
        if sum(len(t.strip()) for t in doc.text().split("\n")) < MIN_PAGE_CHARS and any(
                n.startswith("word/media/") for n in self.names):
            raise DocumentError(
                "scanned",
                f"Tài liệu quét, chưa có lớp văn bản: “{self.filename}” chỉ chứa ảnh (trang chụp/quét "
                "dán vào Word) nên hệ thống không đọc được chữ. Hãy dùng bản có lớp văn bản hoặc "
                "nhận dạng ký tự (OCR) trước.")
        return doc

    def _names(self, w: str) -> None:
        W = f"{{{w}}}"
        self.W = W
        self.BODY, self.P, self.R, self.T, self.TBL = W + "body", W + "p", W + "r", W + "t", W + "tbl"
        self.TR, self.TC, self.PPR, self.RPR = W + "tr", W + "tc", W + "pPr", W + "rPr"
        self.SDT, self.SDT_CONTENT, self.CUSTOM_XML = W + "sdt", W + "sdtContent", W + "customXml"
        self.VAL = W + "val"
        self.containers = {W + t for t in ("hyperlink", "ins", "moveTo", "smartTag", "customXml",
                                           "fldSimple", "dir", "bdo")}
        self.ALT = f"{{{_MC}}}AlternateContent"

    # -- styles, footnotes -----------------------------------------------------------------------
    def _styles(self, part: str | None) -> dict[str, tuple[str, str | None, tuple | None]]:
        out: dict[str, tuple[str, str | None, tuple | None]] = {}
        self.default_style = ""
        if not part or part not in self.names:
            return out
        W = self.W
        for st in self._xml(part).iter(W + "style"):
            if st.get(W + "type") not in (None, "paragraph"):
                continue
            sid = st.get(W + "styleId", "")
            name_el = st.find(W + "name")
            based = st.find(W + "basedOn")
            numpr = None
            ppr = st.find(W + "pPr")
            if ppr is not None:
                np_el = ppr.find(W + "numPr")
                if np_el is not None:
                    num_el, ilvl_el = np_el.find(W + "numId"), np_el.find(W + "ilvl")
                    numpr = (num_el.get(self.VAL) if num_el is not None else None,
                             _int(ilvl_el.get(self.VAL)) if ilvl_el is not None else 0)
            out[sid] = (name_el.get(self.VAL, sid) if name_el is not None else sid,
                        based.get(self.VAL) if based is not None else None, numpr)
            if st.get(W + "default") in ("1", "true", "on"):
                self.default_style = sid
        return out

    def _style_numpr(self, sid: str) -> tuple | None:
        seen = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            _name, based, numpr = self.styles[sid]
            if numpr is not None:
                return numpr
            sid = based or ""
        return None

    def _read_footnotes(self, root) -> None:
        W = self.W
        self.in_note = True
        for fn in root.iter(W + "footnote"):
            if fn.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            texts = [self._para(p).text for p in fn.iter(self.P)]
            self.note_texts[fn.get(W + "id", "")] = "\n".join(t for t in texts).strip()
        self.in_note = False

    def _footnote_numbering(self, root, settings_part: str | None) -> None:
        """Where automatic footnote numbers start and how they print (w:footnotePr in the
        section, else in settings.xml): a report may number its footnotes from 4."""
        W = self.W
        found = root.find(f".//{W}sectPr/{W}footnotePr")
        if found is None and settings_part in self.names:
            found = self._xml(settings_part).find(f"{W}footnotePr")
        if found is None:
            return
        start = found.find(W + "numStart")
        fmt = found.find(W + "numFmt")
        value = start.get(self.VAL, "") if start is not None else ""
        if value.isdigit():
            self.next_note = min(int(value), 100_000) - 1
        if fmt is not None:
            self.note_format = fmt.get(self.VAL, "decimal")

    # -- paragraphs -----------------------------------------------------------------------------
    def _para(self, p) -> _Para:
        out: list[str] = []
        notes: list[str] = []
        self.para_page = self.page if self.track_pages else None
        self.para_has_text = False
        style = ""
        numpr = None
        ppr = p.find(self.PPR)
        if ppr is not None:
            ps = ppr.find(self.W + "pStyle")
            if ps is not None:
                style = ps.get(self.VAL, "")
            np_el = ppr.find(self.W + "numPr")
            if np_el is not None:
                num_el, ilvl_el = np_el.find(self.W + "numId"), np_el.find(self.W + "ilvl")
                numpr = (num_el.get(self.VAL) if num_el is not None else None,
                         _int(ilvl_el.get(self.VAL)) if ilvl_el is not None else None)
        if numpr is None or numpr[0] is None:
            style_numpr = self._style_numpr(style or self.default_style)
            if style_numpr is not None:  # the style's list, at the paragraph's level if it says one
                numpr = (style_numpr[0], numpr[1] if numpr and numpr[1] is not None else style_numpr[1])
        if numpr is not None and numpr[1] is None:
            numpr = (numpr[0], 0)
        self._inline(p, out, notes)
        text = "".join(out)
        if numpr is not None and numpr[0] not in (None, "0") and not self.in_note:
            label = self.numbering.label(numpr[0], numpr[1])
            if label:
                text = f"{label} {text.lstrip()}" if text.strip() else label
        style_name = self.styles.get(style, (style, None, None))[0] if style else ""
        return _Para(_clean(text), notes, style_name, self.para_page)

    def _inline(self, el, out: list[str], notes: list[str]) -> None:
        for child in el:
            tag = child.tag
            if tag == self.R:
                self._run(child, out, notes)
            elif tag in self.containers:
                self._inline(child, out, notes)
            elif tag == self.SDT:
                content = child.find(self.SDT_CONTENT)
                if content is not None:
                    self._inline(content, out, notes)
            elif tag == self.ALT:
                choice = next(iter(child), None)
                if choice is not None:
                    self._inline(choice, out, notes)

    def _run(self, r, out: list[str], notes: list[str]) -> None:
        W = self.W
        custom = False
        for child in r:
            tag = child.tag
            if tag == self.T:
                text = child.text or ""
                if custom:
                    notes[-1] = self._custom_marker(notes[-1], text)
                    custom = False
                    continue
                if text:
                    out.append(text)
                    if not self.para_has_text and text.strip():
                        self.para_has_text = True
            elif tag == self.RPR:
                vanish = child.find(W + "vanish")
                if vanish is not None and vanish.get(self.VAL) not in ("0", "false", "off"):
                    return
            elif tag == W + "tab" or tag == W + "ptab":
                out.append("\t")
            elif tag == W + "br" or tag == W + "cr":
                out.append("\n")
            elif tag == W + "noBreakHyphen":
                out.append("-")
            elif tag == W + "sym":
                out.append(self._sym(child))
            elif tag == W + "footnoteReference" and not self.in_note:
                fid = child.get(W + "id", "")
                custom = child.get(W + "customMarkFollows") in ("1", "true", "on")
                notes.append(self._note(fid, custom))
            elif tag == W + "lastRenderedPageBreak" and self.track_pages and not self.in_note:
                self.page += 1
                if not self.para_has_text:
                    self.para_page = self.page

    def _sym(self, el) -> str:
        font = (el.get(self.W + "font") or "").lower()
        try:
            code = int(el.get(self.W + "char", "0"), 16)
        except ValueError:
            return ""
        low = code - 0xF000 if code >= 0xF000 else code
        if "wingding" in font:
            return _WINGDINGS.get(low, "•")
        if "symbol" in font:
            return _SYMBOL.get(low, chr(low) if 0x20 <= low < 0x7F else "")
        return chr(code) if code < 0xE000 else ""

    def _note(self, fid: str, custom: bool) -> str:
        """The printed marker of footnote `fid` (auto-numbered in order of first reference)."""
        if fid in self.note_markers:
            return self.note_markers[fid]
        if custom:
            marker = f"#{fid}"  # replaced by the custom mark's text in _custom_marker
        else:
            self.next_note += 1
            marker = _fmt_number(self.next_note, self.note_format)
        self.note_markers[fid] = marker
        self.footnotes[marker] = self.note_texts.get(fid, "")
        return marker

    def _custom_marker(self, provisional: str, text: str) -> str:
        marker = text.strip() or provisional
        if marker != provisional and provisional in self.footnotes:
            self.footnotes[marker] = self.footnotes.pop(provisional)
            for fid, m in self.note_markers.items():
                if m == provisional:
                    self.note_markers[fid] = marker
        return marker

    # -- block containers (body, table cell) -----------------------------------------------------
    def _container(self, el) -> list:
        items: list = []
        for child in el:
            tag = child.tag
            if tag == self.P:
                items.append(self._para(child))
                if child in self.box_paras:
                    items.extend(self._text_boxes(child))
            elif tag == self.TBL:
                items.append(self._table(child))
            elif tag == self.SDT:
                content = child.find(self.SDT_CONTENT)
                if content is not None:
                    items.extend(self._container(content))
            elif tag == self.CUSTOM_XML:
                items.extend(self._container(child))
            elif tag == self.ALT:
                choice = next(iter(child), None)
                if choice is not None:
                    items.extend(self._container(choice))
        return items

    def _text_boxes(self, p) -> list:
        """The content of text boxes anchored in paragraph `p` (a "DỰ THẢO" stamp, a "Phụ lục"
        label, sometimes a whole block), after the paragraph. A box drawn both ways (DrawingML
        with a VML fallback) is read once."""
        fallback = f"{{{_MC}}}Fallback"
        items: list = []
        for box in p.iter(self.W + "txbxContent"):
            ancestor = box.getparent()
            while ancestor is not None and ancestor is not p and ancestor.tag != fallback:
                ancestor = ancestor.getparent()
            if ancestor is not None and ancestor.tag == fallback:
                continue
            if any(a.tag == self.W + "txbxContent" for a in box.iterancestors() if a is not p):
                continue  # nested boxes come with their outer box
            items.extend(self._container(box))
        return items

    def _rows_of(self, tbl):
        for child in tbl:
            if child.tag == self.TR:
                yield child
            elif child.tag in (self.SDT, self.CUSTOM_XML):
                holder = child.find(self.SDT_CONTENT) if child.tag == self.SDT else child
                if holder is not None:
                    yield from self._rows_of(holder)

    def _cells_of(self, tr):
        for child in tr:
            if child.tag == self.TC:
                yield child
            elif child.tag in (self.SDT, self.CUSTOM_XML):
                holder = child.find(self.SDT_CONTENT) if child.tag == self.SDT else child
                if holder is not None:
                    yield from self._cells_of(holder)

    def _int_prop(self, props, name: str, default: int = 0) -> int:
        if props is None:
            return default
        el = props.find(self.W + name)
        if el is None:
            return default
        try:
            return int(el.get(self.VAL, default))
        except (TypeError, ValueError):
            return default

    def _table(self, tbl) -> _RawTable:
        W = self.W
        grid_el = tbl.find(W + "tblGrid")
        grid = tuple(_int(g.get(W + "w")) for g in grid_el.iter(W + "gridCol")) \
            if grid_el is not None else ()
        start_page = self.page if self.track_pages else None
        rows: list[list[_RawCell]] = []
        above: dict[int, _RawCell] = {}  # grid column → the vMerge "restart" cell covering it
        nested = False
        for tr in self._rows_of(tbl):
            trpr = tr.find(W + "trPr")
            row_start_page, row_page = self.page, None
            row: list[_RawCell] = [_RawCell("", []) for _ in range(self._int_prop(trpr, "gridBefore"))]
            for tc in self._cells_of(tr):
                tcpr = tc.find(W + "tcPr")
                span = max(1, self._int_prop(tcpr, "gridSpan", 1))
                vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
                hmerge = tcpr.find(W + "hMerge") if tcpr is not None else None
                col = len(row)
                if hmerge is not None and hmerge.get(self.VAL) != "restart" and row:
                    prev = row[-1]
                    row.extend(_RawCell(prev.text, prev.notes, True) for _ in range(span))
                    continue
                if vmerge is not None and vmerge.get(self.VAL) != "restart" and col in above:
                    origin = above[col]
                    row.extend(_RawCell(origin.text, origin.notes, True) for _ in range(span))
                    # a continued cell's own text (rare, usually empty) is ignored, as Word does
                    continue
                items = self._container(tc)
                texts: list[str] = []
                notes: list[str] = []
                for it in items:
                    if isinstance(it, _Para):
                        if row_page is None and it.page is not None:
                            row_page = it.page
                        texts.append(it.text)
                        notes.extend(it.notes)
                    else:
                        nested = True
                        for nrow in it.rows:
                            for ncell in nrow:
                                if not ncell.merged and ncell.text:
                                    texts.append(ncell.text)
                                    notes.extend(ncell.notes)
                cell = _RawCell("\n".join(texts).strip(), notes, False, items)
                row.append(cell)
                row.extend(_RawCell(cell.text, cell.notes, True) for _ in range(span - 1))
                for c in range(col, col + span):
                    if vmerge is not None:
                        above[c] = cell
                    else:
                        above.pop(c, None)
            row.extend(_RawCell("", []) for _ in range(self._int_prop(trpr, "gridAfter")))
            if self.track_pages:
                for cell in row:
                    cell.page = row_page or row_start_page
            rows.append(row)
        width = max([len(grid)] + [len(r) for r in rows]) if rows else len(grid)
        for row in rows:
            row.extend(_RawCell("", []) for _ in range(width - len(row)))
        rows = _drop_repeated_header(rows, lambda c: c.text)
        return _RawTable(rows, grid, start_page, nested)

    # -- post-processing --------------------------------------------------------------------------
    def _to_doc(self, items: list) -> SourceDoc:
        blocks: list = []
        line = 0
        tno = 0
        for it in items:
            if isinstance(it, _Para):
                line += 1
                blocks.append(Paragraph(it.text, Place(page=it.page, line=line), it.style,
                                        **_para_notes(self._note_texts(it.notes))))
                continue
            if not it.rows:
                continue
            tno += 1
            rows = [
                [Cell(c.text, Place(page=c.page, table=tno, row=r, col=k), c.merged, self._note_texts(c.notes))
                 for k, c in enumerate(row, 1)]
                for r, row in enumerate(it.rows, 1)
            ]
            blocks.append(Table(rows, Place(page=it.page, table=tno)))
        pages = self.page if self.track_pages else None
        return SourceDoc(self.filename, "docx", blocks, pages=pages, footnotes=dict(self.footnotes))

    def _note_texts(self, markers: list[str]) -> tuple[str, ...]:
        return tuple(self.footnotes.get(m, "") for m in dict.fromkeys(markers))


def _unwrap(items: list) -> list:
    """Layout tables are no tables of data and are replaced by their content, cell by cell:
    a one-column table (a frame around text or around other tables, a web page's layout), and
    a one-row table (the two-column heading "ỦY BAN NHÂN DÂN … | CỘNG HÒA XÃ HỘI …", the
    signature block "Nơi nhận: … | TM. ỦY BAN NHÂN DÂN"), the way a PDF of it reads. A
    one-row table right after a table of the same width may be its continuation: kept."""
    out: list = []
    for it in items:
        if isinstance(it, _RawTable) and it.rows and (
            all(sum(1 for c in row if not c.merged) <= 1 for row in it.rows)
            or (len(it.rows) == 1 and not _continues(out, it))
        ):
            for row in it.rows:
                for cell in row:
                    if not cell.merged:
                        out.extend(_unwrap(cell.items))
        else:
            out.append(it)
    return out


def _continues(before: list, table: _RawTable) -> bool:
    for prev in reversed(before):
        if isinstance(prev, _RawTable):
            return bool(prev.rows) and len(prev.rows[0]) == len(table.rows[0])
        if prev.text.strip():
            return False
    return False


def _join_split_tables(items: list) -> list:
    """A table continued after a page break (same columns, only empty paragraphs between, the
    header repeated or the same column widths) becomes one table without the repeat."""
    out: list = []
    last_table_at = None
    for it in items:
        if isinstance(it, _RawTable) and last_table_at is not None:
            prev: _RawTable = out[last_table_at]
            between = out[last_table_at + 1:]
            only_blank = len(between) <= 3 and all(
                isinstance(b, _Para) and not b.text.strip() for b in between)
            same_width = prev.rows and it.rows and len(prev.rows[0]) == len(it.rows[0])
            if only_blank and same_width:
                repeat = _header_prefix(prev.rows, it.rows, lambda c: c.text)
                if repeat or (prev.grid and prev.grid == it.grid):
                    prev.rows.extend(it.rows[repeat:])
                    continue
        out.append(it)
        if isinstance(it, _RawTable):
            last_table_at = len(out) - 1
        elif it.text.strip():
            last_table_at = None
    return out


def _para_notes(texts: tuple[str, ...]) -> dict:
    """Paragraph.footnotes when the model has it (texts of the footnotes cited)."""
    if texts and "footnotes" in Paragraph.__dataclass_fields__:
        return {"footnotes": texts}
    return {}


# ---------------------------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------------------------

MAX_SHEET_CELLS = 2_000_000
MAX_SHEET_XML = 60 * 1024 * 1024


def read_xlsx(data: bytes, filename: str) -> SourceDoc:
    import openpyxl
    from openpyxl.worksheet.worksheet import Worksheet

    zf = safety.open_zip(data, filename)  # bomb check (again, cheap) before openpyxl unpacks
    # openpyxl (not read-only: merged ranges are needed) holds every cell as an object, about
    # a kilobyte each: refuse sheets whose XML alone would need gigabytes.
    sheet_xml = sum(i.file_size for i in zf.infolist() if i.filename.startswith("xl/worksheets/"))
    if sheet_xml > MAX_SHEET_XML:
        raise DocumentError(
            "too_large",
            f"Bảng tính “{filename}” chứa {safety.megabytes(sheet_xml)} MB dữ liệu ô, vượt giới hạn "
            f"{safety.megabytes(MAX_SHEET_XML)} MB mà hệ thống đọc được một lần. Hãy xóa các trang "
            "tính, hàng, cột không cần thiết hoặc tách thành nhiều tệp.")
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, keep_links=False,
                                    keep_vba=False, rich_text=False)
    except DocumentError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged workbook
        raise safety.corrupt(filename, "bảng tính Excel không đọc được") from None
    blocks: list = []
    warnings: list[Flag] = []
    sheets = [ws for ws in wb.worksheets if isinstance(ws, Worksheet)]
    visible = [ws for ws in sheets if ws.sheet_state == "visible"] or sheets
    line = 0
    tno = 0
    for ws in visible:
        grid = _sheet_grid(ws)
        if not grid:
            continue
        if len(visible) > 1 and not re.fullmatch(r"(sheet|trang tính|trang tinh)\s*\d*", ws.title,
                                                   re.IGNORECASE):
            line += 1
            blocks.append(Paragraph(_clean(ws.title), Place(line=line), "Sheet"))
        # Title rows above the table (one text, usually merged across) are running text.
        while grid and len({t for t, merged in grid[0] if t and not merged}) <= 1 and len(grid) > 1:
            title = next((t for t, merged in grid[0] if t), "")
            if title:
                line += 1
                blocks.append(Paragraph(title, Place(line=line)))
            grid.pop(0)
        grid = _drop_repeated_header(grid, lambda c: c[0])
        tno += 1
        rows = [[Cell(t, Place(table=tno, row=r, col=k), merged) for k, (t, merged) in enumerate(row, 1)]
                for r, row in enumerate(grid, 1)]
        blocks.append(Table(rows, Place(table=tno)))
    hidden = [ws.title for ws in sheets if ws not in visible]
    if hidden:
        warnings.append(Flag("sheet", "Bỏ qua các trang tính ẩn: " + ", ".join(hidden), Place(), "info"))
    return SourceDoc(filename, "xlsx", blocks, pages=None, warnings=warnings)


def _sheet_grid(ws) -> list[list[tuple[str, bool]]]:
    cells = getattr(ws, "_cells", None)
    if cells is None:  # not expected; openpyxl's public API as a fallback
        cells = {(c.row, c.column): c for row in ws.iter_rows() for c in row}
    values: dict[tuple[int, int], str] = {}
    for (r, c), cell in cells.items():
        if cell.value is None:
            continue
        text = _xl_text(cell)
        if text.strip():
            values[(r, c)] = text
    merged: dict[tuple[int, int], str] = {}
    for rng in ws.merged_cells.ranges:
        top = values.get((rng.min_row, rng.min_col), "")
        if (rng.max_row - rng.min_row + 1) * (rng.max_col - rng.min_col + 1) > MAX_SHEET_CELLS:
            continue
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    merged[(r, c)] = top
    if not values:
        return []
    rows = [r for r, _ in values]
    cols = [c for _, c in values]
    r0, r1, c0, c1 = min(rows), max(rows), min(cols), max(cols)
    if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_SHEET_CELLS:
        r1 = r0 + MAX_SHEET_CELLS // (c1 - c0 + 1)
    grid: list[list[tuple[str, bool]]] = []
    for r in range(r0, r1 + 1):
        row = []
        for c in range(c0, c1 + 1):
            if (r, c) in merged:
                row.append((merged[(r, c)], True))
            else:
                row.append((values.get((r, c), ""), False))
        grid.append(row)
    return grid


def _xl_text(cell) -> str:
    v = cell.value
    if isinstance(v, str):
        return _clean(v).strip()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, dt.datetime):
        if (v.hour, v.minute, v.second) != (0, 0, 0) and "h" in (cell.number_format or "").lower():
            return v.strftime("%d/%m/%Y %H:%M")
        return v.strftime("%d/%m/%Y")
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, dt.time):
        return v.strftime("%H:%M")
    if isinstance(v, (int, float)):
        return _xl_number(v, cell.number_format or "General")
    return _clean(str(v)).strip()


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _xl_number(v: float, number_format: str) -> str:
    fmt = _QUOTED.sub("", number_format.split(";")[0])
    if math.isnan(v) or math.isinf(v):
        return ""
    percent = "%" in fmt
    if percent:
        v = v * 100
    if fmt.lower() in ("general", "@", "") or not re.search(r"[0#?]", fmt):
        if float(v).is_integer() and abs(v) < 1e15:
            text = str(int(v))
        else:
            text = f"{v:.10g}".replace(".", ",")
        return text + ("%" if percent else "")
    m = re.search(r"\.([0#?]+)", fmt)
    decimals = len(m.group(1)) if m else 0
    grouping = "," in fmt.split(".")[0]
    text = f"{v:,.{decimals}f}" if grouping else f"{v:.{decimals}f}"
    text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text + ("%" if percent else "")


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------
#
# PDFium (pypdfium2, C) rather than pdfminer: a 60-page plan reads in a fraction of a second
# instead of tens of seconds. Tables are found from the ruling lines (path objects): edges are
# snapped and joined, crossing edges make a table, the grid slots between neighbouring lines
# become cells, and a slot boundary without a drawn line merges the two slots (a merged cell).
# Text inside a cell is taken with PDFium's bounded-text extraction; running text is taken band
# by band between the tables.

_PAGE_NUMBER = re.compile(r"^\s*[-–—]?\s*(trang\s*)?\d{1,4}\s*(/\s*\d{1,4})?\s*[-–—]?\s*$", re.IGNORECASE)
MIN_PAGE_CHARS = 20
MAX_PDF_PAGES = 2000
_SNAP = 2.0  # points: edges closer than this are the same line
_JOIN = 3.0  # points: collinear segments with a gap up to this are one line
_LINE_MAX = 2.5  # a path thinner than this is a line, not a box


def _scanned(filename: str) -> DocumentError:
    return DocumentError(
        "scanned",
        f"Tài liệu quét, chưa có lớp văn bản: “{filename}” chỉ chứa ảnh các trang nên hệ thống "
        "không đọc được chữ. Hãy dùng bản có lớp văn bản (PDF xuất từ Word) hoặc nhận dạng ký "
        "tự (OCR) trước.",
    )


def read_pdf(data: bytes, filename: str) -> SourceDoc:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) in (4, 6) or "password" in str(exc).lower():
            raise safety.encrypted(filename) from None
        raise safety.corrupt(filename, "cấu trúc PDF không đọc được") from None
    try:
        return _PdfReader(filename, pdf).read()
    except DocumentError:
        raise
    except Exception:  # noqa: BLE001 - a damaged PDF fails in many ways inside PDFium
        raise safety.corrupt(filename, "nội dung PDF không đọc được") from None
    finally:
        pdf.close()


def _pdf_text(raw: str) -> str:
    lines = [ln.strip() for ln in _clean(raw.replace("\r\n", "\n").replace("\x02", "-")).split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _cluster(values: list[float], tol: float) -> list[float]:
    """Sorted representatives of values closer than tol to their neighbour."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _snap(value: float, reps: list[float]) -> float:
    import bisect

    i = bisect.bisect_left(reps, value)
    best = min((reps[j] for j in (i - 1, i) if 0 <= j < len(reps)), key=lambda r: abs(r - value))
    return best


def _join(segments: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """(pos, a, b) segments on snapped positions → joined runs."""
    out: list[list[float]] = []
    for pos, a, b in sorted(segments):
        if out and out[-1][0] == pos and a <= out[-1][2] + _JOIN:
            out[-1][2] = max(out[-1][2], b)
        else:
            out.append([pos, a, b])
    return [tuple(s) for s in out]


def _broken_row(last: list[tuple], first: list[tuple]) -> bool:
    """Is `first` (the first row of a table continued on a new page) the rest of `last`, cut
    by the page break? Its numbering cell is empty and some cell goes on mid-sentence (starts
    in lower case where the cell above has text)."""
    if len(last) != len(first) or first[0][0] or not last[0][0]:
        return False
    return any(a[0] and b[0] and not b[1] and b[0][0].islower() for a, b in zip(last, first))


_TRIM_EPS = 0.05  # points beyond a neighbour's edge
_TRIM_MAX = 0.4  # never trim a box by more than this share of its height (width)


def _query_boxes(boxes: list[tuple[float, float, float, float]]) -> list[list[float]]:
    """For each PDFium piece box (left, bottom, right, top; PDF space), the box to ask its
    text with: trimmed off where it overlaps another piece's box, so that the neighbour's
    glyphs (which all lie inside the neighbour's box) no longer touch it.

    Pieces on different lines (they overlap by less than half the smaller height) are
    trimmed at top/bottom: a line's tall accents reach into the line above, its descenders
    into the line below. Pieces on one line (a font change, a superscript marker) are trimmed
    at left/right. A glyph of the piece itself lying wholly inside the overlap (at most
    _TRIM_MAX of the box) is the only thing that could be lost: accents and descenders sit
    there, but always as part of a taller glyph. Pieces drawn over each other are left as
    they are."""
    q = [list(b) for b in boxes]
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][1])
    for n, i in enumerate(order):
        al, ab, ar, at = boxes[i]
        for j in order[n + 1:]:
            bl, bb, br, bt = boxes[j]
            if bb >= at:
                break  # sorted by bottom: nothing further up reaches this box
            ov_w = min(ar, br) - max(al, bl)
            ov_h = min(at, bt) - max(ab, bb)
            if ov_w <= 0 or ov_h <= 0:
                continue
            ha, hb, wa, wb = at - ab, bt - bb, ar - al, br - bl
            if ov_h < 0.5 * min(ha, hb):  # lines above one another
                lower, upper = (i, j) if ab + at < bb + bt else (j, i)
                cut = boxes[upper][1] - _TRIM_EPS  # the lower box ends below the upper's bottom
                lb = boxes[lower]
                if lb[3] - cut <= _TRIM_MAX * (lb[3] - lb[1]):
                    q[lower][3] = min(q[lower][3], cut)
                cut = lb[3] + _TRIM_EPS
                ub = boxes[upper]
                if cut - ub[1] <= _TRIM_MAX * (ub[3] - ub[1]):
                    q[upper][1] = max(q[upper][1], cut)
            elif ov_w < 0.5 * min(wa, wb):  # side by side on one line
                left, right = (i, j) if al + ar < bl + br else (j, i)
                lb, rb = boxes[left], boxes[right]
                cut = rb[0] - _TRIM_EPS
                if lb[2] - cut <= _TRIM_MAX * (lb[2] - lb[0]):
                    q[left][2] = min(q[left][2], cut)
                cut = lb[2] + _TRIM_EPS
                if cut - rb[0] <= _TRIM_MAX * (rb[2] - rb[0]):
                    q[right][0] = max(q[right][0], cut)
    return q


class _PdfReader:
    def __init__(self, filename: str, pdf):
        self.filename = filename
        self.pdf = pdf

    def read(self) -> SourceDoc:
        items: list = []  # ("page", n) | ("p", text, page) | ("t", grid, page)
        no_text_pages: list[int] = []
        total = bad = 0
        n_pages = len(self.pdf)
        if n_pages > MAX_PDF_PAGES:
            raise DocumentError(
                "too_large",
                f"Tệp “{self.filename}” có {n_pages} trang, vượt giới hạn {MAX_PDF_PAGES} trang cho "
                "mỗi lần nhập. Hãy tách văn bản thành nhiều tệp rồi thử lại.")
        for pno in range(1, n_pages + 1):
            page = self.pdf[pno - 1]
            try:
                textpage = page.get_textpage()
                try:
                    full = textpage.get_text_range()
                    visible = sum(1 for ch in full if not ch.isspace())
                    total += visible
                    bad += sum(1 for ch in full if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff")
                    if visible < MIN_PAGE_CHARS and (not visible or self._has_image(page)):
                        no_text_pages.append(pno)
                    if visible:
                        items.append(("page", pno))
                        items.extend(self._page(page, textpage, pno))
                finally:
                    textpage.close()
            finally:
                page.close()
        if n_pages == 0 or len(no_text_pages) == n_pages or total < MIN_PAGE_CHARS:
            raise _scanned(self.filename)
        if total and bad > total // 2:
            raise DocumentError(
                "scanned",
                f"Lớp văn bản của “{self.filename}” không giải mã được (phông chữ không có bảng mã "
                "Unicode), như một tài liệu quét chưa có lớp văn bản. Hãy dùng bản có lớp văn bản "
                "(PDF xuất từ Word) hoặc nhận dạng ký tự (OCR) trước.",
            )
        warnings = []
        if no_text_pages:
            warnings.append(Flag(
                "page",
                "Trang " + ", ".join(map(str, no_text_pages)) + " không có lớp văn bản (có thể là "
                "ảnh quét): nội dung các trang này chưa được đọc, hãy kiểm tra và nhập tay.",
                Place(page=no_text_pages[0]), "warning"))
        return SourceDoc(self.filename, "pdf", self._blocks(items), pages=n_pages, warnings=warnings)

    @staticmethod
    def _has_image(page) -> bool:
        import pypdfium2.raw as pdfium_c

        return next(iter(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3)), None) is not None

    # -- one page --------------------------------------------------------------------------------
    def _page(self, page, textpage, pno: int) -> list:
        _left, _bottom, _right, top = page.get_bbox()
        height = top  # PDF space is bottom-up; tables are found top-down (y = height - pdf_y)
        tables = self._tables(page, height)
        out: list = []
        pieces = self._pieces(textpage, height)
        y = -1e6  # top-down: everything above this has been read
        for t_top, t_bottom, _x0, _x1, slots in sorted(tables, key=lambda t: t[0]):
            out.extend(("p", text, pno) for text in self._text_lines(pieces, y, t_top))
            out.append(("t", self._grid(textpage, height, slots, pieces), pno))
            y = t_bottom
        out.extend(("p", text, pno) for text in self._text_lines(pieces, y, 1e6))
        return out

    @staticmethod
    def _text_lines(pieces: list, top: float, bottom: float) -> list[str]:
        """Running text between two heights (top-down), in the order the PDF draws it: pieces on
        one visual line join; a wide gap starts a new line, so the cells of a table drawn without
        rules come one per line (as text copied out of a PDF does), not run together."""
        out: list[str] = []
        line = None  # [top, bottom, right] of the line being built
        for px0, ptop, px1, pbottom, text in pieces:
            if not top < (ptop + pbottom) / 2 < bottom:
                continue
            for k, part in enumerate(text.split("\n")):
                if line is not None and out and k == 0:
                    height = max(pbottom - ptop, 1)
                    overlap = min(pbottom, line[1]) - max(ptop, line[0])
                    gap = px0 - line[2]
                    if overlap > 0.5 * min(height, line[1] - line[0]) and -1 <= gap < 1.2 * max(height, line[1] - line[0]):
                        if gap < max(1.0, 0.15 * (line[1] - line[0])):  # touching (less than a space):
                            # a superscript footnote marker, a change of font inside a word
                            out[-1] = out[-1].rstrip(" ") + part
                        else:
                            out[-1] += part if out[-1].endswith(" ") or part.startswith(" ") else " " + part
                        line = [min(line[0], ptop), max(line[1], pbottom), max(line[2], px1)]
                        continue
                out.append(part)
                line = [ptop, pbottom, px1]
        lines = [ln.strip() for ln in out]
        return [ln for ln in lines if ln]

    def _edges(self, page, height: float):
        import ctypes

        import pypdfium2.raw as pdfium_c

        horizontal: list[tuple[float, float, float]] = []  # (y, x0, x1), y top-down
        vertical: list[tuple[float, float, float]] = []  # (x, y0, y1)

        def add(x0, y0, x1, y1):  # PDF coordinates of a straight piece
            if abs(y1 - y0) <= _LINE_MAX and abs(x1 - x0) > _LINE_MAX:
                horizontal.append((height - (y0 + y1) / 2, min(x0, x1), max(x0, x1)))
            elif abs(x1 - x0) <= _LINE_MAX and abs(y1 - y0) > _LINE_MAX:
                vertical.append(((x0 + x1) / 2, height - max(y0, y1), height - min(y0, y1)))

        for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=4):
            left, bottom, right, top = obj.get_bounds()
            if (right - left) <= _LINE_MAX or (top - bottom) <= _LINE_MAX:
                add(left, bottom, right, top)  # a thin filled box or a single line: its bounds
                continue
            count = pdfium_c.FPDFPath_CountSegments(obj.raw)
            if count <= 0 or count > 2000:
                continue
            m = obj.get_matrix()
            x, y = ctypes.c_float(), ctypes.c_float()
            start = prev = None
            for k in range(count):
                seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, k)
                if not pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
                    continue
                point = m.on_point(x.value, y.value)
                kind = pdfium_c.FPDFPathSegment_GetType(seg)
                if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                    start = prev = point
                    continue
                if kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
                    add(prev[0], prev[1], point[0], point[1])
                prev = point
                if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
                    add(point[0], point[1], start[0], start[1])
                    prev = start
        return horizontal, vertical

    def _tables(self, page, height: float) -> list:
        horizontal, vertical = self._edges(page, height)
        if len(horizontal) < 2 or len(vertical) < 2:
            return []
        ys = _cluster([h[0] for h in horizontal], _SNAP)
        xs = _cluster([v[0] for v in vertical], _SNAP)
        hs = _join([(_snap(y, ys), a, b) for y, a, b in horizontal])
        vs = _join([(_snap(x, xs), a, b) for x, a, b in vertical])
        # connected components of crossing edges
        parent = list(range(len(hs) + len(vs)))

        def find(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        tol = _JOIN
        crossed = [False] * (len(hs) + len(vs))
        for i, (y, hx0, hx1) in enumerate(hs):
            for j, (x, vy0, vy1) in enumerate(vs):
                if hx0 - tol <= x <= hx1 + tol and vy0 - tol <= y <= vy1 + tol:
                    a, b = find(i), find(len(hs) + j)
                    if a != b:
                        parent[a] = b
                    crossed[i] = crossed[len(hs) + j] = True
        groups: dict[int, tuple[list, list]] = {}
        for i, h in enumerate(hs):
            if crossed[i]:
                groups.setdefault(find(i), ([], []))[0].append(h)
        for j, v in enumerate(vs):
            if crossed[len(hs) + j]:
                groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
        tables = []
        for hg, vg in groups.values():
            gy = sorted({h[0] for h in hg})
            gx = sorted({v[0] for v in vg})
            if len(gy) < 2 or len(gx) < 3:
                continue  # a frame or a box around a heading, not a table
            slots = self._slots(gx, gy, hg, vg)
            if slots:
                tables.append((gy[0], gy[-1], gx[0], gx[-1], slots))
        return tables

    @staticmethod
    def _slots(gx: list[float], gy: list[float], hg: list, vg: list):
        """Grid slots → cells: [(row, col, cell_id)], cell boxes, grid size."""
        nrows, ncols = len(gy) - 1, len(gx) - 1
        v_at: dict[float, list] = {}
        for x, a, b in vg:
            v_at.setdefault(x, []).append((a, b))
        h_at: dict[float, list] = {}
        for y, a, b in hg:
            h_at.setdefault(y, []).append((a, b))

        def covered(runs, lo, hi):
            mid = (lo + hi) / 2
            return any(a - _JOIN <= mid <= b + _JOIN for a, b in runs)

        ids = list(range(nrows * ncols))

        def find(i):
            while ids[i] != i:
                ids[i] = ids[ids[i]]
                i = ids[i]
            return i

        for r in range(nrows):
            for c in range(ncols):
                here = r * ncols + c
                if c + 1 < ncols and not covered(v_at.get(gx[c + 1], ()), gy[r], gy[r + 1]):
                    a, b = find(here), find(here + 1)
                    if a != b:
                        ids[b] = a
                if r + 1 < nrows and not covered(h_at.get(gy[r + 1], ()), gx[c], gx[c + 1]):
                    a, b = find(here), find(here + ncols)
                    if a != b:
                        ids[b] = a
        boxes: dict[int, list[float]] = {}
        for r in range(nrows):
            for c in range(ncols):
                root = find(r * ncols + c)
                box = boxes.get(root)
                if box is None:
                    boxes[root] = [gx[c], gy[r], gx[c + 1], gy[r + 1], r, c]
                else:
                    box[0], box[1] = min(box[0], gx[c]), min(box[1], gy[r])
                    box[2], box[3] = max(box[2], gx[c + 1]), max(box[3], gy[r + 1])
        # drop empty-width rows/cols made by double lines
        return {"nrows": nrows, "ncols": ncols, "owner": [find(i) for i in range(nrows * ncols)],
                "boxes": boxes, "gx": gx, "gy": gy}

    @staticmethod
    def _pieces(textpage, height: float) -> list[tuple[float, float, float, float, str]]:
        """The page's text as PDFium's line pieces: (x0, top, x1, bottom, text), top-down.

        PDFium's pieces are one text object each, but asking for the text inside a piece's
        box returns every glyph that merely touches the box: the tall accents of the line
        below ("Ủ") or the descenders of the line above ("g") come along as stray lines. Each
        piece is therefore asked for with its box trimmed off where it overlaps a neighbour's
        box (see _query_boxes), so a glyph belongs to one piece only."""
        out = []
        boxes = [textpage.get_rect(i) for i in range(textpage.count_rects())]
        for (left, bottom, right, top), (ql, qb, qr, qt) in zip(boxes, _query_boxes(boxes)):
            text = _clean(textpage.get_text_bounded(ql, qb, qr, qt)
                          .replace("\r\n", "\n").replace("\x02", "-"))  # PDFium: \x02 = hyphen at line end
            if text.strip():
                out.append((left, height - top, right, height - bottom, text))
        return out

    @staticmethod
    def _cell_text(pieces: list, box: tuple[float, float, float, float]) -> str:
        """A cell's lines from the pieces inside it. A line that ends without a space and fills
        the cell's width was cut inside a word (a code or an abbreviation in a narrow column,
        "S|TT", "10.|1"): it is joined to the next line without a break."""
        x0, _top, x1, _bottom = box
        lines: list[list] = []  # [top, bottom, left, right, text]
        for px0, ptop, px1, pbottom, text in sorted(pieces, key=lambda p: (p[1], p[0])):
            if lines and ptop < lines[-1][1] - 0.5 * (pbottom - ptop):
                line = lines[-1]
                gap = " " if px0 - line[3] > 1 and not line[4].endswith((" ", "\n")) else ""
                line[4] += gap + text
                line[1], line[3] = max(line[1], pbottom), max(line[3], px1)
            else:
                lines.append([ptop, pbottom, px0, px1, text])
        out = ""
        for i, (_t, _b, left, right, text) in enumerate(lines):
            piece = text.strip()
            if i and out:
                prev = lines[i - 1]
                ending = prev[4].rstrip("\n")
                cut = not ending.endswith(" ") and (
                    (ending.endswith(("/", "-")) and len(ending.strip()) > 1)  # "Người/|vạn dân"
                    or (prev[2] - x0 <= 8 and x1 - prev[3] <= 8
                        and _CODE_PIECE.match(ending.strip()) and _CODE_PIECE.match(piece.split(" ")[0])))
                out += "" if cut else "\n"
            out += piece
        return "\n".join(ln.strip() for ln in out.split("\n") if ln.strip())

    @staticmethod
    def _cells_by_glyph(textpage, height: float, slots: dict) -> dict[int, str] | None:
        """Cell texts when PDFium's pieces run over cell borders (a whole row drawn as one
        text object): every glyph goes to the cell holding its centre, glyphs outside the
        table are dropped, a glyph straddling a border is read once. None when the page's
        text does not line up with its glyphs."""
        import bisect

        n = textpage.count_chars()
        text = textpage.get_text_range(0, n) if n > 0 else ""
        if n <= 0 or len(text) != n:
            return None
        gx, gy, ncols, nrows, owner = slots["gx"], slots["gy"], slots["ncols"], slots["nrows"], slots["owner"]
        cells: dict[int, list[str]] = {}
        last: dict[int, tuple[float, float]] = {}  # cell → (baseline, height) of its last glyph
        root = None
        for i, ch in enumerate(text):
            left, bottom, right, top = textpage.get_charbox(i)
            if ch in "\r\n" or (right - left < 0.01 and top - bottom < 0.01):
                if root is not None:  # a line end or a space PDFium put between words
                    cells[root].append("\n" if ch in "\r\n" else ch)
                continue
            cx, cy = (left + right) / 2, height - (bottom + top) / 2
            if not (gx[0] < cx < gx[-1] and gy[0] < cy < gy[-1]):
                root = None
                continue
            c = min(max(bisect.bisect_right(gx, cx) - 1, 0), ncols - 1)
            r = min(max(bisect.bisect_right(gy, cy) - 1, 0), nrows - 1)
            root = owner[r * ncols + c]
            out = cells.setdefault(root, [])
            if ch != " " and root in last:
                base, size = last[root]
                if abs(bottom - base) > 0.6 * max(size, top - bottom, 1.0) and out and out[-1] != "\n":
                    out.append("\n")  # this cell's text goes on on another line
            out.append(ch)
            if ch != " ":
                last[root] = (bottom, top - bottom)
        return {k: _pdf_text("".join(v)) for k, v in cells.items()}

    def _grid(self, textpage, height: float, slots: dict, pieces: list) -> list[list[tuple]]:
        """Rows of (text, merged, group id, spans down to the table's last row)."""
        nrows, ncols, owner, boxes = slots["nrows"], slots["ncols"], slots["owner"], slots["boxes"]
        gx, gy = slots["gx"], slots["gy"]
        by_cell: dict[int, list] = {root: [] for root in boxes}
        fallback = False
        import bisect

        for piece in pieces:
            px0, ptop, px1, pbottom, _text = piece
            cx, cy = (px0 + px1) / 2, (ptop + pbottom) / 2
            if not (gx[0] < cx < gx[-1] and gy[0] < cy < gy[-1]):
                continue
            c = min(max(bisect.bisect_right(gx, cx) - 1, 0), ncols - 1)
            r = min(max(bisect.bisect_right(gy, cy) - 1, 0), nrows - 1)
            root = owner[r * ncols + c]
            bx0, _bt, bx1, _bb, _r, _c = boxes[root]
            if px0 < bx0 - 2 or px1 > bx1 + 2:
                fallback = True  # a piece running over a cell border: read the cells glyph by glyph
                break
            by_cell[root].append(piece)
        texts: dict[int, str] = (self._cells_by_glyph(textpage, height, slots) if fallback else None) or {}
        for root, (x0, top, x1, bottom, _r, _c) in boxes.items():
            if root in texts:
                continue
            if fallback:
                raw = textpage.get_text_bounded(left=x0 + 0.5, bottom=height - bottom + 0.5,
                                                right=x1 - 0.5, top=height - top - 0.5)
                texts[root] = _pdf_text(raw)
            else:
                texts[root] = self._cell_text(by_cell[root], (x0, top, x1, bottom))
        grid: list[list[tuple]] = []
        for r in range(nrows):
            row = []
            for c in range(ncols):
                root = owner[r * ncols + c]
                _x0, _t, _x1, bottom, r0, c0 = boxes[root]
                to_bottom = bottom >= gy[-1] - 0.5 and _t < gy[-1] - 0.5 and r0 < nrows - 1
                row.append((texts[root], (r, c) != (r0, c0), root, to_bottom))
            grid.append(row)
        # rows/columns that are only the gap of a double line (no text, very thin) go away
        thin_rows = {r for r in range(nrows) if gy[r + 1] - gy[r] < 3 and not any(t for t, m, *_ in grid[r] if not m)}
        thin_cols = {c for c in range(ncols) if gx[c + 1] - gx[c] < 3
                     and not any(grid[r][c][0] and not grid[r][c][1] for r in range(nrows))}
        return [[cell for c, cell in enumerate(row) if c not in thin_cols]
                for r, row in enumerate(grid) if r not in thin_rows]

    # -- the document ---------------------------------------------------------------------------
    def _blocks(self, items: list) -> list:
        blocks: list = []
        tno = 0
        line = 0
        open_table: tuple[Table, list] | None = None  # the last table, while only page furniture follows
        for it in items:
            if it[0] == "page":
                line = 0
                continue
            if it[0] == "p":
                _, text, pno = it
                line += 1
                blocks.append(Paragraph(text, Place(page=pno, line=line)))
                if not _PAGE_NUMBER.match(text):
                    open_table = None
                continue
            _, grid, pno = it
            if not grid:
                continue
            if open_table is not None and len(open_table[1][0]) == len(grid[0]):
                table, raw = open_table
                repeat = _header_prefix(raw, grid, lambda c: c[0])
                rest = [list(row) for row in grid[repeat:]]
                if rest:
                    _continue_merges(raw[-1], rest)
                if rest and _broken_row(raw[-1], rest[0]):
                    # a row the page break cut in two: its second half joins the first
                    joined = [(f"{a[0]}\n{b[0]}" if a[0] and b[0] and b[0] != a[0] else a[0] or b[0], a[1], a[2], b[3])
                              for a, b in zip(raw[-1], rest[0])]
                    raw[-1] = joined
                    for cell, (text, *_x) in zip(table.rows[-1], joined):
                        cell.text = text
                    rest = rest[1:]
                for row in rest:
                    raw.append(row)
                    r = len(table.rows) + 1
                    table.rows.append([Cell(c[0], Place(page=pno, table=table.place.table, row=r, col=k), c[1])
                                       for k, c in enumerate(row, 1)])
                continue
            if len(grid) == 1:  # a one-row box (heading or signature block): layout, as in DOCX
                for c in grid[0]:
                    for text in ([] if c[1] else c[0].split("\n")):
                        line += 1
                        blocks.append(Paragraph(text, Place(page=pno, line=line)))
                open_table = None
                continue
            grid = _drop_repeated_header(grid, lambda c: c[0])
            tno += 1
            rows = [[Cell(c[0], Place(page=pno, table=tno, row=r, col=k), c[1]) for k, c in enumerate(row, 1)]
                    for r, row in enumerate(grid, 1)]
            table = Table(rows, Place(page=pno, table=tno))
            blocks.append(table)
            open_table = (table, [list(row) for row in grid])
        return blocks


_CODE_PIECE = re.compile(r"^[A-ZĐ0-9.,/()\-–&]+$")


def _continue_merges(last: list[tuple], rows: list[list[tuple]]) -> None:
    """A cell merged down to the bottom of a page goes on at the top of the next one: PDF prints
    its text once, so the empty continuation gets the text (as a merged repeat)."""
    first = rows[0]
    for c, (above, below) in enumerate(zip(last, first)):
        if not above[3] or below[0] or not above[0]:
            continue
        gid = below[2]
        for row in rows:
            if row[c][2] != gid:
                break
            row[c] = (above[0], True, gid, row[c][3])


# ---------------------------------------------------------------------------------------------
# HTML (a page saved from a portal, Word's "Web Page" / "Single File Web Page" (.mht), often
# uploaded under a .doc name)
# ---------------------------------------------------------------------------------------------

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*|<\?xml[^>]*>\s*)*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<meta\b|<table\b|<div\b|<p\b)",
    re.IGNORECASE | re.DOTALL)
_HTML_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre",
               "section", "article", "header", "footer", "main", "center", "dd", "dt", "dl", "address",
               "figure", "figcaption", "caption", "form", "body", "html", "nav", "aside", "hr",
               "tbody", "thead", "tfoot", "tr", "td", "th", "fieldset", "legend"}
_HTML_SKIP = {"script", "style", "head", "noscript", "template", "svg", "object", "iframe", "select",
              "button", "title", "input", "textarea", "map", "canvas"}
_HTML_WS = re.compile(r"[ \t\r\n\f\u00a0]+")


def _looks_html(text: str, filename: str = "") -> bool:
    """An HTML page, not a Markdown file that opens with a raw HTML table (what converters
    write for a heading block of merged cells) and goes on in Markdown."""
    m = _HTML_START.match(text[:4000])
    if not m:
        return False
    if _ext(filename) in _MD_EXT:
        return False
    if re.search(r"<(?:!doctype|html|head|body)\b", m.group(0), re.IGNORECASE):
        return True
    return not _MD_TABLE_OR_HEADING.search(text)


_MD_TABLE_OR_HEADING = re.compile(r"^ {0,3}(?:#{1,6}[ \t]+\S|\|?[ \t]*:?-{3,}:?[ \t]*\|[-|: \t]*$)", re.MULTILINE)


def _mht_html(data: bytes) -> str | None:
    """The HTML part of a MIME "single file web page" (.mht/.mhtml), or None."""
    head = data[:4000].lower()
    if b"mime-version:" not in head or b"multipart/related" not in head:
        return None
    import email

    msg = email.message_from_bytes(data)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            try:
                return payload.decode(part.get_content_charset() or "utf-8", "replace")
            except LookupError:
                return payload.decode("utf-8", "replace")
    return None


class _HtmlReader:
    def __init__(self, filename: str):
        self.filename = filename

    def read(self, html: str) -> SourceDoc:
        import lxml.html

        try:
            root = lxml.html.document_fromstring(html)
        except (etree.ParserError, ValueError):
            raise safety.corrupt(self.filename, "trang HTML không đọc được") from None
        body = root.find("body")
        try:
            items = self._container(body if body is not None else root)
        except RecursionError:
            raise safety.corrupt(self.filename, "các thẻ lồng nhau quá sâu") from None
        items = _join_split_tables(_unwrap(items))
        blocks: list = []
        line = tno = 0
        for it in items:
            if isinstance(it, _Para):
                line += 1
                blocks.append(Paragraph(it.text, Place(line=line), it.style))
            elif it.rows:
                tno += 1
                blocks.append(Table([[Cell(c.text, Place(table=tno, row=r, col=k), c.merged)
                                      for k, c in enumerate(row, 1)] for r, row in enumerate(it.rows, 1)],
                                    Place(table=tno)))
        return SourceDoc(self.filename, "html", blocks)

    def _container(self, el) -> list:
        items: list = []
        buf: list[str] = []
        self._walk(el, items, buf)
        self._flush(items, buf, "")
        return items

    @staticmethod
    def _flush(items: list, buf: list[str], style: str) -> None:
        if not buf:
            return
        lines = [ln.strip() for ln in _clean("".join(buf)).split("\n")]
        buf.clear()
        text = "\n".join(lines).strip("\n")
        if text.strip():
            items.append(_Para(text, [], style, None))

    def _walk(self, node, items: list, buf: list[str], style: str = "") -> None:
        if node.text:
            buf.append(_HTML_WS.sub(" ", node.text))
        counter = 0
        for child in node:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            hidden = "display:none" in (child.get("style") or "").replace(" ", "").lower() if tag else False
            if tag and tag not in _HTML_SKIP and not hidden:
                if tag == "table":
                    self._flush(items, buf, style)
                    items.append(self._table(child))
                elif tag == "br":
                    buf.append("\n")
                elif tag in _HTML_BLOCK:
                    self._flush(items, buf, style)
                    sub_style = f"Heading {tag[1]}" if tag in ("h1", "h2", "h3", "h4", "h5", "h6") else ""
                    if tag == "li":
                        counter += 1
                        parent = node.tag.lower() if isinstance(node.tag, str) else ""
                        start = int(node.get("start", "1")) if (node.get("start") or "").isdigit() else 1
                        buf.append(f"{start + counter - 1}. " if parent == "ol" else "- ")
                    self._walk(child, items, buf, sub_style)
                    self._flush(items, buf, sub_style)
                else:
                    self._walk(child, items, buf, style)
            if child.tail:
                buf.append(_HTML_WS.sub(" ", child.tail))

    @staticmethod
    def _span(value: str | None, limit: int) -> int:
        try:
            return min(max(int((value or "1").strip() or 1), 1), limit)
        except ValueError:
            return 1

    def _table(self, tbl) -> _RawTable:
        rows: list[list[_RawCell]] = []
        pending: dict[int, tuple[_RawCell, int]] = {}  # column → (cell spanning down, rows left)

        def take_pending(row: list[_RawCell]) -> None:
            while len(row) in pending:
                col = len(row)
                cell, left = pending[col]
                row.append(_RawCell(cell.text, [], True))
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (cell, left - 1)

        nested = False
        for tr in tbl.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
            row: list[_RawCell] = []
            for td in tr.xpath("./td|./th"):
                take_pending(row)
                colspan = self._span(td.get("colspan"), 200)
                rowspan = self._span(td.get("rowspan"), 5000)
                items = self._container(td)
                texts: list[str] = []
                for it in items:
                    if isinstance(it, _Para):
                        texts.append(it.text)
                    else:
                        nested = True
                        texts.extend(c.text for r in it.rows for c in r if not c.merged and c.text)
                cell = _RawCell("\n".join(texts).strip(), [], False, items)
                for k in range(colspan):
                    col = len(row)
                    row.append(cell if k == 0 else _RawCell(cell.text, [], True))
                    if rowspan > 1:
                        pending[col] = (cell, rowspan - 1)
            for col in sorted(c for c in list(pending) if c >= len(row)):
                while len(row) < col:
                    row.append(_RawCell("", []))
                take_pending(row)
            rows.append(row)
        width = max((len(r) for r in rows), default=0)
        for row in rows:
            row.extend(_RawCell("", []) for _ in range(width - len(row)))
        rows = [r for r in rows if any(c.text for c in r)] if width else rows
        return _RawTable(_drop_repeated_header(rows, lambda c: c.text), (), None, nested)


# ---------------------------------------------------------------------------------------------
# Plain text, Markdown/pipe tables, tab-separated rows
# ---------------------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    no: int  # 1-based line number in the file
    page: int | None
    style: str = ""  # Markdown: "Heading N"
    verbatim: bool = False  # Markdown: a line of a fenced code block (no inline formatting)
    dash_table: int = 0  # Markdown: a line of pandoc's simple/multiline table number n (1-based)


def _split_lines(text: str) -> list[_Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paged = "\f" in text
    out: list[_Line] = []
    page = 1
    for no, raw in enumerate(text.split("\n"), 1):
        line_page = page
        if "\f" in raw:
            lead = len(raw) - len(raw.lstrip("\f \t"))
            line_page = page + raw[:lead].count("\f")  # text after a leading form feed: next page
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        out.append(_Line(_clean(raw).rstrip(" \u00a0"), no, line_page if paged else None))
    while out and not out[-1].text.strip():
        out.pop()
    return out


# "1.<tab>text", "a)<tab>text", "-<tab>text": a numbered list copied out of Word, not a table
_LIST_LABEL = re.compile(r"^(?:[0-9]{1,3}(?:\.[0-9]{1,3})*[.)]?|[IVXLivxl]{1,5}[.)]|[a-zđ][.)]|[-+•*–])$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _pipe_cells(line: str) -> list[str]:
    s = line.strip().removeprefix("|")
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [_md_inline(c) for c in re.split(r"(?<!\\)\|", s)]


# -- Markdown ----------------------------------------------------------------------------------
# A plan typed or converted to Markdown: block markers (headings, quotes, bullets, rules, code
# fences) and inline formatting (bold, emphasis, code, links, escapes, a few HTML tags) are
# dropped so that paragraphs and cells hold the text as a reader sees it. Lines stay one
# paragraph each, as in plain text.

_MD_EXT = {"md", "markdown", "mdown", "mkd", "mkdn"}
_MD_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_MD_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_MD_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_MD_SETEXT = re.compile(r"^ {0,3}(={2,}|-{2,})[ \t]*$")
_MD_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_MD_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+(?:\[[ xX]\][ \t]+)?")
_MD_LIST_ITEM = re.compile(r"^(?:- |\d{1,3}[.)][ \t])")  # after _md_blocks: a bullet or a numbered item
_MD_LINKDEF = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*\S+")
_MD_SIGNALS = re.compile(
    r"^ {0,3}#{1,6}[ \t]+\S|^ {0,3}(?:`{3,}|~{3,})|^ {0,3}>[ \t]|\*\*\S(?:.*?\S)?\*\*|(?<!\w)__\S(?:.*?\S)?__(?!\w)"
    r"|\[[^\]\n]+\]\([^)\s]+\)")
_MD_CODE = re.compile(r"(?<![\\`])(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_MD_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_MD_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^<>\s]+)>", re.IGNORECASE)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_MD_REFLINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_TAG = re.compile(r"</?(?:b|i|u|em|strong|sup|sub|span|font|s|strike|del|ins|mark|small|big|code|kbd|tt|"
                     r"a|abbr|cite|q|center|nobr)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_MD_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MD_EMPHASIS = (
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"),
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"),
    re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])"),
    re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])"),
    re.compile(r"\^([^\s^]+)\^"),  # pandoc superscript: Bộ^(1)^
    re.compile(r"(?<![~\w])~([^\s~]+)~(?!~)"),  # pandoc subscript
)
_MD_INLINE_CHARS = frozenset("*_`[]<>\\~&^")


def _md_inline(text: str) -> str:
    """Markdown inline formatting dropped: **bold**, __bold__, *em*, _em_, ~~struck~~, `code`,
    [text](link), ![alt](image), <https://…>, escapes (\\|, \\*), a few HTML tags and
    entities; <br> becomes a line break. Code spans and escaped characters stay literal."""
    if not _MD_INLINE_CHARS.intersection(text):
        return text.strip()
    kept: list[str] = []

    def keep(value: str) -> str:
        kept.append(value)
        return f"\ue000{len(kept) - 1}\ue001"

    text = _MD_CODE.sub(lambda m: keep(m.group(2).strip() or m.group(2)), text)
    text = _MD_ESCAPE.sub(lambda m: keep(m.group(1)), text)
    text = _MD_COMMENT.sub("", text)
    text = _MD_BR.sub("\n", text)
    text = _MD_AUTOLINK.sub(lambda m: keep(m.group(1)), text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_REFLINK.sub(r"\1", text)
    text = _MD_TAG.sub("", text)
    for _ in range(3):  # nested: ***both***, **bold with *em* inside**
        before = text
        for pattern in _MD_EMPHASIS:
            text = pattern.sub(r"\1", text)
        if text == before:
            break
    if "&" in text:
        import html

        text = html.unescape(text)
    if kept:
        text = re.sub("\ue000(\\d+)\ue001", lambda m: kept[int(m.group(1))], text)
    return "\n".join(_WS.sub(" ", ln).strip() for ln in text.split("\n")).strip()


_GRID_BORDER = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")


def _grid_rows(block: list[_Line]) -> list[list[tuple[str, _Line, bool]]]:
    """Rows of a pandoc grid table (+---+---+ borders, | between cells). Column edges come
    from the first border; a cell whose right edge has no "|" spans into the next column (its
    text repeated there, merged). Lines of a cell are one paragraph (joined with a space)
    unless a blank line or a list item starts a new one (joined with a line break)."""
    first = block[0].text
    edges = [k for k, ch in enumerate(first) if ch == "+"]
    ncols = len(edges) - 1
    rows: list[list[tuple[str, _Line, bool]]] = []
    cur: list[_Line] = []

    def flush() -> None:
        if not cur:
            return
        top = cur[0].text
        starts = [0] + [k for k in range(1, ncols) if len(top) > edges[k] and top[edges[k]] in "|+"]
        spans = [(edges[k0] + 1, edges[starts[si + 1] if si + 1 < len(starts) else ncols])
                 for si, k0 in enumerate(starts)]
        inner = {edges[k] for k in starts[1:]}
        aligned = all(ch != "|" or k in inner for ln in cur
                      for k, ch in enumerate(ln.text.rstrip().rstrip("|")) if k > edges[0])
        if aligned:
            def segment(text: str, si: int) -> str:
                return text[spans[si][0]:spans[si][1]]
        else:  # typed by hand, "|" not under the "+": split each line on its pipes
            starts = list(range(ncols))

            def segment(text: str, si: int) -> str:
                parts = re.split(r"(?<!\\)\|", text.strip().strip("|"))
                return parts[si] if si < len(parts) else ""
        cells: list[tuple[str, _Line, bool]] = []
        for si, k0 in enumerate(starts):
            k1 = starts[si + 1] if si + 1 < len(starts) else ncols
            paras: list[list[str]] = [[]]
            for ln in cur:
                seg = segment(ln.text, si).strip()
                if not seg:
                    if paras[-1]:
                        paras.append([])
                    continue
                m = _MD_BULLET.match(seg)
                if m or _MD_LIST_ITEM.match(seg):
                    if paras[-1]:
                        paras.append([])
                    if m:
                        seg = "- " + seg[m.end():]
                paras[-1].append(seg)
            text = "\n".join(_md_inline(" ".join(p)) for p in paras if p)
            cells.append((text, cur[0], False))
            cells.extend((text, cur[0], True) for _ in range(k1 - k0 - 1))
        rows.append(cells)
        cur.clear()

    for ln in block[1:]:
        if _GRID_BORDER.match(ln.text):
            flush()
        else:
            cur.append(ln)
    flush()
    return rows


def _html_table_rows(block: list[_Line], filename: str) -> list[list[tuple[str, _Line, bool]]]:
    """Rows of a raw HTML table inside Markdown (what converters write for tables Markdown
    cannot hold), read by the HTML reader."""
    import lxml.html

    try:
        frag = lxml.html.fragment_fromstring("\n".join(ln.text for ln in block), create_parent="div")
    except (etree.ParserError, ValueError):
        return [[(ln.text, ln, False)] for ln in block if ln.text.strip()]
    table = frag.find(".//table")
    if table is None:
        return []
    raw = _HtmlReader(filename)._table(table)
    return [[(c.text, block[0], c.merged) for c in row] for row in raw.rows]


def _is_markdown(lines: list[_Line], filename: str) -> bool:
    """A Markdown file by its name, or text with at least two Markdown marks (a heading, a
    code fence, a quote, **bold**, a [link](…))."""
    if _ext(filename) in _MD_EXT:
        return True
    hits = 0
    for ln in lines:
        if _MD_SIGNALS.search(ln.text):
            hits += 1
            if hits >= 2:
                return True
    return False


_DASH_RUNS = re.compile(r"^\s*-{2,}(?:[ \t]+-{2,})+\s*$")
_DASH_FULL = re.compile(r"^\s*-{3,}\s*$")


def _md_dash_tables(lines: list[_Line]) -> dict[int, int]:
    """Pandoc's simple and multiline tables (columns told by runs of dashes under the header,
    no pipes): line index → table number, for the lines of each."""
    found: dict[int, int] = {}
    n = len(lines)
    blank = [not ln.text.strip() for ln in lines]
    d = 0
    while d < n:
        if d in found or not _DASH_RUNS.match(lines[d].text):
            d += 1
            continue
        start = end = None
        h = d - 1
        while h >= 0 and not blank[h] and not _DASH_FULL.match(lines[h].text) and d - h <= 12:
            h -= 1
        if h >= 0 and h < d - 1 and _DASH_FULL.match(lines[h].text):  # multiline, with a header
            e = d + 1
            while e < n and not _DASH_FULL.match(lines[e].text) and not _DASH_RUNS.match(lines[e].text):
                if blank[e] and e + 1 < n and blank[e + 1]:
                    break
                e += 1
            if e < n and _DASH_FULL.match(lines[e].text):
                start, end = h, e
        elif h < d - 1:  # simple, with a one-line header: rows up to a blank line
            e = d + 1
            while e < n and not blank[e] and not _DASH_RUNS.match(lines[e].text):
                e += 1
            if e > d + 1 and h == d - 2:
                start, end = d - 1, (e if e < n and _DASH_RUNS.match(lines[e].text) else e - 1)
        else:  # no header: rows up to the closing dashes
            e = d + 1
            while e < n and not _DASH_RUNS.match(lines[e].text):
                if blank[e] and e + 1 < n and blank[e + 1]:
                    break
                e += 1
            if e < n and _DASH_RUNS.match(lines[e].text) and e > d + 1:
                start, end = d, e
        if start is None:
            d += 1
            continue
        number = len(set(found.values())) + 1
        for k in range(start, end + 1):
            found[k] = number
        d = end + 1
    return found


def _dash_rows(block: list[_Line]) -> list[list[tuple[str, _Line, bool]]]:
    """Rows of a pandoc simple/multiline table: columns start where the runs of dashes under
    the header start; in a multiline table rows are separated by blank lines and a cell's
    lines are one paragraph ("\\" at a line end: a line break)."""
    runs_at = next(i for i, ln in enumerate(block) if _DASH_RUNS.match(ln.text))
    starts = [m.start() for m in re.finditer(r"-+", block[runs_at].text)]
    multiline = _DASH_FULL.match(block[0].text) is not None or any(
        not ln.text.strip() for ln in block[runs_at + 1:-1])
    groups: list[list[_Line]] = []
    cur: list[_Line] = []
    for i, ln in enumerate(block):
        if _DASH_FULL.match(ln.text) or _DASH_RUNS.match(ln.text) or not ln.text.strip():
            if cur:
                groups.append(cur)
                cur = []
            continue
        cur.append(ln)
        if not multiline:
            groups.append(cur)
            cur = []
    if cur:
        groups.append(cur)
    rows: list[list[tuple[str, _Line, bool]]] = []
    for group in groups:
        cells: list[tuple[str, _Line, bool]] = []
        for k, a in enumerate(starts):
            b = starts[k + 1] if k + 1 < len(starts) else None
            text = ""
            for ln in group:
                seg = ln.text[a:b].strip() if b is not None else ln.text[a:].strip()
                if not seg:
                    continue
                brk = seg.endswith("\\") and not seg.endswith("\\\\")
                seg = seg[:-1].rstrip() if brk else seg
                text += (" " if text and not text.endswith("\n") else "") + seg + ("\n" if brk else "")
            cells.append((_md_inline(text), group[0], False))
        rows.append(cells)
    return rows


def _md_blocks(lines: list[_Line]) -> list[_Line]:
    """Markdown block markers removed line by line (line numbers kept): ATX and setext
    headings become the heading text with style "Heading N", quotes lose their ">", bullets
    ("-", "*", "+") become "- ", rules, fences, link definitions and HTML comments become blank
    lines. Inline formatting is left for _md_inline (cells are split on pipes first)."""
    out: list[_Line] = []
    fence = ""
    comment = False
    tables = _md_dash_tables(lines)
    for k, ln in enumerate(lines):
        t = ln.text
        new = _Line(t, ln.no, ln.page)
        out.append(new)
        if k in tables and not fence and not comment:
            new.dash_table = tables[k]
            continue
        if fence:
            if t.strip().startswith(fence) and not t.strip().strip(fence[0]):
                fence, new.text = "", ""
            else:
                new.verbatim = True
            continue
        if comment:
            new.text = ""
            comment = "-->" not in t
            continue
        m = _MD_FENCE.match(t)
        if m:
            fence, new.text = m.group(1), ""
            continue
        if t.lstrip().startswith("<!--"):
            if "-->" not in t:
                comment, new.text = True, ""
                continue
            t = _MD_COMMENT.sub("", t)
            if not t.strip():
                new.text = ""
                continue
        while _MD_QUOTE.match(t):
            t = _MD_QUOTE.sub("", t, count=1)
        prev = out[-2] if len(out) > 1 else None
        m = _MD_SETEXT.match(t)
        if m and prev is not None and prev.text.strip() and not prev.style and not prev.verbatim \
                and "|" not in prev.text and not _MD_LIST_ITEM.match(prev.text):
            prev.style = "Heading 1" if m.group(1)[0] == "=" else "Heading 2"
            new.text = ""
            continue
        if _MD_RULE.match(t) or _MD_LINKDEF.match(t):
            new.text = ""
            continue
        m = _MD_ATX.match(t)
        if m:
            new.text, new.style = (m.group(2) or "").strip(), f"Heading {len(m.group(1))}"
            continue
        m = _MD_BULLET.match(t)
        if m:
            t = "- " + t[m.end():]
        elif "|" not in t:
            t = t.strip()
        if t.endswith("\\") and not t.endswith("\\\\"):
            t = t[:-1].rstrip()  # a hard line break
        new.text = t
    return out


_MD_NOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]*(.*)$")
_MD_NOTE_REF = re.compile(r"[ \t]?\[\^([^\]\s]+)\](?!:)")


def _md_footnotes(lines: list[_Line]) -> tuple[list[_Line], dict[str, str]]:
    """Markdown footnotes ("[^1]: text", indented lines going on) taken out of the body:
    (lines with the definitions blanked, footnote id → text)."""
    notes: dict[str, str] = {}
    if not any(_MD_NOTE_DEF.match(ln.text) for ln in lines):
        return lines, notes
    out: list[_Line] = []
    current: str | None = None
    for ln in lines:
        m = _MD_NOTE_DEF.match(ln.text)
        if m:
            current = m.group(1)
            notes[current] = m.group(2).strip()
            out.append(_Line("", ln.no, ln.page))
            continue
        if current is not None and ln.text[:1] in (" ", "\t") and ln.text.strip():
            notes[current] = f"{notes[current]} {ln.text.strip()}".strip()
            out.append(_Line("", ln.no, ln.page))
            continue
        if ln.text.strip():
            current = None
        out.append(ln)
    return out, {k: _md_inline(v) for k, v in notes.items()}


def _note_markers(notes: dict[str, str]) -> dict[str, str]:
    """Footnote id → the marker the footnote is known by: its number, or its rank."""
    return {k: (k if k.isdigit() else str(i)) for i, k in enumerate(notes, 1)}


def _md_cite(text: str, notes: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """Footnote references ("[^1]") removed from a paragraph or cell; the texts they cite."""
    if not notes or "[^" not in text:
        return text, ()
    cited = [notes[m.group(1)] for m in _MD_NOTE_REF.finditer(text) if m.group(1) in notes]
    return _MD_NOTE_REF.sub(lambda m: "" if m.group(1) in notes else m.group(0), text), tuple(cited)


def _text_layout(lines: list[_Line], filename: str) -> tuple[str, list, bool, dict[str, str]]:
    """(fmt, spans, markdown, footnotes) of a text file; Markdown block markers removed and
    Markdown footnotes taken out when it is one."""
    md = _is_markdown(lines, filename)
    notes: dict[str, str] = {}
    if not md:
        fmt, spans = _text_format(lines)
        md = fmt == "markdown"  # pipe tables: Markdown after all
    if md:
        body, notes = _md_footnotes(lines)
        fmt, spans = _text_format(_md_blocks(body), md=True)
    return ("markdown" if md else fmt), spans, md, notes


def _is_tab_cell_layout(lines: list[_Line]) -> bool:
    """Word's "table copied as text": one cell per line, each new cell starting with a tab,
    rows separated by a blank line."""
    lead = sum(1 for ln in lines if ln.text.startswith("\t") and ln.text.count("\t") == 1)
    inner = sum(1 for ln in lines if "\t" in ln.text.lstrip("\t"))
    return lead >= 6 and lead >= 3 * inner


def _text_format(lines: list[_Line], md: bool = False) -> tuple[str, list]:
    """(fmt, spans) where spans are ("p", line) | ("pipe", [lines]) | ("tsv", [lines]), and in
    Markdown also ("grid", [lines]) (pandoc's grid tables) | ("html", [lines]) (a raw HTML table)."""
    if _is_tab_cell_layout(lines):
        return "tsv", [("cells", lines)]
    spans: list = []
    i = 0
    n = len(lines)
    kinds = set()
    while i < n:
        t = lines[i].text
        if md and lines[i].dash_table:
            j = i
            while j < n and lines[j].dash_table == lines[i].dash_table:
                j += 1
            spans.append(("dash", lines[i:j]))
            kinds.add("markdown")
            i = j
            continue
        if md and _GRID_BORDER.match(t):
            j = i + 1
            while j < n and (_GRID_BORDER.match(lines[j].text) or lines[j].text.lstrip().startswith("|")):
                j += 1
            if j - i >= 3 and _GRID_BORDER.match(lines[j - 1].text):
                spans.append(("grid", lines[i:j]))
                kinds.add("markdown")
                i = j
                continue
        if md and t.lstrip()[:6].lower() == "<table":
            j, depth = i, 0
            while j < n:
                low = lines[j].text.lower()
                depth += low.count("<table") - low.count("</table")
                j += 1
                if depth <= 0:
                    break
            spans.append(("html", lines[i:j]))
            kinds.add("markdown")
            i = j
            continue
        if "|" in t:
            sep_next = i + 1 < n and _SEPARATOR.match(lines[i + 1].text) and "|" in lines[i + 1].text
            framed = t.strip().startswith("|")
            if sep_next or framed:
                j = i
                block = []
                while j < n and "|" in lines[j].text and (sep_next or lines[j].text.strip().startswith("|")):
                    block.append(lines[j])
                    j += 1
                rows = [b for b in block if not _SEPARATOR.match(b.text)]
                widths = Counter(len(_pipe_cells(b.text)) for b in rows)
                if rows and (sep_next or len(rows) >= 2) and widths.most_common(1)[0][0] >= 2:
                    spans.append(("pipe", block))
                    kinds.add("markdown")
                    i = j
                    continue
        if (run := _bare_pipe_run(lines, i)) >= 2:
            # " | " rows with no outer pipes (a web page or a chat copied as text)
            spans.append(("pipe", lines[i : i + run]))
            i += run
            continue
        if "\t" in t.strip("\t") or (t.startswith("\t") and t.count("\t") >= 2):
            j = i
            block = []
            quote_open = False
            while j < n and ("\t" in lines[j].text or quote_open):
                block.append(lines[j])
                if lines[j].text.count('"') % 2:
                    quote_open = not quote_open
                j += 1
            counts = Counter(len(b.text.split("\t")) for b in block if "\t" in b.text)
            labels = sum(1 for b in block if _LIST_LABEL.match(b.text.split("\t")[0].strip()))
            is_list = counts and counts.most_common(1)[0][0] == 2 and labels >= 0.8 * len(block)
            if len(block) >= 2 and counts and counts.most_common(1)[0][0] >= 2 and not is_list:
                spans.append(("tsv", block))
                kinds.add("tsv")
                i = j
                continue
        spans.append(("p", lines[i]))
        i += 1
    fmt = "markdown" if "markdown" in kinds else "tsv" if "tsv" in kinds else "text"
    return fmt, spans


_BARE_PIPE = re.compile(r"(?<!\\)\|")


def _bare_pipe_width(text: str) -> int:
    """Cells of a line written "a | b | c" (no outer pipes needed): 0 unless it has at least two
    unescaped pipes, one of them with a space on each side (prose with one "|" is no row)."""
    if len(_BARE_PIPE.findall(text)) < 2 or " | " not in f" {text.strip()} " or _SEPARATOR.match(text):
        return 0
    return len(_pipe_cells(text))


def _bare_pipe_run(lines: list[_Line], i: int) -> int:
    """Number of consecutive lines from i that make a " | " table: at least two rows of the
    same number of cells (at least 3); a shorter row counts when it ends in empty cells or a
    pipe (a group row "I | Chính quyền số | | |"). 0 when there is no such table."""
    widths: list[int] = []
    for ln in lines[i:]:
        w = _bare_pipe_width(ln.text)
        if not w:
            break
        widths.append(w)
    if len(widths) < 2:
        return 0
    top = Counter(widths).most_common(1)[0][0]
    if top < 3 or Counter(widths)[top] < 2:
        return 0
    run = 0
    for ln, w in zip(lines[i:], widths):
        cells = _pipe_cells(ln.text)
        short_ok = w < top and (ln.text.rstrip().endswith("|") or not cells[-1].strip())
        if w != top and not short_ok:
            break
        run += 1
    return run if run >= 2 else 0


def read_text(text: str, filename: str) -> SourceDoc:
    lines = _split_lines(text)
    if not lines:
        raise _no_words(filename)
    fmt, spans, md, notes = _text_layout(lines, filename)
    blocks: list = []
    tno = 0

    def add_table(rows: list[list[tuple[str, _Line]]], first: _Line) -> None:
        nonlocal tno
        if not rows:
            return
        width = max(len(r) for r in rows)
        rows = [r + [("", r[-1][1] if r else first)] * (width - len(r)) for r in rows]
        rows = _drop_repeated_header(rows, lambda c: c[0])
        tno += 1
        blocks.append(Table(
            [[Cell(*_md_cite(c[0], notes)[:1], Place(page=c[1].page, table=tno, row=r, col=k, line=c[1].no),
                   len(c) > 2 and c[2], _md_cite(c[0], notes)[1])
              for k, c in enumerate(row, 1)]
             for r, row in enumerate(rows, 1)],
            Place(page=first.page, table=tno, line=first.no)))

    for kind, payload in spans:
        if kind == "p":
            if md and not payload.verbatim:
                text, cited = _md_cite(payload.text, notes)
                parts = _md_inline(text).split("\n")
                for part in parts:
                    if part or len(parts) == 1:
                        blocks.append(Paragraph(part, Place(page=payload.page, line=payload.no), payload.style,
                                                cited))
                        cited = ()
            else:
                blocks.append(Paragraph(payload.text, Place(page=payload.page, line=payload.no), payload.style))
        elif kind == "pipe":
            rows = [[(c, ln) for c in _pipe_cells(ln.text)] for ln in payload if not _SEPARATOR.match(ln.text)]
            add_table(rows, payload[0])
        elif kind == "grid":
            add_table(_grid_rows(payload), payload[0])
        elif kind == "dash":
            add_table(_dash_rows(payload), payload[0])
        elif kind == "html":
            add_table(_html_table_rows(payload, filename), payload[0])
        elif kind == "tsv":
            text_block = "\n".join(ln.text for ln in payload)
            parsed = list(csv.reader(io.StringIO(text_block), delimiter="\t"))
            if len(parsed) == sum(1 for _ in payload):
                rows = [[(c.strip(), ln) for c in row] for row, ln in zip(parsed, payload)]
            else:  # quoted multi-line cells: line numbers of row starts are approximate
                rows = [[(c.strip(), payload[min(i, len(payload) - 1)]) for c in row]
                        for i, row in enumerate(parsed)]
            add_table(rows, payload[0])
        else:  # "cells"
            for block in _tab_cell_blocks(payload):
                if isinstance(block, _Line):
                    blocks.append(Paragraph(block.text, Place(page=block.page, line=block.no)))
                else:
                    add_table(block, block[0][0][1])
    markers = _note_markers(notes)
    return SourceDoc(filename, fmt, blocks, pages=lines[-1].page if lines and lines[-1].page else None,
                     footnotes={markers[k]: v for k, v in notes.items()})


def _tab_cell_blocks(lines: list[_Line]) -> list:
    """Paragraph lines and tables (rows of (text, first line)) from the tab-cell layout.

    A line starting with a tab opens a cell; a line without one continues the current cell (a
    cell with several paragraphs, blank ones included); a blank line followed by a tab line
    ends the row. After the last tab line, text that follows a blank line is running text.
    """
    last_tab = max(i for i, ln in enumerate(lines) if ln.text.startswith("\t"))
    out: list = []
    rows: list[list[list]] = []  # row → cells → [lines of text..., first _Line]
    row: list | None = None
    cell: list | None = None
    blanks = 0
    in_table = False
    for i, ln in enumerate(lines):
        t = ln.text
        if t.startswith("\t"):
            if not in_table:
                in_table = True
            if row is None or blanks:
                row = []
                rows.append(row)
            cell = [ln, t[1:]]
            row.append(cell)
            blanks = 0
        elif not t.strip():
            if in_table:
                blanks += 1
            else:
                out.append(ln)
        elif not in_table:
            out.append(ln)
        elif i > last_tab and blanks:
            # the table has ended: flush it, the rest is running text
            out.append(_finish_rows(rows))
            rows, row, cell, in_table, blanks = [], None, None, False, 0
            out.append(ln)
        else:
            cell.extend([""] * blanks)
            cell.append(t)
            blanks = 0
    if rows:
        out.append(_finish_rows(rows))
    return out


def _finish_rows(rows: list[list[list]]) -> list[list[tuple[str, _Line]]]:
    width = Counter(len(r) for r in rows).most_common(1)[0][0]
    width = max(width, len(rows[0]))
    # A blank paragraph at the end of a cell looks like a row break: re-join the two halves
    # when together they make exactly one full row.
    joined: list[list[list]] = []
    for r in rows:
        if joined and len(joined[-1]) < width and len(r) < width and len(joined[-1]) + len(r) == width \
                and len(joined[-1]) > 2:
            joined[-1] = joined[-1] + r
        else:
            joined.append(r)
    out = []
    for r in joined:
        out.append([("\n".join(c[1:]).strip(), c[0]) for c in r])
    return out
