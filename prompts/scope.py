"""Words of questions outside what the tools compute: forecasts ("_forecast") and off-topic requests
("_off_topic": jokes, weather, poems). They score like tool keywords, so such questions get the help
text instead of whatever analysis an argument word in them would pick."""

from __future__ import annotations

OUT_OF_SCOPE_KEYWORDS: dict[str, dict[str, float]] = {
    "_forecast": {
        "forecast": 4,
        "predict": 3,
        "prediction": 3,
        "projection": 3,
        "next month": 3,
        "next quarter": 3,
        "next year": 3,
        "预测": 3,
        "下个月": 3,
        "下季度": 3,
        "明年": 3,
        "未来": 2.5,
    },
    "_off_topic": {
        "poem": 4,
        "joke": 4,
        "weather": 4,
        "story": 3,
        "song": 3,
        "recipe": 4,
        "translate": 3,
        "写诗": 4,
        "一首诗": 4,
        "笑话": 4,
        "天气": 4,
        "讲个故事": 4,
        "唱歌": 4,
        "翻译": 3,
    },
}

# Requests outside analysing the loaded data, recognised by their form (lower-case, numbers as digits).
# A match makes the question out of scope: writing or sending something, market prices, weather, news,
# general or industry knowledge we do not have, legal or tax questions, competitors, software advice.
OUT_OF_SCOPE_PATTERNS: list[str] = [
    r"^(?:please\s+|pls\s+|can you\s+|could you\s+|would you\s+|help me\s+|i need you to\s+)?"
    r"(?:write|draft|compose|prepare|create|translate|rewrite|proofread)\b(?!.*\b(?:list|table|report of|ranking)\b)",
    r"^(?:please\s+|pls\s+|can you\s+|could you\s+)?(?:send|email|e-mail|text|message|whatsapp|call|schedule|book)\b",
    r"\b(?:stock|share)\s+price|\bexchange\s+rate|\bmarket\s+cap|\bbitcoin\b|\bweather\b|\bforecast\s+for\s+tomorrow\b",
    r"\b(?:news|headlines)\b",
    r"\bcompetitors?\b|\brival(?:s)?\b",
    r"\bin general\b|\bgenerally\b|\bindustry\s+(?:average|benchmark|standard|norm)s?\b|\btypical(?:ly)?\b.*\b(?:saas|companies|businesses|industry)\b",
    r"\b(?:legal|lawful|illegal|lawyer|tax\s+rate|vat\s+rate|regulation)\b",
    r"\brecommend\s+(?:a|an|some)?\s*(?:good\s+)?(?:crm|software|tool|app|erp|book|laptop)\b",
    r"^(?:请|帮我|麻烦|给我|帮忙)?\s*(?:写|起草|拟|撰写|翻译|润色|做一份|做个)",
    r"^(?:请|帮我|麻烦|帮忙)?\s*(?:发送|群发|发(?:个|一条|一封)?(?:短信|邮件|消息|微信)|约(?!束)|安排(?:一个|个)?会|预订|订(?:票|机票|酒店|会议室))",
    r"股价|汇率|市值|天气|新闻|比特币|油价|金价",
    r"竞争对手|竞品|同行",
    r"一般来说|通常来说|一般情况|行业平均|行业标准|行业基准|多少比较健康|合理水平",
    r"合法|违法|法律|律师|税率|增值税",
    r"推荐.{0,6}(?:软件|工具|系统|书|电脑)",
]
