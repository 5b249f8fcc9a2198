"""Churn events shared by churn_trend and customer_survival: one row per customer with its start and
churn dates, the Params base for the reference date and the inactivity rule, and period helpers.

- A customers table with ``churned`` but no ``churn_date`` and no transactions is a snapshot, read by
  tools/retention/snapshot.py instead (nothing here dates its churn).
- With churn labels (a customers table with ``churned`` and/or ``churn_date``): a customer churned at
  ``churn_date`` when churned is yes (or, without a churned column, when churn_date is present). A
  churned customer without a churn_date is dated at the last purchase when transactions exist, else
  left out. A churn after ``as_of`` counts as not churned yet.
- Without labels, from transactions (inactivity rule): a customer whose last purchase is at least
  ``inactivity_days`` (default 180) before ``as_of`` churned, dated at the last purchase.
- A customer's start is ``signup_date``, else the first purchase (revenue > 0).
- ``as_of`` defaults to the latest event date (transaction, signup or churn date) and is stated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field

from core.text import Msg
from prompts import churn_events as W
from tools import aggregate
from tools.bundle import DatasetBundle
from tools.customer_rows import as_bool
from tools.data import ops
from tools.data.relation import Relation
from tools.errors import ToolInputError
from tools.params import PeriodParams
from tools.wording import iso, num_text, say

Freq = Literal["month", "quarter", "year"]

#: Default inactivity rule: no purchase for this many days means churned (without churn labels).
DEFAULT_INACTIVITY_DAYS = 180

MAX_SUMMARY_ITEMS = 5
MAX_CHART_GROUPS = 10
MAX_CURVE_POINTS = 500
#: Below this many churn events the survival estimates get a warning.
FEW_EVENTS = 10
ID = "customer_id"
PERIOD_DIMS = ("month", "quarter", "year")


class ChurnEventParams(PeriodParams):
    """Where churn events come from: the reference date and, without labels, the inactivity rule."""

    as_of: date | None = Field(
        None, description="Reference date (default: the latest event date in the data)."
    )
    inactivity_days: int = Field(
        DEFAULT_INACTIVITY_DAYS,
        ge=1,
        le=3650,
        description="Without churn labels: no purchase for this many days before as_of means churned.",
    )


# ==================================================================================================
# Churn events: one row per customer with start and churn dates
# ==================================================================================================


@dataclass
class Lives:
    """Per-customer start and churn dates (``frame`` indexed by customer_id; churn NaT = not churned)."""

    frame: pd.DataFrame
    as_of: pd.Timestamp
    as_of_given: bool
    source: Literal["labels", "inactivity"]
    inactivity_days: int
    first_tx: pd.Timestamp | None
    rows_used: int
    tx: pd.DataFrame | Relation | None
    assumptions: list[Msg] = field(default_factory=list)
    warnings: list[Msg] = field(default_factory=list)


def churn_lives(data: DatasetBundle, as_of: date | None, inactivity_days: int) -> Lives:
    """Start and churn date per customer from churn labels, else from transactions (inactivity rule).

    Returns a ``Lives`` whose frame has columns ``start`` (NaT when unknown) and ``churn`` (NaT when
    not churned by ``as_of``). Raises ToolInputError naming the tables/columns needed.
    """
    customers = data.get("customers")
    tx = data.rows("transactions") if "transactions" in data else None  # a frame or a Relation
    has_labels = (
        customers is not None
        and ID in customers.columns
        and ("churned" in customers.columns or "churn_date" in customers.columns)
    )
    if not has_labels and tx is None:
        raise ToolInputError(W.NEEDS_CHURN_DATA)
    if tx is not None:
        tx = data.rows("transactions", ["customer_id", "date", "revenue"])
    ref = _reference_date(customers, tx, as_of)
    per = None
    rows_used = 0
    first_tx = None
    if tx is not None:
        tx = ops.on_or_before(tx, "date", ref)
        per = aggregate.customer_totals(tx)
        rows_used = int(per["rows"].sum())
        first_tx = ops.min_max(tx)[0] if rows_used else None
    assumptions: list[Msg] = [as_of_note(ref, as_of is not None), W.START_DEFINITION]
    warnings: list[Msg] = []
    signup = None
    if customers is not None and ID in customers.columns and "signup_date" in customers.columns:
        signup = customers.drop_duplicates(ID).set_index(ID)["signup_date"]
        signup = pd.to_datetime(signup, errors="coerce")
    if has_labels:
        cust = customers.drop_duplicates(ID).set_index(ID)
        churn_date = (
            pd.to_datetime(cust["churn_date"], errors="coerce")
            if "churn_date" in cust.columns
            else pd.Series(pd.NaT, index=cust.index, dtype="datetime64[ns]")
        )
        flag = as_bool(cust["churned"]) if "churned" in cust.columns else churn_date.notna().astype("boolean")
        flag = flag.fillna(churn_date.notna()).astype(bool)
        start = signup.reindex(cust.index) if signup is not None else pd.Series(pd.NaT, index=cust.index)
        if per is not None:
            start = start.fillna(per["first_date"].reindex(cust.index))
            missing = flag & churn_date.isna()
            last = per["last_date"].reindex(cust.index)
            dated = missing & last.notna()
            if dated.any():
                churn_date = churn_date.where(~dated, last)
                warnings.append(say(W.CHURN_DATE_FROM_LAST_PURCHASE, count=num_text(int(dated.sum()))))
            unknown = pd.Index(per.index).difference(cust.index)
            if len(unknown):
                warnings.append(say(W.NOT_IN_CUSTOMERS, count=num_text(len(unknown))))
        undated = flag & churn_date.isna()
        if undated.any():
            warnings.append(say(W.CHURN_DATE_MISSING, count=num_text(int(undated.sum()))))
        churn = churn_date.where(flag & (churn_date <= ref))
        frame = pd.DataFrame({"start": start, "churn": churn}).loc[~undated.to_numpy()]
        assumptions.insert(1, W.SOURCE_LABELS)
        source: Literal["labels", "inactivity"] = "labels"
    else:
        assert per is not None
        buyers = per.loc[per["last_date"].notna()]
        start = buyers["first_date"]
        if signup is not None:
            start = signup.reindex(buyers.index).fillna(start)
        cutoff = ref - pd.Timedelta(days=inactivity_days)
        churn = buyers["last_date"].where(buyers["last_date"] <= cutoff)
        frame = pd.DataFrame({"start": start, "churn": churn})
        assumptions.insert(1, say(W.SOURCE_INACTIVITY, days=inactivity_days))
        source = "inactivity"
    frame.index = frame.index.astype(str)
    frame.index.name = ID
    frame["start"] = pd.to_datetime(frame["start"]).astype("datetime64[ns]")
    frame["churn"] = pd.to_datetime(frame["churn"]).astype("datetime64[ns]")
    frame = frame.loc[~(frame["start"] > ref).to_numpy()]
    # a churn recorded before the start (bad data) is read as churn on the start day
    frame["churn"] = frame["churn"].where(~(frame["churn"] < frame["start"]).to_numpy(), frame["start"])
    if frame.empty:
        raise ToolInputError(say(W.NO_CUSTOMERS, as_of=iso(ref)))
    unknown_start = int(frame["start"].isna().sum())
    if unknown_start:
        warnings.append(say(W.START_UNKNOWN, count=num_text(unknown_start)))
    rows_used += len(customers) if customers is not None else 0
    return Lives(
        frame,
        ref,
        as_of is not None,
        source,
        inactivity_days,
        first_tx,
        rows_used,
        tx,
        assumptions,
        warnings,
    )


def _reference_date(
    customers: pd.DataFrame | None, tx: pd.DataFrame | None, as_of: date | None
) -> pd.Timestamp:
    """``as_of`` or the latest event date: last transaction, signup or churn date."""
    if as_of is not None:
        return pd.Timestamp(as_of)
    candidates = []
    if tx is not None:
        candidates.append(ops.min_max(tx)[1])
    if customers is not None:
        for col in ("churn_date", "signup_date"):
            if col in customers.columns:
                candidates.append(pd.to_datetime(customers[col], errors="coerce").max())
    candidates = [c for c in candidates if c is not None and not pd.isna(c)]
    if not candidates:
        raise ToolInputError(W.NEEDS_CHURN_DATA)
    return pd.Timestamp(max(candidates)).normalize()


def customer_attribute(data: DatasetBundle, tx: pd.DataFrame | None, by: str) -> tuple[pd.Series, list[Msg]]:
    """A customers-table column by customer_id, else each customer's main value of a transactions column."""
    customers = data.get("customers")
    if customers is not None and by in customers.columns and ID in customers.columns:
        series = customers.drop_duplicates(ID).set_index(ID)[by]
        series.index = series.index.astype(str)
        return series, []
    if tx is not None and by in tx.columns:
        series = aggregate.main_value(tx, by)
        series.index = series.index.astype(str)
        return series, [say(W.MAIN_VALUE, dimension=W.DIMENSIONS.get(by, Msg(by, by)))]
    raise ToolInputError(
        say(
            W.UNKNOWN_DIMENSION,
            dimension=by,
            customer_columns=", ".join(map(str, customers.columns))
            if customers is not None
            else W.NOT_LOADED,
            tx_columns=", ".join(map(str, tx.columns)) if tx is not None else W.NOT_LOADED,
        )
    )


# ==================================================================================================
# helpers
# ==================================================================================================


def period_codes(dates: pd.Series, freq: str) -> np.ndarray:
    """Integer period codes: year*12 + month - 1 (month), year*4 + quarter - 1 (quarter), year (year).

    NaT gives 0 (callers mask missing dates themselves).
    """
    dt = pd.to_datetime(dates)
    year = dt.dt.year.fillna(0).to_numpy().astype(np.int64)
    month = dt.dt.month.fillna(1).to_numpy().astype(np.int64)
    if freq == "month":
        return year * 12 + month - 1
    if freq == "quarter":
        return year * 4 + (month - 1) // 3
    return year


def period_code(ts: pd.Timestamp, freq: str) -> int:
    return int(period_codes(pd.Series([pd.Timestamp(ts)]), freq)[0])


def period_label(code: int, freq: str) -> str:
    """'2024-03', '2024Q1' or '2024' for a period code."""
    if freq == "month":
        return f"{code // 12:04d}-{code % 12 + 1:02d}"
    if freq == "quarter":
        return f"{code // 4:04d}Q{code % 4 + 1}"
    return f"{code:04d}"


def period_start(code: int, freq: str) -> str:
    if freq == "month":
        return date(code // 12, code % 12 + 1, 1).isoformat()
    if freq == "quarter":
        return date(code // 4, (code % 4) * 3 + 1, 1).isoformat()
    return date(code, 1, 1).isoformat()


def as_of_note(as_of: pd.Timestamp, given: bool) -> Msg:
    return say(W.AS_OF, as_of=iso(as_of), how=W.AS_OF_GIVEN if given else W.AS_OF_DEFAULT)


def pvalue_text(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def days_text(value: float | None) -> Msg:
    if value is None:
        return W.NOT_REACHED
    return say(W.DAYS, days=num_text(round(value)), years=f"{value / 365.25:.1f}")
