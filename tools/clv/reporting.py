"""Tables and sentences shared by both CLV methods (the predictive models in tools/clv/tool.py and the
historical method in tools/clv/historical.py): the margin used, CLV by a customer attribute, and the
listing's summary."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from core.text import Msg
from prompts import customer_rows as S
from tools.wording import MAX_SUMMARY_ITEMS, items_text, money_text, pct_text, say, sentences

Aggregation = tuple[str, tuple[str, str]]  # (output column, (input column, pandas aggregation))


def margin_used(
    given: float | None, revenue: float, gross_profit: float | None, given_note: Msg, observed_note: Msg,
    assumed_note: Msg, **note_values: str,
) -> tuple[float, Msg]:
    """The gross margin a CLV uses: ``given``; else gross_profit / revenue when both are known and revenue
    > 0; else 1.0 (CLV is then lifetime revenue), each with the note that says which."""
    if given is not None:
        return given, say(given_note, margin=pct_text(given))
    if gross_profit is None or revenue <= 0:
        return 1.0, assumed_note
    observed = gross_profit / revenue
    return observed, say(observed_note, margin=pct_text(observed), **note_values)


def clv_groups(
    ranked: pd.DataFrame,
    attribute: pd.Series,
    by: str,
    order: str,
    n: int,
    before: Sequence[Aggregation] = (),
    after: Sequence[Aggregation] = (),
) -> pd.DataFrame:
    """CLV per value of ``attribute`` (aligned with ``ranked``): customers, ``before``, total, average and
    median CLV, ``after``, share of total CLV; ordered by average CLV (``order``), first ``n``."""
    keys = attribute.fillna(S.UNKNOWN).rename(by)
    aggregations = dict(
        [("customers", ("clv", "size")), *before, ("total_clv", ("clv", "sum")),
         ("average_clv", ("clv", "mean")), ("median_clv", ("clv", "median")), *after]
    )  # fmt: skip
    out = ranked.groupby(keys, sort=False).agg(**aggregations)
    total = out["total_clv"].sum()
    out["share_of_clv"] = out["total_clv"] / total if total > 0 else np.nan
    out = out.sort_values("average_clv", ascending=order == "bottom", kind="stable").head(n)
    return out.reset_index()


def listing_summary(
    frame: pd.DataFrame,
    labels: list[str],
    one_customer: bool,
    order: str,
    customer_line: Callable[[str, pd.Series], Msg],
    top: Msg,
    bottom: Msg,
) -> Msg:
    """The named customers' lines (``customer_line``), or the top/bottom listing of their CLV."""
    if one_customer:
        rows = frame.head(MAX_SUMMARY_ITEMS).iterrows()
        return sentences([customer_line(label, row) for label, (_, row) in zip(labels, rows, strict=False)])
    values = [money_text(v) for v in frame["clv"].head(MAX_SUMMARY_ITEMS)]
    template = top if order == "top" else bottom
    return say(template, items=items_text(labels, values, more=len(frame) > MAX_SUMMARY_ITEMS))
