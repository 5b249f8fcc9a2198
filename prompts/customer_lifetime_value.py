"""Words of the customer_lifetime_value tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "Predicted customer lifetime value over a horizon (default one year): BG/NBD (default), MBG/NBD "
    "or Pareto/NBD purchase model x Gamma-Gamma spend x margin, discounted; per customer expected "
    "purchases, P(alive), expected spend and CLV; top customers, CLV by segment, calibration/holdout "
    "check; or the historical method (average order value x purchases a year x margin x lifetime).",
    "预测客户终身价值（默认未来一年）：BG/NBD（默认）、MBG/NBD 或 Pareto/"
    "NBD 购买模型 × Gamma-Gamma 消费模型 × 毛利率，并折现；每个客户的预期购"
    "买次数、仍活跃概率、预期消费和 CLV；高价值客户、各细分 CLV、校准/检验期对比；或历史"
    "法（平均订单金额 × 年购买次数 × 毛利率 × 生命周期）。",
)
