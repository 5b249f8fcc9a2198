"""Argument types shared by every tool (names follow ARCHITECTURE.md "Conventions")."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from tools.filters import Filters

Order = Literal["top", "bottom"]
Dimension = Literal[
    "segment", "region", "industry", "product", "channel", "acquisition_channel", "month", "quarter", "year"
]
#: A customer snapshot's own attributes (a customers table with a churn flag and no dates).
SnapshotDimension = Literal["contract", "tenure", "monthly_charges", "total_charges"]
#: The dimensions that describe a customer (not a period): what per-customer results are grouped by.
CustomerDimension = Literal["segment", "region", "industry", "product", "channel", "acquisition_channel"]
PERIOD_NAMES = ("month", "quarter", "year")


def _not_a_period(name: str) -> str:
    if name.strip().lower() in PERIOD_NAMES:
        raise ValueError(f"'{name}' is a period, not an attribute of the customer")
    return name


#: On a snapshot, any other column of the customers table as named in the file (numbers are banded).
SnapshotColumn = Annotated[str, AfterValidator(_not_a_period)]
#: What the churn-risk and CLV tools group their per-customer results by.
CustomerGroup = CustomerDimension | SnapshotDimension | SnapshotColumn
#: What churn_trend and customer_survival group by: also periods (of events, or signup cohorts).
CustomerOrPeriodGroup = Dimension | SnapshotDimension | SnapshotColumn
#: The description of a CustomerGroup field (the snapshot half; each tool states its dimensions first).
SNAPSHOT_GROUP_HELP = (
    " On a customer snapshot (churn flag, no dates): contract, tenure (bands in months), monthly_charges, "
    "total_charges, or any column of the customers table as named in the file (numbers are banded)."
)


class ToolParams(BaseModel):
    """Base of every tool's Params: unknown arguments are rejected (they are a bad tool call)."""

    model_config = ConfigDict(extra="forbid")


class FilterParams(ToolParams):
    """Restrict the data to some customers or rows before the analysis (tools/filters.py)."""

    filters: Filters | None = Field(
        None,
        description="Keep only customers or rows with these attribute values, e.g. {\"region\": [\"East\"]}.",
    )


class PeriodParams(FilterParams):
    """A period filter on event dates (inclusive)."""

    start: date | None = Field(None, description="First day of the period (ISO date), inclusive.")
    end: date | None = Field(None, description="Last day of the period (ISO date), inclusive.")


class RankParams(PeriodParams):
    """Top/bottom N, an optional grouping dimension and an optional single customer."""

    n: int = Field(10, ge=1, le=10_000, description="How many rows to list.")
    order: Order = Field("top", description="'top' lists the highest values first, 'bottom' the lowest.")
    group_by: Dimension | None = Field(
        None, description="Aggregate by this dimension instead of per customer (e.g. segment, region)."
    )
    customer: str | None = Field(None, description="Restrict to one customer (id or name as in the data).")
