"""Canonical table kinds, their pandera schemas, and bilingual column synonyms.

Longer than 600 lines: every kind's columns, the bilingual synonym table (~150 lines of data) and the
kind-specific words are declared once here, next to the name matching that reads them, so that a new
column or synonym is one edit in one file.

A source header is normalised (trim, NFKC full-width -> half-width, traditional -> simplified for the
characters used in headers, lower case, spaces/underscores/hyphens collapsed) and looked up among the
synonyms of the canonical columns of one kind. Some words mean different things in different kinds
('amount' is revenue in transactions but the invoice amount in invoices; 'sales' is revenue in
transactions but a statement line in financials), so mapping is done per kind and the kind whose
required columns are covered best wins.

>>> map_columns(["客户编号", "下单日期", "销售额（元）", "备注"])
{'客户编号': 'customer_id', '下单日期': 'date', '销售额（元）': 'revenue'}
>>> detect_kind({"customer_id", "invoice_date", "due_date", "amount"})
'invoices'
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import NamedTuple

import numpy as np
import pandas as pd
import pandera.pandas as pa

from core.text import Msg

# --- table kinds (declared once: names, what users call them, required columns below) -----------

KINDS = ("transactions", "customers", "invoices", "financials", "sales", "feedback", "marketing")

KIND_NAMES = {
    "transactions": Msg("transactions (orders)", "交易（订单）"),
    "customers": Msg("customers", "客户"),
    "invoices": Msg("invoices", "发票"),
    "financials": Msg("customer financial statements", "客户财务报表"),
    "sales": Msg("sales (price/volume)", "销售（价格/数量）"),
    "feedback": Msg("feedback", "客户反馈"),
    "marketing": Msg("marketing spend", "营销投入"),
}

#: What users call each table kind (correcting a file's kind in a sentence: "treat orders.csv as invoices").
KIND_WORDS: dict[str, list[str]] = {
    "transactions": ["transactions", "transaction", "orders", "order", "交易", "交易表", "订单", "订单表", "流水"],
    "customers": ["customers", "customer master", "customer list", "客户", "客户表", "客户信息", "客户资料"],
    "invoices": ["invoices", "invoice", "bills", "receivables", "发票", "发票表", "应收", "账单"],
    "financials": ["financials", "financial statements", "balance sheet", "财务", "财务报表", "财报"],
    "sales": ["sales", "price volume", "销售表", "销售"],
    "feedback": ["feedback", "survey", "reviews", "反馈", "评价", "满意度"],
    "marketing": ["marketing", "marketing spend", "campaigns", "营销", "营销费用", "市场费用"],
}


# --- canonical columns ---------------------------------------------------------------------------

# Customer snapshots (one row per customer with a churn flag and no dates: telecom, SaaS, insurance,
# banking exports): optional columns of the customers kind. tenure is in months; the charges are money.
SNAPSHOT_COLUMNS = ("tenure", "monthly_charges", "total_charges", "contract")
SNAPSHOT_NUMBER_COLUMNS = ("tenure", "monthly_charges", "total_charges")

CANONICAL: dict[str, dict[str, list[str]]] = {
    "transactions": {
        "required": ["customer_id", "date", "revenue"],
        "optional": "cost quantity unit_price discount product channel region order_id service_cost currency "
        "tax_included name segment industry profit margin".split(),
    },
    "customers": {
        "required": ["customer_id"],
        "optional": "name segment region industry signup_date acquisition_channel churned churn_date".split()
        + list(SNAPSHOT_COLUMNS),
    },
    "invoices": {
        "required": ["customer_id", "invoice_date", "due_date", "amount"],
        "optional": "invoice_id paid_date paid_amount written_off currency tax_included days_late".split(),
    },
    "financials": {
        "required": ["customer_id"],
        "optional": "period total_assets total_liabilities current_assets current_liabilities inventory cash "
        "ebit interest_expense retained_earnings sales equity market_value_equity currency".split(),
    },
    "sales": {
        "required": ["unit_price", "quantity"],
        "optional": "product date promotion store segment region channel revenue cost".split(),
    },
    "feedback": {  # either column satisfies the requirement
        "required": ["customer_id|date"],
        "optional": "customer_id date score category complaint text resolved response_hours segment".split(),
    },
    "marketing": {
        "required": ["channel", "spend"],
        "optional": "period date leads new_customers revenue".split(),
    },
}

ID_COLUMNS = ("customer_id", "order_id", "invoice_id")
DATE_COLUMNS = ("date", "signup_date", "churn_date", "invoice_date", "due_date", "paid_date")
BOOL_COLUMNS = ("churned", "written_off", "resolved", "promotion", "complaint", "tax_included")
NUMBER_COLUMNS = tuple(
    "revenue cost quantity unit_price discount service_cost amount paid_amount total_assets total_liabilities"
    " current_assets current_liabilities inventory cash ebit interest_expense retained_earnings sales equity"
    " market_value_equity score response_hours spend leads new_customers profit margin days_late".split()
) + SNAPSHOT_NUMBER_COLUMNS
#: Canonical dtypes: ids and text are TEXT_DTYPE (pandas 3's default "str"; the same dtype on pandas 2.x),
#: dates naive day-precision datetimes, numbers float64, flags bool ("boolean" when values are missing).
TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)
DATE_DTYPE = "datetime64[ns]"


def column_type(column: str) -> str:
    """'id' | 'date' | 'bool' | 'number' | 'text' for a canonical column."""
    if column in ID_COLUMNS:
        return "id"
    if column in DATE_COLUMNS:
        return "date"
    if column in BOOL_COLUMNS:
        return "bool"
    if column in NUMBER_COLUMNS:
        return "number"
    return "text"


def kind_columns(kind: str) -> list[str]:
    """All canonical columns of ``kind`` (required first; 'a|b' alternatives expanded)."""
    spec = CANONICAL[kind]
    cols = [c for req in spec["required"] for c in req.split("|")] + spec["optional"]
    return list(dict.fromkeys(cols))


def required_columns(kind: str) -> tuple[str, ...]:
    """The minimum columns of ``kind`` ('a|b': either), as declared in CANONICAL."""
    return tuple(CANONICAL[kind]["required"])


def missing_required(kind: str, columns: set[str] | list[str]) -> list[str]:
    """Required columns of ``kind`` not in ``columns`` ('a|b' is satisfied by either)."""
    have = set(columns)
    return [req for req in CANONICAL[kind]["required"] if not have & set(req.split("|"))]


# --- synonyms (normalised form; the canonical name itself always matches) --------------------------

_SYNONYM_TABLE = """
customer_id: customer id | customer | cust id | customer no | customer number | customer code | client |
    client id | account id | buyer id | member id | cust number | customer email | email | e-mail |
    user id | 客户编号 | 客户id | 客户 | 客户代码 | 客户编码 | 客户号 | 顾客编号 | 顾客id | 会员编号 | 会员id |
    客户账号 | 用户id | 用户编号 | 买家id | 会员号
date: date | order date | transaction date | txn date | sale date | purchase date | feedback date |
    survey date | survey response date | response date | invoice date | created at | created | order time |
    日期 | 下单日期 | 订单日期 | 交易日期 | 销售日期 | 购买日期 | 下单时间 | 交易时间 | 反馈日期 | 评价日期 |
    订单创建时间 | 创建时间 | 购买时间 | 成交时间 | 成交日期
revenue: revenue | net sales | sales amount | sales revenue | amount | sales | order amount |
    total amount | line total | turnover | attributed revenue | total | order total | amount paid by buyer |
    销售额 | 销售金额 | 净销售额 | 金额 | 收入 | 销售收入 | 营业额 | 营收 | 订单金额 | 成交金额 | 实收金额 |
    买家实际支付金额 | 实际支付金额 | 实付金额 | 实付款 | 总金额
cost: cost | cogs | cost of goods sold | cost of goods | cost of sales | product cost | 成本 | 销售成本 | 商品成本 |
    产品成本 | 货品成本 | 营业成本
profit: profit | gross profit | net profit | profit amount | margin amount | 利润 | 毛利 | 毛利润 | 毛利额 |
    利润额 | 净利润 | 销售利润
margin: margin | gross margin | profit margin | margin rate | margin % | 毛利率 | 利润率 | 销售利润率
quantity: quantity | qty | units | volume | sales volume | units sold | lineitem quantity | order quantity |
    数量 | 销量 | 销售数量 | 件数 | 购买数量 | 销售量 | 商品数量
unit_price: unit price | price | selling price | lineitem price | item price | 单价 | 价格 | 售价 | 销售单价 |
    成交价 | 成交单价
discount: discount | discount rate | discount amount | 折扣 | 折扣率 | 优惠 | 折让 | 折扣金额
product: product | product name | item | item name | lineitem name | description | brand | sku | product id |
    product code | stock code | item code | model | 产品 | 产品名称 | 商品 | 商品名称 | 品名 | 产品编号 | 物料 |
    品牌 | 型号 | 规格型号 | 商品编码 | 货号
channel: channel | sales channel | marketing channel | campaign | campaign name | 渠道 | 销售渠道 | 营销渠道 |
    推广渠道 | 广告系列
region: region | area | territory | sales region | market | 区域 | 地区 | 大区 | 片区 | 地域 | 销售区域 |
    geography | country | country/region | nation | billing country | shipping country | 国家 | state |
    province | state/province | 省份 | 省 | 自治区 | 省/自治区 | 省市 | city | 城市 | 市 | 收货地址 |
    收货省份 | 收货城市
order_id: order id | order no | order number | order | invoice no | invoice number | 订单号 | 订单编号 |
    订单id | 单号
service_cost: service cost | cost to serve | servicing cost | support cost | 服务成本 | 服务费用 |
    客服成本
currency: currency | ccy | 币种 | 货币
tax_included: tax included | incl tax | includes tax | 含税 | 是否含税
name: name | customer name | client name | company | company name | surname | last name | full name |
    billing name | 客户名称 | 客户名 | 名称 | 姓名 | 公司名称 | 公司
segment: segment | customer segment | tier | member level | membership level | customer level |
    客户细分 | 细分 | 客户分群 | 分群 | 客户类型 | 客户等级 | 客户分层 | 客户分类 | 客群 | 会员级别 | 会员等级
industry: industry | sector | vertical | 行业 | 所属行业
signup_date: signup date | sign up date | registration date | join date | joined | customer since |
    start date | created at | 注册日期 | 注册时间 | 开户日期 | 加入日期 | 签约日期
acquisition_channel: acquisition channel | lead source | source | 获客渠道 | 来源渠道 | 客户来源 | 来源
churned: churned | churn | is churned | lost | exited | attrition | attrited | churn flag | churn label |
    是否流失 | 流失 | 已流失 | 流失状态 | 流失标记
churn_date: churn date | churned date | lost date | cancel date | cancellation date | 流失日期 |
    流失时间 | 注销日期
invoice_id: invoice id | invoice no | invoice number | invoice | doc id | document id | document number |
    document no | 发票号 | 发票编号 | 发票号码 | 发票id | 单据号 | 单据编号
invoice_date: invoice date | issue date | billing date | posting date | document date | doc date |
    开票日期 | 发票日期 | 开具日期 | 单据日期 | 记账日期 | 过账日期
due_date: due date | payment due | due | due in date | net due date | payment due date | 到期日 | 到期日期 |
    应付日期 | 付款期限 | 应收日期
paid_date: paid date | payment date | date paid | settled date | date settled | settlement date |
    cleared date | clear date | clearing date | paid on | paid at | receipt date | payment received |
    付款日期 | 收款日期 | 回款日期 | 实际付款日期 | 结清日期 | 收款时间 | 回款时间 | 到账日期 | 核销日期
days_late: days late | days overdue | days past due | late days | overdue days | 逾期天数 | 超期天数 |
    逾期天 | 拖欠天数
amount: amount | invoice amount | amount due | total | 金额 | 发票金额 | 开票金额 | 应收金额 | 价税合计
paid_amount: paid amount | amount paid | payment amount | paid | 已付金额 | 付款金额 | 回款金额 |
    已收金额 | 实收金额
written_off: written off | write off | writeoff | bad debt | 核销 | 已核销 | 是否核销 | 坏账
period: period | month | year month | quarter | year | fiscal year | week | week start | 期间 | 月份 | 月 |
    年月 | 周期 | 年份 | 年度 | 会计期间 | 周
total_assets: total assets | assets | 总资产 | 资产总计 | 资产总额
total_liabilities: total liabilities | liabilities | 总负债 | 负债合计 | 负债总额
current_assets: current assets | total current assets | 流动资产 | 流动资产合计
current_liabilities: current liabilities | total current liabilities | 流动负债 | 流动负债合计
inventory: inventory | inventories | stock | 存货 | 库存
cash: cash | cash and equivalents | cash and cash equivalents | 现金 | 货币资金 | 现金及现金等价物
ebit: ebit | earnings before interest and tax | earnings before interest and taxes | operating income |
    operating profit | 息税前利润 | 营业利润
interest_expense: interest expense | interest | 利息费用 | 利息支出 | 财务费用
retained_earnings: retained earnings | 留存收益 | 未分配利润
sales: sales | revenue | net sales | turnover | total revenue | net revenue | 营业收入 | 销售收入 | 营收 |
    收入 | 营业总收入
equity: equity | total equity | shareholders equity | owners equity | book equity | 所有者权益 |
    股东权益 | 净资产
market_value_equity: market value of equity | market value equity | market value | market cap |
    market capitalization | 市值 | 股权市值
score: score | rating | csat | nps | satisfaction | satisfaction score | csat score | stars | star rating |
    评分 | 满意度 | 得分 | 打分 | 满意度评分 | 分数
category: category | topic | type | issue type | 类别 | 类型 | 分类 | 问题类型
complaint: complaint | is complaint | 投诉 | 是否投诉
text: text | comment | comments | feedback | content | review | remarks | remark | customer remarks |
    review text | 内容 | 评价内容 | 反馈内容 | 评论 | 评论内容 | 留言 | 意见 | 文本
resolved: resolved | is resolved | closed | 已解决 | 是否解决 | 解决
response_hours: response hours | response time | hours to respond | 响应时长 | 响应时间 | 处理时长
spend: spend | cost | budget | ad spend | marketing spend | investment | spent | amount spent | 花费 | 投入 |
    营销投入 | 费用 | 支出 | 投放金额 | 推广费用 | 营销费用 | 消耗
leads: leads | lead count | total conversion | total conversions | 线索 | 线索数 | 潜在客户 | 商机
new_customers: new customers | customers acquired | acquisitions | conversions | approved conversion |
    approved conversions | 新客户 | 新客户数 | 新增客户 | 获客数
promotion: promotion | promo | on promotion | is promo | feat | feature | featured | on feature | display |
    促销 | 是否促销 | 活动
store: store | shop | outlet | 门店 | 店铺 | 商店
"""

#: canonical column -> synonyms (English first, then Chinese; earlier ones win when several columns match).
SYNONYMS: dict[str, list[str]] = {
    col.strip(): [w.strip() for w in words.split("|") if w.strip()]
    for col, words in (entry.split(":", 1) for entry in re.split(r"\n(?! )", _SYNONYM_TABLE.strip()))
}

# Customer snapshots: the snapshot columns, and more names of the churn flag (ranked after those above).
_SNAPSHOT_SYNONYM_TABLE = """
tenure: tenure | tenure months | tenure in months | months as customer | months as a customer |
    months with us | customer tenure | subscription months | 在网时长 | 在网月数 | 在网时间 | 入网时长 |
    网龄 | 客户时长 | 使用时长 | 开通月数
monthly_charges: monthly charges | monthly charge | monthly fee | monthly fees | monthly bill |
    monthly amount | monthly payment | mrr | 月费 | 月消费 | 月租 | 月费用 | 每月费用 | 月均消费 | 月账单
total_charges: total charges | total charge | total billed | total spend | lifetime charges | balance |
    累计消费 | 总费用 | 累计费用 | 总消费 | 累计金额 | 累计缴费
contract: contract | contract type | contract term | plan | plan type | subscription plan |
    subscription type | billing plan | 合约类型 | 合约 | 合约期 | 合同类型 | 套餐 | 套餐类型
churned: exited | attrition | churn flag | churn label | churn value | has churned | 是否离网 | 离网 |
    流失标志 | 是否退订 | 已退订
"""
for _entry in re.split(r"\n(?! )", _SNAPSHOT_SYNONYM_TABLE.strip()):
    _col, _words = _entry.split(":", 1)
    SYNONYMS.setdefault(_col.strip(), []).extend(w.strip() for w in _words.split("|") if w.strip())

# Traditional -> simplified for the characters that occur in Chinese headers (Big5 exports): pairs.
_TRAD_PAIRS = (
    "戶户編编號号銷销額额數数單单價价產产區区訂订務务稱称細细業业註注冊册獲获發发開开總总資资負负債债"
    "動动貨货現现稅税潤润費费權权評评類类別别訴诉內内決决應应響响時时長长間间線线門门帳账賬账淨净幣币"
    "實实顧顾會会員员碼码計计購购買买屬属論论見见處处營营滿满庫库級级層层問问題题潛潜機机簽签約约廣广"
    "來来狀状態态際际壞坏週周財财東东饋馈鋪铺優优讓让進进據据簡简項项"
)
_TRAD = str.maketrans(dict(zip(_TRAD_PAIRS[::2], _TRAD_PAIRS[1::2], strict=True)))
_SPACES = re.compile(r"[\s_\-]+")
_BRACKETS = re.compile(r"\s*\([^)]*\)\s*")


def normalise_header(name: str) -> str:
    """Trim, NFKC (full-width -> half), traditional -> simplified, lower-case, collapse spaces/_/-.

    >>> normalise_header("  Customer_ID ")
    'customer id'
    >>> normalise_header("客戶編號")
    '客户编号'
    """
    text = unicodedata.normalize("NFKC", str(name)).translate(_TRAD).lower()
    return _SPACES.sub(" ", text).strip()


def _keys(name: str) -> list[str]:
    """Lookup keys of a header: compact form, then without a bracketed unit ('金额(元)' -> '金额')."""
    norm = normalise_header(name)
    keys = [norm.replace(" ", "")]
    bare = _BRACKETS.sub(" ", norm).strip().replace(" ", "")
    if bare and bare != keys[0]:
        keys.append(bare)
    return keys


#: Words that mean a column only in one kind. There they are tried before the general synonyms, which
#: stay as lower-confidence alternatives: in a price/volume panel 'sales' is units sold and a sales
#: region is the market unit (the store of the panel); in a marketing table a date is the period; a
#: feedback export without customers is keyed by its order; a statement table by its company.
_KIND_SYNONYM_TABLE: dict[str, dict[str, str]] = {
    "sales": {
        "quantity": "sales | unit sales | sales units | move | movement",
        "store": "sales region | sales area | market | 销售区域 | 销售地区 | 市场",
    },
    "marketing": {"period": "date | week | day | 日期 | 周 | 日"},
    "feedback": {"customer_id": "order id | order no | order number | 订单号 | 订单编号"},
    "financials": {
        "customer_id": "company | company name | company id | ticker | ticker symbol | symbol | stock code | "
        "股票代码 | 证券代码 | 公司代码 | 公司名称 | 公司 | 企业名称"
    },
}
KIND_SYNONYMS: dict[str, dict[str, list[str]]] = {
    kind: {col: [w.strip() for w in words.split("|") if w.strip()] for col, words in table.items()}
    for kind, table in _KIND_SYNONYM_TABLE.items()
}

#: A required column a file may lack when another one stands in for it: an anonymous order export (order
#: ids, no customer ids) is still a transactions table; the tools that need customers say so.
STAND_INS: dict[str, dict[str, str]] = {"transactions": {"customer_id": "order_id"}}

# How a column's meaning was decided, and the confidence each way gives (content inference and
# corrections are added by tools/ingest/mapping.py).
EXACT, SYNONYM, KIND_WORD, DEMOTED, PARTIAL = 1.0, 0.9, 0.9, 0.8, 0.75

#: Partial names: a header made of qualifier words followed by a synonym ('Lineitem quantity',
#: 'Billing Country', 'Shipping City') is read as that synonym, for these columns only.
PARTIAL_TARGETS = frozenset(
    "quantity unit_price product region score name date customer_id order_id paid_date due_date".split()
)
QUALIFIERS = frozenset(
    "lineitem line item order billing bill shipping ship customer client buyer survey response invoice "
    "actual unit product transaction payment purchase delivery the".split()
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


class NameHit(NamedTuple):
    """One possible meaning of a header: canonical column, confidence, how it was found, tie-break rank."""

    canonical: str
    confidence: float
    how: str  # "name" | "synonym" | "partial" (tools/ingest/mapping.py adds content, layout, user, remembered)
    rank: int


def _compact(word: str) -> str:
    return normalise_header(word).replace(" ", "")


@cache
def _lookup(kind: str | None) -> dict[str, list[tuple[str, int]]]:
    """compact synonym -> [(canonical, rank)] for the columns of ``kind`` (None: every column).

    Without a kind, a word's own column comes first ('invoice date' is invoice_date before it is a
    transactions date); within a kind the general table is unambiguous (tests/unit/test_ingest_schemas.py).
    """
    columns = kind_columns(kind) if kind else list(SYNONYMS)
    table: dict[str, list[tuple[str, int]]] = {}
    for col in columns:
        for rank, syn in enumerate([col, *SYNONYMS.get(col, [])]):
            hits = table.setdefault(_compact(syn), [])
            if all(c != col for c, _ in hits):
                hits.append((col, rank))
    for hits in table.values():
        hits.sort(key=lambda hit: hit[1])
    return table


@cache
def _kind_lookup(kind: str) -> dict[str, tuple[str, int]]:
    """compact kind-specific word -> (canonical, rank) (ranks after every general synonym)."""
    table: dict[str, tuple[str, int]] = {}
    for col, words in KIND_SYNONYMS.get(kind, {}).items():
        for rank, word in enumerate(words):
            table.setdefault(_compact(word), (col, 1000 + rank))
    return table


def _punctuation_free(key: str) -> str:
    return re.sub(r"[.#:：*?？'’]", "", key)


def _keys(name: str) -> list[str]:
    """Lookup keys of a header: compact form, without a bracketed unit ('金额(元)' -> '金额'), without
    punctuation ('Invoice No.' -> 'invoiceno')."""
    norm = normalise_header(name)
    keys = [norm.replace(" ", "")]
    bare = _BRACKETS.sub(" ", norm).strip().replace(" ", "")
    for key in (bare, _punctuation_free(keys[0]), _punctuation_free(bare)):
        if key and key not in keys:
            keys.append(key)
    return keys


def _partial(name: str, kind: str) -> list[NameHit]:
    """'Lineitem quantity' -> quantity: qualifier words, then a synonym of a PARTIAL_TARGETS column."""
    if not name.isascii():
        return []
    words = normalise_header(_CAMEL.sub(" ", name)).split()
    table = _lookup(kind)
    for cut in range(1, len(words)):
        if not all(w in QUALIFIERS for w in words[:cut]):
            break
        hits = table.get("".join(words[cut:]), [])
        found = [NameHit(c, PARTIAL, "partial", r) for c, r in hits if c in PARTIAL_TARGETS]
        if found:
            return found
    return []


def name_hits(name: str, kind: str) -> list[NameHit]:
    """Every meaning the header ``name`` may have in ``kind``, most confident first.

    A kind-specific word comes first and demotes the general meanings to alternatives; the canonical
    name itself is certain; a synonym is 0.9; a qualified synonym ('Billing Country') 0.75.
    """
    keys = _keys(name)
    own = next((_kind_lookup(kind)[k] for k in keys if k in _kind_lookup(kind)), None)
    table = _lookup(kind)
    general = next((table[k] for k in keys if k in table), [])
    hits = [NameHit(own[0], KIND_WORD, "synonym", own[1])] if own else []
    for col, rank in general:
        confidence = EXACT if rank == 0 else SYNONYM
        if own:
            confidence = min(confidence, DEMOTED)
        if all(h.canonical != col for h in hits):
            hits.append(NameHit(col, confidence, "name" if rank == 0 else "synonym", rank))
    if not hits:
        hits = _partial(name, kind)
    return sorted(hits, key=lambda h: (-h.confidence, h.rank))


def is_known_header(name: str) -> bool:
    """True when ``name`` is a synonym of some canonical column (any kind)."""
    table = _lookup(None)
    if any(k in table for k in _keys(name)):
        return True
    kind_words = [_kind_lookup(k) for k in KIND_SYNONYMS]
    return any(k in words for words in kind_words for k in _keys(name))


def canonical_name(name: str, kind: str | None = None) -> str | None:
    """The canonical column a (possibly Chinese or synonym) name stands for: in ``kind`` when given
    (and the word means something there), else the column whose own name or synonym it is."""
    if kind is not None:
        hits = name_hits(name, kind)
        if hits:
            return hits[0].canonical
    table = _lookup(None)
    return next((table[k][0][0] for k in _keys(name) if k in table), None)


def resolve_overrides(
    columns: list[str], overrides: dict[str, str] | None, kind: str | None = None
) -> dict[str, str]:
    """User corrections {source: canonical}, matched to the file's columns exactly or by normalised name;
    a target given as a synonym is read in ``kind`` ('sales' is revenue in transactions)."""
    result: dict[str, str] = {}
    by_norm = {normalise_header(c): c for c in columns}
    for source, target in (overrides or {}).items():
        col = source if source in columns else by_norm.get(normalise_header(source))
        canon = target if target in SYNONYMS else canonical_name(target, kind)
        if col is not None and canon is not None:
            result[col] = canon
    return result


def assign(
    columns: list[str], hits: dict[str, list[NameHit]], fixed: dict[str, str] | None = None
) -> dict[str, NameHit]:
    """One meaning per column and one column per meaning: the most confident pairs first (then the
    better-ranked synonym, then the earlier column). ``fixed`` (corrections) is taken as it is."""
    fixed = fixed or {}
    taken = set(fixed.values())
    order = {c: i for i, c in enumerate(columns)}
    pairs = sorted(
        ((h, c) for c in columns if c not in fixed for h in hits.get(c, [])),
        key=lambda pair: (-pair[0].confidence, pair[0].rank, order[pair[1]]),
    )
    chosen: dict[str, NameHit] = {}
    for hit, col in pairs:
        if col not in chosen and hit.canonical not in taken:
            chosen[col] = hit
            taken.add(hit.canonical)
    return {c: chosen[c] for c in columns if c in chosen}


def _map_kind(columns: list[str], kind: str, fixed: dict[str, str]) -> dict[str, str]:
    """Map columns for one kind by name: user corrections first, then the most confident meanings."""
    chosen = assign(columns, {c: name_hits(c, kind) for c in columns}, fixed)
    mapping = dict(fixed) | {c: hit.canonical for c, hit in chosen.items()}
    return {c: mapping[c] for c in columns if c in mapping}


def covered_columns(kind: str, mapped: set[str]) -> set[str]:
    """Mapped columns plus derivable ones (transactions: revenue = quantity x unit_price) and stand-ins
    (an order id for the customer id of an anonymous order export)."""
    out = set(mapped)
    if kind == "transactions" and {"quantity", "unit_price"} <= out:
        out.add("revenue")
    for missing, stand_in in STAND_INS.get(kind, {}).items():
        if stand_in in out:
            out.add(missing)
    return out


#: Detection (not a forced kind) also needs one of these: any dated table would otherwise pass as feedback.
SIGNATURE: dict[str, set[str]] = {
    "feedback": {"score", "category", "complaint", "text", "resolved", "response_hours"},
}


def is_complete(kind: str, mapped: set[str]) -> bool:
    """All required columns present (derivable ones count) and one of the kind's signature columns, if any."""
    own = covered_columns(kind, mapped)
    return not missing_required(kind, own) and (kind not in SIGNATURE or bool(own & SIGNATURE[kind]))


def _score(kind: str, mapped: set[str], repeated_ids: bool = False) -> tuple[int, ...]:
    """Rank of ``kind`` for these mapped columns: complete first, then required covered, then columns used.

    Repeated customer ids break ties against a customers table (one row per customer).
    """
    own = covered_columns(kind, mapped & set(kind_columns(kind)))
    covered = len(CANONICAL[kind]["required"]) - len(missing_required(kind, own))
    unlikely = kind == "customers" and repeated_ids
    return (is_complete(kind, own), covered, len(own), not unlikely, -KINDS.index(kind))


def _repeated(ids: pd.Series | None) -> bool:
    return ids is not None and bool(ids.dropna().duplicated().any())


def detect_kind(mapped: set[str], frame_sample: pd.DataFrame | None = None) -> str | None:
    """The table kind whose required columns are all present and that uses most of ``mapped``.

    ``frame_sample`` (canonical column names) breaks ties: repeated customer ids argue against a
    customers table. None when no kind's required columns are present.
    """
    ids = frame_sample.get("customer_id") if frame_sample is not None else None
    best = max(KINDS, key=lambda k: _score(k, set(mapped), _repeated(ids)))
    return best if is_complete(best, set(mapped) & set(kind_columns(best))) else None


def rank_kinds(
    columns: list[str], overrides: dict[str, str] | None = None, frame_sample: pd.DataFrame | None = None
) -> list[tuple[str, dict[str, str]]]:
    """Every kind with its mapping of ``columns``, most plausible first (``frame_sample``: source names)."""
    mappings = {k: _map_kind(columns, k, resolve_overrides(columns, overrides, k)) for k in KINDS}

    def score(kind: str) -> tuple[int, ...]:
        id_col = next((src for src, canon in mappings[kind].items() if canon == "customer_id"), None)
        ids = frame_sample[id_col] if frame_sample is not None and id_col in frame_sample else None
        return _score(kind, set(mappings[kind].values()), _repeated(ids))

    return [(k, mappings[k]) for k in sorted(KINDS, key=score, reverse=True)]


def best_kind(
    columns: list[str], overrides: dict[str, str] | None = None, frame_sample: pd.DataFrame | None = None
) -> tuple[str, dict[str, str]]:
    """The most plausible kind (complete or not) and its mapping; ``frame_sample`` has the source names."""
    return rank_kinds(columns, overrides, frame_sample)[0]


def map_columns(
    columns: list[str], overrides: dict[str, str] | None = None, *, kind: str | None = None
) -> dict[str, str]:
    """Source column -> canonical column, for ``kind`` (default: the best-matching kind).

    ``overrides`` are user corrections {source column: canonical name or synonym}; they win over
    synonyms. Columns that map nowhere are absent from the result.
    """
    if kind is not None:
        return _map_kind(columns, kind, resolve_overrides(columns, overrides, kind))
    return best_kind(columns, overrides)[1]


def examples(column: str, n: int = 3) -> list[str]:
    """A few names (English and Chinese) that are read as ``column``, for error messages."""
    syns = [column, *SYNONYMS.get(column, [])]
    en = [s for s in syns if s.isascii()][:n]
    zh = [s for s in syns if not s.isascii()][:n]
    return en + zh


# --- pandera schemas ---------------------------------------------------------------------------------

_DTYPES = {"id": None, "text": None, "date": DATE_DTYPE, "number": "float64", "bool": "boolean"}
_CHECKS: dict[str, list[pa.Check]] = {
    "score": [pa.Check.ge(0)],
    "response_hours": [pa.Check.ge(0)],
}


def _schema(kind: str) -> pa.DataFrameSchema:
    required = {c for req in CANONICAL[kind]["required"] for c in req.split("|") if "|" not in req}
    columns = {
        col: pa.Column(
            _DTYPES[column_type(col)],
            checks=_CHECKS.get(col),
            nullable=col not in required,
            required=False,
            coerce=column_type(col) in ("date", "number", "bool"),
        )
        for col in kind_columns(kind)
    }
    return pa.DataFrameSchema(columns, name=kind, strict=False)


#: One pandera schema per kind, validated lazily at ingestion (required columns may not be null).
SCHEMAS: dict[str, pa.DataFrameSchema] = {kind: _schema(kind) for kind in KINDS}
