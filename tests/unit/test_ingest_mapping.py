"""How columns get their meaning (issue 13 item 2): profit and margin, geography, products, payment dates,
days late cross-checked, content inference reported with a confidence, alternatives for the UI, and
remembered corrections in a Session. Every frame here is small enough to check by hand."""

from __future__ import annotations

import pytest

from agent.compose import render_file_outcome
from agent.session import DictMappingMemory, Session
from tools.ingest import read_table
from tools.ingest.mapping import header_signature


def decision(ds, source):
    (found,) = [c for c in ds.reports[0].columns if c.source == source]
    return found


def warnings(ds) -> str:
    return " | ".join(w.en for w in ds.reports[0].warnings)


def test_chinese_profit_gives_cost_when_there_is_no_cost_column() -> None:
    ds = read_table(
        "客户编号,日期,销售额,毛利\nC1,2024-01-05,100,30\nC2,2024-01-06,50,-5\n".encode(), "p.csv"
    )
    assert ds.reports[0].mapping["毛利"] == "profit"
    assert ds.frame["cost"].tolist() == [70.0, 55.0]  # 100 - 30, 50 - (-5)
    assert ds.reports[0].derived == {"cost": "revenue − profit"} and "revenue − profit" in warnings(ds)


def test_a_margin_ratio_gives_profit_and_cost_and_a_margin_amount_is_a_profit() -> None:
    ratio = read_table(
        b"customer_id,date,revenue,margin\nC1,2024-01-05,200,25%\nC2,2024-01-06,100,0.1\n", "m.csv"
    )
    assert ratio.reports[0].mapping["margin"] == "margin"
    assert ratio.frame["profit"].tolist() == [50.0, 10.0] and ratio.frame["cost"].tolist() == [150.0, 90.0]
    amount = read_table(
        b"customer_id,date,revenue,margin\nC1,2024-01-05,200,50\nC2,2024-01-06,100,10\n", "a.csv"
    )
    assert amount.reports[0].mapping["margin"] == "profit" and amount.frame["cost"].tolist() == [150.0, 90.0]


def test_geography_the_explicit_region_wins_and_the_others_are_reported() -> None:
    data = b"Customer ID,Order Date,Sales,Country,State,City,Region\nC1,2024-01-05,10,US,TX,Houston,Central\n"
    ds = read_table(data, "g.csv")
    assert ds.reports[0].mapping["Region"] == "region"
    for column in ("Country", "State", "City"):
        d = decision(ds, column)
        assert (
            d.canonical is None
            and d.alternatives == [("region", 0.9)]
            and "kept as an attribute" in d.note.en
        )
    assert "Several columns look like region: 'Region' is used; Country, State, City kept" in warnings(ds)
    only_country = read_table("客户编号,日期,销售额,省份\nC1,2024-01-05,10,广东省\n".encode(), "c.csv")
    assert only_country.reports[0].mapping["省份"] == "region"


def test_brand_and_stock_code_are_products() -> None:
    ds = read_table("品牌,售价,销量\n杰克狼,99,83\n森马,79,40\n".encode(), "b.csv")
    assert ds.kind == "sales" and ds.reports[0].mapping["品牌"] == "product"
    code = read_table(
        b"CustomerID,InvoiceDate,StockCode,Quantity,UnitPrice\n1,2024-01-05,85123A,6,2.55\n", "s.csv"
    )
    assert code.kind == "transactions" and code.reports[0].mapping["StockCode"] == "product"
    assert code.frame["revenue"].tolist() == [pytest.approx(15.3)]


@pytest.mark.parametrize(
    "header", ["SettledDate", "ClearingDate", "DateSettled", "paid on", "收款日期", "回款日期", "结清日期"]
)
def test_settled_and_received_dates_are_payment_dates(header: str) -> None:
    data = f"customer_id,invoice_date,due_date,amount,{header}\nC1,2024-01-01,2024-01-31,100,2024-02-03\n"
    ds = read_table(data.encode(), "i.csv")
    assert ds.kind == "invoices" and ds.reports[0].mapping[header] == "paid_date"


def test_days_late_is_cross_checked_against_the_dates() -> None:
    agree = b"customer_id,invoice_date,due_date,amount,paid_date,DaysLate\n"
    agree += b"C1,2024-01-01,2024-01-31,100,2024-02-03,3\nC2,2024-01-01,2024-01-31,50,2024-01-20,0\n"
    ds = read_table(agree, "a.csv")
    assert ds.reports[0].mapping["DaysLate"] == "days_late" and ds.frame["days_late"].tolist() == [3.0, 0.0]
    assert "agrees with payment date − due date on 100% of the 2 paid invoices" in warnings(ds)
    odd = agree.replace(b",3\n", b",30\n")
    text = warnings(read_table(odd, "b.csv"))
    assert (
        "on only 50% of the 2 paid invoices" in text
        and "仅在" in read_table(odd, "b.csv").reports[0].warnings[-1].zh
    )


def test_content_inference_fills_an_unnamed_required_column_and_says_so() -> None:
    rows = "".join(
        f"C{i % 7},2024-01-{i % 28 + 1:02d},2024-02-{i % 28 + 1:02d},{100 + i * 3.37:.2f}\n"
        for i in range(40)
    )
    ds = read_table(("customer_id,invoice_date,due_date,converted_usd\n" + rows).encode(), "h.csv")
    d = decision(ds, "converted_usd")
    assert ds.kind == "invoices" and (d.canonical, d.how) == ("amount", "content") and 0 < d.confidence < 0.8
    assert "Read from the values, not the name: converted_usd → amount" in warnings(ds)


def test_a_name_whose_values_argue_against_it_is_inferred_from_content() -> None:
    rows = "".join(
        f"#{1001 + i // 2},c{i % 5}@example.com,2024-01-05,{'10' if i % 2 == 0 else ''},2\n"
        for i in range(20)
    )
    ds = read_table(("Name,Email,Created at,Total,Lineitem quantity\n" + rows).encode(), "shop.csv")
    name = decision(ds, "Name")
    assert (name.canonical, name.how) == ("order_id", "content")
    assert ds.frame["revenue"].sum() == 100.0  # 10 orders, the total on each first line only
    assert "first line of each order only" in warnings(ds)


def test_low_confidence_and_contested_columns_offer_alternatives_as_choices() -> None:
    session = Session(demo=False)
    outcome = session.add_file(
        b"Customer ID,Order Date,Ship Date,Sales\nC1,2024-01-05,2024-01-07,10\n", "o.csv"
    )
    choices = outcome.choices()
    assert [(c.column, c.current, c.canonical) for c in choices] == [("Ship Date", None, "date")]
    assert (
        choices[0].label.en == "'Ship Date' is date (75%)"
        and choices[0].label.zh == "“Ship Date”是 date（75%）"
    )
    (again,) = session.choose(choices[0])
    assert again.report.mapping["Ship Date"] == "date" and "Order Date" not in again.report.mapping
    assert session.bundle.get("transactions")["date"].iloc[0].day == 7


def test_session_remembers_a_choice_for_the_next_file_with_the_same_header() -> None:
    memory = DictMappingMemory()
    first = Session(demo=False)
    first.mapping_memory = memory
    data = b"Customer ID,Order Date,Ship Date,Sales\nC1,2024-01-05,2024-01-07,10\n"
    (choice,) = first.add_file(data, "o.csv").choices()
    first.choose(choice)
    signature = header_signature(["Customer ID", "Order Date", "Ship Date", "Sales"])
    assert memory.recall(signature).mapping == {"Ship Date": "date"}
    later = Session(demo=False)
    later.mapping_memory = memory
    outcome = later.add_file(data.replace(b"C1", b"C9"), "o2.csv")
    assert [(c.how, c.canonical) for c in outcome.report.columns if c.source == "Ship Date"] == [
        ("remembered", "date")
    ]
    text = render_file_outcome(outcome, "en")
    assert "remembered correction" in text and "Ship Date → date" in text
    assert "记住的更正" in render_file_outcome(outcome, "zh")


def test_report_lists_every_column_with_how_and_confidence_in_both_languages() -> None:
    outcome = Session(demo=False).add_file(
        "客户编号,日期,销售额,利润,备注\nC1,2024-01-05,100,30,首单\n".encode(), "x.csv"
    )
    en, zh = render_file_outcome(outcome, "en"), render_file_outcome(outcome, "zh")
    assert "| 利润 | profit | synonym | 90% | - |" in en and "| 利润 | profit | 同义词 | 90% | - |" in zh
    assert (
        "Computed at reading: cost = revenue − profit" in en and "读取时计算：cost = revenue − profit" in zh
    )
    assert "Kept but not used by any tool: 备注" in en


def test_wide_marketing_layout_is_read_one_row_per_period_and_channel() -> None:
    data = b"DATE,revenue,tv_S,search_S,facebook_I\n2024-01-01,1000,10,5,300\n2024-01-08,1200,20,0,100\n"
    ds = read_table(data, "mmm.csv")
    assert ds.kind == "marketing" and ds.reports[0].mapping == {
        "DATE": "period",
        "tv_S": "spend",
        "search_S": "spend",
    }
    assert sorted(zip(ds.frame["channel"], ds.frame["spend"], strict=True)) == [
        ("search_S", 0.0),
        ("search_S", 5.0),
        ("tv_S", 10.0),
        ("tv_S", 20.0),
    ]
    assert "revenue" not in ds.frame.columns and "revenue (unmapped)" in ds.frame.columns
    assert "per channel" in decision(ds, "revenue").note.en


def test_an_order_export_without_customers_is_transactions_and_says_what_it_cannot_answer() -> None:
    ds = read_table(
        "订单编号,订单创建时间,买家实际支付金额,总金额\n1,2020-02-21,10,12\n2,2020-02-22,0,8\n".encode(),
        "t.csv",
    )
    assert ds.kind == "transactions" and ds.reports[0].mapping["买家实际支付金额"] == "revenue"
    assert "总金额" not in ds.reports[0].mapping and "no customer id column" in warnings(ds)


def test_the_column_decisions_survive_being_stored_and_restored() -> None:
    import json

    from agent import persistence

    report = read_table(b"Customer ID,Order Date,Ship Date,Sales\nC1,2024-01-05,2024-01-07,10\n", "o.csv").reports[0]
    stored = json.loads(json.dumps(persistence._report_to_json(report), ensure_ascii=False))
    assert persistence._report_from_json(stored) == report
