"""DOCX → PDF with LibreOffice headless (Debian: libreoffice-writer-nogui, fonts-liberation).

Each conversion gets its own LibreOffice profile directory: two soffice processes sharing
a profile block each other (the second one exits at once without converting)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120


class PdfError(Exception):
    """The message is for the user, in Vietnamese."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    soffice = soffice_path()
    if soffice is None:
        raise PdfError(
            "Không tạo được tệp PDF: máy chủ chưa cài LibreOffice "
            "(gói libreoffice-writer-nogui). Vẫn có thể tải bản DOCX và XLSX."
        )
    with tempfile.TemporaryDirectory(prefix="planwatch-pdf-") as tmp:
        work = Path(tmp)
        src = work / "bao-cao.docx"
        src.write_bytes(docx)
        profile = (work / "profile").as_uri()
        cmd = [
            soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck",
            "--convert-to", "pdf", "--outdir", str(work), str(src),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False, cwd=work)
        except subprocess.TimeoutExpired as e:
            raise PdfError(f"Không tạo được tệp PDF: LibreOffice không trả kết quả sau {timeout} giây.") from e
        out = work / "bao-cao.pdf"
        if proc.returncode != 0 or not out.exists():
            detail = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[-300:]
            raise PdfError(f"Không tạo được tệp PDF: LibreOffice báo lỗi (mã {proc.returncode}). {detail}".strip())
        return out.read_bytes()
