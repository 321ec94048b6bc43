"""The shapes every reader produces and every parser consumes.

A reader turns a file into a SourceDoc: an ordered list of blocks, each a Paragraph or a Table,
with the place it came from (page, table, row, column) so a doubtful cell can be shown where it
is. Plain text copied out of a PDF has no table structure: its readers yield Paragraph blocks
(one per line, blank lines kept as empty paragraphs) and the parsers rebuild the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Place:
    """Where a value was read: 1-based page (None when the format has no pages), 1-based table,
    row and column indexes within that table, 1-based line for running text."""

    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    line: int | None = None

    def describe(self) -> str:
        """Vietnamese: "trang 3, bảng 2, dòng 5, cột 4"."""
        parts = []
        if self.page is not None:
            parts.append(f"trang {self.page}")
        if self.table is not None:
            parts.append(f"bảng {self.table}")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.col is not None:
            parts.append(f"cột {self.col}")
        if self.line is not None and self.table is None:
            parts.append(f"dòng {self.line}")
        return ", ".join(parts)

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Cell:
    text: str  # as read, line breaks inside the cell kept as "\n"
    place: Place = field(default_factory=Place)
    merged: bool = False  # True when this cell repeats a merged (spanning) cell's value
    footnotes: tuple[str, ...] = ()  # footnote texts referenced from this cell


@dataclass
class Table:
    rows: list[list[Cell]]
    place: Place = field(default_factory=Place)  # page/table of its first row
    kind: Literal["table"] = "table"


@dataclass
class Paragraph:
    text: str
    place: Place = field(default_factory=Place)
    style: str = ""  # e.g. "Heading 1", "List Bullet" where the format says so
    footnotes: tuple[str, ...] = ()  # footnote texts referenced from this paragraph (DOCX)
    kind: Literal["paragraph"] = "paragraph"


Block = Paragraph | Table


@dataclass
class SourceDoc:
    name: str  # file name as uploaded
    fmt: Literal["docx", "xlsx", "pdf", "html", "text", "markdown", "tsv"]
    blocks: list[Block]
    pages: int | None = None
    footnotes: dict[str, str] = field(default_factory=dict)  # marker → text
    warnings: list[Flag] = field(default_factory=list)

    def text(self) -> str:
        """The whole document as text, tables as tab-separated rows (for the review screen's
        "original text" pane and for prose parsing)."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                out.append(b.text)
            else:
                out.extend("\t".join(c.text.replace("\n", " ") for c in row) for row in b.rows)
        return "\n".join(out)


@dataclass(frozen=True)
class Flag:
    """A doubt shown on the review screen: what is doubtful, why (Vietnamese), and where."""

    field: str  # e.g. "targets.2030", "lead", "deadline", "name"
    reason: str  # Vietnamese, for the person reviewing
    place: Place = field(default_factory=Place)
    severity: Literal["info", "warning", "error"] = "warning"

    def to_dict(self) -> dict:
        return {"field": self.field, "reason": self.reason, "place": self.place.to_dict(),
                "where": self.place.describe(), "severity": self.severity}
