"""Words of the plausibility gates (agent/plausibility.py): one doubt per gate, stated on the answer's
first line, and the question that offers a fix."""

from __future__ import annotations

from core.text import Msg

DOUBT_LINE = Msg("⚠️ Check before relying on this answer: {doubts}", "⚠️ 使用此回答前请核对：{doubts}")
JOIN = Msg(" ", "")
FIX_QUESTION = Msg("Try this instead?", "改用下面的方式？")

OPEN_WHILE_DATE_UNUSED = Msg(
    "{share:.0%} of invoices count as unpaid, while the column '{column}' holds dates and is not used: "
    "if it is the payment date, every balance and DSO here is wrong (button below reads it as paid_date).",
    "{share:.0%} 的发票被视为未付，而列“{column}”是日期且未被使用：如果它是付款日期，这里的余额和 DSO "
    "都不对（下方按钮把它读作付款日期）。",
)
DSO_OVER_A_YEAR = Msg(
    "DSO of {dso:,.0f} days is over a year, which is rarely real: check that payment dates and paid "
    "amounts are read (the upload report lists the columns used).",
    "DSO 为 {dso:,.0f} 天，超过一年，很少是真实情况：请检查付款日期和已付金额是否被读取（上传报告列出了所用的列）。",
)
NOTHING_OPEN = Msg(
    "open receivables are 0 on {as_of}: every invoice was paid by then, so this date says nothing about "
    "collections. The latest date with open invoices is {latest}.",
    "截至 {as_of} 应收余额为 0：所有发票此前都已付清，这个日期无法说明回款情况。仍有未付发票的最近日期是 {latest}。",
)
PROFIT_WITHOUT_COST = Msg(
    "the data has no cost or profit column, so customers are ranked by revenue, not profit.",
    "数据中没有成本或利润列，所以客户是按收入排名的，而不是按利润。",
)
CATEGORY_UNUSED = Msg(
    "the column '{column}' ({levels} values) is not used, and prices may differ by it: an elasticity "
    "pooled across it can be biased (button below reads it as product).",
    "列“{column}”（{levels} 个取值）未被使用，而价格可能因它而异：把它们混在一起估计的弹性可能有偏（下方按钮把它读作产品）。",
)
CHURN_NOT_CALIBRATED = Msg(
    "the mean predicted churn probability ({predicted:.1%}) is far from the observed churn rate "
    "({observed:.1%}): read the probabilities as a ranking, not as rates.",
    "平均预测流失概率（{predicted:.1%}）与实际流失率（{observed:.1%}）相差较大：请把概率当作排序，而不是比率。",
)
ONE_PURCHASE_CHAMPIONS = Msg(
    "{count} customers with a single purchase are scored as Champions.",
    "{count} 位只购买过一次的客户被评为“冠军客户”。",
)
ONE_ORDER_TOP_CLV = Msg(
    "{count} of the top {listed} customers by CLV have a single order ({customers}): their value is "
    "extrapolated from one purchase.",
    "CLV 前 {listed} 名中有 {count} 位客户只有一笔订单（{customers}）：其价值是从一次购买外推的。",
)
NO_PRICE_EFFECT = Msg(
    "the price effect cannot be told from zero (95% CI {low:.2f} to {high:.2f}): these data show no "
    "reliable link between price and volume.",
    "价格效应与零无法区分（95% 置信区间 {low:.2f} 至 {high:.2f}）：这些数据看不出价格与销量之间的可靠关系。",
)
POSITIVE_ELASTICITY = Msg(
    "volume rises with price here (95% CI {low:.2f} to {high:.2f}), which usually means something else "
    "moves with price (promotions, product mix, seasons).",
    "这里销量随价格上升（95% 置信区间 {low:.2f} 至 {high:.2f}），通常说明有其他因素随价格变化（促销、产品组合、季节）。",
)
MANY_ROWS_DROPPED = Msg(
    "{lost} of {read} rows of {file} were left out at upload ({reason}), so the totals cover only the rest.",
    "{file} 的 {read} 行中有 {lost} 行在上传时被剔除（{reason}），因此合计只涵盖其余部分。",
)
