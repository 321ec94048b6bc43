import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planwatch.reporting.services import NotAllowed, ReportingError, WorkflowError, evidence_add, report_submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da6364f8cf00000301010018dd8db00000000049454e44ae426082")


def _docx() -> bytes:
    import docx

    b = io.BytesIO()
    docx.Document().save(b)
    return b.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("name,content,mime", [
    ("bien-ban.pdf", PDF, "application/pdf"),
    ("anh.png", PNG, "image/png"),
    ("bao-cao.docx", None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_allowed_files_are_stored_with_their_sniffed_type(demo, report, name, content, mime):
    ev = evidence_add(report=report, by=demo.reporter, upload=SimpleUploadedFile(name, content or _docx()))
    assert ev.content_type == mime and ev.original_name == name
    assert ev.file.name.startswith("evidence/") and name not in ev.file.name


def test_a_renamed_executable_is_refused_by_content(demo, report):
    with pytest.raises(ReportingError, match="theo nội dung"):
        evidence_add(report=report, by=demo.reporter, upload=SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 200))


def test_a_text_file_named_pdf_is_refused(demo, report):
    with pytest.raises(ReportingError):
        evidence_add(report=report, by=demo.reporter, upload=SimpleUploadedFile("x.pdf", b"hello world " * 20))


def test_the_size_limit_is_configurable(demo, report, settings):
    settings.PLANWATCH_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ReportingError, match="quá lớn"):
        evidence_add(report=report, by=demo.reporter, upload=SimpleUploadedFile("a.pdf", PDF))


def test_the_default_limit_is_20_mb():
    from django.conf import settings

    assert settings.PLANWATCH_UPLOAD_MAX_BYTES == 20 * 1024 * 1024


def test_no_upload_to_a_submitted_report(demo, report):
    report_submit(report=report, by=demo.approver)
    with pytest.raises(WorkflowError):
        evidence_add(report=report, by=demo.reporter, upload=SimpleUploadedFile("a.pdf", PDF))


def test_an_outsider_cannot_upload(demo, report):
    with pytest.raises(NotAllowed):
        evidence_add(report=report, by=demo.other_dept_reporter, upload=SimpleUploadedFile("a.pdf", PDF))
