"""tools.data, the engine boundary: backend choice, the ibis totals on DuckDB, Parquet sources.

Golden numbers: the hand-computed totals of tests/unit/test_aggregate.py's fixture (copied in its
docstring there: C1 150/80/10, C2 400/220/10, C3 120/120/35, C4 150/70/110, one refund of C4), here
read from a Parquet file and aggregated by DuckDB. The receivables example is receivables_aging's
docstring example (100 overdue in 31-60 days at as_of 2024-03-15).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tools import aggregate
from tools.bundle import DatasetBundle
from tools.data import backend, sources
from tools.errors import IngestError, ToolInputError
from tools.registry import TOOLS

ROWS = [
    ("C1", "2024-01-10", "O1", 100.0, 60.0, 5.0, "P1"),
    ("C1", "2024-03-05", "O2", 50.0, 20.0, 5.0, "P2"),
    ("C2", "2024-02-01", "O3", 300.0, 150.0, 10.0, "P1"),
    ("C2", "2024-02-01", "O3", 100.0, 70.0, 0.0, "P2"),
    ("C3", "2024-01-20", "O4", 80.0, 90.0, 20.0, "P1"),
    ("C3", "2024-04-15", "O5", 40.0, 30.0, 15.0, "P2"),
    ("C4", "2024-05-01", "O6", 200.0, 100.0, 110.0, "P1"),
    ("C4", "2024-06-30", "O7", -50.0, -30.0, 0.0, "P1"),
]


@pytest.fixture
def orders(tmp_path: Path) -> Path:
    """The fixture with a Chinese ERP's headers, as Parquet."""
    frame = pd.DataFrame(
        ROWS, columns=["客户编号", "日期", "订单号", "销售额", "成本", "service_cost", "product"]
    )
    frame["日期"] = pd.to_datetime(frame["日期"])
    path = tmp_path / "orders.parquet"
    frame.to_parquet(path, index=False)
    return path


def test_backend_choice(monkeypatch) -> None:
    monkeypatch.delenv(backend.ENV, raising=False)
    assert backend.requested() == "auto"
    assert backend.for_frame(10) == "pandas" and backend.for_frame(backend.AUTO_DUCKDB_ROWS) == "duckdb"
    monkeypatch.setenv(backend.ENV, "DuckDB")
    assert backend.for_frame(10) == "duckdb"
    with backend.use_backend("pandas"):  # the CLI flag wins over the environment
        assert backend.for_frame(10**9) == "pandas"
    monkeypatch.setenv(backend.ENV, "oracle")
    with pytest.raises(ToolInputError) as err:
        backend.requested()
    assert (
        err.value.code == "bad_arguments"
        and "CUSTFIN_BACKEND" in err.value.msg.en
        and "计算后端" in err.value.msg.zh
    )


def test_parquet_source_totals_match_hand_computed(orders: Path) -> None:
    ds = sources.open_source(str(orders))
    assert ds.kind == "transactions"
    assert ds.reports[0].mapping["客户编号"] == "customer_id" and ds.reports[0].mapping["销售额"] == "revenue"
    per = aggregate.customer_totals(ds.relation)
    assert ds._frame is None  # nothing was read into memory
    assert per["revenue"].to_dict() == {"C1": 150.0, "C2": 400.0, "C3": 120.0, "C4": 150.0}
    assert per["net_profit"].to_dict() == {"C1": 60.0, "C2": 170.0, "C3": -35.0, "C4": -30.0}
    assert per["orders"].to_dict() == {"C1": 2, "C2": 1, "C3": 2, "C4": 1}
    assert per.loc["C4", "last_date"] == pd.Timestamp("2024-05-01")  # the refund is not a purchase date
    assert per["rows"].to_dict() == {"C1": 2, "C2": 2, "C3": 2, "C4": 2}
    months = aggregate.period_totals(ds.relation, "quarter")
    # Q1: C1 35 + 25, C2 140 + 30, C3 -30 = 200; Q2: C3 -5, C4 -10 and the refund -20 = -35
    assert months["profit"].to_dict() == {"2024Q1": 200.0, "2024Q2": -35.0}
    assert aggregate.main_value(ds.relation, "product").to_dict() == {
        "C1": "P1",
        "C2": "P1",
        "C3": "P1",
        "C4": "P1",
    }


def test_frame_on_duckdb_equals_pandas_path(orders: Path) -> None:
    frame = sources.open_source(str(orders)).frame  # the source read into memory, as an upload's frame
    expected = aggregate.customer_totals(frame)
    with backend.use_backend("duckdb"):
        got = aggregate.customer_totals(frame)
    pd.testing.assert_frame_equal(got, expected)


def test_receivables_in_place_match_the_pandas_path(tmp_path: Path) -> None:
    inv = pd.DataFrame(
        {
            "customer_id": ["C1", "C2", "C2"],
            "invoice_date": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-01-10"]),
            "due_date": pd.to_datetime(["2024-01-31", "2024-03-31", "2024-02-09"]),
            "amount": [100.0, 50.0, 80.0],
            "paid_date": pd.to_datetime([None, "2024-03-15", "2024-02-20"]),
            "paid_amount": [0.0, 50.0, 80.0],
        }
    )
    inv.to_parquet(tmp_path / "inv.parquet", index=False)
    spec = TOOLS["receivables_aging"]
    live = DatasetBundle([sources.open_source(str(tmp_path / "inv.parquet"))])
    got = spec.fn(live, spec.params())
    # by hand: at as_of 2024-03-15 only C1's 100 is open, 44 days past due; C2 paid 80 eleven days late
    assert got.facts["as_of"] == "2024-03-15" and got.facts["overdue_amount"] == 100.0
    assert got.facts["days_31_60_amount"] == 100.0 and got.facts["open_invoices"] == 1
    assert got.facts["avg_days_late"] == 5.5 and got.facts["late_share"] == 0.5
    assert live.datasets["invoices"]._frame is None


def test_sources_refuse_clearly(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as err:
        sources.open_source("mysql://h/db?table=t")
    assert (
        err.value.code == "unsupported_format"
        and "mysql" in err.value.msg.en
        and "不支持" in err.value.msg.zh
    )
    with pytest.raises(IngestError) as err:
        sources.open_source(str(tmp_path / "missing" / "*.parquet"))
    assert err.value.code == "file_unreadable"


def test_reading_a_large_source_into_memory_is_refused(orders: Path) -> None:
    ds = sources.open_source(str(orders), max_rows=5)
    with pytest.raises(ToolInputError) as err:
        _ = ds.frame
    assert (
        err.value.code == "too_large"
        and "8 rows" in err.value.msg.en
        and "CUSTFIN_MAX_ROWS" in err.value.msg.zh
    )


def test_benchmark_baseline_computes_the_same_aggregates(tmp_path: Path, monkeypatch) -> None:
    """benchmarks/engine.py's bare DuckDB SQL and the engine path agree (so the ratio compares like with
    like): the same per-customer sums, dates, rows and orders on a small generated file."""
    import duckdb

    from benchmarks import engine as bench

    monkeypatch.setenv("CUSTFIN_BENCH_DIR", str(tmp_path))
    path = bench.orders_parquet(20_000)
    ours = aggregate.customer_totals(sources.open_source(str(path)).relation)
    bare = duckdb.connect().sql(bench.BARE_SQL.format(path=path)).to_arrow_table().to_pandas()
    bare = bare.set_index("customer_id").sort_index()
    assert len(ours) == len(bare) == 1_000
    for column in ("revenue", "cost", "service_cost"):
        assert ours[column].to_numpy() == pytest.approx(bare[column].to_numpy(), rel=1e-12)
    assert (ours["orders"].to_numpy() == bare["orders"].to_numpy()).all()
    assert (ours["rows"].to_numpy() == bare["rows"].to_numpy()).all()
    assert (ours["last_date"].to_numpy() == bare["last_date"].to_numpy()).all()


def test_partitioned_passes_give_the_same_totals(orders: Path, tmp_path: Path) -> None:
    """A source aggregated in 3 passes (hash of customer_id) gives exactly the one-pass result."""
    from dataclasses import replace

    from tools.data import invoices

    one = sources.open_source(str(orders)).relation
    assert one.partitions == 1  # 4 customers: one pass
    three = replace(one, partitions=3)
    pd.testing.assert_frame_equal(aggregate.customer_totals(three), aggregate.customer_totals(one))
    pd.testing.assert_frame_equal(
        aggregate.period_totals(three, "month"), aggregate.period_totals(one, "month")
    )
    assert aggregate.main_value(three, "product").to_dict() == aggregate.main_value(one, "product").to_dict()
    inv = pd.DataFrame(
        {
            "customer_id": [f"C{i % 7}" for i in range(40)],
            "invoice_date": pd.date_range("2024-01-01", periods=40, freq="5D"),
            "due_date": pd.date_range("2024-01-31", periods=40, freq="5D"),
            "amount": [100.0 + i for i in range(40)],
        }
    )
    inv.to_parquet(tmp_path / "inv.parquet", index=False)
    rel = sources.open_source(str(tmp_path / "inv.parquet")).relation
    as_of = pd.Timestamp("2024-06-30")
    single, used = invoices.customer_aging(rel, as_of, 90)
    split, used3 = invoices.customer_aging(replace(rel, partitions=3), as_of, 90)
    pd.testing.assert_frame_equal(split, single)
    assert used == used3 == 40
