"""Correcting how a file was read, in a sentence ("treat 'sales' as quantity", "把'sales'当作数量", "treat orders.csv as invoices"). What the canonical columns and table kinds are called comes from tools/schemas.py."""

from __future__ import annotations

CORRECTION_VERBS_EN: list[str] = ["treat", "read", "use", "map", "consider", "interpret", "handle", "load"]

CORRECTION_AS_EN: list[str] = ["as", "to", "into"]

CORRECTION_IS_EN: list[str] = ["is", "are", "means", "should be", "is actually", "contains", "holds"]

CORRECTION_LEADS_ZH: list[str] = ["把", "将"]

CORRECTION_AS_ZH: list[str] = [
    "当作",
    "当成",
    "作为",
    "视为",
    "看作",
    "看成",
    "识别为",
    "映射为",
    "映射到",
    "改为",
    "改成",
    "设为",
    "算作",
    "算",
]

CORRECTION_IS_ZH: list[str] = ["就是", "应该是", "其实是", "是", "表示", "代表"]

COLUMN_WORDS: list[str] = ["column", "col", "field", "header", "列", "这一列", "这列", "字段", "栏"]

FILE_WORDS: list[str] = ["file", "table", "sheet", "data", "文件", "表格", "表", "数据"]

FILE_EXTENSIONS: list[str] = [".csv", ".xlsx", ".xls", ".tsv", ".txt"]
