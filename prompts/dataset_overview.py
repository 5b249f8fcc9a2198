"""Words of the dataset_overview tool, English and Chinese: its description (the registry, the model's tool
schema, the help), and (see the sections below) its keywords, help examples, findings, column labels
and answer texts."""

from __future__ import annotations

from core.text import Msg

DESCRIPTION = Msg(
    "What data is loaded: table kinds, rows, periods covered, column mapping and data-quality notes.",
    "已载入哪些数据：表类型、行数、覆盖期间、列映射和数据质量提示。",
)

# Question keywords: phrase -> weight (a weight >= STRONG names this tool on its own).
KEYWORDS: dict[str, float] = {
    "what data": 3,
    "which data": 3,
    "data quality": 4,
    "data loaded": 3,
    "data cover": 3,
    "loaded": 2,
    "uploaded": 2.5,
    "upload": 2,
    "file": 2,
    "dataset": 3,
    "table": 1.5,
    "column": 1.5,
    "how many row": 3,
    "date range": 2.5,
    "time range": 2.5,
    "cover": 2,
    "overview": 1.5,
    "data": 0.4,
    "summary of my data": 4,
    "数据概况": 4,
    "数据概览": 4,
    "有哪些数据": 4,
    "哪些数据": 3.5,
    "什么数据": 3.5,
    "数据质量": 4,
    "上传": 2.5,
    "文件": 2,
    "几张表": 3,
    "哪些表": 3,
    "字段": 2,
    "行数": 2.5,
    "多少行": 2.5,
    "覆盖": 2,
    "从什么时候": 2.5,
    "到什么时候": 2.5,
    "时间范围": 2.5,
    "哪段时间": 2.5,
    "概况": 2.5,
    "概览": 2.5,
    "数据": 0.4,
}

# Help: the tool's title and example questions (each must map to this tool).
HELP: tuple[Msg, dict[str, list[str]]] = (
    Msg("Your data", "数据概况"),
    {
        "en": ["What data do I have?", "What period does my data cover?"],
        "zh": ["数据概况", "我上传的数据质量怎么样？"],
    },
)

# Display labels of this tool's own table columns (shared ones: prompts/columns.py).
COLUMNS: dict[str, Msg] = {
    "kind": Msg("Table kind", "表类型"),
    "rows": Msg("Rows", "行数"),
    "columns": Msg("Columns", "列"),
    "start": Msg("From", "开始"),
    "end": Msg("To", "结束"),
    "file": Msg("File", "文件"),
    "files": Msg("Files", "文件"),
    "file_column": Msg("File column", "文件列"),
    "canonical": Msg("Meaning", "含义"),
    "source": Msg("Source", "来源"),
    "column_names": Msg("Column names", "列名"),
    "column": Msg("Column", "列"),
}


# --- answer texts ---------------------------------------------------------------------------------

OVERVIEW_FORMULA = Msg(
    "rows = rows kept after ingestion; period = earliest to latest date of each table's date column; "
    "customers = distinct customer_id.",
    "行数 = 导入后保留的行数；期间 = 各表日期列的最早至最晚日期；客户数 = 不同 customer_id 的个数。",
)
OVERVIEW_EMPTY = Msg(
    "No data is loaded yet. Upload CSV or Excel files (several at once is fine), for example: {kinds}.",
    "尚未载入任何数据。可以上传 CSV 或 Excel 文件（可一次上传多个），例如：{kinds}。",
)
OVERVIEW_KIND_NEEDS = Msg("{kind} with {columns}", "{kind}（需含 {columns}）")
OVERVIEW_HEAD = Msg("{count} tables loaded: {tables}.", "已载入 {count} 张表：{tables}。")
OVERVIEW_TABLE = Msg(
    "{kind} ({rows} rows from {files}{period}{customers})",
    "{kind}（{rows} 行，来自 {files}{period}{customers}）",
)
OVERVIEW_PERIOD = Msg(", {start} to {end}", "，{start} 至 {end}")
OVERVIEW_CUSTOMERS = Msg(", {customers} customers", "，{customers} 个客户")
OVERVIEW_NOTES = Msg("Data-quality notes: {count} (see warnings).", "数据质量提示：{count} 条（见“注意”）。")
OVERVIEW_NO_NOTES = Msg("No data-quality issues found.", "未发现数据质量问题。")
NOTE_DROPPED = Msg("{file}: {count} rows dropped ({reason}).", "{file}：删除了 {count} 行（{reason}）。")
NOTE_FILE = Msg("{file}: {warning}", "{file}：{warning}")
NOTE_MISSING_CUSTOMERS = Msg(
    "{count} customer ids in the transactions are not in the customers table (e.g. {examples}); their name and "
    "segment are unknown.",
    "交易中有 {count} 个客户编号不在客户表中（例如 {examples}）；其名称和细分未知。",
)
NOTE_NO_TX_CUSTOMERS = Msg(
    "{count} customers in the customers table have no transactions.",
    "客户表中有 {count} 个客户没有交易记录。",
)
NOTE_REFUNDS = Msg(
    "{count} transaction rows have negative revenue (refunds or credit notes); they are kept and netted.",
    "有 {count} 行交易收入为负（退款或贷项），已保留并冲减。",
)
NOTE_NO_COST = Msg(
    "The transactions have no cost column: profit cannot be computed, revenue-based answers are available.",
    "交易数据没有成本列：无法计算利润，可提供基于收入的分析。",
)
