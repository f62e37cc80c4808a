"""Names of ZIP entries: UTF-8 when flagged (or when the bytes are valid UTF-8), else the DOS code page.

Windows' "Compressed folder" and many old tools write names in the OEM code page (CP850 on French
Windows, CP437 elsewhere) without the UTF-8 flag; `zipfile` then decodes them as CP437. We recover the
raw bytes and pick the reading that gives real letters, so "Règlement" never comes out as mojibake.
"""

from __future__ import annotations

import struct
import unicodedata
import zipfile
import zlib

_UTF8_FLAG = 0x800
_UNICODE_PATH_EXTRA = 0x7075  # Info-ZIP Unicode Path Extra Field
_COMMON = set(" -_.,()[]'&+#/°")


def _score(text: str) -> int:
    """Higher when the text looks like a file name (letters, digits, common punctuation)."""
    return sum(1 for ch in text if ch.isalnum() or ch in _COMMON)


def _unicode_path_extra(info: zipfile.ZipInfo, raw: bytes) -> str | None:
    extra = info.extra
    pos = 0
    while pos + 4 <= len(extra):
        header_id, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if header_id == _UNICODE_PATH_EXTRA and len(body) >= 5 and body[0] == 1:
            (crc,) = struct.unpack_from("<I", body, 1)
            if crc == zlib.crc32(raw) & 0xFFFFFFFF:
                try:
                    return body[5:].decode("utf-8")
                except UnicodeDecodeError:
                    return None
    return None


def decode_entry_name(info: zipfile.ZipInfo) -> str:
    """The entry name as the author meant it (NFC, '/' separators)."""
    if info.flag_bits & _UTF8_FLAG:
        name = info.filename
    else:
        # zipfile decoded the raw bytes as CP437: encoding back gives the bytes exactly.
        raw = info.orig_filename.encode("cp437")
        name = _unicode_path_extra(info, raw) or _decode_legacy(raw)
    return unicodedata.normalize("NFC", name.replace("\\", "/"))


def _decode_legacy(raw: bytes) -> str:
    if raw.isascii():
        return raw.decode("ascii")
    try:
        return raw.decode("utf-8")  # Linux/macOS tools often write UTF-8 without the flag
    except UnicodeDecodeError:
        pass
    # CP850 (French Windows) first; CP437 only when it reads clearly better.
    cp850 = raw.decode("cp850")
    cp437 = raw.decode("cp437")
    return cp437 if _score(cp437) > _score(cp850) else cp850
