"""The plan as a hand-out: who does what for which customer by when, as CSV or XLSX bytes.

Due date = as_of + DUE_DAYS[family] days:

- collections 7: money already owed is chased first (the dunning ladder's first step is a reminder).
- retention 7: a customer at risk is called within a week (the outreach playbooks aim at five working
  days).
- service 30: service changes are agreed with the customer and need a month's notice.
- pricing 30: price changes are announced about a month before they apply.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, timedelta

import pandas as pd

DUE_DAYS: dict[str, int] = {"collections": 7, "retention": 7, "service": 30, "pricing": 30}
HANDOUT_COLUMNS = (
    "due_date",
    "owner_role",
    "owner",
    "customer_id",
    "action",
    "family",
    "cost",
    "hours",
    "expected_gain",
    "expected_gain_low",
    "expected_gain_high",
    "why",
)


def handout(
    table: pd.DataFrame,
    as_of: date,
    owners: Mapping[str, str] | None = None,
    due_days: Mapping[str, int] = DUE_DAYS,
) -> pd.DataFrame:
    """The plan table (``ResourcePlan.table``) with due_date and owner, earliest due date first.

    ``owners`` maps an owner role to a person ("account_manager" -> "Li Wei"); a role without one has
    an empty owner to fill in.
    """
    out = table.copy()
    out["due_date"] = [as_of + timedelta(days=int(due_days[f])) for f in out["family"]]
    out["owner"] = [(owners or {}).get(role, "") for role in out["owner_role"]]
    out = out.sort_values(
        ["due_date", "owner_role", "expected_gain"], ascending=[True, True, False], kind="stable"
    )
    return out[list(HANDOUT_COLUMNS)].reset_index(drop=True)


def this_week(sheet: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Per owner role and action, the hand-out rows due within 7 days of ``as_of``: how many customers,
    their expected gain, and the top customer ids (highest gain first)."""
    due = sheet[sheet["due_date"] <= as_of + timedelta(days=7)]
    due = due.sort_values("expected_gain", ascending=False)
    grouped = due.groupby(["owner_role", "action"], sort=False)
    return grouped.agg(
        customers=("customer_id", "size"),
        expected_gain=("expected_gain", "sum"),
        top_customers=("customer_id", lambda ids: list(ids[:5])),
    ).reset_index()


def to_csv_bytes(sheet: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (Excel then reads Chinese text correctly), dates ISO."""
    return sheet.to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(sheet: pd.DataFrame, sheet_name: str = "plan") -> bytes:
    """An XLSX workbook with the hand-out on one sheet (openpyxl)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        sheet.to_excel(writer, sheet_name=sheet_name, index=False)
    return buffer.getvalue()
