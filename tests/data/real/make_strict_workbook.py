"""tmall_orders_cn_strict.xlsx: the public Tmall order sample (tmall_orders_cn.csv, see PROVENANCE.md) as a
Chinese workbook saved in Excel's "Strict Open XML Spreadsheet" format, the shape the issue's failing
upload had (three sheets: the orders under a merged title row, a field dictionary, notes).

No public Strict workbook with Chinese order data was found, so the format is produced here: openpyxl
writes a transitional workbook and the parts' namespaces are rewritten to the Strict ones (ECMA-376
Part 1 Strict), as tests/fixtures/ingest/make_fixtures.py does for its small fixture. Values are the
CSV's cells unchanged (numbers as numbers, the two date columns as text exactly as exported).

Run from the repository root: PYTHONPATH=. python tests/data/real/make_strict_workbook.py
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from tests.fixtures.ingest.make_fixtures import strict_open_xml

HERE = Path(__file__).resolve().parent
NUMERIC = {"订单编号", "总金额", "买家实际支付金额", "退款金额"}


def main() -> None:
    with (HERE / "tmall_orders_cn.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    wb = openpyxl.Workbook()
    orders = wb.active
    orders.title = "订单报表"
    orders.append(["天猫订单报表（2020年2月）"])
    orders.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    orders.append(header)
    for row in body:
        orders.append([float(v) if h.strip() in NUMERIC and v != "" else (v or None) for h, v in zip(header, row, strict=True)])
    fields = wb.create_sheet("字段说明")
    fields.append(["字段", "含义"])
    for name, meaning in [
        ("订单编号", "订单的编号"), ("总金额", "订单总金额"), ("买家实际支付金额", "扣除退款后买家实际支付"),
        ("收货地址", "省份"), ("订单创建时间", "下单时间"), ("订单付款时间", "付款时间，未付款为空"), ("退款金额", "已退款金额"),
    ]:  # fmt: skip
        fields.append([name, meaning])
    notes = wb.create_sheet("说明")
    notes.append(["本工作簿由电商后台导出。"])
    notes.append(["金额单位：元。"])
    buffer = io.BytesIO()
    wb.save(buffer)
    (HERE / "tmall_orders_cn_strict.xlsx").write_bytes(strict_open_xml(buffer.getvalue()))


if __name__ == "__main__":
    main()
