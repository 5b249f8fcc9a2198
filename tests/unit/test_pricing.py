"""price_sensitivity: known elasticity recovered, hand-computed OLS, what-if, refusals, findings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tools import demo as demo_data
from tools.bundle import Dataset, DatasetBundle
from tools.errors import ToolInputError
from tools.pricing.elasticity import fe_ols, what_if
from tools.pricing.tool import PriceParams, price_sensitivity


def _sales(elasticity: dict[str, float], n_weeks: int = 400, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for seg, eps in elasticity.items():
        for product, base in (("P1", 10.0), ("P2", 50.0), ("P3", 200.0)):
            promo = rng.random(n_weeks) < 0.2
            price = base * np.exp(rng.normal(0, 0.12, n_weeks)) * np.where(promo, 0.8, 1.0)
            logq = np.log(100) + eps * np.log(price / base) + 0.3 * promo + rng.normal(0, 0.05, n_weeks)
            rows.append(
                pd.DataFrame(
                    {
                        "product": product,
                        "segment": seg,
                        "unit_price": price,
                        "quantity": np.exp(logq),
                        "promotion": promo,
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def test_recovers_known_elasticity_and_ci_covers_it():
    true = {"X": -0.7, "Y": -1.6}
    result = price_sensitivity(
        DatasetBundle([Dataset("sales", _sales(true))]), PriceParams(group_by="segment")
    )
    table = result.tables[0].frame.set_index("group")
    for seg, eps in true.items():
        assert abs(table.loc[seg, "elasticity"] - eps) < 0.05
        assert table.loc[seg, "ci_low"] <= eps <= table.loc[seg, "ci_high"]
    names = {f.name for f in result.findings}
    assert {"price_inelastic_segment", "price_elastic_segment"} <= names
    assert result.facts["promotion_lift"] == pytest.approx(np.expm1(0.3), abs=0.03)


def test_demo_data_recovers_true_elasticity_per_segment():
    frames = demo_data.generate(customers=200, seed=7)
    result = price_sensitivity(
        DatasetBundle([Dataset("sales", frames["sales"])]), PriceParams(group_by="segment")
    )
    table = result.tables[0].frame.set_index("group")
    for seg, eps in demo_data.TRUE_ELASTICITY.items():
        assert abs(table.loc[seg, "elasticity"] - eps) < 0.05
        assert table.loc[seg, "ci_low"] <= eps <= table.loc[seg, "ci_high"]


def test_hand_computed_ols_one_cell():
    # y = [1, 2, 4], x = [0, 1, 2]: demeaned x = [-1, 0, 1], y = [-4/3, -1/3, 5/3]
    # b = Σxy / Σx² = (4/3 + 5/3) / 2 = 1.5; residuals = [1/6, -1/3, 1/6]; SSR = 1/6
    # σ² = SSR / (3 - 1 - 1) = 1/6; se = sqrt(σ² / Σx²) = sqrt(1/12); SST = 14/3 -> R² = 1 - (1/6)/(14/3) = 27/28
    fit = fe_ols(np.array([1.0, 2.0, 4.0]), np.array([[0.0], [1.0], [2.0]]), np.zeros(3, dtype=np.int64))
    assert fit.coef_[0] == pytest.approx(1.5)
    assert fit.se_[0] == pytest.approx(np.sqrt(1 / 12))
    assert fit.r_squared_ == pytest.approx(27 / 28)
    assert fit.df_ == 1
    # t(0.975, 1) = 12.7062
    assert fit.ci_high_[0] == pytest.approx(1.5 + 12.7062047 * np.sqrt(1 / 12), rel=1e-6)


def test_fixed_effects_remove_level_differences():
    # two cells with different levels, same slope -2: pooled without FE would be biased
    x = np.array([0.0, 0.1, 0.2, 1.0, 1.1, 1.2])
    y = np.array([5.0, 4.8, 4.6, 0.0, -0.2, -0.4])
    fit = fe_ols(y, x[:, None], np.array([0, 0, 0, 1, 1, 1]))
    assert fit.coef_[0] == pytest.approx(-2.0)


def test_what_if_formulas():
    r = what_if(-1.5, 0.05, margin=0.4)
    assert r["volume_change"] == pytest.approx(1.05**-1.5 - 1)
    assert r["revenue_change"] == pytest.approx(1.05**-0.5 - 1)
    assert r["gross_profit_change"] == pytest.approx((1.05 - 0.6) / 0.4 * 1.05**-1.5 - 1)
    assert what_if(-1.5, 0.05)["gross_profit_change"] is None


def test_segment_filter_and_price_change():
    data = DatasetBundle([Dataset("sales", _sales({"X": -0.7, "Y": -1.6}))])
    result = price_sensitivity(data, PriceParams(segment="y", price_change=-0.1))
    assert result.facts["elasticity"] == pytest.approx(-1.6, abs=0.05)
    assert result.facts["volume_change"] == pytest.approx(0.9 ** result.facts["elasticity"] - 1)
    assert "segment Y" in result.summary.en


def test_refuses_when_price_barely_varies():
    frame = _sales({"X": -1.0})
    frame["unit_price"] = frame.groupby("product")["unit_price"].transform("mean") * (
        1 + 0.001 * np.sin(np.arange(len(frame)))
    )
    with pytest.raises(ToolInputError) as info:
        price_sensitivity(DatasetBundle([Dataset("sales", frame)]), PriceParams())
    assert "barely varies" in info.value.msg.en and "0.02" in info.value.msg.en


def test_unknown_segment_and_missing_data():
    data = DatasetBundle([Dataset("sales", _sales({"X": -1.0}))])
    with pytest.raises(ToolInputError):
        price_sensitivity(data, PriceParams(segment="Z"))
    with pytest.raises(ToolInputError):
        price_sensitivity(DatasetBundle(), PriceParams())


def test_transactions_with_discounts_give_discount_table():
    frames = demo_data.generate(customers=200, seed=7)
    data = DatasetBundle(
        [Dataset("transactions", frames["transactions"]), Dataset("customers", frames["customers"])]
    )
    result = price_sensitivity(data, PriceParams())
    assert result.facts["source"] == "transactions"
    assert [t.name for t in result.tables] == ["price_elasticity", "discount_lift"]
    assert result.facts["gross_profit_change"] is not None
