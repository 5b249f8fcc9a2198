"""tools.aggregate: the one pass over transaction rows, checked against hand-computed totals.

Fixture (8 rows, 4 customers; row 8 is a refund of C4):

    row cust date        order rev   cost  svc  product region
    1   C1   2024-01-10  O1    100    60    5   P1      North
    2   C1   2024-03-05  O2     50    20    5   P2      North
    3   C2   2024-02-01  O3    300   150   10   P1      South
    4   C2   2024-02-01  O3    100    70    0   P2      South
    5   C3   2024-01-20  O4     80    90   20   P1      North
    6   C3   2024-04-15  O5     40    30   15   P2      North
    7   C4   2024-05-01  O6    200   100  110   P1      South
    8   C4   2024-06-30  O7    -50   -30    0   P1      South
"""

from __future__ import annotations

import pandas as pd
import pytest

from tools import aggregate

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
COLUMNS = ["customer_id", "date", "order_id", "revenue", "cost", "service_cost", "product", "region"]


@pytest.fixture
def tx() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=COLUMNS).astype(
        {"customer_id": "str", "order_id": "str", "product": "str", "region": "str"}
    )
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def test_customer_totals_golden(tx: pd.DataFrame) -> None:
    """C1: rev 100+50=150, cost 60+20=80, gross 70, svc 10, net 60.
    C2: rev 300+100=400, cost 220, gross 180, svc 10, net 170 (one order O3 with two lines).
    C3: rev 120, cost 120, gross 0, svc 35, net -35.
    C4: rev 200-50=150, cost 100-30=70, gross 80, svc 110, net -30; the refund O7 is not an order and
    its date is not a purchase date."""
    per = aggregate.customer_totals(tx)
    assert list(per.index) == ["C1", "C2", "C3", "C4"]  # first appearance, not sorted
    assert per["revenue"].to_dict() == {"C1": 150.0, "C2": 400.0, "C3": 120.0, "C4": 150.0}
    assert per["cost"].to_dict() == {"C1": 80.0, "C2": 220.0, "C3": 120.0, "C4": 70.0}
    assert per["gross_profit"].to_dict() == {"C1": 70.0, "C2": 180.0, "C3": 0.0, "C4": 80.0}
    assert per["service_cost"].to_dict() == {"C1": 10.0, "C2": 10.0, "C3": 35.0, "C4": 110.0}
    assert per["net_profit"].to_dict() == {"C1": 60.0, "C2": 170.0, "C3": -35.0, "C4": -30.0}
    assert per["profit"].equals(per["net_profit"])
    assert per["margin"].round(4).to_dict() == {"C1": 0.4, "C2": 0.425, "C3": -0.2917, "C4": -0.2}
    assert per["orders"].to_dict() == {"C1": 2, "C2": 1, "C3": 2, "C4": 1}
    assert per["rows"].to_dict() == {"C1": 2, "C2": 2, "C3": 2, "C4": 2}
    assert per.loc["C4", "first_date"] == per.loc["C4", "last_date"] == pd.Timestamp("2024-05-01")
    assert per.loc["C1", "first_date"] == pd.Timestamp("2024-01-10")
    assert per.loc["C1", "last_date"] == pd.Timestamp("2024-03-05")
    assert "purchase_days" not in per.columns  # only on request when order ids exist


def test_purchase_days_on_request_and_as_order_fallback(tx: pd.DataFrame) -> None:
    """Purchase days: C1 2, C2 1 (both lines on 02-01), C3 2, C4 1 (refund day excluded).
    Without order_id, orders are the purchase days."""
    assert aggregate.customer_totals(tx, purchase_days=True)["purchase_days"].to_dict() == {
        "C1": 2, "C2": 1, "C3": 2, "C4": 1,
    }  # fmt: skip
    per = aggregate.customer_totals(tx.drop(columns="order_id"))
    assert per["orders"].to_dict() == {"C1": 2, "C2": 1, "C3": 2, "C4": 1}
    assert per["purchase_days"].equals(per["orders"])


def test_without_cost_no_profit_columns(tx: pd.DataFrame) -> None:
    per = aggregate.customer_totals(tx.drop(columns=["cost", "service_cost"]))
    assert not {"cost", "gross_profit", "profit", "margin"} & set(per.columns)
    assert per["revenue"].sum() == 820.0


def test_gross_profit_is_profit_without_service_cost(tx: pd.DataFrame) -> None:
    per = aggregate.customer_totals(tx.drop(columns="service_cost"))
    assert "net_profit" not in per.columns
    assert per["profit"].to_dict() == {"C1": 70.0, "C2": 180.0, "C3": 0.0, "C4": 80.0}


def test_period_filter_is_inclusive_and_identity_when_open(tx: pd.DataFrame) -> None:
    """2024-02-01..2024-04-15 keeps rows 2, 3, 4, 6 (both ends inclusive)."""
    assert aggregate.period_filter(tx) is tx
    kept = aggregate.period_filter(tx, pd.Timestamp("2024-02-01").date(), pd.Timestamp("2024-04-15").date())
    assert list(kept.index) == [1, 2, 3, 5]
    per = aggregate.customer_totals(tx, start=pd.Timestamp("2024-02-01").date())
    assert per["revenue"].to_dict() == {"C1": 50.0, "C2": 400.0, "C3": 40.0, "C4": 150.0}


def test_group_totals_by_transaction_column(tx: pd.DataFrame) -> None:
    """P1 = rows 1,3,5,7,8: rev 100+300+80+200-50=630, cost 60+150+90+100-30=370, svc 145, net 115,
    4 customers, orders O1,O3,O4,O6 = 4. P2 = rows 2,4,6: rev 190, cost 120, svc 20, net 50, 3 customers,
    orders O2,O3,O5 = 3."""
    out = aggregate.group_totals(tx, "product")
    assert out.index.name == "product"
    assert out["revenue"].to_dict() == {"P1": 630.0, "P2": 190.0}
    assert out["cost"].to_dict() == {"P1": 370.0, "P2": 120.0}
    assert out["net_profit"].to_dict() == {"P1": 115.0, "P2": 50.0}
    assert out["customers"].to_dict() == {"P1": 4, "P2": 3}
    assert out["orders"].to_dict() == {"P1": 4, "P2": 3}
    assert out.loc["P1", "last_date"] == pd.Timestamp("2024-05-01")


def test_group_totals_keeps_missing_values(tx: pd.DataFrame) -> None:
    tx.loc[0, "region"] = None
    out = aggregate.group_totals(tx, "region")
    assert out["revenue"].sum() == 820.0
    assert out["customers"].sum() == 5  # C1 counts under North and under the missing region


def test_period_totals_in_time_order(tx: pd.DataFrame) -> None:
    """Months: Jan rows 1,5 rev 180; Feb rows 3,4 rev 400; Mar 50; Apr 40; May 200; Jun -50 (refund only)."""
    out = aggregate.period_totals(tx, "month")
    assert list(out.index) == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
    assert out["revenue"].tolist() == [180.0, 400.0, 50.0, 40.0, 200.0, -50.0]
    assert out["customers"].tolist() == [2, 1, 1, 1, 1, 1]
    quarters = aggregate.period_totals(tx, "quarter")
    assert quarters["revenue"].to_dict() == {"2024Q1": 630.0, "2024Q2": 190.0}
    assert aggregate.period_totals(tx, "year")["profit"].to_dict() == {"2024": 165.0}


def test_rollup_of_customers_into_attribute(tx: pd.DataFrame) -> None:
    """Segments A = C1 + C3: net 60 - 35 = 25; B = C2 + C4: net 170 - 30 = 140."""
    per = aggregate.customer_totals(tx)
    segment = pd.Series({"C1": "A", "C2": "B", "C3": "A", "C4": "B"}, name="segment")
    out = aggregate.rollup(per, segment.reindex(per.index))
    assert out["profit"].to_dict() == {"A": 25.0, "B": 140.0}
    assert out["customers"].to_dict() == {"A": 2, "B": 2}
    assert out["orders"].to_dict() == {"A": 4, "B": 2}


def test_main_value_is_the_value_with_most_revenue(tx: pd.DataFrame) -> None:
    """C1: P1 100 > P2 50; C2: P1 300 > P2 100; C3: P1 80 > P2 40; C4: P1 only."""
    assert aggregate.main_value(tx, "product").to_dict() == {"C1": "P1", "C2": "P1", "C3": "P1", "C4": "P1"}
    tx.loc[1, "revenue"] = 500.0
    assert aggregate.main_value(tx, "product")["C1"] == "P2"
