"""Thresholds, risk levels and the scored-customers record shared by the churn_risk methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from pydantic import Field

from core.text import Msg
from tools.params import RankParams
from tools.results import Chart, FactValue, Table

if TYPE_CHECKING:
    pass


#: Risk levels from 1 - P(alive) (probability the customer is already gone).
HIGH_RISK = 0.5
MEDIUM_RISK = 0.25
#: Risk levels from the supervised P(churn within prediction_days) (base rates are ~5-20%).
SUPERVISED_HIGH_RISK = 0.30
SUPERVISED_MEDIUM_RISK = 0.15
#: Recency rule: high risk after k x typical gap (k = gap_multiplier), medium after this share of it.
DEFAULT_GAP_MULTIPLIER = 3.0
RULE_MEDIUM_SHARE = 0.5
#: Typical gap assumed when nobody bought twice.
DEFAULT_GAP_DAYS = 90.0
#: Purchase models need this many customers (and a repeat purchase).
MIN_CUSTOMERS = 10
#: Supervised model: snapshots, windows, folds, minimum class sizes.
DEFAULT_PREDICTION_DAYS = 180
LOOKBACK_DAYS = 365
SHORT_WINDOW_DAYS = 90
SNAPSHOT_STEP_DAYS = 91
CV_FOLDS = 5
MIN_PER_CLASS = 10
PERMUTATION_REPEATS = 3
#: Inverse L2 penalty strength of the logistic regression.
LOGISTIC_C = 0.1
TOP_DRIVERS = 5
#: A single feature with a univariate AUC above this (or below 1 - it) is reported as a possible leak.
LEAKAGE_AUC = 0.95
#: Categorical attributes with more levels than this (or unique per customer) are not used.
MAX_LEVELS = 30
TRAILING_DAYS = 365
TOP_SHARE = 0.20
RANDOM_STATE = 0
ID = "customer_id"
LEVELS = ("high", "medium", "low")
NEVER_FEATURES = {"customer_id", "name", "churned", "churn_date", "signup_date", "email", "phone"}

@dataclass
class Scored:
    """Per-customer scores and everything the answer states about how they were made."""

    frame: pd.DataFrame  # index customer_id: churn_probability, risk_level, basis
    method: str
    definition: Msg
    formula: Msg
    assumptions: list[Msg] = field(default_factory=list)
    warnings: list[Msg] = field(default_factory=list)
    facts: dict[str, FactValue] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    quality: Msg | None = None



def levels(probability: np.ndarray, high: float = HIGH_RISK, medium: float = MEDIUM_RISK) -> np.ndarray:
    return np.where(probability >= high, "high", np.where(probability >= medium, "medium", "low"))


Method_ = Literal["auto", "supervised", "model", "recency_rule"]


class ChurnParams(RankParams):
    """Churn risk per customer: how to estimate it, which customers to list."""

    method: Method_ = Field(
        "auto",
        description="'auto' (default): a supervised model when the customers table has a churned column, "
        "else purchase models; 'supervised'; 'model' (1 - P(alive), BG/NBD and MBG/NBD); 'recency_rule'.",
    )
    risk_level: Literal["high", "medium", "low"] | None = Field(
        None, description="List only the customers at this risk level."
    )
    gap_multiplier: float = Field(
        DEFAULT_GAP_MULTIPLIER,
        ge=1,
        le=20,
        description="Recency rule: churned after no purchase for longer than this many typical purchase gaps.",
    )
    prediction_days: int = Field(
        DEFAULT_PREDICTION_DAYS,
        ge=30,
        le=730,
        description="Supervised model: predict churn within this many days after the reference date.",
    )
    as_of: date | None = Field(
        None, description="Reference date (default: the last transaction date); later data is ignored."
    )
    currency: str | None = Field(
        None, description="Currency to analyse when there are several (default: the most common)."
    )
