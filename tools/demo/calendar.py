"""Dates as integer days since 1970-01-01, the window, list prices and small sampling helpers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tools.demo.assumptions import ANNUAL_PRICE_INCREASE, DATE_DTYPE, PRICE_EVENTS, PRODUCTS

# ----------------------------------------------------------------------------------------------------
# Dates as integer days since 1970-01-01


@dataclass(frozen=True)
class Window:
    """The transaction window as integer days (``end`` inclusive)."""

    start: int
    end: int

    @property
    def days(self) -> int:
        return self.end - self.start + 1


def years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def day(d: date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


def dates(days: np.ndarray) -> np.ndarray:
    """Integer days -> datetime64[us]."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype(DATE_DTYPE)


def month_index(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of integer days."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def month_start(months: np.ndarray) -> np.ndarray:
    return np.asarray(months, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def year(days: np.ndarray) -> np.ndarray:
    return (
        np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
        + 1970
    )


def list_price(product: np.ndarray, days: np.ndarray, w: Window) -> np.ndarray:
    """List price of ``product`` (index) on ``days``: yearly increases plus ``PRICE_EVENTS``."""
    base = np.array([p[1] for p in PRODUCTS])[product]
    years_in = year(days) - year(np.array([w.start]))[0]
    price = base * (1 + ANNUAL_PRICE_INCREASE) ** years_in
    for event_day, prod, change in price_events(w):
        price = np.where((product == prod) & (days >= event_day), price * (1 + change), price)
    return np.round(price, 2)


def price_events(w: Window) -> list[tuple[int, int, float]]:
    """PRICE_EVENTS as (day, product index, change) for events inside the window."""
    names = [p[0] for p in PRODUCTS]
    start_month = month_index(np.array([w.start]))[0]
    out = []
    for months, name, change in PRICE_EVENTS:
        day = int(month_start(np.array([start_month + months]))[0])
        if day <= w.end:
            out.append((day, names.index(name), change))
    return out


def labels(values: tuple[str, ...], codes: np.ndarray) -> pd.Series:
    """String column from a small tuple of labels and integer codes."""
    return pd.Series(pa.array(values, pa.string()).take(pa.array(codes)), dtype="str")


def choice_rows(rng: np.random.Generator, probs: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per-row categorical draw where row i uses ``probs[group[i]]``."""
    cum = np.cumsum(probs, axis=1)
    cum[:, -1] = 1.0
    u = rng.random(len(group))
    out = np.empty(len(group), dtype=np.int64)
    for g in range(probs.shape[0]):
        mask = group == g
        out[mask] = np.searchsorted(cum[g], u[mask], side="right")
    return np.minimum(out, probs.shape[1] - 1)


def cat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.concatenate([x, y])


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Ids such as C00001: prefix + zero-padded number (arrow strings, fast for millions)."""
    digits = pa.array(np.asarray(numbers, dtype=np.int64)).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(digits, width=width, padding="0"), "")
