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
