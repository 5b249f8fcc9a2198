"""How managers name a customer: company-name parts that may be left out (上海星辰贸易 for 上海星辰贸易有限公司) and the words for 'customer'."""

from __future__ import annotations

COMPANY_SUFFIXES: list[str] = [
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "集团",
    "公司",
    "co., ltd.",
    "co., ltd",
    "co. ltd",
    "co.,ltd.",
    "ltd.",
    "ltd",
    "inc.",
    "inc",
    "llc",
    "corp.",
    "corp",
    "corporation",
    "limited",
    "gmbh",
    "plc",
    "co.",
]

PLACE_PREFIXES: list[str] = [
    "上海",
    "北京",
    "深圳",
    "广州",
    "杭州",
    "南京",
    "苏州",
    "天津",
    "重庆",
    "成都",
    "武汉",
    "西安",
    "宁波",
    "青岛",
    "厦门",
    "香港",
    "佛山",
    "东莞",
    "无锡",
    "合肥",
    "长沙",
    "郑州",
    "济南",
    "沈阳",
    "大连",
]

CUSTOMER_WORDS: list[str] = ["customer", "client", "account", "客户", "顾客"]
