"""The same tool calls on the same data give the same facts on every backend (issue 16).

Reference: each tool run on the in-memory pandas frames with the pandas backend (tools.aggregate's pandas
path, itself checked against hand-computed totals in tests/unit/test_aggregate.py and test_value.py).
The other backends get the very same rows:

- duckdb: the transactions (and invoices) written to Parquet and opened as a live source
  (tools.data.sources: DuckDB queries the files in place);
- duckdb_memory: the in-memory frames, aggregated by DuckDB (``use_backend("duckdb")``);
- postgresql: the tables loaded into a throwaway PostgreSQL server (tests/integration/postgres.py) and
  opened as read-only sources (``postgresql://...?table=orders``);
- spark: the Parquet files read by a local-mode Spark session (``--backend spark``; Debian's Java).

Tolerance: numbers equal within a relative 1e-9 (and 1e-9 absolute): sums are added in a different
order on each engine; text, counts and dates must be identical. The demo company (fixed seed) is sorted
by customer and date so that first-appearance order (pandas) and key order (sources) agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tools.bundle import Dataset, DatasetBundle, IngestReport
from tools.data import backend, sources
from tools.demo import generate
from tools.errors import UserFacingError
from tools.registry import TOOLS

BACKENDS = ["duckdb", "duckdb_memory", "postgresql", pytest.param("spark", marks=pytest.mark.slow)]
#: (tool, arguments) whose every row-level pass runs where the rows live (tools.aggregate,
#: tools/data/invoices.py): nothing is read from a source into memory
IN_PLACE = [
    ("dataset_overview", {}),
    ("customer_profitability", {}),
    ("customer_profitability", {"group_by": "region"}),
    ("customer_profitability", {"group_by": "quarter", "metric": "revenue"}),
    ("customer_profitability", {"customer": "C00007"}),
    ("customer_profitability", {"start": "2024-01-01", "end": "2024-06-30", "order": "bottom", "n": 5}),
    ("customer_profitability", {"group_by": "segment"}),
    ("rfm_segments", {}),
    ("rfm_segments", {"as_of": "2025-06-30"}),
    ("profit_concentration", {}),
    ("churn_trend", {}),
    ("churn_trend", {"group_by": "channel"}),
    ("receivables_aging", {}),
    ("receivables_aging", {"as_of": "2025-06-30", "n": 5}),
    ("customer_lifetime_value", {"model": "historical"}),
    ("customer_lifetime_value", {"model": "historical", "group_by": "segment"}),
    ("cohort_retention", {}),
    ("cohort_retention", {"freq": "quarter", "as_of": "2025-09-30"}),
]
#: Tools (and options) that still read a source's rows into memory (its frame is materialised).
IN_MEMORY = [
    ("receivables_aging", {"dso_method": "countback"}),
    ("customer_lifetime_value", {}),
]
CALLS = IN_PLACE + IN_MEMORY
#: Facts that count the ingestion reports' notes: a live source's report says more (read in place, the
#: sample's notes) than the reference frames' empty reports.
FROM_REPORTS = {"data_quality_notes"}
TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    data = generate(customers=120, seed=11)
    tx = data["transactions"].sort_values(["customer_id", "date", "order_id"], kind="stable")
    inv = data["invoices"].sort_values(["customer_id", "invoice_date"], kind="stable")
    return {
        "transactions": tx.reset_index(drop=True),
        "invoices": inv.reset_index(drop=True),
        "customers": data["customers"],
    }


def _bundle(frames: dict[str, pd.DataFrame], live: dict[str, Dataset] | None = None) -> DatasetBundle:
    out = []
    for kind, frame in frames.items():
        if live and kind in live:
            out.append(live[kind])
        else:
            out.append(Dataset(kind, frame, [IngestReport(f"{kind}.csv", kind, len(frame), len(frame), {})]))
    return DatasetBundle(out)


@pytest.fixture(scope="module")
def parquet_dir(frames, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("parquet")
    for kind in ("transactions", "invoices"):
        (root / kind).mkdir()
        frames[kind].to_parquet(root / kind / "part-0.parquet", index=False)
    return root


@pytest.fixture(scope="module")
def postgres_url(frames, request) -> str:
    import ibis

    server = request.getfixturevalue("postgres_server")
    url = server.new_database()
    parts = pd.Series(url.removeprefix("postgresql://").split("@"))
    user, rest = parts[0], parts[1]
    host_port, database = rest.split("/")
    host, port = host_port.split(":")
    con = ibis.postgres.connect(host=host, port=int(port), user=user, database=database)
    con.create_table("orders", frames["transactions"])
    con.create_table("invoices", frames["invoices"])
    con.disconnect()
    return url


@pytest.fixture
def bundle_on(frames, parquet_dir, request) -> Iterator:
    def make(name: str) -> tuple[DatasetBundle, str]:
        if name == "duckdb":
            live = {k: sources.open_source(str(parquet_dir / k)) for k in ("transactions", "invoices")}
            return _bundle(frames, live), "auto"
        if name == "duckdb_memory":
            return _bundle(frames), "duckdb"
        if name == "postgresql":
            url = request.getfixturevalue("postgres_url")
            live = {
                "transactions": sources.open_source(f"{url}?table=orders"),
                "invoices": sources.open_source(f"{url}?table=invoices"),
            }
            return _bundle(frames, live), "auto"
        with backend.use_backend("spark"):
            live = {k: sources.open_source(str(parquet_dir / k)) for k in ("transactions", "invoices")}
        return _bundle(frames, live), "spark"

    return make


def _run(bundle: DatasetBundle, tool: str, arguments: dict):
    spec = TOOLS[tool]
    try:
        return spec.fn(bundle, spec.params(**arguments))
    except UserFacingError as exc:  # the same refusal is an equal answer
        return exc


def _same(a, b) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
    return a == b


@pytest.mark.parametrize("name", BACKENDS)
def test_same_facts_on_every_backend(name, frames, bundle_on) -> None:
    live, chosen = bundle_on(name)
    reference_bundle = _bundle(frames)
    checked = 0
    for tool, arguments in CALLS:
        if (tool, arguments) in IN_PLACE:
            for source in live.datasets.values():
                if isinstance(source, sources.SourceDataset):
                    assert source._frame is None, f"{tool} read {source.kind} into memory"
        with backend.use_backend("pandas"):
            expected = _run(reference_bundle, tool, arguments)
        with backend.use_backend(chosen):
            got = _run(live, tool, arguments)
        label = f"{tool} {arguments} on {name}"
        if isinstance(expected, Exception):
            assert isinstance(got, Exception) and got.msg == expected.msg, label
            continue
        assert not isinstance(got, Exception), f"{label}: {got}"
        assert set(got.facts) == set(expected.facts), label
        for fact, value in expected.facts.items():
            if fact in FROM_REPORTS:
                continue
            assert _same(got.facts[fact], value), f"{label}: {fact} {got.facts[fact]!r} != {value!r}"
        assert [f.name for f in got.findings] == [f.name for f in expected.findings], label
        for f_got, f_exp in zip(got.findings, expected.findings, strict=True):
            assert sorted(f_got.customers) == sorted(f_exp.customers), f"{label}: {f_exp.name}"
        first_got, first_exp = got.tables[0].frame, expected.tables[0].frame
        assert list(first_got.columns) == list(first_exp.columns), label
        assert len(first_got) == len(first_exp), label
        for column in first_exp.select_dtypes("number").columns:
            assert _same(float(first_got[column].sum()), float(first_exp[column].sum())), f"{label}: {column}"
        checked += len(expected.facts)
    assert checked > 150  # the calls above really produced facts to compare
