"""Canonical table kinds, their pandera schemas, and bilingual column synonyms.

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

CANONICAL: dict[str, dict[str, list[str]]] = {
    "transactions": {
        "required": ["customer_id", "date", "revenue"],
        "optional": "cost quantity unit_price discount product channel region order_id service_cost currency "
        "tax_included name segment industry".split(),
    },
    "customers": {
        "required": ["customer_id"],
        "optional": "name segment region industry signup_date acquisition_channel churned churn_date".split(),
    },
    "invoices": {
        "required": ["customer_id", "invoice_date", "due_date", "amount"],
        "optional": "invoice_id paid_date paid_amount written_off currency tax_included".split(),
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
        "optional": "customer_id date score category complaint text resolved response_hours".split(),
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
    " market_value_equity score response_hours spend leads new_customers".split()
)
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
    client id | account id | buyer id | member id | 客户编号 | 客户id | 客户 | 客户代码 | 客户编码 |
    客户号 | 顾客编号 | 顾客id | 会员编号 | 会员id | 客户账号
date: date | order date | transaction date | txn date | sale date | purchase date | feedback date |
    survey date | 日期 | 下单日期 | 订单日期 | 交易日期 | 销售日期 | 购买日期 | 下单时间 | 交易时间 |
    反馈日期 | 评价日期
revenue: revenue | net sales | sales amount | sales revenue | amount | sales | order amount |
    total amount | line total | turnover | attributed revenue | 销售额 | 销售金额 | 净销售额 | 金额 |
    收入 | 销售收入 | 营业额 | 营收 | 订单金额 | 成交金额 | 实收金额 | 总金额
cost: cost | cogs | cost of goods sold | cost of goods | cost of sales | product cost | 成本 | 销售成本 | 商品成本 |
    产品成本 | 货品成本 | 营业成本
quantity: quantity | qty | units | volume | sales volume | units sold | 数量 | 销量 | 销售数量 | 件数 |
    购买数量 | 销售量
unit_price: unit price | price | selling price | 单价 | 价格 | 售价 | 销售单价 | 成交价
discount: discount | discount rate | 折扣 | 折扣率 | 优惠 | 折让
product: product | product name | item | sku | product id | 产品 | 产品名称 | 商品 | 商品名称 | 品名 |
    产品编号 | 物料
channel: channel | sales channel | marketing channel | 渠道 | 销售渠道 | 营销渠道 | 推广渠道
region: region | area | territory | 区域 | 地区 | 大区 | 片区 | 地域
order_id: order id | order no | order number | order | 订单号 | 订单编号 | 订单id | 单号
service_cost: service cost | cost to serve | servicing cost | support cost | 服务成本 | 服务费用 |
    客服成本
currency: currency | ccy | 币种 | 货币
tax_included: tax included | incl tax | includes tax | 含税 | 是否含税
name: name | customer name | client name | company | company name | 客户名称 | 客户名 | 名称 | 姓名 |
    公司名称 | 公司
segment: segment | customer segment | tier | 客户细分 | 细分 | 客户分群 | 分群 | 客户类型 | 客户等级 |
    客户分层 | 客户分类 | 客群
industry: industry | sector | vertical | 行业 | 所属行业
signup_date: signup date | sign up date | registration date | join date | joined | customer since |
    start date | created at | 注册日期 | 注册时间 | 开户日期 | 加入日期 | 签约日期
acquisition_channel: acquisition channel | lead source | source | 获客渠道 | 来源渠道 | 客户来源 | 来源
churned: churned | churn | is churned | lost | 是否流失 | 流失 | 已流失 | 流失状态
churn_date: churn date | churned date | lost date | cancel date | cancellation date | 流失日期 |
    流失时间 | 注销日期
invoice_id: invoice id | invoice no | invoice number | invoice | 发票号 | 发票编号 | 发票号码 | 发票id |
    单据号
invoice_date: invoice date | issue date | billing date | 开票日期 | 发票日期 | 开具日期
due_date: due date | payment due | due | 到期日 | 到期日期 | 应付日期 | 付款期限
paid_date: paid date | payment date | date paid | 付款日期 | 收款日期 | 回款日期 | 实际付款日期
amount: amount | invoice amount | amount due | total | 金额 | 发票金额 | 开票金额 | 应收金额 | 价税合计
paid_amount: paid amount | amount paid | payment amount | paid | 已付金额 | 付款金额 | 回款金额 |
    已收金额 | 实收金额
written_off: written off | write off | writeoff | bad debt | 核销 | 已核销 | 是否核销 | 坏账
period: period | month | year month | quarter | year | fiscal year | 期间 | 月份 | 月 | 年月 | 周期 |
    年份 | 年度 | 会计期间
total_assets: total assets | assets | 总资产 | 资产总计 | 资产总额
total_liabilities: total liabilities | liabilities | 总负债 | 负债合计 | 负债总额
current_assets: current assets | total current assets | 流动资产 | 流动资产合计
current_liabilities: current liabilities | total current liabilities | 流动负债 | 流动负债合计
inventory: inventory | inventories | stock | 存货 | 库存
cash: cash | cash and equivalents | cash and cash equivalents | 现金 | 货币资金 | 现金及现金等价物
ebit: ebit | operating income | operating profit | 息税前利润 | 营业利润
interest_expense: interest expense | interest | 利息费用 | 利息支出 | 财务费用
retained_earnings: retained earnings | 留存收益 | 未分配利润
sales: sales | revenue | net sales | turnover | 营业收入 | 销售收入 | 营收 | 收入
equity: equity | total equity | shareholders equity | owners equity | book equity | 所有者权益 |
    股东权益 | 净资产
market_value_equity: market value of equity | market value equity | market value | market cap |
    market capitalization | 市值 | 股权市值
score: score | rating | csat | nps | satisfaction | satisfaction score | 评分 | 满意度 | 得分 | 打分 |
    满意度评分 | 分数
category: category | topic | type | issue type | 类别 | 类型 | 分类 | 问题类型
complaint: complaint | is complaint | 投诉 | 是否投诉
text: text | comment | comments | feedback | content | review | 内容 | 评价内容 | 反馈内容 | 评论 | 留言 |
    意见 | 文本
resolved: resolved | is resolved | closed | 已解决 | 是否解决 | 解决
response_hours: response hours | response time | hours to respond | 响应时长 | 响应时间 | 处理时长
spend: spend | cost | budget | ad spend | marketing spend | investment | 花费 | 投入 | 营销投入 | 费用 |
    支出 | 投放金额 | 推广费用 | 营销费用
leads: leads | lead count | 线索 | 线索数 | 潜在客户 | 商机
new_customers: new customers | customers acquired | acquisitions | conversions | 新客户 | 新客户数 |
    新增客户 | 获客数
promotion: promotion | promo | on promotion | is promo | 促销 | 是否促销 | 活动
store: store | shop | outlet | 门店 | 店铺 | 商店
"""

#: canonical column -> synonyms (English first, then Chinese; earlier ones win when several columns match).
SYNONYMS: dict[str, list[str]] = {
    col.strip(): [w.strip() for w in words.split("|") if w.strip()]
    for col, words in (entry.split(":", 1) for entry in re.split(r"\n(?! )", _SYNONYM_TABLE.strip()))
}

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


@cache
def _lookup(kind: str | None) -> dict[str, tuple[str, int]]:
    """compact synonym -> (canonical, rank) for the columns of ``kind`` (None: every column)."""
    columns = kind_columns(kind) if kind else list(SYNONYMS)
    table: dict[str, tuple[str, int]] = {}
    for col in columns:
        for rank, syn in enumerate([col, *SYNONYMS.get(col, [])]):
            table.setdefault(normalise_header(syn).replace(" ", ""), (col, rank))
    return table


def is_known_header(name: str) -> bool:
    """True when ``name`` is a synonym of some canonical column (any kind)."""
    table = _lookup(None)
    return any(k in table for k in _keys(name))


def canonical_name(name: str) -> str | None:
    """The canonical column a (possibly Chinese or synonym) name stands for, kind-independent."""
    table = _lookup(None)
    return next((table[k][0] for k in _keys(name) if k in table), None)


def _resolve_overrides(columns: list[str], overrides: dict[str, str] | None) -> dict[str, str]:
    """User corrections {source: canonical}, matched to the file's columns exactly or by normalised name."""
    result: dict[str, str] = {}
    by_norm = {normalise_header(c): c for c in columns}
    for source, target in (overrides or {}).items():
        col = source if source in columns else by_norm.get(normalise_header(source))
        canon = target if target in SYNONYMS else canonical_name(target)
        if col is not None and canon is not None:
            result[col] = canon
    return result


def _map_kind(columns: list[str], kind: str, fixed: dict[str, str]) -> dict[str, str]:
    """Map columns for one kind: user corrections first, then the best-ranked synonym per canonical column."""
    table = _lookup(kind)
    taken = set(fixed.values())
    best: dict[str, tuple[int, str]] = {}
    for col in columns:
        if col in fixed:
            continue
        hit = next((table[k] for k in _keys(col) if k in table), None)
        if hit and hit[0] not in taken and (hit[0] not in best or hit[1] < best[hit[0]][0]):
            best[hit[0]] = (hit[1], col)
    mapping = dict(fixed)
    mapping.update({col: canon for canon, (_, col) in best.items()})
    return {c: mapping[c] for c in columns if c in mapping}


def covered_columns(kind: str, mapped: set[str]) -> set[str]:
    """Mapped columns plus derivable ones (transactions: revenue = quantity x unit_price)."""
    if kind == "transactions" and {"quantity", "unit_price"} <= mapped:
        return mapped | {"revenue"}
    return mapped


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
    fixed = _resolve_overrides(columns, overrides)
    mappings = {k: _map_kind(columns, k, fixed) for k in KINDS}

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
        return _map_kind(columns, kind, _resolve_overrides(columns, overrides))
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
