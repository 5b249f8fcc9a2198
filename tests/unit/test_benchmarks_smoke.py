"""The benchmark code paths on tiny inputs, so they cannot rot. No timing assertions (the targets live in
``python -m benchmarks``, measured as ratios in one run)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from benchmarks import __main__ as bench_main
from benchmarks import clv, credit_pricing, data, ingest, memory, tools
from benchmarks.common import Result, Sizes

TINY = Sizes(customers=60, clv_customers=300, repeats=1, process_repeats=1)


@pytest.fixture(autouse=True)
def bench_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CUSTFIN_BENCH_DIR", str(tmp_path))
    data.transactions.cache_clear()
    data.invoices.cache_clear()
    data.sales_panel.cache_clear()
    return tmp_path


def _check(results: list[Result], names: list[str]) -> None:
    assert [r.name for r in results] == names
    for r in results:
        assert r.status in {"PASS", "FAIL", "INFO", "SKIP"}
        assert r.status == "SKIP" or r.ours is not None


def test_messy_gbk_reads_like_the_clean_file():
    from tools.ingest import read_table

    clean = read_table(data.clean_csv(TINY).read_bytes(), "t.csv").frame
    messy_path = data.messy_gbk_csv(TINY)
    messy = read_table(messy_path.read_bytes(), messy_path.name)
    assert messy.reports[0].encoding in {"gbk", "gb18030"}
    assert messy.reports[0].header_row == 2
    assert len(messy.frame) == len(clean)
    assert messy.frame["revenue"].sum() == pytest.approx(clean["revenue"].sum())


def test_canonical_cache_is_the_read_table_frame():
    from tools.ingest import read_table

    expected = read_table(data.clean_csv(TINY).read_bytes(), "t.csv").frame
    assert data.canonical_frame(TINY).equals(expected)


def test_ingest_and_tool_benchmarks_run():
    _check(ingest.clean_csv(TINY) + ingest.messy_gbk(TINY), ["ingest_clean_csv", "ingest_messy_gbk"])
    _check(
        tools.customer_profitability(TINY) + tools.rfm_segments(TINY),
        ["customer_profitability", "rfm_segments"],
    )


def test_credit_pricing_benchmarks_run_and_baselines_agree():
    from tools.bundle import Dataset, DatasetBundle
    from tools.credit.aging import AgingParams, receivables_aging
    from tools.pricing.tool import PriceParams, price_sensitivity

    _check(
        credit_pricing.receivables_aging_1m(TINY) + credit_pricing.price_sensitivity_1m(TINY),
        ["receivables_aging_1m", "price_sensitivity_1m"],
    )
    inv = data.invoices(data.scaled_rows(TINY))
    assert len(inv) == data.scaled_rows(TINY) == 600
    aging = receivables_aging(DatasetBundle([Dataset("invoices", inv)]), AgingParams())
    base = credit_pricing.aging_baseline(inv)
    ours, theirs = aging.facts, base["facts"]
    assert set(ours) == set(theirs)
    for key, value in theirs.items():  # the tool rounds amounts to 0.01, dso and days to 0.1, shares to 1e-4
        digits = 1 if key in {"dso", "avg_days_late"} else 4 if key.endswith(("share", "rate")) else 2
        if isinstance(value, str | int) or value is None:
            assert ours[key] == value, key
        else:
            assert ours[key] == pytest.approx(value, abs=0.51 * 10**-digits), key
    tables = {t.name: t.frame for t in aging.tables}
    buckets = tables["aging_buckets"].set_index("bucket")
    assert buckets["amount"].to_list() == pytest.approx(base["buckets"]["amount"].to_list(), abs=0.006)
    assert buckets["customers"].to_list() == base["buckets"]["customers"].to_list()
    assert buckets["share"].astype(float).to_list() == pytest.approx(base["buckets"]["share"].to_list())
    listing = tables["customer_aging"].set_index("customer_id")
    pd.testing.assert_frame_equal(listing, base["listing"], check_dtype=False, check_names=False)
    (overdue,) = [f for f in aging.findings if f.name == "overdue_receivables"]
    assert overdue.customers == base["overdue"].index.to_list()

    sales = data.sales_panel(data.scaled_rows(TINY))
    assert len(sales) == 600
    pricing = price_sensitivity(DatasetBundle([Dataset("sales", sales)]), PriceParams())
    fits = credit_pricing.elasticity_baseline(sales)
    fit, pooled = pricing.facts, fits["pooled"]
    for key, fact in (("elasticity", "elasticity"), ("se", "elasticity_se"), ("ci_low", "elasticity_ci_low"),
                      ("ci_high", "elasticity_ci_high"), ("r_squared", "r_squared"),
                      ("r_squared_within", "r_squared_within"), ("observations", "observations"),
                      ("cells", "cells"), ("promotion_lift", "promotion_lift"),
                      ("volume_change", "volume_change"), ("revenue_change", "revenue_change")):  # fmt: skip
        assert fit[fact] == pytest.approx(pooled[key], rel=1e-6, abs=1e-9), key
    groups = pricing.tables[0].frame.set_index("group").drop(index="all")
    assert groups.index.to_list() == list(fits["segments"])
    for segment, row in groups.iterrows():
        theirs = fits["segments"][segment]
        assert row["classification"] == theirs["classification"]
        for key, column in (("elasticity", "elasticity"), ("se", "std_error"), ("ci_low", "ci_low"),
                            ("ci_high", "ci_high"), ("r_squared", "r_squared"), ("observations", "observations"),
                            ("volume_change", "volume_change"), ("revenue_change", "revenue_change")):  # fmt: skip
            assert row[column] == pytest.approx(theirs[key], rel=1e-6, abs=1e-9), (segment, key)


def test_baselines_agree_with_the_tools():
    from tools.aggregate import customer_totals

    tx = data.canonical_frame(TINY)
    ours = customer_totals(tx)
    base = tools.profitability_baseline(tx)
    assert base["profit"].to_dict() == pytest.approx(ours.loc[base.index, "profit"].to_dict())
    rfm = tools.rfm_baseline(tx)
    assert rfm["monetary"].to_dict() == pytest.approx(ours.loc[rfm.index, "revenue"].to_dict())


def test_memory_benchmark_runs_in_a_subprocess():
    (result,) = memory.tool_memory(TINY)
    assert result.status in {"PASS", "FAIL"}, result.note
    assert result.details["frame_bytes"] > 0


def test_clv_end_to_end_and_inputs():
    _check(clv.end_to_end(TINY), ["clv_end_to_end"])
    inputs = clv.cdnow_inputs()
    assert len(inputs["frequency"]) == 2357
    params = clv.fit_ours(inputs)
    assert params["r"] == pytest.approx(0.243, abs=1e-3)
    days = clv.synthetic_inputs(300, whole_days=True)
    assert days["gg_frequency"].min() > 0
    assert len(days["frequency"]) == 300


def test_clv_vs_lifetimes_skips_or_runs(monkeypatch):
    monkeypatch.setattr(clv, "lifetimes_python", lambda: (None, "no lifetimes venv (test)"))
    results = clv.vs_lifetimes(TINY)
    assert {r.status for r in results} == {"SKIP"}


def test_main_writes_json(tmp_path, monkeypatch):
    monkeypatch.setattr(bench_main, "QUICK", TINY)
    out = tmp_path / "run.json"
    code = bench_main.main(["--quick", "--only", "ingest_clean", "--out", str(out)])
    report = json.loads(out.read_text())
    assert [r["name"] for r in report["results"]] == ["ingest_clean_csv"]
    assert code in (0, 1)
    assert bench_main.selected(["clv"]) == ["clv_vs_lifetimes", "clv_end_to_end"]
