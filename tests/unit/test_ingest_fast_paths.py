"""Vectorised ingestion paths against the plain pandas results they replace.

- ``_duplicates`` (bucketed digest of the numbers and an id column's string sketch) must flag exactly
  the rows ``DataFrame.duplicated`` flags.
- ``_to_number`` (pyarrow.compute on the Arrow strings) must give the values and bad-value mask of the
  pandas string methods, value for value.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from tools.ingest import common, rows, values
from tools.schemas import TEXT_DTYPE


def _orders(n: int, seed: int, ids: list[str | None]) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "order_id": pd.array(rng.choice(np.array(ids, dtype=object), n), dtype=TEXT_DTYPE),
            "customer_id": pd.array([f"C{i}" for i in rng.integers(0, 50, n)], dtype=TEXT_DTYPE),
            "date": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 3, n), unit="D"),
            "quantity": rng.integers(1, 3, n).astype(float),
            "revenue": rng.choice([10.0, 20.0, -0.0, 0.0], n),
        }
    )
    return frame


@pytest.mark.parametrize("seed", [0, 1])
def test_duplicates_match_pandas(seed: int) -> None:
    # short, empty, null, long, multi-byte and shared-prefix/suffix ids: the sketch must not split
    # equal strings and the full comparison must not merge different ones
    ids = ["", "a", "ab", "b", "12345678", "123456789", "x123456789", "订单一", "订单一二三四五六", None]
    ids += [f"O{i:07d}" for i in range(40)] + [f"{i}-suffix-shared-long" for i in range(5)]
    frame = _orders(60_000, seed, ids)
    frame = pd.concat([frame, frame.iloc[::7]], ignore_index=True)  # exact repeats
    assert len(frame) >= 50_000  # the bucketed path
    expected = frame.duplicated().to_numpy()
    got = rows.duplicates(frame).to_numpy()
    assert expected.sum() > 0 and (got == expected).all()


def test_string_sketch_equal_for_equal_strings_across_chunks() -> None:
    import pyarrow as pa

    values = ["", "a", "abcdefgh", "abcdefghi", "é", None, "abcdefgh"]
    whole = pa.array(values * 3, pa.large_string())
    chunked = pa.chunked_array([whole[:5], whole[5:12], whole[12:]])
    sketch = rows._string_sketch(pd.Series(pd.array(chunked, dtype=TEXT_DTYPE)))
    by_value: dict[object, set[int]] = {}
    for v, k in zip(values * 3, sketch, strict=True):
        by_value.setdefault(v, set()).add(int(k))
    assert all(len(keys) == 1 for keys in by_value.values())
    assert len({next(iter(k)) for v, k in by_value.items() if v is not None}) == len(set(values) - {None})


def _to_number_pandas(s: pd.Series, decimal_comma: bool | None) -> tuple[pd.Series, pd.Series]:
    """The previous implementation, with pandas string methods (per-value re.sub for the \\s pattern)."""
    t = values._text(s).str.lower()
    blank = t.isna() | t.isin(common.NA)
    negative = t.str.startswith("(") & t.str.endswith(")")
    percent = t.str.contains("%", regex=False)
    scale = t.str.endswith("万").map({True: 1e4, False: 1.0}) * t.str.endswith("亿").map(
        {True: 1e8, False: 1.0}
    )
    core = t.astype(object).str.replace(
        r"[\s()%¥$€£'’_]|rmb|cny|usd|eur|hkd|nt|元|人民币|万|亿", "", regex=True
    )
    core = core.str.replace("−", "-", regex=False)
    if decimal_comma is None:
        decimal_comma = bool(core.str.match(r"^-?[\d.]*\d,\d{1,2}$").fillna(False).any()) and not (
            core.str.match(r"^-?[\d,]*\d\.\d{1,2}$").fillna(False).any()
        )
    if decimal_comma:
        core = core.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        core = core.str.replace(",", "", regex=False)
    number = pd.to_numeric(core, errors="coerce").astype("float64") * scale.astype("float64")
    signed = number.mask(negative, -number.abs())
    signed = signed.mask(percent, signed / 100)
    return signed, signed.isna() & ~blank


NUMBERS = [
    "1,234.5", "¥1 200", "￥300", "$5", "€7.5", "100元", "RMB 80", "(500)", "12%", "－３", "1.5万",
    " 42 ", None, "", "NULL", "n/a", "abc", "(12%)", "1\u3000000", "2亿", "1.2.3", "−5", "1,5",
    "1.234,56", "x\x0b1", "1e3", "inf", "-", "(1,234.50)", "usd 3", "nt$ 9", "1'000", "1_000",
    "１２３", "3\u2009000", "  ", "hkd5", "5 cny", "7\x1c", "8\x85", "１，２３４．５",
]  # fmt: skip


@pytest.mark.parametrize("decimal_comma", [None, False, True])
def test_to_number_matches_pandas_string_methods(decimal_comma: bool | None) -> None:
    s = pd.Series(NUMBERS, dtype=TEXT_DTYPE)
    got, got_bad = values.to_number(s, decimal_comma)
    want, want_bad = _to_number_pandas(s, decimal_comma)
    assert got.dtype == "float64"
    pd.testing.assert_series_equal(got, want, check_names=False)
    assert (got_bad.to_numpy() == want_bad.to_numpy()).all()


def test_parenthesised_percentage_is_negative() -> None:
    got, _ = values.to_number(pd.Series(["(12%)", "12%", "(500)"], dtype=TEXT_DTYPE), None)
    assert got.tolist() == [-0.12, 0.12, -500.0]  # accounting notation: (x) is -x, percent or not


def test_to_number_pattern_has_no_python_only_syntax() -> None:
    # pandas falls back to per-value re.sub for \s, \d and lookarounds; the Arrow pattern must avoid them
    assert not re.search(r"\\[sSdDwWb]|\(\?[=!<]", values._NOT_NUMBER)
