"""The `custfin` CLI contract (ARCHITECTURE.md "CLI contract"): flags, JSON fields, values, exit codes.

Golden numbers come from tests/data/acceptance/make_files.py (worked by hand there).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from agent.cli import main
from tools.registry import TOOLS

DATA = Path(__file__).resolve().parents[1] / "data" / "acceptance"
GBK = str(DATA / "orders_zh_gbk.csv")
XLSX = str(DATA / "orders_en.xlsx")
TOP5 = [("0003", 1200.0), ("0005", 900.0), ("0001", 600.0), ("0002", 500.0), ("0007", 350.0)]


def run(capsys, *argv: str, stdin: str | None = None) -> tuple[int, list[dict]]:
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = main(list(argv))
    finally:
        sys.stdin = sys.__stdin__
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines() if line.strip()]


def top_rows(payload: dict) -> list[tuple[str, float]]:
    table = payload["tables"][0]
    cid, profit = table["columns"].index("customer_id"), table["columns"].index("profit")
    return [(row[cid], row[profit]) for row in table["rows"][:5]]


@pytest.mark.parametrize(
    ("question", "path", "lang"),
    [("利润最高的5个客户是谁？", GBK, "zh"), ("Who are our 5 most profitable customers?", XLSX, "en")],
)
def test_acceptance_top5_profitable(capsys, question: str, path: str, lang: str) -> None:
    code, [payload] = run(capsys, "ask", question, "--data", path, "--json", "--engine", "offline")
    assert code == 0
    assert payload["tool"] == "customer_profitability"
    assert payload["arguments"]["n"] == 5
    assert payload["language"] == lang
    assert top_rows(payload) == TOP5  # ids stay strings with leading zeros; numbers are numbers
    assert payload["facts"]["total_profit"] == 3700.0
    assert payload["facts"]["total_revenue"] == 9900.0
    assert payload["facts"]["loss_making_customers"] == 1
    assert "0003" in payload["answer"]
    assert payload["method"]["rows_used"] == 9
    assert len(payload["method"]["data_fingerprint"]) == 64
    assert payload["tool_calls"] == [{"tool": "customer_profitability", "arguments": payload["arguments"]}]
    assert payload["tables"][0]["total_rows"] >= 5
    assert payload["charts"] and payload["charts"][0]["figure"]["data"]


def test_same_answer_from_both_files(capsys) -> None:
    _, [zh] = run(capsys, "ask", "利润最高的5个客户是谁？", "--data", GBK, "--json")
    _, [en] = run(capsys, "ask", "Who are our 5 most profitable customers?", "--data", XLSX, "--json")
    assert zh["facts"] == en["facts"]


def test_tool_list_describes_every_tool(capsys) -> None:
    code, [payload] = run(capsys, "tool", "--list")
    assert code == 0
    assert [t["name"] for t in payload["tools"]] == list(TOOLS)
    for tool in payload["tools"]:
        assert tool["description"] and tool["description_zh"]
        assert tool["arguments"]["type"] == "object"


def test_tool_with_args(capsys) -> None:
    code, [payload] = run(
        capsys,
        "tool",
        "customer_profitability",
        "--data",
        GBK,
        "--args",
        '{"n": 2, "order": "bottom"}',
        "--json",
    )
    assert code == 0
    assert top_rows(payload)[:2] == [("0004", -50.0), ("0006", 200.0)]


def test_batch_lines_stand_alone_and_errors_do_not_stop_it(capsys) -> None:
    # "只看2024年呢？" after a profit_concentration line would be its follow-up (profit_concentration for
    # 2024); standing alone it names no tool, so it gets the help answer (tool null).
    # (it may ask back which analysis the period is for: still no tool call).
    stdin = "How concentrated is our profit?\n只看2024年呢？\nrevenue by region\n"
    code, lines = run(capsys, "ask", "-", "--data", GBK, stdin=stdin)
    assert len(lines) == 3
    assert lines[0]["tool"] == "profit_concentration" and lines[0]["not_applied"] == []
    assert lines[1]["tool"] is None and lines[1]["tool_calls"] == []
    # the file has no region column: this line fails with its error object and the batch goes on
    assert lines[2] == {"error": {"code": "missing_columns", "message": lines[2]["error"]["message"]}}
    assert code == 2


def test_unmappable_question_is_answered_with_help(capsys) -> None:
    code, [payload] = run(capsys, "ask", "what's the weather like?", "--data", GBK, "--json")
    assert code == 0 and payload["tool"] is None and payload["tables"] == []
    assert "profitable" in payload["answer"].lower()


@pytest.mark.parametrize(
    ("argv", "code_name"),
    [
        (["ask", "top customers", "--data", "/nonexistent/file.csv", "--json"], "file_unreadable"),
        (["tool", "no_such_tool", "--json"], "unknown_tool"),
        (["tool", "customer_profitability", "--args", "{not json", "--json", "--data", GBK], "bad_arguments"),
        (["tool", "customer_profitability", "--args", '{"n": -3}', "--json", "--data", GBK], "bad_arguments"),
        (["ask", "top customers", "--data", GBK, "--map", "nonsense", "--json"], "bad_arguments"),
    ],
)
def test_unusable_input_exits_2_with_error_object(capsys, argv: list[str], code_name: str) -> None:
    code, [payload] = run(capsys, *argv)
    assert code == 2
    assert payload["error"]["code"] == code_name and payload["error"]["message"]


def test_missing_columns_is_exit_2(capsys, tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    path.write_text("customer_id,name\n1,Acme\n", encoding="utf-8")
    code, [payload] = run(
        capsys, "ask", "Who are our 5 most profitable customers?", "--data", str(path), "--json"
    )
    assert code == 2
    assert payload["error"]["code"] == "missing_columns"
    assert "transactions" in payload["error"]["message"]


def test_console_script_end_to_end(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("custfin")
    proc = subprocess.run(
        [str(exe), "ask", "利润最高的5个客户是谁？", "--data", GBK, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert top_rows(json.loads(proc.stdout)) == TOP5


def test_demo_data_writes_one_csv_per_kind(capsys, tmp_path: Path) -> None:
    code = main(["demo-data", "--out", str(tmp_path), "--customers", "50", "--seed", "3"])
    assert code == 0
    names = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert names == sorted(
        f"{k}.csv"
        for k in ["transactions", "customers", "invoices", "financials", "sales", "feedback", "marketing"]
    )
