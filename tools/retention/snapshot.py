"""churn_trend and customer_survival on a customer snapshot (tools/snapshot.py: a churn flag, no dates):
churn rates by any customer attribute with a test of independence, and Kaplan-Meier curves from tenure.

Churn rates (``snapshot_churn_trend``)::

    churn_rate(g) = churned(g) / customers(g)            (customers with a churn flag in group g)
    chi-square    = Σ_g Σ_c (O_gc − E_gc)² / E_gc,  E_gc = n_g n_c / N,  dof = G − 1   (c: churned or not)

Pearson's statistic without continuity correction; a 2 x 2 table with an expected count below 5 gets
Fisher's exact test instead; with more cells an expected count below 5 is a warning (the chi-square
p-value is then approximate). Customers with an unknown group value are shown, not tested.

Survival (``snapshot_survival``): duration = tenure (months), event = churned (active customers are
censored), Kaplan-Meier S(t) = Π_{t_i <= t} (1 − d_i / n_i) per group, median tenure = min{t : S(t) <=
0.5}, S(12), S(24), S(36), log-rank test between the groups (tools/retention/kaplan_meier.py).

The default grouping is ``contract`` when the snapshot has one, else ``segment``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.text import Msg
from prompts import churn_events as E
from prompts import churn_trend as W
from prompts import customer_survival as V
from prompts import snapshot as S
from tools.bundle import DatasetBundle
from tools.charts import bar_chart
from tools.errors import ToolInputError
from tools.results import Chart, FactValue, Method, Table, ToolResult
from tools.retention.events import FEW_EVENTS, MAX_CHART_GROUPS, PERIOD_DIMS, pvalue_text
from tools.snapshot import Grouping, Snapshot, group_column, grouping, load_snapshot, not_applied
from tools.wording import fact, join, num_text, pct_text, say, sentences

if TYPE_CHECKING:  # the tools' Params (their modules dispatch here)
    from tools.retention.churn_trend import ChurnTrendParams
    from tools.retention.survival_tool import SurvivalParams

#: Significance level of the tests.
ALPHA = 0.05
#: Expected counts below this make the chi-square approximation rough (Cochran).
MIN_EXPECTED = 5
#: Survival reported at these tenures (months).
HORIZONS = {"survival_12m": 12, "survival_24m": 24, "survival_36m": 36}
#: Arguments about dates, which a snapshot cannot apply.
DATE_ARGUMENTS = ("start", "end", "as_of", "inactivity_days", "freq")
DEFAULT_GROUPS = ("contract", "segment")


def _default_group(snapshot: Snapshot, asked: str | None, warnings: list[Msg]) -> str | None:
    """``asked``, else the first of DEFAULT_GROUPS the snapshot has; a period becomes a warning."""
    if asked in PERIOD_DIMS:
        warnings.append(say(S.NO_PERIODS, period=S.DIMENSIONS.get(asked, Msg(asked, asked))))
        asked = None
    if asked is not None:
        return asked
    return next((c for c in DEFAULT_GROUPS if c in snapshot.frame.columns), None)


def _start(data: DatasetBundle, params: ChurnTrendParams | SurvivalParams) -> tuple[Snapshot, list[Msg]]:
    snapshot = load_snapshot(data)
    warnings = list(snapshot.warnings)
    unused = not_applied(params, DATE_ARGUMENTS)
    if unused is not None:
        warnings.append(unused)
    return snapshot, warnings


# --- churn rates -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Independence:
    """A test of independence between the groups and churn (``statistic``/``dof``: chi-square only)."""

    test: str  # "chi_square" | "fisher_exact"
    p_value: float
    statistic: float | None
    dof: int | None
    small_expected: int
    cells: int


def independence_test(churned: np.ndarray, customers: np.ndarray) -> Independence:
    """Pearson's chi-square on the groups x (churned, not churned) table; Fisher's exact for a 2 x 2 table
    with an expected count below MIN_EXPECTED. Needs two groups and both outcomes.

    >>> t = independence_test(np.array([8, 2]), np.array([20, 20]))
    >>> t.test, round(t.statistic, 3), t.dof
    ('chi_square', 4.329, 1)
    """
    from scipy import stats  # lazy: heavy import

    table = np.column_stack([churned, customers - churned]).astype(float)
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    small = int((expected < MIN_EXPECTED).sum())
    if table.shape == (2, 2) and small:
        return Independence("fisher_exact", float(stats.fisher_exact(table).pvalue), None, None, small, 4)
    chi2, p_value, dof, _ = stats.chi2_contingency(table, correction=False)
    return Independence("chi_square", float(p_value), float(chi2), int(dof), small, table.size)


def _p_text(p: float) -> str:
    text = pvalue_text(p)
    return text if text.startswith("<") else f"= {text}"


def snapshot_churn_trend(data: DatasetBundle, params: ChurnTrendParams) -> ToolResult:
    """Churn rate of a snapshot, overall and by a customer attribute, with a test of independence."""
    snapshot, warnings = _start(data, params)
    frame = snapshot.frame
    assumptions = list(snapshot.assumptions)
    churned, customers = int(frame["churned"].sum()), len(frame)
    rate = churned / customers
    facts: dict[str, FactValue] = {
        "churn_source": "snapshot",
        "customers": customers,
        "churned_customers": churned,
        "churn_rate": rate,
        "group_by": None,
        "groups": 0,
    }
    lines = [
        say(W.SNAPSHOT_HEAD, rate=pct_text(rate), churned=num_text(churned), customers=num_text(customers))
    ]
    by = _default_group(snapshot, params.group_by, warnings)
    if by is None:
        table = pd.DataFrame({"customers": [customers], "churned": [churned], "churn_rate": [rate]})
        flags = [m.en for m in W.SNAPSHOT_FLAG_LABELS]
        chart = bar_chart(flags, pd.Series([customers - churned, churned]), W.SNAPSHOT_CHART_OVERALL)
        tables = [Table("churn_overall", table)]
    else:
        group = grouping(data, frame, by)
        if group.note is not None:
            assumptions.append(group.note)
        table = _rates(frame["churned"], group, rate)
        column = group_column(group)
        table = table.rename(columns={"group": column})
        facts |= _group_facts(table, column, group)
        known = table.loc[table[column] != S.UNKNOWN]
        shown = known.head(params.n)
        items = [
            say(
                W.SNAPSHOT_GROUP_ITEM,
                label=str(g),
                rate=pct_text(r),
                churned=num_text(c),
                customers=num_text(n),
            )
            for g, r, c, n in zip(
                shown[column], shown["churn_rate"], shown["churned"], shown["customers"], strict=True
            )
        ]
        listed = (
            join(items) if len(known) <= params.n else Msg(join(items).en + "; …", join(items).zh + "；…")
        )
        lines.append(say(W.SNAPSHOT_GROUPS, dimension=group.name, items=listed))
        test_line, test_facts, test_warnings = _test(table, column, group)
        lines.append(test_line)
        facts |= test_facts
        warnings += test_warnings
        labels = [str(v) for v in table[column]]
        chart = bar_chart(labels, table["churn_rate"], say(W.SNAPSHOT_CHART, dimension=group.name))
        chart.figure.update_layout(yaxis={"tickformat": ".0%"})
        tables = [Table("churn_by_group", table)]
    method = Method(
        say(W.SNAPSHOT_FORMULA, alpha=f"{ALPHA:g}"),
        params.model_dump(mode="json") | {"group_by": by, "churn_source": "snapshot"},
        assumptions,
        None,
        snapshot.rows_used,
    )
    return ToolResult("churn_trend", sentences(lines), facts, tables, [chart], method, [], warnings)


def _rates(churned: pd.Series, group: Grouping, overall: float) -> pd.DataFrame:
    """customers, churned, churn_rate and churn_lift (rate / overall) per group; bands in their order,
    categories by churn rate (highest first); 'unknown' last."""
    counts = churned.groupby(group.keys.to_numpy(), sort=True).agg(["size", "sum"])
    table = pd.DataFrame(
        {
            "group": counts.index.astype(str),
            "customers": counts["size"].to_numpy(),
            "churned": counts["sum"].to_numpy(),
        }
    )
    table["churned"] = table["churned"].astype("int64")
    table["churn_rate"] = table["churned"] / table["customers"]
    table["churn_lift"] = table["churn_rate"] / overall if overall > 0 else np.nan
    if group.order is not None:
        rank = {label: i for i, label in enumerate(group.order)}
        table = table.assign(_k=table["group"].map(rank).fillna(len(rank))).sort_values("_k", kind="stable")
        table = table.drop(columns="_k")
    else:
        table = table.sort_values(["churn_rate", "customers"], ascending=False, kind="stable")
    unknown = table["group"] == S.UNKNOWN
    return pd.concat([table.loc[~unknown], table.loc[unknown]], ignore_index=True)


def _group_facts(table: pd.DataFrame, column: str, group: Grouping) -> dict[str, FactValue]:
    known = table.loc[table[column] != S.UNKNOWN].sort_values("churn_rate", ascending=False, kind="stable")
    return {
        "group_by": group.column,
        "groups": len(known),
        "highest_churn_group": str(known[column].iloc[0]) if len(known) else None,
        "highest_group_churn_rate": fact(known["churn_rate"].iloc[0]) if len(known) else None,
        "lowest_churn_group": str(known[column].iloc[-1]) if len(known) else None,
        "lowest_group_churn_rate": fact(known["churn_rate"].iloc[-1]) if len(known) else None,
    }


def _test(table: pd.DataFrame, column: str, group: Grouping) -> tuple[Msg, dict[str, FactValue], list[Msg]]:
    """The test of independence on the known groups: its sentence, facts and warnings."""
    known = table.loc[table[column] != S.UNKNOWN]
    warnings: list[Msg] = []
    unknown = int(table.loc[table[column] == S.UNKNOWN, "customers"].sum())
    if unknown:
        warnings.append(say(W.SNAPSHOT_UNKNOWN_LEFT_OUT, count=num_text(unknown), dimension=group.name))
    facts: dict[str, FactValue] = {
        "test": None, "p_value": None, "chi2_statistic": None, "chi2_dof": None, "significance_level": ALPHA,
        "significant": None,
    }  # fmt: skip
    churned, customers = known["churned"].to_numpy(), known["customers"].to_numpy()
    if len(known) < 2:
        return say(W.SNAPSHOT_NO_TEST, reason=W.SNAPSHOT_ONE_GROUP), facts, warnings
    if churned.sum() in (0, customers.sum()):
        return say(W.SNAPSHOT_NO_TEST, reason=W.SNAPSHOT_ONE_OUTCOME), facts, warnings
    test = independence_test(churned, customers)
    significant = test.p_value < ALPHA
    verdict = say(W.SNAPSHOT_SIGNIFICANT if significant else W.SNAPSHOT_NOT_SIGNIFICANT, alpha=f"{ALPHA:g}")
    facts |= {
        "test": test.test,
        "p_value": test.p_value,
        "chi2_statistic": test.statistic,
        "chi2_dof": test.dof,
        "significant": significant,
    }
    if test.test == "fisher_exact":
        return (
            say(W.SNAPSHOT_FISHER, dimension=group.name, p=_p_text(test.p_value), verdict=verdict),
            facts,
            warnings,
        )
    if test.small_expected:
        warnings.append(say(W.SNAPSHOT_SMALL_EXPECTED, count=test.small_expected, cells=test.cells))
    line = say(
        W.SNAPSHOT_CHI2,
        dimension=group.name,
        statistic=num_text(test.statistic, 2),
        dof=test.dof,
        p=_p_text(test.p_value),
        verdict=verdict,
    )
    return line, facts, warnings


# --- survival ----------------------------------------------------------------------------------------


def _months_text(value: float | None) -> Msg:
    return E.NOT_REACHED if value is None else say(V.MONTHS, months=num_text(value))


def snapshot_survival(data: DatasetBundle, params: SurvivalParams) -> ToolResult:
    """Kaplan-Meier curves from tenure (months) and the churn flag, by group, with a log-rank test."""
    from tools.retention.kaplan_meier import kaplan_meier, logrank  # lazy: it imports scipy.stats (slow)

    snapshot, warnings = _start(data, params)
    tenure = snapshot.number("tenure", V.SNAPSHOT_PURPOSE)
    if params.group_by == "tenure":
        raise ToolInputError(V.SNAPSHOT_TENURE_GROUP)
    known = tenure.notna().to_numpy()
    if not known.all():
        warnings.append(say(V.SNAPSHOT_NO_TENURE, count=num_text(int((~known).sum()))))
    frame = snapshot.frame.loc[known]
    if frame.empty:
        raise ToolInputError(say(V.SNAPSHOT_NO_TENURE, count=num_text(len(snapshot.frame))))
    durations = tenure.to_numpy()[known]
    events = frame["churned"].to_numpy(bool)
    assumptions = [*snapshot.assumptions, V.SNAPSHOT_COHORT]
    by = _default_group(snapshot, params.group_by, warnings)
    group = grouping(data, frame, by) if by is not None else None
    fits = [("all", np.ones(len(frame), dtype=bool))]
    if group is not None:
        if group.note is not None:
            assumptions.append(group.note)
        present = set(group.keys)
        labels = [g for g in group.order or sorted(present) if g != S.UNKNOWN] + [S.UNKNOWN]
        fits += [(g, (group.keys == g).to_numpy()) for g in labels if g in present]
    rows, curves = [], []
    for label, mask in fits:
        km = kaplan_meier(durations[mask], events[mask])
        longest = float(durations[mask].max())
        row: dict[str, object] = {
            "group": label,
            "customers": int(mask.sum()),
            "churned": int(events[mask].sum()),
            "median_tenure_months": km.median,
        }
        row |= {name: km.at(m) if m <= longest else None for name, m in HORIZONS.items()}
        rows.append(row)
        months = np.concatenate([[0.0], km.times, [longest]])
        survival = np.concatenate([[1.0], km.survival, [km.survival[-1] if km.survival.size else 1.0]])
        curves.append(pd.DataFrame({"group": label, "months": months, "survival": survival}))
    by_group, curve = pd.DataFrame(rows), pd.concat(curves, ignore_index=True)
    overall = rows[0]
    facts: dict[str, FactValue] = {
        "churn_source": "snapshot",
        "customers": overall["customers"],
        "churned_customers": overall["churned"],
        "median_tenure_months": overall["median_tenure_months"],
        **{name: overall[name] for name in HORIZONS},
        "group_by": group.column if group is not None else None,
        "groups": len(fits) - 1,
        "logrank_statistic": None,
        "logrank_p_value": None,
    }
    lines = [
        say(
            V.SNAPSHOT_HEAD,
            customers=num_text(overall["customers"]),
            churned=num_text(overall["churned"]),
            median=_months_text(overall["median_tenure_months"]),
            **{f"s{m}": pct_text(overall[name]) for name, m in HORIZONS.items()},
        )
    ]
    if group is not None:
        items = [
            say(V.SNAPSHOT_GROUP_ITEM, label=r["group"], median=_months_text(r["median_tenure_months"]),
                s12=pct_text(r["survival_12m"]))
            for r in rows[1:]
        ]  # fmt: skip
        lines.append(say(V.SURVIVAL_GROUPS, dimension=group.name, items=join(items)))
        tested = group.keys != S.UNKNOWN
        if group.keys[tested].nunique() > 1:
            mask = tested.to_numpy()
            test = logrank(durations[mask], events[mask], group.keys.to_numpy()[mask])
            facts["logrank_statistic"], facts["logrank_p_value"] = fact(test.statistic), fact(test.p_value)
            verdict = V.SURVIVAL_DIFFERENT if test.p_value < ALPHA else V.SURVIVAL_SIMILAR
            lines.append(
                say(V.SNAPSHOT_LOGRANK, dimension=group.name, p=_p_text(test.p_value), verdict=verdict)
            )
        by_group = by_group.rename(columns={"group": group_column(group)})
    if int(events.sum()) < FEW_EVENTS:
        warnings.append(say(V.SURVIVAL_FEW_EVENTS, count=num_text(int(events.sum()))))
    method = Method(
        V.SNAPSHOT_FORMULA,
        params.model_dump(mode="json") | {"group_by": by, "churn_source": "snapshot"},
        assumptions,
        None,
        snapshot.rows_used,
    )
    chart = _survival_chart(curve, grouped=group is not None)
    tables = [Table("survival_by_group", by_group), Table("survival_curve", curve)]
    return ToolResult("customer_survival", sentences(lines), facts, tables, [chart], method, [], warnings)


def _survival_chart(curve: pd.DataFrame, grouped: bool) -> Chart:
    figure = go.Figure()
    names = [g for g in curve["group"].unique() if not grouped or g != "all"][:MAX_CHART_GROUPS]
    for name in names:
        part = curve.loc[curve["group"] == name]
        figure.add_trace(
            go.Scatter(x=part["months"].to_numpy(), y=part["survival"].to_numpy(), mode="lines",
                       line={"shape": "hv"}, name=str(name))
        )  # fmt: skip
    figure.update_layout(
        xaxis={"title": V.SNAPSHOT_AXIS_X.en},
        yaxis={"title": V.SURVIVAL_AXIS_Y.en, "tickformat": ".0%", "range": [0, 1.02]},
    )
    return Chart(V.SURVIVAL_CHART, figure)
