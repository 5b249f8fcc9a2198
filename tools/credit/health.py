"""financial_health: debt, current, quick and interest-coverage ratios and the Altman Z-score with its
zone per customer.

Altman Z: Altman, E. I. (1968), "Financial ratios, discriminant analysis and the prediction of corporate
bankruptcy", Journal of Finance 23(4); Z' and Z'': Altman (2000, rev. 2002), "Predicting financial
distress of companies: revisiting the Z-score and ZETA models".

Findings: ``financial_distress``.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pydantic import Field

from core.text import Msg
from prompts import financial_health as W
from prompts import invoices as S
from tools.bundle import DatasetBundle
from tools.credit.common import (
    ID,
    MAX_CHART_CUSTOMERS,
    MAX_SUMMARY_ITEMS,
    joined_lines,
    median,
    r,
)
from tools.credit.invoices import prepare_invoices
from tools.customer_rows import Names, customer_names, match_customers, plain_label, with_names
from tools.errors import ToolInputError
from tools.params import ToolParams
from tools.results import Chart, FactValue, Finding, Method, Table, ToolResult
from tools.spec import ToolSpec
from tools.wording import join, num_text, pct_text, say

#: Altman coefficients (X1..X5) and zone cut-offs (distress below the first, safe above the second).
ALTMAN: dict[str, tuple[tuple[float, float, float, float, float], tuple[float, float]]] = {
    "z": ((1.2, 1.4, 3.3, 0.6, 1.0), (1.81, 2.99)),  # Altman (1968), public manufacturers
    "z_prime": ((0.717, 0.847, 3.107, 0.420, 0.998), (1.23, 2.90)),  # Altman (2000), private firms
    "z_double_prime": ((6.56, 3.26, 6.72, 1.05, 0.0), (1.10, 2.60)),  # Altman (2000), non-manufacturers
}
#: variant "auto": an industry containing one of these words (customers.industry) is a non-manufacturer,
#: for which Altman (2000) recommends Z'' (no asset-turnover term X5, which varies most by industry).
NON_MANUFACTURING_WORDS = (
    "service", "technology", "software", "consult", "retail", "wholesale", "trade", "trading", "finance",
    "financial", "bank", "insurance", "media", "telecom", "hospital", "health", "education", "logistics",
    "transport", "real estate", "服务", "科技", "软件", "咨询", "零售", "批发", "贸易", "商贸", "金融", "银行",
    "保险", "传媒", "电信", "医疗", "教育", "物流", "运输", "地产",
)  # fmt: skip

Variant = Literal["auto", "z", "z_prime", "z_double_prime"]


class HealthParams(ToolParams):
    """Financial ratios and Altman Z per customer."""

    variant: Variant = Field(
        "auto",
        description="Altman model: 'z' (1968, public manufacturers, market value of equity), 'z_prime' "
        "(private firms, book equity), 'z_double_prime' (non-manufacturers, no sales term) or 'auto' "
        "(per customer from the data: non-manufacturing industry or no sales -> Z''; market value -> Z; "
        "else Z').",
    )
    n: int = Field(20, ge=1, le=10_000, description="How many customers to list (weakest Z first).")
    customer: str | None = Field(None, description="Restrict the listing to one customer (id or name).")
    zone: Literal["distress", "grey", "safe"] | None = Field(
        None, description="List only customers in this Altman zone."
    )


# ==================================================================================================
# financial_health
# ==================================================================================================

_RATIO_INPUTS = {
    "debt_ratio": ("total_liabilities", "total_assets"),
    "current_ratio": ("current_assets", "current_liabilities"),
    "quick_ratio": ("current_assets", "inventory", "current_liabilities"),
    "interest_coverage": ("ebit", "interest_expense"),
}


def altman_z(x: tuple[float, float, float, float, float] | np.ndarray, variant: str) -> float | np.ndarray:
    """Altman score Σ coef_k X_k of ``variant`` ('z', 'z_prime', 'z_double_prime').

    X1 = working capital / total assets, X2 = retained earnings / TA, X3 = EBIT / TA,
    X4 = equity (market value for 'z', book value otherwise) / total liabilities, X5 = sales / TA
    (not used by 'z_double_prime').

    >>> round(altman_z((0.2, 0.0, 0.2, 0.1, 2.0), "z"), 4)
    2.96
    """
    coefs = np.array(ALTMAN[variant][0])
    arr = np.array(x, dtype=float)
    if variant == "z_double_prime":
        arr[..., 4] = 0.0  # Z'' has no sales term; a missing X5 must not make it NaN
    out = arr @ coefs
    return float(out) if np.ndim(out) == 0 else out


def altman_zone(score: float | None, variant: str) -> str | None:
    """'distress' below the lower cut-off, 'safe' above the upper one, 'grey' in between (inclusive).

    >>> altman_zone(2.96, "z"), altman_zone(1.80, "z"), altman_zone(3.0, "z")
    ('grey', 'distress', 'safe')
    """
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return None
    low, high = ALTMAN[variant][1]
    return "distress" if score < low else "safe" if score > high else "grey"


def _latest_statements(fin: pd.DataFrame) -> tuple[pd.DataFrame, list[Msg]]:
    warnings: list[Msg] = []
    fin = fin.loc[fin[ID].notna()]
    if "period" in fin.columns and fin[ID].duplicated().any():
        order = fin["period"].astype(str).argsort(kind="stable")
        fin = fin.iloc[order]
        warnings.append(W.LATEST_PERIOD_USED)
    elif fin[ID].duplicated().any():
        warnings.append(W.DUPLICATE_STATEMENTS)
    fin = fin.drop_duplicates(ID, keep="last")
    return fin.set_index(fin[ID].astype(str)), warnings


def _column(fin: pd.DataFrame, name: str) -> pd.Series:
    if name in fin.columns:
        return pd.to_numeric(fin[name], errors="coerce").astype(float)
    return pd.Series(np.nan, index=fin.index, dtype=float)


def _industry(data: DatasetBundle, ids: pd.Index) -> pd.Series:
    customers = data.get("customers")
    if customers is None or "industry" not in customers.columns or ID not in customers.columns:
        return pd.Series(pd.NA, index=ids, dtype="object")
    ind = customers.drop_duplicates(ID).set_index(customers.drop_duplicates(ID)[ID].astype(str))["industry"]
    return ind.reindex(ids).astype("object")


def _non_manufacturing(industry: pd.Series) -> pd.Series:
    text = industry.fillna("").astype(str).str.casefold()
    mask = pd.Series(False, index=industry.index)
    for word in NON_MANUFACTURING_WORDS:
        mask |= text.str.contains(word, regex=False)
    return mask


def health_frame(data: DatasetBundle, variant: str = "auto") -> tuple[pd.DataFrame, list[Msg]]:
    """Per-customer ratios, Altman X1..X5, variant, Z, zone and the inputs missing (latest statements).

    Columns: industry, debt_ratio, current_ratio, quick_ratio, interest_coverage, x1..x5, variant,
    z_score, zone, missing_inputs (canonical column names, '' when complete). A ratio whose inputs
    are missing or whose denominator is not positive is NaN and its inputs are listed.
    """
    fin = data.require("financials", [ID], W.PURPOSE_HEALTH)
    fin, warnings = _latest_statements(fin)
    c = {name: _column(fin, name) for name in (
        "total_assets", "total_liabilities", "current_assets", "current_liabilities", "inventory", "ebit",
        "interest_expense", "retained_earnings", "sales", "equity", "market_value_equity",
    )}  # fmt: skip
    ta = c["total_assets"].where(c["total_assets"] > 0)
    tl_pos = c["total_liabilities"].where(c["total_liabilities"] > 0)
    cl_pos = c["current_liabilities"].where(c["current_liabilities"] > 0)
    out = pd.DataFrame(index=fin.index)
    out.index.name = ID
    out["industry"] = _industry(data, fin.index)
    out["debt_ratio"] = c["total_liabilities"] / ta
    out["current_ratio"] = c["current_assets"] / cl_pos
    out["quick_ratio"] = (c["current_assets"] - c["inventory"]) / cl_pos
    out["interest_coverage"] = c["ebit"] / c["interest_expense"].where(c["interest_expense"] > 0)
    book_equity = c["equity"].fillna(c["total_assets"] - c["total_liabilities"])
    out["x1"] = (c["current_assets"] - c["current_liabilities"]) / ta
    out["x2"] = c["retained_earnings"] / ta
    out["x3"] = c["ebit"] / ta
    out["x5"] = c["sales"] / ta
    if variant == "auto":
        chosen = np.where(
            _non_manufacturing(out["industry"]) | c["sales"].isna(),
            "z_double_prime",
            np.where(c["market_value_equity"].notna(), "z", "z_prime"),
        )
    else:
        chosen = np.full(len(out), variant)
    out["variant"] = pd.Series(chosen, index=out.index, dtype="str")
    out["x4"] = np.where(chosen == "z", c["market_value_equity"], book_equity) / tl_pos
    # missing inputs per customer, named by canonical column
    needs: dict[str, pd.Series] = {
        "total_assets": ta.isna(),
        "current_assets": c["current_assets"].isna(),
        "current_liabilities": c["current_liabilities"].isna(),
        "retained_earnings": c["retained_earnings"].isna(),
        "ebit": c["ebit"].isna(),
        "total_liabilities": tl_pos.isna(),
        "market_value_equity": pd.Series(chosen == "z", index=out.index) & c["market_value_equity"].isna(),
        "equity": pd.Series(chosen != "z", index=out.index) & book_equity.isna(),
        "sales": pd.Series(chosen != "z_double_prime", index=out.index) & c["sales"].isna(),
    }
    missing = pd.Series("", index=out.index, dtype="str")
    for name, flag in needs.items():
        missing = missing.where(~flag, missing + np.where(missing == "", "", ", ") + name)
    out["missing_inputs"] = missing
    xs = out[["x1", "x2", "x3", "x4", "x5"]].to_numpy(dtype=float)
    z = np.full(len(out), np.nan)
    for v in ALTMAN:
        rows = chosen == v
        if rows.any():
            z[rows] = altman_z(xs[rows], v)
    z = np.where(missing.to_numpy() == "", z, np.nan)
    out["z_score"] = z
    out["zone"] = pd.Series(
        [altman_zone(s, v) for s, v in zip(z, chosen, strict=True)], index=out.index, dtype="object"
    )
    ratio_missing = [
        name
        for name, inputs in _RATIO_INPUTS.items()
        if out[name].isna().any() and any(i not in fin.columns for i in inputs)
    ]
    if ratio_missing:
        warnings.append(say(W.RATIOS_MISSING, ratios=", ".join(ratio_missing)))
    return out, warnings


def financial_health(data: DatasetBundle, params: HealthParams) -> ToolResult:
    """Debt, liquidity and coverage ratios plus the Altman Z-score family, per customer.

    Formula (latest statement per customer; a period column picks the latest)::

        debt_ratio        = total_liabilities / total_assets
        current_ratio     = current_assets / current_liabilities
        quick_ratio       = (current_assets - inventory) / current_liabilities
        interest_coverage = ebit / interest_expense
        X1 = (current_assets - current_liabilities) / TA    X2 = retained_earnings / TA
        X3 = ebit / TA    X4 = equity / total_liabilities    X5 = sales / TA
        Z   = 1.2 X1 + 1.4 X2 + 3.3 X3 + 0.6 X4 + 1.0 X5            (X4 with market value of equity)
              zones: < 1.81 distress, 1.81-2.99 grey, > 2.99 safe           [Altman 1968]
        Z'  = 0.717 X1 + 0.847 X2 + 3.107 X3 + 0.420 X4 + 0.998 X5   (X4 with book equity)
              zones: < 1.23 distress, 1.23-2.90 grey, > 2.90 safe           [Altman 2000]
        Z'' = 6.56 X1 + 3.26 X2 + 6.72 X3 + 1.05 X4                  (X4 with book equity)
              zones: < 1.10 distress, 1.10-2.60 grey, > 2.60 safe           [Altman 2000]

    Variant ``auto`` per customer: a non-manufacturing industry (customers.industry, see
    NON_MANUFACTURING_WORDS) or no sales -> Z''; else market value of equity present -> Z; else Z'.
    Book equity = the equity column, else total_assets - total_liabilities. A customer missing an input
    of its variant gets no Z (missing_inputs names the columns) rather than a wrong number; a ratio
    with a missing input or a denominator <= 0 is left empty.

    Worked check: X1..X5 = 0.2, 0, 0.2, 0.1, 2.0 -> Z = 0.24 + 0 + 0.66 + 0.06 + 2.0 = 2.96 (grey).

    Facts: customers, scored_customers, not_scored_customers, distress_customers, grey_customers,
    safe_customers, customers_z, customers_z_prime, customers_z_double_prime, median_z (of the
    customers' own variants; zones differ per variant), median_current_ratio, median_quick_ratio,
    median_debt_ratio, median_interest_coverage, exposure_distress (open receivables of distress-zone
    customers, when invoices are loaded).

    Findings: ``financial_distress``: customers in their variant's distress zone (value = their open
    receivables when invoices are loaded; lowest Z first).
    """
    frame, warnings = health_frame(data, params.variant)
    names = customer_names(data, None)
    exposure = _open_by_customer(data)
    frame["open_amount"] = exposure.reindex(frame.index) if exposure is not None else np.nan
    scored = frame["z_score"].notna()
    zones = frame["zone"].value_counts()
    distress = frame.loc[frame["zone"] == "distress"].sort_values("z_score", kind="stable")
    facts: dict[str, FactValue] = {
        "customers": len(frame),
        "scored_customers": int(scored.sum()),
        "not_scored_customers": int((~scored).sum()),
        "distress_customers": int(zones.get("distress", 0)),
        "grey_customers": int(zones.get("grey", 0)),
        "safe_customers": int(zones.get("safe", 0)),
    }
    for v in ALTMAN:
        facts[f"customers_{v}"] = int(((frame["variant"] == v) & scored).sum())
    facts |= {
        "variant": params.variant,
        "median_z": r(median(frame["z_score"]), 3),
        "median_current_ratio": r(median(frame["current_ratio"]), 3),
        "median_quick_ratio": r(median(frame["quick_ratio"]), 3),
        "median_debt_ratio": r(median(frame["debt_ratio"]), 4),
        "median_interest_coverage": r(median(frame["interest_coverage"]), 3),
    }
    if exposure is not None:
        facts["exposure_distress"] = r(float(distress["open_amount"].fillna(0).sum()))
    findings = []
    if len(distress):
        findings.append(
            Finding(
                "financial_distress",
                say(W.FINDING_DISTRESS, count=len(distress)),
                list(distress.index.astype(str)),
                r(float(distress["open_amount"].fillna(0).sum())) if exposure is not None else None,
                "z_score",
                None,
            )
        )
    listing = frame
    if params.zone:
        listing = listing.loc[listing["zone"] == params.zone]
    matched = match_customers(data, frame.index.to_frame(), names, params.customer) if params.customer else []
    if params.customer:
        listing = listing.loc[listing.index.isin(matched)]
    listing = listing.sort_values("z_score", kind="stable", na_position="last").head(params.n)
    columns = ["industry", "variant", "z_score", "zone", "x1", "x2", "x3", "x4", "x5", "debt_ratio", "current_ratio",
               "quick_ratio", "interest_coverage", "open_amount", "missing_inputs"]  # fmt: skip
    table = with_names(listing[columns], names)
    summary = _health_summary(facts, frame, distress, names, params, matched)
    if facts["not_scored_customers"]:
        warnings.append(
            say(W.NOT_SCORED, count=facts["not_scored_customers"], examples=_missing_examples(frame))
        )
    method = Method(
        W.HEALTH_FORMULA,
        params.model_dump(mode="json"),
        [W.HEALTH_ASSUMPTIONS],
        None,
        len(frame),
    )
    return ToolResult(
        "financial_health",
        summary,
        facts,
        [Table("financial_health", table, W.TABLE_HEALTH)],
        [_z_chart(listing.head(MAX_CHART_CUSTOMERS * 2), names)],
        method,
        findings,
        warnings,
    )


def _missing_examples(frame: pd.DataFrame) -> str:
    rows = frame.loc[frame["z_score"].isna()].head(3)
    return "; ".join(f"{c}: {m}" for c, m in rows["missing_inputs"].items())


def _health_summary(
    facts: dict[str, FactValue],
    frame: pd.DataFrame,
    distress: pd.DataFrame,
    names: Names,
    params: HealthParams,
    matched: list[str],
) -> Msg:
    variants = [
        say(W.VARIANT_COUNT, variant=W.VARIANT_NAMES[v], count=facts[f"customers_{v}"])
        for v in ALTMAN
        if facts[f"customers_{v}"]
    ]
    head = say(
        W.HEALTH_HEAD,
        customers=facts["customers"],
        scored=facts["scored_customers"],
        variants=join(variants) if variants else "-",
        distress=facts["distress_customers"],
        grey=facts["grey_customers"],
        safe=facts["safe_customers"],
    )
    ratios = say(
        W.HEALTH_RATIOS,
        current=num_text(facts["median_current_ratio"], 2),
        quick=num_text(facts["median_quick_ratio"], 2),
        debt=pct_text(facts["median_debt_ratio"]),
        coverage=num_text(facts["median_interest_coverage"], 1),
    )
    lines = [head, ratios]
    if len(distress):
        items = [
            say(
                W.Z_ITEM,
                customer=plain_label(c, names.get(c)),
                z=num_text(row.z_score, 2),
                variant=W.VARIANT_NAMES[row.variant],
            )
            for c, row in distress.head(MAX_SUMMARY_ITEMS).iterrows()
        ]
        lines.append(say(W.DISTRESS_LIST, items=join(items)))
    if params.customer:
        for c in matched[:MAX_SUMMARY_ITEMS]:
            row = frame.loc[c]
            lines.append(
                say(
                    W.HEALTH_CUSTOMER,
                    customer=plain_label(c, names.get(c)),
                    z=num_text(row["z_score"], 2),
                    variant=W.VARIANT_NAMES[row["variant"]],
                    zone=W.ZONE_NAMES.get(row["zone"], W.NOT_SCORED_ZONE),
                    current=num_text(row["current_ratio"], 2),
                    quick=num_text(row["quick_ratio"], 2),
                    debt=pct_text(row["debt_ratio"]),
                    coverage=num_text(row["interest_coverage"], 1),
                    missing=row["missing_inputs"] or "-",
                )
            )
    return joined_lines(lines)


def _z_chart(listing: pd.DataFrame, names: Names) -> Chart:
    colours = {"distress": "#d62728", "grey": "#7f7f7f", "safe": "#2ca02c"}
    rows = listing.loc[listing["z_score"].notna()]
    figure = go.Figure(
        go.Bar(
            x=[plain_label(c, names.get(c)) for c in rows.index],
            y=rows["z_score"].to_numpy(),
            marker_color=[colours.get(z, "#1f77b4") for z in rows["zone"]],
            text=list(rows["variant"]),
        )
    )
    figure.update_layout(showlegend=False, xaxis={"type": "category"})
    return Chart(W.CHART_Z, figure)


def _open_by_customer(data: DatasetBundle) -> pd.Series | None:
    if not data.has("invoices", [ID, "invoice_date", "due_date", "amount"]):
        return None
    try:
        prep = prepare_invoices(data, None, None, S.PURPOSE_AGING)
    except ToolInputError:
        return None
    return prep.frame.groupby(ID)["open_amount"].sum()


SPEC = ToolSpec(
    "financial_health",
    HealthParams,
    financial_health,
    requires=('financials',),
    findings=('financial_distress',),
    words=W,
    order=140,
)
