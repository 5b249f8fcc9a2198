"""Customer snapshots: a customers table with a churn flag (``churned``) and no dates, one row per
customer, the way telecom, SaaS, insurance and banking churn exports come (tenure, contract, monthly and
total charges, Churn yes/no). churn_trend, churn_risk, customer_survival and customer_lifetime_value read
one through this module when no transactions are loaded.

- ``is_snapshot(data)``: customers with ``churned``, no ``churn_date`` column, no transactions loaded.
- ``load_snapshot(data)``: the customers by id with the flag as bool; customers without a flag are set
  apart and counted; the notes every snapshot answer states (tenure is in months).
- ``grouping(data, snapshot, by)``: each customer's group by a column, canonical or as named in the file:
  text as it is; yes/no, and numbers with at most MAX_DISCRETE values, one group per value; tenure in
  the bands TENURE_BANDS (months); other numbers in quartiles (each band includes its upper end).
- ``not_applied(params, names)``: the date arguments given that a snapshot cannot apply, in words.

Words: prompts/snapshot.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pydantic import BaseModel

from core.text import Msg
from prompts import snapshot as W
from tools.bundle import DatasetBundle
from tools.customer_rows import as_bool
from tools.errors import ToolInputError
from tools.schemas import canonical_name, kind_columns, normalise_header
from tools.wording import num_text, say

ID = "customer_id"
#: Tenure bands in months: 0-12, 12-24, 24-48, 48-72, 72+ (upper ends included).
TENURE_BANDS = (12, 24, 48, 72)
#: A number column with at most this many distinct values gets one group per value (0/1 flags, counts).
MAX_DISCRETE = 10
#: A text column with more distinct values than this is not a grouping (names, free text).
MAX_GROUPS = 30
#: A longest tenure at most this (whole numbers) may be years, not months: the answer says so.
YEARS_HINT_MAX = 10
#: Columns that are never a grouping.
NOT_GROUPS = {ID, "churned", "name"}


def is_snapshot(data: DatasetBundle) -> bool:
    """True for a customers table with a churn flag, no churn dates and no transactions loaded."""
    customers = data.get("customers")
    return (
        customers is not None
        and "transactions" not in data
        and {ID, "churned"} <= set(customers.columns)
        and "churn_date" not in customers.columns
    )


@dataclass
class Snapshot:
    """Customers with a churn flag (``frame``: index customer_id, ``churned`` bool), the rest apart."""

    frame: pd.DataFrame
    unflagged: pd.DataFrame
    rows_used: int
    assumptions: list[Msg] = field(default_factory=list)
    warnings: list[Msg] = field(default_factory=list)

    @property
    def churned(self) -> pd.Series:
        return self.frame["churned"]

    def number(self, column: str, purpose: Msg, frame: pd.DataFrame | None = None) -> pd.Series:
        """``column`` of ``frame`` (default: the flagged customers) as float, negatives as missing, or
        ToolInputError naming it."""
        frame = self.frame if frame is None else frame
        if column not in frame.columns:
            columns = ", ".join(str(c) for c in frame.columns if c != "churned")
            raise ToolInputError(say(W.NEEDS_COLUMN, column=column, purpose=purpose, columns=columns))
        values = pd.to_numeric(frame[column], errors="coerce").astype(float)
        return values.where(values >= 0)


def load_snapshot(data: DatasetBundle) -> Snapshot:
    """The snapshot's customers by id (first row of a repeated id), flagged and unflagged apart."""
    customers = data.require("customers", [ID, "churned"])
    repeated = int(customers[ID].duplicated().sum())
    frame = customers.drop_duplicates(ID).set_index(ID)
    frame.index = frame.index.astype(str)
    flag = as_bool(frame["churned"])
    frame = frame.assign(churned=flag)
    flagged = frame.loc[flag.notna().to_numpy()].assign(churned=lambda f: f["churned"].astype(bool))
    unflagged = frame.loc[flag.isna().to_numpy()]
    if flagged.empty:
        raise ToolInputError(W.NO_FLAGGED)
    assumptions = [W.SNAPSHOT]
    warnings: list[Msg] = []
    if repeated:
        warnings.append(say(W.DUPLICATE_IDS, count=num_text(repeated)))
    if len(unflagged):
        warnings.append(say(W.NO_FLAG, count=num_text(len(unflagged))))
    if "tenure" in frame.columns:
        assumptions.append(W.TENURE_MONTHS)
        tenure = pd.to_numeric(frame["tenure"], errors="coerce").dropna()
        whole = bool(np.all(np.mod(tenure.to_numpy(), 1) == 0))
        if len(tenure) and whole and tenure.max() <= YEARS_HINT_MAX:
            warnings.append(say(W.TENURE_LOOKS_LIKE_YEARS, longest=num_text(tenure.max())))
    return Snapshot(flagged, unflagged, len(customers), assumptions, warnings)


@dataclass
class Grouping:
    """Each customer's group (``keys``, aligned with the frame grouped), how the groups were made.

    ``order`` is the natural order of the labels (bands, numbers), None for text categories; ``note``
    says how numbers were banded.
    """

    column: str
    name: Msg
    keys: pd.Series
    order: list[str] | None = None
    note: Msg | None = None


def group_column(group: Grouping) -> str:
    """Tables name the group column after a canonical customers column, else 'group'."""
    return group.column if group.column in kind_columns("customers") else "group"


def grouping(data: DatasetBundle, frame: pd.DataFrame, by: str) -> Grouping:
    """Group the customers of ``frame`` by ``by`` (a column of the customers table, canonical or as
    named in the file); numbers are banded (see the module docstring)."""
    column = _column(data, frame, by)
    name = W.DIMENSIONS.get(column, Msg(column, column))
    values = frame[column]
    if pd.api.types.is_bool_dtype(values):
        keys = values.map({True: W.YES, False: W.NO})
        return Grouping(column, name, _known(keys), [W.YES, W.NO])
    if pd.api.types.is_numeric_dtype(values):
        return _numeric(column, name, values.astype(float))
    distinct = values.nunique(dropna=True)
    if distinct > MAX_GROUPS:
        raise ToolInputError(say(W.TOO_MANY_GROUPS, attribute=by, count=num_text(distinct), limit=MAX_GROUPS))
    return Grouping(
        column, name, _known(values.astype(object).where(values.notna()).map(str, na_action="ignore"))
    )


def _numeric(column: str, name: Msg, values: pd.Series) -> Grouping:
    levels = np.sort(values.dropna().unique())
    if column != "tenure" and len(levels) <= MAX_DISCRETE:
        labels = [f"{v:g}" for v in levels]
        keys = values.map(lambda v: f"{v:g}", na_action="ignore")
        return Grouping(column, name, _known(keys), labels)
    if column == "tenure":
        edges = np.array([0.0, *TENURE_BANDS, np.inf])
        labels = [f"{a:g}–{b:g}" for a, b in zip(edges[:-2], edges[1:-1], strict=True)] + [f"{edges[-2]:g}+"]
        note = say(W.BANDS, dimension=name, bands=", ".join(labels))
    else:
        edges = np.unique(np.quantile(values.dropna(), [0, 0.25, 0.5, 0.75, 1]))
        labels = [f"{a:.4g}–{b:.4g}" for a, b in zip(edges[:-1], edges[1:], strict=True)]
        note = say(W.QUARTILES, dimension=name, bands=", ".join(labels))
    cut = pd.cut(values, edges, labels=labels, include_lowest=True)
    return Grouping(column, name, _known(cut.astype(object)), labels, note)


def _known(keys: pd.Series) -> pd.Series:
    return keys.astype(object).where(keys.notna(), W.UNKNOWN).astype(str)


def _column(data: DatasetBundle, frame: pd.DataFrame, by: str) -> str:
    """The frame's column for ``by``: itself, the column the file's header ``by`` was mapped to, a column
    whose header normalises the same, or the canonical column ``by`` is a synonym of."""
    usable = [str(c) for c in frame.columns if c not in NOT_GROUPS]
    if by in usable:
        return by
    key = normalise_header(by)
    dataset = data.datasets.get("customers")
    for report in dataset.reports if dataset is not None else []:
        for source, canonical in report.mapping.items():
            if normalise_header(source) == key and canonical in usable:
                return canonical
    same = [c for c in usable if normalise_header(c) == key]
    if same:
        return same[0]
    canonical = canonical_name(by)
    if canonical in usable:
        return canonical
    raise ToolInputError(say(W.UNKNOWN_ATTRIBUTE, attribute=by, columns=", ".join(usable)))


def not_applied(params: BaseModel, names: Iterable[str]) -> Msg | None:
    """The arguments among ``names`` that were given (not None) and a snapshot cannot apply, in words."""
    given = [n for n in names if n in params.model_fields_set and getattr(params, n) is not None]
    return say(W.NOT_APPLIED, arguments=", ".join(given)) if given else None
