"""Checks that run before any parser touches an uploaded file's bytes.

Everything here looks at the bytes only (magic numbers, the zip central directory, the OLE
container's directory names): nothing is extracted, so a hostile file costs no memory. Each
refusal is a DocumentError with a stable code and a Vietnamese message naming the file.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from decimal import Decimal

from planwatch.lib.numbers import format_vn_number

from .errors import DocumentError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A zip (DOCX/XLSX) may not unpack to more than this, whatever its size on disk.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
# A member larger than RATIO_MIN_SIZE unpacked may not be more than MAX_RATIO times its packed
# size: real XML packs 5-30 times, a bomb of zeros a thousand times.
MAX_RATIO = 100
RATIO_MIN_SIZE = 8 * 1024 * 1024
MAX_MEMBERS = 20_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

# Encrypted OOXML (Word/Excel "Encrypt with password") is an OLE compound file holding these
# streams; directory entry names are UTF-16LE.
_ENCRYPTED_STREAMS = ("EncryptionInfo", "EncryptedPackage")
_OLE_KINDS = (
    ("WordDocument", "văn bản Word 97-2003 (.doc)", "Word", ".docx"),
    ("Workbook", "bảng tính Excel 97-2003 (.xls)", "Excel", ".xlsx"),
    ("Book", "bảng tính Excel 5.0 (.xls)", "Excel", ".xlsx"),
    ("PowerPoint Document", "bản trình chiếu PowerPoint (.ppt)", None, None),
)

# Binary formats people upload by mistake (or rename): magic → what it is, in Vietnamese.
_IMAGE_HINT = "ảnh"
_MAGICS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "ảnh PNG"),
    (b"\xff\xd8\xff", "ảnh JPEG"),
    (b"GIF87a", "ảnh GIF"),
    (b"GIF89a", "ảnh GIF"),
    (b"II*\x00", "ảnh TIFF"),
    (b"MM\x00*", "ảnh TIFF"),
    (b"BM", "ảnh BMP"),
    (b"RIFF", "tệp âm thanh/ảnh (RIFF)"),
    (b"{\\rtf", "văn bản RTF"),
    (b"Rar!\x1a\x07", "tệp nén RAR"),
    (b"7z\xbc\xaf\x27\x1c", "tệp nén 7z"),
    (b"\x1f\x8b", "tệp nén gzip"),
    (b"%!PS", "tệp PostScript"),
    (b"MZ", "tệp chương trình (.exe)"),
    (b"\x7fELF", "tệp chương trình"),
    (b"AT&TFORM", "tài liệu DjVu"),
)

_UNSUPPORTED_HINT = "Hãy dùng tệp DOCX, XLSX, PDF có lớp văn bản hoặc văn bản thuần (TXT)."
_RESAVE = {
    "Word": "Hãy mở bằng Word và lưu lại dưới dạng .docx rồi tải lên.",
    "Excel": "Hãy mở bằng Excel và lưu lại dưới dạng .xlsx rồi tải lên.",
}


def max_bytes() -> int:
    """The upload limit: settings.PLANWATCH_IMPORT_MAX_BYTES (20 MB when unset)."""
    try:
        from django.conf import settings

        return int(getattr(settings, "PLANWATCH_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
    except Exception:  # noqa: BLE001 - settings not configured (a script outside Django)
        return DEFAULT_MAX_BYTES


def megabytes(n: int) -> str:
    return format_vn_number(Decimal(n) / Decimal(1024 * 1024), 1 if n < 10 * 1024 * 1024 else 0)


def check_size(data: bytes, filename: str) -> None:
    if not data:
        raise DocumentError("empty", f"Tệp “{filename}” rỗng (0 byte), không có nội dung để đọc. "
                                     "Hãy kiểm tra lại tệp đã chọn.")
    limit = max_bytes()
    if len(data) > limit:
        raise DocumentError(
            "too_large",
            f"Tệp “{filename}” có dung lượng {megabytes(len(data))} MB, vượt giới hạn "
            f"{megabytes(limit)} MB cho mỗi lần nhập. Hãy tách văn bản thành nhiều tệp "
            "hoặc bỏ bớt ảnh trong tệp rồi thử lại.",
        )


def corrupt(filename: str, what: str = "") -> DocumentError:
    detail = f" ({what})" if what else ""
    return DocumentError(
        "corrupt",
        f"Tệp “{filename}” bị hỏng hoặc không đầy đủ{detail}, không đọc được. Hãy mở tệp bằng "
        "phần mềm đã tạo ra nó, lưu lại rồi tải lên lần nữa.",
    )


def encrypted(filename: str) -> DocumentError:
    return DocumentError(
        "encrypted",
        f"Tệp “{filename}” được bảo vệ bằng mật khẩu (đã mã hóa) nên hệ thống không đọc được. "
        "Hãy gỡ mật khẩu (trong Word/Excel: Tệp → Thông tin → Bảo vệ → Mã hóa bằng mật khẩu, "
        "xóa mật khẩu; với PDF: in/xuất lại thành PDF không đặt mật khẩu) rồi tải lên lại.",
    )


def unsupported(filename: str, what: str, hint: str = _UNSUPPORTED_HINT) -> DocumentError:
    return DocumentError("unsupported", f"Tệp “{filename}” là {what}, hệ thống chưa đọc được "
                                        f"loại tệp này. {hint}")


def known_binary(data: bytes) -> str | None:
    """What a recognised non-document binary is ("ảnh PNG"), or None."""
    for magic, what in _MAGICS:
        if data.startswith(magic):
            if magic == b"BM" and len(data) > 14 and data[6:10] != b"\x00\x00\x00\x00":
                continue  # "BM" is too short a magic: require the reserved zero bytes
            if magic == b"MZ" and b"This program" not in data[:512]:
                continue
            return what
    if data[4:12] in (b"ftypheic", b"ftypmif1", b"ftypavif") or data[4:8] == b"ftyp":
        return "tệp ảnh/video"
    return None


def check_ole(data: bytes, filename: str) -> DocumentError:
    """An OLE compound file: password-protected DOCX/XLSX, or a legacy .doc/.xls."""
    names = data[: 4 * 1024 * 1024]  # directory sectors sit anywhere; names are UTF-16LE
    if any(s.encode("utf-16-le") in names for s in _ENCRYPTED_STREAMS):
        return encrypted(filename)
    for stream, what, app, _ext in _OLE_KINDS:
        if stream.encode("utf-16-le") + b"\x00\x00" in names:
            return unsupported(filename, what, _RESAVE.get(app or "", _UNSUPPORTED_HINT))
    return unsupported(filename, "tệp Office kiểu cũ (định dạng OLE)")


def open_zip(data: bytes, filename: str) -> zipfile.ZipFile:
    """Open a zip after checking its central directory for bombs; no member is read."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:  # noqa: BLE001 - BadZipFile, EOFError, NotImplementedError (odd versions)…
        raise corrupt(filename, "cấu trúc nén ZIP không đọc được") from None
    check_zip_members(infos, len(data), filename)
    return zf


def zip_bomb(filename: str, unpacked: int, ratio: float | None = None) -> DocumentError:
    how = f"giải nén ra {megabytes(unpacked)} MB"
    if ratio is not None:
        how += f", gấp {format_vn_number(int(ratio))} lần dung lượng nén"
    return DocumentError(
        "zip_bomb",
        f"Tệp “{filename}” có nội dung nén bất thường ({how}): có thể là tệp độc hại "
        "(“bom nén”), hệ thống không mở. Nếu đây là văn bản thật, hãy lưu lại bằng Word/Excel "
        "và bỏ bớt ảnh, dữ liệu thừa.",
    )


def check_zip_members(infos: list[zipfile.ZipInfo], packed_size: int, filename: str) -> None:
    if len(infos) > MAX_MEMBERS:
        raise zip_bomb(filename, sum(i.file_size for i in infos))
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise encrypted(filename)
        total += info.file_size
        if total > MAX_UNCOMPRESSED:
            raise zip_bomb(filename, sum(i.file_size for i in infos))
        if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise zip_bomb(filename, total, info.file_size / max(info.compress_size, 1))
    if total > RATIO_MIN_SIZE and total > MAX_RATIO * max(packed_size, 1):
        raise zip_bomb(filename, total, total / max(packed_size, 1))
    # Overlapping members (one deflate stream referenced by many entries) is how the
    # smallest bombs get their ratio; real files never share bytes between members.
    spans = sorted((i.header_offset, i.header_offset + i.compress_size) for i in infos)
    for (_start, end), (next_start, _next_end) in itertools.pairwise(spans):
        if next_start < end:
            if total > 10 * max(packed_size, 1):
                raise zip_bomb(filename, total)
            raise corrupt(filename, "mục lục của tệp nén bị sai")


def read_member(zf: zipfile.ZipFile, name: str, filename: str) -> bytes:
    """One member's bytes; the central directory has already been checked, and zipfile stops
    at the declared size and checks the CRC, so a lying header cannot make it bigger."""
    try:
        return zf.read(name)
    except KeyError:
        raise corrupt(filename, f"thiếu phần “{name}”") from None
    except Exception:  # noqa: BLE001 - BadZipFile, zlib.error, EOFError, CRC errors…: all mean damaged
        raise corrupt(filename, f"phần “{name}” bị hỏng") from None
