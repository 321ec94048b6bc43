"""Administrators upload Word templates; a broken one is refused with the placeholder named."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from planwatch.documents.default_template import default_template_bytes
from planwatch.documents.models import ReportTemplate


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def _upload(extra: str | None) -> SimpleUploadedFile:
    blob = default_template_bytes()
    if extra:
        doc = Document(BytesIO(blob))
        doc.add_paragraph(extra)
        buf = BytesIO()
        doc.save(buf)
        blob = buf.getvalue()
    return SimpleUploadedFile("mau.docx", blob)


def test_a_broken_template_is_refused_naming_the_placeholder(client, demo):
    client.force_login(demo.admin)
    resp = client.post(reverse("admin:documents_reporttemplate_add"),
                       {"name": "Mẫu sở", "file": _upload("{{ ten_truong }}"), "is_active": "on"})
    assert resp.status_code == 200
    assert "không có trường “{{ ten_truong }}”" in resp.content.decode()
    assert not ReportTemplate.objects.exists()


def test_a_good_template_is_saved_and_becomes_the_active_one(client, demo):
    client.force_login(demo.admin)
    resp = client.post(reverse("admin:documents_reporttemplate_add"),
                       {"name": "Mẫu sở", "file": _upload("Ghi chú: {{ ky_bao_cao }}"), "is_active": "on"})
    assert resp.status_code == 302
    tpl = ReportTemplate.objects.get()
    assert tpl.is_active and tpl.uploaded_by == demo.admin
