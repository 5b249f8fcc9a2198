"""The structured economics of a playbook: what one action costs per customer, what it changes, for whom.

A playbook's front matter carries an optional ``economics:`` block (every field, its unit and its
meaning in English and Chinese: playbooks/README.md, "Economics")::

    economics:
      family: retention                 # retention | service | collections | pricing
      owner_role: account_manager       # who carries the action out (snake_case role)
      value_basis: clv                  # retention only: clv (else trailing profit) | profit
      cost:
        fixed: 0                        # money per targeted customer
        revenue_share: 0.02             # share of the customer's trailing-12-month revenue
        hours: {account_manager: 1.5}   # hours per targeted customer, by role
      effect:
        quantity: retention_uplift      # the quantity of the family (FAMILY_QUANTITY)
        low: 0.10
        high: 0.25
      applies_to:
        findings: [at_risk_valuable_customers, high_churn_risk]   # any of them (empty: no condition)
        segments: []                    # any of them, case-insensitive (empty: no condition)
        credit_grades: []               # any of them (empty: no condition)
        thresholds: {churn_probability: {min: 0.3}}               # all must hold, bounds inclusive
      estimate: true                    # true: the team's own numbers; false: taken from `sources`
      basis: {en: "...", zh: "..."}     # where every number comes from
      sources: [reichheld-sasser-1990]  # keys of playbooks/bibliography.yaml

Effect quantities (fractions in [0, 1]; ``low <= high``):

- ``retention_uplift`` u: the action lowers the customer's churn probability p to p·(1 - u), i.e. the
  probability the customer stays rises by u·p; u is the share of the value at risk that is kept.
- ``cost_to_serve_reduction`` r: share of the customer's cost-to-serve removed over the horizon.
- ``recovered_receivables`` s: share of the expected loss on the customer's open overdue amount that
  the action recovers (expected loss = overdue amount x loss rate of the credit grade).
- ``price_realisation`` ρ: share of the proposed list price increase ``price_change`` Δ that is
  realised, so the realised price change is Δ·ρ (``price_change`` is required for this quantity only).

``parse_economics`` turns a front-matter dict into an ``Economics`` model and raises ``EconomicsError``
(a ``ValueError``) naming the playbook and the field on bad input. Reading the playbook files is not
done here: agent/playbooks.py parses them (one loader for the playbook store and the planner) and the
session injects the result into plan_resources as an ``EconomicsSource``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Family = Literal["retention", "service", "collections", "pricing"]
Quantity = Literal[
    "retention_uplift", "cost_to_serve_reduction", "recovered_receivables", "price_realisation"
]
#: Numeric per-customer columns of the values frame a threshold may test (see ``candidates``).
ThresholdColumn = Literal[
    "revenue", "profit", "clv", "churn_probability", "cost_to_serve", "overdue_amount", "elasticity"
]

FAMILIES: tuple[Family, ...] = ("retention", "service", "collections", "pricing")
#: The one effect quantity each family acts on.
FAMILY_QUANTITY: dict[Family, Quantity] = {
    "retention": "retention_uplift",
    "service": "cost_to_serve_reduction",
    "collections": "recovered_receivables",
    "pricing": "price_realisation",
}
_ROLE = r"^[a-z][a-z0-9_]*$"


class EconomicsError(ValueError):
    """A missing or invalid economics block: ``"playbook <id>: economics.<field>: <problem>"``.

    ``playbook``, ``field`` (dotted, e.g. ``economics.cost.hours``) and ``problem`` are kept apart so
    that a caller can word the message in both languages; ``file`` is the playbook file's name when the
    loader knows it.
    """

    def __init__(self, playbook: str, field: str, problem: str, file: str | None = None) -> None:
        super().__init__(f"playbook {playbook}: {field}: {problem}")
        self.playbook, self.field, self.problem, self.file = playbook, field, problem, file


@runtime_checkable
class EconomicsSource(Protocol):
    """What plan_resources needs from a playbook library (agent/playbooks.py implements it)."""

    def economics(self) -> Sequence[Economics]:
        """The economics blocks of the playbooks that have one, in the library's order (playbooks
        without a block are left out); raises ``EconomicsError`` (with ``file`` set) for a bad block."""
        ...


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """A bilingual text (English and Chinese, both required)."""

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class Cost(_Model):
    """Cost of the action per targeted customer: money = fixed + revenue_share x trailing revenue."""

    fixed: float = Field(0.0, ge=0, description="Money per targeted customer.")
    revenue_share: float = Field(
        0.0, ge=0, le=1, description="Share of the customer's trailing-12-month revenue (e.g. a gesture)."
    )
    hours: dict[str, float] = Field(default_factory=dict, description="Hours per targeted customer, by role.")

    @model_validator(mode="after")
    def _hours(self) -> Cost:
        for role, hours in self.hours.items():
            if not _is_role(role):
                raise ValueError(f"role {role!r} is not a snake_case name")
            if not hours >= 0:
                raise ValueError(f"hours of {role!r} must be >= 0, got {hours}")
        return self


class Effect(_Model):
    """Expected effect as a range [low, high] on a named quantity (fractions)."""

    quantity: Quantity
    low: float = Field(ge=0, le=1)
    high: float = Field(ge=0, le=1)
    price_change: float | None = Field(
        None, gt=0, le=1, description="Proposed list price increase (fraction); price_realisation only."
    )

    @model_validator(mode="after")
    def _range(self) -> Effect:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        if (self.quantity == "price_realisation") != (self.price_change is not None):
            raise ValueError("price_change is required for price_realisation and allowed for it only")
        return self

    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2


class Threshold(_Model):
    """Inclusive bounds on one value column; at least one of min and max."""

    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Threshold:
        if self.min is None and self.max is None:
            raise ValueError("a threshold needs min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        return self


class AppliesTo(_Model):
    """Which customers the action targets: every non-empty condition must hold."""

    findings: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    credit_grades: tuple[str, ...] = ()
    thresholds: dict[ThresholdColumn, Threshold] = Field(default_factory=dict)


class Economics(_Model):
    """The economics block of one playbook (``playbook`` is the playbook id)."""

    playbook: str = Field(min_length=1)
    family: Family
    owner_role: str = Field(pattern=_ROLE)
    value_basis: Literal["clv", "profit"] = "clv"
    cost: Cost
    effect: Effect
    applies_to: AppliesTo = AppliesTo()
    estimate: bool
    basis: Text
    sources: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Economics:
        expected = FAMILY_QUANTITY[self.family]
        if self.effect.quantity != expected:
            raise ValueError(f"family {self.family} acts on {expected}, not {self.effect.quantity}")
        if self.value_basis != "clv" and self.family != "retention":
            raise ValueError("value_basis applies to the retention family only")
        if not self.estimate and not self.sources:
            raise ValueError("estimate: false needs the sources the numbers come from")
        return self

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(self.cost.hours)


def _is_role(name: str) -> bool:
    return re.fullmatch(_ROLE, name) is not None


def parse_economics(front_matter: Mapping[str, Any], playbook_id: str | None = None) -> Economics:
    """The ``economics:`` block of a playbook's front matter as a validated ``Economics``.

    Parameters
    ----------
    front_matter
        The playbook's front matter as a plain dict (``id`` and ``economics`` are read).
    playbook_id
        The id to name in errors and to store; defaults to ``front_matter["id"]``.

    Raises
    ------
    EconomicsError
        ``"playbook <id>: economics.<field>: <problem>"`` for a missing or invalid block (a
        ``ValueError``).

    Examples
    --------
    >>> block = {"family": "service", "owner_role": "account_manager",
    ...          "cost": {"hours": {"account_manager": 0.5}},
    ...          "effect": {"quantity": "cost_to_serve_reduction", "low": 0.1, "high": 0.2},
    ...          "estimate": True, "basis": {"en": "Team estimate.", "zh": "团队估计。"}}
    >>> parse_economics({"id": "cts-x", "economics": block}).effect.mid
    0.15000000000000002
    """
    pid = str(playbook_id or front_matter.get("id") or "?")
    block = front_matter.get("economics")
    if not isinstance(block, Mapping):
        raise EconomicsError(pid, "economics", "missing or not a mapping")
    if "playbook" in block:
        raise EconomicsError(pid, "economics.playbook", "not allowed (the playbook id is implied)")
    try:
        return Economics.model_validate({**block, "playbook": pid})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = "".join(f".{part}" for part in err["loc"])
        problem = str(err["msg"]).removeprefix("Value error, ")
        raise EconomicsError(pid, f"economics{where}", problem) from None
