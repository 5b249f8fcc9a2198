"""Workbooks as they come (issue 13 item 6): every sheet with a header, Strict Open XML, legacy .xls,
merged title cells and two-row headers. Fixtures from tests/fixtures/ingest/make_fixtures.py; the values
below are the ones written there."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd

from tools.ingest import read_table, read_tables

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


def test_strict_open_xml_chinese_workbook_gives_one_dataset_per_sheet() -> None:
    data = (FIXTURES / "strict_cn.xlsx").read_bytes()
    assert b"purl.oclc.org/ooxml/spreadsheetml/main" in __import__("zipfile").ZipFile(io.BytesIO(data)).read(
        "xl/workbook.xml"
    )
    orders, customers = read_tables(data, "strict_cn.xlsx")
    assert (orders.kind, orders.reports[0].sheet) == ("transactions", "订单")
    assert (customers.kind, customers.reports[0].sheet) == ("customers", "客户")
    assert orders.frame["customer_id"].tolist() == ["0001", "0002", "0001"]
    assert orders.frame["revenue"].tolist() == [1200.5, 300.0, 450.0]
    assert orders.frame["cost"].tolist() == [700.0, 100.0, 300.0]
    assert orders.frame["profit"].tolist() == [500.5, 200.0, 150.0]
    assert orders.frame["date"].tolist() == [
        pd.Timestamp(d) for d in ("2024-01-05", "2024-02-06", "2024-03-07")
    ]
    assert customers.frame["churned"].tolist() == [False, True]
    warnings = " | ".join(w.en for w in orders.reports[0].warnings)
    assert "spans two rows (rows 2 and 3)" in warnings and "'销售金额'" in warnings
    assert "Sheet '说明' was not read" in warnings
    assert "工作表“说明”未读取" in " | ".join(w.zh for w in orders.reports[0].warnings)


def test_two_row_header_below_a_merged_title() -> None:
    (orders, _) = read_tables((FIXTURES / "strict_cn.xlsx").read_bytes(), "strict_cn.xlsx")
    report = orders.reports[0]
    assert report.header_row == 3  # title in row 1, header in rows 2-3
    assert report.mapping == {
        "客户编号": "customer_id",
        "下单日期": "date",
        "销售金额": "revenue",
        "销售成本": "cost",
        "利润": "profit",
        "区域": "region",
    }


def test_legacy_xls_with_a_merged_title_and_profit_but_no_cost() -> None:
    ds = read_table((FIXTURES / "legacy.xls").read_bytes(), "legacy.xls")
    report = ds.reports[0]
    assert (ds.kind, report.sheet, report.header_row) == ("transactions", "Orders", 2)
    assert ds.frame["cost"].tolist() == [70.0, 55.0]  # 100 - 30, 50 - (-5)
    assert report.derived == {"cost": "revenue − profit"}


def test_csv_two_row_header_without_merge_information() -> None:
    data = "客户编号,日期,销售,\n,,金额,成本\nC1,2024-01-05,10,6\nC2,2024-01-06,20,9\n".encode()
    ds = read_table(data, "two.csv")
    assert ds.reports[0].mapping["销售金额"] == "revenue" and ds.reports[0].mapping["销售成本"] == "cost"
    assert ds.frame["revenue"].tolist() == [10.0, 20.0] and ds.frame["cost"].tolist() == [6.0, 9.0]


def test_a_sheet_that_cannot_be_read_is_named_and_the_others_are_kept() -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Orders"
    wb.active.append(["customer_id", "date", "revenue"])
    wb.active.append(["C1", "2024-01-05", 10])
    broken = wb.create_sheet("Invoices")
    broken.append(["customer_id", "invoice_date", "due_date", "amount"])  # header only
    hidden = wb.create_sheet("Lookup")
    hidden.append(["customer_id", "name"])
    hidden.append(["C1", "A"])
    hidden.sheet_state = "hidden"
    buffer = io.BytesIO()
    wb.save(buffer)
    (orders,) = read_tables(buffer.getvalue(), "book.xlsx")
    assert orders.frame["revenue"].tolist() == [10.0]
    text = " | ".join(w.en for w in orders.reports[0].warnings)
    assert "Sheet 'Invoices' was not read" in text and "no data rows" in text
