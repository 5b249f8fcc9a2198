"""Plotly figures shared by the customer tools (value, clv, churn)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.text import Msg
from tools.results import Chart

#: A bar chart shows at most this many bars (the first ones, in the order given).
MAX_CHART_BARS = 50


def bar_chart(labels: list[str], values: pd.Series, title: Msg) -> Chart:
    """One bar per label (categorical x axis, no legend), the first MAX_CHART_BARS of them."""
    figure = go.Figure(go.Bar(x=labels[:MAX_CHART_BARS], y=values.to_numpy()[:MAX_CHART_BARS]))
    figure.update_layout(showlegend=False, xaxis={"type": "category"})
    return Chart(title, figure)
