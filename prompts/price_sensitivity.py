"""Words of the price_sensitivity tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "Price elasticity of demand from price/volume data (sales table or transactions with unit_price "
    "and quantity): log-log OLS with product fixed effects (+ promotion), per segment or product, "
    "with standard error, 95% CI and R²; what-if for a price change (volume, revenue, gross profit); "
    "discount depth vs volume lift.",
    "基于价格/数量数据（销售表或含 unit_price 和 quantity 的交易表）估算需"
    "求价格弹性：带产品固定效应（及促销）的双对数 OLS，按细分或产品分别估算，给出标准误、95"
    "%置信区间和 R²；价格变动的影响估算（销量、收入、毛利）；折扣深度与销量提升。",
)
