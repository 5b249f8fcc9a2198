"""Two snapshots of the demo company with hand-planted changes (the digest tests, issue 17 item 2).

``before`` is the demo company as generated; ``after`` is the same export with, planted:
- LOST: one customer gone from every table;
- NEW: a customer that was not there (customers row, five December orders, paid invoices);
- OVERDUE: a customer without anything overdue gets an unpaid 50,000 invoice due 47 days before the end;
- AGEING: a customer overdue only 1-30 days has that invoice's due date moved 100 days back (90+ days);
- GRADE: a grade-A customer gets an unpaid 80,000 invoice 150 days past due (its grade drops);
- UP / DOWN: one order of +400,000 profit, one of -290,000;
- CHURN: a frequent buyer at low churn risk stops buying after 2024-06-30 and pays its invoices since
  2024 75 days late (the supervised churn model weighs late payment and recency).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tools.demo import write_csvs

END = pd.Timestamp("2025-12-31")
KINDS = ("transactions", "customers", "invoices")


@dataclass
class Planted:
    lost: str
    new: str
    overdue: str
    ageing: str
    grade: str
    up: str
    down: str
    churn: str
    new_revenue: float = 5 * 2_000.0
    overdue_amount: float = 50_000.0
    grade_amount: float = 80_000.0
    up_profit: float = 400_000.0
    down_profit: float = -290_000.0


def _read(folder: Path) -> dict[str, pd.DataFrame]:
    return {k: pd.read_csv(folder / f"{k}.csv", dtype={"customer_id": str}) for k in KINDS}


def _write(frames: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind, frame in frames.items():
        path = folder / f"{kind}.csv"
        frame.to_csv(path, index=False)
        paths.append(path)
    return paths


def choose(t: pd.DataFrame, inv: pd.DataFrame) -> dict[str, str]:
    """Customers to plant changes on, chosen from the data so each change is a real one."""
    inv = inv.copy()
    for col in ("invoice_date", "due_date", "paid_date"):
        inv[col] = pd.to_datetime(inv[col])
    open_ = inv[inv["paid_date"].isna() & ~inv["written_off"].astype(str).eq("True")]
    overdue = open_[open_["due_date"] < END]
    days = (END - overdue["due_date"]).dt.days
    per_customer_worst = days.groupby(overdue["customer_id"]).max()
    only_1_30 = sorted(per_customer_worst[(per_customer_worst >= 1) & (per_customer_worst <= 30)].index)
    never_overdue = sorted(set(inv["customer_id"]) - set(overdue["customer_id"]))
    revenue = t.groupby("customer_id")["revenue"].sum().sort_values(ascending=False)
    recent = t[pd.to_datetime(t["date"]) > END - pd.Timedelta(days=60)]
    frequent = t.groupby("customer_id").size()
    busy = [c for c in frequent.sort_values(ascending=False).index if c in set(recent["customer_id"])]
    taken: set[str] = set()

    def pick(candidates: list[str]) -> str:
        for c in candidates:
            if c not in taken:
                taken.add(c)
                return c
        raise AssertionError("no customer left to plant a change on")

    return {
        "ageing": pick(only_1_30),
        "overdue": pick([c for c in never_overdue if c in revenue.index[100:300]]),
        "grade": pick([c for c in never_overdue if c in revenue.index[20:100]]),
        "churn": pick(busy[10:]),
        "up": pick(list(revenue.index[150:])),
        "down": pick(list(revenue.index[40:])),
        "lost": pick(list(revenue.index[30:])),
    }


def make(tmp: Path, ids: str = "same") -> tuple[list[Path], list[Path], Planted]:
    """Write ``tmp/before`` and ``tmp/after``; ``ids='digits'`` writes the after ids without their
    prefix and zeros (C00123 -> 123), as another system would export them."""
    demo = tmp / "demo"
    write_csvs(demo, customers=400, seed=7)
    before = _read(demo)
    t, c, inv = (before[k].copy() for k in KINDS)
    who = choose(t, inv)
    planted = Planted(new="C09001", **who)
    # lost: gone from every table
    t, c, inv = (f[f["customer_id"] != planted.lost] for f in (t, c, inv))
    # new: a customer, five December orders and their paid invoices
    row = c.iloc[0].copy()
    row["customer_id"], row["name"], row["signup_date"] = planted.new, "Newcomer Trading Ltd", "2025-11-20"
    row["churned"], row["churn_date"] = False, None
    c = pd.concat([c, row.to_frame().T], ignore_index=True)
    orders = []
    for i in range(5):
        base = t.iloc[0].copy()
        base["order_id"], base["customer_id"], base["date"] = f"ON{i:05d}", planted.new, f"2025-12-{10 + i}"
        base["quantity"], base["unit_price"], base["discount"] = 100, 20.0, 0.0
        base["revenue"], base["cost"], base["service_cost"] = 2_000.0, 1_200.0, 20.0
        orders.append(base)
    # profit movers: one big order each way, on 2025-12-20
    for who_, revenue, cost in ((planted.up, 500_000.0, 100_000.0), (planted.down, 10_000.0, 300_000.0)):
        base = t.iloc[0].copy()
        base["order_id"], base["customer_id"], base["date"] = f"OM{who_}", who_, "2025-12-20"
        base["quantity"], base["unit_price"], base["discount"] = 1, revenue, 0.0
        base["revenue"], base["cost"], base["service_cost"] = revenue, cost, 0.0
        orders.append(base)
    t = pd.concat([t, pd.DataFrame(orders)], ignore_index=True)
    # churn: a frequent buyer stops after mid-2024
    t = t[~((t["customer_id"] == planted.churn) & (pd.to_datetime(t["date"]) > pd.Timestamp("2024-06-30")))]
    # receivables
    new_invoices = [
        {"invoice_id": f"IN{i:05d}", "customer_id": planted.new, "invoice_date": f"2025-12-{10 + i}",
         "due_date": "2026-01-30", "amount": 2_000.0, "paid_date": "2025-12-28", "paid_amount": 2_000.0,
         "written_off": False}
        for i in range(5)
    ] + [
        {"invoice_id": "IOVERDUE", "customer_id": planted.overdue, "invoice_date": "2025-10-15",
         "due_date": "2025-11-14", "amount": planted.overdue_amount, "paid_date": None, "paid_amount": None,
         "written_off": False},
        {"invoice_id": "IGRADE", "customer_id": planted.grade, "invoice_date": "2025-07-04",
         "due_date": "2025-08-03", "amount": planted.grade_amount, "paid_date": None, "paid_amount": None,
         "written_off": False},
    ]  # fmt: skip
    inv = inv.copy()
    due = pd.to_datetime(inv["due_date"])
    late = (inv["customer_id"] == planted.ageing) & inv["paid_date"].isna() & (due < END)
    inv.loc[late, "due_date"] = (due[late] - pd.Timedelta(days=100)).dt.strftime("%Y-%m-%d")
    inv.loc[late, "invoice_date"] = (pd.to_datetime(inv.loc[late, "invoice_date"]) - pd.Timedelta(days=100)).dt.strftime(
        "%Y-%m-%d"
    )
    paid_late = (inv["customer_id"] == planted.churn) & inv["paid_date"].notna()
    paid_late &= pd.to_datetime(inv["invoice_date"]) > pd.Timestamp("2024-01-01")
    late_date = (pd.to_datetime(inv.loc[paid_late, "due_date"]) + pd.Timedelta(days=75)).clip(upper=END)
    inv.loc[paid_late, "paid_date"] = late_date.dt.strftime("%Y-%m-%d")
    inv = pd.concat([inv, pd.DataFrame(new_invoices)], ignore_index=True)
    after = {"transactions": t, "customers": c, "invoices": inv}
    if ids == "digits":
        for frame in after.values():
            frame["customer_id"] = frame["customer_id"].str.replace(r"^C0*", "", regex=True)
    return _write(before, tmp / "before"), _write(after, tmp / "after"), planted
