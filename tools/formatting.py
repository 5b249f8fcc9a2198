"""Deterministic number formatting for answers (English thousands separators; Chinese 万/亿)."""

from __future__ import annotations

import math

from core.text import Lang


def money(value: float | None, lang: Lang, currency: str = "") -> str:
    """Format an amount: 1234567.8 -> '1,234,568' (en) or '123.5万' (zh); None/NaN -> 'n/a'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a" if lang == "en" else "无"
    sign = "-" if value < 0 else ""
    v = abs(float(value))
    if lang == "zh":
        if v >= 1e8:
            text = f"{v / 1e8:,.2f}亿"
        elif v >= 1e4:
            text = f"{v / 1e4:,.1f}万"
        else:
            text = f"{v:,.0f}" if v >= 100 else f"{v:,.2f}"
    else:
        text = f"{v:,.0f}" if v >= 100 else f"{v:,.2f}"
    return f"{sign}{currency}{text}"


def pct(value: float | None, lang: Lang, digits: int = 1) -> str:
    """Format a fraction as a percentage: 0.254 -> '25.4%'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a" if lang == "en" else "无"
    return f"{value * 100:.{digits}f}%"


def number(value: float | None, lang: Lang, digits: int = 1) -> str:
    """Format a plain number with thousands separators (integers without decimals)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a" if lang == "en" else "无"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


# --------------------------------------------------------------------------------------------------
# What a column or a fact holds, from its canonical name (reports, chat tables): money, a share, a count
# --------------------------------------------------------------------------------------------------
SHARE_TOKENS = frozenset(
    "share rate pct prob probability fraction margin retention survival csat roi lift change conversion".split()
)
NOT_SHARE = frozenset({"margin_amount", "discount_rate_days"})
MONEY_TOKENS = frozenset(
    "revenue cost costs profit amount value clv spend price sales exposure income gain gains benefit budget "
    "cash balance receivable receivables payable loss monetary arpu cac ltv written_off at_risk limit gap "
    "impact stake debt equity assets liabilities ebit spend_per current days_1_30 days_31_60 days_61_90 "
    "days_90_plus".split()
)
COUNT_TOKENS = frozenset(
    "customers orders invoices count rows responses complaints leads days months weeks rank points score "
    "frequency recency tenure observations cells periods segments quantity hours".split()
)
AGEING_BUCKETS = frozenset({"current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus"})


def value_kind(name: str, sample: float | int | None = None) -> str:
    """'share' (a fraction shown as %), 'money', 'count' or 'number' for a numeric column or fact.

    Decided by the canonical snake_case name: a share token (share, rate, margin, probability, ...)
    makes a share unless the value is far outside a fraction's range; money tokens (revenue, profit,
    amount, clv, ...) make money; ratios, scores and elasticities stay plain numbers.
    """
    key = str(name).lower()
    tokens = set(key.split("_"))
    if key in AGEING_BUCKETS or key.endswith(tuple("_" + b for b in AGEING_BUCKETS if b != "current")):
        return "money"
    if key in {"p_alive", "csat", "roi"} or key.startswith(("retention_", "survival_", "period_")) or (
        tokens & SHARE_TOKENS and key not in NOT_SHARE and "days" not in tokens and "ratio" not in tokens
    ):
        if sample is None or abs(float(sample)) <= 10:
            if not (tokens & {"revenue", "profit", "amount", "spend"} and "change" not in tokens and not (
                tokens & {"share", "rate", "margin", "retention"}
            )):
                return "share"
    if "ratio" in tokens or key == "ltv_cac" or "elasticity" in tokens or "z" in tokens or key.startswith(("x", "r_squared")):
        return "number"
    if tokens & MONEY_TOKENS and not (tokens & {"days", "months", "customers", "invoices", "count"}):
        return "money"
    if tokens & COUNT_TOKENS:
        return "count"
    return "number"


def excel_format(kind: str, integer: bool = False) -> str:
    """The Excel number format of a value kind (the cell keeps the full-precision number)."""
    if kind == "share":
        return "0.0%"
    if kind == "money":
        return "#,##0.00"
    if kind == "count" or integer:
        return "#,##0" if integer else "#,##0.0"
    return "#,##0.00"


def display_column(values: list[object], kind: str) -> list[str]:
    """A column's cells as ``display`` shows them, with one number of decimals for the whole column
    (90.00 beside 169.91, not 90), whole numbers without decimals."""
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    fractional = any(isinstance(v, float) and math.isfinite(v) and not float(v).is_integer() for v in numbers)
    if kind in ("count", "number") and fractional:
        digits = 1 if kind == "count" else 2
        return [
            f"{float(v):,.{digits}f}" if v in numbers and math.isfinite(float(v)) else display(v, kind)  # type: ignore[arg-type]
            for v in values
        ]
    return [display(v, kind) for v in values]


def display(value: object, kind: str) -> str:
    """One number as a table cell shows it: money 1,234.57; share 12.3%; count 1,234; else 1,234.57."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(v):
        return ""
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    if kind == "share":
        return f"{v * 100:,.1f}%"
    if kind == "money":
        return f"{v:,.2f}"
    if v.is_integer():
        return f"{int(v):,}"
    return f"{v:,.1f}" if kind == "count" else f"{v:,.2f}"
