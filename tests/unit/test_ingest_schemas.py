"""Header normalisation, bilingual synonyms, per-kind mapping and kind detection (tools/schemas.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from tools.schemas import (
    CANONICAL,
    KINDS,
    SCHEMAS,
    SYNONYMS,
    best_kind,
    detect_kind,
    kind_columns,
    map_columns,
    normalise_header,
)


def test_every_kind_has_columns_and_a_schema() -> None:
    assert set(CANONICAL) == set(KINDS) == set(SCHEMAS)
    assert {"currency", "tax_included"} <= set(CANONICAL["transactions"]["optional"])
    assert {"currency", "tax_included"} <= set(CANONICAL["invoices"]["optional"])


def test_every_canonical_column_has_synonyms_and_no_synonym_is_ambiguous_within_a_kind() -> None:
    for kind in KINDS:
        owner: dict[str, str] = {}
        for col in kind_columns(kind):
            assert col in SYNONYMS, col
            for syn in [col, *SYNONYMS[col]]:
                key = normalise_header(syn).replace(" ", "")
                assert owner.setdefault(key, col) == col, (kind, syn, owner[key], col)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Customer_ID ", "customer id"),
        ("ＣＵＳＴＯＭＥＲ－ＩＤ", "customer id"),  # full-width letters and hyphen
        ("Order  Date", "order date"),
        ("客戶編號", "客户编号"),  # traditional -> simplified
        ("销售额（元）", "销售额(元)"),
    ],
)
def test_normalise_header(raw: str, expected: str) -> None:
    assert normalise_header(raw) == expected


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("客户编号", "customer_id"),
        ("客户ID", "customer_id"),
        ("客户", "customer_id"),
        ("Customer", "customer_id"),
        ("Cust ID", "customer_id"),
        ("client", "customer_id"),
        ("CustomerID", "customer_id"),
        ("日期", "date"),
        ("下单日期", "date"),
        ("订单日期", "date"),
        ("Order Date", "date"),
        ("销售额", "revenue"),
        ("金额", "revenue"),
        ("收入", "revenue"),
        ("Revenue", "revenue"),
        ("Sales Amount", "revenue"),
        ("Net Sales", "revenue"),
        ("amount", "revenue"),
        ("成本", "cost"),
        ("COGS", "cost"),
        ("数量", "quantity"),
        ("Qty", "quantity"),
        ("单价", "unit_price"),
        ("Unit Price", "unit_price"),
        ("折扣", "discount"),
        ("产品", "product"),
        ("渠道", "channel"),
        ("区域", "region"),
        ("地区", "region"),
        ("订单号", "order_id"),
        ("服务成本", "service_cost"),
        ("Cost to serve", "service_cost"),
        ("币种", "currency"),
        ("含税", "tax_included"),
    ],
)
def test_transaction_synonyms(header: str, canonical: str) -> None:
    assert map_columns([header], kind="transactions") == {header: canonical}


@pytest.mark.parametrize(
    ("kind", "header", "canonical"),
    [
        ("customers", "客户名称", "name"),
        ("customers", "细分", "segment"),
        ("customers", "客户分群", "segment"),
        ("customers", "行业", "industry"),
        ("customers", "注册日期", "signup_date"),
        ("customers", "Signup Date", "signup_date"),
        ("customers", "获客渠道", "acquisition_channel"),
        ("customers", "是否流失", "churned"),
        ("customers", "churned", "churned"),
        ("customers", "流失日期", "churn_date"),
        ("invoices", "发票号", "invoice_id"),
        ("invoices", "开票日期", "invoice_date"),
        ("invoices", "Invoice Date", "invoice_date"),
        ("invoices", "到期日", "due_date"),
        ("invoices", "Due Date", "due_date"),
        ("invoices", "付款日期", "paid_date"),
        ("invoices", "Paid Date", "paid_date"),
        ("invoices", "已付金额", "paid_amount"),
        ("invoices", "核销", "written_off"),
        ("invoices", "Written off", "written_off"),
        ("invoices", "金额", "amount"),
        ("invoices", "amount", "amount"),
        ("financials", "总资产", "total_assets"),
        ("financials", "总负债", "total_liabilities"),
        ("financials", "流动资产", "current_assets"),
        ("financials", "流动负债", "current_liabilities"),
        ("financials", "存货", "inventory"),
        ("financials", "现金", "cash"),
        ("financials", "息税前利润", "ebit"),
        ("financials", "EBIT", "ebit"),
        ("financials", "利息费用", "interest_expense"),
        ("financials", "留存收益", "retained_earnings"),
        ("financials", "营业收入", "sales"),
        ("financials", "sales", "sales"),
        ("financials", "所有者权益", "equity"),
        ("financials", "equity", "equity"),
        ("financials", "市值", "market_value_equity"),
        ("feedback", "评分", "score"),
        ("feedback", "CSAT", "score"),
        ("feedback", "NPS", "score"),
        ("feedback", "类别", "category"),
        ("feedback", "投诉", "complaint"),
        ("feedback", "内容", "text"),
        ("feedback", "text", "text"),
        ("feedback", "已解决", "resolved"),
        ("feedback", "响应时长", "response_hours"),
        ("marketing", "渠道", "channel"),
        ("marketing", "花费", "spend"),
        ("marketing", "投入", "spend"),
        ("marketing", "Spend", "spend"),
        ("marketing", "期间", "period"),
        ("marketing", "month", "period"),
        ("marketing", "线索", "leads"),
        ("marketing", "New Customers", "new_customers"),
        ("marketing", "收入", "revenue"),
        ("sales", "促销", "promotion"),
        ("sales", "门店", "store"),
    ],
)
def test_kind_synonyms(kind: str, header: str, canonical: str) -> None:
    assert map_columns([header], kind=kind) == {header: canonical}


def test_kind_dependent_meaning_of_amount_and_sales() -> None:
    assert map_columns(["Customer", "Date", "Amount"]) == {
        "Customer": "customer_id",
        "Date": "date",
        "Amount": "revenue",
    }
    invoices = ["Customer", "Invoice Date", "Due Date", "Amount"]
    assert map_columns(invoices)["Amount"] == "amount"
    assert map_columns(["客户编号", "总资产", "sales"])["sales"] == "sales"  # a statement line in financials
    assert map_columns(["客户编号", "日期", "sales"])["sales"] == "revenue"


def test_best_ranked_synonym_wins_and_the_other_column_stays_unmapped() -> None:
    mapping = map_columns(["Sales", "Net Sales", "Customer ID", "Date"])
    assert mapping["Net Sales"] == "revenue"
    assert "Sales" not in mapping


def test_overrides_win_and_accept_synonyms_and_normalised_source_names() -> None:
    cols = ["product", "price", "sales"]
    assert map_columns(cols, {"sales": "quantity"}) == {
        "product": "product",
        "price": "unit_price",
        "sales": "quantity",
    }
    assert map_columns(cols, {" SALES ": "数量"})["sales"] == "quantity"


@pytest.mark.parametrize(
    ("mapped", "kind"),
    [
        ({"customer_id", "date", "revenue", "cost"}, "transactions"),
        (
            {"customer_id", "date", "quantity", "unit_price"},
            "transactions",
        ),  # revenue = quantity x unit_price
        ({"customer_id", "name", "segment"}, "customers"),
        ({"customer_id", "invoice_date", "due_date", "amount"}, "invoices"),
        ({"customer_id", "total_assets", "total_liabilities"}, "financials"),
        ({"product", "unit_price", "quantity"}, "sales"),
        ({"customer_id", "date", "score"}, "feedback"),
        ({"date", "text"}, "feedback"),
        ({"channel", "spend", "period"}, "marketing"),
        ({"date", "product"}, None),  # a date alone is not feedback
        (set(), None),
    ],
)
def test_detect_kind(mapped: set[str], kind: str | None) -> None:
    assert detect_kind(mapped) == kind


def test_repeated_ids_break_ties_against_customers() -> None:
    sample = pd.DataFrame({"customer_id": ["C1", "C1", "C2"]})
    assert detect_kind({"customer_id"}) == "customers"
    assert detect_kind({"customer_id"}, sample) != "customers"
    assert best_kind(["客户编号", "备注"])[0] == "customers"
