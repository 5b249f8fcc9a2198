r"""Candidate actions: per-customer values x playbook economics -> one row per (customer, action).

The values frame (one row per customer; every column but ``customer_id`` optional, missing = NaN):

================== =========================================================================== ========
column             meaning                                                                      unit
================== =========================================================================== ========
customer_id        id exactly as in the data (unique)                                           text
revenue            revenue of the trailing 12 months                                            money
profit             profit of the trailing 12 months (net of cost-to-serve where known)          money
clv                predicted customer lifetime value (customer_lifetime_value)                  money
churn_probability  probability the customer is lost (churn_risk), not rescaled here             0-1
cost_to_serve      service cost of the trailing 12 months                                       money
overdue_amount     open overdue amount at as_of (receivables_aging)                             money
credit_grade       credit grade A-E (credit_risk)                                               text
elasticity         own-price elasticity of the customer's segment (price_sensitivity), <= 0     ratio
segment            segment label the playbooks' ``applies_to.segments`` are matched against     text
findings           set of finding names whose customer list holds the customer                  set
================== =========================================================================== ========

Expected gain of action a for customer c over a horizon of H months (h = H / 12), at effect e in
{low, mid = (low + high) / 2, high}::

    gain(e) = benefit(e) - cost,    cost = fixed + revenue_share * revenue

    retention    benefit = e * p * V        p = churn_probability; V = clv, else the trailing-12-month
                                            profit (value_basis: profit uses the profit always)
    service      benefit = e * h * cost_to_serve
    collections  benefit = e * overdue_amount * loss_rate[credit_grade]
    pricing      benefit = h * (R * ((1 + d) * q - 1) - C * (q - 1)),   d = price_change * e,
                 q = (1 + d) ** elasticity (volume factor), R = revenue,
                 C = max(R - (profit + cost_to_serve), 0) (cost of goods, which moves with volume)

Assumptions: a kept customer keeps its CLV (or, without a CLV, one year of profit: a floor, not
scaled down to the horizon, since a customer kept this quarter also buys after it); the pricing term
is the gross-profit what-if of price_sensitivity, (1 + d)^(1 + ε) revenue and (1 + d)^ε volume; costs
are one-off per targeted customer and hours are not priced (they are limited by capacity instead).
For pricing the gain is not always increasing in e (elastic customers), so gain_low and gain_high are
the smaller and the larger of the gains at the two ends of the range.

A customer gets no candidate for an action it is not targeted by (``not_targeted``) or when an input
of the family is missing (``missing_<column>``); ``Candidates.skipped`` counts both per action.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tools.plan.economics import AppliesTo, Economics, Family

NUMERIC_COLUMNS = (
    "revenue",
    "profit",
    "clv",
    "churn_probability",
    "cost_to_serve",
    "overdue_amount",
    "elasticity",
)
VALUE_COLUMNS = ("customer_id", *NUMERIC_COLUMNS, "credit_grade", "segment", "findings")
#: Expected share of an open overdue amount never collected without action, by credit grade. Team
#: estimate (the scorecard in tools/credit_scorecard.toml defines the grades, not loss rates): rising
#: from 2% for A to 50% for E, E being the grade that is refused credit. Pass all 1.0 to value
#: collections on the whole overdue amount instead.
DEFAULT_LOSS_RATES: dict[str, float] = {"A": 0.02, "B": 0.05, "C": 0.10, "D": 0.25, "E": 0.50}
#: Actions of one group are alternatives for a customer; one action of each group may be combined.
#: Collections acts on money already owed; retention, service and pricing all change the future
#: relationship and interact (a price rise or a service cut raises churn risk), so they exclude each
#: other.
FAMILY_GROUP: dict[Family, str] = {
    "retention": "relationship",
    "service": "relationship",
    "pricing": "relationship",
    "collections": "receivables",
}
CANDIDATE_COLUMNS = (
    "customer_id",
    "action",
    "family",
    "group",
    "owner_role",
    "cost",
    "hours",
    "value_at_stake",
    "gain_low",
    "gain_mid",
    "gain_high",
    "why",
)
_SKIPPED_COLUMNS = ["action", "reason", "customers"]


@dataclass
class Candidates:
    """Candidate actions and what was skipped.

    ``frame`` has CANDIDATE_COLUMNS plus ``hours_<role>`` for every role in ``roles`` (``hours`` is
    their sum); ``skipped`` counts customers without a candidate per action and reason.
    """

    frame: pd.DataFrame
    skipped: pd.DataFrame
    roles: tuple[str, ...]

    @staticmethod
    def hours_column(role: str) -> str:
        return f"hours_{role}"


def build_candidates(
    values: pd.DataFrame,
    economics: Sequence[Economics],
    *,
    horizon_months: float = 3.0,
    families: Collection[Family] | None = None,
    loss_rates: Mapping[str, float] = DEFAULT_LOSS_RATES,
) -> Candidates:
    """Every (customer, action) pair the economics allow, with cost, hours and expected gains.

    Parameters
    ----------
    values
        Per-customer values (module docstring); ``customer_id`` is required and unique.
    economics
        Playbook economics (``parse_economics``); one action per block.
    horizon_months
        Planning horizon H in months; annual service cost and revenue are scaled by H / 12.
    families
        Only actions of these families (all when None).
    loss_rates
        Loss rate per credit grade for collections (DEFAULT_LOSS_RATES).

    Raises
    ------
    ValueError
        No customer_id column, duplicated ids, a non-numeric value column, or a bad horizon.
    """
    if not 0 < horizon_months <= 60:
        raise ValueError(f"horizon_months must be in (0, 60], got {horizon_months}")
    frame = _prepared(values)
    h = horizon_months / 12
    roles = tuple(sorted({r for e in economics for r in e.roles}))
    findings = _finding_masks(frame["findings"])
    parts, skipped = [], []
    for econ in economics:
        if families is not None and econ.family not in families:
            continue
        targeted, trigger = _targeted(frame, econ.applies_to, findings)
        missing = _missing(frame, econ, loss_rates)
        reasons = pd.Series(np.where(targeted, missing, "not_targeted"))
        counts = reasons[reasons != ""].value_counts()
        skipped += [(econ.playbook, str(r), int(n)) for r, n in counts.items()]
        keep = targeted & (missing == "")
        if keep.any():
            parts.append(_rows(frame[keep], trigger[keep], econ, h, loss_rates, roles))
    columns = [*CANDIDATE_COLUMNS, *(Candidates.hours_column(r) for r in roles)]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return Candidates(
        frame=out[columns],
        skipped=pd.DataFrame(skipped, columns=_SKIPPED_COLUMNS),
        roles=roles,
    )


def _prepared(values: pd.DataFrame) -> pd.DataFrame:
    """Copy with every value column present, numbers as float and ids as text."""
    if "customer_id" not in values.columns:
        raise ValueError("values: no customer_id column")
    ids = values["customer_id"].astype(str)
    dup = ids[ids.duplicated()]
    if len(dup):
        raise ValueError(f"values: customer_id must be unique; duplicated: {', '.join(dup.head(5))}")
    out = pd.DataFrame({"customer_id": ids.to_numpy()})
    for col in NUMERIC_COLUMNS:
        if col not in values.columns:
            out[col] = np.nan
            continue
        try:
            out[col] = pd.to_numeric(values[col]).astype(float).to_numpy()
        except (TypeError, ValueError) as exc:
            raise ValueError(f"values: column {col} is not numeric ({exc})") from None
    for col in ("credit_grade", "segment"):
        raw = values[col] if col in values.columns else pd.Series([None] * len(values))
        out[col] = [str(x).strip() if _present(x) else "" for x in raw]
    raw = values["findings"] if "findings" in values.columns else [None] * len(values)
    out["findings"] = [
        frozenset(x) if isinstance(x, Iterable) and not isinstance(x, str) else frozenset() for x in raw
    ]
    return out


def _present(x: object) -> bool:
    return x is not None and not (isinstance(x, float) and np.isnan(x)) and x is not pd.NA


def _finding_masks(findings: pd.Series) -> dict[str, np.ndarray]:
    """Boolean mask over customers per finding name."""
    long = findings.explode().dropna()
    masks: dict[str, np.ndarray] = {}
    for name, rows in long.groupby(long.astype(str)).groups.items():
        mask = np.zeros(len(findings), dtype=bool)
        mask[np.asarray(rows, dtype=int)] = True
        masks[str(name)] = mask
    return masks


def _targeted(
    frame: pd.DataFrame, rule: AppliesTo, findings: Mapping[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Customers meeting every condition of ``rule`` and the trigger named in ``why``."""
    n = len(frame)
    ok = np.ones(n, dtype=bool)
    trigger = np.full(n, "all", dtype=object)
    if rule.findings:
        masks = [findings.get(f, np.zeros(n, dtype=bool)) for f in rule.findings]
        ok &= np.logical_or.reduce(masks)
        trigger = np.select(masks, list(rule.findings), default="").astype(object)
    elif rule.segments:
        trigger[:] = "segment"
    elif rule.thresholds or rule.credit_grades:
        trigger[:] = "threshold"
    if rule.segments:
        wanted = {s.casefold() for s in rule.segments}
        ok &= frame["segment"].str.casefold().isin(wanted).to_numpy()
    if rule.credit_grades:
        ok &= frame["credit_grade"].isin(set(rule.credit_grades)).to_numpy()
    for col, bounds in rule.thresholds.items():
        x = frame[col].to_numpy()
        if bounds.min is not None:
            ok &= x >= bounds.min
        if bounds.max is not None:
            ok &= x <= bounds.max
    return ok, trigger


def _missing(frame: pd.DataFrame, econ: Economics, loss_rates: Mapping[str, float]) -> np.ndarray:
    """Per customer the first missing input of the action's family ("" when complete)."""
    na = {c: frame[c].isna().to_numpy() for c in NUMERIC_COLUMNS}
    checks: list[tuple[str, np.ndarray]] = []
    if econ.family == "pricing":
        checks.append(("missing_revenue", ~(frame["revenue"] > 0).to_numpy()))
    elif econ.cost.revenue_share > 0:
        checks.append(("missing_revenue", na["revenue"]))
    if econ.family == "retention":
        checks.append(("missing_churn_probability", na["churn_probability"]))
        if econ.value_basis == "profit":
            checks.append(("missing_profit", na["profit"]))
        else:
            checks.append(("missing_clv_or_profit", na["clv"] & na["profit"]))
    elif econ.family == "service":
        checks.append(("missing_cost_to_serve", na["cost_to_serve"]))
    elif econ.family == "collections":
        checks.append(("missing_overdue_amount", na["overdue_amount"]))
        checks.append(("missing_credit_grade", ~frame["credit_grade"].isin(set(loss_rates)).to_numpy()))
    else:
        checks.append(("missing_elasticity", ~(frame["elasticity"] <= 0).to_numpy()))
        checks.append(("missing_profit", na["profit"]))
    return np.select([m for _, m in checks], [r for r, _ in checks], default="")


def _rows(
    frame: pd.DataFrame,
    trigger: np.ndarray,
    econ: Economics,
    h: float,
    loss_rates: Mapping[str, float],
    roles: Sequence[str],
) -> pd.DataFrame:
    cost = econ.cost.fixed + econ.cost.revenue_share * frame["revenue"].fillna(0.0).to_numpy()
    stake, term, benefit = _benefit(frame, econ, h, loss_rates)
    lo, mid, hi = (benefit(e) - cost for e in (econ.effect.low, econ.effect.mid, econ.effect.high))
    out = pd.DataFrame(
        {
            "customer_id": frame["customer_id"].to_numpy(),
            "action": econ.playbook,
            "family": econ.family,
            "group": FAMILY_GROUP[econ.family],
            "owner_role": econ.owner_role,
            "cost": cost,
            "hours": float(sum(econ.cost.hours.values())),
            "value_at_stake": stake,
            "gain_low": np.minimum(lo, hi),
            "gain_mid": mid,
            "gain_high": np.maximum(lo, hi),
            "why": [f"{t}|{w}" for t, w in zip(trigger, term, strict=True)],
        }
    )
    for role in roles:
        out[Candidates.hours_column(role)] = float(econ.cost.hours.get(role, 0.0))
    return out


def _benefit(
    frame: pd.DataFrame, econ: Economics, h: float, loss_rates: Mapping[str, float]
) -> tuple[np.ndarray, np.ndarray, Callable[[float], np.ndarray]]:
    """(value at stake, the value term named in ``why``, benefit as a function of the effect e)."""
    if econ.family == "retention":
        use_clv = (econ.value_basis == "clv") & frame["clv"].notna().to_numpy()
        value = np.where(use_clv, frame["clv"].to_numpy(), frame["profit"].to_numpy())
        stake = frame["churn_probability"].to_numpy() * value
        term = np.where(use_clv, "churn_probability*clv", "churn_probability*profit")
        return stake, term, lambda e: e * stake
    if econ.family == "service":
        stake = h * frame["cost_to_serve"].to_numpy()
        return stake, np.full(len(frame), "cost_to_serve"), lambda e: e * stake
    if econ.family == "collections":
        grade = frame["credit_grade"]
        stake = frame["overdue_amount"].to_numpy() * grade.map(dict(loss_rates)).astype(float).to_numpy()
        return stake, ("overdue_amount*loss_rate_" + grade).to_numpy(), lambda e: e * stake
    revenue = frame["revenue"].to_numpy()
    gross = frame["profit"].to_numpy() + frame["cost_to_serve"].fillna(0.0).to_numpy()
    goods = np.maximum(revenue - gross, 0.0)
    eps = frame["elasticity"].to_numpy()
    change = float(econ.effect.price_change or 0.0)

    def pricing(e: float) -> np.ndarray:
        d = change * e
        q = (1 + d) ** eps
        return h * (revenue * ((1 + d) * q - 1) - goods * (q - 1))

    return h * revenue, np.full(len(frame), "revenue*elasticity"), pricing
