"""dataset_overview: what is loaded (table kinds, rows, periods covered, mapping) and data-quality notes.

Findings: none.
"""

from __future__ import annotations

import pandas as pd

from core.text import Msg
from prompts import customer_rows as S
from prompts import dataset_overview as W
from tools.bundle import DatasetBundle
from tools.customer_rows import (
    cost_warnings,
)
from tools.data import ops
from tools.data.relation import Relation, is_relation
from tools.params import ToolParams
from tools.results import FactValue, Method, Table, ToolResult
from tools.schemas import KIND_NAMES, KINDS, required_columns
from tools.spec import ToolSpec
from tools.value.common import CUSTOMER_ID
from tools.wording import (
    iso,
    join,
    num_text,
    say,
    sentences,
)


class OverviewParams(ToolParams):
    """dataset_overview takes no arguments."""


# --- dataset_overview ------------------------------------------------------------------------------

_DATE_COLUMNS = {
    "transactions": ("date",),
    "customers": ("signup_date",),
    "invoices": ("invoice_date",),
    "financials": ("period",),
    "sales": ("date",),
    "feedback": ("date",),
    "marketing": ("period", "date"),
}


def dataset_overview(data: DatasetBundle, params: OverviewParams) -> ToolResult:
    """What is loaded: per table kind the rows, columns, source files, period covered and customers.

    Tables: tables_loaded (kind, rows, columns, column_names, files, start, end, customers) and
    column_mapping (kind, file, file_column, column: how ingestion read each file's columns).

    Formula: rows = rows kept after ingestion; period = min..max of the kind's date column (transactions
    date, customers signup_date, invoices invoice_date, ...); customers = distinct customer_id.

    Data-quality notes (as warnings): rows dropped and warnings from the ingestion reports, customer ids
    in transactions missing from the customers table (and customers without transactions), refund rows,
    rows without cost, a missing cost column, several currencies.

    Facts: tables_loaded; per loaded kind ``<kind>_rows``, ``<kind>_distinct_customers`` (with customer_id),
    ``<kind>_start``/``<kind>_end`` (ISO dates, when it has a date column); data_quality_notes.
    Works on an empty bundle (says nothing is loaded and what can be uploaded). Findings: none.
    """
    method = Method(W.OVERVIEW_FORMULA, params.model_dump(mode="json"))
    if not len(data):
        kinds = join(
            [
                say(
                    W.OVERVIEW_KIND_NEEDS,
                    kind=KIND_NAMES[k],
                    columns=", ".join(required_columns(k)).replace("|", "/"),
                )
                for k in KINDS
            ]
        )
        return ToolResult(
            "dataset_overview", say(W.OVERVIEW_EMPTY, kinds=kinds), {"tables_loaded": 0}, method=method
        )

    facts: dict[str, FactValue] = {"tables_loaded": len(data)}
    rows, mapping, descriptions, notes = [], [], [], []
    latest: pd.Timestamp | None = None
    for kind, ds in data.datasets.items():
        frame = data.rows(kind)  # a frame, or a Relation (a live source: counted where it lives)
        start, end = _date_range(frame, kind)
        customers = ops.nunique(frame, CUSTOMER_ID) if CUSTOMER_ID in frame.columns else None
        facts[f"{kind}_rows"] = ds.rows
        if customers is not None:
            facts[f"{kind}_distinct_customers"] = customers
        if start is not None and end is not None:
            facts[f"{kind}_start"], facts[f"{kind}_end"] = start.date().isoformat(), end.date().isoformat()
            if kind == "transactions":
                latest = end
        files = ", ".join(ds.filenames) or "-"
        rows.append(
            {
                "kind": kind,
                "rows": ds.rows,
                "columns": len(frame.columns),
                "column_names": ", ".join(map(str, frame.columns)),
                "files": files,
                "start": start,
                "end": end,
                "customers": customers,
            }
        )
        descriptions.append(
            say(
                W.OVERVIEW_TABLE,
                kind=KIND_NAMES.get(kind, Msg(kind, kind)),
                rows=num_text(ds.rows),
                files=files,
                period=say(W.OVERVIEW_PERIOD, start=iso(start), end=iso(end)) if start is not None else "",
                customers=say(W.OVERVIEW_CUSTOMERS, customers=num_text(customers))
                if customers is not None
                else "",
            )
        )
        for report in ds.reports:
            mapping.extend(
                {"kind": kind, "file": report.filename, "file_column": src, "column": dst}
                for src, dst in report.mapping.items()
            )
            for dropped in report.dropped:
                if dropped.count:
                    notes.append(
                        say(
                            W.NOTE_DROPPED,
                            file=report.filename,
                            count=num_text(dropped.count),
                            reason=dropped.reason,
                        )
                    )
            notes.extend(say(W.NOTE_FILE, file=report.filename, warning=w) for w in report.warnings)
    notes.extend(_transaction_notes(data))
    facts["data_quality_notes"] = len(notes)
    head = say(W.OVERVIEW_HEAD, count=num_text(len(data)), tables=join(descriptions))
    tail = say(W.OVERVIEW_NOTES, count=num_text(len(notes))) if notes else W.OVERVIEW_NO_NOTES
    method.rows_used = sum(ds.rows for ds in data.datasets.values())
    method.as_of = latest.date() if latest is not None else None
    table = pd.DataFrame(rows).astype({"customers": "Int64"})
    columns = pd.DataFrame(mapping, columns=["kind", "file", "file_column", "column"])
    return ToolResult(
        "dataset_overview",
        sentences([head, tail]),
        facts,
        [Table("tables_loaded", table), Table("column_mapping", columns)],
        method=method,
        warnings=notes,
    )


def _date_range(frame: pd.DataFrame | Relation, kind: str) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    for col in _DATE_COLUMNS.get(kind, ()):
        if col in frame.columns and ops.is_datetime(frame, col):
            start, end = ops.min_max(frame, col)
            if not pd.isna(start):
                return start, end
    return None, None


def _transaction_notes(data: DatasetBundle) -> list[Msg]:
    tx = data.rows("transactions") if "transactions" in data else None  # a frame or a Relation
    if tx is None or CUSTOMER_ID not in tx.columns:
        return []
    notes: list[Msg] = []
    customers = data.get("customers")
    if customers is not None and CUSTOMER_ID in customers.columns:
        tx_ids = pd.Index(ops.unique(tx, CUSTOMER_ID))
        known = pd.Index(customers[CUSTOMER_ID].dropna().unique())
        missing = tx_ids.difference(known)
        if len(missing):
            examples = ", ".join(map(str, missing[:3]))
            notes.append(say(W.NOTE_MISSING_CUSTOMERS, count=num_text(len(missing)), examples=examples))
        idle = known.difference(tx_ids)
        if len(idle):
            notes.append(say(W.NOTE_NO_TX_CUSTOMERS, count=num_text(len(idle))))
    if "revenue" in tx.columns:
        refunds = ops.count_below(tx, "revenue", 0)
        if refunds:
            notes.append(say(W.NOTE_REFUNDS, count=num_text(refunds)))
        if "cost" in tx.columns and is_relation(tx):
            missing = ops.missing(tx, "cost")
            if missing:
                notes.append(say(S.COST_MISSING_ROWS, count=num_text(missing), rows=num_text(ops.count(tx))))
        elif "cost" in tx.columns:
            notes.extend(cost_warnings(tx))
        else:
            notes.append(W.NOTE_NO_COST)
    if "currency" in tx.columns:
        codes = ops.unique(tx, "currency").tolist()
        if len(codes) > 1:
            notes.append(
                say(
                    S.CURRENCY_SPLIT,
                    count=num_text(len(codes)),
                    currencies=", ".join(sorted(map(str, codes))),
                )
            )
    return notes


SPEC = ToolSpec(
    "dataset_overview",
    OverviewParams,
    dataset_overview,
    requires=(),
    findings=(),
    words=W,
    order=10,
)
