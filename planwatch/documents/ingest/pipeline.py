"""Document → draft: runs the parsers, decides what the document is, restores diacritics
when the text has none, resolves agencies and builds the interchange plan. (Work in progress.)"""

from __future__ import annotations

from .errors import DocumentError
from .model import SourceDoc


def build_draft(doc: SourceDoc, *, progress=None, plan=None) -> dict:
    raise DocumentError("no_table", "Không tìm thấy bảng chỉ tiêu, bảng nhiệm vụ hay mục tiêu nào trong văn bản.")


def draft_from_file(data: bytes, filename: str, *, progress=None, plan=None) -> dict:
    from .readers import read_document

    return build_draft(read_document(data, filename), progress=progress, plan=plan)
