"""Answer frame texts (section labels, help, errors), English and Chinese, as data."""

from core.text import Msg

METHOD = Msg("How this was computed", "计算方法")
FORMULA = Msg("Formula", "公式")
AS_OF = Msg("Reference date", "参考日期")
ROWS_USED = Msg("Rows used", "使用的行数")
WARNINGS = Msg("Warnings", "注意")
TABLE_BELOW = Msg(
    "Full table below (sortable; download the CSV for every row).",
    "完整表格见下方（可排序；可下载 CSV 获取全部行）。",
)
DEMO_NOTE = Msg(
    "Answering from the built-in demo company. Upload your own CSV or Excel files to analyse your data.",
    "当前使用内置的演示公司数据。上传您自己的 CSV 或 Excel 文件即可分析您的数据。",
)
STEP = Msg(
    "Tool `{tool}` · arguments {arguments} · {rows} rows used · {seconds:.2f} s",
    "工具 `{tool}` · 参数 {arguments} · 使用 {rows} 行 · 用时 {seconds:.2f} 秒",
)
STEP_FAILED = Msg(
    "Tool `{tool}` · arguments {arguments} · stopped: {error}",
    "工具 `{tool}` · 参数 {arguments} · 未完成：{error}",
)
INTERNAL_ERROR = Msg(
    "Something went wrong on our side while computing this ({error}). Your data is still loaded; "
    "please try again or rephrase.",
    "计算时出现内部错误（{error}）。您的数据仍然保留，请重试或换个问法。",
)
QUESTION_TRUNCATED = Msg(
    "The question was longer than {limit} characters; only the first {limit} were read.",
    "问题超过 {limit} 个字符，只读取了前 {limit} 个字符。",
)
MODEL_NOT_CONFIGURED = Msg(
    "No language model is configured (set OPENAI_API_KEY or OPENAI_BASE_URL), so the offline engine answered.",
    "未配置语言模型（请设置 OPENAI_API_KEY 或 OPENAI_BASE_URL），已由离线引擎回答。",
)

WELCOME = Msg(
    "## Customer finance assistant\n"
    "{data_line}\n\n"
    "Ask in English or Chinese, for example:\n"
    "- Who are our 10 most profitable customers?\n"
    "- How concentrated is our profit? (whale curve)\n"
    "- Show RFM segments\n"
    "- What is the lifetime value of our customers by segment?\n\n"
    "Drop CSV or Excel exports (orders, customers, invoices, financial statements, feedback, marketing "
    "spend) into the chat at any time. Every number is computed by tested tools, offline; each answer "
    "says how.",
    "## 客户财务分析助手\n"
    "{data_line}\n\n"
    "可以用中文或英文提问，例如：\n"
    "- 利润最高的10个客户是谁？\n"
    "- 我们的利润集中度如何？（鲸鱼曲线）\n"
    "- 做一下RFM客户分层\n"
    "- 各细分客户的终身价值是多少？\n\n"
    "随时可以把 CSV 或 Excel 导出文件（订单、客户、发票、财务报表、反馈、营销投入）拖进对话框。"
    "所有数字都由经过测试的工具离线计算，每个回答都会说明计算方法。",
)
WELCOME_DEMO = Msg(
    "The **built-in demo company** is loaded ({summary}), so you can start asking right away.",
    "已载入**内置演示公司**数据（{summary}），可以直接开始提问。",
)
WELCOME_DATA = Msg("Loaded: {summary}.", "已载入：{summary}。")

FILE_OK = Msg(
    "**{filename}** → read as **{kind}**: {rows_kept} of {rows_read} rows kept.",
    "**{filename}** → 识别为**{kind}**：共 {rows_read} 行，保留 {rows_kept} 行。",
)
FILE_DETAILS = Msg(
    "Encoding {encoding}, delimiter {delimiter}, sheet {sheet}, header on line {header_row}.",
    "编码 {encoding}，分隔符 {delimiter}，工作表 {sheet}，表头在第 {header_row} 行。",
)
FILE_MAPPING = Msg("Column mapping", "列映射")
FILE_MAPPING_HEADER = Msg("| File column | Meaning |\n|---|---|", "| 文件列 | 含义 |\n|---|---|")
FILE_UNMAPPED = Msg("Kept but not used by any tool: {columns}", "保留但未被任何工具使用的列：{columns}")
FILE_DROPPED = Msg("Dropped {count} rows: {reason}{rows}", "删除了 {count} 行：{reason}{rows}")
FILE_APPENDED = Msg(
    "Appended to the {kind} already loaded ({count} exact duplicate rows dropped).",
    "已追加到已载入的{kind}数据中（删除了 {count} 行完全重复的数据）。",
)
FILE_CORRECT_HINT = Msg(
    "If a column was read wrongly, say e.g. \"treat 'sales' as quantity\".",
    "如果某列识别有误，可以说“把'sales'当作数量”。",
)
FILE_FAILED = Msg("**{filename}** could not be used: {error}", "**{filename}** 无法使用：{error}")
CORRECTED = Msg("Re-read with your correction:", "已按您的更正重新读取：")

SORRY = Msg(
    "Sorry, something went wrong while handling this ({error}). Your data is still loaded; please try "
    "again or rephrase.",
    "抱歉，处理时出现问题（{error}）。您的数据仍然保留，请重试或换个问法。",
)
UPLOAD_UNREADABLE = Msg(
    "**{filename}**: the uploaded file could not be read; please attach it again.",
    "**{filename}**：无法读取上传的文件，请重新上传。",
)
TABLE_TRUNCATED = Msg(
    "Table *{title}*: showing the first {shown:,} of {total:,} rows; `{file}` has them all.",
    "表格《{title}》：显示前 {shown:,} 行，共 {total:,} 行；`{file}` 包含全部行。",
)

NO_SUCH_OPTION = Msg(
    "There is no option {number} to pick ({count} were offered). Ask the question again.",
    "没有可选的第 {number} 项（共提供了 {count} 项）。请重新提问。",
)
CHOICE_GONE = Msg(
    "That choice is no longer on offer (a newer upload replaced it). Say the correction in a sentence, "
    "e.g. \"treat 'Market' as region\".",
    "该选项已失效（已有更新的上传）。请用一句话说明更正，例如“把 Market 当作 region”。",
)
DETAILS_NAME = Msg("Details {n}", "详情 {n}")  # a recommendation's folded details in the chat (a collapsed step)
