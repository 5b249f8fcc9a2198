"""The public churn snapshots of the real-export corpus (tests/data/real/) through ingestion and every
snapshot tool, against expected.json's headline numbers (tests/data/real/reference.py, pandas only) and
scipy on the raw CSV; the questions a user asks about them, answered end to end.

Measured on these samples (deterministic: fixed folds and seeds): telco (235 customers) churn 25.1%,
Month-to-month 43.1% / One year 3.9% / Two year 1.9%, chi-square p < 0.001, cross-validated ROC AUC 0.838
(logistic regression chosen; gradient boosting 0.81), mean predicted probability 24.8% against 25.1%
observed; bank (234 flagged customers) churn 22.2%, by Geography p = 0.096, AUC 0.73 (gradient boosting).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

from agent.cli import main
from tools.bundle import DatasetBundle
from tools.ingest import read_table
from tools.registry import TOOLS

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
EXPECTED = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))
TELCO, BANK = "telco_churn_snapshot.csv", "bank_churn_snapshot.csv"


def load(name: str) -> DatasetBundle:
    return DatasetBundle([read_table((REAL / name).read_bytes(), name)])


@pytest.fixture(scope="module")
def telco() -> DatasetBundle:
    return load(TELCO)


@pytest.fixture(scope="module")
def bank() -> DatasetBundle:
    return load(BANK)


@pytest.mark.parametrize("name", [TELCO, BANK])
def test_snapshot_columns_are_read_as_is(name: str) -> None:
    dataset = load(name).datasets["customers"]
    mapping = dataset.reports[0].mapping
    wanted = {src: canon for src, canon in EXPECTED[name]["columns"].items() if canon in {"customer_id", "churned",
              "tenure", "contract", "monthly_charges", "total_charges"}}  # fmt: skip
    assert {src: mapping.get(src) for src in wanted} == wanted
    assert dataset.frame["tenure"].dtype == "float64"


def test_telco_churn_rates_match_the_reference(telco) -> None:
    headline = EXPECTED[TELCO]["headline"]
    result = TOOLS["churn_trend"].run(telco, {"group_by": "contract"})
    assert result.facts["customers"] == headline["customers"]
    assert result.facts["churned_customers"] == headline["churned"]
    assert result.facts["churn_rate"] == pytest.approx(headline["churn_rate"], abs=1e-6)
    table = result.tables[0].frame.set_index("contract")["churn_rate"]
    assert table.to_dict() == pytest.approx(headline["churn_rate_by_Contract"], abs=1e-6)
    # scipy on the raw file: Pearson chi-square of Contract x Churn, no continuity correction
    raw = pd.read_csv(REAL / TELCO)
    chi2, p, dof, _ = stats.chi2_contingency(pd.crosstab(raw["Contract"], raw["Churn"]), correction=False)
    assert result.facts["chi2_statistic"] == pytest.approx(chi2)
    assert (result.facts["p_value"], result.facts["chi2_dof"]) == (pytest.approx(p), dof)
    assert result.facts["significant"] is True


def test_bank_churn_rates_by_a_column_named_as_in_the_file(bank) -> None:
    headline = EXPECTED[BANK]["headline"]
    result = TOOLS["churn_trend"].run(bank, {"group_by": "Geography"})
    assert result.facts["customers"] == headline["customers_with_churn_flag"]
    assert result.facts["churn_rate"] == pytest.approx(headline["churn_rate"], abs=1e-6)
    column = next(c for c in result.tables[0].frame.columns if c in ("group", "region"))
    rates = result.tables[0].frame.set_index(column)["churn_rate"]
    assert rates.to_dict() == pytest.approx(headline["churn_rate_by_Geography"], abs=1e-6)
    assert any("3 customers have no churn flag" in w.en for w in result.warnings)
    assert any("if tenure is in years" in w.en for w in result.warnings)  # Tenure is 0..10 years there


def test_telco_churn_model_auc_and_calibration(telco) -> None:
    facts = TOOLS["churn_risk"].run(telco, {}).facts
    assert 0.80 <= facts["cv_auc"] <= 0.88  # 0.838 on this 235-row sample (published models: ~0.84)
    assert facts["calibration_ok"] is True and abs(facts["calibration_gap"]) < 0.02
    assert facts["customers"] == 176 and facts["already_churned"] == 59
    assert facts["revenue_at_risk_basis"] == "monthly_charges_x12" and facts["revenue_at_risk"] > 0


def test_bank_churn_model_without_charges(bank) -> None:
    result = TOOLS["churn_risk"].run(bank, {})
    assert 0.65 <= result.facts["cv_auc"] <= 0.80  # 0.727 on this 234-row sample
    assert result.facts["revenue_at_risk"] is None
    assert "no monthly_charges column" in result.summary.en
    drivers = next(t.frame for t in result.tables if t.name == "churn_drivers")
    assert "RowNumber" not in set(drivers["feature"])  # a row index is never a feature


def test_telco_survival_and_clv(telco) -> None:
    survival = TOOLS["customer_survival"].run(telco, {})
    groups = survival.tables[0].frame.set_index("contract")
    assert groups.loc["Month-to-month", "median_tenure_months"] == 34
    assert groups.loc["all", "survival_12m"] == pytest.approx(survival.facts["survival_12m"])
    assert survival.facts["logrank_p_value"] < 0.001
    clv = TOOLS["customer_lifetime_value"].run(telco, {})
    assert clv.facts["model"] == "subscription" and clv.facts["customers"] == 176
    by_contract = next(t.frame for t in clv.tables if t.name == "clv_by_contract").set_index("contract")
    assert by_contract.loc["Two year", "average_expected_remaining_months"] > by_contract.loc[
        "Month-to-month", "average_expected_remaining_months"
    ]


def test_chinese_snapshot_headers() -> None:
    text = "客户编号,在网时长,合约类型,月费,累计消费,是否流失\n" + "\n".join(
        f"K{i:03d},{t},{c},{m},{m * t},{f}"
        for i, (t, c, m, f) in enumerate(
            [(1, "月付", 70.0, "是"), (30, "两年", 50.0, "否"), (5, "月付", 90.0, "是"), (12, "一年", 60.0, "否"),
             (40, "两年", 40.0, "否"), (2, "月付", 80.0, "否")]  # fmt: skip
        )
    )
    dataset = read_table(text.encode("utf-8"), "客户快照.csv")
    assert dataset.kind == "customers"
    assert set(dataset.reports[0].mapping.values()) == {
        "customer_id", "tenure", "contract", "monthly_charges", "total_charges", "churned"
    }  # fmt: skip
    result = TOOLS["churn_trend"].run(DatasetBundle([dataset]), {})
    rates = result.tables[0].frame.set_index("contract")["churn_rate"]
    assert rates.to_dict() == pytest.approx({"月付": 2 / 3, "一年": 0.0, "两年": 0.0})


def ask(capsys, question: str, lang: str = "en") -> dict:
    code = main(["ask", question, "--data", str(REAL / TELCO), "--engine", "offline", "--lang", lang, "--json"])
    assert code == 0
    return json.loads(io.StringIO(capsys.readouterr().out).getvalue())


@pytest.mark.parametrize(
    ("question", "tool", "arguments"),
    [
        ("churn rate by contract type", "churn_trend", {"group_by": "contract"}),
        ("按合约类型的流失率", "churn_trend", {"group_by": "contract"}),
        ("churn rate by tenure", "churn_trend", {"group_by": "tenure"}),
        ("How long do customers stay by contract?", "customer_survival", {"group_by": "contract"}),
        ("Which customers are likely to leave?", "churn_risk", {}),
    ],
)
def test_questions_on_the_telco_snapshot_are_answered(capsys, question: str, tool: str, arguments: dict) -> None:
    payload = ask(capsys, question, "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in question) else "en")
    assert payload["tool"] == tool and payload["arguments"] == arguments
    assert "needs a transactions" not in payload["answer"]
    assert len(payload["method"]["data_fingerprint"]) == 64


def test_what_to_do_about_churn_measures_the_snapshot(capsys) -> None:
    payload = ask(capsys, "what should we do about churn?")
    assert payload["tool"] == "recommend_actions"
    assert payload["tool_calls"][0]["tool"] == "churn_risk"
    assert payload["recommendations"]
