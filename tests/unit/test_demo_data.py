"""Demo company generator: determinism, schema, invariants, the stories it must tell, and scale."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from tools.demo import PRICE_EVENTS, TRUE_ELASTICITY, generate, write_csvs
from tools.schemas import KINDS, required_columns

END = pd.Timestamp("2025-12-31")
START = pd.Timestamp("2023-01-01")

COLUMNS = {
    "transactions": [
        "order_id", "customer_id", "date", "product", "channel", "region", "quantity", "unit_price",
        "discount", "revenue", "cost", "service_cost",
    ],
    "customers": [
        "customer_id", "name", "segment", "region", "industry", "signup_date", "acquisition_channel",
        "payment_terms_days", "churned", "churn_date",
    ],
    "invoices": [
        "invoice_id", "customer_id", "invoice_date", "due_date", "amount", "paid_date", "paid_amount",
        "written_off",
    ],
    "financials": [
        "customer_id", "total_assets", "total_liabilities", "current_assets", "current_liabilities",
        "inventory", "cash", "ebit", "interest_expense", "retained_earnings", "sales", "equity",
        "market_value_equity",
    ],
    "sales": ["date", "product", "store", "segment", "unit_price", "quantity", "promotion"],
    "feedback": [
        "customer_id", "date", "score", "category", "complaint", "text", "resolved", "response_hours",
    ],
    "marketing": ["channel", "period", "spend", "leads", "new_customers", "revenue"],
}  # fmt: skip
DATE_COLUMNS = {"date", "signup_date", "churn_date", "invoice_date", "due_date", "paid_date", "period"}
STRING_COLUMNS = {
    "order_id", "customer_id", "invoice_id", "product", "channel", "region", "name", "segment", "industry",
    "acquisition_channel", "store", "category", "text",
}  # fmt: skip
BOOL_COLUMNS = {"churned", "written_off", "promotion", "complaint", "resolved"}
INT_COLUMNS = {"quantity", "payment_terms_days", "score", "leads", "new_customers"}


@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    return generate()


@pytest.fixture(scope="module")
def big() -> dict[str, pd.DataFrame]:
    """A larger company for statistical properties (stable enough for fixed thresholds)."""
    return generate(customers=4000, seed=11)


# --- determinism and schema -------------------------------------------------------------------------


def test_same_seed_gives_identical_frames(demo: dict[str, pd.DataFrame]) -> None:
    again = generate()
    for kind in KINDS:
        pd.testing.assert_frame_equal(demo[kind], again[kind])


def test_different_seed_gives_different_frames(demo: dict[str, pd.DataFrame]) -> None:
    other = generate(seed=8)
    for kind in KINDS:
        assert not demo[kind].equals(other[kind]), kind


def test_keys_columns_and_dtypes(demo: dict[str, pd.DataFrame]) -> None:
    assert list(demo) == list(KINDS)
    for kind, frame in demo.items():
        assert list(frame.columns) == COLUMNS[kind], kind
        for needed in required_columns(kind):
            assert any(c in frame.columns for c in needed.split("|")), (kind, needed)
        assert len(frame) > 0, kind
        assert frame.index.equals(pd.RangeIndex(len(frame))), kind
        for col in frame.columns:
            dtype = frame[col].dtype
            if col in DATE_COLUMNS:
                assert pd.api.types.is_datetime64_dtype(dtype), (kind, col, dtype)
            elif col in STRING_COLUMNS:
                assert dtype == "str", (kind, col, dtype)
            elif col in BOOL_COLUMNS:
                assert dtype == "bool", (kind, col, dtype)
            elif col in INT_COLUMNS:
                assert dtype == np.int64, (kind, col, dtype)
            else:
                assert dtype == np.float64, (kind, col, dtype)


def test_ids_and_labels(demo: dict[str, pd.DataFrame]) -> None:
    customers = demo["customers"]
    assert customers.customer_id.str.fullmatch(r"C\d{5}").all()
    assert customers.customer_id.iloc[0] == "C00001" and customers.customer_id.iloc[-1] == "C00400"
    assert customers.customer_id.is_unique
    assert customers.name.is_unique
    assert customers.name.str.contains(r"[\u4e00-\u9fff]").mean() == pytest.approx(0.15, abs=0.06)
    assert set(customers.segment) == {"A", "B", "C"}
    assert set(customers.acquisition_channel) == {"Search", "Social", "Referral", "Trade show", "Email"}
    tx = demo["transactions"]
    assert tx.order_id.is_unique
    assert set(tx.channel) == {"Online", "Direct sales", "Distributor"}
    assert 5 <= tx["product"].nunique() <= 8
    assert set(tx.customer_id) == set(customers.customer_id)  # every customer bought at least once
    assert demo["invoices"].invoice_id.is_unique
    assert set(demo["feedback"].text.str.contains(r"[\u4e00-\u9fff]")) == {True, False}


# --- invariants -------------------------------------------------------------------------------------


def test_revenue_identity_and_refunds(demo: dict[str, pd.DataFrame]) -> None:
    tx = demo["transactions"]
    expected = tx.quantity * tx.unit_price * (1 - tx.discount)
    assert (tx.revenue - expected).abs().max() <= 0.005 + 1e-9
    refunds = tx[tx.revenue < 0]
    assert 0.002 <= len(refunds) / len(tx) <= 0.01
    assert (refunds.quantity < 0).all() and refunds.order_id.str.endswith("-R").all()
    originals = tx.set_index("order_id")
    source = originals.loc[refunds.order_id.str.removesuffix("-R")]
    assert (source.date.to_numpy() <= refunds.date.to_numpy()).all()
    assert (-refunds.quantity.to_numpy() <= source.quantity.to_numpy()).all()
    assert (tx.discount.between(0, 0.4)).all() and (tx.service_cost > 0).all()
    assert tx.date.between(START, END).all()


def test_nothing_happens_after_churn(demo: dict[str, pd.DataFrame]) -> None:
    customers = demo["customers"].set_index("customer_id")
    assert customers.churned.mean() == pytest.approx(0.3, abs=0.1)
    assert customers.churn_date.notna().eq(customers.churned).all()
    assert (customers.churn_date.dropna() > customers.signup_date[customers.churned]).all()
    for kind in ("transactions", "feedback"):
        frame = demo[kind]
        churn = frame.customer_id.map(customers.churn_date)
        assert not (frame.date >= churn).any(), kind


def test_invoice_invariants(demo: dict[str, pd.DataFrame]) -> None:
    inv = demo["invoices"]
    paid = inv.paid_date.notna()
    assert (inv.paid_date[paid] >= inv.invoice_date[paid]).all()
    assert (inv.paid_date[paid] <= END).all() and (inv.invoice_date <= END).all()
    assert set((inv.due_date - inv.invoice_date).dt.days) <= {30, 45, 60}
    assert (inv.amount > 0).all()
    assert (inv.paid_amount[paid] == inv.amount[paid]).all() and (inv.paid_amount[~paid] == 0).all()
    assert not (inv.written_off & paid).any()
    assert 0 < inv.written_off.mean() < 0.03
    # monthly billing: per customer, invoices add up to the net revenue of the months with positive net
    tx = demo["transactions"]
    monthly = tx.groupby([tx.customer_id, tx.date.dt.to_period("M")]).revenue.sum().round(2)
    assert inv.amount.sum() == pytest.approx(monthly[monthly > 0].sum(), abs=0.01 * len(inv))


def test_financials_are_consistent(demo: dict[str, pd.DataFrame]) -> None:
    fin = demo["financials"]
    segments = demo["customers"].set_index("customer_id").segment
    assert set(fin.customer_id.map(segments)) == {"A", "B"}
    assert (fin.equity == fin.total_assets - fin.total_liabilities).all()
    assert (fin.current_assets <= fin.total_assets).all()
    assert (fin.current_liabilities <= fin.total_liabilities).all()
    assert (fin.inventory + fin.cash <= fin.current_assets).all()
    assert (fin[["total_assets", "current_assets", "current_liabilities", "cash", "sales"]] > 0).all().all()
    public = fin.market_value_equity.notna()
    assert 0 < public.mean() < 0.5 and (fin.market_value_equity[public] > 0).all()


def test_marketing_matches_customers(demo: dict[str, pd.DataFrame]) -> None:
    mk, customers, tx = demo["marketing"], demo["customers"], demo["transactions"]
    assert len(mk) == 5 * 36 and mk.period.dt.is_month_start.all()
    new = customers[customers.signup_date >= START]
    counts = new.groupby([new.acquisition_channel, new.signup_date.dt.to_period("M").dt.start_time]).size()
    got = mk.set_index(["channel", "period"]).new_customers
    assert got.sum() == len(new)
    assert got[got > 0].sort_index().equals(counts.rename("new_customers").sort_index().astype(np.int64))
    assert (mk.leads >= mk.new_customers).all() and (mk.spend > 0).all()
    # revenue: first-year revenue of the customers acquired in that channel and month
    first = tx.merge(new[["customer_id", "signup_date", "acquisition_channel"]], on="customer_id")
    first = first[first.date < first.signup_date + pd.Timedelta(days=365)]
    assert mk.revenue.sum() == pytest.approx(first.revenue.sum(), abs=0.01 * len(mk))


# --- the stories the demo must tell -----------------------------------------------------------------


def _net_profit(tx: pd.DataFrame) -> pd.Series:
    return (tx.revenue - tx.cost - tx.service_cost).groupby(tx.customer_id).sum()


@pytest.mark.parametrize("size", ["demo", "big"])
def test_loss_making_share(size: str, request: pytest.FixtureRequest) -> None:
    frames = request.getfixturevalue(size)
    net = _net_profit(frames["transactions"])
    share = (net < 0).sum() / len(frames["customers"])
    assert 0.08 <= share <= 0.15
    assert net.sum() > 0


def test_heavy_tailed_activity(big: dict[str, pd.DataFrame]) -> None:
    tx = big["transactions"]
    orders = tx[tx.revenue > 0].groupby("customer_id").size()
    assert 10 <= len(tx) / len(big["customers"]) <= 12
    assert orders.quantile(0.99) > 5 * orders.median()
    assert tx.groupby("customer_id").revenue.sum().skew() > 3


def test_seasonality_and_price_changes(big: dict[str, pd.DataFrame]) -> None:
    tx = big["transactions"]
    per_month = tx.groupby(tx.date.dt.month).size() / tx.date.dt.month.value_counts().size
    assert per_month[2] < 0.8 * per_month.mean()  # Chinese New Year dip
    assert per_month[[10, 11, 12]].mean() > 1.1 * per_month.mean()  # Q4 peak
    # one list price per product and day; yearly increases and known product events
    sold = tx[tx.revenue > 0]
    assert sold.groupby(["product", "date"]).unit_price.nunique().max() == 1
    yearly = sold.groupby(["product", sold.date.dt.year]).unit_price.min().unstack()
    assert (yearly[2024] > yearly[2023]).all()
    months, product, change = PRICE_EVENTS[0]
    event = START + pd.DateOffset(months=months)
    p = sold[(sold["product"] == product) & (sold.date.dt.year == event.year)]
    ratio = p.unit_price[p.date >= event].mean() / p.unit_price[p.date < event].mean()
    assert ratio == pytest.approx(1 + change, abs=1e-3)


def test_late_payers_and_open_receivables(big: dict[str, pd.DataFrame]) -> None:
    inv = big["invoices"]
    paid = inv[inv.paid_date.notna()]
    days_late = (paid.paid_date - paid.due_date).dt.days
    per_customer = days_late.groupby(paid.customer_id).mean()
    assert 0.05 < (per_customer > 30).mean() < 0.25  # chronic late payers
    assert 0.3 < (days_late > 0).mean() < 0.8
    open_overdue = inv[inv.paid_date.isna() & ~inv.written_off & (inv.due_date < END)]
    assert len(open_overdue) > 0.02 * len(inv)
    # deteriorating payers: some customers pay much later in the last year than in the first
    year = paid.invoice_date.dt.year
    trend = (
        days_late[year == 2025].groupby(paid.customer_id).mean()
        - days_late[year == 2023].groupby(paid.customer_id).mean()
    )
    assert (trend > 40).sum() > 0.01 * len(per_customer)


def test_financial_health_tracks_late_payment(big: dict[str, pd.DataFrame]) -> None:
    fin = big["financials"].set_index("customer_id")
    x = [
        (fin.current_assets - fin.current_liabilities) / fin.total_assets,
        fin.retained_earnings / fin.total_assets,
        fin.ebit / fin.total_assets,
        fin.equity / fin.total_liabilities,
        fin.sales / fin.total_assets,
    ]
    z_private = 0.717 * x[0] + 0.847 * x[1] + 3.107 * x[2] + 0.420 * x[3] + 0.998 * x[4]
    zones = pd.cut(z_private, [-np.inf, 1.23, 2.90, np.inf], labels=["distress", "grey", "safe"])
    assert zones.value_counts(normalize=True).min() > 0.1
    inv = big["invoices"].dropna(subset=["paid_date"])
    late = (inv.paid_date - inv.due_date).dt.days.groupby(inv.customer_id).mean()
    joined = pd.concat([z_private.rename("z"), late.rename("late")], axis=1, join="inner")
    assert joined.z.corr(joined.late) < -0.15


def test_one_unprofitable_marketing_channel(demo: dict[str, pd.DataFrame]) -> None:
    by_channel = demo["marketing"].groupby("channel")[["spend", "revenue"]].sum()
    unprofitable = by_channel.index[by_channel.revenue < by_channel.spend].tolist()
    assert unprofitable == ["Social"]


def test_complainers_churn_more(big: dict[str, pd.DataFrame]) -> None:
    customers = big["customers"].set_index("customer_id")
    complained = big["feedback"].groupby("customer_id").complaint.any()
    complained = complained.reindex(customers.index, fill_value=False).astype(bool)
    assert customers.churned[complained].mean() > customers.churned[~complained].mean() + 0.05
    fb = big["feedback"]
    assert fb.score[fb.complaint].mean() < fb.score[~fb.complaint].mean() - 1
    assert fb.score.between(1, 5).all() and (fb.response_hours > 0).all()


def _auc(score: np.ndarray, label: np.ndarray) -> float:
    ranks = pd.Series(score).rank().to_numpy()
    pos = label.astype(bool)
    return float((ranks[pos].sum() - pos.sum() * (pos.sum() + 1) / 2) / (pos.sum() * (~pos).sum()))


def _logistic_fit(x: np.ndarray, y: np.ndarray, ridge: float = 1.0, steps: int = 25) -> np.ndarray:
    beta = np.zeros(x.shape[1])
    penalty = ridge * np.eye(x.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ beta))
        grad = x.T @ (p - y) + penalty @ beta
        hess = (x * (p * (1 - p))[:, None]).T @ x + penalty
        beta -= np.linalg.solve(hess, grad)
    return beta


def test_churn_is_learnable_but_not_a_rule(big: dict[str, pd.DataFrame]) -> None:
    """Features observed before the churn date (or the end) give a 5-fold CV AUC in (0.6, 0.95)."""
    customers = big["customers"].set_index("customer_id")
    cutoff = customers.churn_date.fillna(END + pd.Timedelta(days=1))
    feats = pd.DataFrame(index=customers.index)
    tx = big["transactions"]
    before = (tx.customer_id.map(cutoff) - tx.date).dt.days
    feats["recent"] = (before <= 90).groupby(tx.customer_id).sum()
    feats["earlier"] = ((before > 90) & (before <= 365)).groupby(tx.customer_id).sum()
    fb = big["feedback"]
    feats["complaints"] = fb.complaint.groupby(fb.customer_id).sum()
    inv = big["invoices"]
    inv = inv[inv.paid_date < inv.customer_id.map(cutoff)]
    feats["late"] = (inv.paid_date - inv.due_date).dt.days.groupby(inv.customer_id).mean()
    feats = feats.fillna(0.0)
    feats["log_recent"] = np.log1p(feats.pop("recent"))
    feats["log_earlier"] = np.log1p(feats.pop("earlier"))
    feats["seg_b"] = customers.segment.eq("B").astype(float)
    feats["seg_c"] = customers.segment.eq("C").astype(float)
    x = ((feats - feats.mean()) / feats.std()).to_numpy()
    x = np.column_stack([np.ones(len(x)), x])
    y = customers.churned.to_numpy().astype(float)
    fold = np.random.default_rng(0).permutation(len(y)) % 5
    score = np.empty(len(y))
    for k in range(5):
        beta = _logistic_fit(x[fold != k], y[fold != k])
        score[fold == k] = x[fold == k] @ beta
    auc = _auc(score, y)
    assert 0.6 < auc < 0.95
    # same segment, same complaint count, no late payment: both outcomes still occur
    stratum = (customers.segment == "C") & (feats.complaints == 0) & (feats.late <= 0)
    assert 0.05 < customers.churned[stratum].mean() < 0.95


def test_sales_recovers_true_elasticity(demo: dict[str, pd.DataFrame]) -> None:
    sales = demo["sales"]
    assert sales.groupby("product").unit_price.apply(lambda p: np.log(p).std()).min() > 0.08
    assert 0.1 < sales.promotion.mean() < 0.3
    for segment, truth in TRUE_ELASTICITY.items():
        rows = sales[sales.segment == segment]
        x = np.column_stack(
            [
                np.log(rows.unit_price),
                rows.promotion.astype(float),
                pd.get_dummies(rows["product"]).to_numpy(float),  # product fixed effects
            ]
        )
        beta = np.linalg.lstsq(x, np.log(rows.quantity), rcond=None)[0]
        assert beta[0] == pytest.approx(truth, abs=0.1), segment
    assert TRUE_ELASTICITY["B"] < TRUE_ELASTICITY["A"] < 0


# --- other windows, files, scale --------------------------------------------------------------------


def test_other_window() -> None:
    frames = generate(customers=60, seed=3, years=1, end=date(2024, 6, 15))
    start, end = pd.Timestamp("2023-06-16"), pd.Timestamp("2024-06-15")
    assert frames["transactions"].date.between(start, end).all()
    assert frames["feedback"].date.between(start, end).all()
    assert (frames["invoices"].invoice_date <= end).all()
    assert frames["marketing"].period.min() == pd.Timestamp("2023-06-01")
    with pytest.raises(ValueError, match="customers"):
        generate(customers=0)


def test_write_csvs_round_trip(tmp_path) -> None:
    paths = write_csvs(tmp_path / "demo", customers=120, seed=5)
    assert [p.name for p in paths] == [f"{kind}.csv" for kind in KINDS]
    frames = generate(customers=120, seed=5)
    for path, kind in zip(paths, KINDS, strict=True):
        back = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        assert list(back.columns) == COLUMNS[kind]
        assert len(back) == len(frames[kind])
        for col in DATE_COLUMNS & set(back.columns):
            assert back[col].str.fullmatch(r"(\d{4}-\d{2}-\d{2})?").all(), (kind, col)
    customers = pd.read_csv(paths[1], dtype=str, keep_default_na=False)
    assert customers.customer_id.iloc[0] == "C00001"
    assert customers.name.tolist() == frames["customers"].name.tolist()  # Chinese names survive
    tx = pd.read_csv(paths[0])
    assert np.allclose(tx.revenue, frames["transactions"].revenue)


def test_scale_100k_customers() -> None:
    frames = generate(customers=100_000, seed=7)
    tx = frames["transactions"]
    assert len(tx) >= 1_000_000
    assert tx.customer_id.iloc[:5].str.fullmatch(r"C\d{6}").all()
