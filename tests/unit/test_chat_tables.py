"""Readable chat tables (issue 17, item 4): money with separators, shares as %, labels in the reader's
language, only the reader's columns (no title_en/title_zh/why_en/why_zh), the CSV at full precision;
recommendations one line each with the details folded into a collapsed step."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from agent import compose, engine
from agent.session import Session


@pytest.fixture(scope="module")
def session():
    return Session(demo=True)


def test_money_shares_and_labels(session):
    answer = engine.answer("who are our most profitable customers?", session, "offline")
    table = answer.result.tables[0]
    shown = compose.display_frame(table, "en", answer.result.tool)
    first = table.frame.iloc[0]
    assert list(shown.columns[:4]) == ["Rank", "Customer ID", "Customer name", "Revenue"]
    assert shown["Revenue"].iloc[0] == f"{first['revenue']:,.2f}"
    assert shown["Margin"].iloc[0] == f"{first['margin'] * 100:.1f}%"
    assert shown["Orders"].iloc[0] == f"{int(first['orders']):,}"
    zh = compose.display_frame(table, "zh", answer.result.tool)
    assert "收入" in zh.columns and "利润率" in zh.columns
    # the download keeps every digit and the canonical names
    csv = pd.read_csv(io.BytesIO(compose.table_csv(table)), encoding="utf-8-sig")
    assert list(csv.columns) == list(table.frame.columns)
    assert csv["revenue"].iloc[0] == pytest.approx(first["revenue"], rel=1e-15)


def test_no_raw_floats_in_any_table(session):
    for q in ["show receivables ageing", "credit risk grades", "which customers are at risk of churning?"]:
        answer = engine.answer(q, session, "offline")
        for table in answer.result.tables:
            shown = compose.display_frame(table, "en", answer.result.tool)
            for col in shown.columns:
                assert not any(isinstance(v, float) for v in shown[col]), (q, col)
    aging = engine.answer("show receivables ageing", session, "offline")
    buckets = compose.display_frame(aging.result.tables[0], "zh", "receivables_aging")
    assert "未到期" in buckets.iloc[:, 0].tolist()  # bucket codes in the reader's words


def test_recommendations_table_shows_only_reader_columns(session):
    answer = engine.answer("what should we do about overdue receivables", session, "offline")
    table = answer.result.tables[0]
    assert {"title_en", "title_zh", "why_en", "why_zh"} <= set(table.frame.columns)  # the tool keeps them
    for lang, title in (("en", "Title"), ("zh", "标题")):
        shown = compose.display_frame(table, lang, "recommend_actions")
        assert not {"title_en", "title_zh", "why_en", "why_zh"} & set(shown.columns)
        assert not any("英文" in c or "English" in c or "中文" in c or "Chinese" in c for c in shown.columns)
        assert any(c.startswith(title) for c in shown.columns)
    zh = compose.display_frame(table, "zh", "recommend_actions")
    assert table.frame["title_zh"].iloc[0] in zh.to_string()


def test_recommendations_fold_to_one_line_each(session):
    full = engine.answer("what should we do about overdue receivables", session, "offline")
    text, folded = compose.fold_recommendations(full.markdown, "en")
    assert folded and [n.split(" · ")[0] for n, _ in folded] == [f"Details {i}" for i in range(1, len(folded) + 1)]
    assert folded[0][0] == f"Details 1 · {full.recommendations[0]['title']}"
    assert "First steps" not in text and "First steps" in folded[0][1]
    for name, _ in folded:
        line = next(line for line in text.splitlines() if line.endswith(name.split(" · ")[0]))
        assert line.count("\n") == 0 and len(line) < 260
    short = engine.answer("哪些客户有逾期？", session, "offline")
    text, folded = compose.fold_recommendations(short.markdown, "zh")
    assert folded and "原因：" not in text and "原因：" in folded[0][1]
    plain = "Just text\n1. **not a list of details**"
    assert compose.fold_recommendations(plain, "en") == (plain, [])
