"""Vectorised value parsing: text, numbers (thousands separators, currency signs, percent, parentheses
for negatives), dates (ISO, 2024/3/5, 2024年3月5日, day/month order decided from the data), flags.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tools.ingest.common import FALSE, NA, TRUE
from tools.schemas import (
    DATE_DTYPE,
    TEXT_DTYPE,
)

# --- values ------------------------------------------------------------------------------------------

_DMY = r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:[\sT].*)?$"
_YMD = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$"


# Python's \s (str patterns) as an explicit class: pyarrow's RE2 \s misses some of these, so pandas
# would fall back to per-value re.sub for a pattern using \s.
_SPACES = r"\t\n\x{0b}\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_NOT_NUMBER = rf"[{_SPACES}()%¥$€£'’_]|rmb|cny|usd|eur|hkd|nt|元|人民币|万|亿"
_NA_VALUES = pa.array(NA, pa.string())


def _text_array(s: pd.Series) -> pa.Array | pa.ChunkedArray:
    """NFKC-normalised, trimmed strings as an Arrow array (NaN becomes null)."""
    values = pa.array(s.astype(TEXT_DTYPE), from_pandas=True)
    return pc.utf8_trim_whitespace(pc.utf8_normalize(values, "NFKC"))


def _text(s: pd.Series) -> pd.Series:
    """NFKC-normalised, trimmed strings (NaN stays NaN)."""
    return pd.Series(pd.array(_text_array(s), dtype=TEXT_DTYPE), index=s.index)


def is_text(s: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(s) or s.dtype == object


def to_text(s: pd.Series, padded: bool = True) -> pd.Series:
    """ids and text attributes: strings exactly as in the file, trimmed; blank -> missing.

    ``padded=False``: the file has no spaces at all, so there is nothing to trim.
    """
    if pd.api.types.is_float_dtype(s) and s.dropna().mod(1).eq(0).all():
        s = s.astype("Int64")
    s = s.astype(TEXT_DTYPE)
    if not padded:
        return s
    values = pa.array(s, from_pandas=True)
    if pc.any(pc.starts_with(values, " ")).as_py() or pc.any(pc.ends_with(values, " ")).as_py():
        s = s.str.strip()
        s = s.mask(s == "")
    return s


def to_number(s: pd.Series, decimal_comma: bool | None = None) -> tuple[pd.Series, pd.Series]:
    """Numbers from '1,234.50', '¥1 200', '(500)', '12%', '３４', '1.2万' -> float64, and a bad-value mask.

    The text work runs in pyarrow.compute on the Arrow array (a vectorised RE2 pass, no per-value
    Python).
    """
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64"), pd.Series(False, index=s.index)
    t = pc.utf8_lower(_text_array(s))
    blank = pc.or_(pc.is_null(t), pc.fill_null(pc.is_in(t, value_set=_NA_VALUES), False))
    blank = blank.to_numpy(zero_copy_only=False)
    negative = pc.fill_null(pc.and_(pc.starts_with(t, "("), pc.ends_with(t, ")")), False)
    percent = pc.fill_null(pc.match_substring(t, "%"), False)
    scale = pc.multiply(
        pc.if_else(pc.fill_null(pc.ends_with(t, "万"), False), 1e4, 1.0),
        pc.if_else(pc.fill_null(pc.ends_with(t, "亿"), False), 1e8, 1.0),
    ).to_numpy(zero_copy_only=False)
    core = pc.replace_substring(pc.replace_substring_regex(t, _NOT_NUMBER, ""), "−", "-")
    if decimal_comma is None:
        decimal_comma = pc.any(
            pc.match_substring_regex(core, r"^-?[0-9.]*[0-9],[0-9]{1,2}$")
        ).as_py() is True and (
            pc.any(pc.match_substring_regex(core, r"^-?[0-9,]*[0-9]\.[0-9]{1,2}$")).as_py() is not True
        )
    if decimal_comma:
        core = pc.replace_substring(pc.replace_substring(core, ".", ""), ",", ".")
    else:
        core = pc.replace_substring(core, ",", "")
    try:  # every value a plain number: Arrow's parser gives the same doubles as pandas', 10x faster
        number = pc.cast(core, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        core_s = pd.Series(pd.array(core, dtype=TEXT_DTYPE), index=s.index)
        number = pd.to_numeric(core_s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    number = number * scale
    negative = negative.to_numpy(zero_copy_only=False)
    percent = percent.to_numpy(zero_copy_only=False)
    # parentheses mark a negative, percentages included: '(12%)' reads -0.12 (accounting notation)
    signed = np.where(negative, -np.abs(number), number)
    signed = np.where(percent, signed / 100, signed)
    return pd.Series(signed, index=s.index), pd.Series(np.isnan(signed) & ~blank, index=s.index)


def _dates_from_numbers(x: pd.Series) -> pd.Series:
    """yyyymmdd integers or Excel serial day numbers -> dates (NaT otherwise)."""
    x = pd.to_numeric(x, errors="coerce")
    ymd = pd.to_datetime(
        x.where(x.between(19000101, 21001231)).astype("Int64").astype(TEXT_DTYPE),
        format="%Y%m%d",
        errors="coerce",
    )
    serial = pd.to_datetime(x.where(x.between(20000, 80000)), unit="D", origin="1899-12-30", errors="coerce")
    return ymd.fillna(serial)


def _parse_date_strings(u: pd.Series, order: str) -> pd.Series:
    """Distinct date strings -> datetimes.

    ISO, 2024/3/5, 2024年3月5日, 05/03/2024 (``order``: dmy | mdy), yyyymmdd, Excel serials, month names.
    """
    out = pd.to_datetime(u, format="ISO8601", errors="coerce")
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_localize(None)
    out = out.astype("datetime64[ns]")
    rest = out.isna() & u.notna()
    if rest.any():
        r = u[rest]
        ymd, dmy = r.str.extract(_YMD), r.str.extract(_DMY)
        first, second = (dmy[1], dmy[0]) if order == "dmy" else (dmy[0], dmy[1])
        parts = pd.DataFrame(
            {"year": ymd[0].fillna(dmy[2]), "month": ymd[1].fillna(first), "day": ymd[2].fillna(second)}
        ).apply(pd.to_numeric)
        parts["year"] = parts["year"].where(parts["year"] >= 100, parts["year"] + 2000)
        ok = parts.notna().all(axis=1)
        out.loc[ok[ok].index] = pd.to_datetime(parts[ok], errors="coerce").to_numpy()
        digits = out.isna() & u.str.fullmatch(r"\d{5}|\d{8}")
        if digits.any():
            out.loc[digits] = _dates_from_numbers(u[digits]).to_numpy()
        named = out.isna() & u.str.contains(r"[a-zA-Z]") & (
            u.str.contains(r"\d{4}") | u.str.match(r"^\d{1,2}[-/ ][A-Za-z]{3,9}\.?[-/ ]\d{2}$")  # 01-Aug-23
        )
        if named.any():
            out.loc[named] = pd.to_datetime(
                u[named], format="mixed", dayfirst=order == "dmy", errors="coerce"
            ).to_numpy()
    return out


def to_date(s: pd.Series, order: str) -> tuple[pd.Series, pd.Series]:
    """Dates (naive, midnight) and a bad-value mask; text is parsed once per distinct value."""
    if pd.api.types.is_datetime64_any_dtype(s):
        values = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        return values.dt.normalize().astype(DATE_DTYPE), pd.Series(False, index=s.index)
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        values = _dates_from_numbers(s).astype(DATE_DTYPE)
        return values, values.isna() & s.notna()
    codes, uniques = pd.factorize(s.astype(TEXT_DTYPE))
    u = _text(pd.Series(uniques, dtype=TEXT_DTYPE))
    parsed = _parse_date_strings(u, order).dt.normalize().to_numpy()
    blank = u.str.lower().isin(NA).to_numpy()
    values = np.where(codes >= 0, parsed[codes.clip(0)], np.datetime64("NaT"))
    bad = (codes >= 0) & np.isnat(values) & ~blank[codes.clip(0)]
    return pd.Series(values, index=s.index, dtype=DATE_DTYPE), pd.Series(bad, index=s.index)


def day_order(columns: list[pd.Series]) -> tuple[str, str | None]:
    """'dmy' or 'mdy' for nn/nn/yyyy dates, decided from the data; plus an example when undecidable."""
    votes: Counter[str] = Counter()
    example = None
    for s in columns:
        if not is_text(s):
            continue
        u = _text(pd.Series(s.dropna().unique(), dtype=TEXT_DTYPE))
        parts = u.str.extract(_DMY).dropna()
        if parts.empty:
            continue
        a, b = parts[0].astype(int), parts[1].astype(int)
        votes.update({"dmy": int((a > 12).any()), "mdy": int((b > 12).any())})
        ambiguous = u[parts.index[(a <= 12) & (b <= 12) & (a != b)]]
        if example is None and len(ambiguous):
            example = str(ambiguous.iloc[0])
    votes = +votes
    if votes:
        return votes.most_common(1)[0][0], None
    return "dmy", example


def to_bool(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """yes/no, y/n, 1/0, true/false, 是/否, 已流失/未流失 ... -> nullable boolean, and a bad-value mask."""
    if pd.api.types.is_bool_dtype(s):
        return s.astype("boolean"), pd.Series(False, index=s.index)
    codes, uniques = pd.factorize(s.astype(TEXT_DTYPE))
    u = _text(pd.Series(uniques, dtype=TEXT_DTYPE)).str.lower()
    truth = pd.Series(pd.NA, index=u.index, dtype="boolean")
    truth[u.isin(TRUE) | (u.str.startswith("已") & ~u.isin(FALSE))] = True
    truth[u.isin(FALSE) | u.str.match(r"^(未|不|非|没)")] = False
    blank = u.isin(NA).to_numpy()
    known = truth.notna().to_numpy()
    values = pd.array(truth.to_numpy(dtype=object)[codes.clip(0)], dtype="boolean")
    values[codes < 0] = pd.NA
    bad = (codes >= 0) & ~known[codes.clip(0)] & ~blank[codes.clip(0)]
    return pd.Series(values, index=s.index), pd.Series(bad, index=s.index)


def numeric_if_clean(s: pd.Series) -> pd.Series:
    """An unmapped text column that holds only plain numbers (no leading zeros) becomes float64."""
    if not is_text(s) or s.isna().all() or s.str.match(r"^0\d").any():
        return s
    number = pd.to_numeric(s, errors="coerce")
    return number.astype("float64") if number.notna().sum() == s.notna().sum() else s
