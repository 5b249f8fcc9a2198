"""The one filter mechanism every customer-level tool accepts: restrict the data to customers (or rows)
with given attribute values before the tool runs.

A filter names an attribute and the values to keep (``{"region": ["East"], "segment": ["A", "B"]}``).
Customer attributes (segment, region, industry, acquisition_channel, cohort = signup year) pick
customers: from the customers table when it has the attribute, else from the rows of the transactions
that carry it. Every table keyed by customer_id (transactions, customers, invoices, financials,
feedback) then keeps only those customers' rows. Row attributes (product, channel) and customer
attributes a table carries itself (a sales panel's segment or region, a marketing table's channel for
acquisition_channel) filter that table's rows directly. Values match case-insensitively after trimming.

What could not be applied (no table the tool reads has the attribute, or no value matches) is reported,
never dropped silently: the answer names it in its first line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from core.text import Msg
from tools.bundle import Dataset, DatasetBundle

CUSTOMER_ATTRIBUTES = ("segment", "region", "industry", "acquisition_channel", "cohort")
ROW_ATTRIBUTES = ("product", "channel")
# Levels a tool computes per customer (ToolSpec.levels names the tool and its column): the run stage
# measures them on the unfiltered data and passes them in.
LEVEL_ATTRIBUTES = ("credit_grade", "altman_zone", "churn_risk_level", "rfm_segment")
ATTRIBUTES = CUSTOMER_ATTRIBUTES + ROW_ATTRIBUTES + LEVEL_ATTRIBUTES
# A table without customer_id filters on its own columns: which attribute reads which column.
OWN_COLUMNS: dict[str, dict[str, str]] = {
    "sales": {"segment": "segment", "region": "region", "product": "product", "channel": "channel"},
    "marketing": {"acquisition_channel": "channel", "channel": "channel"},
}
_ID = "customer_id"
_NO_LEVEL = Msg("it could not be measured on the loaded data", "无法在已载入的数据上度量")


class Filters(BaseModel):
    """Which customers or rows to keep (values as in the data; several values: any of them)."""

    model_config = ConfigDict(extra="forbid")

    segment: list[str] | None = Field(None, description="Keep only these customer segments.")
    region: list[str] | None = Field(None, description="Keep only customers (or rows) in these regions.")
    industry: list[str] | None = Field(None, description="Keep only customers in these industries.")
    acquisition_channel: list[str] | None = Field(
        None, description="Keep only customers acquired through these channels."
    )
    cohort: list[str] | None = Field(None, description="Keep only customers who signed up in these years.")
    product: list[str] | None = Field(None, description="Keep only rows of these products.")
    channel: list[str] | None = Field(None, description="Keep only rows sold through these sales channels.")
    credit_grade: list[str] | None = Field(None, description="Keep only customers of these credit grades (A-E).")
    altman_zone: list[Literal["safe", "grey", "distress"]] | None = Field(
        None, description="Keep only customers in these Altman zones."
    )
    churn_risk_level: list[Literal["high", "medium", "low"]] | None = Field(
        None, description="Keep only customers at these churn risk levels."
    )
    rfm_segment: list[str] | None = Field(
        None, description="Keep only customers of these RFM segments (e.g. Champions, At risk)."
    )

    def active(self) -> dict[str, list[str]]:
        return {k: v for k, v in self.model_dump().items() if v}


@dataclass
class Scope:
    """The filtered data and what the filters did: applied (attribute -> values kept, with the number
    of customers or rows left) and not applied (attribute -> the reason)."""

    data: DatasetBundle
    applied: dict[str, list[str]] = field(default_factory=dict)
    not_applied: dict[str, Msg] = field(default_factory=dict)
    customers: int | None = None  # customers left when a customer attribute was applied


def _keep(values: pd.Series, wanted: list[str]) -> pd.Series:
    targets = {str(w).strip().casefold() for w in wanted}
    return values.astype("str").str.strip().str.casefold().isin(targets)


def _customer_ids(bundle: DatasetBundle, attribute: str, wanted: list[str]) -> tuple[set[str] | None, bool]:
    """(customers with the attribute value(s), whether they came from transaction rows), or (None, False)
    when no table links customers to the attribute."""
    customers = bundle.get("customers")
    if customers is not None and _ID in customers.columns:
        if attribute == "cohort" and "signup_date" in customers.columns:
            years = pd.to_datetime(customers["signup_date"], errors="coerce").dt.year.astype("Int64").astype("str")
            return set(customers.loc[_keep(years, wanted), _ID].astype("str")), False
        if attribute in customers.columns:
            return set(customers.loc[_keep(customers[attribute], wanted), _ID].astype("str")), False
    tx = bundle.get("transactions")
    if tx is not None and attribute in tx.columns and _ID in tx.columns:
        return set(tx.loc[_keep(tx[attribute], wanted), _ID].astype("str")), True
    return None, False


def apply_filters(
    bundle: DatasetBundle,
    filters: Filters | None,
    reads: tuple[str, ...],
    levels: dict[str, pd.Series | Msg] | None = None,
) -> Scope:
    """Restrict every table of ``bundle`` to ``filters`` (see the module docstring). ``reads`` are the
    tables the tool needs: a filter that restricts none of them is reported as not applied. ``levels``
    gives, for each level attribute filtered on, the level per customer (index customer_id), or the
    reason it could not be measured."""
    scope = Scope(bundle)
    if filters is None or not filters.active():
        return scope
    frames = {kind: ds.frame for kind, ds in bundle.datasets.items()}
    ids: set[str] | None = None
    for attribute, wanted in filters.active().items():
        touched = False
        from_rows = False
        if attribute in LEVEL_ATTRIBUTES:
            level = (levels or {}).get(attribute)
            if not isinstance(level, pd.Series):
                scope.not_applied[attribute] = level if isinstance(level, Msg) else _NO_LEVEL
                continue
            found = set(level.index[_keep(level, wanted)].astype("str"))
            ids = found if ids is None else ids & found
            scope.applied[attribute] = list(wanted)
            continue
        if attribute in CUSTOMER_ATTRIBUTES:
            found, from_rows = _customer_ids(bundle, attribute, wanted)
            if found is not None:
                ids = found if ids is None else ids & found
                touched = any(_ID in frames[k].columns for k in reads if k in frames)
        for kind, frame in list(frames.items()):
            row_attribute = attribute in ROW_ATTRIBUTES or from_rows
            column = attribute if kind == "transactions" and row_attribute else None
            column = column or OWN_COLUMNS.get(kind, {}).get(attribute)
            if column and column in frame.columns:
                frames[kind] = frame.loc[_keep(frame[column], wanted)]
                touched = touched or kind in reads
        if touched:
            scope.applied[attribute] = list(wanted)
        else:
            scope.not_applied[attribute] = Msg(
                f"no table this analysis reads has a {attribute} column",
                f"本分析读取的表中没有 {attribute} 列",
            )
    if ids is not None:
        for kind, frame in frames.items():
            if _ID in frame.columns:
                frames[kind] = frame.loc[frame[_ID].astype("str").isin(ids)]
        scope.customers = len(ids)
    scope.data = DatasetBundle(
        Dataset(kind, frames[kind].reset_index(drop=True), ds.reports) for kind, ds in bundle.datasets.items()
    )
    return scope
