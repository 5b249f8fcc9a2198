"""Deleting uploaded files in a sentence: the parser (English and Chinese, and what must not delete),
Session.remove_files and the engine's confirmation listing what is still loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent import engine, understand
from agent.session import Session
from agent.understand import Context, Removal, parse_removal
from tools.errors import UserFacingError

ORDERS = Path(__file__).resolve().parents[1] / "e2e" / "data" / "orders_en.csv"
FILES = ["orders.csv", "客户.xlsx", "my orders.csv"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("delete the file orders.csv", Removal(["orders.csv"])),
        ("Delete the file ORDERS.CSV", Removal(["orders.csv"])),
        ("could you please remove the file orders.csv from this conversation?", Removal(["orders.csv"])),
        ("remove orders.csv and 客户.xlsx please", Removal(["orders.csv", "客户.xlsx"])),
        ("delete my orders.csv", Removal(["my orders.csv"])),  # the longest uploaded name wins
        ("get rid of 'orders.csv'", Removal(["orders.csv"])),
        ("remove all my files", Removal([], everything=True)),
        ("delete everything", Removal([], everything=True)),
        ("删除 orders.csv 这个文件", Removal(["orders.csv"])),
        ("把 orders.csv 删掉", Removal(["orders.csv"])),
        ("请删除文件客户.xlsx", Removal(["客户.xlsx"])),
        ("删除所有文件", Removal([], everything=True)),
        ("清空全部数据", Removal([], everything=True)),
        ("delete the file unknown.csv", Removal(["unknown.csv"])),  # answered with the files there are
        ("删除未知.csv", Removal(["未知.csv"])),
    ],
)
def test_deletion_sentences(sentence, expected):
    assert parse_removal(sentence, FILES) == expected
    assert understand.parse(sentence, Context(files=tuple(FILES))).removal == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Who are our 5 most profitable customers?",
        "who are the top customers in orders.csv?",
        "remove refunds from orders.csv and show the top customers",
        "remove the outliers from all data and show profit by region",
        "remove C103",
        "drop the file orders.csv",  # "drop" is how files get in (drag and drop), never a deletion
        "treat orders.csv as invoices",
        "把 orders.csv 当作发票表",
        "show the bottom 2 instead",
        "利润最高的5个客户是谁？",
        "去掉退款后利润最高的客户是谁？",
    ],
)
def test_questions_never_delete(sentence):
    assert parse_removal(sentence, FILES) is None


def two_files() -> Session:
    session = Session(demo=True)
    assert session.add_file(ORDERS.read_bytes(), "orders.csv").ok
    fewer = b"\n".join(line for line in ORDERS.read_bytes().splitlines() if b",C104," not in line)
    assert session.add_file(fewer, "more.csv").ok
    return session


def test_remove_files_keeps_the_rest_and_forgets_the_follow_up_context():
    session = two_files()
    engine.answer("Who are our 5 most profitable customers?", session, "offline")
    assert session.last_tool == "customer_profitability"
    removed = session.remove_files(Removal(["Orders.CSV"]))
    assert [f.filename for f in removed] == ["orders.csv"]
    assert [f.filename for f in session.files] == ["more.csv"]
    assert not session.is_demo and session.last_tool is None
    assert len(session.bundle.get("transactions")) == 10  # the 12 orders minus C104's two
    assert session.context().files == ("more.csv",)


def test_removing_every_upload_falls_back_to_the_demo():
    session = two_files()
    session.remove_files(Removal([], everything=True))
    assert session.is_demo and session.files == []
    assert len(session.bundle.get("customers")) > 100  # the demo company


def test_an_unknown_name_changes_nothing():
    session = two_files()
    with pytest.raises(UserFacingError) as info:
        session.remove_files(Removal(["orders.csv", "nope.csv"]))
    assert "nope.csv" in info.value.message("en") and "more.csv" in info.value.message("en")
    assert "nope.csv" in info.value.message("zh")
    assert [f.filename for f in session.files] == ["orders.csv", "more.csv"]
    with pytest.raises(UserFacingError):
        Session(demo=True).remove_files(Removal(["orders.csv"]))  # nothing uploaded: the demo stays


def test_engine_confirms_in_the_question_language_listing_what_remains():
    session = two_files()
    answer = engine.answer("delete the file orders.csv", session, "offline")
    assert answer.removed_files == ["orders.csv"] and answer.error is None and not answer.runs
    assert answer.understood == "Understood: delete uploaded files"
    assert answer.body.startswith("Deleted `orders.csv`")
    assert (
        "Files still loaded:" in answer.markdown
        and "`more.csv` (transactions (orders), 10 rows)" in answer.markdown
    )

    answer = engine.answer("删除 more.csv 这个文件", session, "offline")
    assert answer.language == "zh" and answer.removed_files == ["more.csv"]
    assert "已删除 `more.csv`" in answer.markdown and "演示" in answer.markdown

    answer = engine.answer("delete the file orders.csv", session, "offline")
    assert answer.removed_files == [] and answer.error is not None
    # after the deletion, questions are answered from the demo company again
    assert engine.answer("Who are our 5 most profitable customers?", session, "offline").result is not None


def test_a_deletion_never_reaches_a_model(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")  # would fail if it were called
    monkeypatch.setenv("OPENAI_API_KEY", "x")
    from agent import settings as settings_mod

    session = Session(demo=True, settings=settings_mod.load())
    assert session.settings.model_configured
    assert session.add_file(ORDERS.read_bytes(), "orders.csv").ok
    answer = engine.answer("delete the file orders.csv", session, "auto")
    assert answer.removed_files == ["orders.csv"] and session.is_demo
