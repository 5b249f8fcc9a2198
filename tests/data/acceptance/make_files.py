"""Writes the acceptance fixtures (run once; the outputs are committed).

The same seven orders as a GBK CSV with Chinese headers and as an XLSX with English headers.
Profit per customer (revenue - cost), worked by hand:
  0001: (1000-600) + (500-300) = 600      0002: 3000-2500 = 500
  0003: (800-200) + (700-100) = 1200      0004: 400-450 = -50 (loss-making)
  0005: 2000-1100 = 900                   0006: 300-100 = 200
  0007: 1200-850 = 350
Top 5 by profit: 0003 1200, 0005 900, 0001 600, 0002 500, 0007 350. Total profit 3700, revenue 9900 (cost 6200).
"""

from pathlib import Path

from openpyxl import Workbook

ROWS = [
    ("0001", "2024-01-05", 1000, 600),
    ("0001", "2024-03-10", 500, 300),
    ("0002", "2024-02-01", 3000, 2500),
    ("0003", "2024-02-15", 800, 200),
    ("0003", "2024-04-20", 700, 100),
    ("0004", "2024-05-05", 400, 450),
    ("0005", "2024-06-01", 2000, 1100),
    ("0006", "2024-06-15", 300, 100),
    ("0007", "2024-07-01", 1200, 850),
]
HERE = Path(__file__).parent

if __name__ == "__main__":
    lines = ["客户编号,下单日期,销售额,成本"] + [f"{c},{d},{r},{k}" for c, d, r, k in ROWS]
    (HERE / "orders_zh_gbk.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    wb = Workbook()
    ws = wb.active
    ws.title = "Orders"
    ws.append(["Customer ID", "Order Date", "Revenue", "Cost"])
    for c, d, r, k in ROWS:
        ws.append([c, d, r, k])
    wb.save(HERE / "orders_en.xlsx")
