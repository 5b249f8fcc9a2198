"""The planner's economics come from the playbooks' front matter (issue 15, item 2): one loader
(agent/playbooks.py) parses the files for the Chroma store and the planner; the session injects the
library into plan_resources; a user's own folder (CUSTFIN_PLAYBOOKS_DIR) plans with its own blocks,
playbooks without a block offer no action, and a malformed block is a bilingual error naming the
playbook file and the field.

The fixture folder tests/fixtures/playbooks has three playbooks, two with an economics block (written
out again below as ``VIP`` and ``CTS``) and collections-dunning-sequence without one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from agent.playbooks import load_library
from agent.retrieval import PlaybookStore
from agent.run import run_tool
from agent.session import Session
from prompts import plan_resources as W
from tools.plan.economics import EconomicsError, EconomicsSource, parse_economics
from tools.plan.plan import FACT_NAMES, plan_resources
from tools.plan.values import gather

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "playbooks"
BASIS = {"en": "Team estimate (test fixture).", "zh": "团队估计（测试用）。"}
VIP = {
    "family": "retention",
    "owner_role": "account_manager",
    "cost": {"fixed": 20, "hours": {"account_manager": 1}},
    "effect": {"quantity": "retention_uplift", "low": 0.10, "high": 0.20},
    "applies_to": {"findings": ["at_risk_valuable_customers", "high_churn_risk"]},
    "estimate": True,
    "basis": BASIS,
}
CTS = {
    "family": "service",
    "owner_role": "account_manager",
    "cost": {"hours": {"account_manager": 0.5}},
    "effect": {"quantity": "cost_to_serve_reduction", "low": 0.10, "high": 0.25},
    "applies_to": {"findings": ["loss_making_customers", "high_cost_to_serve"]},
    "estimate": True,
    "basis": BASIS,
}


def _parsed(pid: str, block: dict):
    return parse_economics({"id": pid, "economics": block})


def _same_numbers(a, b) -> bool:
    """Equal economics apart from the basis text (the fixture files word it at more length)."""
    return a.model_copy(update={"basis": b.basis}) == b


@pytest.fixture
def user_folder(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the fixture playbooks as a user's own folder (CUSTFIN_PLAYBOOKS_DIR)."""
    folder = tmp_path / "my-playbooks"
    shutil.copytree(FIXTURES, folder)
    monkeypatch.setenv("CUSTFIN_PLAYBOOKS_DIR", str(folder))
    return folder


def test_loader_reads_the_blocks_and_leaves_playbooks_without_one_out() -> None:
    library = load_library(FIXTURES)
    assert isinstance(library, EconomicsSource)
    assert sorted(library.playbooks) == [
        "collections-dunning-sequence",
        "cost-to-serve-repricing",
        "retention-vip-outreach",
    ]
    blocks = library.economics()
    assert [e.playbook for e in blocks] == ["cost-to-serve-repricing", "retention-vip-outreach"]
    assert _same_numbers(blocks[0], _parsed("cost-to-serve-repricing", CTS))
    assert _same_numbers(blocks[1], _parsed("retention-vip-outreach", VIP))
    assert blocks[1].basis.en.startswith("Team estimate") and blocks[1].basis.zh.startswith("团队估计")
    assert library.playbooks["collections-dunning-sequence"].economics is None


def test_the_store_and_the_planner_share_one_parse(tmp_path: Path) -> None:
    store = PlaybookStore(FIXTURES, tmp_path / "chroma")
    assert store.playbooks is store.library.playbooks
    assert store.economics() == load_library(FIXTURES).economics()
    session = Session(demo=False)
    session.set_playbooks(store)
    assert session.dependency("playbook_economics") is store  # an injected store serves both tools


def test_a_user_folder_plans_with_its_own_economics(user_folder: Path) -> None:
    """The plan on the demo company with the fixture folder equals a direct call with the two blocks
    written out above; one retention and one service row recomputed by hand from the values:
    retention gain = mid effect 0.15 x churn probability x CLV (profit when no CLV) - 20;
    service gain = mid effect 0.175 x (3 / 12) x cost-to-serve (horizon 3 months, no money cost)."""
    session = Session(demo=True)
    assert Path(session.dependency("playbook_economics").directory) == user_folder.resolve()
    run = run_tool(session, "plan_resources", {})
    assert run.error is None and not run.internal_error
    plan = run.result.tables[0].frame
    assert set(plan["action"]) == {"retention-vip-outreach", "cost-to-serve-repricing"}
    values = gather(session.bundle).frame.set_index("customer_id")
    economics = [_parsed("cost-to-serve-repricing", CTS), _parsed("retention-vip-outreach", VIP)]
    direct = plan_resources(values.reset_index(), economics, budget=None)
    assert {k: run.result.facts[k] for k in FACT_NAMES} == direct.facts
    vip = plan[plan["action"] == "retention-vip-outreach"].iloc[0]
    v = values.loc[vip["customer_id"]]
    worth = v["clv"] if v["clv"] == v["clv"] else v["profit"]
    assert vip["cost"] == 20.0 and vip["hours"] == 1.0
    assert vip["expected_gain"] == pytest.approx(0.15 * v["churn_probability"] * worth - 20, rel=1e-9)
    cts = plan[plan["action"] == "cost-to-serve-repricing"].iloc[0]
    c = values.loc[cts["customer_id"]]
    assert cts["cost"] == 0.0 and cts["hours"] == 0.5
    assert cts["expected_gain"] == pytest.approx(0.175 * 0.25 * c["cost_to_serve"], rel=1e-9)


def test_a_folder_without_any_block_offers_no_action(user_folder: Path) -> None:
    for name in ("cost-to-serve-repricing.md", "retention-vip-outreach.md"):
        (user_folder / name).unlink()
    run = run_tool(Session(demo=True), "plan_resources", {"budget": 1000})
    assert run.error is None and run.result.tables[0].frame.empty
    assert run.result.facts["expected_gain"] == 0.0 and run.result.facts["customers_planned"] == 0
    assert run.result.summary.en.startswith(W.NO_ECONOMICS.en)
    assert run.result.summary.zh.startswith(W.NO_ECONOMICS.zh)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("hours: {account_manager: 1}", "hours: {account_manager: -1}", "economics.cost"),
        ("low: 0.10, high: 0.20", "low: 0.30, high: 0.20", "economics.effect"),
        ("owner_role: account_manager\n", "owner_role: account_manager\n  colour: blue\n", "economics.colour"),
        ("family: retention\n", "family: marketing\n", "economics.family"),
    ],
)
def test_a_malformed_block_is_a_bilingual_error_naming_file_and_field(
    user_folder: Path, old: str, new: str, field: str
) -> None:
    path = user_folder / "retention-vip-outreach.md"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    library = load_library(user_folder)
    pb = library.playbooks["retention-vip-outreach"]  # still there for recommendations
    assert pb.economics is None and pb.title.en
    with pytest.raises(EconomicsError) as err:
        library.economics()
    assert err.value.file == "retention-vip-outreach.md" and err.value.field.startswith(field)
    run = run_tool(Session(demo=True), "plan_resources", {})
    assert run.result is None and run.error is not None and run.error.code == "file_unreadable"
    en, zh = run.error.msg.en, run.error.msg.zh
    assert "retention-vip-outreach.md" in en and f"{field}" in en and "invalid economics block" in en
    assert "手册文件 retention-vip-outreach.md" in zh and f"{field}" in zh and "经济参数有误" in zh


def test_an_edited_folder_is_read_again(user_folder: Path) -> None:
    """The library is cached per folder and re-parsed when a file changes (size or modification time)."""
    session = Session(demo=False)
    first = session.dependency("playbook_economics")
    assert session.dependency("playbook_economics") is first
    (user_folder / "cost-to-serve-repricing.md").unlink()
    again = session.dependency("playbook_economics")
    assert [e.playbook for e in again.economics()] == ["retention-vip-outreach"]
