"""Value tools on tiny hand-checked fixtures; every golden number's arithmetic is in the docstrings.

Base fixture (TX, same as tests/unit/test_aggregate.py; row 8 is a refund of C4):

    row cust date        order rev   cost  svc  product region
    1   C1   2024-01-10  O1    100    60    5   P1      North
    2   C1   2024-03-05  O2     50    20    5   P2      North
    3   C2   2024-02-01  O3    300   150   10   P1      South
    4   C2   2024-02-01  O3    100    70    0   P2      South
    5   C3   2024-01-20  O4     80    90   20   P1      North
    6   C3   2024-04-15  O5     40    30   15   P2      North
    7   C4   2024-05-01  O6    200   100  110   P1      South
    8   C4   2024-06-30  O7    -50   -30    0   P1      South

Per customer (profit = net profit, since service costs exist):
    C1 Acme Ltd (A):  revenue 150, cost 80,  gross 70,  cost_to_serve 10,  profit 60
    C2 Beta Co (B):   revenue 400, cost 220, gross 180, cost_to_serve 10,  profit 170
    C3 Gamma (A):     revenue 120, cost 120, gross 0,   cost_to_serve 35,  profit -35
    C4 Delta (B):     revenue 150, cost 70,  gross 80,  cost_to_serve 110, profit -30
    totals: revenue 820, cost 490, gross 330, cost_to_serve 165, profit 165
C5 Epsilon (A) is in the customers table only.
"""

from __future__ import annotations

import json
import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from core.text import Msg
from tools import customer_rows
from tools.bundle import Dataset, DatasetBundle, DroppedRows, IngestReport
from tools.clv import historical as H
from tools.errors import ToolInputError
from tools.formatting import money, pct
from tools.results import ToolResult
from tools.value import concentration, overview, profitability, rfm

ROWS = [
    ("C1", "2024-01-10", "O1", 100.0, 60.0, 5.0, "P1", "North"),
    ("C1", "2024-03-05", "O2", 50.0, 20.0, 5.0, "P2", "North"),
    ("C2", "2024-02-01", "O3", 300.0, 150.0, 10.0, "P1", "South"),
    ("C2", "2024-02-01", "O3", 100.0, 70.0, 0.0, "P2", "South"),
    ("C3", "2024-01-20", "O4", 80.0, 90.0, 20.0, "P1", "North"),
    ("C3", "2024-04-15", "O5", 40.0, 30.0, 15.0, "P2", "North"),
    ("C4", "2024-05-01", "O6", 200.0, 100.0, 110.0, "P1", "South"),
    ("C4", "2024-06-30", "O7", -50.0, -30.0, 0.0, "P1", "South"),
]
CUSTOMERS = [
    ("C1", "Acme Ltd", "A"),
    ("C2", "Beta Co", "B"),
    ("C3", "Gamma", "A"),
    ("C4", "Delta", "B"),
    ("C5", "Epsilon", "A"),
]


def tx_frame(rows: list[tuple] = ROWS) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows,
        columns=["customer_id", "date", "order_id", "revenue", "cost", "service_cost", "product", "region"],
    )
    frame = frame.astype({"customer_id": "str", "order_id": "str", "product": "str", "region": "str"})
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def customers_frame() -> pd.DataFrame:
    return pd.DataFrame(CUSTOMERS, columns=["customer_id", "name", "segment"]).astype("str")


def bundle(tx: pd.DataFrame | None = None, customers: pd.DataFrame | None = None) -> DatasetBundle:
    datasets = [Dataset("transactions", tx if tx is not None else tx_frame())]
    if customers is not None:
        datasets.append(Dataset("customers", customers))
    return DatasetBundle(datasets)


def full_bundle() -> DatasetBundle:
    return bundle(tx_frame(), customers_frame())


def both(result: ToolResult) -> str:
    return result.summary.en + "\n" + result.summary.zh


def assert_json_friendly(result: ToolResult) -> None:
    """Facts are python scalars; every table cell converts to a JSON value."""
    for key, value in result.facts.items():
        assert value is None or type(value) in (int, float, str), (key, type(value))
    json.dumps(result.facts, allow_nan=False)
    for table in result.tables:
        assert all(isinstance(c, str) and c == c.lower() and " " not in c for c in table.frame.columns)
        for row in table.frame.itertuples(index=False):
            json.dumps([_cell(v) for v in row], allow_nan=False)
    for finding in result.findings:
        assert all(type(c) is str for c in finding.customers)
        assert finding.value is None or type(finding.value) is float
    json.dumps(result.method.parameters)


def _cell(value: object) -> object:
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT or value is None:
        return None
    assert isinstance(value, (int, float, str, bool)), type(value)
    return value


def finding(result: ToolResult, name: str):
    matches = [f for f in result.findings if f.name == name]
    assert len(matches) == 1, [f.name for f in result.findings]
    return matches[0]


# --- customer_profitability ------------------------------------------------------------------------


def test_profitability_top_customers_golden() -> None:
    """Top 2 by profit: C2 170, C1 60; together 230 / 165 = 139.4% of total profit (the rest lose money).
    loss-making: C3 -35, C4 -30 -> 2 customers, 65 destroyed."""
    result = profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams(n=2))
    table = result.tables[0].frame
    assert list(table.columns[:3]) == ["rank", "customer_id", "name"]
    assert table["customer_id"].tolist() == ["C2", "C1"]
    assert table["rank"].tolist() == [1, 2]
    assert table["revenue"].tolist() == [400.0, 150.0]
    assert table["cost"].tolist() == [220.0, 80.0]
    assert table["gross_profit"].tolist() == [180.0, 70.0]
    assert table["cost_to_serve"].tolist() == [10.0, 10.0]
    assert table["profit"].tolist() == [170.0, 60.0]
    assert table["margin"].tolist() == pytest.approx([170 / 400, 60 / 150])
    assert table["share_of_profit"].tolist() == pytest.approx([170 / 165, 60 / 165])
    assert table["orders"].tolist() == [1, 2]
    f = result.facts
    assert (f["total_revenue"], f["total_cost"], f["total_gross_profit"]) == (820.0, 490.0, 330.0)
    assert (f["total_cost_to_serve"], f["total_profit"], f["customers"]) == (165.0, 165.0, 4)
    assert f["margin"] == pytest.approx(165 / 820)
    assert (f["loss_making_customers"], f["loss_making_profit"]) == (2, 65.0)
    assert f["listed_profit_share"] == pytest.approx(230 / 165)
    assert f["listed_revenue_share"] == pytest.approx(550 / 820)
    assert f["metric"] == "profit" and f["listed"] == 2
    assert result.method.as_of == date(2024, 6, 30) and result.method.rows_used == 8
    assert_json_friendly(result)


def test_profitability_summary_states_key_numbers_in_both_languages() -> None:
    """en: 'Beta Co (C2): 170', 'Acme Ltd (C1): 60.00', share 139.4%; zh uses the same figures (below 1万)."""
    result = profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams(n=2))
    en, zh = result.summary.en, result.summary.zh
    assert en.startswith("Your 2 most profitable customers are Beta Co (C2): 170; Acme Ltd (C1): 60.00.")
    assert zh.startswith("利润最高的2个客户是Beta Co (C2)：170；Acme Ltd (C1)：60.00，合计占总利润的139.4%。")
    for lang, text in (("en", en), ("zh", zh)):
        assert money(820, lang) in text and money(165, lang) in text and pct(165 / 820, lang) in text


def test_profitability_summary_uses_wan_for_large_amounts() -> None:
    """Scaling every amount by 1,000: C2's profit 170,000 is '17.0万' in Chinese, '170,000' in English."""
    tx = tx_frame()
    tx[["revenue", "cost", "service_cost"]] *= 1000
    result = profitability.customer_profitability(bundle(tx), profitability.ProfitabilityParams(n=1))
    assert "C2: 170,000" in result.summary.en
    assert "C2：17.0万" in result.summary.zh and "82.0万" in result.summary.zh


def test_profitability_findings_golden() -> None:
    """loss_making_customers: C3 (-35) then C4 (-30), value 65.
    high_cost_to_serve (30% of gross profit): C1 10 <= 21, C2 10 <= 54, C3 35 > 0 (gross 0), C4 110 > 24
    -> C4 (110) then C3 (35), value 145."""
    result = profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams())
    loss = finding(result, "loss_making_customers")
    assert (loss.customers, loss.value, loss.metric, loss.threshold) == (["C3", "C4"], 65.0, "profit", 0.0)
    cts = finding(result, "high_cost_to_serve")
    assert (cts.customers, cts.value, cts.threshold) == (["C4", "C3"], 145.0, profitability.HIGH_COST_TO_SERVE_SHARE)
    assert "2" in cts.detail.en and "30.0%" in cts.detail.zh


def test_profitability_bottom_n() -> None:
    """Bottom 2 by profit, lowest first: C3 (-35, rank 4), C4 (-30, rank 3)."""
    result = profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams(n=2, order="bottom"))
    table = result.tables[0].frame
    assert table["customer_id"].tolist() == ["C3", "C4"]
    assert table["rank"].tolist() == [4, 3]
    assert table["profit"].tolist() == [-35.0, -30.0]
    assert result.summary.en.startswith(
        "Your 2 least profitable customers are Gamma (C3): -35.00; Delta (C4)"
    )


def test_profitability_other_metric_and_margin_order() -> None:
    """By margin: C2 0.425, C1 0.4, C4 -0.2, C3 -0.2917; bottom 1 = C3."""
    result = profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams(metric="margin"))
    assert result.tables[0].frame["customer_id"].tolist() == ["C2", "C1", "C4", "C3"]
    assert "Top 4 customers by margin: Beta Co (C2): 42.5%" in result.summary.en
    bottom = profitability.customer_profitability(
        full_bundle(), profitability.ProfitabilityParams(metric="margin", order="bottom", n=1)
    )
    assert bottom.tables[0].frame["customer_id"].tolist() == ["C3"]
    assert "利润率最低的1个客户：Gamma (C3)：-29.2%" in bottom.summary.zh


def test_profitability_group_by_segment_via_customers_join() -> None:
    """Segment from the customers table: A = C1 + C3 -> revenue 270, cost 200, profit 60 - 35 = 25;
    B = C2 + C4 -> revenue 550, cost 290, profit 170 - 30 = 140. Shares 140/165, 25/165."""
    result = profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams(group_by="segment"))
    table = result.tables[0].frame
    assert result.tables[0].name == "profitability_by_segment"
    assert table["segment"].tolist() == ["B", "A"]
    assert table["revenue"].tolist() == [550.0, 270.0]
    assert table["cost"].tolist() == [290.0, 200.0]
    assert table["profit"].tolist() == [140.0, 25.0]
    assert table["customers"].tolist() == [2, 2]
    assert table["share_of_profit"].tolist() == pytest.approx([140 / 165, 25 / 165])
    assert result.facts["groups"] == 2
    assert "profit by segment, highest first: B: 140; A: 25.00." in result.summary.en
    assert "按客户细分的利润（从高到低）：B：140；A：25.00。" in result.summary.zh
    assert_json_friendly(result)


def test_profitability_group_by_transaction_column() -> None:
    """product P1: rows 1,3,5,7,8 -> profit (100-60-5)+(300-150-10)+(80-90-20)+(200-100-110)+(-50+30) = 115;
    P2: rows 2,4,6 -> (50-20-5)+(100-70)+(40-30-15) = 50."""
    result = profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams(group_by="product"))
    table = result.tables[0].frame
    assert table["product"].tolist() == ["P1", "P2"]
    assert table["profit"].tolist() == [115.0, 50.0]
    assert table["customers"].tolist() == [4, 3]


def test_profitability_group_by_region_prefers_transactions_then_customers() -> None:
    """region exists in the transactions: North = C1 + C3 rows, profit 60 - 35 = 25; South 140."""
    result = profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams(group_by="region"))
    assert result.tables[0].frame.set_index("region")["profit"].to_dict() == {"South": 140.0, "North": 25.0}


def test_profitability_group_by_month_lists_periods_in_time_order() -> None:
    """Monthly profit: Jan (100-60-5)+(80-90-20) = 5; Feb 170; Mar 25; Apr -5; May -10; Jun -20."""
    result = profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams(group_by="month", n=2))
    table = result.tables[0].frame
    assert table["month"].tolist() == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
    assert table["profit"].tolist() == [5.0, 170.0, 25.0, -5.0, -10.0, -20.0]
    assert "highest 2024-02: 170, lowest 2024-06: -20.00" in result.summary.en


def test_profitability_missing_dimension_names_it_and_what_is_loaded() -> None:
    with pytest.raises(ToolInputError) as info:
        profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams(group_by="industry"))
    message = info.value.msg
    assert "industry" in message.en and "segment" in message.en and "product" in message.en
    assert "industry" in message.zh
    with pytest.raises(ToolInputError) as info:
        profitability.customer_profitability(bundle(), profitability.ProfitabilityParams(group_by="segment"))
    assert "not loaded" in info.value.msg.en and "未载入" in info.value.msg.zh


def test_profitability_period_filter() -> None:
    """2024-02-01..2024-04-30 keeps rows 2,3,4,6: C1 50-20-5 = 25, C2 170, C3 40-30-15 = -5; total 190, revenue 50 + 400 + 40 = 490."""
    params = profitability.ProfitabilityParams(start=date(2024, 2, 1), end=date(2024, 4, 30))
    result = profitability.customer_profitability(full_bundle(), params)
    table = result.tables[0].frame
    assert table["customer_id"].tolist() == ["C2", "C1", "C3"]
    assert table["profit"].tolist() == [170.0, 25.0, -5.0]
    assert (result.facts["total_profit"], result.facts["total_revenue"], result.facts["customers"]) == (
        190.0,
        490.0,
        3,
    )
    assert result.method.rows_used == 4 and result.method.as_of == date(2024, 4, 15)
    assert result.method.parameters["start"] == "2024-02-01"
    assert any("2024-02-01 to 2024-04-15" in a.en for a in result.method.assumptions)


def test_empty_period_is_a_clear_error() -> None:
    params = profitability.ProfitabilityParams(start=date(2025, 1, 1), end=date(2025, 3, 31))
    with pytest.raises(ToolInputError) as info:
        profitability.customer_profitability(full_bundle(), params)
    assert info.value.msg.en == (
        "No transactions between 2025-01-01 and 2025-03-31; the data covers 2024-01-10 to 2024-06-30."
    )
    assert "2025-01-01 至 2025-03-31 之间没有交易" in info.value.msg.zh
    for tool, params_cls in (
        (concentration.profit_concentration, concentration.ConcentrationParams),
        (rfm.rfm_segments, rfm.RFMParams),
        (H.customer_lifetime_value, H.CLVParams),
    ):
        with pytest.raises(ToolInputError, match="No transactions between"):
            tool(full_bundle(), params_cls(start=date(2025, 1, 1)))


def test_profitability_without_cost_falls_back_to_revenue() -> None:
    """No cost column: ranked by revenue, C2 400, then the tie C1 150 / C4 150 in order of appearance, C3 120;
    total_profit and loss_making_customers are null; a warning says profit cannot be computed."""
    tx = tx_frame().drop(columns=["cost", "service_cost"])
    result = profitability.customer_profitability(bundle(tx, customers_frame()), profitability.ProfitabilityParams())
    table = result.tables[0].frame
    assert table["customer_id"].tolist() == ["C2", "C1", "C4", "C3"]
    assert "profit" not in table.columns and "cost" not in table.columns
    assert table["share_of_revenue"].tolist() == pytest.approx([400 / 820, 150 / 820, 150 / 820, 120 / 820])
    assert result.facts["metric"] == "revenue"
    assert result.facts["total_profit"] is None and result.facts["loss_making_customers"] is None
    assert result.facts["total_revenue"] == 820.0
    assert any("profit cannot be computed" in w.en and "无法计算利润" in w.zh for w in result.warnings)
    assert result.findings == []
    assert "Top 4 customers by revenue: Beta Co (C2): 400" in result.summary.en
    assert_json_friendly(result)


def test_profitability_net_metric_without_service_cost_uses_gross_profit() -> None:
    """Without service_cost, profit = gross profit: C2 180, C4 80, C1 70, C3 0."""
    tx = tx_frame().drop(columns="service_cost")
    result = profitability.customer_profitability(bundle(tx), profitability.ProfitabilityParams(metric="net_profit"))
    assert result.facts["metric"] == "gross_profit"
    assert result.tables[0].frame["customer_id"].tolist() == ["C2", "C4", "C1", "C3"]
    assert any("service_cost" in w.en for w in result.warnings)
    assert "high_cost_to_serve" not in [f.name for f in result.findings]


def test_tax_included_is_stated() -> None:
    tx = tx_frame()
    tx["tax_included"] = True
    result = profitability.customer_profitability(bundle(tx), profitability.ProfitabilityParams())
    assert any("include tax" in a.en and "含税" in a.zh for a in result.method.assumptions)


def test_profitability_missing_cost_rows_are_reported() -> None:
    tx = tx_frame()
    tx.loc[0, "cost"] = np.nan
    result = profitability.customer_profitability(bundle(tx), profitability.ProfitabilityParams())
    assert any("1 of 8 transaction rows have no cost" in w.en for w in result.warnings)


def test_profitability_currency_split_never_sums_across_currencies() -> None:
    """C1, C2, C4 in USD (6 rows), C3 in EUR (2 rows).
    USD: revenue 150+400+150 = 700, profit 60+170-30 = 200, loss-maker C4 (30).
    EUR: revenue 120, profit -35 (shares undefined), loss-maker C3 (35)."""
    tx = tx_frame()
    tx["currency"] = np.where(tx["customer_id"] == "C3", "EUR", "USD")
    result = profitability.customer_profitability(bundle(tx, customers_frame()), profitability.ProfitabilityParams())
    f = result.facts
    assert f["currencies"] == "USD, EUR"
    assert f["total_revenue"] is None and f["total_profit"] is None
    assert (f["total_revenue_usd"], f["total_profit_usd"], f["customers_usd"]) == (700.0, 200.0, 3)
    assert (f["total_revenue_eur"], f["total_profit_eur"], f["customers_eur"]) == (120.0, -35.0, 1)
    table = result.tables[0].frame
    assert list(table.columns[:3]) == ["rank", "currency", "customer_id"]
    assert list(zip(table["currency"], table["customer_id"], table["rank"], strict=True)) == [
        ("USD", "C2", 1),
        ("USD", "C1", 2),
        ("USD", "C4", 3),
        ("EUR", "C3", 1),
    ]
    assert table.loc[table["currency"] == "USD", "share_of_profit"].tolist() == pytest.approx(
        [0.85, 0.3, -0.15]
    )
    assert table.loc[table["currency"] == "EUR", "share_of_profit"].isna().all()
    losses = [x for x in result.findings if x.name == "loss_making_customers"]
    assert [(x.customers, x.value) for x in losses] == [(["C4"], 30.0), (["C3"], 35.0)]
    assert losses[0].detail.en.startswith("In USD: ") and losses[1].detail.zh.startswith("EUR部分：")
    assert any("2 currencies" in w.en for w in result.warnings)
    assert result.summary.en.startswith("In USD: ") and "\n\nIn EUR: " in result.summary.en
    assert len(result.charts) == 2
    assert_json_friendly(result)


def test_profitability_one_currency_on_request() -> None:
    tx = tx_frame()
    tx["currency"] = np.where(tx["customer_id"] == "C3", "EUR", "USD")
    result = profitability.customer_profitability(bundle(tx), profitability.ProfitabilityParams(currency="eur"))
    assert result.facts["currency"] == "EUR" and result.facts["total_profit"] == -35.0
    with pytest.raises(ToolInputError, match="USD, EUR"):
        profitability.customer_profitability(bundle(tx), profitability.ProfitabilityParams(currency="GBP"))
    with pytest.raises(ToolInputError, match="currency"):
        profitability.customer_profitability(bundle(), profitability.ProfitabilityParams(currency="USD"))


def test_profitability_customer_filter_by_id_and_name() -> None:
    """C1 (Acme Ltd): revenue 150, profit 60, margin 40.0%, share 60/165 = 36.4%, rank 2 of 4."""
    for query in ("C1", "c1", "acme ltd", "ACME", " Acme Ltd "):
        result = profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams(customer=query))
        table = result.tables[0].frame
        assert table["customer_id"].tolist() == ["C1"], query
        assert (result.facts["customer_profit"], result.facts["customer_rank"]) == (60.0, 2)
        assert result.facts["customer_share_of_profit"] == pytest.approx(60 / 165)
    assert result.summary.en.startswith(
        "Acme Ltd (C1): revenue 150, profit 60.00 (margin 40.0%), 36.4% of total profit; rank 2 of 4"
    )
    assert result.summary.zh.startswith(
        "Acme Ltd (C1)：收入150，利润60.00（利润率40.0%），占总利润的36.4%；利润排名第2"
    )
    # totals stay company-wide
    assert result.facts["total_profit"] == 165.0


def test_profitability_customer_filter_with_group_by() -> None:
    """C2 by product: P1 300-150-10 = 140, P2 100-70-0 = 30."""
    params = profitability.ProfitabilityParams(customer="Beta Co", group_by="product")
    result = profitability.customer_profitability(full_bundle(), params)
    assert result.tables[0].frame.set_index("product")["profit"].to_dict() == {"P1": 140.0, "P2": 30.0}


def test_unknown_customer_lists_close_matches() -> None:
    with pytest.raises(ToolInputError) as info:
        profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams(customer="Zeta"))
    assert "No customer matches 'Zeta'. Closest: " in info.value.msg.en and "Delta" in info.value.msg.en
    assert "没有与“Zeta”匹配的客户" in info.value.msg.zh
    with pytest.raises(ToolInputError, match="searched customer ids and names"):
        profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams(customer="xyz123"))


def test_ids_never_match_partially() -> None:
    """'C' is part of every id but names no customer: without names it is an error, not a guess."""
    with pytest.raises(ToolInputError, match="No customer matches 'C'"):
        profitability.customer_profitability(bundle(), profitability.ProfitabilityParams(customer="C"))
    result = profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams(customer="co"))
    assert result.tables[0].frame["customer_id"].tolist() == ["C2"]  # partial name: Beta Co


def test_customer_without_transactions_in_period() -> None:
    """C5 Epsilon is only in the customers table; C1 has no rows after 2024-04-01."""
    with pytest.raises(ToolInputError, match=r"Epsilon \(C5\) has no transactions"):
        profitability.customer_profitability(full_bundle(), profitability.ProfitabilityParams(customer="Epsilon"))
    params = profitability.ProfitabilityParams(customer="C1", start=date(2024, 4, 1))
    with pytest.raises(
        ToolInputError, match=r"Acme Ltd \(C1\) has no transactions between 2024-04-15 and 2024-06-30"
    ):
        profitability.customer_profitability(full_bundle(), params)


def test_ambiguous_partial_name() -> None:
    customers = pd.DataFrame(
        {"customer_id": [f"X{i}" for i in range(30)], "name": [f"Shop {i}" for i in range(30)]}
    )
    rows = [(f"X{i}", "2024-01-01", f"O{i}", 10.0, 5.0, 0.0, "P1", "North") for i in range(30)]
    with pytest.raises(ToolInputError, match="matches 30 customers"):
        profitability.customer_profitability(bundle(tx_frame(rows), customers), profitability.ProfitabilityParams(customer="shop"))


def test_missing_table_and_columns_raise_tool_input_error() -> None:
    tools = [
        (profitability.customer_profitability, profitability.ProfitabilityParams()),
        (concentration.profit_concentration, concentration.ConcentrationParams()),
        (rfm.rfm_segments, rfm.RFMParams()),
        (H.customer_lifetime_value, H.CLVParams()),
    ]
    for tool, params in tools:
        with pytest.raises(ToolInputError) as info:
            tool(DatasetBundle(), params)
        assert "transactions" in info.value.msg.en and "customer_id, date, revenue" in info.value.msg.en
        assert info.value.msg.zh
        with pytest.raises(ToolInputError) as info:
            tool(bundle(tx_frame().drop(columns="revenue")), params)
        assert "no column revenue" in info.value.msg.en and "revenue" in info.value.msg.zh


# --- profit_concentration --------------------------------------------------------------------------

# Ten customers K01..K10, one row each, cost 100: profit = revenue - 100.
WHALE_PROFITS = [50.0, 20.0, 10.0, 8.0, 5.0, 4.0, 3.0, 0.0, -5.0, -15.0]


def whale_bundle() -> DatasetBundle:
    rows = [
        (f"K{i + 1:02d}", "2024-03-01", f"O{i}", 100.0 + p, 100.0, 0.0, "P1", "North")
        for i, p in enumerate(WHALE_PROFITS)
    ]
    return bundle(tx_frame(rows).drop(columns="service_cost"))


def test_whale_curve_shares_abc_and_findings() -> None:
    """Total profit = 100 - 20 = 80. Top 20% = ceil(0.2 x 10) = 2 customers: (50 + 20) / 80 = 0.875.
    Cumulative profit: 50, 70, 80, 88, 93, 97, 100, 100, 95, 80 -> shares / 80; peak 100 / 80 = 1.25 first
    reached at customer 7 (70% of customers). Loss-makers K09 (-5), K10 (-15): 2, destroying 20.
    ABC on positive profit (total 100), share held by the customers before each: K01 0 A, K02 .50 A,
    K03 .70 A, K04 .80 B, K05 .88 B, K06 .93 B, K07 .97 C, K08-K10 profit <= 0 C -> A 3, B 3, C 4."""
    result = concentration.profit_concentration(whale_bundle(), concentration.ConcentrationParams())
    f = result.facts
    assert f["top_20pct_customers"] == 2 and f["top_20pct_profit_share"] == pytest.approx(0.875)
    assert f["total_profit"] == pytest.approx(80.0) and f["customers"] == 10
    assert (f["loss_making_customers"], f["loss_making_profit"]) == (2, 20.0)
    assert f["peak_cumulative_profit_share"] == pytest.approx(1.25) and f["peak_customer_share"] == 0.7
    assert (f["a_customers"], f["b_customers"], f["c_customers"]) == (3, 3, 4)
    curve = result.tables[0].frame
    assert curve["customer_id"].tolist() == [f"K{i:02d}" for i in range(1, 11)]
    assert curve["cumulative_profit"].tolist() == pytest.approx([50, 70, 80, 88, 93, 97, 100, 100, 95, 80])
    assert curve["cumulative_profit_share"].iloc[-1] == pytest.approx(1.0)
    assert curve["cumulative_customer_share"].tolist() == pytest.approx([i / 10 for i in range(1, 11)])
    assert curve["abc_class"].tolist() == list("AAABBBCCCC")
    abc = result.tables[1].frame.set_index("abc_class")
    assert abc["customers"].to_dict() == {"A": 3, "B": 3, "C": 4}
    assert abc["profit"].tolist() == pytest.approx([80.0, 17.0, -17.0])
    assert abc["profit_share"].tolist() == pytest.approx([1.0, 17 / 80, -17 / 80])
    high = finding(result, "high_profit_concentration")
    assert (high.customers, high.value, high.threshold) == (["K01", "K02"], 70.0, 0.8)
    loss = finding(result, "loss_making_customers")
    assert (loss.customers, loss.value) == (["K10", "K09"], 20.0)
    assert result.summary.en.startswith(
        "The top 20% of customers (2 of 10) make 87.5% of total profit (80.00). 2 customers are loss-making "
        "and destroy 20.00; cumulative profit peaks at 125.0% of the total after the top 70.0% of customers."
    )
    assert "前20%的客户（10个中的2个）贡献了总利润（80.00）的87.5%" in result.summary.zh
    assert "ABC classes: A 3 customers (100.0% of profit), B 3 (21.2%), C 4 (-21.2%)." in result.summary.en
    figure = result.charts[0].figure
    assert list(figure.data[0].x)[:2] == [0.0, 0.1] and figure.data[0].y[7] == pytest.approx(1.25)
    assert_json_friendly(result)


def test_whale_curve_on_base_fixture() -> None:
    """Profit order C2 170, C1 60, C4 -30, C3 -35 (total 165): top ceil(0.8) = 1 customer -> 170/165;
    peak (170 + 60) / 165 = 1.394 after 2 of 4 customers; A = C2 (before 0), C1 (before 170/230 = .74)."""
    result = concentration.profit_concentration(full_bundle(), concentration.ConcentrationParams())
    f = result.facts
    assert f["top_20pct_profit_share"] == pytest.approx(170 / 165)
    assert f["peak_cumulative_profit_share"] == pytest.approx(230 / 165) and f["peak_customer_share"] == 0.5
    assert (f["a_customers"], f["b_customers"], f["c_customers"]) == (2, 0, 2)
    assert result.tables[0].frame["name"].tolist() == ["Beta Co", "Acme Ltd", "Delta", "Gamma"]


def test_names_for_long_listings_use_one_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """Listings longer than MAX_NAME_LOOKUP take names from one index of every name: same result."""
    monkeypatch.setattr(customer_rows, "MAX_NAME_LOOKUP", 1)
    result = concentration.profit_concentration(full_bundle(), concentration.ConcentrationParams())
    assert result.tables[0].frame["name"].tolist() == ["Beta Co", "Acme Ltd", "Delta", "Gamma"]


def test_concentration_without_cost_is_revenue_concentration() -> None:
    """Revenue order C2 400, C1 150, C4 150, C3 120 (total 820): top 1 -> 400 / 820."""
    tx = tx_frame().drop(columns=["cost", "service_cost"])
    result = concentration.profit_concentration(bundle(tx), concentration.ConcentrationParams())
    assert result.facts["metric"] == "revenue"
    assert result.facts["top_20pct_revenue_share"] == pytest.approx(400 / 820)
    assert result.facts["top_20pct_profit_share"] is None and result.facts["loss_making_profit"] is None
    assert "cumulative_revenue_share" in result.tables[0].frame.columns
    assert result.summary.en.startswith("Profit cannot be computed without cost")
    assert not result.findings
    assert_json_friendly(result)


def test_concentration_with_several_currencies_uses_the_most_common() -> None:
    tx = tx_frame()
    tx["currency"] = np.where(tx["customer_id"] == "C3", "EUR", "USD")
    result = concentration.profit_concentration(bundle(tx), concentration.ConcentrationParams())
    assert result.facts["customers"] == 3 and result.facts["total_profit"] == 200.0
    assert any("uses USD only (6 of 8 rows" in w.en for w in result.warnings)
    eur = concentration.profit_concentration(bundle(tx), concentration.ConcentrationParams(currency="EUR"))
    assert eur.facts["total_profit"] == -35.0 and eur.facts["top_20pct_profit_share"] is None
    assert any("not positive" in w.en for w in eur.warnings) and eur.charts == []


# --- rfm_segments ----------------------------------------------------------------------------------

AS_OF = date(2024, 7, 1)
# customer: (recency_days, frequency, monetary). Ten customers -> each quintile holds two ranks:
# qcut of ranks 1..10 into 5 -> ranks (1,2) (3,4) (5,6) (7,8) (9,10).
RFM_DATA = {
    "R01": (1, 9, 900.0),
    "R02": (5, 1, 100.0),
    "R03": (10, 7, 700.0),
    "R04": (20, 3, 500.0),
    "R05": (40, 5, 300.0),
    "R06": (60, 2, 400.0),
    "R07": (100, 10, 800.0),
    "R08": (120, 6, 600.0),
    "R09": (200, 4, 200.0),
    "R10": (250, 8, 1000.0),
}
# Scores: R by recency rank (most recent = 5): R01,R02 5; R03,R04 4; R05,R06 3; R07,R08 2; R09,R10 1.
# F by frequency rank: R02(1),R06(2) 1; R04(3),R09(4) 2; R05(5),R08(6) 3; R03(7),R10(8) 4; R01(9),R07(10) 5.
# M by monetary rank: R02,R09 1; R05,R06 2; R04,R08 3; R03,R07 4; R01,R10 5.
# FM = (F + M + 1) // 2 and segment from RFM_RULES[R][FM - 1]:
RFM_EXPECTED = {
    "R01": (5, 5, 5, 5, "Champions"),
    "R02": (5, 1, 1, 1, "New"),
    "R03": (4, 4, 4, 4, "Champions"),
    "R04": (4, 2, 3, 3, "Loyal"),
    "R05": (3, 3, 2, 3, "Need attention"),
    "R06": (3, 1, 2, 2, "About to sleep"),
    "R07": (2, 5, 4, 5, "Can't lose them"),
    "R08": (2, 3, 3, 3, "At risk"),
    "R09": (1, 2, 1, 2, "Lost"),
    "R10": (1, 4, 5, 5, "Can't lose them"),
}


def rfm_bundle() -> DatasetBundle:
    """Each customer's orders are 7 days apart, the last one `recency` days before AS_OF."""
    rows = []
    for cid, (recency, frequency, monetary) in RFM_DATA.items():
        last = AS_OF - timedelta(days=recency)
        for k in range(frequency):
            day = (last - timedelta(days=7 * k)).isoformat()
            rows.append((cid, day, f"{cid}-{k}", monetary / frequency, 0.0, 0.0, "P1", "North"))
    return bundle(tx_frame(rows))


def test_rfm_scores_and_segments_golden() -> None:
    result = rfm.rfm_segments(rfm_bundle(), rfm.RFMParams(as_of=AS_OF, n=10))
    table = result.tables[0].frame  # no segment asked: the segment summary comes first
    assert result.tables[0].name == "rfm_segments" and result.tables[1].name == "rfm_customers"
    customers = result.tables[1].frame.set_index("customer_id")
    assert list(customers.columns[:8]) == [
        "recency_days", "frequency", "monetary", "r_score", "f_score", "m_score", "fm_score", "segment",
    ]  # fmt: skip
    for cid, (recency, frequency, monetary) in RFM_DATA.items():
        row = customers.loc[cid]
        assert (row["recency_days"], row["frequency"]) == (recency, frequency), cid
        assert row["monetary"] == pytest.approx(monetary)
        r, f, m, fm, segment = RFM_EXPECTED[cid]
        assert (row["r_score"], row["f_score"], row["m_score"], row["fm_score"], row["segment"]) == (
            r, f, m, fm, segment,
        ), cid  # fmt: skip
    # listing ordered by monetary: R10 1000, R01 900, R07 800, ...
    assert customers.index[:3].tolist() == ["R10", "R01", "R07"]
    # summary: Champions R01 + R03 = 1600; Can't lose them R07 + R10 = 1800; total 5500
    seg = table.set_index("segment")
    assert seg.index.tolist() == [
        "Champions", "Loyal", "New", "Need attention", "About to sleep", "At risk", "Can't lose them", "Lost",
    ]  # fmt: skip
    assert seg.loc["Champions", "customers"] == 2 and seg.loc["Champions", "revenue"] == pytest.approx(1600)
    assert seg.loc["Can't lose them", "revenue_share"] == pytest.approx(1800 / 5500)
    assert seg.loc["Can't lose them", "avg_recency_days"] == pytest.approx((100 + 250) / 2)
    assert seg["customer_share"].sum() == pytest.approx(1.0)
    f = result.facts
    assert f["as_of"] == "2024-07-01" and f["customers"] == 10 and f["segments"] == 8
    assert (f["champions_customers"], f["cant_lose_them_customers"], f["promising_customers"]) == (2, 2, 0)
    assert f["at_risk_valuable_customers"] == 3 and f["at_risk_valuable_revenue"] == pytest.approx(2400)
    assert f["at_risk_valuable_revenue_share"] == pytest.approx(2400 / 5500)
    risk = finding(result, "at_risk_valuable_customers")
    assert risk.customers == ["R10", "R07", "R08"] and risk.value == pytest.approx(2400)
    assert (risk.metric, risk.threshold) == ("r_score", 2.0)
    assert result.method.as_of == AS_OF
    assert_json_friendly(result)


def test_rfm_default_as_of_is_day_after_last_transaction() -> None:
    """Last transaction 2024-06-30 (R01) -> as_of 2024-07-01, the same scores as above."""
    result = rfm.rfm_segments(rfm_bundle(), rfm.RFMParams())
    assert result.facts["as_of"] == "2024-07-01"
    customers = result.tables[1].frame.set_index("customer_id")
    assert customers["segment"].to_dict() == {cid: exp[4] for cid, exp in RFM_EXPECTED.items()}
    assert "10 customers scored as of 2024-07-01." in result.summary.en
    assert "At risk and Can't lose them: 3 customers with 2,400 of revenue (43.6%)." in result.summary.en
    assert "“流失风险”和“不能失去”：3 个客户，收入 2,400（占 43.6%）。" in result.summary.zh


def test_rfm_segment_filter_lists_that_segment_first() -> None:
    result = rfm.rfm_segments(rfm_bundle(), rfm.RFMParams(segment="Can't lose them"))
    assert result.tables[0].name == "rfm_customers"
    assert result.tables[0].frame["customer_id"].tolist() == ["R10", "R07"]
    assert result.summary.en.startswith(
        "Can't lose them: 2 customers with 32.7% of revenue. Highest revenue: "
    )
    assert result.summary.zh.startswith("不能失去：2 个客户，收入占比 32.7%。")
    empty = rfm.rfm_segments(rfm_bundle(), rfm.RFMParams(segment="Promising"))
    assert empty.tables[0].frame.empty and "No customers are in the segment Promising" in empty.summary.en


def test_rfm_as_of_ignores_later_transactions() -> None:
    """as_of 2024-06-01: R01's last order 06-30 and R02's 06-26 are ignored -> R01 frequency 9 - 5 = 4
    (orders on 06-30, 06-23, 06-16, 06-09, 06-02 dropped), recency 2024-06-01 - 2024-05-26 = 6 days."""
    result = rfm.rfm_segments(rfm_bundle(), rfm.RFMParams(as_of=date(2024, 6, 1)))
    customers = result.tables[1].frame.set_index("customer_id")
    assert "R02" not in customers.index
    assert (customers.loc["R01", "frequency"], customers.loc["R01", "recency_days"]) == (4, 6)


def test_rfm_few_customers_warns_and_refund_only_customers_are_left_out() -> None:
    """Base fixture: 4 customers (< 5) -> warning. Ranks 1..4 into 5 quintiles give codes 0, 1, 3, 4."""
    refund_only = tx_frame([("C9", "2024-06-01", "R9", -20.0, -10.0, 0.0, "P1", "North")])
    result = rfm.rfm_segments(bundle(pd.concat([tx_frame(), refund_only], ignore_index=True)), rfm.RFMParams())
    assert result.facts["customers"] == 4
    assert any("Only 4 customers" in w.en for w in result.warnings)
    assert any("1 customers have no purchase" in w.en for w in result.warnings)
    scores = result.tables[1].frame.set_index("customer_id")["m_score"].to_dict()
    # monetary C2 400 > C1 150 = C4 150 > C3 120; the tie C1/C4 goes by first appearance (C1 lower rank)
    assert scores == {"C2": 5, "C1": 2, "C4": 4, "C3": 1}


def test_quintile_single_value_scores_three() -> None:
    assert rfm._quintile(pd.Series([5.0], index=["A"])).tolist() == [3]


# --- customer_lifetime_value -----------------------------------------------------------------------

# as_of = 2025-01-01 (day after the last transaction). Cutoff for churn = as_of - 365 days = 2024-01-02.
CLV_ROWS = [
    ("K1", "2023-01-01", "A1", 200.0, 120.0, 0.0, "P1", "North"),
    ("K1", "2023-07-01", "A2", 300.0, 180.0, 0.0, "P1", "North"),
    ("K1", "2024-01-01", "A3", 250.0, 150.0, 0.0, "P2", "North"),
    ("K1", "2024-12-31", "A4", 250.0, 150.0, 0.0, "P2", "North"),
    ("K2", "2023-03-01", "B1", 100.0, 50.0, 0.0, "P1", "South"),
    ("K2", "2023-06-01", "B2", 100.0, 50.0, 0.0, "P1", "South"),
    ("K3", "2024-12-01", "C1", 300.0, 180.0, 0.0, "P2", "South"),
    ("K4", "2023-06-01", "D1", 100.0, 40.0, 0.0, "P1", "North"),
    ("K4", "2024-02-01", "D2", 100.0, 40.0, 0.0, "P2", "North"),
    ("K4", "2024-06-01", "D3", 100.0, 40.0, 0.0, "P2", "North"),
]
# revenue 1000 + 200 + 300 + 300 = 1800, cost 600 + 100 + 180 + 120 = 1000 -> margin 800 / 1800.
CLV_MARGIN = 800 / 1800
# days observed to 2025-01-01: K1 from 2023-01-01 = 731; K2 from 2023-03-01 = 672; K3 from 2024-12-01 = 31
# (floored to 0.25 years); K4 from 2023-06-01 = 580.
CLV_YEARS = {"K1": 731 / 365.25, "K2": 672 / 365.25, "K3": 0.25, "K4": 580 / 365.25}
CLV_REVENUE = {"K1": 1000.0, "K2": 200.0, "K3": 300.0, "K4": 300.0}
CLV_ORDERS = {"K1": 4, "K2": 2, "K3": 1, "K4": 3}


def clv_expected(lifetime: float, margin: float = CLV_MARGIN) -> dict[str, float]:
    """clv = aov x purchases_per_year x margin x lifetime = revenue / years x margin x lifetime."""
    return {k: CLV_REVENUE[k] / CLV_YEARS[k] * margin * lifetime for k in CLV_REVENUE}


def clv_customers(churned: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame({"customer_id": ["K1", "K2", "K3", "K4"], "segment": ["A", "B", "A", "B"]})
    if churned:
        frame["signup_date"] = pd.to_datetime(["2022-01-01", "2023-03-01", "2024-12-01", "2023-06-01"])
        frame["churned"] = [False, True, False, False]
        frame["churn_date"] = pd.to_datetime([None, "2023-09-01", None, None])
    return frame


def test_clv_historical_formula_with_inactivity_lifetime() -> None:
    """Lifetime from purchases: base = bought before 2024-01-02 and last purchase on/after 2023-01-02:
    K1, K2, K4 (K3 started later); lost = no purchase since the cutoff: K2 -> rate 1/3, lifetime 3 years.
    CLV: K3 300 / 0.25 x 0.444 x 3 = 1600; K1 1000 / 2.0014 x 0.444 x 3 = 666.2;
    K4 300 / 1.5880 x 0.444 x 3 = 251.9; K2 200 / 1.8398 x 0.444 x 3 = 144.9."""
    result = H.customer_lifetime_value(bundle(tx_frame(CLV_ROWS)), H.CLVParams())
    table = result.tables[0].frame
    expected = clv_expected(3.0)
    assert table["customer_id"].tolist() == ["K3", "K1", "K4", "K2"]
    assert table.set_index("customer_id")["clv"].to_dict() == pytest.approx(expected)
    assert expected["K3"] == pytest.approx(1600.0)
    row = table.set_index("customer_id").loc["K1"]
    assert row["aov"] == 250.0 and row["orders"] == 4
    assert row["purchases_per_year"] == pytest.approx(4 / (731 / 365.25))
    assert row["margin"] == pytest.approx(CLV_MARGIN) and row["lifetime_years"] == pytest.approx(3.0)
    f = result.facts
    assert f["lifetime_years"] == pytest.approx(3.0) and f["annual_churn_rate"] == pytest.approx(1 / 3)
    assert f["margin"] == pytest.approx(CLV_MARGIN) and f["customers"] == 4
    assert f["total_clv"] == pytest.approx(sum(expected.values()))
    assert f["average_clv"] == pytest.approx(sum(expected.values()) / 4)
    assert f["aov"] == pytest.approx(1800 / 10)
    assert result.method.as_of == date(2025, 1, 1)
    assert any("1 / annual churn rate 33.3%" in a.en and "(1)" in a.en for a in result.method.assumptions)
    assert "expected lifetime 3 years" in result.summary.en and "预期生命周期 3 年" in result.summary.zh
    assert "Highest: K3: 1,600; K1: 666; K4: 252; K2: 145." in result.summary.en
    assert "最高：K3：1,600；K1：666；K4：252；K2：145。" in result.summary.zh
    assert_json_friendly(result)


def test_clv_lifetime_from_churned_flags() -> None:
    """Exposure to 2025-01-01: K1 2022-01-01 -> 1096 days; K2 2023-03-01 -> churn 2023-09-01 = 184;
    K3 2024-12-01 -> 31; K4 2023-06-01 -> 580. 1891 days = 5.177 years, 1 churned -> rate 0.1932,
    lifetime 5.177 years."""
    years = 1891 / 365.25
    result = H.customer_lifetime_value(bundle(tx_frame(CLV_ROWS), clv_customers(True)), H.CLVParams())
    assert result.facts["lifetime_years"] == pytest.approx(years)
    assert result.facts["annual_churn_rate"] == pytest.approx(1 / years)
    clv = result.tables[0].frame.set_index("customer_id")["clv"].to_dict()
    assert clv == pytest.approx(clv_expected(years))
    assert any("churned column" in a.en for a in result.method.assumptions)


def test_clv_given_margin_and_lifetime_and_no_cost() -> None:
    """margin 0.5 and lifetime 2 given: K3 = 300 x 4 x 0.5 x 2 = 1200. Without cost, margin 1.0 + warning."""
    params = H.CLVParams(margin=0.5, lifetime_years=2)
    result = H.customer_lifetime_value(bundle(tx_frame(CLV_ROWS)), params)
    assert result.tables[0].frame.set_index("customer_id")["clv"].to_dict() == pytest.approx(
        clv_expected(2.0, 0.5)
    )
    assert result.facts["annual_churn_rate"] is None
    no_cost = H.customer_lifetime_value(
        bundle(tx_frame(CLV_ROWS).drop(columns="cost")), H.CLVParams(lifetime_years=1)
    )
    assert no_cost.facts["margin"] == 1.0
    assert no_cost.tables[0].frame.set_index("customer_id")["clv"]["K3"] == pytest.approx(1200.0)
    assert any("margin is taken as 100%" in w.en for w in no_cost.warnings)


def test_clv_short_data_assumes_default_lifetime() -> None:
    rows = [r for r in CLV_ROWS if r[1] >= "2024-06-01"]
    result = H.customer_lifetime_value(bundle(tx_frame(rows)), H.CLVParams())
    assert result.facts["lifetime_years"] == H.DEFAULT_LIFETIME_YEARS
    assert any("less than a year" in w.en for w in result.warnings)


def test_clv_by_segment_and_bottom_and_customer() -> None:
    """A = K1, K3: mean (666.2 + 1600) / 2; B = K2, K4: mean (144.9 + 251.9) / 2."""
    expected = clv_expected(3.0)
    data = bundle(tx_frame(CLV_ROWS), clv_customers())
    result = H.customer_lifetime_value(data, H.CLVParams(group_by="segment"))
    groups = result.tables[0].frame.set_index("segment")
    assert groups.index.tolist() == ["A", "B"]
    assert groups.loc["A", "average_clv"] == pytest.approx((expected["K1"] + expected["K3"]) / 2)
    assert groups.loc["B", "total_clv"] == pytest.approx(expected["K2"] + expected["K4"])
    assert groups["customers"].tolist() == [2, 2] and result.facts["groups"] == 2
    assert "Average CLV by segment: A: 1,133; B: 198." in result.summary.en
    bottom = H.customer_lifetime_value(data, H.CLVParams(order="bottom", n=1))
    assert bottom.tables[0].frame["customer_id"].tolist() == ["K2"]
    one = H.customer_lifetime_value(data, H.CLVParams(customer="k1"))
    assert one.facts["customer_clv"] == pytest.approx(expected["K1"]) and one.facts["customer_rank"] == 2
    with pytest.raises(ToolInputError, match="not by month"):
        H.customer_lifetime_value(data, H.CLVParams(group_by="month"))


def test_clv_group_by_transaction_column_uses_main_value() -> None:
    """product: K1 P1 500 = P2 500 -> tie, P1 first seen; K2 P1; K3 P2; K4 P2 (200 > 100)."""
    result = H.customer_lifetime_value(bundle(tx_frame(CLV_ROWS)), H.CLVParams(group_by="product"))
    groups = result.tables[0].frame.set_index("product")
    assert groups["customers"].to_dict() == {"P2": 2, "P1": 2}


def test_clv_at_risk_valuable_customers() -> None:
    """K5 buys 4 times a quarter apart in 2023 (4 orders over 731 days observed -> interval 182.6 days),
    revenue 10,000 -> top CLV; last purchase 2023-10-01 is 458 days before as_of > 2 x 182.6 and > 90."""
    rows = CLV_ROWS + [
        ("K5", d, f"E{i}", 2500.0, 1000.0, 0.0, "P1", "North")
        for i, d in enumerate(["2023-01-01", "2023-04-01", "2023-07-01", "2023-10-01"])
    ]
    result = H.customer_lifetime_value(bundle(tx_frame(rows)), H.CLVParams())
    risk = finding(result, "at_risk_valuable_customers")
    assert risk.customers == ["K5"] and risk.threshold == H.OVERDUE_FACTOR
    assert risk.value == pytest.approx(result.tables[0].frame.set_index("customer_id")["clv"]["K5"])


# --- dataset_overview ------------------------------------------------------------------------------


def test_overview_empty_bundle_says_what_can_be_uploaded() -> None:
    result = overview.dataset_overview(DatasetBundle(), overview.OverviewParams())
    assert result.facts == {"tables_loaded": 0}
    assert result.summary.en.startswith("No data is loaded yet.")
    assert "customer_id, date, revenue" in result.summary.en and "尚未载入任何数据" in result.summary.zh


def test_overview_lists_tables_and_quality_notes() -> None:
    report = IngestReport(
        "orders.csv",
        "transactions",
        10,
        8,
        {"Kunde": "customer_id", "Datum": "date"},
        dropped=[DroppedRows(Msg("total row", "合计行"), 2, [9, 10])],
        warnings=[Msg("ambiguous dates", "日期含糊")],
    )
    data = DatasetBundle(
        [
            Dataset("transactions", tx_frame(), [report]),
            Dataset(
                "customers", customers_frame().drop(index=0), [IngestReport("c.csv", "customers", 4, 4, {})]
            ),
        ]
    )
    result = overview.dataset_overview(data, overview.OverviewParams())
    f = result.facts
    assert (f["tables_loaded"], f["transactions_rows"], f["customers_rows"]) == (2, 8, 4)
    assert (f["transactions_start"], f["transactions_end"]) == ("2024-01-10", "2024-06-30")
    assert f["transactions_distinct_customers"] == 4 and f["customers_distinct_customers"] == 4
    notes = [w.en for w in result.warnings]
    assert "orders.csv: 2 rows dropped (total row)." in notes
    assert "orders.csv: ambiguous dates" in notes
    assert any(
        n.startswith("1 customer ids in the transactions are not in the customers table (e.g. C1)")
        for n in notes
    )
    assert "1 customers in the customers table have no transactions." in notes
    assert any(n.startswith("1 transaction rows have negative revenue") for n in notes)
    assert f["data_quality_notes"] == len(notes) == 5
    assert (
        "transactions (orders) (8 rows from orders.csv, 2024-01-10 to 2024-06-30, 4 customers)"
        in result.summary.en
    )
    assert "交易（订单）（8 行，来自 orders.csv，2024-01-10 至 2024-06-30，4 个客户）" in result.summary.zh
    table = result.tables[0].frame
    assert table["kind"].tolist() == ["transactions", "customers"] and table["rows"].tolist() == [8, 4]
    mapping = result.tables[1].frame
    assert mapping.values.tolist() == [
        ["transactions", "orders.csv", "Kunde", "customer_id"],
        ["transactions", "orders.csv", "Datum", "date"],
    ]
    assert result.method.as_of == date(2024, 6, 30) and result.method.rows_used == 12
    assert_json_friendly(result)
