"""Words of the upload report: how each column was read, what was computed, what was checked, which
sheets were read (tools/ingest/ and agent/compose.py render_file_outcome)."""

from __future__ import annotations

from core.text import Msg

# --- how a column's meaning was decided (ColumnDecision.how) ---------------------------------------------
HOW: dict[str, Msg] = {
    "name": Msg("name", "列名"),
    "synonym": Msg("synonym", "同义词"),
    "partial": Msg("part of the name", "列名的一部分"),
    "content": Msg("inferred from the values", "根据数值推断"),
    "layout": Msg("known export layout", "已知导出格式"),
    "user": Msg("your correction", "您的更正"),
    "remembered": Msg("remembered correction", "记住的更正"),
    "derived": Msg("computed", "计算得出"),
    "unused": Msg("not used", "未使用"),
}

COLUMNS_HEADER = Msg(
    "| File column | Meaning | How | Confidence | Other likely meanings |\n|---|---|---|---|---|",
    "| 文件列 | 含义 | 依据 | 置信度 | 其他可能的含义 |\n|---|---|---|---|---|",
)
UNUSED_MEANING = Msg("(not used)", "（未使用）")
DERIVED_LINE = Msg("Computed at reading: {items}", "读取时计算：{items}")
ALTERNATIVES_HINT = Msg(
    "Columns with other likely meanings can be corrected in one sentence, e.g. \"treat '{column}' as "
    '{canonical}".',
    "有其他可能含义的列可以一句话更正，例如“把'{column}'当作{canonical}”。",
)
SHEET_TITLE = Msg("Sheet **{sheet}**", "工作表 **{sheet}**")

# --- what was computed ---------------------------------------------------------------------------------
DERIVED_COST = Msg(
    "There is no cost column, so cost was computed as revenue − profit from the file's profit column.",
    "文件没有成本列，成本按 销售额 − 利润 由文件中的利润列计算。",
)
DERIVED_PROFIT_FROM_MARGIN = Msg(
    "There is no cost or profit column, so profit was computed as revenue × margin.",
    "文件没有成本或利润列，利润按 销售额 × 利润率 计算。",
)
DERIVED_UNIT_PRICE = Msg(
    "There is no unit price column, so unit_price was computed as revenue ÷ quantity.",
    "文件没有单价列，单价按 销售额 ÷ 数量 计算。",
)
DERIVED_LIST_PRICE = Msg(
    "There is no unit price column, so unit_price was computed as the price before the discount: "
    "revenue ÷ (quantity × (1 − discount)).",
    "文件没有单价列，单价按折扣前价格计算：销售额 ÷ (数量 × (1 − 折扣))。",
)
ORDER_LEVEL_ROWS = Msg(
    "Order totals are given on the first line of each order only ({lines} further line items of {orders} "
    "orders): each order's revenue is counted once, on its first line (its other lines count 0), and its "
    "order-level values ({columns}) were filled down to its lines.",
    "订单合计只写在每个订单的第一行（{orders} 个订单另有 {lines} 行明细）：每个订单的销售额只在第一行计算一次"
    "（其余明细行记为 0），订单级的值（{columns}）已填充到各明细行。",
)
NO_CUSTOMER_ID = Msg(
    "This order export has no customer id column: totals by date, product or region can be answered, "
    "questions about customers (profitability, RFM, lifetime value, churn) cannot.",
    "此订单导出没有客户编号列：可以按日期、产品或地区汇总，但无法回答客户层面的问题（盈利、RFM、生命周期价值、流失）。",
)
MANY_BLANK_REQUIRED = Msg(
    "{count} of {rows} rows have no {column} ('{source}'); they are left out of every answer.",
    "{rows} 行中有 {count} 行没有 {column}（“{source}”），这些行不参与任何计算。",
)

# --- what was checked ------------------------------------------------------------------------------------
DAYS_LATE_AGREES = Msg(
    "The file's days-late column agrees with payment date − due date on {share} of the {n} paid invoices.",
    "文件中的逾期天数与 付款日期 − 到期日 在 {n} 张已付发票中的 {share} 上一致。",
)
DAYS_LATE_DISAGREES = Msg(
    "The file's days-late column agrees with payment date − due date on only {share} of the {n} paid "
    "invoices: check which columns hold the due and payment dates (the answers use the dates).",
    "文件中的逾期天数与 付款日期 − 到期日 仅在 {n} 张已付发票中的 {share} 上一致：请确认到期日和付款日期"
    "对应的列（计算使用日期）。",
)
SEVERAL_CANDIDATES = Msg(
    "Several columns look like {canonical}: '{used}' is used; {others} kept as attributes.",
    "有多列看起来像 {canonical}：使用“{used}”；{others} 作为属性保留。",
)
INFERRED = Msg(
    "Read from the values, not the name: {items}. Check them; a correction is one sentence away.",
    "以下列根据数值而非列名识别：{items}。请核对；如有误，一句话即可更正。",
)
REMEMBERED = Msg(
    "Your earlier correction for files with these columns was applied: {items}.",
    "已应用您此前对相同列的文件所做的更正：{items}。",
)
LAYOUT = Msg(
    "Recognised as a known export layout: {layout} (column meanings from {source}).",
    "识别为已知导出格式：{layout}（列含义依据 {source}）。",
)
WIDE_MARKETING = Msg(
    "Wide layout: one spend column per channel ({columns}); read as one row per period and channel "
    "(channel = the column's name).",
    "宽表格式：每个渠道一列花费（{columns}）；已按 每期 × 每个渠道 一行读取（渠道 = 列名）。",
)
WIDE_TOTAL = Msg(
    "a total per period, not per channel: not used as channel {canonical} (it would be counted once per channel)",
    "每期合计而非各渠道的值：不作为渠道的 {canonical} 使用（否则会按渠道重复计算）",
)

# --- workbooks ---------------------------------------------------------------------------------------------
SHEET_SKIPPED = Msg(
    "Sheet '{sheet}' was not read: {reason}",
    "工作表“{sheet}”未读取：{reason}",
)
SHEET_NO_HEADER = Msg("no recognisable header row.", "没有可识别的表头行。")
TWO_LINE_HEADER = Msg(
    "The header spans two rows (rows {first} and {second}); their names were joined (e.g. '{example}').",
    "表头占两行（第 {first} 和 {second} 行）；两行的列名已合并（如“{example}”）。",
)
