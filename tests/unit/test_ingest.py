"""read_table on the fixture files in tests/fixtures/ingest (made by make_fixtures.py; expected values
below are read off the fixture text by hand)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from tools.bundle import Dataset, DatasetBundle
from tools.errors import IngestError
from tools.ingest import Limits, read_table

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


def load(name: str, **kwargs: object) -> Dataset:
    return read_table((FIXTURES / name).read_bytes(), name, **kwargs)


def fails(data: bytes, name: str, **kwargs: object) -> IngestError:
    with pytest.raises(IngestError) as info:
        read_table(data, name, **kwargs)
    err = info.value
    assert name in err.msg.en and name in err.msg.zh  # every message names the file, in both languages
    assert err.msg.en != err.msg.zh
    return err


def warnings_en(ds: Dataset) -> str:
    return " | ".join(w.en for w in ds.reports[0].warnings)


# --- encodings and delimiters -------------------------------------------------------------------------


def test_utf8_with_bom() -> None:
    ds = load("utf8_bom.csv")
    report = ds.reports[0]
    assert (ds.kind, report.encoding, report.delimiter, report.header_row) == (
        "transactions",
        "utf-8-sig",
        ",",
        1,
    )
    assert list(ds.frame.columns) == ["customer_id", "date", "revenue", "cost", "product"]
    assert ds.frame["revenue"].tolist() == [1200.50, 300.0, 450.25]
    assert report.mapping["Customer ID"] == "customer_id"


def test_gbk_chinese_headers_currency_and_full_width_digits() -> None:
    ds = load("gbk_chinese.csv")
    report = ds.reports[0]
    assert report.encoding == "gbk"
    assert report.mapping == {
        "客户编号": "customer_id",
        "下单日期": "date",
        "销售额（元）": "revenue",
        "成本": "cost",
        "区域": "region",
    }
    assert report.unmapped == ["备注"] and ds.frame["备注"].iloc[0] == "首单"
    assert ds.frame["customer_id"].tolist() == ["0001", "0002", "0003"]
    assert ds.frame["revenue"].tolist() == [1200.0, 3450.5, 800.0]  # ￥1,200.00 / ￥3,450.50 / ８００
    assert ds.frame["cost"].tolist() == [700.0, 2000.0, 500.0]
    assert ds.frame["date"].tolist() == [pd.Timestamp(f"2024-03-0{d}") for d in (5, 6, 7)]


def test_big5_traditional_headers() -> None:
    ds = load("big5.csv")
    assert ds.reports[0].encoding == "big5"
    assert ds.reports[0].mapping["客戶編號"] == "customer_id"
    assert ds.frame["product"].tolist() == ["茶葉", "咖啡"]
    assert ds.frame["revenue"].tolist() == [1500.0, 2500.0]
    assert ds.frame["date"].iloc[0] == pd.Timestamp("2024-03-05")


def test_gbk_and_big5_are_told_apart_for_the_same_text() -> None:
    text = "客户编号,日期,销售额\nC1,2024-01-01,10\n"
    assert read_table(text.encode("gbk"), "a.csv").reports[0].encoding == "gbk"
    trad = "客戶編號,日期,銷售額\nC1,2024-01-01,10\n"
    assert read_table(trad.encode("big5"), "b.csv").reports[0].encoding == "big5"


def test_utf16_excel_unicode_text_tab_separated() -> None:
    ds = load("utf16_tab.txt")
    report = ds.reports[0]
    assert (report.encoding, report.delimiter) == ("utf-16", "\t")
    assert ds.frame["revenue"].tolist() == [100.0, 250.5]
    assert ds.frame["channel"].tolist() == ["线上", "门店"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(encoding: str) -> None:
    data = "customer_id\tdate\trevenue\r\nC1\t2024-01-01\t5\r\n".encode(encoding)
    ds = read_table(data, "x.txt")
    assert ds.reports[0].encoding == encoding and ds.frame["revenue"].iloc[0] == 5.0


def test_semicolon_with_decimal_comma() -> None:
    ds = load("semicolon.csv")
    assert ds.reports[0].delimiter == ";"
    assert ds.frame["revenue"].tolist() == [1234.5, 99.9]  # 1.234,50 and 99,90


def test_pipe_delimited() -> None:
    ds = load("pipe.csv")
    assert ds.reports[0].delimiter == "|"
    assert ds.frame["channel"].tolist() == ["web", "store"]


def test_binary_garbage_named_csv_is_unreadable_never_latin1() -> None:
    err = fails((FIXTURES / "garbage.csv").read_bytes(), "garbage.csv")
    assert err.code == "file_unreadable"
    assert "UTF-8" in err.msg.en and "GBK" in err.msg.en and "编码" in err.msg.zh


def test_mixed_file_whose_head_is_utf8_but_body_is_gbk() -> None:
    data = (
        "customer_id,date,revenue\n" + "C1,2024-01-01,1\n" * 5000
    ).encode() + "C2,2024-01-02,2,华东\n".encode("gbk")
    ds = read_table(data, "mixed.csv")
    assert ds.reports[0].encoding == "gbk"
    assert len(ds.frame) == 5001


def test_big5_body_after_a_long_ascii_head() -> None:
    data = ("customer_id,date,revenue,product\n" + "C1,2024-01-01,1,tea\n" * 5000).encode()
    data += "C2,2024-01-02,2,烏龍茶葉禮盒\n".encode("big5")
    ds = read_table(data, "tw.csv")
    assert ds.reports[0].encoding == "big5" and ds.frame["product"].iloc[-1] == "烏龍茶葉禮盒"


def test_classic_mac_line_endings() -> None:
    ds = read_table(b"customer_id,date,revenue\rC1,2024-01-01,1\rC2,2024-01-02,2\r", "mac.csv")
    assert ds.frame["revenue"].tolist() == [1.0, 2.0]


# --- structure: title rows, totals, ragged rows, empty files --------------------------------------------


def test_title_rows_above_header() -> None:
    ds = load("title_rows.csv")
    assert ds.reports[0].header_row == 4
    assert ds.frame["customer_id"].tolist() == ["C1", "C2"]
    assert ds.frame["revenue"].tolist() == [100.0, 200.0]


def test_total_and_subtotal_rows_are_dropped_with_their_lines() -> None:
    ds = load("totals.csv")
    assert ds.frame["revenue"].sum() == 700.0  # 100 + 200 + 400: nothing counted twice
    (dropped,) = ds.reports[0].dropped
    assert dropped.rows == [4, 6, 7, 8] and dropped.count == 4
    assert "total" in dropped.reason.en.lower() and "合计" in dropped.reason.zh
    assert ds.reports[0].rows_read == 7 and ds.reports[0].rows_kept == 3


def test_total_label_in_another_column_and_names_that_only_start_like_total() -> None:
    rows = [
        "C1,2024-01-01,华东,10",
        "Total Care Ltd,2024-01-01,华南,5",
        "小米,2024-01-01,华北,1",
        ",,合计：,16",
        "Total 2024,,,16",
    ]
    ds = read_table(("客户编号,日期,区域,销售额\n" + "\n".join(rows) + "\n").encode(), "t.csv")
    assert ds.frame["customer_id"].tolist() == ["C1", "Total Care Ltd", "小米"]
    assert ds.reports[0].dropped[0].rows == [5, 6]


def test_ragged_rows_are_padded_or_trimmed_with_warnings() -> None:
    ds = load("ragged.csv")
    assert ds.frame["customer_id"].tolist() == ["C1", "C2", "C3", "C4"]
    assert pd.isna(ds.frame["region"].iloc[1]) and ds.frame["region"].iloc[2] == "South"
    assert list(ds.frame.columns) == ["customer_id", "date", "revenue", "region"]
    text = warnings_en(ds)
    assert "more values than the header" in text and "(lines 4)" in text
    assert "fewer values than the header" in text and "(lines 3)" in text


def test_empty_file() -> None:
    err = fails(b"", "empty.csv")
    assert err.code == "file_unreadable" and "empty" in err.msg.en and "空文件" in err.msg.zh


def test_header_only() -> None:
    err = fails((FIXTURES / "header_only.csv").read_bytes(), "header_only.csv")
    assert err.code == "file_unreadable" and "no data rows" in err.msg.en and "没有数据行" in err.msg.zh


# --- values -------------------------------------------------------------------------------------------------


def test_refunds_are_kept_and_counted() -> None:
    ds = load("refunds.csv")
    assert ds.frame["revenue"].tolist() == [100.0, -40.0, -25.5, 1000.0]  # -40, (25.50), "$1,000"
    assert "Negative revenue in 2 rows" in warnings_en(ds)
    assert ds.reports[0].dropped == []


def test_bad_values_are_dropped_and_reported_by_line_and_column() -> None:
    ds = load("bad_numbers.csv")
    assert ds.frame["customer_id"].tolist() == ["C1", "C3", "C6", "C7", "C8"]
    report = ds.reports[0]
    by_column = {d.reason.en.split(":")[0].split(" ")[0]: d for d in report.dropped}
    assert by_column["revenue"].rows == [3]
    assert "revenue: 'abc' is not a number" in by_column["revenue"].reason.en
    assert "不是数字" in by_column["revenue"].reason.zh
    assert by_column["date"].rows == [6] and "'2024-13-45' is not a date" in by_column["date"].reason.en
    assert by_column["customer_id"].rows == [5] and "empty" in by_column["customer_id"].reason.en
    assert (report.rows_read, report.rows_kept) == (8, 5)


def test_type_guessed_from_the_first_block_failing_later_is_reported_not_fatal() -> None:
    data = b"customer_id,date,revenue\n" + b"C1,2024-01-01,1.5\n" * 200_000 + b"C2,2024-01-02,abc\n"
    ds = read_table(data, "long.csv")
    assert len(ds.frame) == 200_000 and ds.frame["revenue"].iloc[0] == 1.5
    assert ds.reports[0].dropped[0].rows == [200_002]


def test_line_numbers_survive_blank_lines_and_quoted_newlines() -> None:
    data = (
        b'customer_id,date,revenue,note\nC1,2024-01-01,1,"two\nlines"\n\nC2,2024-01-02,x,\nC3,2024-01-03,3,\n'
    )
    ds = read_table(data, "q.csv")
    assert ds.reports[0].dropped[0].rows == [5]
    assert ds.frame["note"].iloc[0] == "two\nlines"


def test_more_than_half_bad_rows_is_an_error() -> None:
    err = fails((FIXTURES / "mostly_bad.csv").read_bytes(), "mostly_bad.csv")
    assert err.code == "missing_columns"
    assert "2 of 3 rows" in err.msg.en and "'x'" in err.msg.en and "3 行中有 2 行" in err.msg.zh


def test_number_formats() -> None:
    rows = [
        "1,234.5",
        "¥1 200",
        "￥300",
        "$5",
        "€7.5",
        "100元",
        "RMB 80",
        "(500)",
        "12%",
        "－３",
        "1.5万",
        " 42 ",
    ]
    data = (
        "customer_id,date,revenue\n" + "".join(f'C{i},2024-01-01,"{v}"\n' for i, v in enumerate(rows))
    ).encode()
    got = read_table(data, "n.csv").frame["revenue"].tolist()
    assert got == [1234.5, 1200.0, 300.0, 5.0, 7.5, 100.0, 80.0, -500.0, 0.12, -3.0, 15000.0, 42.0]


def test_date_formats() -> None:
    rows = [
        "2024-03-05",
        "2024/3/5",
        "2024年3月5日",
        "2024.03.05",
        "2024-03-05 14:30:00",
        "Mar 5, 2024",
        "20240305",
    ]
    data = ("customer_id,date,revenue\n" + "".join(f'C{i},"{v}",1\n' for i, v in enumerate(rows))).encode()
    frame = read_table(data, "d.csv").frame
    assert frame["date"].dtype == "datetime64[ns]"
    assert (frame["date"] == pd.Timestamp("2024-03-05")).all()


def test_ambiguous_day_month_warns_and_reads_day_first() -> None:
    ds = load("ambiguous_dates.csv")
    assert ds.frame["date"].tolist() == [
        pd.Timestamp("2024-02-01"),
        pd.Timestamp("2024-04-03"),
        pd.Timestamp("2024-05-05"),
    ]
    text = warnings_en(ds)
    assert "'01/02/2024'" in text and "day/month/year" in text
    assert "日/月/年" in ds.reports[0].warnings[0].zh


def test_day_first_decided_from_the_data() -> None:
    ds = load("dayfirst_dates.csv")
    assert ds.frame["date"].tolist() == [pd.Timestamp("2024-03-05"), pd.Timestamp("2024-03-25")]
    assert "day/month" not in warnings_en(ds)


def test_month_first_decided_from_the_data() -> None:
    ds = load("monthfirst_dates.csv")
    assert ds.frame["date"].tolist() == [pd.Timestamp("2024-05-03"), pd.Timestamp("2024-03-25")]
    assert ds.reports[0].warnings == []


def test_ids_keep_leading_zeros() -> None:
    ds = load("leading_zeros.csv")
    assert ds.frame["customer_id"].tolist() == ["0001", "0002"]
    assert ds.frame["order_id"].tolist() == ["000123", "000124"]
    assert pd.api.types.is_string_dtype(ds.frame["customer_id"])


def test_booleans() -> None:
    values = ["yes", "no", "Y", "n", "1", "0", "TRUE", "false", "是", "否", "已流失", "未流失"]
    data = ("customer_id,churned\n" + "".join(f"C{i},{v}\n" for i, v in enumerate(values))).encode()
    frame = read_table(data, "b.csv").frame
    assert frame["churned"].dtype == bool
    assert frame["churned"].tolist() == [True, False] * 6


def test_missing_booleans_give_nullable_boolean() -> None:
    frame = read_table(b"customer_id,churned\nC1,yes\nC2,\n", "b.csv").frame
    assert (
        str(frame["churned"].dtype) == "boolean"
        and frame["churned"].iloc[0]
        and pd.isna(frame["churned"].iloc[1])
    )


def test_canonical_dtypes() -> None:
    frame = load("invoices.csv").frame
    assert frame["amount"].dtype == np.float64 and frame["paid_amount"].dtype == np.float64
    assert frame["invoice_date"].dtype == "datetime64[ns]" and frame["paid_date"].isna().iloc[1]
    assert frame["written_off"].tolist() == [False, True, False]
    assert pd.api.types.is_string_dtype(frame["invoice_id"])


def test_within_file_duplicates_are_kept_with_a_warning_and_appends_drop_them() -> None:
    data = b"customer_id,date,revenue\nC1,2024-01-01,5\nC1,2024-01-01,5\nC2,2024-01-02,7\n"
    ds = read_table(data, "dup.csv")
    assert len(ds.frame) == 3 and "Exact repeats of an earlier row: 1 row (lines 3)" in warnings_en(ds)
    bundle = DatasetBundle([ds])
    dropped = bundle.add(
        read_table(b"customer_id,date,revenue\nC2,2024-01-02,7\nC3,2024-01-03,9\n", "more.csv")
    )
    assert dropped is not None and dropped.count == 2  # C1 repeat + C2 row already loaded
    assert bundle.get("transactions")["customer_id"].tolist() == ["C1", "C2", "C3"]


def test_several_currencies_warn() -> None:
    data = b"customer_id,date,revenue,currency\nC1,2024-01-01,5,CNY\nC2,2024-01-02,7,USD\n"
    ds = read_table(data, "fx.csv")
    assert ds.frame["currency"].tolist() == ["CNY", "USD"] and "Several currencies" in warnings_en(ds)


def test_revenue_from_quantity_and_unit_price() -> None:
    ds = read_table(b"customer_id,date,qty,unit price\nC1,2024-01-01,3,2.5\nC2,2024-01-02,x,1\n", "q.csv")
    assert ds.kind == "transactions" and ds.frame["revenue"].tolist() == [7.5]
    assert [d.reason.en.split(":")[0] for d in ds.reports[0].dropped] == ["quantity"]  # not also 'revenue'
    assert "quantity × unit_price" in warnings_en(ds)


def test_optional_column_with_mostly_unreadable_values_is_left_unmapped() -> None:
    data = b"customer_id,date,revenue,discount\nC1,2024-01-01,5,summer sale\nC2,2024-01-02,7,vip\n"
    data += b"C3,2024-01-03,9,5%\n"
    ds = read_table(data, "d.csv")
    assert "discount" not in ds.reports[0].mapping and ds.reports[0].unmapped == ["discount (unmapped)"]
    assert ds.frame["discount (unmapped)"].tolist() == ["summer sale", "vip", "5%"] and len(ds.frame) == 3
    assert "not used as discount" in warnings_en(ds)


# --- XLSX -----------------------------------------------------------------------------------------------


def test_xlsx_first_sheet_with_header_title_row_formula_and_total() -> None:
    ds = load("workbook.xlsx")
    report = ds.reports[0]
    assert (report.sheet, report.header_row, report.encoding) == ("Orders", 2, None)
    assert ds.frame["customer_id"].tolist() == ["0001", "0002", "0003"]
    assert ds.frame["date"].tolist() == [
        pd.Timestamp("2024-01-05"),
        pd.Timestamp("2024-01-06"),
        pd.Timestamp("2024-02-01"),
    ]
    assert ds.frame["revenue"].tolist() == [1200.5, 300.0, 1500.5]  # the formula's cached value
    assert report.dropped[0].rows == [7]  # the 'Total' row, by Excel row number


def test_xlsx_renamed_to_csv_is_read_as_a_workbook() -> None:
    ds = read_table((FIXTURES / "workbook.xlsx").read_bytes(), "export.csv")
    assert ds.reports[0].sheet == "Orders" and len(ds.frame) == 3


def test_xlsx_formula_text_is_never_evaluated() -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["customer_id", "name"])
    wb.active.append(["C1", '=HYPERLINK("http://x","y")'])
    buffer = io.BytesIO()
    wb.save(buffer)
    frame = read_table(buffer.getvalue(), "c.xlsx").frame
    assert frame["customer_id"].tolist() == ["C1"] and frame["name"].isna().all()  # no cached value: empty


def test_damaged_xls_is_unreadable_with_a_clear_message() -> None:
    # a real .xls is read (tests/unit/test_ingest_workbooks.py); this one is only an OLE header
    err = fails((FIXTURES / "old.xls").read_bytes(), "old.xls")
    assert err.code == "file_unreadable" and ".xlsx" in err.msg.en and "另存为" in err.msg.zh


def test_other_formats_and_broken_workbooks() -> None:
    assert fails(b"{}", "data.json").code == "unsupported_format"
    assert fails(b"not a zip", "broken.xlsx").code == "file_unreadable"


# --- limits -----------------------------------------------------------------------------------------------


def test_too_large_by_size() -> None:
    data = b"customer_id,date,revenue\n" + b"C1,2024-01-01,1\n" * 80_000  # 1.22 MB (1,280,025 bytes)
    err = fails(data, "big.csv", limits=Limits(max_bytes=1024 * 1024))
    assert err.code == "too_large"
    assert "big.csv is 1.22 MB, above the upload limit of 1 MB" in err.msg.en and "上限 1 MB" in err.msg.zh


def test_too_large_by_rows() -> None:
    err = fails((FIXTURES / "utf8_bom.csv").read_bytes(), "utf8_bom.csv", limits=Limits(max_rows=2))
    assert err.code == "too_large" and "3 data rows" in err.msg.en and "2 rows" in err.msg.en


# --- mapping, kinds -------------------------------------------------------------------------------------


def test_mapping_override_sales_as_quantity() -> None:
    # as it is: in a price/volume panel 'sales' is units sold (issue 13), revenue offered as the alternative
    as_is = load("sales_as_quantity.csv")
    assert as_is.kind == "sales" and as_is.reports[0].mapping["sales"] == "quantity"
    (sales,) = [c for c in as_is.reports[0].columns if c.source == "sales"]
    assert (sales.how, sales.confidence, sales.alternatives[0][0]) == ("synonym", 0.9, "revenue")
    ds = load("sales_as_quantity.csv", mapping={"sales": "quantity"})
    assert [c.how for c in ds.reports[0].columns if c.source == "sales"] == ["user"]
    assert ds.kind == "sales"
    assert ds.reports[0].mapping == {
        "product": "product",
        "price": "unit_price",
        "sales": "quantity",
        "date": "date",
    }
    assert ds.frame["quantity"].tolist() == [120.0, 40.0]


def test_override_for_a_missing_column_warns() -> None:
    ds = load("pipe.csv", mapping={"volume": "quantity"})
    assert "no column 'volume'" in warnings_en(ds)


def test_forced_kind() -> None:
    ds = load("customers.csv", kind="feedback")
    assert ds.kind == "feedback" and ds.reports[0].kind == "feedback"
    assert list(ds.frame.columns)[0] == "customer_id" and "客户名称" in ds.reports[0].unmapped
    err = fails((FIXTURES / "customers.csv").read_bytes(), "customers.csv", kind="invoices")
    assert err.code == "missing_columns" and "invoice_date" in err.msg.en and "开票日期" in err.msg.en


def test_missing_columns_message_names_file_missing_columns_found_columns_and_synonyms() -> None:
    err = fails("日期,销售额,产品\n2024-01-01,5,A\n".encode(), "orders.csv")
    assert err.code == "missing_columns"
    assert (
        "customer_id" in err.msg.en and "客户编号" in err.msg.en and "客户编号" in err.msg.zh
    )  # synonyms expected
    assert "日期, 销售额, 产品" in err.msg.en and "日期、销售额、产品" in err.msg.zh  # columns found
    assert "--map" in err.msg.en and "当作" in err.msg.zh


def test_orders_without_a_date_read_as_customers_say_what_is_missing() -> None:
    ds = read_table("客户编号,销售额\nC1,5\n".encode(), "orders.csv")
    assert ds.kind == "customers" and ds.reports[0].unmapped == ["销售额"]
    assert "If this is a transactions (orders) table, it lacks a date column" in warnings_en(ds)
    assert "下单日期" in ds.reports[0].warnings[0].zh


def test_unknown_columns_only() -> None:
    err = fails(b"foo,bar\n1,2\n", "x.csv")
    assert err.code == "missing_columns" and "foo, bar" in err.msg.en and "customer_id" in err.msg.en


@pytest.mark.parametrize(
    ("name", "kind", "column", "value"),
    [
        ("utf8_bom.csv", "transactions", "cost", 800.0),
        ("customers.csv", "customers", "churned", False),
        ("invoices.csv", "invoices", "amount", 1000.0),
        ("financials.csv", "financials", "ebit", 120.0),
        ("sales.csv", "sales", "promotion", False),
        ("feedback.csv", "feedback", "score", 5.0),
        ("marketing.csv", "marketing", "spend", 10000.0),
    ],
)
def test_kind_detection_for_every_kind(name: str, kind: str, column: str, value: object) -> None:
    ds = load(name)
    assert ds.kind == kind
    assert ds.frame[column].iloc[0] == value
