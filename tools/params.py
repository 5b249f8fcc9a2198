"""Argument types shared by every tool (names follow ARCHITECTURE.md "Conventions")."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tools.filters import Filters

Order = Literal["top", "bottom"]
Dimension = Literal[
    "segment", "region", "industry", "product", "channel", "acquisition_channel", "month", "quarter", "year"
]
#: A customer snapshot's own attributes (a customers table with a churn flag and no dates).
SnapshotDimension = Literal["contract", "tenure", "monthly_charges", "total_charges"]
#: What the churn, survival and CLV tools group by: a dimension, a snapshot attribute, or on a snapshot any
#: other column of the customers table as named in the file (numbers are banded).
CustomerGroup = Dimension | SnapshotDimension | str
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
