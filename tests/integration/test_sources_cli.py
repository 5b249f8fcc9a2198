"""`custfin ... --source` and `--backend` (issue 16): live read-only sources answered end to end.

Golden numbers: recomputed in each test from the rows written to the source with a plain pandas groupby
(revenue, cost and service cost summed per customer), independently of tools.aggregate.
"""

from __future__ import annotations

import json

import pandas as pd
import psycopg
import pytest

from agent.cli import main
from tools.data import sources
from tools.demo import generate

#: Headers as a Chinese ERP export names them: the ingestion mapping must read them as on an upload.
CHINESE = {"customer_id": "客户编号", "date": "日期", "revenue": "销售额", "cost": "成本"}


def run(capsys, *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    out = capsys.readouterr().out.strip().splitlines()
    return code, json.loads(out[-1])


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    tx = generate(customers=80, seed=5)["transactions"]
    return tx[["order_id", "customer_id", "date", "revenue", "cost", "service_cost", "region"]]


def _reference(tx: pd.DataFrame) -> pd.Series:
    per = tx.groupby("customer_id")[["revenue", "cost", "service_cost"]].sum()
    return per["revenue"] - per["cost"] - per["service_cost"]


@pytest.fixture(scope="module")
def pg_url(orders, postgres_server) -> str:
    url = postgres_server.new_database()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            'CREATE TABLE "Orders 2025" (order_id text, "客户编号" text, "日期" timestamp, "销售额" double precision, '
            '"成本" double precision, service_cost double precision, region text)'
        )
        renamed = orders.rename(columns=CHINESE)
        with conn.cursor().copy(
            'COPY "Orders 2025" (order_id, "客户编号", "日期", "销售额", "成本", service_cost, region) FROM STDIN'
        ) as copy:
            for row in renamed.itertuples(index=False):
                copy.write_row(list(row))
    return url


def test_postgres_source_answers_through_the_cli(capsys, orders, pg_url) -> None:
    """A table with a space in its name and Chinese headers (identifiers quoted by ibis)."""
    code, out = run(
        capsys, "ask", "top 5 customers by profit", "--source", f"{pg_url}?table=Orders 2025", "--json"
    )
    assert code == 0, out
    profit = _reference(orders)
    assert out["tool"] == "customer_profitability"
    assert out["facts"]["total_profit"] == pytest.approx(profit.sum(), rel=1e-9)
    assert out["facts"]["customers"] == orders["customer_id"].nunique()
    top = profit.sort_values(ascending=False).head(5)
    rows = out["tables"][0]
    ids = [r[rows["columns"].index("customer_id")] for r in rows["rows"]]
    assert ids == list(top.index)
    assert out["method"]["rows_used"] == len(orders)


def test_postgres_source_is_read_only(pg_url) -> None:
    ds = sources.open_source(f"{pg_url}?table=Orders 2025")
    assert ds.reports[0].mapping["客户编号"] == "customer_id" and ds.reports[0].mapping["销售额"] == "revenue"
    with pytest.raises(Exception, match="read-only"):
        ds.relation.con.raw_sql('DELETE FROM "Orders 2025"')


def test_parquet_glob_source_and_backend_flag(capsys, orders, tmp_path) -> None:
    half = len(orders) // 2
    orders.iloc[:half].rename(columns=CHINESE).to_parquet(tmp_path / "a.parquet", index=False)
    orders.iloc[half:].rename(columns=CHINESE).to_parquet(tmp_path / "b.parquet", index=False)
    args = ["tool", "customer_profitability", "--source", str(tmp_path / "*.parquet"), "--json"]
    code, out = run(capsys, *args, "--args", '{"group_by": "region"}', "--backend", "duckdb")
    assert code == 0, out
    by_region = orders.assign(p=orders["revenue"] - orders["cost"] - orders["service_cost"]).groupby(
        "region"
    )["p"]
    table = out["tables"][0]
    got = {r[table["columns"].index("region")]: r[table["columns"].index("profit")] for r in table["rows"]}
    assert got == pytest.approx(by_region.sum().to_dict(), rel=1e-9)


def test_bad_sources_name_the_source(capsys, pg_url, tmp_path, monkeypatch) -> None:
    code, out = run(capsys, "ask", "top customers", "--source", f"{pg_url}?table=nope", "--json")
    assert code == 2 and out["error"]["code"] == "file_unreadable" and "nope" in out["error"]["message"]
    code, out = run(
        capsys, "ask", "top customers", "--source", "postgresql://u@127.0.0.1:1/db?table=t", "--json"
    )
    assert (
        code == 2
        and out["error"]["code"] == "database_unavailable"
        and "127.0.0.1:1" in out["error"]["message"]
    )
    code, out = run(capsys, "ask", "top customers", "--source", str(tmp_path / "none*.parquet"), "--json")
    assert code == 2 and out["error"]["code"] == "file_unreadable"
    code, out = run(capsys, "ask", "top customers", "--source", f"{pg_url}", "--json", "--lang", "zh")
    assert code == 2 and "?table=" in out["error"]["message"] and "未指定表" in out["error"]["message"]
    monkeypatch.setenv("CUSTFIN_BACKEND", "bogus")
    code, out = run(capsys, "tool", "customer_profitability", "--json")
    assert (
        code == 2 and out["error"]["code"] == "bad_arguments" and "CUSTFIN_BACKEND" in out["error"]["message"]
    )
