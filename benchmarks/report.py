"""``python -m benchmarks.report [--lang en|zh] [--out DIR]``: size and generation time of a 10-analysis
report of the demo company (400 customers, 4,654 orders): ten questions answered offline in one
session, then the XLSX, the HTML and the PDF written from the answers. Prints one line per format
(bytes, seconds) and the time the answers took; the files stay in --out (default a temporary folder).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

QUESTIONS = {
    "en": [
        "who are our most profitable customers?",
        "how concentrated is our profit?",
        "segment customers by RFM",
        "what is the lifetime value of our customers?",
        "which customers are at risk of churning?",
        "show the churn trend by month",
        "show receivables ageing",
        "credit risk grades",
        "how price sensitive are our customers?",
        "what is the ROI of each marketing channel?",
    ],
    "zh": [
        "利润最高的客户是谁？",
        "利润集中度如何？",
        "按RFM给客户分群",
        "客户终身价值是多少？",
        "哪些客户有流失风险？",
        "每月流失趋势",
        "应收账款账龄",
        "客户信用评级",
        "客户对价格有多敏感？",
        "各营销渠道的投资回报率",
    ],
}


def run(lang: str, out: Path) -> list[tuple[str, int, float]]:
    from agent import engine, report
    from agent.session import Session

    session = Session(demo=True)
    started = time.perf_counter()
    answers = [engine.answer(q, session, "offline", lang) for q in QUESTIONS[lang]]  # type: ignore[arg-type]
    answered = time.perf_counter() - started
    answers = [a for a in answers if a.result is not None]
    built = report.build(answers, lang, company="Demo", data_period=session.event_period())  # type: ignore[arg-type]
    rows = [("answers", len(built.sections), answered)]
    for fmt in ("xlsx", "html", "pdf"):
        written = report.write(built, [out / f"report-{lang}.{fmt}"])[0]
        rows.append((fmt, written.size, written.seconds))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report")
    parser.add_argument("--lang", choices=["en", "zh"], default="en")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="custfin-report-"))
    out.mkdir(parents=True, exist_ok=True)
    for name, size, seconds in run(args.lang, out):
        unit = "analyses" if name == "answers" else "bytes"
        sys.stdout.write(f"{name:8} {size:>12,} {unit:9} {seconds:8.2f} s\n")
    sys.stdout.write(f"files in {out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
