"""Demo customers: names, segments, regions, industries, signup dates, acquisition channels and churn.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tools.demo.assumptions import (
    ACQUISITION_CHANNELS,
    ACQUISITION_MIX,
    CHANNEL_MIX,
    CHURN_BASE,
    EN_CORE,
    EN_FORM,
    EN_PREFIX,
    INDUSTRIES,
    INDUSTRY_MIX,
    ORDER_RATE,
    PRODUCT_MIX,
    REGIONS,
    SEGMENTS,
    ZH_BRAND,
    ZH_CITY,
    ZH_TRADE,
)
from tools.demo.calendar import (
    Window,
    choice_rows,
    dates,
    ids,
    labels,
    month_index,
    month_start,
    price_events,
)

if TYPE_CHECKING:
    from tools.demo.feedback import Feedback

# ----------------------------------------------------------------------------------------------------
# Customers and churn


class Customers:
    """Customer attributes and latent traits as arrays indexed by customer number - 1."""

    n: int
    segment: np.ndarray  # 0 A, 1 B, 2 C
    region: np.ndarray
    industry: np.ndarray
    tiny: np.ndarray  # tiny frequent buyer (loss-making by design)
    group: np.ndarray  # segment, or 3 for tiny frequent buyers
    signup: np.ndarray  # day
    new: np.ndarray  # signed up inside the window
    acquisition: np.ndarray
    dissatisfaction: np.ndarray  # latent, drives complaints (and a little churn)
    credit: np.ndarray  # latent credit quality, drives payer type and financial health
    payer: np.ndarray  # index into PAYER_TYPES
    price_sensitive: np.ndarray
    size: np.ndarray  # order size factor
    rate: np.ndarray  # orders per year before seasonality
    main_product: np.ndarray
    channel: np.ndarray  # preferred order channel
    discount_offset: np.ndarray
    terms: np.ndarray  # payment terms in days
    public: np.ndarray  # has a market value of equity
    active_start: np.ndarray  # max(signup, window start)
    id_series: pd.Series
    names: list[str]
    chinese: np.ndarray
    churned: np.ndarray
    churn_day: np.ndarray  # first inactive day (window end + 1 when not churned)


def _names(rng: np.random.Generator, n: int) -> tuple[list[str], np.ndarray]:
    """Plausible company names, unique until the name space is used up; ~15% Chinese.

    Returns the names and a boolean array marking the Chinese ones.
    """
    chinese = rng.random(n) < 0.15
    names = np.empty(n, dtype=object)
    styles = (
        (False, (EN_PREFIX, EN_CORE, EN_FORM), " ", ""),
        (True, (ZH_CITY, ZH_BRAND, ZH_TRADE), "", "有限公司"),
    )
    for is_zh, (first, middle, last), sep, tail in styles:
        idx = np.flatnonzero(chinese == is_zh)
        space = len(first) * len(middle) * len(last)
        reps = -(-len(idx) // space)
        combos = [rng.permutation(space) for _ in range(reps)]
        combos = np.concatenate(combos)[: len(idx)] if combos else np.empty(0, dtype=np.int64)
        a, rest = np.divmod(combos, len(middle) * len(last))
        b, f = np.divmod(rest, len(last))
        names[idx] = [
            f"{first[i]}{sep}{middle[j]}{sep}{last[k]}{tail}" + (f" {r + 1}" if r else "")
            for i, j, k, r in zip(
                a.tolist(), b.tolist(), f.tolist(), (np.arange(len(idx)) // space).tolist(), strict=True
            )
        ]
    return names.tolist(), chinese


def draw_customers(rng: np.random.Generator, n: int, w: Window) -> Customers:
    """Observed attributes and latent traits of ``n`` customers (churn is drawn later)."""
    c = Customers()
    c.n = n
    c.segment = rng.choice(3, size=n, p=[0.15, 0.35, 0.50])
    c.region = rng.choice(len(REGIONS), size=n, p=[0.30, 0.30, 0.25, 0.15])
    c.industry = choice_rows(rng, INDUSTRY_MIX, c.segment)
    c.tiny = rng.random(n) < np.array([0.0, 0.06, 0.22])[c.segment]
    c.group = np.where(c.tiny, 3, c.segment)  # segment, or 3 for tiny frequent buyers

    # signup: 40% before the window (up to 6 years), the rest inside it at a growing rate
    pre = rng.random(n) < 0.40
    u = rng.random(n)
    span_in = max(w.days - 14, 1)
    growth = 0.6  # density grows linearly from 1 to 1 + growth over the window
    frac = (np.sqrt(1 + growth * (2 + growth) * u) - 1) / growth  # inverse CDF of the linear density
    c.signup = np.where(
        pre,
        w.start - 1 - np.floor(u * 6 * 365.25).astype(np.int64),
        w.start + np.floor(frac * span_in).astype(np.int64),
    )
    c.new = ~pre
    c.acquisition = choice_rows(rng, ACQUISITION_MIX, c.segment)

    # latent traits
    c.dissatisfaction = rng.standard_normal(n)
    c.credit = rng.standard_normal(n)
    u_pay = (c.credit + 0.5 * rng.standard_normal(n)) / np.sqrt(1.25)
    c.payer = np.select([u_pay < -1.2265, u_pay < -0.8779, u_pay < -0.2533], [2, 3, 1], default=0)
    c.price_sensitive = rng.random(n) < np.array([0.2, 0.6, 0.4])[c.segment]
    c.size = rng.lognormal(0.0, 0.6, n)
    c.rate = ORDER_RATE[c.group] * np.where(
        c.tiny, rng.gamma(2.0, 0.5, n), 0.25 + 0.75 * rng.gamma(0.6, 1 / 0.6, n)
    )
    c.main_product = choice_rows(rng, PRODUCT_MIX, c.group)
    c.channel = choice_rows(rng, CHANNEL_MIX, c.group)
    c.discount_offset = np.where(c.segment == 2, 0.0, rng.uniform(-0.03, 0.05, n))
    c.terms = np.select(
        [c.segment == 0, c.segment == 1],
        [rng.choice([45, 60], size=n, p=[0.4, 0.6]), rng.choice([30, 45], size=n, p=[0.6, 0.4])],
        default=30,
    )
    c.public = rng.random(n) < np.array([0.35, 0.05, 0.0])[c.segment]

    c.active_start = np.maximum(c.signup, w.start)
    c.id_series = pd.Series(ids("C", np.arange(1, n + 1), max(5, len(str(n)))), dtype="str")
    c.names, c.chinese = _names(rng, n)
    return c


def draw_churn(rng: np.random.Generator, c: Customers, fb: Feedback, w: Window) -> None:
    """Draw churn from a monthly piecewise-constant hazard (sets ``churned`` and ``churn_day``).

    Hazard per year = segment base x exp(0.25 dissatisfaction + payer-type terms + 0.3 new customer +
    0.35 noise) x k after a price increase of the main product (k = 2.5 price-sensitive, else 1.2)
    x exp(0.9 min(p, 3)) where p counts the complaints up to the previous month (1 unresolved,
    0.5 resolved). Complaints after the churn date cannot matter: churn is the first passage.
    """
    n = c.n
    first_month = month_index(np.array([w.start]))[0]
    n_m = month_index(np.array([w.end]))[0] - first_month + 1
    bounds = month_start(first_month + np.arange(n_m + 1))
    bounds[0], bounds[-1] = w.start, w.end + 1
    log_h = (
        np.log(CHURN_BASE[c.segment])
        + 0.25 * c.dissatisfaction
        + 0.6 * (c.payer == 2)
        + 0.8 * (c.payer == 3)
        + 0.3 * c.new
        + 0.35 * rng.standard_normal(n)
    )
    h = np.exp(log_h) / 365.25  # per day

    mult = np.ones((n, n_m))
    k = np.where(c.price_sensitive, 2.5, 1.2)
    for day, prod, change in price_events(w):
        if change > 0:
            hit = (c.main_product == prod)[:, None] & (bounds[None, :-1] >= day)
            mult = np.where(hit, mult * k[:, None], mult)
    weight = np.where(fb.complaint, np.where(fb.resolved, 0.5, 1.0), 0.0)
    month = month_index(fb.day) - first_month
    nxt = month + 1 < n_m
    pressure = np.bincount(
        fb.cust[nxt] * n_m + month[nxt] + 1, weights=weight[nxt], minlength=n * n_m
    ).reshape(n, n_m)
    mult *= np.exp(0.9 * np.minimum(np.cumsum(pressure, axis=1), 3.0))

    lo = np.maximum(bounds[None, :-1], c.active_start[:, None])
    exposure = np.clip(bounds[None, 1:] - lo, 0, None)
    rate = h[:, None] * mult
    cum = np.cumsum(rate * exposure, axis=1)
    e = rng.standard_exponential(n)
    j = (cum < e[:, None]).sum(axis=1)
    hit = j < n_m
    rows = np.flatnonzero(hit)
    jj = j[rows]
    before = np.where(jj > 0, cum[rows, np.maximum(jj - 1, 0)], 0.0)
    churn_day = np.full(n, w.end + 1, dtype=np.int64)
    churn_day[rows] = (lo[rows, jj] + np.floor((e[rows] - before) / rate[rows, jj])).astype(np.int64)
    churn_day = np.maximum(churn_day, np.maximum(c.signup + 21, c.active_start + 1))
    c.churned = churn_day <= w.end
    c.churn_day = np.where(c.churned, churn_day, w.end + 1)  # first inactive day


def customer_frame(c: Customers) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": c.id_series,
            "name": pd.Series(c.names, dtype="str"),
            "segment": labels(SEGMENTS, c.segment),
            "region": labels(REGIONS, c.region),
            "industry": labels(INDUSTRIES, c.industry),
            "signup_date": dates(c.signup),
            "acquisition_channel": labels(ACQUISITION_CHANNELS, c.acquisition),
            "payment_terms_days": c.terms.astype(np.int64),
            "churned": c.churned,
            "churn_date": pd.Series(dates(c.churn_day)).where(c.churned),
        }
    )
