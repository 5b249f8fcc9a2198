"""Raw table -> canonical Dataset: columns mapped to the detected (or forced) kind, values converted,
pandera lazy validation with bad rows dropped and reported by line and column, warnings.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pandera.errors as pa_errors

from core.text import Msg
from prompts import ingest as W
from tools.bundle import ColumnDecision, Dataset, DroppedRows, IngestReport
from tools.ingest.common import MAX_LISTED, Raw, listed, rows_text
from tools.ingest.derive import days_late_check, derive_amounts, order_level_rows, several_candidates
from tools.ingest.errors import missing_columns, near_miss, too_many_bad
from tools.ingest.layouts import (
    WIDE_CHANNEL,
    WIDE_SPEND,
    known_layout,
    layout_mapping,
    melt_wide,
    wide_spend_columns,
)
from tools.ingest.mapping import LAYOUT as LAYOUT_CONFIDENCE
from tools.ingest.mapping import Decision, Remembered, decide, header_signature
from tools.ingest.rows import blank_rows, convert, duplicates, required, total_rows
from tools.ingest.values import numeric_if_clean
from tools.schemas import (
    SCHEMAS,
    SIGNATURE,
    canonical_name,
    column_type,
    covered_columns,
    is_complete,
    kind_columns,
    map_columns,
    missing_required,
    normalise_header,
)
from tools.upload_guards import (
    future_date_warning,
)


def _problem(check: str, column: str, value: object) -> tuple[str, Msg]:
    """(group key, reason) for one pandera failure case."""
    ctype = column_type(column)
    if check == "not_nullable":
        return "empty", Msg(f"{column} is empty (a value is required)", f"{column} 为空（此列必填）")
    if check.startswith("coerce_dtype") and ctype == "number":
        return "number", Msg(
            f"{column}: {{values}} is not a number (expected e.g. 1234.5, 1,234, ¥1 200, (500) or 12%)",
            f"{column}：{{values}} 不是数字（应为 1234.5、1,234、¥1 200、(500) 或 12% 这样的数值）",
        )
    if check.startswith("coerce_dtype") and ctype == "date":
        return "date", Msg(
            f"{column}: {{values}} is not a date (expected e.g. 2024-03-05, 2024/3/5, 2024年3月5日 or "
            "05/03/2024)",
            f"{column}：{{values}} 不是日期（应为 2024-03-05、2024/3/5、2024年3月5日 或 05/03/2024 "
            "这样的日期）",
        )
    if check.startswith("coerce_dtype") and ctype == "bool":
        return "bool", Msg(
            f"{column}: {{values}} is not yes/no (expected yes/no, 1/0, true/false or 是/否)",
            f"{column}：{{values}} 不是是/否值（应为 是/否、yes/no、1/0 或 true/false）",
        )
    return check, Msg(
        f"{column}: {{values}} fails the check {check}", f"{column}：{{values}} 未通过检查 {check}"
    )


def _validate(frame: pd.DataFrame, kind: str, derived: bool) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """Lazy pandera validation: (coerced frame, no cases) or (None, row-level failure cases, one per cell)."""
    try:
        valid = SCHEMAS[kind].validate(frame, lazy=True, inplace=True)
        return valid, pd.DataFrame(columns=["column", "check", "failure_case", "index"])
    except pa_errors.SchemaErrors as err:
        cases = err.failure_cases
    cases = cases[cases["index"].notna() & ~cases["check"].astype(str).str.startswith("dtype(")]
    cases = cases.drop_duplicates(["column", "index"])
    if derived:  # a computed revenue is missing only because quantity or unit_price is bad
        other = set(cases.loc[cases["column"] != "revenue", "index"])
        cases = cases[(cases["column"] != "revenue") | ~cases["index"].isin(other)]
    return None, cases


def _bad_row_reports(cases: pd.DataFrame, line_of: Callable[[np.ndarray], np.ndarray]) -> list[DroppedRows]:
    """One DroppedRows per (column, problem), naming up to three offending values and the file lines."""
    labels = np.array(sorted(set(cases["index"])), dtype=np.int64)
    lines = dict(zip(labels, line_of(labels), strict=True))
    groups: dict[tuple[str, str], tuple[Msg, list[int], list[str]]] = {}
    for column, check, value, label in cases[["column", "check", "failure_case", "index"]].itertuples(
        index=False
    ):
        key, reason = _problem(str(check), str(column), value)
        entry = groups.setdefault((str(column), key), (reason, [], []))
        entry[1].append(int(lines[int(label)]))
        if key != "empty" and f"'{value}'" not in entry[2]:
            entry[2].append(f"'{value}'")
    reports = []
    for reason, rows, values in groups.values():
        shown = ", ".join(values[:3]) + (" …" if len(values) > 3 else "")
        rows = sorted(rows)
        reports.append(DroppedRows(reason.format(values=shown), len(rows), rows[:MAX_LISTED]))
    return reports


def _prepare(
    raw: Raw, overrides: dict[str, str] | None, forced: str | None, remembered: Remembered | None
) -> tuple[Raw, Decision, list[Msg], list[tuple[str, str]]]:
    """Known layouts and the wide marketing layout, then the decision of kind and meanings."""
    columns = [str(c) for c in raw.frame.columns]
    notes: list[Msg] = []
    layout = known_layout(columns)
    fixed = layout_mapping(layout, columns) if layout else None
    if layout:
        notes.append(W.LAYOUT.format(layout=layout.name, source=layout.source))
    decision = decide(raw.frame, overrides, forced, remembered, fixed)
    wide: list[tuple[str, str]] = []
    by_name = is_complete(decision.kind, covered_columns(decision.kind, set(decision.mapping.values())))
    if forced in (None, "marketing") and not by_name and "channel" not in decision.ranked_mapping("marketing"):
        wide = wide_spend_columns(raw.frame)
    if wide:
        melted = melt_wide(raw, wide)
        totals = {c for c, canon in map_columns(columns, kind="marketing").items() if canon in _PER_PERIOD}
        pinned = {WIDE_CHANNEL: "channel", WIDE_SPEND: "spend"} | (fixed or {})
        candidate = decide(melted.frame, overrides, "marketing", remembered, pinned, blocked=totals)
        if is_complete("marketing", set(candidate.mapping.values())):
            raw, decision = melted, candidate
            notes.append(W.WIDE_MARKETING.format(columns=", ".join(c for c, _ in wide)))
            for d in decision.columns:
                if d.source in totals:
                    d.note = W.WIDE_TOTAL.format(canonical=map_columns([d.source], kind="marketing")[d.source])
        else:
            wide = []
    return raw, decision, notes, wide


_PER_PERIOD = ("revenue", "leads", "new_customers")


def canonicalise(
    raw: Raw,
    name: str,
    overrides: dict[str, str] | None,
    forced: str | None,
    remembered: Remembered | None = None,
) -> Dataset:
    """Map, clean, convert and validate a raw table into a Dataset with its report."""
    signature = header_signature([str(c) for c in raw.frame.columns])
    source_columns = [str(c) for c in raw.frame.columns]
    raw, decision, notes, wide = _prepare(raw, overrides, forced, remembered)
    columns = list(raw.frame.columns)
    kind, mapping, ranked = decision.kind, dict(decision.mapping), decision.ranked
    missing = missing_required(kind, covered_columns(kind, set(mapping.values())))
    if not missing and not forced and not is_complete(kind, set(mapping.values())):
        missing = ["|".join(sorted(SIGNATURE[kind]))]
    if missing:
        raise missing_columns(name, kind, missing, source_columns, mapping, forced is not None)
    warnings = [*raw.warnings, *notes, *_override_warnings(name, overrides, source_columns, mapping)]
    near = next(
        (r for r in ranked if not is_complete(r[0], set(r[1].values())) and len(r[1]) > len(mapping)), None
    )
    if near and not wide:  # e.g. orders without a date read as a customer list: say what would make it the other kind
        warnings.append(near_miss(kind, *near))
    mapped = set(mapping.values())
    own = set(kind_columns(kind)) | mapped  # an unused column named like one the tools read must not pass for it
    rename = {c: (f"{c} (unmapped)" if c in own else c) for c in columns if c not in mapping}
    rename.update(mapping)
    unmapped = [rename[c] for c in columns if c not in mapping]
    source_of = {canon: src for src, canon in mapping.items()}
    frame = raw.frame.copy(deep=False)  # no data copy, on pandas 2 (no copy-on-write) too
    frame.columns = [rename[c] for c in columns]
    blank = blank_rows(frame)
    if blank.any():
        frame = frame[~blank]
    rows_read = len(frame)
    dropped: list[DroppedRows] = []

    totals = total_rows(frame, mapped)
    if totals.any():
        lines = raw.line_of(totals.index[totals].to_numpy())
        dropped.append(
            DroppedRows(
                Msg(
                    "total or subtotal row (合计/Total): dropped so that nothing is counted twice",
                    "合计/小计行：已删除，避免重复计算",
                ),
                int(totals.sum()),
                lines[:MAX_LISTED].tolist(),
            )
        )
        frame = frame[~totals]

    frame, ambiguous = convert(frame, mapped, raw, {rename[c] for c in raw.day_columns if c in rename})
    if not raw.typed:
        for col in unmapped:
            frame[col] = numeric_if_clean(frame[col])
    frame, order_note = order_level_rows(frame, mapped)
    if order_note is not None:
        warnings.append(order_note)
    derived = kind == "transactions" and "revenue" not in mapped
    if derived:
        frame["revenue"] = pd.to_numeric(frame["quantity"], errors="coerce") * pd.to_numeric(
            frame["unit_price"], errors="coerce"
        )
        warnings.append(
            Msg(
                "There is no revenue column, so revenue was computed as quantity × unit_price.",
                "没有销售额列，销售额按 数量 × 单价 计算。",
            )
        )

    valid, cases = _validate(frame, kind, derived)
    decisions = {d.source: d for d in decision.columns}
    for col, n_bad in cases.groupby("column")["index"].nunique().items():
        if col not in required(kind) and n_bad > frame[col].notna().sum() / 2:
            # mostly unreadable: probably not what its name suggests; keep the column as it was
            src = source_of[str(col)]
            keep_as = f"{src} (unmapped)" if src in kind_columns(kind) else src
            frame = frame.drop(columns=col).assign(**{keep_as: raw.frame.loc[frame.index, src]})
            unmapped.append(keep_as)
            del mapping[src]
            if src in decisions:
                d = decisions[src]
                d.alternatives = [(str(col), d.confidence), *d.alternatives][:3]
                d.canonical, d.how, d.confidence = None, "unused", 0.0
            cases = cases[cases["column"] != col]
            warnings.append(
                Msg(
                    f"Column '{src}' looked like {col}, but most of its values cannot be read as such; "
                    f"it was kept unchanged and not used as {col}.",
                    f"列“{src}”看起来是 {col}，但大多数值无法识别，已按原样保留，不作为 {col} 使用。",
                )
            )
    if valid is None and not cases.empty:
        bad = pd.Index(cases["index"].unique())
        reports = _bad_row_reports(cases, raw.line_of)
        unreadable = cases.loc[cases["check"].astype(str) != "not_nullable", "index"].nunique()
        if unreadable > len(frame) / 2 or len(frame) - len(bad) < max(1, len(frame) / 10):
            raise too_many_bad(name, len(bad), len(frame), reports, mapping)
        blank_counts = cases.loc[cases["check"].astype(str) == "not_nullable"].groupby("column")["index"].nunique()
        for col, count in blank_counts.items():
            if count > len(frame) / 2:
                warnings.append(
                    W.MANY_BLANK_REQUIRED.format(
                        count=f"{count:,}", rows=f"{len(frame):,}", column=col, source=source_of.get(str(col), col)
                    )
                )
        dropped.extend(reports)
        frame = frame.drop(index=bad)
    frame = valid if valid is not None else SCHEMAS[kind].validate(frame, lazy=True, inplace=True)

    for col in frame.columns:
        if frame[col].dtype == "boolean" and col in mapped and not frame[col].isna().any():
            frame[col] = frame[col].astype(bool)
    computed, computed_notes = derive_amounts(frame, kind)
    warnings += computed_notes
    if derived:
        computed = {"revenue": "quantity × unit_price", **computed}
    if wide:
        computed["channel"] = "the name of each spend column"
    warnings += _value_warnings(frame, raw.line_of, ambiguous)
    warnings += _mapping_notes(kind, mapping, decision.columns, frame)
    future = future_date_warning(frame)
    if future is not None:
        warnings.append(future)
    frame.index = pd.RangeIndex(len(frame))
    report_mapping, report_columns = _source_view(mapping, decision.columns, wide)
    report = IngestReport(
        filename=name,
        kind=kind,
        rows_read=rows_read,
        rows_kept=len(frame),
        mapping=report_mapping,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        sheet=raw.sheet,
        header_row=raw.header_row,
        unmapped=unmapped,
        dropped=dropped,
        warnings=warnings,
        columns=report_columns,
        derived=computed,
        header_signature=signature,
    )
    return Dataset(kind, frame, [report])


def _source_view(
    mapping: dict[str, str], decisions: list[ColumnDecision], wide: list[tuple[str, str]]
) -> tuple[dict[str, str], list[ColumnDecision]]:
    """Mapping and decisions in the file's own columns (a wide layout's spend columns, not the melt's)."""
    if not wide:
        return dict(mapping), list(decisions)
    out = {k: v for k, v in mapping.items() if k not in (WIDE_CHANNEL, WIDE_SPEND)}
    cols = [d for d in decisions if d.source not in (WIDE_CHANNEL, WIDE_SPEND)]
    for source, _ in wide:
        out[source] = "spend"
        cols.append(ColumnDecision(source, "spend", "layout", LAYOUT_CONFIDENCE))
    return out, cols


def _mapping_notes(
    kind: str, mapping: dict[str, str], decisions: list[ColumnDecision], frame: pd.DataFrame
) -> list[Msg]:
    """Several region/product candidates, inferred and remembered meanings, missing customers, days late."""
    notes = [m for c in ("region", "product") if (m := several_candidates(decisions, c)) is not None]
    inferred = [f"{d.source} → {d.canonical} ({d.confidence:.0%})" for d in decisions if d.how == "content"]
    if inferred:
        notes.append(W.INFERRED.format(items=", ".join(inferred)))
    remembered = [f"{d.source} → {d.canonical}" for d in decisions if d.how == "remembered"]
    if remembered:
        notes.append(W.REMEMBERED.format(items=", ".join(remembered)))
    if kind == "transactions" and "customer_id" not in mapping.values():
        notes.append(W.NO_CUSTOMER_ID)
    check = days_late_check(frame)
    if check is not None:
        notes.append(check)
    return notes


def _value_warnings(
    frame: pd.DataFrame, line_of: Callable[[np.ndarray], np.ndarray], ambiguous: str | None
) -> list[Msg]:
    """Refunds/credit notes, several currencies, within-file duplicates, undecidable day/month order."""
    warnings = []
    for col in ("revenue", "amount"):
        if col in frame and (n := int((frame[col] < 0).sum())):
            warnings.append(
                Msg(
                    f"Negative {col} in {rows_text(n)} (refunds or credit notes): kept; they reduce the totals.",
                    f"有 {n} 行的 {col} 为负数（退款或红字发票），已保留，会冲减合计。",
                )
            )
    if "currency" in frame and frame["currency"].nunique() > 1:
        found = ", ".join(map(str, frame["currency"].dropna().unique()[:5]))
        warnings.append(
            Msg(
                f"Several currencies in this file ({found}); amounts in different currencies are never "
                "added together.",
                f"文件中有多种币种（{found}），不同币种的金额不会直接相加。",
            )
        )
    duplicated = duplicates(frame)
    if duplicated.any():
        lines = line_of(frame.index[duplicated].to_numpy())
        warnings.append(
            Msg(
                f"Exact repeats of an earlier row: {rows_text(int(duplicated.sum()))} (lines "
                f"{listed(lines)}), kept. "
                "Check whether they are real repeat orders or a double export.",
                f"有 {int(duplicated.sum())} 行与前面的某行完全相同（第 {listed(lines)} 行），已保留。"
                "请确认是真实的重复订单还是重复导出。",
            )
        )
    if ambiguous:
        warnings.append(
            Msg(
                f"Dates such as '{ambiguous}' could be day/month or month/day and nothing in the file "
                "decides it; "
                "they were read as day/month/year. If they are month/day/year, save the dates as 2024-03-05 "
                "and upload again.",
                f"“{ambiguous}”这样的日期既可能是日/月也可能是月/日，文件中无法判断；已按 日/月/年 读取。"
                "如果实际是 月/日/年，请把日期改成 2024-03-05 格式后重新上传。",
            )
        )
    return warnings


def _override_warnings(
    name: str, overrides: dict[str, str] | None, columns: list[str], mapping: dict[str, str]
) -> list[Msg]:
    """Corrections that could not be applied (no such column, unknown target)."""
    out = []
    normalised = {normalise_header(c) for c in columns}
    for source, target in (overrides or {}).items():
        if source not in columns and normalise_header(source) not in normalised:
            out.append(
                Msg(
                    f"{name} has no column '{source}', so the correction '{source} → {target}' was not used.",
                    f"{name} 中没有“{source}”列，更正“{source} → {target}”未使用。",
                )
            )
        elif target not in mapping.values() and canonical_name(target) not in mapping.values():
            out.append(
                Msg(
                    f"'{target}' is not a known column name, so '{source}' was left as it is.",
                    f"“{target}”不是可识别的列名，“{source}”保持原样。",
                )
            )
    return out
