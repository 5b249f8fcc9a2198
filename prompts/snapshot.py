"""Words shared by the tools that read a customer snapshot (tools/snapshot.py): a customers table with a
churn flag and no dates, one row per customer. English and Chinese."""

from __future__ import annotations

from core.text import Msg

UNKNOWN = "unknown"  # group label of a missing attribute value (a table value, kept canonical)
YES, NO = "yes", "no"  # group labels of a yes/no attribute (table values, kept canonical)

#: Names of the snapshot attributes (and of the customer dimensions a snapshot may also have).
DIMENSIONS = {
    "contract": Msg("contract type", "合约类型"),
    "tenure": Msg("tenure band (months)", "在网时长段（月）"),
    "monthly_charges": Msg("monthly charges band", "月费区间"),
    "total_charges": Msg("total charges band", "累计消费区间"),
    "segment": Msg("segment", "客户细分"),
    "region": Msg("region", "区域"),
    "industry": Msg("industry", "行业"),
    "acquisition_channel": Msg("acquisition channel", "获客渠道"),
}
SNAPSHOT = Msg(
    "The customers table is a snapshot: one row per customer with a churn flag (churned) and no dates, so "
    "churn is read from the flag as it stands in the file, not per period.",
    "客户表是一份快照：每个客户一行，带流失标记（churned），没有日期，因此流失按文件中的标记读取，不按期间计算。",
)
TENURE_MONTHS = Msg(
    "tenure is read as months as a customer.",
    "tenure（在网时长）按客户在网月数读取。",
)
TENURE_LOOKS_LIKE_YEARS = Msg(
    "The longest tenure is {longest}: if tenure is in years rather than months, every duration here is 12 "
    "times too short.",
    "最长的在网时长为 {longest}：如果 tenure 的单位是年而不是月，这里的所有时长都短了 12 倍。",
)
NO_FLAG = Msg(
    "{count} customers have no churn flag and are left out.",
    "有 {count} 个客户没有流失标记，未纳入计算。",
)
DUPLICATE_IDS = Msg(
    "{count} repeated customer ids: the first row of each customer is used.",
    "有 {count} 个重复的客户编号：每个客户只使用第一行。",
)
NOT_APPLIED = Msg(
    "The snapshot has no dates, so {arguments} cannot be applied.",
    "快照没有日期，因此无法应用 {arguments}。",
)
NO_PERIODS = Msg(
    "The snapshot has no dates, so churn cannot be split by {period}; the rates below are for the snapshot "
    "as a whole.",
    "快照没有日期，无法按{period}拆分流失；以下为整份快照的流失率。",
)
BANDS = Msg(
    "{dimension}: {bands} (each band includes its upper end).",
    "{dimension}：{bands}（每段包含上限）。",
)
QUARTILES = Msg(
    "{dimension}: split into quartiles of the customers ({bands}; each band includes its upper end).",
    "{dimension}：按客户四分位数分段（{bands}；每段包含上限）。",
)
UNKNOWN_ATTRIBUTE = Msg(
    "There is no '{attribute}' in the customers table to group by. Columns: {columns}.",
    "客户表中没有可用于分组的“{attribute}”。已有列：{columns}。",
)
TOO_MANY_GROUPS = Msg(
    "'{attribute}' has {count} different values, too many to compare (at most {limit}); choose a "
    "coarser attribute.",
    "“{attribute}”有 {count} 个不同的值，太多无法比较（最多 {limit} 个）；请选择更粗的分组属性。",
)
NEEDS_COLUMN = Msg(
    "The customer snapshot has no {column} column, needed to {purpose}. If one of its columns means this, "
    "say e.g. \"treat 'X' as {column}\". Columns: {columns}.",
    "客户快照缺少 {column} 列，无法{purpose}。如果其中某列就是它，可以说“把'X'当作{column}”。已有列：{columns}。",
)
NO_FLAGGED = Msg(
    "No customer in the snapshot has a churn flag (churned is empty in every row).",
    "快照中没有任何客户带流失标记（churned 列全部为空）。",
)
