"""Per-customer rows from the data bundle, shared by the customer tools (value, clv, churn, ...).

- ``prepare``: the transaction rows a tool analyses (period filter, currency, the notes every customer
  tool states) as ``Rows``.
- Names: ``customer_names`` (customers table, else a name column of the transactions) as ``Names``;
  ``with_names``/``name_column``/``plain_label`` to show them next to ids.
- ``match_customers``: an exact id or name (case-insensitive), else a partial name matching at most
  MAX_NAME_MATCHES customers; ids never match partially; ``no_tx_for`` when a match bought nothing.
- Dimensions: ``PERIODS`` (month, quarter, year), ``customers_column``/``customer_attribute`` (a value
  per customer to group by), ``dim_name`` (its bilingual name).
- ``as_bool`` (yes/no-style flags), ``customer_ids`` (ids as python strings).

Their words are in ``prompts/customer_rows.py``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from core.text import Msg
from prompts import customer_rows as W
from tools import aggregate
from tools.bundle import DatasetBundle
from tools.data import ops
from tools.data.relation import Relation, is_relation
from tools.data.totals import stats as relation_stats
from tools.errors import ToolInputError
from tools.wording import iso, num_text, say

#: The date periods a tool can group by (month, quarter, year).
PERIODS = tuple(aggregate.PERIOD_FREQ)
#: A partial name matching more customers than this is ambiguous (ToolInputError).
MAX_NAME_MATCHES = 20
#: Names of longer id lists are looked up in one index of every name (Arrow-backed ``isin`` is slow).
MAX_NAME_LOOKUP = 1_000
_ID = "customer_id"


# --- transaction rows ------------------------------------------------------------------------------


@dataclass
class Rows:
    """Transaction rows used by a tool: per-currency parts, the notes on them, the last date.

    ``parts`` holds (currency code or None, rows) pairs: one pair unless currencies were split; rows
    are a frame, or a Relation when the transactions live in a database or Parquet files.
    ``tx_columns`` are the columns of the transactions, ``rows_used`` the rows analysed.
    """

    parts: list[tuple[str | None, pd.DataFrame | Relation]]
    tx_columns: set[str]
    rows_used: int
    last_date: date
    warnings: list[Msg] = field(default_factory=list)
    assumptions: list[Msg] = field(default_factory=list)

    @property
    def tx(self) -> pd.DataFrame | Relation:
        """The rows of the first (usually the only) currency part."""
        return self.parts[0][1]


def prepare(
    data: DatasetBundle,
    tx: pd.DataFrame | Relation,
    start: date | None,
    end: date | None,
    currency: str | None,
    split: bool = False,
) -> Rows:
    """Period filter (empty -> ToolInputError), currency parts, and the notes every value tool states.

    Keeps rows with start <= date <= end (whole days, both inclusive). Several currencies are never
    summed: with ``split`` one part per currency (with a warning), else ``currency`` (default: the most
    common one, with a warning). Assumptions state the period and rows used, how orders are counted and
    whether amounts include tax; warnings name rows without cost and mixed tax flags.
    """
    if currency is not None:
        data.require("transactions", ["currency"], Msg("select a currency", "选择币种"))
    used = aggregate.period_filter(tx, start, end)
    if not ops.count(used):
        first, last = ops.min_max(tx) if ops.count(tx) else (None, None)
        raise ToolInputError(
            say(
                W.NO_TX_IN_PERIOD,
                start=start.isoformat() if start else W.OPEN_START,
                end=end.isoformat() if end else W.OPEN_END,
                first=iso(first),
                last=iso(last),
            )
        )
    parts, warnings = _currency_parts(used, currency, split)
    scope = parts[0][1] if len(parts) == 1 else used  # the rows actually analysed
    used_columns = set(ops.columns(used))
    if is_relation(scope):  # one query for the counts and dates
        stats = relation_stats(scope, ["cost"] if "cost" in used_columns else [])
        first, last, n_scope = stats["first"], stats["last"], stats["rows"]
    else:
        first, last, n_scope = scope["date"].min(), scope["date"].max(), len(scope)
    assumptions = [say(W.PERIOD_USED, start=iso(first), end=iso(last), rows=num_text(n_scope))]
    assumptions.append(W.ORDERS_DEFINITION if "order_id" in used_columns else W.ORDERS_DEFINITION_DAYS)
    if "tax_included" in used_columns:
        flags = as_bool(ops.unique(scope, "tax_included")).dropna().unique()
        if len(flags) == 1:
            assumptions.append(W.TAX_INCLUDED if bool(flags[0]) else W.TAX_EXCLUDED)
        elif len(flags) > 1:
            warnings.append(W.TAX_MIXED)
    if "cost" in used_columns:
        if is_relation(scope):
            missing = stats["missing_cost"]
            warnings.extend(
                [say(W.COST_MISSING_ROWS, count=num_text(missing), rows=num_text(n_scope))] if missing else []
            )
        else:
            warnings.extend(cost_warnings(scope))
    return Rows(parts, used_columns, n_scope, last.date(), warnings, assumptions)


def cost_warnings(tx: pd.DataFrame) -> list[Msg]:
    """A warning counting the transaction rows without cost (counted as 0), or none."""
    missing = int(tx["cost"].isna().sum())
    if not missing:
        return []
    return [say(W.COST_MISSING_ROWS, count=num_text(missing), rows=num_text(len(tx)))]


def _currency_parts(
    tx: pd.DataFrame | Relation, requested: str | None, split: bool
) -> tuple[list[tuple[str | None, pd.DataFrame | Relation]], list[Msg]]:
    """One part per currency when ``split``, else the requested (or most common) currency, with a warning."""
    if "currency" not in ops.columns(tx):
        return [(None, tx)], []
    counts = ops.value_counts(tx, "currency")
    codes = [W.UNKNOWN if pd.isna(c) else str(c) for c in counts.index]
    listed = ", ".join(codes)
    if requested is not None:
        wanted = [c for c in codes if c.casefold() == requested.strip().casefold()]
        if not wanted:
            raise ToolInputError(say(W.UNKNOWN_CURRENCY, currency=requested, currencies=listed))
        return [(wanted[0], ops.equal(tx, "currency", wanted[0]))], []
    if len(codes) == 1:
        return [(codes[0], tx)], []

    def rows_of(code: str) -> pd.DataFrame | Relation:
        return ops.equal(tx, "currency", None if code == W.UNKNOWN else code)

    if split:
        return [(c, rows_of(c)) for c in codes], [
            say(W.CURRENCY_SPLIT, count=num_text(len(codes)), currencies=listed)
        ]
    chosen = rows_of(codes[0])
    warning = say(
        W.CURRENCY_SELECTED,
        count=num_text(len(codes)),
        currencies=listed,
        currency=codes[0],
        rows=num_text(ops.count(chosen)),
        total=num_text(ops.count(tx)),
    )
    return [(codes[0], chosen)], [warning]


# --- customer names --------------------------------------------------------------------------------


@dataclass
class Names:
    """Customer names (first per id) from ``source`` (customer_id, name), looked up only for the ids shown."""

    source: pd.DataFrame | None

    def of(self, ids: pd.Index | pd.Series | list[str]) -> pd.Series | None:
        """Names aligned with ``ids`` (missing -> NaN), or None when no names are loaded.

        A short list is looked up with ``isin``; a long one (more than MAX_NAME_LOOKUP ids, where
        Arrow-backed ``isin`` is slow) by indexing every name once.
        """
        if self.source is None:
            return None
        if len(ids) > MAX_NAME_LOOKUP:
            return self.all().reindex(ids)
        found = self.source.loc[self.source[_ID].isin(ids)].drop_duplicates(_ID).set_index(_ID)["name"]
        return found.reindex(ids)

    def get(self, customer_id: str) -> object:
        """The name of one customer (NaN when unknown), or None when no names are loaded."""
        names = self.of([customer_id])
        return None if names is None else names.iloc[0]

    def all(self) -> pd.Series | None:
        """Every name by customer_id (for matching a customer query)."""
        return None if self.source is None else self.source.drop_duplicates(_ID).set_index(_ID)["name"]


def customer_names(data: DatasetBundle, tx: pd.DataFrame | Relation) -> Names:
    """Customer names: the customers table, else a name column of the transactions."""
    for frame in (data.get("customers"), tx):
        if frame is not None and "name" in frame.columns and _ID in frame.columns:
            return Names(
                ops.distinct_pairs(frame, _ID, "name") if is_relation(frame) else frame[[_ID, "name"]]
            )
    return Names(None)


def with_names(frame: pd.DataFrame, names: Names) -> pd.DataFrame:
    """The per-customer ``frame`` (indexed by customer_id) as columns with customer_id (and name) first.

    A ``rank`` column, when present, comes before them: rank, customer_id, name, the other columns.
    """
    out = frame.rename_axis(_ID).reset_index()
    found = names.of(out[_ID])
    if found is not None:
        out.insert(1 + ("rank" in out.columns), "name", found.to_numpy())
    if "rank" in out.columns:
        out.insert(0, "rank", out.pop("rank"))
    return out


def name_column(frame: pd.DataFrame) -> list[Any]:
    """The ``name`` column of ``frame`` as a list, or None for every row when it has none."""
    return list(frame["name"]) if "name" in frame.columns else [None] * len(frame)


def plain_label(customer_id: object, name: object) -> str:
    """'Acme (C1)' when the customer has a name, else 'C1' (ASCII brackets: used in both languages)."""
    if isinstance(name, str) and name.strip() and name != customer_id:
        return f"{name} ({customer_id})"
    return str(customer_id)


# --- finding a customer ----------------------------------------------------------------------------


def match_customers(data: DatasetBundle, tx: pd.DataFrame | Relation, names: Names, query: str) -> list[str]:
    """Ids equal to ``query`` or whose name equals it (case-insensitive), else whose name contains it.

    Ids come from the transactions and the customers table. Ids never match partially (C1 must not pick
    C10). More than MAX_NAME_MATCHES partial name matches, or none at all, raise ToolInputError (the
    latter naming the closest ids and names).
    """
    ids = pd.Index(ops.unique(tx, _ID))
    customers = data.get("customers")
    if customers is not None and _ID in customers.columns:
        ids = ids.union(pd.Index(customers[_ID].dropna().unique()), sort=False)
    ids = ids.astype("str")
    q = query.strip().casefold()
    hits = ids[ids.str.casefold() == q]
    if len(hits):
        return customer_ids(hits)
    every = names.all()
    known = every.dropna().astype("str") if every is not None else pd.Series([], dtype="str")
    folded = known.str.strip().str.casefold()
    for hits in (folded.index[folded == q], folded.index[folded.str.contains(q, regex=False)]):
        if len(hits) > MAX_NAME_MATCHES:
            examples = ", ".join(plain_label(c, known.get(c)) for c in hits[:5])
            raise ToolInputError(
                say(W.AMBIGUOUS_CUSTOMER, query=query, count=num_text(len(hits)), matches=examples)
            )
        if len(hits):
            return customer_ids(hits)
    candidates = list(dict.fromkeys([*ids, *known]))
    close = difflib.get_close_matches(query.strip(), candidates, n=5, cutoff=0.6)
    if close:
        raise ToolInputError(say(W.UNKNOWN_CUSTOMER, query=query, matches=", ".join(close)))
    raise ToolInputError(say(W.UNKNOWN_CUSTOMER_NO_CLOSE, query=query))


def listed_customers(
    ranked: pd.DataFrame, matched: list[str] | None, order: str, n: int, names: Names, rows: Rows
) -> pd.DataFrame:
    """The customers a listing shows: the matched ones (an error when none of them has transactions in
    ``rows``), else the first ``n`` of ``ranked`` from the top or the bottom."""
    if matched is not None:
        listing = ranked.loc[ranked.index.isin(matched)]
        if listing.empty:
            raise no_tx_for(matched, names, rows)
        return listing
    return ranked.head(n) if order == "top" else ranked.iloc[::-1].head(n)


def no_tx_for(matched: list[str], names: Names, rows: Rows) -> ToolInputError:
    """The error (to raise) for matched customers without transactions in the rows used.

    Names up to five of them and the period covered by ``rows`` (all currency parts).
    """
    if any(is_relation(p) for _, p in rows.parts):
        ranges = [ops.min_max(p) for _, p in rows.parts]
        dates = pd.Series([d for r in ranges for d in r], dtype="datetime64[us]")
    else:
        dates = pd.concat([p["date"] for _, p in rows.parts])
    who = ", ".join(plain_label(c, names.get(c)) for c in matched[:5])
    return ToolInputError(say(W.CUSTOMER_NO_TX, customers=who, start=iso(dates.min()), end=iso(dates.max())))


# --- dimensions and flags --------------------------------------------------------------------------


def customers_column(data: DatasetBundle, tx: pd.DataFrame, by: str) -> pd.Series:
    """A customers-table column by customer_id, or ToolInputError naming the dimension and what is loaded."""
    column = _customers_column(data, by)
    if column is None:
        raise _unknown_dimension(data, tx, by)
    return column


def customer_attribute(data: DatasetBundle, tx: pd.DataFrame, by: str) -> pd.Series:
    """A value of ``by`` per customer to group customers by.

    The customers-table column when there is one, else the transactions value each customer buys most
    (by revenue, ``aggregate.main_value``), else ToolInputError naming the dimension and what is loaded.
    """
    column = _customers_column(data, by)
    if column is not None:
        return column
    if by in tx.columns:
        return aggregate.main_value(tx, by)
    raise _unknown_dimension(data, tx, by)


def _customers_column(data: DatasetBundle, by: str) -> pd.Series | None:
    """The customers-table column ``by`` by customer_id (first row per id), or None."""
    customers = data.get("customers")
    if customers is not None and by in customers.columns and _ID in customers.columns:
        return customers[[_ID, by]].drop_duplicates(_ID).set_index(_ID)[by]
    return None


def _unknown_dimension(data: DatasetBundle, tx: pd.DataFrame, by: str) -> ToolInputError:
    customers = data.get("customers")
    loaded = ", ".join(map(str, customers.columns)) if customers is not None else None
    return ToolInputError(
        say(
            W.UNKNOWN_DIMENSION,
            dimension=by,
            tx_columns=", ".join(map(str, tx.columns)),
            customer_columns=loaded if loaded is not None else W.NOT_LOADED,
        )
    )


def dim_name(dimension: str) -> Msg:
    """The bilingual name of a grouping dimension ('customer', 'segment', 'month', ...)."""
    return W.CUSTOMER if dimension == "customer" else W.DIMENSIONS.get(dimension, Msg(dimension, dimension))


def as_bool(values: pd.Series) -> pd.Series:
    """A churned-style flag as nullable boolean (bool, 0/1, yes/no, true/false, 是/否).

    Numbers: non-zero is True. Text (trimmed, case-insensitive): yes/y/true/1/是/churned and no/n/false/0/否;
    anything else, and missing values, is <NA>.
    """
    if pd.api.types.is_bool_dtype(values):
        return values.astype("boolean")
    if pd.api.types.is_numeric_dtype(values):
        return values.ne(0).astype("boolean").where(values.notna())
    text = values.astype("str").str.strip().str.casefold()
    mapping = {"yes": True, "y": True, "true": True, "1": True, "是": True, "churned": True}
    mapping |= {"no": False, "n": False}
    mapping |= {"false": False, "0": False, "否": False}
    return text.map(mapping).astype("boolean")


def customer_ids(index: pd.Index) -> list[str]:
    """Customer ids as python strings (``tolist`` first: iterating an Arrow-backed index is slow)."""
    return [str(c) for c in index.tolist()]
