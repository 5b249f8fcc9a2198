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
    # writing anywhere in the request ("帮我给某公司写一封催款邮件", "can you draft us a reminder email")
    r"\b(?:write|draft|compose)\b.{0,40}\b(?:email|e-mail|letter|message|reply|memo|post|note)s?\b",
    r"(?:写|起草|拟|撰写)(?:一|几|个)?(?:封|份|篇|条|段)?.{0,8}(?:邮件|信|函|短信|文案|通知|公告)",
    # acting in another system ("update the credit limit in SAP", "把SAP里的信用额度改成50万")
    r"\b(?:update|change|set|modify|edit|delete|raise|lower|increase|decrease)\b.{0,60}\bin\s+(?:sap|salesforce|hubspot|netsuite|oracle|kingdee|yonyou|(?:the |our )?(?:crm|erp))\b",
    r"(?:sap|crm|erp|金蝶|用友|系统)里.{0,30}(?:改成|改为|修改|设置|更新|调整|调成)",
    # investing, outside ratings, world statistics
    r"\bworth\s+(?:buying|investing)\b|\b(?:buy|sell)\s+(?:their|its|the)\s+(?:stock|shares)\b",
    r"\bmoody'?s\b|\bs&p\b|\bfitch\b|\bcredit\s+bureau\b|\bdun\s*&\s*bradstreet\b",
    r"股票|值得买|值得投资|穆迪|标普|惠誉|征信机构|评级机构",
    r"\bannual\s+leave\b|\bpaid\s+leave\b|\bpayroll\b|\bsalar(?:y|ies)\b|年假|工资|社保|个税",
    r"(?:全球|全国|全行业|世界).{0,12}平均|\bglobal(?:ly)?\b.{0,30}\baverage\b|\bworldwide\s+average\b",
]
