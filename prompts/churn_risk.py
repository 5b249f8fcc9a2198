"""Words of the churn_risk tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "Churn risk per customer: probability and risk level (high/medium/low). With a churned column in "
    "the customers table, a cross-validated supervised model (ROC AUC and top drivers); otherwise 1 -"
    " P(alive) from BG/NBD/MBG/NBD or a recency rule. Revenue at risk from high-risk customers.",
    "每个客户的流失风险：流失概率和风险等级（高/中/低）。客户表有 churned 列时用交叉验"
    "证的监督学习模型（ROC AUC 和主要驱动因素）；否则用 BG/NBD/MBG/NBD 的"
    " 1 − 仍活跃概率或最近购买规则。并计算高风险客户带来的风险收入。",
)
