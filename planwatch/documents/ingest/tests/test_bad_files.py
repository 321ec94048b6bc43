"""Bad files: each one is refused with a stable code and a Vietnamese message, and reading it
writes nothing (no database access is allowed in these tests, and the working and temporary
directories stay empty)."""

from __future__ import annotations

import io
import random
import struct
import tempfile
import zipfile
import zlib

import pytest
from docx import Document

from planwatch.documents.ingest import safety
from planwatch.documents.ingest.errors import DocumentError
from planwatch.documents.ingest.readers import read_document, sniff

from .test_readers import docx_bytes, text_pdf


@pytest.fixture(autouse=True)
def nothing_written(tmp_path, monkeypatch):
    work = tmp_path / "cwd"
    temp = tmp_path / "tmp"
    work.mkdir()
    temp.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    yield
    assert not any(work.iterdir()) and not any(temp.iterdir())


def refused(data: bytes, filename: str, by_sniff: bool = True) -> DocumentError:
    """read_document refuses the file; so does the cheap sniff() unless the fault only shows
    on a full read (a PDF's password, a scan)."""
    with pytest.raises(DocumentError) as caught:
        read_document(data, filename)
    if by_sniff:
        with pytest.raises(DocumentError) as sniffed:
            sniff(data, filename)
        assert sniffed.value.code == caught.value.code
    message = caught.value.message
    assert filename in message and message == str(caught.value)
    assert any(ch in message for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
    return caught.value


# ------------------------------------------------------------------ builders


def cfb(stream_names: list[str]) -> bytes:
    """A minimal OLE compound file (the container of password-protected DOCX/XLSX and of
    Word/Excel 97-2003 files) holding empty streams with these names."""
    free, end, fat_sect, nostream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = safety.OLE_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sect, end, *([free] * 126))

    def entry(name: str, kind: int, child: int = nostream, right: int = nostream) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return struct.pack("<64sHBBIII16sIQQIQ", raw, len(raw), kind, 1, nostream, right, child,
                           b"\x00" * 16, 0, 0, 0, end, 0)

    names = list(stream_names)
    entries = [entry("Root Entry", 5, child=1)]
    for i, name in enumerate(names, 1):
        entries.append(entry(name, 2, right=i + 1 if i < len(names) else nostream))
    directory = b"".join(entries).ljust(512, b"\x00")
    return bytes(header) + fat + directory


def raw_pdf(objects: list[bytes], trailer_extra: str = "") -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R {trailer_extra}>>\nstartxref\n{xref}\n%%EOF\n"
              .encode())
    return out.getvalue()


def scanned_pdf(pages: int = 2) -> bytes:
    """Pages that are only an image (what a scanner produces), no text at all."""
    pixels = zlib.compress(bytes(range(256)) * 64)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{' '.join(f'{4 + 2 * i} 0 R' for i in range(pages))}] "
               f"/Count {pages} >>".encode(),
               f"<< /Type /XObject /Subtype /Image /Width 128 /Height 128 /ColorSpace /DeviceGray "
               f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(pixels)} >>\nstream\n".encode()
               + pixels + b"\nendstream"]
    for i in range(pages):
        content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                       f"<< /XObject << /Im1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode())
        objects.append(f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream")
    return raw_pdf(objects)


def encrypted_pdf() -> bytes:
    """A PDF with a user password (Standard security handler, RC4): the text cannot be read
    without it."""
    rng = random.Random(57)
    o_value, u_value = rng.randbytes(32).hex(), rng.randbytes(32).hex()
    file_id = rng.randbytes(16).hex()
    content = rng.randbytes(60)  # "encrypted" content stream
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
               f"<< /Filter /Standard /V 1 /R 2 /O <{o_value}> /U <{u_value}> /P -3904 >>".encode()]
    return raw_pdf(objects, f"/Encrypt 5 0 R /ID [<{file_id}> <{file_id}>] ")


def a_docx() -> bytes:
    doc = Document()
    doc.add_paragraph("Kế hoạch hành động")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "TT"
    return docx_bytes(doc)


# ------------------------------------------------------------------ cases


def test_empty_file():
    assert refused(b"", "ke-hoach.docx").code == "empty"
    assert refused(b"\n \n\t\n", "ke-hoach.txt").code == "empty"


def test_file_over_the_size_limit(settings):
    settings.PLANWATCH_IMPORT_MAX_BYTES = 50_000
    err = refused(("Kế hoạch\n" * 10_000).encode(), "lon.txt")
    assert err.code == "too_large" and "MB" in err.message


def test_password_protected_docx_and_xlsx():
    data = cfb(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"])
    for name in ("ke-hoach.docx", "bieu.xlsx"):
        err = refused(data, name)
        assert err.code == "encrypted" and "mật khẩu" in err.message


def test_legacy_word_and_excel_are_unsupported_with_the_way_out():
    err = refused(cfb(["WordDocument", "1Table"]), "cu.doc")
    assert err.code == "unsupported" and ".docx" in err.message
    err = refused(cfb(["Workbook"]), "cu.xls")
    assert err.code == "unsupported" and ".xlsx" in err.message


def test_encrypted_pdf():
    err = refused(encrypted_pdf(), "mat.pdf", by_sniff=False)
    assert err.code == "encrypted"


def test_scanned_pdf_without_a_text_layer():
    with pytest.raises(DocumentError) as caught:
        read_document(scanned_pdf(), "quet.pdf")
    assert caught.value.code == "scanned"
    assert caught.value.message.startswith("Tài liệu quét, chưa có lớp văn bản: ")
    assert "nhận dạng ký tự (OCR)" in caught.value.message


def test_pdf_with_some_scanned_pages_is_read_with_a_warning():
    text_part = text_pdf([["KE HOACH 2025", "Muc tieu va nhiem vu cua tinh"]])
    doc = read_document(text_part, "ok.pdf")
    assert not doc.warnings
    # a text page followed by an image-only page: read, with the missing page named
    pixels = zlib.compress(bytes(4096))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R 6 0 R] /Count 2 >>",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                b"/Contents 5 0 R >>"),
               (b"<< /Length 62 >>\nstream\nBT /F1 12 Tf 72 760 Td (KE HOACH HANH DONG CUA TINH 2025) Tj ET\n"
                b"\nendstream"),
               (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 7 0 R >> >> "
                b"/Contents 8 0 R >>"),
               f"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray "
               f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(pixels)} >>\nstream\n".encode()
               + pixels + b"\nendstream",
               b"<< /Length 30 >>\nstream\nq 595 0 0 842 0 0 cm /Im1 Do Q\nendstream"]
    doc = read_document(raw_pdf(objects), "nua.pdf")
    assert doc.blocks[0].text == "KE HOACH HANH DONG CUA TINH 2025"
    (warning,) = doc.warnings
    assert "Trang 2" in warning.reason and warning.place.page == 2


def test_renamed_image_is_refused_as_what_it_is():
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)
    err = refused(png, "ke-hoach.docx")
    assert err.code == "unsupported" and "PNG" in err.message and "đổi tên" in err.message


def test_truncated_docx_is_corrupt():
    data = a_docx()
    assert refused(data[: len(data) // 2], "ke-hoach.docx").code == "corrupt"


def test_damaged_member_is_corrupt():
    data = bytearray(a_docx())
    at = data.find(b"word/document.xml") + 40  # inside the first member's deflate data
    data[at: at + 200] = bytes(200)
    with pytest.raises(DocumentError) as caught:
        read_document(bytes(data), "hong.docx")
    assert caught.value.code == "corrupt"


def test_random_bytes_are_corrupt_whatever_the_name():
    junk = random.Random(9).randbytes(5000)
    for name in ("ke-hoach.docx", "ke-hoach.pdf", "bao-cao.txt", "tep"):
        assert refused(junk, name).code == "corrupt"


def test_other_zips_are_unsupported():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<x/>")
    assert refused(buf.getvalue(), "kh.odt").code == "unsupported"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "x")
    assert refused(buf.getvalue(), "tai-lieu.zip").code == "unsupported"


def _bomb(path, size_mb: int, name: str = "word/document.xml") -> bytes:
    """A DOCX-looking zip whose main member unpacks to `size_mb` MB of zeros, written from a
    generator (never held in memory unpacked)."""
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", '<Types><Override ContentType="wordprocessingml"/></Types>')
        with zf.open(name, "w", force_zip64=True) as member:
            for _ in range(size_mb):
                member.write(chunk)
    return path.read_bytes()


def test_zip_bombs_are_refused_before_anything_is_unpacked(tmp_path):
    big = _bomb(tmp_path / "bomb.docx", 256)  # 256 MB unpacked, about 250 KB packed
    small = _bomb(tmp_path / "ratio.xlsx", 24, "xl/workbook.xml")  # under 200 MB, but 1000:1
    (tmp_path / "bomb.docx").unlink()
    (tmp_path / "ratio.xlsx").unlink()
    assert len(big) < 1024 * 1024
    err = refused(big, "bomb.docx")
    assert err.code == "zip_bomb" and "bom nén" in err.message
    assert refused(small, "ratio.xlsx").code == "zip_bomb"


def _overlapping(content: bytes, copies: int) -> bytes:
    """A zip whose central directory lists the same member data `copies` times."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("word/document.xml", content)
    data = buf.getvalue()
    cd_at, eocd_at = data.find(b"PK\x01\x02"), data.find(b"PK\x05\x06")
    entry = data[cd_at:eocd_at]
    entries = b"".join(entry.replace(b"word/document.xml", f"word/doc{i:05d}.xml".encode()) for i in range(copies))
    eocd = bytearray(data[eocd_at:])
    struct.pack_into("<HHII", eocd, 8, copies, copies, len(entries), cd_at)
    return data[:cd_at] + entries + bytes(eocd)


def test_overlapping_zip_members_are_a_bomb():
    # five names for one megabyte of zeros: 5 MB from 1 KB, below the plain size limits
    assert refused(_overlapping(bytes(1024 * 1024), 5), "chong.docx").code == "zip_bomb"
    # the same trick on a few bytes is just a damaged directory
    assert refused(_overlapping(b"<w:document/>", 2), "hong.docx").code == "corrupt"


def _png(width: int = 4, height: int = 4) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + bytes(width) for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_word_file_holding_only_scanned_page_images():
    doc = Document()
    doc.add_picture(io.BytesIO(_png()))
    doc.add_picture(io.BytesIO(_png()))
    with pytest.raises(DocumentError) as caught:
        read_document(docx_bytes(doc), "scan-dan-vao-word.docx")
    assert caught.value.code == "scanned" and "chỉ chứa ảnh" in caught.value.message


def test_spreadsheet_too_big_to_hold_in_memory_is_refused(tmp_path):
    # a sheet of 70 MB of cell XML (packed well under the upload limit) is never loaded
    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types><Default ContentType='spreadsheetml'/></Types>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        row = "".join(f'<c r="A{i}" t="n"><v>{i % 10}</v></c>' for i in range(1, 50))
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(70 * 1024 * 1024 // (len(row) + 11)):
                member.write(f"<row>{row}</row>".encode())
    data = path.read_bytes()
    path.unlink()
    with pytest.raises(DocumentError) as caught:
        read_document(data, "big.xlsx")
    assert caught.value.code == "too_large" and "dữ liệu ô" in caught.value.message
