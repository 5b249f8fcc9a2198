"""Plausibility gates: before an answer is shown, a small named rule set checks each tool run against
what cannot be true or is likely a misreading of the file. A gate that fires states its doubt on the
answer's first line and, where a fix is known, offers it as a button: a mapping correction (re-read the
file with a column's other meaning) or another call of the tool.

Each gate reads the run's facts and tables and the loaded datasets' upload reports; none recomputes a
headline number. Thresholds are constants below, named in the tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import pandas as pd

from agent.answer import ToolRun
from agent.understand import Option
from core.text import Msg
from prompts import plausibility as W
from tools.bundle import DatasetBundle, IngestReport
from tools.registry import TOOLS

if TYPE_CHECKING:
    from agent.session import MappingChoice

MOSTLY_OPEN = 0.8  # share of invoices counted unpaid above which an unused date column is suspect
DATE_PARSE_RATE = 0.9  # share of a column's values that must parse as dates to count as date-like
DSO_LIMIT_DAYS = 365.0
MAX_LEVELS = 50  # a categorical column has 2..MAX_LEVELS distinct values
CATEGORY_SAMPLE = 5_000
MAX_DROPPED = 0.2  # share of a file's rows left out at ingestion above which totals are doubted


@dataclass(frozen=True)
class Doubt:
    gate: str
    message: Msg
    choices: tuple[MappingChoice, ...] = ()  # one-click mapping corrections
    options: tuple[Option, ...] = ()  # another call to try instead


Gate = Callable[[ToolRun, DatasetBundle], Doubt | None]


def check(runs: list[ToolRun], bundle: DatasetBundle) -> list[Doubt]:
    """The doubts of every gate on every successful run (each gate at most once per answer)."""
    out: list[Doubt] = []
    for run in runs:
        if run.result is None:
            continue
        for name, gate in GATES.items():
            doubt = gate(run, bundle)
            if doubt is not None and all(d.gate != name for d in out):
                out.append(doubt)
    return out


# ------------------------------------------------------------------------------------------------
# Receivables
# ------------------------------------------------------------------------------------------------
def open_while_date_unused(run: ToolRun, bundle: DatasetBundle) -> Doubt | None:
    """Most invoices open while an uploaded invoices file has a date-like column no tool reads."""
    if run.tool != "receivables_aging" or "invoices" not in bundle.datasets:
        return None
    invoices = bundle.datasets["invoices"]
    total = invoices.rows
    open_count = int(run.result.facts.get("open_invoices") or 0)
    if not total or open_count / total < MOSTLY_OPEN:
        return None
    if getattr(invoices, "relation", None) is not None:  # a live source: its unread columns stay there
        return None
    for report in invoices.reports:
        column = _date_like_unused(report, invoices.frame)
        if column is not None:
            from agent.session import MappingChoice  # agent.session imports the engine's modules

            choice = MappingChoice(report.filename, report.sheet, column, None, "paid_date", DATE_PARSE_RATE)
            return Doubt(
                "open_while_date_unused",
                W.OPEN_WHILE_DATE_UNUSED.format(share=open_count / total, column=column),
                choices=(choice,),
            )
    return None


def dso_over_a_year(run: ToolRun, bundle: DatasetBundle) -> Doubt | None:
    dso = run.result.facts.get("dso") if run.tool == "receivables_aging" else None
    if isinstance(dso, int | float) and dso > DSO_LIMIT_DAYS:
        return Doubt("dso_over_a_year", W.DSO_OVER_A_YEAR.format(dso=dso))
    return None


def nothing_open(run: ToolRun, bundle: DatasetBundle) -> Doubt | None:
    """Open receivables of 0 at as_of with invoices loaded: offer the latest date with open items."""
    facts = run.result.facts
    if run.tool != "receivables_aging" or facts.get("open_amount") != 0 or "invoices" not in bundle.datasets:
        return None
    if getattr(bundle.datasets["invoices"], "relation", None) is not None:  # a live source: not read in
        return None
    latest = latest_open_date(bundle.datasets["invoices"].frame)
    if latest is None:
        return None
    option = Option("receivables_aging", {**run.arguments, "as_of": latest.isoformat()}, W.FIX_QUESTION)
    return Doubt("nothing_open", W.NOTHING_OPEN.format(as_of=facts.get("as_of"), latest=latest), options=(option,))


def latest_open_date(invoices: pd.DataFrame):  # noqa: ANN201 - datetime.date | None
    """The last day on which some invoice was issued and not yet paid: max(paid_date - 1 day) over
    invoices paid after their invoice date (None when there is none)."""
    if not {"invoice_date", "paid_date"} <= set(invoices.columns):
        return None
    issued = pd.to_datetime(invoices["invoice_date"], errors="coerce")
    paid = pd.to_datetime(invoices["paid_date"], errors="coerce")
    later = paid[paid > issued]
    return None if later.empty else (later.max() - timedelta(days=1)).date()


# ------------------------------------------------------------------------------------------------
# Profit, price, churn, RFM, CLV
# ------------------------------------------------------------------------------------------------
def profit_without_cost(run: ToolRun, bundle: DatasetBundle) -> Doubt | None:
    """A profit ranking that the data could only answer by revenue (no cost, no profit column)."""
    if run.tool not in ("customer_profitability", "profit_concentration"):
        return None
    asked = run.arguments.get("metric") or "profit"
    if asked != "revenue" and run.result.facts.get("metric") == "revenue":
        return Doubt("profit_without_cost", W.PROFIT_WITHOUT_COST)
    return None


def category_unused_in_elasticity(run: ToolRun, bundle: DatasetBundle) -> Doubt | None:
    """An elasticity estimated without products while the price data has an unused categorical column."""
    if run.tool != "price_sensitivity":
        return None
    kind = str(run.result.facts.get("source") or "sales")
    dataset = bundle.datasets.get(kind)
    if dataset is None or "product" in dataset.frame.columns:
        return None
    for report in dataset.reports:
        for column in report.unmapped:
            if column not in dataset.frame.columns:
                continue
            sample = dataset.frame[column].head(CATEGORY_SAMPLE)
            levels = sample.astype("string").nunique(dropna=True)
            numeric = pd.to_numeric(sample, errors="coerce").notna().mean()
            if 2 <= levels <= MAX_LEVELS and numeric < 0.5:
                from agent.session import MappingChoice

                choice = MappingChoice(report.filename, report.sheet, column, None, "product", 0.5)
                return Doubt(
                    "category_unused_in_elasticity",
                    W.CATEGORY_UNUSED.format(column=column, levels=levels),
                    choices=(choice,),
                )
    return None


def no_price_effect(run: ToolRun, bundle: DatasetBundle) -> Doubt | None:
    """An elasticity whose 95% interval holds 0, or that is positive (volume rising with price)."""
    facts = run.result.facts
    low, high = facts.get("elasticity_ci_low"), facts.get("elasticity_ci_high")
    if run.tool != "price_sensitivity" or not isinstance(low, int | float) or not isinstance(high, int | float):
        return None
    if low <= 0 <= high:
        return Doubt("no_price_effect", W.NO_PRICE_EFFECT.format(low=low, high=high))
    if low > 0:
        return Doubt("no_price_effect", W.POSITIVE_ELASTICITY.format(low=low, high=high))
    return None


def many_rows_dropped(run: ToolRun, bundle: DatasetBundle) -> Doubt | None:
    """A file the tool read lost more than MAX_DROPPED of its rows at ingestion: totals cover the rest."""
    spec = TOOLS.get(run.tool)
    kinds = (spec.reads(bundle.datasets) or ()) if spec is not None else ()
    for kind in kinds:
        for report in bundle.datasets[kind].reports:
            lost = report.rows_read - report.rows_kept
            if report.rows_read and lost / report.rows_read > MAX_DROPPED and report.dropped:
                reason = max(report.dropped, key=lambda d: d.count).reason
                values = {"lost": f"{lost:,}", "read": f"{report.rows_read:,}", "file": report.filename}
                message = Msg(
                    W.MANY_ROWS_DROPPED.en.format(**values, reason=reason.en),
                    W.MANY_ROWS_DROPPED.zh.format(**values, reason=reason.zh),
                )
                return Doubt("many_rows_dropped", message)
    return None


def churn_not_calibrated(run: ToolRun, bundle: DatasetBundle) -> Doubt | None:
    facts = run.result.facts
    if run.tool != "churn_risk" or facts.get("calibration_ok") is not False:
        return None
    message = W.CHURN_NOT_CALIBRATED.format(
        predicted=float(facts["mean_predicted_probability"]), observed=float(facts["training_churn_rate"])
    )
    return Doubt("churn_not_calibrated", message)


def one_purchase_champions(run: ToolRun, bundle: DatasetBundle) -> Doubt | None:
    count = run.result.facts.get("one_purchase_champions") if run.tool == "rfm_segments" else None
    if isinstance(count, int) and count > 0:
        return Doubt("one_purchase_champions", W.ONE_PURCHASE_CHAMPIONS.format(count=f"{count:,}"))
    return None


def one_order_top_clv(run: ToolRun, bundle: DatasetBundle) -> Doubt | None:
    """Customers with one order among the listed top CLVs (BG/NBD frequency 0 = no repeat purchase)."""
    if run.tool != "customer_lifetime_value" or not run.result.tables:
        return None
    top = run.result.tables[0].frame
    if "customer_id" not in top.columns:
        return None
    if "frequency" in top.columns:
        single = top.loc[top["frequency"] == 0, "customer_id"]
    elif "orders" in top.columns:
        single = top.loc[top["orders"] == 1, "customer_id"]
    else:
        return None
    if single.empty:
        return None
    shown = ", ".join(str(c) for c in single.head(5))
    return Doubt(
        "one_order_top_clv",
        W.ONE_ORDER_TOP_CLV.format(count=len(single), listed=len(top), customers=shown),
    )


def _date_like_unused(report: IngestReport, frame: pd.DataFrame) -> str | None:
    """The unused column of ``report`` likeliest to be the payment date: of those whose values parse as
    dates (>= DATE_PARSE_RATE), the one most often on or after the invoice date (>= DATE_PARSE_RATE of
    rows), as a payment is; None when no column qualifies."""
    issued = pd.to_datetime(frame["invoice_date"], errors="coerce") if "invoice_date" in frame.columns else None
    best, best_share = None, DATE_PARSE_RATE
    for column in report.unmapped:
        if column not in frame.columns or pd.api.types.is_numeric_dtype(frame[column]):
            continue
        values = frame[column].head(2_000)
        parsed = pd.to_datetime(values.astype("string"), errors="coerce", format="mixed")
        present = values.notna()
        if not present.any() or parsed[present].notna().mean() < DATE_PARSE_RATE:
            continue
        after = 1.0 if issued is None else float((parsed[present] >= issued.head(2_000)[present]).mean())
        if after >= best_share:
            best, best_share = column, after
    return best


GATES: dict[str, Gate] = {
    "open_while_date_unused": open_while_date_unused,
    "dso_over_a_year": dso_over_a_year,
    "nothing_open": nothing_open,
    "profit_without_cost": profit_without_cost,
    "category_unused_in_elasticity": category_unused_in_elasticity,
    "no_price_effect": no_price_effect,
    "many_rows_dropped": many_rows_dropped,
    "churn_not_calibrated": churn_not_calibrated,
    "one_purchase_champions": one_purchase_champions,
    "one_order_top_clv": one_order_top_clv,
}
