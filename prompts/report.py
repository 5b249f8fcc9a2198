"""Words of the management report (agent/report/) and of the digest of changes (agent/digest.py)."""

from __future__ import annotations

from core.text import Msg

TITLE = Msg("Customer financial analysis", "客户财务分析报告")
DEMO_COMPANY = Msg("Demo company (generated data)", "示例公司（生成数据）")
UNDERSTOOD_EXPORT = Msg("Understood: export the report of this conversation", "理解为：导出本次对话的报告")
COMPANY_UNNAMED = Msg("Company", "公司")
AS_OF_PERIOD = Msg("as of {date}", "截至 {date}")
COVER_COMPANY = Msg("Company", "公司")
COVER_PERIOD = Msg("Data period", "数据期间")
COVER_GENERATED = Msg("Generated", "生成时间")
COVER_ANALYSES = Msg("Analyses", "分析数")
COVER_VERSION = Msg("custfin version", "custfin 版本")
EXEC_SUMMARY = Msg("Executive summary", "管理摘要")
EXEC_INTRO = Msg(
    "{count} analyses of {company}, data {period}. Each line states the result as computed; the sections "
    "that follow give the tables, charts and methods.",
    "本报告包含 {company} 的 {count} 项分析，数据期间 {period}。每行给出计算结果；后续章节列出表格、图表与计算方法。",
)
EXEC_ACTIONS = Msg("Priority actions (most money at stake first)", "优先行动（按涉及金额从高到低）")
EXEC_ACTION_LINE = Msg(
    "{title} — {customers} customers, {value} at stake (analysis {analysis})",
    "{title}——{customers} 个客户，涉及金额 {value}（分析 {analysis}）",
)
EXEC_NO_ACTIONS = Msg("No finding of these analyses calls for an action.", "这些分析没有需要采取行动的发现。")
CONTENTS = Msg("Contents", "目录")
QUESTION = Msg("Question", "问题")
ANALYSIS = Msg("Analysis", "分析")
KEY_NUMBERS = Msg("Key numbers", "关键数字")
RECOMMENDATION = Msg("Recommendation", "建议")
RECOMMENDATIONS = Msg("Recommended next steps", "建议的下一步")
FACTS = Msg("Facts", "事实数据")
FACT = Msg("Fact", "指标")
VALUE = Msg("Value", "数值")
NAME = Msg("Name", "名称")
METHODS = Msg("Methods", "方法")
FORMULA = Msg("Formula", "公式")
PARAMETERS = Msg("Parameters", "参数")
ASSUMPTIONS = Msg("Assumptions", "假设")
AS_OF = Msg("As of", "参考日期")
ROWS_USED = Msg("Rows used", "使用行数")
FINGERPRINT = Msg("Data fingerprint", "数据指纹")
VERSION = Msg("Version", "版本")
TOOL = Msg("Tool", "工具")
SUMMARY = Msg("Summary", "摘要")
WARNINGS = Msg("Notes", "提示")
CHART_DATA = Msg("Chart data", "图表数据")
ROWS_SHOWN = Msg(
    "First {shown:,} of {total:,} rows; the XLSX report has them all.",
    "显示前 {shown:,} 行，共 {total:,} 行；XLSX 报告包含全部行。",
)
COLUMNS_LEFT_OUT = Msg(
    "{count} more columns on the screen and in the XLSX report.", "另有 {count} 列见网页版和 XLSX 报告。"
)
VALUE_AT_STAKE = Msg("Value at stake", "涉及金额")
CUSTOMERS = Msg("Customers", "客户数")
NO_ANALYSES = Msg(
    "There is no analysis to report yet: ask a question first (for example “who are our most profitable "
    "customers?”), then export the report.",
    "还没有可以导出的分析：请先提一个问题（例如“哪些客户最赚钱？”），再导出报告。",
)
PDF_UNAVAILABLE = Msg(
    "A PDF needs the Chromium browser on the server (Debian: apt-get install chromium fonts-noto-cjk); "
    "the XLSX and HTML reports work without it.",
    "生成 PDF 需要服务器上安装 Chromium 浏览器（Debian：apt-get install chromium fonts-noto-cjk）；"
    "XLSX 与 HTML 报告无需安装。",
)
PDF_FAILED = Msg("The PDF could not be made: {reason}.", "无法生成 PDF：{reason}。")
UNKNOWN_FORMAT = Msg(
    "Unknown report format '{name}': use a file ending in .xlsx, .html or .pdf.",
    "不支持的报告格式“{name}”：请使用 .xlsx、.html 或 .pdf 结尾的文件名。",
)
EXPORTED = Msg(
    "Report of {count} analyses ({company}, {period}): the workbook (summary, one sheet per analysis with "
    "its chart, methods), the HTML report (opens offline) and the PDF.",
    "已导出 {count} 项分析的报告（{company}，{period}）：工作簿（摘要、每项分析一张工作表及其图表、方法）、"
    "HTML 报告（离线可打开）和 PDF。",
)
EXPORTED_NO_PDF = Msg("The PDF was left out: {reason}", "未生成 PDF：{reason}")
ADD_TO_REPORT = Msg("Add to report", "加入报告")
ADDED = Msg(
    "Added to the report ({count} analyses chosen). Say “export a report” when you are ready.",
    "已加入报告（已选 {count} 项分析）。准备好后请说“导出报告”。",
)
ALREADY_ADDED = Msg("This analysis is already in the report.", "该分析已在报告中。")

TITLES = {"change_digest": Msg("What changed", "变化摘要")}  # analyses that are not registered tools

# Labels of facts that are not table columns (the rest come from prompts/columns.py and the tools' words)
LABELS: dict[str, Msg] = {
    "total_revenue": Msg("Total revenue", "总收入"),
    "total_cost": Msg("Total cost", "总成本"),
    "total_gross_profit": Msg("Total gross profit", "总毛利"),
    "total_cost_to_serve": Msg("Total cost to serve", "总服务成本"),
    "total_profit": Msg("Total profit", "总利润"),
    "loss_making_customers": Msg("Loss-making customers", "亏损客户数"),
    "loss_making_profit": Msg("Loss of loss-making customers", "亏损客户的亏损额"),
    "customers_at_high_risk": Msg("Customers at high churn risk", "高流失风险客户数"),
    "revenue_at_risk": Msg("Revenue at risk", "风险收入"),
    "overdue_amount": Msg("Overdue amount", "逾期金额"),
    "high_risk_customers": Msg("High-risk customers", "高风险客户数"),
    "exposure_high_risk": Msg("Exposure to high-risk customers", "高风险客户敞口"),
    "total_clv": Msg("Total CLV", "客户终身价值合计"),
    "average_clv": Msg("Average CLV", "平均客户终身价值"),
    "deteriorating_payers": Msg("Payers getting later", "付款恶化客户数"),
    "limit_reductions": Msg("Customers above their recommended limit", "超出建议额度的客户数"),
    "financials_used": Msg("Customers with financial statements", "有财务报表的客户数"),
    "customers_at_medium_risk": Msg("Customers at medium churn risk", "中流失风险客户数"),
    "customers_at_low_risk": Msg("Customers at low churn risk", "低流失风险客户数"),
    "share_at_high_risk": Msg("Share at high churn risk", "高流失风险客户占比"),
    "average_churn_probability": Msg("Average churn probability", "平均流失概率"),
    "open_invoices": Msg("Open invoices", "未结发票数"),
    "overdue_invoices": Msg("Overdue invoices", "逾期发票数"),
    "customers_with_overdue": Msg("Customers with overdue invoices", "有逾期的客户数"),
    "written_off_amount": Msg("Written off", "核销金额"),
    "written_off_rate": Msg("Write-off rate", "核销率"),
    "listed": Msg("Customers listed", "列出的客户数"),
    "listed_revenue_share": Msg("Listed customers' share of revenue", "列出客户的收入占比"),
    "listed_profit_share": Msg("Listed customers' share of profit", "列出客户的利润占比"),
}
LABEL_PATTERNS: dict[str, Msg] = {  # facts numbered or lettered per group; {n} is the group
    r"customers_grade_([a-e])": Msg("Grade {n} customers", "{n} 级客户数"),
    r"days_(\d+_\d+|90_plus)_amount": Msg("Overdue {n} days", "逾期 {n} 天金额"),
    r"retention_period_(\d+)": Msg("Retention after {n} periods", "第 {n} 期留存率"),
    r"revenue_retention_period_(\d+)": Msg("Revenue retention after {n} periods", "第 {n} 期收入留存率"),
    r"(\w+)_customers": Msg("Customers: {n}", "客户数：{n}"),
}
