"""Resource planner (issue 15): candidate actions from playbook economics, the optimal plan under a
budget and capacity (scipy.optimize.milp), and what explains it. Pure computation: no UI, LLM or
network imports."""
