"""Uploaded file (bytes + file name) -> canonical Dataset with an ingestion report, or IngestError.

Pipeline: size check -> format (CSV / workbook) -> decode (UTF-8 with or without BOM, UTF-16, GBK/GB18030,
Big5; never latin-1) -> delimiter sniffed on the header region -> header row found below any title rows
(two-row headers joined; in a workbook, every sheet with a header) -> known and wide layouts -> each
column's meaning decided by name, values and corrections (mapping.py; the report says how, with a
confidence and alternatives) -> blank and total rows dropped -> values converted (vectorised) -> order
totals on first lines counted once -> pandera lazy validation: bad rows dropped and reported by line and
column -> computed columns (cost from profit, unit price) and cross-checks (days late) -> warnings
(refunds, duplicates, ambiguous dates, several currencies).

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

from core.text import Msg
from prompts import ingest as W
from tools.bundle import Dataset
from tools.errors import IngestError
from tools.ingest.canonical import canonicalise
from tools.ingest.common import Limits, Raw, error, size
from tools.ingest.csv_reader import read_csv
from tools.ingest.decode import file_format
from tools.ingest.mapping import Recall, Remembered, header_signature
from tools.ingest.xlsx_reader import read_workbook
from tools.schemas import KINDS, normalise_header

__all__ = ["Limits", "Recall", "Remembered", "header_signature", "read_table", "read_tables"]


def read_table(
    data: bytes,
    filename: str,
    *,
    mapping: dict[str, str] | None = None,
    kind: str | None = None,
    limits: Limits | None = None,
    recall: Recall | None = None,
) -> Dataset:
    """Read one uploaded CSV or workbook into a canonical :class:`~tools.bundle.Dataset` (a workbook's
    first readable sheet; :func:`read_tables` gives every sheet).

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
    recall
        Remembered corrections: called with each table's header signature
        (:func:`~tools.ingest.mapping.header_signature`), returns a :class:`Remembered` or None.

    Raises
    ------
    IngestError
        code file_unreadable, unsupported_format, missing_columns or too_large, with a bilingual message
        naming the file, the problem and what was expected.
    """
    return read_tables(data, filename, mapping=mapping, kind=kind, limits=limits, recall=recall)[0]


def read_tables(
    data: bytes,
    filename: str,
    *,
    mapping: dict[str, str] | None = None,
    kind: str | None = None,
    limits: Limits | None = None,
    recall: Recall | None = None,
) -> list[Dataset]:
    """Every table of one upload: the CSV, or each workbook sheet with a recognisable header (in
    workbook order; each report names its sheet). Sheets that cannot be read are named in the first
    dataset's warnings; IngestError only when no table can be read (arguments as :func:`read_table`)."""
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
    notes: list[Msg] = []
    if file_format(data, name) == "workbook":
        workbook = read_workbook(data, name, mapping)
        raws, notes = workbook.sheets, workbook.skipped
    else:
        raws = [read_csv(data, name, mapping)]
    several = len(raws) > 1
    datasets: list[Dataset] = []
    failed: list[tuple[Raw, IngestError]] = []
    for raw in raws:
        try:
            _check_rows(raw, name, limits)
            remembered = recall(header_signature([str(c) for c in raw.frame.columns])) if recall else None
            own = _own_overrides(mapping, raw) if several else mapping
            datasets.append(canonicalise(raw, name, own, kind, remembered))
        except IngestError as exc:
            if not several or exc.code == "too_large":
                raise
            failed.append((raw, exc))
    if not datasets:
        raise failed[0][1]
    first = datasets[0].reports[0]
    first.warnings.extend(notes)
    for raw, exc in failed:
        first.warnings.append(
            Msg(
                W.SHEET_SKIPPED.en.format(sheet=raw.sheet, reason=exc.msg.en),
                W.SHEET_SKIPPED.zh.format(sheet=raw.sheet, reason=exc.msg.zh),
            )
        )
    if several and mapping:
        present = {normalise_header(str(c)) for raw in raws for c in raw.frame.columns}
        for source, target in mapping.items():
            if normalise_header(source) not in present:
                first.warnings.append(
                    Msg(
                        f"{name} has no column '{source}', so the correction '{source} → {target}' was not used.",
                        f"{name} 中没有“{source}”列，更正“{source} → {target}”未使用。",
                    )
                )
    return datasets


def _own_overrides(mapping: dict[str, str] | None, raw: Raw) -> dict[str, str] | None:
    """The corrections that name a column of this sheet (the others belong to other sheets)."""
    if not mapping:
        return mapping
    present = {normalise_header(str(c)) for c in raw.frame.columns}
    return {s: t for s, t in mapping.items() if normalise_header(s) in present} or None


def _check_rows(raw: Raw, name: str, limits: Limits) -> None:
    where = f"{name} ({raw.sheet})" if raw.sheet else name
    if raw.frame.empty:
        raise error(
            "file_unreadable",
            f"{where} has a header ({', '.join(map(str, raw.frame.columns))}) but no data rows. "
            "Expected at least one row of data below the header.",
            f"{where} 只有表头（{'、'.join(map(str, raw.frame.columns))}），没有数据行。"
            "表头下方至少需要一行数据。",
        )
    if len(raw.frame) > limits.max_rows:
        raise error(
            "too_large",
            f"{where} has {len(raw.frame):,} data rows, above the limit of {limits.max_rows:,} rows. "
            "Split the file or filter it to the period you need.",
            f"{where} 有 {len(raw.frame):,} 行数据，超过 {limits.max_rows:,} 行的上限。"
            "请拆分文件或只保留需要的期间。",
        )
