"""Deterministic demo company: every canonical table kind, generated from one seed.

``generate(customers, seed, years, end)`` returns one DataFrame per kind in ``tools.bundle.KINDS``
with the canonical English column names of ARCHITECTURE.md; ``write_csvs`` writes them as UTF-8 CSV
files (ISO dates, string ids such as ``C00001``). Everything is vectorised numpy: 100k customers give
about 1.1M transactions in 2-3 seconds. Each section draws from its own ``numpy.random.Generator``
seeded with ``[seed, section]`` (seed >= 0), so a change in one table never reshuffles another.

Assumptions (the story the data tells)
--------------------------------------
Window and customers
    The window is the ``years`` years ending at ``end`` (2023-01-01 .. 2025-12-31 by default). 40% of
    customers signed up before the window (up to six years earlier), the rest sign up inside it at a
    growing rate and place a first order on their signup day; every customer orders at least once in
    the window. Segment A (15%) are large B2B accounts, B (35%) mid-market businesses, C (50%) small
    shops and consumers. About 15% of the names are Chinese. ``payment_terms_days`` is an extra column.
Churn (stochastic, never a rule of the features)
    Hazard per year = segment base (A 0.045, B 0.08, C 0.12) x exp(0.25 dissatisfaction + 0.6 chronic
    late payer + 0.8 deteriorating payer + 0.3 new customer + 0.35 unobserved noise), x 2.5
    (price-sensitive) or 1.2 (others) from a price increase of the customer's main product on, and
    x exp(0.9 min(p, 3)) where p counts the customer's earlier complaints (unresolved 1, resolved 0.5).
    The churn date is a draw from this piecewise-constant (monthly) hazard, at least 21 days after
    signup; about 30% of customers churn in three years. In the 180 days before churn the order rate
    falls linearly to 25%. Nothing (order, refund, feedback) happens on or after the churn date, so
    every feature observed before it is legitimate; a model on such features reaches a CV AUC of about
    0.7-0.75.
Transactions
    One row per order line. Orders are a Poisson process per customer (orders per year by segment,
    times a heavy-tailed gamma factor with a floor), thinned by monthly seasonality (February dip for
    Chinese New Year, Q4 peak). ~13% of customers (6% of B, 22% of C) are "tiny frequent" buyers of one
    or two cheap items about 18 times a year; their cost-to-serve exceeds their gross margin, which
    makes 8-15% of all customers loss-making on net profit. List prices rise 3% every 1 January and
    ``PRICE_EVENTS`` change single products on known month starts; unit costs rise 2% a year. Discounts
    depend on segment, a negotiated customer offset, distributor orders (+5 points) and promotions.
    revenue = round(quantity x unit_price x (1 - discount), 2); cost = quantity x unit cost (COGS);
    service_cost = channel handling (Online 5, Direct sales 30, Distributor 12) + 2% of revenue +
    occasional support cases. About 0.5% of orders get a refund row 3-30 days later (negative
    quantity, revenue and cost; order_id = original id + "-R").
Invoices
    Monthly billing per customer of the month's net revenue (months with net revenue <= 0 get no
    invoice), dated at the month end (or ``end``), due after the customer's terms (A 45/60, B 30/45,
    C 30 days). Payer types: on time (~60%), mildly late (~21%), chronic late (~11%, ~45 days late),
    deteriorating (~8%, from ~5 to ~105 days late across the window). A churned customer leaves 30% of
    its invoices from the last 60 days before churn unpaid. Payments falling after ``end`` leave the
    invoice open (paid_date NaT, paid_amount 0); open invoices more than 90 days past due of risky
    customers (chronic, deteriorating or churned) are written off with probability 0.6 (paid_date
    stays NaT). No partial payments.
Financials
    Whole-currency statements for every segment A and B customer, driven by a credit-quality latent
    shared with the payer type, so late payers are weaker and Altman zones correlate with late payment.
    current_assets <= total_assets, inventory + cash <= current_assets, current_liabilities <=
    total_liabilities, equity = total_assets - total_liabilities (may be negative).
    market_value_equity only for "public" firms (~35% of A, ~5% of B), NaN otherwise.
Sales (price/volume panel, no customers)
    Weekly observations per product (5), store (4) and segment. log(quantity) = const(product, segment,
    store) + TRUE_ELASTICITY[segment] x log(unit_price / reference price) + 0.35 promotion
    + N(0, 0.15). Prices follow the list price with independent weekly shocks (sd 10%) and promotions
    (18% of weeks, 10-30% off). No seasonality or trend in this panel, so OLS of log quantity on log
    price with product fixed effects and a promotion dummy recovers the elasticities.
Feedback
    CSAT 1-5, category, complaint flag, short English or Chinese comment, resolved (always True for
    non-complaints) and response_hours, dated inside each customer's active period.
Marketing
    Monthly spend, leads and new customers per acquisition channel over the window. new_customers
    equals the number of customers with that acquisition_channel whose signup_date falls in the month;
    revenue is those customers' first-year revenue (365 days from signup, truncated at ``end``). Spend
    is a per-channel cost per acquisition relative to the average first-year revenue, plus a base;
    Social spends far more than its customers bring in (the unprofitable channel).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tools.bundle import KINDS

__all__ = [
    "PRICE_EVENTS",
    "PRODUCTS",
    "TRUE_ELASTICITY",
    "generate",
    "write_csvs",
]

DATE_DTYPE = "datetime64[us]"  # what pandas 3 gives when parsing ISO date strings

SEGMENTS = ("A", "B", "C")
REGIONS = ("North", "East", "South", "West")
INDUSTRIES = ("Manufacturing", "Retail", "Services", "Technology", "Construction", "Wholesale")
ACQUISITION_CHANNELS = ("Search", "Social", "Referral", "Trade show", "Email")
ORDER_CHANNELS = ("Online", "Direct sales", "Distributor")
FEEDBACK_CATEGORIES = ("Delivery", "Quality", "Billing", "Support", "Price")
PAYER_TYPES = ("on_time", "mild", "chronic", "deteriorating")

# name, list price at window start, unit cost / list price at window start
PRODUCTS: tuple[tuple[str, float, float], ...] = (
    ("Basic Supplies", 12.0, 0.80),
    ("Standard Components", 45.0, 0.62),
    ("Premium Components", 120.0, 0.45),
    ("Spare Parts Kit", 60.0, 0.55),
    ("Industrial Equipment", 850.0, 0.74),
    ("Maintenance Service", 200.0, 0.40),
    ("Software License", 300.0, 0.15),
)
ANNUAL_PRICE_INCREASE = 0.03
ANNUAL_COST_INFLATION = 0.02
# (months after window start, product, relative list-price change)
PRICE_EVENTS: tuple[tuple[int, str, float], ...] = (
    (18, "Premium Components", 0.12),
    (27, "Basic Supplies", -0.08),
    (30, "Software License", 0.15),
)
# Constant price elasticity of demand per segment in the ``sales`` panel (same for every product).
TRUE_ELASTICITY: dict[str, float] = {"A": -0.6, "B": -1.8, "C": -1.2}

SEASONALITY = np.array([0.95, 0.70, 0.95, 1.0, 1.0, 0.95, 0.90, 0.95, 1.05, 1.10, 1.20, 1.35])

_PRODUCT_MIX = np.array(
    [
        [0.05, 0.15, 0.20, 0.10, 0.20, 0.15, 0.15],  # A
        [0.15, 0.25, 0.20, 0.15, 0.05, 0.10, 0.10],  # B
        [0.35, 0.30, 0.10, 0.15, 0.00, 0.05, 0.05],  # C
        [0.60, 0.30, 0.00, 0.10, 0.00, 0.00, 0.00],  # tiny frequent buyers
    ]
)
_CHANNEL_MIX = np.array([[0.15, 0.70, 0.15], [0.40, 0.30, 0.30], [0.60, 0.05, 0.35], [0.55, 0.05, 0.40]])
_ACQUISITION_MIX = np.array(
    [[0.10, 0.02, 0.35, 0.45, 0.08], [0.30, 0.10, 0.25, 0.20, 0.15], [0.35, 0.30, 0.15, 0.02, 0.18]]
)
_INDUSTRY_MIX = np.array(
    [
        [0.35, 0.10, 0.10, 0.15, 0.20, 0.10],
        [0.25, 0.15, 0.20, 0.15, 0.10, 0.15],
        [0.05, 0.45, 0.30, 0.05, 0.05, 0.10],
    ]
)
_SALES_TO_ASSETS = np.array([1.2, 2.2, 1.0, 0.8, 1.1, 1.8])  # by industry
_HANDLING = np.array([5.0, 30.0, 12.0])  # cost to serve per order, by order channel
_SPEND_PER_ORDER = np.array([6000.0, 1200.0, 220.0, 20.0])  # typical order value: A, B, C, tiny
_ORDER_RATE = np.array([7.0, 5.0, 3.3, 18.0])  # orders per year: A, B, C, tiny
_CHURN_BASE = np.array([0.045, 0.08, 0.12])
_CAC_RATIO = np.array([0.12, 0.80, 0.04, 0.30, 0.06])  # spend per new customer / mean first-year revenue
_CONVERSION = np.array([0.08, 0.03, 0.30, 0.12, 0.05])  # leads -> customers

_EN_PREFIX = (
    "Northwind", "Blue River", "Summit", "Golden Gate", "Evergreen", "Silverline", "Redwood", "Pioneer",
    "Atlas", "Harbor", "Crescent", "Liberty", "Oakridge", "Bright Star", "Ironclad", "Sunrise",
    "Westfield", "Cedar", "Granite", "Horizon", "Keystone", "Lakeside", "Meridian", "Nova", "Orchard",
    "Pinnacle", "Riverside", "Sterling", "Trident", "Unity", "Vertex", "Willow", "Apex", "Beacon",
    "Cobalt", "Delta", "Eastgate", "Falcon", "Greenfield", "Highland", "Juniper", "Kingsway",
    "Lighthouse", "Maple", "Northstar", "Oceanic", "Prairie", "Quarry", "Rockford", "Seaside",
    "Timberline", "Upland", "Valley", "Waypoint", "Yellowstone", "Zenith", "Aspen", "Bluebird",
    "Copperfield", "Driftwood",
)  # fmt: skip
_EN_CORE = (
    "Trading", "Logistics", "Components", "Foods", "Systems", "Textiles", "Machinery", "Retail",
    "Supplies", "Engineering", "Electronics", "Building", "Packaging", "Home Goods", "Health", "Motors",
    "Printing", "Furniture", "Materials", "Solutions", "Tools", "Plastics", "Energy", "Design",
    "Hardware", "Interiors", "Labs", "Outfitters", "Metals", "Services",
)  # fmt: skip
_EN_FORM = ("Ltd", "Inc.", "Co.", "LLC", "Group", "Corp.", "& Sons", "Partners")
_ZH_CITY = (
    "上海", "北京", "广州", "深圳", "杭州", "苏州", "南京", "成都",
    "武汉", "天津", "重庆", "西安", "青岛", "厦门", "宁波", "长沙",
)  # fmt: skip
_ZH_BRAND = (
    "星辰", "华信", "恒通", "金桥", "宏达", "瑞丰", "鼎盛", "天宇", "远航", "博雅", "新源", "顺达",
    "永盛", "联创", "嘉禾", "明辉", "恒远", "佳美", "润泽", "盛泰", "安达", "汇通", "锦程", "宏图",
    "立信", "同创", "正泰", "海纳", "银河", "卓越",
)  # fmt: skip
_ZH_TRADE = ("贸易", "科技", "物流", "机械", "电子", "建材", "食品", "纺织", "包装", "实业", "商贸", "家居")

_COMMENTS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    # category: ((complaint en, complaint zh), (praise en, praise zh))
    "Delivery": (("Delivery was late again.", "货物又延迟送达了。"), ("Fast delivery, thanks.", "发货很快，谢谢。")),
    "Quality": (("Several items arrived damaged.", "部分产品到货时已损坏。"), ("Good quality as always.", "质量一如既往地好。")),
    "Billing": (("The invoice amount was wrong.", "发票金额有误。"), ("Billing is clear and simple.", "账单清楚明了。")),
    "Support": (("Nobody answered our support request.", "客服一直没有回复我们的问题。"), ("Support solved it quickly.", "客服很快解决了问题。")),
    "Price": (("Prices went up too much.", "价格涨得太多了。"), ("Fair prices.", "价格合理。")),
}  # fmt: skip


def generate(
    customers: int = 400, seed: int = 7, years: int = 3, end: date = date(2025, 12, 31)
) -> dict[str, pd.DataFrame]:
    """Generate the demo company: one canonical frame per table kind (keys in ``KINDS`` order).

    Parameters
    ----------
    customers : number of customers (>= 1); transactions are about 11 per customer.
    seed : seed of the numpy Generators; the same arguments always give identical frames.
    years : length of the transaction window in years, ending at ``end`` (inclusive).
    end : last day of the window.

    Examples
    --------
    >>> frames = generate(customers=50, seed=1)
    >>> list(frames) == list(KINDS)
    True
    """
    if customers < 1:
        raise ValueError(f"customers must be at least 1, got {customers}")
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years}")
    start = _years_before(end, years) + timedelta(days=1)
    w = _Window(_day(start), _day(end))
    rng_customers = np.random.default_rng([seed, 1])
    cust = _customers(rng_customers, customers, w)
    feedback = _feedback_events(np.random.default_rng([seed, 6]), cust, w)
    _churn(rng_customers, cust, feedback, w)
    tx = _transactions(np.random.default_rng([seed, 2]), cust, w)
    frames = {
        "transactions": tx.frame,
        "customers": _customer_frame(cust),
        "invoices": _invoices(np.random.default_rng([seed, 3]), cust, tx, w),
        "financials": _financials(np.random.default_rng([seed, 4]), cust),
        "sales": _sales(np.random.default_rng([seed, 5]), w),
        "feedback": _feedback_frame(cust, feedback),
        "marketing": _marketing(np.random.default_rng([seed, 7]), cust, tx, w),
    }
    return {kind: frames[kind] for kind in KINDS}


def write_csvs(out_dir: Path, customers: int = 400, seed: int = 7) -> list[Path]:
    """Write one UTF-8 CSV per table kind (``transactions.csv``, ``customers.csv``, ...) to ``out_dir``.

    Dates are ISO (YYYY-MM-DD), missing values are empty, booleans are True/False.
    Returns the paths written, in ``KINDS`` order.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind, frame in generate(customers=customers, seed=seed).items():
        path = out_dir / f"{kind}.csv"
        whole = "%.0f" if kind == "financials" else None  # whole currency units, no trailing ".0"
        frame.to_csv(path, index=False, encoding="utf-8", date_format="%Y-%m-%d", float_format=whole)
        paths.append(path)
    return paths


# ----------------------------------------------------------------------------------------------------
# Dates as integer days since 1970-01-01


@dataclass(frozen=True)
class _Window:
    """The transaction window as integer days (``end`` inclusive)."""

    start: int
    end: int

    @property
    def days(self) -> int:
        return self.end - self.start + 1


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _day(d: date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


def _dates(days: np.ndarray) -> np.ndarray:
    """Integer days -> datetime64[us]."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype(DATE_DTYPE)


def _month_index(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 of integer days."""
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _month_start(months: np.ndarray) -> np.ndarray:
    return np.asarray(months, dtype=np.int64).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def _year(days: np.ndarray) -> np.ndarray:
    return (
        np.asarray(days, dtype=np.int64).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
        + 1970
    )


def _list_price(product: np.ndarray, days: np.ndarray, w: _Window) -> np.ndarray:
    """List price of ``product`` (index) on ``days``: yearly increases plus ``PRICE_EVENTS``."""
    base = np.array([p[1] for p in PRODUCTS])[product]
    years_in = _year(days) - _year(np.array([w.start]))[0]
    price = base * (1 + ANNUAL_PRICE_INCREASE) ** years_in
    for event_day, prod, change in _price_events(w):
        price = np.where((product == prod) & (days >= event_day), price * (1 + change), price)
    return np.round(price, 2)


def _price_events(w: _Window) -> list[tuple[int, int, float]]:
    """PRICE_EVENTS as (day, product index, change) for events inside the window."""
    names = [p[0] for p in PRODUCTS]
    start_month = _month_index(np.array([w.start]))[0]
    out = []
    for months, name, change in PRICE_EVENTS:
        day = int(_month_start(np.array([start_month + months]))[0])
        if day <= w.end:
            out.append((day, names.index(name), change))
    return out


def _labels(values: tuple[str, ...], codes: np.ndarray) -> pd.Series:
    """String column from a small tuple of labels and integer codes."""
    return pd.Series(pa.array(values, pa.string()).take(pa.array(codes)), dtype="str")


def _choice_rows(rng: np.random.Generator, probs: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Per-row categorical draw where row i uses ``probs[group[i]]``."""
    cum = np.cumsum(probs, axis=1)
    cum[:, -1] = 1.0
    u = rng.random(len(group))
    out = np.empty(len(group), dtype=np.int64)
    for g in range(probs.shape[0]):
        mask = group == g
        out[mask] = np.searchsorted(cum[g], u[mask], side="right")
    return np.minimum(out, probs.shape[1] - 1)


def _cat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.concatenate([x, y])


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Ids such as C00001: prefix + zero-padded number (arrow strings, fast for millions)."""
    digits = pa.array(np.asarray(numbers, dtype=np.int64)).cast(pa.string())
    return pc.binary_join_element_wise(prefix, pc.utf8_lpad(digits, width=width, padding="0"), "")


# ----------------------------------------------------------------------------------------------------
# Customers and churn


class _Customers:
    """Customer attributes and latent traits as arrays indexed by customer number - 1."""

    n: int
    segment: np.ndarray  # 0 A, 1 B, 2 C
    region: np.ndarray
    industry: np.ndarray
    tiny: np.ndarray  # tiny frequent buyer (loss-making by design)
    group: np.ndarray  # segment, or 3 for tiny frequent buyers
    signup: np.ndarray  # day
    new: np.ndarray  # signed up inside the window
    acquisition: np.ndarray
    dissatisfaction: np.ndarray  # latent, drives complaints (and a little churn)
    credit: np.ndarray  # latent credit quality, drives payer type and financial health
    payer: np.ndarray  # index into PAYER_TYPES
    price_sensitive: np.ndarray
    size: np.ndarray  # order size factor
    rate: np.ndarray  # orders per year before seasonality
    main_product: np.ndarray
    channel: np.ndarray  # preferred order channel
    discount_offset: np.ndarray
    terms: np.ndarray  # payment terms in days
    public: np.ndarray  # has a market value of equity
    active_start: np.ndarray  # max(signup, window start)
    id_series: pd.Series
    names: list[str]
    chinese: np.ndarray
    churned: np.ndarray
    churn_day: np.ndarray  # first inactive day (window end + 1 when not churned)


def _names(rng: np.random.Generator, n: int) -> tuple[list[str], np.ndarray]:
    """Plausible company names, unique until the name space is used up; ~15% Chinese.

    Returns the names and a boolean array marking the Chinese ones.
    """
    chinese = rng.random(n) < 0.15
    names = np.empty(n, dtype=object)
    styles = (
        (False, (_EN_PREFIX, _EN_CORE, _EN_FORM), " ", ""),
        (True, (_ZH_CITY, _ZH_BRAND, _ZH_TRADE), "", "有限公司"),
    )
    for is_zh, (first, middle, last), sep, tail in styles:
        idx = np.flatnonzero(chinese == is_zh)
        space = len(first) * len(middle) * len(last)
        reps = -(-len(idx) // space)
        combos = [rng.permutation(space) for _ in range(reps)]
        combos = np.concatenate(combos)[: len(idx)] if combos else np.empty(0, dtype=np.int64)
        a, rest = np.divmod(combos, len(middle) * len(last))
        b, f = np.divmod(rest, len(last))
        names[idx] = [
            f"{first[i]}{sep}{middle[j]}{sep}{last[k]}{tail}" + (f" {r + 1}" if r else "")
            for i, j, k, r in zip(
                a.tolist(), b.tolist(), f.tolist(), (np.arange(len(idx)) // space).tolist(), strict=True
            )
        ]
    return names.tolist(), chinese


def _customers(rng: np.random.Generator, n: int, w: _Window) -> _Customers:
    """Observed attributes and latent traits of ``n`` customers (churn is drawn later)."""
    c = _Customers()
    c.n = n
    c.segment = rng.choice(3, size=n, p=[0.15, 0.35, 0.50])
    c.region = rng.choice(len(REGIONS), size=n, p=[0.30, 0.30, 0.25, 0.15])
    c.industry = _choice_rows(rng, _INDUSTRY_MIX, c.segment)
    c.tiny = rng.random(n) < np.array([0.0, 0.06, 0.22])[c.segment]
    c.group = np.where(c.tiny, 3, c.segment)  # segment, or 3 for tiny frequent buyers

    # signup: 40% before the window (up to 6 years), the rest inside it at a growing rate
    pre = rng.random(n) < 0.40
    u = rng.random(n)
    span_in = max(w.days - 14, 1)
    growth = 0.6  # density grows linearly from 1 to 1 + growth over the window
    frac = (np.sqrt(1 + growth * (2 + growth) * u) - 1) / growth  # inverse CDF of the linear density
    c.signup = np.where(
        pre,
        w.start - 1 - np.floor(u * 6 * 365.25).astype(np.int64),
        w.start + np.floor(frac * span_in).astype(np.int64),
    )
    c.new = ~pre
    c.acquisition = _choice_rows(rng, _ACQUISITION_MIX, c.segment)

    # latent traits
    c.dissatisfaction = rng.standard_normal(n)
    c.credit = rng.standard_normal(n)
    u_pay = (c.credit + 0.5 * rng.standard_normal(n)) / np.sqrt(1.25)
    c.payer = np.select([u_pay < -1.2265, u_pay < -0.8779, u_pay < -0.2533], [2, 3, 1], default=0)
    c.price_sensitive = rng.random(n) < np.array([0.2, 0.6, 0.4])[c.segment]
    c.size = rng.lognormal(0.0, 0.6, n)
    c.rate = _ORDER_RATE[c.group] * np.where(
        c.tiny, rng.gamma(2.0, 0.5, n), 0.25 + 0.75 * rng.gamma(0.6, 1 / 0.6, n)
    )
    c.main_product = _choice_rows(rng, _PRODUCT_MIX, c.group)
    c.channel = _choice_rows(rng, _CHANNEL_MIX, c.group)
    c.discount_offset = np.where(c.segment == 2, 0.0, rng.uniform(-0.03, 0.05, n))
    c.terms = np.select(
        [c.segment == 0, c.segment == 1],
        [rng.choice([45, 60], size=n, p=[0.4, 0.6]), rng.choice([30, 45], size=n, p=[0.6, 0.4])],
        default=30,
    )
    c.public = rng.random(n) < np.array([0.35, 0.05, 0.0])[c.segment]

    c.active_start = np.maximum(c.signup, w.start)
    c.id_series = pd.Series(_ids("C", np.arange(1, n + 1), max(5, len(str(n)))), dtype="str")
    c.names, c.chinese = _names(rng, n)
    return c


def _churn(rng: np.random.Generator, c: _Customers, fb: _Feedback, w: _Window) -> None:
    """Draw churn from a monthly piecewise-constant hazard (sets ``churned`` and ``churn_day``).

    Hazard per year = segment base x exp(0.25 dissatisfaction + payer-type terms + 0.3 new customer +
    0.35 noise) x k after a price increase of the main product (k = 2.5 price-sensitive, else 1.2)
    x exp(0.9 min(p, 3)) where p counts the complaints up to the previous month (1 unresolved,
    0.5 resolved). Complaints after the churn date cannot matter: churn is the first passage.
    """
    n = c.n
    first_month = _month_index(np.array([w.start]))[0]
    n_m = _month_index(np.array([w.end]))[0] - first_month + 1
    bounds = _month_start(first_month + np.arange(n_m + 1))
    bounds[0], bounds[-1] = w.start, w.end + 1
    log_h = (
        np.log(_CHURN_BASE[c.segment])
        + 0.25 * c.dissatisfaction
        + 0.6 * (c.payer == 2)
        + 0.8 * (c.payer == 3)
        + 0.3 * c.new
        + 0.35 * rng.standard_normal(n)
    )
    h = np.exp(log_h) / 365.25  # per day

    mult = np.ones((n, n_m))
    k = np.where(c.price_sensitive, 2.5, 1.2)
    for day, prod, change in _price_events(w):
        if change > 0:
            hit = (c.main_product == prod)[:, None] & (bounds[None, :-1] >= day)
            mult = np.where(hit, mult * k[:, None], mult)
    weight = np.where(fb.complaint, np.where(fb.resolved, 0.5, 1.0), 0.0)
    month = _month_index(fb.day) - first_month
    nxt = month + 1 < n_m
    pressure = np.bincount(
        fb.cust[nxt] * n_m + month[nxt] + 1, weights=weight[nxt], minlength=n * n_m
    ).reshape(n, n_m)
    mult *= np.exp(0.9 * np.minimum(np.cumsum(pressure, axis=1), 3.0))

    lo = np.maximum(bounds[None, :-1], c.active_start[:, None])
    exposure = np.clip(bounds[None, 1:] - lo, 0, None)
    rate = h[:, None] * mult
    cum = np.cumsum(rate * exposure, axis=1)
    e = rng.standard_exponential(n)
    j = (cum < e[:, None]).sum(axis=1)
    hit = j < n_m
    rows = np.flatnonzero(hit)
    jj = j[rows]
    before = np.where(jj > 0, cum[rows, np.maximum(jj - 1, 0)], 0.0)
    churn_day = np.full(n, w.end + 1, dtype=np.int64)
    churn_day[rows] = (lo[rows, jj] + np.floor((e[rows] - before) / rate[rows, jj])).astype(np.int64)
    churn_day = np.maximum(churn_day, np.maximum(c.signup + 21, c.active_start + 1))
    c.churned = churn_day <= w.end
    c.churn_day = np.where(c.churned, churn_day, w.end + 1)  # first inactive day


def _customer_frame(c: _Customers) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": c.id_series,
            "name": pd.Series(c.names, dtype="str"),
            "segment": _labels(SEGMENTS, c.segment),
            "region": _labels(REGIONS, c.region),
            "industry": _labels(INDUSTRIES, c.industry),
            "signup_date": _dates(c.signup),
            "acquisition_channel": _labels(ACQUISITION_CHANNELS, c.acquisition),
            "payment_terms_days": c.terms.astype(np.int64),
            "churned": c.churned,
            "churn_date": pd.Series(_dates(c.churn_day)).where(c.churned),
        }
    )


# ----------------------------------------------------------------------------------------------------
# Transactions


class _Transactions:
    """Transaction arrays used by later tables, plus the public frame."""

    cust: np.ndarray
    day: np.ndarray
    revenue: np.ndarray
    cost: np.ndarray
    service_cost: np.ndarray
    frame: pd.DataFrame


def _transactions(rng: np.random.Generator, c: _Customers, w: _Window) -> _Transactions:
    """Orders as a thinned Poisson process per customer (seasonality, decline before churn)."""
    a = c.active_start.astype(np.float64)
    b = c.churn_day.astype(np.float64)  # exclusive
    span = np.maximum(b - a, 0.0)
    s_max = SEASONALITY.max()
    n_cand = rng.poisson(c.rate * span / 365.25 * s_max / SEASONALITY.mean())
    cust = np.repeat(np.arange(c.n), n_cand)
    t = a[cust] + rng.random(len(cust)) * span[cust]
    day = np.floor(t).astype(np.int64)
    accept = SEASONALITY[_month_index(day) % 12] / s_max
    lead = 180.0
    decline = 1 - 0.75 * np.clip((t - (b[cust] - lead)) / lead, 0.0, 1.0)
    accept = accept * np.where(c.churned[cust], decline, 1.0)
    keep = rng.random(len(cust)) < accept
    # every customer who signs up inside the window orders on the signup day; every other customer
    # orders at least once inside the window
    cust, day = cust[keep], day[keep]
    first = np.flatnonzero(c.new)
    idle = np.flatnonzero(~c.new & (np.bincount(cust, minlength=c.n) == 0))
    idle_day = c.active_start[idle] + np.floor(rng.random(len(idle)) * span[idle]).astype(np.int64)
    cust = np.concatenate([cust, first, idle])
    day = np.concatenate([day, c.signup[first], idle_day])
    order = np.lexsort((cust, day))
    cust, day = cust[order], day[order]
    n = len(cust)
    group = c.group[cust]

    product = np.where(rng.random(n) < 0.6, c.main_product[cust], _choice_rows(rng, _PRODUCT_MIX, group))
    channel = np.where(rng.random(n) < 0.85, c.channel[cust], rng.integers(0, 3, n))
    unit_price = _list_price(product, day, w)
    spend = _SPEND_PER_ORDER[group] * np.where(c.tiny[cust], 1.0, c.size[cust])
    quantity = np.maximum(1, np.round(np.exp(np.log(spend / unit_price) + 0.8 * rng.standard_normal(n))))
    quantity = np.minimum(quantity, 100_000).astype(np.int64)
    promo = rng.random(n) < 0.10
    discount = (
        np.array([0.12, 0.06, 0.01, 0.0])[group]
        + c.discount_offset[cust]
        + 0.05 * (channel == 2)
        + promo * rng.uniform(0.05, 0.15, n)
    )
    discount = np.clip(np.round(discount * 200) / 200, 0.0, 0.4)
    revenue = np.round(quantity * unit_price * (1 - discount), 2)
    years_in = _year(day) - _year(np.array([w.start]))[0]
    unit_cost = np.array([p[1] * p[2] for p in PRODUCTS])[product] * (1 + ANNUAL_COST_INFLATION) ** years_in
    cost = np.round(quantity * unit_cost, 2)
    support = (rng.random(n) < 0.05 + 0.05 * (c.dissatisfaction[cust] > 1)) * rng.uniform(20, 80, n)
    service_cost = np.round(_HANDLING[channel] + 0.02 * revenue + support, 2)

    # refunds: ~0.5% of orders, 3-30 days later, never after churn or the window end
    r = np.flatnonzero(rng.random(n) < 0.005)
    r_day = np.minimum(day[r] + rng.integers(3, 31, len(r)), np.minimum(c.churn_day[cust[r]] - 1, w.end))
    r_day = np.maximum(r_day, day[r])
    r_qty = -np.maximum(1, np.round(quantity[r] * rng.uniform(0.2, 1.0, len(r)))).astype(np.int64)
    r_rev = np.round(r_qty * unit_price[r] * (1 - discount[r]), 2)
    r_cost = np.round(r_qty * unit_cost[r], 2)
    r_service = np.round(15.0 + 0.05 * np.abs(r_rev), 2)

    order_ids = _ids("O", np.arange(1, n + 1), max(7, len(str(n))))
    refund_ids = pc.binary_join_element_wise(order_ids.take(pa.array(r)), "-R", "")
    all_ids = pa.concat_arrays([order_ids, refund_ids])
    cust_all = _cat(cust, cust[r])
    day_all = _cat(day, r_day)
    final = np.lexsort((cust_all, day_all))  # stable: refunds after their order on the same day
    cust_all, day_all = cust_all[final], day_all[final]
    prod_all = _cat(product, product[r])[final]
    chan_all = _cat(channel, channel[r])[final]
    tx = _Transactions()
    tx.cust, tx.day = cust_all, day_all
    tx.revenue = _cat(revenue, r_rev)[final]
    tx.cost = _cat(cost, r_cost)[final]
    tx.service_cost = _cat(service_cost, r_service)[final]
    tx.frame = pd.DataFrame(
        {
            "order_id": pd.Series(all_ids.take(pa.array(final)), dtype="str"),
            "customer_id": c.id_series.take(cust_all).reset_index(drop=True),
            "date": _dates(day_all),
            "product": _labels(tuple(p[0] for p in PRODUCTS), prod_all),
            "channel": _labels(ORDER_CHANNELS, chan_all),
            "region": _labels(REGIONS, c.region[cust_all]),
            "quantity": _cat(quantity, r_qty)[final],
            "unit_price": _cat(unit_price, unit_price[r])[final],
            "discount": _cat(discount, discount[r])[final],
            "revenue": tx.revenue,
            "cost": tx.cost,
            "service_cost": tx.service_cost,
        }
    )
    return tx


# ----------------------------------------------------------------------------------------------------
# Invoices


def _invoices(rng: np.random.Generator, c: _Customers, tx: _Transactions, w: _Window) -> pd.DataFrame:
    """Monthly invoices of each customer's net revenue, with payment behaviour by payer type."""
    month = _month_index(tx.day)
    m0 = _month_index(np.array([w.start]))[0]
    n_months = _month_index(np.array([w.end]))[0] - m0 + 1
    keys, inverse = np.unique(tx.cust * n_months + (month - m0), return_inverse=True)
    amount = np.round(np.bincount(inverse, weights=tx.revenue), 2)
    cust, inv_month = np.divmod(keys, n_months)
    inv_month = inv_month + m0
    keep = amount > 0
    cust, inv_month, amount = cust[keep], inv_month[keep], amount[keep]
    n = len(cust)
    invoice_day = np.minimum(_month_start(inv_month + 1) - 1, w.end)
    due_day = invoice_day + c.terms[cust]

    payer = c.payer[cust]
    progress = np.clip((invoice_day - w.start) / w.days, 0.0, 1.0)
    deteriorating_mean = 5 + 100 * progress**2
    late = np.select(
        [payer == 0, payer == 1, payer == 2],
        [
            rng.normal(-2.0, 4.0, n),
            rng.gamma(2.0, 6.0, n),
            rng.gamma(3.0, 15.0, n),
        ],
        default=rng.gamma(3.0, 1.0, n) * deteriorating_mean / 3.0,
    )
    paid_day = np.maximum(due_day + np.round(late).astype(np.int64), invoice_day)
    # a churned customer leaves some of its last invoices unpaid
    last_bills = c.churned[cust] & (invoice_day >= c.churn_day[cust] - 60)
    paid_day = np.where(last_bills & (rng.random(n) < 0.3), w.end + 1, paid_day)
    is_open = paid_day > w.end
    risky = (payer >= 2) | c.churned[cust]
    written_off = is_open & risky & (due_day + 90 < w.end) & (rng.random(n) < 0.6)

    order = np.lexsort((cust, invoice_day))
    width = max(6, len(str(n)))
    paid_dates = pd.Series(_dates(paid_day[order])).where(~is_open[order])
    return pd.DataFrame(
        {
            "invoice_id": pd.Series(_ids("INV", np.arange(1, n + 1), width), dtype="str"),
            "customer_id": c.id_series.take(cust[order]).reset_index(drop=True),
            "invoice_date": _dates(invoice_day[order]),
            "due_date": _dates(due_day[order]),
            "amount": amount[order],
            "paid_date": paid_dates,
            "paid_amount": np.where(is_open, 0.0, amount)[order],
            "written_off": written_off[order],
        }
    )


# ----------------------------------------------------------------------------------------------------
# Financial statements (segments A and B)


def _financials(rng: np.random.Generator, c: _Customers) -> pd.DataFrame:
    """Statements of segment A and B customers; health follows the credit latent (late payers weaker)."""
    idx = np.flatnonzero(c.segment <= 1)
    n = len(idx)
    health = 0.75 * c.credit[idx] + 0.66 * rng.standard_normal(n)
    noise = rng.standard_normal((6, n))
    assets = np.where(c.segment[idx] == 0, 80e6, 8e6) * np.exp(0.8 * noise[0]) * np.sqrt(c.size[idx])
    x1 = np.clip(0.12 + 0.12 * health + 0.05 * noise[1], -0.3, 0.6)  # working capital / assets
    x2 = np.clip(0.12 + 0.18 * health + 0.05 * noise[2], -0.6, 0.6)  # retained earnings / assets
    x3 = np.clip(0.05 + 0.06 * health + 0.02 * noise[3], -0.25, 0.35)  # EBIT / assets
    leverage = np.clip(0.55 - 0.18 * health + 0.08 * noise[4], 0.08, 1.3)
    x5 = _SALES_TO_ASSETS[c.industry[idx]] * np.exp(0.25 * noise[5])
    current_share = np.clip(rng.normal(0.45, 0.1, n), 0.15, 0.9)

    total_assets = np.round(assets)
    current_assets = np.round(current_share * total_assets)
    current_liabilities = np.clip(current_assets - x1 * total_assets, 0.02 * total_assets, None)
    total_liabilities = np.round(np.maximum(leverage * total_assets, current_liabilities))
    current_liabilities = np.minimum(np.round(current_liabilities), total_liabilities)
    service_like = np.isin(c.industry[idx], [2, 3])
    inventory = np.round(current_assets * rng.uniform(0.05, 0.45, n) * np.where(service_like, 0.3, 1.0))
    cash = np.round(current_assets * rng.uniform(0.05, 0.35, n))
    equity = total_assets - total_liabilities
    public = c.public[idx]
    mve = np.round(np.maximum(equity, 0.05 * total_assets) * rng.lognormal(np.log(1.6), 0.5, n))
    return pd.DataFrame(
        {
            "customer_id": c.id_series.take(idx).reset_index(drop=True),
            "total_assets": total_assets,
            "total_liabilities": total_liabilities,
            "current_assets": current_assets,
            "current_liabilities": current_liabilities,
            "inventory": inventory,
            "cash": cash,
            "ebit": np.round(x3 * total_assets),
            "interest_expense": np.round(total_liabilities * rng.uniform(0.015, 0.05, n)),
            "retained_earnings": np.round(x2 * total_assets),
            "sales": np.round(x5 * total_assets),
            "equity": equity,
            "market_value_equity": np.where(public, mve, np.nan),
        }
    )


# ----------------------------------------------------------------------------------------------------
# Sales panel with known elasticities


SALES_PRODUCTS = (0, 1, 2, 3, 6)
STORES = ("North Store", "East Store", "South Store", "West Store")


def _sales(rng: np.random.Generator, w: _Window) -> pd.DataFrame:
    """Weekly price/volume panel (product x store x segment) with constant elasticities."""
    first_monday = w.start + (-(w.start + 3)) % 7  # 1970-01-01 was a Thursday
    weeks = np.arange(first_monday, w.end + 1, 7)
    n_w, n_p, n_s, n_g = len(weeks), len(SALES_PRODUCTS), len(STORES), len(SEGMENTS)
    # price per (week, product, store): list price x weekly shock x promotion
    wk, pr, st = (
        a.ravel() for a in np.meshgrid(np.arange(n_w), np.arange(n_p), np.arange(n_s), indexing="ij")
    )
    product = np.array(SALES_PRODUCTS)[pr]
    base_price = _list_price(product, weeks[wk], w) * np.exp(rng.normal(0.0, 0.10, len(wk)))
    promotion = rng.random(len(wk)) < 0.18
    base_price = base_price * np.where(promotion, 1 - rng.uniform(0.10, 0.30, len(wk)), 1.0)
    ref_price = np.array([p[1] for p in PRODUCTS])[product]
    store_size = np.array([1.1, 1.0, 0.95, 0.85])[st]
    # expand to segments
    rows = len(wk)
    g = np.repeat(np.arange(n_g)[None, :], rows, axis=0).ravel()
    rep = np.repeat(np.arange(rows), n_g)
    seg_price_factor = np.array([0.92, 1.0, 1.05])[g]
    unit_price = np.round(base_price[rep] * seg_price_factor, 2)
    elasticity = np.array([TRUE_ELASTICITY[s] for s in SEGMENTS])[g]
    base_q = np.array([60.0, 120.0, 150.0])[g] * rng.uniform(0.7, 1.3, n_p)[pr[rep]] * store_size[rep]
    log_q = (
        np.log(base_q)
        + elasticity * np.log(unit_price / (ref_price[rep] * seg_price_factor))
        + 0.35 * promotion[rep]
        + rng.normal(0.0, 0.15, len(rep))
    )
    quantity = np.maximum(1, np.round(np.exp(log_q))).astype(np.int64)
    return pd.DataFrame(
        {
            "date": _dates(weeks[wk[rep]]),
            "product": _labels(tuple(p[0] for p in PRODUCTS), product[rep]),
            "store": _labels(STORES, st[rep]),
            "segment": _labels(SEGMENTS, g),
            "unit_price": unit_price,
            "quantity": quantity,
            "promotion": promotion[rep],
        }
    )


# ----------------------------------------------------------------------------------------------------
# Feedback


class _Feedback:
    """Feedback events drawn over each customer's potential active period (before churn is known)."""

    cust: np.ndarray
    day: np.ndarray
    complaint: np.ndarray
    resolved: np.ndarray
    score: np.ndarray
    category: np.ndarray
    text: np.ndarray
    hours: np.ndarray


def _feedback_events(rng: np.random.Generator, c: _Customers, w: _Window) -> _Feedback:
    """Feedback from each customer's active start to the window end; complaints follow dissatisfaction."""
    span = np.maximum(w.end + 1 - c.active_start, 0)
    rate = np.array([1.2, 0.9, 0.6])[c.segment] * np.exp(0.3 * np.clip(c.dissatisfaction, -2, 2))
    cust = np.repeat(np.arange(c.n), rng.poisson(rate * span / 365.25))
    n = len(cust)
    day = c.active_start[cust] + np.floor(rng.random(n) * span[cust]).astype(np.int64)
    z = c.dissatisfaction[cust]
    complaint = rng.random(n) < 1 / (1 + np.exp(-(-1.5 + 1.3 * z)))

    weights = np.tile(np.array([0.30, 0.25, 0.15, 0.15, 0.15]), (n, 1))
    weights[:, 2] *= np.where(c.payer[cust] >= 2, 3.0, 1.0)
    weights[:, 4] *= np.where(c.price_sensitive[cust], 2.5, 1.0)
    weights[~complaint] = 0.2
    cum = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    category = np.minimum((rng.random(n)[:, None] > cum).sum(axis=1), 4)

    score = np.where(
        complaint,
        rng.choice([1, 2, 3], size=n, p=[0.45, 0.40, 0.15]),
        np.clip(np.round(4.2 - 0.4 * z + rng.normal(0.0, 0.7, n)), 3, 5),
    ).astype(np.int64)
    is_zh = c.chinese[cust] | (rng.random(n) < 0.1)
    texts = np.array(
        [[_COMMENTS[cat][kind][lang] for lang in (0, 1) for kind in (0, 1)] for cat in FEEDBACK_CATEGORIES],
        dtype=object,
    )  # [category, 2 * lang + (0 complaint | 1 praise)]
    resolved = ~complaint | (rng.random(n) < 0.72)
    hours = rng.lognormal(np.log(np.where(complaint, 10.0, 20.0)), 0.9, n) * np.where(resolved, 1.0, 2.0)
    fb = _Feedback()
    order = np.lexsort((cust, day))
    fb.cust, fb.day = cust[order], day[order]
    fb.complaint, fb.resolved = complaint[order], resolved[order]
    fb.score, fb.category = score[order], category[order]
    fb.text = texts[category, 2 * is_zh.astype(np.int64) + (~complaint).astype(np.int64)][order]
    fb.hours = np.round(hours[order], 1)
    return fb


def _feedback_frame(c: _Customers, fb: _Feedback) -> pd.DataFrame:
    """Feedback rows before each customer's churn date."""
    keep = fb.day < c.churn_day[fb.cust]
    return pd.DataFrame(
        {
            "customer_id": c.id_series.take(fb.cust[keep]).reset_index(drop=True),
            "date": _dates(fb.day[keep]),
            "score": fb.score[keep],
            "category": _labels(FEEDBACK_CATEGORIES, fb.category[keep]),
            "complaint": fb.complaint[keep],
            "text": pd.Series(fb.text[keep], dtype="str"),
            "resolved": fb.resolved[keep],
            "response_hours": fb.hours[keep],
        }
    )


# ----------------------------------------------------------------------------------------------------
# Marketing


def _marketing(rng: np.random.Generator, c: _Customers, tx: _Transactions, w: _Window) -> pd.DataFrame:
    """Monthly spend, leads, new customers and their first-year revenue per acquisition channel."""
    first_month = _month_index(np.array([w.start]))[0]
    months = np.arange(first_month, _month_index(np.array([w.end]))[0] + 1)
    n_m, n_ch = len(months), len(ACQUISITION_CHANNELS)
    new = np.flatnonzero(c.new)
    cell = c.acquisition[new] * n_m + (_month_index(c.signup[new]) - first_month)
    new_customers = np.bincount(cell, minlength=n_m * n_ch)

    in_first_year = c.new[tx.cust] & (tx.day < c.signup[tx.cust] + 365)
    rev_per_customer = np.bincount(tx.cust[in_first_year], weights=tx.revenue[in_first_year], minlength=c.n)
    revenue = np.bincount(cell, weights=rev_per_customer[new], minlength=n_m * n_ch)
    full_year = c.new & (c.signup + 365 <= w.end)
    basis = rev_per_customer[full_year] if full_year.any() else rev_per_customer[new]
    reference = float(basis.mean()) if basis.size and basis.mean() > 0 else 1000.0

    channel = np.repeat(np.arange(n_ch), n_m)
    cac = _CAC_RATIO[channel] * reference
    spend = new_customers * cac * rng.lognormal(0.0, 0.2, n_m * n_ch) + 0.2 * cac * rng.lognormal(
        0.0, 0.1, n_m * n_ch
    )
    extra_leads = rng.poisson(new_customers * (1 / _CONVERSION[channel] - 1) + 2)
    return pd.DataFrame(
        {
            "channel": _labels(ACQUISITION_CHANNELS, channel),
            "period": _dates(_month_start(np.tile(months, n_ch))),
            "spend": np.round(spend, 2),
            "leads": (new_customers + extra_leads).astype(np.int64),
            "new_customers": new_customers.astype(np.int64),
            "revenue": np.round(revenue, 2),
        }
    )
