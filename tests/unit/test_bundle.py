"""Dataset fingerprints: equal data gives equal digests, any one-cell change a different one."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from tools.bundle import Dataset, DatasetBundle, frame_fingerprint
from tools.schemas import TEXT_DTYPE


def _frame(n: int = 1000) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "customer_id": pd.array([f"C{i % 97:04d}" for i in range(n)], dtype=TEXT_DTYPE),
            "region": pd.array([None if i % 13 == 0 else "东" * (i % 3) for i in range(n)], dtype=TEXT_DTYPE),
            "date": pd.date_range("2024-01-01", periods=n, freq="h"),
            "revenue": rng.normal(100, 20, n),
            "quantity": rng.integers(1, 9, n),
            "promotion": rng.random(n) > 0.5,
            "note": pd.Series([f"n{i}" if i % 2 else None for i in range(n)], dtype=object),
        }
    )


def test_identical_frames_same_digest() -> None:
    a, b = _frame(), _frame()
    assert frame_fingerprint(a) == frame_fingerprint(b)
    assert len(frame_fingerprint(a)) == 64


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("customer_id", "C9999"),
        ("region", "西"),
        ("region", None),
        ("date", pd.Timestamp("2030-01-01")),
        ("revenue", 0.5),
        ("quantity", 100),
        ("promotion", True),
        ("note", "changed"),
    ],
)
def test_one_cell_change_changes_digest(column: str, value: object) -> None:
    a = _frame()
    b = a.copy()
    row = 27 if column != "promotion" else int(np.flatnonzero(~a["promotion"].to_numpy())[0])
    b.loc[row, column] = value
    assert not a.equals(b)
    assert frame_fingerprint(a) != frame_fingerprint(b)


def test_order_and_names_matter() -> None:
    a = _frame()
    assert frame_fingerprint(a) != frame_fingerprint(a.iloc[::-1].reset_index(drop=True))
    assert frame_fingerprint(a) != frame_fingerprint(a[list(a.columns[::-1])])
    assert frame_fingerprint(a) != frame_fingerprint(a.rename(columns={"revenue": "amount"}))
    # moving a character from one string to the next keeps the bytes but not the values
    s = pd.DataFrame({"x": pd.array(["ab", "c"], dtype=TEXT_DTYPE)})
    t = pd.DataFrame({"x": pd.array(["a", "bc"], dtype=TEXT_DTYPE)})
    assert frame_fingerprint(s) != frame_fingerprint(t)


def test_chunking_and_slicing_do_not_matter() -> None:
    a = _frame()
    b = a.iloc[10:].reset_index(drop=True)  # sliced Arrow buffers
    whole = pa.chunked_array([pa.array(b["customer_id"].tolist(), pa.large_string())])
    pieces = whole.combine_chunks()
    chunked = pa.chunked_array([pieces[:7], pieces[7:500], pieces[500:]])
    c = b.copy()
    c["customer_id"] = pd.Series(pd.array(chunked, dtype=TEXT_DTYPE))
    assert frame_fingerprint(b) == frame_fingerprint(c)


def test_deterministic_across_processes() -> None:
    code = (
        "import sys; sys.path.insert(0, '.'); from tests.unit.test_bundle import _frame; "
        "from tools.bundle import frame_fingerprint; print(frame_fingerprint(_frame()))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == frame_fingerprint(_frame())


def test_dataset_caches_per_frame_object() -> None:
    ds = Dataset("transactions", _frame())
    first = ds.fingerprint
    assert ds._fingerprint is not None and ds.fingerprint == first
    ds.frame = ds.frame.assign(revenue=ds.frame["revenue"] + 1)  # a new frame object: recomputed
    assert ds.fingerprint != first
    bundle = DatasetBundle([Dataset("transactions", _frame())])
    assert bundle.fingerprint() == DatasetBundle([Dataset("transactions", _frame())]).fingerprint()
    assert bundle.fingerprint(["transactions"]) != DatasetBundle([ds]).fingerprint(["transactions"])
