"""customer_lifetime_value (tools/clv/tool.py) end to end through the tool, golden values on CDNOW.

Golden numbers: Fader, Hardie & Lee (2005) on the CDNOW 1/10 sample, 39-week calibration ending
1997-09-30 (see tests/data/cdnow/README.md): BG/NBD r 0.243, alpha 4.414, a 0.793, b 2.426, LL -9582.4;
Pareto/NBD r 0.553, alpha 10.578, s 0.606, beta 11.669; Gamma-Gamma p 6.25, q 3.74, gamma 15.44.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tools.bundle import Dataset, DatasetBundle
from tools.clv import BetaGeoFitter, rfm_summary
from tools.clv.tool import CLVParams, customer_lifetime_value, per_unit_rate
from tools.registry import TOOLS

DATA = Path(__file__).resolve().parents[1] / "data" / "cdnow"


@pytest.fixture(scope="module")
def cdnow() -> DatasetBundle:
    tx = pd.read_csv(DATA / "cdnow_sample_transactions.csv", dtype={"customer_id": str}, parse_dates=["date"])
    return DatasetBundle([Dataset("transactions", tx)])


@pytest.fixture(scope="module")
def bgnbd(cdnow):
    return customer_lifetime_value(cdnow, CLVParams(calibration_end="1997-09-30", horizon=39, n=5))


def test_cdnow_bgnbd_and_gamma_gamma_through_the_tool(bgnbd):
    f = bgnbd.facts
    assert f["model"] == "bgnbd" and f["time_unit"] == "W"
    assert (round(f["r"], 3), round(f["alpha"], 3), round(f["a"], 3), round(f["b"], 3)) == (
        0.243,
        4.414,
        0.793,
        2.426,
    )
    assert round(f["log_likelihood"], 1) == -9582.4
    assert (round(f["p"], 2), round(f["q"], 2), round(f["gamma"], 2)) == (6.25, 3.74, 15.44)
    assert f["customers"] == 2357 and f["repeat_buyers"] == 946
    assert f["margin"] == 1.0  # no cost column: CLV is revenue, and a warning says so
    assert any("no cost column" in w.en for w in bgnbd.warnings)
    assert f["total_clv"] > 0 and f["listed"] == 5


def test_cdnow_per_customer_table_and_published_expectation(cdnow):
    result = customer_lifetime_value(
        cdnow, CLVParams(calibration_end="1997-09-30", horizon=39, customer="0001")
    )
    row = result.tables[0].frame.iloc[0]
    assert list(result.tables[0].frame.columns) == [
        "rank",
        "customer_id",
        "frequency",
        "recency",
        "t",
        "expected_purchases",
        "p_alive",
        "expected_avg_spend",
        "clv",
    ]
    # customer 0001: x = 2, t_x = 30.43, T = 38.86 weeks -> 39-week conditional expectation 1.226 (FHL 2005)
    assert row["frequency"] == 2
    assert row["recency"] == pytest.approx(30.43, abs=0.005) and row["t"] == pytest.approx(38.86, abs=0.005)
    assert round(row["expected_purchases"], 3) == 1.226
    # clv = margin x E[Z] x sum of weekly increments discounted at (1.1)^(1/52.18) - 1 per week
    d = per_unit_rate(0.10, "W")
    assert d == pytest.approx(1.1 ** (7 / 365.25) - 1)
    assert row["clv"] < row["expected_purchases"] * row["expected_avg_spend"]
    assert row["clv"] > row["expected_purchases"] * row["expected_avg_spend"] / (1 + d) ** 39
    assert result.facts["customer_rank"] == int(row["rank"])


def test_cdnow_clv_equals_the_formula(cdnow, bgnbd):
    tx = cdnow.get("transactions")
    s = rfm_summary(tx, calibration_end="1997-09-30", time_unit="W")
    bgf = BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    x, tx_, T = (s[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    cum = np.column_stack(
        [np.zeros(len(s))]
        + [bgf.conditional_expected_number_of_purchases_up_to_time(i, x, tx_, T) for i in range(1, 40)]
    )
    disc = (1 + per_unit_rate(0.10, "W")) ** -np.arange(1, 40)
    top = bgnbd.tables[0].frame.iloc[0]
    i = s.index.get_loc(top["customer_id"])
    expected = top["expected_avg_spend"] * (np.diff(cum[i]) @ disc)
    assert top["clv"] == pytest.approx(expected, rel=1e-8)


def test_cdnow_holdout_check_and_chart(bgnbd):
    f = bgnbd.facts
    assert f["holdout_periods"] == 39.0
    assert f["holdout_actual"] == 1882  # repeat purchase days 1997-10-01 .. 1998-06-30 of the 2,357
    assert f["holdout_predicted"] == pytest.approx(1653.4, abs=0.1)
    holdout = next(t.frame for t in bgnbd.tables if t.name == "calibration_holdout")
    assert list(holdout["frequency_cal"]) == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert holdout["customers"].sum() == 2357
    assert any("holdout" in c.title.en for c in bgnbd.charts)


def test_cdnow_pareto_nbd_through_the_tool(cdnow):
    f = customer_lifetime_value(cdnow, CLVParams(model="pareto_nbd", calibration_end="1997-09-30")).facts
    assert (round(f["r"], 3), round(f["alpha"], 3), round(f["s"], 3), round(f["beta"], 3)) == (
        0.553,
        10.578,
        0.606,
        11.669,
    )
    assert "a" not in f and f["model"] == "pareto_nbd"


def test_mbgnbd_and_units(cdnow):
    m = customer_lifetime_value(cdnow, CLVParams(model="mbgnbd", calibration_end="1997-09-30")).facts
    assert m["model"] == "mbgnbd" and m["horizon"] == 52
    d = customer_lifetime_value(cdnow, CLVParams(time_unit="D", calibration_end="1997-09-30")).facts
    w = customer_lifetime_value(cdnow, CLVParams(time_unit="W", calibration_end="1997-09-30")).facts
    assert d["horizon"] == 365 and d["alpha"] == pytest.approx(
        w["alpha"] * 7, rel=0.01
    )  # alpha scales with the unit
    assert d["r"] == pytest.approx(w["r"], rel=0.01)


def test_degenerate_data_falls_back_to_historical():
    # one purchase each: no repeat purchases, so no purchase model can be fitted
    tx = pd.DataFrame(
        {
            "customer_id": [f"C{i}" for i in range(30)],
            "date": pd.date_range("2024-01-01", periods=30, freq="7D"),
            "revenue": np.linspace(10, 300, 30),
        }
    )
    result = customer_lifetime_value(DatasetBundle([Dataset("transactions", tx)]), CLVParams())
    assert result.facts["model"] == "historical"
    assert "historical" in result.warnings[0].en and "bought more than once" in result.warnings[0].en
    # few customers
    few = tx.head(4)
    result = customer_lifetime_value(
        DatasetBundle([Dataset("transactions", few)]), CLVParams(model="pareto_nbd")
    )
    assert result.facts["model"] == "historical" and "only 4 customers" in result.warnings[0].en


def test_demo_data_segments_margin_and_json(demo_bundle):
    result = TOOLS["customer_lifetime_value"].run(demo_bundle, {})
    f = result.facts
    assert f["model"] == "bgnbd" and 0 < f["margin"] < 1  # observed gross margin (costs exist)
    names = [t.name for t in result.tables]
    assert names[:2] == ["customer_lifetime_value", "clv_by_segment"]
    seg = result.tables[1].frame
    assert set(seg["segment"]) == {"A", "B", "C"} and seg["customers"].sum() == f["customers"]
    assert "BG/NBD" in result.summary.en and "BG/NBD" in result.summary.zh
    assert any("BG/NBD assumptions" in a.en for a in result.method.assumptions)
    json.dumps(f, allow_nan=False)
    by_region = TOOLS["customer_lifetime_value"].run(demo_bundle, {"group_by": "region"})
    assert by_region.tables[0].name == "clv_by_region"


def test_historical_model_is_still_available(demo_bundle):
    result = TOOLS["customer_lifetime_value"].run(demo_bundle, {"model": "historical"})
    assert result.facts["model"] == "historical" and "lifetime_years" in result.facts
