"""The PDF is LibreOffice's rendering of the DOCX; its text says what ReportData says."""

from __future__ import annotations

from io import BytesIO

import pytest

from planwatch.documents import pdf
from planwatch.documents.docx_report import render_docx

from . import factories as f

needs_soffice = pytest.mark.skipif(pdf.soffice_path() is None, reason="LibreOffice is not installed (./test installs it)")


def _text(blob: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(BytesIO(blob)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def _squash(s: str) -> str:
    return "".join(s.split())


@needs_soffice
def test_the_pdf_says_what_the_report_data_says():
    data = f.report_data()
    text = _squash(_text(pdf.docx_to_pdf(render_docx(data))))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", data.letterhead.date_line,
        data.letterhead.issuing_body, "BÁO CÁO", data.subject, data.intro, "Nơi nhận:",
        *(t.name for t in data.task_lines), *(i.value_text for i in data.indicators),
        *(i.status_label for i in data.indicators),
    ):
        assert _squash(expected) in text, expected


def _table_rows(blob: bytes) -> list[list[str]]:
    import pdfplumber

    rows = []
    with pdfplumber.open(BytesIO(blob)) as doc:
        for page in doc.pages:
            for table in page.extract_tables():
                rows += [[_squash(c or "") for c in row] for row in table]
    return rows


@needs_soffice
def test_the_province_pdf_tables_hold_every_task_and_indicator(province_data):
    blob = pdf.docx_to_pdf(render_docx(province_data))
    assert _squash(province_data.letterhead.date_line) in _squash(_text(blob))
    rows = _table_rows(blob)
    by_tt = {}
    for r in rows:
        if r and r[0]:
            by_tt.setdefault(r[0], []).append(r)
    for t in province_data.tasks:
        # A long row may run onto the next page: its first part then holds the start of the name.
        assert any(
            (r[1] == _squash(t.name) and r[4] == _squash(t.deadline))
            or (len(r[1]) >= 20 and _squash(t.name).startswith(r[1]))
            for r in by_tt[t.tt]
        ), t.tt
    for i in province_data.indicators:
        assert any(
            r[1] == _squash(i.name) and r[-2] == _squash(i.value_text) and r[-1] == _squash(i.status_label)
            for r in by_tt[i.tt]
        ), i.tt


def test_a_missing_libreoffice_gives_a_clear_vietnamese_error(monkeypatch):
    monkeypatch.setattr(pdf, "soffice_path", lambda: None)
    with pytest.raises(pdf.PdfError) as e:
        pdf.docx_to_pdf(b"PK")
    assert "chưa cài LibreOffice" in str(e.value)
