"""churn_risk without labels: 1 - P(alive) from BG/NBD (MBG/NBD for one-time buyers) and the recency
rule (days since the last purchase against k typical purchase gaps).
"""

from __future__ import annotations

import warnings
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.text import Msg
from prompts import churn_risk as W
from tools import clv as models
from tools.churn.common import (
    DEFAULT_GAP_DAYS,
    ID,
    MIN_CUSTOMERS,
    RULE_MEDIUM_SHARE,
    ChurnParams,
    Scored,
    levels,
)
from tools.results import FactValue
from tools.wording import (
    fact,
    num_text,
    say,
    sentences,
)

if TYPE_CHECKING:
    pass


# --- unlabelled: BG/NBD, MBG/NBD, recency rule ------------------------------------------------------


def typical_gap_days(purchases: pd.DataFrame) -> float | None:
    """Median gap in days between consecutive purchase days of the same customer (all pooled).

    >>> tx = pd.DataFrame({"customer_id": ["a", "a", "a", "b", "b"],
    ...                    "date": pd.to_datetime(["2024-01-01", "2024-01-11", "2024-01-31", "2024-01-01",
    ...                                            "2024-01-05"])})
    >>> typical_gap_days(tx)
    10.0
    """
    days = purchases[[ID, "date"]].assign(date=purchases["date"].dt.normalize()).drop_duplicates()
    days = days.sort_values([ID, "date"], kind="stable")
    same = days[ID].to_numpy()[1:] == days[ID].to_numpy()[:-1]
    gaps = np.diff(days["date"].to_numpy()).astype("timedelta64[D]").astype(float)[same]
    return float(np.median(gaps)) if gaps.size else None


def recency_rule(days_since: pd.Series, gap: float, k: float) -> pd.Series:
    """Risk level by the recency rule: high > k x gap, medium > RULE_MEDIUM_SHARE x k x gap, else low.

    >>> recency_rule(pd.Series([10.0, 50.0, 100.0]), gap=10.0, k=6.0).tolist()
    ['low', 'medium', 'high']
    """
    limit = k * gap
    level = np.where(
        days_since > limit, "high", np.where(days_since > RULE_MEDIUM_SHARE * limit, "medium", "low")
    )
    return pd.Series(level, index=days_since.index, dtype="str")



def unlabelled(purchases_all: pd.DataFrame, as_of: date, params: ChurnParams) -> Scored:
    purchases = purchases_all.loc[purchases_all["revenue"].to_numpy() >= 0]
    summary = models.rfm_summary(purchases, calibration_end=as_of, time_unit="W")
    last = purchases.groupby(ID, sort=False)["date"].max().reindex(summary.index)
    days_since = (pd.Timestamp(as_of) - last.dt.normalize()).dt.days.astype(float)
    gap = typical_gap_days(purchases)
    warns: list[Msg] = []
    if gap is None:
        gap = DEFAULT_GAP_DAYS
        warns.append(say(W.NO_GAP, gap=num_text(gap)))
    k = params.gap_multiplier
    limit = k * gap
    rule_text = say(
        W.DEFINITION_RULE,
        k=num_text(k),
        gap=num_text(gap),
        limit=num_text(limit),
        medium=num_text(RULE_MEDIUM_SHARE * limit),
    )
    rule_formula = say(
        W.FORMULA_RULE,
        as_of=as_of.isoformat(),
        k=num_text(k),
        limit=num_text(limit),
        medium=num_text(RULE_MEDIUM_SHARE * limit),
    )
    frame = pd.DataFrame(index=summary.index.rename(ID))
    frame["churn_probability"] = np.nan
    frame["risk_level"] = recency_rule(days_since, gap, k).to_numpy()
    frame["basis"] = "recency_rule"
    facts: dict[str, FactValue] = {"typical_gap_days": gap, "gap_multiplier": k}
    x = summary["frequency"].to_numpy(float)
    reason: Msg | None = None
    if params.method == "recency_rule":
        pass
    elif len(summary) < MIN_CUSTOMERS:
        reason = say(W.REASON_FEW, count=num_text(len(summary)), min=MIN_CUSTOMERS)
    elif not (x > 0).any():
        reason = Msg("no customer bought twice", "没有客户购买过两次")
    if params.method == "recency_rule" or reason is not None:
        if reason is not None:
            warns.append(say(W.FEW_FOR_MODEL, reason=reason))
        return Scored(frame, "recency_rule", rule_text, rule_formula, [], warns, facts)
    args = (summary["frequency"], summary["recency"], summary["T"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            bg = models.BetaGeoFitter().fit(*args)
        except ValueError as exc:
            warns.append(say(W.FEW_FOR_MODEL, reason=Msg(str(exc), str(exc))))
            return Scored(frame, "recency_rule", rule_text, rule_formula, [], warns, facts)
        try:
            mbg: models.ModifiedBetaGeoFitter | None = models.ModifiedBetaGeoFitter().fit(*args)
        except ValueError:
            mbg = None
    warns += [Msg(f"Model note: {w.message}", f"模型提示：{w.message}") for w in caught]
    repeat = x > 0
    p_dead = 1.0 - np.asarray(bg.conditional_probability_alive(*args), dtype=float)
    frame.loc[repeat, "churn_probability"] = p_dead[repeat]
    frame.loc[repeat, "basis"] = "bgnbd"
    if mbg is not None:
        p_dead_mbg = 1.0 - np.asarray(mbg.conditional_probability_alive(*args), dtype=float)
        frame.loc[~repeat, "churn_probability"] = p_dead_mbg[~repeat]
        frame.loc[~repeat, "basis"] = "mbgnbd"
    modelled = frame["churn_probability"].notna().to_numpy()
    frame.loc[modelled, "risk_level"] = levels(frame.loc[modelled, "churn_probability"].to_numpy())
    facts |= {k_: fact(v) for k_, v in bg.params_.items()}
    one_time = W.ONE_TIME_MBG if mbg is not None else W.ONE_TIME_RULE
    definition = say(W.DEFINITION_MODEL, as_of=as_of.isoformat(), one_time=one_time)
    if mbg is None and (~repeat).any():
        definition = sentences([definition, rule_text])
    formula = say(W.FORMULA_MODEL, **{k_: f"{v:.4g}" for k_, v in bg.params_.items()})
    return Scored(frame, "model", definition, formula, [], warns, facts)
