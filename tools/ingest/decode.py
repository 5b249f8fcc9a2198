"""File format and text encoding: CSV or XLSX by content and name; UTF-8 (with or without BOM),
UTF-16, GBK/GB18030 or Big5 (decided on ordinary Chinese business characters), never latin-1.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from itertools import islice
from pathlib import PurePath

from tools.ingest.common import COMMON_CJK, CSV_EXTS, HEADER_SCAN, SAMPLE_BYTES, WORKBOOK_EXTS, error
from tools.schemas import (
    is_known_header,
)


def file_format(data: bytes, name: str) -> str:
    """'csv' or 'workbook' (XLSX, XLSM, XLS, XLSB, ODS) from the extension and the magic bytes; IngestError
    otherwise."""
    ext = PurePath(name).suffix.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0") and ext in (*WORKBOOK_EXTS, *CSV_EXTS):
        return "workbook"  # legacy .xls (an OLE compound file), possibly renamed
    if data.startswith(b"PK\x03\x04") and ext in (*WORKBOOK_EXTS, *CSV_EXTS):
        return "workbook"
    if ext in WORKBOOK_EXTS:
        raise error(
            "file_unreadable",
            f"{name} is not a valid Excel workbook (the file is damaged or not really {ext}). "
            "Save it again from Excel as .xlsx, or export it as CSV.",
            f"{name} 不是有效的 Excel 工作簿（文件损坏或并非真正的 {ext}）。请在 Excel 中重新另存为 .xlsx，"
            "或导出为 CSV。",
        )
    if ext not in CSV_EXTS:
        raise error(
            "unsupported_format",
            f"{name}: file type '{ext or 'none'}' is not supported. "
            "Expected a CSV file (.csv, .txt, .tsv) or an Excel workbook (.xlsx, .xls).",
            f"{name}：不支持“{ext or '无扩展名'}”类型的文件。请上传 CSV（.csv、.txt、.tsv）或 Excel "
            "工作簿（.xlsx、.xls）。",
        )
    return "csv"


# --- decoding --------------------------------------------------------------------------------------


def decode_head(data: bytes, encoding: str) -> str | None:
    """The first SAMPLE_BYTES decoded (an incomplete last character is allowed), or None."""
    try:
        return codecs.getincrementaldecoder(encoding)().decode(data[:SAMPLE_BYTES], final=False)
    except UnicodeDecodeError:
        return None


def textual(text: str) -> bool:
    """No NULs and hardly any control characters: rules out binary files that happen to decode."""
    controls = sum(1 for ch in text[:SAMPLE_BYTES] if ch < " " and ch not in "\t\r\n\f")
    return "\x00" not in text and controls <= len(text) / 100


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _cjk_score(text: str) -> tuple[int, int]:
    """(known Chinese headers in the first lines, common minus odd characters in the first non-ASCII text)."""
    cells = [c for line in text[:SAMPLE_BYTES].splitlines()[:HEADER_SCAN] for c in re.split(r"[,;\t|]", line)]
    known = sum(is_known_header(c) for c in cells if not c.isascii())  # ASCII reads the same either way
    runs = islice(_NON_ASCII.finditer(text, 0, 4_000_000), 2000)
    chars = "".join(m.group() for m in runs)
    odd = len(re.findall(r"[\u3040-\u30ff\u2500-\u257f\ue000-\uf8ff\u0370-\u03ff\u0400-\u04ff]", chars))
    return known, sum(ch in COMMON_CJK for ch in chars) - odd


def unicode_encoding(data: bytes) -> str:
    """utf-8-sig / utf-16 by BOM, utf-16-le/-be by the NUL pattern, else utf-8 (tried first)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if len(head) >= 8 and odd > len(head) / 5 and even < len(head) / 40:
        return "utf-16-le"
    if len(head) >= 8 and even > len(head) / 5 and odd < len(head) / 40:
        return "utf-16-be"
    return "utf-8"


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding): UTF-8/16 when it decodes, else GBK or Big5, whichever reads as Chinese.

    Never latin-1: a file nothing decodes is file_unreadable.
    """
    encoding = unicode_encoding(data)
    with contextlib.suppress(UnicodeDecodeError):
        text = data.decode(encoding)
        if textual(text):
            return text.removeprefix("\ufeff"), encoding
    options = []
    for family in (("gbk", "gb18030"), ("big5", "cp950", "big5hkscs")):
        for candidate in family:  # the first codec of each family that decodes the whole file
            with contextlib.suppress(UnicodeDecodeError):
                text = data.decode(candidate)
                if textual(text):
                    options.append((candidate, text))
                    break
        if options and _cjk_score(options[0][1])[0] >= 2:  # its Chinese headers are known column names
            break
    if options:
        encoding, text = max(options, key=lambda option: _cjk_score(option[1]))  # ties: GBK
        return text, encoding
    raise error(
        "file_unreadable",
        f"{name} could not be read as text: it is not UTF-8, UTF-16, GBK/GB18030 or Big5 "
        "(it may be a binary file with a .csv name). Expected a CSV text file; "
        "in Excel use 'Save as > CSV UTF-8', or upload the .xlsx workbook itself.",
        f"{name} 无法作为文本读取：既不是 UTF-8、UTF-16，也不是 GBK/GB18030 或 Big5 编码"
        "（可能是改了扩展名的二进制文件）。需要 CSV 文本文件；可在 Excel 中“另存为 > CSV UTF-8”，"
        "或直接上传 .xlsx 工作簿。",
    )
