"""Uploaded file (bytes + file name) -> canonical Dataset with an ingestion report, or IngestError.

Pipeline: size check -> format (CSV / XLSX) -> decode (UTF-8 with or without BOM, UTF-16, GBK/GB18030,
Big5; never latin-1) -> delimiter sniffed on the header region -> header row found below any title rows
-> columns mapped to the canonical names of the detected (or forced) kind -> blank and total rows dropped
-> values converted (vectorised) -> pandera lazy validation: bad rows dropped and reported by line and
column -> warnings (refunds, duplicates, ambiguous dates, several currencies).

Fast path: a clean UTF-8 CSV is parsed once by pyarrow; columns pyarrow already typed are not parsed
again, text dates are parsed once per distinct value, and nothing loops over rows in Python. Anything
pyarrow refuses (ragged rows, odd quoting) is re-read with the csv module. Works on pandas 2.2+ and 3.x
(text columns are TEXT_DTYPE on both).

>>> ds = read_table("客户编号,日期,销售额\\n0001,2024/3/5,\\"￥1,200\\"\\n".encode("gbk"), "orders.csv")
>>> ds.kind, ds.frame["customer_id"][0], float(ds.frame["revenue"][0]), ds.reports[0].encoding
('transactions', '0001', 1200.0, 'gbk')
"""

from __future__ import annotations

from pathlib import PurePath

from tools.bundle import Dataset
from tools.ingest.canonical import canonicalise
from tools.ingest.common import Limits, error, size
from tools.ingest.csv_reader import read_csv
from tools.ingest.decode import file_format
from tools.ingest.xlsx_reader import read_xlsx
from tools.schemas import KINDS

__all__ = ["Limits", "read_table"]


def read_table(
    data: bytes,
    filename: str,
    *,
    mapping: dict[str, str] | None = None,
    kind: str | None = None,
    limits: Limits | None = None,
) -> Dataset:
    """Read one uploaded CSV/XLSX file into a canonical :class:`~tools.bundle.Dataset`.

    Parameters
    ----------
    data, filename
        The file's bytes and its name (only the base name is used, for the format and messages).
    mapping
        User corrections ``{source column as in the file: canonical name}``, e.g. ``{"sales": "quantity"}``.
    kind
        Force the table kind (one of tools.schemas.KINDS) instead of detecting it.
    limits
        Maximum size and rows (default :class:`Limits`).

    Raises
    ------
    IngestError
        code file_unreadable, unsupported_format, missing_columns or too_large, with a bilingual message
        naming the file, the problem and what was expected.
    """
    limits = limits or Limits()
    name = PurePath(filename.replace("\\", "/")).name or "upload"
    if kind is not None and kind not in KINDS:
        raise error(
            "bad_arguments",
            f"Unknown table kind '{kind}'. Expected one of: {', '.join(KINDS)}.",
            f"未知的表类型“{kind}”。可选：{'、'.join(KINDS)}。",
        )
    if len(data) > limits.max_bytes:
        raise error(
            "too_large",
            f"{name} is {size(len(data))}, above the upload limit of {size(limits.max_bytes)}. "
            "Split the file or ask an administrator to raise the limit.",
            f"{name} 大小为 {size(len(data))}，超过上传上限 {size(limits.max_bytes)}。"
            "请拆分文件，或请管理员调高上限。",
        )
    if len(data) < 4096 and not data.strip(b" \t\r\n,;|\x00\xef\xbb\xbf\xff\xfe"):
        raise error(
            "file_unreadable",
            f"{name} is empty. Expected a header row with column names and at least one data row.",
            f"{name} 是空文件。需要一行列名（表头）和至少一行数据。",
        )
    raw = read_xlsx(data, name, mapping) if file_format(data, name) == "xlsx" else read_csv(data, name, mapping)
    if raw.frame.empty:
        raise error(
            "file_unreadable",
            f"{name} has a header ({', '.join(map(str, raw.frame.columns))}) but no data rows. "
            "Expected at least one row of data below the header.",
            f"{name} 只有表头（{'、'.join(map(str, raw.frame.columns))}），没有数据行。"
            "表头下方至少需要一行数据。",
        )
    if len(raw.frame) > limits.max_rows:
        raise error(
            "too_large",
            f"{name} has {len(raw.frame):,} data rows, above the limit of {limits.max_rows:,} rows. "
            "Split the file or filter it to the period you need.",
            f"{name} 有 {len(raw.frame):,} 行数据，超过 {limits.max_rows:,} 行的上限。"
            "请拆分文件或只保留需要的期间。",
        )
    return canonicalise(raw, name, mapping, kind)
