"""Display labels of table columns shared by several tools, English and Chinese (the UI only: CSV and
JSON keep the canonical snake_case names). A tool's own columns are COLUMNS in prompts/<tool>.py;
columns numbered per period match COLUMN_PATTERNS there."""

from __future__ import annotations

import re
from types import ModuleType

from core.text import Msg

COLUMNS: dict[str, Msg] = {
    "customer_id": Msg("Customer ID", "客户编号"),
    "name": Msg("Customer name", "客户名称"),
    "revenue": Msg("Revenue", "收入"),
    "cost": Msg("Cost", "成本"),
    "profit": Msg("Profit", "利润"),
    "gross_profit": Msg("Gross profit", "毛利"),
    "net_profit": Msg("Net profit", "净利润"),
    "cost_to_serve": Msg("Cost to serve", "服务成本"),
    "service_cost": Msg("Service cost", "服务成本"),
    "margin": Msg("Margin", "利润率"),
    "share_of_profit": Msg("Share of profit", "利润占比"),
    "share_of_revenue": Msg("Share of revenue", "收入占比"),
    "rank": Msg("Rank", "排名"),
    "orders": Msg("Orders", "订单数"),
    "segment": Msg("Segment", "细分"),
    "region": Msg("Region", "区域"),
    "industry": Msg("Industry", "行业"),
    "product": Msg("Product", "产品"),
    "channel": Msg("Channel", "渠道"),
    "acquisition_channel": Msg("Acquisition channel", "获客渠道"),
    "month": Msg("Month", "月份"),
    "quarter": Msg("Quarter", "季度"),
    "year": Msg("Year", "年度"),
    "period": Msg("Period", "期间"),
    "currency": Msg("Currency", "币种"),
    "customers": Msg("Customers", "客户数"),
    "customer_share": Msg("Share of customers", "客户占比"),
    "date": Msg("Date", "日期"),
    "quantity": Msg("Quantity", "数量"),
    "unit_price": Msg("Unit price", "单价"),
    "discount": Msg("Discount", "折扣"),
    "frequency": Msg("Frequency", "购买频次"),
    "new_customers": Msg("New customers", "新客户"),
    "churned": Msg("Churned", "已流失"),
    "churn_rate": Msg("Churn rate", "流失率"),
    "group": Msg("Group", "分组"),
    "share": Msg("Share", "占比"),
    "open_amount": Msg("Open amount", "未收金额"),
    "overdue_amount": Msg("Overdue amount", "逾期金额"),
    "overdue_share": Msg("Overdue share", "逾期占比"),
    "avg_days_late": Msg("Average days late", "平均逾期天数"),
    "late_share": Msg("Share paid late", "逾期付款比例"),
    "zone": Msg("Altman zone", "Altman 分区"),
    "debt_ratio": Msg("Debt ratio", "资产负债率"),
    "current_ratio": Msg("Current ratio", "流动比率"),
    "first_date": Msg("First purchase", "首次购买"),
    "last_date": Msg("Last purchase", "最近购买"),
    "store": Msg("Store", "门店"),
    "promotion": Msg("Promotion", "促销"),
    "order_id": Msg("Order ID", "订单号"),
    "invoice_id": Msg("Invoice ID", "发票号"),
    "signup_date": Msg("Signup date", "注册日期"),
    "churn_date": Msg("Churn date", "流失日期"),
    "score": Msg("Score", "评分"),
    "category": Msg("Category", "类别"),
    "spend": Msg("Spend", "投入"),
    "leads": Msg("Leads", "线索"),
    "amount": Msg("Amount", "金额"),
    "invoice_date": Msg("Invoice date", "开票日期"),
    "due_date": Msg("Due date", "到期日"),
    "paid_date": Msg("Paid date", "付款日期"),
    "paid_amount": Msg("Paid amount", "已付金额"),
    "written_off": Msg("Written off", "已核销"),
}


def column_label(column: str, words: ModuleType | None = None) -> Msg | None:
    """The label of ``column``: the tool's own (COLUMNS, then COLUMN_PATTERNS), else a shared one."""
    if words is not None:
        own = getattr(words, "COLUMNS", {})
        if column in own:
            return own[column]
        for pattern, label in getattr(words, "COLUMN_PATTERNS", {}).items():
            m = re.fullmatch(pattern, column)
            if m:
                return label.format(n=m.group(1))
    return COLUMNS.get(column)
