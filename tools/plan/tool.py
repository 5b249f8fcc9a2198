"""plan_resources, the registered tool: the session's data -> per-customer values (``values``) ->
candidate actions from the playbook economics -> the optimal plan under a budget and hours
(``plan.plan_resources``) -> a ToolResult whose first table is the plan and whose answer starts with
who does what this week.

The economics come from the playbooks' front matter (``economics:`` blocks), read by agent/playbooks.py
and injected by the session as ``playbook_economics`` (an ``EconomicsSource``, as recommend_actions
gets its playbook store): a user's own playbook folder (CUSTFIN_PLAYBOOKS_DIR) plans with its own
blocks; playbooks without one offer no action; a bad block is a bilingual error naming file and field.

Defaults (stated in every answer): no budget limit, no hours limit, a 3-month horizon, every action
family, any positive expected gain. ``capacity_hours`` is one number: the hours of ``capacity_role``
when named (the other roles are then not limited), else a pool shared by every role; ``role_hours``
gives hours per role instead.

Findings: none (it acts on the findings of the tools it reads).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal

import pandas as pd
import plotly.graph_objects as go
from pydantic import Field, model_validator

from core.text import Msg
from prompts import plan_resources as W
from tools.bundle import DatasetBundle
from tools.charts import bar_chart
from tools.errors import ToolInputError, UserFacingError
from tools.formatting import money, number, pct
from tools.params import FilterParams
from tools.plan.economics import Economics, EconomicsError, EconomicsSource, Family
from tools.plan.export import handout, this_week
from tools.plan.optimise import DEFAULT_GAP, Capacity
from tools.plan.plan import ResourcePlan, plan_resources
from tools.plan.values import gather
from tools.results import Chart, Method, Table, ToolResult
from tools.spec import ToolSpec
from tools.wording import fact, join, say

#: The roles the team's playbook economics name (a test checks it against playbooks/); roles of a
#: user's own playbooks plan too, their hours are then limited only by a shared capacity_hours.
Role = Literal[
    "account_manager",
    "senior_manager",
    "customer_success",
    "marketing",
    "inside_sales",
    "support_agent",
    "collector",
    "credit_analyst",
]
TOP_IN_WEEK = 3


class PlanParams(FilterParams):
    budget: float | None = Field(
        None,
        ge=0,
        description="Money to spend over the horizon, in the data's currency (none: no limit; 0: hours only).",
    )
    capacity_hours: float | None = Field(
        None,
        ge=0,
        description="Hours available over the horizon: those of capacity_role when given, else one pool "
        "shared by every role (none: no limit).",
    )
    capacity_role: Role | None = Field(
        None,
        description="Whose hours capacity_hours are (e.g. account_manager); other roles are not limited.",
    )
    role_hours: dict[Role, Annotated[float, Field(ge=0)]] | None = Field(
        None,
        description='Hours per role over the horizon, e.g. {"account_manager": 120, "collector": 40}; '
        "roles not named are not limited.",
    )
    horizon_months: float = Field(3.0, gt=0, le=60, description="Planning horizon in months (default 3).")
    actions: list[Family] | None = Field(
        None, description="Action families to consider: retention, service, collections, pricing (none: all)."
    )
    playbooks: list[str] | None = Field(
        None,
        description="Only these playbook ids (e.g. cts-self-service-channel-migration); none: every "
        "playbook with economics.",
    )
    min_return: float | None = Field(
        None,
        ge=0,
        le=100,
        description="Minimum return on cost: plan an action only when expected gain >= min_return x cost "
        "(0.5 = 50%); none: any positive expected gain.",
    )

    @model_validator(mode="after")
    def _one_kind_of_hours(self) -> PlanParams:
        if self.role_hours and self.capacity_hours is not None and self.capacity_role is None:
            raise ValueError(W.BAD_CAPACITY.en)
        return self

    def capacity(self) -> Capacity:
        """Hours for the optimiser: per role (a mapping), one pool (a number) or None (no limit)."""
        if self.role_hours:
            out = dict(self.role_hours)
            if self.capacity_hours is not None and self.capacity_role is not None:
                out[self.capacity_role] = self.capacity_hours
            return out
        if self.capacity_hours is None:
            return None
        return {self.capacity_role: self.capacity_hours} if self.capacity_role else self.capacity_hours


def economics(source: EconomicsSource) -> tuple[Economics, ...]:
    """The playbooks' economics blocks; a bad block is a bilingual error naming its file and field."""
    try:
        return tuple(source.economics())
    except EconomicsError as exc:
        raise UserFacingError(
            say(W.BAD_ECONOMICS, file=exc.file or f"{exc.playbook}.md", field=exc.field, problem=exc.problem),
            code="file_unreadable",
        ) from None


def _chosen_economics(params: PlanParams, source: EconomicsSource) -> list[Economics]:
    available = economics(source)
    known = {e.playbook for e in available}
    unknown = sorted(set(params.playbooks or ()) - known)
    if unknown:
        names = ", ".join(sorted(known))
        raise UserFacingError(
            Msg(
                f"No economics for playbook(s) {', '.join(unknown)}. Playbooks with economics: {names}.",
                f"以下手册没有经济参数：{'、'.join(unknown)}。有经济参数的手册：{names}。",
            ),
            code="bad_arguments",
        )
    return [e for e in available if params.playbooks is None or e.playbook in params.playbooks]


def run_plan(data: DatasetBundle, params: PlanParams, playbook_economics: EconomicsSource) -> ToolResult:
    """The resource plan for the session's data with the economics of the injected playbooks."""
    chosen = _chosen_economics(params, playbook_economics)  # a bad playbook fails before the values
    values = gather(data)
    plan = plan_resources(
        values.frame,
        chosen,
        budget=params.budget,
        capacity=params.capacity(),
        horizon_months=params.horizon_months,
        families=params.actions,
        min_return=params.min_return,
    )
    as_of = values.as_of
    if as_of is None:  # canonical transactions always carry dates: never the machine's clock
        raise ToolInputError(W.NO_TRANSACTIONS)
    sheet = handout(plan.table, as_of)
    tx = data.get("transactions")
    facts = {**plan.facts, **_extra_facts(plan, params)}
    tables = [
        Table("plan", plan.table, W.TABLE_PLAN),
        Table("handout", sheet, W.TABLE_HANDOUT),
        Table("left_out", plan.left_out, W.TABLE_LEFT_OUT),
        Table("hours_by_role", plan.hours, W.TABLE_HOURS),
        Table("plan_vs_naive", _comparison(plan), W.TABLE_COMPARE),
        Table("marginal_return", plan.curve.frame, W.TABLE_CURVE),
        Table("sensitivity", plan.sensitivity, W.TABLE_SENSITIVITY),
    ]
    method = Method(
        say(W.FORMULA, gap=pct(DEFAULT_GAP, "en", 1), achieved=f"{plan.solution.gap:.2e}"),
        {
            "budget": params.budget,
            "capacity": params.capacity(),
            "horizon_months": params.horizon_months,
            "actions": params.actions,
            "playbooks": params.playbooks,
            "min_return": params.min_return,
            "solver_status": plan.solution.status,
            "mip_gap": plan.solution.gap,
            "solved_candidates": plan.solution.solved_candidates,
        },
        [
            say(W.ASSUMPTION_VALUES, sources=", ".join(values.sources)),
            W.ASSUMPTION_ESTIMATE,
            W.ASSUMPTION_NAIVE,
            W.ASSUMPTION_DUE,
        ],
        as_of=as_of,
        rows_used=0 if tx is None else len(tx),
    )
    warnings = [say(W.SKIPPED_SOURCE, notes=join(values.notes))] if values.notes else []
    return ToolResult(
        "plan_resources",
        _summary(plan, sheet, as_of, params, bool(chosen)),
        facts,
        tables,
        [_curve_chart(plan, params.budget), _comparison_chart(plan)],
        method,
        warnings=warnings,
    )


def _extra_facts(plan: ResourcePlan, params: PlanParams) -> dict[str, float | int | None]:
    sens = plan.sensitivity.set_index("scenario")["expected_gain"]
    return {
        "horizon_months": float(params.horizon_months),
        "min_return": params.min_return,
        "customers_left_out": int(len(plan.left_out)),
        "stop_budget": plan.curve.stop_budget,
        "saturation_budget": plan.curve.saturation_budget,
        "sensitivity_low_gain": fact(sens.get("low")),
        "sensitivity_high_gain": fact(sens.get("high")),
        "mip_gap": fact(plan.solution.gap),
    }


def _comparison(plan: ResourcePlan) -> pd.DataFrame:
    rows = [("optimal", plan.table), *plan.naive.items()]
    return pd.DataFrame(
        [
            {
                "plan": name,
                "customers_planned": int(t["customer_id"].nunique()),
                "planned_cost": float(t["cost"].sum()),
                "planned_hours": float(t["hours"].sum()),
                "expected_gain": float(t["expected_gain"].sum()),
            }
            for name, t in rows
        ]
    )


# --------------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------------
def _both(fn) -> Msg:  # noqa: ANN001 - fn(lang) -> str
    return Msg(fn("en"), fn("zh"))


def _summary(plan: ResourcePlan, sheet: pd.DataFrame, as_of: date, params: PlanParams, actions: bool) -> Msg:
    """The answer; ``actions`` is False when no playbook has an economics block."""
    f = plan.facts
    lines: list[Msg] = []
    if not actions:
        lines.append(W.NO_ECONOMICS)
    elif plan.table.empty:
        fams = join([W.FAMILIES[a] for a in params.actions]) if params.actions else W.ALL_FAMILIES
        lines.append(say(W.NO_CANDIDATES, families=fams))
    else:
        lines += _this_week(sheet, as_of)
        lines.append(
            say(
                W.HEADLINE,
                customers=f["customers_planned"],
                actions=len(plan.table),
                cost=_both(lambda lg: money(f["planned_cost"], lg)),
                budget=_limit(f["budget"], money),
                hours=_both(lambda lg: number(f["planned_hours"], lg)),
                capacity=_capacity_text(params),
                gain=_both(lambda lg: money(f["expected_gain"], lg)),
                low=_both(lambda lg: money(f["expected_gain_low"], lg)),
                high=_both(lambda lg: money(f["expected_gain_high"], lg)),
            )
        )
        best_naive = max(f["naive_revenue_first_gain"], f["naive_risk_first_gain"])
        lines.append(
            say(
                W.NAIVE,
                revenue=_both(lambda lg: money(f["naive_revenue_first_gain"], lg)),
                risk=_both(lambda lg: money(f["naive_risk_first_gain"], lg)),
                more=_both(lambda lg: money(f["expected_gain"] - best_naive, lg)),
            )
        )
        lines.append(_stop_text(plan))
        sens = plan.sensitivity.set_index("scenario")
        lines.append(
            say(
                W.SENSITIVITY,
                low=_both(lambda lg: money(sens.loc["low", "expected_gain"], lg)),
                high=_both(lambda lg: money(sens.loc["high", "expected_gain"], lg)),
                low_same=_both(lambda lg: pct(sens.loc["low", "same_actions_share"], lg, 0)),
                high_same=_both(lambda lg: pct(sens.loc["high", "same_actions_share"], lg, 0)),
            )
        )
    if len(plan.left_out):
        counts = plan.left_out["reason"].value_counts()
        items = [
            say(W.LEFT_OUT_ITEM, count=int(n), reason=W.REASONS.get(r, Msg(r, r))) for r, n in counts.items()
        ]
        lines.append(say(W.LEFT_OUT, reasons=join(items)))
    lines.append(_settings_text(params))
    if not plan.table.empty:
        lines.append(W.DOWNLOAD)
    return Msg("\n\n".join(m.en for m in lines), "\n\n".join(m.zh for m in lines))


def _this_week(sheet: pd.DataFrame, as_of: date) -> list[Msg]:
    """Who does what this week: per owner role and action, the customers due within 7 days."""
    week = this_week(sheet, as_of)
    if week.empty:
        first = min(sheet["due_date"])
        return [say(W.THIS_WEEK_NONE, date=first.isoformat())]
    due = (as_of + timedelta(days=7)).isoformat()
    items = [W.THIS_WEEK_HEAD.format(date=due)]
    for row in week.itertuples(index=False):
        top = row.top_customers[:TOP_IN_WEEK]
        items.append(
            say(
                W.THIS_WEEK_ITEM,
                role=W.ROLES.get(row.owner_role, Msg(row.owner_role, row.owner_role)),
                action=f"`{row.action}`",
                count=int(row.customers),
                top=", ".join(top),
                more=", …" if row.customers > len(top) else "",
                gain=_both(lambda lg, g=row.expected_gain: money(g, lg)),
            )
        )
    return [Msg("\n".join(i.en for i in items), "\n".join(i.zh for i in items))]


def _limit(value: float | None, fmt) -> Msg:  # noqa: ANN001 - fmt(value, lang) -> str
    return W.UNLIMITED if value is None else _both(lambda lg: fmt(value, lg))


def _capacity_text(params: PlanParams) -> Msg:
    cap = params.capacity()
    if cap is None:
        return W.UNLIMITED
    if not isinstance(cap, dict):
        return _both(lambda lg: number(cap, lg))
    parts = [
        say(W.CAPACITY_ROLE, hours=_both(lambda lg, h=h: number(h, lg)), role=W.ROLES.get(r, Msg(r, r)))
        for r, h in cap.items()
    ]
    return join(parts)


def _stop_text(plan: ResourcePlan) -> Msg:
    curve = plan.curve
    if curve.stop_budget is None:
        top = float(curve.frame["budget"].iloc[-1])
        return say(W.STOP_BEYOND, top=_both(lambda lg: money(top, lg)))
    if curve.stop_budget == 0:
        return W.STOP_NONE
    return say(W.STOP, stop=_both(lambda lg: money(curve.stop_budget, lg)))


def _settings_text(params: PlanParams) -> Msg:
    stated = params.model_fields_set
    defaults = []
    if "budget" not in stated:
        defaults.append(W.DEFAULT_NAMES["budget"])
    if not {"capacity_hours", "role_hours"} & stated:
        defaults.append(W.DEFAULT_NAMES["capacity"])
    for key in ("horizon_months", "actions", "min_return"):
        if key not in stated:
            defaults.append(W.DEFAULT_NAMES[key])
    families = join([W.FAMILIES[a] for a in params.actions]) if params.actions else W.ALL_FAMILIES
    if params.playbooks:
        families = Msg(
            f"{families.en} ({', '.join(params.playbooks)})",
            f"{families.zh}（{'、'.join(params.playbooks)}）",
        )
    return say(
        W.SETTINGS,
        budget=_limit(params.budget, money),
        capacity=_capacity_text(params),
        horizon=_both(lambda lg: number(params.horizon_months, lg)),
        families=families,
        min_return=W.ANY_GAIN
        if params.min_return is None
        else _both(lambda lg: pct(params.min_return, lg, 0)),
        defaults=say(W.DEFAULTS, names=join(defaults)) if defaults else Msg("", ""),
    )


# --------------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------------
def _curve_chart(plan: ResourcePlan, budget: float | None) -> Chart:
    """Expected gain against budget, with the budget given and the point where an extra 10k stops paying."""
    curve = plan.curve.frame
    fig = go.Figure(
        go.Scatter(
            x=curve["budget"],
            y=curve["expected_gain"],
            mode="lines+markers",
            name=W.AXIS_GAIN.en,
            customdata=curve["marginal_gain_per_10k"],
            hovertemplate="%{x:,.0f}: %{y:,.0f} (+%{customdata:,.0f} / 10k)<extra></extra>",
        )
    )
    if budget is not None:
        fig.add_vline(x=budget, line_dash="dot", annotation_text=W.MARK_BUDGET.en)
    if plan.curve.stop_budget:
        fig.add_vline(x=plan.curve.stop_budget, line_dash="dash", line_color="firebrick",
                      annotation_text=W.MARK_STOP.en, annotation_position="bottom right")  # fmt: skip
    fig.update_layout(xaxis_title=W.AXIS_BUDGET.en, yaxis_title=W.AXIS_GAIN.en, showlegend=False)
    return Chart(W.CHART_CURVE, fig)


def _comparison_chart(plan: ResourcePlan) -> Chart:
    table = _comparison(plan)
    return bar_chart([W.PLAN_NAMES[p].en for p in table["plan"]], table["expected_gain"], W.CHART_COMPARE)


SPEC = ToolSpec(
    "plan_resources",
    PlanParams,
    run_plan,
    requires=("transactions",),
    findings=(),
    words=W,
    order=850,
    deps=("playbook_economics",),
)
