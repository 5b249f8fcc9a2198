"""Demo feedback: CSAT scores, categories, complaints, texts and response times.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tools.demo.assumptions import COMMENTS, FEEDBACK_CATEGORIES
from tools.demo.calendar import Window, dates, labels
from tools.demo.customers import Customers

# ----------------------------------------------------------------------------------------------------
# Feedback


class Feedback:
    """Feedback events drawn over each customer's potential active period (before churn is known)."""

    cust: np.ndarray
    day: np.ndarray
    complaint: np.ndarray
    resolved: np.ndarray
    score: np.ndarray
    category: np.ndarray
    text: np.ndarray
    hours: np.ndarray


def feedback_events(rng: np.random.Generator, c: Customers, w: Window) -> Feedback:
    """Feedback from each customer's active start to the window end; complaints follow dissatisfaction."""
    span = np.maximum(w.end + 1 - c.active_start, 0)
    rate = np.array([1.2, 0.9, 0.6])[c.segment] * np.exp(0.3 * np.clip(c.dissatisfaction, -2, 2))
    cust = np.repeat(np.arange(c.n), rng.poisson(rate * span / 365.25))
    n = len(cust)
    day = c.active_start[cust] + np.floor(rng.random(n) * span[cust]).astype(np.int64)
    z = c.dissatisfaction[cust]
    complaint = rng.random(n) < 1 / (1 + np.exp(-(-1.5 + 1.3 * z)))

    weights = np.tile(np.array([0.30, 0.25, 0.15, 0.15, 0.15]), (n, 1))
    weights[:, 2] *= np.where(c.payer[cust] >= 2, 3.0, 1.0)
    weights[:, 4] *= np.where(c.price_sensitive[cust], 2.5, 1.0)
    weights[~complaint] = 0.2
    cum = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    category = np.minimum((rng.random(n)[:, None] > cum).sum(axis=1), 4)

    score = np.where(
        complaint,
        rng.choice([1, 2, 3], size=n, p=[0.45, 0.40, 0.15]),
        np.clip(np.round(4.2 - 0.4 * z + rng.normal(0.0, 0.7, n)), 3, 5),
    ).astype(np.int64)
    is_zh = c.chinese[cust] | (rng.random(n) < 0.1)
    texts = np.array(
        [[COMMENTS[cat][kind][lang] for lang in (0, 1) for kind in (0, 1)] for cat in FEEDBACK_CATEGORIES],
        dtype=object,
    )  # [category, 2 * lang + (0 complaint | 1 praise)]
    resolved = ~complaint | (rng.random(n) < 0.72)
    hours = rng.lognormal(np.log(np.where(complaint, 10.0, 20.0)), 0.9, n) * np.where(resolved, 1.0, 2.0)
    fb = Feedback()
    order = np.lexsort((cust, day))
    fb.cust, fb.day = cust[order], day[order]
    fb.complaint, fb.resolved = complaint[order], resolved[order]
    fb.score, fb.category = score[order], category[order]
    fb.text = texts[category, 2 * is_zh.astype(np.int64) + (~complaint).astype(np.int64)][order]
    fb.hours = np.round(hours[order], 1)
    return fb


def feedback_frame(c: Customers, fb: Feedback) -> pd.DataFrame:
    """Feedback rows before each customer's churn date."""
    keep = fb.day < c.churn_day[fb.cust]
    return pd.DataFrame(
        {
            "customer_id": c.id_series.take(fb.cust[keep]).reset_index(drop=True),
            "date": dates(fb.day[keep]),
            "score": fb.score[keep],
            "category": labels(FEEDBACK_CATEGORIES, fb.category[keep]),
            "complaint": fb.complaint[keep],
            "text": pd.Series(fb.text[keep], dtype="str"),
            "resolved": fb.resolved[keep],
            "response_hours": fb.hours[keep],
        }
    )
