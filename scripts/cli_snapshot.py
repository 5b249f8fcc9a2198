"""Snapshot the CLI JSON of a fixed list of calls, to compare behaviour before and after a refactor.

    python scripts/cli_snapshot.py OUT.jsonl            # run every call, one JSON line per call
    python scripts/cli_snapshot.py --compare A B         # list the calls whose output differs

Calls: every registered tool with several argument sets in both languages on the demo company, the
tools again on the ingestion fixtures, and `ask` with the dev questions in both languages. Run in
process (agent.cli.main with stdout captured); volatile fields (version, timings) are normalised.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "ingest"

TOOL_ARGS: dict[str, list[dict]] = {
    "dataset_overview": [{}],
    "customer_profitability": [
        {}, {"n": 5}, {"n": 5, "order": "bottom"}, {"group_by": "region"}, {"group_by": "segment"},
        {"metric": "revenue", "group_by": "product"}, {"start": "2025-01-01", "end": "2025-12-31"},
        {"customer": "C00012"}, {"group_by": "month"},
    ],
    "profit_concentration": [{}, {"start": "2024-01-01", "end": "2024-12-31"}],
    "rfm_segments": [{}, {"n": 5}, {"segment": "At risk"}],
    "customer_lifetime_value": [{}, {"model": "historical"}, {"model": "pareto_nbd"}, {"n": 5, "order": "bottom"}],
    "churn_risk": [{}, {"n": 5}, {"group_by": "segment"}, {"risk_level": "high"}],
    "churn_trend": [{}, {"group_by": "region"}, {"freq": "year"}],
    "cohort_retention": [{}, {"freq": "quarter"}],
    "customer_survival": [{}, {"group_by": "segment"}],
    "price_sensitivity": [{}, {"group_by": "segment"}, {"price_change": 0.05}],
    "marketing_roi": [{}, {"group_by": "quarter"}],
    "satisfaction_analysis": [{}, {"group_by": "segment"}],
    "receivables_aging": [{}, {"n": 5}, {"dso_method": "countback"}, {"as_of": "2025-06-30"}],
    "financial_health": [{}, {"n": 5}, {"zone": "grey"}],
    "credit_risk": [{}, {"n": 5}, {"grade": "D"}],
    "recommend_actions": [{}, {"findings": ["loss_making_customers"]}],
}
FIXTURE_CALLS: list[tuple[str, str, dict]] = [
    ("customers.csv", "dataset_overview", {}),
    ("invoices.csv", "receivables_aging", {}),
    ("invoices.csv", "credit_risk", {}),
    ("financials.csv", "financial_health", {}),
    ("sales.csv", "price_sensitivity", {}),
    ("feedback.csv", "satisfaction_analysis", {}),
    ("marketing.csv", "marketing_roi", {}),
    ("refunds.csv", "customer_profitability", {}),
    ("semicolon.csv", "customer_profitability", {}),
    ("gbk_chinese.csv", "customer_profitability", {}),
    ("utf8_bom.csv", "customer_profitability", {"n": 3}),
    ("totals.csv", "customer_profitability", {}),
    ("title_rows.csv", "customer_profitability", {}),
    ("workbook.xlsx", "customer_profitability", {}),
    ("leading_zeros.csv", "customer_profitability", {}),
    ("dayfirst_dates.csv", "rfm_segments", {}),
]
VOLATILE = re.compile(r'"(version|seconds)": ("[^"]*"|[0-9.]+)')
TIMING = re.compile(r"\d+\.\d+ ?s\b")


def calls() -> list[list[str]]:
    out: list[list[str]] = []
    for tool, arg_sets in TOOL_ARGS.items():
        for args in arg_sets:
            for lang in ("en", "zh"):
                out.append(["tool", tool, "--args", json.dumps(args), "--lang", lang, "--json"])
    for fixture, tool, args in FIXTURE_CALLS:
        for lang in ("en", "zh"):
            out.append(["tool", tool, "--data", str(FIX / fixture), "--args", json.dumps(args), "--lang", lang, "--json"])
    questions: list[str] = []
    for path in sorted((ROOT / "tests" / "agent").glob("questions_dev*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                row = json.loads(line)
                if "context" not in row:
                    questions.append(row["q"])
    for q in questions[::2]:
        out.append(["ask", q, "--engine", "offline", "--json"])
    return out


def run(argv: list[str]) -> str:
    from agent import cli

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = cli.main(argv)
    text = VOLATILE.sub(r'"\1": "-"', buffer.getvalue().strip())
    return json.dumps({"argv": argv[:-1] if argv[-1] == "--json" else argv, "exit": code,
                       "out": TIMING.sub("T s", text)}, ensure_ascii=False)


def compare(a: Path, b: Path) -> int:
    left = [json.loads(x) for x in a.read_text(encoding="utf-8").splitlines()]
    right = {json.dumps(x["argv"]): x for x in (json.loads(y) for y in b.read_text(encoding="utf-8").splitlines())}
    differ = 0
    for row in left:
        other = right.get(json.dumps(row["argv"]))
        if other is None or other != row:
            differ += 1
            print("DIFF", " ".join(row["argv"][:6]))
    print(f"{len(left)} calls, {differ} differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--compare", nargs=2, type=Path)
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    sys.path.insert(0, str(ROOT))
    with args.out.open("w", encoding="utf-8") as f:
        for argv in calls():
            f.write(run(argv) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
