"""Resource planner (issue 15): which customers get which action under a budget and capacity.

Pure computation (no UI, LLM or network imports), one job per module:

- ``economics``: the structured economics of a playbook (pydantic), its parser and ``EconomicsSource``
  (the playbook library plan_resources gets injected; agent/playbooks.py reads the files).
- ``candidates``: per-customer values x economics -> candidate actions with expected gains.
- ``optimise``: the integer programme (scipy.optimize.milp / HiGHS) with a proven MIP gap.
- ``naive``: the ranked plans the optimum is compared with.
- ``curve``: the marginal return curve and the budget where an extra 10,000 stops paying.
- ``plan``: ``plan_resources`` -> ``ResourcePlan`` (table, facts, left out, curve, naive, sensitivity).
- ``export``: the plan as a hand-out with owner and due date, as CSV or XLSX bytes.
"""

from tools.plan.candidates import DEFAULT_LOSS_RATES, VALUE_COLUMNS, Candidates, build_candidates
from tools.plan.curve import MarginalCurve
from tools.plan.economics import Economics, EconomicsError, EconomicsSource, parse_economics
from tools.plan.export import DUE_DAYS, handout, this_week, to_csv_bytes, to_xlsx_bytes
from tools.plan.optimise import Capacity, Solution, solve
from tools.plan.plan import FACT_NAMES, PLAN_COLUMNS, ResourcePlan, make_plan, plan_resources

__all__ = [
    "DEFAULT_LOSS_RATES",
    "DUE_DAYS",
    "FACT_NAMES",
    "PLAN_COLUMNS",
    "VALUE_COLUMNS",
    "Candidates",
    "Capacity",
    "Economics",
    "EconomicsError",
    "EconomicsSource",
    "MarginalCurve",
    "ResourcePlan",
    "Solution",
    "build_candidates",
    "handout",
    "make_plan",
    "parse_economics",
    "plan_resources",
    "solve",
    "this_week",
    "to_csv_bytes",
    "to_xlsx_bytes",
]
