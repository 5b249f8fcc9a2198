"""Words of the dataset_overview tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "What data is loaded: table kinds, rows, periods covered, column mapping and data-quality notes.",
    "已载入哪些数据：表类型、行数、覆盖期间、列映射和数据质量提示。",
)
