"""Playbook economics: the parser accepts good blocks, rejects bad ones naming the playbook and field,
and the proposals file agrees with the playbooks and the bibliography."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from tools.plan.economics import FAMILY_QUANTITY, load_economics, parse_economics

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOKS = ROOT / "playbooks"

GOOD = {
    "family": "retention",
    "owner_role": "account_manager",
    "cost": {"fixed": 50, "revenue_share": 0.02, "hours": {"account_manager": 1.5}},
    "effect": {"quantity": "retention_uplift", "low": 0.10, "high": 0.25},
    "applies_to": {"findings": ["high_churn_risk"], "thresholds": {"churn_probability": {"min": 0.3}}},
    "estimate": True,
    "basis": {"en": "Team estimate.", "zh": "团队估计。"},
    "sources": ["reichheld-sasser-1990"],
}


def _front(block: object, pid: str = "retention-vip-outreach") -> dict:
    return {"id": pid, "economics": block}


def test_parses_a_good_block():
    econ = parse_economics(_front(GOOD))
    assert econ.playbook == "retention-vip-outreach"
    assert econ.cost.hours == {"account_manager": 1.5}
    assert econ.effect.mid == pytest.approx(0.175)
    assert econ.applies_to.thresholds["churn_probability"].min == 0.3
    assert econ.roles == ("account_manager",)


def _bad(path: tuple[str, ...], value: object) -> dict:
    block = copy.deepcopy(GOOD)
    target = block
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return block


@pytest.mark.parametrize(
    ("block", "field"),
    [
        (_bad(("family",), "marketing"), "economics.family"),
        (_bad(("effect", "quantity"), "price_realisation"), "economics.effect"),  # no price_change
        (_bad(("effect", "low"), 0.5), "economics.effect"),  # low above high
        (_bad(("effect", "high"), 1.5), "economics.effect.high"),
        (_bad(("cost", "hours"), {"account_manager": -1}), "economics.cost"),
        (_bad(("cost", "hours"), {"Account Manager": 1}), "economics.cost"),
        (_bad(("cost", "revenue_share"), 2), "economics.cost.revenue_share"),
        (_bad(("owner_role",), "Account Manager"), "economics.owner_role"),
        (_bad(("basis",), {"en": "only English"}), "economics.basis.zh"),
        (_bad(("estimate",), KeyError), "economics.estimate"),
        (_bad(("estimate",), False) | {"sources": []}, "economics"),  # a sourced number needs sources
        (_bad(("applies_to", "thresholds"), {"churn_probability": {}}), "economics.applies_to.thresholds"),
        (_bad(("applies_to", "thresholds"), {"shoe_size": {"min": 1}}), "economics.applies_to.thresholds"),
        (_bad(("colour",), "blue"), "economics.colour"),
        (_bad(("value_basis",), "revenue"), "economics.value_basis"),
    ],
)
def test_rejects_bad_blocks_naming_playbook_and_field(block, field):
    with pytest.raises(ValueError) as err:
        parse_economics(_front(block, "retention-test-playbook"))
    message = str(err.value)
    assert message.startswith("playbook retention-test-playbook: ")
    assert field in message


def test_rejects_a_missing_block_and_family_quantity_mismatch():
    with pytest.raises(ValueError, match=r"^playbook cts-x: economics: missing"):
        parse_economics({"id": "cts-x", "title": "no economics"})
    service = _bad(("family",), "service")  # still retention_uplift
    with pytest.raises(
        ValueError, match=r"playbook cts-x: economics: .*service acts on cost_to_serve_reduction"
    ):
        parse_economics(_front(service, "cts-x"))
    with pytest.raises(ValueError, match=r"playbook cts-x: economics.playbook"):
        parse_economics(_front(GOOD | {"playbook": "other"}, "cts-x"))


# --- the proposals file ------------------------------------------------------------------------------

PROPOSALS = load_economics()
PREFIX_FAMILIES = {
    "retention": {"retention"},
    "winback": {"retention"},
    "cts": {"service"},
    "collections": {"collections"},
    "credit": {"collections"},
    "pricing": {"pricing"},
}


def _front_matter(pid: str) -> dict:
    text = (PLAYBOOKS / f"{pid}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---")[1])


def test_proposals_cover_at_least_twelve_playbooks_of_fitting_families():
    assert len(PROPOSALS) >= 12
    assert len({e.playbook for e in PROPOSALS}) == len(PROPOSALS)
    for econ in PROPOSALS:
        assert (PLAYBOOKS / f"{econ.playbook}.md").exists(), econ.playbook
        assert econ.family in PREFIX_FAMILIES[econ.playbook.split("-")[0]], econ.playbook
        assert econ.effect.quantity == FAMILY_QUANTITY[econ.family]


def test_every_number_is_cited_or_a_labelled_team_estimate_in_both_languages():
    bibliography = yaml.safe_load((PLAYBOOKS / "bibliography.yaml").read_text(encoding="utf-8"))
    for econ in PROPOSALS:
        assert set(econ.sources) <= set(bibliography), econ.playbook
        assert econ.estimate or econ.sources, econ.playbook
        if econ.estimate:
            assert econ.basis.en.startswith("Team estimate"), econ.playbook
            assert econ.basis.zh.startswith("团队估计"), econ.playbook


def test_proposals_agree_with_their_playbooks():
    """Targets are the playbook's own findings, and the effect range is the playbook's success range
    or a documented conversion of it that the basis names ('with the excess taken as ...', 'half of')."""
    for econ in PROPOSALS:
        meta = _front_matter(econ.playbook)
        assert set(econ.applies_to.findings) <= set(meta["findings"]), econ.playbook
        low, high = meta["impact"]["success_range"]
        same = (econ.effect.low, econ.effect.high) == (low, high)
        converted = any(w in econ.basis.en for w in ("taken as", "half of", "realised", "applied to"))
        assert same or converted, econ.playbook
        assert econ.owner_role in econ.cost.hours, econ.playbook


def test_value_based_increase_matches_the_playbooks_profit_range():
    """The basis says: at elasticity -0.5 and a 30% gross margin, a 5% increase realised at 50-90%
    adds 2.1-3.7% of annual revenue to gross profit (inside the playbook's 2-6%)."""
    econ = next(e for e in PROPOSALS if e.playbook == "pricing-value-based-increase-inelastic")
    eps, goods = -0.5, 0.7
    gains = []
    for rho in (econ.effect.low, econ.effect.high):
        d = econ.effect.price_change * rho
        q = (1 + d) ** eps
        gains.append(((1 + d) * q - 1) - goods * (q - 1))
    assert gains == pytest.approx([0.0210, 0.0375], abs=5e-4)
    assert "2.1-3.7%" in econ.basis.en and "2.1%-3.7%" in econ.basis.zh
