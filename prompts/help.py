"""The help answer (what can be asked): its introduction, tips and example label. Each tool's own title and example questions are HELP in prompts/<tool>.py."""

from __future__ import annotations

from core.text import Msg

HELP_INTRO = Msg(
    "Here is what I can answer, in English or Chinese (every number comes from your loaded data):",
    "我可以回答以下问题（中英文均可，所有数字都来自您载入的数据）：",
)

HELP_TIPS = Msg(
    '**Tips**: add a period ("in 2024", "last quarter", "Q3 2024", "since March 2024"), a grouping '
    '("by region", "by month"), a count ("top 10", "bottom 5") or a customer ("customer C00012"). '
    'Follow-ups reuse the last question: "and by region?", "show the bottom 10 instead", "what about '
    'revenue?". Fix how a file was read in a sentence: "treat \'sales\' as quantity", "treat orders.csv as '
    'invoices". Delete an upload the same way: "delete the file orders.csv".',
    "**提示**：可以加上期间（“2024年”“上个月”“近三个月”“2024年第三季度”）、分组（“按地区”“每个月”）、数量"
    "（“前十”“后五名”）或客户（“客户 C00012”）。追问会沿用上一个问题：“按行业呢？”“只看2024年呢？”“换成后五名”。"
    "用一句话更正文件的读取方式：“把'sales'当作数量”“把 orders.csv 当作发票表”。"
    "删除上传的文件也一样：“删除 orders.csv 这个文件”。",
)

HELP_EXAMPLES_LABEL = Msg("e.g.", "例如")
