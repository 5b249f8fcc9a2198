"""marketing_roi: hand-derived CAC, conversion, ROI, payback and LTV:CAC on a tiny fixture."""

from __future__ import annotations

import pandas as pd
import pytest

from tools.bundle import Dataset, DatasetBundle
from tools.clv import historical
from tools.marketing import MarketingParams, marketing_roi


def _bundle() -> DatasetBundle:
    marketing = pd.DataFrame(
        {
            "channel": ["Search", "Search", "Social"],
            "period": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01"]),
            "spend": [600.0, 400.0, 900.0],
            "leads": [20, 30, 10],
            "new_customers": [1, 1, 1],
        }
    )
    customers = pd.DataFrame(
        {
            "customer_id": ["S1", "S2", "O1", "OLD"],
            "acquisition_channel": ["Search", "Search", "Social", "Search"],
            "signup_date": pd.to_datetime(["2024-01-10", "2024-02-05", "2024-01-20", "2020-01-01"]),
        }
    )
    tx = pd.DataFrame(
        {
            "customer_id": ["S1", "S1", "S2", "O1", "S1", "OLD"],
            "date": pd.to_datetime(
                ["2024-01-10", "2024-06-01", "2024-03-01", "2024-02-01", "2025-03-01", "2025-03-01"]
            ),
            "revenue": [1000.0, 1000.0, 500.0, 300.0, 9999.0, 100.0],
            "cost": [600.0, 600.0, 300.0, 200.0, 0.0, 50.0],
        }
    )
    return DatasetBundle(
        [Dataset("marketing", marketing), Dataset("customers", customers), Dataset("transactions", tx)]
    )


def test_golden_numbers_per_channel():
    result = marketing_roi(_bundle(), MarketingParams())
    t = result.tables[0].frame.set_index("channel")
    # Search: spend 1000, leads 50, new 2 -> conversion 0.04, CAC 500
    assert t.loc["Search", "conversion_rate"] == pytest.approx(2 / 50)
    assert t.loc["Search", "cac"] == pytest.approx(500.0)
    # first year of S1 (2024-01-10..2025-01-09): 2000 revenue, 800 GP (the 2025-03-01 order is later); S2: 500 / 200
    # OLD signed up before the marketing period: not acquired by it
    assert t.loc["Search", "acquired_customers"] == 2
    assert t.loc["Search", "first_year_revenue"] == pytest.approx(2500.0)
    assert t.loc["Search", "first_year_gross_profit"] == pytest.approx(1000.0)
    assert t.loc["Search", "roi"] == pytest.approx((1000 - 1000) / 1000)
    # as_of 2025-03-01: S1 and S2 observed 12 months each -> monthly GP per customer 1000 / 24; payback 500 / (1000/24)
    assert t.loc["Search", "payback_months"] == pytest.approx(500 / (1000 / 24))
    # Social: CAC 900, first-year GP 100 -> ROI -8/9
    assert t.loc["Social", "cac"] == pytest.approx(900.0)
    assert t.loc["Social", "roi"] == pytest.approx((100 - 900) / 900)
    assert result.facts["cac"] == pytest.approx(1900 / 3)
    assert result.facts["conversion_rate"] == pytest.approx(3 / 60)
    assert result.facts["roi"] == pytest.approx((1100 - 1900) / 1900)
    assert result.facts["roi_basis"] == "gross_profit"
    names = {f.name for f in result.findings}
    assert "unprofitable_channel" in names


def test_ltv_is_reused_from_value_clv():
    data = _bundle()
    clv = historical.customer_lifetime_value(data, historical.CLVParams(group_by="acquisition_channel", n=100))
    by = clv.tables[0].frame.set_index("acquisition_channel")["average_clv"]
    result = marketing_roi(data, MarketingParams())
    t = result.tables[0].frame.set_index("channel")
    assert t.loc["Search", "ltv"] == pytest.approx(by["Search"])
    assert t.loc["Search", "ltv_cac"] == pytest.approx(by["Search"] / 500.0)
    assert result.facts["ltv"] == pytest.approx(clv.facts["average_clv"])


def test_by_year_and_channel_filter():
    result = marketing_roi(_bundle(), MarketingParams(group_by="year", channel="social"))
    t = result.tables[0].frame
    assert t["year"].tolist() == ["2024"] and t["spend"].iloc[0] == pytest.approx(900.0)


def test_demo_social_is_unprofitable():
    from agent.session import Session

    result = marketing_roi(Session(demo=True).bundle, MarketingParams())
    finding = next(f for f in result.findings if f.name == "unprofitable_channel")
    assert "Social" in finding.detail.en
