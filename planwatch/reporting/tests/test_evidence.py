import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from planwatch.reporting.models import Evidence
from planwatch.reporting.services import NotAllowed, ReportingError, WorkflowError, evidence_add, report_submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da6364f8cf00000301010018dd8db00000000049454e44ae426082")


def _docx() -> bytes:
    import docx

    b = io.BytesIO()
    docx.Document().save(b)
    return b.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Chỉ tiêu", "Giá trị"])
    wb.active.append(["Tỷ lệ hồ sơ trực tuyến", "85,5%"])
    b = io.BytesIO()
    wb.save(b)
    return b.getvalue()


def _jpeg() -> bytes:
    from PIL import Image

    b = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 79, 138)).save(b, "JPEG")
    return b.getvalue()


def _zip() -> bytes:
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr("bao-cao.txt", "không phải tệp Office")
    return b.getvalue()


GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
HTML = "<html><body><script>alert('x')</script>Biên bản nghiệm thu</body></html>".encode() * 4


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("name,content,mime", [
    ("bien-ban.pdf", PDF, "application/pdf"),
    ("anh.png", PNG, "image/png"),
    ("bao-cao.docx", _docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("so-lieu.xlsx", _xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("anh-hien-truong.jpg", _jpeg, "image/jpeg"),
])
def test_allowed_files_are_stored_with_their_sniffed_type(demo, report, name, content, mime):
    content = content() if callable(content) else content
    ev = evidence_add(report=report, by=demo.reporter, upload=SimpleUploadedFile(name, content))
    assert ev.content_type == mime and ev.original_name == name
    assert ev.file.name.startswith("evidence/") and name not in ev.file.name


def test_a_renamed_executable_is_refused_by_content(demo, report):
    with pytest.raises(ReportingError, match="theo nội dung"):
        evidence_add(report=report, by=demo.reporter, upload=SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00" + b"\x00" * 200))


def test_a_text_file_named_pdf_is_refused(demo, report):
    with pytest.raises(ReportingError):
        evidence_add(report=report, by=demo.reporter, upload=SimpleUploadedFile("x.pdf", b"hello world " * 20))


@pytest.mark.parametrize("what,content", [
    ("a ZIP archive", _zip),
    ("a GIF image", GIF),
    ("a web page with a script", HTML),
])
def test_a_file_named_pdf_that_is_something_else_is_refused(demo, report, what, content):
    content = content() if callable(content) else content
    with pytest.raises(ReportingError, match="không phải PDF, DOCX, XLSX, PNG hoặc JPEG"):
        evidence_add(report=report, by=demo.reporter, upload=SimpleUploadedFile("bien-ban.pdf", content))
    assert not Evidence.objects.filter(report=report).exists()


@pytest.mark.parametrize("name,content", [("so-lieu.xlsx", _xlsx), ("anh-hien-truong.jpg", _jpeg)])
def test_the_officer_uploads_xlsx_and_jpeg_on_the_report_page(client, demo, report, name, content):
    data = content()
    client.force_login(demo.reporter)
    r = client.post(reverse("evidence_upload", args=[report.pk]), {"file": SimpleUploadedFile(name, data)}, follow=True)
    html = r.content.decode()
    assert f"Đã tải lên “{name}”." in html
    ev = Evidence.objects.get(report=report)
    assert f'<a href="{reverse("evidence_download", args=[ev.pk])}">{name}</a>' in html
    download = client.get(reverse("evidence_download", args=[ev.pk]))
    assert b"".join(download.streaming_content) == data
    assert name in download["Content-Disposition"]


def test_a_disguised_pdf_is_refused_on_the_report_page_with_a_vietnamese_message(client, demo, report):
    client.force_login(demo.reporter)
    r = client.post(reverse("evidence_upload", args=[report.pk]), {"file": SimpleUploadedFile("bien-ban.pdf", _zip())}, follow=True)
    html = r.content.decode()
    assert "Tệp “bien-ban.pdf” không phải PDF, DOCX, XLSX, PNG hoặc JPEG (kiểm tra theo nội dung tệp, không theo tên)" in html
    assert not Evidence.objects.filter(report=report).exists()


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
