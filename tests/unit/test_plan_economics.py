"""Playbook economics: the parser accepts good blocks, rejects bad ones naming the playbook and field;
the team's playbooks carry the blocks in their front matter, unchanged from the former
tools/plan/playbook_economics.yaml, and agree with the playbooks' own text and the bibliography."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import pytest
import yaml

from agent.playbooks import load_library
from tools.plan.economics import FAMILY_QUANTITY, EconomicsError, parse_economics

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


# --- the team's playbooks -----------------------------------------------------------------------

LIBRARY = load_library(PLAYBOOKS)
PROPOSALS = LIBRARY.economics()
# The 22 blocks as they were in tools/plan/playbook_economics.yaml (commit eb99945) before they moved
# into the playbooks' front matter, written out here from that file: (id, family, owner_role,
# value_basis, cost.fixed, cost.revenue_share, cost.hours, (effect.quantity, low, high, price_change),
# applies_to.findings, .segments, .credit_grades, .thresholds as {column: (min, max)}, estimate,
# sources, the first 16 hex digits of sha256(basis.en + "\n" + basis.zh)).
MOVED = [
    ("retention-vip-outreach", "retention", "account_manager", "clv", 0.0, 0.02, {'account_manager': 1.5}, ("retention_uplift", 0.1, 0.25, None), ['at_risk_valuable_customers', 'high_churn_risk', 'revenue_at_risk'], [], [], {}, True, ['reichheld-sasser-1990', 'reinartz-kumar-2002', 'gupta-lehmann-2005'], "16b13a375aad5ed9"),
    ("retention-key-account-program", "retention", "account_manager", "clv", 0.0, 0.01, {'account_manager': 10.0, 'senior_manager': 3.0}, ("retention_uplift", 0.05, 0.15, None), ['high_profit_concentration', 'at_risk_valuable_customers'], [], [], {}, True, ['reichheld-sasser-1990', 'mulhern-1999', 'blattberg-getz-thomas-2001'], "ec72cb596c9d6359"),
    ("retention-pre-empt-churn-peak", "retention", "customer_success", "clv", 0.0, 0.01, {'customer_success': 0.75}, ("retention_uplift", 0.1, 0.25, None), ['churn_peak', 'low_retention_cohort'], [], [], {}, True, ['fader-hardie-2007', 'bolton-1998', 'reichheld-sasser-1990'], "67251747b76f36bb"),
    ("retention-uplift-targeted-offers", "retention", "marketing", "clv", 0.0, 0.04, {'marketing': 0.1}, ("retention_uplift", 0.05, 0.2, None), ['high_churn_risk', 'revenue_at_risk'], [], [], {}, True, ['ascarza-2018', 'lemmens-gupta-2020', 'neslin-et-al-2006'], "a0f45d72e1b673a4"),
    ("retention-onboarding-first-90-days", "retention", "customer_success", "clv", 0.0, 0.02, {'customer_success': 0.75}, ("retention_uplift", 0.1, 0.3, None), ['low_retention_cohort', 'churn_peak'], [], [], {}, True, ['fader-hardie-2007', 'reinartz-kumar-2000', 'verhoef-2003'], "031d7fd576eccb30"),
    ("winback-lapsed-customer-campaign", "retention", "inside_sales", "profit", 0.0, 0.01, {'inside_sales': 0.5}, ("retention_uplift", 0.05, 0.15, None), ['high_churn_risk', 'revenue_at_risk', 'at_risk_valuable_customers'], [], [], {'churn_probability': (0.5, None)}, True, ['thomas-blattberg-fox-2004', 'griffin-lowenstein-2001', 'blattberg-kim-neslin-2008'], "4d5beb4b01e2b3a6"),
    ("winback-reactivate-hibernating-segments", "retention", "inside_sales", "profit", 0.0, 0.01, {'inside_sales': 0.25}, ("retention_uplift", 0.08, 0.2, None), ['at_risk_valuable_customers', 'low_retention_cohort'], [], [], {}, True, ['blattberg-kim-neslin-2008', 'fader-hardie-lee-2005', 'thomas-blattberg-fox-2004'], "71e66a0932bb1dcc"),
    ("winback-complaint-churned-customers", "retention", "senior_manager", "profit", 0.0, 0.02, {'senior_manager': 1.0}, ("retention_uplift", 0.1, 0.25, None), ['complaint_driven_churn', 'low_satisfaction_segment'], [], [], {}, True, ['hart-heskett-sasser-1990', 'tax-brown-chandrashekaran-1998', 'griffin-lowenstein-2001', 'keaveney-1995'], "f19ede7f581f6f2c"),
    ("cts-activity-based-cost-to-serve-review", "service", "account_manager", "clv", 0.0, 0.0, {'account_manager': 1.5}, ("cost_to_serve_reduction", 0.1, 0.25, None), ['loss_making_customers', 'high_cost_to_serve'], [], [], {}, True, ['kaplan-cooper-1998', 'cooper-kaplan-1991', 'kaplan-narayanan-2001', 'kaplan-anderson-2004'], "6992623b0d9a55fc"),
    ("cts-minimum-order-and-service-fees", "service", "account_manager", "clv", 0.0, 0.0, {'account_manager': 0.25}, ("cost_to_serve_reduction", 0.12, 0.3, None), ['high_cost_to_serve', 'loss_making_customers'], [], [], {}, True, ['kaplan-narayanan-2001', 'shapiro-et-al-1987', 'nagle-muller-2017'], "a972e36cca19c097"),
    ("cts-self-service-channel-migration", "service", "inside_sales", "clv", 0.0, 0.004, {'inside_sales': 0.5}, ("cost_to_serve_reduction", 0.15, 0.3, None), ['high_cost_to_serve', 'unprofitable_channel'], [], [], {}, True, ['neslin-et-al-2006-multichannel', 'zeithaml-rust-lemon-2001', 'kaplan-narayanan-2001'], "e78b5e15c52e43bc"),
    ("cts-tiered-service-levels", "service", "account_manager", "clv", 0.0, 0.0, {'account_manager': 0.5}, ("cost_to_serve_reduction", 0.1, 0.22, None), ['high_cost_to_serve', 'loss_making_customers'], [], [], {}, True, ['zeithaml-rust-lemon-2001', 'shapiro-et-al-1987', 'kaplan-narayanan-2001'], "f84bca2a1c24ff9b"),
    ("cts-reduce-customer-effort", "service", "support_agent", "clv", 0.0, 0.0, {'support_agent': 0.5}, ("cost_to_serve_reduction", 0.06, 0.14, None), ['high_cost_to_serve', 'low_satisfaction_segment'], [], [], {}, True, ['dixon-freeman-toman-2010', 'kaplan-anderson-2004', 'heskett-et-al-1994'], "11bd9c8e3daa0e3c"),
    ("collections-risk-prioritised-worklist", "collections", "collector", "clv", 0.0, 0.0, {'collector': 0.5}, ("recovered_receivables", 0.2, 0.45, None), ['overdue_receivables', 'high_credit_risk'], [], [], {}, True, ['thomas-edelman-crook-2002', 'siddiqi-2006', 'altman-1968'], "1f4545ebb2033eba"),
    ("collections-dunning-ladder", "collections", "collector", "clv", 0.0, 0.0, {'collector': 0.5}, ("recovered_receivables", 0.15, 0.3, None), ['overdue_receivables', 'deteriorating_payer'], [], [], {}, True, ['thomas-edelman-crook-2002', 'deloof-2003', 'petersen-rajan-1997'], "3dfdb209679ece14"),
    ("collections-payment-plans", "collections", "collector", "clv", 0.0, 0.0, {'collector': 2.0, 'credit_analyst': 1.0}, ("recovered_receivables", 0.4, 0.75, None), ['overdue_receivables', 'financial_distress'], [], ['D', 'E'], {}, True, ['altman-hotchkiss-wang-2019', 'cunat-2007', 'thomas-edelman-crook-2002'], "5e24272de628c7b5"),
    ("collections-distress-watchlist", "collections", "credit_analyst", "clv", 0.0, 0.0, {'credit_analyst': 0.5}, ("recovered_receivables", 0.2, 0.5, None), ['financial_distress', 'deteriorating_payer'], [], [], {}, True, ['altman-1968', 'beaver-1966', 'ohlson-1980', 'altman-hotchkiss-wang-2019'], "d52b55e3e7bb3316"),
    ("collections-invoice-dispute-resolution", "collections", "collector", "clv", 0.0, 0.0, {'collector': 1.0}, ("recovered_receivables", 0.2, 0.35, None), ['overdue_receivables', 'low_satisfaction_segment'], [], [], {}, True, ['tax-brown-chandrashekaran-1998', 'hart-heskett-sasser-1990', 'deloof-2003'], "7c35bb8145ca455f"),
    ("credit-limit-review-scorecard", "collections", "credit_analyst", "clv", 0.0, 0.0, {'credit_analyst': 0.5}, ("recovered_receivables", 0.25, 0.55, None), ['high_credit_risk', 'deteriorating_payer'], [], [], {}, True, ['siddiqi-2006', 'thomas-edelman-crook-2002', 'altman-1968', 'ohlson-1980'], "cf367d0e046485aa"),
    ("credit-tighten-terms-slow-payers", "collections", "account_manager", "clv", 0.0, 0.0, {'account_manager': 0.5}, ("recovered_receivables", 0.2, 0.45, None), ['deteriorating_payer', 'overdue_receivables'], [], [], {}, True, ['petersen-rajan-1997', 'ng-smith-smith-1999', 'deloof-2003'], "8280e7022f239eea"),
    ("pricing-value-based-increase-inelastic", "pricing", "account_manager", "clv", 0.0, 0.0, {'account_manager': 0.25}, ("price_realisation", 0.5, 0.9, 0.05), ['price_inelastic_segment'], [], [], {'elasticity': (-1.0, 0.0)}, True, ['nagle-muller-2017', 'hinterhuber-2008', 'anderson-narus-vanrossum-2006', 'simon-fassnacht-2019'], "0419d62ecf15c1f2"),
    ("pricing-reprice-loss-making-accounts", "pricing", "account_manager", "clv", 0.0, 0.0, {'account_manager': 1.5}, ("price_realisation", 0.7, 0.9, 0.05), ['loss_making_customers', 'over_discounting'], [], [], {}, True, ['marn-rosiello-1992', 'nagle-muller-2017', 'kaplan-narayanan-2001'], "a2db98c3bd151635"),
]  # fmt: skip


def _row(e) -> tuple:
    c, ef, a = e.cost, e.effect, e.applies_to
    basis = hashlib.sha256(f"{e.basis.en}\n{e.basis.zh}".encode()).hexdigest()[:16]
    return (
        e.playbook, e.family, e.owner_role, e.value_basis, c.fixed, c.revenue_share, dict(c.hours),
        (ef.quantity, ef.low, ef.high, ef.price_change), list(a.findings), list(a.segments),
        list(a.credit_grades), {k: (v.min, v.max) for k, v in a.thresholds.items()}, e.estimate,
        list(e.sources), basis,
    )  # fmt: skip


def test_blocks_moved_from_the_yaml_unchanged():
    """Every number, role, target and source, and the basis texts word for word (by hash), equal the
    former yaml; the library lists them in file-name order, and no playbook's block is malformed."""
    assert sorted(_row(e) for e in PROPOSALS) == sorted(MOVED)
    assert [e.playbook for e in PROPOSALS] == sorted(e.playbook for e in PROPOSALS)
    assert not LIBRARY.errors and all(pb.economics_error is None for pb in LIBRARY.playbooks.values())


def test_playbooks_left_out_have_no_block():
    """The playbooks of the planner's families whose action is not a per-customer cost and effect
    (playbooks/README.md, "Economics") carry no block, so they offer no planner action."""
    for pid in (
        "retention-expected-loss-prioritisation",
        "cts-managed-exit-persistent-loss-customers",
        "credit-secured-terms-distressed-customers",
        "credit-concentration-exposure-limits",
        "credit-early-payment-discount",
        "pricing-good-better-best-tiers",
    ):
        assert LIBRARY.playbooks[pid].economics is None, pid


def test_parse_errors_are_economics_errors_with_their_parts():
    with pytest.raises(EconomicsError) as err:
        parse_economics(_front(_bad(("cost", "revenue_share"), 2), "cts-x"))
    assert (err.value.playbook, err.value.field) == ("cts-x", "economics.cost.revenue_share")
    assert "less than or equal to 1" in err.value.problem and err.value.file is None


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
    return yaml.safe_load(text.split("\n---\n")[0].removeprefix("---\n"))


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
