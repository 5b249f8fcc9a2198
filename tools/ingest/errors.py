"""Bilingual ingestion errors that name the file, the columns found and what was expected.
"""

from __future__ import annotations

from core.text import Msg
from tools.bundle import DroppedRows
from tools.errors import IngestError
from tools.ingest.common import error, listed
from tools.schemas import (
    CANONICAL,
    KIND_NAMES,
    KINDS,
    SIGNATURE,
    covered_columns,
    examples,
    missing_required,
)

# --- errors --------------------------------------------------------------------------------------------


def _alternatives(req: str, lang: str) -> str:
    return (" 或 " if lang == "zh" else " or ").join(req.split("|"))


def missing_columns(
    name: str, kind: str, missing: list[str], columns: list[str], mapping: dict[str, str], forced: bool
) -> IngestError:
    """missing_columns: the file, the kind, what is missing, the synonyms expected and the columns found."""
    found = ", ".join(columns) or "(none)"
    hint = next((c for c in columns if c not in mapping), columns[0] if columns else "X")
    target = missing[0].split("|")[0]
    fix_en = f"If one of them holds it, say e.g. \"treat '{hint}' as {target}\" (--map '{hint}={target}')."
    fix_zh = f"如果其中某列就是它，可以说“把'{hint}'当作{target}”（--map '{hint}={target}'）。"
    if not mapping and not forced:
        needs = "; ".join(
            f"{k}: {', '.join(_alternatives(r, 'en') for r in CANONICAL[k]['required'])}" for k in KINDS
        )
        needs_zh = "；".join(
            f"{KIND_NAMES[k].zh}：{'、'.join(_alternatives(r, 'zh') for r in CANONICAL[k]['required'])}"
            for k in KINDS
        )
        return error(
            "missing_columns",
            f"{name}: none of the columns is a known column name, so the kind of table cannot be recognised. "
            f"Columns found: {found}. Expected at least the columns of one table kind ({needs}), "
            "named in English or Chinese (e.g. customer_id / 客户编号, date / 日期, revenue / 销售额). "
            + fix_en,
            f"{name}：没有可识别的列名，无法判断表的类型。文件中的列：{'、'.join(columns)}。"
            f"至少需要某一类表的必需列（{needs_zh}），可用中文或英文列名（如 客户编号/customer_id、"
            "日期/date、销售额/revenue）。" + fix_zh,
        )
    expected_en = "; ".join(
        f"{_alternatives(m, 'en')} (e.g. {', '.join(e for c in m.split('|') for e in examples(c))})"
        for m in missing
    )
    missing_en = ", ".join(_alternatives(m, "en") for m in missing)
    missing_zh = "、".join(_alternatives(m, "zh") for m in missing)
    expected_zh = "；".join(
        f"{_alternatives(m, 'zh')}（如 {'、'.join(e for c in m.split('|') for e in examples(c))}）"
        for m in missing
    )
    recognised = ", ".join(f"{s} → {c}" for s, c in mapping.items()) or "none"
    kind_name = KIND_NAMES[kind]
    return error(
        "missing_columns",
        f"{name} looks like a {kind_name.en} table but lacks the required column(s) {missing_en}. "
        f"Expected a column named like: {expected_en}. Columns found: {found} "
        f"(recognised: {recognised}). " + fix_en,
        f"{name} 看起来是{kind_name.zh}表，但缺少必需的列 {missing_zh}。需要这样命名的列：{expected_zh}。"
        f"文件中的列：{'、'.join(columns)}（已识别：{recognised if mapping else '无'}）。" + fix_zh,
    )


def near_miss(kind: str, other: str, mapping: dict[str, str]) -> Msg:
    """Read as ``kind``, but the columns fit ``other`` better, which lacks a required column."""
    missing = missing_required(other, covered_columns(other, set(mapping.values()))) or [
        "|".join(sorted(SIGNATURE.get(other, ())))
    ]
    need = missing[0].split("|")[0]
    names_en, names_zh = ", ".join(examples(need)), "、".join(examples(need))
    return Msg(
        f"Read as a {KIND_NAMES[kind].en} table. If this is a {KIND_NAMES[other].en} table, it lacks a "
        f"{need} "
        f"column (named e.g. {names_en}); rename that column or correct the mapping (--map 'X={need}').",
        f"已按{KIND_NAMES[kind].zh}表读取。如果这是{KIND_NAMES[other].zh}表，则缺少 {need} 列（列名如 "
        f"{names_zh}）；"
        f"请重命名该列或更正映射（--map 'X={need}'）。",
    )


def too_many_bad(
    name: str, n_bad: int, n_rows: int, reports: list[DroppedRows], mapping: dict[str, str]
) -> IngestError:
    """missing_columns: more than half of the rows have unusable values (probably a wrong column)."""
    top = reports[0] if reports else None
    first_en = f" First problem: {top.reason.en} (lines {listed(top.rows, 5)})." if top else ""
    first_zh = f"首个问题：{top.reason.zh}（第 {listed(top.rows, 5)} 行）。" if top else ""
    used = ", ".join(f"{s} → {c}" for s, c in mapping.items())
    return error(
        "missing_columns",
        f"{name}: {n_bad} of {n_rows} rows have missing or unreadable values in required columns, so the "
        "file "
        f"cannot be used.{first_en} Columns were read as: {used}. Expected numbers in amount columns and "
        "dates "
        "in date columns; if a column was matched wrongly, correct it (e.g. --map 'sales=quantity').",
        f"{name}：{n_rows} 行中有 {n_bad} 行的必需列为空或无法识别，文件无法使用。{first_zh}"
        f"列的识别结果：{used}。金额列应为数字、日期列应为日期；如果某列识别错了，请更正（例如“把'sales'当作数量”）。",
    )
