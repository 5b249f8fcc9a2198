"""Small helpers shared by the receivables and credit tools."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from core.text import Msg

ID = "customer_id"

MAX_CHART_CUSTOMERS = 15
MAX_SUMMARY_ITEMS = 5

# ==================================================================================================
# Small helpers
# ==================================================================================================


def median(values: pd.Series) -> float | None:
    v = values.replace([np.inf, -np.inf], np.nan).dropna()
    return float(v.median()) if len(v) else None


def r(value: object, digits: int = 2) -> float | None:
    if value is None:
        return None
    v = float(value)  # type: ignore[arg-type]
    return None if math.isnan(v) or math.isinf(v) else round(v, digits)


def joined_lines(items: list[Msg]) -> Msg:
    return Msg("\n".join(i.en for i in items), "\n".join(i.zh for i in items))
